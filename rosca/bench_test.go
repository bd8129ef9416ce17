package rosca_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// benchConfig is DESIGN.md's workload: a bidding circle under WeTrustRules(), an asset with
// 18 decimals, contribution 1, fee 2 per mille, period 1 hour.
func benchConfig(n int) rosca.Config {
	return rosca.Config{
		Asset: token.ETH(), Kind: rosca.Bidding, Members: members(n), Foreperson: "m0", Operator: "op",
		Contribution: decimal.NewFromInt(1), Start: t0, Period: time.Hour, Epochs: 1,
		Fee: fees.MustRate(2, 1000), Rules: rosca.WeTrustRules(),
	}
}

// runEpoch runs one epoch of the workload: each round every member contributes exactly 1
// in seat order; the first three members in seat order who have not won bid, in turn,
// 100%, 97% and 94% of the pot; the round closes at its deadline; the winner withdraws all
// it can. After the last round every member withdraws.
func runEpoch(tb testing.TB, cfg rosca.Config, bids [3]decimal.Decimal) *rosca.Circle {
	c, err := rosca.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	n := len(cfg.Members)
	won := make([]bool, n)
	one := cfg.Contribution
	for r := 1; r <= n; r++ {
		now := cfg.Start.Add(time.Duration(r-1) * cfg.Period)
		for _, m := range cfg.Members {
			if err := c.Contribute(now, m, one); err != nil {
				tb.Fatal(err)
			}
		}
		k := 0
		for i := 0; i < n && k < 3; i++ {
			if won[i] {
				continue
			}
			if err := c.Bid(now, cfg.Members[i], bids[k]); err != nil {
				tb.Fatal(err)
			}
			k++
		}
		deadline := cfg.Start.Add(time.Duration(r) * cfg.Period)
		res, err := c.CloseRound(deadline)
		if err != nil {
			tb.Fatal(err)
		}
		seat := seatOf(cfg.Members, res.Winner)
		won[seat] = true
		if _, err := c.Withdraw(deadline, res.Winner); err != nil && !errors.Is(err, rosca.ErrNothingToWithdraw) {
			tb.Fatal(err)
		}
	}
	end := cfg.Start.Add(time.Duration(n) * cfg.Period)
	for _, m := range cfg.Members {
		if _, err := c.Withdraw(end, m); err != nil && !errors.Is(err, rosca.ErrNothingToWithdraw) {
			tb.Fatal(err)
		}
	}
	return c
}

func seatOf(ms []token.Account, a token.Account) int {
	for i, m := range ms {
		if m == a {
			return i
		}
	}
	return -1
}

func benchBids(n int) [3]decimal.Decimal {
	pot := decimal.NewFromInt(int64(n))
	return [3]decimal.Decimal{pot, pot.Mul(decimal.New(97, -2)), pot.Mul(decimal.New(94, -2))}
}

func BenchmarkEpoch(b *testing.B) {
	for _, n := range []int{16, 64, 255, 1024} {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			cfg, bids := benchConfig(n), benchBids(n)
			b.ReportAllocs()
			for b.Loop() {
				runEpoch(b, cfg, bids)
			}
		})
	}
}

// TestEpochWorkload checks that the benchmark does the intended work: every member wins
// once, the accounts audit, and only the fees and the remainder stay.
func TestEpochWorkload(t *testing.T) {
	c := runEpoch(t, benchConfig(16), benchBids(16))
	audit(t, c)
	for _, p := range c.Positions() {
		if p.Wins != 1 || p.Balance.Sign() != 0 {
			t.Fatalf("%+v", p)
		}
	}
	tot := c.Totals()
	// Fees: 16 rounds x floor(16 x 2/1000 ETH) = 16 x 0.032 = 0.512 ETH.
	if !tot.FeesReserved.Equal(decimal.RequireFromString("0.512")) || !tot.Cash.Equal(tot.FeesReserved.Add(tot.Remainder)) {
		t.Fatalf("totals %+v", tot)
	}
}

// TestContributeAndBidAllocateO1 checks that a contribution and a bid allocate a bounded
// amount whatever the circle's size (amortised event append only).
func TestContributeAndBidAllocateO1(t *testing.T) {
	for _, n := range []int{16, 1024} {
		cfg := benchConfig(n)
		c := mustNew(t, cfg)
		one := cfg.Contribution
		i := 0
		allocs := testing.AllocsPerRun(200, func() {
			ok(t, c.Contribute(t0, cfg.Members[i%n], one))
			i++
		})
		if allocs > 1 {
			t.Fatalf("n=%d: %v allocations per contribution", n, allocs)
		}
		// Successive bids of the pot, then 98% of the previous truncated to 0.01 ETH, built first.
		var bids []decimal.Decimal
		b := decimal.NewFromInt(int64(n))
		for range 21 {
			bids = append(bids, b)
			b = b.Mul(decimal.New(98, -2)).Truncate(2)
		}
		k := 0
		allocs = testing.AllocsPerRun(20, func() {
			ok(t, c.Bid(t0, cfg.Members[k%n], bids[k]))
			k++
		})
		if allocs > 1 {
			t.Fatalf("n=%d: %v allocations per bid", n, allocs)
		}
	}
}
