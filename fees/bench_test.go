package fees_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

func BenchmarkApply(b *testing.B) {
	r := token.MustRatio(3, 1000)
	gross := token.ETH().MustParse("1234.567890123456789")
	for b.Loop() {
		if _, _, err := fees.Apply(r, gross); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkApplyNetFloor(b *testing.B) {
	r := token.MustRatio(20, 1000)
	gross := token.ETH().MustParse("1")
	for b.Loop() {
		if _, _, err := fees.ApplyNetFloor(r, gross); err != nil {
			b.Fatal(err)
		}
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
		{Account: "foreperson", Weight: 2},
		{Account: "platform", Weight: 1},
	}}
	fee := token.ETH().MustParse("0.000000000000000005")
	for b.Loop() {
		if _, err := s.Apply(fee); err != nil {
			b.Fatal(err)
		}
	}
}
