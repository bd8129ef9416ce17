package rosca_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func TestConfigValidate(t *testing.T) {
	good := weiCfg(rosca.Bidding, 3, 1000, 20)
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		field string
		edit  func(*rosca.Config)
		cause error
	}{
		{"no asset", "Asset", func(c *rosca.Config) { c.Asset = token.Asset{} }, token.ErrInvalidAsset},
		{"kind", "Kind", func(c *rosca.Config) { c.Kind = "auction" }, nil},
		{"one member", "Members", func(c *rosca.Config) { c.Members = c.Members[:1] }, nil},
		{"too many", "Members", func(c *rosca.Config) { c.Members = members(rosca.MaxMembers + 1) }, nil},
		{"bad member", "Members[1]", func(c *rosca.Config) { c.Members[1] = "a b" }, token.ErrInvalidAccount},
		{"duplicate", "Members[2]", func(c *rosca.Config) { c.Members[2] = "m0" }, nil},
		{"foreperson", "Foreperson", func(c *rosca.Config) { c.Foreperson = "x" }, nil},
		{"operator", "Operator", func(c *rosca.Config) { c.Operator = "" }, token.ErrInvalidAccount},
		{"zero contribution", "Contribution", func(c *rosca.Config) { c.Contribution = decimal.Zero }, token.ErrZeroAmount},
		{"sub-unit", "Contribution", func(c *rosca.Config) { c.Contribution = decimal.New(1, -19) }, token.ErrSubUnitAmount},
		{"huge", "Contribution", func(c *rosca.Config) { c.Contribution = decimal.New(1, 60) }, nil},
		{"epochs", "Epochs", func(c *rosca.Config) { c.Epochs = 0 }, nil},
		{"too many rounds", "Epochs", func(c *rosca.Config) { c.Members = members(2000); c.Epochs = 600 }, nil},
		{"period", "Period", func(c *rosca.Config) { c.Period = 0 }, nil},
		{"span", "Period", func(c *rosca.Config) { c.Period = 20 * 365 * 24 * time.Hour }, nil},
		{"start", "Start", func(c *rosca.Config) { c.Start = time.Time{} }, nil},
		{"min bid", "Rules.MinBid", func(c *rosca.Config) { c.Rules.MinBid = fees.Rate{} }, nil},
		{"next bid", "Rules.NextBid", func(c *rosca.Config) { c.Rules.NextBid = fees.MustRate(1, 1) }, nil},
		{"sharing", "Rules.Sharing", func(c *rosca.Config) { c.Rules.Sharing = "" }, nil},
		{"remainder", "Rules.Remainder", func(c *rosca.Config) { c.Rules.Remainder = "x" }, nil},
		{"fee mode", "Rules.Fee", func(c *rosca.Config) { c.Rules.Fee = "x" }, nil},
		{"no bid", "Rules.NoBid", func(c *rosca.Config) { c.Rules.NoBid = "x" }, nil},
		{"fee cap", "Fee", func(c *rosca.Config) { c.Fee = fees.MustRate(21, 1000) }, fees.ErrAboveCap},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
			tc.edit(&cfg)
			err := cfg.Validate()
			var ce *rosca.ConfigError
			if !errors.Is(err, rosca.ErrInvalidConfig) || !errors.As(err, &ce) || ce.Field != tc.field {
				t.Fatalf("got %v, want a ConfigError on %s", err, tc.field)
			}
			if tc.cause != nil && !errors.Is(err, tc.cause) {
				t.Fatalf("%v does not match %v", err, tc.cause)
			}
			if !strings.HasPrefix(err.Error(), "rosca: ") {
				t.Fatalf("message %q", err)
			}
			if _, err := rosca.New(cfg); !errors.Is(err, rosca.ErrInvalidConfig) {
				t.Fatalf("New accepted it: %v", err)
			}
		})
	}
}

// New copies the config: changing the caller's slice later changes nothing.
func TestNewCopiesConfig(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
	c := mustNew(t, cfg)
	cfg.Members[1] = "zz"
	if c.Config().Members[1] != "m1" {
		t.Fatal("config shares the members slice")
	}
	got := c.Config()
	got.Members[2] = "yy"
	if c.Config().Members[2] != "m2" {
		t.Fatal("Config() shares the members slice")
	}
}

func TestConfigJSON(t *testing.T) {
	cfg := weiCfg(rosca.Lottery, 4, 1000, 20)
	cfg.Seed = rosca.Seed{0xab, 0xcd}
	cfg.Epochs = 2
	b, err := json.Marshal(cfg)
	ok(t, err)
	for _, want := range []string{`"contribution":"0.000000000000001000"`, `"fee":"20/1000"`, `"seed":"abcd00`, `"min_bid":"65/100"`, `"kind":"lottery"`} {
		if !strings.Contains(string(b), want) {
			t.Fatalf("%s lacks %s", b, want)
		}
	}
	got := roundTripJSON(t, cfg)
	if d := cmp.Diff(cfg, got); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	var bad rosca.Config
	if err := json.Unmarshal([]byte(`{"seed":"zz"}`), &bad); err == nil {
		t.Fatal("bad seed accepted")
	}
	if err := json.Unmarshal([]byte(`{"contribution":"1e5"}`), &bad); err == nil {
		t.Fatal("exponent amount accepted")
	}
}

func TestEventJSONStable(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	ok(t, c.Contribute(at(0, time.Second), "m1", wei(1000)))
	b, err := json.Marshal(c.Events()[0])
	ok(t, err)
	want := `{"seq":0,"type":"contribution","at":"2026-01-01T00:00:01Z","round":1,"member":"m1","amount":"0.000000000000001000","entitled":"0.000000000000000000"}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}

// A tampered or invalid log is an error, never a panic, and never a silently different circle.
func TestReplayTampered(t *testing.T) {
	c := goldenEnded(t)
	_, err := c.Withdraw(at(4), "m0")
	ok(t, err)
	cfg, events := c.Config(), c.Events()
	edits := map[string]func([]rosca.Event) []rosca.Event{
		"amount": func(e []rosca.Event) []rosca.Event { e[0].Amount = wei(999); return e },
		"winner": func(e []rosca.Event) []rosca.Event {
			for i := range e {
				if e[i].Result != nil {
					r := *e[i].Result
					r.Winner = "m2"
					e[i].Result = &r
					break
				}
			}
			return e
		},
		"withdrawal": func(e []rosca.Event) []rosca.Event { e[len(e)-1].Amount = wei(1); return e },
		"seq":        func(e []rosca.Event) []rosca.Event { e[3].Seq = 7; return e },
		"type":       func(e []rosca.Event) []rosca.Event { e[2].Type = "gift"; return e },
		"dropped":    func(e []rosca.Event) []rosca.Event { return append(e[:1], e[2:]...) },
		"reordered":  func(e []rosca.Event) []rosca.Event { e[4], e[5] = e[5], e[4]; e[4].Seq, e[5].Seq = 4, 5; return e },
		"no result": func(e []rosca.Event) []rosca.Event {
			for i := range e {
				if e[i].Result != nil {
					e[i].Result = nil
					break
				}
			}
			return e
		},
		"draw start": func(e []rosca.Event) []rosca.Event {
			for i := range e {
				if e[i].Result != nil && e[i].Result.Method == rosca.ByDraw {
					r := *e[i].Result
					r.DrawStart = 5
					e[i].Result = &r
				}
			}
			return e
		},
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			evs := edit(append([]rosca.Event(nil), events...))
			_, err := rosca.Replay(cfg, evs)
			var re *rosca.ReplayError
			if !errors.Is(err, rosca.ErrReplay) || !errors.As(err, &re) {
				t.Fatalf("got %v", err)
			}
		})
	}
	if _, err := rosca.Replay(rosca.Config{}, events); !errors.Is(err, rosca.ErrInvalidConfig) {
		t.Fatalf("bad config: %v", err)
	}
	s := c.Snapshot()
	s.Totals.Cash = wei(1)
	if _, err := rosca.Restore(s); !errors.Is(err, rosca.ErrReplay) {
		t.Fatalf("restore of an altered snapshot: %v", err)
	}
	s = c.Snapshot()
	s.Version = 9
	if _, err := rosca.Restore(s); !errors.Is(err, rosca.ErrReplay) {
		t.Fatalf("restore of a future snapshot: %v", err)
	}
}

func TestAccessAndTimeErrors(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	rejects(t, c, rosca.ErrNotMember, func() error { return c.Contribute(at(0), "x", wei(1)) })
	rejects(t, c, rosca.ErrNotMember, func() error { _, err := c.Withdraw(at(0), "x"); return err })
	if _, err := c.Position("x"); !errors.Is(err, rosca.ErrNotMember) {
		t.Fatal(err)
	}
	// Before the start is fine (§1.4: the contract took contributions and bids early) ...
	ok(t, c.Contribute(t0.Add(-time.Hour), "m2", wei(1)))
	if !c.Now().Equal(t0.Add(-time.Hour)) {
		t.Fatal(c.Now())
	}
	// ... but the log is in time order.
	err := rejects(t, c, rosca.ErrTimeBackwards, func() error { return c.Contribute(t0.Add(-2*time.Hour), "m0", wei(1)) })
	var te *rosca.TimeError
	if !errors.As(err, &te) || !te.Earliest.Equal(t0.Add(-time.Hour)) {
		t.Fatalf("%+v", te)
	}
	rejects(t, c, rosca.ErrTimeBackwards, func() error { return c.Contribute(time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), "m0", wei(1)) })
	err = rejects(t, c, rosca.ErrNothingToWithdraw, func() error { _, err := c.Withdraw(at(0), "m0"); return err })
	var we *rosca.WithdrawError
	if !errors.As(err, &we) || units(we.Entitled) != -1000 || units(we.Available) != 1 {
		t.Fatalf("%+v", we)
	}
	rejects(t, c, rosca.ErrNotForeperson, func() error { _, _, err := c.DisposeRemainder(at(0), "m1"); return err })
	err = rejects(t, c, token.ErrZeroAmount, func() error { return c.Contribute(at(0), "m0", decimal.Zero) })
	var ae *rosca.AmountError
	if !errors.As(err, &ae) || ae.Member != "m0" || !errors.Is(err, rosca.ErrInvalidAmount) {
		t.Fatalf("%+v", ae)
	}
	// A large amount (beyond 18 digits, beyond 2^96 minor units) is exact too.
	big := decimal.RequireFromString("123456789012345678901234567890.123456789012345678")
	ok(t, c.Contribute(at(0), "m0", big))
	if p := pos(t, c, "m0"); !p.Contributed.Equal(big) {
		t.Fatalf("%s", p.Contributed)
	}
	if e := c.Events()[1]; !e.Amount.Equal(big) {
		t.Fatalf("%s", e.Amount)
	}
	audit(t, c)
	checkReplay(t, c)
}
