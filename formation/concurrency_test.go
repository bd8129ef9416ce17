package formation_test

import (
	"sync"
	"testing"

	"github.com/trustcircle/trustcircle/formation"
)

// TestConcurrentQueries: 8 goroutines call every query of a proposal at once (run with
// -race): queries only read.
func TestConcurrentQueries(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	must(t, p.Accept(at(1), acc(p, "bob"), nil))
	must(t, p.Decline(at(2), "carol"))
	must(t, p.Reinvite(at(3), "alice", "carol", "dave"))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				_ = p.Terms()
				_ = p.Digest()
				_ = p.Organiser()
				_ = p.State()
				_ = p.Seats()
				_, _ = p.Seat("dave")
				_ = p.Accepted()
				_ = p.Ready()
				_, _ = p.Circle()
				_ = p.LastSeq()
				_ = p.Events()
				for e := range p.EventsAfter(1) {
					_, _ = e.MarshalJSON()
				}
			}
		})
	}
	wg.Wait()
}
