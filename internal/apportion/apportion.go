// Package apportion divides a whole number of units among parts by the largest
// remainder method, in machine words: the leftover units of a floor division go one each to
// the parts with the largest remainders, ties to the lower index, found by selection
// rather than sorting. The token and crowdsale packages share it.
package apportion

import (
	"cmp"
	"math/bits"
	"slices"
)

// LargestRemainder adds one to q[i] for the left parts with the largest non-zero remainders,
// ties to the lower index. left is less than the number of non-zero remainders. It finds the
// threshold remainder by selection (O(n)) rather than sorting: every part whose remainder is
// above the threshold gets a unit, then the parts at the threshold in index order until the
// units run out, which is exactly the order of a sort by (remainder desc, index asc).
func LargestRemainder(q, rems []uint64, left uint64) {
	vs := make([]uint64, 0, len(rems))
	for _, r := range rems {
		if r != 0 {
			vs = append(vs, r)
		}
	}
	t := KthLargest(vs, int(left))
	for i, r := range rems {
		if r > t {
			q[i]++
			left--
		}
	}
	for i, r := range rems {
		if left == 0 {
			break
		}
		if r == t {
			q[i]++
			left--
		}
	}
}

// KthLargestFunc returns the k-th largest value of vs (k from 1 to len(vs)) in the order of
// compare, reordering vs: quickselect with a median-of-three pivot and a three-way partition,
// falling back to a sort of what is left after a bounded number of rounds (so adversarial
// input costs O(n log n)).
func KthLargestFunc[T any](vs []T, k int, compare func(a, b T) int) T {
	lo, hi, target := 0, len(vs), k-1 // target index in descending order
	for budget := 2*bits.Len(uint(len(vs))) + 4; hi-lo > 32 && budget > 0; budget-- {
		pivot := median3(vs[lo], vs[lo+(hi-lo)/2], vs[hi-1], compare)
		lt, i, gt := lo, lo, hi // [lo,lt) > pivot, [lt,i) == pivot, [gt,hi) < pivot
		for i < gt {
			switch c := compare(vs[i], pivot); {
			case c > 0:
				vs[lt], vs[i] = vs[i], vs[lt]
				lt++
				i++
			case c < 0:
				gt--
				vs[i], vs[gt] = vs[gt], vs[i]
			default:
				i++
			}
		}
		switch {
		case target < lt:
			hi = lt
		case target >= gt:
			lo = gt
		default:
			return pivot
		}
	}
	rest := vs[lo:hi]
	slices.SortFunc(rest, compare)
	return rest[len(rest)-1-(target-lo)]
}

// median3 returns the median of a, b and c in the order of compare.
func median3[T any](a, b, c T, compare func(a, b T) int) T {
	if compare(a, b) > 0 {
		a, b = b, a
	}
	// a <= b
	if compare(b, c) <= 0 {
		return b
	}
	if compare(a, c) >= 0 {
		return a
	}
	return c
}

// KthLargest is [KthLargestFunc] for uint64 values.
func KthLargest(vs []uint64, k int) uint64 { return KthLargestFunc(vs, k, cmp.Compare[uint64]) }
