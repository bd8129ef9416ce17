package fees_test

import (
	"encoding/json"
	"testing"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/token"
)

// TestZeroValues calls every exported method of the zero value of every exported type, by
// pointer and by value, and checks the documented behaviour of the zero values.
func TestZeroValues(t *testing.T) {
	for _, v := range []any{
		&fees.Circle{}, fees.Circle{},
		&fees.Rule{}, fees.Rule{},
		&fees.Policy{}, fees.Policy{},
		&fees.ForepersonFee{}, fees.ForepersonFee{},
		&fees.Share{}, fees.Share{},
		&fees.Part{}, fees.Part{},
		&fees.Split{}, fees.Split{},
		&fees.Error{},
	} {
		zerotest.CallMethods(t, v)
	}
	// The zero Policy charges nothing; the zero ForepersonFee too; the zero Rule matches
	// every circle at 0%; the zero Circle and Split are refused.
	c := fees.Circle{Asset: token.TRST(), Members: 9}
	if r, i, err := (fees.Policy{}).Lookup(c); err != nil || !r.IsZero() || i != -1 {
		t.Errorf("zero Policy: %s %d %v", r, i, err)
	}
	if fee, _, err := (fees.ForepersonFee{}).Apply(token.TRST().MustParse("5")); err != nil || !fee.IsZero() {
		t.Errorf("zero ForepersonFee: %s %v", fee, err)
	}
	if !(fees.Rule{}).Matches(c) || (fees.Rule{}).Validate() != nil {
		t.Errorf("zero Rule")
	}
	if (fees.Circle{}).Validate() == nil || (fees.Split{}).Validate() == nil {
		t.Errorf("zero Circle or Split accepted")
	}
}

// TestEncodingIgnoresShopspringGlobals: the JSON of the package's values is byte-identical
// whatever shopspring/decimal's package settings.
func TestEncodingIgnoresShopspringGlobals(t *testing.T) {
	custom, err := fees.NewPolicy([]fees.Rule{
		{Name: "eth", Asset: token.ETH(), MinMembers: 2, MaxMembers: 40, Rate: token.MustRatio(1, 3)},
	}, token.MustRatio(123, 10000))
	if err != nil {
		t.Fatal(err)
	}
	values := []any{
		fees.WeTrustPlatformPolicy(), custom, fees.Policy{},
		fees.Circle{Asset: token.TRST(), Members: 6},
		fees.Share{Account: "a", Weight: 3},
		fees.Part{Account: "a", Amount: token.ETH().MustParse("0.000000000000000123")},
		[]fees.Part{{Account: "b", Amount: token.TRST().MustParse("1000000")}},
	}
	encode := func() []string {
		var out []string
		for _, v := range values {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
		return out
	}
	before := encode()
	var during []string
	zerotest.WithShopspringGlobals(t, func() { during = encode() })
	for i := range before {
		if before[i] != during[i] {
			t.Errorf("value %d:\n default %s\n changed %s", i, before[i], during[i])
		}
	}
	if before[0] != wetrustPolicyJSON {
		t.Errorf("policy JSON %s", before[0])
	}
	if want := `{"account":"a","amount":"0.000000000000000123 ETH"}`; before[5] != want {
		t.Errorf("part JSON %s, want %s", before[5], want)
	}
}
