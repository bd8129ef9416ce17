package fees_test

import (
	"math/big"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

func BenchmarkRateApply(b *testing.B) {
	r := fees.MustRate(3, 1000)
	gross := decimal.RequireFromString("1234.567890123456789")
	for b.Loop() {
		if _, _, err := r.Apply(token.ETH(), gross); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRateNetFloorUnits(b *testing.B) {
	r := fees.MustRate(20, 1000)
	gross := big.NewInt(1_000_000_000_000_000_000)
	for b.Loop() {
		r.NetFloorUnits(gross)
	}
}

func BenchmarkPolicyLookup(b *testing.B) {
	p := fees.WeTrustPlatformPolicy()
	c := fees.Circle{Asset: token.ETH(), Members: 16}
	for b.Loop() {
		if _, _, err := p.Lookup(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSplitApply(b *testing.B) {
	s := fees.Split{Shares: []fees.Share{
		{Account: "foreperson", Weight: decimal.NewFromInt(2)},
		{Account: "platform", Weight: decimal.NewFromInt(1)},
	}}
	fee := decimal.RequireFromString("0.000000000000000005")
	for b.Loop() {
		if _, err := s.Apply(token.ETH(), fee); err != nil {
			b.Fatal(err)
		}
	}
}
