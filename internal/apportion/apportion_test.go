package apportion

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestRapidKthLargest checks the selection against a sort, on inputs long enough for the
// quickselect rounds to run, with many ties, in sorted, reversed or random order.
func TestRapidKthLargest(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		hi := rapid.SampledFrom([]uint64{1, 3, 1000, 1 << 63}).Draw(t, "max")
		n := rapid.SampledFrom([]int{1, 2, 31, 33, 64, 100, 400}).Draw(t, "n")
		vs := rapid.SliceOfN(rapid.Uint64Range(1, hi), n, n).Draw(t, "values")
		switch rapid.IntRange(0, 2).Draw(t, "order") {
		case 1:
			slices.Sort(vs)
		case 2:
			slices.Sort(vs)
			slices.Reverse(vs)
		}
		k := rapid.IntRange(1, len(vs)).Draw(t, "k")
		sorted := slices.Clone(vs)
		slices.Sort(sorted)
		want := sorted[len(sorted)-k]
		if got := KthLargest(slices.Clone(vs), k); got != want {
			t.Fatalf("KthLargest(k=%d) = %d, want %d", k, got, want)
		}
	})
}

// TestKthLargestAdversarial runs patterns that defeat a median-of-three pivot; the fallback
// must still return the right value.
func TestKthLargestAdversarial(t *testing.T) {
	n := 5000
	patterns := map[string]func(i int) uint64{
		"equal":      func(int) uint64 { return 7 },
		"ascending":  func(i int) uint64 { return uint64(i + 1) },
		"organ pipe": func(i int) uint64 { return uint64(min(i, n-i) + 1) },
		"sawtooth":   func(i int) uint64 { return uint64(i%17 + 1) },
	}
	for name, f := range patterns {
		vs := make([]uint64, n)
		for i := range vs {
			vs[i] = f(i)
		}
		sorted := slices.Clone(vs)
		slices.Sort(sorted)
		for _, k := range []int{1, 2, n / 3, n / 2, n - 1, n} {
			if got := KthLargest(slices.Clone(vs), k); got != sorted[n-k] {
				t.Errorf("%s k=%d: %d, want %d", name, k, got, sorted[n-k])
			}
		}
	}
}

// TestRapidKthLargestFunc checks the generic selection (used on big.Int remainders) against
// a sort, like TestRapidKthLargest.
func TestRapidKthLargestFunc(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.SampledFrom([]int{1, 2, 31, 33, 64, 100, 400}).Draw(t, "n")
		vs := rapid.SliceOfN(rapid.IntRange(-3, rapid.SampledFrom([]int{0, 5, 1 << 20}).Draw(t, "max")), n, n).Draw(t, "values")
		if rapid.Bool().Draw(t, "sorted") {
			slices.Sort(vs)
		}
		k := rapid.IntRange(1, len(vs)).Draw(t, "k")
		sorted := slices.Clone(vs)
		slices.Sort(sorted)
		if got := KthLargestFunc(slices.Clone(vs), k, func(a, b int) int { return a - b }); got != sorted[len(sorted)-k] {
			t.Fatalf("KthLargestFunc(k=%d) = %d, want %d", k, got, sorted[len(sorted)-k])
		}
		a, b, c := vs[0], vs[len(vs)/2], vs[len(vs)-1]
		m := median3(a, b, c, func(a, b int) int { return a - b })
		three := []int{a, b, c}
		slices.Sort(three)
		if m != three[1] {
			t.Fatalf("median3(%d, %d, %d) = %d", a, b, c, m)
		}
	})
}

// KthLargest selects like a sort, also on long runs of equal values.
func TestRapidKthLargestRuns(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		vs := rapid.SliceOfN(rapid.Uint64Range(0, 5), 1, 300).Draw(t, "vs")
		k := rapid.IntRange(1, len(vs)).Draw(t, "k")
		sorted := append([]uint64(nil), vs...)
		for i := range sorted { // insertion sort, descending
			for j := i; j > 0 && sorted[j] > sorted[j-1]; j-- {
				sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
			}
		}
		if got := KthLargest(vs, k); got != sorted[k-1] {
			t.Fatalf("k=%d: %d, want %d", k, got, sorted[k-1])
		}
	})
}

// LargestRemainder gives the left units to the largest remainders, ties to the lower index.
func TestLargestRemainder(t *testing.T) {
	q := []uint64{1, 1, 1, 1}
	LargestRemainder(q, []uint64{5, 9, 9, 0}, 2)
	if !slices.Equal(q, []uint64{1, 2, 2, 1}) {
		t.Fatalf("q = %v", q)
	}
	q = []uint64{0, 0, 0}
	LargestRemainder(q, []uint64{3, 3, 3}, 2)
	if !slices.Equal(q, []uint64{1, 1, 0}) {
		t.Fatalf("ties: q = %v", q)
	}
}
