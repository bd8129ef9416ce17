package crowdsale

import (
	"math/big"
	"math/bits"

	"github.com/trustcircle/trustcircle/internal/apportion"
	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// allocTable holds the allocations in token minor units, in allocation order: in machine
// words when the pool fits 64 bits (every allocation is at most the pool), in big.Int
// otherwise. The nil table is no allocation.
type allocTable struct {
	small []uint64  // when the pool fits 64 bits
	wide  []big.Int // otherwise
}

func (t *allocTable) len() int {
	if t == nil {
		return 0
	}
	if t.wide != nil {
		return len(t.wide)
	}
	return len(t.small)
}

// units sets z to allocation k and returns z.
func (t *allocTable) units(k int, z *big.Int) *big.Int {
	if t.wide != nil {
		return z.Set(&t.wide[k])
	}
	return z.SetUint64(t.small[k])
}

// amount returns allocation k as an amount of a.
func (t *allocTable) amount(a token.Asset, k int) token.Amount {
	if t.wide != nil {
		x, _ := a.FromUnits(&t.wide[k]) // at most the pool
		return x
	}
	return a.FromUint64Units(t.small[k])
}

func (t *allocTable) positive(k int) bool {
	if t.wide != nil {
		return t.wide[k].Sign() > 0
	}
	return t.small[k] > 0
}

// total returns the sum of the allocations.
func (t *allocTable) total() *big.Int {
	sum := new(big.Int)
	if t == nil {
		return sum
	}
	if t.wide != nil {
		for k := range t.wide {
			sum.Add(sum, &t.wide[k])
		}
		return sum
	}
	var acc uint128.U128
	for _, x := range t.small {
		acc, _ = acc.Add(uint128.From64(x)) // n x 2^64 < 2^128
	}
	return acc.Big()
}

// tableOf stores parts, converting them to machine words when the pool fits.
func tableOf(pool *big.Int, parts []big.Int) *allocTable {
	if !pool.IsUint64() {
		return &allocTable{wide: parts}
	}
	small := make([]uint64, len(parts))
	for k := range parts {
		small[k] = parts[k].Uint64()
	}
	return &allocTable{small: small}
}

// proRata64 divides pool among the weights (reduced by their greatest common divisor) by
// the largest-remainder rule, ties to the lower position, when the pool and the sum of the
// weights fit 64 bits: part k = floor(pool x w_k / W), then one more unit for the left
// parts of largest remainder. ok is false when they do not fit. It gives exactly what
// token.AllocateUnits gives, in machine words.
func proRata64(pool uint64, n int, weight func(k int) uint128.U128) (parts []uint64, ok bool) {
	var sum uint64
	parts = make([]uint64, n) // the weights first, then the parts
	for k := range n {
		w := weight(k)
		var carry uint64
		if sum, carry = bits.Add64(sum, w.Lo, 0); carry != 0 || w.Hi != 0 {
			return nil, false
		}
		parts[k] = w.Lo
	}
	rems := make([]uint64, n)
	var given uint64
	for k := range n {
		hi, lo := bits.Mul64(pool, parts[k])
		parts[k], rems[k] = bits.Div64(hi, lo, sum) // hi < sum: pool x w_k < 2^64 x sum
		given += parts[k]                           // the floors sum to at most the pool
	}
	left := pool - given // below the number of non-zero remainders
	if left == 0 {
		return parts, true
	}
	apportion.LargestRemainder(parts, rems, left)
	return parts, true
}
