package rates

import (
	"math"
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"strings"
)

// MaxDigits is the finest precision [IRR] and [MIRR] accept: rates bracketed within
// 10^-MaxDigits.
const MaxDigits = 60

// Kind says how many internal rates of return a member's flows have. The zero Kind is
// [Unsolved], that of the zero [IRRResult]: nothing was solved.
type Kind uint8

// The kinds of result of [IRR].
const (
	Unsolved     Kind = iota // the zero IRRResult: no flows were solved
	NoRoot                   // no rate above -100% makes the NPV zero
	OneRoot                  // exactly one rate does: the IRR
	SeveralRoots             // two or more do: no single IRR describes the member
)

var kindNames = [...]string{"unsolved", "no root", "one root", "several roots"}

// String returns "unsolved", "no root", "one root" or "several roots".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return kindNames[Unsolved]
}

// Root is one internal rate of return, bracketed: the exact rate r at which the NPV is zero
// lies in [Lo, Hi], an interval narrower than the precision asked of [IRR], and no other root
// lies in it. Lo equals Hi when the root was found exactly. Its multiplicity is how many times
// it is a root of the NPV polynomial: 1 for a root where the NPV changes sign, 2 where it only
// touches zero, and so on.
//
// The zero Root is the point 0% with multiplicity 0: not a root of anything.
type Root struct {
	lo, hi Rate // the bounds, unless dy
	mult   int
	// With dy set, the bounds are the rates y - 1 of the dyadic y = nlo / 2^klo and
	// y = nhi / 2^khi instead of lo and hi: the fast path's roots, made without allocating.
	dy       bool
	klo, khi uint8
	nlo, nhi uint64
}

// Lo returns the lower bound of the root.
func (r Root) Lo() Rate {
	if r.dy {
		return dyadicRate64(r.nlo, uint(r.klo))
	}
	return r.lo
}

// Hi returns the upper bound of the root.
func (r Root) Hi() Rate {
	if r.dy {
		return dyadicRate64(r.nhi, uint(r.khi))
	}
	return r.hi
}

// Exact reports whether the root is known exactly: Lo equals Hi and is the root.
func (r Root) Exact() bool {
	if r.dy {
		lo, klo := reduceDyadic(r.nlo, uint(r.klo))
		hi, khi := reduceDyadic(r.nhi, uint(r.khi))
		return lo == hi && klo == khi
	}
	return r.lo.Equal(r.hi)
}

// reduceDyadic returns n / 2^k in lowest terms (n / 2^k = n' / 2^k', n' odd or k' zero).
func reduceDyadic(n uint64, k uint) (uint64, uint) {
	if n == 0 {
		return 0, 0
	}
	tz := min(uint(bits.TrailingZeros64(n)), k)
	return n >> tz, k - tz
}

// dyadicRate64 returns the rate r = y - 1 for y = n / 2^k.
func dyadicRate64(n uint64, k uint) Rate {
	return dyadicRate(new(big.Int).SetUint64(n), k)
}

// Multiplicity returns the root's multiplicity (0 for the zero Root).
func (r Root) Multiplicity() int { return r.mult }

// Mid returns the middle of the interval: within half the precision of the root.
func (r Root) Mid() Rate {
	if r.Exact() {
		return r.Lo()
	}
	m := new(big.Rat).Add(r.Lo().rat(), r.Hi().rat())
	return Rate{m.Quo(m, big.NewRat(2, 1))}
}

// Contains reports whether x lies in [Lo, Hi].
func (r Root) Contains(x Rate) bool { return r.Lo().Cmp(x) <= 0 && x.Cmp(r.Hi()) <= 0 }

// Percent returns the middle of the root as a percentage with the given decimals, rounded by
// mode (see [Rate.Percent]). Ask [IRR] for a precision finer than the decimals shown (four
// digits more suffice but for a root within the precision of a rounding boundary), or check
// that Lo and Hi print the same.
func (r Root) Percent(decimals int, mode Rounding) string { return r.Mid().Percent(decimals, mode) }

// String returns the root as a percentage rounded half to even, with three decimals
// ("-4.644%"), or fewer when the interval is too wide for three: an interval 0.1% wide
// prints with one decimal at most.
func (r Root) String() string {
	w := new(big.Rat).Sub(r.Hi().rat(), r.Lo().rat())
	d := 3
	for ; d > 0; d-- {
		if new(big.Rat).Mul(w, new(big.Rat).SetInt(pow10(d+2))).Cmp(big.NewRat(1, 1)) <= 0 {
			break
		}
	}
	return r.Percent(d, HalfEven)
}

// Float64 returns the middle of the root as the nearest float64: approximate, for plotting
// and statistics only.
func (r Root) Float64() float64 {
	if r.dy && r.klo == r.khi && r.klo < 62 && r.nlo < 1<<62 && r.nhi < 1<<62 {
		// Mid = (nlo + nhi - 2^(k+1)) / 2^(k+1): the int64 numerator converts to the nearest
		// float64 (ties to even, as big.Rat.Float64 rounds), and the power of two scales it
		// exactly.
		k := uint(r.klo) + 1
		m := int64(r.nlo+r.nhi) - 1<<k
		return math.Ldexp(float64(m), -int(k))
	}
	return r.Mid().Float64()
}

// Annualize returns the root per year for roundsPerYear rounds a year: both bounds
// annualised by [Rate.Annualize] (which is increasing, so the annual root lies between them).
func (r Root) Annualize(roundsPerYear int) (Root, error) {
	lo, err := r.Lo().Annualize(roundsPerYear)
	if err != nil {
		return Root{}, err
	}
	hi, _ := r.Hi().Annualize(roundsPerYear)
	return Root{lo: lo, hi: hi, mult: r.mult}, nil
}

// IRRResult is every internal rate of return of a member's flows, with the facts that tell
// how to read them: the kind ([NoRoot], [OneRoot], [SeveralRoots]), the roots in increasing
// order, the sign changes of the flows (Descartes' bound) and Norström's criterion. It holds
// no single figure: [IRRResult.Unique] gives one only when there is exactly one.
//
// The zero IRRResult is [Unsolved]: no root, no sign change.
type IRRResult struct {
	kind        Kind
	n           int     // the number of roots
	first       [2]Root // the first two roots, increasing
	more        []Root  // every root when there are more than two; never modified
	signChanges int
	cumChanges  int
	norstrom    bool
	digits      int
}

// Kind returns how many roots there are: [NoRoot], [OneRoot] or [SeveralRoots] ([Unsolved]
// for the zero IRRResult).
func (r IRRResult) Kind() Kind { return r.kind }

// Count returns the number of distinct roots.
func (r IRRResult) Count() int { return r.n }

// Roots returns the distinct roots in increasing order (a new slice).
func (r IRRResult) Roots() []Root {
	if r.more != nil {
		return append([]Root(nil), r.more...)
	}
	return append([]Root(nil), r.first[:r.n]...)
}

// Root returns the root of index i (from 0, in increasing order), and false when there is
// none: Root(0) to Root(Count() - 1) are the roots, without the slice Roots makes.
func (r IRRResult) Root(i int) (Root, bool) {
	switch {
	case i < 0 || i >= r.n:
		return Root{}, false
	case r.more != nil:
		return r.more[i], true
	}
	return r.first[i], true
}

// setRoots sets the roots and the kind (the roots are copied).
func (r *IRRResult) setRoots(roots []Root) {
	r.n = len(roots)
	if len(roots) <= len(r.first) {
		copy(r.first[:], roots)
	} else {
		r.more = slices.Clone(roots)
	}
	switch len(roots) {
	case 0:
		r.kind = NoRoot
	case 1:
		r.kind = OneRoot
	default:
		r.kind = SeveralRoots
	}
}

// Unique returns the root and true when there is exactly one, and false otherwise: flows with
// no root or several have no internal rate of return to report.
func (r IRRResult) Unique() (Root, bool) {
	if r.n != 1 {
		return Root{}, false
	}
	return r.first[0], true
}

// SignChanges returns the sign changes of the flows, zero flows skipped: by Descartes' rule
// of signs, at least the number of roots counted with multiplicity, and of the same parity.
func (r IRRResult) SignChanges() int { return r.signChanges }

// CumulativeSignChanges returns the sign changes of the running totals of the flows.
func (r IRRResult) CumulativeSignChanges() int { return r.cumChanges }

// Norstrom reports whether Norström's criterion holds (see [Flows.Norstrom]): then exactly
// one root is zero or positive, whatever the negative ones.
func (r IRRResult) Norstrom() bool { return r.norstrom }

// Digits returns the precision of the roots: each is bracketed within 10^-Digits.
func (r IRRResult) Digits() int { return r.digits }

// String describes the result for people, each root as [Root.String] prints it: "no root",
// "one root: -4.644%", "2 roots: 55.768%, 90.019%", or "unsolved".
func (r IRRResult) String() string {
	switch r.kind {
	case NoRoot:
		return "no root"
	case OneRoot:
		return "one root: " + r.first[0].String()
	case SeveralRoots:
		var b strings.Builder
		b.WriteString(strconv.Itoa(r.n))
		b.WriteString(" roots: ")
		for i, x := range r.Roots() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(x.String())
		}
		return b.String()
	}
	return "unsolved"
}

// IRR returns every internal rate of return of the flows: every rate r above -100% per round
// at which their NPV, the sum over rounds t of flow_t / (1 + r)^(t-1), is zero. Each root is
// bracketed within 10^-digits (12 digits brackets 2.45% within 0.0000000001%).
//
// The roots are found exactly, never guessed from a starting point: with y = 1 + r, the NPV
// times y^(L-1) (L rounds) is the polynomial sum_t flow_t y^(L-t) with integer coefficients,
// the flows in minor units, and the rates above -100% are its roots y > 0. (Its reciprocal
// polynomial in x = 1/(1+r), the discount factor, has the same roots inverted.) A Sturm
// sequence computed over the integers counts the roots in any interval exactly; bisection
// with it isolates each root in an interval of its own, and bisection on the square-free part
// of the polynomial (which changes sign at each root) narrows each interval to the precision.
// No figure is taken from a floating-point number: where one is used (see below), it only
// settles a sign its proven error bound leaves certain.
//
// Cheaper proofs come first when they settle the count: 0% is tested exactly (the NPV there
// is the sum of the flows), and Descartes' rule of signs bounds the roots by the sign changes
// of the coefficients, with the same parity, so none means no root and one means exactly one,
// simple; it is applied to the whole range, then to the rates below and above 0% apart, and
// sign changes of the NPV found at a few fixed rates that reach the bound prove the count
// too. Only flows that none of these settles (the member with no root, roots close together,
// repeated roots) go to the Sturm sequence. Whatever the route, the roots are the same.
//
// Flows below 2^53 minor units over at most 61 rounds, to at most 19 digits, take a fast path
// that follows the same route on machine integers and reads each sign from a float64
// evaluation with a proven error bound, computing it exactly whenever the bound does not
// settle it; it proves the roots the Sturm sequence would find by bounds on the NPV and its
// derivative, and leaves the flows it cannot prove to the Sturm sequence. Its roots are the
// exact route's, bit for bit, and it does not allocate: a ten-round member takes about 2
// microseconds. A [Solver] does the same for many members from a reused buffer.
//
// The error is an [*Error] wrapping [ErrNoFlows] for the zero Flows, [ErrAllZero] when every
// flow is zero (every rate is then a root), and [ErrInvalidPrecision] when digits is not 1 to
// [MaxDigits].
func IRR(f Flows, digits int) (IRRResult, error) {
	if err := checkSolvable("IRR", f, digits); err != nil {
		return IRRResult{}, err
	}
	var s fastSolver
	if res, ok := s.irr(f.amounts, digits); ok {
		return res, nil
	}
	return exactIRR(f, digits), nil
}

// exactIRR is IRR on big integers, for every flows IRR accepts.
func exactIRR(f Flows, digits int) IRRResult {
	cum, final := f.cumulative()
	res := IRRResult{signChanges: f.SignChanges(), cumChanges: cum, norstrom: cum == 1 && final != 0, digits: digits}
	var s solver
	s.init(digits)
	s.solve(flowPoly(f).primitive())
	res.setRoots(s.roots)
	return res
}

// checkSolvable reports whether IRR or MIRR can solve the flows to digits.
func checkSolvable(op string, f Flows, digits int) error {
	switch {
	case len(f.amounts) == 0:
		return &Error{Op: op, Err: ErrNoFlows}
	case digits < 1 || digits > MaxDigits:
		return &Error{Op: op, Detail: strconv.Itoa(digits) + " digits, want 1 to " + strconv.Itoa(MaxDigits), Err: ErrInvalidPrecision}
	}
	for _, x := range f.amounts {
		if !x.IsZero() {
			return nil
		}
	}
	return &Error{Op: op, Detail: "every rate is a root", Err: ErrAllZero}
}

// flowPoly returns the polynomial sum_t flow_t y^(L-t), less its factors y (the zero flows
// of the last rounds, roots at -100%, outside the range) and trimmed (the zero flows of the
// first rounds lower its degree).
func flowPoly(f Flows) poly {
	last := len(f.amounts)
	for last > 0 && f.amounts[last-1].IsZero() {
		last--
	}
	p := make(poly, last)
	for t := range last {
		p[last-1-t] = f.amounts[t].Units()
	}
	return p.trim()
}

// span is the interval [a / 2^k, b / 2^k] of y = 1 + r.
type span struct {
	a, b *big.Int
	k    uint
}

// solver isolates and refines the positive roots of one polynomial.
type solver struct {
	e      evaluator
	digits int
	roots  []Root
}

// init prepares the solver for a precision of 10^-digits.
func (s *solver) init(digits int) { s.digits = digits }

// solve finds every positive root of p (p(0) not zero), in increasing order. It takes the
// cheapest rigorous route that applies:
//
//   - y = 1 (a rate of 0%, where the NPV is the plain sum of the flows) is tested exactly and
//     divided out as often as it is a root: every member of a circle without discounts,
//     who gets back exactly what it paid, has that root;
//   - Descartes' rule of signs on what remains: no sign change of the coefficients, no root;
//     one, exactly one, of multiplicity one, in the whole range;
//   - the same rule applied to the rates below 0% and above 0% apart (splitAtOne);
//   - when the signs of the polynomial at a few fixed rates change as many times as its
//     coefficients do, Descartes' bound is attained: each change brackets exactly one
//     simple root and there is no other;
//   - otherwise the Sturm sequence counts and isolates the roots.
func (s *solver) solve(p poly) {
	if p.deg() < 1 {
		return // a non-zero constant
	}
	mult0 := 0
	for p.deg() >= 1 && sumSign(p) == 0 {
		p = deflateAtOne(p)
		mult0++
	}
	var roots []Root
	if p.deg() >= 1 {
		switch n := coefficientSignChanges(p); n {
		case 0:
		case 1:
			roots = []Root{s.refine(p, positiveRange(p))}
		default:
			spans, ok := splitAtOne(p)
			if !ok {
				spans, ok = s.certify(p, n)
			}
			if !ok {
				roots = s.sturmRoots(p)
				break
			}
			for _, sp := range spans {
				roots = append(roots, s.refine(p, sp))
			}
		}
	}
	if mult0 > 0 {
		zero := Root{mult: mult0}
		i := 0
		for i < len(roots) && roots[i].hi.Sign() < 0 {
			i++
		}
		roots = slices.Insert(roots, i, zero)
	}
	s.roots = roots
}

// sumSign returns the sign of p(1), the sum of its coefficients.
func sumSign(p poly) int {
	var sum big.Int
	for _, c := range p {
		sum.Add(&sum, c)
	}
	return sum.Sign()
}

// deflateAtOne returns p / (y - 1) for p(1) = 0, by synthetic division: exact, with integer
// coefficients.
func deflateAtOne(p poly) poly {
	q := make(poly, p.deg())
	acc := new(big.Int)
	for i := p.deg(); i >= 1; i-- {
		acc = new(big.Int).Add(acc, p[i])
		q[i-1] = acc
	}
	return q.trim()
}

// coefficientSignChanges returns the sign changes of the coefficients of p, zeros skipped:
// Descartes' bound on its positive roots.
func coefficientSignChanges(p poly) int {
	return signVariations(func(yield func(int) bool) {
		for _, c := range p {
			if !yield(c.Sign()) {
				return
			}
		}
	})
}

// splitAtOne applies Descartes' rule to the roots below and above y = 1 (rates below and
// above 0%) separately: those of p in (1, +inf) are the positive roots of p(1 + x), and those
// in (0, 1) the positive roots of (1 + x)^n p(1 / (1 + x)), n the degree, whose coefficients
// are those of p reversed and shifted by 1. When each has at most one sign change, each side
// holds that many roots, simple, and it returns the spans [0, 1] and [1, 2^m] that hold one;
// otherwise false. p(1) must not be zero.
func splitAtOne(p poly) ([]span, bool) {
	above := taylorShift(p)
	below := make(poly, len(p))
	for i, c := range p {
		below[len(p)-1-i] = c
	}
	below = taylorShift(below)
	nb, na := coefficientSignChanges(below), coefficientSignChanges(above)
	if nb > 1 || na > 1 {
		return nil, false
	}
	rng := positiveRange(p)
	unit := new(big.Int).Lsh(one, rng.k) // y = 1 at the range's scale
	var spans []span
	if nb == 1 {
		spans = append(spans, span{new(big.Int), unit, rng.k})
	}
	if na == 1 {
		spans = append(spans, span{unit, rng.b, rng.k})
	}
	return spans, true
}

// taylorShift returns p(1 + x), by the additions of Horner's rule repeated: a new polynomial.
func taylorShift(p poly) poly {
	q := p.clone()
	n := q.deg()
	for i := 0; i < n; i++ {
		for j := n - 1; j >= i; j-- {
			q[j].Add(q[j], q[j+1])
		}
	}
	return q
}

// samples are the rates at which certify looks for sign changes, as y = 1 + r in eighths:
// 0%, 25%, -25%, 50%, -50%, 12.5%, -12.5%, 75%, 100%. They are where the rates of most
// members of real circles lie; flows whose roots they miss go to the Sturm sequence. With the
// ends of the range and the powers of two above them, they cut the range into spans whose
// widths are powers of two.
var samples = [...]int64{8, 10, 6, 12, 4, 9, 7, 14, 16}

// certify looks for n sign changes of p (n being the sign changes of its coefficients) among
// its signs at the ends of its positive range and at the sample rates inside it. When it
// finds n, Descartes' bound is attained and it returns the n spans between consecutive
// points of opposite signs, each holding exactly one root, simple; otherwise false.
func (s *solver) certify(p poly, n int) ([]span, bool) {
	rng := positiveRange(p)
	k := max(rng.k, 3)
	hi := new(big.Int).Lsh(rng.b, k-rng.k)
	points := make([]*big.Int, 0, len(samples)+8)
	points = append(points, new(big.Int), hi)
	for _, j := range samples {
		x := new(big.Int).Lsh(big.NewInt(j), k-3)
		if x.Cmp(hi) < 0 {
			points = append(points, x)
		}
	}
	// Powers of two beyond the samples, so that every span has a power of two for width.
	for x := new(big.Int).Lsh(big.NewInt(32), k-3); x.Cmp(hi) < 0; x = new(big.Int).Lsh(x, 1) {
		points = append(points, x)
	}
	slices.SortFunc(points, (*big.Int).Cmp)
	var spans []span
	last := s.e.sign(p, points[0], k)
	for i := 1; i < len(points); i++ {
		sg := s.e.sign(p, points[i], k)
		if sg == 0 {
			return nil, false // a root at a sample: the Sturm sequence deals with it
		}
		if sg != last {
			spans = append(spans, span{points[i-1], points[i], k})
		}
		last = sg
	}
	return spans, len(spans) == n
}

// sturmRoots finds every positive root of p with its Sturm sequence: the number of sign
// changes of the sequence at a point, less that at a larger point, is the number of distinct
// roots between them. Bisection isolates each root, and bisection on the square-free part of
// p (p divided by gcd(p, p'), which changes sign at every root) refines it.
func (s *solver) sturmRoots(p poly) []Root {
	seq := sturm(p)
	v0, vInf := variationsAtZero(seq), variationsAtInfinity(seq)
	if v0 == vInf {
		return nil
	}
	gcds := gcdChain(seq)
	q := p
	if len(gcds) > 0 {
		q = quotient(p, gcds[0])
	}
	// Isolate: a stack of spans with their variation counts, split until each holds one root.
	type item struct {
		sp     span
		va, vb int
	}
	// No root lies at or below the lower end nor at or above the upper one: the counts there
	// are those at 0 and at infinity.
	stack := []item{{positiveRange(p), v0, vInf}}
	var isolated []span
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch it.va - it.vb {
		case 0:
			continue
		case 1:
			isolated = append(isolated, it.sp)
			continue
		}
		left, right := s.split(p, it.sp)
		vm := s.e.variations(seq, right.a, right.k)
		// Push the right half first, so that roots come out in increasing order.
		stack = append(stack, item{right, vm, it.vb}, item{left, it.va, vm})
	}
	roots := make([]Root, 0, len(isolated))
	for _, sp := range isolated {
		r := s.refine(q, sp)
		if len(gcds) > 0 {
			r.mult = s.multiplicity(gcds, r)
		}
		roots = append(roots, r)
	}
	return roots
}

// split returns the two halves of sp, cut at a point that is not a root of p: the middle,
// or, when the middle is a root, a point a little left of it.
func (s *solver) split(p poly, sp span) (left, right span) {
	a := new(big.Int).Lsh(sp.a, 1)
	b := new(big.Int).Lsh(sp.b, 1)
	k := sp.k + 1
	c := new(big.Int).Add(sp.a, sp.b) // the middle, at scale k
	for s.e.sign(p, c, k) == 0 {
		// Step half a unit left at the next scale: still inside (a, b), and p has finitely
		// many roots.
		a.Lsh(a, 1)
		b.Lsh(b, 1)
		c.Lsh(c, 1).Sub(c, big.NewInt(1))
		k++
	}
	return span{a, c, k}, span{new(big.Int).Set(c), b, k}
}

// refine narrows sp, which holds exactly one root of q and none at its ends, to the
// precision, by bisection on the sign of q. q is square-free, so it has opposite signs at the
// two ends.
func (s *solver) refine(q poly, sp span) Root {
	a, b, k := new(big.Int).Set(sp.a), new(big.Int).Set(sp.b), sp.k
	sa := s.e.sign(q, a, k)
	// Stop at the scale K where (b - a) / 2^K <= 10^-digits, that is (b - a) 10^digits <= 2^K.
	// Bisection keeps b - a at the finer scale equal to b - a at the coarser one.
	w := new(big.Int).Sub(b, a)
	w.Mul(w, pow10(s.digits))
	target := uint(w.Sub(w, big.NewInt(1)).BitLen()) // the least K with 2^K >= w 10^digits
	mid := new(big.Int)
	for k < target {
		mid.Add(a, b)
		a.Lsh(a, 1)
		b.Lsh(b, 1)
		k++
		switch sm := s.e.sign(q, mid, k); {
		case sm == 0:
			x := dyadicRate(mid, k)
			return Root{lo: x, hi: x, mult: 1}
		case sm == sa:
			a.Set(mid)
		default:
			b.Set(mid)
		}
	}
	if a.Sign() == 0 {
		// y = 0 is -100%, not a rate: the lower end moves up to a bound on the roots.
		return Root{lo: lowerBound(q), hi: dyadicRate(b, k), mult: 1}
	}
	return Root{lo: dyadicRate(a, k), hi: dyadicRate(b, k), mult: 1}
}

// lowerBound returns a rate r with 1 + r = 2^-m below every positive root of p (p(0) not
// zero): the inverse of a bound on the roots of the reversed polynomial, whose roots are the
// inverses of p's.
func lowerBound(p poly) Rate {
	r := make(poly, len(p))
	for i, c := range p {
		r[len(p)-1-i] = c
	}
	m := rootBound(r)
	if m <= 0 {
		return dyadicRate(new(big.Int).Lsh(one, uint(-m)), 0)
	}
	return dyadicRate(one, uint(m))
}

// dyadicRate returns the rate r = y - 1 for y = a / 2^k.
func dyadicRate(a *big.Int, k uint) Rate {
	one := new(big.Int).Lsh(big.NewInt(1), k)
	x := new(big.Rat).SetFrac(new(big.Int).Sub(a, one), one)
	if x.Sign() == 0 {
		return Rate{}
	}
	return Rate{x}
}

// gcdChain returns g1 = gcd(p, p'), g2 = gcd(g1, g1'), ... while they are not constant,
// from the Sturm sequence seq of p (empty when p has no repeated root).
func gcdChain(seq []poly) []poly {
	var gcds []poly
	for g := seq[len(seq)-1]; g.deg() >= 1; {
		gcds = append(gcds, g)
		if g.deg() == 1 {
			break
		}
		s := sturm(g)
		g = s[len(s)-1]
	}
	return gcds
}

// multiplicity returns the multiplicity of the root r of p, whose repeated-root gcds are
// gcds: 1 plus the number of them that vanish at r.
func (s *solver) multiplicity(gcds []poly, r Root) int {
	m := 1
	for _, g := range gcds {
		if !s.hasRootIn(g, r) {
			break
		}
		m++
	}
	return m
}

// hasRootIn reports whether g, whose roots are among those of p, vanishes at the root of p
// that r brackets.
func (s *solver) hasRootIn(g poly, r Root) bool {
	lo, hi := r.lo.factor(), r.hi.factor() // y = 1 + r
	if r.Exact() {
		return ratSign(&s.e, g, lo) == 0
	}
	seq := sturm(g)
	return ratVariations(&s.e, seq, lo) != ratVariations(&s.e, seq, hi)
}

// ratSign returns the sign of p at the dyadic rational y.
func ratSign(e *evaluator, p poly, y *big.Rat) int {
	k := uint(y.Denom().TrailingZeroBits())
	return e.sign(p, y.Num(), k)
}

// ratVariations returns the sign changes of seq at the dyadic rational y.
func ratVariations(e *evaluator, seq []poly, y *big.Rat) int {
	k := uint(y.Denom().TrailingZeroBits())
	return e.variations(seq, y.Num(), k)
}
