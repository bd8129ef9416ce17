package token_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// ta returns the TRST amount s; amountOf the amount s of asset a. Both panic on bad input.
func ta(s string) token.Amount                      { return token.TRST().MustParse(s) }
func amountOf(a token.Asset, s string) token.Amount { return a.MustParse(s) }

// tas returns the TRST amounts ss.
func tas(ss ...string) []token.Amount {
	out := make([]token.Amount, len(ss))
	for i, s := range ss {
		out[i] = ta(s)
	}
	return out
}

func TestNewAsset(t *testing.T) {
	good := []struct {
		sym string
		dec int
	}{{"ETH", 18}, {"A", 0}, {"X1", 36}, {"ABCDEFGHIJKL", 2}}
	for _, c := range good {
		a, err := token.NewAsset(c.sym, c.dec)
		if err != nil || a.Symbol() != c.sym || a.Decimals() != c.dec || !a.IsValid() || a.String() != c.sym {
			t.Errorf("NewAsset(%q, %d) = %v, %v", c.sym, c.dec, a, err)
		}
	}
	bad := []struct {
		sym string
		dec int
	}{{"", 2}, {"eth", 2}, {"1ETH", 2}, {"ABCDEFGHIJKLM", 2}, {"E-T", 2}, {"ETH", -1}, {"ETH", 37}, {"ÉTH", 2}}
	for _, c := range bad {
		_, err := token.NewAsset(c.sym, c.dec)
		checkErr(t, err, token.ErrInvalidAsset)
		if e, _ := errors.AsType[*token.Error](err); e.Input != c.sym || e.Detail == "" {
			t.Errorf("NewAsset(%q, %d): %+v", c.sym, c.dec, e)
		}
	}
}

func TestPredefinedAssets(t *testing.T) {
	for _, c := range []struct {
		a   token.Asset
		sym string
		dec int
	}{{token.ETH(), "ETH", 18}, {token.BTC(), "BTC", 8}, {token.TRST(), "TRST", 6}} {
		if c.a.Symbol() != c.sym || c.a.Decimals() != c.dec {
			t.Errorf("%v: got %s/%d", c.sym, c.a.Symbol(), c.a.Decimals())
		}
		if n, _ := token.NewAsset(c.sym, c.dec); !n.Equal(c.a) {
			t.Errorf("NewAsset(%s) not Equal to the predefined asset", c.sym)
		}
	}
	if token.ETH().Equal(token.BTC()) {
		t.Error("ETH equals BTC")
	}
	var zero token.Asset
	if zero.IsValid() || zero.String() != "(no asset)" {
		t.Errorf("zero asset: valid %t, %q", zero.IsValid(), zero.String())
	}
	if !token.BTC().MinorUnit().Equal(amountOf(token.BTC(), "0.00000001")) ||
		!token.ETH().MinorUnit().Equal(token.ETH().FromInt64Units(1)) ||
		token.ETH().MinorUnit().String() != "0.000000000000000001 ETH" {
		t.Error("MinorUnit wrong")
	}
	if zero.MinorUnit().IsValid() {
		t.Error("MinorUnit of the zero Asset is an amount")
	}
}

// checkErr checks that err is an *Error wrapping the reason want, with the package prefix.
func checkErr(t *testing.T, err error, want *token.Reason) *token.Error {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
	e, ok := errors.AsType[*token.Error](err)
	if !ok {
		t.Fatalf("error %T is not an *Error", err)
	}
	if e.Code() != want.Code() && !errors.Is(e.Err, want) {
		t.Fatalf("Error fields %+v", e)
	}
	if !strings.HasPrefix(err.Error(), "token: ") {
		t.Fatalf("message %q lacks the package prefix", err.Error())
	}
	return e
}

// checkAmountErr checks that err is an *Error wrapping want, about amount x (when x is valid)
// and, for a parse, the input.
func checkAmountErr(t *testing.T, err error, want *token.Reason, x token.Amount, input string) {
	t.Helper()
	e := checkErr(t, err, want)
	if x.IsValid() && !e.Amount.Equal(x) || e.Input != input {
		t.Fatalf("Error fields %+v, want amount %s input %q", e, x, input)
	}
}

func TestAssetCheck(t *testing.T) {
	trst := token.TRST()
	for _, s := range []string{"0", "1", "1.5", "0.000001", "1.500000000", "100000000", "1000"} {
		if err := trst.Check(ta(s)); err != nil {
			t.Errorf("Check(%s) = %v", s, err)
		}
	}
	checkAmountErr(t, trst.Check(ta("-0.000001")), token.ErrNegativeAmount, ta("-0.000001"), "")
	checkAmountErr(t, trst.Check(token.ETH().MustParse("1")), token.ErrAssetMismatch, token.ETH().MustParse("1"), "")
	checkAmountErr(t, trst.Check(token.Amount{}), token.ErrInvalidAsset, token.Amount{}, "")
	checkAmountErr(t, token.Asset{}.Check(ta("1")), token.ErrInvalidAsset, ta("1"), "")
	// Amounts finer than the minor unit or beyond the bound cannot be made at all.
	if _, err := trst.FromDecimal(decimal.RequireFromString("0.0000001")); !errors.Is(err, token.ErrSubUnitAmount) {
		t.Errorf("FromDecimal(sub-unit) = %v", err)
	}
	if _, err := trst.FromDecimal(decimal.New(1, token.MaxUnitDigits)); !errors.Is(err, token.ErrAmountTooLarge) {
		t.Errorf("FromDecimal(1e96) = %v", err)
	}
	// Absurd exponents are refused fast and print short.
	err := func() error { _, err := trst.FromDecimal(decimal.New(7, -2_000_000_000)); return err }()
	checkErr(t, err, token.ErrSubUnitAmount)
	if len(err.Error()) > 200 {
		t.Errorf("message for an absurd exponent: %.100q", err.Error())
	}
	if _, err := trst.FromDecimal(decimal.New(1, 2_000_000_000)); !errors.Is(err, token.ErrAmountTooLarge) {
		t.Errorf("FromDecimal(1e2000000000) = %v", err)
	}
	if err := trst.CheckPositive(ta("0.000001")); err != nil {
		t.Errorf("CheckPositive(1 unit) = %v", err)
	}
	checkAmountErr(t, trst.CheckPositive(trst.Zero()), token.ErrZeroAmount, trst.Zero(), "")
	checkAmountErr(t, trst.CheckPositive(ta("-1")), token.ErrNegativeAmount, ta("-1"), "")
	if e, _ := errors.AsType[*token.Error](trst.Check(ta("-2.5"))); !e.Amount.Equal(ta("-2.5")) {
		t.Errorf("Error.Amount = %s", e.Amount)
	}
}

func TestAssetParse(t *testing.T) {
	eth := token.ETH()
	ok := map[string]string{
		"1.5": "1.500000000000000000", "0": "0.000000000000000000", "-0": "0.000000000000000000",
		".5": "0.500000000000000000", "0.000000000000000001": "0.000000000000000001",
		"123456789012345678901234567890.123456789012345678": "123456789012345678901234567890.123456789012345678",
		"1.000000000000000000000":                           "1.000000000000000000",
		"-1":                                                "-1.000000000000000000",
		"0." + strings.Repeat("0", 101):                     "0.000000000000000000",
		"1.5 ETH":                                           "1.500000000000000000",
	}
	for in, want := range ok {
		got, err := eth.Parse(in)
		if err != nil || got.Number() != want || got.Asset() != eth {
			t.Errorf("Parse(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-", ".", "1.", "1e3", " 1", "1 ", "+1", "1,5", "0x10", "NaN", "1..2", "--1", "١"} {
		_, err := eth.Parse(in)
		checkAmountErr(t, err, token.ErrInvalidAmount, token.Amount{}, in)
	}
	for _, in := range []string{strings.Repeat("1", 101), strings.Repeat("9", token.MaxUnitDigits-18+1)} {
		_, err := eth.Parse(in)
		checkAmountErr(t, err, token.ErrAmountTooLarge, token.Amount{}, in)
	}
	if x, err := eth.Parse(strings.Repeat("9", token.MaxUnitDigits-18)); err != nil || len(x.Units().String()) != token.MaxUnitDigits {
		t.Errorf("Parse of the largest amount: %v", err)
	}
	if x, err := eth.Parse("-1"); err != nil || !errors.Is(eth.Check(x), token.ErrNegativeAmount) {
		t.Errorf("Parse(-1) = %s, %v: Check must refuse it", x, err)
	}
	_, err := eth.Parse("0.0000000000000000001")
	checkAmountErr(t, err, token.ErrSubUnitAmount, token.Amount{}, "0.0000000000000000001")
	_, err = eth.Parse("1 BTC")
	checkAmountErr(t, err, token.ErrAssetMismatch, token.Amount{}, "1 BTC")
	_, err = token.Asset{}.Parse("1")
	checkAmountErr(t, err, token.ErrInvalidAsset, token.Amount{}, "1")
}

func TestAssetMustParse(t *testing.T) {
	if !token.BTC().MustParse("0.1").Equal(token.BTC().FromInt64Units(10_000_000)) {
		t.Fatal("MustParse wrong value")
	}
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("MustParse of a bad amount did not panic")
		}
	}()
	token.BTC().MustParse("0.000000001")
}

func TestAmountNumber(t *testing.T) {
	for _, c := range []struct {
		a    token.Asset
		in   string
		want string
	}{{token.TRST(), "1.5", "1.500000"}, {token.BTC(), "0", "0.00000000"}, {token.ETH(), "0.000000000000000001", "0.000000000000000001"},
		{token.TRST(), "100000000", "100000000.000000"}, {token.TRST(), "-2", "-2.000000"}} {
		if got := c.a.MustParse(c.in).Number(); got != c.want {
			t.Errorf("%s.MustParse(%s).Number() = %q, want %q", c.a, c.in, got, c.want)
		}
	}
}

func TestAssetUnits(t *testing.T) {
	eth := token.ETH()
	u := eth.MustParse("123456.000000000000000001").Units()
	want, _ := new(big.Int).SetString("123456000000000000000001", 10)
	if u.Cmp(want) != 0 {
		t.Fatalf("Units = %s", u)
	}
	back, err := eth.FromUnits(u)
	if err != nil || !back.Equal(eth.MustParse("123456.000000000000000001")) {
		t.Fatalf("FromUnits = %s, %v", back, err)
	}
	u.SetInt64(7) // FromUnits does not retain its argument
	if !back.Equal(eth.MustParse("123456.000000000000000001")) {
		t.Fatal("FromUnits retained its argument")
	}
	if neg := eth.MustParse("-1").Units(); neg.Cmp(big.NewInt(-1e18)) != 0 {
		t.Fatalf("Units(-1) = %s", neg)
	}
	_, err = token.Asset{}.FromUnits(big.NewInt(1))
	checkErr(t, err, token.ErrInvalidAsset)
	_, err = eth.FromUnits(new(big.Int).Exp(big.NewInt(10), big.NewInt(token.MaxUnitDigits), nil))
	checkErr(t, err, token.ErrAmountTooLarge)
	_, err = eth.FromUnits(new(big.Int).Neg(new(big.Int).Exp(big.NewInt(10), big.NewInt(token.MaxUnitDigits), nil)))
	checkErr(t, err, token.ErrAmountTooLarge)
	if !token.BTC().FromInt64Units(150_000_000).Equal(token.BTC().MustParse("1.5")) {
		t.Fatal("FromInt64Units")
	}
}

func TestAssetJSON(t *testing.T) {
	data, err := json.Marshal(token.ETH())
	if err != nil || string(data) != `{"symbol":"ETH","decimals":18}` {
		t.Fatalf("Marshal = %s, %v", data, err)
	}
	var a token.Asset
	if err := json.Unmarshal(data, &a); err != nil || a != token.ETH() {
		t.Fatalf("Unmarshal = %v, %v", a, err)
	}
	for _, bad := range []string{`{"symbol":"eth","decimals":18}`, `{"symbol":"ETH","decimals":99}`, `[]`, `{"symbol":1}`,
		`{"symbol":"ETH","decimals":18,"x":1}`} {
		if err := json.Unmarshal([]byte(bad), &a); !errors.Is(err, token.ErrInvalidAsset) {
			t.Errorf("Unmarshal(%s) = %v, want ErrInvalidAsset", bad, err)
		}
	}
}

// FuzzAssetParse: Parse never panics; what it accepts is a valid amount of the asset that
// round-trips through its text and Parse; what it rejects is an *Error with a known reason
// and the input.
func FuzzAssetParse(f *testing.F) {
	for _, s := range []string{"0", "1.5", "-1", ".5", "1.", "1e3", "0.0000001", "999999999999999999999.999999", " 1", "", "-0.000000", "١٢", "1 FUZZ", "1 ETH"} {
		f.Add(s, uint8(6))
	}
	f.Add("0.000000000000000001", uint8(18))
	f.Add("12345678", uint8(0))
	f.Fuzz(func(t *testing.T, s string, d uint8) {
		a, err := token.NewAsset("FUZZ", int(d%(token.MaxDecimals+1)))
		if err != nil {
			t.Fatal(err)
		}
		v, err := a.Parse(s)
		if err != nil {
			e, ok := errors.AsType[*token.Error](err)
			if !ok || e.Input != s {
				t.Fatalf("Parse(%q): error %v is not an *Error with the input", s, err)
			}
			switch e.Err {
			case token.ErrInvalidAmount, token.ErrSubUnitAmount, token.ErrAmountTooLarge, token.ErrAssetMismatch:
			default:
				t.Fatalf("Parse(%q): unexpected reason %v", s, e.Err)
			}
			return
		}
		if v.Asset() != a {
			t.Fatalf("Parse(%q) = %s, not of %s", s, v, a)
		}
		if err := a.Check(v.Abs()); err != nil {
			t.Fatalf("Parse(%q) = %s fails Check: %v", s, v, err)
		}
		for _, text := range []string{v.Number(), v.String()} {
			w, err := a.Parse(text)
			if err != nil || !w.Equal(v) || w.Number() != v.Number() {
				t.Fatalf("Parse(%q) = %s; text %q; re-Parse %s, %v", s, v, text, w, err)
			}
		}
		w, err := token.ParseAmount(v.String())
		if err != nil || !w.Equal(v) {
			t.Fatalf("ParseAmount(%q) = %s, %v", v.String(), w, err)
		}
	})
}

func TestAmountTrim(t *testing.T) {
	eth, usd := token.ETH(), mustAssetForTrim(t, "USD", 2)
	for _, tc := range []struct {
		asset token.Asset
		in    string
		min   int
		want  string
	}{
		{eth, "1.5", 1, "1.5"},
		{eth, "1", 1, "1.0"},
		{eth, "1", 0, "1"},
		{eth, "0", 1, "0.0"},
		{eth, "0", 0, "0"},
		{eth, "-2.50", 1, "-2.5"},
		{eth, "0.000000000000000001", 1, "0.000000000000000001"},
		{eth, "50", 3, "50.000"},
		{eth, "1.25", -4, "1.25"},
		{usd, "12.30", 2, "12.30"},
		{usd, "12.3", 0, "12.3"},
		{usd, "7", 0, "7"},
	} {
		if got := tc.asset.MustParse(tc.in).Trim(tc.min); got != tc.want {
			t.Errorf("%s.MustParse(%s).Trim(%d) = %q, want %q", tc.asset, tc.in, tc.min, got, tc.want)
		}
	}
	// Values past int64 print in full.
	big, err := eth.FromDecimal(decimal.New(5, 30))
	if err != nil {
		t.Fatal(err)
	}
	if got := big.Trim(1); got != "5000000000000000000000000000000.0" {
		t.Errorf("got %q", got)
	}
}

func mustAssetForTrim(t *testing.T, sym string, dec int) token.Asset {
	t.Helper()
	a, err := token.NewAsset(sym, dec)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
