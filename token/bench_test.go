package token_test

import (
	"math/big"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"

	"github.com/trustcircle/trustcircle/token"
)

// benchWeights returns n pseudo-random weights in [1, 10^12], like satoshi values times a
// bonus, drawn from a fixed seed.
func benchWeights(n int) []big.Int {
	r := rand.New(rand.NewPCG(1, 2))
	w := make([]big.Int, n)
	for i := range w {
		w[i].SetUint64(1 + r.Uint64N(1_000_000_000_000))
	}
	return w
}

// BenchmarkAllocate allocates the 80M TRST sale pool (6 decimals, 8x10^13 minor units) over
// n weights with AllocateUnits (largest remainder), and the Amount form, Allocate, at a
// smaller size.
func BenchmarkAllocate(b *testing.B) {
	pool := big.NewInt(80_000_000_000_000)
	for _, n := range []int{250_000, 1_000_000} {
		w := benchWeights(n)
		b.Run("weights="+itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := token.AllocateUnits(pool, w, token.LargestRemainder()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Weights whose sum exceeds 64 bits take the big.Int path.
	wide := benchWeights(250_000)
	for i := range wide {
		wide[i].Lsh(&wide[i], 30)
	}
	b.Run("bigweights=250000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := token.AllocateUnits(pool, wide, token.LargestRemainder()); err != nil {
				b.Fatal(err)
			}
		}
	})
	const n = 100_000
	w := benchWeights(n)
	uw := make([]uint64, n)
	for i := range w {
		uw[i] = w[i].Uint64()
	}
	amount := token.TRST().MustParse("80000000")
	b.Run("amount/weights="+itoa(n), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := token.Allocate(amount, uw); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLedgerTransfer measures one Transfer of 1 TRST between accounts of a ledger with
// 1,000 funded accounts, in steady state: one ledger for all b.N transfers, its event log
// kept and growing as a live ledger's does (nothing is rebuilt off the clock).
func BenchmarkLedgerTransfer(b *testing.B) {
	grants := make([]token.Grant, 1000)
	for i := range grants {
		grants[i] = token.Grant{Account: token.Account("acct" + itoa(i)), Amount: token.TRST().MustParse("100000")}
	}
	g := token.Genesis{Asset: token.TRST(), Supply: token.TRST().MustParse("100000000"), Grants: grants}
	one := token.TRST().MustParse("1")
	l, err := token.NewLedger(g)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := l.Transfer(grants[i%1000].Account, grants[(i+1)%1000].Account, one); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if l.LastSeq() != uint64(1000+i) {
		b.Fatalf("%d events for %d transfers", l.LastSeq(), i)
	}
}

// distinctAccounts returns n distinct accounts in the 0x-address style.
func distinctAccounts(n int) []token.Account {
	out := make([]token.Account, n)
	for i := range out {
		out[i] = token.Account("0x" + strconv.FormatUint(uint64(i)*2654435761+1<<40, 16))
	}
	return out
}

// BenchmarkTransferMany distributes a sale: one op is 1,000,000 transfers from one account
// to 1,000,000 distinct accounts, into a fresh ledger whose events are all kept. It reports
// the time and the bytes allocated per transfer.
func BenchmarkTransferMany(b *testing.B) {
	const n = 1_000_000
	accs := distinctAccounts(n)
	trst := token.TRST()
	g := token.Genesis{Asset: trst, Supply: trst.MustParse("80000000"), Grants: []token.Grant{{Account: "sale", Amount: trst.MustParse("80000000")}}}
	x := trst.MustParse("1.5")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	for b.Loop() {
		l, err := token.NewLedger(g)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range accs {
			if err := l.Transfer("sale", a, x); err != nil {
				b.Fatal(err)
			}
		}
		if l.LastSeq() != n+1 {
			b.Fatalf("%d events", l.LastSeq())
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/transfer")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/n, "B/transfer")
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }
