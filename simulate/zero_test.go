package simulate_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/internal/zerotest"
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
	} {
		zerotest.CallMethods(t, v)
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
