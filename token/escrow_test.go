package token_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/token"
	"github.com/trustcircle/trustcircle/token/tokentest"
)

// TestVestInEscrow: a grant in escrow sits locked in the escrow's balance, out of the
// beneficiary's; a release moves what has vested to the beneficiary; a revocation returns
// the unvested part from the escrow to the granter.
func TestVestInEscrow(t *testing.T) {
	l := newTestLedger(t) // alice 100, bob 50
	if err := l.Transfer("alice", "escrow", ta("5")); err != nil {
		t.Fatal(err)
	}
	s := token.LinearSchedule(ta("40"), sec(0), sec(100))
	id, err := l.VestInEscrow("alice", "escrow", "bob", s, true)
	if err != nil || id != 1 {
		t.Fatalf("VestInEscrow: %d %v", id, err)
	}
	check := func(when string, alice, bob, escrow, locked string) {
		t.Helper()
		if !l.Balance("alice").Equal(ta(alice)) || !l.Balance("bob").Equal(ta(bob)) || !l.Balance("escrow").Equal(ta(escrow)) ||
			!l.Locked("escrow").Equal(ta(locked)) || !l.Locked("bob").IsZero() || !l.Spendable("escrow").Equal(ta("5")) {
			t.Fatalf("%s: alice %s bob %s escrow %s (locked %s, spendable %s)", when, l.Balance("alice"), l.Balance("bob"),
				l.Balance("escrow"), l.Locked("escrow"), l.Spendable("escrow"))
		}
	}
	check("after the grant", "55", "50", "45", "40")
	// The escrow spends its own tokens, not the grant's.
	err = unchanged(t, l, func() error { return l.Transfer("escrow", "carol", ta("5.000001")) })
	if e := checkErr(t, err, token.ErrInsufficientBalance); !e.Limit.Equal(ta("5")) {
		t.Fatalf("escrow overspends: %v", err)
	}
	got, err := l.Release(sec(25), id)
	if err != nil || !got.Equal(ta("10")) {
		t.Fatalf("release: %s %v", got, err)
	}
	check("after a release", "55", "60", "35", "30")
	back, err := l.Revoke(sec(50), id)
	if err != nil || !back.Equal(ta("20")) {
		t.Fatalf("revoke: %s %v", back, err)
	}
	check("after the revocation", "75", "60", "15", "10")
	if got, err = l.Release(sec(1000), id); err != nil || !got.Equal(ta("10")) {
		t.Fatalf("last release: %s %v", got, err)
	}
	check("at the end", "75", "70", "5", "0")
	g, _ := l.Vesting(id)
	want := token.VestingGrant{ID: 1, Granter: "alice", Beneficiary: "bob", Escrow: "escrow", Schedule: s, Revocable: true,
		Revoked: true, RevokedAt: sec(50), Entitled: ta("20"), Released: ta("20")}
	if diff := cmp.Diff(want, g); diff != "" || g.Holder() != "escrow" {
		t.Fatalf("grant (-want +got):\n%s", diff)
	}
	wantEvents := []string{
		`{"v":1,"seq":5,"kind":"vest","from":"alice","to":"bob","escrow":"escrow","amount":"40.000000 TRST","vesting":1,"start":"2017-04-13T00:00:00Z","end":"2017-04-13T00:01:40Z","revocable":true}`,
		`{"v":1,"seq":6,"kind":"release","from":"escrow","to":"bob","amount":"10.000000 TRST","vesting":1,"at":"2017-04-13T00:00:25Z"}`,
		`{"v":1,"seq":7,"kind":"revoke","from":"escrow","to":"alice","amount":"20.000000 TRST","vesting":1,"at":"2017-04-13T00:00:50Z"}`,
		`{"v":1,"seq":8,"kind":"release","from":"escrow","to":"bob","amount":"10.000000 TRST","vesting":1,"at":"2017-04-13T00:16:40Z"}`,
	}
	for e := range l.EventsAfter(4) {
		if got := string(e.AppendJSON(nil)); got != wantEvents[e.Seq-5] {
			t.Errorf("event %d:\n%s\nwant\n%s", e.Seq, got, wantEvents[e.Seq-5])
		}
	}
	tokentest.CheckLedger(t, l)
}

// TestVestInEscrowOwnAndErrors: the granter may be its own escrow; the escrow account is
// validated; a grant beyond the spendable balance is refused.
func TestVestInEscrowOwnAndErrors(t *testing.T) {
	l := newTestLedger(t)
	s := token.CalendarSchedule(ta("12"), day(2017, 1, 31), token.Monthly, 12, 0)
	id, err := l.VestInEscrow("alice", "alice", "bob", s, false)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Balance("alice").Equal(ta("100")) || !l.Spendable("alice").Equal(ta("88")) || !l.Balance("bob").Equal(ta("50")) {
		t.Fatalf("own escrow: alice %s spendable %s", l.Balance("alice"), l.Spendable("alice"))
	}
	if got, err := l.Release(day(2017, 2, 28), id); err != nil || !got.Equal(ta("1")) || !l.Balance("bob").Equal(ta("51")) {
		t.Fatalf("release on Feb 28: %s %v", got, err)
	}
	for name, escrow := range map[string]token.Account{"empty": "", "space": "e e", "long": token.Account(bytes.Repeat([]byte("e"), 129))} {
		err := unchanged(t, l, func() error { _, err := l.VestInEscrow("alice", escrow, "bob", s, false); return err })
		if e := checkErr(t, err, token.ErrInvalidAccount); e.Op != "VestInEscrow" {
			t.Errorf("%s escrow: %v", name, err)
		}
	}
	checkErr(t, unchanged(t, l, func() error { _, err := l.VestInEscrow("", "e", "bob", s, false); return err }), token.ErrInvalidAccount)
	checkErr(t, unchanged(t, l, func() error { _, err := l.VestInEscrow("alice", "e", "b b", s, false); return err }), token.ErrInvalidAccount)
	big := s
	big.Total = ta("88.000001")
	err = unchanged(t, l, func() error { _, err := l.VestInEscrow("alice", "e", "bob", big, false); return err })
	if e := checkErr(t, err, token.ErrInsufficientBalance); !e.Limit.Equal(ta("88")) {
		t.Fatalf("beyond the spendable balance: %v", err)
	}
	bad := s
	bad.Period = 1
	checkErr(t, unchanged(t, l, func() error { _, err := l.VestInEscrow("alice", "e", "bob", bad, false); return err }), token.ErrInvalidSchedule)
	var zero token.Ledger
	if _, err := zero.VestInEscrow("a", "e", "b", s, false); !errors.Is(err, token.ErrUninitialized) {
		t.Errorf("zero Ledger: %v", err)
	}
	tokentest.CheckLedger(t, l)
}

// TestEscrowReplay: escrow and calendar grants replay from JSON, and a vest event whose
// escrow, step or linear flag was changed does not.
func TestEscrowReplay(t *testing.T) {
	l := newTestLedger(t)
	s := grant8M()
	s.Total = ta("48")
	if _, err := l.VestInEscrow("alice", "escrow", "bob", s, true); err != nil {
		t.Fatal(err)
	}
	s.Linear = true
	if _, err := l.Vest("alice", "carol", s, false); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Release(day(2020, 2, 15), 1); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Release(day(2020, 2, 15), 2); err != nil {
		t.Fatal(err)
	}
	var log []byte
	for e := range l.EventsAfter(0) {
		log = append(e.AppendJSON(log), '\n')
	}
	if !bytes.Contains(log, []byte(`"step":"P1M","linear":true`)) || !bytes.Contains(log, []byte(`"escrow":"escrow"`)) {
		t.Fatalf("log:\n%s", log)
	}
	r, err := token.Replay(slices.Values(decodeLog(t, log)))
	if err != nil || !bytes.Equal(state(t, l), state(t, r)) {
		t.Fatalf("replay: %v", err)
	}
	es := l.Events()
	for name, m := range map[string]func([]token.Event) []token.Event{
		"escrow dropped": func(es []token.Event) []token.Event { es[3].Escrow = ""; return es },
		"other escrow":   func(es []token.Event) []token.Event { es[3].Escrow = "x"; return es },
		"step changed":   func(es []token.Event) []token.Event { es[4].Step = token.Quarterly; return es },
		"not linear":     func(es []token.Event) []token.Event { es[4].Linear = false; return es },
		"release from":   func(es []token.Event) []token.Event { es[5].From = ""; return es },
		"step and period": func(es []token.Event) []token.Event {
			es[4].Period = 1
			return es
		},
	} {
		if _, err := token.Replay(slices.Values(m(slices.Clone(es)))); !errors.Is(err, token.ErrReplay) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, bad := range []string{`"step":"P1W"`, `"step":1`, `"linear":"yes"`} {
		line := bytes.Replace(es[4].AppendJSON(nil), []byte(`"step":"P1M"`), []byte(bad), 1)
		line = bytes.Replace(line, []byte(`"linear":true`), []byte(bad), 1)
		var e token.Event
		if err := e.UnmarshalJSON(line); !errors.Is(err, token.ErrReplay) {
			t.Errorf("%s: %v", bad, err)
		}
	}
	// The snapshot keeps the escrow, the step and Linear, and restores.
	data := state(t, l)
	for _, want := range []string{`"escrow":"escrow","total"`, `"step":"P1M","linear":true,"revocable":false`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("snapshot lacks %s:\n%s", want, data)
		}
	}
	var back token.Ledger
	if err := back.UnmarshalJSON(data); err != nil || !bytes.Equal(state(t, &back), data) {
		t.Fatalf("snapshot round trip: %v", err)
	}
	for name, m := range map[string]func(s *token.Snapshot){
		"escrow": func(s *token.Snapshot) { s.Vestings[0].Escrow = "" },
		"step":   func(s *token.Snapshot) { s.Vestings[1].Step = token.Yearly },
		"linear": func(s *token.Snapshot) { s.Vestings[1].Linear = false },
	} {
		s := l.Snapshot()
		m(&s)
		if _, err := token.Restore(s); !errors.Is(err, token.ErrSnapshot) {
			t.Errorf("snapshot %s: %v", name, err)
		}
	}
}
