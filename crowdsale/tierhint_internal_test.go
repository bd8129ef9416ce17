package crowdsale

import (
	"testing"

	"github.com/trustcircle/trustcircle/internal/uint128"
)

// tierAtFrom finds the tier tierAt finds from every starting tier, applicable or not: by
// time at, before and after each tier's start, and by amount sold around each threshold.
func TestTierAtFromAnyHint(t *testing.T) {
	byTime := &params{tierFrom: []int64{100, 200, 300, 400}}
	bySold := &params{bySold: true, tierSold: []uint128.U128{uint128.From64(0), uint128.From64(50), uint128.From64(80)}}
	for _, at := range []int64{-5, 99, 100, 101, 199, 200, 250, 399, 400, 1000} {
		for _, sold := range []uint64{0, 1, 49, 50, 51, 79, 80, 1000} {
			for _, p := range []*params{byTime, bySold} {
				want := p.tierAt(at, uint128.From64(sold))
				for hint := range 7 {
					if got := p.tierAtFrom(at, uint128.From64(sold), hint); got != want {
						t.Fatalf("bySold %v at %d sold %d from tier %d: tier %d, want %d", p.bySold, at, sold, hint, got, want)
					}
				}
			}
		}
	}
	if byTime.tierAt(250, uint128.U128{}) != 1 || bySold.tierAt(0, uint128.From64(79)) != 1 {
		t.Fatal("tierAt: wrong tier")
	}
}
