package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
)

// A config without a seed gets one drawn by the service, one without rules WeTrust's, and
// a create without an id gets one drawn too; the answer says what was kept.
func TestCreateDefaults(t *testing.T) {
	in := start(t, dbPath(t))
	raw, err := threeMembers(rosca.Lottery).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	delete(fields, "seed")
	delete(fields, "rules")
	r := in.post(http.StatusCreated, "/circles", "create", map[string]any{"config": fields})
	var a circleAnswer
	if err := json.Unmarshal(r.Body, &a); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	if !validID(a.ID) || a.Config.Seed.IsZero() || a.Config.Rules != rosca.WeTrustRules() {
		t.Errorf("created %q with seed %v, rules %+v", a.ID, a.Config.Seed, a.Config.Rules)
	}
	var again circleAnswer
	in.get("/circles/"+a.ID, &again)
	if again.Config.Seed != a.Config.Seed {
		t.Errorf("the stored seed %v differs from the answer's %v", again.Config.Seed, a.Config.Seed)
	}
}
