package rosca_test

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
)

// Queries only read: 8 goroutines calling every query of one circle at once do not race
// (run with -race) and all see the same figures.
func TestConcurrentQueries(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 4, 1000, 20))
	// A circle with something in every bucket: bids, a debtor, a withdrawal, an armed halt.
	contributeAll(t, c, at(0), wei(1000))
	ok(t, c.Bid(at(0), "m1", wei(3000)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	ok(t, c.Contribute(at(1), "m2", wei(2500)))
	_, err = c.CloseRound(at(2))
	ok(t, err)
	_, err = c.Withdraw(at(2), "m1")
	ok(t, err)
	ok(t, c.EnableHalt(at(2), "op"))
	want := roundTripJSONBytes(c.Snapshot())

	const readers = 8
	var wg sync.WaitGroup
	errs := make(chan string, readers)
	for g := range readers {
		wg.Go(func() {
			for range 20 {
				got := queryAll(t, c, g)
				if got != want {
					errs <- got
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Fatalf("a reader saw\n%s\nwant\n%s", got, want)
	}
}

// queryAll calls every query of c and returns the snapshot's JSON.
func queryAll(t *testing.T, c *rosca.Circle, g int) string {
	_ = c.Config()
	members := c.Config().Members
	if _, err := c.Position(members[g%len(members)]); err != nil {
		t.Error(err)
	}
	_, _ = c.Position("stranger")
	_ = c.Positions()
	_ = c.Round()
	_ = c.Ended()
	_ = c.Halted()
	_ = c.Totals()
	if err := c.Audit(); err != nil {
		t.Error(err)
	}
	_ = c.Rounds()
	_ = c.Events()
	for e := range c.EventsAfter(uint64(g)) {
		_ = e.AppendJSON(nil)
	}
	_ = c.LastSeq()
	_ = c.Now()
	_ = c.CanBid(c.Now(), members[g%len(members)])
	_, _ = c.Owed(members[g%len(members)])
	_, _ = c.Balance(members[g%len(members)])
	_, _ = c.Statement(members[g%len(members)])
	_ = c.Schedule()
	_, _ = c.ScheduleOf(members[g%len(members)])
	_ = c.Reminders()
	_, _ = c.Security(members[g%len(members)])
	// A clone taken by a reader is the reader's own: commands on it touch nothing shared.
	d := c.Clone()
	_ = d.Contribute(d.Now(), members[g%len(members)], d.Round().Pot)
	_, _ = d.CloseRound(d.Round().Deadline)
	b, err := json.Marshal(c.Snapshot())
	if err != nil {
		t.Error(err)
	}
	return string(b)
}
