package token_test

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/token"
)

// Display writes amounts for people: thousands separated, trailing zeros trimmed, exact.
func ExampleAmount_Display() {
	trst, eth := token.TRST(), token.ETH()
	fmt.Println(trst.MustParse("80000000").Display(0))
	fmt.Println(trst.MustParse("16690070.210631").Display(0))
	fmt.Println(eth.MustParse("-1234.5").Display(1))
	fmt.Println(eth.MustParse("5").Display(1))
	fmt.Println(eth.MinorUnit().Display(1))
	fmt.Println(trst.MustParse("1234567.89").DisplayNumber(2))
	// Output:
	// 80,000,000 TRST
	// 16,690,070.210631 TRST
	// -1,234.5 ETH
	// 5.0 ETH
	// 0.000000000000000001 ETH
	// 1,234,567.89
}

func TestDisplay(t *testing.T) {
	usd, err := token.NewAsset("USD", 2)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := token.NewAsset("PTS", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		x    token.Amount
		min  int
		want string
	}{
		{usd.Zero(), 0, "0 USD"},
		{usd.Zero(), 2, "0.00 USD"},
		{usd.Zero(), -3, "0 USD"},
		{usd.MustParse("0.5"), 0, "0.5 USD"},
		{usd.MustParse("0.5"), 5, "0.50 USD"}, // never more decimals than the asset has
		{usd.MustParse("999"), 0, "999 USD"},
		{usd.MustParse("1000"), 0, "1,000 USD"},
		{usd.MustParse("-1000.10"), 0, "-1,000.1 USD"},
		{usd.MustParse("-999999.99"), 0, "-999,999.99 USD"},
		{usd.MustParse("12345678.9"), 2, "12,345,678.90 USD"},
		{whole.MustParse("1234567"), 1, "1,234,567 PTS"},
		{whole.MustParse("-12"), 1, "-12 PTS"},
		{token.ETH().MustParse("0.100000000000000001"), 1, "0.100000000000000001 ETH"},
		{token.Amount{}, 1, "(no amount)"},
	} {
		if got := c.x.Display(c.min); got != c.want {
			t.Errorf("%v.Display(%d) = %q, want %q", c.x, c.min, got, c.want)
		}
		wantNum := strings.TrimSuffix(c.want, " "+c.x.Asset().Symbol())
		if got := c.x.DisplayNumber(c.min); got != wantNum {
			t.Errorf("%v.DisplayNumber(%d) = %q, want %q", c.x, c.min, got, wantNum)
		}
	}
}

// TestDisplayIsTrimGrouped checks Display against Trim on amounts of every length, up to
// the largest: the same digits, grouped by three in the whole part.
func TestDisplayIsTrimGrouped(t *testing.T) {
	eth := token.ETH()
	u := new(big.Int)
	for digits := 1; digits <= token.MaxUnitDigits; digits++ {
		u.SetString(strings.Repeat("9", digits), 10)
		for _, neg := range []bool{false, true} {
			v := new(big.Int).Set(u)
			if neg {
				v.Neg(v)
			}
			x, err := eth.FromUnits(v)
			if err != nil {
				t.Fatal(err)
			}
			for _, min := range []int{0, 1, 18} {
				got := x.DisplayNumber(min)
				if strings.ReplaceAll(got, ",", "") != x.Trim(min) {
					t.Fatalf("%v: DisplayNumber(%d) = %q, Trim = %q", x, min, got, x.Trim(min))
				}
				whole := strings.TrimPrefix(strings.SplitN(got, ".", 2)[0], "-")
				for i, g := range strings.Split(whole, ",") {
					if len(g) > 3 || len(g) == 0 || (i > 0 && len(g) != 3) {
						t.Fatalf("%v: bad grouping %q", x, got)
					}
				}
			}
		}
	}
}
