package rosca

import (
	"math/big"
	"math/bits"
	"slices"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// units is a non-negative whole number of minor units, the circle's internal form of every
// amount. A value below 2^128 lives in two machine words and its arithmetic does not
// allocate; a larger one is held in a big.Int that is never modified once set, so units
// values are copied and shared freely. Every operation returns a new value.
//
// The circle keeps every stored figure non-negative (contributions, winnings and
// withdrawals only grow; balances are computed when read), so there is no signed form.
type units struct {
	v uint128.U128
	b *big.Int // the value when it is 2^128 or more, else nil
}

// unitsOf returns n units.
func unitsOf(n uint64) units { return units{v: uint128.From64(n)} }

// amountUnits returns the minor units of x, which must not be negative.
func amountUnits(x token.Amount) units {
	if hi, lo, ok := x.Uint128Units(); ok {
		return units{v: uint128.U128{Hi: hi, Lo: lo}}
	}
	return fromBig(x.Units())
}

// fromBig returns z, which must not be negative, as units. It takes ownership of z.
func fromBig(z *big.Int) units {
	if v, ok := uint128.FromBig(z); ok {
		return units{v: v}
	}
	return units{b: z}
}

// toBig returns x as a big.Int that the caller may modify.
func (x units) toBig() *big.Int {
	if x.b != nil {
		return new(big.Int).Set(x.b)
	}
	return x.v.Big()
}

// amount returns x as an amount of asset a. The circle bounds its cash (see
// [MaxCashDigits]), so every figure it reports is within the range of an amount.
func (x units) amount(a token.Asset) token.Amount {
	if x.b == nil {
		return a.FromUint128Units(x.v.Hi, x.v.Lo)
	}
	return bigAmount(x.b, a)
}

// bigAmount is amount's path for 2^128 or more, out of line so that amount inlines.
func bigAmount(z *big.Int, a token.Asset) token.Amount {
	v, _ := a.FromUnits(z)
	return v
}

// amountIf returns x as an amount of asset a when ok, otherwise the zero Amount ("no
// amount").
func (x units) amountIf(ok bool, a token.Asset) token.Amount {
	if !ok {
		return token.Amount{}
	}
	return x.amount(a)
}

// amountOrNone returns x as an amount of asset a, or the zero Amount ("no amount") when x
// is zero: the form of the optional figures that JSON omits when zero.
func (x units) amountOrNone(a token.Asset) token.Amount {
	if x.isZero() {
		return token.Amount{}
	}
	return x.amount(a)
}

func (x units) isZero() bool { return x.b == nil && x.v.IsZero() }

// cmp returns -1, 0 or +1 as x is less than, equal to or greater than y.
func (x units) cmp(y units) int {
	switch {
	case x.b == nil && y.b == nil:
		return x.v.Cmp(y.v)
	case x.b == nil:
		return -1 // a big value is at least 2^128
	case y.b == nil:
		return 1
	}
	return x.b.Cmp(y.b)
}

// add returns x + y.
func (x units) add(y units) units {
	if x.b == nil && y.b == nil {
		if s, over := x.v.Add(y.v); !over {
			return units{v: s}
		}
	}
	return addBig(x, y)
}

// addBig is add's path through math/big, kept out of line so that add inlines.
func addBig(x, y units) units { return fromBig(new(big.Int).Add(x.toBig(), y.toBig())) }

// diff returns |x - y| and whether x < y.
func (x units) diff(y units) (units, bool) {
	if x.b == nil && y.b == nil {
		if d, borrow := x.v.Sub(y.v); !borrow {
			return units{v: d}, false
		}
		d, _ := y.v.Sub(x.v)
		return units{v: d}, true
	}
	return diffBig(x, y)
}

// diffBig is diff's path through math/big, kept out of line so that diff inlines.
func diffBig(x, y units) (units, bool) {
	z := new(big.Int).Sub(x.toBig(), y.toBig())
	neg := z.Sign() < 0
	return fromBig(z.Abs(z)), neg
}

// sub returns x - y where the books guarantee x >= y (otherwise it returns |x - y|;
// [Circle.Audit] recomputes every such difference with diff and reports a negative one).
func (x units) sub(y units) units {
	d, _ := x.diff(y)
	return d
}

// monus returns x - y, or 0 when y > x.
func (x units) monus(y units) units {
	d, neg := x.diff(y)
	if neg {
		return units{}
	}
	return d
}

// mul returns x * k.
func (x units) mul(k uint64) units {
	if x.b == nil {
		if p, over := x.v.Mul64(k); !over {
			return units{v: p}
		}
	}
	z := x.toBig()
	return fromBig(z.Mul(z, new(big.Int).SetUint64(k)))
}

// quo returns floor(x / d) and the remainder; d must be positive.
func (x units) quo(d uint64) (units, uint64) {
	if x.b == nil {
		q, r := x.v.QuoRem64(d)
		return units{v: q}, r
	}
	var r big.Int
	q, _ := new(big.Int).QuoRem(x.b, new(big.Int).SetUint64(d), &r)
	return fromBig(q), r.Uint64()
}

// mulFrac returns floor(x * num / den) and the remainder of the division, in units of
// 1/den; den must be positive. The product is formed in 192 bits, so the result never
// allocates when x and the quotient are below 2^128 (always when num <= den).
func (x units) mulFrac(num, den uint64) (units, uint64) {
	if x.b == nil {
		h0, l0 := bits.Mul64(x.v.Lo, num)
		h1, l1 := bits.Mul64(x.v.Hi, num)
		mid, c := bits.Add64(h0, l1, 0)
		top := h1 + c // no carry out: the product is below 2^192
		if top < den {
			qh, r := bits.Div64(top, mid, den)
			ql, r := bits.Div64(r, l0, den)
			return units{v: uint128.U128{Hi: qh, Lo: ql}}, r
		}
	}
	z := x.toBig()
	z.Mul(z, new(big.Int).SetUint64(num))
	var r big.Int
	z.QuoRem(z, new(big.Int).SetUint64(den), &r)
	return fromBig(z), r.Uint64()
}

// frac returns floor(x * num / den).
func (x units) frac(num, den uint64) units {
	q, _ := x.mulFrac(num, den)
	return q
}

// String returns the decimal digits of x, for audit messages.
func (x units) String() string {
	if x.b != nil {
		return x.b.String()
	}
	return string(x.v.AppendDecimal(nil))
}

// allocate divides total in proportion to weights (not all zero) by the largest remainder
// method: part i is floor(total x w_i / W), W the sum of the weights, and the units left
// (fewer than the number of positive weights) go one each to the parts with the largest
// non-zero remainders, ties to the lower index. The parts sum to total exactly.
func allocate(total units, weights []units) []units {
	var sum big.Int
	for _, w := range weights {
		sum.Add(&sum, w.toBig())
	}
	tb := total.toBig()
	parts := make([]units, len(weights))
	rems := make([]big.Int, len(weights))
	left := new(big.Int).Set(tb)
	var prod big.Int
	for i, w := range weights {
		prod.Mul(tb, w.toBig())
		q, _ := new(big.Int).QuoRem(&prod, &sum, &rems[i])
		left.Sub(left, q)
		parts[i] = fromBig(q)
	}
	k := int(left.Int64()) // fewer than the number of parts
	if k == 0 {
		return parts
	}
	order := make([]int, 0, len(weights))
	for i := range rems {
		if rems[i].Sign() > 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(i, j int) int { return rems[j].Cmp(&rems[i]) })
	for _, i := range order[:k] {
		parts[i] = parts[i].add(unitsOf(1))
	}
	return parts
}
