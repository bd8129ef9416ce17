package fees_test

import (
	"errors"
	"fmt"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

func ExampleApply() {
	r, _ := token.PerMille(3) // 0.3%
	fee, net, _ := fees.Apply(r, token.TRST().MustParse("1000.000999"))
	// 0.3% of 1000000999 units is 3000002.997 units: the fee rounds down.
	fmt.Println(fee, net)
	// Output: 3.000002 TRST 997.000997 TRST
}

func ExampleApplyNetFloor() {
	// The reference contract's RF(x) = floor(x * (1000 - 20) / 1000) on 1951 wei.
	r, _ := token.PerMille(20)
	wei, _ := token.NewAsset("WEI", 0)
	fee, net, _ := fees.ApplyNetFloor(r, wei.FromInt64Units(1951))
	fmt.Println(fee, net)
	// Output: 40 WEI 1911 WEI
}

func ExampleCheckCap() {
	r, _ := token.PerMille(25)
	err := fees.CheckCap(r, fees.WeTrustForepersonCap())
	fmt.Println(errors.Is(err, fees.ErrAboveCap))
	fmt.Println(err)
	// Output:
	// true
	// fees: rate above cap: 2.5% exceeds the cap 2% (op CheckCap)
}

func ExampleWeTrustForepersonFee() {
	ff, err := fees.WeTrustForepersonFee(2)
	fmt.Println(ff, err)
	_, err = fees.WeTrustForepersonFee(21)
	fmt.Println(err)
	// Output:
	// 0.2% (cap 2%) <nil>
	// fees: rate above cap: 21 per mille exceeds the cap of 20 per mille (op WeTrustForepersonFee)
}

func ExampleWeTrustPlatformPolicy() {
	p := fees.WeTrustPlatformPolicy()
	for _, c := range []fees.Circle{
		{Asset: token.ETH(), Members: 5},
		{Asset: token.ETH(), Members: 6},
		{Asset: token.TRST(), Members: 6},
	} {
		r, i, _ := p.Lookup(c)
		fmt.Printf("%s, %d members: %s (%s)\n", c.Asset, c.Members, r, p.Rules()[i].Name)
	}
	// Output:
	// ETH, 5 members: 0% (small circles)
	// ETH, 6 members: 0.3% (larger circles)
	// TRST, 6 members: 0.1% (TRST circles)
}

func ExampleNewPolicy() {
	// A service's own schedule: 1% on circles of 10 or more members, 0.5% otherwise.
	p, _ := fees.NewPolicy([]fees.Rule{
		{Name: "big", MinMembers: 10, Rate: token.MustRatio(1, 100)},
	}, token.MustRatio(5, 1000))
	fee, net, _ := p.Apply(fees.Circle{Asset: token.BTC(), Members: 12}, token.BTC().MustParse("0.5"))
	fmt.Println(fee, net)
	// Output: 0.00500000 BTC 0.49500000 BTC
}

func ExampleSplit_Apply() {
	s := fees.Split{
		Shares: []fees.Share{
			{Account: "foreperson", Weight: 2},
			{Account: "platform", Weight: 1},
		},
		Remainder: token.LargestRemainder(),
	}
	parts, _ := s.Apply(token.TRST().MustParse("1.000001"))
	for _, p := range parts {
		fmt.Println(p.Account, p.Amount)
	}
	// Output:
	// foreperson 0.666667 TRST
	// platform 0.333334 TRST
}
