package token_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/token"
)

// valRat returns r as a big.Rat, from its terms.
func valRat(r token.Ratio) *big.Rat {
	return new(big.Rat).SetFrac(new(big.Int).SetUint64(r.Num()), new(big.Int).SetUint64(r.Den()))
}

// valGCD returns gcd(a, b), computed without the code under test.
func valGCD(a, b uint64) uint64 {
	return new(big.Int).GCD(nil, nil, new(big.Int).SetUint64(a), new(big.Int).SetUint64(b)).Uint64()
}

// drawRatio draws a ratio: often a terminating percentage (a denominator 2^i x 5^j), often
// with terms near 2^64.
func drawRatio(t *rapid.T, label string) token.Ratio {
	var den uint64
	switch rapid.IntRange(0, 3).Draw(t, label+".kind") {
	case 0:
		den = rapid.Uint64Range(1, 1000).Draw(t, label+".den")
	case 1:
		den = 1
		for range rapid.IntRange(0, 63).Draw(t, label+".twos") {
			den *= 2
		}
		for range rapid.IntRange(0, 27).Draw(t, label+".fives") {
			if den > math.MaxUint64/5 {
				break
			}
			den *= 5
		}
	case 2:
		den = math.MaxUint64 - rapid.Uint64Range(0, 3).Draw(t, label+".off")
	default:
		den = rapid.Uint64Min(1).Draw(t, label+".den")
	}
	num := rapid.OneOf(rapid.Uint64Range(0, den), rapid.SampledFrom([]uint64{0, 1, den / 2, den - 1, den})).Draw(t, label+".num")
	r, err := token.NewRatio(num, den)
	if err != nil {
		t.Fatalf("NewRatio(%d, %d): %v", num, den, err)
	}
	return r
}

func TestRatioNewReduces(t *testing.T) {
	for _, tc := range []struct {
		num, den uint64
		n, d     uint64
	}{
		{20, 1000, 1, 50},
		{2, 1000, 1, 500},
		{3, 1000, 3, 1000},
		{0, 5, 0, 1},
		{0, math.MaxUint64, 0, 1},
		{7, 7, 1, 1},
		{math.MaxUint64, math.MaxUint64, 1, 1},
		{math.MaxUint64 - 1, math.MaxUint64, math.MaxUint64 - 1, math.MaxUint64},
		{1 << 62, 1 << 63, 1, 2},
		{6, 9, 2, 3},
	} {
		r, err := token.NewRatio(tc.num, tc.den)
		if err != nil || r.Num() != tc.n || r.Den() != tc.d {
			t.Errorf("NewRatio(%d, %d) = %d/%d, %v; want %d/%d", tc.num, tc.den, r.Num(), r.Den(), err, tc.n, tc.d)
		}
		if s, _ := token.NewRatio(tc.n, tc.d); s != r || !s.Equal(r) {
			t.Errorf("NewRatio(%d, %d) and its lowest terms are not == and Equal", tc.num, tc.den)
		}
	}
	if z, _ := token.NewRatio(0, 9); z != (token.Ratio{}) || !z.IsZero() {
		t.Error("0/9 is not the zero Ratio")
	}
	for _, tc := range [][2]uint64{{1, 0}, {0, 0}, {2, 1}, {6, 4}, {math.MaxUint64, math.MaxUint64 - 1}} {
		_, err := token.NewRatio(tc[0], tc[1])
		e := valWantErr(t, err, token.ErrInvalidRatio, "NewRatio")
		if !strings.Contains(e.Input, "/") {
			t.Errorf("NewRatio(%d, %d): Input %q", tc[0], tc[1], e.Input)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		den := rapid.Uint64Min(1).Draw(t, "den")
		num := rapid.Uint64Range(0, den).Draw(t, "num")
		r, err := token.NewRatio(num, den)
		want := new(big.Rat).SetFrac(new(big.Int).SetUint64(num), new(big.Int).SetUint64(den))
		if err != nil || valRat(r).Cmp(want) != 0 || valGCD(r.Num(), r.Den()) != 1 || r.Num() > r.Den() {
			t.Fatalf("NewRatio(%d, %d) = %d/%d, %v", num, den, r.Num(), r.Den(), err)
		}
	})
}

func TestRatioConstructors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		f     func(uint64) (token.Ratio, error)
		limit uint64
		den   uint64
	}{
		{"PerMille", token.PerMille, 1000, 1000},
		{"BasisPoints", token.BasisPoints, 10000, 10000},
		{"Percent", token.Percent, 100, 100},
	} {
		for _, n := range []uint64{0, 1, tc.limit / 2, tc.limit - 1, tc.limit} {
			r, err := tc.f(n)
			want := new(big.Rat).SetFrac(new(big.Int).SetUint64(n), new(big.Int).SetUint64(tc.den))
			if err != nil || valRat(r).Cmp(want) != 0 {
				t.Errorf("%s(%d) = %v, %v", tc.name, n, r, err)
			}
		}
		for _, n := range []uint64{tc.limit + 1, math.MaxUint64} {
			_, err := tc.f(n)
			valWantErr(t, err, token.ErrInvalidRatio, "NewRatio")
		}
	}
	if r, _ := token.PerMille(20); r.Num() != 1 || r.Den() != 50 {
		t.Errorf("PerMille(20) = %d/%d, want 1/50", r.Num(), r.Den())
	}
	if r, _ := token.Percent(100); r != token.One() {
		t.Errorf("Percent(100) = %v", r)
	}
	if token.MustRatio(2, 4) != token.MustRatio(1, 2) {
		t.Error("MustRatio does not reduce")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustRatio(2, 1) did not panic")
		}
	}()
	token.MustRatio(2, 1)
}

func TestRatioZeroAndOne(t *testing.T) {
	var z token.Ratio
	if !z.IsZero() || z.Num() != 0 || z.Den() != 1 || z.String() != "0%" || !z.Equal(token.MustRatio(0, 7)) {
		t.Errorf("zero Ratio: %d/%d %q", z.Num(), z.Den(), z.String())
	}
	one := token.One()
	if one.IsZero() || one.Num() != 1 || one.Den() != 1 || one.String() != "100%" || one.Cmp(z) != 1 || z.Cmp(one) != -1 {
		t.Errorf("One: %d/%d %q", one.Num(), one.Den(), one.String())
	}
	if z.Complement() != one || one.Complement() != z {
		t.Error("Complement of 0 or 1 is wrong")
	}
	if c := token.MustRatio(1, 3).Complement(); c != token.MustRatio(2, 3) {
		t.Errorf("1 - 1/3 = %v", c)
	}
}

func TestRatioRapidCmpComplement(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := drawRatio(t, "r")
		s := rapid.OneOf(rapid.Just(r), rapid.Custom(func(t *rapid.T) token.Ratio { return drawRatio(t, "s") })).Draw(t, "s")
		c := r.Cmp(s)
		if c != valRat(r).Cmp(valRat(s)) || c != -s.Cmp(r) || r.Equal(s) != (c == 0) || (r == s) != (c == 0) {
			t.Fatalf("Cmp(%v, %v) = %d, reverse %d, Equal %v; big.Rat says %d", r, s, c, s.Cmp(r), r.Equal(s), valRat(r).Cmp(valRat(s)))
		}
		k := r.Complement()
		if sum := new(big.Rat).Add(valRat(r), valRat(k)); sum.Cmp(big.NewRat(1, 1)) != 0 || valGCD(k.Num(), k.Den()) != 1 {
			t.Fatalf("%v + Complement %v = %v", r, k, sum)
		}
		if k.Complement() != r {
			t.Fatalf("Complement(Complement(%v)) = %v", r, k.Complement())
		}
	})
}

func TestRatioText(t *testing.T) {
	for _, tc := range []struct {
		r    token.Ratio
		text string
	}{
		{token.MustRatio(1, 50), "2%"},
		{token.MustRatio(3, 1000), "0.3%"},
		{token.MustRatio(1, 3), "1/3"},
		{token.One(), "100%"},
		{token.Ratio{}, "0%"},
		{token.MustRatio(13, 20), "65%"},
		{token.MustRatio(1, 8), "12.5%"},
		{token.MustRatio(1, 400), "0.25%"},
		{token.MustRatio(1, 10000), "0.01%"},
		{token.MustRatio(1, 100000), "0.001%"},
		{token.MustRatio(1, 1024), "0.09765625%"},
		{token.MustRatio(1, 2), "50%"},
		{token.MustRatio(1, 7), "1/7"},
		{token.MustRatio(5, 6), "5/6"},
		{token.MustRatio(1, math.MaxUint64), "1/18446744073709551615"},
		{token.MustRatio(math.MaxUint64-1, math.MaxUint64), "18446744073709551614/18446744073709551615"},
		{token.MustRatio(1, 1<<20), "0.000095367431640625%"},
		{token.MustRatio(1, 1<<63), "0.0000000000000000108420217248550443400745280086994171142578125%"},
		{token.MustRatio(1<<63-1, 1<<63), "99.9999999999999999891579782751449556599254719913005828857421875%"},
		{token.MustRatio(1, 7450580596923828125), "0.0000000000000000134217728%"}, // 1/5^27
	} {
		if got := tc.r.String(); got != tc.text {
			t.Errorf("%d/%d String() = %q, want %q", tc.r.Num(), tc.r.Den(), got, tc.text)
		}
		if b, err := tc.r.MarshalText(); err != nil || string(b) != tc.text {
			t.Errorf("%d/%d MarshalText = %q, %v", tc.r.Num(), tc.r.Den(), b, err)
		}
		if b, err := tc.r.AppendText([]byte("r=")); err != nil || string(b) != "r="+tc.text {
			t.Errorf("%d/%d AppendText = %q, %v", tc.r.Num(), tc.r.Den(), b, err)
		}
		if back, err := token.ParseRatio(tc.text); err != nil || back != tc.r {
			t.Errorf("ParseRatio(%q) = %v, %v; want %d/%d", tc.text, back, err, tc.r.Num(), tc.r.Den())
		}
	}
}

func TestParseRatio(t *testing.T) {
	for _, tc := range []struct {
		in       string
		num, den uint64
	}{
		{"2%", 1, 50},
		{"0.3%", 3, 1000},
		{"1/3", 1, 3},
		{"100%", 1, 1},
		{"0%", 0, 1},
		{"0", 0, 1},
		{"1", 1, 1},
		{"2/1000", 1, 500},
		{"20/1000", 1, 50},
		{"65%", 13, 20},
		{"12.50%", 1, 8},
		{"0.0%", 0, 1},
		{"100.000%", 1, 1},
		{"007%", 7, 100},
		{"1/1", 1, 1},
		{"0/7", 0, 1},
		{"18446744073709551615/18446744073709551615", 1, 1},
		{"1/18446744073709551615", 1, math.MaxUint64},
		{"0." + strings.Repeat("0", 16) + "108420217248550443400745280086994171142578125%", 1, 1 << 63},
		{"0.0000000000000000134217728000000%", 1, 7450580596923828125},
		{"99.99%", 9999, 10000},
	} {
		r, err := token.ParseRatio(tc.in)
		if err != nil || r.Num() != tc.num || r.Den() != tc.den {
			t.Errorf("ParseRatio(%q) = %d/%d, %v; want %d/%d", tc.in, r.Num(), r.Den(), err, tc.num, tc.den)
		}
	}
	for _, in := range []string{
		"", "101%", "100.0001%", "1/0", "0/0", "2/1", "18446744073709551616/18446744073709551617", "1/18446744073709551616",
		"%", ".5%", "5.%", "-1%", "+1%", "1 %", " 1/3", "1/3 ", "1/3/4", "1/", "/3", "abc", "0.5", "2", "-0", "1e2%", "١%",
		"50%%", "1/-3", "+1/3", "0x1/2", "1.5/3", "0." + strings.Repeat("0", 30) + "1%", strings.Repeat("0", 128) + "%",
		strings.Repeat("1", 200), "1/3\x00", "½",
	} {
		_, err := token.ParseRatio(in)
		e := valWantErr(t, err, token.ErrInvalidRatio, "ParseRatio")
		if e.Input != in || e.Detail == "" {
			t.Errorf("ParseRatio(%q): Input %q, Detail %q", in, e.Input, e.Detail)
		}
	}
	if r, err := token.ParseRatio(strings.Repeat("0", 125) + "1%"); err != nil || r != token.MustRatio(1, 100) {
		t.Errorf("ParseRatio of 127 bytes = %v, %v", r, err)
	}
}

func TestRatioRapidTextRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := drawRatio(t, "r")
		s := r.String()
		back, err := token.ParseRatio(s)
		if err != nil || back != r {
			t.Fatalf("ParseRatio(String(%d/%d) = %q) = %v, %v", r.Num(), r.Den(), s, back, err)
		}
		if strings.HasSuffix(s, "%") == strings.Contains(s, "/") {
			t.Fatalf("%d/%d prints %q: neither a percentage nor a fraction", r.Num(), r.Den(), s)
		}
		var u token.Ratio
		if err := u.UnmarshalText([]byte(s)); err != nil || u != r {
			t.Fatalf("UnmarshalText(%q) = %v, %v", s, u, err)
		}
		// The fraction form reads back too, reduced.
		k := rapid.Uint64Range(1, math.MaxUint64/max(r.Den(), 1)).Draw(t, "k")
		frac := new(big.Int).SetUint64(r.Num()*k).String() + "/" + new(big.Int).SetUint64(r.Den()*k).String()
		if f, err := token.ParseRatio(frac); err != nil || f != r {
			t.Fatalf("ParseRatio(%q) = %v, %v; want %v", frac, f, err, r)
		}
	})
}

func TestRatioJSON(t *testing.T) {
	type terms struct {
		Fee   token.Ratio  `json:"fee"`
		Bonus token.Ratio  `json:"bonus"`
		Step  *token.Ratio `json:"step,omitempty"`
	}
	third := token.MustRatio(1, 3)
	data, err := json.Marshal(terms{Fee: token.MustRatio(3, 1000), Step: &third})
	if err != nil || string(data) != `{"fee":"0.3%","bonus":"0%","step":"1/3"}` {
		t.Fatalf("Marshal = %s, %v", data, err)
	}
	var back terms
	if err := json.Unmarshal([]byte(`{"fee":"2/1000","bonus":"1","step":"1/3"}`), &back); err != nil ||
		back.Fee != token.MustRatio(1, 500) || back.Bonus != token.One() || *back.Step != third {
		t.Fatalf("Unmarshal = %+v, %v", back, err)
	}
	for _, bad := range []string{`{"fee":"101%"}`, `{"fee":"1/0"}`, `{"fee":"x"}`} {
		if err := json.Unmarshal([]byte(bad), &back); !errors.Is(err, token.ErrInvalidRatio) {
			t.Errorf("Unmarshal(%s) = %v", bad, err)
		}
	}
	if err := json.Unmarshal([]byte(`{"fee":0.3}`), &back); err == nil {
		t.Error("a JSON number decodes as a ratio")
	}
}

func TestRatioMulExamples(t *testing.T) {
	third := token.MustRatio(1, 3)
	for _, tc := range []struct {
		r           token.Ratio
		x           int64
		floor, ceil int64
		rem         uint64
	}{
		{third, 10, 3, 4, 1},
		{third, -10, -4, -3, 2},
		{third, 9, 3, 3, 0},
		{third, -9, -3, -3, 0},
		{third, 0, 0, 0, 0},
		{token.One(), -7, -7, -7, 0},
		{token.Ratio{}, -7, 0, 0, 0},
		{token.MustRatio(3, 1000), 1000_00, 300, 300, 0},
		{token.MustRatio(3, 1000), 1999, 5, 6, 997},
		{token.MustRatio(3, 1000), -1999, -6, -5, 3},
		{token.MustRatio(1, 2), 1, 0, 1, 1},
		{token.MustRatio(1, 2), -1, -1, 0, 1},
	} {
		x := valUSD.FromInt64Units(tc.x)
		f, c := tc.r.MulFloor(x), tc.r.MulCeil(x)
		fr, rem := tc.r.MulFloorRem(x)
		if !f.Equal(valUSD.FromInt64Units(tc.floor)) || !c.Equal(valUSD.FromInt64Units(tc.ceil)) ||
			!fr.Equal(f) || rem != tc.rem {
			t.Errorf("%v x %v: floor %v, ceil %v, floorRem %v rem %d; want %d, %d, %d", x, tc.r, f, c, fr, rem, tc.floor, tc.ceil, tc.rem)
		}
	}
	if f := third.MulFloor(token.Amount{}); !f.Equal(token.Amount{}) {
		t.Errorf("1/3 of the zero Amount = %v", f)
	}
	// The reference contract's fee formula floor(x x (den-num) / den) is Complement().MulFloor.
	rapid.Check(t, func(t *rapid.T) {
		num := rapid.Uint64Range(0, 1000).Draw(t, "num")
		r, _ := token.PerMille(num)
		u := drawUnits(t, "x")
		u.Abs(u)
		x := valUnits(t, valUSD, u)
		want := new(big.Int).Mul(u, big.NewInt(int64(1000-num)))
		want.Quo(want, big.NewInt(1000))
		valHasUnits(t, "RF(x)", r.Complement().MulFloor(x), valUSD, want)
	})
}

func TestRatioRapidMul(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := drawRatio(t, "r")
		a := drawAsset(t, "asset")
		u := drawUnits(t, "x")
		x := valUnits(t, a, u)
		num, den := new(big.Int).SetUint64(r.Num()), new(big.Int).SetUint64(r.Den())
		p := new(big.Int).Mul(u, num)
		floor, m := new(big.Int).DivMod(p, den, new(big.Int)) // Euclidean: floor for den > 0, 0 <= m < den
		ceil := new(big.Int).Neg(new(big.Int).Div(new(big.Int).Neg(p), den))
		valHasUnits(t, "MulFloor", r.MulFloor(x), a, floor)
		valHasUnits(t, "MulCeil", r.MulCeil(x), a, ceil)
		f, rem := r.MulFloorRem(x)
		valHasUnits(t, "MulFloorRem", f, a, floor)
		if rem != m.Uint64() || rem >= r.Den() {
			t.Fatalf("%v x %v: rem %d, want %v", x, r, rem, m)
		}
		// floor x Den + rem = x x Num
		check := new(big.Int).Mul(f.Units(), den)
		if check.Add(check, new(big.Int).SetUint64(rem)).Cmp(p) != 0 {
			t.Fatalf("%v x %v: floor %v x %d + %d != x x %d", x, r, f, r.Den(), rem, r.Num())
		}
		if f.Abs().Cmp(x.Abs()) > 0 || r.MulCeil(x).Abs().Cmp(x.Abs()) > 0 {
			t.Fatalf("%v x %v is larger than x", x, r)
		}
	})
}

// FuzzParseRatio: ParseRatio never panics; what it accepts is a ratio in lowest terms in
// [0, 1] that round-trips exactly through String; what it refuses is an *Error.
func FuzzParseRatio(f *testing.F) {
	for _, s := range []string{"2%", "0.3%", "1/3", "100%", "0%", "0", "1", "2/1000", "", "101%", "1/0", "2/1",
		"18446744073709551616/18446744073709551617", "12.50%", ".5%", "5.%", "-1%", "1/3/4", "0.0000000000000000108420217248550443400745280086994171142578125%",
		"99.9999999999999999891579782751449556599254719913005828857421875%", "0." + strings.Repeat("0", 30) + "1%", "%%", "1/18446744073709551615",
		"10/010", "0010%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := token.ParseRatio(s)
		if err != nil {
			e, ok := errors.AsType[*token.Error](err)
			if !ok || e.Input != s || e.Op != "ParseRatio" || !errors.Is(err, token.ErrInvalidRatio) {
				t.Fatalf("ParseRatio(%q): %v is not an *Error with the input", s, err)
			}
			return
		}
		if r.Num() > r.Den() || r.Den() == 0 || valGCD(r.Num(), r.Den()) != 1 {
			t.Fatalf("ParseRatio(%q) = %d/%d", s, r.Num(), r.Den())
		}
		text := r.String()
		if back, err := token.ParseRatio(text); err != nil || back != r || back.String() != text {
			t.Fatalf("ParseRatio(%q) = %v; ParseRatio(%q) = %v, %v", s, r, text, back, err)
		}
		// The value is what math/big reads from the same text, in base 10.
		var want *big.Rat
		if n, d, ok := strings.Cut(s, "/"); ok {
			bn, ok1 := new(big.Int).SetString(n, 10)
			bd, ok2 := new(big.Int).SetString(d, 10)
			if !ok1 || !ok2 {
				t.Fatalf("ParseRatio(%q) = %v, but math/big cannot read the terms", s, r)
			}
			want = new(big.Rat).SetFrac(bn, bd)
		} else {
			v, ok := valDecimalRat(strings.TrimSuffix(s, "%"))
			if !ok {
				t.Fatalf("ParseRatio(%q) = %v, but math/big cannot read it", s, r)
			}
			want = v
			if strings.HasSuffix(s, "%") {
				want.Quo(want, big.NewRat(100, 1))
			}
		}
		if valRat(r).Cmp(want) != 0 {
			t.Fatalf("ParseRatio(%q) = %v, math/big reads %v", s, r, want)
		}
	})
}
