package simulate_test

import (
	"context"
	"testing"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
)

// BenchmarkSimulate runs, per op, a batch of 10,000 ten-member circle epochs on all cores:
// 5,000 lottery and 5,000 bidding circles whose members pay late now and then and bid at
// random or by undercutting, with every member's cash flows and internal rates of return (12
// digits) computed and the records summarised by seat.
func BenchmarkSimulate(b *testing.B) {
	lottery, bidding := mixed(rosca.Lottery, 5000, 1), mixed(rosca.Bidding, 5000, 2)
	lottery.Digits, bidding.Digits = 12, 12
	benchBatch(b, lottery, bidding)
}

// BenchmarkSimulateNoRates is BenchmarkSimulate without the internal rates of return.
func BenchmarkSimulateNoRates(b *testing.B) {
	lottery, bidding := mixed(rosca.Lottery, 5000, 1), mixed(rosca.Bidding, 5000, 2)
	lottery.Digits, bidding.Digits = 0, 0
	benchBatch(b, lottery, bidding)
}

// BenchmarkSimulateNPVAndMIRR is BenchmarkSimulate with each member's NPV at 1% a round and
// MIRR at 1% and 1% besides the internal rates of return.
func BenchmarkSimulateNPVAndMIRR(b *testing.B) {
	lottery, bidding := mixed(rosca.Lottery, 5000, 1), mixed(rosca.Bidding, 5000, 2)
	for _, sc := range []*simulate.Scenario{&lottery, &bidding} {
		sc.Digits, sc.NPV, sc.MIRR = 12, true, true
		sc.Benchmark, sc.Finance, sc.Reinvest = rates.MustRate(1, 100), rates.MustRate(1, 100), rates.MustRate(1, 100)
	}
	benchBatch(b, lottery, bidding)
}

// BenchmarkRecords encodes one run's records (a circle and ten members, with their rates) as
// JSON lines and as CSV lines into reused buffers, as the sinks do: one op is one run.
func BenchmarkRecords(b *testing.B) {
	sc := mixed(rosca.Bidding, 1, 2)
	sc.Digits, sc.NPV, sc.MIRR = 12, true, true
	c, ms, err := simulate.RunOne(sc, 0)
	if err != nil {
		b.Fatal(err)
	}
	var j, v []byte
	b.ReportAllocs()
	for b.Loop() {
		j = c.AppendJSON(j[:0])
		v = c.AppendCSV(v[:0])
		for k := range ms {
			j = ms[k].AppendJSON(j)
			v = ms[k].AppendCSV(v)
		}
	}
}

// BenchmarkSimulateDeterred is BenchmarkSimulate under every deterrent, with a member of
// each circle who stops paying after round 3 and the group acting through every built-in
// actor: collateral (the security after a win), guarantors, removal and substitution,
// acceleration, recovery with a bounty, and late fees.
func BenchmarkSimulateDeterred(b *testing.B) {
	lottery, bidding := deterred(rosca.Lottery, 5000, 1), deterred(rosca.Bidding, 5000, 2)
	lottery.Digits, bidding.Digits = 12, 12
	benchBatch(b, lottery, bidding)
}

// benchBatch runs, per op, the two scenarios' batches (5,000 ten-member circles each),
// summarised by seat.
func benchBatch(b *testing.B, lottery, bidding simulate.Scenario) {
	b.ReportAllocs()
	for b.Loop() {
		var agg simulate.Aggregate
		for _, sc := range []simulate.Scenario{lottery, bidding} {
			if err := simulate.Run(context.Background(), sc, simulate.Options{}, &agg); err != nil {
				b.Fatal(err)
			}
		}
		if s := agg.Seats(); len(s) != 10 || s[0].Runs != 10000 {
			b.Fatalf("seats %d, runs %d", len(s), s[0].Runs)
		}
	}
}
