package simulate_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

// TestAmountsBeyondInt64: circles whose contributions, pots and flows do not fit an int64 of
// minor units (a contribution of 10^21 units) give the records of the same strategies
// wrapped as the user's own, read from the circle's positions; and their nets still add up.
func TestAmountsBeyondInt64(t *testing.T) {
	wei, err := token.NewAsset("WEI", 18)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []rosca.Kind{rosca.Lottery, rosca.Bidding} {
		sc := mixed(kind, 12, 3)
		sc.Circle.Asset, sc.Circle.Contribution = wei, wei.MustParse("1000")
		sc.NPV, sc.MIRR = true, true
		for i := range sc.Members {
			if i%3 == 0 {
				sc.Members[i].Payer = simulate.Part{Share: token.MustRatio(9, 10)}
			}
		}
		for run := range sc.Circles {
			c1, m1, err1 := simulate.RunOne(sc, run)
			c2, m2, err2 := simulate.RunOne(wrapped(sc), run)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s run %d: %v, %v", kind, run, err1, err2)
			}
			if a, b := string(c1.AppendJSON(nil)), string(c2.AppendJSON(nil)); a != b {
				t.Fatalf("%s run %d: circle\n%s\nwrapped\n%s", kind, run, a, b)
			}
			total := wei.Zero()
			for k := range m1 {
				if a, b := string(m1[k].AppendJSON(nil)), string(m2[k].AppendJSON(nil)); a != b {
					t.Fatalf("%s run %d seat %d:\n%s\nwrapped\n%s", kind, run, k, a, b)
				}
				if _, ok := m1[k].Contributed.Int64Units(); ok {
					t.Fatalf("%s run %d seat %d: contributed %s fits an int64", kind, run, k, m1[k].Contributed)
				}
				total, _ = total.Add(m1[k].Net)
			}
			for _, x := range []token.Amount{c1.Fees, c1.Remainder, c1.Unclaimed} {
				total, _ = total.Add(x)
			}
			if !total.IsZero() {
				t.Fatalf("%s run %d: nets + fees + remainder + unclaimed = %s", kind, run, total)
			}
			if kind == rosca.Bidding && m1[0].IRR.Count() == 0 && m1[1].IRR.Count() == 0 {
				t.Fatalf("%s run %d: no rate of return", kind, run)
			}
		}
	}
}
