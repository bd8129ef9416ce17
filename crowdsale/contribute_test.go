package crowdsale_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

func TestMedianOfQuotes(t *testing.T) {
	at := utc(4, 7, 0, 0, 0) // no bonus
	cases := []struct {
		name   string
		q      map[string]token.Amount
		median string
		value  string // of 100 ETH
	}{
		{"three", quotes("0.0300", "0.0301", "0.0299"), "0.03", "3"},
		{"order does not matter", quotes("0.0299", "0.0300", "0.0301"), "0.03", "3"},
		{"two: mean of both, exact", quotes("0.0300", "", "0.0301"), "0.03005", "3.005"},
		{"two, odd satoshi sum", quotes("", "0.00000001", "0.00000002"), "0.000000015", "0.0000015"},
		{"duplicates", quotes("0.05", "0.05", "0.01"), "0.05", "5"},
	}
	for _, c := range cases {
		s := newSale(t, crowdsale.WeTrust2017())
		r, err := s.Contribute(eth("x", "p", "100", at, c.q))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !r.Median.Equal(value(c.median)) || !r.Value().Equal(value(c.value)) {
			t.Errorf("%s: median %s value %s, want %s %s", c.name, r.Median, r.Value(), c.median, c.value)
		}
	}
}

func TestContributionErrorsChangeNothing(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	s := newSale(t, cfg)
	mustContribute(t, s, btc("first", "alice", "1", utc(3, 5, 0, 0, 0)))
	at := utc(3, 6, 0, 0, 0)
	btc9, _ := token.NewAsset("BTC", 9)
	eth19, _ := token.NewAsset("ETH", 19)
	with := func(c crowdsale.Contribution, x token.Amount) crowdsale.Contribution { c.Amount = x; return c }
	two128, _ := token.BTC().FromUnits(new(big.Int).Lsh(big.NewInt(1), 128))
	finerQuote := quotes("", "0.03", "0.03")
	finerQuote["cryptocompare"] = btc9.MustParse("0.030000001")
	cases := []struct {
		name string
		c    crowdsale.Contribution
		want error
	}{
		{"empty id", btc("", "bob", "1", at), crowdsale.ErrInvalidID},
		{"id not UTF-8", btc("a\xffb", "bob", "1", at), crowdsale.ErrInvalidID},
		{"another id not UTF-8", btc("a\xfeb", "bob", "1", at), crowdsale.ErrInvalidID},
		{"id too long", btc(strings.Repeat("x", 257), "bob", "1", at), crowdsale.ErrInvalidID},
		{"bad participant", btc("x", "has space", "1", at), crowdsale.ErrInvalidContribution},
		{"empty participant", btc("x", "", "1", at), crowdsale.ErrInvalidContribution},
		{"unknown asset", crowdsale.Contribution{ID: "x", Participant: "bob", Amount: trst("1"), At: at}, crowdsale.ErrUnknownAsset},
		{"no amount", crowdsale.Contribution{ID: "x", Participant: "bob", At: at}, crowdsale.ErrInvalidAmount},
		{"zero", btc("x", "bob", "0", at), crowdsale.ErrInvalidAmount},
		{"negative", btc("x", "bob", "-1", at), crowdsale.ErrInvalidAmount},
		{"sub-satoshi", with(btc("x", "bob", "1", at), btc9.MustParse("0.000000001")), crowdsale.ErrInvalidAmount},
		{"sub-wei", with(eth("x", "bob", "1", at, quotes("0.03", "0.03", "0.03")), eth19.MustParse("0.0000000000000000001")), crowdsale.ErrInvalidAmount},
		{"huge", btc("x", "bob", "1"+strings.Repeat("0", 40), at), crowdsale.ErrInvalidAmount},
		{"2^128 satoshi", with(btc("x", "bob", "1", at), two128), crowdsale.ErrInvalidAmount},
		{"quotes on BTC", crowdsale.Contribution{ID: "x", Participant: "bob", Amount: btcs("1"), At: at, Quotes: quotes("0.03")}, crowdsale.ErrInvalidQuote},
		{"no quotes", eth("x", "bob", "1", at, nil), crowdsale.ErrQuorum},
		{"one quote", eth("x", "bob", "1", at, quotes("0.03")), crowdsale.ErrQuorum},
		{"unknown source", eth("x", "bob", "1", at, map[string]token.Amount{"kraken": btcs("0.03"), "gdax": btcs("0.03")}), crowdsale.ErrUnknownSource},
		{"zero quote", eth("x", "bob", "1", at, quotes("0", "0.03", "0.03")), crowdsale.ErrInvalidQuote},
		{"negative quote", eth("x", "bob", "1", at, quotes("-0.03", "0.03", "0.03")), crowdsale.ErrInvalidQuote},
		{"quote finer than a satoshi", eth("x", "bob", "1", at, finerQuote), crowdsale.ErrInvalidQuote},
		{"quote of no amount", eth("x", "bob", "1", at, map[string]token.Amount{"gdax": {}, "cryptocompare": btcs("0.03")}), crowdsale.ErrInvalidQuote},
		{"quote too large", eth("x", "bob", "1", at, quotes("1"+strings.Repeat("0", 30), "0.03", "0.03")), crowdsale.ErrInvalidQuote},
		{"before the clock", btc("x", "bob", "1", utc(3, 4, 0, 0, 0)), crowdsale.ErrTimeOrder},
		{"id reused", btc("first", "alice", "2", at), crowdsale.ErrIDConflict},
		{"after the end", btc("x", "bob", "1", cfg.End), crowdsale.ErrEnded},
		{"far after the end", btc("x", "bob", "1", time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)), crowdsale.ErrEnded},
		{"year 10000", btc("x", "bob", "1", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)), token.ErrInvalidTime},
		{"year 10000 in UTC", btc("x", "bob", "1", time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -2*3600))), token.ErrInvalidTime},
		{"year 0", btc("x", "bob", "1", time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)), token.ErrInvalidTime},
	}
	before := s.Snapshot()
	events := s.Events()
	for _, c := range cases {
		_, err := s.Contribute(c.c)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if _, werr := s.WhatIf(c.c); !errors.Is(werr, c.want) {
			t.Errorf("%s: WhatIf %v", c.name, werr)
		}
		if diff := cmp.Diff(before, s.Snapshot()); diff != "" {
			t.Fatalf("%s changed the sale:\n%s", c.name, diff)
		}
		if diff := cmp.Diff(events, s.Events()); diff != "" {
			t.Fatalf("%s changed the events:\n%s", c.name, diff)
		}
	}
	// the facts
	if _, err := s.Contribute(eth("q", "bob", "1", at, quotes("", "0.03"))); !errors.Is(err, crowdsale.ErrQuorum) ||
		errorOf(err).Detail != `contribution "q": 1 of the 2 quotes required; missing cryptocompare, gdax` {
		t.Fatalf("quorum error %v", err)
	}
	if _, err := s.Contribute(with(btc("x", "bob", "1", at), btc9.MustParse("0.000000001"))); !errors.Is(err, crowdsale.ErrInvalidAmount) ||
		!errors.Is(err, token.ErrAssetMismatch) || !strings.HasPrefix(errorOf(err).Detail, `contribution "x": `) ||
		!errorOf(err).Amount.Equal(btc9.MustParse("0.000000001")) || errorOf(err).Account != "bob" || !errorOf(err).At.Equal(at) {
		t.Fatalf("amount error %v", err)
	}
	if _, err := s.Contribute(btc("x", "has space", "1", at)); !errors.Is(err, token.ErrInvalidAccount) {
		t.Fatalf("participant error %v", err)
	}
	if _, err := s.Contribute(btc("first", "alice", "1", utc(3, 5, 0, 0, 1))); !errors.Is(err, crowdsale.ErrIDConflict) ||
		errorOf(err).Detail != `contribution "first": differs in time` {
		t.Fatalf("conflict error %v", err)
	}
	btc18, _ := token.NewAsset("BTC", 18)
	if _, err := s.Contribute(with(btc("first", "alice", "1", utc(3, 5, 0, 0, 0)), btc18.MustParse("1"))); !errors.Is(err, crowdsale.ErrIDConflict) {
		t.Fatalf("conflict with an amount of another scale: %v", err)
	}
	// Amounts finer than the minor unit, too large or with extreme exponents cannot reach a
	// sale: they are refused where amounts are made, at once.
	if _, err := token.BTC().Parse("0.000000001"); !errors.Is(err, token.ErrSubUnitAmount) {
		t.Fatalf("sub-satoshi text: %v", err)
	}
	for _, x := range []decimal.Decimal{decimal.RequireFromString("1e-10000"), decimal.RequireFromString("1e10000"),
		decimal.RequireFromString("1234567890123456789012345e-10000"), decimal.RequireFromString("3e-10000"),
		decimal.New(1, -2_000_000_000), decimal.New(1, 2_000_000_000), decimal.New(1, -2147483648), decimal.New(7, 2147483647)} {
		if _, err := token.BTC().FromDecimal(x); err == nil {
			t.Fatalf("amount 1e%d accepted", x.Exponent())
		}
	}
	// trailing zeros beyond the minor unit are still the same amount
	if _, err := s.Contribute(btc("z", "bob", "1.000000000000000000000000000000", at)); err != nil {
		t.Fatalf("trailing zeros: %v", err)
	}
	if _, err := s.Contribute(btc("y", "bob", "1", utc(3, 4, 0, 0, 0))); !errors.Is(err, crowdsale.ErrTimeOrder) ||
		errorOf(err).Detail != "2017-03-04T00:00:00Z is before the sale's clock, 2017-03-06T00:00:00Z" {
		t.Fatalf("time order error %v", err)
	}
}

func TestIdempotentContribution(t *testing.T) {
	s := newSale(t, crowdsale.WeTrust2017())
	c := eth("tx1", "alice", "1.5", utc(3, 5, 0, 0, 0), quotes("0.03", "0.031", "0.029"))
	r1 := mustContribute(t, s, c)
	mustContribute(t, s, btc("tx2", "bob", "1", utc(3, 6, 0, 0, 0)))
	n := len(s.Events())
	// the same content, written differently and later: same receipt, nothing recorded
	c2 := eth("tx1", "alice", "1.50", utc(3, 5, 0, 0, 0), quotes("0.030", "0.0310", "0.0290"))
	r2, err := s.Contribute(c2)
	if err != nil {
		t.Fatal(err)
	}
	if !r1.Equal(r2) {
		t.Fatalf("receipts differ: %+v %+v", r1, r2)
	}
	if len(s.Events()) != n || s.Len() != 2 {
		t.Fatal("a repeat was recorded")
	}
	for name, bad := range map[string]crowdsale.Contribution{
		"participant": eth("tx1", "bob", "1.5", c.At, c.Quotes),
		"amount":      eth("tx1", "alice", "1.6", c.At, c.Quotes),
		"asset":       btc("tx1", "alice", "1.5", c.At),
		"quotes":      eth("tx1", "alice", "1.5", c.At, quotes("0.03", "0.031")),
	} {
		if _, err := s.Contribute(bad); !errors.Is(err, crowdsale.ErrIDConflict) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got, ok := s.Receipt("tx1"); !ok || !got.Equal(r1) {
		t.Fatal("Receipt lookup")
	}
	if _, ok := s.Receipt("nope"); ok {
		t.Fatal("unknown receipt found")
	}
}

func TestWhatIfChangesNothing(t *testing.T) {
	s := newSale(t, crowdsale.WeTrust2017())
	mustContribute(t, s, btc("a", "alice", "3", utc(3, 2, 0, 0, 0)))
	before := s.Snapshot()
	p, err := s.WhatIf(btc("b", "bob", "1", utc(3, 2, 1, 0, 0)))
	if err != nil {
		t.Fatal(err)
	}
	// alice 3 BTC and bob 1 BTC, same tier: bob would see 20M
	if !p.Before.IsZero() || !p.After.Equal(trst("20000000")) || !p.Receipt.Value().Equal(value("1")) {
		t.Fatalf("projection %+v", p)
	}
	p2, _ := s.WhatIf(btc("c", "alice", "1", utc(3, 2, 1, 0, 0)))
	if !p2.Before.Equal(trst("80000000")) || !p2.After.Equal(trst("80000000")) {
		t.Fatalf("alice projection %+v", p2)
	}
	if diff := cmp.Diff(before, s.Snapshot()); diff != "" {
		t.Fatalf("WhatIf changed the sale:\n%s", diff)
	}
}

// Ties in the largest remainder go to the earliest first contribution, then the lower
// contribution id, whatever the arrival order.
func TestAllocationTieBreak(t *testing.T) {
	cfg := noMinimum()
	cfg.Pool = trst("0.000003") // 3 minor units between two equal weights: 1.5 each
	run := func(first, second crowdsale.Contribution) []crowdsale.Allocation {
		s := newSale(t, cfg)
		mustContribute(t, s, first)
		mustContribute(t, s, second)
		if err := s.Finalize(cfg.End); err != nil {
			t.Fatal(err)
		}
		if err := s.Audit(); err != nil {
			t.Fatal(err)
		}
		return s.Allocations()
	}
	at := utc(3, 5, 0, 0, 0)
	// same instant: "a1" < "z1", so p2 (contribution a1) gets the extra unit though it came second
	got := run(btc("z1", "p1", "1", at), btc("a1", "p2", "1", at))
	want := []crowdsale.Allocation{{Participant: "p2", Amount: trst("0.000002")}, {Participant: "p1", Amount: trst("0.000001")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("same instant (-want +got):\n%s", diff)
	}
	// earlier wins over the id
	got = run(btc("z1", "p1", "1", at), btc("a1", "p2", "1", at.Add(time.Second)))
	want = []crowdsale.Allocation{{Participant: "p1", Amount: trst("0.000002")}, {Participant: "p2", Amount: trst("0.000001")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("earlier (-want +got):\n%s", diff)
	}
}

func TestDistributeChecksFirst(t *testing.T) {
	cfg := noMinimum()
	s := newSale(t, cfg)
	mustContribute(t, s, btc("a", "alice", "1", utc(3, 2, 0, 0, 0)))
	mustContribute(t, s, btc("b", "bob", "2", utc(3, 2, 0, 0, 0)))
	ledger := func(sale token.Account) *token.Ledger {
		l, err := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{Sale: sale, Team: "team", Organisation: "org", Bounties: "bounties"}))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	if err := s.Distribute(ledger("wetrust-sale")); !errors.Is(err, crowdsale.ErrState) {
		t.Fatalf("before finalize: %v", err)
	}
	if err := s.Finalize(cfg.End); err != nil {
		t.Fatal(err)
	}
	wrong, err := token.NewLedger(token.Genesis{Asset: token.BTC(), Supply: btcs("80000000"), Grants: []token.Grant{{Account: "wetrust-sale", Amount: btcs("80000000")}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Distribute(wrong); !errors.Is(err, crowdsale.ErrLedger) || errorOf(err).Op != "Distribute" {
		t.Fatalf("wrong asset: %v", err)
	}
	other := ledger("someone-else")
	if err := s.Distribute(other); !errors.Is(err, crowdsale.ErrLedger) || !errorOf(err).Limit.Equal(trst("80000000")) || !errorOf(err).Amount.IsZero() {
		t.Fatalf("sale account without the pool: %v", err)
	}
	if !other.Balance("alice").IsZero() || len(other.Events()) != 4 {
		t.Fatal("a failed distribution moved tokens")
	}
	if err := s.Distribute(nil); !errors.Is(err, crowdsale.ErrLedger) {
		t.Fatalf("nil ledger: %v", err)
	}
	l := ledger("wetrust-sale")
	if err := s.Distribute(l); err != nil {
		t.Fatal(err)
	}
	// 1/3 and 2/3 of 80M: 26,666,666.666666 (+1 unit by largest remainder: .666 > .333)
	if !l.Balance("alice").Equal(trst("26666666.666667")) || !l.Balance("bob").Equal(trst("53333333.333333")) {
		t.Fatalf("balances %s %s", l.Balance("alice"), l.Balance("bob"))
	}
}

func TestStatusPhases(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	s := newSale(t, cfg)
	if st := s.Status(utc(3, 1, 0, 0, 0)); st.Phase != crowdsale.PhaseScheduled || st.Open() {
		t.Fatalf("%+v", st)
	}
	if st := s.Status(utc(3, 2, 0, 0, 0)); !st.Open() {
		t.Fatalf("%+v", st)
	}
	if st := s.Status(cfg.End); st.Phase != crowdsale.PhaseEnded || st.Reason != crowdsale.EndWindow {
		t.Fatalf("%+v", st)
	}
	if len(s.Events()) != 0 {
		t.Fatal("Status recorded events")
	}
	st, err := s.Advance(cfg.End.Add(time.Hour))
	if err != nil || st.Reason != crowdsale.EndWindow || !st.EndedAt.Equal(cfg.End) {
		t.Fatalf("%+v %v", st, err)
	}
	if st := s.Status(utc(3, 3, 0, 0, 0)); st.Phase != crowdsale.PhaseOpen {
		t.Fatalf("history: %+v", st)
	}
	if _, err := s.Advance(cfg.End); !errors.Is(err, crowdsale.ErrTimeOrder) {
		t.Fatalf("advance backwards: %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := crowdsale.WeTrust2017().Validate(); err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(*crowdsale.Config){
		"Token":          func(c *crowdsale.Config) { c.Token = token.Asset{} },
		"Pool":           func(c *crowdsale.Config) { c.Pool = token.TRST().Zero() },
		"Pool ":          func(c *crowdsale.Config) { c.Pool = btcs("1") },
		"Pool  ":         func(c *crowdsale.Config) { c.Pool = token.Amount{} },
		"SaleAccount":    func(c *crowdsale.Config) { c.SaleAccount = "" },
		"Reference":      func(c *crowdsale.Config) { c.Reference = token.Asset{} },
		"Accepted":       func(c *crowdsale.Config) { c.Accepted = []token.Asset{token.ETH()} },
		"Accepted[1]":    func(c *crowdsale.Config) { c.Accepted = []token.Asset{token.BTC(), token.BTC()} },
		"End":            func(c *crowdsale.Config) { c.End = c.Start },
		"Tiers":          func(c *crowdsale.Config) { c.Tiers = nil },
		"Tiers[0].From":  func(c *crowdsale.Config) { c.Tiers[0].From = c.Start.Add(time.Second) },
		"Tiers[2].From":  func(c *crowdsale.Config) { c.Tiers[2].From = c.Tiers[1].From },
		"Tiers[6].From":  func(c *crowdsale.Config) { c.Tiers[6].From = c.End },
		"Tiers[1].Bonus": func(c *crowdsale.Config) { c.Tiers[1].Bonus = token.MustRatio(1, 1_000_000_007) },
		"Tiers[2].Bonus": func(c *crowdsale.Config) {
			c.Tiers[1].Bonus = token.MustRatio(1, 65536)
			c.Tiers[2].Bonus = token.MustRatio(1, 390625)
		},
		"Minimum":         func(c *crowdsale.Config) { c.Minimum = btcs("7000") },
		"Minimum ":        func(c *crowdsale.Config) { c.Minimum = btcs("-1") },
		"Cap":             func(c *crowdsale.Config) { btc9, _ := token.NewAsset("BTC", 9); c.Cap = btc9.MustParse("0.000000001") },
		"Cap ":            func(c *crowdsale.Config) { c.Cap = token.Amount{} },
		"Quotes.Quorum":   func(c *crowdsale.Config) { c.Quotes.Quorum = 4 },
		"Quotes.Sources":  func(c *crowdsale.Config) { c.Quotes.Sources = nil },
		"Quotes.Decimals": func(c *crowdsale.Config) { c.Quotes.Decimals = 19 },
		"Fiat.Days":       func(c *crowdsale.Config) { c.Fiat.Days = 0 },
		"Fiat.Lookback":   func(c *crowdsale.Config) { c.Fiat.Lookback = 0 },
		"Fiat.Currency":   func(c *crowdsale.Config) { c.Fiat.Currency = token.Asset{} },
		"Fiat.Threshold":  func(c *crowdsale.Config) { c.Fiat.Threshold = btcs("7300000") },
		"Fiat.Threshold ": func(c *crowdsale.Config) { c.Fiat.Threshold = amt(usd, "-1") },
		"Fiat.Currency ": func(c *crowdsale.Config) {
			big, _ := token.NewAsset("USD", 19)
			c.Fiat.Currency, c.Fiat.Threshold = big, big.MustParse("1")
		},
		"Quotes.Sources[1]": func(c *crowdsale.Config) { c.Quotes.Sources[1] = "a\xffb" },
		"Quotes.Sources[2]": func(c *crowdsale.Config) { c.Quotes.Sources[2] = c.Quotes.Sources[0] },
		"SaleAccount ":      func(c *crowdsale.Config) { c.SaleAccount = "wetrust sale" },
		"Start":             func(c *crowdsale.Config) { c.Start = time.Time{} },
	}
	for field, mutate := range cases {
		cfg := crowdsale.WeTrust2017()
		mutate(&cfg)
		err := cfg.Validate()
		if !errors.Is(err, crowdsale.ErrInvalidConfig) || !strings.HasPrefix(errorOf(err).Detail, strings.TrimSpace(field)+": ") {
			t.Errorf("%s: %v", field, err)
		}
		if _, err := crowdsale.NewSale(cfg); err == nil {
			t.Errorf("%s: NewSale accepted it", field)
		}
	}
	// a huge cap does not fit the value unit
	cfg := crowdsale.WeTrust2017()
	cfg.Cap = btcs("1" + strings.Repeat("0", 20))
	if err := cfg.Validate(); !errors.Is(err, crowdsale.ErrInvalidConfig) {
		t.Fatalf("huge cap: %v", err)
	}
}

func TestConfigJSONRoundTrip(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var back crowdsale.Config
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cfg, back); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if err := back.Validate(); err != nil {
		t.Fatal(err)
	}
}
