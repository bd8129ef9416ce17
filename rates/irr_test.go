package rates_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/rates"
)

// TestIRRCases solves flows whose roots are known: exact roots at 0% (every member of a
// circle without discounts), repeated roots, roots at the rates the solver samples, and flows
// with no root or one.
func TestIRRCases(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flows []int64
		roots []string // three decimals, with multiplicity when above 1
	}{
		// The middle winner of a circle without discounts: its NPV touches zero at 0%.
		{"lottery winner of round 3 of 5", []int64{-100, -100, 400, -100, -100}, []string{"0.000% exact x2"}},
		{"lottery winner of round 2 of 5", []int64{-100, 400, -100, -100, -100}, []string{"0.000% exact", "262.737%"}},
		{"lottery winner of round 1", []int64{400, -100, -100, -100, -100}, []string{"0.000% exact"}},
		{"a double root at 0%", []int64{1, -2, 1}, []string{"0.000% exact x2"}},
		{"a triple root at 0%", []int64{-1, 3, -3, 1}, []string{"0.000% exact x3"}},
		// (2y - 1)^2 (4y - 5): y = 1/2 twice and 5/4, both at sample rates.
		{"roots at sampled rates", []int64{16, -36, 24, -5}, []string{"-50.000% exact x2", "25.000% exact"}},
		{"roots 2.01% apart", []int64{-10000, 20201, -10201}, []string{"0.000% exact", "2.010%"}},
		{"one flow", []int64{0, -7, 0}, nil},
		{"no sign change", []int64{-1, -2, -3}, nil},
		{"a loan at 10%", []int64{1000, -1100}, []string{"10.000%"}},
		{"a loan at 100%", []int64{1000, -2000}, []string{"100.000% exact"}},
		{"zeros around", []int64{0, 0, -100, 0, 121, 0}, []string{"10.000%"}},
	} {
		res, err := rates.IRR(rupees(t, tc.flows...), 12)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, r := range res.Roots() {
			s := r.Percent(3, rates.HalfEven)
			if r.Exact() {
				s += " exact"
			}
			if r.Multiplicity() > 1 {
				s += " x" + string(rune('0'+r.Multiplicity()))
			}
			got = append(got, s)
		}
		if len(got) != len(tc.roots) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.roots)
			continue
		}
		for i := range got {
			if got[i] != tc.roots[i] {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.roots)
				break
			}
		}
	}
}

func TestIRRResultText(t *testing.T) {
	for _, tc := range []struct {
		flows []int64
		text  string
	}{
		{[]int64{-1, -1}, "no root"},
		{[]int64{1000, -1100}, "one root: 10.000%"},
		{[]int64{-10000, 20201, -10201}, "2 roots: 0.000%, 2.010%"},
		{[]int64{-1, 6, -11, 6}, "3 roots: 0.000%, 100.000%, 200.000%"}, // -(y - 1)(y - 2)(y - 3), y = 1 + r
	} {
		res, err := rates.IRR(rupees(t, tc.flows...), 9)
		if err != nil || res.String() != tc.text {
			t.Errorf("%v: %q %v, want %q", tc.flows, res.String(), err, tc.text)
		}
	}
	// A root prints no more decimals than its interval determines.
	for digits, want := range map[int]string{1: "one root: 9%", 3: "one root: 10.0%", 4: "one root: 10.00%", 5: "one root: 10.000%"} {
		res, _ := rates.IRR(rupees(t, 1000, -1100), digits)
		if res.String() != want {
			t.Errorf("%d digits: %s, want %s", digits, res, want)
		}
	}
	r, _ := rates.IRR(rupees(t, 1000, -1100), 9)
	root, _ := r.Unique()
	if f := root.Float64(); f < 0.1-1e-9 || f > 0.1+1e-9 || !root.Contains(rates.MustRate(1, 10)) || root.Exact() {
		t.Errorf("root %v", root.Float64())
	}
}

func TestMIRRText(t *testing.T) {
	one := rates.MustRate(1, 100)
	m, err := rates.MIRR(rupees(t, -1, 2, -1), one, one, 9) // running totals -1, 1: balanced
	if err != nil || m.Role() != rates.Balanced || m.String() != "balanced, earning "+m.Return().String()+" a round" || m.Rate() != m.Return() {
		t.Errorf("%v %v", m, err)
	}
	// With no interest, a borrower's cost is the inverse of its return: (1+c)(1+r) = 1.
	m, _ = rates.MIRR(rupees(t, 100, -121), rates.Rate{}, rates.Rate{}, 9)
	if m.Role() != rates.Borrower || m.Cost().Percent(3, rates.HalfEven) != "21.000%" || m.Return().Percent(3, rates.HalfEven) != "-17.355%" {
		t.Errorf("%v: return %s cost %s", m.Role(), m.Return(), m.Cost())
	}
}
