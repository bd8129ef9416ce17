package rosca_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// benchConfig is the benchmark workload's circle: a bidding circle under WeTrustRules(), an
// asset with 18 decimals, contribution 1, fee 2 per mille, period 1 hour.
func benchConfig(n int) rosca.Config {
	return rosca.Config{
		Asset: token.ETH(), Kind: rosca.Bidding, Members: members(n), Foreperson: "m0", Operator: "op",
		Contribution: token.ETH().MustParse("1"), Start: t0, Period: time.Hour, Epochs: 1,
		Fee: token.MustRatio(2, 1000), Rules: rosca.WeTrustRules(), Seed: rosca.Seed{7},
	}
}

// runEpoch runs one epoch of the workload: each round every member contributes exactly 1
// in seat order; the first three members in seat order who have not won bid, in turn,
// 100%, 97% and 94% of the pot; the round closes at its deadline; the winner withdraws all
// it can. After the last round every member withdraws. after, if not nil, runs after
// every command.
func runEpoch(tb testing.TB, cfg rosca.Config, bids [3]token.Amount, after func(*rosca.Circle)) *rosca.Circle {
	c, err := rosca.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	step := func(err error) {
		if err != nil && !errors.Is(err, rosca.ErrNothingToWithdraw) {
			tb.Fatal(err)
		}
		if after != nil {
			after(c)
		}
	}
	n := len(cfg.Members)
	won := make([]bool, n)
	one := cfg.Contribution
	for r := 1; r <= n; r++ {
		now := cfg.Start.Add(time.Duration(r-1) * cfg.Period)
		for _, m := range cfg.Members {
			step(c.Contribute(now, m, one))
		}
		var bidders [3]int
		k := 0
		for i := 0; i < n && k < 3; i++ {
			if won[i] {
				continue
			}
			step(c.Bid(now, cfg.Members[i], bids[k]))
			bidders[k] = i
			k++
		}
		deadline := cfg.Start.Add(time.Duration(r) * cfg.Period)
		res, err := c.CloseRound(deadline)
		step(err)
		won[winnerSeat(cfg.Members, bidders[:k], res.Winner)] = true
		_, err = c.Withdraw(deadline, res.Winner)
		step(err)
	}
	end := cfg.Start.Add(time.Duration(n) * cfg.Period)
	for _, m := range cfg.Members {
		_, err := c.Withdraw(end, m)
		step(err)
	}
	return c
}

// winnerSeat returns the seat of the winner w, one of the bidders' seats when a bid won:
// the harness finds it as the baseline does, without a scan of every seat.
func winnerSeat(ms []token.Account, bidders []int, w token.Account) int {
	for _, i := range bidders {
		if ms[i] == w {
			return i
		}
	}
	return seatOf(ms, w)
}

func seatOf(ms []token.Account, a token.Account) int {
	for i, m := range ms {
		if m == a {
			return i
		}
	}
	return -1
}

func benchBids(n int) [3]token.Amount {
	pot, _ := token.ETH().MustParse("1").Mul(int64(n))
	return [3]token.Amount{pot, token.MustRatio(97, 100).MulFloor(pot), token.MustRatio(94, 100).MulFloor(pot)}
}

var benchSizes = []int{16, 64, 255, 1024}

func BenchmarkEpoch(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			cfg, bids := benchConfig(n), benchBids(n)
			b.ReportAllocs()
			for b.Loop() {
				runEpoch(b, cfg, bids, nil)
			}
		})
	}
}

// persister writes every event after the last one it wrote, as JSON lines, to w through
// a reused buffer: what a service does after each command.
type persister struct {
	w    io.Writer
	enc  rosca.Encoder
	buf  []byte
	last uint64
}

func (p *persister) persist(c *rosca.Circle) {
	buf, last := p.enc.AppendLines(p.buf[:0], c, p.last)
	if last != p.last {
		_, _ = p.w.Write(buf)
		p.last = last
	}
	p.buf = buf
}

// BenchmarkPersist is BenchmarkEpoch with every new event encoded to JSON and written to
// an io.Writer after each command.
func BenchmarkPersist(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			cfg, bids := benchConfig(n), benchBids(n)
			b.ReportAllocs()
			for b.Loop() {
				p := &persister{w: io.Discard, buf: make([]byte, 0, 4096)}
				runEpoch(b, cfg, bids, p.persist)
			}
		})
	}
}

// TestEpochWorkload checks that the benchmark does the intended work: every member wins
// once, the accounts audit, and only the fees and the remainder stay.
func TestEpochWorkload(t *testing.T) {
	c := runEpoch(t, benchConfig(16), benchBids(16), nil)
	audit(t, c)
	for _, p := range c.Positions() {
		if p.Wins != 1 || p.Balance.Sign() != 0 {
			t.Fatalf("%+v", p)
		}
	}
	tot := c.Totals()
	// Fees: 16 rounds x floor(16 x 2/1000 ETH) = 16 x 0.032 = 0.512 ETH.
	if sum, _ := tot.FeesReserved.Add(tot.Remainder); !tot.FeesReserved.Equal(token.ETH().MustParse("0.512")) || !tot.Cash.Equal(sum) {
		t.Fatalf("totals %+v", tot)
	}
}

// TestPersistWorkload checks that the persisted workload writes every event once, in
// order, and that the lines replay to the circle.
func TestPersistWorkload(t *testing.T) {
	var w bytes.Buffer
	p := &persister{w: &w}
	c := runEpoch(t, benchConfig(16), benchBids(16), p.persist)
	if lines := bytes.Count(w.Bytes(), []byte("\n")); lines != int(c.LastSeq()) || p.last != c.LastSeq() {
		t.Fatalf("%d lines written, %d events", lines, c.LastSeq())
	}
	d := rosca.NewDecoder(&w)
	r, err := rosca.Replay(c.Config(), d.Events())
	ok(t, err)
	ok(t, d.Err())
	if a, b := roundTripJSONBytes(c.Snapshot()), roundTripJSONBytes(r.Snapshot()); a != b {
		t.Fatal("the persisted log does not replay to the circle")
	}
}

// TestContributeAndBidAllocateO1 checks that a contribution and a bid allocate a bounded
// amount whatever the circle's size (amortised event append only), and that encoding a
// contribution's event does not allocate.
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
		buf := make([]byte, 0, 1024)
		last := c.LastSeq() - 1
		allocs = testing.AllocsPerRun(200, func() {
			for e := range c.EventsAfter(last) {
				buf = e.AppendJSON(buf[:0])
			}
		})
		if allocs > 0 {
			t.Fatalf("n=%d: %v allocations to encode a contribution", n, allocs)
		}
		// Successive bids of the pot, then 98% of the previous truncated to 0.01 ETH, built first.
		var bids []token.Amount
		u := big.NewInt(int64(n))
		u.Mul(u, big.NewInt(1e18))
		cent := big.NewInt(1e16)
		for range 21 {
			bids = append(bids, fromUnits(t, token.ETH(), u))
			u.Mul(u, big.NewInt(98))
			u.Quo(u, big.NewInt(100))
			u.Quo(u, cent)
			u.Mul(u, cent)
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

// TestEncoderMatchesAppendJSON: the Encoder's lines are byte for byte Event.AppendJSON's,
// whether it writes the log in one go or a few events at a time.
func TestEncoderMatchesAppendJSON(t *testing.T) {
	c := runEpoch(t, benchConfig(7), benchBids(7), nil)
	var want []byte
	for e := range c.EventsAfter(0) {
		want = append(e.AppendJSON(want), '\n')
	}
	var enc rosca.Encoder
	var got []byte
	for seq := uint64(0); seq < c.LastSeq(); {
		var e rosca.Event
		for e = range c.EventsAfter(seq) {
			break
		}
		got = append(enc.AppendJSON(got, &e), '\n')
		seq = e.Seq
		if seq%5 == 0 {
			got, seq = enc.AppendLines(got, c, seq)
		}
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Encoder wrote\n%s\nAppendJSON\n%s", got, want)
	}
}

// BenchmarkReplay replays the log of a 1,024-member epoch of the workload (1,054,716
// events): every command runs again and every event it produces is compared with the one
// given. from=slice replays a slice built before the timer with ReplayEvents (the replay
// alone); from=values replays the same slice through Replay and slices.Values, which
// copies each event out; from=circle streams them from the live circle's EventsAfter
// (building each event too). Side by side with BenchmarkEpoch/members=1024, the live run of the same
// commands.
func BenchmarkReplay(b *testing.B) {
	cfg := benchConfig(1024)
	live := runEpoch(b, cfg, benchBids(1024), nil)
	b.Run("from=slice", func(b *testing.B) {
		events := live.Events()
		runtime.GC() // the collection the 1,054,716 events call for is setup, not replay
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rosca.ReplayEvents(cfg, events); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("from=values", func(b *testing.B) {
		events := live.Events()
		runtime.GC()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rosca.Replay(cfg, slices.Values(events)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("from=circle", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := rosca.Replay(cfg, live.EventsAfter(0)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkEpoch10k runs one epoch of the workload with 10,000 members (100,350,000
// events) and reports its peak heap and the log's bytes per event. It runs only when
// -bench names it.
func BenchmarkEpoch10k(b *testing.B) {
	if !strings.Contains(benchFlag(), "10k") {
		b.Skip("a 10,000-member epoch takes seconds; run it with -bench Epoch10k")
	}
	cfg, bids := benchConfig(10_000), benchBids(10_000)
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		c := runEpoch(b, cfg, bids, nil)
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapInuse)/1e6, "heap-MB")
		b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(c.LastSeq()), "B/event")
		b.ReportMetric(float64(c.LastSeq()), "events")
	}
}

func benchFlag() string {
	if f := flag.Lookup("test.bench"); f != nil {
		return f.Value.String()
	}
	return ""
}

// TestReplayAllocatesAsLive checks that replaying a log allocates no more than running it:
// a replayed close's result is compared in place, not built on the heap for every round.
func TestReplayAllocatesAsLive(t *testing.T) {
	cfg, bids := benchConfig(64), benchBids(64)
	events := runEpoch(t, cfg, bids, nil).Events()
	live := testing.AllocsPerRun(5, func() { runEpoch(t, cfg, bids, nil) })
	replay := testing.AllocsPerRun(5, func() {
		if _, err := rosca.Replay(cfg, slices.Values(events)); err != nil {
			t.Fatal(err)
		}
	})
	if replay > live+8 { // a few for the replay's own loop; one a round would be 64 more
		t.Fatalf("replay allocates %v times, the live run %v (of %d rounds)", replay, live, len(cfg.Members))
	}
}
