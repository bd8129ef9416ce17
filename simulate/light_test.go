package simulate_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

// wrapped returns sc with every strategy wrapped in a function: the same behaviour, but
// strategies of the user's own, for which the simulation reads every position after every
// close.
func wrapped(sc simulate.Scenario) simulate.Scenario {
	ms := append([]simulate.Member(nil), sc.Members...)
	for i := range ms {
		p, b := ms[i].Payer, ms[i].Bidder
		if p == nil {
			p = simulate.OnTime{}
		}
		if b == nil {
			b = simulate.NoBid{}
		}
		ms[i].Payer, ms[i].Bidder = simulate.PayerFunc(p.Pay), simulate.BidderFunc(b.Bid)
	}
	sc.Members = ms
	if e := sc.Enforcer; e != nil {
		sc.Enforcer = simulate.EnforcerFunc(e.Halt)
	}
	return sc
}

// TestRapidBuiltinStrategiesReadNoPosition: a scenario of built-in strategies, which the
// simulation runs without reading the positions after each close, gives the very records of
// the same strategies wrapped as the user's own: late, partial and stopping payers, every
// bidder, draws of members who owe (pots held as debts), several epochs, halts.
func TestRapidBuiltinStrategiesReadNoPosition(t *testing.T) {
	kinds := []rosca.Kind{rosca.Lottery, rosca.Bidding, rosca.FixedOrder}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 5).Draw(t, "members")
		ms := simulate.Seats(n, simulate.Member{Valuation: simulate.Valuation{Low: token.MustRatio(70, 100), High: token.One()}})
		for i := range ms {
			switch rapid.IntRange(0, 4).Draw(t, "payer") {
			case 1:
				ms[i].Payer = simulate.Late{Rounds: rapid.IntRange(1, 3).Draw(t, "late rounds"),
					Probability: token.MustRatio(uint64(rapid.IntRange(0, 50).Draw(t, "late %")), 100)}
			case 2:
				ms[i].Payer = simulate.Part{Share: token.MustRatio(uint64(rapid.IntRange(1, 99).Draw(t, "part %")), 100)}
			case 3:
				ms[i].Payer = simulate.Stop{From: rapid.IntRange(1, 2*n).Draw(t, "stop"), Before: simulate.Late{Rounds: 1, Probability: token.MustRatio(1, 5)}}
			}
			switch rapid.IntRange(0, 4).Draw(t, "bidder") {
			case 1:
				ms[i].Bidder = simulate.Truthful{}
			case 2:
				ms[i].Bidder = simulate.Shaded{Shade: token.MustRatio(1, 3)}
			case 3:
				ms[i].Bidder = simulate.Undercut{}
			case 4:
				ms[i].Bidder = simulate.RandomBid{Probability: token.MustRatio(1, 2)}
			}
		}
		sc := simulate.Scenario{Name: "light", Members: ms, Circles: 1, Seed: rapid.Uint64().Draw(t, "seed"),
			Circle: rosca.Config{Asset: usd(), Kind: kinds[rapid.IntRange(0, 2).Draw(t, "kind")],
				Contribution: usd().MustParse("10"), Fee: token.MustRatio(2, 100), Epochs: rapid.IntRange(1, 2).Draw(t, "epochs")}}
		if rapid.Bool().Draw(t, "halt") {
			sc.Enforcer = simulate.HaltWhenBehind{Rounds: rapid.IntRange(1, 3).Draw(t, "behind")}
		}
		for run := range sc.Circles {
			c1, m1, err1 := simulate.RunOne(sc, run)
			c2, m2, err2 := simulate.RunOne(wrapped(sc), run)
			if err1 != nil || err2 != nil {
				t.Fatalf("run %d: %v, %v", run, err1, err2)
			}
			for k := range m1 {
				if a, b := string(m1[k].AppendJSON(nil)), string(m2[k].AppendJSON(nil)); a != b {
					t.Fatalf("run %d seat %d:\n%s\nwrapped\n%s", run, k, a, b)
				}
			}
			if a, b := string(c1.AppendJSON(nil)), string(c2.AppendJSON(nil)); a != b {
				t.Fatalf("run %d: circle\n%s\nwrapped\n%s", run, a, b)
			}
		}
	})
}
