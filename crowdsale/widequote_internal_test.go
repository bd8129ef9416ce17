package crowdsale

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/internal/uint128"
)

// drawU128 draws a 128-bit integer of uniformly random bit length.
func drawU128(t *rapid.T, name string) uint128.U128 {
	n := rapid.IntRange(0, 128).Draw(t, name+" bits")
	u := uint128.U128{Hi: rapid.Uint64().Draw(t, name+" hi"), Lo: rapid.Uint64().Draw(t, name+" lo")}
	switch {
	case n == 0:
		return uint128.U128{}
	case n <= 64:
		return uint128.U128{Lo: u.Lo >> (64 - n)}
	}
	return uint128.U128{Hi: u.Hi >> (128 - n), Lo: u.Lo}
}

// TestRapidPerMinor compares mulPer, quoPer and half, on both the 64-bit and the 128-bit
// path, with math/big.
func TestRapidPerMinor(t *testing.T) {
	limit := new(big.Int).Lsh(big.NewInt(1), 128)
	rapid.Check(t, func(t *rapid.T) {
		u, per := drawU128(t, "units"), drawU128(t, "per")
		p := new(big.Int).Mul(u.Big(), per.Big())
		got, over := mulPer(u, per)
		if over != (p.Cmp(limit) >= 0) || !over && got.Big().Cmp(p) != 0 {
			t.Fatalf("mulPer(%v, %v) = %v, %v; want %s", u, per, got, over, p)
		}
		if !per.IsZero() {
			q := new(big.Int).Quo(u.Big(), per.Big())
			if got := quoPer(u, per); got.Big().Cmp(q) != 0 {
				t.Fatalf("quoPer(%v, %v) = %v, want %s", u, per, got, q)
			}
		}
		even := uint128.U128{Hi: u.Hi, Lo: u.Lo &^ 1}
		if got := half(even); got.Big().Cmp(new(big.Int).Rsh(even.Big(), 1)) != 0 {
			t.Fatalf("half(%v) = %v", even, got)
		}
	})
}
