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
	must(l.Transfer("alice", "bob", ta("1.5")))
	must(l.Approve("alice", "carol", ta("10")))
	must(l.TransferFrom("carol", "alice", "dave", ta("2")))
	must(l.IncreaseAllowance("bob", "alice", ta("3")))
	id, err := l.Vest("alice", "bob", token.LinearSchedule(ta("40"), sec(0), sec(100)), true)
	must(err)
	s := token.Schedule{Total: ta("7"), Start: sec(0).In(time.FixedZone("X", 7200)), Cliff: sec(10), End: sec(70), Period: 7 * time.Second}
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
		_ = x.Transfer("bob", "carol", ta("55"))
		_ = x.Transfer("bob", "carol", ta("5"))
		_, _ = x.Release(sec(69), 2)
		_, _ = x.Release(sec(1000), 1)
	}
	if a, b := state(t, l), state(t, &r); !bytes.Equal(a, b) {
		t.Fatalf("diverged after the same commands:\n%s\n%s", a, b)
	}
	if !strings.HasPrefix(string(data), `{"v":1,`) || !strings.Contains(string(data), `"amount":"1.500000 TRST"`) ||
		!strings.Contains(string(data), `"period":"7s"`) || !strings.Contains(string(data), `{"v":1,"seq":1,"kind":"genesis","to":"alice","amount":"100.000000 TRST"}`) {
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
	snap.Balances[0].Amount = ta("0")
	snap.Events[0].To = "mallory"
	if !bytes.Equal(state(t, l), state(t, r2)) {
		t.Fatal("Restore(Snapshot) differs, or shares the snapshot")
	}
}

func TestSnapshotRejects(t *testing.T) {
	l := busyLedger(t)
	mutations := map[string]func(s *token.Snapshot){
		"version":        func(s *token.Snapshot) { s.Version = 2 },
		"no version":     func(s *token.Snapshot) { s.Version = 0 },
		"asset":          func(s *token.Snapshot) { s.Asset = token.Asset{} },
		"other asset":    func(s *token.Snapshot) { s.Asset = token.ETH() },
		"supply":         func(s *token.Snapshot) { s.Supply = ta("151") },
		"zero supply":    func(s *token.Snapshot) { s.Supply = ta("0") },
		"no supply":      func(s *token.Snapshot) { s.Supply = token.Amount{} },
		"supply asset":   func(s *token.Snapshot) { s.Supply = token.BTC().MustParse("150") },
		"balance amount": func(s *token.Snapshot) { s.Balances[0].Amount = ta("0.000001") },
		"balance asset":  func(s *token.Snapshot) { s.Balances[0].Amount = token.BTC().Zero() },
		"balance moved": func(s *token.Snapshot) {
			s.Balances[0].Amount = ta("1")
			s.Balances[1].Amount = addAmt(s.Balances[1].Amount)
		},
		"balance account":    func(s *token.Snapshot) { s.Balances[0].Account = "" },
		"balances unsorted":  func(s *token.Snapshot) { s.Balances[0], s.Balances[1] = s.Balances[1], s.Balances[0] },
		"balance repeated":   func(s *token.Snapshot) { s.Balances[1].Account = s.Balances[0].Account },
		"balance dropped":    func(s *token.Snapshot) { s.Balances = s.Balances[1:] },
		"allowance zero":     func(s *token.Snapshot) { s.Allowances[0].Amount = ta("0") },
		"allowance changed":  func(s *token.Snapshot) { s.Allowances[0].Amount = ta("9") },
		"allowance account":  func(s *token.Snapshot) { s.Allowances[0].Spender = "a b" },
		"allowance unsorted": func(s *token.Snapshot) { s.Allowances[0], s.Allowances[1] = s.Allowances[1], s.Allowances[0] },
		"allowance extra": func(s *token.Snapshot) {
			s.Allowances = append(s.Allowances, token.SnapshotAllowance{Owner: "zz", Spender: "a", Amount: ta("1")})
		},
		"vesting id":       func(s *token.Snapshot) { s.Vestings[0].ID = 5 },
		"vesting granter":  func(s *token.Snapshot) { s.Vestings[0].Granter = "carol" },
		"vesting bad acct": func(s *token.Snapshot) { s.Vestings[0].Beneficiary = "" },
		"vesting total":    func(s *token.Snapshot) { s.Vestings[0].Total = ta("41") },
		"vesting end":      func(s *token.Snapshot) { s.Vestings[0].End = s.Vestings[0].Start },
		"vesting start":    func(s *token.Snapshot) { s.Vestings[0].Start = time.Time{} },
		"vesting cliff":    func(s *token.Snapshot) { s.Vestings[1].Cliff = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"vesting period":   func(s *token.Snapshot) { s.Vestings[1].Period = 8 * time.Second },
		"released":         func(s *token.Snapshot) { s.Vestings[0].Released = ta("11") },
		"released > ent":   func(s *token.Snapshot) { s.Vestings[0].Released = ta("25") },
		"entitled":         func(s *token.Snapshot) { s.Vestings[0].Entitled = ta("21") },
		"not revoked":      func(s *token.Snapshot) { s.Vestings[0].Revoked = false; s.Vestings[0].RevokedAt = time.Time{} },
		"not revocable":    func(s *token.Snapshot) { s.Vestings[0].Revocable = false },
		"revoked at":       func(s *token.Snapshot) { s.Vestings[0].RevokedAt = time.Date(2017, 4, 13, 0, 1, 0, 0, time.UTC) },
		"no revoked at":    func(s *token.Snapshot) { s.Vestings[0].RevokedAt = time.Time{} },
		"revoked other":    func(s *token.Snapshot) { s.Vestings[1].Revoked = true; s.Vestings[1].RevokedAt = s.Vestings[1].Start },
		"vesting dropped":  func(s *token.Snapshot) { s.Vestings = s.Vestings[:1] },
		"event seq":        func(s *token.Snapshot) { s.Events[3].Seq = 9 },
		"event kind":       func(s *token.Snapshot) { s.Events[3].Kind = "mint" },
		"event amount":     func(s *token.Snapshot) { s.Events[3].Amount = ta("1.4") },
		"event asset":      func(s *token.Snapshot) { s.Events[3].Amount = token.BTC().MustParse("1.5") },
		"event dropped":    func(s *token.Snapshot) { s.Events = append(s.Events[:3:3], renumber(s.Events[4:], 4)...) },
		"events empty":     func(s *token.Snapshot) { s.Events = nil },
		"genesis late": func(s *token.Snapshot) {
			s.Events[0], s.Events[3] = s.Events[3], s.Events[0]
			s.Events[0].Seq, s.Events[3].Seq = 1, 4
		},
		"genesis extra":     func(s *token.Snapshot) { s.Events[0].From = "zed" },
		"event extra field": func(s *token.Snapshot) { s.Events[3].Spender = "zed" },
		"event missing to":  func(s *token.Snapshot) { s.Events[3].To = "" },
		"event time":        func(s *token.Snapshot) { s.Events[3].At = time.Date(2017, 4, 13, 0, 0, 0, 0, time.UTC) },
		"release no time":   func(s *token.Snapshot) { last(s).At = time.Time{} },
		"release amount":    func(s *token.Snapshot) { last(s).Amount = ta("0.000001") },
		"release grant":     func(s *token.Snapshot) { last(s).Vesting = 1 },
		"release unknown":   func(s *token.Snapshot) { last(s).Vesting = 7 },
		"release zero":      func(s *token.Snapshot) { last(s).Amount = ta("0") },
		"revoke twice": func(s *token.Snapshot) {
			e := s.Events[len(s.Events)-2]
			e.Seq = uint64(len(s.Events) + 1)
			s.Events = append(s.Events, e)
		},
		"vest event amount": func(s *token.Snapshot) { findKind(s, token.EventVest).Amount = ta("39") },
		"vest event end":    func(s *token.Snapshot) { findKind(s, token.EventVest).End = sec(101) },
		"vest event cliff":  func(s *token.Snapshot) { findKind(s, token.EventVest).Cliff = sec(1) },
		"vest revocable":    func(s *token.Snapshot) { findKind(s, token.EventVest).Revocable = false },
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
		"unknown field":  bytes.Replace(data, []byte(`{"v":1,"asset"`), []byte(`{"v":1,"x":2,"asset"`), 1),
		"event field":    bytes.Replace(data, []byte(`"kind":"transfer"`), []byte(`"kind":"transfer","x":2`), 1),
		"vesting field":  bytes.Replace(data, []byte(`"revocable":true,"revoked"`), []byte(`"revocable":true,"x":2,"revoked"`), 1),
		"event version":  bytes.Replace(data, []byte(`{"v":1,"seq":2`), []byte(`{"v":2,"seq":2`), 1),
		"no event v":     bytes.Replace(data, []byte(`{"v":1,"seq":2`), []byte(`{"seq":2`), 1),
		"bad supply":     bytes.Replace(data, []byte(`"supply":"150.000000 TRST"`), []byte(`"supply":"x"`), 1),
		"plain number":   bytes.Replace(data, []byte(`"supply":"150.000000 TRST"`), []byte(`"supply":"150.000000"`), 1),
		"short scale":    bytes.Replace(data, []byte(`"supply":"150.000000 TRST"`), []byte(`"supply":"150 TRST"`), 1),
		"sub-unit":       bytes.Replace(data, []byte(`"amount":"1.500000 TRST"`), []byte(`"amount":"1.5000001 TRST"`), 1),
		"vesting time":   bytes.Replace(data, []byte(`"start":"2017-04-13T00:00:00Z","end"`), []byte(`"start":"yesterday","end"`), 1),
		"vesting period": bytes.Replace(data, []byte(`"period":"7s"`), []byte(`"period":"7"`), 1),
		"event period":   bytes.Replace(data, []byte(`"period":"7s"}`), []byte(`"period":"soon"}`), 1),
		"event time":     bytes.Replace(data, []byte(`"at":"`), []byte(`"at":"x`), 1),
		"year 10000":     bytes.Replace(data, []byte(`"end":"2017-04-13T00:01:40Z"`), []byte(`"end":"10000-04-13T00:01:40Z"`), 1),
		"trailing":       append(append([]byte{}, data...), []byte(` {}`)...),
		"not json":       []byte(`{`),
		"wrong type":     []byte(`[]`),
	} {
		if err := r.UnmarshalJSON(bad); !errors.Is(err, token.ErrSnapshot) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// addAmt returns x + 99 TRST.
func addAmt(x token.Amount) token.Amount {
	s, err := x.Add(ta("99"))
	if err != nil {
		panic(err)
	}
	return s
}

func renumber(es []token.Event, from uint64) []token.Event {
	out := append([]token.Event(nil), es...)
	for i := range out {
		out[i].Seq = from + uint64(i)
	}
	return out
}

func last(s *token.Snapshot) *token.Event { return &s.Events[len(s.Events)-1] }

func findKind(s *token.Snapshot, k token.EventKind) *token.Event {
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
	f.Add(bytes.Replace(data, []byte(`"40.000000 TRST"`), []byte(`"41.000000 TRST"`), 1))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"v":1,"asset":{"symbol":"A","decimals":0},"supply":"1 A","balances":[{"account":"a","amount":"1 A"}],"allowances":[],"vestings":[],"events":[{"v":1,"seq":1,"kind":"genesis","to":"a","amount":"1 A"}]}`))
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
	l, err := token.NewLedger(token.Genesis{Asset: token.TRST(), Supply: ta("150"), Grants: []token.Grant{
		{Account: "alice", Amount: ta("100")}, {Account: "bob", Amount: ta("50")}}})
	if err != nil {
		f.Fatal(err)
	}
	for _, err := range []error{
		l.Transfer("alice", "bob", ta("1.5")),
		l.Approve("alice", "carol", ta("10")),
		l.TransferFrom("carol", "alice", "dave", ta("2")),
	} {
		if err != nil {
			f.Fatal(err)
		}
	}
	id, err := l.Vest("alice", "bob", token.Schedule{Total: ta("40"), Start: sec(0), Cliff: sec(5), End: sec(100), Period: 3 * time.Second}, true)
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
