package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
)

// The emergency halt through the API: only the operator enables it, only the foreperson
// activates it, and the settlement pays every member back what it put in.
func TestEmergencyHalt(t *testing.T) {
	in := start(t, dbPath(t))
	in.create("c1", threeMembers(rosca.Bidding))
	for _, m := range []string{"alice", "bob", "carol"} {
		in.post(http.StatusOK, "/circles/c1/contributions", "pay-"+m, cmd{"at": at(1, 1), "member": m, "amount": "100"})
	}
	wantError(t, "enabled by a member", in.do(http.MethodPost, "/circles/c1/halt/enable", "k1", cmd{"at": at(1, 2), "by": "bob"}),
		http.StatusForbidden, "rosca.not_operator")
	wantError(t, "activated before it was enabled", in.do(http.MethodPost, "/circles/c1/halt/activate", "k2", cmd{"at": at(1, 2), "by": "alice"}),
		http.StatusConflict, "rosca.halt_not_enabled")
	in.post(http.StatusOK, "/circles/c1/halt/enable", "k3", cmd{"at": at(1, 2), "by": "platform"})
	r := in.post(http.StatusOK, "/circles/c1/halt/activate", "k4", cmd{"at": at(1, 3), "by": "alice"})
	var a commandAnswer
	if err := json.Unmarshal(r.Body, &a); err != nil {
		t.Fatal(err)
	}
	paid := map[string]string{}
	for _, l := range a.Settlement {
		paid[string(l.Account)] = l.Paid.String()
	}
	for _, m := range []string{"alice", "bob", "carol"} {
		if paid[m] != "100.00 USD" {
			t.Errorf("the settlement paid %s %q, want 100.00 USD: %s", m, paid[m], r.Body)
		}
	}
	wantError(t, "a payment after the halt", in.do(http.MethodPost, "/circles/c1/contributions", "k5", cmd{"at": at(1, 4), "member": "bob", "amount": "1"}),
		http.StatusConflict, "rosca.halted")
	var sched scheduleAnswer
	in.get("/circles/c1/schedule", &sched)
	if s := sched.Lines[0].Status; s != "halted" {
		t.Errorf("round 1 after the halt: %s", s)
	}
	var st statementAnswer
	in.get("/circles/c1/statements/bob", &st)
	if l := st.Statement.Lines[len(st.Statement.Lines)-1]; l.Kind != rosca.LineSettlement || l.Amount.String() != "-100.00 USD" || l.Seq != 5 {
		t.Errorf("bob's statement ends with %+v", l)
	}
}
