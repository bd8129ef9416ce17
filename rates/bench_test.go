package rates_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/token"
)

// tenRounds returns the flows of the winner of round w (1 to 10) of a ten-ticket chit of
// 1,000 rupees an instalment: the foreman's ticket takes the full pot of 10,000 in round 1,
// the discounts then fall from 3,000 to the 500 commission, each shared by all ten tickets.
func tenRounds(w int) rates.Flows {
	inr, _ := token.NewAsset("INR", 2)
	discounts := []int64{0, 3000, 2600, 2200, 1900, 1500, 1200, 900, 700, 500}
	am := make([]token.Amount, 10)
	for t, d := range discounts {
		dividend := (d - 500) / 10
		if t == 0 {
			dividend = 0
		}
		flow := -(1000 - dividend) * 100 // the net instalment, in paise
		if t+1 == w {
			flow += (10000 - d) * 100 // the prize
		}
		am[t] = inr.FromInt64Units(flow)
	}
	f, err := rates.NewFlows(am...)
	if err != nil {
		panic(err)
	}
	return f
}

// BenchmarkIRR solves each seat of a ten-round circle in turn, to 12 digits: one op is one
// member.
func BenchmarkIRR(b *testing.B) {
	var seats [10]rates.Flows
	for w := range seats {
		seats[w] = tenRounds(w + 1)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := rates.IRR(seats[i%10], 12); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkIRRTwoSignChanges solves the winner of round 5, whose flows change sign twice, so
// that the Sturm sequence is built and used.
func BenchmarkIRRTwoSignChanges(b *testing.B) {
	f := tenRounds(5)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rates.IRR(f, 12); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNPV values the winner of round 5 at 1% per round.
func BenchmarkNPV(b *testing.B) {
	f := tenRounds(5)
	r := rates.MustRate(1, 100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rates.NPV(f, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMIRR computes the modified rate of the winner of round 5 at 1% to 12 digits.
func BenchmarkMIRR(b *testing.B) {
	f := tenRounds(5)
	r := rates.MustRate(1, 100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rates.MIRR(f, r, r, 12); err != nil {
			b.Fatal(err)
		}
	}
}
