package roles_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/trustcircle/trustcircle/roles"
)

// FuzzParseSet: any text either parses to a valid set whose String parses back to the same
// set, or is rejected with ErrUnknownRole.
func FuzzParseSet(f *testing.F) {
	for _, s := range []string{"", "none", "user", "foreperson|sponsor", "sponsor|foreperson|sponsor", "|", "user|", "admin", "operator|referral-partner|user|sponsor|foreperson"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		set, err := roles.ParseSet(s)
		if err != nil {
			if !errors.Is(err, roles.ErrUnknownRole) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if !set.Valid() {
			t.Fatalf("%q parsed to invalid %#x", s, uint8(set))
		}
		back, err := roles.ParseSet(set.String())
		if err != nil || back != set {
			t.Fatalf("%q -> %v -> %v %v", s, set, back, err)
		}
	})
}

// FuzzReplay: any JSON event log either replays to a directory that passes Audit and whose
// log is the input, or is rejected.
func FuzzReplay(f *testing.F) {
	d := roles.NewDirectory()
	_ = d.Grant(at(0), "alice", roles.Sponsor, roles.GeneralUser)
	_ = d.Grant(at(1), "bob", roles.ReferralPartner)
	_ = d.Revoke(at(2), "alice", roles.Sponsor)
	b, _ := json.Marshal(d.Events())
	f.Add(string(b))
	f.Add(`[]`)
	f.Add(`[{"v":1,"seq":1,"kind":"revoked","at":"2017-04-01T12:00:00Z","account":"a","roles":"user","after":"none"}]`)
	f.Add(`[{"v":1,"seq":1,"kind":"granted","at":"2017-04-01T12:00:00Z","account":"a","roles":"user","after":"user"},{"v":1,"seq":2,"kind":"granted","at":"2017-04-01T12:00:00Z","account":"a","roles":"user","after":"user"}]`)
	f.Add(`[{"v":1,"seq":1,"kind":"granted","at":"2017-04-01T12:00:00+00:19","account":"a","roles":"user","after":"user"}]`)
	f.Fuzz(func(t *testing.T, s string) {
		var events []roles.Event
		if err := json.Unmarshal([]byte(s), &events); err != nil {
			return
		}
		r, err := roles.Replay(slices.Values(events))
		if err != nil {
			if !errors.Is(err, roles.ErrInvalidLog) {
				t.Fatalf("%s: %v", s, err)
			}
			return
		}
		if err := r.Audit(); err != nil {
			t.Fatal(err)
		}
		if got := r.Events(); len(got) != len(events) {
			t.Fatalf("%d events replayed to %d", len(events), len(got))
		}
		// What replays re-encodes and replays again to the same directory.
		b, err := json.Marshal(r.Events())
		if err != nil {
			t.Fatal(err)
		}
		var again []roles.Event
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatal(err)
		}
		r2, err := roles.Replay(slices.Values(again))
		if err != nil || !slices.Equal(r2.Accounts(), r.Accounts()) {
			t.Fatalf("re-encoded log: %v", err)
		}
		for _, a := range r.Accounts() {
			if r2.Roles(a) != r.Roles(a) {
				t.Fatalf("%s: %v, then %v", a, r.Roles(a), r2.Roles(a))
			}
		}
	})
}
