package fees_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

func trst(s string) token.Amount { return token.TRST().MustParse(s) }

func TestSplitFee(t *testing.T) {
	shares := []fees.Share{
		{Account: "foreperson", Weight: 2},
		{Account: "platform", Weight: 1},
	}
	// 1.000001 TRST = 1000001 units: 2/3 is 666667.33 -> 666667, 1/3 is 333333.67 -> 333333,
	// one unit left over goes to the larger remainder (the platform's .67).
	parts, err := fees.SplitFee(trst("1.000001"), shares, token.LargestRemainder())
	if err != nil {
		t.Fatal(err)
	}
	want := []fees.Part{{Account: "foreperson", Amount: trst("0.666667")}, {Account: "platform", Amount: trst("0.333334")}}
	if diff := cmp.Diff(want, parts); diff != "" {
		t.Fatalf("largest remainder (-want +got):\n%s", diff)
	}
	// The same with every leftover unit to the foreperson.
	parts, err = fees.Split{Shares: shares, Remainder: token.RemainderTo(0)}.Apply(trst("1.000001"))
	if err != nil {
		t.Fatal(err)
	}
	want = []fees.Part{{Account: "foreperson", Amount: trst("0.666668")}, {Account: "platform", Amount: trst("0.333333")}}
	if diff := cmp.Diff(want, parts); diff != "" {
		t.Fatalf("remainder to 0 (-want +got):\n%s", diff)
	}
	// A zero weight gets nothing, even with units left over.
	parts, err = fees.SplitFee(trst("0.000005"), []fees.Share{
		{Account: "a", Weight: 1}, {Account: "b", Weight: 0}, {Account: "c", Weight: 1},
	}, token.LargestRemainder())
	if err != nil {
		t.Fatal(err)
	}
	want = []fees.Part{{Account: "a", Amount: trst("0.000003")}, {Account: "b", Amount: trst("0")}, {Account: "c", Amount: trst("0.000002")}}
	if diff := cmp.Diff(want, parts); diff != "" {
		t.Fatalf("zero weight (-want +got):\n%s", diff)
	}
	// The package documentation's figures: 0.000005 TRST split 1:1 is 0.000003 and 0.000002.
	parts, err = fees.SplitFee(trst("0.000005"), []fees.Share{{Account: "foreperson", Weight: 1}, {Account: "platform", Weight: 1}}, token.LargestRemainder())
	if err != nil || !parts[0].Amount.Equal(trst("0.000003")) || !parts[1].Amount.Equal(trst("0.000002")) {
		t.Fatalf("1:1 split: %v %v", parts, err)
	}
	// Weights near the top of uint64 are exact too.
	parts, err = fees.SplitFee(trst("0.000003"), []fees.Share{
		{Account: "a", Weight: 1<<64 - 1}, {Account: "b", Weight: 1<<64 - 1}, {Account: "c", Weight: 1<<64 - 1},
	}, token.LargestRemainder())
	if err != nil || !parts[0].Amount.Equal(trst("0.000001")) || !parts[2].Amount.Equal(trst("0.000001")) {
		t.Fatalf("huge weights: %v %v", parts, err)
	}
}

func TestSplitErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		split  fees.Split
		detail string // a prefix of the error's detail
		cause  error
	}{
		{"none", fees.Split{}, "no shares", nil},
		{"bad account", fees.Split{Shares: []fees.Share{{Account: "a", Weight: 1}, {Account: "b c", Weight: 1}}}, "share 1: invalid account", token.ErrInvalidAccount},
		{"twice", fees.Split{Shares: []fees.Share{{Account: "a", Weight: 1}, {Account: "a", Weight: 1}}}, "share 1: account appears twice", nil},
		{"all zero", fees.Split{Shares: []fees.Share{{Account: "a"}, {Account: "b"}}}, "all weights are zero", nil},
		{"remainder out of range", fees.Split{Shares: []fees.Share{{Account: "a", Weight: 1}}, Remainder: token.RemainderTo(3)}, `remainder policy "remainder to index 3"`, token.ErrInvalidSplit},
		{"remainder to zero weight", fees.Split{Shares: []fees.Share{{Account: "a", Weight: 1}, {Account: "b"}}, Remainder: token.RemainderTo(1)}, `remainder policy "remainder to index 1"`, token.ErrInvalidSplit},
	} {
		_, err := c.split.Apply(trst("1"))
		var e *fees.Error
		if !errors.Is(err, fees.ErrInvalidShares) || !errors.As(err, &e) || !strings.HasPrefix(e.Detail, c.detail) || e.Op != "Split" {
			t.Errorf("%s: %v (%+v)", c.name, err, e)
			continue
		}
		if c.cause != nil && !errors.Is(err, c.cause) {
			t.Errorf("%s: %v does not wrap %v", c.name, err, c.cause)
		}
		if code := e.Code(); code != "fees.invalid_shares" {
			t.Errorf("%s: code %q", c.name, code)
		}
	}
	ok := fees.Split{Shares: []fees.Share{{Account: "a", Weight: 1}}}
	if _, err := ok.Apply(token.TRST().FromInt64Units(-1)); !errors.Is(err, token.ErrNegativeAmount) {
		t.Errorf("negative fee: %v", err)
	}
	if _, err := ok.Apply(token.Amount{}); !errors.Is(err, token.ErrInvalidAsset) {
		t.Errorf("no fee: %v", err)
	}
}
