package simulate_test

import (
	"errors"
	"testing"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
)

func TestZeroValues(t *testing.T) {
	for _, v := range []any{
		&simulate.Scenario{}, simulate.Scenario{}, &simulate.Member{}, &simulate.Shard{}, simulate.Shard{},
		&simulate.Options{}, &simulate.Turn{}, &simulate.Auction{}, &simulate.Group{},
		&simulate.OnTime{}, simulate.OnTime{}, &simulate.Late{}, simulate.Late{}, &simulate.Stop{}, simulate.Stop{},
		&simulate.Part{}, simulate.Part{}, simulate.PayerFunc(nil), &simulate.NoBid{}, &simulate.Truthful{},
		&simulate.Shaded{}, simulate.Shaded{}, &simulate.Undercut{}, &simulate.RandomBid{}, simulate.RandomBid{},
		simulate.BidderFunc(nil), &simulate.Valuation{}, &simulate.Tolerate{}, &simulate.HaltWhenBehind{},
		simulate.HaltWhenBehind{}, simulate.EnforcerFunc(nil), &simulate.CircleRecord{}, &simulate.MemberRecord{},
		&simulate.JSONLines{}, &simulate.CSV{}, &simulate.Aggregate{}, &simulate.SeatSummary{},
		&simulate.Quantiles{}, &simulate.RateQuantiles{},
		&simulate.Collateral{}, simulate.Collateral{}, &simulate.Guarantors{}, simulate.Guarantors{},
		&simulate.Replace{}, simulate.Replace{}, &simulate.Accelerate{}, simulate.Accelerate{}, &simulate.Recover{},
		simulate.Recover{}, simulate.Enforcers(nil), simulate.Enforcers{nil}, &simulate.Actions{}, simulate.Stage(0),
		simulate.Stage(9),
	} {
		zerotest.CallMethods(t, v)
	}
	// The actors with a group at every stage and the zero Actions, or with nothing.
	for _, a := range []simulate.Actor{simulate.Collateral{}, simulate.Guarantors{}, simulate.Replace{},
		simulate.Accelerate{}, simulate.Recover{}, simulate.Enforcers{simulate.Recover{}, nil}} {
		for _, st := range []simulate.Stage{simulate.Joining, simulate.Closed, simulate.Ended} {
			a.Act(&simulate.Group{Stage: st, Winner: 2, Behind: []int{5}}, &simulate.Actions{})
			a.Act(&simulate.Group{Stage: st}, nil)
		}
		a.Act(nil, nil)
	}
	var do simulate.Actions
	if err := do.Remove(0); !errors.Is(err, rosca.ErrUninitialized) {
		t.Errorf("the zero Actions remove: %v", err)
	}
	if do.Seats() != 0 || do.Fresh(0) != "" || do.Account(0) != "" || !do.At().IsZero() {
		t.Error("the zero Actions read something")
	}
	if err := (simulate.Scenario{}).Validate(); err == nil {
		t.Error("the zero Scenario is valid")
	}
	if lo, hi := (simulate.Shard{}).Range(7); lo != 0 || hi != 7 {
		t.Errorf("zero shard: %d..%d", lo, hi)
	}
	var a simulate.Aggregate
	if len(a.Seats()) != 0 {
		t.Error("zero Aggregate has seats")
	}
}
