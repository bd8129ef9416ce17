package simulate_test

import (
	"context"
	"sync"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
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
