package token

import (
	"fmt"
	"math/big"
	"slices"

	"github.com/shopspring/decimal"
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
		return fmt.Sprintf("remainder to index %d", p.index)
	}
	return "largest remainder"
}

// Split divides amount of asset into n parts that differ by at most one minor unit and sum
// to amount exactly; the leftover units go to the lowest indices (largest remainder with all
// remainders equal). amount must be a valid amount of the asset and n at least 1.
//
//	Split(token.BTC(), "1.00000001", 3) = [0.33333334 0.33333334 0.33333333]
func Split(asset Asset, amount decimal.Decimal, n int) ([]decimal.Decimal, error) {
	return SplitWith(asset, amount, n, LargestRemainder())
}

// SplitWith is [Split] with an explicit remainder policy.
func SplitWith(asset Asset, amount decimal.Decimal, n int, policy Remainder) ([]decimal.Decimal, error) {
	if n < 1 {
		return nil, fmt.Errorf("%w: %d parts", ErrInvalidSplit, n)
	}
	if policy.kind == 1 && (policy.index < 0 || policy.index >= n) {
		return nil, fmt.Errorf("%w: remainder index %d of %d parts", ErrInvalidSplit, policy.index, n)
	}
	if err := asset.Check(amount); err != nil {
		return nil, err
	}
	units, _ := asset.Units(amount)
	var q, left big.Int
	q.QuoRem(units, big.NewInt(int64(n)), &left) // floor: units >= 0
	extra := int(left.Int64())                   // left < n, so it fits
	base := asset.FromUnits(&q)
	parts := make([]decimal.Decimal, n)
	for i := range parts {
		parts[i] = base
	}
	if extra == 0 {
		return parts, nil
	}
	if policy.kind == 1 {
		parts[policy.index] = asset.FromUnits(q.Add(&q, &left))
		return parts, nil
	}
	plusOne := asset.FromUnits(q.Add(&q, big.NewInt(1)))
	for i := range extra {
		parts[i] = plusOne
	}
	return parts, nil
}

// Allocate divides amount of asset among parts in proportion to weights, exactly: the parts
// are whole minor units and sum to amount, with the leftover units placed by
// [LargestRemainder]. Weights are non-negative decimals of any scale, at least one positive;
// a zero weight gets zero.
func Allocate(asset Asset, amount decimal.Decimal, weights []decimal.Decimal) ([]decimal.Decimal, error) {
	return AllocateWith(asset, amount, weights, LargestRemainder())
}

// AllocateWith is [Allocate] with an explicit remainder policy.
func AllocateWith(asset Asset, amount decimal.Decimal, weights []decimal.Decimal, policy Remainder) ([]decimal.Decimal, error) {
	if err := asset.Check(amount); err != nil {
		return nil, err
	}
	if len(weights) == 0 {
		return nil, fmt.Errorf("%w: no weights", ErrInvalidSplit)
	}
	// Bring every weight to the finest exponent so that they compare as integers.
	exp := int32(0)
	for i, w := range weights {
		if w.Sign() < 0 {
			return nil, fmt.Errorf("%w: weight %d is negative (%s)", ErrInvalidSplit, i, w.String())
		}
		exp = min(exp, w.Exponent())
	}
	ints := make([]big.Int, len(weights))
	for i, w := range weights {
		ints[i].Set(w.Shift(-exp).BigInt())
	}
	units, _ := asset.Units(amount)
	parts, err := AllocateUnits(units, ints, policy)
	if err != nil {
		return nil, err
	}
	out := make([]decimal.Decimal, len(parts))
	for i := range parts {
		out[i] = asset.FromUnits(&parts[i])
	}
	return out, nil
}

// AllocateUnits is the integer core of [AllocateWith]: it divides total minor units in
// proportion to weights and returns parts that sum to total exactly. Part i is
// floor(total*w_i/W) plus the leftover units the policy gives it. total and the weights must
// be non-negative and at least one weight positive. It does not modify its arguments.
//
// Its cost is O(n log n) for n weights (one sort of the remainders when there are leftover
// units), with one allocation for the result and one for the ordering.
func AllocateUnits(total *big.Int, weights []big.Int, policy Remainder) ([]big.Int, error) {
	if total.Sign() < 0 {
		return nil, fmt.Errorf("%w: negative total %s", ErrInvalidSplit, total)
	}
	if len(weights) == 0 {
		return nil, fmt.Errorf("%w: no weights", ErrInvalidSplit)
	}
	var sum big.Int
	for i := range weights {
		if weights[i].Sign() < 0 {
			return nil, fmt.Errorf("%w: weight %d is negative (%s)", ErrInvalidSplit, i, &weights[i])
		}
		sum.Add(&sum, &weights[i])
	}
	if sum.Sign() == 0 {
		return nil, fmt.Errorf("%w: all weights are zero", ErrInvalidSplit)
	}
	if policy.kind == 1 && (policy.index < 0 || policy.index >= len(weights) || weights[policy.index].Sign() == 0) {
		return nil, fmt.Errorf("%w: remainder index %d must name a part of positive weight", ErrInvalidSplit, policy.index)
	}
	// parts[i] = floor(total*w_i/W); rems[i] = the remainder of that division.
	parts := make([]big.Int, 2*len(weights))
	parts, rems := parts[:len(weights):len(weights)], parts[len(weights):]
	var given, prod big.Int
	for i := range weights {
		prod.Mul(total, &weights[i])
		parts[i].QuoRem(&prod, &sum, &rems[i])
		given.Add(&given, &parts[i])
	}
	left := given.Sub(total, &given) // < number of positive weights
	if left.Sign() == 0 {
		return parts, nil
	}
	if policy.kind == 1 {
		parts[policy.index].Add(&parts[policy.index], left)
		return parts, nil
	}
	// Largest remainder: sort the indices with a non-zero remainder by remainder, largest
	// first, ties to the lower index. Zero remainders (zero weights among them) never get a
	// unit: there are always more non-zero remainders than leftover units.
	order := make([]int32, 0, len(weights))
	for i := range rems {
		if rems[i].Sign() != 0 {
			order = append(order, int32(i))
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := rems[b].Cmp(&rems[a]); c != 0 {
			return c
		}
		return int(a - b)
	})
	one := big.NewInt(1)
	for _, i := range order[:left.Int64()] {
		parts[i].Add(&parts[i], one)
	}
	return parts, nil
}
