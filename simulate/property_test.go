package simulate_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

// payer draws one of the built-in payers.
func payer(t *rapid.T, label string) simulate.Payer {
	p := token.MustRatio(rapid.Uint64Range(0, 10).Draw(t, label+".p"), 10)
	switch rapid.IntRange(0, 3).Draw(t, label) {
	case 0:
		return simulate.OnTime{}
	case 1:
		return simulate.Late{Rounds: rapid.IntRange(1, 3).Draw(t, label+".k"), Probability: p}
	case 2:
		return simulate.Stop{From: rapid.IntRange(1, 8).Draw(t, label+".from")}
	}
	return simulate.Part{Share: p}
}

func bidder(t *rapid.T, label string) simulate.Bidder {
	switch rapid.IntRange(0, 4).Draw(t, label) {
	case 0:
		return simulate.NoBid{}
	case 1:
		return simulate.Truthful{}
	case 2:
		return simulate.Shaded{Shade: token.MustRatio(1, 3)}
	case 3:
		return simulate.Undercut{}
	}
	return simulate.RandomBid{Probability: token.MustRatio(1, 2)}
}

// Per circle, the members' nets add up to minus the fees, the remainder and the cash left;
// the losses are the members' unpaid claims.
func TestNetsAddUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 6).Draw(t, "members")
		ms := simulate.Seats(n, simulate.Member{})
		for i := range ms {
			ms[i].Payer = payer(t, "payer")
			ms[i].Bidder = bidder(t, "bidder")
			lo := rapid.Uint64Range(65, 100).Draw(t, "low")
			ms[i].Valuation = simulate.Valuation{Low: token.MustRatio(lo, 100), High: token.One()}
		}
		kind := rapid.SampledFrom([]rosca.Kind{rosca.Lottery, rosca.Bidding, rosca.FixedOrder}).Draw(t, "kind")
		sc := simulate.Scenario{Members: ms, Circles: 1, Seed: rapid.Uint64().Draw(t, "seed"),
			Circle: rosca.Config{Asset: usd(), Kind: kind, Contribution: usd().MustParse("10"),
				Fee:    token.MustRatio(rapid.Uint64Range(0, 20).Draw(t, "fee"), 1000),
				Epochs: rapid.IntRange(1, 2).Draw(t, "epochs")}}
		if rapid.Bool().Draw(t, "halt") {
			sc.Enforcer = simulate.HaltWhenBehind{Rounds: rapid.IntRange(1, 3).Draw(t, "halt.k")}
		}
		c, recs, err := simulate.RunOne(sc, rapid.IntRange(0, 1000).Draw(t, "run"))
		if err != nil {
			t.Fatal(err)
		}
		total := usd().Zero()
		losses := usd().Zero()
		for _, m := range recs {
			total, _ = total.Add(m.Net)
			losses, _ = losses.Add(m.Unpaid)
			if net, _ := m.Withdrawn.Sub(m.Contributed); !net.Equal(m.Net) {
				t.Fatalf("%s: net %s, withdrawn - contributed %s", m.Member, m.Net, net)
			}
		}
		for _, x := range []token.Amount{c.Fees, c.Remainder, c.Unclaimed} {
			total, _ = total.Add(x)
		}
		if !total.IsZero() {
			t.Fatalf("nets + fees + remainder + unclaimed = %s (circle %+v)", total, c)
		}
		if !losses.Equal(c.Losses) {
			t.Fatalf("losses %s, members' unpaid %s", c.Losses, losses)
		}
	})
}
