package rates

import (
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/token"
)

// genFastUnits draws flows in minor units of 1 to 14 rounds meant to exercise every route of
// the fast path: a circle member's (one pot among equal instalments, sometimes with
// discounts), flows built from roots at dyadic and sampled rates (exact roots, roots at 0%),
// random flows of any size up to 2^54 (past the fast path's bound), and flows with zeros
// around.
func genFastUnits() *rapid.Generator[[]int64] {
	return rapid.Custom(func(t *rapid.T) []int64 {
		n := rapid.IntRange(1, 14).Draw(t, "rounds")
		u := make([]int64, n)
		switch rapid.IntRange(0, 3).Draw(t, "shape") {
		case 0: // a circle member
			c := rapid.Int64Range(1, 100000).Draw(t, "instalment")
			w := rapid.IntRange(0, n-1).Draw(t, "win")
			for i := range u {
				u[i] = -c + rapid.Int64Range(0, c/3).Draw(t, "dividend")
			}
			u[w] += rapid.Int64Range(0, 2*int64(n)*c).Draw(t, "pot")
		case 1: // the product of (b y - a) for small a, b, times y^z: roots at dyadic rates
			p := []int64{1}
			for range rapid.IntRange(1, min(n, 6)).Draw(t, "factors") {
				a := rapid.Int64Range(1, 24).Draw(t, "a")
				b := []int64{1, 2, 4, 8, 3}[rapid.IntRange(0, 4).Draw(t, "b")]
				q := make([]int64, len(p)+1)
				for i, c := range p {
					q[i] -= a * c
					q[i+1] += b * c
				}
				p = q
			}
			u = make([]int64, len(p))
			for i, c := range p {
				u[len(p)-1-i] = c
			}
		case 2: // random, some beyond 2^53
			for i := range u {
				if rapid.IntRange(0, 3).Draw(t, "zero") > 0 {
					u[i] = rapid.Int64Range(-1<<54, 1<<54).Draw(t, "units") >> rapid.UintRange(0, 54).Draw(t, "shift")
				}
			}
		default: // small random flows: ties and repeated roots are likelier
			for i := range u {
				u[i] = rapid.Int64Range(-4, 4).Draw(t, "small")
			}
		}
		if rapid.Bool().Draw(t, "zeros around") {
			u = append(append(make([]int64, rapid.IntRange(0, 2).Draw(t, "before")), u...),
				make([]int64, rapid.IntRange(0, 2).Draw(t, "after"))...)
		}
		return u
	})
}

func unitsFlows(t *rapid.T, u []int64) Flows {
	a, err := token.NewAsset("INR", 2)
	if err != nil {
		t.Fatal(err)
	}
	am := make([]token.Amount, len(u))
	for i, x := range u {
		am[i] = a.FromInt64Units(x)
	}
	f, err := NewFlows(am...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// sameIRR fails t unless the two results are the same: kind, roots (bounds and
// multiplicities), flags and precision.
func sameIRR(t *rapid.T, got, want IRRResult) {
	t.Helper()
	if got.Kind() != want.Kind() || got.Count() != want.Count() || got.SignChanges() != want.SignChanges() ||
		got.CumulativeSignChanges() != want.CumulativeSignChanges() || got.Norstrom() != want.Norstrom() ||
		got.Digits() != want.Digits() {
		t.Fatalf("fast %v (%d, %d, %v), exact %v (%d, %d, %v)", got, got.SignChanges(), got.CumulativeSignChanges(),
			got.Norstrom(), want, want.SignChanges(), want.CumulativeSignChanges(), want.Norstrom())
	}
	for i, w := range want.Roots() {
		g, _ := got.Root(i)
		if !g.Lo().Equal(w.Lo()) || !g.Hi().Equal(w.Hi()) || g.Multiplicity() != w.Multiplicity() ||
			g.Exact() != w.Exact() || g.Float64() != w.Float64() || g.String() != w.String() {
			t.Fatalf("root %d: fast [%s, %s] x%d, exact [%s, %s] x%d", i, g.Lo(), g.Hi(), g.Multiplicity(),
				w.Lo(), w.Hi(), w.Multiplicity())
		}
	}
}

// TestRapidFastIRR: the fast path returns exactly what the exact solver returns, for every
// flows and precision, whichever route either takes.
func TestRapidFastIRR(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u := genFastUnits().Draw(t, "flows")
		f := unitsFlows(t, u)
		digits := rapid.IntRange(1, 22).Draw(t, "digits")
		if checkSolvable("IRR", f, digits) != nil {
			return
		}
		want := exactIRR(f, digits)
		got, err := IRR(f, digits)
		if err != nil {
			t.Fatal(err)
		}
		sameIRR(t, got, want)
		var s Solver
		again, err := s.IRR(f.amounts, digits)
		if err != nil {
			t.Fatal(err)
		}
		sameIRR(t, again, want)
	})
}

// TestFastPathTaken: the fast path solves the members of the chit fund and of a ten-round
// circle itself, without handing them to the exact solver.
func TestFastPathTaken(t *testing.T) {
	for _, u := range [][]int64{
		{800000, -150000, -170000, -185400, -200000}, // T1
		{-200000, 550000, -170000, -185400, -200000}, // A: two roots
		{-200000, -150000, -170000, -185400, 750000}, // D
		{-100, -100, 400, -100, -100},                // a double root at 0%
	} {
		a, _ := token.NewAsset("INR", 2)
		am := make([]token.Amount, len(u))
		for i, x := range u {
			am[i] = a.FromInt64Units(x)
		}
		var s fastSolver
		if _, ok := s.irr(am, 12); !ok {
			t.Errorf("%v: the fast path gave up", u)
		}
	}
}

// TestRapidFastSign: the certified float64 sign, with its exact fallback, is the sign of the
// polynomial at every point, near its roots included.
func TestRapidFastSign(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s fastSolver
		s.deg = rapid.IntRange(0, 12).Draw(t, "degree")
		for i := 0; i <= s.deg; i++ {
			s.p[i] = rapid.Int64Range(-fastMaxUnits+1, fastMaxUnits-1).Draw(t, "c") >> rapid.UintRange(0, 53).Draw(t, "shift")
		}
		if s.p[s.deg] == 0 {
			s.p[s.deg] = 1
		}
		s.prepare()
		k := rapid.UintRange(0, 100).Draw(t, "k")
		a := rapid.Uint64().Draw(t, "a") >> rapid.UintRange(0, 64).Draw(t, "a shift")
		want := new(big.Int).SetInt64(s.p[s.deg])
		ba := new(big.Int).SetUint64(a)
		for i := s.deg - 1; i >= 0; i-- {
			want.Mul(want, ba)
			want.Add(want, new(big.Int).Lsh(big.NewInt(s.p[i]), k*uint(s.deg-i)))
		}
		if got := s.sign(a, k); got != want.Sign() {
			t.Fatalf("sign %d, want %d", got, want.Sign())
		}
		if got := s.signExact(a, k); got != want.Sign() {
			t.Fatalf("exact sign %d, want %d", got, want.Sign())
		}
	})
}

// TestRapidAppendPercent: the fast path's percentages are those of Percent, for every
// rounding and number of decimals.
func TestRapidAppendPercent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		k := rapid.UintRange(0, 61).Draw(t, "k")
		lo := rapid.Uint64Range(1, 1<<62-1).Draw(t, "lo") >> rapid.UintRange(0, 62).Draw(t, "shift")
		hi := lo + rapid.Uint64Range(0, 1<<20).Draw(t, "width")>>rapid.UintRange(0, 20).Draw(t, "w shift")
		if hi >= 1<<62 || lo == 0 {
			return
		}
		r := dyadicRoot(lo, k, hi, k)
		dec := rapid.IntRange(0, 20).Draw(t, "decimals")
		mode := Rounding(rapid.IntRange(0, 6).Draw(t, "mode"))
		if got, want := string(r.AppendPercent(nil, dec, mode)), r.Percent(dec, mode); got != want {
			t.Fatalf("[%d, %d] / 2^%d: %q, want %q", lo, hi, k, got, want)
		}
	})
}

// TestRapidFastIRRLong: the same for longer flows, 15 to 40 rounds, of circle members, some
// with a few payments turned into receipts. (Beyond 61 rounds the fast path steps aside:
// TestFastPathLimits.)
func TestRapidFastIRRLong(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(15, 40).Draw(t, "rounds")
		u := make([]int64, n)
		c := rapid.Int64Range(1, 1<<30).Draw(t, "instalment")
		random := rapid.Bool().Draw(t, "random")
		for i := range u {
			u[i] = -c + rapid.Int64Range(0, c/3).Draw(t, "dividend")
			if random && rapid.IntRange(0, 7).Draw(t, "flip") == 0 {
				u[i] = -u[i]
			}
		}
		u[rapid.IntRange(0, n-1).Draw(t, "win")] += rapid.Int64Range(0, int64(n)*c).Draw(t, "pot")
		f := unitsFlows(t, u)
		digits := rapid.IntRange(1, 20).Draw(t, "digits")
		if checkSolvable("IRR", f, digits) != nil {
			return
		}
		got, err := IRR(f, digits)
		if err != nil {
			t.Fatal(err)
		}
		sameIRR(t, got, exactIRR(f, digits))
	})
}

// TestFastPathLimits: the fast path gives up beyond its limits (62 rounds, units of 2^53, 20
// digits), and IRR still solves those flows.
func TestFastPathLimits(t *testing.T) {
	a, _ := token.NewAsset("INR", 2)
	long := make([]token.Amount, 62)
	for i := range long {
		long[i] = a.FromInt64Units(-100)
	}
	long[0] = a.FromInt64Units(6000)
	large := []token.Amount{a.FromInt64Units(1 << 53), a.FromInt64Units(-(1 << 53) - 7)}
	for _, tc := range []struct {
		am     []token.Amount
		digits int
	}{{long, 12}, {large, 12}, {large[:1:1], 12}, {[]token.Amount{a.FromInt64Units(1000), a.FromInt64Units(-1100)}, 20}} {
		var s fastSolver
		if _, ok := s.irr(tc.am, tc.digits); ok {
			t.Errorf("%d rounds to %d digits: the fast path did not step aside", len(tc.am), tc.digits)
		}
		f, _ := NewFlows(tc.am...)
		if checkSolvable("IRR", f, tc.digits) != nil {
			continue
		}
		if res, err := IRR(f, tc.digits); err != nil || res.Kind() == Unsolved {
			t.Errorf("%d rounds: %v %v", len(tc.am), res, err)
		}
	}
}
