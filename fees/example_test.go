package fees_test

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

func ExampleRate_Apply() {
	r, _ := fees.PerMille(3) // 0.3%
	fee, net, _ := r.Apply(token.TRST(), decimal.RequireFromString("1000.000999"))
	// 0.3% of 1000000999 units is 3000002.997 units: the fee rounds down.
	fmt.Println(token.TRST().Format(fee), token.TRST().Format(net))
	// Output: 3.000002 997.000997
}

func ExampleRate_ApplyNetFloor() {
	// The reference contract's RF(x) = floor(x * (1000 - 20) / 1000) on 1951 wei.
	r, _ := fees.PerMille(20)
	wei, _ := token.NewAsset("WEI", 0)
	fee, net, _ := r.ApplyNetFloor(wei, decimal.NewFromInt(1951))
	fmt.Println(fee, net)
	// Output: 40 1911
}

func ExampleRate_CheckCap() {
	r, _ := fees.PerMille(25)
	err := r.CheckCap(fees.WeTrustForepersonCap())
	var re *fees.RateError
	fmt.Println(errors.Is(err, fees.ErrAboveCap), errors.As(err, &re) && re.Cap.String() == "20/1000")
	fmt.Println(err)
	// Output:
	// true true
	// fees: rate above cap: 25/1000 exceeds 20/1000
}

func ExampleWeTrustForepersonFee() {
	ff, err := fees.WeTrustForepersonFee(2)
	fmt.Println(ff, err)
	_, err = fees.WeTrustForepersonFee(21)
	fmt.Println(err)
	// Output:
	// 2/1000 (cap 20/1000) <nil>
	// fees: rate above cap: 21/1000 exceeds 20/1000
}

func ExampleWeTrustPlatformPolicy() {
	p := fees.WeTrustPlatformPolicy()
	for _, c := range []fees.Circle{
		{Asset: token.ETH(), Members: 5},
		{Asset: token.ETH(), Members: 6},
		{Asset: token.TRST(), Members: 6},
	} {
		r, i, _ := p.Lookup(c)
		fmt.Printf("%s, %d members: %s (%s)\n", c.Asset, c.Members, r.Decimal().StringFixed(3), p.Rules()[i].Name)
	}
	// Output:
	// ETH, 5 members: 0.000 (small circles)
	// ETH, 6 members: 0.003 (larger circles)
	// TRST, 6 members: 0.001 (TRST circles)
}

func ExampleNewPolicy() {
	// A service's own schedule: 1% on circles of 10 or more members, 0.5% otherwise.
	p, _ := fees.NewPolicy([]fees.Rule{
		{Name: "big", MinMembers: 10, Rate: fees.MustRate(1, 100)},
	}, fees.MustRate(5, 1000))
	fee, net, _ := p.Apply(fees.Circle{Asset: token.BTC(), Members: 12}, decimal.RequireFromString("0.5"))
	fmt.Println(fee, net)
	// Output: 0.005 0.495
}

func ExampleSplit_Apply() {
	s := fees.Split{
		Shares: []fees.Share{
			{Account: "foreperson", Weight: decimal.NewFromInt(2)},
			{Account: "platform", Weight: decimal.NewFromInt(1)},
		},
		Remainder: token.LargestRemainder(),
	}
	parts, _ := s.Apply(token.TRST(), decimal.RequireFromString("1.000001"))
	for _, p := range parts {
		fmt.Println(p.Account, token.TRST().Format(p.Amount))
	}
	// Output:
	// foreperson 0.666667
	// platform 0.333334
}
