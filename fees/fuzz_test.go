package fees_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

// FuzzRateText: any text either decodes to a valid rate that re-encodes and decodes to the
// same value, or is rejected with ErrInvalidRate, leaving the target unchanged.
func FuzzRateText(f *testing.F) {
	for _, s := range []string{"2/1000", "0/1", "1/1", "3/2", "-1/5", "1/0", "a/b", "", "/", "7", "1/3/4", "+1/2", "9223372036854775807/9223372036854775807"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sentinel := fees.MustRate(1, 7)
		r := sentinel
		err := r.UnmarshalText([]byte(s))
		if err != nil {
			if !errors.Is(err, fees.ErrInvalidRate) || !r.Equal(sentinel) || r.String() != "1/7" {
				t.Fatalf("%q: %v, value now %s", s, err, r)
			}
			return
		}
		if r.Num() < 0 || r.Num() > r.Den() || r.Den() <= 0 {
			t.Fatalf("%q decoded to invalid %s", s, r)
		}
		b, _ := r.MarshalText()
		var back fees.Rate
		if err := back.UnmarshalText(b); err != nil || !back.Equal(r) {
			t.Fatalf("%q -> %s -> %s %v", s, b, back, err)
		}
	})
}

// FuzzPolicyJSON: any JSON either decodes to a valid policy whose encoding decodes to an
// equal policy, or is rejected; a decoded policy answers every lookup without error.
func FuzzPolicyJSON(f *testing.F) {
	b, _ := json.Marshal(fees.WeTrustPlatformPolicy())
	f.Add(string(b))
	f.Add(`{"rules":[],"otherwise":"0/1"}`)
	f.Add(`{"rules":[{"min_members":7,"max_members":6,"rate":"0/1"}]}`)
	f.Add(`{"rules":[{"asset":{"symbol":"ETH","decimals":18},"rate":"1/2"}],"otherwise":"1/3"}`)
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
