package crowdsale_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/crowdsale/crowdsaletest"
	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// escrowed is the seed sale without its minimum, its proceeds held by three escrow
// partners of whom two must approve a release.
func escrowed() crowdsale.Config {
	cfg := noMinimum()
	cfg.Escrow = crowdsale.EscrowRule{Holders: []token.Account{"escrow-a", "escrow-b", "escrow-c"}, Threshold: 2}
	return cfg
}

// Golden: a release of the proceeds approved by 2 of 3 key holders.
func TestEscrowReleaseTwoOfThreeGolden(t *testing.T) {
	s := newSale(t, escrowed())
	mustContribute(t, s, btc("a", "alice", "40", utc(3, 10, 0, 0, 0)))
	mustContribute(t, s, eth("c", "charlie", "300", utc(4, 7, 0, 0, 0), quotes("0.0300", "0.0301", "0.0299")))
	rel := crowdsale.Release{ID: "team-1", Amount: btcs("30"), Destination: "bc1wetrust"}
	// no release before the sale succeeds
	if err := s.Approve(utc(4, 8, 0, 0, 0), "escrow-a", rel); !errors.Is(err, crowdsale.ErrState) {
		t.Fatalf("before finalizing: %v", err)
	}
	if err := s.Finalize(utc(4, 13, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(utc(4, 14, 0, 0, 0), "escrow-a", rel); err != nil {
		t.Fatal(err)
	}
	if holders, done := s.Approvals("team-1"); done || len(holders) != 1 || s.Releases() != nil {
		t.Fatalf("one approval released: %v %v", holders, done)
	}
	seq := s.LastSeq()
	if err := s.Approve(utc(4, 14, 0, 0, 0), "escrow-a", rel); err != nil || s.LastSeq() != seq {
		t.Fatalf("the same approval again: %v", err)
	}
	other := rel
	other.Destination = "bc1elsewhere"
	if err := s.Approve(utc(4, 14, 0, 0, 0), "escrow-b", other); !errors.Is(err, crowdsale.ErrReleaseConflict) {
		t.Fatalf("another release under the same id: %v", err)
	}
	if err := s.Approve(utc(4, 15, 0, 0, 0), "escrow-c", rel); err != nil {
		t.Fatal(err)
	}
	if holders, done := s.Approvals("team-1"); !done || !cmp.Equal(holders, []token.Account{"escrow-a", "escrow-c"}) {
		t.Fatalf("%v %v", holders, done)
	}
	if err := s.Approve(utc(4, 15, 0, 0, 0), "escrow-b", rel); !errors.Is(err, crowdsale.ErrReleaseConflict) {
		t.Fatalf("approving a done release: %v", err)
	}
	want := []crowdsale.EscrowBalance{
		{Received: btcs("40"), Released: btcs("30"), Refunded: btcs("0"), Held: btcs("10")},
		{Received: eths("300"), Released: eths("0"), Refunded: eths("0"), Held: eths("300")},
	}
	if diff := cmp.Diff(want, s.Escrow()); diff != "" {
		t.Fatal(diff)
	}
	// never more released than held
	err := s.Approve(utc(4, 16, 0, 0, 0), "escrow-b", crowdsale.Release{ID: "team-2", Amount: btcs("10.00000001"), Destination: "bc1wetrust"})
	if e := errorOf(err); !errors.Is(err, crowdsale.ErrEscrowShort) || fault.ClassOf(err) != fault.Conflict || !e.Limit.Equal(btcs("10")) {
		t.Fatalf("above what is held: %v", err)
	}
	golden(t, s, "escrow_release_2_of_3.jsonl")
}

func TestEscrowErrors(t *testing.T) {
	s := newSale(t, escrowed())
	mustContribute(t, s, btc("a", "alice", "40", utc(3, 10, 0, 0, 0)))
	if err := s.Finalize(utc(4, 13, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	at := utc(4, 14, 0, 0, 0)
	ok := crowdsale.Release{ID: "r", Amount: btcs("1"), Destination: "bc1"}
	seq := s.LastSeq()
	for name, c := range map[string]struct {
		holder token.Account
		r      crowdsale.Release
		want   error
	}{
		"not a holder":     {"mallory", ok, crowdsale.ErrNotHolder},
		"empty id":         {"escrow-a", crowdsale.Release{Amount: btcs("1"), Destination: "bc1"}, crowdsale.ErrInvalidRelease},
		"id utf-8":         {"escrow-a", crowdsale.Release{ID: "a\xff", Amount: btcs("1"), Destination: "bc1"}, crowdsale.ErrInvalidRelease},
		"no destination":   {"escrow-a", crowdsale.Release{ID: "r", Amount: btcs("1")}, crowdsale.ErrInvalidRelease},
		"zero":             {"escrow-a", crowdsale.Release{ID: "r", Amount: btcs("0"), Destination: "bc1"}, crowdsale.ErrInvalidRelease},
		"negative":         {"escrow-a", crowdsale.Release{ID: "r", Amount: btcs("-1"), Destination: "bc1"}, crowdsale.ErrInvalidRelease},
		"other currency":   {"escrow-a", crowdsale.Release{ID: "r", Amount: amt(usd, "1"), Destination: "bc1"}, crowdsale.ErrInvalidRelease},
		"no amount":        {"escrow-a", crowdsale.Release{ID: "r", Destination: "bc1"}, crowdsale.ErrInvalidRelease},
		"more than held":   {"escrow-a", crowdsale.Release{ID: "r", Amount: btcs("41"), Destination: "bc1"}, crowdsale.ErrEscrowShort},
		"nothing held":     {"escrow-a", crowdsale.Release{ID: "r", Amount: eths("1"), Destination: "0x1"}, crowdsale.ErrEscrowShort},
		"before the clock": {"escrow-a", ok, crowdsale.ErrTimeOrder},
	} {
		when := at
		if name == "before the clock" {
			when = utc(4, 12, 0, 0, 0)
		}
		if err := s.Approve(when, c.holder, c.r); !errors.Is(err, c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if fault.ClassOf(s.Approve(at, "mallory", ok)) != fault.Forbidden {
		t.Fatal("a stranger's approval is forbidden")
	}
	if s.LastSeq() != seq || len(s.Releases()) != 0 {
		t.Fatal("a refused approval changed the sale")
	}
	plain := newSale(t, noMinimum())
	if err := plain.Approve(at, "escrow-a", ok); !errors.Is(err, crowdsale.ErrNotHolder) || !strings.Contains(err.Error(), "no escrow") {
		t.Fatal(err)
	}
	if plain.Escrow() != nil {
		t.Fatal("a sale without escrow reports one")
	}
	var zero crowdsale.Sale
	if err := zero.Approve(at, "escrow-a", ok); !errors.Is(err, crowdsale.ErrUninitialized) {
		t.Fatal(err)
	}
	for field, e := range map[string]crowdsale.EscrowRule{
		"Escrow.Threshold":  {Holders: []token.Account{"a", "b"}, Threshold: 3},
		"Escrow.Threshold ": {Threshold: 1},
		"Escrow.Holders[1]": {Holders: []token.Account{"a", "a"}, Threshold: 1},
		"Escrow.Holders[0]": {Holders: []token.Account{"a b"}, Threshold: 1},
	} {
		cfg := escrowed()
		cfg.Escrow = e
		if err := cfg.Validate(); !errors.Is(err, crowdsale.ErrInvalidConfig) || !strings.HasPrefix(errorOf(err).Detail, strings.TrimSpace(field)+": ") {
			t.Errorf("%s: %v", field, err)
		}
	}
}

// A failed sale refunds from the escrow, which never releases.
func TestEscrowRefundsWhenTheSaleFails(t *testing.T) {
	cfg := escrowed()
	cfg.Minimum = btcs("1000")
	s := newSale(t, cfg)
	mustContribute(t, s, btc("a", "alice", "40", utc(3, 10, 0, 0, 0)))
	mustContribute(t, s, eth("c", "charlie", "300", utc(4, 7, 0, 0, 0), quotes("0.03", "0.03", "0.03")))
	if err := s.Finalize(utc(4, 13, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if err := s.Approve(utc(4, 13, 0, 0, 0), "escrow-a", crowdsale.Release{ID: "r", Amount: btcs("1"), Destination: "bc1"}); !errors.Is(err, crowdsale.ErrState) {
		t.Fatalf("release from a failed sale: %v", err)
	}
	if err := s.PayRefund(utc(4, 13, 0, 0, 0), "c", crowdsale.RefundMinimum, "0xrefund"); err != nil {
		t.Fatal(err)
	}
	want := []crowdsale.EscrowBalance{
		{Received: btcs("40"), Released: btcs("0"), Refunded: btcs("0"), Held: btcs("40")},
		{Received: eths("300"), Released: eths("0"), Refunded: eths("300"), Held: eths("0")},
	}
	if diff := cmp.Diff(want, s.Escrow()); diff != "" {
		t.Fatal(diff)
	}
	if err := crowdsaletest.Check(s); err != nil {
		t.Fatal(err)
	}
}

func TestEscrowJSON(t *testing.T) {
	cfg := escrowed()
	b, _ := json.Marshal(cfg)
	if !strings.Contains(string(b), `"escrow":{"holders":["escrow-a","escrow-b","escrow-c"],"threshold":2}`) {
		t.Fatalf("%s", b)
	}
	var back crowdsale.Config
	if err := json.Unmarshal(b, &back); err != nil || !cmp.Equal(cfg, back) {
		t.Fatalf("%v\n%s", err, cmp.Diff(cfg, back))
	}
	a := crowdsale.Approval{Holder: "escrow-a", Release: crowdsale.Release{ID: "r", Amount: btcs("1"), Destination: "bc1"}}
	b, _ = json.Marshal(a)
	if string(b) != `{"holder":"escrow-a","release":{"id":"r","amount":"1.00000000 BTC","destination":"bc1"}}` {
		t.Fatalf("%s", b)
	}
	var ab crowdsale.Approval
	if err := json.Unmarshal(b, &ab); err != nil || !cmp.Equal(a, ab) {
		t.Fatalf("%v %+v", err, ab)
	}
	var rb crowdsale.Release
	if err := json.Unmarshal([]byte(`{"id":"r","amount":"1.00000000 BTC","destination":"bc1","memo":1}`), &rb); !errors.Is(err, crowdsale.ErrReplay) {
		t.Fatal(err)
	}
}
