package crowdsale_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// benchInputs generates the fixed workload of BenchmarkSale: the WeTrust2017 sale fed n
// contributions drawn from rand.New(rand.NewPCG(1, 2)) with s = 1,000,000 / n: contribution i
// comes from participant i mod ceil(n/4) at start + i x (window / n); with probability 3/10
// it is ETH of (1 + r.IntN(1000)) x 10^14 x s wei with quotes 0.0300, 0.0301 and 0.0299 BTC
// per ETH, else BTC of (10000 + r.IntN(990000)) x s satoshi. Every n raises about 4,000 BTC,
// inside the minimum and the cap.
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
			units := uint64(1 + r.IntN(1000)) // units of 10^14 wei = 10^-4 ETH
			c.Amount, _ = token.ETH().FromUint64Units(units * uint64(scale)).Mul(100_000_000_000_000)
			c.Quotes = map[string]token.Amount{
				"cryptocompare": token.BTC().FromUint64Units(3_000_000),
				"coinmarketcap": token.BTC().FromUint64Units(3_010_000),
				"gdax":          token.BTC().FromUint64Units(2_990_000),
			}
		} else {
			c.Amount = token.BTC().FromInt64Units(int64(10000+r.IntN(990000)) * scale)
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
	sum := token.TRST().Zero()
	for _, a := range s.Allocations() {
		sum, _ = sum.Add(a.Amount)
	}
	if !sum.Equal(trst("80000000")) || len(s.Allocations()) != 2500 {
		t.Fatalf("allocated %s to %d", sum, len(s.Allocations()))
	}
	t.Logf("raised %s BTC", s.Raised().Trim(8))
}
