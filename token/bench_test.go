package token_test

import (
	"math/big"
	"math/rand/v2"
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
// 1,000 funded accounts. The ledger is rebuilt (off the clock) every 4,096 transfers so that
// the event log stays small and the figure does not drift with its growth.
func BenchmarkLedgerTransfer(b *testing.B) {
	grants := make([]token.Grant, 1000)
	for i := range grants {
		grants[i] = token.Grant{Account: token.Account("acct" + itoa(i)), Amount: token.TRST().MustParse("100000")}
	}
	g := token.Genesis{Asset: token.TRST(), Supply: token.TRST().MustParse("100000000"), Grants: grants}
	one := token.TRST().MustParse("1")
	var l *token.Ledger
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if i%4096 == 0 {
			b.StopTimer()
			var err error
			if l, err = token.NewLedger(g); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if err := l.Transfer(grants[i%1000].Account, grants[(i+1)%1000].Account, one); err != nil {
			b.Fatal(err)
		}
	}
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }
