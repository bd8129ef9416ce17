package rates_test

import (
	"math/big"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/token"
)

// genUnits draws the flows of 1 to 12 rounds in minor units: a quarter zero, the rest of
// either sign and of any size up to 10^9, or, one time in three, a circle member's: the same
// instalment every round but one, where it receives a pot.
func genUnits() *rapid.Generator[[]int64] {
	return rapid.Custom(func(t *rapid.T) []int64 {
		n := rapid.IntRange(1, 12).Draw(t, "rounds")
		u := make([]int64, n)
		if rapid.IntRange(0, 2).Draw(t, "shape") == 0 {
			c := rapid.Int64Range(1, 5000).Draw(t, "instalment")
			w := rapid.IntRange(0, n-1).Draw(t, "win")
			for i := range u {
				u[i] = -c - rapid.Int64Range(0, c/4).Draw(t, "spread")
			}
			u[w] += rapid.Int64Range(0, 2*int64(n)*c).Draw(t, "pot")
			return u
		}
		for i := range u {
			if rapid.IntRange(0, 3).Draw(t, "zero") > 0 {
				u[i] = rapid.Int64Range(-1e9, 1e9).Draw(t, "units")
			}
		}
		return u
	})
}

// flowsOfUnits returns the flows of minor units of the rupee.
func flowsOfUnits(t tb, u []int64, scale int64) rates.Flows {
	t.Helper()
	a := inr(t)
	am := make([]token.Amount, len(u))
	for i, x := range u {
		am[i] = a.FromInt64Units(x * scale)
	}
	f, err := rates.NewFlows(am...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func allZero(u []int64) bool {
	for _, x := range u {
		if x != 0 {
			return false
		}
	}
	return true
}

// npvSign returns the sign of the NPV of f at r.
func npvSign(t tb, f rates.Flows, r rates.Rate) int {
	v, err := rates.NPV(f, r)
	if err != nil {
		t.Fatal(err)
	}
	return v.Sign()
}

// checkRoots verifies every root of res for f: inside (-100%, +inf), narrower than the
// precision, in increasing order, the NPV zero at an exact root and of opposite signs (odd
// multiplicity) or equal signs (even) at the two ends of an interval; and Descartes' rule:
// the roots counted with multiplicity are at most the sign changes, and of the same parity.
func checkRoots(t tb, f rates.Flows, res rates.IRRResult, digits int) {
	width := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil))
	total := 0
	var prev *rates.Root
	for _, r := range res.Roots() {
		total += r.Multiplicity()
		if r.Multiplicity() < 1 || r.Lo().Cmp(r.Hi()) > 0 || r.Lo().Rat().Cmp(big.NewRat(-1, 1)) <= 0 {
			t.Fatalf("bad root [%s, %s] x%d", r.Lo(), r.Hi(), r.Multiplicity())
		}
		if w := new(big.Rat).Sub(r.Hi().Rat(), r.Lo().Rat()); w.Cmp(width) > 0 {
			t.Fatalf("root [%s, %s] wider than 10^-%d", r.Lo(), r.Hi(), digits)
		}
		if prev != nil && prev.Hi().Cmp(r.Lo()) > 0 { // adjacent intervals may share an end, not a root
			t.Fatalf("roots out of order: %s then %s", prev.Hi(), r.Lo())
		}
		if r.Exact() {
			if s := npvSign(t, f, r.Lo()); s != 0 {
				t.Fatalf("NPV at the exact root %s has sign %d", r.Lo(), s)
			}
		} else {
			lo, hi := npvSign(t, f, r.Lo()), npvSign(t, f, r.Hi())
			if lo == 0 || hi == 0 || (lo == hi) == (r.Multiplicity()%2 == 1) {
				t.Fatalf("NPV signs %d, %d at [%s, %s], multiplicity %d", lo, hi, r.Lo(), r.Hi(), r.Multiplicity())
			}
		}
		prev = &r
	}
	if n := res.SignChanges(); res.Count() > n || total > n || (n-total)%2 != 0 {
		t.Fatalf("%d roots (%d with multiplicity) for %d sign changes", res.Count(), total, n)
	}
	if want := map[int]rates.Kind{0: rates.NoRoot, 1: rates.OneRoot}[res.Count()]; res.Count() < 2 && res.Kind() != want || res.Count() >= 2 && res.Kind() != rates.SeveralRoots {
		t.Fatalf("kind %v for %d roots", res.Kind(), res.Count())
	}
}

// grid is a list of rates at which the NPV's sign is checked against the roots reported.
var grid = func() []rates.Rate {
	var g []rates.Rate
	for _, pm := range []int64{-999, -990, -900, -700, -500, -300, -100, -50, -20, -5, 0, 5, 20, 50, 100, 200, 500, 1000, 3000, 10000, 100000} {
		g = append(g, rates.MustRate(pm, 1000))
	}
	return g
}()

// TestIRRProperties: the roots are verified (NPV zero within the precision, Descartes' rule),
// complete (every sign change of the NPV between two rates of a grid holds a root), unchanged
// when every flow is scaled by a positive constant, unique when the flows change sign once,
// and Norström's criterion holds as stated.
func TestIRRProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u := genUnits().Draw(t, "flows")
		if allZero(u) {
			return
		}
		digits := rapid.IntRange(1, 15).Draw(t, "digits")
		f := flowsOfUnits(t, u, 1)
		res, err := rates.IRR(f, digits)
		if err != nil {
			t.Fatal(err)
		}
		checkRoots(t, f, res, digits)
		if res.SignChanges() != f.SignChanges() || res.Norstrom() != f.Norstrom() || res.CumulativeSignChanges() != f.CumulativeSignChanges() {
			t.Fatal("flags differ from the flows'")
		}
		// Completeness on the grid.
		last, at := npvSign(t, f, grid[0]), grid[0]
		for _, x := range grid[1:] {
			s := npvSign(t, f, x)
			if s != 0 && last != 0 && s != last {
				found := false
				for _, r := range res.Roots() {
					found = found || r.Hi().Cmp(at) > 0 && r.Lo().Cmp(x) < 0
				}
				if !found {
					t.Fatalf("the NPV changes sign between %s and %s, no root reported: %v", at, x, res)
				}
			}
			if s != 0 {
				last, at = s, x
			}
		}
		// Scaling changes no root.
		k := rapid.Int64Range(2, 1000).Draw(t, "scale")
		scaled, err := rates.IRR(flowsOfUnits(t, u, k), digits)
		if err != nil || scaled.Count() != res.Count() {
			t.Fatalf("scaled by %d: %v %v, was %v", k, scaled, err, res)
		}
		for i, r := range scaled.Roots() {
			o := res.Roots()[i]
			if !r.Lo().Equal(o.Lo()) || !r.Hi().Equal(o.Hi()) || r.Multiplicity() != o.Multiplicity() {
				t.Fatalf("scaled by %d: root %d [%s, %s], was [%s, %s]", k, i, r.Lo(), r.Hi(), o.Lo(), o.Hi())
			}
		}
		// One sign change, one root.
		if res.SignChanges() == 1 && (res.Kind() != rates.OneRoot || res.Roots()[0].Multiplicity() != 1) {
			t.Fatalf("one sign change: %v", res)
		}
		// Norström: exactly one root of zero or more (none is zero, as the total is not).
		if res.Norstrom() {
			above, maybe := 0, 0
			for _, r := range res.Roots() {
				if r.Lo().Sign() > 0 {
					above++
				}
				if r.Hi().Sign() > 0 {
					maybe++
				}
			}
			if above > 1 || maybe < 1 {
				t.Fatalf("Norström's criterion holds, %d roots above zero: %v", above, res)
			}
		}
	})
}

// TestIRRRepeatedRoots: flows built from known roots, repeated, are solved with the right
// multiplicities: the product of (y - 1 - r_i)^m_i for rates r_i = a_i / 4.
func TestIRRRepeatedRoots(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := []*big.Int{big.NewInt(1)} // coefficients, highest degree first
		type root struct{ num, mult int }
		var want []root
		seen := map[int]bool{}
		for range rapid.IntRange(1, 3).Draw(t, "distinct") {
			num := rapid.IntRange(-3, 8).Draw(t, "rate in quarters")
			if seen[num] {
				continue
			}
			seen[num] = true
			m := rapid.IntRange(1, 3).Draw(t, "multiplicity")
			want = append(want, root{num, m})
			for range m { // multiply by 4y - (4 + num)
				q := make([]*big.Int, len(p)+1)
				for i := range q {
					q[i] = new(big.Int)
				}
				for i, c := range p {
					q[i].Add(q[i], new(big.Int).Mul(c, big.NewInt(4)))
					q[i+1].Sub(q[i+1], new(big.Int).Mul(c, big.NewInt(int64(4+num))))
				}
				p = q
			}
		}
		u := make([]int64, len(p))
		for i, c := range p {
			u[i] = c.Int64()
		}
		f := flowsOfUnits(t, u, 1)
		res, err := rates.IRR(f, 9)
		if err != nil {
			t.Fatal(err)
		}
		checkRoots(t, f, res, 9)
		if res.Count() != len(want) {
			t.Fatalf("%v: %v, want %v", u, res, want)
		}
		for _, w := range want {
			x := rates.MustRate(int64(w.num), 4)
			ok := false
			for _, r := range res.Roots() {
				ok = ok || r.Contains(x) && r.Multiplicity() == w.mult
			}
			if !ok {
				t.Fatalf("%v: no root %s of multiplicity %d in %v", u, x, w.mult, res.Roots())
			}
		}
	})
}

// TestNPVProperties: the NPV is the sum of the discounted flows, exactly, and its roundings
// are ordered.
func TestNPVProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u := genUnits().Draw(t, "flows")
		r := rates.MustRate(rapid.Int64Range(-999, 5000).Draw(t, "rate"), 1000)
		v, err := rates.NPV(flowsOfUnits(t, u, 1), r)
		if err != nil {
			t.Fatal(err)
		}
		want := new(big.Rat)
		disc := big.NewRat(1, 1)
		g := new(big.Rat).Add(r.Rat(), big.NewRat(1, 1))
		for _, x := range u {
			want.Add(want, new(big.Rat).Mul(new(big.Rat).SetInt64(x), disc))
			disc.Quo(disc, g)
		}
		if v.Units().Cmp(want) != 0 || v.Rat().Cmp(new(big.Rat).Quo(want, big.NewRat(100, 1))) != 0 || v.Sign() != want.Sign() {
			t.Fatalf("NPV %s, want %s", v.Units().RatString(), want.RatString())
		}
		var prev *big.Int
		for _, m := range []rates.Rounding{rates.Floor, rates.HalfEven, rates.Ceiling} {
			a, err := v.Round(m)
			if err != nil {
				t.Fatal(err)
			}
			if prev != nil && a.Units().Cmp(prev) < 0 {
				t.Fatalf("%v rounds below the rounding before it", m)
			}
			if d := new(big.Rat).Sub(new(big.Rat).SetInt(a.Units()), want); d.Cmp(big.NewRat(-1, 1)) <= 0 || d.Cmp(big.NewRat(1, 1)) >= 0 {
				t.Fatalf("%v: %s is a unit or more from %s", m, a, want.RatString())
			}
			prev = a.Units()
		}
	})
}

// TestMIRRProperties: the return and the cost bracket their defining ratios, and
// (1 + Cost)(1 + Return) = (1 + finance)(1 + reinvestment).
func TestMIRRProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u := genUnits().Draw(t, "flows")
		f := flowsOfUnits(t, u, 1)
		fin := rates.MustRate(rapid.Int64Range(-500, 500).Draw(t, "finance"), 1000)
		re := rates.MustRate(rapid.Int64Range(-500, 500).Draw(t, "reinvest"), 1000)
		m, err := rates.MIRR(f, fin, re, 12)
		if err != nil {
			return // one-sided or all zero, checked in the unit tests
		}
		n := int64(len(u) - 1)
		pv, fv := new(big.Rat), new(big.Rat)
		one := big.NewRat(1, 1)
		gf, gr := new(big.Rat).Add(one, fin.Rat()), new(big.Rat).Add(one, re.Rat())
		for i, x := range u {
			switch {
			case x < 0:
				pv.Add(pv, new(big.Rat).Quo(big.NewRat(-x, 1), pow(gf, int64(i))))
			case x > 0:
				fv.Add(fv, new(big.Rat).Mul(big.NewRat(x, 1), pow(gr, n-int64(i))))
			}
		}
		q := new(big.Rat).Quo(fv, pv)
		brackets := func(r rates.Root, q *big.Rat) bool {
			lo := pow(new(big.Rat).Add(one, r.Lo().Rat()), n)
			hi := pow(new(big.Rat).Add(one, r.Hi().Rat()), n)
			return lo.Cmp(q) <= 0 && q.Cmp(hi) <= 0
		}
		qc := new(big.Rat).Mul(pow(gf, n), pow(gr, n))
		qc.Quo(qc, q)
		if !brackets(m.Return(), q) || !brackets(m.Cost(), qc) {
			t.Fatalf("%v: return [%s, %s], cost [%s, %s] miss their ratios", u, m.Return().Lo(), m.Return().Hi(), m.Cost().Lo(), m.Cost().Hi())
		}
		lo := new(big.Rat).Mul(new(big.Rat).Add(one, m.Return().Lo().Rat()), new(big.Rat).Add(one, m.Cost().Lo().Rat()))
		hi := new(big.Rat).Mul(new(big.Rat).Add(one, m.Return().Hi().Rat()), new(big.Rat).Add(one, m.Cost().Hi().Rat()))
		prod := new(big.Rat).Mul(gf, gr)
		if lo.Cmp(prod) > 0 || prod.Cmp(hi) > 0 {
			t.Fatalf("(1+cost)(1+return) misses (1+f)(1+i)")
		}
		// The role: the sum of the running totals before the last round.
		sum, run := int64(0), int64(0)
		for _, x := range u[:len(u)-1] {
			run += x
			sum += run
		}
		want := map[bool]rates.Role{true: rates.Borrower, false: rates.Saver}[sum > 0]
		if sum == 0 {
			want = rates.Balanced
		}
		if m.Role() != want {
			t.Fatalf("%v: role %v, want %v", u, m.Role(), want)
		}
	})
}

// percentRat reads the percentage text s ("-12.50%") as a fraction.
func percentRat(t tb, s string) *big.Rat {
	t.Helper()
	x, ok := new(big.Rat).SetString(strings.TrimSuffix(s, "%"))
	if !ok || !strings.HasSuffix(s, "%") {
		t.Fatalf("%q is not a percentage", s)
	}
	return x.Quo(x, big.NewRat(100, 1))
}

func pow(x *big.Rat, n int64) *big.Rat {
	r := big.NewRat(1, 1)
	for range n {
		r.Mul(r, x)
	}
	return r
}

// TestRateProperties: every rate prints and parses back, its percentages are ordered by
// rounding, and annualising compounds exactly.
func TestRateProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		den := rapid.Int64Range(1, 1e12).Draw(t, "den")
		num := rapid.Int64Range(-den+1, 1e12).Draw(t, "num")
		r := rates.MustRate(num, den)
		back, err := rates.ParseRate(r.String())
		if err != nil || !back.Equal(r) {
			t.Fatalf("%s parses back as %s, %v", r, back, err)
		}
		text, _ := r.MarshalText()
		var u rates.Rate
		if err := u.UnmarshalText(text); err != nil || !u.Equal(r) {
			t.Fatalf("%s: text %s", r, text)
		}
		d := rapid.IntRange(0, 8).Draw(t, "decimals")
		fl, ce := r.Percent(d, rates.Floor), r.Percent(d, rates.Ceiling)
		ulp := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d+2)), nil))
		pf, pc := percentRat(t, fl), percentRat(t, ce)
		if pf.Cmp(r.Rat()) > 0 || pc.Cmp(r.Rat()) < 0 || new(big.Rat).Sub(pc, pf).Cmp(ulp) > 0 {
			t.Fatalf("%s: floor %s, ceiling %s", r, fl, ce)
		}
		k := rapid.IntRange(1, 24).Draw(t, "rounds a year")
		y, err := r.Annualize(k)
		one := big.NewRat(1, 1)
		want := new(big.Rat).Sub(pow(new(big.Rat).Add(one, r.Rat()), int64(k)), one)
		if err != nil || y.Rat().Cmp(want) != 0 {
			t.Fatalf("%s annualised over %d: %s", r, k, y)
		}
	})
}

// TestForwardRatesProperty: each rate carries a prize to the next, exactly.
func TestForwardRatesProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := inr(t)
		n := rapid.IntRange(0, 10).Draw(t, "rounds")
		prizes := make([]token.Amount, n)
		for i := range prizes {
			prizes[i] = a.FromInt64Units(rapid.Int64Range(1, 1e12).Draw(t, "prize"))
		}
		fr, err := rates.ForwardRates(prizes)
		if err != nil || len(fr) != max(n-1, 0) {
			t.Fatalf("%v %v", fr, err)
		}
		for i, r := range fr {
			next := new(big.Rat).Mul(new(big.Rat).Add(big.NewRat(1, 1), r.Rat()), new(big.Rat).SetInt(prizes[i].Units()))
			if next.Cmp(new(big.Rat).SetInt(prizes[i+1].Units())) != 0 {
				t.Fatalf("rate %d: %s", i, r)
			}
		}
	})
}
