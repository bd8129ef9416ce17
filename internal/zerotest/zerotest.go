// Package zerotest holds test helpers shared by the library's packages: one that calls every
// exported method of a value with zero arguments and fails on any panic (the zero-value
// guarantee), and one that runs code with every shopspring/decimal package setting changed
// (the guarantee that no output depends on an importer's settings).
package zerotest

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
)

// CallMethods calls every exported method of v (usually a pointer to a zero value) with
// zero-valued arguments, and fails t for every method that panics. When a method returns an
// iterator (a func(yield func(...) bool), such as iter.Seq), CallMethods also ranges over it
// (at most maxYields values) and fails t if that panics. Methods named in skip are not
// called (a Must function, say, documented to panic).
func CallMethods(t testing.TB, v any, skip ...string) {
	t.Helper()
	if v == nil {
		t.Errorf("zerotest.CallMethods: nil value")
		return
	}
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	skipped := make(map[string]bool, len(skip))
	for _, s := range skip {
		skipped[s] = true
	}
	for i := range rt.NumMethod() {
		m := rt.Method(i)
		if skipped[m.Name] {
			continue
		}
		ft := m.Func.Type()
		args := []reflect.Value{rv}
		for j := 1; j < ft.NumIn(); j++ {
			args = append(args, reflect.Zero(ft.In(j))) // the variadic slice is nil
		}
		out, msg := call(m.Func, args)
		if msg != "" {
			t.Errorf("(%s).%s on the zero value panics: %s", rt, m.Name, msg)
			continue
		}
		for _, o := range out {
			if msg := drain(o); msg != "" {
				t.Errorf("(%s).%s on the zero value returns an iterator that panics: %s", rt, m.Name, msg)
			}
		}
	}
}

// maxYields bounds how many values CallMethods takes from an iterator.
const maxYields = 1000

// call calls f with args (the last one is the variadic slice, if any) and returns its results,
// or the panic's message.
func call(f reflect.Value, args []reflect.Value) (out []reflect.Value, msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
			if msg == "" {
				msg = "(empty panic value)"
			}
		}
	}()
	if f.Type().IsVariadic() {
		return f.CallSlice(args), ""
	}
	return f.Call(args), ""
}

// drain ranges over o when it is a non-nil iterator, and returns the message of a panic.
func drain(o reflect.Value) string {
	ot := o.Type()
	if ot.Kind() != reflect.Func || o.IsNil() || ot.NumIn() != 1 || ot.NumOut() != 0 {
		return ""
	}
	yt := ot.In(0)
	if yt.Kind() != reflect.Func || yt.NumOut() != 1 || yt.Out(0).Kind() != reflect.Bool {
		return ""
	}
	n := 0
	yield := reflect.MakeFunc(yt, func([]reflect.Value) []reflect.Value {
		n++
		return []reflect.Value{reflect.ValueOf(n < maxYields).Convert(yt.Out(0))}
	})
	_, msg := call(o, []reflect.Value{yield})
	return msg
}

// WithShopspringGlobals runs fn with every package setting of shopspring/decimal set to a
// value other than its default, and restores them afterwards. Tests that use it must not run
// in parallel with tests that read decimals.
func WithShopspringGlobals(t testing.TB, fn func()) {
	t.Helper()
	div, quotes, trim, sci, pow, dec, exp := decimal.DivisionPrecision, decimal.MarshalJSONWithoutQuotes,
		decimal.TrimTrailingZeros, decimal.UseScientificNotation, decimal.PowPrecisionNegativeExponent,
		decimal.MaxDecodeExponent, decimal.ExpMaxIterations
	defer func() {
		decimal.DivisionPrecision, decimal.MarshalJSONWithoutQuotes, decimal.TrimTrailingZeros, decimal.UseScientificNotation,
			decimal.PowPrecisionNegativeExponent, decimal.MaxDecodeExponent, decimal.ExpMaxIterations = div, quotes, trim, sci, pow, dec, exp
	}()
	decimal.DivisionPrecision = 2
	decimal.MarshalJSONWithoutQuotes = !quotes
	decimal.TrimTrailingZeros = !trim
	decimal.UseScientificNotation = !sci
	decimal.PowPrecisionNegativeExponent = 3
	decimal.MaxDecodeExponent = 40
	decimal.ExpMaxIterations = 10
	fn()
}
