package rosca_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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
		{"duplicate in a large circle", "Members[99]", func(c *rosca.Config) { c.Members = members(100); c.Members[99] = "m40" }, nil},
		{"foreperson", "Foreperson", func(c *rosca.Config) { c.Foreperson = "x" }, nil},
		{"operator", "Operator", func(c *rosca.Config) { c.Operator = "" }, token.ErrInvalidAccount},
		{"zero contribution", "Contribution", func(c *rosca.Config) { c.Contribution = wei(0) }, token.ErrZeroAmount},
		{"no contribution", "Contribution", func(c *rosca.Config) { c.Contribution = token.Amount{} }, token.ErrInvalidAsset},
		{"negative contribution", "Contribution", func(c *rosca.Config) { c.Contribution = wei(-1) }, token.ErrNegativeAmount},
		{"other asset", "Contribution", func(c *rosca.Config) { c.Contribution = token.BTC().FromInt64Units(1) }, token.ErrAssetMismatch},
		{"huge", "Contribution", func(c *rosca.Config) { c.Contribution = token.ETH().MustParse("1" + strings.Repeat("0", 60)) }, token.ErrAmountTooLarge},
		{"just too large", "Contribution", func(c *rosca.Config) { c.Contribution = fromUnits(t, token.ETH(), pow10(60)) }, token.ErrAmountTooLarge},
		{"epochs", "Epochs", func(c *rosca.Config) { c.Epochs = 0 }, nil},
		{"too many rounds", "Epochs", func(c *rosca.Config) { c.Members = members(2000); c.Epochs = 600 }, nil},
		{"period", "Period", func(c *rosca.Config) { c.Period = 0 }, nil},
		{"span", "Period", func(c *rosca.Config) { c.Period = 20 * 365 * 24 * time.Hour }, nil},
		{"start", "Start", func(c *rosca.Config) { c.Start = time.Time{} }, nil},
		{"min bid", "Rules.MinBid", func(c *rosca.Config) { c.Rules.MinBid = token.Ratio{} }, nil},
		{"max bid below min", "Rules.MaxBid", func(c *rosca.Config) { c.Rules.MaxBid = token.MustRatio(60, 100) }, nil},
		{"ties", "Rules.Ties", func(c *rosca.Config) { c.Rules.Ties = "coin" }, nil},
		{"price", "Rules.Price", func(c *rosca.Config) { c.Rules.Price = "third" }, nil},
		{"negative step", "Rules.Step", func(c *rosca.Config) { c.Rules.Step = token.ETH().FromInt64Units(-1) }, nil},
		{"step of another asset", "Rules.Step", func(c *rosca.Config) { c.Rules.Step = token.BTC().FromInt64Units(1) }, nil},
		{"no next bid", "Rules.NextBid", func(c *rosca.Config) { c.Rules.NextBid = token.Ratio{} }, nil},
		{"sharing", "Rules.Sharing", func(c *rosca.Config) { c.Rules.Sharing = "" }, nil},
		{"remainder", "Rules.Remainder", func(c *rosca.Config) { c.Rules.Remainder = "x" }, nil},
		{"fee mode", "Rules.Fee", func(c *rosca.Config) { c.Rules.Fee = "x" }, nil},
		{"no bid", "Rules.NoBid", func(c *rosca.Config) { c.Rules.NoBid = "x" }, nil},
		{"fee cap", "Fee", func(c *rosca.Config) { c.Fee = token.MustRatio(21, 1000) }, nil},
		{"zero seed", "Seed", func(c *rosca.Config) { c.Seed = rosca.Seed{} }, nil},
		{"late start", "Start", func(c *rosca.Config) { c.Start = time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC) }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
			tc.edit(&cfg)
			err := cfg.Validate()
			ce, isErr := errors.AsType[*rosca.Error](err)
			if !errors.Is(err, rosca.ErrInvalidConfig) || !isErr || !strings.HasPrefix(ce.Detail, tc.field+": ") {
				t.Fatalf("got %v, want an invalid config error on %s", err, tc.field)
			}
			if tc.name == "fee cap" && !strings.Contains(ce.Detail, "2.1% is above the cap of 2%") {
				t.Fatalf("fee cap: %v", err)
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
	for _, want := range []string{`{"v":1,`, `"contribution":"0.000000000000001000 ETH"`, `"fee":"2%"`, `"seed":"abcd00`,
		`"min_bid":"65%"`, `"kind":"lottery"`, `"period":"1h0m0s"`, `"start":"2026-01-01T00:00:00Z"`} {
		if !strings.Contains(string(b), want) {
			t.Fatalf("%s lacks %s", b, want)
		}
	}
	got := roundTripJSON(t, cfg)
	if d := cmp.Diff(cfg, got); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	// The period decodes from any Go duration.
	short := strings.Replace(string(b), `"period":"1h0m0s"`, `"period":"1h"`, 1)
	var c1 rosca.Config
	ok(t, json.Unmarshal([]byte(short), &c1))
	if c1.Period != time.Hour {
		t.Fatalf("period %v", c1.Period)
	}
	bad := map[string][2]string{
		"bad seed":        {"seed", `"zz"`},
		"exponent amount": {"contribution", `"1e5 ETH"`},
		"bare number":     {"contribution", `"0.000000000000001000"`},
		"period number":   {"period", `3600000000000`},
		"period text":     {"period", `"an hour"`},
		"unknown field":   {"colour", `"red"`},
		"version":         {"v", `2`},
		"no version":      {"v", ``},
	}
	for name, kv := range bad {
		var m map[string]json.RawMessage
		ok(t, json.Unmarshal(b, &m))
		if kv[1] == "" {
			delete(m, kv[0])
		} else {
			m[kv[0]] = json.RawMessage(kv[1])
		}
		in, err := json.Marshal(m)
		ok(t, err)
		var c rosca.Config
		err = json.Unmarshal(in, &c)
		if err == nil {
			t.Fatalf("%s: %s accepted", name, in)
		}
		if !errors.Is(err, rosca.ErrInvalidConfig) || strings.Contains(err.Error(), "configJSON") {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

// A config whose start is in a zone with an offset in seconds (Europe/Amsterdam in 1900
// was UTC+00:19:32) keeps its instant through New, JSON and Replay.
func TestConfigStartZone(t *testing.T) {
	ams := time.FixedZone("AMT", 19*60+32)
	cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
	cfg.Start = time.Date(1900, 6, 1, 0, 0, 0, 0, ams)
	cfg.Created = cfg.Start
	c := mustNew(t, cfg)
	if got := c.Config().Start; got.Location() != time.UTC || !got.Equal(cfg.Start) {
		t.Fatalf("start %v", got)
	}
	contributeAll(t, c, cfg.Start, wei(1000))
	_, err := c.CloseRound(c.Round().Deadline)
	ok(t, err)
	back := roundTripJSON(t, cfg)
	if !back.Start.Equal(cfg.Start) {
		t.Fatalf("start moved through JSON: %v, want %v", back.Start, cfg.Start)
	}
	if _, err := rosca.Replay(back, c.EventsAfter(0)); err != nil {
		t.Fatal(err)
	}
	checkReplay(t, c)
}

// Every field of Config is in its JSON (the mirror struct names each one).
func TestConfigJSONHasEveryField(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
	cfg.PlatformFee = token.MustRatio(3, 1000)      // omitted when zero
	cfg.Holders = []token.Account{"m0", "m0", "m2"} // omitted when empty
	cfg.Schedule = []rosca.Allocation{{Method: rosca.AllocateLottery}}
	b, err := json.Marshal(cfg)
	ok(t, err)
	var m map[string]json.RawMessage
	ok(t, json.Unmarshal(b, &m))
	typ := reflect.TypeFor[rosca.Config]()
	if len(m) != typ.NumField()+1 {
		t.Fatalf("%d keys for %d fields: %s", len(m), typ.NumField(), b)
	}
	for i := range typ.NumField() {
		tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if _, has := m[tag]; !has {
			t.Fatalf("field %s (%q) missing from %s", typ.Field(i).Name, tag, b)
		}
	}
}

func pow10(n int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil) }

// A start in the past: the start may lie at most Rules.StartLag (WeTrust 900 s) before the
// creation; later starts are fine; without a creation time nothing is checked. The
// creation time round-trips through JSON in UTC and the lag as a Go duration.
func TestStartLag(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
	if got := time.Duration(rosca.WeTrustRules().StartLag); got != 900*time.Second {
		t.Fatalf("WeTrust lag %v", got)
	}
	for _, tc := range []struct {
		created time.Time
		ok      bool
	}{
		{t0, true}, {t0.Add(900 * time.Second), true}, {t0.Add(-time.Hour), true},
		{t0.Add(900*time.Second + time.Nanosecond), false}, {t0.Add(24 * time.Hour), false}, {time.Time{}, true},
	} {
		c := cfg
		c.Created = tc.created
		_, err := rosca.New(c)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, rosca.ErrInvalidConfig)) {
			t.Errorf("created %v: %v", tc.created, err)
		}
		if err != nil && !strings.Contains(err.Error(), "Rules.StartLag") {
			t.Errorf("created %v: %v does not name the rule", tc.created, err)
		}
	}
	strict := cfg
	strict.Rules.StartLag = 0
	strict.Created = t0.Add(time.Second)
	if _, err := rosca.New(strict); !errors.Is(err, rosca.ErrInvalidConfig) {
		t.Errorf("no lag allowed: %v", err)
	}
	strict.Rules.StartLag = -1
	strict.Created = time.Time{}
	if _, err := rosca.New(strict); !errors.Is(err, rosca.ErrInvalidConfig) {
		t.Errorf("negative lag: %v", err)
	}
	zoned := cfg
	zoned.Created = t0.In(time.FixedZone("X", 3600))
	back := roundTripJSON(t, zoned)
	if back.Created.Location() != time.UTC || !back.Created.Equal(t0) || back.Rules.StartLag != rosca.WeTrustRules().StartLag {
		t.Fatalf("round trip %v %v", back.Created, back.Rules.StartLag)
	}
	b, _ := json.Marshal(cfg)
	if !strings.Contains(string(b), `"created":"2026-01-01T00:00:00Z"`) || !strings.Contains(string(b), `"start_lag":"15m0s"`) {
		t.Fatalf("%s", b)
	}
	var d rosca.Duration
	if err := d.UnmarshalText([]byte("900s")); err != nil || d != rosca.WeTrustRules().StartLag {
		t.Fatalf("900s: %v %v", d, err)
	}
	for _, s := range []string{"-1s", "soon", ""} {
		if err := d.UnmarshalText([]byte(s)); !errors.Is(err, rosca.ErrInvalidConfig) {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// Rules stay comparable (services compare them with the zero Rules): every field is a
// value, no slice or map; the schedule, which names seats, is the config's.
var _ = rosca.Rules{} == rosca.Rules{}
