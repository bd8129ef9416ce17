package fees_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestSplitFee(t *testing.T) {
	trst := token.TRST()
	shares := []fees.Share{
		{Account: "foreperson", Weight: d("2")},
		{Account: "platform", Weight: d("1")},
	}
	// 1.000001 TRST = 1000001 units: 2/3 is 666667.33 -> 666667, 1/3 is 333333.67 -> 333333,
	// one unit left over goes to the larger remainder (the platform's .67).
	parts, err := fees.SplitFee(trst, d("1.000001"), shares, token.LargestRemainder())
	if err != nil {
		t.Fatal(err)
	}
	want := []fees.Part{{Account: "foreperson", Amount: d("0.666667")}, {Account: "platform", Amount: d("0.333334")}}
	if diff := cmp.Diff(want, parts); diff != "" {
		t.Fatalf("largest remainder (-want +got):\n%s", diff)
	}
	// The same with every leftover unit to the foreperson.
	parts, err = fees.Split{Shares: shares, Remainder: token.RemainderTo(0)}.Apply(trst, d("1.000001"))
	if err != nil {
		t.Fatal(err)
	}
	want = []fees.Part{{Account: "foreperson", Amount: d("0.666668")}, {Account: "platform", Amount: d("0.333333")}}
	if diff := cmp.Diff(want, parts); diff != "" {
		t.Fatalf("remainder to 0 (-want +got):\n%s", diff)
	}
	// A zero weight gets nothing, even with units left over.
	parts, err = fees.SplitFee(trst, d("0.000005"), []fees.Share{
		{Account: "a", Weight: d("1")}, {Account: "b", Weight: d("0")}, {Account: "c", Weight: d("1")},
	}, token.LargestRemainder())
	if err != nil {
		t.Fatal(err)
	}
	want = []fees.Part{{Account: "a", Amount: d("0.000003")}, {Account: "b", Amount: d("0")}, {Account: "c", Amount: d("0.000002")}}
	if diff := cmp.Diff(want, parts); diff != "" {
		t.Fatalf("zero weight (-want +got):\n%s", diff)
	}
}

func TestSplitErrors(t *testing.T) {
	trst := token.TRST()
	one := d("1")
	for _, c := range []struct {
		name   string
		split  fees.Split
		index  int
		reason string
		cause  error
	}{
		{"none", fees.Split{}, -1, "no shares", nil},
		{"bad account", fees.Split{Shares: []fees.Share{{Account: "a", Weight: one}, {Account: "b c", Weight: one}}}, 1, "invalid account", token.ErrInvalidAccount},
		{"twice", fees.Split{Shares: []fees.Share{{Account: "a", Weight: one}, {Account: "a", Weight: one}}}, 1, "account appears twice", nil},
		{"negative", fees.Split{Shares: []fees.Share{{Account: "a", Weight: d("-1")}}}, 0, "negative weight -1", nil},
		{"all zero", fees.Split{Shares: []fees.Share{{Account: "a"}, {Account: "b"}}}, -1, "all weights are zero", nil},
		{"remainder out of range", fees.Split{Shares: []fees.Share{{Account: "a", Weight: one}}, Remainder: token.RemainderTo(3)}, -1, `remainder policy "remainder to index 3"`, token.ErrInvalidSplit},
		{"remainder to zero weight", fees.Split{Shares: []fees.Share{{Account: "a", Weight: one}, {Account: "b"}}, Remainder: token.RemainderTo(1)}, -1, `remainder policy "remainder to index 1"`, token.ErrInvalidSplit},
	} {
		_, err := c.split.Apply(trst, d("1"))
		var se *fees.ShareError
		if !errors.Is(err, fees.ErrInvalidShares) || !errors.As(err, &se) || se.Index != c.index || se.Reason != c.reason {
			t.Errorf("%s: %v (%+v)", c.name, err, se)
			continue
		}
		if c.cause != nil && !errors.Is(err, c.cause) {
			t.Errorf("%s: %v does not wrap %v", c.name, err, c.cause)
		}
	}
	ok := fees.Split{Shares: []fees.Share{{Account: "a", Weight: one}}}
	if _, err := ok.Apply(trst, d("-1")); !errors.Is(err, token.ErrNegativeAmount) {
		t.Errorf("negative fee: %v", err)
	}
	if _, err := ok.Apply(trst, d("0.0000001")); !errors.Is(err, token.ErrSubUnitAmount) {
		t.Errorf("sub-unit fee: %v", err)
	}
}
