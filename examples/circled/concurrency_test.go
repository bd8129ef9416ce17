package main

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// Two instances of the service share one database and one circle. Both have seen the same
// events; one applies a command in memory and is held before it writes, while the other
// writes the next event. The first one's insert then hits the UNIQUE (circle, seq) key: it
// is answered 409, its command is not applied, its circle is brought up to the table, and a
// retry with the same key is applied. Nothing is lost and the log has no gap.
func TestConcurrentWritersConflict(t *testing.T) {
	path := dbPath(t)
	a, b := start(t, path), start(t, path)
	a.create("c1", threeMembers(rosca.Bidding))
	b.positions("c1") // b loads the circle created by a

	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	a.srv.beforeAppend = func(string) {
		once.Do(func() {
			close(held)
			<-release
		})
	}
	alice := cmd{"at": at(1, 3), "member": "alice", "amount": "100"}
	lost := make(chan reply, 1)
	go func() { lost <- a.do(http.MethodPost, "/circles/c1/contributions", "alice-1", alice) }()
	<-held
	b.post(http.StatusOK, "/circles/c1/contributions", "bob-1", cmd{"at": at(1, 2), "member": "bob", "amount": "100"})
	close(release)
	wantError(t, "the writer that lost", <-lost, http.StatusConflict, "circled.write_conflict")

	// a caught up with b's event and did not apply its own.
	ps := a.positions("c1")
	if ps["bob"].Contributed.String() != "100.00 USD" || !ps["alice"].Contributed.IsZero() {
		t.Errorf("after the conflict a holds bob %s, alice %s; want 100.00 USD, 0",
			ps["bob"].Contributed, ps["alice"].Contributed)
	}
	// The retry, with the same key, is applied after bob's event.
	if r := a.post(http.StatusOK, "/circles/c1/contributions", "alice-1", alice); r.Replayed {
		t.Errorf("the retry of a command that lost was answered from the table: %s", r.Body)
	}

	c, evs := storedEvents(t, a.db, "c1", threeMembers(rosca.Bidding))
	if len(evs) != 2 || evs[0].Member != "bob" || evs[1].Member != "alice" {
		t.Errorf("stored events: %v", evs)
	}
	for _, in := range []*instance{a, b} {
		ps := in.positions("c1")
		for _, p := range c.Positions() {
			if !ps[p.Member].Balance.Equal(p.Balance) || !ps[p.Member].Contributed.Equal(p.Contributed) {
				t.Errorf("an instance holds %s: %+v; the table replays to %+v", p.Member, ps[p.Member], p)
			}
		}
	}
}

// Many writers on two instances race on one circle without a hold: each retries its
// contribution (with the same key) while it is answered 409. Every contribution is applied
// exactly once and the stored log replays.
func TestConcurrentWritersNothingLost(t *testing.T) {
	path := dbPath(t)
	insts := []*instance{start(t, path), start(t, path)}
	insts[0].create("c1", threeMembers(rosca.Bidding))
	members := []token.Account{"alice", "bob", "carol"}
	const writers = 12
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		conflicts int
	)
	deadlineAt := time.Now().Add(20 * time.Second)
	for i := range writers {
		wg.Go(func() {
			in := insts[i%2]
			// Every command has the same time, so none is ever out of order.
			body := cmd{"at": at(1, 1), "member": members[i%3], "amount": "1"}
			for time.Now().Before(deadlineAt) {
				r := in.do(http.MethodPost, "/circles/c1/contributions", fmt.Sprintf("w%d", i), body)
				if r.Status == http.StatusOK {
					return
				}
				if r.Status != http.StatusConflict || errorOf(t, r).Code != "circled.write_conflict" {
					t.Errorf("writer %d: %d %s", i, r.Status, r.Body)
					return
				}
				mu.Lock()
				conflicts++
				mu.Unlock()
			}
			t.Errorf("writer %d never got through", i)
		})
	}
	wg.Wait()
	t.Logf("%d writers, %d conflicts", writers, conflicts)
	c, evs := storedEvents(t, insts[0].db, "c1", threeMembers(rosca.Bidding))
	if len(evs) != writers {
		t.Errorf("%d events stored, want %d", len(evs), writers)
	}
	if got := c.Totals().Contributions.String(); got != "12.00 USD" {
		t.Errorf("contributions %s, want 12.00 USD", got)
	}
	for _, in := range insts {
		for _, p := range c.Positions() {
			if got := in.positions("c1")[p.Member]; !got.Contributed.Equal(p.Contributed) {
				t.Errorf("an instance holds %s paid %s, the table %s", p.Member, got.Contributed, p.Contributed)
			}
		}
	}
}
