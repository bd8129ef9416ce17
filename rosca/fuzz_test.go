package rosca_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
)

// FuzzConfigJSON: any bytes either fail to decode or validate, or make a circle; never a panic.
func FuzzConfigJSON(f *testing.F) {
	good, _ := json.Marshal(weiCfg(rosca.Bidding, 3, 1000, 20))
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"v":1,"asset":{"symbol":"ETH","decimals":18},"kind":"lottery","members":["a","b"],"foreperson":"a","operator":"o","contribution":"1.000000000000000000 ETH","start":"2026-01-01T00:00:00Z","period":"1h","epochs":1,"fee":"0","rules":{"min_bid":"1/2","next_bid":"9/10","sharing":"unpaid","remainder":"carry","fee":"net_floor","no_bid":"draw","max_fee":"1/10"},"seed":"0100000000000000000000000000000000000000000000000000000000000000"}`))
	f.Add([]byte(`{"v":1,"members":["a","a"],"contribution":"-1 ETH","period":"-5ns","epochs":99999}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var cfg rosca.Config
		if err := json.Unmarshal(b, &cfg); err != nil {
			return
		}
		if cfg.Validate() != nil {
			return
		}
		if len(cfg.Members) > 64 || cfg.Epochs > 2 {
			return // keep the fuzz cheap
		}
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatalf("valid config rejected: %v", err)
		}
		if err := c.Audit(); err != nil {
			t.Fatal(err)
		}
		// A config that decodes and validates encodes to bytes that decode to it again.
		b2, err := json.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var again rosca.Config
		if err := json.Unmarshal(b2, &again); err != nil || again.Validate() != nil {
			t.Fatalf("%s: %v", b2, err)
		}
		if b3, _ := json.Marshal(again); !bytes.Equal(b2, b3) {
			t.Fatalf("%s\n%s", b2, b3)
		}
	})
}

// FuzzReplay: an arbitrary event log (as JSON) replays or returns an error; never a panic.
// When it replays, the circle audits and replays again to itself.
func FuzzReplay(f *testing.F) {
	c := goldenEnded(f)
	evs, _ := json.Marshal(c.Events())
	f.Add(evs)
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"v":1,"seq":1,"kind":"contribution","at":"2026-01-01T00:00:00Z","round":1,"member":"m0","amount":"0.000000000000001000 ETH"}]`))
	f.Add([]byte(`[{"v":1,"seq":1,"kind":"round_closed","at":"2026-01-01T01:00:00Z","round":1,"member":"m0","result":{"method":"draw","draw_start":99}}]`))
	f.Add([]byte(`[{"v":1,"seq":1,"kind":"halt_activated","at":"2026-01-01T01:00:00Z"}]`))
	cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
	f.Fuzz(func(t *testing.T, b []byte) {
		var events []rosca.Event
		if err := json.Unmarshal(b, &events); err != nil {
			return
		}
		if len(events) > 200 {
			return
		}
		before, _ := json.Marshal(events)
		c, err := rosca.Replay(cfg, slices.Values(events))
		fromSlice, errSlice := rosca.ReplayEvents(cfg, events)
		if after, _ := json.Marshal(events); string(after) != string(before) {
			t.Fatal("a replay changed its events")
		}
		if (err == nil) != (errSlice == nil) || err != nil && err.Error() != errSlice.Error() {
			t.Fatalf("Replay: %v; ReplayEvents: %v", err, errSlice)
		}
		if err != nil {
			return
		}
		a, _ := json.Marshal(c.Snapshot())
		if b, _ := json.Marshal(fromSlice.Snapshot()); string(a) != string(b) {
			t.Fatal("Replay and ReplayEvents rebuild different circles")
		}
		if err := c.Audit(); err != nil {
			t.Fatal(err)
		}
		if _, err := rosca.Replay(cfg, c.EventsAfter(0)); err != nil {
			t.Fatal(err)
		}
	})
}
