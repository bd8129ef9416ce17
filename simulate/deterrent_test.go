package simulate_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

// five returns the deterrents' golden scenario: five members paying $10 an hour, in seat
// order and without fees, all on time but seat stop, which stops paying from round from
// (seat 1, winning in round 2, takes its pot and stops from round 3); the rules have the
// deterrents d and the group enforces as e.
func five(stop, from int, d rosca.Deterrents, e simulate.Enforcer) simulate.Scenario {
	ms := simulate.Seats(5, simulate.Member{})
	ms[stop].Payer = simulate.Stop{From: from}
	rules := rosca.WeTrustRules()
	rules.Deterrents = d
	return simulate.Scenario{Name: "five", Members: ms, Circles: 1, Seed: 1, Enforcer: e,
		Circle: rosca.Config{Asset: usd(), Kind: rosca.FixedOrder, Contribution: usd().MustParse("10"),
			Period: time.Hour, Rules: rules}}
}

// amounts checks the named amounts of a record against their text.
func amounts(t *testing.T, who string, got map[string]token.Amount, want map[string]string) {
	t.Helper()
	for k, w := range want {
		if g := got[k].String(); g != w {
			t.Errorf("%s: %s %s, want %s", who, k, g, w)
		}
	}
}

// member returns the amounts of a member record by name.
func member(m simulate.MemberRecord) map[string]token.Amount {
	return map[string]token.Amount{"contributed": m.Contributed, "withdrawn": m.Withdrawn, "net": m.Net,
		"unpaid": m.Unpaid, "owed": m.Owed, "posted": m.CollateralPosted, "applied": m.CollateralApplied,
		"returned": m.CollateralReturned, "guarantor": m.GuarantorPaid, "recovered": m.Recovered, "bounty": m.Bounty,
		"late fees": m.LateFees, "late fees paid": m.LateFeesPaid, "written off": m.WrittenOff, "refund": m.Refund,
		"deduction": m.Deduction}
}

// noLosses checks that no member of ms was left unpaid or ended owing.
func noLosses(t *testing.T, c simulate.CircleRecord, ms []simulate.MemberRecord) {
	t.Helper()
	if !c.Losses.IsZero() || c.Defaulters != 0 {
		t.Errorf("losses %s, defaulters %d", c.Losses, c.Defaulters)
	}
	for _, m := range ms {
		if !m.Unpaid.IsZero() || !m.Owed.IsZero() {
			t.Errorf("%s: unpaid %s, owed %s", m.Member, m.Unpaid, m.Owed)
		}
	}
}

// Seat 1 takes the pot of round 2 and pays nothing more: the last seat loses the $20 it
// never paid. With the collateral by seat posted as the circle starts (C x (2n - 1 - i):
// $80 from seat 1) and applied after the end, every creditor is whole, and the defaulter's
// net is an on-time member's: nothing gained.
func TestCollateralBySeatMakesCreditorsWhole(t *testing.T) {
	d := rosca.Deterrents{Collateral: rosca.Collateral{Form: rosca.CollateralBySeat}}
	c, ms := one(t, five(1, 3, d, nil))
	amounts(t, "tolerated m1", member(ms[1]), map[string]string{"net": "20.00 USD", "owed": "20.00 USD", "posted": "0.00 USD"})
	amounts(t, "tolerated m4", member(ms[4]), map[string]string{"net": "-20.00 USD", "unpaid": "20.00 USD", "written off": "20.00 USD"})
	if c.Defaulters != 1 || c.Losses.String() != "20.00 USD" {
		t.Errorf("tolerated: %s", c.AppendJSON(nil))
	}
	c, ms = one(t, five(1, 3, d, simulate.Enforcers{simulate.Collateral{}, simulate.Recover{}}))
	noLosses(t, c, ms)
	amounts(t, "m1", member(ms[1]), map[string]string{"contributed": "20.00 USD", "withdrawn": "40.00 USD",
		"posted": "80.00 USD", "applied": "20.00 USD", "returned": "60.00 USD", "net": "0.00 USD"})
	amounts(t, "m4", member(ms[4]), map[string]string{"posted": "50.00 USD", "returned": "50.00 USD", "net": "0.00 USD",
		"written off": "20.00 USD", "unpaid": "0.00 USD"})
	amounts(t, "circle", map[string]token.Amount{"posted": c.CollateralPosted, "applied": c.CollateralApplied,
		"returned": c.CollateralReturned, "held": c.CollateralHeld}, map[string]string{"posted": "350.00 USD",
		"applied": "20.00 USD", "returned": "330.00 USD", "held": "0.00 USD"})
	// Members who skip posting it hold none, and are not made whole from it.
	c, ms = one(t, five(1, 3, d, simulate.Enforcers{simulate.Collateral{Skip: token.One()}, simulate.Recover{}}))
	if !c.CollateralPosted.IsZero() || c.Losses.String() != "20.00 USD" || !ms[1].CollateralApplied.IsZero() {
		t.Errorf("nobody posts: %s", c.AppendJSON(nil))
	}
}

// A guarantor pays the defaulter's dues after a round behind: the creditors are whole, and
// the defaulter keeps its gain, the guarantor's money (no flow of its own). A guarantor who
// fails pays nothing; one whose pledge is smaller pays no more than it.
func TestGuarantorsPay(t *testing.T) {
	c, ms := one(t, five(1, 3, rosca.Deterrents{}, simulate.Guarantors{}))
	noLosses(t, c, ms)
	amounts(t, "m1", member(ms[1]), map[string]string{"guarantor": "20.00 USD", "net": "20.00 USD", "contributed": "20.00 USD"})
	if c.GuarantorPayments.String() != "20.00 USD" || ms[1].Late != 1 {
		t.Errorf("guarantors: %s; m1 late %d", c.AppendJSON(nil), ms[1].Late)
	}
	c, _ = one(t, five(1, 3, rosca.Deterrents{}, simulate.Guarantors{Fail: token.One()}))
	if !c.GuarantorPayments.IsZero() || c.Losses.String() != "20.00 USD" {
		t.Errorf("failing guarantors: %s", c.AppendJSON(nil))
	}
	c, ms = one(t, five(1, 3, rosca.Deterrents{}, simulate.Guarantors{Limit: usd().MustParse("15")}))
	if c.GuarantorPayments.String() != "15.00 USD" || ms[1].Owed.String() != "5.00 USD" || c.Losses.String() != "5.00 USD" {
		t.Errorf("a pledge of 15: %s; m1 owes %s", c.AppendJSON(nil), ms[1].Owed)
	}
}

// The last seat pays round 1 only: the foreperson removes it after round 2 (a round's
// contribution in arrears beyond the open round's), its notice of an hour runs to the
// close of round 3, and after round 4 a fresh member, m4~1, takes the seat over: it pays
// in the $10 the leaving member paid, of which the circle refunds $9 and keeps $1 for the
// foreperson, then pays the seat's arrears and wins its pot. Nobody loses.
func TestReplaceRemovesAndSubstitutes(t *testing.T) {
	d := rosca.Deterrents{RemoveAfter: 1, Notice: rosca.Duration(time.Hour), Deduction: token.MustRatio(1, 10)}
	c, ms := one(t, five(4, 2, d, simulate.Replace{}))
	noLosses(t, c, ms)
	m := ms[4]
	if m.Member != "m4~1" || m.Left != "m4" || m.Removed != 2 || m.Substituted != 4 || m.Won != 5 {
		t.Errorf("seat 4: %s", m.AppendJSON(nil))
	}
	amounts(t, "seat 4", member(m), map[string]string{"refund": "9.00 USD", "deduction": "1.00 USD",
		"contributed": "50.00 USD", "withdrawn": "50.00 USD", "net": "-1.00 USD"})
	amounts(t, "m0", member(ms[0]), map[string]string{"net": "1.00 USD"}) // the foreperson, credited the deduction
	if c.Removals != 1 || c.Substitutions != 1 || c.Deductions.String() != "1.00 USD" {
		t.Errorf("circle: %s", c.AppendJSON(nil))
	}
	// Without removal in the rules, Replace does nothing (and the pot of round 5 pays
	// the seat's arrears).
	c, ms = one(t, five(4, 2, rosca.Deterrents{}, simulate.Replace{}))
	if c.Removals != 0 || c.Substitutions != 0 || ms[4].Member != "m4" || ms[4].Late != 4 {
		t.Errorf("no removal rule: %s", c.AppendJSON(nil))
	}
}

// After the end a collector recovers the defaulter's $20 for a bounty of 10%, paid out of
// the recovered funds: the defaulter still owes the $2 bounty, and the last seat is short
// of it alone. A recovery that fails recovers nothing.
func TestRecoverWithBounty(t *testing.T) {
	d := rosca.Deterrents{Bounty: rosca.Bounty{Share: token.MustRatio(1, 10)}}
	c, ms := one(t, five(1, 3, d, simulate.Recover{}))
	amounts(t, "m1", member(ms[1]), map[string]string{"recovered": "20.00 USD", "bounty": "2.00 USD",
		"owed": "2.00 USD", "net": "0.00 USD"})
	amounts(t, "m4", member(ms[4]), map[string]string{"unpaid": "2.00 USD", "written off": "20.00 USD"})
	if c.Recovered.String() != "20.00 USD" || c.Bounties.String() != "2.00 USD" || !c.FeeBounties.IsZero() {
		t.Errorf("circle: %s", c.AppendJSON(nil))
	}
	c, _ = one(t, five(1, 3, d, simulate.Recover{Fail: token.One()}))
	if !c.Recovered.IsZero() || c.Losses.String() != "20.00 USD" {
		t.Errorf("failed recovery: %s", c.AppendJSON(nil))
	}
}

// The prized defaulter falls behind in round 4 (its pot covered round 3): its dues are
// accelerated and its collateral applied to them before the end, so the circle never
// runs short.
func TestAccelerateThenApplyCollateral(t *testing.T) {
	d := rosca.Deterrents{Collateral: rosca.Collateral{Form: rosca.CollateralBySeat}, Accelerate: true}
	c, ms := one(t, five(1, 3, d, simulate.Enforcers{simulate.Collateral{}, simulate.Accelerate{}}))
	noLosses(t, c, ms)
	if ms[1].Accelerated != 4 || c.Accelerations != 1 || !ms[4].WrittenOff.IsZero() {
		t.Errorf("m1: %s\nm4: %s", ms[1].AppendJSON(nil), ms[4].AppendJSON(nil))
	}
	amounts(t, "m1", member(ms[1]), map[string]string{"applied": "20.00 USD", "net": "0.00 USD"})
	// Rules without acceleration: nothing is accelerated, and the collateral stays
	// held for the defaulter, who owes.
	d.Accelerate = false
	c, ms = one(t, five(1, 3, d, simulate.Enforcers{simulate.Collateral{}, simulate.Accelerate{}}))
	if ms[1].Accelerated != 0 || c.CollateralHeld.String() != "80.00 USD" || ms[1].Owed.String() != "20.00 USD" {
		t.Errorf("no acceleration rule: %s", c.AppendJSON(nil))
	}
}

// Late fees are the circle's: a member who pays everything it owes pays them with its
// arrears, so that a late member, who catches up a round later, has paid every fee but the
// one charged at the last close, if any (at most $1 + 10% of one round's $10), with the
// built-in strategies and with the user's.
func TestLateFeesArePaidWithArrears(t *testing.T) {
	ms := simulate.Seats(5, simulate.Member{Payer: simulate.Late{Rounds: 1, Probability: token.MustRatio(1, 2)}})
	rules := rosca.WeTrustRules()
	rules.Deterrents.LateFee = rosca.LateFee{Flat: usd().MustParse("1"), Rate: token.MustRatio(1, 10)}
	sc := simulate.Scenario{Members: ms, Circles: 20, Seed: 4, Circle: rosca.Config{Asset: usd(), Kind: rosca.Lottery,
		Contribution: usd().MustParse("10"), Rules: rules}}
	user := sc
	user.Members = append([]simulate.Member(nil), ms...)
	for i := range user.Members {
		user.Members[i].Payer = simulate.PayerFunc(ms[i].Payer.Pay)
	}
	charged, paid := 0, 0
	last := usd().MustParse("2")
	for run := range sc.Circles {
		for _, s := range []simulate.Scenario{sc, user} {
			c, recs, err := simulate.RunOne(s, run)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range recs {
				if m.LateFees.IsPositive() {
					charged++
				}
				if m.LateFeesPaid.IsPositive() {
					paid++
				}
				if left, _ := m.LateFees.Sub(m.LateFeesPaid); left.Cmp(last) > 0 {
					t.Errorf("run %d %s: late fees %s, paid %s, owes %s", run, m.Member, m.LateFees, m.LateFeesPaid, m.Owed)
				}
			}
			if c.LateFeesCharged.Cmp(c.LateFeesPaid) < 0 {
				t.Errorf("run %d: charged %s, paid %s", run, c.LateFeesCharged, c.LateFeesPaid)
			}
		}
	}
	if charged == 0 || paid == 0 {
		t.Errorf("late fees charged to %d members, paid by %d", charged, paid)
	}
}

// deterred returns the benchmark's kind of scenario under every deterrent, with a member
// who stops paying after round 3 and the group acting through every built-in actor.
func deterred(kind rosca.Kind, circles int, seed uint64) simulate.Scenario {
	sc := mixed(kind, circles, seed)
	sc.Members[3].Payer = simulate.Stop{From: 4, Before: sc.Members[3].Payer}
	sc.Circle.Period = time.Hour
	sc.Circle.Rules = rosca.WeTrustRules()
	sc.Circle.Rules.Deterrents = rosca.Deterrents{
		Collateral:  rosca.Collateral{Form: rosca.CollateralSecurity},
		Bounty:      rosca.Bounty{Share: token.MustRatio(1, 5), Pool: rosca.BountyFromFees},
		RemoveAfter: 2, Notice: rosca.Duration(time.Hour), Deduction: token.MustRatio(1, 20), Accelerate: true,
		LateFee: rosca.LateFee{Rate: token.MustRatio(2, 100), Grace: 1},
	}
	sc.Enforcer = simulate.Enforcers{simulate.Collateral{Skip: token.MustRatio(1, 10)},
		simulate.Guarantors{Rounds: 2, Fail: token.MustRatio(1, 2)}, simulate.Replace{}, simulate.Accelerate{},
		simulate.Recover{Fail: token.MustRatio(1, 3)}}
	return sc
}

// With acting enforcers, the records are the same whatever the workers and the shards.
func TestActorsSameOutputWhateverTheWorkersAndShards(t *testing.T) {
	for _, kind := range []rosca.Kind{rosca.Lottery, rosca.Bidding} {
		sc := deterred(kind, 30, 7)
		j1, c1 := output(t, sc, simulate.Options{Workers: 1}, true)
		for _, w := range []int{2, 3} {
			if j, c := output(t, sc, simulate.Options{Workers: w}, true); j != j1 || c != c1 {
				t.Errorf("%s: %d workers give another output than 1", kind, w)
			}
		}
		var j, c strings.Builder
		for i := range 3 {
			sj, scsv := output(t, sc, simulate.Options{Shard: simulate.Shard{Index: i, Count: 3}, Workers: 2}, i == 0)
			j.WriteString(sj)
			c.WriteString(scsv)
		}
		if !slices.Equal(sortedLines(j.String()), sortedLines(j1)) || !slices.Equal(sortedLines(c.String()), sortedLines(c1)) {
			t.Errorf("%s: 3 shards differ from the whole batch", kind)
		}
		for _, what := range []string{`"collateral_applied"`, `"guarantor_paid"`, `"accelerated"`, `"substituted"`, `"late_fees_paid"`} {
			if !strings.Contains(j1, what) {
				t.Errorf("%s: no record has %s", kind, what)
			}
		}
	}
}

// stages is an actor of the user's that notes the stages it sees and tries commands the
// circle refuses.
type stages struct {
	t    *testing.T
	seen *[]string
}

func (stages) Halt(*simulate.Group) bool { return false }

func (s stages) Act(g *simulate.Group, do *simulate.Actions) {
	*s.seen = append(*s.seen, g.Stage.String()+" "+strconv.Itoa(g.Round)+" "+strconv.Itoa(g.Winner))
	if len(g.Positions) != do.Seats() || do.Seats() != 3 || !do.At().Equal(g.At) {
		s.t.Errorf("%d positions, %d seats; at %v and %v", len(g.Positions), do.Seats(), do.At(), g.At)
	}
	for _, err := range []error{do.Remove(-1), do.PostCollateral(3, usd().MustParse("1"))} {
		if !errors.Is(err, rosca.ErrNotMember) {
			s.t.Errorf("a seat out of range: %v", err)
		}
	}
	if _, err := do.Accelerate(1); !errors.Is(err, rosca.ErrDeterrentOff) && !errors.Is(err, rosca.ErrEnded) {
		s.t.Errorf("accelerate without the rule: %v", err)
	}
	if err := do.PayAsGuarantor(1, "nobody", usd().MustParse("1")); !errors.Is(err, rosca.ErrUnknownGuarantor) {
		s.t.Errorf("a guarantor without a pledge: %v", err)
	}
	if do.Account(1) != "m1" || do.Fresh(1) != "m1~1" {
		s.t.Errorf("seat 1: %s, fresh %s", do.Account(1), do.Fresh(1))
	}
}

// An Actor of the user's sees the stages in order, with the positions, the winner and the
// commands' time; the commands the circle refuses return its reasons and change nothing.
func TestActorStagesAndRefusals(t *testing.T) {
	var seen []string
	sc := simulate.Scenario{Members: simulate.Seats(3, simulate.Member{}), Circles: 1, Seed: 1,
		Enforcer: stages{t, &seen}, Circle: rosca.Config{Asset: usd(), Kind: rosca.FixedOrder, Contribution: usd().MustParse("10")}}
	c, ms := one(t, sc)
	if want := []string{"joining 0 -1", "closed 1 0", "closed 2 1", "ended 3 2"}; !slices.Equal(seen, want) {
		t.Errorf("stages %q, want %q", seen, want)
	}
	if c.Defaulters != 0 || !ms[0].Net.IsZero() {
		t.Errorf("%s", c.AppendJSON(nil))
	}
}
