package rates_test

import (
	"errors"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/token"
)

func sameRoot(a, b rates.Root) bool {
	return a.Lo().Equal(b.Lo()) && a.Hi().Equal(b.Hi()) && a.Multiplicity() == b.Multiplicity() && a.Exact() == b.Exact()
}

// TestRapidSolver: a Solver reused over many members returns what the package's functions
// return on the same flows: IRR, NPV rounded to the minor unit, and MIRR (role, return and
// cost), and the same errors.
func TestRapidSolver(t *testing.T) {
	var s rates.Solver // reused across the checks, as a simulation reuses it
	rapid.Check(t, func(t *rapid.T) {
		u := genUnits().Draw(t, "flows")
		am := make([]token.Amount, len(u))
		for i, x := range u {
			am[i] = inr(t).FromInt64Units(x)
		}
		f := flowsOfUnits(t, u, 1)
		digits := rapid.IntRange(1, 22).Draw(t, "digits")
		want, werr := rates.IRR(f, digits)
		got, err := s.IRR(am, digits)
		if !errors.Is(err, errors.Unwrap(werr)) || err == nil != (werr == nil) || got.String() != want.String() || got.Count() != want.Count() {
			t.Fatalf("IRR %v %v, want %v %v", got, err, want, werr)
		}
		for i, w := range want.Roots() {
			if g, _ := got.Root(i); !sameRoot(g, w) {
				t.Fatalf("root %d differs", i)
			}
		}
		per := rapid.Int64Range(1, 1000).Draw(t, "per")
		r := rates.MustRate(rapid.Int64Range(1-per, 3*per).Draw(t, "rate"), per)
		mode := rates.Rounding(rapid.IntRange(0, 5).Draw(t, "rounding"))
		v, _ := rates.NPV(f, r)
		wantNPV, _ := v.Round(mode)
		gotNPV, err := s.NPV(am, r, mode)
		if err != nil || !gotNPV.Equal(wantNPV) {
			t.Fatalf("NPV at %s: %v %v, want %v", r, gotNPV, err, wantNPV)
		}
		fin := rates.MustRate(rapid.Int64Range(-500, 500).Draw(t, "finance"), 1000)
		re := rates.MustRate(rapid.Int64Range(-500, 500).Draw(t, "reinvest"), 1000)
		wm, werr := rates.MIRR(f, fin, re, digits)
		gm, err := s.MIRR(am, fin, re, digits)
		if err == nil != (werr == nil) || err != nil && err.Error() != werr.Error() {
			t.Fatalf("MIRR error %v, want %v", err, werr)
		}
		if gm.Role() != wm.Role() || !sameRoot(gm.Return(), wm.Return()) || !sameRoot(gm.Cost(), wm.Cost()) {
			t.Fatalf("MIRR %v [%s %s], want %v [%s %s]", gm, gm.Return().Lo(), gm.Return().Hi(), wm, wm.Return().Lo(), wm.Return().Hi())
		}
	})
}

// TestSolverErrors: the Solver refuses what NewFlows and the functions refuse, and a nil
// Solver computes as the functions do.
func TestSolverErrors(t *testing.T) {
	var s rates.Solver
	usd, _ := token.NewAsset("USD", 2)
	for _, tc := range []struct {
		am   []token.Amount
		want error
	}{
		{nil, rates.ErrNoFlows},
		{[]token.Amount{{}}, token.ErrInvalidAsset},
		{[]token.Amount{usd.FromInt64Units(1), inr(t).FromInt64Units(1)}, token.ErrAssetMismatch},
		{make([]token.Amount, rates.MaxRounds+1), rates.ErrTooManyRounds},
		{[]token.Amount{usd.Zero(), usd.Zero()}, rates.ErrAllZero},
	} {
		if _, err := s.IRR(tc.am, 6); !errors.Is(err, tc.want) {
			t.Errorf("IRR: %v, want %v", err, tc.want)
		}
		if _, err := s.MIRR(tc.am, rates.Rate{}, rates.Rate{}, 6); !errors.Is(err, tc.want) {
			t.Errorf("MIRR: %v, want %v", err, tc.want)
		}
		if tc.want == rates.ErrAllZero {
			continue
		}
		if _, err := s.NPV(tc.am, rates.Rate{}, rates.HalfEven); !errors.Is(err, tc.want) {
			t.Errorf("NPV: %v, want %v", err, tc.want)
		}
	}
	one := []token.Amount{usd.FromInt64Units(-100), usd.FromInt64Units(-100)}
	if _, err := s.MIRR(one, rates.Rate{}, rates.Rate{}, 6); !errors.Is(err, rates.ErrOneSided) {
		t.Errorf("MIRR of payments only: %v", err)
	}
	if _, err := s.IRR(one[:1], 0); !errors.Is(err, rates.ErrInvalidPrecision) {
		t.Errorf("IRR to 0 digits: %v", err)
	}
	var nilSolver *rates.Solver
	loan := []token.Amount{usd.FromInt64Units(1000), usd.FromInt64Units(-1100)}
	if r, err := nilSolver.IRR(loan, 6); err != nil || r.String() != "one root: 10.000%" {
		t.Errorf("nil Solver IRR: %v %v", r, err)
	}
	if v, err := nilSolver.NPV(loan, rates.MustRate(10, 100), rates.HalfEven); err != nil || !v.IsZero() {
		t.Errorf("nil Solver NPV: %v %v", v, err)
	}
	if m, err := nilSolver.MIRR(loan, rates.Rate{}, rates.Rate{}, 6); err != nil || m.Role() != rates.Borrower {
		t.Errorf("nil Solver MIRR: %v %v", m, err)
	}
}

// BenchmarkSolver solves each seat of a ten-round circle in turn with one Solver: IRR to 12
// digits, NPV and MIRR at 1%; one op is one member.
func BenchmarkSolver(b *testing.B) {
	var seats [10][]token.Amount
	for w := range seats {
		f := tenRounds(w + 1)
		for x := range f.All() {
			seats[w] = append(seats[w], x.Amount)
		}
	}
	r := rates.MustRate(1, 100)
	var s rates.Solver
	for _, op := range []string{"IRR", "NPV", "MIRR"} {
		b.Run(op, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				var err error
				switch op {
				case "IRR":
					_, err = s.IRR(seats[i%10], 12)
				case "NPV":
					_, err = s.NPV(seats[i%10], r, rates.HalfEven)
				default:
					_, err = s.MIRR(seats[i%10], r, r, 12)
				}
				if err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
