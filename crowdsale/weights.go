package crowdsale

import (
	"math/big"
	"math/bits"

	"github.com/trustcircle/trustcircle/internal/uint128"
)

// The helpers below divide the participants' weights by their greatest common divisor
// before the allocation, on the library's 128-bit integers ([uint128.U128]).

// wordsPerU128 is the number of big.Word needed for 128 bits.
const wordsPerU128 = 128 / bits.UintSize

// setBigWords stores a in z using buf (len wordsPerU128) as z's backing array, so that many
// values can share one allocation.
func setBigWords(a uint128.U128, z *big.Int, buf []big.Word) *big.Int {
	if bits.UintSize == 64 {
		buf[0], buf[1] = big.Word(a.Lo), big.Word(a.Hi)
	} else {
		for i := range buf {
			var w uint64
			if i < 2 {
				w = a.Lo >> (32 * uint(i))
			} else {
				w = a.Hi >> (32 * uint(i-2))
			}
			buf[i] = big.Word(uint32(w))
		}
	}
	return z.SetBits(buf)
}

// trailingZeros returns the number of trailing zero bits of a (128 for zero).
func trailingZeros(a uint128.U128) uint {
	if a.Lo != 0 {
		return uint(bits.TrailingZeros64(a.Lo))
	}
	if a.Hi != 0 {
		return 64 + uint(bits.TrailingZeros64(a.Hi))
	}
	return 128
}

func shr(a uint128.U128, n uint) uint128.U128 {
	switch {
	case n == 0:
		return a
	case n >= 128:
		return uint128.U128{}
	case n >= 64:
		return uint128.U128{Lo: a.Hi >> (n - 64)}
	}
	return uint128.U128{Hi: a.Hi >> n, Lo: a.Lo>>n | a.Hi<<(64-n)}
}

func shl(a uint128.U128, n uint) uint128.U128 {
	switch {
	case n == 0:
		return a
	case n >= 128:
		return uint128.U128{}
	case n >= 64:
		return uint128.U128{Hi: a.Lo << (n - 64)}
	}
	return uint128.U128{Hi: a.Hi<<n | a.Lo>>(64-n), Lo: a.Lo << n}
}

// gcd returns the greatest common divisor of a and b, with gcd(0, b) = b. The common
// factors of two are taken out first (gcd(2^i x a', 2^j x b') = 2^min(i,j) x gcd(a', b') for
// odd a' and b'), so that the odd parts, which usually fit 64 bits, go to Euclid on machine
// words; binary GCD (Stein) on 128 bits only while both odd parts are wider.
func gcd(a, b uint128.U128) uint128.U128 {
	if a.IsZero() {
		return b
	}
	if b.IsZero() {
		return a
	}
	za, zb := trailingZeros(a), trailingZeros(b)
	shift := min(za, zb)
	a, b = shr(a, za), shr(b, zb)
	if b.Hi == 0 {
		a, b = b, a
	}
	if a.Hi == 0 {
		_, r := b.QuoRem64(a.Lo)
		return shl(uint128.From64(gcd64(a.Lo, r)), shift)
	}
	for !b.IsZero() { // a and b odd at the start of each step
		b = shr(b, trailingZeros(b))
		if a.Cmp(b) > 0 {
			a, b = b, a
		}
		b, _ = b.Sub(a) // b >= a
		if a.Hi == 0 && !b.IsZero() {
			_, r := b.QuoRem64(a.Lo)
			return shl(uint128.From64(gcd64(a.Lo, r)), shift)
		}
	}
	return shl(a, shift)
}

// quoExact returns a / b for a b > 0 that divides a (an exact division: no rounding). The
// common factors of two are removed first, so b usually fits in 64 bits; otherwise big.Int
// does the division.
func quoExact(a, b uint128.U128) uint128.U128 {
	if b.Hi != 0 {
		z := trailingZeros(b)
		a, b = shr(a, z), shr(b, z)
	}
	if b.Hi == 0 {
		q, _ := a.QuoRem64(b.Lo)
		return q
	}
	q, _ := uint128.FromBig(new(big.Int).Quo(a.Big(), b.Big()))
	return q
}
