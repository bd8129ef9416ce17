package main

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
)

// A command retried with the same idempotency key is answered from the table, with the
// same status and body, and applied once; the same key on another request is refused.
func TestRetriedCommandAppliedOnce(t *testing.T) {
	in := start(t, dbPath(t))
	body := createBody(t, "c1", threeMembers(rosca.Bidding))
	created := in.post(http.StatusCreated, "/circles", "create", body)
	again := in.post(http.StatusCreated, "/circles", "create", body)
	if !again.Replayed || !bytes.Equal(again.Body, created.Body) {
		t.Errorf("retried create: replayed %v, body\n%s\nfirst\n%s", again.Replayed, again.Body, created.Body)
	}
	wantError(t, "the same id under a new key", in.do(http.MethodPost, "/circles", "create-2", body),
		http.StatusConflict, "circled.circle_exists")

	pay := cmd{"at": at(1, 1), "member": "alice", "amount": "100"}
	first := in.post(http.StatusOK, "/circles/c1/contributions", "pay-1", pay)
	if first.Replayed {
		t.Error("a first request reported as replayed")
	}
	for range 3 {
		r := in.post(http.StatusOK, "/circles/c1/contributions", "pay-1", pay)
		if !r.Replayed || !bytes.Equal(r.Body, first.Body) {
			t.Errorf("retry: replayed %v, body\n%s\nfirst\n%s", r.Replayed, r.Body, first.Body)
		}
	}
	if p := in.positions("c1")["alice"]; p.Contributed.String() != "100.00 USD" {
		t.Errorf("alice paid in %s after one contribution sent four times, want 100.00 USD", p.Contributed)
	}
	var c circleAnswer
	in.get("/circles/c1", &c)
	if c.LastSeq != 1 {
		t.Errorf("last seq %d, want 1", c.LastSeq)
	}

	// The same key with another body, or on another path, is not the same request.
	wantError(t, "key reused with another amount",
		in.do(http.MethodPost, "/circles/c1/contributions", "pay-1", cmd{"at": at(1, 1), "member": "alice", "amount": "200"}),
		http.StatusBadRequest, "circled.idempotency_key_reused")
	wantError(t, "key reused on another path",
		in.do(http.MethodPost, "/circles/c1/bids", "pay-1", pay),
		http.StatusBadRequest, "circled.idempotency_key_reused")

	// A refusal is the circle's answer too: its retry gets the same refusal, even once the
	// circle would accept the command.
	bid := cmd{"at": at(1, 2), "member": "bob", "amount": "250"}
	refused := in.do(http.MethodPost, "/circles/c1/bids", "bid-1", bid)
	wantError(t, "bid before paying", refused, http.StatusConflict, "rosca.not_in_good_standing")
	in.post(http.StatusOK, "/circles/c1/contributions", "pay-2", cmd{"at": at(1, 2), "member": "bob", "amount": "100"})
	r := in.do(http.MethodPost, "/circles/c1/bids", "bid-1", bid)
	if r.Status != refused.Status || !r.Replayed || !bytes.Equal(r.Body, refused.Body) {
		t.Errorf("retried refusal: %d replayed %v %s, want the first answer %d %s", r.Status, r.Replayed, r.Body, refused.Status, refused.Body)
	}
	in.post(http.StatusOK, "/circles/c1/bids", "bid-2", bid) // a new key is a new command
	in.get("/circles/c1", &c)
	if c.LastSeq != 3 || c.Round.Leader != "bob" {
		t.Errorf("last seq %d, leader %q; want 3, bob", c.LastSeq, c.Round.Leader)
	}
}
