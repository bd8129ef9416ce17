package token

import (
	"math/big"
	"math/bits"
	"strconv"

	"github.com/trustcircle/trustcircle/internal/apportion"
)

// Remainder is the policy that places the minor units left over when an amount is divided
// into parts: each part first gets the floor of its exact share, and the few units that
// remain (fewer than the number of parts) go where the policy says. The zero value is
// [LargestRemainder].
type Remainder struct {
	kind  uint8 // 0 largest remainder, 1 to one index
	index int
}

// LargestRemainder returns the default policy (Hamilton's method): the leftover units go one
// each to the parts with the largest fractional remainders; equal remainders go to the lower
// index first. A part of zero weight never gets a unit. Every part is then within one minor
// unit of its exact share.
func LargestRemainder() Remainder { return Remainder{} }

// RemainderTo returns the policy that gives every leftover unit to the part at index, which
// must have a positive weight.
func RemainderTo(index int) Remainder { return Remainder{kind: 1, index: index} }

// String describes the policy.
func (p Remainder) String() string {
	if p.kind == 1 {
		return "remainder to index " + strconv.Itoa(p.index)
	}
	return "largest remainder"
}

// Split divides x into n parts that differ by at most one minor unit and sum to x exactly;
// the leftover units go to the lowest indices (largest remainder with all remainders
// equal). x must be a valid amount that is not negative, and n at least 1. The error is an
// [*Error] wrapping [ErrInvalidSplit] or a reason of [Asset.Check].
//
//	Split(btc.MustParse("1.00000001"), 3) = [0.33333334 0.33333334 0.33333333]
func Split(x Amount, n int) ([]Amount, error) {
	return SplitWith(x, n, LargestRemainder())
}

// SplitWith is [Split] with an explicit remainder policy.
func SplitWith(x Amount, n int, p Remainder) ([]Amount, error) {
	if n < 1 {
		return nil, &Error{Op: "Split", Amount: x, Detail: strconv.Itoa(n) + " parts, want at least 1", Err: ErrInvalidSplit}
	}
	if p.kind == 1 && (p.index < 0 || p.index >= n) {
		return nil, &Error{Op: "Split", Amount: x,
			Detail: "remainder index " + strconv.Itoa(p.index) + " of " + strconv.Itoa(n) + " parts", Err: ErrInvalidSplit}
	}
	a := x.Asset()
	if err := a.Check(x); err != nil {
		err.(*Error).Op = "Split"
		return nil, err
	}
	parts := make([]Amount, n)
	if hi, lo, ok := x.Uint128Units(); ok {
		// Fixed width: q = units / n, left = units mod n, by long division of the two words.
		qhi, r := hi/uint64(n), hi%uint64(n)
		qlo, left := bits.Div64(r, lo, uint64(n))
		fill(parts, a.FromUint128Units(qhi, qlo), int(left), p)
		return parts, nil
	}
	var q, left big.Int
	q.QuoRem(x.Units(), big.NewInt(int64(n)), &left) // floor: units >= 0
	base, _ := a.FromUnits(&q)                       // at most x
	fill(parts, base, int(left.Int64()), p)          // left < n, so it fits
	return parts, nil
}

// fill sets every part to base, then adds the left leftover units as p says.
func fill(parts []Amount, base Amount, left int, p Remainder) {
	for i := range parts {
		parts[i] = base
	}
	if left == 0 {
		return
	}
	a := base.Asset()
	// The sums stay at most the amount split, so they are in range.
	if p.kind == 1 {
		parts[p.index], _ = base.Add(a.FromUint64Units(uint64(left)))
		return
	}
	plusOne, _ := base.Add(a.MinorUnit())
	for i := range left {
		parts[i] = plusOne
	}
}

// Allocate divides x among parts in proportion to weights, exactly: the parts are whole
// minor units of x's asset and sum to x, with the leftover units placed by
// [LargestRemainder] (ties to the lower index; a zero weight gets zero). x must be a valid
// amount that is not negative, and at least one weight positive. The error is an [*Error]
// wrapping [ErrInvalidSplit] or a reason of [Asset.Check].
func Allocate(x Amount, weights []uint64) ([]Amount, error) {
	return AllocateWith(x, weights, LargestRemainder())
}

// AllocateWith is [Allocate] with an explicit remainder policy; [RemainderTo] must name a
// part of positive weight.
func AllocateWith(x Amount, weights []uint64, p Remainder) ([]Amount, error) {
	a := x.Asset()
	if err := a.Check(x); err != nil {
		err.(*Error).Op = "Allocate"
		return nil, err
	}
	ws := make([]big.Int, len(weights))
	if bits.UintSize == 64 {
		// One backing array for the weights' words: a constant number of allocations.
		words := make([]big.Word, len(weights))
		for i, w := range weights {
			words[i] = big.Word(w)
			ws[i].SetBits(words[i : i+1 : i+1])
		}
	} else {
		for i, w := range weights {
			ws[i].SetUint64(w)
		}
	}
	parts, err := AllocateUnits(x.Units(), ws, p)
	if err != nil {
		e := err.(*Error)
		e.Op, e.Amount = "Allocate", x
		return nil, err
	}
	out := make([]Amount, len(parts))
	for i := range parts {
		out[i], _ = a.FromUnits(&parts[i]) // each part is at most x
	}
	return out, nil
}

// AllocateUnits is the integer core of [AllocateWith], for callers that hold minor units: it divides total minor units in
// proportion to weights and returns parts that sum to total exactly. Part i is
// floor(total*w_i/W) plus the leftover units the policy gives it. total and the weights must
// be non-negative and at least one weight positive. It does not modify its arguments.
//
// When total and the sum of the weights fit in 64 bits (80M TRST over satoshi-valued weights
// does) it works in 128-bit integer arithmetic, finds the largest remainders by selection in
// expected O(n) time, and makes a constant number of allocations; otherwise it works in
// big.Int arithmetic and sorts the remainders, O(n log n). Both give identical results.
func AllocateUnits(total *big.Int, weights []big.Int, policy Remainder) ([]big.Int, error) {
	bad := func(detail string) ([]big.Int, error) {
		return nil, &Error{Op: "AllocateUnits", Detail: detail, Err: ErrInvalidSplit}
	}
	if total.Sign() < 0 {
		return bad("negative total " + total.String())
	}
	if len(weights) == 0 {
		return bad("no weights")
	}
	var sum big.Int
	for i := range weights {
		if weights[i].Sign() < 0 {
			return bad("weight " + strconv.Itoa(i) + " is negative (" + weights[i].String() + ")")
		}
		sum.Add(&sum, &weights[i])
	}
	if sum.Sign() == 0 {
		return bad("all weights are zero")
	}
	if policy.kind == 1 && (policy.index < 0 || policy.index >= len(weights) || weights[policy.index].Sign() == 0) {
		return bad("remainder index " + strconv.Itoa(policy.index) + " must name a part of positive weight")
	}
	if total.IsUint64() && sum.IsUint64() {
		return allocateUint64(total.Uint64(), weights, sum.Uint64(), policy), nil
	}
	return allocateBig(total, weights, &sum, policy), nil
}

// allocateBig is AllocateUnits for any sizes, in big.Int arithmetic. The parts and
// remainders get their words from two shared backing arrays, sized for the largest quotient
// (at most total) and remainder (below the sum), so the divisions rarely allocate.
func allocateBig(total *big.Int, weights []big.Int, sum *big.Int, policy Remainder) []big.Int {
	n := len(weights)
	parts := make([]big.Int, n)
	rems := make([]big.Int, n)
	qw, rw := len(total.Bits())+1, len(sum.Bits())+1
	qWords, rWords := make([]big.Word, n*qw), make([]big.Word, n*rw)
	// parts[i] = floor(total*w_i/W); rems[i] = the remainder of that division.
	var given, prod big.Int
	for i := range weights {
		parts[i].SetBits(qWords[i*qw : i*qw : (i+1)*qw])
		rems[i].SetBits(rWords[i*rw : i*rw : (i+1)*rw])
		prod.Mul(total, &weights[i])
		parts[i].QuoRem(&prod, sum, &rems[i])
		given.Add(&given, &parts[i])
	}
	left := given.Sub(total, &given) // < number of positive weights
	if left.Sign() == 0 {
		return parts
	}
	if policy.kind == 1 {
		parts[policy.index].Add(&parts[policy.index], left)
		return parts
	}
	// Largest remainder: find the left-th largest non-zero remainder t; every part above t
	// gets a unit, then the parts at t in index order until the units run out. That is the
	// order of a sort by (remainder desc, index asc). Zero remainders (zero weights among
	// them) never get a unit: there are always more non-zero remainders than leftover units.
	vs := make([]*big.Int, 0, n)
	for i := range rems {
		if rems[i].Sign() != 0 {
			vs = append(vs, &rems[i])
		}
	}
	t := apportion.KthLargestFunc(vs, int(left.Int64()), (*big.Int).Cmp)
	k := left.Int64()
	one := big.NewInt(1)
	for i := range rems {
		if rems[i].Cmp(t) > 0 {
			parts[i].Add(&parts[i], one)
			k--
		}
	}
	for i := range rems {
		if k == 0 {
			break
		}
		if rems[i].Cmp(t) == 0 {
			parts[i].Add(&parts[i], one)
			k--
		}
	}
	return parts
}

// allocateUint64 is AllocateUnits when the total and the sum of the weights fit in 64 bits
// (the usual case: 8x10^13 TRST units over satoshi weights). Each product total*w_i is
// computed in 128 bits and divided by the sum with floor rounding (bits.Div64: the quotient
// is at most total, so it fits). The parts' words share one backing array, each part capped
// to its own word, so the result costs a handful of allocations instead of one per part.
// Same results as allocateBig, which the tests check.
func allocateUint64(total uint64, weights []big.Int, sum uint64, policy Remainder) []big.Int {
	n := len(weights)
	q := make([]uint64, n)
	rems := make([]uint64, n)
	var given uint64
	for i := range weights {
		hi, lo := bits.Mul64(total, weights[i].Uint64())
		q[i], rems[i] = bits.Div64(hi, lo, sum) // hi < sum since total*w_i < 2^64*sum
		given += q[i]                           // the floors sum to at most total
	}
	if left := total - given; left > 0 {
		if policy.kind == 1 {
			q[policy.index] += left
		} else {
			apportion.LargestRemainder(q, rems, left)
		}
	}
	parts := make([]big.Int, n)
	if bits.UintSize == 64 {
		words := make([]big.Word, n)
		for i := range parts {
			words[i] = big.Word(q[i])
			parts[i].SetBits(words[i : i+1 : i+1])
		}
	} else {
		for i := range parts {
			parts[i].SetUint64(q[i])
		}
	}
	return parts
}
