package token_test

import (
	"errors"
	"fmt"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// An amount is parsed once, for its asset, and prints at the asset's scale.
func ExampleAmount() {
	trst := token.TRST()
	x, err := trst.Parse("12.5")
	if err != nil {
		panic(err)
	}
	y, _ := trst.Parse("0.25 TRST") // the symbol may follow the number
	fmt.Println(x)
	fmt.Println(y.Number(), y.Trim(0), y.Trim(2))
	fmt.Println(x.Cmp(y), x.Sign(), y.Neg())
	// Output:
	// 12.500000 TRST
	// 0.250000 0.25 0.25
	// 1 1 -0.250000 TRST
}

// The text of an amount names its asset fully, so ParseAmount needs nothing else.
func ExampleParseAmount() {
	x, err := token.ParseAmount("12.500000 TRST")
	if err != nil {
		panic(err)
	}
	fmt.Println(x.Equal(token.TRST().MustParse("12.5")), x.Asset(), x.Asset().Decimals())
	text, _ := x.MarshalText()
	fmt.Printf("%s\n", text)
	none, _ := token.ParseAmount("")
	fmt.Println(none.IsValid(), none)
	// Output:
	// true TRST 6
	// 12.500000 TRST
	// false (no amount)
}

// Parse refuses what is not a whole number of minor units of the asset.
func ExampleAsset_Parse_errors() {
	usd, _ := token.NewAsset("USD", 2)
	for _, s := range []string{"1.005", "1 EUR", "1e3", "-0"} {
		x, err := usd.Parse(s)
		fmt.Printf("%-6q %v %v\n", s, x, err)
	}
	// Output:
	// "1.005" (no amount) token: amount finer than the minor unit: USD has 2 decimals (op Parse, input "1.005")
	// "1 EUR" (no amount) token: asset mismatch: want USD (op Parse, input "1 EUR")
	// "1e3"  (no amount) token: invalid amount: not a decimal number (op Parse, input "1e3")
	// "-0"   0.00 USD <nil>
}

// Adding is exact and refuses amounts of two assets with a typed error.
func ExampleAmount_Add() {
	usd, _ := token.NewAsset("USD", 2)
	eur, _ := token.NewAsset("EUR", 2)
	var total token.Amount // the zero Amount stands for zero of the other's asset
	for _, s := range []string{"10.10", "0.20", "-0.05"} {
		total, _ = total.Add(usd.MustParse(s))
	}
	fmt.Println(total)

	_, err := total.Add(eur.MustParse("1"))
	fmt.Println(err)
	fmt.Println(errors.Is(err, token.ErrAssetMismatch), fault.CodeOf(err), fault.ClassOf(err))
	// Output:
	// 10.25 USD
	// token: asset mismatch: cannot add EUR to USD (op Add, amount 1.00 EUR)
	// true token.asset_mismatch invalid
}

// A fee names its rounding: down, up, or down with the remainder returned.
func ExampleRatio_MulFloor() {
	usd, _ := token.NewAsset("USD", 2)
	fee, _ := token.PerMille(3) // 0.3%
	x := usd.MustParse("19.99")
	fmt.Println(fee, fee.MulFloor(x), fee.MulCeil(x))
	floor, rem := fee.MulFloorRem(x) // 1999 x 3 = 5 x 1000 + 997
	fmt.Println(floor, rem, fee.Den())
	fmt.Println(fee.MulFloor(x.Neg()), fee.MulCeil(x.Neg()))
	// Output:
	// 0.3% 0.05 USD 0.06 USD
	// 0.05 USD 997 1000
	// -0.06 USD -0.05 USD
}

// A ratio prints as a percentage when it has one that terminates, as a fraction otherwise.
func ExampleParseRatio() {
	for _, s := range []string{"2%", "2/1000", "20/1000", "1/3", "12.50%", "1", "0", "101%"} {
		r, err := token.ParseRatio(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%-8s %-6v %d/%d\n", s, r, r.Num(), r.Den())
	}
	// Output:
	// 2%       2%     1/50
	// 2/1000   0.2%   1/500
	// 20/1000  2%     1/50
	// 1/3      1/3    1/3
	// 12.50%   12.5%  1/8
	// 1        100%   1/1
	// 0        0%     0/1
	// token: invalid ratio: above 100% (op ParseRatio, input "101%")
}

// The complement of a fee rate is what the payee keeps.
func ExampleRatio_Complement() {
	usd, _ := token.NewAsset("USD", 2)
	fee := token.MustRatio(1, 50)
	x := usd.MustParse("100.01")
	fmt.Println(fee.Complement(), fee.Complement().MulFloor(x), fee.MulCeil(x))
	// Output: 98% 98.00 USD 2.01 USD
}
