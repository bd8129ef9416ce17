package rates

import (
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strconv"

	"github.com/trustcircle/trustcircle/token"
)

// The fast path of IRR. It takes the very route of the exact solver (solver.solve): the same
// polynomial, the same tests in the same order, the same spans and the same bisection, so it
// returns the same roots, bit for bit. Only the arithmetic differs: coefficients are int64
// (flows below 2^53 minor units, a degree of at most fastMaxDeg), points are uint64 dyadics
// a / 2^k, and the sign of the polynomial at a point is read from a float64 evaluation with a
// proven error bound, or, when that bound does not settle it, computed exactly on machine
// words. Flows outside these limits, and the rare polynomials that need the Sturm sequence,
// are handed to the exact solver.

// fastMaxDeg bounds the degree of the polynomials of the fast path.
const fastMaxDeg = 60

// fastMaxDigits bounds the precision of the fast path: 10^digits must fit a uint64.
const fastMaxDigits = 19

// fastMaxUnits bounds the coefficients of the fast path: below it, every coefficient is
// exactly a float64.
const fastMaxUnits = 1 << 53

// fastMaxScale bounds the scale k of the points a / 2^k of the fast path.
const fastMaxScale = 126

// fastWords is the width of the exact evaluator: enough for every value of Horner's rule on
// a polynomial of degree fastMaxDeg with coefficients below 2^60 at a point a / 2^k with
// a < 2^64 and k <= fastMaxScale (see signExact).
const fastWords = (60+fastMaxDeg*(fastMaxScale+1)+8)/64 + 2

// pow10u holds 10^0 .. 10^19.
var pow10u = func() (t [fastMaxDigits + 1]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// dspan is the interval [a / 2^k, b / 2^k] of y = 1 + r.
type dspan struct {
	a, b uint64
	k    uint
}

// fastSolver is the scratch space of the fast path; one serves one goroutine. Its zero value
// is ready to use.
type fastSolver struct {
	digits int
	deg    int                     // the degree of p
	p      [fastMaxDeg + 1]int64   // the polynomial being solved, p[i] the coefficient of y^i
	pf, pa [fastMaxDeg + 1]float64 // p and |p| as float64 (exact)
	gam    float64                 // the relative error bound of Horner's rule, with margin
	// The positive and negative parts of p and of p' (|p_i| where p_i > 0, 0 elsewhere, and
	// the same for -p_i), exact when derivOK.
	pos, neg, dpos, dneg [fastMaxDeg + 1]float64
	// p' and |p'|, and the positive and negative parts of p''.
	df, da, ddpos, ddneg [fastMaxDeg + 1]float64
	derivOK              bool
	stack                [64]dspan
	t1, t2               [fastMaxDeg + 1]int64 // Taylor shifts
	spans                [fastMaxDeg + 1]dspan
	points               [80]uint64
	words                [fastWords]uint64
	roots                [fastMaxDeg + 1]Root
}

// irr solves the flows of amounts (at least one round, not all zero, digits in 1 to
// MaxDigits) as IRR does, or returns false when they are outside the limits of the fast path.
func (s *fastSolver) irr(amounts []token.Amount, digits int) (IRRResult, bool) {
	if digits > fastMaxDigits {
		return IRRResult{}, false
	}
	first, last := -1, -1
	changes, cumChanges, lastSign, lastCum := 0, 0, 0, 0
	var sum int64
	for t, x := range amounts {
		v, ok := x.Int64Units()
		if !ok || v >= fastMaxUnits || v <= -fastMaxUnits {
			return IRRResult{}, false
		}
		if v == 0 {
			continue // neither the signs nor the running total change
		}
		if first < 0 {
			first = t
		}
		last = t
		if sg := sign64(v); lastSign != 0 && sg != lastSign {
			changes++
		}
		lastSign = sign64(v)
		sum += v // at most MaxRounds terms below 2^53: no overflow
		if sg := sign64(sum); sg != 0 {
			if lastCum != 0 && sg != lastCum {
				cumChanges++
			}
			lastCum = sg
		}
	}
	if first < 0 || last-first > fastMaxDeg {
		return IRRResult{}, false
	}
	s.digits = digits
	s.deg = last - first
	for i := 0; i <= s.deg; i++ {
		v, _ := amounts[last-i].Int64Units()
		s.p[i] = v
	}
	s.primitive()
	roots, ok := s.solve()
	if !ok {
		return IRRResult{}, false
	}
	res := IRRResult{signChanges: changes, cumChanges: cumChanges, norstrom: cumChanges == 1 && sum != 0, digits: digits}
	res.setRoots(roots)
	return res, true
}

// sign64 returns the sign of x.
func sign64(x int64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// abs64 returns |x| for x above math.MinInt64.
func abs64(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

// primitive divides p by the positive gcd of its coefficients.
func (s *fastSolver) primitive() {
	var g uint64
	for _, c := range s.p[:s.deg+1] {
		g = gcd64(g, abs64(c))
		if g == 1 {
			return
		}
	}
	if g > 1 {
		for i := range s.p[:s.deg+1] {
			s.p[i] /= int64(g)
		}
	}
}

// gcd64 returns the greatest common divisor of a and b (gcd(0, b) = b).
func gcd64(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// solve is solver.solve on s.p: the positive roots in increasing order, or false when the
// fast path cannot follow the exact route.
func (s *fastSolver) solve() ([]Root, bool) {
	if s.deg < 1 {
		return nil, true
	}
	mult0 := 0
	for s.deg >= 1 && s.sum() == 0 {
		if !s.deflateAtOne() {
			return nil, false
		}
		mult0++
	}
	roots := s.roots[:0]
	if s.deg >= 1 {
		s.prepare()
		switch n := signChanges64(s.p[:s.deg+1]); n {
		case 0:
		case 1:
			rng, ok := s.positiveRange()
			if !ok {
				return nil, false
			}
			r, ok := s.refine(rng)
			if !ok {
				return nil, false
			}
			roots = append(roots, r)
		default:
			spans, ok, fits := s.splitAtOne()
			if !fits {
				return nil, false
			}
			if !ok {
				spans, ok, fits = s.certify(n)
				if !fits {
					return nil, false
				}
			}
			if !ok {
				if rs, ok := s.isolated(); ok {
					roots = append(roots, rs...)
				} else {
					roots = s.sturmRoots()
				}
				break
			}
			for _, sp := range spans {
				r, ok := s.refine(sp)
				if !ok {
					return nil, false
				}
				roots = append(roots, r)
			}
		}
	}
	if mult0 > 0 {
		i := 0
		for i < len(roots) && roots[i].Hi().Sign() < 0 {
			i++
		}
		roots = slices.Insert(roots, i, Root{mult: mult0})
	}
	return roots, true
}

// sum returns p(1), the sum of the coefficients (below 2^59: no overflow).
func (s *fastSolver) sum() int64 {
	var t int64
	for _, c := range s.p[:s.deg+1] {
		t += c
	}
	return t
}

// deflateAtOne divides p by y - 1 (p(1) = 0), as deflateAtOne does, or returns false when a
// coefficient of the quotient reaches fastMaxUnits.
func (s *fastSolver) deflateAtOne() bool {
	var acc int64
	q := s.t1[:s.deg]
	for i := s.deg; i >= 1; i-- {
		acc += s.p[i]
		if acc >= fastMaxUnits || acc <= -fastMaxUnits {
			return false
		}
		q[i-1] = acc
	}
	copy(s.p[:], q)
	s.deg--
	for s.deg >= 0 && s.p[s.deg] == 0 {
		s.deg--
	}
	return true
}

// prepare sets the float64 copies of p and the error bound of its evaluation.
func (s *fastSolver) prepare() {
	for i, c := range s.p[:s.deg+1] {
		s.pf[i] = float64(c)
		s.pa[i] = math.Abs(float64(c))
	}
	// See sign: (2d + 2) u, u = 2^-53, exactly representable.
	s.gam = float64(2*s.deg+2) * 0x1p-53
	s.derivOK = true
	for i, c := range s.p[:s.deg+1] {
		s.pos[i], s.neg[i] = max(float64(c), 0), max(-float64(c), 0)
		if i == 0 {
			continue
		}
		d := int64(i) * c
		if d >= fastMaxUnits || d <= -fastMaxUnits {
			s.derivOK = false
		}
		s.df[i-1], s.da[i-1] = float64(d), math.Abs(float64(d))
		s.dpos[i-1], s.dneg[i-1] = max(float64(d), 0), max(-float64(d), 0)
		if i == 1 {
			continue
		}
		dd := int64(i-1) * d
		if dd >= fastMaxUnits || dd <= -fastMaxUnits {
			s.derivOK = false
		}
		s.ddpos[i-2], s.ddneg[i-2] = max(float64(dd), 0), max(-float64(dd), 0)
	}
}

// signChanges64 returns the sign changes of the coefficients, zeros skipped.
func signChanges64(p []int64) int {
	n, last := 0, 0
	for _, c := range p {
		if sg := sign64(c); sg != 0 {
			if last != 0 && sg != last {
				n++
			}
			last = sg
		}
	}
	return n
}

// rootBound64 is rootBound for int64 coefficients p (degree at least 1, p[0] not zero).
func rootBound64(p []int64) int {
	n := len(p) - 1
	ln := bits.Len64(abs64(p[n]))
	top := math.MinInt
	for i := 1; i <= n; i++ {
		c := p[n-i]
		if c == 0 {
			continue
		}
		e := bits.Len64(abs64(c)) - ln + 1
		top = max(top, ceilDiv(e, i))
	}
	return top + 1
}

// positiveRange is positiveRange for p, or false when its end does not fit 62 bits.
func (s *fastSolver) positiveRange() (dspan, bool) {
	m := rootBound64(s.p[:s.deg+1])
	k := max(-m, 0)
	if k+m > 62 || k > fastMaxScale {
		return dspan{}, false
	}
	return dspan{a: 0, b: 1 << uint(k+m), k: uint(k)}, true
}

// taylorShift64 sets q to q(1 + x), as taylorShift does; the caller ensures no overflow.
func taylorShift64(q []int64) {
	n := len(q) - 1
	for i := 0; i < n; i++ {
		for j := n - 1; j >= i; j-- {
			q[j] += q[j+1]
		}
	}
}

// splitAtOne is splitAtOne on p. fits is false when the fast path cannot compute it.
func (s *fastSolver) splitAtOne() (spans []dspan, ok, fits bool) {
	d := s.deg
	p := s.p[:d+1]
	var top uint64
	for _, c := range p {
		top = max(top, abs64(c))
	}
	// The coefficients of p(1 + x) are below sum |p_i| 2^i < 2^(bits + d + 1), and so are
	// those of the reversed polynomial's.
	if bits.Len64(top)+d+1 > 62 {
		return nil, false, false
	}
	above, below := s.t1[:d+1], s.t2[:d+1]
	copy(above, p)
	taylorShift64(above)
	for i, c := range p {
		below[d-i] = c
	}
	taylorShift64(below)
	nb, na := signChanges64(below), signChanges64(above)
	if nb > 1 || na > 1 {
		return nil, false, true
	}
	rng, fits := s.positiveRange()
	if !fits {
		return nil, false, false
	}
	unit := uint64(1) << rng.k
	spans = s.spans[:0]
	if nb == 1 {
		spans = append(spans, dspan{0, unit, rng.k})
	}
	if na == 1 {
		spans = append(spans, dspan{unit, rng.b, rng.k})
	}
	return spans, true, true
}

// certify is solver.certify on p. fits is false when the fast path cannot compute it.
func (s *fastSolver) certify(n int) (spans []dspan, ok, fits bool) {
	rng, fits := s.positiveRange()
	if !fits {
		return nil, false, false
	}
	k := max(rng.k, 3)
	if rng.b >= 1<<(62-(k-rng.k)) {
		return nil, false, false
	}
	hi := rng.b << (k - rng.k)
	points := s.points[:0]
	points = append(points, 0, hi)
	for _, j := range samples {
		if x := uint64(j) << (k - 3); x < hi {
			points = append(points, x)
		}
	}
	for x := uint64(32) << (k - 3); x < hi; x <<= 1 {
		points = append(points, x)
	}
	slices.Sort(points)
	spans = s.spans[:0]
	last := s.sign(points[0], k)
	for i := 1; i < len(points); i++ {
		sg := s.sign(points[i], k)
		if sg == 0 {
			return nil, false, true
		}
		if sg != last {
			if len(spans) == len(s.spans) {
				return nil, false, true
			}
			spans = append(spans, dspan{points[i-1], points[i], k})
		}
		last = sg
	}
	return spans, len(spans) == n, true
}

// refine is solver.refine on p over sp, or false when a point leaves the fast path's range.
func (s *fastSolver) refine(sp dspan) (Root, bool) {
	a, b, k := sp.a, sp.b, sp.k
	sa := s.sign(a, k)
	target := precisionScale(b-a, s.digits)
	if target > fastMaxScale {
		return Root{}, false
	}
	if k < target {
		if r, ok := s.jump(sp, target, sa); ok {
			return r, true
		}
	}
	for k < target {
		if b >= 1<<63 {
			return Root{}, false
		}
		mid := a + b
		a <<= 1
		b <<= 1
		k++
		switch sm := s.sign(mid, k); {
		case sm == 0:
			return dyadicRoot(mid, k, mid, k), true
		case sm == sa:
			a = mid
		default:
			b = mid
		}
	}
	if a == 0 {
		// y = 0 is -100%: the lower end moves up to a bound on the roots, as lowerBound does.
		p := s.p[:s.deg+1]
		r := s.t1[:s.deg+1]
		for i, c := range p {
			r[s.deg-i] = c
		}
		m := rootBound64(r)
		if m <= 0 {
			if -m > 63 {
				return Root{}, false
			}
			return dyadicRoot(1<<uint(-m), 0, b, k), true
		}
		if m > 255 {
			return Root{}, false
		}
		return dyadicRoot(1, uint(m), b, k), true
	}
	return dyadicRoot(a, k, b, k), true
}

// sign returns the sign of p at a / 2^k.
//
// It first evaluates p by Horner's rule in float64: y = a / 2^k is exact for a < 2^53, and
// so are the coefficients, below 2^53. With d the degree and u = 2^-53, the computed value v
// differs from p(y) by at most gamma_2d S, S = sum |p_i| y^i and gamma_n = n u / (1 - n u)
// (Higham, Accuracy and Stability of Numerical Algorithms, 5.1; a fused multiply-add only
// removes roundings). The same rule on |p_i| computes e >= (1 - gamma_2d) S, all its terms
// being non-negative, so the error is at most e gamma_2d / (1 - gamma_2d) =
// e 2d u / (1 - 2d u - 2d u) < e (2d + 1) u. The bound used, fl(e (2d + 2) u) + 2^-60, exceeds
// that with its own roundings, and 2^-60 covers gradual underflow, whose absolute errors of
// at most 2^-1075 per product, magnified by y^d <= e < 2^997, stay below 2^-70 in all. When
// |v| exceeds the bound, the sign of v is that of p(y); otherwise (near a root, or beyond the
// float range) the sign is computed exactly.
func (s *fastSolver) sign(a uint64, k uint) int {
	if a < fastMaxUnits {
		y := math.Ldexp(float64(a), -int(k))
		d := s.deg
		v, e := s.pf[d], s.pa[d]
		for i := d - 1; i >= 0; i-- {
			v = v*y + s.pf[i]
			e = e*y + s.pa[i]
		}
		if e < 1e290 { // false for +Inf and NaN
			bound := e*s.gam + 0x1p-60
			switch {
			case v > bound:
				return 1
			case v < -bound:
				return -1
			}
		}
	}
	return s.signExact(a, k)
}

// signExact returns the sign of the integer 2^(k d) p(a / 2^k), computed exactly by Horner's
// rule on n-word two's complement integers, as evaluator.signWords does: every partial sum
// is below 2^(c + d m + bitlen(d + 1)), c bounding the bits of the coefficients and m those
// of a and 2^k, so arithmetic modulo 2^(64 n) is exact.
func (s *fastSolver) signExact(a uint64, k uint) int {
	d := s.deg
	c := 0
	for _, x := range s.p[:d+1] {
		c = max(c, bits.Len64(abs64(x)))
	}
	m := max(bits.Len64(a), int(k)+1)
	n := (c+d*m+bits.Len(uint(d+1))+1)/64 + 1
	if n > len(s.words) {
		// Beyond the fast path's limits (not reached: the callers bound k): exactly, on big
		// integers.
		var e evaluator
		return e.sign(s.bigPoly(), new(big.Int).SetUint64(a), k)
	}
	acc := s.words[:n]
	clear(acc)
	addShifted64(acc, s.p[d], 0)
	for i := d - 1; i >= 0; i-- {
		var carry uint64
		for j, x := range acc { // acc *= a, modulo 2^(64 n)
			hi, lo := bits.Mul64(x, a)
			var cc uint64
			acc[j], cc = bits.Add64(lo, carry, 0)
			carry = hi + cc
		}
		if s.p[i] != 0 {
			addShifted64(acc, s.p[i], k*uint(d-i))
		}
	}
	if acc[n-1]>>63 != 0 {
		return -1
	}
	for _, x := range acc {
		if x != 0 {
			return 1
		}
	}
	return 0
}

// addShifted64 adds x 2^sh to the two's complement integer acc, modulo its width.
func addShifted64(acc []uint64, x int64, sh uint) {
	mag := abs64(x)
	w, b := int(sh/64), sh%64
	lo, hi := mag<<b, uint64(0)
	if b > 0 {
		hi = mag >> (64 - b)
	}
	var carry uint64
	for j := w; j < len(acc); j++ {
		var v uint64
		switch j {
		case w:
			v = lo
		case w + 1:
			v = hi
		default:
			if carry == 0 {
				return
			}
		}
		if x < 0 {
			acc[j], carry = bits.Sub64(acc[j], v, carry)
		} else {
			acc[j], carry = bits.Add64(acc[j], v, carry)
		}
	}
}

// bigPoly returns p as a poly of big integers.
func (s *fastSolver) bigPoly() poly {
	p := make(poly, s.deg+1)
	for i, c := range s.p[:s.deg+1] {
		p[i] = big.NewInt(c)
	}
	return p
}

// sturmRoots hands p to the exact solver's Sturm sequence.
func (s *fastSolver) sturmRoots() []Root {
	var e solver
	e.init(s.digits)
	return e.sturmRoots(s.bigPoly())
}

// dyadicRoot returns the root with bounds y = lo / 2^klo and y = hi / 2^khi, rates y - 1.
func dyadicRoot(lo uint64, klo uint, hi uint64, khi uint) Root {
	return Root{mult: 1, dy: true, nlo: lo, klo: uint8(klo), nhi: hi, khi: uint8(khi)}
}

// fastMaxLeaves bounds the spans isolated examines.
const fastMaxLeaves = 256

// isolated finds the roots of p when the tests of the exact route (Descartes' rule on the
// whole range and on each side of 0%, and the sample rates) leave them unsettled, and the
// exact route would use the Sturm sequence: the member with no root, or roots closer
// together than the samples. It bisects the positive range of p into dyadic spans and
// classifies each: no root, when the bounds of p over the span exclude zero (see excludes),
// or exactly one simple root, when p has opposite signs at the ends and the bounds of p'
// exclude zero; other spans are halved. It returns false when a span is left unclassified
// within fastMaxLeaves spans, or when the roots might not be those the Sturm sequence finds:
// a root found exactly, at an end of a span or in the bisection (the Sturm sequence may then
// have cut its span at the root), a root nearer -100% than the precision (whose lower end
// depends on the square-free part of p), or a root span narrower than the precision.
//
// Otherwise its roots are those of the Sturm route, bit for bit: each root is simple, so the
// Sturm sequence isolates it in a dyadic span of the positive range whose width is a power
// of two (a cut at a root would be a dyadic point that the bisection here would have met
// exactly), and the bisection of such a span ends on the one dyadic interval of the
// precision's width holding the root, whichever span it starts from.
func (s *fastSolver) isolated() ([]Root, bool) {
	if !s.derivOK {
		return nil, false
	}
	rng, fits := s.positiveRange()
	if !fits {
		return nil, false
	}
	roots := s.roots[:0]
	stack := append(s.stack[:0], rng)
	for leaves := 0; len(stack) > 0; leaves++ {
		if leaves == fastMaxLeaves {
			return nil, false
		}
		sp := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		d := s.deg
		if s.excludes(s.pos[:d+1], s.neg[:d+1], sp) || meanValueExcludes(s.pf[:d+1], s.pa[:d+1], s.dpos[:d], s.dneg[:d], sp) {
			continue
		}
		sa, sb := s.sign(sp.a, sp.k), s.sign(sp.b, sp.k)
		if sa == 0 || sb == 0 {
			return nil, false
		}
		if sa != sb && (s.excludes(s.dpos[:d], s.dneg[:d], sp) || meanValueExcludes(s.df[:d], s.da[:d], s.ddpos[:d-1], s.ddneg[:d-1], sp)) {
			r, ok := s.refineStrict(sp)
			if !ok {
				return nil, false
			}
			roots = append(roots, r)
			continue
		}
		if sp.b >= 1<<62 || sp.k >= fastMaxScale || len(stack)+2 > len(s.stack) {
			return nil, false
		}
		mid := sp.a + sp.b
		// The right half first, so that the roots come out in increasing order.
		stack = append(stack, dspan{mid, sp.b << 1, sp.k + 1}, dspan{sp.a << 1, mid, sp.k + 1})
	}
	return roots, true
}

// refineStrict is refine for isolated: false for a root found exactly, nearer -100% than
// the precision, or in a span narrower than the precision.
func (s *fastSolver) refineStrict(sp dspan) (Root, bool) {
	if sp.k > precisionScale(sp.b-sp.a, s.digits) {
		return Root{}, false
	}
	r, ok := s.refine(sp)
	if !ok || r.nlo == r.nhi && r.klo == r.khi || r.klo != r.khi {
		return Root{}, false // exact, or with its lower end moved up to the root bound
	}
	return r, true
}

// excludes reports whether the polynomial with positive part pos and negative part neg
// (p = P - N, P and N with non-negative coefficients, so both increasing for y >= 0) has no
// root in the span [a, b]: there p >= P(a) - N(b) and p <= P(b) - N(a), so p > 0 on the
// span when P(a) - N(b) > 0 and p < 0 when P(b) - N(a) < 0.
//
// Each of P(a), N(b), P(b), N(a) is computed by Horner's rule in float64 (a and b exact, the
// coefficients exact) within a factor 1 +- g of the true value, g = gamma_2d / (1 - gamma_2d)
// < (2d + 1) u (see sign). So P(a) - N(b) >= (P^ - N^) - g (P^ + N^), and the one rounding
// of the difference adds at most u (P^ + N^): the test fl(P^ - N^) > fl(fl(P^ + N^)
// (2d + 3) u) + 2^-60 proves P(a) - N(b) > 0, the margin (2d + 3) u covering g + u and the
// roundings of the bound itself, 2^-60 gradual underflow (as in sign).
func (s *fastSolver) excludes(pos, neg []float64, sp dspan) bool {
	if sp.b >= fastMaxUnits || len(pos) == 0 {
		return false
	}
	ya, yb := math.Ldexp(float64(sp.a), -int(sp.k)), math.Ldexp(float64(sp.b), -int(sp.k))
	d := len(pos) - 1
	pa, na, pb, nb := pos[d], neg[d], pos[d], neg[d]
	for i := d - 1; i >= 0; i-- {
		pa, na = pa*ya+pos[i], na*ya+neg[i]
		pb, nb = pb*yb+pos[i], nb*yb+neg[i]
	}
	if !(pb+nb < 1e290) {
		return false // beyond the float range, or NaN
	}
	gam := float64(2*d+3) * 0x1p-53
	if pa-nb > (pa+nb)*gam+0x1p-60 {
		return true
	}
	return pb-na < -((pb+na)*gam + 0x1p-60)
}

// meanValueExcludes reports whether the polynomial q (coefficients q, their magnitudes qa,
// degree at least 1) has no root in the span [a, b], by the mean value theorem: for y in the
// span, q(y) = q(a) + (y - a) q'(t) for some t in it, and q' = P - N (dpos and dneg, its
// positive and negative parts) lies between P(a) - N(b) and P(b) - N(a). With w = b - a,
//
//	q(a) - w max(0, N(b) - P(a)) <= q(y) <= q(a) + w max(0, P(b) - N(a)).
//
// This bound is tight where q' is small, near an extremum of q, where excludes is loose.
// q(a) is bracketed as in sign (within E = fl(e (2d + 2) u) + 2^-60), and P and N at a and b
// within a factor 1 +- g as in excludes, g = (2d' + 2) u for q' of degree d' (2^-60 more for
// underflow). The few remaining roundings of the two bounds are each at most u times a term
// of S = |q(a)| + E + w (P(a) + N(b) + P(b) + N(a)) (1 + g) + 2^-60, so the test, a bound
// beyond 16 u S from zero, is rigorous with room to spare.
func meanValueExcludes(q, qa, dpos, dneg []float64, sp dspan) bool {
	if sp.b >= fastMaxUnits {
		return false
	}
	ya, yb := math.Ldexp(float64(sp.a), -int(sp.k)), math.Ldexp(float64(sp.b), -int(sp.k))
	w := yb - ya // exact: both are multiples of 2^-k below 2^(53-k)
	d := len(q) - 1
	v, e := q[d], qa[d]
	for i := d - 1; i >= 0; i-- {
		v, e = v*ya+q[i], e*ya+qa[i]
	}
	var pa, na, pb, nb float64
	if dd := len(dpos) - 1; dd >= 0 {
		pa, na, pb, nb = dpos[dd], dneg[dd], dpos[dd], dneg[dd]
		for i := dd - 1; i >= 0; i-- {
			pa, na = pa*ya+dpos[i], na*ya+dneg[i]
			pb, nb = pb*yb+dpos[i], nb*yb+dneg[i]
		}
	}
	if !(e < 1e290) || !(pb+nb < 1e290) {
		return false // beyond the float range, or NaN
	}
	const u = 0x1p-53
	ea := e*(float64(2*d+2)*u) + 0x1p-60
	g := float64(2*len(dpos)+2) * u
	x := (nb - pa) + g*(pa+nb) + 0x1p-60 // at least -min q' over the span
	y := (pb - na) + g*(pb+na) + 0x1p-60 // at least max q' over the span
	lower := (v - ea) - w*max(0, x)
	upper := (v + ea) + w*max(0, y)
	slack := 16 * u * (math.Abs(v) + ea + w*(pa+nb+pb+na)*(1+g) + 0x1p-60)
	return lower > slack || upper < -slack
}

// AppendPercent appends [Root.Percent] to b: the middle of the root as a percentage with the
// given decimals, rounded by mode. It does not allocate for the roots of the fast path shown
// with up to 16 decimals.
func (r Root) AppendPercent(b []byte, decimals int, mode Rounding) []byte {
	if r.dy && r.klo == r.khi && r.klo < 62 && r.nlo < 1<<62 && r.nhi < 1<<62 && decimals >= 0 && decimals <= 16 {
		// Mid = m / 2^K with m = nlo + nhi - 2^K, K = k + 1; the percentage m 10^(decimals+2)
		// / 2^K, rounded.
		K := uint(r.klo) + 1
		m := int64(r.nlo+r.nhi) - 1<<K
		neg := m < 0
		hi, lo := bits.Mul64(abs64(m), 100*pow10u[decimals])
		q := lo>>K | hi<<(64-K)
		if hi>>K == 0 {
			rem := lo & (1<<K - 1)
			half := uint64(1) << (K - 1)
			up := false
			switch mode {
			case TowardZero:
			case AwayFromZero:
				up = rem != 0
			case Floor:
				up = neg && rem != 0
			case Ceiling:
				up = !neg && rem != 0
			case HalfAwayFromZero:
				up = rem >= half
			default:
				up = rem > half || rem == half && q&1 == 1
			}
			if up {
				if q == math.MaxUint64 {
					return append(b, r.Percent(decimals, mode)...)
				}
				q++
			}
			if q != 0 { // q at most 2^64 - 1 before the increment: hi>>K == 0 and K < 63
				return appendScaled64(b, neg, q, decimals)
			}
			return appendScaled64(b, false, 0, decimals)
		}
	}
	return append(b, r.Percent(decimals, mode)...)
}

// appendScaled64 appends -q (neg) or q divided by 10^decimals with all its decimals (at
// least one digit before the point), and "%".
func appendScaled64(b []byte, neg bool, q uint64, decimals int) []byte {
	if neg {
		b = append(b, '-')
	}
	var digits [40]byte
	d := digits[:0]
	for range decimals + 1 - len(strconv.AppendUint(digits[20:20], q, 10)) {
		d = append(d, '0')
	}
	d = strconv.AppendUint(d, q, 10)
	cut := len(d) - decimals
	b = append(b, d[:cut]...)
	if decimals > 0 {
		b = append(b, '.')
		b = append(b, d[cut:]...)
	}
	return append(b, '%')
}

// jump returns what the bisection of refine over sp down to scale K returns, without the
// bisection, when it can prove it: the bisection keeps intervals [A, A + D] at scale K, D
// the width of sp at its own scale, A = a 2^(K-k) + j D, and ends on the one holding the
// root. jump finds the root approximately in float64 (Newton's method kept inside a bracket),
// takes the interval of the lattice holding it (or a neighbour), and proves it: p has sign sa
// at A and the opposite sign at A + D, both certified, so the one root of sp lies strictly
// inside. No point of the lattice lies strictly inside, so the bisection meets no root on its
// way and ends on [A, A + D]. It returns false when it proves nothing (a root at a point of
// the lattice, A = 0 and its lower bound, a float estimate too far off, numbers too large);
// refine then bisects.
func (s *fastSolver) jump(sp dspan, K uint, sa int) (Root, bool) {
	shift := K - sp.k
	if shift >= 62 || sp.b >= fastMaxUnits || sp.b >= 1<<(62-shift) {
		return Root{}, false
	}
	a0, d, end := sp.a<<shift, sp.b-sp.a, sp.b<<shift
	ya, yb := math.Ldexp(float64(sp.a), -int(sp.k)), math.Ldexp(float64(sp.b), -int(sp.k))
	x := s.floatRoot(ya, yb, sa)
	t := (math.Ldexp(x, int(K)) - float64(a0)) / float64(d)
	n := uint64(1) << shift // the intervals of the lattice
	if !(t >= 0) {
		t = 0
	}
	j := uint64(min(t, float64(n-1)))
	for _, jj := range [...]uint64{j, j - 1, j + 1} {
		if jj >= n { // j - 1 below zero wraps around
			continue
		}
		lo := a0 + jj*d
		hi := lo + d
		if lo == 0 {
			return Root{}, false
		}
		sl := sa
		if jj > 0 {
			sl = s.sign(lo, K)
		}
		sh := -sa
		if hi != end {
			sh = s.sign(hi, K)
		}
		if sl == 0 || sh == 0 {
			return Root{}, false
		}
		if sl == sa && sh == -sa {
			return dyadicRoot(lo, K, hi, K), true
		}
	}
	return Root{}, false
}

// floatRoot returns an estimate of the root of p in [lo, hi], where p has sign slo at lo and
// the opposite sign at hi: Newton's method, falling back to bisection when a step leaves the
// bracket. It is only a guess, which jump then proves or drops.
func (s *fastSolver) floatRoot(lo, hi float64, slo int) float64 {
	d := s.deg
	x := lo + (hi-lo)/2
	for range 64 {
		v, dv := s.pf[d], 0.0
		for i := d - 1; i >= 0; i-- {
			dv = dv*x + v
			v = v*x + s.pf[i]
		}
		if v == 0 {
			return x
		}
		if (v > 0) == (slo > 0) {
			lo = x
		} else {
			hi = x
		}
		nx := x - v/dv
		if !(nx > lo && nx < hi) {
			nx = lo + (hi-lo)/2
		}
		if nx == x || math.Abs(nx-x) <= 0x1p-52*math.Abs(x) {
			return nx
		}
		x = nx
	}
	return x
}

// precisionScale returns the scale at which refine stops on a span of width w at its own
// scale: the least K with 2^K >= w 10^digits (digits at most fastMaxDigits).
func precisionScale(w uint64, digits int) uint {
	hi, lo := bits.Mul64(w, pow10u[digits])
	lo, borrow := bits.Sub64(lo, 1, 0)
	hi -= borrow
	if hi != 0 {
		return 64 + uint(bits.Len64(hi))
	}
	return uint(bits.Len64(lo))
}
