package main

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
)

// Bad requests are answered with the status of their class and the library's or the
// service's code, and change nothing: the circle answers every query as before.
func TestBadRequestsChangeNothing(t *testing.T) {
	in := start(t, dbPath(t))
	in.create("c1", threeMembers(rosca.Bidding))
	in.create("lot", threeMembers(rosca.Lottery))
	for i, m := range []string{"alice", "bob", "carol"} {
		in.post(http.StatusOK, "/circles/c1/contributions", "pay-"+m, cmd{"at": at(1, i), "member": m, "amount": "100"})
	}
	in.post(http.StatusOK, "/circles/c1/bids", "bid-1", cmd{"at": at(1, 4), "member": "carol", "amount": "240"})
	in.post(http.StatusOK, "/circles/c1/round/close", "close-1", cmd{"at": deadline(1)})
	in.post(http.StatusOK, "/circles/c1/contributions", "pay-2", cmd{"at": at(2, 1), "member": "carol", "amount": "100"})

	views := []string{"", "/positions", "/events", "/statements/carol"}
	snapshot := func() map[string][]byte {
		m := map[string][]byte{}
		for _, id := range []string{"c1", "lot"} {
			for _, v := range views {
				m[id+v] = in.get("/circles/"+id+v, nil)
			}
		}
		return m
	}
	before := snapshot()

	pay := func(member, amount string) cmd { return cmd{"at": at(2, 2), "member": member, "amount": amount} }
	huge := `{"at":"2026-03-08T02:00:00Z","member":"alice","amount":"1","pad":"` + strings.Repeat("x", 2<<20) + `"}`
	cases := []struct {
		what, method, path, key string
		body                    any
		status                  int
		code                    string
	}{
		{"query of an unknown circle", "GET", "/circles/nope/positions", "", nil, 404, "circled.unknown_circle"},
		{"command on an unknown circle", "POST", "/circles/nope/contributions", "k1", pay("alice", "1"), 404, "circled.unknown_circle"},
		{"an id that cannot be a circle", "GET", "/circles/no%20pe", "", nil, 404, "circled.unknown_circle"},
		{"unknown member", "GET", "/circles/c1/positions/zed", "", nil, 404, "rosca.not_member"},
		{"statement of a non-member", "GET", "/circles/c1/statements/zed", "", nil, 404, "rosca.not_member"},
		{"statement as CSV of a non-member", "GET", "/circles/c1/statements/zed?format=csv", "", nil, 404, "rosca.not_member"},
		{"schedule of a non-member", "GET", "/circles/c1/schedule/zed", "", nil, 404, "rosca.not_member"},
		{"statement in an unknown format", "GET", "/circles/c1/statements/carol?format=pdf", "", nil, 400, "circled.bad_request"},
		{"payment by a non-member", "POST", "/circles/c1/contributions", "k2", pay("zed", "1"), 404, "rosca.not_member"},
		{"amount finer than a cent", "POST", "/circles/c1/contributions", "k3", pay("alice", "12.345"), 400, "token.sub_unit_amount"},
		{"amount that is no number", "POST", "/circles/c1/contributions", "k4", pay("alice", "lots"), 400, "token.invalid_amount"},
		{"amount of another asset", "POST", "/circles/c1/contributions", "k5", pay("alice", "5.00 EUR"), 400, "token.asset_mismatch"},
		{"negative amount", "POST", "/circles/c1/contributions", "k6", pay("alice", "-5"), 400, "rosca.invalid_amount"},
		{"missing amount", "POST", "/circles/c1/contributions", "k7", cmd{"member": "alice"}, 400, "circled.bad_request"},
		{"bid by the winner of round 1", "POST", "/circles/c1/bids", "k8", pay("carol", "250"), 409, "rosca.already_won"},
		{"bid by a member who owes round 2", "POST", "/circles/c1/bids", "k9", pay("bob", "250"), 409, "rosca.not_in_good_standing"},
		{"bid in a lottery", "POST", "/circles/lot/bids", "k10", pay("bob", "250"), 400, "rosca.not_bidding"},
		{"close before the deadline", "POST", "/circles/c1/round/close", "k11", cmd{"at": at(2, 3)}, 409, "rosca.too_early"},
		{"command timed before the last event", "POST", "/circles/c1/contributions", "k12", cmd{"at": at(1, 1), "member": "bob", "amount": "1"}, 409, "rosca.time_backwards"},
		{"fees taken by a member", "POST", "/circles/c1/fees/retrieve", "k13", cmd{"at": at(2, 3), "by": "bob"}, 403, "rosca.not_foreperson"},
		{"malformed JSON", "POST", "/circles/c1/contributions", "k14", `{"member": "alice", "amount":`, 400, "circled.bad_request"},
		{"unknown field", "POST", "/circles/c1/contributions", "k15", `{"member":"alice","amount":"1","tip":"2"}`, 400, "circled.bad_request"},
		{"two JSON values", "POST", "/circles/c1/contributions", "k16", `{"member":"alice","amount":"1"} {}`, 400, "circled.bad_request"},
		{"a bad time", "POST", "/circles/c1/contributions", "k17", `{"at":"yesterday","member":"alice","amount":"1"}`, 400, "circled.bad_request"},
		{"huge body", "POST", "/circles/c1/contributions", "k18", huge, 413, "circled.body_too_large"},
		{"no idempotency key", "POST", "/circles/c1/contributions", "", pay("alice", "1"), 400, "circled.idempotency_key"},
		{"a bad events page", "GET", "/circles/c1/events?after=-1", "", nil, 400, "circled.bad_request"},
		{"create with a bad config", "POST", "/circles", "k19", `{"id":"c9","config":{"v":1,"asset":"USD/2"}}`, 400, "rosca.invalid_config"},
		{"create without a config", "POST", "/circles", "k20", `{"id":"c9"}`, 400, "circled.bad_request"},
	}
	for _, c := range cases {
		wantError(t, c.what, in.do(c.method, c.path, c.key, c.body), c.status, c.code)
	}
	after := snapshot()
	for k, b := range before {
		if !bytes.Equal(after[k], b) {
			t.Errorf("%s changed:\n%s\nwas\n%s", k, after[k], b)
		}
	}
	var list struct{ Circles []string }
	in.get("/circles", &list)
	if len(list.Circles) != 2 {
		t.Errorf("circles %v, want c1 and lot", list.Circles)
	}

	// The error body carries the facts of the library's error.
	in.create("c2", threeMembers(rosca.Bidding))
	in.post(http.StatusOK, "/circles/c2/contributions", "c2-pay", cmd{"at": at(1, 1), "member": "alice", "amount": "100"})
	e := errorOf(t, in.do("POST", "/circles/c2/bids", "k21", cmd{"at": at(1, 1), "member": "alice", "amount": "100"}))
	if e.Code != "rosca.bid_too_low" || e.Class != "invalid" || e.Limit == nil || e.Limit.String() != "195.00 USD" ||
		e.Amount == nil || e.Account != "alice" || e.Op != "Bid" {
		t.Errorf("bid too low: %+v", e)
	}
}
