package crowdsale_test

import (
	"flag"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
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
func benchInputs(n int) []crowdsale.Contribution { return benchWorkload(n, (n+3)/4) }

// benchWorkload is benchInputs with the given number of participants: contribution i comes
// from participant i mod participants.
func benchWorkload(n, participants int) []crowdsale.Contribution {
	g := newBenchGen(n, participants)
	out := make([]crowdsale.Contribution, n)
	for i := range out {
		out[i] = g.at(i)
	}
	return out
}

// benchGen holds the workload of benchInputs compactly, a few bytes a contribution and the
// ids in one string, and builds contribution i on demand without allocating, so that a sale
// of 10,000,000 contributions can be fed without holding 10,000,000 Contribution values.
// Above 1,000,000 contributions every amount is divided by n / 1,000,000 (rounded down), so
// that every n raises about 4,000 BTC.
type benchGen struct {
	start  time.Time
	step   time.Duration
	scale  uint64 // 1,000,000 / n, at least 1
	div    uint64 // n / 1,000,000, at least 1: above a million, amounts are divided by it
	ids    string // "c0c1c2...", contribution i's id at idEnd[i-1]:idEnd[i]
	idEnd  []uint32
	names  []token.Account
	units  []uint32 // ETH: units of 10^14 wei; BTC: satoshi, both before the scale
	eth    []bool
	quotes map[string]token.Amount // shared: the sale does not keep the map
}

func newBenchGen(n, participants int) *benchGen {
	cfg := crowdsale.WeTrust2017()
	r := rand.New(rand.NewPCG(1, 2))
	g := &benchGen{
		start: cfg.Start,
		step:  time.Duration(int64(cfg.End.Sub(cfg.Start)) / int64(n)),
		scale: uint64(max(1_000_000/n, 1)),
		div:   uint64(max(n/1_000_000, 1)),
		idEnd: make([]uint32, n),
		names: make([]token.Account, participants),
		units: make([]uint32, n),
		eth:   make([]bool, n),
		quotes: map[string]token.Amount{
			"cryptocompare": token.BTC().FromUint64Units(3_000_000),
			"coinmarketcap": token.BTC().FromUint64Units(3_010_000),
			"gdax":          token.BTC().FromUint64Units(2_990_000),
		},
	}
	for i := range g.names {
		g.names[i] = token.Account("p" + strconv.Itoa(i))
	}
	ids := make([]byte, 0, 9*n)
	for i := range n {
		ids = strconv.AppendInt(append(ids, 'c'), int64(i), 10)
		g.idEnd[i] = uint32(len(ids))
		if r.IntN(10) < 3 {
			g.eth[i], g.units[i] = true, uint32(1+r.IntN(1000))
		} else {
			g.units[i] = uint32(10000 + r.IntN(990000))
		}
	}
	g.ids = string(ids)
	return g
}

// at returns contribution i.
func (g *benchGen) at(i int) crowdsale.Contribution {
	from := uint32(0)
	if i > 0 {
		from = g.idEnd[i-1]
	}
	c := crowdsale.Contribution{
		ID:          g.ids[from:g.idEnd[i]],
		Participant: g.names[i%len(g.names)],
		At:          g.start.Add(g.step * time.Duration(i)),
	}
	if g.eth[i] {
		c.Amount = token.ETH().FromUint64Units(uint64(g.units[i]) * g.scale * (100_000_000_000_000 / g.div))
		c.Quotes = g.quotes
	} else {
		c.Amount = token.BTC().FromUint64Units(uint64(g.units[i]) * g.scale / g.div)
	}
	return c
}

// ingest returns a sale of cfg fed the n contributions that at returns, through
// ContributeAll in batches of 4,096, calling every (when not nil) after each millionth.
func ingest(b tb, cfg crowdsale.Config, n int, at func(i int) crowdsale.Contribution, every func()) *crowdsale.Sale {
	s, err := crowdsale.NewSale(cfg)
	if err != nil {
		b.Fatal(err)
	}
	batch := make([]crowdsale.Contribution, 0, 4096)
	for i := range n {
		batch = append(batch, at(i))
		if len(batch) == cap(batch) || i == n-1 {
			if k, err := s.ContributeAll(batch); err != nil {
				b.Fatalf("contribution %d: %v", i+1-len(batch)+k, err)
			}
			batch = batch[:0]
		}
		if every != nil && i%1_000_000 == 999_999 {
			every()
		}
	}
	return s
}

func finalize(b tb, s *crowdsale.Sale) *crowdsale.Sale {
	if err := s.Finalize(s.Config().End); err != nil {
		b.Fatal(err)
	}
	return s
}

// runSale returns the sale of cfg fed in with ContributeAll, finalized.
func runSale(b tb, cfg crowdsale.Config, in []crowdsale.Contribution) *crowdsale.Sale {
	s, err := crowdsale.NewSale(cfg)
	if err != nil {
		b.Fatal(err)
	}
	if k, err := s.ContributeAll(in); err != nil {
		b.Fatalf("contribution %d: %v", k, err)
	}
	return finalize(b, s)
}

// runSaleOneByOne is runSale calling Contribute for each contribution.
func runSaleOneByOne(b tb, cfg crowdsale.Config, in []crowdsale.Contribution) *crowdsale.Sale {
	s, err := crowdsale.NewSale(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for i := range in {
		if _, err := s.Contribute(in[i]); err != nil {
			b.Fatalf("contribution %d: %v", i, err)
		}
	}
	return finalize(b, s)
}

// BenchmarkSale is the sale workload fed in bulk, with ContributeAll: the way a service
// records a block of contributions, and the figure set beside the baseline.
func BenchmarkSale(b *testing.B) { benchSale(b, runSale) }

// BenchmarkSaleOneByOne is BenchmarkSale calling Contribute for each contribution, and
// dropping its receipt.
func BenchmarkSaleOneByOne(b *testing.B) { benchSale(b, runSaleOneByOne) }

func benchSale(b *testing.B, run func(tb, crowdsale.Config, []crowdsale.Contribution) *crowdsale.Sale) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run("contributions="+strconv.Itoa(n), func(b *testing.B) {
			in := benchInputs(n)
			cfg := crowdsale.WeTrust2017()
			b.ReportAllocs()
			for b.Loop() {
				run(b, cfg, in)
			}
		})
	}
}

// BenchmarkDistribute finalizes a sale of 1,000,000 participants (one contribution each,
// ingested before the timer) and distributes it into a fresh TRST ledger, whose events are
// kept: one op is Finalize, NewLedger and Distribute.
func BenchmarkDistribute(b *testing.B) { benchDistribute(b, nil) }

// BenchmarkDistributeLocked is BenchmarkDistribute with DistributeLocked: one vesting grant
// per participant, a 1-year cliff then monthly over 4 years.
func BenchmarkDistributeLocked(b *testing.B) {
	start := time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC)
	benchDistribute(b, &crowdsale.LockUp{Schedule: token.CalendarSchedule(token.Amount{}, start, token.Monthly, 48, 12)})
}

func benchDistribute(b *testing.B, lock *crowdsale.LockUp) {
	const n = 1_000_000
	g := newBenchGen(n, n)
	cfg := crowdsale.WeTrust2017()
	accounts := token.TRSTAccounts{Sale: cfg.SaleAccount, Team: "team", Organisation: "org", Bounties: "bounties"}
	distribute := func(s *crowdsale.Sale, l *token.Ledger) error {
		if lock != nil {
			return s.DistributeLocked(l, *lock)
		}
		return s.Distribute(l)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := ingest(b, cfg, n, g.at, nil)
		runtime.GC()
		b.StartTimer()
		finalize(b, s)
		l, err := token.NewLedger(token.TRSTGenesis(accounts))
		if err != nil {
			b.Fatal(err)
		}
		if err := distribute(s, l); err != nil {
			b.Fatal(err)
		}
		if l.LastSeq() != n+4 {
			b.Fatalf("%d ledger events", l.LastSeq())
		}
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

// feed runs a sale of g's n contributions to its end and finalizes it.
func feed(b *testing.B, g *benchGen, n int) *crowdsale.Sale {
	return finalize(b, ingest(b, crowdsale.WeTrust2017(), n, g.at, nil))
}

// named10M skips b unless the -bench pattern names the size (contains "10M" or
// "10000000"): the 10,000,000-contribution benchmarks take seconds and gigabytes.
func named10M(b *testing.B) {
	f := flag.Lookup("test.bench")
	if f == nil || !strings.Contains(f.Value.String(), "10M") && !strings.Contains(f.Value.String(), "10000000") {
		b.Skip("runs only when -bench names 10M or 10000000")
	}
}

// heapInUse returns the bytes of heap in use after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// BenchmarkSale10M is BenchmarkSale's workload at 10,000,000 contributions (2,500,000
// participants), fed from a compact generator. It reports the heap the finished sale holds
// (heap-MB) and the peak heap in use during the op (peak-MB, sampled every 1,000,000
// contributions), besides time and B/op. Skipped unless -bench names 10M.
func BenchmarkSale10M(b *testing.B) {
	named10M(b)
	const n = 10_000_000
	g := newBenchGen(n, (n+3)/4)
	b.ReportAllocs()
	var held, peak uint64
	for b.Loop() {
		before := heapInUse()
		var m runtime.MemStats
		sample := func() {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse-before)
		}
		s := finalize(b, ingest(b, crowdsale.WeTrust2017(), n, g.at, sample))
		sample()
		b.StopTimer()
		held = heapInUse() - before
		runtime.KeepAlive(s)
		b.StartTimer()
	}
	b.ReportMetric(float64(held)/1e6, "heap-MB")
	b.ReportMetric(float64(peak)/1e6, "peak-MB")
}

// BenchmarkAudit audits a finalized sale of BenchmarkSale's workload; the 10,000,000 size
// runs only when -bench names 10M. Compare with BenchmarkSale at the same size: the audit
// costs less than the sale.
func BenchmarkAudit(b *testing.B) {
	for _, n := range []int{1_000_000, 10_000_000} {
		b.Run("contributions="+strconv.Itoa(n), func(b *testing.B) {
			if n > 1_000_000 {
				named10M(b)
			}
			s := feed(b, newBenchGen(n, (n+3)/4), n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := s.Audit(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// quoteCase is a sub-benchmark of BenchmarkQuoteFeeds: a quote rule of rule decimals fed
// quotes of feed decimals, for the coin quoted (ETH, or an 8-decimal coin) at about base
// (a decimal string) of BTC per coin.
type quoteCase struct {
	name       string
	rule, feed int
	coin       token.Asset
	base       string
}

// config returns the WeTrust2017 sale with the case's quote rule (rounding half-even) and
// coin.
func (q quoteCase) config() crowdsale.Config {
	cfg := crowdsale.WeTrust2017()
	cfg.Accepted = []token.Asset{token.BTC(), q.coin}
	cfg.Quotes.Decimals, cfg.Quotes.Rounding = q.rule, crowdsale.RoundHalfEven
	return cfg
}

// feeds returns k quote maps at the feed's decimals, each differing from the next: three
// sources around base, moved by i x 7 units of the feed's last decimal in map i.
func (q quoteCase) feeds(k int) []map[string]token.Amount {
	a, err := token.NewAsset("BTC", q.feed)
	if err != nil {
		panic(err)
	}
	base := a.MustParse(q.base)
	out := make([]map[string]token.Amount, k)
	for i := range out {
		at := func(d int64) token.Amount {
			x, err := base.Add(a.FromInt64Units(int64(i)*7 + d))
			if err != nil {
				panic(err)
			}
			return x
		}
		out[i] = map[string]token.Amount{"cryptocompare": at(0), "coinmarketcap": at(3), "gdax": at(-3)}
	}
	return out
}

// BenchmarkQuoteFeeds is BenchmarkSale's workload at 100,000 contributions with fresh quotes
// on every quoted contribution, as a live feed gives them: each differs from the one before,
// so each is a new quote set, parsed and rounded to the rule's decimals. The cases: the seed's
// rule of 8 decimals fed ETH quotes of 18 decimals (rounded), and a rule of 18 decimals (a sale
// in BTC accepting an 8-decimal coin, "LTC") fed quotes of 10 decimals (scaled exactly) and
// of 18 (used as given).
func BenchmarkQuoteFeeds(b *testing.B) {
	ltc, err := token.NewAsset("LTC", 8)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []quoteCase{
		{"decimals=8/feed=18", 8, 18, token.ETH(), "0.03"},
		{"decimals=18/feed=10", 18, 10, ltc, "0.0015"},
		{"decimals=18/feed=18", 18, 18, ltc, "0.0015"},
	} {
		b.Run(q.name, func(b *testing.B) {
			const n = 100_000
			cfg := q.config()
			if err := cfg.Validate(); err != nil {
				b.Fatal(err)
			}
			feeds := q.feeds(64)
			in := benchInputs(n)
			k := 0
			for i := range in {
				if in[i].Quotes == nil {
					continue
				}
				if q.coin != token.ETH() { // (1 to 1000) x 10^4 x s litoshi for (1 to 1000) x 10^14 x s wei
					u, _ := in[i].Amount.Int64Units()
					in[i].Amount = q.coin.FromInt64Units(u / 10_000_000_000)
				}
				in[i].Quotes, k = feeds[k%len(feeds)], k+1
			}
			b.ReportAllocs()
			for b.Loop() {
				runSale(b, cfg, in)
			}
		})
	}
}
