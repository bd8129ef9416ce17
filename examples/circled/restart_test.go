package main

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
)

// A restarted service rebuilds every circle from the events table: each circle answers
// every query exactly as before, and goes on from where it was.
func TestRestartRebuildsEveryCircle(t *testing.T) {
	path := dbPath(t)
	first := start(t, path)

	// c1 half-way through: a round closed, a withdrawal, a bid in the open round.
	first.create("c1", threeMembers(rosca.Bidding))
	for i, m := range []string{"alice", "bob", "carol"} {
		first.post(http.StatusOK, "/circles/c1/contributions", "c1-pay-"+m, cmd{"at": at(1, i), "member": m, "amount": "100"})
	}
	first.post(http.StatusOK, "/circles/c1/bids", "c1-bid-1", cmd{"at": at(1, 5), "member": "carol", "amount": "240"})
	first.post(http.StatusOK, "/circles/c1/round/close", "c1-close-1", cmd{"at": deadline(1)})
	first.post(http.StatusOK, "/circles/c1/withdrawals", "c1-take-1", cmd{"at": deadline(1), "member": "carol"})
	first.post(http.StatusOK, "/circles/c1/contributions", "c1-pay-2", cmd{"at": at(2, 1), "member": "bob", "amount": "150"})
	first.post(http.StatusOK, "/circles/c1/bids", "c1-bid-2", cmd{"at": at(2, 2), "member": "bob", "amount": "290"})

	// c2 a lottery circle with a drawn round; c3 just created.
	first.create("c2", threeMembers(rosca.Lottery))
	for _, m := range []string{"alice", "bob", "carol"} {
		first.post(http.StatusOK, "/circles/c2/contributions", "c2-pay-"+m, cmd{"at": at(1, 1), "member": m, "amount": "100"})
	}
	first.post(http.StatusOK, "/circles/c2/round/close", "c2-close-1", cmd{"at": deadline(1)})
	first.create("c3", threeMembers(rosca.FixedOrder))

	views := []string{"", "/positions", "/round", "/rounds", "/totals", "/events", "/schedule", "/statements/carol"}
	before := map[string][]byte{}
	for _, id := range []string{"c1", "c2", "c3"} {
		for _, v := range views {
			before[id+v] = first.get("/circles/"+id+v, nil)
		}
	}
	first.stop()

	second := start(t, path)
	for _, id := range []string{"c1", "c2", "c3"} {
		if e := second.srv.circles[id]; e == nil || e.c == nil {
			t.Fatalf("circle %s was not rebuilt on start", id)
		}
	}
	for _, id := range []string{"c1", "c2", "c3"} {
		for _, v := range views {
			if got := second.get("/circles/"+id+v, nil); !bytes.Equal(got, before[id+v]) {
				t.Errorf("%s%s after the restart:\n%s\nbefore:\n%s", id, v, got, before[id+v])
			}
		}
	}
	var list struct{ Circles []string }
	second.get("/circles", &list)
	if len(list.Circles) != 3 {
		t.Errorf("circles after the restart: %v", list.Circles)
	}

	// The rebuilt circle goes on: the next event is numbered after the stored ones, and a
	// command retried across the restart is still answered from the table.
	r := second.post(http.StatusOK, "/circles/c1/bids", "c1-bid-2", cmd{"at": at(2, 2), "member": "bob", "amount": "290"})
	if !r.Replayed {
		t.Errorf("a command retried after the restart was not answered from the table: %s", r.Body)
	}
	var a circleAnswer
	second.get("/circles/c1", &a)
	last := a.LastSeq
	second.post(http.StatusOK, "/circles/c1/contributions", "c1-pay-3", cmd{"at": at(2, 3), "member": "alice", "amount": "100"})
	second.get("/circles/c1", &a)
	if a.LastSeq != last+1 {
		t.Errorf("last seq %d after one more command, want %d", a.LastSeq, last+1)
	}
	storedEvents(t, second.db, "c1", threeMembers(rosca.Bidding))
}
