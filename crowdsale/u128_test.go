package crowdsale

import (
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func genU128() *rapid.Generator[u128] {
	return rapid.Custom(func(t *rapid.T) u128 {
		switch rapid.IntRange(0, 3).Draw(t, "shape") {
		case 0:
			return u64(rapid.Uint64().Draw(t, "lo"))
		case 1:
			return u128{hi: rapid.Uint64Range(0, 3).Draw(t, "hi"), lo: rapid.Uint64().Draw(t, "lo")}
		case 2: // a multiple of a large power of two
			return u128{hi: rapid.Uint64().Draw(t, "hi"), lo: 0}
		default:
			return u128{hi: rapid.Uint64().Draw(t, "hi"), lo: rapid.Uint64().Draw(t, "lo")}
		}
	})
}

// The 128-bit helpers against math/big.
func TestRapidU128MatchesBig(t *testing.T) {
	two128 := new(big.Int).Lsh(big.NewInt(1), 128)
	rapid.Check(t, func(t *rapid.T) {
		a, b := genU128().Draw(t, "a"), genU128().Draw(t, "b")
		m := rapid.Uint64().Draw(t, "m")
		ab, bb := a.big(), b.big()
		if back, ok := fromBig(ab); !ok || back != a {
			t.Fatalf("fromBig(%s)", ab)
		}
		sum, over := a.add(b)
		want := new(big.Int).Add(ab, bb)
		if over != (want.Cmp(two128) >= 0) || !over && sum.big().Cmp(want) != 0 {
			t.Fatalf("add %s %s", ab, bb)
		}
		prod, over := a.mul64(m)
		want = new(big.Int).Mul(ab, new(big.Int).SetUint64(m))
		if over != (want.Cmp(two128) >= 0) || !over && prod.big().Cmp(want) != 0 {
			t.Fatalf("mul64 %s %d", ab, m)
		}
		if a.cmp(b) != ab.Cmp(bb) {
			t.Fatal("cmp")
		}
		if a.cmp(b) >= 0 && a.sub(b).big().Cmp(new(big.Int).Sub(ab, bb)) != 0 {
			t.Fatal("sub")
		}
		if m != 0 {
			q, r := a.quo64(m)
			wq, wr := new(big.Int).QuoRem(ab, new(big.Int).SetUint64(m), new(big.Int))
			if q.big().Cmp(wq) != 0 || r != wr.Uint64() {
				t.Fatalf("quo64 %s %d", ab, m)
			}
		}
		g := gcd(a, b)
		if g.big().Cmp(new(big.Int).GCD(nil, nil, ab, bb)) != 0 && !(a.isZero() && b.isZero()) {
			t.Fatalf("gcd(%s, %s) = %s", ab, bb, g.big())
		}
		if !g.isZero() {
			if q := quoExact(a, g); q.big().Cmp(new(big.Int).Quo(ab, g.big())) != 0 {
				t.Fatalf("quoExact(%s, %s)", ab, g.big())
			}
		}
		words := make([]big.Word, wordsPerU128)
		var z big.Int
		if a.setBigWords(&z, words).Cmp(ab) != 0 {
			t.Fatal("setBigWords")
		}
	})
}

// scaleInt against decimal arithmetic.
func TestRapidScaleInt(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		coef := rapid.Int64Range(0, 1<<62).Draw(t, "coef")
		exp := int32(rapid.IntRange(-40, 40).Draw(t, "exp"))
		shift := int32(rapid.IntRange(0, 26).Draw(t, "shift"))
		d := decimal.New(coef, exp)
		got, err := scaleInt(d, shift)
		x := d.Shift(shift)
		switch {
		case !x.IsInteger():
			if err != errNotInteger {
				t.Fatalf("%s<<%d: %v, want not an integer", d, shift, err)
			}
		case x.BigInt().BitLen() > 128:
			if err != errTooLarge {
				t.Fatalf("%s<<%d: %v, want too large", d, shift, err)
			}
		default:
			// numbers of 10^40 or more are refused even if they fit 128 bits
			if err == errTooLarge && x.Cmp(decimal.New(1, 38)) >= 0 {
				return
			}
			if err != nil || got.big().Cmp(x.BigInt()) != 0 {
				t.Fatalf("%s<<%d: %v %v", d, shift, got.big(), err)
			}
		}
	})
}
