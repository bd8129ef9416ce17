package simulate

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// TestRapidTrackedStanding: what the simulation follows itself, so as not to read the
// positions after every close (the epoch of each member's last win, whether it holds a pot
// as a debt), is what the circle says after every close: WonThisEpoch and Debt.
func TestRapidTrackedStanding(t *testing.T) {
	usd, _ := token.NewAsset("USD", 2)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 5).Draw(t, "members")
		ms := Seats(n, Member{Valuation: Valuation{Low: token.MustRatio(70, 100), High: token.One()}, Bidder: Undercut{}})
		for i := range ms {
			switch rapid.IntRange(0, 3).Draw(t, "payer") {
			case 1:
				ms[i].Payer = Late{Rounds: rapid.IntRange(1, 3).Draw(t, "late rounds"), Probability: token.MustRatio(1, 3)}
			case 2:
				ms[i].Payer = Part{Share: token.MustRatio(1, 2)}
			case 3:
				ms[i].Payer = Stop{From: rapid.IntRange(1, 2*n).Draw(t, "stop")}
			}
		}
		kind := []rosca.Kind{rosca.Lottery, rosca.Bidding}[rapid.IntRange(0, 1).Draw(t, "kind")]
		sc := Scenario{Members: ms, Circles: 1, Seed: rapid.Uint64().Draw(t, "seed"),
			Circle: rosca.Config{Asset: usd, Kind: kind, Contribution: usd.MustParse("10"), Epochs: rapid.IntRange(1, 2).Draw(t, "epochs")}}
		c, err := sc.compile()
		if err != nil {
			t.Fatal(err)
		}
		s := newSim(c)
		checks := 0
		s.checkClose = func(circle *rosca.Circle) {
			rs := circle.Round()
			for k, m := range c.cfg.Members {
				p, _ := circle.Position(m)
				if p.Debt != s.debt[k] || !rs.Ended && p.WonThisEpoch != (s.wonEpoch[k] == rs.Epoch) {
					t.Fatalf("seat %d after round %d: circle says debt %v, won this epoch %v; tracked %v, epoch %d of %d",
						k, rs.Round, p.Debt, p.WonThisEpoch, s.debt[k], s.wonEpoch[k], rs.Epoch)
				}
			}
			checks++
		}
		var out result
		if err := s.run(0, &out); err != nil {
			t.Fatal(err)
		}
		if checks == 0 {
			t.Fatal("no close checked")
		}
	})
}

// trackingScenario draws a scenario of built-in strategies for the tracking tests: every
// payer and bidder, lotteries, bidding and fixed-order circles under three sets of rules,
// one or two epochs, a platform's fee, halts.
func trackingScenario(t *rapid.T) Scenario {
	usd, _ := token.NewAsset("USD", 2)
	n := rapid.IntRange(2, 5).Draw(t, "members")
	ms := Seats(n, Member{Valuation: Valuation{Low: token.MustRatio(70, 100), High: token.One()}})
	for i := range ms {
		switch rapid.IntRange(0, 4).Draw(t, "payer") {
		case 1:
			ms[i].Payer = Late{Rounds: rapid.IntRange(1, 3).Draw(t, "late rounds"), Probability: token.MustRatio(1, 3)}
		case 2:
			ms[i].Payer = Part{Share: token.MustRatio(uint64(rapid.IntRange(1, 99).Draw(t, "part %")), 100)}
		case 3:
			ms[i].Payer = Stop{From: rapid.IntRange(1, 2*n).Draw(t, "stop")}
		case 4:
			ms[i].Payer = Stop{From: rapid.IntRange(1, 2*n).Draw(t, "stop"), Before: Late{Rounds: 1, Probability: token.MustRatio(1, 5)}}
		}
		switch rapid.IntRange(0, 4).Draw(t, "bidder") {
		case 1:
			ms[i].Bidder = Truthful{}
		case 2:
			ms[i].Bidder = Shaded{Shade: token.MustRatio(1, 3)}
		case 3:
			ms[i].Bidder = Undercut{}
		case 4:
			ms[i].Bidder = RandomBid{Probability: token.MustRatio(1, 2)}
		}
	}
	ri := rapid.IntRange(0, 2).Draw(t, "rules")
	rules := []rosca.Rules{rosca.WeTrustRules(), rosca.ChitFundRules(), rosca.HuiRules()}[ri]
	fee := token.MustRatio(uint64(rapid.IntRange(0, 2).Draw(t, "fee %")), 100)
	if ri == 2 {
		fee = token.Ratio{} // the organizer's round under net_floor
	}
	kind := []rosca.Kind{rosca.Lottery, rosca.Bidding, rosca.FixedOrder}[rapid.IntRange(0, 2).Draw(t, "kind")]
	if kind == rosca.FixedOrder {
		rules.Organizer = false // the first seat's round already
	}
	sc := Scenario{Members: ms, Circles: 1, Seed: rapid.Uint64().Draw(t, "seed"), Digits: 6, NPV: true, MIRR: true,
		Circle: rosca.Config{Asset: usd, Kind: kind, Contribution: usd.MustParse("10"), Rules: rules,
			Fee: fee, Epochs: rapid.IntRange(1, 2).Draw(t, "epochs")}}
	if rapid.Bool().Draw(t, "platform fee") {
		sc.Circle.PlatformFee = token.MustRatio(uint64(rapid.IntRange(1, 3).Draw(t, "platform %")), 100)
	}
	if rapid.Bool().Draw(t, "halt") {
		sc.Enforcer = HaltWhenBehind{Rounds: rapid.IntRange(1, 3).Draw(t, "behind")}
	}
	return sc
}

// TestRapidTrackedEnd: what the simulation follows itself of the positions, so as not to read
// them at the end of a circle that was not halted (what each member paid in and was paid
// out, the claim written off, the balance after its last withdrawal) and the cash left that
// it derives from them, is what the circle says. Under deterrents, with the built-in
// actors, what a member paid in itself and what others paid for it are what the circle
// counts as its contributions.
func TestRapidTrackedEnd(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := trackingScenario(t)
		if rapid.Bool().Draw(t, "deterrents") {
			sc = withDeterrents(t, sc)
		}
		c, err := sc.compile()
		if err != nil {
			t.Fatal(err)
		}
		if !c.light {
			t.Fatal("built-in strategies, not light")
		}
		s := newSim(c)
		var out result
		if err := s.run(rapid.IntRange(0, 100).Draw(t, "run"), &out); err != nil {
			t.Fatal(err)
		}
		if out.circle.Halted {
			return
		}
		same := func(what string, k int, got, want token.Amount) {
			if got.Cmp(want) != 0 {
				t.Fatalf("seat %d: %s tracked %s, circle %s", k, what, got, want)
			}
		}
		for k := range c.cfg.Members {
			p, _ := s.circle.Position(s.auctions[k].Member)
			paid := out.members[k].Contributed // and what others paid on its account
			if s.det != nil {
				d := &s.det[k]
				for _, x := range []token.Amount{d.guarantor, d.applied, d.recovered, d.feeBounty} {
					add(&paid, x)
				}
				sub(&paid, d.bounty)
			}
			same("contributed", k, paid, p.Contributed)
			same("withdrawn", k, out.members[k].Withdrawn, p.Withdrawn)
			same("loss", k, s.end[k].loss, p.Loss)
			same("balance", k, s.end[k].balance, p.Balance)
		}
		if cash := s.circle.Totals().Cash; out.circle.Unclaimed.Cmp(cash) != 0 {
			t.Fatalf("unclaimed %s, the circle's cash %s", out.circle.Unclaimed, cash)
		}
	})
}

// TestRapidWideFlows: a run whose flows and payments turn into amounts in some round (as when
// one does not fit an int64 of minor units) has the very records of one kept in minor units.
func TestRapidWideFlows(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := trackingScenario(t)
		c, err := sc.compile()
		if err != nil {
			t.Fatal(err)
		}
		run := rapid.IntRange(0, 100).Draw(t, "run")
		narrow, wide := newSim(c), newSim(c)
		wide.wideAt = rapid.IntRange(1, c.cfg.Rounds()).Draw(t, "wide at")
		var a, b result
		if err := narrow.run(run, &a); err != nil {
			t.Fatal(err)
		}
		if err := wide.run(run, &b); err != nil {
			t.Fatal(err)
		}
		if narrow.isWide || wide.isWide != (b.circle.Closed >= wide.wideAt) {
			t.Fatalf("wide: %v and %v", narrow.isWide, wide.isWide)
		}
		if x, y := string(a.circle.AppendJSON(nil)), string(b.circle.AppendJSON(nil)); x != y {
			t.Fatalf("circle:\n%s\nwide:\n%s", x, y)
		}
		for k := range a.members {
			if x, y := string(a.members[k].AppendJSON(nil)), string(b.members[k].AppendJSON(nil)); x != y {
				t.Fatalf("seat %d:\n%s\nwide:\n%s", k, x, y)
			}
		}
	})
}

// TestRapidBidCaps: the round's state the bidding goes on with after each accepted bid,
// made from the rules' caps without asking the circle, is what the circle says: under
// WeTrust's rules, with an absolute step, a smallest discount, ties (NextBid 100%) broken
// first or by lot, the second-best price, and rules it leaves to the circle (bids naming
// an interest).
func TestRapidBidCaps(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sc := trackingScenario(t)
		usd := sc.Circle.Asset
		sc.Circle.Kind = rosca.Bidding
		rules := rosca.WeTrustRules()
		switch rapid.IntRange(0, 5).Draw(t, "caps") {
		case 1:
			rules.Step = usd.FromInt64Units(int64(rapid.IntRange(1, 500).Draw(t, "step")))
		case 2:
			rules.MaxBid = token.MustRatio(95, 100)
		case 3:
			rules.NextBid, rules.Ties = token.One(), rosca.TieByLot
		case 4:
			rules.NextBid, rules.Step, rules.Price = token.MustRatio(99, 100), usd.FromInt64Units(100), rosca.PriceSecondBid
		case 5:
			rules, sc.Circle.Fee = rosca.HuiRules(), token.Ratio{}
		}
		sc.Circle.Rules = rules
		c, err := sc.compile()
		if err != nil {
			t.Fatal(err)
		}
		s := newSim(c)
		s.checkBid = func(circle *rosca.Circle, rs rosca.RoundState) {
			want := circle.Round()
			if rs.Leader != want.Leader || rs.LowestBid.Cmp(want.LowestBid) != 0 || rs.MaxBid.Cmp(want.MaxBid) != 0 ||
				rs.MinBid.Cmp(want.MinBid) != 0 || rs.Pot.Cmp(want.Pot) != 0 {
				t.Fatalf("round %d: after a bid the bidding has leader %q, lowest %s, bids %s to %s of %s; the circle %q, %s, %s to %s of %s",
					want.Round, rs.Leader, rs.LowestBid, rs.MinBid, rs.MaxBid, rs.Pot,
					want.Leader, want.LowestBid, want.MinBid, want.MaxBid, want.Pot)
			}
		}
		var out result
		if err := s.run(rapid.IntRange(0, 100).Draw(t, "run"), &out); err != nil {
			t.Fatal(err)
		}
	})
}
