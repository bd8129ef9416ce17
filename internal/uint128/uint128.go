// Package uint128 is the fixed-width integer layer under the library's amounts and weights:
// an unsigned 128-bit integer whose every operation reports overflow instead of wrapping,
// and whose division returns its remainder. Callers fall back to math/big when an operation
// overflows.
package uint128

import (
	"math/big"
	"math/bits"
)

// U128 is an unsigned 128-bit integer, Hi x 2^64 + Lo. The zero value is 0.
type U128 struct{ Hi, Lo uint64 }

// From64 returns v as a U128.
func From64(v uint64) U128 { return U128{Lo: v} }

// IsZero reports whether a is 0.
func (a U128) IsZero() bool { return a.Hi == 0 && a.Lo == 0 }

// Cmp returns -1, 0 or +1 as a is less than, equal to or greater than b.
func (a U128) Cmp(b U128) int {
	switch {
	case a.Hi < b.Hi:
		return -1
	case a.Hi > b.Hi:
		return 1
	case a.Lo < b.Lo:
		return -1
	case a.Lo > b.Lo:
		return 1
	}
	return 0
}

// Add returns a+b and whether the sum overflowed 128 bits.
func (a U128) Add(b U128) (U128, bool) {
	lo, c := bits.Add64(a.Lo, b.Lo, 0)
	hi, c2 := bits.Add64(a.Hi, b.Hi, c)
	return U128{hi, lo}, c2 != 0
}

// Sub returns a-b and whether it borrowed (b > a, the result then wrapped).
func (a U128) Sub(b U128) (U128, bool) {
	lo, c := bits.Sub64(a.Lo, b.Lo, 0)
	hi, c2 := bits.Sub64(a.Hi, b.Hi, c)
	return U128{hi, lo}, c2 != 0
}

// Mul64 returns a*b and whether the product needs more than 128 bits.
func (a U128) Mul64(b uint64) (U128, bool) {
	h1, l1 := bits.Mul64(a.Lo, b)
	h2, l2 := bits.Mul64(a.Hi, b)
	hi, c := bits.Add64(h1, l2, 0)
	return U128{hi, l1}, h2 != 0 || c != 0
}

// Mul returns a*b and whether the product needs more than 128 bits.
func (a U128) Mul(b U128) (U128, bool) {
	if a.Hi != 0 && b.Hi != 0 {
		return U128{}, true
	}
	if a.Hi != 0 {
		return a.Mul64(b.Lo)
	}
	return b.Mul64(a.Lo)
}

// QuoRem64 returns floor(a/b) and the remainder a - b x floor(a/b). b must not be 0.
func (a U128) QuoRem64(b uint64) (U128, uint64) {
	qhi := a.Hi / b
	r := a.Hi % b
	qlo, r := bits.Div64(r, a.Lo, b)
	return U128{qhi, qlo}, r
}

// MulQuoRem64 returns floor(a x m / d) and the remainder a x m - d x floor(a x m / d), computed
// exactly through a 192-bit product, and whether the quotient needs more than 128 bits (it
// never does when m <= d). d must not be 0.
func (a U128) MulQuoRem64(m, d uint64) (q U128, r uint64, over bool) {
	h1, p0 := bits.Mul64(a.Lo, m)
	h2, l2 := bits.Mul64(a.Hi, m)
	p1, c := bits.Add64(h1, l2, 0)
	p2 := h2 + c // cannot overflow: the product is below 2^192
	q2, r := bits.Div64(0, p2, d)
	q1, r := bits.Div64(r, p1, d)
	q0, r := bits.Div64(r, p0, d)
	return U128{q1, q0}, r, q2 != 0
}

// SetBig stores a in z and returns z. It does not allocate when z has room for 128 bits.
func (a U128) SetBig(z *big.Int) *big.Int {
	if bits.UintSize == 64 {
		w := z.Bits()
		if cap(w) < 2 {
			w = make([]big.Word, 2)
		}
		w = w[:2]
		w[0], w[1] = big.Word(a.Lo), big.Word(a.Hi)
		return z.SetBits(w) // SetBits normalises the length
	}
	var t big.Int
	z.SetUint64(a.Hi)
	z.Lsh(z, 64)
	return z.Add(z, t.SetUint64(a.Lo))
}

// Big returns a as a new big.Int.
func (a U128) Big() *big.Int { return a.SetBig(new(big.Int)) }

// FromBig returns x as a U128 and whether it fits (x is not negative and below 2^128).
func FromBig(x *big.Int) (U128, bool) {
	if x.Sign() < 0 {
		return U128{}, false
	}
	return FromBigAbs(x)
}

// FromBigAbs returns |x| as a U128 and whether it fits (|x| is below 2^128). It does not
// allocate on 64-bit platforms.
func FromBigAbs(x *big.Int) (U128, bool) {
	if x.BitLen() > 128 {
		return U128{}, false
	}
	if bits.UintSize == 64 {
		w := x.Bits()
		var v U128
		if len(w) > 0 {
			v.Lo = uint64(w[0])
		}
		if len(w) > 1 {
			v.Hi = uint64(w[1])
		}
		return v, true
	}
	var t big.Int
	t.Abs(x)
	lo := new(big.Int).And(&t, new(big.Int).SetUint64(^uint64(0))).Uint64()
	hi := t.Rsh(&t, 64).Uint64()
	return U128{hi, lo}, true
}

// AppendDecimal appends the decimal digits of a to b.
func (a U128) AppendDecimal(b []byte) []byte {
	if a.Hi == 0 {
		return appendUint(b, a.Lo)
	}
	// Peel off 19 digits at a time: 10^19 fits in a uint64.
	const tenPow19 = 10_000_000_000_000_000_000
	var chunks [3]uint64
	n := 0
	for a.Hi != 0 {
		var r uint64
		a, r = a.QuoRem64(tenPow19)
		chunks[n] = r
		n++
	}
	b = appendUint(b, a.Lo)
	for i := n - 1; i >= 0; i-- {
		b = appendPadded(b, chunks[i], 19)
	}
	return b
}

func appendUint(b []byte, v uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for v >= 10 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	buf[i] = byte('0' + v)
	return append(b, buf[i:]...)
}

func appendPadded(b []byte, v uint64, width int) []byte {
	var buf [20]byte
	for i := width - 1; i >= 0; i-- {
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, buf[:width]...)
}
