package main

import (
	"math/big"
	"testing"
)

// TestRatText checks that weights print exactly: as decimals when they have one, thousands
// separated, else as fractions; never rounded.
func TestRatText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"48", "48"},
		{"0", "0"},
		{"581/16", "36.3125"},
		{"1000000", "1,000,000"},
		{"-12345/10", "-1,234.5"},
		{"1/3", "1/3"},
		{"1/1024", "0.0009765625"},
	} {
		r, ok := new(big.Rat).SetString(c.in)
		if !ok {
			t.Fatal(c.in)
		}
		if got := ratText(r); got != c.want {
			t.Errorf("ratText(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}
