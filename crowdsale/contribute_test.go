package crowdsale_test

import (
	"encoding/json"
	"errors"
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
		q      map[string]decimal.Decimal
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
		if !r.Median.Equal(d(c.median)) || !r.Value().Equal(d(c.value)) {
			t.Errorf("%s: median %s value %s, want %s %s", c.name, r.Median, r.Value(), c.median, c.value)
		}
	}
}

func TestContributionErrorsChangeNothing(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	s := newSale(t, cfg)
	mustContribute(t, s, btc("first", "alice", "1", utc(3, 5, 0, 0, 0)))
	at := utc(3, 6, 0, 0, 0)
	cases := []struct {
		name string
		c    crowdsale.Contribution
		want error
	}{
		{"empty id", btc("", "bob", "1", at), crowdsale.ErrInvalidContribution},
		{"bad participant", btc("x", "has space", "1", at), crowdsale.ErrInvalidContribution},
		{"empty participant", btc("x", "", "1", at), crowdsale.ErrInvalidContribution},
		{"unknown asset", crowdsale.Contribution{ID: "x", Participant: "bob", Asset: token.TRST(), Amount: d("1"), At: at}, crowdsale.ErrUnknownAsset},
		{"zero", btc("x", "bob", "0", at), crowdsale.ErrInvalidAmount},
		{"negative", btc("x", "bob", "-1", at), crowdsale.ErrInvalidAmount},
		{"sub-satoshi", btc("x", "bob", "0.000000001", at), crowdsale.ErrInvalidAmount},
		{"sub-wei", eth("x", "bob", "0.0000000000000000001", at, quotes("0.03", "0.03", "0.03")), crowdsale.ErrInvalidAmount},
		{"huge", btc("x", "bob", "1e40", at), crowdsale.ErrInvalidAmount},
		{"tiny exponent", btc("x", "bob", "1e-10000", at), crowdsale.ErrInvalidAmount},
		{"huge exponent", btc("x", "bob", "1e10000", at), crowdsale.ErrInvalidAmount},
		{"many digits, tiny exponent", btc("x", "bob", "1234567890123456789012345e-10000", at), crowdsale.ErrInvalidAmount},
		{"quote with a tiny exponent", eth("x", "bob", "1", at, quotes("3e-10000", "0.03", "0.03")), crowdsale.ErrInvalidQuote},
		{"quotes on BTC", crowdsale.Contribution{ID: "x", Participant: "bob", Asset: token.BTC(), Amount: d("1"), At: at, Quotes: quotes("0.03")}, crowdsale.ErrInvalidQuote},
		{"no quotes", eth("x", "bob", "1", at, nil), crowdsale.ErrQuorum},
		{"one quote", eth("x", "bob", "1", at, quotes("0.03")), crowdsale.ErrQuorum},
		{"unknown source", eth("x", "bob", "1", at, map[string]decimal.Decimal{"kraken": d("0.03"), "gdax": d("0.03")}), crowdsale.ErrUnknownSource},
		{"zero quote", eth("x", "bob", "1", at, quotes("0", "0.03", "0.03")), crowdsale.ErrInvalidQuote},
		{"negative quote", eth("x", "bob", "1", at, quotes("-0.03", "0.03", "0.03")), crowdsale.ErrInvalidQuote},
		{"quote finer than a satoshi", eth("x", "bob", "1", at, quotes("0.030000001", "0.03", "0.03")), crowdsale.ErrInvalidQuote},
		{"quote too large", eth("x", "bob", "1", at, quotes("1e30", "0.03", "0.03")), crowdsale.ErrInvalidQuote},
		{"before the clock", btc("x", "bob", "1", utc(3, 4, 0, 0, 0)), crowdsale.ErrTimeOrder},
		{"id reused", btc("first", "alice", "2", at), crowdsale.ErrIDConflict},
		{"after the end", btc("x", "bob", "1", cfg.End), crowdsale.ErrEnded},
		{"far after the end", btc("x", "bob", "1", time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)), crowdsale.ErrEnded},
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
	// typed facts
	var qe *crowdsale.QuorumError
	if _, err := s.Contribute(eth("q", "bob", "1", at, quotes("", "0.03"))); !errors.As(err, &qe) || qe.Got != 1 || qe.Need != 2 || !cmp.Equal(qe.Missing, []string{"cryptocompare", "gdax"}) {
		t.Fatalf("quorum error %+v", qe)
	}
	var ce *crowdsale.ContributionError
	if _, err := s.Contribute(btc("x", "bob", "0.000000001", at)); !errors.As(err, &ce) || ce.ID != "x" || !ce.Amount.Equal(d("0.000000001")) || !errors.Is(err, token.ErrSubUnitAmount) {
		t.Fatalf("amount error %v", err)
	}
	if _, err := s.Contribute(btc("first", "alice", "1", utc(3, 5, 0, 0, 1))); !errors.As(err, &ce) || ce.Detail != "differs in time" {
		t.Fatalf("conflict error %v", err)
	}
	if _, err := s.Contribute(btc("first", "alice", "1e-10000", utc(3, 5, 0, 0, 0))); !errors.Is(err, crowdsale.ErrIDConflict) {
		t.Fatalf("conflict with an extreme amount: %v", err)
	}
	for _, x := range []decimal.Decimal{decimal.New(1, -2_000_000_000), decimal.New(1, 2_000_000_000), decimal.New(1, -2147483648), decimal.New(7, 2147483647)} {
		c := btc("x", "bob", "1", at)
		c.Amount = x
		if _, err := s.Contribute(c); !errors.Is(err, crowdsale.ErrInvalidAmount) {
			t.Fatalf("amount %v: %v", x.Exponent(), err)
		}
		c = eth("x", "bob", "1", at, quotes("0.03", "0.03"))
		c.Quotes["gdax"] = x
		if _, err := s.Contribute(c); !errors.Is(err, crowdsale.ErrInvalidQuote) {
			t.Fatalf("quote %v: %v", x.Exponent(), err)
		}
	}
	// trailing zeros beyond the minor unit are still the same amount
	if _, err := s.Contribute(btc("z", "bob", "1.000000000000000000000000000000", at)); err != nil {
		t.Fatalf("trailing zeros: %v", err)
	}
	var te *crowdsale.TimeOrderError
	if _, err := s.Contribute(btc("y", "bob", "1", utc(3, 4, 0, 0, 0))); !errors.As(err, &te) || !te.Now.Equal(at) {
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
	if !p.Before.IsZero() || !p.After.Equal(d("20000000")) || !p.Receipt.Value().Equal(d("1")) {
		t.Fatalf("projection %+v", p)
	}
	p2, _ := s.WhatIf(btc("c", "alice", "1", utc(3, 2, 1, 0, 0)))
	if !p2.Before.Equal(d("80000000")) || !p2.After.Equal(d("80000000")) {
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
	cfg.Pool = d("0.000003") // 3 minor units between two equal weights: 1.5 each
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
	want := []crowdsale.Allocation{{Participant: "p2", Amount: d("0.000002")}, {Participant: "p1", Amount: d("0.000001")}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("same instant (-want +got):\n%s", diff)
	}
	// earlier wins over the id
	got = run(btc("z1", "p1", "1", at), btc("a1", "p2", "1", at.Add(time.Second)))
	want = []crowdsale.Allocation{{Participant: "p1", Amount: d("0.000002")}, {Participant: "p2", Amount: d("0.000001")}}
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
	var se *crowdsale.StateError
	if err := s.Distribute(ledger("wetrust-sale")); !errors.As(err, &se) {
		t.Fatalf("before finalize: %v", err)
	}
	if err := s.Finalize(cfg.End); err != nil {
		t.Fatal(err)
	}
	wrong, _ := token.NewLedger(token.Genesis{Asset: token.BTC(), Supply: d("80000000"), Grants: []token.Grant{{Account: "wetrust-sale", Amount: d("80000000")}}})
	var le *crowdsale.LedgerError
	if err := s.Distribute(wrong); !errors.As(err, &le) || !errors.Is(err, crowdsale.ErrLedger) {
		t.Fatalf("wrong asset: %v", err)
	}
	other := ledger("someone-else")
	if err := s.Distribute(other); !errors.Is(err, crowdsale.ErrLedger) {
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
	if !l.Balance("alice").Equal(d("26666666.666667")) || !l.Balance("bob").Equal(d("53333333.333333")) {
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
		"Token":           func(c *crowdsale.Config) { c.Token = token.Asset{} },
		"Pool":            func(c *crowdsale.Config) { c.Pool = decimal.Zero },
		"SaleAccount":     func(c *crowdsale.Config) { c.SaleAccount = "" },
		"Reference":       func(c *crowdsale.Config) { c.Reference = token.Asset{} },
		"Accepted":        func(c *crowdsale.Config) { c.Accepted = []token.Asset{token.ETH()} },
		"Accepted[1]":     func(c *crowdsale.Config) { c.Accepted = []token.Asset{token.BTC(), token.BTC()} },
		"End":             func(c *crowdsale.Config) { c.End = c.Start },
		"Tiers":           func(c *crowdsale.Config) { c.Tiers = nil },
		"Tiers[0].From":   func(c *crowdsale.Config) { c.Tiers[0].From = c.Start.Add(time.Second) },
		"Tiers[2].From":   func(c *crowdsale.Config) { c.Tiers[2].From = c.Tiers[1].From },
		"Tiers[6].From":   func(c *crowdsale.Config) { c.Tiers[6].From = c.End },
		"Tiers[1].Bonus":  func(c *crowdsale.Config) { c.Tiers[1].Bonus = crowdsale.Bonus{Num: 1, Den: 0} },
		"Minimum":         func(c *crowdsale.Config) { c.Minimum = d("7000") },
		"Cap":             func(c *crowdsale.Config) { c.Cap = d("0.000000001") },
		"Quotes.Quorum":   func(c *crowdsale.Config) { c.Quotes.Quorum = 4 },
		"Quotes.Sources":  func(c *crowdsale.Config) { c.Quotes.Sources = nil },
		"Quotes.Decimals": func(c *crowdsale.Config) { c.Quotes.Decimals = 19 },
		"Fiat.Days":       func(c *crowdsale.Config) { c.Fiat.Days = 0 },
		"Fiat.Lookback":   func(c *crowdsale.Config) { c.Fiat.Lookback = 0 },
		"Fiat.Currency":   func(c *crowdsale.Config) { c.Fiat.Currency = "" },
		"Start":           func(c *crowdsale.Config) { c.Start = time.Time{} },
	}
	for field, mutate := range cases {
		cfg := crowdsale.WeTrust2017()
		mutate(&cfg)
		err := cfg.Validate()
		var ce *crowdsale.ConfigError
		if !errors.As(err, &ce) || !errors.Is(err, crowdsale.ErrInvalidConfig) || ce.Field != field {
			t.Errorf("%s: %v", field, err)
		}
		if _, err := crowdsale.NewSale(cfg); err == nil {
			t.Errorf("%s: NewSale accepted it", field)
		}
	}
	// a huge cap does not fit the value unit
	cfg := crowdsale.WeTrust2017()
	cfg.Cap = d("1e20")
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
