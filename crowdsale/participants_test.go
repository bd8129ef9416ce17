package crowdsale_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/crowdsale/crowdsaletest"
	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// limited is the seed sale without its minimum, each participant between 1 and 10 BTC.
func limited() crowdsale.Config {
	cfg := noMinimum()
	cfg.PerParticipant = crowdsale.Limits{Min: btcs("1"), Max: btcs("10")}
	return cfg
}

func TestPerParticipantLimits(t *testing.T) {
	s := newSale(t, limited())
	at := utc(3, 2, 1, 0, 0)
	_, err := s.Contribute(btc("small", "alice", "0.99999999", at))
	if !errors.Is(err, crowdsale.ErrBelowLimit) || fault.ClassOf(err) != fault.Invalid || !errorOf(err).Limit.Equal(btcs("1")) {
		t.Fatalf("below the minimum: %v", err)
	}
	mustContribute(t, s, btc("first", "alice", "1", at))
	mustContribute(t, s, btc("topup", "alice", "0.5", at)) // top-ups may be smaller than the minimum
	// 300 ETH at 0.03 is 9 BTC: 10.5 in all, above the maximum of 10; refused whole
	_, err = s.Contribute(eth("big", "alice", "300", at, quotes("0.03", "0.03", "0.03")))
	if e := errorOf(err); !errors.Is(err, crowdsale.ErrAboveLimit) || fault.ClassOf(err) != fault.Conflict || !e.Limit.Equal(value("8.5")) {
		t.Fatalf("above the maximum: %v", err)
	}
	if s.Len() != 2 {
		t.Fatal("a refused contribution was recorded")
	}
	mustContribute(t, s, btc("exact", "alice", "8.5", at)) // up to the maximum exactly
	if _, err := s.Contribute(btc("more", "alice", "0.00000001", at)); !errors.Is(err, crowdsale.ErrAboveLimit) {
		t.Fatalf("at the maximum: %v", err)
	}
	mustContribute(t, s, btc("bob", "bob", "10", at)) // the limits are per participant
	// WhatIf reports the same refusals
	if _, err := s.WhatIf(btc("w", "carol", "0.5", at)); !errors.Is(err, crowdsale.ErrBelowLimit) {
		t.Fatalf("WhatIf: %v", err)
	}
	if err := crowdsaletest.Check(s); err != nil {
		t.Fatal(err)
	}
}

// The contribution that crosses the cap counts its whole value for the minimum and its
// accepted value for the maximum.
func TestPerParticipantLimitsAtTheCap(t *testing.T) {
	cfg := limited()
	cfg.Cap = btcs("10.5")
	cfg.PerParticipant.Min = btcs("2")
	s := newSale(t, cfg)
	at := utc(3, 2, 1, 0, 0)
	mustContribute(t, s, btc("a", "alice", "10", at))
	r := mustContribute(t, s, btc("b", "bob", "3", at)) // 0.5 accepted, below the minimum once clipped
	if !r.Accepted.Equal(btcs("0.5")) || !r.Refund.Equal(btcs("2.5")) {
		t.Fatalf("%+v", r)
	}
}

func TestLimitsValidate(t *testing.T) {
	for field, l := range map[string]crowdsale.Limits{
		"PerParticipant.Min":  {Min: eths("1")},
		"PerParticipant.Max":  {Max: btcs("-1")},
		"PerParticipant.Min ": {Min: btcs("2"), Max: btcs("1")},
	} {
		cfg := crowdsale.WeTrust2017()
		cfg.PerParticipant = l
		err := cfg.Validate()
		if !errors.Is(err, crowdsale.ErrInvalidConfig) || !strings.HasPrefix(errorOf(err).Detail, strings.TrimSpace(field)+": ") {
			t.Errorf("%s: %v", field, err)
		}
	}
	cfg := limited()
	cfg.Allowlist = true
	b, _ := json.Marshal(cfg)
	if !strings.Contains(string(b), `"per_participant":{"min":"1.00000000 BTC","max":"10.00000000 BTC"},"allowlist":true`) {
		t.Fatalf("%s", b)
	}
	var back crowdsale.Config
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cfg, back); diff != "" {
		t.Fatal(diff)
	}
}

func TestAllowlist(t *testing.T) {
	cfg := noMinimum()
	cfg.Allowlist = true
	s := newSale(t, cfg)
	at := utc(3, 2, 1, 0, 0)
	_, err := s.Contribute(btc("a", "alice", "1", at))
	if !errors.Is(err, crowdsale.ErrNotAllowed) || fault.ClassOf(err) != fault.Forbidden || !strings.Contains(err.Error(), "not registered") {
		t.Fatalf("unregistered: %v", err)
	}
	alice := crowdsale.Registrant{Account: "alice", Payout: "0xa11ce", Refund: map[string]string{"BTC": "bc1alice", "ETH": "0xa11ce"}}
	if err := s.Register(at, alice); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Contribute(btc("a", "alice", "1", at)); !errors.Is(err, crowdsale.ErrNotAllowed) || !strings.Contains(err.Error(), "not verified") {
		t.Fatalf("unverified: %v", err)
	}
	alice.Verified = true
	if err := s.Register(at.Add(time.Hour), alice); err != nil {
		t.Fatal(err)
	}
	seq := s.LastSeq()
	if err := s.Register(at.Add(2*time.Hour), alice); err != nil || s.LastSeq() != seq {
		t.Fatalf("the same entry again: %v, %d events", err, s.LastSeq()-seq)
	}
	mustContribute(t, s, btc("a", "alice", "1", at.Add(2*time.Hour)))
	got, ok := s.Registrant("alice")
	if !ok || !got.Verified || got.Refund["ETH"] != "0xa11ce" {
		t.Fatalf("%+v", got)
	}
	got.Refund["ETH"] = "changed" // the sale's registry is a copy
	if r, _ := s.Registrant("alice"); r.Refund["ETH"] != "0xa11ce" || len(s.Registry()) != 1 {
		t.Fatal("the registry shares memory with its callers")
	}
	// registering works after the end and after finalization
	if err := s.Finalize(cfg.End); err != nil {
		t.Fatal(err)
	}
	if err := s.Register(cfg.End, crowdsale.Registrant{Account: "bob", Refund: map[string]string{"ETH": "0xb0b"}}); err != nil {
		t.Fatal(err)
	}
	if err := crowdsaletest.Check(s); err != nil {
		t.Fatal(err)
	}
	var e crowdsale.Event
	for e = range s.EventsAfter(s.LastSeq() - 1) {
	}
	if got := string(e.AppendJSON(nil)); !strings.HasSuffix(got, `,"kind":"registered","at":"2017-04-13T00:00:00Z","registered":{"account":"bob","refund":{"ETH":"0xb0b"},"verified":false}}`) {
		t.Fatal(got)
	}
}

func TestRegisterErrors(t *testing.T) {
	s := newSale(t, crowdsale.WeTrust2017())
	at := utc(3, 2, 0, 0, 0)
	for name, r := range map[string]crowdsale.Registrant{
		"account":      {Account: "not valid"},
		"payout":       {Account: "alice", Payout: strings.Repeat("x", 257)},
		"payout utf-8": {Account: "alice", Payout: "a\xffb"},
		"currency":     {Account: "alice", Refund: map[string]string{"DOGE": "D"}},
		"refund":       {Account: "alice", Refund: map[string]string{"ETH": ""}},
	} {
		if err := s.Register(at, r); !errors.Is(err, crowdsale.ErrInvalidRegistrant) || fault.ClassOf(err) != fault.Invalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := s.Register(at, crowdsale.Registrant{Account: "alice"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Register(at.Add(-1), crowdsale.Registrant{Account: "bob"}); !errors.Is(err, crowdsale.ErrTimeOrder) {
		t.Fatal(err)
	}
	if err := s.Register(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), crowdsale.Registrant{Account: "bob"}); !errors.Is(err, token.ErrInvalidTime) {
		t.Fatal(err)
	}
	var zero crowdsale.Sale
	if err := zero.Register(at, crowdsale.Registrant{Account: "bob"}); !errors.Is(err, crowdsale.ErrUninitialized) {
		t.Fatal(err)
	}
	if len(s.Registry()) != 1 || s.LastSeq() != 1 {
		t.Fatal("a refused registration changed the sale")
	}
}

func TestRegistrantJSON(t *testing.T) {
	r := crowdsale.Registrant{Account: "alice", Payout: "0xa11ce", Refund: map[string]string{"ETH": "0x\"quoted\"", "BTC": "bc1"}, Verified: true}
	b, _ := json.Marshal(r)
	if string(b) != `{"account":"alice","payout":"0xa11ce","refund":{"BTC":"bc1","ETH":"0x\"quoted\""},"verified":true}` {
		t.Fatalf("%s", b)
	}
	var back crowdsale.Registrant
	if err := json.Unmarshal(b, &back); err != nil || !cmp.Equal(r, back) {
		t.Fatalf("%v %+v", err, back)
	}
	if err := json.Unmarshal([]byte(`{"account":"a","verified":"yes"}`), &back); !errors.Is(err, crowdsale.ErrReplay) {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"account":"a","kyc":true}`), &back); !errors.Is(err, crowdsale.ErrReplay) {
		t.Fatal(err)
	}
}
