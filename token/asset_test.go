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

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

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
		if _, err := token.NewAsset(c.sym, c.dec); !errors.Is(err, token.ErrInvalidAsset) {
			t.Errorf("NewAsset(%q, %d) error = %v, want ErrInvalidAsset", c.sym, c.dec, err)
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
	if !token.BTC().MinorUnit().Equal(dec("0.00000001")) || !token.ETH().MinorUnit().Equal(dec("1e-18")) {
		t.Error("MinorUnit wrong")
	}
}

// checkAmountErr checks that err is an *AmountError with the sentinel and fields.
func checkAmountErr(t *testing.T, err error, want error, asset token.Asset, input string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
	var ae *token.AmountError
	if !errors.As(err, &ae) {
		t.Fatalf("error %T is not an *AmountError", err)
	}
	if ae.Asset != asset || ae.Input != input || ae.Err != want {
		t.Fatalf("AmountError fields %+v", ae)
	}
	if !strings.HasPrefix(err.Error(), "token: ") {
		t.Fatalf("message %q lacks the package prefix", err.Error())
	}
}

func TestCheck(t *testing.T) {
	trst := token.TRST()
	for _, s := range []string{"0", "1", "1.5", "0.000001", "1.500000000", "100000000", "1e3"} {
		if err := trst.Check(dec(s)); err != nil {
			t.Errorf("Check(%s) = %v", s, err)
		}
	}
	checkAmountErr(t, trst.Check(dec("-0.000001")), token.ErrNegativeAmount, trst, "")
	checkAmountErr(t, trst.Check(dec("0.0000001")), token.ErrSubUnitAmount, trst, "")
	checkAmountErr(t, trst.Check(decimal.New(1, token.MaxExponent+1)), token.ErrInvalidAmount, trst, "")
	checkAmountErr(t, trst.Check(decimal.New(1, -2_000_000_000)), token.ErrInvalidAmount, trst, "")
	if msg := trst.Check(decimal.New(7, -2_000_000_000)).Error(); msg != "token: invalid amount: 7e-2000000000 for TRST" {
		t.Errorf("message for an absurd exponent: %.100q", msg)
	}
	if err := trst.Check(decimal.New(1, -token.MaxExponent)); !errors.Is(err, token.ErrSubUnitAmount) {
		t.Errorf("Check(1e-%d) = %v", token.MaxExponent, err)
	}
	checkAmountErr(t, token.Asset{}.Check(dec("1")), token.ErrInvalidAsset, token.Asset{}, "")
	if err := trst.CheckPositive(dec("0.000001")); err != nil {
		t.Errorf("CheckPositive(1 unit) = %v", err)
	}
	checkAmountErr(t, trst.CheckPositive(decimal.Zero), token.ErrZeroAmount, trst, "")
	checkAmountErr(t, trst.CheckPositive(dec("-1")), token.ErrNegativeAmount, trst, "")
	var ae *token.AmountError
	if errors.As(trst.Check(dec("-2.5")), &ae); !ae.Amount.Equal(dec("-2.5")) {
		t.Errorf("AmountError.Amount = %s", ae.Amount)
	}
}

func TestParse(t *testing.T) {
	eth := token.ETH()
	ok := map[string]string{
		"1.5": "1.5", "0": "0", "-0": "0", ".5": "0.5", "0.000000000000000001": "1e-18",
		"123456789012345678901234567890.123456789012345678": "123456789012345678901234567890.123456789012345678",
		"1.000000000000000000000":                           "1",
	}
	for in, want := range ok {
		got, err := eth.Parse(in)
		if err != nil || !got.Equal(dec(want)) {
			t.Errorf("Parse(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-", ".", "1.", "1e3", " 1", "1 ", "+1", "1,5", "0x10", "NaN", "1..2", "--1", "١", strings.Repeat("1", 101), "0." + strings.Repeat("0", 101)} {
		_, err := eth.Parse(in)
		checkAmountErr(t, err, token.ErrInvalidAmount, eth, in)
	}
	_, err := eth.Parse("-1")
	checkAmountErr(t, err, token.ErrNegativeAmount, eth, "-1")
	_, err = eth.Parse("0.0000000000000000001")
	checkAmountErr(t, err, token.ErrSubUnitAmount, eth, "0.0000000000000000001")
	_, err = token.Asset{}.Parse("1")
	checkAmountErr(t, err, token.ErrInvalidAsset, token.Asset{}, "1")
}

func TestMustParse(t *testing.T) {
	if !token.BTC().MustParse("0.1").Equal(dec("0.1")) {
		t.Fatal("MustParse wrong value")
	}
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("MustParse of a bad amount did not panic")
		}
	}()
	token.BTC().MustParse("0.000000001")
}

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		a    token.Asset
		in   string
		want string
	}{{token.TRST(), "1.5", "1.500000"}, {token.BTC(), "0", "0.00000000"}, {token.ETH(), "1e-18", "0.000000000000000001"},
		{token.TRST(), "100000000", "100000000.000000"}, {token.TRST(), "-2", "-2.000000"}} {
		if got := c.a.Format(dec(c.in)); got != c.want {
			t.Errorf("%s.Format(%s) = %q, want %q", c.a, c.in, got, c.want)
		}
	}
}

func TestUnits(t *testing.T) {
	eth := token.ETH()
	u, err := eth.Units(dec("123456.000000000000000001"))
	want, _ := new(big.Int).SetString("123456000000000000000001", 10)
	if err != nil || u.Cmp(want) != 0 {
		t.Fatalf("Units = %s, %v", u, err)
	}
	if back := eth.FromUnits(u); !back.Equal(dec("123456.000000000000000001")) {
		t.Fatalf("FromUnits = %s", back)
	}
	u.SetInt64(7) // FromUnits does not retain its argument
	if neg, err := eth.Units(dec("-1")); err != nil || neg.Cmp(big.NewInt(-1e18)) != 0 {
		t.Fatalf("Units(-1) = %s, %v", neg, err)
	}
	_, err = eth.Units(dec("1e-19"))
	checkAmountErr(t, err, token.ErrSubUnitAmount, eth, "")
	_, err = token.Asset{}.Units(dec("1"))
	checkAmountErr(t, err, token.ErrInvalidAsset, token.Asset{}, "")
	_, err = eth.Units(decimal.New(1, token.MaxExponent+1))
	checkAmountErr(t, err, token.ErrInvalidAmount, eth, "")
	_, err = eth.Units(decimal.New(1, -token.MaxExponent-1))
	checkAmountErr(t, err, token.ErrInvalidAmount, eth, "")
	if !token.BTC().FromInt64Units(150_000_000).Equal(dec("1.5")) {
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
	for _, bad := range []string{`{"symbol":"eth","decimals":18}`, `{"symbol":"ETH","decimals":99}`, `[]`, `{"symbol":1}`} {
		if err := json.Unmarshal([]byte(bad), &a); !errors.Is(err, token.ErrInvalidAsset) {
			t.Errorf("Unmarshal(%s) = %v, want ErrInvalidAsset", bad, err)
		}
	}
}

// FuzzParse: Parse never panics; what it accepts is a valid amount that round-trips through
// Format and Parse; what it rejects is an *AmountError with a known sentinel and the input.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "1.5", "-1", ".5", "1.", "1e3", "0.0000001", "999999999999999999999.999999", " 1", "", "-0.000000", "١٢"} {
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
			var ae *token.AmountError
			if !errors.As(err, &ae) || ae.Input != s {
				t.Fatalf("Parse(%q): error %v is not an *AmountError with the input", s, err)
			}
			switch ae.Err {
			case token.ErrInvalidAmount, token.ErrNegativeAmount, token.ErrSubUnitAmount:
			default:
				t.Fatalf("Parse(%q): unexpected sentinel %v", s, ae.Err)
			}
			return
		}
		if err := a.Check(v); err != nil {
			t.Fatalf("Parse(%q) = %s fails Check: %v", s, v, err)
		}
		f1 := a.Format(v)
		w, err := a.Parse(f1)
		if err != nil || !w.Equal(v) || a.Format(w) != f1 {
			t.Fatalf("Parse(%q) = %s; Format %q; re-Parse %s, %v", s, v, f1, w, err)
		}
	})
}

func TestFormatTrim(t *testing.T) {
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
		{eth, "0.5000000000000000001", 1, "0.5000000000000000001"}, // finer than a wei: kept whole
		{eth, "50", 3, "50.000"},
		{eth, "1.25", -4, "1.25"},
		{usd, "12.30", 2, "12.30"},
		{usd, "12.3", 0, "12.3"},
		{usd, "7", 0, "7"},
	} {
		d := decimal.RequireFromString(tc.in)
		if got := tc.asset.FormatTrim(d, tc.min); got != tc.want {
			t.Errorf("%s.FormatTrim(%s, %d) = %q, want %q", tc.asset, tc.in, tc.min, got, tc.want)
		}
	}
	// Positive exponents and values past int64 print in full.
	if got := eth.FormatTrim(decimal.New(5, 30), 1); got != "5000000000000000000000000000000.0" {
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
