package rosca_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// With the remainder to the winner, each round's dust is credited to its winner and the
// pool's undivided units go, at the end, to the last winner.
func TestRemainderToWinner(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
	cfg.Rules.Remainder = rosca.RemainderToWinner
	c := mustNew(t, cfg)
	for r, bidder := range []string{"m0", "m1", ""} {
		contributeAll(t, c, at(r), wei(1000))
		if bidder != "" {
			ok(t, c.Bid(at(r), token.Account(bidder), wei(1951)))
		}
		_, err := c.CloseRound(at(r + 1))
		ok(t, err)
	}
	// m0 and m1 each got RF(1951) = 1911 plus 1 wei of dust; the pool 2056 leaves 1 undivided.
	if p := pos(t, c, "m0"); units(p.Won) != 1912 {
		t.Fatalf("%+v", p)
	}
	if tot := c.Totals(); units(tot.Remainder) != 1 {
		t.Fatalf("%+v", tot)
	}
	rem, to, err := c.DisposeRemainder(at(4), "m0")
	ok(t, err)
	if units(rem) != 1 || to != "m2" {
		t.Fatalf("remainder %s to %s", rem, to)
	}
	audit(t, c)
	checkReplay(t, c)
}

// The remainder is never taken while members are owed more than the free cash; after the
// end the books are solvent, so the members are paid in full and the remainder after
// them. (Before the fix of the debtor's waived dues, m1 was shown 1024 and the members
// were owed 19 wei more than the free cash.)
func TestRemainderNeverTakesMembersMoney(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 2, 1000, 20))
	contributeAll(t, c, at(0), wei(1000))
	ok(t, c.Bid(at(0), "m0", wei(1951)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	ok(t, c.Contribute(at(1), "m0", wei(1000)))
	r2, err := c.CloseRound(at(2)) // m1 has not paid round 2: it wins in debt
	ok(t, err)
	if r2.Winner != "m1" || !r2.Debt {
		t.Fatalf("%+v", r2)
	}
	// RF(1951) = 1911, RF(49) = 48 (share 24), fee 40, dust 1. At the end: m0 3911 + 24 -
	// 2000 = 1935; m1 (debtor) 1000 + 1960 + 24 - 2000 = 984. Reserve: base 4000 less m1's
	// shortfall 2000 + 1960 - 2984 = 976: floor(3024 x 2%) = 60. Cash 3000 covers 1935 +
	// 984 + 60 + the 1 wei of remainder (20 wei of unearned fees stay).
	tot := c.Totals()
	if units(tot.FeesReserved) != 60 || units(tot.Remainder) != 1 || units(tot.Balances) != 2919 || !tot.Shortfall.IsZero() {
		t.Fatalf("%+v", tot)
	}
	if got := withdraw(t, c, at(2), "m0"); got != 1935 {
		t.Fatalf("m0 withdrew %d", got)
	}
	if got := withdraw(t, c, at(2), "m1"); got != 984 {
		t.Fatalf("m1 withdrew %d", got)
	}
	rem, _, err := c.DisposeRemainder(at(2), "m0")
	ok(t, err)
	if units(rem) != 1 {
		t.Fatalf("remainder %s", rem)
	}
	rejects(t, c, rosca.ErrNothingToPay, func() error { _, _, err := c.DisposeRemainder(at(2), "m0"); return err })
	audit(t, c)
	checkReplay(t, c)
}
