package rosca_test

import (
	"errors"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
)

// TestRapidFullCircle runs random circles to their end with every member paying every
// round and random valid bids, then everyone withdraws and the foreperson takes the fees
// and the remainder. Then: every member won exactly once per epoch, no cash is left, and
// the members' net results sum exactly to minus the fees and the remainder disposed.
func TestRapidFullCircle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.Config().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		asset := cfg.Asset
		for r := 1; r <= cfg.Rounds(); r++ {
			now := c.Now()
			for _, m := range cfg.Members {
				if err := c.Contribute(now, m, cfg.Contribution); err != nil {
					t.Fatalf("round %d: %v", r, err)
				}
			}
			if cfg.Kind == rosca.Bidding {
				for range rapid.IntRange(0, 3).Draw(t, "bids") {
					m := rapid.SampledFrom(cfg.Members).Draw(t, "bidder")
					op := roscatest.Op{Kind: roscatest.OpBid, Who: m, Fit: true, Units: rapid.Int64Range(0, 1000).Draw(t, "pm")}
					if err := roscatest.Apply(c, op); err != nil && !errors.Is(err, rosca.ErrAlreadyWon) && !errors.Is(err, rosca.ErrBidTooHigh) && !errors.Is(err, rosca.ErrNotBidding) && !errors.Is(err, rosca.ErrBidTooLow) && !errors.Is(err, rosca.ErrInvalidAmount) && !errors.Is(err, rosca.ErrSealedBids) {
						t.Fatalf("round %d: bid: %v", r, err)
					}
				}
			}
			if _, err := c.CloseRound(c.Round().Deadline); err != nil {
				t.Fatalf("round %d: %v", r, err)
			}
			if rapid.Bool().Draw(t, "withdraw") {
				m := rapid.SampledFrom(cfg.Members).Draw(t, "who")
				if _, err := c.Withdraw(c.Now(), m); err != nil && !errors.Is(err, rosca.ErrNothingToWithdraw) {
					t.Fatalf("round %d: withdraw: %v", r, err)
				}
			}
			if err := roscatest.Check(c); err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range cfg.Members {
			if _, err := c.Withdraw(c.Now(), m); err != nil && !errors.Is(err, rosca.ErrNothingToWithdraw) {
				t.Fatalf("final withdraw: %v", err)
			}
		}
		fees, err := c.RetrieveFees(c.Now(), cfg.Foreperson)
		if err != nil && !errors.Is(err, rosca.ErrNothingToPay) {
			t.Fatal(err)
		}
		rem, _, err := c.DisposeRemainder(c.Now(), cfg.Foreperson)
		if err != nil && !errors.Is(err, rosca.ErrNothingToPay) {
			t.Fatal(err)
		}
		platform, err := c.RetrievePlatformFee(c.Now(), cfg.Operator)
		if err != nil && !errors.Is(err, rosca.ErrNothingToPay) {
			t.Fatal(err)
		}
		if err := roscatest.Check(c); err != nil {
			t.Fatal(err)
		}
		tot := c.Totals()
		if !tot.Cash.IsZero() {
			t.Fatalf("cash left %s: %+v", tot.Cash, tot)
		}
		var net big.Int
		for _, p := range c.Positions() {
			if p.Wins != cfg.Epochs || p.Balance.Sign() != 0 || p.Debt {
				t.Fatalf("%+v", p)
			}
			w, k := p.Withdrawn.Units(), p.Contributed.Units()
			net.Add(&net, w.Sub(w, k))
		}
		f, rm, pf := fees.Units(), rem.Units(), platform.Units() // the zero Amount (nothing paid) is 0
		want := new(big.Int).Neg(f.Add(f, rm.Add(rm, pf)))
		if net.Cmp(want) != 0 {
			t.Fatalf("members' net %s, want -(fees %s + remainder %s + platform fee %s)", &net, fees, rem, platform)
		}
		// The platform's fee is floor(P x PlatformFee) a round, but at most the round's
		// winnings.
		per := new(big.Int).Mul(c.Round().Pot.Units(), new(big.Int).SetUint64(cfg.PlatformFee.Num()))
		per.Quo(per, new(big.Int).SetUint64(max(cfg.PlatformFee.Den(), 1)))
		pp := new(big.Int)
		for _, r := range c.Rounds() {
			pp.Add(pp, bigMin(per, r.Winnings.Units()))
		}
		if pf.Cmp(pp) != 0 {
			t.Fatalf("platform fee paid %s, want %s minor units", platform, pp)
		}
		// The fees are what the rounds withheld: floor(rounds x P x fee).
		// The rounds that carry the fee: all but the organizer's; under the commission
		// each carries floor(P x fee), under net_floor they sum to floor(R x P x fee).
		pot := c.Round().Pot.Units()
		charged := uint64(cfg.Rounds())
		if cfg.Rules.Organizer {
			charged -= uint64(cfg.Epochs)
		}
		wantFee := new(big.Int).Mul(pot, new(big.Int).SetUint64(charged*cfg.Fee.Num()))
		wantFee.Quo(wantFee, new(big.Int).SetUint64(cfg.Fee.Den()))
		if cfg.Rules.Fee == rosca.FeeCommission || cfg.Rules.Fee == rosca.FeeCommissionFromPrize {
			wantFee.Mul(pot, new(big.Int).SetUint64(cfg.Fee.Num()))
			wantFee.Quo(wantFee, new(big.Int).SetUint64(cfg.Fee.Den()))
			wantFee.Mul(wantFee, new(big.Int).SetUint64(charged))
		}
		if wf, _ := asset.FromUnits(wantFee); !wf.Equal(tot.FeesPaid) {
			t.Fatalf("fees paid %s, want %s", tot.FeesPaid, wf)
		}
		checkReplayRapid(t, c)
	})
}

func checkReplayRapid(t *rapid.T, c *rosca.Circle) {
	r, err := rosca.Replay(c.Config(), c.EventsAfter(0))
	if err != nil {
		t.Fatal(err)
	}
	if !reflectSnapshotsEqual(c, r) {
		t.Fatal("replay differs")
	}
}

func reflectSnapshotsEqual(a, b *rosca.Circle) bool {
	x, y := roundTripJSONBytes(a.Snapshot()), roundTripJSONBytes(b.Snapshot())
	return x == y
}

func bigMin(x, y *big.Int) *big.Int {
	if x.Cmp(y) <= 0 {
		return x
	}
	return y
}
