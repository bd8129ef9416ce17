package crowdsale

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/internal/uint128"
)

func genU128() *rapid.Generator[uint128.U128] {
	return rapid.Custom(func(t *rapid.T) uint128.U128 {
		switch rapid.IntRange(0, 3).Draw(t, "shape") {
		case 0:
			return uint128.From64(rapid.Uint64().Draw(t, "lo"))
		case 1:
			return uint128.U128{Hi: rapid.Uint64Range(0, 3).Draw(t, "hi"), Lo: rapid.Uint64().Draw(t, "lo")}
		case 2: // a multiple of a large power of two
			return uint128.U128{Hi: rapid.Uint64().Draw(t, "hi"), Lo: 0}
		default:
			return uint128.U128{Hi: rapid.Uint64().Draw(t, "hi"), Lo: rapid.Uint64().Draw(t, "lo")}
		}
	})
}

// The weight helpers against math/big: gcd, the exact division by it, the fraction of a
// weight in lowest terms, and the conversion into a shared word buffer.
func TestRapidWeightHelpersMatchBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genU128().Draw(t, "a"), genU128().Draw(t, "b")
		ab, bb := a.Big(), b.Big()
		g := gcd(a, b)
		if g.Big().Cmp(new(big.Int).GCD(nil, nil, ab, bb)) != 0 && !(a.IsZero() && b.IsZero()) {
			t.Fatalf("gcd(%s, %s) = %s", ab, bb, g.Big())
		}
		if !g.IsZero() {
			if q := quoExact(a, g); q.Big().Cmp(new(big.Int).Quo(ab, g.Big())) != 0 {
				t.Fatalf("quoExact(%s, %s)", ab, g.Big())
			}
			if q := quoExact(b, g); q.Big().Cmp(new(big.Int).Quo(bb, g.Big())) != 0 {
				t.Fatalf("quoExact(%s, %s)", bb, g.Big())
			}
		}
		n := uint(rapid.IntRange(0, 130).Draw(t, "shift"))
		two128 := new(big.Int).Lsh(big.NewInt(1), 128)
		if got, want := shl(a, n).Big(), new(big.Int).Mod(new(big.Int).Lsh(ab, n), two128); got.Cmp(want) != 0 {
			t.Fatalf("shl(%s, %d) = %s, want %s", ab, n, got, want)
		}
		if got, want := shr(a, n).Big(), new(big.Int).Rsh(ab, n); got.Cmp(want) != 0 {
			t.Fatalf("shr(%s, %d) = %s, want %s", ab, n, got, want)
		}
		if tz := trailingZeros(a); !a.IsZero() && (new(big.Int).Rsh(ab, tz).Bit(0) != 1) || a.IsZero() && tz != 128 {
			t.Fatalf("trailingZeros(%s) = %d", ab, tz)
		}
		factor, den := rapid.Uint64Range(1, 2_000_000_000).Draw(t, "factor"), rapid.Uint64Range(1, 1_000_000_000).Draw(t, "den")
		unitExp := int32(rapid.IntRange(0, 40).Draw(t, "unitExp"))
		if got, want := weightString(a, factor, den, unitExp), weightRat(a, factor, den, unitExp).RatString(); got != want {
			t.Fatalf("weightString(%s, %d, %d, %d) = %s, want %s", ab, factor, den, unitExp, got, want)
		}
		words := make([]big.Word, wordsPerU128)
		var z big.Int
		if setBigWords(a, &z, words).Cmp(ab) != 0 {
			t.Fatal("setBigWords")
		}
	})
}
