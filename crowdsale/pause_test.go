package crowdsale_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

func administered() crowdsale.Config {
	cfg := crowdsale.WeTrust2017()
	cfg.Admin = "wetrust-admin"
	return cfg
}

// Golden: a paused sale. The administrator pauses intake for an exchange outage;
// contributions are refused, closing rates are still recorded, the pause is lifted, then
// a second pause outlasts the window: the sale ends while paused, and is finalized (it
// failed its minimum) and refunded.
func TestPausedSaleGolden(t *testing.T) {
	s := newSale(t, administered())
	mustContribute(t, s, btc("a", "alice", "100", utc(3, 2, 10, 0, 0)))
	if err := s.Pause(utc(3, 2, 12, 0, 0), "wetrust-admin", "exchange outage"); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(utc(3, 2, 13, 0, 0)); st.Phase != crowdsale.PhaseOpen || !st.Paused || st.Open() {
		t.Fatalf("status while paused: %+v", st)
	}
	_, err := s.Contribute(btc("b", "bob", "5", utc(3, 2, 13, 0, 0)))
	if !errors.Is(err, crowdsale.ErrPaused) || fault.ClassOf(err) != fault.Conflict || !strings.Contains(err.Error(), "paused since 2017-03-02T12:00:00Z") {
		t.Fatalf("contribution while paused: %v", err)
	}
	if err := s.RecordClosingRateAt(utc(3, 3, 0, 0, 0), utc(3, 2, 0, 0, 0), "gdax", token.BTC(), amt(usd, "1250")); err != nil {
		t.Fatal(err)
	}
	if err := s.Resume(utc(3, 3, 9, 0, 0), "wetrust-admin", "exchange back"); err != nil {
		t.Fatal(err)
	}
	mustContribute(t, s, btc("b", "bob", "5", utc(3, 3, 10, 0, 0)))
	if err := s.Pause(utc(4, 12, 0, 0, 0), "wetrust-admin", "audit of the intake"); err != nil {
		t.Fatal(err)
	}
	// the window ends while paused: the sale ends, can no longer resume, and finalizes
	if err := s.Resume(utc(4, 13, 0, 0, 0), "wetrust-admin", "too late"); !errors.Is(err, crowdsale.ErrState) {
		t.Fatalf("resume after the end: %v", err)
	}
	if err := s.Finalize(utc(4, 13, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(utc(4, 13, 0, 0, 0)); st.Outcome != crowdsale.OutcomeFailed || st.Paused {
		t.Fatalf("%+v", st)
	}
	if rs := s.Refunds(); len(rs) != 2 || !rs[0].Amount.Equal(btcs("100")) || !rs[1].Amount.Equal(btcs("5")) {
		t.Fatalf("refunds %+v", rs)
	}
	// the pause history answers for past instants
	for at, want := range map[time.Time]bool{
		utc(3, 2, 11, 59, 59): false, utc(3, 2, 12, 0, 0): true, utc(3, 3, 8, 59, 59): true,
		utc(3, 3, 9, 0, 0): false, utc(4, 12, 0, 0, 0): true, utc(4, 12, 23, 59, 59): true,
	} {
		if got := s.Status(at).Paused; got != want {
			t.Errorf("paused at %s: %v", at, got)
		}
	}
	golden(t, s, "paused_sale.jsonl")
}

func TestPauseErrors(t *testing.T) {
	s := newSale(t, administered())
	at := utc(3, 1, 0, 0, 0)
	for _, c := range []struct {
		by     token.Account
		reason string
		halt   bool
		want   error
	}{
		{"mallory", "x", true, crowdsale.ErrNotAdmin},
		{"", "x", true, crowdsale.ErrNotAdmin},
		{"wetrust-admin", "", true, crowdsale.ErrInvalidReason},
		{"wetrust-admin", strings.Repeat("x", 257), true, crowdsale.ErrInvalidReason},
		{"wetrust-admin", "a\xffb", true, crowdsale.ErrInvalidReason},
		{"wetrust-admin", "not paused", false, crowdsale.ErrState},
	} {
		var err error
		if c.halt {
			err = s.Pause(at, c.by, c.reason)
		} else {
			err = s.Resume(at, c.by, c.reason)
		}
		if !errors.Is(err, c.want) {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if s.LastSeq() != 0 {
		t.Fatal("a refused pause changed the sale")
	}
	if fault.ClassOf(s.Pause(at, "mallory", "x")) != fault.Forbidden {
		t.Fatal("not admin is forbidden")
	}
	// a sale may be paused before it opens, then stays closed when the window opens
	if err := s.Pause(at, "wetrust-admin", "not ready"); err != nil {
		t.Fatal(err)
	}
	if err := s.Pause(at, "wetrust-admin", "again"); !errors.Is(err, crowdsale.ErrState) {
		t.Fatalf("paused twice: %v", err)
	}
	if _, err := s.Contribute(btc("a", "alice", "1", utc(3, 2, 0, 0, 0))); !errors.Is(err, crowdsale.ErrPaused) {
		t.Fatalf("%v", err)
	}
	if err := s.Resume(at.Add(-1), "wetrust-admin", "x"); !errors.Is(err, crowdsale.ErrTimeOrder) {
		t.Fatal(err)
	}
	if err := s.Resume(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "wetrust-admin", "x"); !errors.Is(err, token.ErrInvalidTime) {
		t.Fatal(err)
	}
	// without an administrator nobody may pause
	plain := newSale(t, crowdsale.WeTrust2017())
	if err := plain.Pause(at, "wetrust-admin", "x"); !errors.Is(err, crowdsale.ErrNotAdmin) || !strings.Contains(err.Error(), "no administrator") {
		t.Fatal(err)
	}
	var zero crowdsale.Sale
	if err := zero.Pause(at, "a", "x"); !errors.Is(err, crowdsale.ErrUninitialized) {
		t.Fatal(err)
	}
	cfg := administered()
	cfg.Admin = "not valid"
	if err := cfg.Validate(); !errors.Is(err, crowdsale.ErrInvalidConfig) || !strings.HasPrefix(errorOf(err).Detail, "Admin: ") {
		t.Fatal(err)
	}
}

// Closing rates, registrations and the clock go on while paused, and the fiat rule can
// end a paused sale.
func TestPausedSaleKeepsItsClock(t *testing.T) {
	s := newSale(t, administered())
	if err := s.Pause(utc(3, 2, 0, 0, 0), "wetrust-admin", "hold"); err != nil {
		t.Fatal(err)
	}
	if err := s.Register(utc(3, 3, 0, 0, 0), crowdsale.Registrant{Account: "alice"}); err != nil {
		t.Fatal(err)
	}
	if st, err := s.Advance(utc(4, 14, 0, 0, 0)); err != nil || st.Phase != crowdsale.PhaseEnded || st.Reason != crowdsale.EndWindow {
		t.Fatalf("%+v %v", st, err)
	}
	if err := s.Finalize(utc(4, 14, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
}
