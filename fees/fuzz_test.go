package fees_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

// FuzzRateText: any text either decodes to a valid rate that re-encodes and decodes to the
// same value, or is rejected with token.ErrInvalidRatio, leaving the target unchanged.
func FuzzRateText(f *testing.F) {
	for _, s := range []string{"2/1000", "0/1", "1/1", "3/2", "-1/5", "1/0", "a/b", "", "/", "7", "1/3/4", "+1/2",
		"9223372036854775807/9223372036854775807", "0.2%", "100%", "100.1%", "0", "1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sentinel := token.MustRatio(1, 7)
		r := sentinel
		err := r.UnmarshalText([]byte(s))
		if err != nil {
			if !errors.Is(err, token.ErrInvalidRatio) || !r.Equal(sentinel) || r.String() != "1/7" {
				t.Fatalf("%q: %v, value now %s", s, err, r)
			}
			return
		}
		if r.Num() > r.Den() || r.Den() == 0 {
			t.Fatalf("%q decoded to invalid %s", s, r)
		}
		b, _ := r.MarshalText()
		var back token.Ratio
		if err := back.UnmarshalText(b); err != nil || !back.Equal(r) {
			t.Fatalf("%q -> %s -> %s %v", s, b, back, err)
		}
		// Every valid rate is a valid cap for itself and applies without error.
		if err := fees.CheckCap(r, r); err != nil {
			t.Fatal(err)
		}
		if _, _, err := fees.Apply(r, token.TRST().FromInt64Units(1951)); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzPolicyJSON: any JSON either decodes to a valid policy whose encoding decodes to an
// equal policy, or is rejected with a *fees.Error; a decoded policy answers every lookup
// without error.
func FuzzPolicyJSON(f *testing.F) {
	b, _ := json.Marshal(fees.WeTrustPlatformPolicy())
	f.Add(string(b))
	f.Add(`{"v":1,"rules":[],"otherwise":"0%"}`)
	f.Add(`{"v":1,"rules":[{"min_members":7,"max_members":6,"rate":"0%"}]}`)
	f.Add(`{"v":1,"rules":[{"asset":{"symbol":"ETH","decimals":18},"rate":"1/2"}],"otherwise":"1/3"}`)
	f.Add(`{"rules":[],"otherwise":"0/1"}`)
	f.Add(`null`)
	f.Add(`{`)
	f.Fuzz(func(t *testing.T, s string) {
		var p fees.Policy
		if err := json.Unmarshal([]byte(s), &p); err != nil {
			return
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var q fees.Policy
		if err := json.Unmarshal(b, &q); err != nil || !q.Equal(p) {
			t.Fatalf("%s -> %s: %v", s, b, err)
		}
		for _, n := range []int{1, 5, 6, 300} {
			if _, _, err := p.Lookup(fees.Circle{Asset: token.TRST(), Members: n}); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzPolicyUnmarshalErrors: UnmarshalJSON called directly either succeeds or returns a
// *fees.Error with a fees or token code, and leaves the policy unchanged on error.
func FuzzPolicyUnmarshalErrors(f *testing.F) {
	f.Add(`{"v":1,"rules":[],"otherwise":"0%"} x`)
	f.Add(`{"v":1,"rules":[{"rate":"0%","min_members":-1}],"otherwise":"0%"}`)
	f.Add(`{"v":3}`)
	f.Fuzz(func(t *testing.T, s string) {
		p := fees.WeTrustPlatformPolicy()
		err := p.UnmarshalJSON([]byte(s))
		if err == nil {
			return
		}
		e, ok := errors.AsType[*fees.Error](err)
		if !ok || e.Code() == "" || !p.Equal(fees.WeTrustPlatformPolicy()) {
			t.Fatalf("%q: %T %v", s, err, err)
		}
	})
}
