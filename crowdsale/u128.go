package crowdsale

import (
	"math/big"
	"math/bits"
)

// u128 is an unsigned 128-bit integer, the internal representation of values and weights.
// Config.Validate bounds the cap so that every sum the sale keeps fits with room to spare;
// every operation that could overflow reports it instead of wrapping.
type u128 struct{ hi, lo uint64 }

func u64(v uint64) u128 { return u128{lo: v} }

func (a u128) isZero() bool { return a.hi == 0 && a.lo == 0 }

func (a u128) cmp(b u128) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

// add returns a+b and whether it overflowed.
func (a u128) add(b u128) (u128, bool) {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c2 := bits.Add64(a.hi, b.hi, c)
	return u128{hi, lo}, c2 != 0
}

// sub returns a-b; the caller guarantees a >= b.
func (a u128) sub(b u128) u128 {
	lo, c := bits.Sub64(a.lo, b.lo, 0)
	hi, _ := bits.Sub64(a.hi, b.hi, c)
	return u128{hi, lo}
}

// mul64 returns a*b and whether the product needs more than 128 bits.
func (a u128) mul64(b uint64) (u128, bool) {
	h1, l1 := bits.Mul64(a.lo, b)
	h2, l2 := bits.Mul64(a.hi, b)
	hi, c := bits.Add64(h1, l2, 0)
	return u128{hi, l1}, h2 != 0 || c != 0
}

// quo64 returns floor(a/b) and the remainder; b > 0 (rounding: toward zero, the remainder
// is returned to the caller).
func (a u128) quo64(b uint64) (u128, uint64) {
	qhi := a.hi / b
	r := a.hi % b
	qlo, r := bits.Div64(r, a.lo, b)
	return u128{qhi, qlo}, r
}

// setBig stores a in z and returns z.
func (a u128) setBig(z *big.Int) *big.Int {
	var t big.Int
	z.SetUint64(a.hi)
	z.Lsh(z, 64)
	return z.Add(z, t.SetUint64(a.lo))
}

func (a u128) big() *big.Int { return a.setBig(new(big.Int)) }

// wordsPerU128 is the number of big.Word needed for 128 bits.
const wordsPerU128 = 128 / bits.UintSize

// setBigWords stores a in z using buf (len wordsPerU128) as z's backing array, so that many
// values can share one allocation.
func (a u128) setBigWords(z *big.Int, buf []big.Word) *big.Int {
	if bits.UintSize == 64 {
		buf[0], buf[1] = big.Word(a.lo), big.Word(a.hi)
	} else {
		for i := range buf {
			var w uint64
			if i < 2 {
				w = a.lo >> (32 * uint(i))
			} else {
				w = a.hi >> (32 * uint(i-2))
			}
			buf[i] = big.Word(uint32(w))
		}
	}
	return z.SetBits(buf)
}

// fromBig converts a non-negative z to u128; ok is false when z is negative or too large.
func fromBig(z *big.Int) (u128, bool) {
	if z.Sign() < 0 || z.BitLen() > 128 {
		return u128{}, false
	}
	hi := new(big.Int).Rsh(z, 64)
	lo := new(big.Int).Sub(z, new(big.Int).Lsh(hi, 64))
	return u128{hi.Uint64(), lo.Uint64()}, true
}

// tz returns the number of trailing zero bits of a (128 for zero).
func (a u128) tz() uint {
	if a.lo != 0 {
		return uint(bits.TrailingZeros64(a.lo))
	}
	if a.hi != 0 {
		return 64 + uint(bits.TrailingZeros64(a.hi))
	}
	return 128
}

func (a u128) shr(n uint) u128 {
	switch {
	case n == 0:
		return a
	case n >= 128:
		return u128{}
	case n >= 64:
		return u128{lo: a.hi >> (n - 64)}
	}
	return u128{hi: a.hi >> n, lo: a.lo>>n | a.hi<<(64-n)}
}

func (a u128) shl(n uint) u128 {
	switch {
	case n == 0:
		return a
	case n >= 128:
		return u128{}
	case n >= 64:
		return u128{hi: a.lo << (n - 64)}
	}
	return u128{hi: a.hi<<n | a.lo>>(64-n), lo: a.lo << n}
}

// gcd returns the greatest common divisor of a and b, with gcd(0, b) = b: Euclid on 64 bits
// as soon as one operand fits, binary GCD (Stein) before.
func gcd(a, b u128) u128 {
	if a.isZero() {
		return b
	}
	if b.isZero() {
		return a
	}
	if b.hi == 0 {
		a, b = b, a
	}
	if a.hi == 0 {
		_, r := b.quo64(a.lo)
		x, y := a.lo, r
		for y != 0 {
			x, y = y, x%y
		}
		return u64(x)
	}
	shift := min(a.tz(), b.tz())
	a = a.shr(a.tz())
	for !b.isZero() {
		b = b.shr(b.tz())
		if a.cmp(b) > 0 {
			a, b = b, a
		}
		b = b.sub(a)
	}
	return a.shl(shift)
}

// quoExact returns a / b for a b > 0 that divides a (an exact division: no rounding). The
// common factors of two are removed first, so b usually fits in 64 bits; otherwise big.Int
// does the division.
func quoExact(a, b u128) u128 {
	if b.hi != 0 {
		z := b.tz()
		a, b = a.shr(z), b.shr(z)
	}
	if b.hi == 0 {
		q, _ := a.quo64(b.lo)
		return q
	}
	q, _ := fromBig(new(big.Int).Quo(a.big(), b.big()))
	return q
}
