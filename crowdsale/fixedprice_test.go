package crowdsale_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/crowdsale/crowdsaletest"
	"github.com/trustcircle/trustcircle/token"
)

var update = flag.Bool("update", false, "rewrite the golden event logs in testdata")

var usdc, _ = token.NewAsset("USDC", 6)

func usdcs(s string) token.Amount { return usdc.MustParse(s) }

func day25(m time.Month, d, h int) time.Time { return time.Date(2025, m, d, h, 0, 0, 0, time.UTC) }

// fixedPrice is a fixed-price sale: 10 TRST per USDC, USDC and ETH accepted, a hard cap of
// 1,000,000 USDC, a 20% bonus in the first week, a pool of 12,000,000 TRST (the cap at the
// bonus).
func fixedPrice() crowdsale.Config {
	return crowdsale.Config{
		Token:       token.TRST(),
		Pool:        trst("12000000"),
		SaleAccount: "wetrust-sale",
		Reference:   usdc,
		Accepted:    []token.Asset{usdc, token.ETH()},
		Start:       day25(time.June, 2, 0),
		End:         day25(time.June, 30, 0),
		Tiers: []crowdsale.Tier{
			{From: day25(time.June, 2, 0), Bonus: pct(20)},
			{From: day25(time.June, 9, 0), Bonus: pct(0)},
		},
		Minimum: usdcs("100000"),
		Cap:     usdcs("1000000"),
		Quotes:  crowdsale.QuoteRule{Sources: []string{"a", "b", "c"}, Quorum: 2, Decimals: 6},
		Design:  crowdsale.DesignFixedPrice,
		Price:   trst("10"),
	}
}

func usdcQuotes(vals ...string) map[string]token.Amount {
	q := map[string]token.Amount{}
	for i, v := range vals {
		q[string(rune('a'+i))] = usdcs(v)
	}
	return q
}

// golden compares the sale's event log, as JSON lines, with testdata/name (go test -update
// rewrites it), and checks that the log replays to the same sale.
func golden(t *testing.T, s *crowdsale.Sale, name string) {
	t.Helper()
	var b []byte
	for e := range s.EventsAfter(0) {
		b = append(e.AppendJSON(b), '\n')
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		t.Fatalf("event log differs from %s:\n%s", path, cmp.Diff(string(want), string(b)))
	}
	dec := crowdsale.NewDecoder(bytes.NewReader(want))
	r, err := crowdsale.Replay(s.InitialConfig(), dec.Events())
	if err != nil || dec.Err() != nil {
		t.Fatal(err, dec.Err())
	}
	if !bytes.Equal(r.Snapshot().AppendJSON(nil), s.Snapshot().AppendJSON(nil)) {
		t.Fatal("the golden log replays to another sale")
	}
	if err := crowdsaletest.Check(s); err != nil {
		t.Fatal(err)
	}
}

// Golden: a fixed-price sale whose last contribution, in ETH, crosses the cap: it is filled
// up to the cap and the rest refunded in ETH; each participant gets what they bought.
func TestFixedPriceCapCrossingGolden(t *testing.T) {
	s := newSale(t, fixedPrice())
	a := mustContribute(t, s, crowdsale.Contribution{ID: "a", Participant: "alice", Amount: usdcs("400000"), At: day25(time.June, 2, 12)})
	if got := s.Provisional("alice"); !got.Equal(trst("4800000")) {
		t.Fatalf("alice bought %s, want 4,800,000 TRST (400,000 x 10 x 1.2)", got)
	}
	mustContribute(t, s, crowdsale.Contribution{ID: "b", Participant: "bob", Amount: eths("100"), At: day25(time.June, 10, 0),
		Quotes: usdcQuotes("2500", "2500", "2500")})
	if got := s.Provisional("alice"); !got.Equal(trst("4800000")) {
		t.Fatalf("at a fixed price alice's balance does not fall: %s", got)
	}
	c := mustContribute(t, s, crowdsale.Contribution{ID: "c", Participant: "carol", Amount: eths("200"), At: day25(time.June, 11, 0),
		Quotes: usdcQuotes("2990", "3000", "3010")})
	if !c.CapReached || !c.Accepted.Equal(eths("116.666666666666666666")) || !c.Refund.Equal(eths("83.333333333333333334")) {
		t.Fatalf("cap crossing: %+v", c)
	}
	if st := s.Status(day25(time.June, 11, 0)); st.Phase != crowdsale.PhaseEnded || st.Reason != crowdsale.EndCap {
		t.Fatalf("status %+v", st)
	}
	if _, err := s.Contribute(crowdsale.Contribution{ID: "d", Participant: "dave", Amount: usdcs("1"), At: day25(time.June, 11, 1)}); !errors.Is(err, crowdsale.ErrEnded) {
		t.Fatalf("after the cap: %v", err)
	}
	if err := s.Finalize(day25(time.June, 11, 2)); err != nil {
		t.Fatal(err)
	}
	want := []crowdsale.Allocation{
		{Participant: "alice", Amount: trst("4800000")},
		{Participant: "bob", Amount: trst("2500000")},
		{Participant: "carol", Amount: trst("3499999.999999")}, // 349,999.999999999999998 USDC x 10, rounded down
	}
	if diff := cmp.Diff(want, s.Allocations()); diff != "" {
		t.Fatal(diff)
	}
	if !s.Unsold().Equal(trst("1200000.000001")) {
		t.Fatalf("unsold %s", s.Unsold())
	}
	if !a.Bonus.Equal(pct(20)) {
		t.Fatalf("alice's tier: %s", a.Bonus)
	}
	l, _ := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{Sale: "wetrust-sale", Team: "t", Organisation: "o", Bounties: "b"}))
	if err := s.Distribute(l); err != nil {
		t.Fatal(err)
	}
	if !l.Balance("carol").Equal(trst("3499999.999999")) || !l.Balance("wetrust-sale").Equal(trst("69200000.000001")) {
		t.Fatalf("carol %s, sale account %s", l.Balance("carol"), l.Balance("wetrust-sale"))
	}
	golden(t, s, "fixed_price_cap.jsonl")
}

// Tiers by amount sold: a contribution takes the tier in force for the value raised before
// it, whole.
func TestTiersBySold(t *testing.T) {
	cfg := fixedPrice()
	cfg.TierBy = crowdsale.TiersBySold
	cfg.Tiers = []crowdsale.Tier{{Bonus: pct(25)}, {Sold: usdcs("100000"), Bonus: pct(10)}, {Sold: usdcs("500000"), Bonus: pct(0)}}
	cfg.Pool = trst("12500000")
	s := newSale(t, cfg)
	at := day25(time.June, 3, 0)
	for i, c := range []struct {
		amount string
		tier   int
		bonus  uint64
	}{{"60000", 0, 25}, {"60000", 0, 25}, {"380000", 1, 10}, {"1", 2, 0}} {
		r := mustContribute(t, s, crowdsale.Contribution{ID: c.amount + string(rune('a'+i)), Participant: "alice", Amount: usdcs(c.amount), At: at})
		if !r.Bonus.Equal(pct(c.bonus)) || r.Tier != c.tier {
			t.Fatalf("contribution %d: tier %d, bonus %s, want %d%%", i, r.Tier, r.Bonus, c.bonus)
		}
	}
	// 120,000 x 1.25 + 380,000 x 1.10 + 1 = 568,001 USDC of weight, at 10 TRST each
	if got := s.Provisional("alice"); !got.Equal(trst("5680010")) {
		t.Fatalf("alice bought %s", got)
	}
	// a shift moves no tier by amount sold
	if got := cfg.Shift(time.Hour).Tiers; !got[1].From.IsZero() {
		t.Fatalf("shifted sold tier: %+v", got)
	}
}

func TestFixedPriceConfigValidate(t *testing.T) {
	if err := fixedPrice().Validate(); err != nil {
		t.Fatal(err)
	}
	sold := func(c *crowdsale.Config) {
		c.TierBy = crowdsale.TiersBySold
		c.Tiers = []crowdsale.Tier{{Bonus: pct(20)}, {Sold: usdcs("1000"), Bonus: pct(0)}}
	}
	cases := map[string]func(*crowdsale.Config){
		"Design":  func(c *crowdsale.Config) { c.Design = "auction" },
		"Price":   func(c *crowdsale.Config) { c.Price = token.Amount{} },
		"Price ":  func(c *crowdsale.Config) { c.Price = usdcs("10") },
		"Price  ": func(c *crowdsale.Config) { c.Price = trst("-1") },
		"Price   ": func(c *crowdsale.Config) {
			c.Design = crowdsale.DesignProRata // only the fixed-price design has a price
		},
		"Pool":          func(c *crowdsale.Config) { c.Pool = trst("11999999.999999") },
		"TierBy":        func(c *crowdsale.Config) { c.TierBy = "volume" },
		"Tiers[1].Sold": func(c *crowdsale.Config) { c.Tiers[1].Sold = usdcs("1") },
		"Tiers[0].From": func(c *crowdsale.Config) { sold(c); c.Tiers[0].From = c.Start },
		"Tiers[0].Sold": func(c *crowdsale.Config) { sold(c); c.Tiers[0].Sold = usdcs("1") },
		"Tiers[1].Sold ": func(c *crowdsale.Config) {
			sold(c)
			c.Tiers[1].Sold = token.Amount{}
		},
		"Tiers[1].Sold  ": func(c *crowdsale.Config) {
			sold(c)
			c.Tiers[1].Sold = usdc.Zero()
		},
		"Tiers[2].Sold": func(c *crowdsale.Config) {
			sold(c)
			c.Tiers = append(c.Tiers, crowdsale.Tier{Sold: usdcs("1000")})
		},
		"Tiers[1].Sold   ":  func(c *crowdsale.Config) { sold(c); c.Tiers[1].Sold = c.Cap },
		"Tiers[1].Sold    ": func(c *crowdsale.Config) { sold(c); c.Tiers[1].Sold = eths("1") },
	}
	for field, mutate := range cases {
		cfg := fixedPrice()
		mutate(&cfg)
		err := cfg.Validate()
		if !errors.Is(err, crowdsale.ErrInvalidConfig) || !strings.HasPrefix(errorOf(err).Detail, strings.TrimSpace(field)+": ") {
			t.Errorf("%s: %v", field, err)
		}
		if _, err := crowdsale.NewSale(cfg); err == nil {
			t.Errorf("%s: NewSale accepted it", field)
		}
	}
	// a pro-rata config with the explicit design name is the seed's
	cfg := crowdsale.WeTrust2017()
	cfg.Design, cfg.TierBy = crowdsale.DesignProRata, crowdsale.TiersByTime
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestFixedPriceConfigJSON(t *testing.T) {
	for _, cfg := range []crowdsale.Config{fixedPrice(), func() crowdsale.Config {
		c := fixedPrice()
		c.TierBy = crowdsale.TiersBySold
		c.Tiers = []crowdsale.Tier{{Bonus: pct(20)}, {Sold: usdcs("1000"), Bonus: pct(0)}}
		return c
	}()} {
		b, err := json.Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(`"design":"fixed_price","price":"10.000000 TRST"`)) {
			t.Fatalf("%s", b)
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
	// the seed's config writes none of the new fields
	b, _ := json.Marshal(crowdsale.WeTrust2017())
	for _, k := range []string{`"design"`, `"price"`, `"tier_by"`, `"sold"`} {
		if bytes.Contains(b, []byte(k)) {
			t.Fatalf("%s in %s", k, b)
		}
	}
}

// A failed fixed-price sale refunds every contribution in its own currency.
func TestFixedPriceFails(t *testing.T) {
	s := newSale(t, fixedPrice())
	mustContribute(t, s, crowdsale.Contribution{ID: "a", Participant: "alice", Amount: usdcs("99999.999999"), At: day25(time.June, 2, 12)})
	if err := s.Finalize(day25(time.June, 30, 0)); err != nil {
		t.Fatal(err)
	}
	if rs := s.Refunds(); len(rs) != 1 || !rs[0].Amount.Equal(usdcs("99999.999999")) || s.Allocations() != nil || s.Unsold().IsValid() {
		t.Fatalf("refunds %+v, allocations %v, unsold %s", rs, s.Allocations(), s.Unsold())
	}
}
