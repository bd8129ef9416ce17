package simulate

import (
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
	"github.com/trustcircle/trustcircle/token"
)

// actors draws a group of the built-in actors, each there or not, in a random order, with
// a halt now and then.
func actors(t *rapid.T) Enforcer {
	pct := func(label string) token.Ratio {
		return token.MustRatio(uint64(rapid.IntRange(0, 100).Draw(t, label)), 100)
	}
	var es Enforcers
	for _, k := range rapid.Permutation([]int{0, 1, 2, 3, 4}).Draw(t, "order") {
		if !rapid.Bool().Draw(t, "with") {
			continue
		}
		switch k {
		case 0:
			es = append(es, Collateral{Skip: pct("skip")})
		case 1:
			g := Guarantors{Rounds: rapid.IntRange(0, 3).Draw(t, "guarantor rounds"), Fail: pct("fail")}
			if rapid.Bool().Draw(t, "limit") {
				g.Limit = token.Asset{}.Zero() // replaced below by an amount of the circle's asset
			}
			es = append(es, g)
		case 2:
			var p Payer
			if rapid.Bool().Draw(t, "late substitute") {
				p = Late{Rounds: 1, Probability: token.MustRatio(1, 4)}
			}
			es = append(es, Replace{Payer: p})
		case 3:
			es = append(es, Accelerate{Rounds: rapid.IntRange(0, 2).Draw(t, "accelerate rounds")})
		case 4:
			es = append(es, Recover{Fail: pct("recover fail")})
		}
	}
	if rapid.IntRange(0, 4).Draw(t, "halt") == 0 {
		es = append(es, HaltWhenBehind{Rounds: rapid.IntRange(1, 3).Draw(t, "behind")})
	}
	return es
}

// withDeterrents adds to sc random deterrent rules and a group of the built-in actors.
func withDeterrents(t *rapid.T, sc Scenario) Scenario {
	usd := sc.Circle.Asset
	sc.Circle.Period = time.Hour // the notices are hours
	sc.Circle.Rules.Deterrents = roscatest.Deterrents(usd).Draw(t, "deterrents")
	e := actors(t)
	for i, x := range e.(Enforcers) {
		if g, ok := x.(Guarantors); ok && g.Limit.IsValid() {
			g.Limit = usd.FromInt64Units(int64(rapid.IntRange(1, 5000).Draw(t, "limit units")))
			e.(Enforcers)[i] = g
		}
	}
	sc.Enforcer = e
	return sc
}

// TestRapidDeterrentsBalance: circles under random deterrent rules, with the built-in
// actors in a random group, pass the circle's audit and roscatest's checks at the end, and
// their records add up to the circle's totals: the members' own payments and what others
// paid for them are the contributions, their withdrawals the withdrawals, and every
// deterrent's figure the circle's; the members' nets add up to the guarantors' payments
// less the fees, the remainder, the cash left, the bounties and the collateral held.
func TestRapidDeterrentsBalance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := withDeterrents(t, trackingScenario(t))
		c, err := sc.compile()
		if err != nil {
			t.Fatal(err)
		}
		s := newSim(c)
		var out result
		if err := s.run(rapid.IntRange(0, 100).Draw(t, "run"), &out); err != nil {
			t.Fatal(err)
		}
		if err := s.circle.Audit(); err != nil {
			t.Fatal(err)
		}
		if err := roscatest.Check(s.circle); err != nil {
			t.Fatal(err)
		}
		checkTotals(t, s.circle.Totals(), &out)
	})
}

// checkTotals checks a run's records against the circle's totals.
func checkTotals(t *rapid.T, tot rosca.Totals, out *result) {
	t.Helper()
	rec := &out.circle
	zero := rec.Contributed.Asset().Zero()
	sum := func(f func(m *MemberRecord) token.Amount) token.Amount {
		x := zero
		for k := range out.members {
			add(&x, f(&out.members[k]))
		}
		return x
	}
	same := func(what string, got, want token.Amount) {
		t.Helper()
		if got.Cmp(orZero(want, zero)) != 0 {
			t.Fatalf("%s: records %s, circle %s\n%s", what, got, orZero(want, zero), rec.AppendJSON(nil))
		}
	}
	paidIn := sum(func(m *MemberRecord) token.Amount {
		x := m.Contributed
		for _, y := range []token.Amount{m.GuarantorPaid, m.CollateralApplied, m.Recovered} {
			add(&x, y)
		}
		return x
	})
	sub(&paidIn, rec.Bounties)
	add(&paidIn, rec.FeeBounties) // the recovered funds' bounties are no contribution
	same("contributions", paidIn, tot.Contributions)
	same("withdrawals", rec.Withdrawn, tot.Withdrawals)
	same("withdrawals by member", sum(func(m *MemberRecord) token.Amount { return m.Withdrawn }), tot.Withdrawals)
	same("cash", rec.Unclaimed, tot.Cash)
	for _, f := range []struct {
		what       string
		rec, total token.Amount
		member     func(m *MemberRecord) token.Amount
	}{
		{"collateral posted", rec.CollateralPosted, tot.CollateralPosted, func(m *MemberRecord) token.Amount { return m.CollateralPosted }},
		{"collateral applied", rec.CollateralApplied, tot.CollateralApplied, func(m *MemberRecord) token.Amount { return m.CollateralApplied }},
		{"collateral returned", rec.CollateralReturned, tot.CollateralReturned, func(m *MemberRecord) token.Amount { return m.CollateralReturned }},
		{"guarantor payments", rec.GuarantorPayments, tot.GuarantorPayments, func(m *MemberRecord) token.Amount { return m.GuarantorPaid }},
		{"recovered", rec.Recovered, tot.Recovered, func(m *MemberRecord) token.Amount { return m.Recovered }},
		{"bounties", rec.Bounties, tot.Bounties, func(m *MemberRecord) token.Amount { return m.Bounty }},
		{"deductions", rec.Deductions, tot.Deductions, func(m *MemberRecord) token.Amount { return m.Deduction }},
		{"late fees charged", rec.LateFeesCharged, tot.LateFeesCharged, func(m *MemberRecord) token.Amount { return m.LateFees }},
		{"late fees paid", rec.LateFeesPaid, tot.LateFeesPaid, func(m *MemberRecord) token.Amount { return m.LateFeesPaid }},
	} {
		same(f.what, f.rec, f.total)
		same(f.what+" by member", sum(f.member), f.total)
	}
	same("fee bounties", rec.FeeBounties, tot.FeeBounties)
	same("collateral held", rec.CollateralHeld, tot.Collateral)
	// The nets: the guarantors' money less what left the members.
	nets := sum(func(m *MemberRecord) token.Amount { return m.Net })
	// (a halt pays the platform its fee, which the records do not show)
	for _, x := range []token.Amount{rec.Fees, rec.Remainder, rec.Unclaimed, rec.Bounties, rec.CollateralHeld, orZero(tot.PlatformFeesPaid, zero)} {
		add(&nets, x)
	}
	same("nets + fees + remainder + cash + bounties + collateral held + platform fees paid", nets, rec.GuarantorPayments)
	// Each member's net is the sum of its flows (Withdrawn - Contributed when no deterrent
	// moved its money).
	for k := range out.members {
		m := &out.members[k]
		net := m.Withdrawn
		sub(&net, m.Contributed)
		add(&net, m.CollateralReturned)
		sub(&net, m.CollateralPosted)
		sub(&net, m.Recovered)
		sub(&net, m.Deduction)
		same("net of seat", m.Net, net)
	}
}

// usersActor is an actor of the user's: the simulation reads every position for it.
type usersActor struct{ e Enforcer }

func (u usersActor) Halt(g *Group) bool { return u.e.Halt(g) }

func (u usersActor) Act(g *Group, do *Actions) {
	if a, ok := u.e.(Actor); ok {
		a.Act(g, do)
	}
}

// asUsers returns sc with every strategy wrapped as the user's own.
func asUsers(sc Scenario) Scenario {
	ms := append([]Member(nil), sc.Members...)
	for i := range ms {
		p, b := ms[i].Payer, ms[i].Bidder
		if p == nil {
			p = OnTime{}
		}
		if b == nil {
			b = NoBid{}
		}
		ms[i].Payer, ms[i].Bidder = PayerFunc(p.Pay), BidderFunc(b.Bid)
	}
	sc.Members = ms
	if sc.Enforcer != nil {
		sc.Enforcer = usersActor{sc.Enforcer}
	}
	return sc
}

// TestRapidActorsReadNoPosition: with the built-in actors, which let the simulation follow
// what members owe and the debts they hold from the closes and their payments (it reads a
// position only for a command), the records are those of the same strategies as the
// user's own, for which it reads every position after every close and every command; and
// what it follows of the debts and wins after the actors' commands is what the circle says.
func TestRapidActorsReadNoPosition(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := withDeterrents(t, trackingScenario(t))
		checkActorsReadNoPosition(t, sc, rapid.IntRange(0, 100).Draw(t, "run"))
	})
}

// TestSharedLateFeeClearsDebt: a member who won a pot in debt and pays a little less than
// its dues each round is cleared when the late fees another member pays, shared among the
// members, cover the rest; the simulation, which reads what a member owes at its payment
// under shared late fees, follows the circle (it once kept the debt).
func TestSharedLateFeeClearsDebt(t *testing.T) {
	usd, _ := token.NewAsset("USD", 2)
	ms := Seats(5, Member{Valuation: Valuation{Low: token.MustRatio(70, 100), High: token.One()}})
	ms[3].Payer = Part{Share: token.MustRatio(1, 100)}
	ms[4].Payer = Part{Share: token.MustRatio(99, 100)}
	det := rosca.Deterrents{
		Collateral:  rosca.Collateral{Form: rosca.CollateralFixed, Amount: usd.FromInt64Units(1)},
		Bounty:      rosca.Bounty{Share: token.MustRatio(1, 100)},
		RemoveAfter: 1, Notice: rosca.Duration(time.Hour),
		LateFee: rosca.LateFee{Rate: token.MustRatio(7, 250), To: rosca.LateFeeToMembers},
	}
	sc := Scenario{Members: ms, Circles: 1, Digits: 6, NPV: true, MIRR: true, Enforcer: Enforcers{Replace{}},
		Circle: rosca.Config{Asset: usd, Kind: rosca.Lottery, Contribution: usd.MustParse("10"), Period: time.Hour,
			Rules: rosca.WeTrustRules(), Epochs: 1}}
	sc.Circle.Rules.Deterrents = det
	checkActorsReadNoPosition(t, sc, 0)
}

// checkActorsReadNoPosition runs scenario sc's run both with the built-in strategies,
// following the debts and wins itself, and as the user's strategies, reading the positions:
// the records must be the same, and what it follows after every close and the actors'
// commands must be what the circle says.
func checkActorsReadNoPosition(t interface {
	Fatal(...any)
	Fatalf(string, ...any)
}, sc Scenario, run int) {
	light, err := sc.compile()
	if err != nil {
		t.Fatal(err)
	}
	users := asUsers(sc)
	full, err := users.compile()
	if err != nil {
		t.Fatal(err)
	}
	if !light.light || full.light {
		t.Fatalf("light %v, full %v", light.light, full.light)
	}
	var a, b result
	ls := newSim(light)
	ls.checkClose = func(circle *rosca.Circle) { // after the actor's commands
		rs := circle.Round()
		for k := range ls.auctions {
			p, err := circle.Position(ls.auctions[k].Member)
			if err != nil || p.Debt != ls.debt[k] || !rs.Ended && p.WonThisEpoch != (ls.wonEpoch[k] == rs.Epoch) {
				t.Fatalf("seat %d after round %d: circle says debt %v, won this epoch %v (%v); tracked %v, epoch %d of %d",
					k, rs.Round, p.Debt, p.WonThisEpoch, err, ls.debt[k], ls.wonEpoch[k], rs.Epoch)
			}
		}
	}
	if err := ls.run(run, &a); err != nil {
		t.Fatal(err)
	}
	if err := newSim(full).run(run, &b); err != nil {
		t.Fatal(err)
	}
	if x, y := string(a.circle.AppendJSON(nil)), string(b.circle.AppendJSON(nil)); x != y {
		t.Fatalf("circle:\n%s\nfull:\n%s", x, y)
	}
	for k := range a.members {
		if x, y := string(a.members[k].AppendJSON(nil)), string(b.members[k].AppendJSON(nil)); x != y {
			t.Fatalf("seat %d:\n%s\nfull:\n%s", k, x, y)
		}
	}
}
