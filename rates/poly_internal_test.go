package rates

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"
)

// genPoly draws a polynomial of degree 0 to 11 with coefficients of up to four words, some
// of them zero.
func genPoly() *rapid.Generator[poly] {
	return rapid.Custom(func(t *rapid.T) poly {
		n := rapid.IntRange(1, 12).Draw(t, "terms")
		p := make(poly, n)
		for i := range p {
			x := new(big.Int)
			if rapid.IntRange(0, 4).Draw(t, "zero") > 0 {
				for range rapid.IntRange(1, 4).Draw(t, "words") {
					x.Lsh(x, 64).Or(x, new(big.Int).SetUint64(rapid.Uint64().Draw(t, "word")>>rapid.UintRange(0, 63).Draw(t, "shift")))
				}
				if rapid.Bool().Draw(t, "negative") {
					x.Neg(x)
				}
			}
			p[i] = x
		}
		return p
	})
}

// TestSignWords: the fixed-width evaluation agrees with math/big's at every point.
func TestSignWords(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPoly().Draw(t, "p").trim()
		if len(p) == 0 {
			return
		}
		a := new(big.Int).SetUint64(rapid.Uint64().Draw(t, "a") >> rapid.UintRange(0, 64).Draw(t, "a shift"))
		k := rapid.UintRange(0, 90).Draw(t, "k")
		d := p.deg()
		want := new(big.Int).Set(p[d])
		for i := d - 1; i >= 0; i-- {
			want.Mul(want, a)
			want.Add(want, new(big.Int).Lsh(p[i], k*uint(d-i)))
		}
		var e evaluator
		if got := e.signWords(p, a, k); got != want.Sign() {
			t.Fatalf("sign %d, want %d", got, want.Sign())
		}
		// Past one word, the math/big path.
		big2 := new(big.Int).Lsh(a, 64)
		want.Set(p[d])
		for i := d - 1; i >= 0; i-- {
			want.Mul(want, big2)
			want.Add(want, new(big.Int).Lsh(p[i], k*uint(d-i)))
		}
		if got := e.sign(p, big2, k); got != want.Sign() {
			t.Fatalf("big path: sign %d, want %d", got, want.Sign())
		}
	})
}

// TestSolverPaths: every route of the solver (the exact root at 0%, Descartes' rule, the
// certificate of sign changes at the sample rates) finds the roots the Sturm sequence finds,
// with the same multiplicities.
func TestSolverPaths(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genPoly().Draw(t, "p")
		if rapid.Bool().Draw(t, "with a root at 0%") {
			p = append(poly{new(big.Int)}, p...) // times y, then minus p itself: times (y - 1)
			for i := range len(p) - 1 {
				p[i].Sub(p[i], p[i+1])
			}
		}
		p = p.trim()
		for len(p) > 0 && p[0].Sign() == 0 {
			p = p[1:] // the roots at y = 0 are outside the range
		}
		if p.deg() < 1 {
			return
		}
		p = p.clone().primitive()
		var fast, full solver
		fast.init(9)
		full.init(9)
		fast.solve(p)
		sturmP := p
		mult0 := 0
		for sumSign(sturmP) == 0 {
			sturmP = deflateAtOne(sturmP)
			mult0++
		}
		var want []Root
		if sturmP.deg() >= 1 {
			want = full.sturmRoots(sturmP)
		}
		if mult0 > 0 {
			want = append(want, Root{mult: mult0})
		}
		if len(fast.roots) != len(want) {
			t.Fatalf("%d roots, the Sturm sequence finds %d", len(fast.roots), len(want))
		}
		for _, w := range want {
			ok := false
			for _, r := range fast.roots {
				overlap := r.lo.Cmp(w.hi) <= 0 && w.lo.Cmp(r.hi) <= 0
				ok = ok || overlap && r.mult == w.mult
			}
			if !ok {
				t.Fatalf("the Sturm root [%s, %s] x%d is not found", w.lo, w.hi, w.mult)
			}
		}
	})
}

// TestSturmSequence: the subresultant Sturm sequence counts the distinct positive roots of a
// product of known linear factors.
func TestSturmSequence(t *testing.T) {
	// (y - 1/2)(y - 2)^2 (y + 3) (2y - 3): distinct positive roots 1/2, 3/2, 2.
	p := poly{big.NewInt(1)}
	for _, f := range [][2]int64{{-1, 2}, {-2, 1}, {-2, 1}, {3, 1}, {-3, 2}} { // c0 + c1 y
		q := make(poly, len(p)+1)
		for i := range q {
			q[i] = new(big.Int)
		}
		for i, c := range p {
			q[i].Add(q[i], new(big.Int).Mul(c, big.NewInt(f[0])))
			q[i+1].Add(q[i+1], new(big.Int).Mul(c, big.NewInt(f[1])))
		}
		p = q
	}
	seq := sturm(p)
	if n := variationsAtZero(seq) - variationsAtInfinity(seq); n != 3 {
		t.Fatalf("%d distinct positive roots, want 3", n)
	}
	if g := seq[len(seq)-1]; g.deg() != 1 {
		t.Fatalf("gcd(p, p') of degree %d, want 1 (the double root 2)", g.deg())
	}
	var s solver
	s.init(9)
	s.solve(p.primitive())
	var mults []int
	for _, r := range s.roots {
		mults = append(mults, r.mult)
	}
	if len(s.roots) != 3 || !s.roots[0].Contains(MustRate(-1, 2)) || !s.roots[1].Contains(MustRate(1, 2)) ||
		!s.roots[2].Contains(MustRate(1, 1)) || mults[2] != 2 || mults[0] != 1 {
		t.Fatalf("roots %v, multiplicities %v", s.roots, mults)
	}
}
