package token_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/token"
)

// busyLedger returns a ledger with every kind of event.
func busyLedger(t *testing.T) *token.Ledger {
	t.Helper()
	l := newTestLedger(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.Transfer("alice", "bob", dec("1.5")))
	must(l.Approve("alice", "carol", dec("10")))
	must(l.TransferFrom("carol", "alice", "dave", dec("2")))
	must(l.IncreaseAllowance("bob", "alice", dec("3")))
	id, err := l.Vest("alice", "bob", token.LinearSchedule(token.TRST(), dec("40"), sec(0), sec(100)), true)
	must(err)
	s := token.Schedule{Asset: token.TRST(), Total: dec("7"), Start: sec(0).In(time.FixedZone("X", 7200)), Cliff: sec(10), End: sec(70), Period: 7 * time.Second}
	_, err = l.Vest("bob", "bob", s, false)
	must(err)
	_, err = l.Release(sec(25), id)
	must(err)
	_, err = l.Revoke(sec(50.5), id)
	must(err)
	_, err = l.Release(sec(30), 2)
	must(err)
	return l
}

func TestSnapshotRoundTrip(t *testing.T) {
	l := busyLedger(t)
	data, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	var r token.Ledger
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(&r)
	if err != nil || !bytes.Equal(data, again) {
		t.Fatalf("re-marshal differs: %v\n%s\n%s", err, data, again)
	}
	if diff := cmp.Diff(l.Events(), r.Events()); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(l.Vestings(), r.Vestings()); diff != "" {
		t.Errorf("vestings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(l.Accounts(), r.Accounts()); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	for _, a := range l.Accounts() {
		if !l.Balance(a).Equal(r.Balance(a)) || !l.Locked(a).Equal(r.Locked(a)) {
			t.Errorf("%s: balance %s/%s locked %s/%s", a, l.Balance(a), r.Balance(a), l.Locked(a), r.Locked(a))
		}
		for _, b := range l.Accounts() {
			if !l.Allowance(a, b).Equal(r.Allowance(a, b)) {
				t.Errorf("allowance %s->%s", a, b)
			}
		}
	}
	// Both behave the same from here on.
	for _, x := range []*token.Ledger{l, &r} {
		_ = x.Transfer("bob", "carol", dec("55"))
		_ = x.Transfer("bob", "carol", dec("5"))
		_, _ = x.Release(sec(69), 2)
		_, _ = x.Release(sec(1000), 1)
	}
	if a, b := state(t, l), state(t, &r); !bytes.Equal(a, b) {
		t.Fatalf("diverged after the same commands:\n%s\n%s", a, b)
	}
	if !strings.Contains(string(data), `"version":1`) || !strings.Contains(string(data), `"amount":"1.500000"`) {
		t.Errorf("unexpected encoding: %s", data)
	}
	if err := r.Audit(); err != nil {
		t.Fatal(err)
	}
	// Restore of the plain value works too and shares nothing.
	snap := l.Snapshot()
	r2, err := token.Restore(snap)
	if err != nil {
		t.Fatal(err)
	}
	snap.Balances[0].Amount = "0"
	if !bytes.Equal(state(t, l), state(t, r2)) {
		t.Fatal("Restore(Snapshot) differs, or shares the snapshot")
	}
}

func TestSnapshotRejects(t *testing.T) {
	l := busyLedger(t)
	mutations := map[string]func(s *token.Snapshot){
		"version":        func(s *token.Snapshot) { s.Version = 2 },
		"asset":          func(s *token.Snapshot) { s.Asset = token.Asset{} },
		"supply":         func(s *token.Snapshot) { s.Supply = "151" },
		"zero supply":    func(s *token.Snapshot) { s.Supply = "0" },
		"bad supply":     func(s *token.Snapshot) { s.Supply = "x" },
		"balance amount": func(s *token.Snapshot) { s.Balances[0].Amount = "0.0000001" },
		"balance moved": func(s *token.Snapshot) {
			s.Balances[0].Amount = "1"
			s.Balances[1].Amount = addStr(s.Balances[1].Amount)
		},
		"balance account":    func(s *token.Snapshot) { s.Balances[0].Account = "" },
		"balances unsorted":  func(s *token.Snapshot) { s.Balances[0], s.Balances[1] = s.Balances[1], s.Balances[0] },
		"balance repeated":   func(s *token.Snapshot) { s.Balances[1].Account = s.Balances[0].Account },
		"allowance zero":     func(s *token.Snapshot) { s.Allowances[0].Amount = "0" },
		"allowance changed":  func(s *token.Snapshot) { s.Allowances[0].Amount = "9" },
		"allowance account":  func(s *token.Snapshot) { s.Allowances[0].Spender = "a b" },
		"allowance unsorted": func(s *token.Snapshot) { s.Allowances[0], s.Allowances[1] = s.Allowances[1], s.Allowances[0] },
		"allowance extra": func(s *token.Snapshot) {
			s.Allowances = append(s.Allowances, token.SnapshotAllowance{Owner: "zz", Spender: "a", Amount: "1"})
		},
		"vesting id":       func(s *token.Snapshot) { s.Vestings[0].ID = 5 },
		"vesting granter":  func(s *token.Snapshot) { s.Vestings[0].Granter = "carol" },
		"vesting bad acct": func(s *token.Snapshot) { s.Vestings[0].Beneficiary = "" },
		"vesting total":    func(s *token.Snapshot) { s.Vestings[0].Total = "41" },
		"vesting end":      func(s *token.Snapshot) { s.Vestings[0].End = s.Vestings[0].Start },
		"vesting time":     func(s *token.Snapshot) { s.Vestings[0].Start = "yesterday" },
		"vesting cliff":    func(s *token.Snapshot) { s.Vestings[1].Cliff = "2000-01-01T00:00:00Z" },
		"released":         func(s *token.Snapshot) { s.Vestings[0].Released = "11" },
		"released > ent":   func(s *token.Snapshot) { s.Vestings[0].Released = "25" },
		"entitled":         func(s *token.Snapshot) { s.Vestings[0].Entitled = "21" },
		"not revoked":      func(s *token.Snapshot) { s.Vestings[0].Revoked = false; s.Vestings[0].RevokedAt = "" },
		"not revocable":    func(s *token.Snapshot) { s.Vestings[0].Revocable = false },
		"revoked at":       func(s *token.Snapshot) { s.Vestings[0].RevokedAt = "2017-04-13T00:01:00Z" },
		"no revoked at":    func(s *token.Snapshot) { s.Vestings[0].RevokedAt = "" },
		"revoked other":    func(s *token.Snapshot) { s.Vestings[1].Revoked = true; s.Vestings[1].RevokedAt = s.Vestings[1].Start },
		"vesting dropped":  func(s *token.Snapshot) { s.Vestings = s.Vestings[:1] },
		"event seq":        func(s *token.Snapshot) { s.Events[3].Seq = 9 },
		"event kind":       func(s *token.Snapshot) { s.Events[3].Kind = "mint" },
		"event amount":     func(s *token.Snapshot) { s.Events[3].Amount = "1.4" },
		"event dropped":    func(s *token.Snapshot) { s.Events = append(s.Events[:3:3], renumber(s.Events[4:], 4)...) },
		"events empty":     func(s *token.Snapshot) { s.Events = nil },
		"genesis late": func(s *token.Snapshot) {
			s.Events[0], s.Events[3] = s.Events[3], s.Events[0]
			s.Events[0].Seq, s.Events[3].Seq = 1, 4
		},
		"event extra field": func(s *token.Snapshot) { s.Events[3].Spender = "zed" },
		"event missing to":  func(s *token.Snapshot) { s.Events[3].To = "" },
		"event time":        func(s *token.Snapshot) { s.Events[3].At = "2017-04-13T00:00:00Z" },
		"release no time":   func(s *token.Snapshot) { last(s).At = "" },
		"release amount":    func(s *token.Snapshot) { last(s).Amount = "0.000001" },
		"release grant":     func(s *token.Snapshot) { last(s).Vesting = 1 },
		"release unknown":   func(s *token.Snapshot) { last(s).Vesting = 7 },
		"release zero":      func(s *token.Snapshot) { last(s).Amount = "0" },
		"revoke twice": func(s *token.Snapshot) {
			e := s.Events[len(s.Events)-2]
			e.Seq = len(s.Events) + 1
			s.Events = append(s.Events, e)
		},
		"vest event amount": func(s *token.Snapshot) { findKind(s, token.EventVest).Amount = "39" },
		"approval as xfer": func(s *token.Snapshot) {
			e := findKind(s, token.EventApproval)
			e.Kind = token.EventTransfer
			e.To = "x"
		},
	}
	for name, m := range mutations {
		s := l.Snapshot()
		m(&s)
		r, err := token.Restore(s)
		if testing.Verbose() {
			t.Logf("%s: %v", name, err)
		}
		if !errors.Is(err, token.ErrSnapshot) || r != nil {
			t.Errorf("%s: Restore = %v", name, err)
		}
		data, merr := json.Marshal(s)
		if merr != nil {
			t.Fatal(merr)
		}
		before := state(t, l)
		if err := l.UnmarshalJSON(data); !errors.Is(err, token.ErrSnapshot) {
			t.Errorf("%s: UnmarshalJSON = %v", name, err)
		}
		if !bytes.Equal(before, state(t, l)) {
			t.Fatalf("%s: a failed UnmarshalJSON changed the ledger", name)
		}
	}
	data := state(t, l)
	var r token.Ledger
	for name, bad := range map[string][]byte{
		"unknown field": bytes.Replace(data, []byte(`"version":1`), []byte(`"version":1,"x":2`), 1),
		"trailing":      append(append([]byte{}, data...), []byte(` {}`)...),
		"not json":      []byte(`{`),
		"wrong type":    []byte(`[]`),
	} {
		if err := r.UnmarshalJSON(bad); !errors.Is(err, token.ErrSnapshot) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func addStr(s string) string {
	return token.TRST().Format(dec(s).Add(dec("1")).Sub(dec("1")).Add(dec(s)).Sub(dec(s)).Add(dec("99")))
}

func renumber(es []token.SnapshotEvent, from int) []token.SnapshotEvent {
	out := append([]token.SnapshotEvent(nil), es...)
	for i := range out {
		out[i].Seq = from + i
	}
	return out
}

func last(s *token.Snapshot) *token.SnapshotEvent { return &s.Events[len(s.Events)-1] }

func findKind(s *token.Snapshot, k token.EventKind) *token.SnapshotEvent {
	for i := range s.Events {
		if s.Events[i].Kind == k {
			return &s.Events[i]
		}
	}
	panic("no event of kind " + string(k))
}

// FuzzRestore: restoring arbitrary bytes never panics; whatever is accepted passes Audit and
// re-encodes to bytes that restore to the same encoding (a fixed point).
func FuzzRestore(f *testing.F) {
	l := newSeedLedger(f)
	data, err := l.MarshalJSON()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(bytes.Replace(data, []byte(`"40.000000"`), []byte(`"41.000000"`), 1))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"version":1,"asset":{"symbol":"A","decimals":0},"supply":"1","balances":[{"account":"a","amount":"1"}],"allowances":[],"vestings":[],"events":[{"seq":1,"kind":"genesis","to":"a","amount":"1"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r token.Ledger
		if err := r.UnmarshalJSON(data); err != nil {
			if !errors.Is(err, token.ErrSnapshot) {
				t.Fatalf("error %v does not match ErrSnapshot", err)
			}
			return
		}
		if err := r.Audit(); err != nil {
			t.Fatalf("restored ledger fails Audit: %v", err)
		}
		once, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var r2 token.Ledger
		if err := r2.UnmarshalJSON(once); err != nil {
			t.Fatalf("re-encoded snapshot rejected: %v", err)
		}
		twice, _ := r2.MarshalJSON()
		if !bytes.Equal(once, twice) {
			t.Fatalf("not a fixed point:\n%s\n%s", once, twice)
		}
	})
}

// newSeedLedger is busyLedger for a fuzz target.
func newSeedLedger(f *testing.F) *token.Ledger {
	l, err := token.NewLedger(token.Genesis{Asset: token.TRST(), Supply: dec("150"), Grants: []token.Grant{
		{Account: "alice", Amount: dec("100")}, {Account: "bob", Amount: dec("50")}}})
	if err != nil {
		f.Fatal(err)
	}
	for _, err := range []error{
		l.Transfer("alice", "bob", dec("1.5")),
		l.Approve("alice", "carol", dec("10")),
		l.TransferFrom("carol", "alice", "dave", dec("2")),
	} {
		if err != nil {
			f.Fatal(err)
		}
	}
	id, err := l.Vest("alice", "bob", token.Schedule{Asset: token.TRST(), Total: dec("40"), Start: sec(0), Cliff: sec(5), End: sec(100), Period: 3 * time.Second}, true)
	if err != nil {
		f.Fatal(err)
	}
	if _, err := l.Release(sec(25), id); err != nil {
		f.Fatal(err)
	}
	if _, err := l.Revoke(sec(50.5), id); err != nil {
		f.Fatal(err)
	}
	return l
}
