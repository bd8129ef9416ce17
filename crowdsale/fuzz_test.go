package crowdsale_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// FuzzContribute feeds arbitrary contribution input to a sale with one contribution: it must
// never panic, a rejected contribution changes nothing, an accepted one's events round-trip
// through JSON and replay to the live sale, and the audit holds.
func FuzzContribute(f *testing.F) {
	f.Add("c1", "bob", uint8(0), "1.5", int64(3600), "0.03", "0.0301", "")
	f.Add("c2", "carol", uint8(1), "300", int64(36*86400), "0.03", "", "0.0299")
	f.Add("", "has space", uint8(2), "-1", int64(-5), "0", "x", "1e999")
	f.Add("c0", "alice", uint8(0), "1", int64(0), "", "", "")
	f.Add("c3", "dave", uint8(1), "0.0000000000000000001", int64(41*86400), "0.000000001", "1e30", "-0.5")
	f.Add("c4", "erin", uint8(0), "6000", int64(10), "", "", "")
	f.Add("a\xffb", "erin", uint8(0), "1", int64(10), "", "", "")
	f.Add("c5", "erin", uint8(0), "1", int64(1<<62), "", "", "")
	f.Fuzz(func(t *testing.T, id, who string, asset uint8, amount string, offset int64, q1, q2, q3 string) {
		cfg := crowdsale.WeTrust2017()
		s := newSale(t, cfg)
		mustContribute(t, s, btc("c0", "alice", "1", cfg.Start))
		assets := []token.Asset{token.BTC(), token.ETH(), token.TRST()}
		amt, err := assets[int(asset)%3].Parse(amount)
		if err != nil {
			return
		}
		c := crowdsale.Contribution{ID: id, Participant: token.Account(who), Amount: amt,
			At: cfg.Start.Add(time.Duration(offset) * time.Second)}
		for i, q := range []string{q1, q2, q3} {
			if v, err := token.BTC().Parse(q); err == nil {
				if c.Quotes == nil {
					c.Quotes = map[string]token.Amount{}
				}
				c.Quotes[cfg.Quotes.Sources[i]] = v
			}
		}
		before, _ := s.Snapshot().MarshalJSON()
		if _, err := s.WhatIf(c); err == nil {
			if after, _ := s.Snapshot().MarshalJSON(); string(before) != string(after) {
				t.Fatal("WhatIf changed the sale")
			}
		}
		if _, err := s.Contribute(c); err != nil {
			if after, _ := s.Snapshot().MarshalJSON(); string(before) != string(after) {
				t.Fatalf("rejected contribution changed the sale: %v", err)
			}
		}
		if err := s.Audit(); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(s.Events())
		if err != nil {
			t.Fatal(err)
		}
		var events []crowdsale.Event
		if err := json.Unmarshal(b, &events); err != nil {
			t.Fatalf("events do not decode: %v\n%s", err, b)
		}
		r, err := crowdsale.Replay(cfg, slices.Values(events))
		if err != nil {
			t.Fatalf("events do not replay: %v\n%s", err, b)
		}
		if live, again := s.Snapshot().AppendJSON(nil), r.Snapshot().AppendJSON(nil); string(live) != string(again) {
			t.Fatalf("replay differs:\n%s\n%s", again, live)
		}
	})
}

// FuzzReplay feeds arbitrary bytes as an event log: Replay must return a sale or an error,
// never panic; a log it accepts replays to itself.
func FuzzReplay(f *testing.F) {
	cfg := crowdsale.WeTrust2017()
	s := newSale(f, cfg)
	mustContribute(f, s, btc("a", "alice", "100", utc(3, 2, 0, 0, 0)))
	mustContribute(f, s, eth("b", "bob", "250000", utc(3, 3, 0, 0, 0), quotes("0.03", "0.0301", "")))
	if err := s.Finalize(utc(3, 4, 0, 0, 0)); err != nil {
		f.Fatal(err)
	}
	good, _ := json.Marshal(s.Events())
	f.Add(good)
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"v":1,"seq":1,"kind":"contribution","at":"2017-03-02T00:00:00Z"}]`))
	f.Add([]byte(`[{"v":1,"seq":1,"kind":"finalized","at":"2017-05-02T00:00:00Z"},{"v":1,"seq":2,"kind":"distributed","at":"2017-05-02T00:00:00Z"}]`))
	f.Add([]byte(`[{"v":1,"seq":1,"kind":"clock","at":"2017-04-20T00:00:00Z"}]`))
	f.Add([]byte(`[{"v":1,"seq":1,"kind":"shift","at":"2017-02-20T00:00:00Z","shift":{"by":"1h"}}]`))
	f.Add([]byte(`{`))
	locked := finalizedSale(f)
	if err := locked.DistributeLocked(trstLedger(f), fourYears()); err != nil {
		f.Fatal(err)
	}
	lockedLog, _ := json.Marshal(locked.Events())
	f.Add(lockedLog)
	f.Fuzz(func(t *testing.T, data []byte) {
		var events []crowdsale.Event
		if json.Unmarshal(data, &events) != nil {
			return
		}
		r, err := crowdsale.Replay(cfg, slices.Values(events))
		if err != nil {
			return
		}
		if err := r.Audit(); err != nil {
			t.Fatal(err)
		}
		if _, err := crowdsale.Replay(cfg, r.EventsAfter(0)); err != nil {
			t.Fatalf("an accepted log does not replay: %v", err)
		}
	})
}

// FuzzConfig feeds arbitrary JSON as a config: Validate and NewSale never panic, and a
// config they accept runs a small sale to its end.
func FuzzConfig(f *testing.F) {
	good, _ := json.Marshal(crowdsale.WeTrust2017())
	f.Add(good)
	f.Add([]byte(`{"v":1}`))
	f.Add([]byte(`{"v":1,"pool":"1 TRST","cap":"1000000000000000000000000000000 BTC","tiers":[{"from":"2017-03-02T00:00:00Z","bonus":"1/0"}]}`))
	f.Add([]byte(`{"v":1,"token":{"symbol":"TRST","decimals":6},"pool":"1.000000 TRST","sale_account":"s","reference":{"symbol":"BTC","decimals":8},` +
		`"accepted":[{"symbol":"BTC","decimals":8}],"start":"2017-03-02T00:00:00Z","end":"2017-03-03T00:00:00Z",` +
		`"tiers":[{"from":"2017-03-02T00:00:00Z","bonus":"1/3"}],"minimum":"0.00000000 BTC","cap":"1.00000000 BTC","quotes":{"quorum":0,"decimals":0}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var cfg crowdsale.Config
		if json.Unmarshal(data, &cfg) != nil {
			return
		}
		s, err := crowdsale.NewSale(cfg)
		if (err == nil) != (cfg.Validate() == nil) {
			t.Fatalf("NewSale and Validate disagree: %v", err)
		}
		if err != nil {
			return
		}
		_, _ = s.Contribute(crowdsale.Contribution{ID: "x", Participant: "p", Amount: cfg.Reference.MinorUnit(), At: cfg.Start})
		if _, err := s.Advance(cfg.End); err != nil {
			t.Fatal(err)
		}
		if err := s.Finalize(cfg.End); err != nil {
			t.Fatal(err)
		}
		if err := s.Audit(); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(cfg)
		var back crowdsale.Config
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("a valid config does not round-trip: %v\n%s", err, b)
		}
		if b2, _ := json.Marshal(back); string(b) != string(b2) {
			t.Fatalf("config JSON changes:\n%s\n%s", b, b2)
		}
	})
}

// FuzzEventJSON feeds arbitrary bytes to the event decoder: it never panics, and an event it
// accepts encodes to JSON that decodes to the same event and encodes to the same bytes.
func FuzzEventJSON(f *testing.F) {
	for e := range scenario(f).EventsAfter(0) {
		f.Add(e.AppendJSON(nil))
	}
	f.Add([]byte(`{"v":1,"seq":1,"kind":"contribution","contribution":{"id":"a\u00ff\"b","quotes":{"x\\y":"1.00 USD"},"bonus":"1/3"}}`))
	f.Add([]byte(`{"v":1,"seq":18446744073709551615,"kind":"clock","at":null,"refund":null}`))
	f.Add([]byte(`{"v":1,"seq":9,"kind":"distributed","distributed":{"transfers":1,"lock_up":{"total":"1 X","start":"2017-05-01T00:00:00+02:00",` +
		`"period":"90m","step":"P12M","linear":false,"escrow":"v"},"first_grant":7}}`))
	f.Add([]byte(` {"v":1 , "kind":"fiat_day","fiat_day":{"collected":[],"rates":[{"asset":{"symbol":"BTC","decimals":8}}],"streak":-1}} `))
	f.Fuzz(func(t *testing.T, data []byte) {
		var e crowdsale.Event
		if e.UnmarshalJSON(data) != nil {
			return
		}
		b := e.AppendJSON(nil)
		var back crowdsale.Event
		if err := back.UnmarshalJSON(b); err != nil {
			t.Fatalf("%s: re-encoded as %s, which does not decode: %v", data, b, err)
		}
		if b2 := back.AppendJSON(nil); !bytes.Equal(b, b2) {
			t.Fatalf("%s: encodes as\n%s\nthen\n%s", data, b, b2)
		}
	})
}
