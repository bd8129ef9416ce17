package zerotest

import (
	"encoding/json"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// recorder is a testing.TB that records failures instead of failing the test.
type recorder struct {
	testing.TB // the real test, for everything not overridden
	errors     []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	panic("Fatalf called")
}

// safe has methods of every shape, none of which panics on its zero value.
type safe struct {
	n     int
	items map[string]int
	next  *safe
}

func (s safe) Value() int                           { return s.n }
func (s *safe) Pointer() int                        { return s.n + len(s.items) }
func (s *safe) Args(k string, m map[string]int) int { return len(k) + len(m) + s.items[k] }
func (s *safe) Variadic(xs ...int) int              { return len(xs) }
func (s *safe) Named(f func(int) int, p *int) bool  { return f == nil && p == nil }
func (s *safe) Next() *safe                         { return s.next }
func (s *safe) Items() iter.Seq2[string, int] {
	return func(yield func(string, int) bool) {
		for k, v := range s.items {
			if !yield(k, v) {
				return
			}
		}
	}
}

// Forever returns an endless iterator: CallMethods must stop taking values from it.
func (s *safe) Forever() iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; ; i++ {
			if !yield(i) {
				return
			}
		}
	}
}

// NilSeq returns a nil iterator, which CallMethods must not call.
func (s *safe) NilSeq() iter.Seq[int] { return nil }

// unsafe has methods that panic on its zero value, in every way CallMethods must catch.
type unsafe struct {
	items map[string]int
	list  []int
	next  *unsafe
}

func (u *unsafe) Write()               { u.items["a"] = 1 } // nil map write
func (u *unsafe) Deref() int           { return len(u.next.list) }
func (u *unsafe) First(xs ...int) int  { return xs[0] } // nil variadic slice
func (u *unsafe) Div(d int) int        { return 1 / d }
func (u *unsafe) Fine() int            { return len(u.list) }
func (u *unsafe) MustSomething() error { panic("documented to panic") }
func (u *unsafe) Values() iter.Seq[int] {
	return func(yield func(int) bool) { yield(u.list[0]) }
}

func TestCallMethodsPassesASafeType(t *testing.T) {
	var r recorder
	r.TB = t
	CallMethods(&r, &safe{})
	CallMethods(&r, safe{})
	if len(r.errors) != 0 {
		t.Errorf("CallMethods reported a safe type: %q", r.errors)
	}
	CallMethods(t, &safe{}) // and the real test passes too
}

func TestCallMethodsCatchesPanics(t *testing.T) {
	var r recorder
	r.TB = t
	CallMethods(&r, &unsafe{}, "MustSomething")
	got := strings.Join(r.errors, "\n")
	for _, want := range []string{
		"(*zerotest.unsafe).Write on the zero value panics: assignment to entry in nil map",
		"(*zerotest.unsafe).Deref on the zero value panics: runtime error: invalid memory address or nil pointer dereference",
		"(*zerotest.unsafe).First on the zero value panics: runtime error: index out of range [0] with length 0",
		"(*zerotest.unsafe).Div on the zero value panics: runtime error: integer divide by zero",
		"(*zerotest.unsafe).Values on the zero value returns an iterator that panics: runtime error: index out of range [0] with length 0",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("CallMethods did not report %q; it reported:\n%s", want, got)
		}
	}
	if len(r.errors) != 5 {
		t.Errorf("CallMethods reported %d failures, want 5:\n%s", len(r.errors), got)
	}
	if strings.Contains(got, "Fine") || strings.Contains(got, "MustSomething") {
		t.Errorf("CallMethods reported a safe or skipped method:\n%s", got)
	}
}

func TestCallMethodsSkipsNothingUnasked(t *testing.T) {
	var r recorder
	r.TB = t
	CallMethods(&r, &unsafe{})
	if got := strings.Join(r.errors, "\n"); !strings.Contains(got, "MustSomething on the zero value panics: documented to panic") {
		t.Errorf("CallMethods without skip did not call MustSomething:\n%s", got)
	}
}

func TestCallMethodsNil(t *testing.T) {
	var r recorder
	r.TB = t
	CallMethods(&r, nil)
	if len(r.errors) != 1 {
		t.Errorf("CallMethods(nil) reported %q, want one failure", r.errors)
	}
}

// shopspringGlobals is a copy of every package setting of shopspring/decimal.
type shopspringGlobals struct {
	div, pow, exp     int
	dec               int
	quotes, trim, sci bool
}

func readGlobals() shopspringGlobals {
	return shopspringGlobals{
		div: int(decimal.DivisionPrecision), pow: int(decimal.PowPrecisionNegativeExponent),
		exp: int(decimal.ExpMaxIterations), dec: int(decimal.MaxDecodeExponent),
		quotes: decimal.MarshalJSONWithoutQuotes, trim: decimal.TrimTrailingZeros, sci: decimal.UseScientificNotation,
	}
}

func TestWithShopspringGlobalsChangesEverySetting(t *testing.T) {
	before := readGlobals()
	var inside shopspringGlobals
	var text, js string
	WithShopspringGlobals(t, func() {
		inside = readGlobals()
		d := decimal.RequireFromString("1.50")
		b, _ := json.Marshal(d)
		text, js = d.String(), string(b)
	})
	if inside.div == before.div || inside.pow == before.pow || inside.exp == before.exp || inside.dec == before.dec ||
		inside.quotes == before.quotes || inside.trim == before.trim || inside.sci == before.sci {
		t.Errorf("some setting kept its value: before %+v, inside %+v", before, inside)
	}
	if after := readGlobals(); after != before {
		t.Errorf("settings not restored: before %+v, after %+v", before, after)
	}
	if text != "1.50" || js != "1.50" {
		t.Errorf("inside, 1.50 prints %s and encodes %s; want the changed settings to show (1.50, 1.50)", text, js)
	}
	if d := decimal.RequireFromString("1.50"); d.String() != "1.5" {
		t.Errorf("after, 1.50 prints %s, want the default 1.5", d.String())
	}
}

func TestWithShopspringGlobalsRestoresAfterPanic(t *testing.T) {
	before := readGlobals()
	func() {
		defer func() { _ = recover() }()
		WithShopspringGlobals(t, func() { panic("boom") })
	}()
	if after := readGlobals(); after != before {
		t.Errorf("settings not restored after a panic: before %+v, after %+v", before, after)
	}
}
