package rosca_test

import (
	"encoding/json"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
)

// FuzzConfigJSON: any bytes either fail to decode or validate, or make a circle; never a panic.
func FuzzConfigJSON(f *testing.F) {
	good, _ := json.Marshal(weiCfg(rosca.Bidding, 3, 1000, 20))
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"asset":{"symbol":"ETH","decimals":18},"kind":"lottery","members":["a","b"],"foreperson":"a","operator":"o","contribution":"1","start":"2026-01-01T00:00:00Z","period":3600000000000,"epochs":1,"fee":"0/1","rules":{"min_bid":"1/2","next_bid":"9/10","sharing":"unpaid","remainder":"carry","fee":"net_floor","no_bid":"draw","max_fee":"1/10"}}`))
	f.Add([]byte(`{"members":["a","a"],"contribution":"-1","period":-5,"epochs":99999}`))
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
	})
}

// FuzzReplay: an arbitrary event log (as JSON) replays or returns an error; never a panic.
// When it replays, the circle audits and replays again to itself.
func FuzzReplay(f *testing.F) {
	c := goldenEnded(f)
	evs, _ := json.Marshal(c.Events())
	f.Add(evs)
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"seq":0,"type":"contribution","at":"2026-01-01T00:00:00Z","round":1,"member":"m0","amount":"0.000000000000001","entitled":"0"}]`))
	f.Add([]byte(`[{"seq":0,"type":"round_closed","at":"2026-01-01T01:00:00Z","round":1,"member":"m0","amount":"0","entitled":"0","result":{"method":"draw","draw_start":99}}]`))
	f.Add([]byte(`[{"seq":0,"type":"halt_activated","at":"2026-01-01T01:00:00Z"}]`))
	cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
	f.Fuzz(func(t *testing.T, b []byte) {
		var events []rosca.Event
		if err := json.Unmarshal(b, &events); err != nil {
			return
		}
		if len(events) > 200 {
			return
		}
		c, err := rosca.Replay(cfg, events)
		if err != nil {
			return
		}
		if err := c.Audit(); err != nil {
			t.Fatal(err)
		}
		if _, err := rosca.Replay(cfg, c.Events()); err != nil {
			t.Fatal(err)
		}
	})
}
