package rates

import (
	"math"
	"math/big"
	"strconv"

	"github.com/trustcircle/trustcircle/token"
)

// Solver computes the rates of one member's flows after another's, reusing its scratch space:
// a simulation that solves millions of members keeps one Solver per goroutine and hands it
// the amounts of each member in a buffer of its own, which the Solver reads and never keeps.
// Its results are those of the package's functions on the flows [NewFlows] would make of the
// amounts, and like them immutable values that stay valid after the next call. IRR does not
// allocate for flows that fit its fast path (minor units below 2^53, at most 61 rounds from
// the first non-zero flow to the last, up to 19 digits; see [IRR]), NPV does not allocate
// once the Solver's integers have grown, and MIRR allocates only now and then (a gcd).
//
// The zero Solver is ready to use. A Solver serves one goroutine at a time.
type Solver struct {
	fast fastSolver
	big  bigScratch
}

// flowsOf returns the flows of amounts without copying them, or the error NewFlows returns.
func flowsOf(op string, amounts []token.Amount) (Flows, error) {
	if len(amounts) == 0 {
		return Flows{}, &Error{Op: op, Detail: "no round", Err: ErrNoFlows}
	}
	if len(amounts) > MaxRounds {
		return Flows{}, &Error{Op: op, Detail: strconv.Itoa(len(amounts)) + " rounds, at most " +
			strconv.Itoa(MaxRounds), Err: ErrTooManyRounds}
	}
	asset := amounts[0].Asset()
	for i, x := range amounts {
		if err := checkAsset(op, asset, i+1, x); err != nil {
			return Flows{}, err
		}
	}
	return Flows{asset: asset, amounts: amounts}, nil
}

// IRR returns [IRR] of the flows of amounts (amounts[0] is round 1), with the errors of
// [NewFlows] and of IRR. A nil Solver solves as IRR does.
func (s *Solver) IRR(amounts []token.Amount, digits int) (IRRResult, error) {
	f, err := flowsOf("IRR", amounts)
	if err != nil {
		return IRRResult{}, err
	}
	if err := checkSolvable("IRR", f, digits); err != nil {
		return IRRResult{}, err
	}
	if s == nil {
		return IRR(f, digits)
	}
	if res, ok := s.fast.irr(amounts, digits); ok {
		return res, nil
	}
	return exactIRR(f, digits), nil
}

// ratePair is a rate's 1 + r = num / den, cached by the rate's identity.
type ratePair struct {
	of       *big.Rat // the rate's own rational (nil for 0%)
	set      bool
	num, den big.Int
}

// factor returns 1 + r as num / den, integers the caller must not modify.
func (p *ratePair) factor(r Rate) (num, den *big.Int) {
	if !p.set || p.of != r.r {
		x := r.rat()
		p.den.Set(x.Denom())
		p.num.Add(x.Num(), &p.den)
		p.of, p.set = r.r, true
	}
	return &p.num, &p.den
}

// bigScratch is the Solver's integers for NPV and MIRR: once grown, they do not allocate.
// Products go to t, which then trades places with the product's field (mulTo), so that no
// product is computed in place.
type bigScratch struct {
	rates                            [3]ratePair
	ready                            bool
	acc, pow, t, u, q, m             *big.Int
	pv, fv, pvd, fvd, rn, rd, cn, cd *big.Int
	xa, g, nu, de, fx                *big.Int
}

// init allocates the integers, once.
func (b *bigScratch) init() {
	if b.ready {
		return
	}
	for _, p := range []**big.Int{&b.acc, &b.pow, &b.t, &b.u, &b.q, &b.m, &b.pv, &b.fv, &b.pvd, &b.fvd,
		&b.rn, &b.rd, &b.cn, &b.cd, &b.xa, &b.g, &b.nu, &b.de, &b.fx} {
		*p = new(big.Int)
	}
	b.ready = true
}

// mulTo sets *z to x times y without aliasing: the product goes to t, which is swapped with z.
func mulTo(z **big.Int, t **big.Int, x, y *big.Int) {
	(*t).Mul(x, y)
	*z, *t = *t, *z
}

// NPV returns [NPV] of the flows of amounts at rate per round, rounded to the minor unit by
// mode as [Value.Round] rounds it, with the errors of [NewFlows], NPV and Value.Round. It does
// not allocate once the Solver has solved flows of the size. A nil Solver computes as NPV
// does.
func (s *Solver) NPV(amounts []token.Amount, rate Rate, mode Rounding) (token.Amount, error) {
	f, err := flowsOf("NPV", amounts)
	if err != nil {
		return token.Amount{}, err
	}
	if s == nil {
		v, _ := NPV(f, rate)
		return v.Round(mode)
	}
	b := &s.big
	b.init()
	n, d := b.rates[0].factor(rate)
	// NPV n^(L-1) = sum_t flow_t d^(t-1) n^(L-t): Horner's rule in n.
	b.acc.SetInt64(0)
	b.pow.SetInt64(1)
	for i, x := range amounts {
		if i > 0 {
			mulTo(&b.acc, &b.t, b.acc, n)
			mulTo(&b.pow, &b.t, b.pow, d)
		}
		x.SetUnits(b.u)
		b.t.Mul(b.u, b.pow)
		b.acc.Add(b.acc, b.t)
	}
	den := powInto(&b.pow, &b.t, n, len(amounts)-1)
	q := roundQuoInto(b.q, b.m, b.acc, den, mode)
	a, err := f.asset.FromUnits(q)
	if err != nil {
		return token.Amount{}, &Error{Op: "Round", Detail: "more than 96 digits of minor units", Err: token.ErrAmountTooLarge}
	}
	return a, nil
}

// roundQuoInto is roundQuo computing into q (the result) and m (scratch): num / den rounded by
// mode, den positive.
func roundQuoInto(q, m *big.Int, num, den *big.Int, mode Rounding) *big.Int {
	q.DivMod(num, den, m) // Euclidean: q = floor, 0 <= m < den
	if m.Sign() == 0 {
		return q
	}
	up := false
	neg := num.Sign() < 0
	switch mode {
	case Floor:
	case Ceiling:
		up = true
	case TowardZero:
		up = neg
	case AwayFromZero:
		up = !neg
	default:
		m.Lsh(m, 1)
		switch c := m.Cmp(den); {
		case c > 0:
			up = true
		case c < 0:
		case mode == HalfAwayFromZero:
			up = !neg
		default:
			up = q.Bit(0) == 1
		}
	}
	if up {
		q.Add(q, one)
	}
	return q
}

// MIRR returns [MIRR] of the flows of amounts, with the errors of [NewFlows] and MIRR: the
// same roles and the same roots. The modified rates are bracketed by the bisection of MIRR
// with each sign certified in float64 or computed exactly, so that most members are solved
// with a handful of allocations. A nil Solver computes as MIRR does.
func (s *Solver) MIRR(amounts []token.Amount, finance, reinvest Rate, digits int) (MIRRResult, error) {
	f, err := flowsOf("MIRR", amounts)
	if err != nil {
		return MIRRResult{}, err
	}
	if s == nil {
		return MIRR(f, finance, reinvest, digits)
	}
	if err := checkSolvable("MIRR", f, digits); err != nil {
		return MIRRResult{}, err
	}
	pos, neg := false, false
	for _, x := range amounts {
		pos = pos || x.IsPositive()
		neg = neg || x.IsNegative()
	}
	if !pos || !neg {
		return MIRRResult{}, &Error{Op: "MIRR", Detail: "the member never pays or never receives", Err: ErrOneSided}
	}
	b := &s.big
	b.init()
	n := len(amounts) - 1
	a, bd := b.rates[1].factor(finance)
	c, d := b.rates[2].factor(reinvest)
	s.legs(amounts, a, bd, c, d)
	// (1 + Return)^n = FV / PV, and (1 + Cost)^n = (1+f)^n (1+i)^n PV / FV.
	b.rn.Mul(b.fv, b.pvd)
	b.rd.Mul(b.fvd, b.pv)
	b.xa.Mul(a, c)
	b.cn.Mul(b.rd, powInto(&b.pow, &b.t, b.xa, n))
	b.xa.Mul(bd, d)
	b.cd.Mul(b.rn, powInto(&b.pow, &b.t, b.xa, n))
	res := MIRRResult{ret: s.nthRoot(b.rn, b.rd, n, digits), cost: s.nthRoot(b.cn, b.cd, n, digits)}
	// The money-rounds: sum_t flow_t (L - t).
	mr := b.acc
	mr.SetInt64(0)
	for i, x := range amounts {
		x.SetUnits(b.u)
		b.m.SetInt64(int64(n - i))
		b.q.Mul(b.u, b.m)
		mr.Add(mr, b.q)
	}
	res.role = roleOf(mr.Sign())
	return res, nil
}

// powInto returns x^n computed into z (t scratch, swapped with z as the products go).
func powInto(z **big.Int, t **big.Int, x *big.Int, n int) *big.Int {
	(*z).SetInt64(1)
	for range n {
		mulTo(z, t, *z, x)
	}
	return *z
}

// legs is legs on the Solver's integers: PV = pv / pvd and FV = fv / fvd, with 1 + finance
// = a / bd and 1 + reinvestment = c / d.
func (s *Solver) legs(amounts []token.Amount, a, bd, c, d *big.Int) {
	b := &s.big
	b.pv.SetInt64(0)
	b.fv.SetInt64(0)
	b.pvd.SetInt64(1) // b^(t-1), then a^(L-1)
	b.fvd.SetInt64(1) // d^(t-1), then d^(L-1)
	for i, x := range amounts {
		if i > 0 {
			mulTo(&b.pv, &b.t, b.pv, a)
			mulTo(&b.fv, &b.t, b.fv, c)
			mulTo(&b.pvd, &b.t, b.pvd, bd)
			mulTo(&b.fvd, &b.t, b.fvd, d)
		}
		x.SetUnits(b.u)
		switch b.u.Sign() {
		case -1:
			b.t.Mul(b.u, b.pvd)
			b.pv.Sub(b.pv, b.t)
		case 1:
			b.t.Mul(b.u, b.fvd)
			b.fv.Add(b.fv, b.t)
		}
	}
	n := len(amounts) - 1
	powInto(&b.pvd, &b.t, a, n)
	powInto(&b.fvd, &b.t, d, n)
}

// nthRoot is nthRoot: the rate r with (1 + r)^n = num / den (both positive, n >= 1), by the
// same bisection, on the same polynomial den' y^n - num' (num' / den' in lowest terms), so
// with the same result; each sign is read from float64 when the error bound settles it and
// computed exactly otherwise. Precisions beyond 19 digits, and ranges beyond 62 bits, go to
// nthRoot itself.
func (s *Solver) nthRoot(num, den *big.Int, n, digits int) Root {
	b := &s.big
	// positiveRange of den' y^n - num', num' / den' being num / den in lowest terms: Fujiwara's
	// bound with the one lower coefficient, m = ceil(e / n) + 1, e = bitlen(num') -
	// bitlen(den') + 1. Dividing both by their gcd g takes bitlen(g) or bitlen(g) - 1 bits
	// from each, so e is within 1 of e0, that of num / den as they are: when the three
	// candidates give one m, the gcd is not needed.
	e0 := num.BitLen() - den.BitLen() + 1
	m := ceilDiv(e0, n) + 1
	reduced := false
	if ceilDiv(e0-1, n) != ceilDiv(e0+1, n) {
		s.reduce(num, den)
		reduced = true
		m = ceilDiv(b.nu.BitLen()-b.de.BitLen()+1, n) + 1
	}
	k := max(-m, 0)
	if digits > fastMaxDigits || k+m > 62 || k > fastMaxScale {
		return nthRoot(num, den, n, digits)
	}
	// The signs of den y^n - num and den' y^n - num' are the same.
	if !reduced {
		b.nu.Set(num)
		b.de.Set(den)
	}
	r := nthRooter{s: s, n: n}
	r.q = s.quotient64(b.nu, b.de)
	lo, hi, kk := uint64(0), uint64(1)<<uint(k+m), uint(k) // p(0) = -num' < 0
	target := precisionScale(hi-lo, digits)
	if target > fastMaxScale {
		return nthRoot(num, den, n, digits)
	}
	if root, ok := r.jump(hi, kk, target); ok {
		return root
	}
	for kk < target {
		if hi >= 1<<63 {
			return nthRoot(num, den, n, digits)
		}
		mid := lo + hi
		lo <<= 1
		hi <<= 1
		kk++
		switch sm := r.sign(mid, kk); {
		case sm == 0:
			return dyadicRoot(mid, kk, mid, kk)
		case sm < 0:
			lo = mid
		default:
			hi = mid
		}
	}
	if lo == 0 {
		if !reduced {
			s.reduce(num, den)
		}
		if root, ok := s.lowerEnd(n, hi, kk); ok {
			return root
		}
		return nthRoot(num, den, n, digits)
	}
	return dyadicRoot(lo, kk, hi, kk)
}

// lowerEnd returns the root (0, hi / 2^k] of nthRoot with its lower end moved up to
// lowerBound of the reversed polynomial -num' y^n + den' (nu and de set to num' and den'), or
// false when that bound does not fit.
func (s *Solver) lowerEnd(n int, hi uint64, k uint) (Root, bool) {
	b := &s.big
	m := ceilDiv(b.de.BitLen()-b.nu.BitLen()+1, n) + 1
	switch {
	case m <= 0 && -m <= 63:
		return dyadicRoot(1<<uint(-m), 0, hi, k), true
	case m > 0 && m <= 255:
		return dyadicRoot(1, uint(m), hi, k), true
	}
	return Root{}, false
}

// quotient64 returns num / den (both positive) as a float64 within a relative 3.1u (u =
// 2^-53) of the exact quotient, or 0 when either is beyond the float range: each is read from
// its top 64 bits (within 2^-63) and rounded to a float64 (within u), then divided (u).
func (s *Solver) quotient64(num, den *big.Int) float64 {
	x, y := s.float64Of(num), s.float64Of(den)
	if math.IsInf(x, 0) || math.IsInf(y, 0) || x < 0x1p-900 || y < 0x1p-900 {
		return 0
	}
	q := x / y
	if q < 0x1p-900 || q > 0x1p900 {
		return 0
	}
	return q
}

// float64Of returns the positive x within a relative 2^-53 + 2^-63, without allocating once
// the scratch has grown.
func (s *Solver) float64Of(x *big.Int) float64 {
	shift := max(x.BitLen()-64, 0)
	if shift > 2000 {
		return math.Inf(1)
	}
	t := s.big.fx.Rsh(x, uint(shift))
	return math.Ldexp(float64(t.Uint64()), shift)
}

// nthRooter evaluates the sign of den' y^n - num' for nthRoot.
type nthRooter struct {
	s *Solver
	n int
	q float64 // num' / den' within 3u, or 0
}

// sign returns the sign of den' y^n - num' at y = a / 2^k, that of y^n - q. In float64, y is
// exact (a < 2^53) and y^n, by n - 1 products, is within gamma_(n-1) < n u of the true
// power; q is within 3.1u of num' / den'. So y^n > q when the computed power exceeds
// fl(q (1 + (2n + 8) u)), and y^n < q when fl(y^n (1 + (2n + 8) u)) is below q: the factor
// covers both errors and its own rounding. Otherwise, and beyond the float range, the sign
// is that of den' a^n - num' 2^(k n), computed exactly.
func (r *nthRooter) sign(a uint64, k uint) int {
	if r.q != 0 && a < fastMaxUnits && a > 0 {
		y := math.Ldexp(float64(a), -int(k))
		t := y
		for range r.n - 1 {
			t *= y
		}
		if t > 0x1p-900 && t < 0x1p900 {
			f := 1 + float64(2*r.n+8)*0x1p-53
			switch {
			case t > r.q*f:
				return 1
			case t*f < r.q:
				return -1
			}
		}
	}
	b := &r.s.big
	b.xa.SetUint64(a)
	p := powInto(&b.pow, &b.t, b.xa, r.n)
	b.u.Mul(b.de, p)
	b.m.Lsh(b.nu, k*uint(r.n))
	return b.u.Cmp(b.m)
}

// reduce sets the Solver's nu and de to num / den in lowest terms.
func (s *Solver) reduce(num, den *big.Int) {
	b := &s.big
	b.g.GCD(nil, nil, num, den)
	b.nu.QuoRem(num, b.g, b.q)
	b.de.QuoRem(den, b.g, b.q)
}

// jump returns what the bisection of nthRoot over [0, b / 2^k] down to scale K returns,
// without the bisection, when it can prove it, as fastSolver.jump does: the estimate
// q^(1/n) of the root picks an interval [A, A + D] of the bisection's lattice (D = b, the
// lattice's step at scale K), and the signs of den' y^n - num' at its ends, certified, prove
// that the one positive root lies strictly inside.
func (r *nthRooter) jump(b uint64, k, K uint) (Root, bool) {
	shift := K - k
	if r.q == 0 || shift >= 62 || b >= 1<<(62-shift) {
		return Root{}, false
	}
	x := math.Pow(r.q, 1/float64(r.n))
	t := math.Ldexp(x, int(K)) / float64(b)
	steps := uint64(1) << shift
	if !(t >= 0) {
		t = 0
	}
	j := uint64(min(t, float64(steps-1)))
	end := b << shift
	for _, jj := range [...]uint64{j, j - 1, j + 1} {
		if jj >= steps {
			continue
		}
		lo := jj * b
		hi := lo + b
		if lo == 0 {
			return Root{}, false
		}
		sh := 1
		if hi != end {
			sh = r.sign(hi, K)
		}
		sl := r.sign(lo, K)
		if sl == 0 || sh == 0 {
			return Root{}, false
		}
		if sl < 0 && sh > 0 {
			return dyadicRoot(lo, K, hi, K), true
		}
	}
	return Root{}, false
}
