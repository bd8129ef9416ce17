package token

import (
	"math/big"
	"math/bits"
	"strconv"
	"strings"

	"github.com/trustcircle/trustcircle/internal/uint128"
)

// Ratio is an exact fraction between 0 and 1 inclusive: a fee rate, a bonus, a minimum bid,
// a bid step, a share. It is held in lowest terms (2/1000 is 1/500), so == and
// [Ratio.Equal] agree. It is a small immutable value, safe for concurrent use. The zero
// Ratio is 0, a valid ratio.
//
// Its one text grammar, written by [Ratio.String] and [Ratio.MarshalText] and read by
// [ParseRatio] and [Ratio.UnmarshalText], is a percentage when the fraction has one that
// terminates ("0.2%", "65%", "100%") and a fraction otherwise ("1/3"); [ParseRatio] also
// reads any fraction of terms below 2^64 ("2/1000", which prints as "0.2%") and the
// integers "0" and "1".
//
// Applying a ratio to an amount names its rounding: [Ratio.MulFloor] rounds toward minus
// infinity, [Ratio.MulCeil] toward plus infinity, and [Ratio.MulFloorRem] returns what the
// floor dropped.
type Ratio struct {
	num, den uint64 // lowest terms, num <= den; den == 0 only in the zero Ratio
}

// NewRatio returns num/den in lowest terms. den must be positive and num at most den; the
// error is an [*Error] wrapping [ErrInvalidRatio].
func NewRatio(num, den uint64) (Ratio, error) {
	if den == 0 || num > den {
		return Ratio{}, &Error{Op: "NewRatio", Input: strconv.FormatUint(num, 10) + "/" + strconv.FormatUint(den, 10),
			Detail: "want num/den with 0 <= num <= den and den > 0", Err: ErrInvalidRatio}
	}
	if num == 0 {
		return Ratio{}, nil
	}
	g := gcd(num, den)
	return Ratio{num / g, den / g}, nil
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// MustRatio is like [NewRatio] but panics on error; for literals in tests and examples.
func MustRatio(num, den uint64) Ratio {
	r, err := NewRatio(num, den)
	if err != nil {
		panic(err)
	}
	return r
}

// PerMille returns n/1000; n must be at most 1000.
func PerMille(n uint64) (Ratio, error) { return NewRatio(n, 1000) }

// BasisPoints returns n/10000; n must be at most 10000.
func BasisPoints(n uint64) (Ratio, error) { return NewRatio(n, 10000) }

// Percent returns n/100; n must be at most 100.
func Percent(n uint64) (Ratio, error) { return NewRatio(n, 100) }

// One returns the ratio 1.
func One() Ratio { return Ratio{1, 1} }

// Num returns the numerator in lowest terms.
func (r Ratio) Num() uint64 { return r.num }

// Den returns the denominator in lowest terms (1 for the zero Ratio).
func (r Ratio) Den() uint64 {
	if r.den == 0 {
		return 1
	}
	return r.den
}

// IsZero reports whether r is 0.
func (r Ratio) IsZero() bool { return r.num == 0 }

// Equal reports whether r and s are the same fraction.
func (r Ratio) Equal(s Ratio) bool { return r.num == s.num && r.Den() == s.Den() }

// Cmp compares r and s exactly: -1 if r < s, 0 if equal, +1 if r > s.
func (r Ratio) Cmp(s Ratio) int {
	h1, l1 := bits.Mul64(r.num, s.Den())
	h2, l2 := bits.Mul64(s.num, r.Den())
	return uint128.U128{Hi: h1, Lo: l1}.Cmp(uint128.U128{Hi: h2, Lo: l2})
}

// Complement returns 1 - r.
func (r Ratio) Complement() Ratio {
	d := r.Den()
	if r.num == 0 {
		return Ratio{1, 1}
	}
	if r.num == d {
		return Ratio{}
	}
	return Ratio{d - r.num, d}
}

// mulQuoRem returns |x| x num = q x den + rem, with q the magnitude quotient (of x's asset).
// It does not allocate when |x| is below 2^128.
func (r Ratio) mulQuoRem(x Amount) (q Amount, rem uint64) {
	d := r.Den()
	if x.big == nil {
		m, rm, _ := x.mag.MulQuoRem64(r.num, d) // r <= 1: the quotient is at most |x|
		return Amount{sym: x.sym, dec: x.dec, mag: m}, rm
	}
	p := new(big.Int).Mul(x.big, new(big.Int).SetUint64(r.num))
	var rb big.Int
	p.QuoRem(p, new(big.Int).SetUint64(d), &rb)
	v, _ := x.asset().fromMag(false, p) // r <= 1: no larger than |x|
	return v, rb.Uint64()
}

// up returns the magnitude q (of mulQuoRem) plus one minor unit; it stays within the bound
// because q + 1 <= |x| whenever a remainder was dropped.
func up(q Amount) Amount {
	if q.big == nil {
		if m, over := q.mag.Add(uint128.From64(1)); !over {
			q.mag = m
			return q
		}
	}
	b := q.signedBig()
	v, _ := q.asset().fromMag(false, b.Add(b, bigOne))
	return v
}

// bigOne is 1; it is never modified.
var bigOne = big.NewInt(1)

// MulFloor returns x x r rounded down (toward minus infinity) to the minor unit: -1.5 units
// become -2. It never fails (|x x r| <= |x|), and does not allocate when |x| is below
// 2^128 minor units.
func (r Ratio) MulFloor(x Amount) Amount {
	q, rem := r.mulQuoRem(x)
	if x.neg {
		if rem != 0 {
			q = up(q)
		}
		return q.Neg()
	}
	return q
}

// MulCeil returns x x r rounded up (toward plus infinity) to the minor unit: 1.5 units
// become 2, -1.5 become -1. It never fails, and does not allocate below 2^128 minor units.
func (r Ratio) MulCeil(x Amount) Amount {
	q, rem := r.mulQuoRem(x)
	if x.neg {
		return q.Neg()
	}
	if rem != 0 {
		q = up(q)
	}
	return q
}

// MulFloorRem returns x x r rounded down to the minor unit, and what the rounding dropped in
// units of 1/Den of a minor unit: x x Num = floor x Den + rem, with 0 <= rem < Den. It never
// fails, and does not allocate below 2^128 minor units.
func (r Ratio) MulFloorRem(x Amount) (floor Amount, rem uint64) {
	q, rm := r.mulQuoRem(x)
	if x.neg && rm != 0 {
		return up(q).Neg(), r.Den() - rm
	}
	if x.neg {
		return q.Neg(), 0
	}
	return q, rm
}

// percentDigits returns the number of decimals of r as a percentage, or -1 when it does not
// terminate.
func (r Ratio) percentDigits() int {
	d := r.Den()
	twos, fives := 0, 0
	for d%2 == 0 {
		d /= 2
		twos++
	}
	for d%5 == 0 {
		d /= 5
		fives++
	}
	if d != 1 {
		return -1
	}
	return max(twos, fives, 2) - 2
}

// AppendText appends the text of [Ratio.String] to b. It implements [encoding.TextAppender],
// never fails, and does not allocate when b has room for a percentage of up to 17 decimals.
func (r Ratio) AppendText(b []byte) ([]byte, error) {
	k := r.percentDigits()
	if k < 0 {
		b = strconv.AppendUint(b, r.num, 10)
		b = append(b, '/')
		return strconv.AppendUint(b, r.Den(), 10), nil
	}
	// The percentage times 10^k is the integer num x 10^(k+2) / den (exact: den divides it).
	start := len(b)
	if k+2 <= 19 {
		p := uint64(1)
		for range k + 2 {
			p *= 10
		}
		hi, lo := bits.Mul64(r.num, p)
		q, _ := bits.Div64(hi, lo, r.Den()) // hi < den because num <= den and p < 2^64
		b = strconv.AppendUint(b, q, 10)
	} else {
		v := new(big.Int).SetUint64(r.num)
		v.Mul(v, pow10(int64(k+2)))
		v.Quo(v, new(big.Int).SetUint64(r.Den()))
		b = v.Append(b, 10)
	}
	b = pointAt(b, start, k)
	return append(b, '%'), nil
}

// String returns r as a percentage when one terminates ("0.2%", "65%") and as the fraction
// in lowest terms otherwise ("1/3").
func (r Ratio) String() string {
	var buf [72]byte // the longest text is 65 bytes
	b, _ := r.AppendText(buf[:0])
	return string(b)
}

// MarshalText returns what [Ratio.String] returns.
func (r Ratio) MarshalText() ([]byte, error) { return r.AppendText(nil) }

// UnmarshalText sets r to the ratio [ParseRatio] reads from text.
func (r *Ratio) UnmarshalText(text []byte) error {
	v, err := ParseRatio(string(text))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// maxRatioText bounds the text [ParseRatio] reads. The longest text [Ratio.String] writes
// is 65 bytes: a percentage with 61 decimals such as (2^63-1)/2^63.
const maxRatioText = 128

// ParseRatio reads a ratio: a percentage ("0.3%", "65%", "100%", "12.50%"), a fraction
// "num/den" of decimal integers below 2^64 ("2/1000", "1/3"), or "0" or "1". A percentage
// must reduce to a denominator below 2^64. It accepts everything [Ratio.String] writes. The
// error is an [*Error] wrapping [ErrInvalidRatio].
func ParseRatio(s string) (Ratio, error) {
	bad := func(detail string) (Ratio, error) {
		return Ratio{}, &Error{Op: "ParseRatio", Input: s, Detail: detail, Err: ErrInvalidRatio}
	}
	if len(s) > maxRatioText {
		return bad("longer than 128 bytes")
	}
	switch {
	case s == "0":
		return Ratio{}, nil
	case s == "1":
		return One(), nil
	case strings.HasSuffix(s, "%"):
		whole, frac, hasDot := strings.Cut(s[:len(s)-1], ".")
		if whole == "" || hasDot && frac == "" || !allDigits(whole) || !allDigits(frac) {
			return bad(`not a percentage such as "2%" or "0.25%"`)
		}
		return parsePercent(whole, strings.TrimRight(frac, "0"), bad)
	}
	n, d, ok := strings.Cut(s, "/")
	if !ok || !allDigits(n) || !allDigits(d) || n == "" || d == "" {
		return bad(`want a percentage such as "2%" or a fraction such as "1/3"`)
	}
	num, err1 := strconv.ParseUint(n, 10, 64)
	den, err2 := strconv.ParseUint(d, 10, 64)
	if err1 != nil || err2 != nil {
		return bad("numerator or denominator not below 2^64")
	}
	r, err := NewRatio(num, den)
	if err != nil {
		return bad("want 0 <= num <= den and den > 0")
	}
	return r, nil
}

// parsePercent returns whole.frac percent (digits only, frac without trailing zeros).
func parsePercent(whole, frac string, bad func(string) (Ratio, error)) (Ratio, error) {
	// The ratio is the integer whole||frac over 10^(len(frac)+2).
	var acc digitAcc
	acc.push(whole)
	acc.push(frac)
	m := len(frac) + 2
	if acc.b == nil && acc.m.Hi == 0 && m <= 19 {
		den := uint64(1)
		for range m {
			den *= 10
		}
		if acc.m.Lo > den {
			return bad("above 100%")
		}
		return NewRatio(acc.m.Lo, den)
	}
	num := acc.b
	if num == nil {
		num = acc.m.Big()
	}
	den := pow10(int64(m))
	if num.Cmp(den) > 0 {
		return bad("above 100%")
	}
	g := new(big.Int).GCD(nil, nil, num, den)
	num.Quo(num, g)
	den.Quo(den, g)
	if !den.IsUint64() {
		return bad("too many decimals: the denominator is not below 2^64")
	}
	return NewRatio(num.Uint64(), den.Uint64())
}
