package crowdsale_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// fine returns an amount of BTC with the given number of decimals.
func fine(decimals int, s string) token.Amount {
	a, err := token.NewAsset("BTC", decimals)
	if err != nil {
		panic(err)
	}
	return a.MustParse(s)
}

// lastContribution returns the payload of the sale's last contribution event.
func lastContribution(s *crowdsale.Sale) *crowdsale.ContributionEvent {
	var last *crowdsale.ContributionEvent
	for e := range s.EventsAfter(0) {
		if e.Contribution != nil {
			last = e.Contribution
		}
	}
	return last
}

func roundingSale(t *testing.T, r crowdsale.QuoteRounding) (crowdsale.Config, *crowdsale.Sale) {
	t.Helper()
	cfg := crowdsale.WeTrust2017()
	cfg.Quotes.Rounding = r
	return cfg, newSale(t, cfg)
}

func TestQuotePrecisionConfig(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(*crowdsale.Config)
		detail string
	}{
		{"unknown rounding", func(c *crowdsale.Config) { c.Quotes.Rounding = "nearest" }, `Quotes.Rounding: unknown rounding "nearest"`},
		{"above the maximum", func(c *crowdsale.Config) { c.Quotes.Decimals = crowdsale.MaxQuoteDecimals + 1 }, "Quotes.Decimals: 19 not in 0..18"},
		{"value unit", func(c *crowdsale.Config) { c.Quotes.Decimals = 9 }, "(quote decimals at most 8 here)"},
	} {
		cfg := crowdsale.WeTrust2017()
		c.change(&cfg)
		err := cfg.Validate()
		if !errors.Is(err, crowdsale.ErrInvalidConfig) || !strings.Contains(errorOf(err).Detail, c.detail) {
			t.Errorf("%s: %v, want a detail with %q", c.name, err, c.detail)
		}
	}
	for _, r := range []crowdsale.QuoteRounding{"", crowdsale.RoundHalfEven, crowdsale.RoundHalfUp, crowdsale.RoundDown, crowdsale.RoundUp} {
		cfg := crowdsale.WeTrust2017()
		cfg.Quotes.Rounding = r
		if err := cfg.Validate(); err != nil {
			t.Errorf("rounding %q: %v", r, err)
		}
		data, err := cfg.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if r != "" && !bytes.Contains(data, []byte(`"rounding":"`+string(r)+`"`)) || r == "" && bytes.Contains(data, []byte("rounding")) {
			t.Errorf("rounding %q: JSON %s", r, data)
		}
		var back crowdsale.Config
		if err := back.UnmarshalJSON(data); err != nil || back.Quotes.Rounding != r {
			t.Errorf("rounding %q: decoded %q, %v", r, back.Quotes.Rounding, err)
		}
	}
}

// TestQuoteRounding checks each named rounding on a quote given to 10 decimals, at and off
// the half, and that the event records the quote as given and as used.
func TestQuoteRounding(t *testing.T) {
	for _, c := range []struct {
		r          crowdsale.QuoteRounding
		given, use string
	}{
		{crowdsale.RoundHalfEven, "0.0300000050", "0.03000000"}, // a tie to the even digit
		{crowdsale.RoundHalfEven, "0.0300000150", "0.03000002"},
		{crowdsale.RoundHalfEven, "0.0300000051", "0.03000001"},
		{crowdsale.RoundHalfUp, "0.0300000050", "0.03000001"},
		{crowdsale.RoundHalfUp, "0.0300000049", "0.03000000"},
		{crowdsale.RoundDown, "0.0300000099", "0.03000000"},
		{crowdsale.RoundUp, "0.0300000001", "0.03000001"},
		{crowdsale.RoundUp, "0.0300000000", "0.03000000"}, // exact: nothing to round
	} {
		_, s := roundingSale(t, c.r)
		q := quotes("0.03", "0.03")
		q["gdax"] = fine(10, c.given)
		rc := mustContribute(t, s, eth("tx", "alice", "1", utc(3, 5, 0, 0, 0), q))
		ev := lastContribution(s)
		if want := btcs(c.use); !ev.Rounded["gdax"].Equal(want) || len(ev.Rounded) != 1 || !ev.Quotes["gdax"].Equal(fine(10, c.given)) {
			t.Errorf("%s %s: event quotes %v, rounded %v, want %s used", c.r, c.given, ev.Quotes, ev.Rounded, want)
		}
		// the median of 0.03, 0.03 and the quote used is 0.03
		if !rc.Median.Equal(value("0.03")) {
			t.Errorf("%s %s: median %s", c.r, c.given, rc.Median)
		}
		// as the only quote above the others it is the median with two others lower
		_, s2 := roundingSale(t, c.r)
		q2 := quotes("0.02", "0.04")
		q2["gdax"] = fine(10, c.given)
		if rc := mustContribute(t, s2, eth("tx", "alice", "1", utc(3, 5, 0, 0, 0), q2)); !rc.Median.Equal(value(c.use)) {
			t.Errorf("%s %s: median %s, want %s", c.r, c.given, rc.Median, c.use)
		}
	}
}

func TestQuoteRoundingRules(t *testing.T) {
	at := utc(3, 5, 0, 0, 0)
	// without a rounding a finer quote is refused, and nothing changes
	_, s := roundingSale(t, "")
	q := quotes("0.03", "0.03")
	q["gdax"] = fine(10, "0.0300000050")
	before := s.Snapshot()
	if _, err := s.Contribute(eth("tx", "alice", "1", at, q)); !errors.Is(err, crowdsale.ErrInvalidQuote) ||
		!strings.Contains(errorOf(err).Detail, "not an amount of BTC with 8 decimals") || !errorOf(err).Amount.Equal(q["gdax"]) {
		t.Fatalf("finer quote without a rounding: %v", err)
	}
	if diff := cmp.Diff(before, s.Snapshot()); diff != "" {
		t.Fatalf("a refused quote changed the sale:\n%s", diff)
	}
	// a quote that rounds to zero is refused; so is one of another symbol
	_, s = roundingSale(t, crowdsale.RoundDown)
	for name, bad := range map[string]token.Amount{
		"rounds to zero": fine(12, "0.000000000999"),
		"other symbol":   eths("0.03"),
		"negative":       fine(10, "-0.03"),
	} {
		q := quotes("0.03", "0.03")
		q["gdax"] = bad
		if _, err := s.Contribute(eth("tx", "alice", "1", at, q)); !errors.Is(err, crowdsale.ErrInvalidQuote) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if s.Len() != 0 || lastContribution(s) != nil {
		t.Fatal("refused quotes changed the sale")
	}
	// a coarser quote is scaled exactly, and recorded as used
	q = quotes("0.03", "0.03")
	q["gdax"] = fine(2, "0.03")
	mustContribute(t, s, eth("coarse", "alice", "1", at, q))
	if ev := lastContribution(s); !ev.Rounded["gdax"].Equal(btcs("0.03")) || len(ev.Rounded) != 1 {
		t.Fatalf("coarse quote recorded as %v", ev.Rounded)
	}
	// quotes of the quote asset are not recorded as rounded
	mustContribute(t, s, eth("plain", "alice", "1", at, quotes("0.03", "0.03", "0.03")))
	if ev := lastContribution(s); ev.Rounded != nil {
		t.Fatalf("plain quotes recorded as rounded: %v", ev.Rounded)
	}
	// the same contribution again is the same receipt; quotes that differ only in the digits
	// the rounding drops are a conflict
	q = quotes("0.03", "0.03")
	q["gdax"] = fine(10, "0.0300000049")
	first := mustContribute(t, s, eth("fine", "alice", "1", at, q))
	if again := mustContribute(t, s, eth("fine", "alice", "1", at, q)); !again.Equal(first) || s.Len() != 3 {
		t.Fatal("a repeated contribution with rounded quotes is not idempotent")
	}
	q2 := quotes("0.03", "0.03")
	q2["gdax"] = fine(10, "0.0300000048")
	if _, err := s.Contribute(eth("fine", "alice", "1", at, q2)); !errors.Is(err, crowdsale.ErrIDConflict) {
		t.Fatalf("quotes differing below the precision: %v", err)
	}
	q3 := quotes("0.03", "0.03")
	q3["gdax"] = btcs("0.03")
	if _, err := s.Contribute(eth("fine", "alice", "1", at, q3)); !errors.Is(err, crowdsale.ErrIDConflict) {
		t.Fatalf("the rounded quote given instead of the quote: %v", err)
	}
}

// TestQuoteRoundingReplay replays a log with rounded quotes through JSON, and refuses a log
// whose record of the rounding was changed.
func TestQuoteRoundingReplay(t *testing.T) {
	cfg, s := roundingSale(t, crowdsale.RoundHalfEven)
	at := utc(3, 5, 0, 0, 0)
	q := quotes("", "0.03")
	q["cryptocompare"] = fine(10, "0.0300000049")
	q["gdax"] = fine(18, "0.029999999999999999")
	mustContribute(t, s, eth("a", "alice", "2", at, q))
	mustContribute(t, s, eth("b", "bob", "1", at.Add(1), quotes("0.03", "0.03", "0.03")))
	var log []byte
	for e := range s.EventsAfter(0) {
		log = append(e.AppendJSON(log), '\n')
	}
	if !bytes.Contains(log, []byte(`"rounded":{"cryptocompare":"0.03000000 BTC","gdax":"0.03000000 BTC"}`)) {
		t.Fatalf("log %s", log)
	}
	dec := crowdsale.NewDecoder(bytes.NewReader(log))
	r, err := crowdsale.Replay(cfg, dec.Events())
	if err != nil || dec.Err() != nil {
		t.Fatal(err, dec.Err())
	}
	if !bytes.Equal(r.Snapshot().AppendJSON(nil), s.Snapshot().AppendJSON(nil)) || !cmp.Equal(r.Events(), s.Events()) {
		t.Fatal("replay differs from the live sale")
	}
	for _, tampered := range [][]byte{
		bytes.Replace(log, []byte(`"gdax":"0.03000000 BTC"}`), []byte(`"gdax":"0.02999999 BTC"}`), 1),
		bytes.Replace(log, []byte(`"rounded":{"cryptocompare":"0.03000000 BTC","gdax":"0.03000000 BTC"},`), nil, 1),
	} {
		if bytes.Equal(tampered, log) {
			t.Fatal("tampering changed nothing")
		}
		dec := crowdsale.NewDecoder(bytes.NewReader(tampered))
		if _, err := crowdsale.Replay(cfg, dec.Events()); !errors.Is(err, crowdsale.ErrReplay) {
			t.Errorf("tampered rounding replayed: %v", err)
		}
	}
}

// TestQuoteDecimals18 runs a rule of 18 decimals, the most a quote may have (a sale in BTC
// whose other currency also has 8 decimals): quotes of the quote asset are used as given,
// quotes of 10 decimals are scaled exactly, a quote past 2^60 minor units (about 1.15 BTC
// per coin, where one minor unit's value passes 61 bits) is valued exactly on 128 bits, and
// a quote is refused as too large from 2^125 minor units, where one minor unit's value
// would reach 2^126 value units (more than any cap).
func TestQuoteDecimals18(t *testing.T) {
	ltc, err := token.NewAsset("LTC", 8)
	if err != nil {
		t.Fatal(err)
	}
	cfg := crowdsale.WeTrust2017()
	cfg.Accepted = []token.Asset{token.BTC(), ltc}
	cfg.Quotes.Decimals, cfg.Quotes.Rounding = 18, crowdsale.RoundHalfEven
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s := newSale(t, cfg)
	at := utc(3, 5, 0, 0, 0)
	coin := func(id string, q map[string]token.Amount) crowdsale.Contribution {
		return crowdsale.Contribution{ID: id, Participant: "alice", Amount: ltc.MustParse("2"), At: at, Quotes: q}
	}
	q := map[string]token.Amount{"cryptocompare": fine(18, "0.001500000000000001"), "gdax": fine(10, "0.0015000001")}
	rc := mustContribute(t, s, coin("a", q))
	// the mean of 0.001500000000000001 and 0.001500000100000000, exactly
	if want := fine(cfg.ValueAsset().Decimals(), "0.0015000000500000005"); !rc.Median.Equal(want) {
		t.Fatalf("median %s, want %s", rc.Median, want)
	}
	if want := fine(cfg.ValueAsset().Decimals(), "0.003000000100000001"); !rc.Value().Equal(want) {
		t.Fatalf("value %s, want %s", rc.Value(), want)
	}
	if ev := lastContribution(s); !ev.Rounded["gdax"].Equal(fine(18, "0.0015000001")) || len(ev.Rounded) != 1 {
		t.Fatalf("rounded %v", ev.Rounded)
	}
	// the former limit, 2^60 minor units, and past it: valued exactly
	fast := fine(18, "1.152921504606846976") // 2^60 minor units
	mustContribute(t, s, coin("fast", map[string]token.Amount{"cryptocompare": fast, "gdax": fast}))
	wide, _ := fast.Add(fine(18, "0.000000000000000001"))
	rc = mustContribute(t, s, coin("wide", map[string]token.Amount{"cryptocompare": wide, "gdax": fine(10, "1.1529215047")}))
	// the mean of 1.152921504606846977 and 1.1529215047, times 2
	if want := fine(cfg.ValueAsset().Decimals(), "2.305843009306846977"); !rc.Value().Equal(want) {
		t.Fatalf("value past 2^60: %s, want %s", rc.Value(), want)
	}
	// the new limit: 2^125 - 1 minor units is the largest quote
	most := fine(18, "42535295865117307932.921825928971026431") // 2^125 - 1 minor units
	over, _ := most.Add(fine(18, "0.000000000000000001"))
	for name, x := range map[string]token.Amount{"quote asset": over, "scaled": fine(10, "42535295865117307932.9218259290")} {
		if _, err := s.Contribute(coin("over "+name, map[string]token.Amount{"cryptocompare": most, "gdax": x})); !errors.Is(err, crowdsale.ErrInvalidQuote) ||
			!strings.Contains(errorOf(err).Detail, "quote too large") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// at the limit a minor unit is worth more than the room left under the cap: nothing is
	// accepted, the whole amount refunded, and the sale ends by its cap
	rc = mustContribute(t, s, coin("most", map[string]token.Amount{"cryptocompare": most, "gdax": most}))
	if !rc.Accepted.IsZero() || !rc.Refund.Equal(rc.Received) || !rc.CapReached {
		t.Fatalf("at the limit: accepted %s, refund %s, cap reached %v", rc.Accepted, rc.Refund, rc.CapReached)
	}
}
