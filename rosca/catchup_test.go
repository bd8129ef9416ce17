package rosca_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
)

// The defaulter of lossCircle (m0 took its pot and paid nothing more) pays what it owes
// after the end: the 980 wei written off (477 + 477 from the members, 26 from the fee
// line, pro rata) come back first, and the 20 wei left are the fee on the dues it had not
// paid, now earned. Every claim is then paid in full and the cash is zero.
func TestGoldenCatchUpAfterEnd(t *testing.T) {
	c := lossCircle(t, rosca.LossProRata)
	owed, err := c.Owed("m0")
	ok(t, err)
	if units(owed) != 1000 {
		t.Fatalf("m0 owes %s", owed)
	}
	if o, _ := c.Owed("m1"); !o.IsZero() || !o.IsValid() {
		t.Fatalf("m1 owes %s", o)
	}
	rejects(t, c, rosca.ErrInvalidAmount, func() error { return c.Contribute(at(3), "m0", wei(1001)) })
	rejects(t, c, rosca.ErrEnded, func() error { return c.Contribute(at(3), "m1", wei(1)) })
	rejects(t, c, rosca.ErrNotMember, func() error { return c.Contribute(at(3), "x", wei(1)) })
	rejects(t, c, rosca.ErrInvalidAmount, func() error { return c.Contribute(at(3), "m0", wei(0)) })

	// A part payment restores the losses pro rata: 490 of 980 is half of each.
	ok(t, c.Contribute(at(3), "m0", wei(490)))
	for _, m := range []string{"m1", "m2"} {
		if p := pos(t, c, m); units(p.Loss) != 477-238 && units(p.Loss) != 477-239 {
			t.Fatalf("%s after half: %+v", m, p)
		}
	}
	audit(t, c)
	ok(t, c.Contribute(at(3), "m0", wei(510)))
	for _, m := range []string{"m1", "m2"} {
		if p := pos(t, c, m); !p.Loss.IsZero() || units(p.Balance) != 2940 {
			t.Fatalf("%s after the catch-up: %+v", m, p)
		}
	}
	if p := pos(t, c, "m0"); units(p.Balance) != 0 {
		t.Fatalf("m0 %+v", p)
	}
	tot := c.Totals()
	if !tot.Losses.IsZero() || units(tot.FeesReserved) != 180 || !tot.FeesUnearned.IsZero() {
		t.Fatalf("totals %+v", tot)
	}
	solvent(t, c)
	if tot := c.Totals(); !tot.Cash.IsZero() {
		t.Fatalf("cash left %+v", tot)
	}
}

// Under LossFeeFirst the fee line bore the shortfall first, so a catch-up restores the
// members first: 820 wei restore their 410 each, then the fee line's 160.
func TestCatchUpRestoresMembersFirst(t *testing.T) {
	c := lossCircle(t, rosca.LossFeeFirst)
	ok(t, c.Contribute(at(3), "m0", wei(820)))
	for _, m := range []string{"m1", "m2"} {
		if p := pos(t, c, m); !p.Loss.IsZero() {
			t.Fatalf("%s %+v", m, p)
		}
	}
	if tot := c.Totals(); units(tot.FeesReserved) != 0 || units(tot.Losses) != 160 {
		t.Fatalf("totals %+v", tot)
	}
	ok(t, c.Contribute(at(3), "m0", wei(180)))
	if tot := c.Totals(); units(tot.FeesReserved) != 180 || !tot.Losses.IsZero() {
		t.Fatalf("totals %+v", tot)
	}
	solvent(t, c)
}

// Balance is the position's balance, and refuses a stranger.
func TestBalance(t *testing.T) {
	c := lossCircle(t, rosca.LossProRata)
	for _, p := range c.Positions() {
		if b, err := c.Balance(p.Member); err != nil || !b.Equal(p.Balance) {
			t.Fatalf("%s: Balance %s %v, position %s", p.Member, b, err, p.Balance)
		}
	}
	rejects(t, c, rosca.ErrNotMember, func() error { _, err := c.Balance("x"); return err })
}
