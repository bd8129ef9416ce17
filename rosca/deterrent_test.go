package rosca_test

import (
	"slices"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// defaultCircle is a fixed-order circle of three members paying 1,000 wei a round, fee 2%,
// m2 the foreperson, with the deterrents d: m0 takes round 1's pot (2,940 net), withdraws
// what it may (1,940) and pays nothing more, so that at the end it owes 1,000 and the
// others' claims bear the shortfall. Every member posts the collateral it owes first.
func defaultCircle(t *testing.T, d rosca.Deterrents) *rosca.Circle {
	t.Helper()
	cfg := weiCfg(rosca.FixedOrder, 3, 1000, 20)
	cfg.Foreperson = "m2"
	cfg.Rules.Deterrents = d
	c := mustNew(t, cfg)
	for _, m := range cfg.Members {
		if due, _, err := c.CollateralDue(m); err == nil && due.Sign() > 0 {
			ok(t, c.PostCollateral(at(0), m, due))
		}
	}
	contributeAll(t, c, at(0), wei(1000))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	if got := withdraw(t, c, at(1), "m0"); got != 1940 {
		t.Fatalf("m0 withdrew %d", got)
	}
	for r := 2; r <= 3; r++ {
		ok(t, c.Contribute(at(r-1), "m1", wei(1000)))
		ok(t, c.Contribute(at(r-1), "m2", wei(1000)))
		_, err := c.CloseRound(at(r))
		ok(t, err)
	}
	return c
}

// settle withdraws every positive balance, returns every member's collateral and the
// fees, then checks that the cash and the collateral held are zero.
func settle(t *testing.T, c *rosca.Circle, when time.Time) {
	t.Helper()
	solvent(t, c)
	for _, p := range c.Positions() {
		if p.Collateral.Sign() > 0 {
			_, err := c.ReturnCollateral(when, p.Member)
			ok(t, err)
		}
	}
	if tot := c.Totals(); tot.FeesReserved.Sign() > 0 {
		_, err := c.RetrieveFees(when, c.Config().Foreperson)
		ok(t, err)
	}
	audit(t, c)
	if tot := c.Totals(); !tot.Cash.IsZero() || !tot.Collateral.IsZero() {
		t.Fatalf("left after settling: %+v", tot)
	}
	replayed(t, c)
}

// replayed checks that the circle's log replays to the same circle.
func replayed(t *testing.T, c *rosca.Circle) {
	t.Helper()
	r, err := rosca.Replay(c.Config(), slices.Values(c.Events()))
	ok(t, err)
	unchanged(t, c.Snapshot(), r)
}

// A default covered by collateral: m0's 1,000 wei of collateral pays what it owes after
// the end, which restores the 980 written off the others' claims and the fee line's (the
// 20 left are the fee on the dues it had not paid, now earned); every member is then paid in full and the others take their collateral back.
func TestGoldenCollateralCoversDefault(t *testing.T) {
	c := defaultCircle(t, rosca.Deterrents{Collateral: rosca.Collateral{Form: rosca.CollateralFixed, Amount: wei(1000)}})
	if tot := c.Totals(); units(tot.Collateral) != 3000 || units(tot.Losses) != 980 {
		t.Fatalf("at the end %+v", tot)
	}
	rejects(t, c, rosca.ErrInDebt, func() error { _, err := c.ReturnCollateral(at(3), "m0"); return err })
	rejects(t, c, rosca.ErrNotInDefault, func() error { _, err := c.ApplyCollateral(at(3), "m1", "m1"); return err })
	got, err := c.ApplyCollateral(at(3), "m1", "m0")
	ok(t, err)
	if units(got) != 1000 {
		t.Fatalf("applied %s", got)
	}
	for _, m := range []string{"m1", "m2"} {
		if p := pos(t, c, m); !p.Loss.IsZero() || units(p.Collateral) != 1000 {
			t.Fatalf("%s after the collateral: %+v", m, p)
		}
	}
	if p := pos(t, c, "m0"); units(p.Balance) != 0 || !p.Collateral.IsZero() {
		t.Fatalf("m0 %+v", p)
	}
	rejects(t, c, rosca.ErrNoCollateral, func() error { _, err := c.ReturnCollateral(at(3), "m0"); return err })
	tot := c.Totals()
	if units(tot.CollateralApplied) != 1000 || units(tot.CollateralPosted) != 3000 || !tot.Losses.IsZero() {
		t.Fatalf("totals %+v", tot)
	}
	settle(t, c, at(3))
	if tot := c.Totals(); units(tot.CollateralReturned) != 2000 {
		t.Fatalf("returned %+v", tot)
	}
}

// Collateral is required before a member is in good standing, and never more is taken
// than the rule asks; by seat it is C x (2n - 1 - i).
func TestCollateralRules(t *testing.T) {
	cfg := weiCfg(rosca.Lottery, 3, 1000, 20)
	cfg.Rules.Deterrents.Collateral = rosca.Collateral{Form: rosca.CollateralBySeat}
	c := mustNew(t, cfg)
	for i, want := range []int64{5000, 4000, 3000} {
		due, held, err := c.CollateralDue(token.Account("m" + string(rune('0'+i))))
		ok(t, err)
		if units(due) != want || !held.IsZero() {
			t.Fatalf("seat %d: due %s, held %s", i, due, held)
		}
	}
	ok(t, c.Contribute(at(0), "m1", wei(1000)))
	if p := pos(t, c, "m1"); p.GoodStanding {
		t.Fatalf("m1 in good standing without collateral: %+v", p)
	}
	rejects(t, c, rosca.ErrInvalidAmount, func() error { return c.PostCollateral(at(0), "m1", wei(4001)) })
	ok(t, c.PostCollateral(at(0), "m1", wei(4000)))
	rejects(t, c, rosca.ErrNothingToPay, func() error { return c.PostCollateral(at(0), "m1", wei(1)) })
	if p := pos(t, c, "m1"); !p.GoodStanding || units(p.Collateral) != 4000 || units(p.CollateralDue) != 4000 {
		t.Fatalf("m1 with collateral: %+v", p)
	}
	// The lottery passes over the members without collateral: m1 wins.
	r, err := c.CloseRound(at(1))
	ok(t, err)
	if r.Winner != "m1" || r.Debt {
		t.Fatalf("round 1: %+v", r)
	}
	audit(t, c)

	bad := weiCfg(rosca.Lottery, 3, 1000, 20)
	bad.Rules.Deterrents.Collateral = rosca.Collateral{Form: rosca.CollateralFixed}
	if _, err := rosca.New(bad); err == nil {
		t.Fatal("fixed collateral without an amount accepted")
	}
	bad.Rules.Deterrents.Collateral = rosca.Collateral{Form: "deposit"}
	if _, err := rosca.New(bad); err == nil {
		t.Fatal("unknown collateral form accepted")
	}
}

// A default covered by a guarantor: g pledges 600 wei for m0 and pays them after the end;
// its payment counts for m0 and restores 600 of the 980 written off, pro rata; the
// guarantor's claim on m0 is recorded as its pledge's Paid.
func TestGoldenGuarantorCoversDefault(t *testing.T) {
	c := defaultCircle(t, rosca.Deterrents{})
	rejects(t, c, rosca.ErrUnknownGuarantor, func() error { return c.PayAsGuarantor(at(3), "g", "m0", wei(1)) })
	rejects(t, c, rosca.ErrUnknownGuarantor, func() error { return c.Pledge(at(3), "m0", "m0", wei(600)) })
	ok(t, c.Pledge(at(3), "g", "m0", wei(600)))
	rejects(t, c, rosca.ErrDuplicate, func() error { return c.Pledge(at(3), "g", "m0", wei(100)) })
	rejects(t, c, rosca.ErrPledgeExceeded, func() error { return c.PayAsGuarantor(at(3), "g", "m0", wei(601)) })
	ok(t, c.Pledge(at(3), "h", "m1", wei(5)))
	rejects(t, c, rosca.ErrNothingToPay, func() error { return c.PayAsGuarantor(at(3), "h", "m1", wei(5)) })
	ok(t, c.PayAsGuarantor(at(3), "g", "m0", wei(600)))
	ps, err := c.Pledges("m0")
	ok(t, err)
	if len(ps) != 1 || ps[0].Guarantor != "g" || units(ps[0].Paid) != 600 || units(ps[0].Limit) != 600 {
		t.Fatalf("pledges %+v", ps)
	}
	if p := pos(t, c, "m0"); units(p.Balance) != -400 {
		t.Fatalf("m0 %+v", p)
	}
	tot := c.Totals()
	if units(tot.GuarantorPayments) != 600 || units(tot.Losses) != 380 {
		t.Fatalf("totals %+v", tot)
	}
	st, err := c.Statement("m0")
	ok(t, err)
	if l := st.Lines[len(st.Lines)-1]; l.Kind != rosca.LineGuarantorPaid || units(l.Amount) != 600 {
		t.Fatalf("m0's last line %+v", l)
	}
	solvent(t, c)
	replayed(t, c)
}

// A recovery paying a bounty: the foreperson posts a 10% bounty on m0's debt; an agent
// recovers 1,000 wei from m0 and is paid 100; m0 is credited 900 and still owes 100 (the
// bounty is a cost of the recovery it bears), and the 900 restore the claims written off.
func TestGoldenRecoveryPaysBounty(t *testing.T) {
	c := defaultCircle(t, rosca.Deterrents{Bounty: rosca.Bounty{Share: token.MustRatio(1, 10)}})
	rejects(t, c, rosca.ErrNoBounty, func() error { _, err := c.Recover(at(3), "agent", "m0", wei(1000)); return err })
	rejects(t, c, rosca.ErrNotForeperson, func() error { return c.PostBounty(at(3), "m1", "m0") })
	rejects(t, c, rosca.ErrNotInDefault, func() error { return c.PostBounty(at(3), "m2", "m1") })
	ok(t, c.PostBounty(at(3), "m2", "m0"))
	rejects(t, c, rosca.ErrDuplicate, func() error { return c.PostBounty(at(3), "m2", "m0") })
	rejects(t, c, rosca.ErrInvalidAmount, func() error { _, err := c.Recover(at(3), "agent", "m0", wei(0)); return err })
	rejects(t, c, rosca.ErrInvalidAmount, func() error { _, err := c.Recover(at(3), "agent", "m0", wei(1001)); return err })
	b, err := c.Recover(at(3), "agent", "m0", wei(1000))
	ok(t, err)
	if units(b) != 100 {
		t.Fatalf("bounty %s", b)
	}
	if p := pos(t, c, "m0"); units(p.Balance) != -100 || !p.Bounty {
		t.Fatalf("m0 %+v", p)
	}
	tot := c.Totals()
	if units(tot.Recovered) != 1000 || units(tot.Bounties) != 100 || units(tot.Losses) != 80 {
		t.Fatalf("totals %+v", tot)
	}
	ev := c.Events()
	if e := ev[len(ev)-1]; e.Kind != rosca.EventRecovered || e.Party != "agent" || units(e.Bounty) != 100 || units(e.Amount) != 1000 {
		t.Fatalf("event %+v", e)
	}
	// A forged bounty does not replay.
	ev[len(ev)-1].Bounty = wei(99)
	if _, err := rosca.Replay(c.Config(), slices.Values(ev)); err == nil {
		t.Fatal("a log with a forged bounty replayed")
	}
	solvent(t, c)
	replayed(t, c)
}

// A fixed bounty from the fee reserve: the reserve pays it (at most what it holds) and the
// defaulter is credited the whole recovery.
func TestRecoveryBountyFromFees(t *testing.T) {
	c := defaultCircle(t, rosca.Deterrents{Bounty: rosca.Bounty{Fixed: wei(50), Pool: rosca.BountyFromFees}})
	ok(t, c.PostBounty(at(3), "m2", "m0"))
	before := c.Totals().FeesReserved
	b, err := c.Recover(at(3), "agent", "m0", wei(1000))
	ok(t, err)
	if units(b) != 50 {
		t.Fatalf("bounty %s", b)
	}
	if p := pos(t, c, "m0"); units(p.Balance) != 0 {
		t.Fatalf("m0 %+v", p)
	}
	tot := c.Totals()
	if units(tot.FeeBounties) != 50 || units(tot.FeesReserved) > units(before)+1000 {
		t.Fatalf("totals %+v (reserve before %s)", tot, before)
	}
	solvent(t, c)
	replayed(t, c)
}

// A substitution mid-epoch: m1, non-prized, leaves after round 1; n1 takes its seat,
// paying in its 1,000 wei, of which m1 is refunded 950 and the foreperson keeps 50 (a 5%
// deduction). n1 wins round 2 in m1's place. The events before the substitution name m1,
// those after n1, and the log replays.
func TestGoldenSubstitutionMidEpoch(t *testing.T) {
	cfg := weiCfg(rosca.FixedOrder, 3, 1000, 20)
	cfg.Foreperson = "m2"
	cfg.Rules.Deterrents.Deduction = token.MustRatio(5, 100)
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	rejects(t, c, rosca.ErrNotForeperson, func() error { _, err := c.Substitute(at(1), "m1", "m1", "n1", wei(0)); return err })
	rejects(t, c, rosca.ErrAlreadyWon, func() error { _, err := c.Substitute(at(1), "m2", "m0", "n1", wei(0)); return err })
	rejects(t, c, rosca.ErrAlreadyMember, func() error { _, err := c.Substitute(at(1), "m2", "m1", "m0", wei(0)); return err })
	refund, err := c.Substitute(at(1), "m2", "m1", "n1", wei(0))
	ok(t, err)
	if units(refund) != 950 {
		t.Fatalf("refund %s", refund)
	}
	if _, err := c.Position("m1"); err == nil {
		t.Fatal("m1 still a member")
	}
	if p := pos(t, c, "n1"); p.Seat != 1 || units(p.Contributed) != 1000 {
		t.Fatalf("n1 %+v", p)
	}
	ok(t, c.Contribute(at(1), "n1", wei(1000)))
	ok(t, c.Contribute(at(1), "m0", wei(1000)))
	ok(t, c.Contribute(at(1), "m2", wei(1000)))
	r, err := c.CloseRound(at(2))
	ok(t, err)
	if r.Winner != "n1" {
		t.Fatalf("round 2 won by %s", r.Winner)
	}
	rounds := c.Rounds()
	if rounds[0].Winner != "m0" {
		t.Fatalf("round 1 %+v", rounds[0])
	}
	ev := c.Events()
	if ev[1].Member != "m1" || ev[len(ev)-1].Kind != rosca.EventRoundClosed {
		t.Fatalf("events %+v", ev[:2])
	}
	var sub rosca.Event
	for _, e := range ev {
		if e.Kind == rosca.EventMemberSubstituted {
			sub = e
		}
	}
	if sub.Member != "m1" || sub.Party != "n1" || units(sub.Amount) != 950 || units(sub.Deduction) != 50 {
		t.Fatalf("substitution event %+v", sub)
	}
	if tot := c.Totals(); units(tot.Deductions) != 50 {
		t.Fatalf("totals %+v", tot)
	}
	st, err := c.Statement("m2")
	ok(t, err)
	if !slices.ContainsFunc(st.Lines, func(l rosca.StatementLine) bool { return l.Kind == rosca.LineDeduction && units(l.Amount) == 50 }) {
		t.Fatalf("the foreperson's statement has no deduction: %+v", st.Lines)
	}
	audit(t, c)
	replayed(t, c)
}

// A seat passed by agreement carries its whole position; the settlement is recorded, and
// a prized seat asks the incoming member the security for its future dues.
func TestTransferSeat(t *testing.T) {
	cfg := weiCfg(rosca.FixedOrder, 3, 1000, 20)
	cfg.Foreperson = "m2"
	cfg.Rules.Deterrents.Collateral = rosca.Collateral{Form: rosca.CollateralSecurity}
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	before := pos(t, c, "m0")
	// m0 is prized with two rounds to come: security floor(4 x 2000 / 3) + 1 = 2667.
	rejects(t, c, rosca.ErrInsufficientSecurity, func() error { return c.TransferSeat(at(1), "m0", "x", wei(500), wei(2666)) })
	rejects(t, c, rosca.ErrInvalidAmount, func() error { return c.TransferSeat(at(1), "m0", "x", wei(500), wei(2668)) })
	rejects(t, c, rosca.ErrDeterrentOff, func() error { return c.TransferSeat(at(1), "m2", "x", wei(0), wei(0)) })
	ok(t, c.TransferSeat(at(1), "m0", "x", wei(500), wei(2667)))
	after := pos(t, c, "x")
	if !after.Balance.Equal(before.Balance) || after.Wins != 1 || units(after.Collateral) != 2667 {
		t.Fatalf("before %+v after %+v", before, after)
	}
	if r := c.Rounds()[0]; r.Winner != "m0" {
		t.Fatalf("round 1 won by %s", r.Winner)
	}
	audit(t, c)
	replayed(t, c)
}

// A removal and a reinstatement: m1 misses round 1 and is removed at round 2 with a notice
// of two periods; it pays its arrears within it and is reinstated. m2 is removed too, its
// notice runs out, and only then may the foreperson substitute another member for it.
func TestGoldenRemovalAndReinstatement(t *testing.T) {
	cfg := weiCfg(rosca.Lottery, 4, 1000, 20)
	cfg.Foreperson = "m3"
	cfg.Rules.Deterrents.RemoveAfter = 1
	cfg.Rules.Deterrents.Notice = rosca.Duration(2 * hour)
	c := mustNew(t, cfg)
	ok(t, c.Contribute(at(0), "m0", wei(1000)))
	ok(t, c.Contribute(at(0), "m3", wei(1000)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	rejects(t, c, rosca.ErrNotForeperson, func() error { return c.Remove(at(1), "m0", "m1") })
	rejects(t, c, rosca.ErrDeterrentOff, func() error { return c.Remove(at(1), "m3", "m3") })
	ok(t, c.Remove(at(1), "m3", "m1"))
	ok(t, c.Remove(at(1), "m3", "m2"))
	rejects(t, c, rosca.ErrDuplicate, func() error { return c.Remove(at(1), "m3", "m1") })
	if p := pos(t, c, "m1"); !p.Removed || p.GoodStanding {
		t.Fatalf("m1 removed %+v", p)
	}
	// m1 pays its 2,000 wei within the notice: reinstated.
	ok(t, c.Contribute(at(2), "m1", wei(2000)))
	if p := pos(t, c, "m1"); p.Removed || !p.GoodStanding {
		t.Fatalf("m1 reinstated %+v", p)
	}
	rejects(t, c, rosca.ErrNotInDefault, func() error { return c.Remove(at(2), "m3", "m1") })
	rejects(t, c, rosca.ErrInNotice, func() error { _, err := c.Substitute(at(2), "m3", "m2", "n2", wei(0)); return err })
	// m2 pays after the notice: it stays removed, and is substituted.
	ok(t, c.Contribute(at(3, time.Second), "m2", wei(2000)))
	if p := pos(t, c, "m2"); !p.Removed {
		t.Fatalf("m2 reinstated after its notice %+v", p)
	}
	refund, err := c.Substitute(at(3, time.Second), "m3", "m2", "n2", wei(0))
	ok(t, err)
	if units(refund) != 2000 {
		t.Fatalf("refund %s", refund)
	}
	if p := pos(t, c, "n2"); p.Removed || !p.GoodStanding {
		t.Fatalf("n2 %+v", p)
	}
	audit(t, c)
	replayed(t, c)
}

// An acceleration: m0, prized in round 1 of four, withdraws its prize and stops paying;
// at round 3 the foreperson demands its future dues at once (1,000 wei brought forward:
// it owes 2,000), its collateral pays them, and the circle ends with every claim paid.
func TestGoldenAcceleration(t *testing.T) {
	cfg := weiCfg(rosca.FixedOrder, 4, 1000, 20)
	cfg.Foreperson = "m3"
	cfg.Rules.Deterrents = rosca.Deterrents{Accelerate: true, Collateral: rosca.Collateral{Form: rosca.CollateralFixed, Amount: wei(2000)}}
	c := mustNew(t, cfg)
	for _, m := range cfg.Members {
		ok(t, c.PostCollateral(at(0), m, wei(2000)))
	}
	contributeAll(t, c, at(0), wei(1000))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	if got := withdraw(t, c, at(1), "m0"); got != 2920 {
		t.Fatalf("m0 withdrew %d", got)
	}
	rejects(t, c, rosca.ErrNotInDefault, func() error { _, err := c.Accelerate(at(1), "m3", "m0"); return err })
	rejects(t, c, rosca.ErrNotPrized, func() error { _, err := c.Accelerate(at(1), "m3", "m1"); return err })
	for _, m := range []string{"m1", "m2", "m3"} {
		ok(t, c.Contribute(at(1), token.Account(m), wei(1000)))
	}
	_, err = c.CloseRound(at(2))
	ok(t, err)
	rejects(t, c, rosca.ErrNotInDefault, func() error { _, err := c.ApplyCollateral(at(2), "m1", "m0"); return err })
	brought, err := c.Accelerate(at(2), "m3", "m0")
	ok(t, err)
	if units(brought) != 1000 {
		t.Fatalf("brought forward %s", brought)
	}
	if p := pos(t, c, "m0"); units(p.Balance) != -2000 || units(p.Due) != 4000 || !p.Accelerated {
		t.Fatalf("m0 accelerated %+v", p)
	}
	if tot := c.Totals(); units(tot.AcceleratedDues) != 1000 {
		t.Fatalf("totals %+v", tot)
	}
	audit(t, c)
	got, err := c.ApplyCollateral(at(2), "m3", "m0")
	ok(t, err)
	if units(got) != 2000 {
		t.Fatalf("applied %s", got)
	}
	for r := 3; r <= 4; r++ {
		for _, m := range []string{"m1", "m2", "m3"} {
			ok(t, c.Contribute(at(r-1), token.Account(m), wei(1000)))
		}
		_, err := c.CloseRound(at(r))
		ok(t, err)
		audit(t, c)
	}
	if tot := c.Totals(); !tot.Losses.IsZero() || !tot.Shortfall.IsZero() {
		t.Fatalf("at the end %+v", tot)
	}
	st, err := c.Statement("m0")
	ok(t, err)
	if !slices.ContainsFunc(st.Lines, func(l rosca.StatementLine) bool {
		return l.Kind == rosca.LineDueAccelerated && units(l.Amount) == -1000
	}) {
		t.Fatalf("m0's statement has no acceleration: %+v", st.Lines)
	}
	settle(t, c, at(4))
}

// Late fees: m1 misses round 1 and is charged 10% of its 1,000 wei of arrears at the
// close, and a strike; it is not in good standing until it pays them. Its payment pays
// the fee first, credited then to the recipient: the foreperson, or the other members
// (50 wei each).
func TestGoldenLateFee(t *testing.T) {
	for _, to := range []rosca.LateFeeTo{rosca.LateFeeToForeperson, rosca.LateFeeToMembers} {
		cfg := weiCfg(rosca.Lottery, 3, 1000, 0)
		cfg.Foreperson = "m2"
		cfg.Rules.Deterrents.LateFee = rosca.LateFee{Rate: token.MustRatio(1, 10), To: to}
		c := mustNew(t, cfg)
		ok(t, c.Contribute(at(0), "m0", wei(1000)))
		ok(t, c.Contribute(at(0), "m2", wei(1000)))
		r, err := c.CloseRound(at(1))
		ok(t, err)
		if len(r.LateFees) != 1 || r.LateFees[0].Account != "m1" || units(r.LateFees[0].Arrears) != 1000 || units(r.LateFees[0].Fee) != 100 {
			t.Fatalf("%s: round 1 late fees %+v", to, r.LateFees)
		}
		p := pos(t, c, "m1")
		if units(p.LateFees) != 100 || units(p.LateFeesOwed) != 100 || p.Strikes != 1 || units(p.Balance) != -2100 {
			t.Fatalf("%s: m1 %+v", to, p)
		}
		ok(t, c.Contribute(at(1), "m1", wei(2000)))
		if p := pos(t, c, "m1"); p.GoodStanding || units(p.LateFees) != 100 || !p.LateFeesOwed.IsZero() || units(p.Balance) != -100 {
			t.Fatalf("%s: m1 after 2,000 %+v", to, p)
		}
		want := map[token.Account]int64{"m2": 100}
		if to == rosca.LateFeeToMembers {
			want = map[token.Account]int64{"m0": 50, "m2": 50}
		}
		for m, got := range want {
			st, err := c.Statement(m)
			ok(t, err)
			l := st.Lines[len(st.Lines)-1]
			if l.Kind != rosca.LineLateFeeReceived || units(l.Amount) != got {
				t.Fatalf("%s: %s's last line %+v", to, m, l)
			}
		}
		st, err := c.Statement("m1")
		ok(t, err)
		if !slices.ContainsFunc(st.Lines, func(l rosca.StatementLine) bool { return l.Kind == rosca.LineLateFee && units(l.Amount) == -100 }) {
			t.Fatalf("%s: m1's statement has no late fee: %+v", to, st.Lines)
		}
		if tot := c.Totals(); units(tot.LateFeesCharged) != 100 || units(tot.LateFeesPaid) != 100 {
			t.Fatalf("%s: totals %+v", to, tot)
		}
		ok(t, c.Contribute(at(1), "m1", wei(100)))
		if p := pos(t, c, "m1"); !p.GoodStanding {
			t.Fatalf("%s: m1 paid up %+v", to, p)
		}
		audit(t, c)
		replayed(t, c)
	}
}

// A grace of one round charges only arrears older than the open round before it; a flat
// fee is charged whatever the arrears.
func TestLateFeeGraceAndFlat(t *testing.T) {
	cfg := weiCfg(rosca.Lottery, 3, 1000, 0)
	cfg.Rules.Deterrents.LateFee = rosca.LateFee{Flat: wei(7), Grace: 1}
	c := mustNew(t, cfg)
	ok(t, c.Contribute(at(0), "m0", wei(1000)))
	ok(t, c.Contribute(at(0), "m2", wei(1000)))
	r, err := c.CloseRound(at(1))
	ok(t, err)
	if len(r.LateFees) != 0 {
		t.Fatalf("round 1 late fees within the grace %+v", r.LateFees)
	}
	ok(t, c.Contribute(at(1), "m1", wei(500)))
	r, err = c.CloseRound(at(2))
	ok(t, err)
	if len(r.LateFees) == 0 || r.LateFees[0].Account != "m1" || units(r.LateFees[0].Arrears) != 500 || units(r.LateFees[0].Fee) != 7 {
		t.Fatalf("round 2 late fees %+v", r.LateFees)
	}
	audit(t, c)
	replayed(t, c)
	bad := weiCfg(rosca.Lottery, 3, 1000, 0)
	bad.Rules.Deterrents.LateFee = rosca.LateFee{Grace: 1}
	if _, err := rosca.New(bad); err == nil {
		t.Fatal("a grace without a fee accepted")
	}
}

// A late fee its debtor's own credit covers is paid without a payment: the last round's
// winner misses that round, wins its pot in debt and is charged 10% of its 1,000 wei of
// arrears; at the end the pot it held is its own again, its balance covers the fee, and
// the fee is credited to the foreperson as a payment's would be.
func TestGoldenLateFeeCoveredByCredit(t *testing.T) {
	cfg := weiCfg(rosca.Lottery, 3, 1000, 0)
	cfg.Foreperson = "m2" // under this seed another member wins the last round
	cfg.Rules.Deterrents.LateFee = rosca.LateFee{Rate: token.MustRatio(1, 10)}
	c := mustNew(t, cfg)
	won := map[token.Account]bool{}
	for r := 1; r <= 2; r++ {
		for _, m := range cfg.Members {
			ok(t, c.Contribute(at(r-1), m, wei(1000)))
		}
		res, err := c.CloseRound(at(r))
		ok(t, err)
		won[res.Winner] = true
	}
	var last token.Account
	for _, m := range cfg.Members {
		if !won[m] {
			last = m
			continue
		}
		ok(t, c.Contribute(at(2), m, wei(1000)))
	}
	if last == cfg.Foreperson {
		t.Fatal("the seed makes the foreperson the last winner: the foreperson is charged no fee")
	}
	res, err := c.CloseRound(at(3))
	ok(t, err)
	if res.Winner != last || !res.Debt || len(res.LateFees) != 1 || units(res.LateFees[0].Fee) != 100 {
		t.Fatalf("round 3 %+v", res)
	}
	p := pos(t, c, string(last))
	if units(p.LateFees) != 100 || !p.LateFeesOwed.IsZero() || units(p.Balance) != 1900 {
		t.Fatalf("%s at the end %+v", last, p)
	}
	if tot := c.Totals(); units(tot.LateFeesCharged) != 100 || units(tot.LateFeesPaid) != 100 {
		t.Fatalf("totals %+v", tot)
	}
	st, err := c.Statement(cfg.Foreperson)
	ok(t, err)
	if !slices.ContainsFunc(st.Lines, func(l rosca.StatementLine) bool { return l.Kind == rosca.LineLateFeeReceived && units(l.Amount) == 100 }) {
		t.Fatalf("the foreperson's statement has no late fee received: %+v", st.Lines)
	}
	if fp := pos(t, c, string(cfg.Foreperson)); !st.Totals.Balance.Equal(fp.Balance) {
		t.Fatalf("statement balance %s, position %s", st.Totals.Balance, fp.Balance)
	}
	audit(t, c)
	replayed(t, c)
	settle(t, c, at(4))
}
