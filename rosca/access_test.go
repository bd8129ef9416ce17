package rosca_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func TestAccessAndTimeErrors(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	rejects(t, c, rosca.ErrNotMember, func() error { return c.Contribute(at(0), "x", wei(1)) })
	rejects(t, c, rosca.ErrNotMember, func() error { _, err := c.Withdraw(at(0), "x"); return err })
	if _, err := c.Position("x"); !errors.Is(err, rosca.ErrNotMember) {
		t.Fatal(err)
	}
	// Before the start is fine (the reference contract took contributions and bids early) ...
	ok(t, c.Contribute(t0.Add(-time.Hour), "m2", wei(1)))
	if !c.Now().Equal(t0.Add(-time.Hour)) {
		t.Fatal(c.Now())
	}
	// ... but the log is in time order.
	te := rejects(t, c, rosca.ErrTimeBackwards, func() error { return c.Contribute(t0.Add(-2*time.Hour), "m0", wei(1)) })
	if !te.At.Equal(t0.Add(-2*time.Hour)) || !strings.Contains(te.Detail, "earliest "+t0.Add(-time.Hour).Format(time.RFC3339Nano)) {
		t.Fatalf("%+v", te)
	}
	// Times outside the years 1900 to 2250 cannot be recorded.
	rejects(t, c, token.ErrInvalidTime, func() error { return c.Contribute(time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), "m0", wei(1)) })
	rejects(t, c, token.ErrInvalidTime, func() error { return c.Contribute(time.Time{}, "m0", wei(1)) })
	we := rejects(t, c, rosca.ErrNothingToWithdraw, func() error { _, err := c.Withdraw(at(0), "m0"); return err })
	// m0 owes 1000; the free cash is the 1 wei m2 paid.
	tot := c.Totals()
	free, _ := tot.Cash.Sub(tot.FeesReserved)
	if units(we.Amount) != -1000 || units(free) != 1 || !strings.Contains(we.Error(), "m0 owes "+wei(1000).String()) {
		t.Fatalf("%+v: %v", we, we)
	}
	rejects(t, c, rosca.ErrNotForeperson, func() error { _, _, err := c.DisposeRemainder(at(0), "m1"); return err })
	ae := rejects(t, c, token.ErrZeroAmount, func() error { return c.Contribute(at(0), "m0", wei(0)) })
	if ae.Account != "m0" || !errors.Is(ae, rosca.ErrInvalidAmount) {
		t.Fatalf("%+v", ae)
	}
	// A large amount (beyond 18 digits, beyond 2^96 minor units) is exact too.
	big := token.ETH().MustParse("123456789012345678901234567890.123456789012345678")
	ok(t, c.Contribute(at(0), "m0", big))
	if p := pos(t, c, "m0"); !p.Contributed.Equal(big) {
		t.Fatalf("%s", p.Contributed)
	}
	if e := c.Events()[1]; !e.Amount.Equal(big) {
		t.Fatalf("%s", e.Amount)
	}
	audit(t, c)
	checkReplay(t, c)
}
