package simulate_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

func TestAggregateQuantilesAndReaders(t *testing.T) {
	var agg simulate.Aggregate
	if err := simulate.Run(context.Background(), mixed(rosca.Bidding, 30, 4), simulate.Options{}, &agg); err != nil {
		t.Fatal(err)
	}
	want := agg.Seats()
	if len(want) != 10 {
		t.Fatalf("%d seats", len(want))
	}
	for _, s := range want {
		q := s.Net
		if s.Runs != 30 || q.Min.Cmp(q.P5) > 0 || q.P5.Cmp(q.P25) > 0 || q.P25.Cmp(q.Median) > 0 ||
			q.Median.Cmp(q.P75) > 0 || q.P75.Cmp(q.P95) > 0 || q.P95.Cmp(q.Max) > 0 {
			t.Errorf("seat %d: runs %d, quantiles %v", s.Seat, s.Runs, q)
		}
		if s.Unsolved+s.NoRoot+s.OneRoot+s.SeveralRoots != s.Runs || s.IRR.N != s.OneRoot {
			t.Errorf("seat %d: kinds %d %d %d %d, irr n %d", s.Seat, s.Unsolved, s.NoRoot, s.OneRoot, s.SeveralRoots, s.IRR.N)
		}
	}
	// Seats only reads: readers at once see the same summary.
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got := agg.Seats(); len(got) != 10 || !got[3].Net.Median.Equal(want[3].Net.Median) {
				t.Error("concurrent Seats differ")
			}
		}()
	}
	wg.Wait()
}

// TestAggregateQuantilesOfManyAndWide: the quantiles of thousands of nets, some beyond an
// int64 of minor units from the 2,500th on, are the nearest-rank order statistics of them
// all, and the totals of losses and fees so large are exact.
func TestAggregateQuantilesOfManyAndWide(t *testing.T) {
	wei, err := token.NewAsset("WEI", 18)
	if err != nil {
		t.Fatal(err)
	}
	huge := wei.MustParse("1000000") // 10^24 units
	var agg simulate.Aggregate
	var nets []token.Amount
	losses, fees := wei.Zero(), wei.Zero()
	for i := range 5000 {
		x := wei.FromInt64Units(int64((i*7919)%5003) - 2500)
		if i >= 2500 && i%97 == 0 {
			x, _ = huge.Mul(int64(i%5 - 2))
		}
		nets = append(nets, x)
		r := simulate.MemberRecord{Seat: 0, Member: "m0", Net: x, Fees: wei.FromInt64Units(int64(i))}
		if x.IsPositive() {
			r.Unpaid = x
			losses, _ = losses.Add(x)
		}
		fees, _ = fees.Add(r.Fees)
		agg.Add(r)
	}
	slices.SortFunc(nets, token.Amount.Cmp)
	at := func(p int) token.Amount { return nets[(len(nets)*p+99)/100-1] }
	q := agg.Seats()[0].Net
	for _, c := range []struct {
		name      string
		got, want token.Amount
	}{{"min", q.Min, nets[0]}, {"p5", q.P5, at(5)}, {"p25", q.P25, at(25)}, {"median", q.Median, at(50)},
		{"p75", q.P75, at(75)}, {"p95", q.P95, at(95)}, {"max", q.Max, nets[len(nets)-1]}} {
		if !c.got.Equal(c.want) {
			t.Errorf("%s: %s, want %s", c.name, c.got, c.want)
		}
	}
	if s := agg.Seats()[0]; s.Runs != 5000 || !s.Losses.Equal(losses) || !s.Fees.Equal(fees) {
		t.Errorf("runs %d, losses %s (want %s), fees %s (want %s)", s.Runs, s.Losses, losses, s.Fees, fees)
	}
}
