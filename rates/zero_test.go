package rates_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/rates"
)

// TestZeroValues calls every exported method of the zero value of every exported type, by
// pointer and by value, and checks the documented behaviour of the zero values.
func TestZeroValues(t *testing.T) {
	for _, v := range []any{
		&rates.Rate{}, rates.Rate{},
		&rates.Flow{}, rates.Flow{},
		&rates.Flows{}, rates.Flows{},
		&rates.Value{}, rates.Value{},
		&rates.Root{}, rates.Root{},
		&rates.IRRResult{}, rates.IRRResult{},
		&rates.MIRRResult{}, rates.MIRRResult{},
		new(rates.Rounding), rates.Rounding(0),
		new(rates.Kind), rates.Kind(0),
		new(rates.Role), rates.Role(0),
		&rates.Error{},
		&rates.Solver{}, (*rates.Solver)(nil),
	} {
		zerotest.CallMethods(t, v)
	}
	// The zero Rate is 0%.
	var r rates.Rate
	if !r.IsZero() || r.String() != "0%" || r.Percent(2, rates.HalfEven) != "0.00%" || r.Rat().Sign() != 0 || r.Float64() != 0 {
		t.Errorf("zero Rate: %s", r)
	}
	// The zero Flows has no round and is refused.
	var f rates.Flows
	if f.Len() != 0 || f.Asset().IsValid() || f.Amount(1).IsValid() || !f.At(1).IsZero() || f.SignChanges() != 0 || f.Norstrom() {
		t.Errorf("zero Flows: %d rounds", f.Len())
	}
	if _, err := rates.IRR(f, 9); !errors.Is(err, rates.ErrNoFlows) {
		t.Errorf("IRR of the zero Flows: %v", err)
	}
	// The zero Value is zero of no asset.
	var v rates.Value
	if a, err := v.Round(rates.Floor); a.IsValid() || err != nil || v.Sign() != 0 || v.String() != "(no value)" || v.Rat().Sign() != 0 {
		t.Errorf("zero Value: %v %v", a, err)
	}
	// The zero Root is the point 0% of multiplicity 0.
	var root rates.Root
	if !root.Exact() || root.Multiplicity() != 0 || root.String() != "0.000%" || !root.Contains(rates.Rate{}) {
		t.Errorf("zero Root: %s", root)
	}
	// The zero results are unsolved and unclassified, with no figure.
	var res rates.IRRResult
	if _, ok := res.Unique(); ok || res.Kind() != rates.Unsolved || res.Count() != 0 || res.String() != "unsolved" {
		t.Errorf("zero IRRResult: %s", res)
	}
	var m rates.MIRRResult
	if m.Role() != rates.Unclassified || m.String() != "unclassified" || !m.Rate().Exact() {
		t.Errorf("zero MIRRResult: %s", m)
	}
	// Zero-valued enums and values outside the constants.
	if rates.Rounding(0) != rates.HalfEven || rates.Rounding(200).String() != "half_even" ||
		rates.Kind(9).String() != "unsolved" || rates.Role(9).String() != "unclassified" {
		t.Error("enum zero values or names")
	}
	if got := rates.MustRate(5, 1000).Percent(0, rates.Rounding(200)); got != "0%" { // 0.5% to even
		t.Errorf("out-of-range rounding: %s", got)
	}
}

// TestConcurrentUse runs every computation on shared values from 8 goroutines, for the race
// detector: the package's values are immutable and its functions keep no shared state.
func TestConcurrentUse(t *testing.T) {
	f := rupees(t, chitFlows["A"]...)
	one := rates.MustRate(1, 100)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				res, err := rates.IRR(f, 12)
				if err != nil || res.Count() != 2 {
					t.Errorf("IRR: %v %v", res, err)
				}
				v, _ := rates.NPV(f, one)
				_, _ = v.Round(rates.HalfEven)
				m, _ := rates.MIRR(f, one, one, 9)
				_ = m.String() + res.String() + one.String() + f.Amount(2).String()
				for fl := range f.All() {
					_ = fl
				}
			}
		})
	}
	wg.Wait()
}
