package crowdsale

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// proRata64 gives exactly what token.AllocateUnits gives (largest remainder, ties to the
// lower position), in machine words, and declines when the weights do not fit.
func TestRapidProRata64MatchesAllocateUnits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pool := rapid.Uint64Range(0, 1<<63).Draw(t, "pool")
		n := rapid.IntRange(1, 40).Draw(t, "n")
		ws := make([]uint128.U128, n)
		bw := make([]big.Int, n)
		small := rapid.Bool().Draw(t, "small") // small weights tie often
		for i := range ws {
			if small {
				ws[i] = uint128.From64(rapid.Uint64Range(0, 3).Draw(t, "w"))
			} else {
				ws[i] = uint128.From64(rapid.Uint64Range(0, 1<<58).Draw(t, "w"))
			}
		}
		ws[rapid.IntRange(0, n-1).Draw(t, "positive")] = uint128.From64(1 + ws[0].Lo%7)
		for i := range ws {
			bw[i].SetUint64(ws[i].Lo)
		}
		got, ok := proRata64(pool, n, func(k int) uint128.U128 { return ws[k] })
		if !ok {
			t.Fatal("declined weights that fit")
		}
		want, err := token.AllocateUnits(new(big.Int).SetUint64(pool), bw, token.LargestRemainder())
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if !want[i].IsUint64() || want[i].Uint64() != got[i] {
				t.Fatalf("part %d: %d, AllocateUnits %s", i, got[i], &want[i])
			}
		}
	})
	if _, ok := proRata64(10, 2, func(k int) uint128.U128 { return uint128.U128{Hi: 1} }); ok {
		t.Fatal("accepted a weight of 2^64")
	}
	if _, ok := proRata64(10, 2, func(k int) uint128.U128 { return uint128.From64(1 << 63) }); ok {
		t.Fatal("accepted weights summing to 2^64")
	}
}
