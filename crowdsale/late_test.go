package crowdsale_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
)

// Golden: a late-seen contribution. The service sees bob's transaction of 23:59:50 on
// March 2 (30% tier) only after alice's of 00:00:10 on March 3, and after the window ended
// it inserts carol's of 23:59:59 on April 12; both keep the tier of the time received.
func TestLateContributionGolden(t *testing.T) {
	cfg := noMinimum()
	cfg.Lateness = 10 * time.Minute
	s := newSale(t, cfg)
	mustContribute(t, s, btc("a", "alice", "10", utc(3, 3, 0, 0, 10)))
	b := mustContribute(t, s, btc("b", "bob", "10", utc(3, 2, 23, 59, 50)))
	if !b.Bonus.Equal(pct(30)) || b.Index != 1 {
		t.Fatalf("late receipt %+v", b)
	}
	_, err := s.Contribute(btc("x", "dave", "1", utc(3, 2, 23, 50, 9)))
	if !errors.Is(err, crowdsale.ErrTimeOrder) || !strings.Contains(err.Error(), "lateness allowed (10m0s)") {
		t.Fatalf("too late: %v", err)
	}
	if _, err := s.Advance(utc(4, 13, 0, 5, 0)); err != nil {
		t.Fatal(err)
	}
	c := mustContribute(t, s, btc("c", "carol", "5", utc(4, 12, 23, 59, 59)))
	if !c.Bonus.Equal(pct(0)) {
		t.Fatalf("%+v", c)
	}
	if _, err := s.Contribute(btc("d", "dave", "1", utc(4, 13, 0, 0, 0))); !errors.Is(err, crowdsale.ErrEnded) {
		t.Fatalf("received at the end: %v", err)
	}
	if err := s.Finalize(utc(4, 13, 0, 6, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Contribute(btc("e", "erin", "1", utc(4, 12, 23, 59, 0))); !errors.Is(err, crowdsale.ErrEnded) {
		t.Fatalf("after finalizing: %v", err)
	}
	// 10 x 1.25 + 10 x 1.30 + 5 x 1 = 30.5 of weight
	// allocations in the order of first contributions, received times: bob's comes first
	if got := s.Allocations()[0]; got.Participant != "bob" || !got.Amount.Equal(trst("34098360.655738")) {
		t.Fatalf("%+v", got)
	}
	golden(t, s, "late_contribution.jsonl")
}

func TestLateContributionRules(t *testing.T) {
	cfg := noMinimum()
	cfg.Lateness = time.Hour
	cfg.Cap = btcs("20")
	cfg.Admin = "admin"
	s := newSale(t, cfg)
	mustContribute(t, s, btc("a", "alice", "10", utc(3, 2, 12, 0, 0)))
	if err := s.Pause(utc(3, 2, 12, 30, 0), "admin", "hold"); err != nil {
		t.Fatal(err)
	}
	// a pause in force on arrival refuses a contribution received before it
	if _, err := s.Contribute(btc("b", "bob", "1", utc(3, 2, 12, 10, 0))); !errors.Is(err, crowdsale.ErrPaused) {
		t.Fatalf("%v", err)
	}
	if err := s.Resume(utc(3, 2, 12, 40, 0), "admin", "go"); err != nil {
		t.Fatal(err)
	}
	mustContribute(t, s, btc("b", "bob", "1", utc(3, 2, 12, 10, 0)))
	if st := s.Status(utc(3, 2, 12, 40, 0)); st.Phase != crowdsale.PhaseOpen {
		t.Fatalf("%+v", st)
	}
	// the clock did not move back: a command between the late one and the clock is refused
	if _, err := s.Advance(utc(3, 2, 12, 39, 0)); !errors.Is(err, crowdsale.ErrTimeOrder) {
		t.Fatalf("%v", err)
	}
	// the cap ends the sale; a late one cannot enter after
	mustContribute(t, s, btc("c", "carol", "9", utc(3, 2, 12, 41, 0)))
	if _, err := s.Contribute(btc("d", "dave", "1", utc(3, 2, 12, 20, 0))); !errors.Is(err, crowdsale.ErrEnded) {
		t.Fatalf("after the cap: %v", err)
	}
	// nor may a late one reach the cap after the window ended
	w := noMinimum()
	w.Lateness, w.Cap = time.Hour, btcs("20")
	ws := newSale(t, w)
	mustContribute(t, ws, btc("a", "alice", "10", utc(4, 12, 23, 0, 0)))
	if _, err := ws.Advance(utc(4, 13, 0, 10, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Contribute(btc("b", "bob", "10", utc(4, 12, 23, 30, 0))); !errors.Is(err, crowdsale.ErrEnded) || !strings.Contains(err.Error(), "reach the cap") {
		t.Fatalf("late to the cap: %v", err)
	}
	mustContribute(t, ws, btc("b", "bob", "9.99999999", utc(4, 12, 23, 30, 0)))
	for field, d := range map[string]time.Duration{"Lateness": -1, "Lateness ": 169 * time.Hour} {
		cfg := noMinimum()
		cfg.Lateness = d
		if err := cfg.Validate(); !errors.Is(err, crowdsale.ErrInvalidConfig) || !strings.HasPrefix(errorOf(err).Detail, strings.TrimSpace(field)+": ") {
			t.Errorf("%s: %v", field, err)
		}
	}
}
