package token_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
	"github.com/trustcircle/trustcircle/token/tokentest"
)

// TestFreezeUntilTime: a freeze with an end stops every transfer out of other accounts than
// its administrator's (class Conflict, nothing changed) until Thaw is given a time at or
// after the end.
func TestFreezeUntilTime(t *testing.T) {
	l := newTestLedger(t) // alice 100, bob 50
	until := day(2017, 5, 1)
	if err := l.Freeze("alice", until.In(time.FixedZone("X", 3600))); err != nil {
		t.Fatal(err)
	}
	if f, ok := l.Frozen(); !ok || f.Admin != "alice" || !f.Until.Equal(until) || f.Until.Location() != time.UTC {
		t.Fatalf("Frozen = %+v, %t", f, ok)
	}
	err := unchanged(t, l, func() error { return l.Transfer("bob", "carol", ta("1")) })
	if e := checkErr(t, err, token.ErrFrozen); fault.ClassOf(err) != fault.Conflict || e.Account != "bob" || e.Op != "Transfer" ||
		!strings.Contains(e.Detail, "frozen until 2017-05-01T00:00:00Z or until alice lifts the freeze") {
		t.Fatalf("transfer during the freeze: %v", err)
	}
	if err := l.Approve("bob", "carol", ta("10")); err != nil {
		t.Fatalf("approve during the freeze: %v", err)
	}
	checkErr(t, unchanged(t, l, func() error { return l.TransferFrom("carol", "bob", "carol", ta("1")) }), token.ErrFrozen)
	checkErr(t, unchanged(t, l, func() error {
		_, err := l.Vest("bob", "carol", token.LinearSchedule(ta("1"), sec(0), sec(10)), false)
		return err
	}), token.ErrFrozen)
	checkErr(t, unchanged(t, l, func() error {
		_, err := l.VestInEscrow("bob", "escrow", "carol", token.LinearSchedule(ta("1"), sec(0), sec(10)), false)
		return err
	}), token.ErrFrozen)
	// The administrator still pays out, also on allowance and into vesting.
	if err := l.Transfer("alice", "dave", ta("5")); err != nil {
		t.Fatalf("the administrator's transfer: %v", err)
	}
	if err := l.Approve("alice", "bob", ta("3")); err != nil || l.TransferFrom("bob", "alice", "erin", ta("3")) != nil {
		t.Fatal("the administrator's transfer on allowance")
	}
	if _, err := l.Vest("alice", "dave", token.LinearSchedule(ta("2"), sec(0), sec(10)), false); err != nil {
		t.Fatalf("the administrator's grant: %v", err)
	}
	// Releases work during the freeze; the released tokens stay frozen.
	if _, err := l.Release(sec(10), 1); err != nil {
		t.Fatal(err)
	}
	checkErr(t, unchanged(t, l, func() error { return l.Transfer("dave", "bob", ta("1")) }), token.ErrFrozen)
	// Thaw before the end does nothing and records nothing.
	seq := l.LastSeq()
	if lifted, err := l.Thaw(until.Add(-time.Nanosecond)); err != nil || lifted || l.LastSeq() != seq {
		t.Fatalf("thaw before the end: %t %v", lifted, err)
	}
	if lifted, err := l.Thaw(until); err != nil || !lifted {
		t.Fatalf("thaw at the end: %t %v", lifted, err)
	}
	if _, ok := l.Frozen(); ok {
		t.Fatal("still frozen")
	}
	if err := l.Transfer("bob", "carol", ta("1")); err != nil {
		t.Fatalf("after the thaw: %v", err)
	}
	if lifted, err := l.Thaw(until.AddDate(1, 0, 0)); err != nil || lifted {
		t.Fatalf("thaw without a freeze: %t %v", lifted, err)
	}
	events := l.Events()
	if e := events[3]; e.Kind != token.EventFreeze || e.From != "alice" || !e.At.Equal(until) || e.Amount.IsValid() {
		t.Errorf("freeze event %+v", e)
	}
	if e := events[len(events)-2]; e.Kind != token.EventUnfreeze || e.From != "" || !e.At.Equal(until) || e.Amount.IsValid() {
		t.Errorf("thaw event %+v", e)
	}
	tokentest.CheckLedger(t, l)
}

// TestFreezeByAdmin: a freeze without an end lasts until its administrator lifts it; Thaw
// does not; another account may not (class Forbidden).
func TestFreezeByAdmin(t *testing.T) {
	l := newTestLedger(t)
	if err := l.Freeze("sale-admin", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if f, ok := l.Frozen(); !ok || f.Admin != "sale-admin" || !f.Until.IsZero() {
		t.Fatalf("Frozen = %+v, %t", f, ok)
	}
	if lifted, err := l.Thaw(day(9999, 1, 1)); err != nil || lifted {
		t.Fatalf("thaw of a freeze without an end: %t %v", lifted, err)
	}
	err := unchanged(t, l, func() error { return l.Transfer("alice", "bob", ta("1")) })
	if e := checkErr(t, err, token.ErrFrozen); !strings.Contains(e.Detail, "frozen until sale-admin lifts the freeze") {
		t.Fatalf("transfer: %v", err)
	}
	err = unchanged(t, l, func() error { return l.Unfreeze("alice") })
	if e := checkErr(t, err, token.ErrNotAdmin); fault.ClassOf(err) != fault.Forbidden || e.Account != "alice" ||
		e.Detail != "the freeze's administrator is sale-admin" {
		t.Fatalf("unfreeze by another: %v", err)
	}
	checkErr(t, unchanged(t, l, func() error { return l.Freeze("sale-admin", day(2018, 1, 1)) }), token.ErrFrozen)
	if err := l.Unfreeze("sale-admin"); err != nil {
		t.Fatal(err)
	}
	if err := l.Transfer("alice", "bob", ta("1")); err != nil {
		t.Fatal(err)
	}
	last := l.Events()[l.LastSeq()-2]
	if last.Kind != token.EventUnfreeze || last.From != "sale-admin" || !last.At.IsZero() {
		t.Errorf("unfreeze event %+v", last)
	}
	// A second freeze after the first is lifted.
	if err := l.Freeze("bob", time.Time{}); err != nil {
		t.Fatal(err)
	}
	tokentest.CheckLedger(t, l)
}

// TestFreezeErrors: bad input is refused and changes nothing.
func TestFreezeErrors(t *testing.T) {
	l := newTestLedger(t)
	checkErr(t, unchanged(t, l, func() error { return l.Freeze("a b", time.Time{}) }), token.ErrInvalidAccount)
	err := unchanged(t, l, func() error { return l.Freeze("admin", day(9999, 12, 31).AddDate(0, 0, 1)) })
	if e := checkErr(t, err, token.ErrInvalidTime); e.Op != "Freeze" || e.At.IsZero() {
		t.Fatalf("freeze until 10000: %v", err)
	}
	checkErr(t, unchanged(t, l, func() error { return l.Unfreeze("admin") }), token.ErrNotFrozen)
	checkErr(t, unchanged(t, l, func() error { return l.Unfreeze("") }), token.ErrInvalidAccount)
	for _, at := range []time.Time{{}, day(10000, 1, 1), day(0, 12, 31)} {
		err := unchanged(t, l, func() error { _, err := l.Thaw(at); return err })
		checkErr(t, err, token.ErrInvalidTime)
	}
	var zero token.Ledger
	for name, cmd := range map[string]func() error{
		"Freeze":   func() error { return zero.Freeze("a", time.Time{}) },
		"Unfreeze": func() error { return zero.Unfreeze("a") },
		"Thaw":     func() error { _, err := zero.Thaw(sec(0)); return err },
	} {
		if err := cmd(); !errors.Is(err, token.ErrUninitialized) {
			t.Errorf("%s on the zero Ledger: %v", name, err)
		}
	}
	if _, ok := zero.Frozen(); ok {
		t.Error("the zero Ledger is frozen")
	}
}

// TestFreezeEncoding: freeze events encode as documented, replay, and the freeze survives a
// snapshot; a snapshot whose freeze differs from its events does not restore.
func TestFreezeEncoding(t *testing.T) {
	l := newTestLedger(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.Freeze("admin", day(2017, 5, 1)))
	_, err := l.Thaw(day(2017, 5, 2))
	must(err)
	must(l.Freeze("admin", time.Time{}))
	must(l.Unfreeze("admin"))
	must(l.Freeze("alice", day(2017, 6, 1).Add(time.Nanosecond)))
	want := []string{
		`{"v":1,"seq":4,"kind":"freeze","from":"admin","at":"2017-05-01T00:00:00Z"}`,
		`{"v":1,"seq":5,"kind":"unfreeze","at":"2017-05-02T00:00:00Z"}`,
		`{"v":1,"seq":6,"kind":"freeze","from":"admin"}`,
		`{"v":1,"seq":7,"kind":"unfreeze","from":"admin"}`,
		`{"v":1,"seq":8,"kind":"freeze","from":"alice","at":"2017-06-01T00:00:00.000000001Z"}`,
	}
	var log []byte
	for e := range l.EventsAfter(3) {
		if got := string(e.AppendJSON(nil)); got != want[e.Seq-4] {
			t.Errorf("event %d: %s, want %s", e.Seq, got, want[e.Seq-4])
		}
	}
	for e := range l.EventsAfter(0) {
		log = append(e.AppendJSON(log), '\n')
	}
	r, err := token.Replay(slices.Values(decodeLog(t, log)))
	if err != nil || !bytes.Equal(state(t, l), state(t, r)) {
		t.Fatalf("replay: %v", err)
	}
	if f, ok := r.Frozen(); !ok || f.Admin != "alice" {
		t.Fatalf("replayed freeze %+v %t", f, ok)
	}
	data := state(t, l)
	if !bytes.Contains(data, []byte(`"freeze":{"admin":"alice","until":"2017-06-01T00:00:00.000000001Z"}`)) {
		t.Fatalf("snapshot: %s", data)
	}
	for name, m := range map[string]func(s *token.Snapshot){
		"no freeze":   func(s *token.Snapshot) { s.Freeze = nil },
		"other admin": func(s *token.Snapshot) { s.Freeze.Admin = "bob" },
		"other end":   func(s *token.Snapshot) { s.Freeze.Until = time.Time{} },
	} {
		s := l.Snapshot()
		m(&s)
		if _, err := token.Restore(s); !errors.Is(err, token.ErrSnapshot) {
			t.Errorf("%s: %v", name, err)
		}
	}
	s := newTestLedger(t).Snapshot()
	s.Freeze = &token.SnapshotFreeze{Admin: "alice"}
	if _, err := token.Restore(s); !errors.Is(err, token.ErrSnapshot) {
		t.Errorf("a freeze the events never made: %v", err)
	}
	// Unfreeze events that do not replay.
	es := l.Events()
	for name, m := range map[string]func([]token.Event) []token.Event{
		"thaw too early":   func(es []token.Event) []token.Event { es[4].At = day(2017, 4, 30); return es },
		"thaw, no time":    func(es []token.Event) []token.Event { es[4].At = time.Time{}; return es },
		"unfreeze by bob":  func(es []token.Event) []token.Event { es[6].From = "bob"; return es },
		"freeze amount":    func(es []token.Event) []token.Event { es[3].Amount = ta("1"); return es },
		"frozen twice":     func(es []token.Event) []token.Event { return append(es[:6:6], renumber(es[7:], 7)...) },
		"thaw and admin":   func(es []token.Event) []token.Event { es[4].From = "admin"; return es },
		"unfreeze, no one": func(es []token.Event) []token.Event { es[6].From = ""; return es },
	} {
		if _, err := token.Replay(slices.Values(m(slices.Clone(es)))); !errors.Is(err, token.ErrReplay) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
