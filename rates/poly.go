package rates

import (
	"math"
	"math/big"
	"math/bits"
	"slices"
)

// poly is a polynomial with integer coefficients: p[i] is the coefficient of y^i. A trimmed
// poly has a non-zero last coefficient (the zero polynomial is empty). Its coefficients are
// never shared with another poly that is modified.
type poly []*big.Int

// deg returns the degree of p (-1 for the zero polynomial).
func (p poly) deg() int { return len(p) - 1 }

// lead returns the leading coefficient of a non-zero trimmed p.
func (p poly) lead() *big.Int { return p[len(p)-1] }

// trim drops the zero leading coefficients of p.
func (p poly) trim() poly {
	for len(p) > 0 && p[len(p)-1].Sign() == 0 {
		p = p[:len(p)-1]
	}
	return p
}

// clone returns a copy of p with its own coefficients.
func (p poly) clone() poly {
	c := make(poly, len(p))
	for i, x := range p {
		c[i] = new(big.Int).Set(x)
	}
	return c
}

// derivative returns p'.
func (p poly) derivative() poly {
	if len(p) <= 1 {
		return nil
	}
	d := make(poly, len(p)-1)
	for i := 1; i < len(p); i++ {
		d[i-1] = new(big.Int).Mul(p[i], big.NewInt(int64(i)))
	}
	return d
}

// primitive divides p in place by the positive gcd of its coefficients, and returns it.
func (p poly) primitive() poly {
	if len(p) == 0 {
		return p
	}
	g := new(big.Int).Abs(p[0])
	for _, c := range p[1:] {
		if g.Cmp(big.NewInt(1)) == 0 {
			return p
		}
		g.GCD(nil, nil, g, new(big.Int).Abs(c))
	}
	if g.Sign() == 0 || g.Cmp(big.NewInt(1)) == 0 {
		return p
	}
	for _, c := range p {
		c.Quo(c, g)
	}
	return p
}

// scratch holds spare integers for polynomial arithmetic, so that products and quotients
// are not computed in place (which allocates); one scratch serves one goroutine.
type scratch struct {
	spare  *big.Int
	t, rem big.Int
}

// mul sets *c to *c times x: the product goes to the spare integer, which then takes the
// place of *c.
func (s *scratch) mul(c **big.Int, x *big.Int) {
	if s.spare == nil {
		s.spare = new(big.Int)
	}
	s.spare.Mul(*c, x)
	*c, s.spare = s.spare, *c
}

// quo sets *c to *c / x, truncated, as mul does.
func (s *scratch) quo(c **big.Int, x *big.Int) {
	if s.spare == nil {
		s.spare = new(big.Int)
	}
	s.spare.QuoRem(*c, x, &s.rem)
	*c, s.spare = s.spare, *c
}

// remainder returns |lead(v)|^(deg u - deg v + 1) times the remainder of u divided by v (v
// non-zero, deg u >= deg v): the pseudo-remainder with a positive multiplier, so that it has
// the sign of the true remainder. The result is trimmed and has its own coefficients; u and
// v are not modified.
func (s *scratch) remainder(u, v poly) poly {
	r := u.clone()
	dv := v.deg()
	lv := v.lead()
	alv := new(big.Int).Abs(lv)
	neg := lv.Sign() < 0
	lr := new(big.Int)
	steps := u.deg() - dv + 1
	for r = r.trim(); r.deg() >= dv; r = r.trim() {
		j := r.deg() - dv
		lr.Set(r.lead())
		if neg {
			lr.Neg(lr)
		}
		// r = |lv| r - sign(lv) lead(r) y^j v: the leading term cancels.
		for i := range r[:len(r)-1] {
			s.mul(&r[i], alv)
		}
		r[len(r)-1].SetInt64(0)
		for i, c := range v[:dv] {
			r[i+j].Sub(r[i+j], s.t.Mul(lr, c))
		}
		steps--
	}
	if steps > 0 && len(r) > 0 {
		// Steps skipped by zero coefficients: the full multiplier still applies.
		m := new(big.Int).Exp(alv, big.NewInt(int64(steps)), nil)
		for i := range r {
			s.mul(&r[i], m)
		}
	}
	return r
}

// one is 1; it is never modified.
var one = big.NewInt(1)

// sturm returns the Sturm sequence of p (degree at least 1): p, p', then each next element
// minus the remainder of the two before it, each times a positive constant, down to the last
// non-zero one, which is gcd(p, p') up to a constant (a constant when p has no repeated
// root). The constants are those of the subresultant sequence, whose coefficients grow only
// linearly in the degree: the element after u and v is minus the pseudo-remainder of u by v
// divided exactly by g h^d, where d is the fall in degree from u to v, g = |lead(u)|, and h
// starts at 1 and becomes g'^d / h^(d-1) with g' = |lead(v)| after each step (g and h are 1
// at the first step). These are the magnitudes of the usual signed recurrence: dividing by
// them instead changes only signs, and the signs chosen here are those of the Sturm sequence.
func sturm(p poly) []poly {
	var s scratch
	seq := make([]poly, 2, len(p)+1)
	seq[0], seq[1] = p, p.derivative().primitive()
	g, h := big.NewInt(1), big.NewInt(1)
	for {
		u, v := seq[len(seq)-2], seq[len(seq)-1]
		d := u.deg() - v.deg()
		r := s.remainder(u, v)
		if len(r) == 0 {
			return seq
		}
		div := new(big.Int).Set(g)
		for range d {
			s.mul(&div, h)
		}
		exact := div.Cmp(one) == 0
		for i := range r {
			if !exact {
				s.quo(&r[i], div)
			}
			r[i].Neg(r[i])
		}
		seq = append(seq, r)
		g = new(big.Int).Abs(v.lead())
		if d == 1 {
			h = g
			continue
		}
		hn := new(big.Int).Set(g)
		for range d - 1 {
			s.mul(&hn, g)
		}
		for range d - 1 {
			s.quo(&hn, h)
		}
		h = hn
	}
}

// quotient returns u divided by v, exactly divisible, times a non-zero constant, as a
// primitive polynomial.
func quotient(u, v poly) poly {
	r := u.clone()
	dv := v.deg()
	q := make(poly, u.deg()-dv+1)
	for i := range q {
		q[i] = new(big.Int)
	}
	lv := v.lead()
	t := new(big.Int)
	for r = r.trim(); r.deg() >= dv; r = r.trim() {
		j := r.deg() - dv
		lr := new(big.Int).Set(r.lead())
		// r = lv r - lead(r) y^j v, and q = lv q + lead(r) y^j.
		for _, c := range r {
			c.Mul(c, lv)
		}
		for _, c := range q {
			c.Mul(c, lv)
		}
		q[j].Add(q[j], lr)
		for i, c := range v {
			r[i+j].Sub(r[i+j], t.Mul(lr, c))
		}
	}
	return q.trim().primitive()
}

// evaluator evaluates the sign of polynomials at dyadic points a / 2^k, with scratch space
// of its own; one evaluator serves one goroutine.
type evaluator struct {
	acc, prod, term big.Int
	words           []uint
}

// sign returns the sign of p at a / 2^k (a >= 0): that of the integer 2^(k deg p) p(a/2^k),
// computed exactly by Horner's rule, on words of fixed width when a fits one word and with
// math/big otherwise. It does not allocate once its scratch space has grown.
func (e *evaluator) sign(p poly, a *big.Int, k uint) int {
	d := p.deg()
	if d < 0 {
		return 0
	}
	if a.BitLen() <= bits.UintSize {
		return e.signWords(p, a, k)
	}
	e.acc.Set(p[d])
	for i := d - 1; i >= 0; i-- {
		e.prod.Mul(&e.acc, a) // distinct from its operands: no allocation
		if p[i].Sign() == 0 {
			e.acc.Set(&e.prod)
			continue
		}
		e.term.Lsh(p[i], k*uint(d-i))
		e.acc.Add(&e.prod, &e.term)
	}
	return e.acc.Sign()
}

// signWords is sign for a below 2^64 (one word), computed on n-word two's complement
// integers, n chosen so that no value of Horner's rule overflows: with every |p_i| below
// 2^c, a and 2^k below 2^m and d = deg p, each partial sum of Horner's rule is a sum of at
// most d+1 terms each below 2^(c + d m), so it fits c + d m + bitlen(d+1) bits and a sign.
// Arithmetic modulo 2^(n W) (W the word size) is then exact.
func (e *evaluator) signWords(p poly, a *big.Int, k uint) int {
	var aw uint
	if a.Sign() > 0 {
		aw = uint(a.Bits()[0])
	}
	d := p.deg()
	c := 0
	for _, x := range p {
		c = max(c, x.BitLen())
	}
	m := max(a.BitLen(), int(k)+1)
	n := (c+d*m+bits.Len(uint(d+1))+1)/bits.UintSize + 1
	if cap(e.words) < n {
		e.words = make([]uint, n)
	}
	acc := e.words[:n]
	clear(acc)
	addShifted(acc, p[d], 0)
	for i := d - 1; i >= 0; i-- {
		var carry uint
		for j, x := range acc { // acc *= aw, modulo 2^(n W)
			hi, lo := bits.Mul(x, aw)
			var cc uint
			acc[j], cc = bits.Add(lo, carry, 0)
			carry = hi + cc
		}
		if p[i].Sign() != 0 {
			addShifted(acc, p[i], k*uint(d-i))
		}
	}
	switch {
	case acc[n-1]>>(bits.UintSize-1) != 0:
		return -1
	case slices.ContainsFunc(acc, func(x uint) bool { return x != 0 }):
		return 1
	}
	return 0
}

// addShifted adds x 2^s to the two's complement integer acc, modulo its width.
func addShifted(acc []uint, x *big.Int, s uint) {
	mag := x.Bits()
	neg := x.Sign() < 0
	w, b := int(s/bits.UintSize), s%bits.UintSize
	var carry, prev uint
	for j, i := w, 0; j < len(acc); j, i = j+1, i+1 {
		var v uint
		if i < len(mag) {
			v = uint(mag[i])
		}
		shifted := v << b
		if b > 0 {
			shifted |= prev >> (bits.UintSize - b)
		}
		prev = v
		if i > len(mag) && carry == 0 {
			return // every word of x 2^s is added and nothing is carried
		}
		if neg {
			acc[j], carry = bits.Sub(acc[j], shifted, carry)
		} else {
			acc[j], carry = bits.Add(acc[j], shifted, carry)
		}
	}
}

// variations returns the number of sign changes of the sequence at a / 2^k, zeros skipped.
func (e *evaluator) variations(seq []poly, a *big.Int, k uint) int {
	n, last := 0, 0
	for _, p := range seq {
		if s := e.sign(p, a, k); s != 0 {
			if last != 0 && s != last {
				n++
			}
			last = s
		}
	}
	return n
}

// signVariations returns the number of sign changes of the integers, zeros skipped.
func signVariations(signs func(yield func(int) bool)) int {
	n, last := 0, 0
	for s := range signs {
		if s != 0 {
			if last != 0 && s != last {
				n++
			}
			last = s
		}
	}
	return n
}

// variationsAtZero returns the sign changes of the sequence just right of 0: for each
// element, the sign of its lowest non-zero coefficient.
func variationsAtZero(seq []poly) int {
	return signVariations(func(yield func(int) bool) {
		for _, p := range seq {
			for _, c := range p {
				if c.Sign() != 0 {
					if !yield(c.Sign()) {
						return
					}
					break
				}
			}
		}
	})
}

// variationsAtInfinity returns the sign changes of the sequence at +infinity: those of the
// leading coefficients.
func variationsAtInfinity(seq []poly) int {
	return signVariations(func(yield func(int) bool) {
		for _, p := range seq {
			if len(p) > 0 && !yield(p.lead().Sign()) {
				return
			}
		}
	})
}

// rootBound returns m such that every complex root of p (degree at least 1) has absolute
// value below 2^m (m may be negative), by Fujiwara's bound: every root z has
// |z| <= 2 max_i |p_(n-i) / p_n|^(1/i), n the degree. With |p_(n-i) / p_n| < 2^e_i,
// e_i = bitlen(p_(n-i)) - bitlen(p_n) + 1, each term is below 2^ceil(e_i / i).
func rootBound(p poly) int {
	n := p.deg()
	ln := p.lead().BitLen()
	top := math.MinInt
	for i := 1; i <= n; i++ {
		c := p[n-i]
		if c.Sign() == 0 {
			continue
		}
		e := c.BitLen() - ln + 1
		top = max(top, ceilDiv(e, i))
	}
	return top + 1
}

// ceilDiv returns ceil(a / b) for b > 0.
func ceilDiv(a, b int) int {
	if a >= 0 {
		return (a + b - 1) / b
	}
	return -(-a / b)
}

// positiveRange returns the dyadic span [0, 2^m] that holds every positive root of p
// (degree at least 1, p(0) not zero), neither end a root. Its width is a power of two, so
// that bisection meets every dyadic point inside it: a root such as y = 5/4 (25%) is found
// exactly.
func positiveRange(p poly) span {
	m := rootBound(p)
	k := max(-m, 0)
	return span{a: new(big.Int), b: new(big.Int).Lsh(one, uint(k+m)), k: uint(k)}
}
