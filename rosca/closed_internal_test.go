package rosca

import (
	"math/big"
	"reflect"
	"testing"

	"pgregory.net/rapid"
)

// TestRapidClosedRoundRoundTrip checks the closed rounds' compact form: every round kept
// reads back as it was, whatever its figures' sizes (below and above 2^128) and whether it
// has rarer figures, and a clone that keeps rounds of its own leaves the original's as
// they were.
func TestRapidClosedRoundRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := testCircle(t, WeTrustRules().MaxFee)
		n := rapid.IntRange(1, 8).Draw(t, "rounds")
		var want []roundRec
		for k := range n {
			rr := roundRec{
				round: k + 1, epoch: rapid.IntRange(1, 3).Draw(t, "epoch"), winner: rapid.IntRange(-1, 2).Draw(t, "winner"),
				drawStart: rapid.IntRange(0, 2).Draw(t, "start"), candidates: rapid.IntRange(0, 3).Draw(t, "candidates"),
				recipients: rapid.IntRange(0, 3).Draw(t, "recipients"), debt: rapid.Bool().Draw(t, "debt"),
				method: methodCode(rapid.IntRange(1, len(methods)-1).Draw(t, "method")), remTo: remainderCode(rapid.IntRange(0, len(remainderTos)-1).Draw(t, "remTo")),
			}
			for f, x := range rr.figs() {
				*x = fromBig(drawUnits(t, "fig"+string(rune('0'+f))))
			}
			if rapid.Bool().Draw(t, "ext") {
				rr.x = &roundExt{shortfall: fromBig(drawUnits(t, "shortfall"))}
			}
			c.keep(&rr)
			want = append(want, rr)
		}
		clone := c.Clone()
		extra := roundRec{round: n + 1, bid: fromBig(new(big.Int).Lsh(big.NewInt(1), 200)), x: &roundExt{}}
		clone.keep(&extra)
		for k, w := range want {
			if got := c.round(k); !reflect.DeepEqual(got, w) {
				t.Fatalf("round %d: got %+v, want %+v", k, got, w)
			}
			if got := clone.round(k); !reflect.DeepEqual(got, w) {
				t.Fatalf("clone's round %d: got %+v, want %+v", k, got, w)
			}
		}
		if got := clone.round(n); !reflect.DeepEqual(got, extra) {
			t.Fatalf("clone's own round: got %+v, want %+v", got, extra)
		}
		if len(c.closed) != n {
			t.Fatalf("the clone's round reached the original: %d rounds", len(c.closed))
		}
	})
}
