package rosca

import (
	"reflect"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// TestResultIntoSetsEveryField guards resultInto, which writes a result field by field:
// a result filled with other values beforehand must come out as one built from zero, so a
// field added to RoundResult and not written there fails here.
func TestResultIntoSetsEveryField(t *testing.T) {
	c := testCircle(t, token.MustRatio(2, 1000))
	start := c.terms.cfg.Start
	for _, m := range c.terms.cfg.Members {
		if err := c.Contribute(start, m, c.terms.cfg.Contribution); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.CloseRound(start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var want RoundResult
	rr := c.round(0)
	c.resultInto(0, &rr, &want)

	var dirty RoundResult
	v := reflect.ValueOf(&dirty).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Int:
			f.SetInt(-7)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.String:
			f.SetString("stale")
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.Struct: // token.Amount
			f.Set(reflect.ValueOf(token.BTC().FromInt64Units(99)))
		default:
			t.Fatalf("field %s: kind %s not covered by this test", v.Type().Field(i).Name, f.Kind())
		}
	}
	c.resultInto(0, &rr, &dirty)
	if !reflect.DeepEqual(dirty, want) {
		t.Fatalf("resultInto left stale fields:\n got %+v\nwant %+v", dirty, want)
	}
}
