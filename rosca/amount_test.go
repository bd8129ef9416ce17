package rosca_test

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// Amounts held as decimals in odd forms convert exactly, through the one conversion the
// library offers (Asset.FromDecimal), or are rejected there or by the command.
func TestAmountForms(t *testing.T) {
	usd, _ := token.NewAsset("USD", 2)
	cfg := weiCfg(rosca.Bidding, 2, 1000, 20)
	cfg.Asset, cfg.Contribution = usd, usd.MustParse("10")
	c := mustNew(t, cfg)
	for _, s := range []string{"1E+3", "10.50", "10.500000000000000000000000000", "123456789012345678901234.5"} {
		x, err := usd.FromDecimal(decimal.RequireFromString(s))
		ok(t, err)
		ok(t, c.Contribute(at(0), "m0", x))
	}
	for _, s := range []string{"0.001", "1234567890123456789012.345"} {
		if _, err := usd.FromDecimal(decimal.RequireFromString(s)); !errors.Is(err, token.ErrSubUnitAmount) {
			t.Fatalf("%s: %v", s, err)
		}
	}
	for _, s := range []string{"-5", "0"} {
		x, err := usd.FromDecimal(decimal.RequireFromString(s))
		ok(t, err)
		rejects(t, c, rosca.ErrInvalidAmount, func() error { return c.Contribute(at(0), "m1", x) })
	}
	p := pos(t, c, "m0")
	if want := usd.MustParse("123456789012345678902255.5"); !p.Contributed.Equal(want) {
		t.Fatalf("contributed %s, want %s", p.Contributed, want)
	}
	audit(t, c)
	checkReplay(t, c)
}
