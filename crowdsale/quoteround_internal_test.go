package crowdsale

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// The rounding of a quote given at other decimals works on 128-bit integers and gives, to the
// minor unit, what math/big gives: for every rounding, any pair of decimals (0 to 36, so a
// scale of up to 10^36 either way) and magnitudes up to 2^128 - 1 minor units.
func TestRapidRoundQuoteMatchesBig(t *testing.T) {
	roundings := []QuoteRounding{RoundHalfEven, RoundHalfUp, RoundDown, RoundUp}
	rapid.Check(t, func(t *rapid.T) {
		from, err := token.NewAsset("BTC", rapid.IntRange(0, token.MaxDecimals).Draw(t, "from"))
		if err != nil {
			t.Fatal(err)
		}
		to, err := token.NewAsset("BTC", rapid.IntRange(0, token.MaxDecimals).Draw(t, "to"))
		if err != nil {
			t.Fatal(err)
		}
		var u uint128.U128
		switch rapid.IntRange(0, 3).Draw(t, "shape") {
		case 0: // small
			u = uint128.From64(rapid.Uint64Range(1, 1<<20).Draw(t, "lo"))
		case 1: // a tie or near one: m x 10^k + 10^k/2 + d
			k := rapid.IntRange(1, 36).Draw(t, "k")
			p, _ := mulPow10(uint128.From64(1), k)
			half, _ := p.QuoRem64(2)
			m, _ := p.Mul64(rapid.Uint64Range(0, 40).Draw(t, "m"))
			u, _ = m.Add(half)
			if d := rapid.IntRange(-1, 1).Draw(t, "d"); d > 0 {
				u, _ = u.Add(uint128.From64(1))
			} else if d < 0 && !u.IsZero() {
				u, _ = u.Sub(uint128.From64(1))
			}
		case 2:
			u = uint128.From64(rapid.Uint64Range(1, 1<<64-1).Draw(t, "lo"))
		default:
			u = uint128.U128{Hi: rapid.Uint64().Draw(t, "hi"), Lo: rapid.Uint64().Draw(t, "lo")}
		}
		if u.IsZero() {
			u = uint128.From64(1)
		}
		x := from.FromUint128Units(u.Hi, u.Lo)
		r := roundings[rapid.IntRange(0, len(roundings)-1).Draw(t, "rounding")]
		want := roundQuoteBig(x, to, r)
		got, ok := roundQuote128(x, to, r)
		if !ok {
			// only a scale up beyond 128 bits declines
			if p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(to.Decimals()-from.Decimals())), nil); from.Decimals() > to.Decimals() ||
				new(big.Int).Mul(x.Units(), p).BitLen() <= 128 {
				t.Fatalf("%s to %d decimals (%s): declined", x, to.Decimals(), r)
			}
			got = roundQuote(x, to, r)
		}
		if !got.Equal(want) || got.String() != want.String() || got.Asset() != want.Asset() {
			t.Fatalf("%s to %d decimals (%s): %s, math/big %s", x, to.Decimals(), r, got, want)
		}
		if y := roundQuote(x, to, r); !y.Equal(want) {
			t.Fatalf("roundQuote %s, math/big %s", y, want)
		}
	})
}

// The quotes given at 10 and 18 decimals of the package's rounding tests, and the largest
// magnitudes and scales, round the same on both paths.
func TestRoundQuoteEdges(t *testing.T) {
	asset := func(d int) token.Asset {
		a, err := token.NewAsset("BTC", d)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	maxU := asset(36).FromUint128Units(1<<64-1, 1<<64-1)
	for _, c := range []struct {
		x  token.Amount
		to int
	}{
		{asset(10).MustParse("0.0300000050"), 8},
		{asset(18).MustParse("0.029999999999999999"), 8},
		{asset(18).MustParse("0.029999999999999999"), 10},
		{asset(10).MustParse("0.0300000050"), 18},
		{maxU, 0},
		{maxU, 35},
		{asset(0).FromUint128Units(1<<64-1, 1<<64-1), 36}, // scaled past 2^128: math/big
		{asset(0).FromUint64Units(1), 36},
		{asset(36).FromUint64Units(5), 35},
	} {
		for _, r := range []QuoteRounding{RoundHalfEven, RoundHalfUp, RoundDown, RoundUp} {
			a := asset(c.to)
			if got, want := roundQuote(c.x, a, r), roundQuoteBig(c.x, a, r); !got.Equal(want) || got.String() != want.String() {
				t.Errorf("%s to %d decimals (%s): %s, math/big %s", c.x, c.to, r, got, want)
			}
		}
	}
	if _, ok := roundQuote128(asset(0).FromUint128Units(1<<64-1, 1<<64-1), asset(36), RoundDown); ok {
		t.Error("a scale past 2^128 did not decline")
	}
}

// roundQuote allocates nothing on 128-bit integers.
func TestRoundQuoteAllocatesNothing(t *testing.T) {
	x := token.BTC().FromUint64Units(3_000_000)
	fine, _ := token.NewAsset("BTC", 18)
	y := fine.MustParse("0.030000000499999999")
	if n := testing.AllocsPerRun(100, func() {
		roundQuote(y, token.BTC(), RoundHalfEven)
		roundQuote(x, fine, RoundHalfEven)
	}); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
