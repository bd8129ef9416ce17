package token_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/token"
)

// Test assets of the value layer: USD has 2 decimals, XYZ none, MAX the most.
var (
	valUSD = valAsset("USD", 2)
	valEUR = valAsset("EUR", 2)
	valXYZ = valAsset("XYZ", 0)
	valMAX = valAsset("MAX", token.MaxDecimals)
)

// Magnitudes at the edges of the two representations and of the bound.
var (
	valTwo64   = new(big.Int).Lsh(big.NewInt(1), 64)
	valTwo128  = new(big.Int).Lsh(big.NewInt(1), 128)
	valBound   = new(big.Int).Exp(big.NewInt(10), big.NewInt(token.MaxUnitDigits), nil) // 10^96
	valTop     = new(big.Int).Sub(valBound, big.NewInt(1))                              // 10^96 - 1
	valMax128  = new(big.Int).Sub(valTwo128, big.NewInt(1))                             // 2^128 - 1
	valSymbols = []string{"A", "USD", "ETH", "TRST", "X9", "ABCDEFGHIJKL"}
)

// valT is what the helpers need of a *testing.T or a *rapid.T.
type valT interface {
	Helper()
	Fatalf(format string, args ...any)
}

func valAsset(sym string, dec int) token.Asset {
	a, err := token.NewAsset(sym, dec)
	if err != nil {
		panic(err)
	}
	return a
}

// valInt returns the decimal integer s as a big.Int.
func valInt(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic("bad integer " + s)
	}
	return v
}

// valAdd returns x + d as a new big.Int.
func valAdd(x *big.Int, d int64) *big.Int { return new(big.Int).Add(x, big.NewInt(d)) }

// valNeg returns -x as a new big.Int.
func valNeg(x *big.Int) *big.Int { return new(big.Int).Neg(x) }

// valUnits returns the amount of u minor units of a, failing t if it cannot be made.
func valUnits(t valT, a token.Asset, u *big.Int) token.Amount {
	t.Helper()
	x, err := a.FromUnits(u)
	if err != nil {
		t.Fatalf("FromUnits(%v) of %v: %v", u, a, err)
	}
	return x
}

// valWantErr checks that err is an *token.Error with the reason and the operation.
func valWantErr(t valT, err error, reason *token.Reason, op string) *token.Error {
	t.Helper()
	if !errors.Is(err, reason) {
		t.Fatalf("error %v, want %v", err, reason)
	}
	e, ok := errors.AsType[*token.Error](err)
	if !ok {
		t.Fatalf("error %T (%v) is not a *token.Error", err, err)
	}
	if e.Op != op {
		t.Fatalf("error %v: Op %q, want %q", err, e.Op, op)
	}
	return e
}

// valHasUnits checks that x is u minor units of a.
func valHasUnits(t valT, what string, x token.Amount, a token.Asset, u *big.Int) {
	t.Helper()
	if x.Asset() != a || x.Units().Cmp(u) != 0 || x.Sign() != u.Sign() {
		t.Fatalf("%s = %v (%v units of %v, sign %d); want %v units of %v", what, x, x.Units(), x.Asset(), x.Sign(), u, a)
	}
}

func TestAmountParseGrammar(t *testing.T) {
	for _, tc := range []struct {
		a     token.Asset
		in    string
		units string
	}{
		{valUSD, "12", "1200"},
		{valUSD, "12.5", "1250"},
		{valUSD, "12.50", "1250"},
		{valUSD, "12.500", "1250"}, // digits below the minor unit may be zeros
		{valUSD, "12.5000000000", "1250"},
		{valUSD, "-0.25", "-25"},
		{valUSD, ".5", "50"},
		{valUSD, "-.5", "-50"},
		{valUSD, "0", "0"},
		{valUSD, "-0", "0"},
		{valUSD, "-0.00", "0"},
		{valUSD, "-.000", "0"},
		{valUSD, "007.10", "710"},
		{valUSD, "12.5 USD", "1250"},
		{valUSD, "-12.5 USD", "-1250"},
		{valUSD, "0.01", "1"},
		{valXYZ, "3", "3"},
		{valXYZ, "3.0", "3"},
		{valXYZ, "-3.000 XYZ", "-3"},
		{token.ETH(), "1.5 ETH", "1500000000000000000"},
		{token.ETH(), "0.000000000000000001", "1"},
		{valMAX, "1", "1" + strings.Repeat("0", 36)},
		{valMAX, "0." + strings.Repeat("0", 35) + "1", "1"},
		{valXYZ, "340282366920938463463374607431768211455", valMax128.String()},
		{valXYZ, "340282366920938463463374607431768211456", valTwo128.String()},
		{valXYZ, "-340282366920938463463374607431768211456 XYZ", "-" + valTwo128.String()},
		{valXYZ, strings.Repeat("9", 96), valTop.String()},
		{valXYZ, "-" + strings.Repeat("9", 96), "-" + valTop.String()},
		{valXYZ, strings.Repeat("0", 150) + strings.Repeat("9", 96), valTop.String()}, // leading zeros do not count
		{token.ETH(), strings.Repeat("9", 78) + "." + strings.Repeat("9", 18), valTop.String()},
	} {
		x, err := tc.a.Parse(tc.in)
		if err != nil {
			t.Errorf("%v.Parse(%q): %v", tc.a, tc.in, err)
			continue
		}
		valHasUnits(t, tc.a.String()+".Parse("+tc.in+")", x, tc.a, valInt(tc.units))
	}
}

func TestAmountParseMinusZeroIsZero(t *testing.T) {
	for _, in := range []string{"-0", "-0.00", "-0 USD", "-.0", "-000"} {
		x := valUSD.MustParse(in)
		if x.IsNegative() || !x.IsZero() || x.Sign() != 0 || !x.Equal(valUSD.Zero()) || x.String() != "0.00 USD" {
			t.Errorf("Parse(%q) = %v: negative %v, zero %v, equal to 0.00 USD %v", in, x, x.IsNegative(), x.IsZero(), x.Equal(valUSD.Zero()))
		}
	}
}

func TestAmountParseErrors(t *testing.T) {
	for _, tc := range []struct {
		in     string
		reason *token.Reason
	}{
		{"", token.ErrInvalidAmount},
		{"-", token.ErrInvalidAmount},
		{".", token.ErrInvalidAmount},
		{"-.", token.ErrInvalidAmount},
		{"5.", token.ErrInvalidAmount},
		{"+5", token.ErrInvalidAmount},
		{"--5", token.ErrInvalidAmount},
		{"-+5", token.ErrInvalidAmount},
		{"5-", token.ErrInvalidAmount},
		{"1e3", token.ErrInvalidAmount},
		{"1E3", token.ErrInvalidAmount},
		{"1,5", token.ErrInvalidAmount},
		{"1_000", token.ErrInvalidAmount},
		{" 5", token.ErrInvalidAmount},
		{"5 ", token.ErrInvalidAmount},
		{"5  USD", token.ErrInvalidAmount},
		{"5 USD ", token.ErrInvalidAmount},
		{"5\tUSD", token.ErrInvalidAmount},
		{"5 USD\n", token.ErrInvalidAmount},
		{"5\x00", token.ErrInvalidAmount},
		{"1.2.3", token.ErrInvalidAmount},
		{"0x10", token.ErrInvalidAmount},
		{"NaN", token.ErrInvalidAmount},
		{"Inf", token.ErrInvalidAmount},
		{"١", token.ErrInvalidAmount},  // an Arabic-Indic digit
		{"−5", token.ErrInvalidAmount}, // U+2212 minus sign
		{"５", token.ErrInvalidAmount},  // a full-width digit
		{"5 usd", token.ErrInvalidAmount},
		{"5 US D", token.ErrInvalidAmount},
		{"USD", token.ErrInvalidAmount},
		{" USD", token.ErrInvalidAmount},
		{"5 EUR", token.ErrAssetMismatch},
		{"5 ETH", token.ErrAssetMismatch},
		{"5 US", token.ErrAssetMismatch},
		{"12.345", token.ErrSubUnitAmount},
		{"12.3450", token.ErrSubUnitAmount},
		{"0.001", token.ErrSubUnitAmount},
		{"-0.001 USD", token.ErrSubUnitAmount},
		{"0.0000000000000000000000000000001", token.ErrSubUnitAmount},
		{strings.Repeat("9", 95), token.ErrAmountTooLarge}, // 97 digits of minor units
		{"1" + strings.Repeat("0", 94), token.ErrAmountTooLarge},
		{"-1" + strings.Repeat("0", 94), token.ErrAmountTooLarge},
	} {
		_, err := valUSD.Parse(tc.in)
		e := valWantErr(t, err, tc.reason, "Parse")
		if e.Input != tc.in {
			t.Errorf("Parse(%q): Input %q", tc.in, e.Input)
		}
	}
	_, err := token.Asset{}.Parse("1")
	valWantErr(t, err, token.ErrInvalidAsset, "Parse")
	// The largest amounts parse, one more digit does not, whatever the sign.
	for _, sign := range []string{"", "-"} {
		if _, err := valUSD.Parse(sign + strings.Repeat("9", 94) + ".99"); err != nil {
			t.Errorf("Parse of %s(10^96-1) units: %v", sign, err)
		}
		_, err := valUSD.Parse(sign + "1" + strings.Repeat("0", 94) + ".00")
		valWantErr(t, err, token.ErrAmountTooLarge, "Parse")
		_, err = valXYZ.Parse(sign + "1" + strings.Repeat("0", 96))
		valWantErr(t, err, token.ErrAmountTooLarge, "Parse")
	}
}

func TestAmountParseLengthLimit(t *testing.T) {
	at := strings.Repeat("0", 255) + "1" // 256 bytes: read
	if x, err := valXYZ.Parse(at); err != nil || !x.Equal(valXYZ.FromInt64Units(1)) {
		t.Errorf("Parse of 256 bytes = %v, %v", x, err)
	}
	if x, err := valXYZ.Parse("1." + strings.Repeat("0", 254)); err != nil || !x.Equal(valXYZ.FromInt64Units(1)) {
		t.Errorf("Parse of 256 bytes with fraction zeros = %v, %v", x, err)
	}
	for _, in := range []string{
		"0" + at,                                // 257 bytes
		strings.Repeat("0", 253) + "1 XYZ",      // 258 bytes with the right symbol
		strings.Repeat("0", 253) + "1 EUR",      // another symbol: still too long first
		strings.Repeat("x", 100000),             // long junk
		"1." + strings.Repeat("0", 255),         // 257 bytes of fraction zeros
		strings.Repeat("9", 300),                // long and too large
		"-" + strings.Repeat("0", 256) + " XYZ", // long negative zero
	} {
		_, err := valXYZ.Parse(in)
		valWantErr(t, err, token.ErrInvalidAmount, "Parse")
		_, err = token.ParseAmount(in)
		if !errors.Is(err, token.ErrInvalidAmount) && !errors.Is(err, token.ErrInvalidAsset) {
			t.Errorf("ParseAmount of %d bytes: %v", len(in), err)
		}
	}
}

func TestParseAmount(t *testing.T) {
	trst := token.TRST()
	for _, tc := range []struct {
		in   string
		want token.Amount
	}{
		{"12.500000 TRST", trst.MustParse("12.5")},
		{"-0.10 USD", valUSD.MustParse("-0.1")},
		{"0.00 USD", valUSD.Zero()},
		{"-0.00 USD", valUSD.Zero()},
		{"-3 XYZ", valXYZ.FromInt64Units(-3)},
		{"1.000000000000000000 ETH", token.ETH().MustParse("1")},
		{"340282366920938463463374607431768211456 XYZ", valUnits(t, valXYZ, valTwo128)},
		{strings.Repeat("9", 96) + " XYZ", valUnits(t, valXYZ, valTop)},
		{"0." + strings.Repeat("0", 35) + "1 MAX", valMAX.FromInt64Units(1)},
	} {
		x, err := token.ParseAmount(tc.in)
		if err != nil || !x.Equal(tc.want) || x.String() != tc.want.String() {
			t.Errorf("ParseAmount(%q) = %v, %v; want %v", tc.in, x, err, tc.want)
		}
	}
	// The text names its asset fully: "12.5 TRST" is of a 1-decimal TRST, not of token.TRST().
	x, err := token.ParseAmount("12.5 TRST")
	if err != nil || x.Asset().Decimals() != 1 || x.Equal(trst.MustParse("12.5")) || x.Asset() == trst {
		t.Errorf(`ParseAmount("12.5 TRST") = %v of %v decimals, %v`, x, x.Asset().Decimals(), err)
	}
	if x, err := token.ParseAmount(""); err != nil || x.IsValid() || !x.Equal(token.Amount{}) {
		t.Errorf(`ParseAmount("") = %v, %v; want the zero Amount`, x, err)
	}
	for _, tc := range []struct {
		in     string
		reason *token.Reason
	}{
		{"12.5", token.ErrInvalidAmount},
		{"TRST", token.ErrInvalidAmount},
		{" ", token.ErrInvalidAsset},
		{"12.5 ", token.ErrInvalidAsset},
		{"12.5 trst", token.ErrInvalidAsset},
		{"12.5  TRST", token.ErrInvalidAsset},
		{"12.5 TRST extra", token.ErrInvalidAsset},
		{"12.5 ABCDEFGHIJKLM", token.ErrInvalidAsset},
		{"1." + strings.Repeat("0", 37) + " X", token.ErrInvalidAsset}, // 37 decimals
		{"abc TRST", token.ErrInvalidAmount},
		{"1e5 TRST", token.ErrInvalidAmount},
		{"+1 TRST", token.ErrInvalidAmount},
		{"1. TRST", token.ErrInvalidAmount},
		{strings.Repeat("9", 97) + " XYZ", token.ErrAmountTooLarge},
		{"-1" + strings.Repeat("0", 96) + " XYZ", token.ErrAmountTooLarge},
	} {
		_, err := token.ParseAmount(tc.in)
		e := valWantErr(t, err, tc.reason, "ParseAmount")
		if e.Input != tc.in {
			t.Errorf("ParseAmount(%q): Input %q", tc.in, e.Input)
		}
		if strings.Count(err.Error(), "token: invalid asset") > 1 {
			t.Errorf("ParseAmount(%q): message repeats the reason: %v", tc.in, err)
		}
	}
}

func TestAmountText(t *testing.T) {
	for _, tc := range []struct {
		x                    token.Amount
		text, number, trim0  string
		trim2, trimNegative1 string
	}{
		{valUSD.FromInt64Units(1250), "12.50 USD", "12.50", "12.5", "12.50", "12.5"},
		{valUSD.FromInt64Units(-10), "-0.10 USD", "-0.10", "-0.1", "-0.10", "-0.1"},
		{valUSD.Zero(), "0.00 USD", "0.00", "0", "0.00", "0"},
		{valUSD.FromInt64Units(100), "1.00 USD", "1.00", "1", "1.00", "1"},
		{valUSD.FromInt64Units(5), "0.05 USD", "0.05", "0.05", "0.05", "0.05"},
		{valUSD.FromInt64Units(-5), "-0.05 USD", "-0.05", "-0.05", "-0.05", "-0.05"},
		{valXYZ.FromInt64Units(-3), "-3 XYZ", "-3", "-3", "-3", "-3"},
		{valXYZ.Zero(), "0 XYZ", "0", "0", "0", "0"},
		{token.TRST().MustParse("12.5"), "12.500000 TRST", "12.500000", "12.5", "12.50", "12.5"},
		{token.ETH().FromInt64Units(1), "0.000000000000000001 ETH", "0.000000000000000001", "0.000000000000000001", "0.000000000000000001", "0.000000000000000001"},
		{valUnits(t, valXYZ, valTwo128), "340282366920938463463374607431768211456 XYZ", valTwo128.String(), valTwo128.String(), valTwo128.String(), valTwo128.String()},
		{valUnits(t, valUSD, valNeg(valTwo128)), "-3402823669209384634633746074317682114.56 USD", "-3402823669209384634633746074317682114.56",
			"-3402823669209384634633746074317682114.56", "-3402823669209384634633746074317682114.56", "-3402823669209384634633746074317682114.56"},
		{valUnits(t, valMAX, valMax128), "340.282366920938463463374607431768211455 MAX", "340.282366920938463463374607431768211455",
			"340.282366920938463463374607431768211455", "340.282366920938463463374607431768211455", "340.282366920938463463374607431768211455"},
		{valMAX.FromInt64Units(1), "0.000000000000000000000000000000000001 MAX", "0.000000000000000000000000000000000001",
			"0.000000000000000000000000000000000001", "0.000000000000000000000000000000000001", "0.000000000000000000000000000000000001"},
		{valUnits(t, valMAX, valNeg(valTop)), "-" + strings.Repeat("9", 60) + "." + strings.Repeat("9", 36) + " MAX",
			"-" + strings.Repeat("9", 60) + "." + strings.Repeat("9", 36), "-" + strings.Repeat("9", 60) + "." + strings.Repeat("9", 36),
			"-" + strings.Repeat("9", 60) + "." + strings.Repeat("9", 36), "-" + strings.Repeat("9", 60) + "." + strings.Repeat("9", 36)},
		{valMAX.Zero(), "0." + strings.Repeat("0", 36) + " MAX", "0." + strings.Repeat("0", 36), "0", "0.00", "0"},
	} {
		x := tc.x
		if got := x.String(); got != tc.text {
			t.Errorf("String() = %q, want %q", got, tc.text)
		}
		if got := x.Number(); got != tc.number {
			t.Errorf("%v: Number() = %q, want %q", x, got, tc.number)
		}
		if got := string(x.AppendNumber([]byte("n="))); got != "n="+tc.number {
			t.Errorf("%v: AppendNumber = %q", x, got)
		}
		if got := x.Trim(0); got != tc.trim0 {
			t.Errorf("%v: Trim(0) = %q, want %q", x, got, tc.trim0)
		}
		if got := x.Trim(2); got != tc.trim2 {
			t.Errorf("%v: Trim(2) = %q, want %q", x, got, tc.trim2)
		}
		if got := x.Trim(-1); got != tc.trimNegative1 {
			t.Errorf("%v: Trim(-1) = %q, want %q", x, got, tc.trimNegative1)
		}
		if b, err := x.MarshalText(); err != nil || string(b) != tc.text {
			t.Errorf("%v: MarshalText = %q, %v", x, b, err)
		}
		if b, err := x.AppendText([]byte("x=")); err != nil || string(b) != "x="+tc.text {
			t.Errorf("%v: AppendText = %q, %v", x, b, err)
		}
		var back token.Amount
		if err := back.UnmarshalText([]byte(tc.text)); err != nil || !back.Equal(x) {
			t.Errorf("UnmarshalText(%q) = %v, %v", tc.text, back, err)
		}
	}
	// Trim keeps at most the asset's decimals: it never pads beyond them.
	if got := valUSD.MustParse("12.5").Trim(5); got != "12.50" {
		t.Errorf("Trim(5) of 12.50 USD = %q", got)
	}
}

func TestAmountZeroAmount(t *testing.T) {
	var z token.Amount
	if z.IsValid() || z.Asset().IsValid() || z.Sign() != 0 || !z.IsZero() || z.IsPositive() || z.IsNegative() {
		t.Errorf("zero Amount: valid %v, sign %d", z.IsValid(), z.Sign())
	}
	if z.String() != "(no amount)" || z.Number() != "0" || z.Trim(2) != "0" {
		t.Errorf("zero Amount prints %q, number %q, trim %q", z.String(), z.Number(), z.Trim(2))
	}
	if b, err := z.MarshalText(); err != nil || len(b) != 0 {
		t.Errorf("zero Amount MarshalText = %q, %v", b, err)
	}
	if b, _ := z.AppendText([]byte("keep")); string(b) != "keep" {
		t.Errorf("zero Amount AppendText = %q", b)
	}
	if !z.Equal(token.Amount{}) || z.Equal(valUSD.Zero()) || valUSD.Zero().Equal(z) {
		t.Error("the zero Amount must equal only itself")
	}
	if z.Cmp(valUSD.Zero()) != 0 || valUSD.Zero().Cmp(z) != 0 || z.Cmp(valUSD.FromInt64Units(1)) != -1 || valUSD.FromInt64Units(-1).Cmp(z) != -1 {
		t.Error("the zero Amount must compare as zero of the other's asset")
	}
	if z.Units().Sign() != 0 || !z.Decimal().IsZero() || !z.Neg().Equal(z) || !z.Abs().Equal(z) {
		t.Error("the zero Amount's units, decimal, Neg or Abs are wrong")
	}
	if u, ok := z.Int64Units(); !ok || u != 0 {
		t.Errorf("zero Amount Int64Units = %d, %v", u, ok)
	}
	if hi, lo, ok := z.Uint128Units(); !ok || hi != 0 || lo != 0 {
		t.Errorf("zero Amount Uint128Units = %d, %d, %v", hi, lo, ok)
	}
	if p, err := z.Mul(7); err != nil || !p.Equal(z) {
		t.Errorf("zero Amount x 7 = %v, %v", p, err)
	}
	// The zero Asset makes no amounts, only the zero Amount.
	var none token.Asset
	for _, x := range []token.Amount{none.Zero(), none.FromInt64Units(5), none.FromInt64Units(math.MinInt64),
		none.FromUint64Units(5), none.FromUint128Units(1, 2)} {
		if !x.Equal(token.Amount{}) || x.Sign() != 0 {
			t.Errorf("the zero Asset made %v (sign %d), want the zero Amount", x, x.Sign())
		}
		if s, err := x.Add(valUSD.FromInt64Units(3)); err != nil || !s.Equal(valUSD.FromInt64Units(3)) {
			t.Errorf("zero Amount + 0.03 USD = %v, %v", s, err)
		}
	}
}

func TestAmountZeroValuesCallMethods(t *testing.T) {
	zerotest.CallMethods(t, token.Amount{})
	zerotest.CallMethods(t, &token.Amount{})
	zerotest.CallMethods(t, token.Ratio{})
	zerotest.CallMethods(t, &token.Ratio{})
	zerotest.CallMethods(t, &token.Error{})
	// And amounts that are not zero, in both representations.
	for _, x := range []token.Amount{valUSD.FromInt64Units(-5), valUnits(t, valUSD, valNeg(valTop))} {
		zerotest.CallMethods(t, x)
		zerotest.CallMethods(t, &x)
	}
	zerotest.CallMethods(t, token.MustRatio(1, 3))
}

func TestAmountJSON(t *testing.T) {
	type payment struct {
		Amount token.Amount  `json:"amount"`
		Fee    token.Amount  `json:"fee"`
		Tip    token.Amount  `json:"tip,omitempty"`
		Rebate token.Amount  `json:"rebate,omitzero"`
		Refund token.Amount  `json:"refund,omitzero"`
		Max    *token.Amount `json:"max,omitempty"`
	}
	large := valUnits(t, valUSD, valNeg(valTop))
	p := payment{Amount: valUSD.MustParse("12.5"), Tip: valUSD.Zero(), Rebate: valUSD.Zero(), Max: &large}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	// omitempty never drops a struct; omitzero drops every zero amount (IsZero), not only the
	// zero Amount.
	want := `{"amount":"12.50 USD","fee":"","tip":"0.00 USD","max":"-` + strings.Repeat("9", 94) + `.99 USD"}`
	if string(data) != want {
		t.Fatalf("Marshal = %s\nwant      %s", data, want)
	}
	var back payment
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Amount.Equal(p.Amount) || !back.Fee.Equal(token.Amount{}) || !back.Tip.Equal(p.Tip) || !back.Max.Equal(large) ||
		!back.Rebate.Equal(token.Amount{}) || !back.Refund.Equal(token.Amount{}) {
		t.Fatalf("Unmarshal = %+v", back)
	}
	for _, bad := range []struct {
		js     string
		reason *token.Reason
	}{
		{`{"amount":"12.5"}`, token.ErrInvalidAmount},
		{`{"amount":"12.5 usd"}`, token.ErrInvalidAsset},
		{`{"amount":"1` + strings.Repeat("0", 96) + ` XYZ"}`, token.ErrAmountTooLarge},
	} {
		var q payment
		if err := json.Unmarshal([]byte(bad.js), &q); !errors.Is(err, bad.reason) {
			t.Errorf("Unmarshal(%s) = %v, want %v", bad.js, err, bad.reason)
		}
	}
	var q payment
	if err := json.Unmarshal([]byte(`{"amount":12.5}`), &q); err == nil {
		t.Error("a JSON number decodes as an amount")
	}
	q = payment{Amount: valUSD.FromInt64Units(1)}
	if err := json.Unmarshal([]byte(`{"amount":null}`), &q); err != nil || !q.Amount.Equal(valUSD.FromInt64Units(1)) {
		t.Errorf("null changed the amount: %v, %v", q.Amount, err)
	}
}

func TestAmountCmpEqualSign(t *testing.T) {
	ordered := []token.Amount{
		valUnits(t, valUSD, valNeg(valTop)),
		valUnits(t, valUSD, valNeg(valAdd(valTwo128, 1))),
		valUnits(t, valUSD, valNeg(valTwo128)),
		valUnits(t, valUSD, valNeg(valMax128)),
		valUSD.FromInt64Units(math.MinInt64),
		valUSD.FromInt64Units(-1),
		valUSD.Zero(),
		valUSD.FromInt64Units(1),
		valUSD.FromUint64Units(math.MaxUint64),
		valUSD.FromUint128Units(1, 0),
		valUSD.FromUint128Units(math.MaxUint64, math.MaxUint64),
		valUnits(t, valUSD, valTwo128),
		valUnits(t, valUSD, valAdd(valTwo128, 1)),
		valUnits(t, valUSD, valTop),
	}
	for i, x := range ordered {
		for j, y := range ordered {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			if got := x.Cmp(y); got != want {
				t.Errorf("Cmp(%v, %v) = %d, want %d", x, y, got, want)
			}
			if x.Equal(y) != (i == j) {
				t.Errorf("Equal(%v, %v) = %v", x, y, x.Equal(y))
			}
		}
		wantSign := 0
		switch {
		case i < 6:
			wantSign = -1
		case i > 6:
			wantSign = 1
		}
		if x.Sign() != wantSign || x.IsNegative() != (wantSign < 0) || x.IsPositive() != (wantSign > 0) || x.IsZero() != (wantSign == 0) {
			t.Errorf("%v: Sign %d, want %d", x, x.Sign(), wantSign)
		}
	}
	// Amounts of two assets are ordered by asset, then decimals, whatever their values.
	usd3 := valAsset("USD", 3)
	for _, tc := range []struct {
		x, y token.Amount
		want int
	}{
		{valEUR.FromInt64Units(100), valUSD.FromInt64Units(-100), -1},
		{valUSD.FromInt64Units(-100), valEUR.FromInt64Units(100), 1},
		{valUSD.FromInt64Units(5), usd3.FromInt64Units(1), -1},
		{usd3.FromInt64Units(1), valUSD.FromInt64Units(5), 1},
	} {
		if got := tc.x.Cmp(tc.y); got != tc.want {
			t.Errorf("Cmp(%v, %v) = %d, want %d", tc.x, tc.y, got, tc.want)
		}
		if tc.x.Equal(tc.y) {
			t.Errorf("Equal(%v, %v) across assets", tc.x, tc.y)
		}
	}
	if valUSD.Zero().Equal(valEUR.Zero()) || valUSD.Zero().Equal(usd3.Zero()) {
		t.Error("zeros of two assets are Equal")
	}
}

func TestAmountNegAbs(t *testing.T) {
	for _, u := range []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(-7), valMax128, valNeg(valTwo128), valTop, valNeg(valTop),
		big.NewInt(math.MinInt64)} {
		x := valUnits(t, valUSD, u)
		valHasUnits(t, "Neg", x.Neg(), valUSD, valNeg(u))
		valHasUnits(t, "Abs", x.Abs(), valUSD, new(big.Int).Abs(u))
		valHasUnits(t, "Neg.Neg", x.Neg().Neg(), valUSD, u)
		if !x.Neg().Neg().Equal(x) || x.Abs().IsNegative() {
			t.Errorf("%v: Neg or Abs wrong", x)
		}
		valHasUnits(t, "x unchanged", x, valUSD, u) // immutable
	}
	if z := valUSD.Zero().Neg(); z.IsNegative() || !z.Equal(valUSD.Zero()) || z.String() != "0.00 USD" {
		t.Errorf("-0 = %v", z)
	}
}

func TestAmountArithmeticBoundaries(t *testing.T) {
	type op struct {
		name string
		f    func(x, y token.Amount) (token.Amount, error)
	}
	add := op{"Add", token.Amount.Add}
	sub := op{"Sub", token.Amount.Sub}
	for _, tc := range []struct {
		op   op
		x, y *big.Int
		want *big.Int // nil: ErrAmountTooLarge
	}{
		{add, valMax128, big.NewInt(1), valTwo128},
		{add, big.NewInt(1), valMax128, valTwo128},
		{add, valMax128, valMax128, new(big.Int).Sub(new(big.Int).Lsh(valTwo128, 1), big.NewInt(2))},
		{add, valNeg(valMax128), big.NewInt(-1), valNeg(valTwo128)},
		{add, valTwo128, big.NewInt(-1), valMax128},
		{add, valNeg(valTwo128), big.NewInt(1), valNeg(valMax128)},
		{add, valTwo128, valNeg(valTwo128), big.NewInt(0)},
		{add, valTwo128, valNeg(valMax128), big.NewInt(1)},
		{add, valMax128, valNeg(valTwo128), big.NewInt(-1)},
		{add, valMax128, valNeg(valMax128), big.NewInt(0)},
		{add, big.NewInt(5), big.NewInt(-7), big.NewInt(-2)},
		{add, big.NewInt(-5), big.NewInt(7), big.NewInt(2)},
		{add, big.NewInt(-5), big.NewInt(5), big.NewInt(0)},
		{add, valTop, big.NewInt(0), valTop},
		{add, valTop, big.NewInt(-1), valAdd(valTop, -1)},
		{add, valTop, big.NewInt(1), nil},
		{add, valNeg(valTop), big.NewInt(-1), nil},
		{add, valTop, valTop, nil},
		{add, valTop, valNeg(valTop), big.NewInt(0)},
		{sub, valTwo128, big.NewInt(1), valMax128},
		{sub, valMax128, big.NewInt(-1), valTwo128},
		{sub, big.NewInt(0), valMax128, valNeg(valMax128)},
		{sub, big.NewInt(0), valTwo128, valNeg(valTwo128)},
		{sub, valNeg(valMax128), big.NewInt(1), valNeg(valTwo128)},
		{sub, big.NewInt(3), big.NewInt(5), big.NewInt(-2)},
		{sub, big.NewInt(-3), big.NewInt(-5), big.NewInt(2)},
		{sub, big.NewInt(-3), big.NewInt(-3), big.NewInt(0)},
		{sub, valTop, big.NewInt(-1), nil},
		{sub, valNeg(valTop), big.NewInt(1), nil},
		{sub, valNeg(valTop), valTop, nil},
		{sub, valTop, valTop, big.NewInt(0)},
		{sub, valNeg(valTop), big.NewInt(-1), valAdd(valNeg(valTop), 1)},
	} {
		x, y := valUnits(t, valUSD, tc.x), valUnits(t, valUSD, tc.y)
		got, err := tc.op.f(x, y)
		if tc.want == nil {
			valWantErr(t, err, token.ErrAmountTooLarge, tc.op.name)
			if got.IsValid() {
				t.Errorf("%s(%v, %v) failed but returned %v", tc.op.name, x, y, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s(%v, %v): %v", tc.op.name, x, y, err)
			continue
		}
		valHasUnits(t, tc.op.name, got, valUSD, tc.want)
		if w := valUnits(t, valUSD, tc.want); !got.Equal(w) || got.Cmp(w) != 0 || got.String() != w.String() {
			t.Errorf("%s(%v, %v) = %v, not Equal to %v", tc.op.name, x, y, got, w)
		}
	}
}

func TestAmountMulBoundaries(t *testing.T) {
	for _, tc := range []struct {
		x    *big.Int
		k    int64
		want *big.Int // nil: ErrAmountTooLarge
	}{
		{big.NewInt(7), 3, big.NewInt(21)},
		{big.NewInt(7), -3, big.NewInt(-21)},
		{big.NewInt(-7), -3, big.NewInt(21)},
		{big.NewInt(-7), 0, big.NewInt(0)},
		{valTwo128, 0, big.NewInt(0)},
		{valTop, 0, big.NewInt(0)},
		{new(big.Int).Lsh(big.NewInt(1), 127), 2, valTwo128},
		{new(big.Int).Lsh(big.NewInt(1), 127), -2, valNeg(valTwo128)},
		{valTwo64, math.MinInt64, valNeg(new(big.Int).Lsh(big.NewInt(1), 127))},
		{valTwo64, math.MaxInt64, new(big.Int).Mul(valTwo64, big.NewInt(math.MaxInt64))},
		{valNeg(valTwo64), math.MinInt64, new(big.Int).Lsh(big.NewInt(1), 127)},
		{valMax128, 1, valMax128},
		{valMax128, -1, valNeg(valMax128)},
		{valMax128, 2, new(big.Int).Mul(valMax128, big.NewInt(2))},
		{valTwo128, -1, valNeg(valTwo128)},
		{valTop, 1, valTop},
		{valTop, -1, valNeg(valTop)},
		{valTop, 2, nil},
		{valNeg(valTop), 2, nil},
		{valTop, math.MinInt64, nil},
		{new(big.Int).Div(valBound, big.NewInt(10)), 10, nil}, // exactly 10^96
		{new(big.Int).Div(valBound, big.NewInt(10)), -10, nil},
		{new(big.Int).Div(valBound, big.NewInt(10)), 9, new(big.Int).Mul(new(big.Int).Div(valBound, big.NewInt(10)), big.NewInt(9))},
	} {
		x := valUnits(t, valUSD, tc.x)
		got, err := x.Mul(tc.k)
		if tc.want == nil {
			valWantErr(t, err, token.ErrAmountTooLarge, "Mul")
			continue
		}
		if err != nil {
			t.Errorf("%v x %d: %v", x, tc.k, err)
			continue
		}
		valHasUnits(t, "Mul", got, valUSD, tc.want)
		if !got.Equal(valUnits(t, valUSD, tc.want)) {
			t.Errorf("%v x %d = %v, not Equal to the same units made directly", x, tc.k, got)
		}
	}
}

func TestAmountAddZeroAmount(t *testing.T) {
	var z token.Amount
	for _, x := range []token.Amount{valUSD.FromInt64Units(-3), valUSD.Zero(), valUnits(t, valUSD, valTwo128)} {
		for _, tc := range []struct {
			name string
			got  func() (token.Amount, error)
			want token.Amount
		}{
			{"z+x", func() (token.Amount, error) { return z.Add(x) }, x},
			{"x+z", func() (token.Amount, error) { return x.Add(z) }, x},
			{"x-z", func() (token.Amount, error) { return x.Sub(z) }, x},
			{"z-x", func() (token.Amount, error) { return z.Sub(x) }, x.Neg()},
		} {
			if got, err := tc.got(); err != nil || !got.Equal(tc.want) {
				t.Errorf("%s with x = %v: %v, %v; want %v", tc.name, x, got, err, tc.want)
			}
		}
	}
	if s, err := z.Add(z); err != nil || !s.Equal(z) {
		t.Errorf("zero Amount + zero Amount = %v, %v", s, err)
	}
	// A running total may start as the zero Amount.
	var total token.Amount
	for _, s := range []string{"1.25", "2.50", "-0.75"} {
		var err error
		if total, err = total.Add(valUSD.MustParse(s)); err != nil {
			t.Fatal(err)
		}
	}
	if total.String() != "3.00 USD" {
		t.Errorf("total = %v", total)
	}
}

func TestAmountMixedAssets(t *testing.T) {
	usd3 := valAsset("USD", 3)
	for _, y := range []token.Amount{valEUR.FromInt64Units(1), usd3.FromInt64Units(1), valEUR.Zero(), valUnits(t, valEUR, valTwo128)} {
		x := valUSD.FromInt64Units(100)
		for _, tc := range []struct {
			op string
			f  func(x, y token.Amount) (token.Amount, error)
		}{{"Add", token.Amount.Add}, {"Sub", token.Amount.Sub}} {
			got, err := tc.f(x, y)
			e := valWantErr(t, err, token.ErrAssetMismatch, tc.op)
			if got.IsValid() || !e.Amount.Equal(y) || e.Detail == "" {
				t.Errorf("%s(%v, %v) = %v, error %+v", tc.op, x, y, got, e)
			}
		}
	}
}

func TestAmountUnitsConversions(t *testing.T) {
	for _, tc := range []struct {
		x    token.Amount
		want *big.Int
		i64  bool
		u128 bool
	}{
		{valUSD.FromInt64Units(0), big.NewInt(0), true, true},
		{valUSD.FromInt64Units(math.MinInt64), big.NewInt(math.MinInt64), true, false},
		{valUSD.FromInt64Units(math.MinInt64 + 1), big.NewInt(math.MinInt64 + 1), true, false},
		{valUSD.FromInt64Units(math.MaxInt64), big.NewInt(math.MaxInt64), true, true},
		{valUSD.FromInt64Units(-1), big.NewInt(-1), true, false},
		{valUSD.FromUint64Units(math.MaxUint64), new(big.Int).SetUint64(math.MaxUint64), false, true},
		{valUSD.FromUint64Units(1 << 63), new(big.Int).SetUint64(1 << 63), false, true},
		{valUSD.FromUint128Units(1, 0), valTwo64, false, true},
		{valUSD.FromUint128Units(math.MaxUint64, math.MaxUint64), valMax128, false, true},
		{valUnits(t, valUSD, valNeg(new(big.Int).SetUint64(1<<63+1))), valNeg(new(big.Int).SetUint64(1<<63 + 1)), false, false},
		{valUnits(t, valUSD, valTwo128), valTwo128, false, false},
		{valUnits(t, valUSD, valNeg(valTop)), valNeg(valTop), false, false},
	} {
		x := tc.x
		valHasUnits(t, "units", x, valUSD, tc.want)
		if i, ok := x.Int64Units(); ok != tc.i64 || ok && big.NewInt(i).Cmp(tc.want) != 0 {
			t.Errorf("%v: Int64Units = %d, %v", x, i, ok)
		}
		hi, lo, ok := x.Uint128Units()
		if ok != tc.u128 || ok && new(big.Int).Add(new(big.Int).Lsh(new(big.Int).SetUint64(hi), 64), new(big.Int).SetUint64(lo)).Cmp(tc.want) != 0 {
			t.Errorf("%v: Uint128Units = %d, %d, %v", x, hi, lo, ok)
		}
		if ok && !valUSD.FromUint128Units(hi, lo).Equal(x) {
			t.Errorf("%v: FromUint128Units(Uint128Units) differs", x)
		}
		// Units and SetUnits hand out copies: changing them leaves x as it was.
		u := x.Units()
		u.Add(u, big.NewInt(1))
		z := x.SetUnits(new(big.Int).Lsh(big.NewInt(1), 300))
		z.Neg(z.Add(z, big.NewInt(3)))
		if s := x.SetUnits(nil); s.Cmp(tc.want) != 0 {
			t.Errorf("%v: SetUnits(nil) = %v", x, s)
		}
		valHasUnits(t, "after changing its units", x, valUSD, tc.want)
		if back := valUnits(t, valUSD, x.Units()); !back.Equal(x) {
			t.Errorf("FromUnits(Units(%v)) = %v", x, back)
		}
	}
}

func TestAmountFromUnits(t *testing.T) {
	for _, u := range []*big.Int{valTop, valNeg(valTop), valTwo128, valNeg(valTwo128), valMax128, valNeg(valMax128), big.NewInt(-1)} {
		arg := new(big.Int).Set(u)
		x, err := valUSD.FromUnits(arg)
		if err != nil {
			t.Fatalf("FromUnits(%v): %v", u, err)
		}
		arg.SetInt64(42) // FromUnits does not retain its argument
		valHasUnits(t, "FromUnits", x, valUSD, u)
	}
	for _, u := range []*big.Int{valBound, valNeg(valBound), new(big.Int).Lsh(valBound, 1000)} {
		_, err := valUSD.FromUnits(u)
		valWantErr(t, err, token.ErrAmountTooLarge, "FromUnits")
	}
	_, err := valUSD.FromUnits(nil)
	valWantErr(t, err, token.ErrInvalidAmount, "FromUnits")
	_, err = token.Asset{}.FromUnits(big.NewInt(1))
	valWantErr(t, err, token.ErrInvalidAsset, "FromUnits")
}

func TestAmountDecimal(t *testing.T) {
	eth := token.ETH()
	d := eth.MustParse("1.5").Decimal()
	if d.Exponent() != -18 || d.Coefficient().Cmp(big.NewInt(1_500_000_000_000_000_000)) != 0 || !d.Equal(decimal.RequireFromString("1.5")) {
		t.Errorf("Decimal(1.5 ETH) = %se%d", d.Coefficient(), d.Exponent())
	}
	for _, u := range []*big.Int{big.NewInt(0), big.NewInt(-1), valTwo128, valNeg(valTop)} {
		x := valUnits(t, valMAX, u)
		if back, err := valMAX.FromDecimal(x.Decimal()); err != nil || !back.Equal(x) {
			t.Errorf("FromDecimal(Decimal(%v)) = %v, %v", x, back, err)
		}
	}
	for _, tc := range []struct {
		d     decimal.Decimal
		units *big.Int
	}{
		{decimal.RequireFromString("1.50"), big.NewInt(150)},
		{decimal.RequireFromString("1.5000000"), big.NewInt(150)},
		{decimal.RequireFromString("-0.05"), big.NewInt(-5)},
		{decimal.New(500, -4), big.NewInt(5)},
		{decimal.New(-123, 0), big.NewInt(-12300)},
		{decimal.New(1, 2), big.NewInt(10000)},
		{decimal.New(1, 93), new(big.Int).Div(valBound, big.NewInt(10))},
		{decimal.NewFromBigInt(valTop, -2), valTop},
		{decimal.NewFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(300), nil), -298), big.NewInt(10000)},
		{decimal.New(0, math.MaxInt32), big.NewInt(0)},
		{decimal.New(0, math.MinInt32), big.NewInt(0)},
		{decimal.Decimal{}, big.NewInt(0)},
	} {
		x, err := valUSD.FromDecimal(tc.d)
		if err != nil {
			t.Errorf("FromDecimal(%se%d): %v", tc.d.Coefficient(), tc.d.Exponent(), err)
			continue
		}
		valHasUnits(t, "FromDecimal", x, valUSD, tc.units)
	}
	for _, tc := range []struct {
		d      decimal.Decimal
		reason *token.Reason
	}{
		{decimal.RequireFromString("1.005"), token.ErrSubUnitAmount},
		{decimal.New(1, -3), token.ErrSubUnitAmount},
		{decimal.New(7, -2_000_000_000), token.ErrSubUnitAmount},
		{decimal.New(7, math.MinInt32), token.ErrSubUnitAmount},
		{decimal.New(1, 94), token.ErrAmountTooLarge},
		{decimal.New(-1, 94), token.ErrAmountTooLarge},
		{decimal.New(1, math.MaxInt32), token.ErrAmountTooLarge},
		{decimal.NewFromBigInt(valBound, -2), token.ErrAmountTooLarge},
		{decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(1), 100000), 0), token.ErrAmountTooLarge},
		{decimal.NewFromBigInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(200), nil), -10), token.ErrAmountTooLarge},
	} {
		_, err := valUSD.FromDecimal(tc.d)
		valWantErr(t, err, tc.reason, "FromDecimal")
		if len(err.Error()) > 200 {
			t.Errorf("FromDecimal message is %d bytes: %.100s", len(err.Error()), err)
		}
	}
	_, err := token.Asset{}.FromDecimal(decimal.New(1, 0))
	valWantErr(t, err, token.ErrInvalidAsset, "FromDecimal")
}

func TestAmountCheck(t *testing.T) {
	for _, x := range []token.Amount{valUSD.Zero(), valUSD.FromInt64Units(1), valUnits(t, valUSD, valTop)} {
		if err := valUSD.Check(x); err != nil {
			t.Errorf("Check(%v) = %v", x, err)
		}
	}
	for _, tc := range []struct {
		a      token.Asset
		x      token.Amount
		reason *token.Reason
	}{
		{valUSD, valUSD.FromInt64Units(-1), token.ErrNegativeAmount},
		{valUSD, valUnits(t, valUSD, valNeg(valTwo128)), token.ErrNegativeAmount},
		{valUSD, valEUR.FromInt64Units(1), token.ErrAssetMismatch},
		{valUSD, valAsset("USD", 3).FromInt64Units(1), token.ErrAssetMismatch},
		{valUSD, token.Amount{}, token.ErrInvalidAsset},
		{token.Asset{}, valUSD.FromInt64Units(1), token.ErrInvalidAsset},
		{token.Asset{}, token.Amount{}, token.ErrInvalidAsset},
	} {
		for _, op := range []string{"Check", "CheckPositive"} {
			err := tc.a.Check(tc.x)
			if op == "CheckPositive" {
				err = tc.a.CheckPositive(tc.x)
			}
			e := valWantErr(t, err, tc.reason, op)
			if tc.x.IsValid() && !e.Amount.Equal(tc.x) {
				t.Errorf("%s(%v): Amount %v", op, tc.x, e.Amount)
			}
		}
	}
	if err := valUSD.CheckPositive(valUSD.FromInt64Units(1)); err != nil {
		t.Errorf("CheckPositive(0.01) = %v", err)
	}
	e := valWantErr(t, valUSD.CheckPositive(valUSD.Zero()), token.ErrZeroAmount, "CheckPositive")
	if !e.Amount.Equal(valUSD.Zero()) {
		t.Errorf("CheckPositive(0): Amount %v", e.Amount)
	}
}

// drawAsset draws an asset of 0 to MaxDecimals decimals.
func drawAsset(t *rapid.T, label string) token.Asset {
	sym := rapid.SampledFrom(valSymbols).Draw(t, label+".symbol")
	return valAsset(sym, rapid.IntRange(0, token.MaxDecimals).Draw(t, label+".decimals"))
}

// drawUnits draws a count of minor units inside the bound, often near 2^64, 2^128 and
// 10^96, of either sign.
func drawUnits(t *rapid.T, label string) *big.Int {
	var m *big.Int
	switch rapid.IntRange(0, 6).Draw(t, label+".kind") {
	case 0:
		m = big.NewInt(0)
	case 1:
		m = new(big.Int).SetUint64(rapid.Uint64().Draw(t, label+".u64"))
	case 2:
		m = valAdd(valTwo64, rapid.Int64Range(-3, 3).Draw(t, label+".off"))
	case 3:
		m = valAdd(valTwo128, rapid.Int64Range(-3, 3).Draw(t, label+".off"))
	case 4:
		m = valAdd(valBound, -rapid.Int64Range(1, 3).Draw(t, label+".off"))
	default:
		b := rapid.SliceOfN(rapid.Byte(), 1, 40).Draw(t, label+".bytes")
		m = new(big.Int).SetBytes(b)
		m.Mod(m, valBound)
	}
	if rapid.Bool().Draw(t, label+".neg") {
		m.Neg(m)
	}
	return m
}

// valCheckResult checks an operation's result against the big.Int oracle want: exact inside
// the bound, ErrAmountTooLarge outside.
func valCheckResult(t *rapid.T, op string, got token.Amount, err error, a token.Asset, want *big.Int) {
	if want.CmpAbs(valBound) >= 0 {
		if !errors.Is(err, token.ErrAmountTooLarge) || got.IsValid() {
			t.Fatalf("%s = %v, %v; want ErrAmountTooLarge for %v", op, got, err, want)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: %v (want %v)", op, err, want)
	}
	if got.Asset() != a || got.Units().Cmp(want) != 0 || got.Sign() != want.Sign() {
		t.Fatalf("%s = %v, want %v units of %v", op, got, want, a)
	}
	if w := valUnits(t, a, want); !got.Equal(w) {
		t.Fatalf("%s = %v, not Equal to %v made from units", op, got, w)
	}
}

func TestAmountRapidArithmetic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := drawAsset(t, "asset")
		ux, uy := drawUnits(t, "x"), drawUnits(t, "y")
		x, y := valUnits(t, a, ux), valUnits(t, a, uy)
		s, err := x.Add(y)
		valCheckResult(t, "Add", s, err, a, new(big.Int).Add(ux, uy))
		d, err := x.Sub(y)
		valCheckResult(t, "Sub", d, err, a, new(big.Int).Sub(ux, uy))
		if alt, err2 := x.Add(y.Neg()); (err == nil) != (err2 == nil) || err == nil && !alt.Equal(d) {
			t.Fatalf("x - y = %v, %v but x + (-y) = %v, %v", d, err, alt, err2)
		}
		k := rapid.OneOf(rapid.Int64(), rapid.SampledFrom([]int64{math.MinInt64, math.MaxInt64, -1, 0, 1, 2, 10})).Draw(t, "k")
		p, err := x.Mul(k)
		valCheckResult(t, "Mul", p, err, a, new(big.Int).Mul(ux, big.NewInt(k)))
		if x.Units().Cmp(ux) != 0 || y.Units().Cmp(uy) != 0 {
			t.Fatal("an operation changed its operands")
		}
	})
}

func TestAmountRapidTextRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := drawAsset(t, "asset")
		x := valUnits(t, a, drawUnits(t, "x"))
		s := x.String()
		if len(s) >= 130 {
			t.Fatalf("%s is %d bytes", s, len(s))
		}
		for _, text := range []string{s, x.Number(), x.Trim(rapid.IntRange(-1, 40).Draw(t, "min"))} {
			if y, err := a.Parse(text); err != nil || !y.Equal(x) {
				t.Fatalf("Parse(%q) = %v, %v; want %v", text, y, err, x)
			}
		}
		y, err := token.ParseAmount(s)
		if err != nil || !y.Equal(x) || y.Asset() != a {
			t.Fatalf("ParseAmount(%q) = %v, %v", s, y, err)
		}
		if s != x.Number()+" "+a.Symbol() {
			t.Fatalf("String %q is not Number %q, a space and the symbol", s, x.Number())
		}
		b, err := x.MarshalText()
		if err != nil || string(b) != s {
			t.Fatalf("MarshalText = %q, %v", b, err)
		}
		var z token.Amount
		if err := z.UnmarshalText(b); err != nil || !z.Equal(x) {
			t.Fatalf("UnmarshalText(%q) = %v, %v", b, z, err)
		}
		if back, err := a.FromDecimal(x.Decimal()); err != nil || !back.Equal(x) {
			t.Fatalf("FromDecimal(Decimal(%v)) = %v, %v", x, back, err)
		}
	})
}

func TestAmountRapidCmp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := drawAsset(t, "asset")
		ux := drawUnits(t, "x")
		uy := rapid.OneOf(rapid.Just(ux), rapid.Custom(func(t *rapid.T) *big.Int { return drawUnits(t, "y") })).Draw(t, "y")
		x, y := valUnits(t, a, ux), valUnits(t, a, uy)
		c := x.Cmp(y)
		if c != ux.Cmp(uy) || c != -y.Cmp(x) || x.Equal(y) != (c == 0) || y.Equal(x) != (c == 0) {
			t.Fatalf("Cmp(%v, %v) = %d, reverse %d, Equal %v; big.Int says %d", x, y, c, y.Cmp(x), x.Equal(y), ux.Cmp(uy))
		}
		if x.Sign() != ux.Sign() || x.Cmp(token.Amount{}) != ux.Sign() || x.Cmp(a.Zero()) != ux.Sign() {
			t.Fatalf("Sign(%v) = %d, want %d", x, x.Sign(), ux.Sign())
		}
		// Across assets the order is by asset, whatever the values, and antisymmetric.
		b := drawAsset(t, "other")
		if b != a {
			w := valUnits(t, b, uy)
			if x.Cmp(w) == 0 || x.Cmp(w) != -w.Cmp(x) || x.Equal(w) {
				t.Fatalf("Cmp(%v, %v) = %d, reverse %d", x, w, x.Cmp(w), w.Cmp(x))
			}
		}
	})
}

func TestAmountRapidCmpIsAnOrder(t *testing.T) {
	usd3 := valAsset("USD", 3)
	rapid.Check(t, func(t *rapid.T) {
		draw := func(label string) token.Amount {
			a := rapid.SampledFrom([]token.Asset{valUSD, valEUR, usd3}).Draw(t, label+".asset")
			return valUnits(t, a, drawUnits(t, label))
		}
		x, y, z := draw("x"), draw("y"), draw("z")
		if x.Cmp(y) <= 0 && y.Cmp(z) <= 0 && x.Cmp(z) > 0 {
			t.Fatalf("Cmp is not transitive: %v <= %v <= %v but %v > %v", x, y, z, x, z)
		}
		if x.Cmp(y) != -y.Cmp(x) {
			t.Fatalf("Cmp(%v, %v) is not antisymmetric", x, y)
		}
	})
}

// valDecimalRat returns the value of s, "[-]digits[.digits]" read in base 10 by math/big,
// with ok false for any other text.
func valDecimalRat(s string) (*big.Rat, bool) {
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	n, ok := new(big.Int).SetString("0"+whole+frac, 10)
	if !ok || strings.ContainsAny(whole+frac, "+-_") {
		return nil, false
	}
	if neg {
		n.Neg(n)
	}
	return new(big.Rat).SetFrac(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(frac))), nil)), true
}

// valRatAmount returns the exact value of the decimal text num as minor units of an asset of
// dec decimals, with ok false when it is not a whole number of them.
func valRatAmount(num string, dec int) (*big.Int, bool) {
	r, ok := valDecimalRat(num)
	if !ok {
		return nil, false
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(dec)), nil)))
	if !r.IsInt() {
		return nil, false
	}
	return r.Num(), true
}

// FuzzAssetParseOracle: whatever Asset.Parse accepts is exactly the value math/big reads
// from the same digits, and round-trips through String, ParseAmount and JSON; whatever it
// refuses is an *Error with a reason of the grammar. (FuzzAssetParse, in the asset tests,
// checks the round trips for one symbol.)
func FuzzAssetParseOracle(f *testing.F) {
	for _, s := range []string{"0", "-0", "12.5", "12.5 USD", "-.5", ".5", "5.", "1e3", "+1", "1 EUR", "12.345", "",
		"340282366920938463463374607431768211456", strings.Repeat("9", 96), strings.Repeat("9", 97), "0." + strings.Repeat("0", 40) + "1",
		strings.Repeat("0", 300), "1 USD ", "١", "5  USD"} {
		f.Add(s, uint8(2))
	}
	f.Add("1.000000000000000000000000000000000001", uint8(36))
	f.Add("123", uint8(0))
	f.Fuzz(func(t *testing.T, s string, d uint8) {
		a := valAsset("USD", int(d%(token.MaxDecimals+1)))
		x, err := a.Parse(s)
		if err != nil {
			e, ok := errors.AsType[*token.Error](err)
			if !ok || e.Input != s || e.Op != "Parse" {
				t.Fatalf("Parse(%q): %v is not an *Error with the input", s, err)
			}
			switch e.Err {
			case token.ErrInvalidAmount, token.ErrSubUnitAmount, token.ErrAmountTooLarge, token.ErrAssetMismatch:
			default:
				t.Fatalf("Parse(%q): unexpected reason %v", s, e.Err)
			}
			return
		}
		num, _, _ := strings.Cut(s, " ")
		want, ok := valRatAmount(num, a.Decimals())
		if !ok || x.Units().Cmp(want) != 0 || x.Asset() != a {
			t.Fatalf("Parse(%q) = %v (%v units), math/big reads %v", s, x, x.Units(), want)
		}
		if y, err := token.ParseAmount(x.String()); err != nil || !y.Equal(x) {
			t.Fatalf("ParseAmount(%q) = %v, %v", x.String(), y, err)
		}
		data, err := json.Marshal(x)
		var y token.Amount
		if err != nil || json.Unmarshal(data, &y) != nil || !y.Equal(x) {
			t.Fatalf("JSON %s of %v decodes as %v", data, x, y)
		}
	})
}

// FuzzParseAmount: ParseAmount never panics; what it accepts round-trips exactly through
// String, MarshalText and Parse of its own asset; what it refuses is an *Error.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"12.500000 TRST", "-0.10 USD", "0 XYZ", "-0 XYZ", "", "12.5", "12.5 trst", "1. X", ".5 X", "-.5 X",
		"340282366920938463463374607431768211456 XYZ", strings.Repeat("9", 96) + " XYZ", strings.Repeat("9", 97) + " XYZ",
		"0." + strings.Repeat("0", 36) + " MAX", "0." + strings.Repeat("0", 37) + " MAX", "1 ABCDEFGHIJKLM", "1  X", "1 X ", "\xff X"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := token.ParseAmount(s)
		if err != nil {
			e, ok := errors.AsType[*token.Error](err)
			if !ok || e.Input != s || e.Op != "ParseAmount" {
				t.Fatalf("ParseAmount(%q): %v is not an *Error with the input", s, err)
			}
			switch e.Err {
			case token.ErrInvalidAmount, token.ErrInvalidAsset, token.ErrAmountTooLarge:
			default:
				t.Fatalf("ParseAmount(%q): unexpected reason %v", s, e.Err)
			}
			return
		}
		if s == "" {
			if x.IsValid() {
				t.Fatalf(`ParseAmount("") = %v`, x)
			}
			return
		}
		if !x.IsValid() {
			t.Fatalf("ParseAmount(%q) accepted the zero Amount", s)
		}
		text := x.String()
		if y, err := token.ParseAmount(text); err != nil || !y.Equal(x) || y.String() != text {
			t.Fatalf("ParseAmount(%q) = %v; ParseAmount(%q) = %v, %v", s, x, text, y, err)
		}
		if y, err := x.Asset().Parse(s); err != nil || !y.Equal(x) {
			t.Fatalf("ParseAmount(%q) = %v but %v.Parse = %v, %v", s, x, x.Asset(), y, err)
		}
		if b, _ := x.MarshalText(); string(b) != text {
			t.Fatalf("MarshalText = %q, String = %q", b, text)
		}
	})
}

func TestAmountDoesNotAllocate(t *testing.T) {
	eth := token.ETH()
	x := eth.FromUint128Units(1<<63, 12345)        // about 2^127
	y := eth.FromUint128Units(1<<62, 1<<63)        // about 2^126
	n := eth.FromUint128Units(1<<62, 5).Neg()      // negative, about -2^126
	units := new(big.Int).Lsh(big.NewInt(-1), 100) // fits in two words
	third := token.MustRatio(1, 3)
	wide := token.MustRatio(999_999_999_999, 1_000_000_000_001) // x x num needs more than 128 bits
	buf := make([]byte, 0, 128)
	z := new(big.Int).Lsh(big.NewInt(1), 130)
	var sinkA token.Amount
	var sinkE error
	var sinkI int
	var sinkU uint64
	var sinkOK bool
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"Add", func() { sinkA, sinkE = x.Add(y) }},
		{"Add of opposite signs", func() { sinkA, sinkE = x.Add(n) }},
		{"Sub", func() { sinkA, sinkE = y.Sub(x) }},
		{"Sub of a negative", func() { sinkA, sinkE = x.Sub(n) }},
		{"Mul", func() { sinkA, sinkE = y.Mul(-3) }},
		{"Mul by MinInt64", func() { sinkA, sinkE = eth.FromInt64Units(-5).Mul(math.MinInt64) }},
		{"Neg and Abs", func() { sinkA = n.Neg().Abs() }},
		{"Cmp", func() { sinkI = x.Cmp(n) + n.Cmp(y) + x.Cmp(x) }},
		{"Equal", func() { sinkOK = x.Equal(y) }},
		{"Parse", func() { sinkA, sinkE = eth.Parse("340282366920938463463.374607431768211455") }},
		{"Parse with symbol", func() { sinkA, sinkE = eth.Parse("-12.5 ETH") }},
		{"ParseAmount", func() { sinkA, sinkE = token.ParseAmount("-170141183460469231731.687303715884105727 ETH") }},
		{"AppendText", func() { buf, sinkE = n.AppendText(buf[:0]) }},
		{"AppendNumber", func() { buf = x.AppendNumber(buf[:0]) }},
		{"MulFloor", func() { sinkA = third.MulFloor(x) }},
		{"MulFloor of a negative", func() { sinkA = third.MulFloor(n) }},
		{"MulCeil", func() { sinkA = third.MulCeil(x) }},
		{"MulFloorRem", func() { sinkA, sinkU = third.MulFloorRem(n) }},
		{"MulFloorRem of a 192-bit product", func() { sinkA, sinkU = wide.MulFloorRem(n) }},
		{"MulCeil of a 192-bit product", func() { sinkA = wide.MulCeil(x) }},
		{"SetUnits", func() { z = n.SetUnits(z) }},
		{"FromUnits", func() { sinkA, sinkE = eth.FromUnits(units) }},
		{"FromUint128Units", func() { sinkA = eth.FromUint128Units(3, 4) }},
		{"Int64Units and Uint128Units", func() { _, sinkOK = x.Int64Units(); _, _, sinkOK = n.Uint128Units() }},
		{"Check", func() { sinkE = eth.CheckPositive(x) }},
		{"Ratio.AppendText", func() { buf, sinkE = token.MustRatio(3, 1000).AppendText(buf[:0]) }},
	} {
		if allocs := testing.AllocsPerRun(100, tc.f); allocs != 0 {
			t.Errorf("%s below 2^128 allocates %v times per call", tc.name, allocs)
		}
	}
	_, _, _, _, _ = sinkA, sinkE, sinkI, sinkU, sinkOK
	// String and Number allocate only the string they return.
	var sinkS string
	for _, f := range []func(){func() { sinkS = n.String() }, func() { sinkS = n.Number() }, func() { sinkS = third.String() }} {
		if allocs := testing.AllocsPerRun(100, f); allocs != 1 {
			t.Errorf("String or Number allocates %v times, want once", allocs)
		}
	}
	_ = sinkS
}

func TestAmountShopspringGlobals(t *testing.T) {
	type record struct {
		Amount token.Amount `json:"amount"`
		Rate   token.Ratio  `json:"rate"`
		Empty  token.Amount `json:"empty"`
	}
	encode := func() string {
		var b strings.Builder
		for _, x := range []token.Amount{valUSD.MustParse("12.50"), valUSD.Zero(), token.ETH().MustParse("-0.000000000000000001"),
			valUnits(t, valMAX, valTop), token.TRST().MustParse("100")} {
			for _, r := range []token.Ratio{token.MustRatio(1, 50), token.MustRatio(1, 3), token.One(), {}} {
				data, err := json.Marshal(record{Amount: x, Rate: r})
				if err != nil {
					t.Fatal(err)
				}
				b.Write(data)
				b.WriteString(x.String() + x.Number() + x.Trim(1) + r.String() + "\n")
				f, _ := x.Asset().FromDecimal(x.Decimal())
				b.WriteString(f.String() + "\n")
				_, err = x.Asset().FromDecimal(decimal.New(1, -40))
				b.WriteString(err.Error() + "\n")
			}
		}
		return b.String()
	}
	want := encode()
	var got string
	zerotest.WithShopspringGlobals(t, func() { got = encode() })
	if got != want {
		t.Errorf("output depends on shopspring's globals:\n%s\nwant\n%s", got, want)
	}
}
