package crowdsale_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// benchInputs mirrors the baseline's inputs function (DESIGN.md "Performance"): the same
// random stream, participants, times, amounts and quotes, as decimal contributions.
func benchInputs(n int) []crowdsale.Contribution {
	cfg := crowdsale.WeTrust2017()
	r := rand.New(rand.NewPCG(1, 2))
	scale := int64(1_000_000 / n)
	window := cfg.End.Sub(cfg.Start)
	participants := (n + 3) / 4
	names := make([]token.Account, participants)
	for i := range names {
		names[i] = token.Account(fmt.Sprintf("p%d", i))
	}
	out := make([]crowdsale.Contribution, n)
	for i := range out {
		c := crowdsale.Contribution{
			ID:          fmt.Sprintf("c%d", i),
			Participant: names[i%participants],
			At:          cfg.Start.Add(time.Duration(int64(window) / int64(n) * int64(i))),
		}
		if r.IntN(10) < 3 {
			units := int64(1 + r.IntN(1000)) // units of 10^14 wei = 10^-4 ETH
			c.Asset = token.ETH()
			c.Amount = decimal.New(units*scale, -4)
			c.Quotes = map[string]decimal.Decimal{
				"cryptocompare": decimal.New(300, -4),
				"coinmarketcap": decimal.New(301, -4),
				"gdax":          decimal.New(299, -4),
			}
		} else {
			c.Asset = token.BTC()
			c.Amount = decimal.New(int64(10000+r.IntN(990000))*scale, -8)
		}
		out[i] = c
	}
	return out
}

func runSale(b tb, cfg crowdsale.Config, in []crowdsale.Contribution) *crowdsale.Sale {
	s, err := crowdsale.NewSale(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for i := range in {
		if _, err := s.Contribute(in[i]); err != nil {
			b.Fatal(err)
		}
	}
	if err := s.Finalize(cfg.End); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkSale(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("contributions=%d", n), func(b *testing.B) {
			in := benchInputs(n)
			cfg := crowdsale.WeTrust2017()
			b.ReportAllocs()
			for b.Loop() {
				runSale(b, cfg, in)
			}
		})
	}
}

func TestBenchWorkloadAllocatesPool(t *testing.T) {
	in := benchInputs(10_000)
	s := runSale(t, crowdsale.WeTrust2017(), in)
	if err := s.Audit(); err != nil {
		t.Fatal(err)
	}
	st := s.Status(crowdsale.WeTrust2017().End)
	if st.Reason != crowdsale.EndWindow || st.Outcome != crowdsale.OutcomeSucceeded {
		t.Fatalf("status %+v", st)
	}
	sum := decimal.Zero
	for _, a := range s.Allocations() {
		sum = sum.Add(a.Amount)
	}
	if !sum.Equal(decimal.New(80_000_000, 0)) || len(s.Allocations()) != 2500 {
		t.Fatalf("allocated %s to %d", sum, len(s.Allocations()))
	}
	t.Logf("raised %s BTC", s.Raised().StringFixed(8))
}
