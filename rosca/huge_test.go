package rosca_test

import (
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// TestRapidHugeAmounts runs whole epochs whose contribution lies around and beyond 2^128
// minor units, where a circle's figures leave the fixed-width path: every close's result
// is the one the circle keeps, the books audit, and the log replays to the same circle.
func TestRapidHugeAmounts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		digits := rapid.IntRange(36, rosca.MaxContributionDigits-2).Draw(t, "digits")
		units := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)
		units.Add(units, big.NewInt(rapid.Int64Range(0, 1<<40).Draw(t, "extra")))
		contribution, err := token.ETH().FromUnits(units)
		if err != nil {
			t.Fatal(err)
		}
		n := rapid.IntRange(2, 5).Draw(t, "members")
		cfg := weiCfg(rapid.SampledFrom([]rosca.Kind{rosca.Bidding, rosca.Lottery}).Draw(t, "kind"), n, 1, 2)
		cfg.Contribution = contribution
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		pot, _ := contribution.Mul(int64(n))
		var results []rosca.RoundResult
		for r := 1; r <= n; r++ {
			for _, m := range cfg.Members {
				if r == n || !rapid.Bool().Draw(t, "late") { // a late payer catches up in the last round
					owed, _ := c.Owed(m)
					if owed.IsPositive() {
						if err := c.Contribute(at(r-1), m, owed); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			if cfg.Kind == rosca.Bidding {
				for _, m := range cfg.Members {
					pct := rapid.Uint64Range(65, 100).Draw(t, "bid")
					_ = c.Bid(at(r-1), m, token.MustRatio(pct, 100).MulFloor(pot)) // refusals change nothing
				}
			}
			res, err := c.CloseRound(at(r))
			if err != nil {
				t.Fatal(err)
			}
			results = append(results, res)
		}
		for _, m := range cfg.Members {
			_, _ = c.Withdraw(at(n), m)
		}
		if err := c.Audit(); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(results, c.Rounds()); d != "" {
			t.Fatalf("kept rounds differ from the results of the closes (-closes +kept):\n%s", d)
		}
		if d := cmp.Diff(c.Rounds(), c.Clone().Rounds()); d != "" {
			t.Fatalf("a clone's rounds differ:\n%s", d)
		}
		r, err := rosca.Replay(c.Config(), c.EventsAfter(0))
		if err != nil {
			t.Fatalf("replay: %v", err)
		}
		if d := cmp.Diff(c.Snapshot(), r.Snapshot()); d != "" {
			t.Fatalf("replay differs (-live +replayed):\n%s", d)
		}
	})
}
