package crowdsale_test

import (
	"bytes"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// ethSale is a sale referenced in ETH accepting BTC, quoted in ETH per BTC at the given
// decimals (rounded half to even from finer feeds), with no minimum, no fiat rule and a cap
// of 10,000 ETH.
func ethSale(t *testing.T, decimals int) crowdsale.Config {
	t.Helper()
	return ethSaleCap(t, decimals, "10000")
}

// ethSaleCap is ethSale with the given cap in ETH.
func ethSaleCap(t *testing.T, decimals int, cap string) crowdsale.Config {
	t.Helper()
	cfg := crowdsale.WeTrust2017()
	cfg.Reference = token.ETH()
	cfg.Accepted = []token.Asset{token.ETH(), token.BTC()}
	cfg.Minimum = token.ETH().Zero()
	cfg.Cap = eths(cap)
	cfg.Fiat = crowdsale.FiatRule{}
	cfg.Quotes.Decimals, cfg.Quotes.Rounding = decimals, crowdsale.RoundHalfEven
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// ethPer returns an amount of ETH per BTC with the given number of decimals.
func ethPer(decimals int, s string) token.Amount {
	a, err := token.NewAsset("ETH", decimals)
	if err != nil {
		panic(err)
	}
	return a.MustParse(s)
}

// decimalsOf returns the number of decimals written in the number s.
func decimalsOf(s string) int {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

// ratOf returns x as an exact rational of whole units.
func ratOf(x token.Amount) *big.Rat {
	d := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.Asset().Decimals())), nil)
	return new(big.Rat).SetFrac(x.Units(), d)
}

// bigMedian is the median of the quotes of the sources that answered, the mean of the two
// middle ones for an even count, each quote rounded half to even to the given decimals.
func bigMedian(decimals int, quotes map[string]token.Amount) *big.Rat {
	var qs []*big.Rat
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil))
	for _, q := range quotes {
		r := new(big.Rat).Mul(ratOf(q), scale)
		fl, rem := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
		twice := new(big.Int).Lsh(rem, 1)
		if c := twice.Cmp(r.Denom()); c > 0 || c == 0 && fl.Bit(0) == 1 {
			fl.Add(fl, big.NewInt(1))
		}
		qs = append(qs, new(big.Rat).Quo(new(big.Rat).SetInt(fl), scale))
	}
	for i := range qs { // insertion sort: a handful of quotes
		for j := i; j > 0 && qs[j-1].Cmp(qs[j]) > 0; j-- {
			qs[j-1], qs[j] = qs[j], qs[j-1]
		}
	}
	n := len(qs)
	if n%2 == 1 {
		return qs[n/2]
	}
	m := new(big.Rat).Add(qs[n/2-1], qs[n/2])
	return m.Quo(m, big.NewRat(2, 1))
}

// TestWideQuoteGolden runs a sale in ETH accepting BTC at about 33 ETH per BTC, quoted at 12
// decimals (one satoshi's value then needs more than 64 bits of value units; the quote was
// refused as too large before it was kept on 128 bits): every median, value, weight, the
// total raised and the allocations are exactly those of a math/big computation.
func TestWideQuoteGolden(t *testing.T) {
	const decimals = 12
	cfg := ethSale(t, decimals)
	s := newSale(t, cfg)
	btcQuotes := func(vals ...string) map[string]token.Amount {
		names := []string{"cryptocompare", "coinmarketcap", "gdax"}
		q := map[string]token.Amount{}
		for i, v := range vals {
			if v != "" {
				q[names[i]] = ethPer(decimalsOf(v), v)
			}
		}
		return q
	}
	in := []crowdsale.Contribution{
		{ID: "a", Participant: "alice", Amount: btcs("1.5"), At: utc(3, 2, 10, 0, 0),
			Quotes: btcQuotes("33.123456789012345678", "33.123456789013", "")},
		{ID: "b", Participant: "bob", Amount: eths("2.000000000000000001"), At: utc(3, 10, 0, 0, 0)},
		{ID: "c", Participant: "carol", Amount: btcs("0.00000001"), At: utc(3, 17, 0, 0, 0),
			Quotes: btcQuotes("33.1234567", "33.123456789012345678", "34")},
		{ID: "d", Participant: "bob", Amount: btcs("0.12345678"), At: utc(3, 24, 0, 0, 0),
			Quotes: btcQuotes("32.999999999999", "33.000000000001", "")},
		{ID: "e", Participant: "alice", Amount: btcs("21.00000001"), At: utc(4, 7, 0, 0, 0),
			Quotes: btcQuotes("", "33.1234567890125", "33.1234567890135")},
	}
	bonus := map[string]int64{"a": 30, "b": 20, "c": 15, "d": 10, "e": 0}
	raised := new(big.Rat)
	weights := map[token.Account]*big.Rat{}
	total := new(big.Rat)
	for _, c := range in {
		rc := mustContribute(t, s, c)
		want := ratOf(c.Amount)
		if c.Quotes != nil {
			med := bigMedian(decimals, c.Quotes)
			if ratOf(rc.Median).Cmp(med) != 0 {
				t.Fatalf("%s: median %s, want %s", c.ID, rc.Median, med.FloatString(40))
			}
			want.Mul(want, med)
		}
		if ratOf(rc.Value()).Cmp(want) != 0 || rc.Value().Asset() != cfg.ValueAsset() {
			t.Fatalf("%s: value %s, want %s", c.ID, rc.Value(), want.FloatString(40))
		}
		w := new(big.Rat).Mul(want, big.NewRat(100+bonus[c.ID], 100))
		if rc.Weight().Cmp(w) != 0 {
			t.Fatalf("%s: weight %s, want %s", c.ID, rc.Weight().RatString(), w.RatString())
		}
		raised.Add(raised, want)
		if weights[c.Participant] == nil {
			weights[c.Participant] = new(big.Rat)
		}
		weights[c.Participant].Add(weights[c.Participant], w)
		total.Add(total, w)
	}
	if ratOf(s.Raised()).Cmp(raised) != 0 {
		t.Fatalf("raised %s, want %s", s.Raised(), raised.FloatString(40))
	}
	// the golden figure, in ETH: 1.5 x 33.1234567890125 + 2.000000000000000001 +
	// 0.00000001 x 33.123456789012 + 0.12345678 x 33.000000000000 + 21.00000001 x 33.123456789013
	if want := amt(cfg.ValueAsset(), "751.35185215526088578125"); !s.Raised().Equal(want) {
		t.Fatalf("raised %s, want %s", s.Raised(), want)
	}
	if err := s.Finalize(cfg.End); err != nil {
		t.Fatal(err)
	}
	checkAllocations(t, s, cfg, weights, total)
	checkReplay(t, s, cfg)
}

// checkAllocations checks that each allocation is the floor of pool x weight / total or one
// minor unit more, and that they sum to the pool.
func checkAllocations(t *testing.T, s *crowdsale.Sale, cfg crowdsale.Config, weights map[token.Account]*big.Rat, total *big.Rat) {
	t.Helper()
	sum := new(big.Int)
	pool := new(big.Rat).SetInt(cfg.Pool.Units())
	for _, a := range s.Allocations() {
		share := new(big.Rat).Mul(pool, weights[a.Participant])
		share.Quo(share, total)
		floor := new(big.Int).Quo(share.Num(), share.Denom())
		got := a.Amount.Units()
		if d := new(big.Int).Sub(got, floor); d.Sign() < 0 || d.Cmp(big.NewInt(1)) > 0 {
			t.Fatalf("%s: allocation %s, exact share %s", a.Participant, a.Amount, share.FloatString(12))
		}
		sum.Add(sum, got)
	}
	if sum.Cmp(cfg.Pool.Units()) != 0 {
		t.Fatalf("allocations sum to %s, want the pool %s", sum, cfg.Pool)
	}
}

// checkReplay checks that the sale's events, as JSON lines, replay to the same sale.
func checkReplay(t *testing.T, s *crowdsale.Sale, cfg crowdsale.Config) {
	t.Helper()
	var log []byte
	for e := range s.EventsAfter(0) {
		log = append(e.AppendJSON(log), '\n')
	}
	r, err := crowdsale.Replay(cfg, crowdsale.NewDecoder(bytes.NewReader(log)).Events())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.Snapshot().AppendJSON(nil), s.Snapshot().AppendJSON(nil)) {
		t.Fatal("replay differs from the live sale")
	}
}

// TestWideQuoteLimit: in the ETH sale quoted at 12 decimals (a satoshi is 10^10 wei), the
// largest quote is the one whose satoshi is worth 2^126 - 1 value units or less; one quote
// unit more is refused as too large, and nothing changes.
func TestWideQuoteLimit(t *testing.T) {
	cfg := ethSale(t, 12)
	s := newSale(t, cfg)
	// 2 x quote units x 10^10 < 2^126: quote units at most floor((2^126 - 1) / (2 x 10^10))
	lim := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 126), big.NewInt(1))
	lim.Quo(lim, big.NewInt(20_000_000_000))
	qa := ethPer(12, "1")
	most, _ := qa.Asset().FromUnits(lim)
	over, _ := qa.Asset().FromUnits(new(big.Int).Add(lim, big.NewInt(1)))
	c := crowdsale.Contribution{ID: "x", Participant: "alice", Amount: btcs("1"), At: utc(3, 5, 0, 0, 0),
		Quotes: map[string]token.Amount{"cryptocompare": most, "gdax": over}}
	if _, err := s.Contribute(c); !errors.Is(err, crowdsale.ErrInvalidQuote) || !strings.Contains(errorOf(err).Detail, "quote too large") {
		t.Fatalf("over the limit: %v", err)
	}
	if s.Len() != 0 || s.LastSeq() != 0 {
		t.Fatal("a refused quote changed the sale")
	}
	c.Quotes["gdax"] = most
	rc := mustContribute(t, s, c)
	// a satoshi is worth more than the cap: nothing is accepted, all is refunded at once
	if !rc.Accepted.IsZero() || !rc.Refund.Equal(rc.Received) || !rc.CapReached || !s.Raised().IsZero() {
		t.Fatalf("at the limit: accepted %s, refund %s, raised %s", rc.Accepted, rc.Refund, s.Raised())
	}
}

// TestWideQuoteCapCrossing: a BTC contribution valued on 128 bits that crosses the cap is
// accepted up to it, rounded down to the satoshi, exactly as math/big finds it.
func TestWideQuoteCapCrossing(t *testing.T) {
	cfg := ethSale(t, 12)
	s := newSale(t, cfg)
	mustContribute(t, s, crowdsale.Contribution{ID: "a", Participant: "alice", Amount: eths("9000.000000000000000007"), At: utc(3, 5, 0, 0, 0)})
	q := ethPer(12, "33.123456789012")
	rc := mustContribute(t, s, crowdsale.Contribution{ID: "b", Participant: "bob", Amount: btcs("31"), At: utc(3, 6, 0, 0, 0),
		Quotes: map[string]token.Amount{"cryptocompare": q, "gdax": q}})
	// room 999.999999999999999993 ETH; a satoshi is worth 33.123456789012 x 10^-8 ETH
	room := new(big.Rat).Sub(ratOf(cfg.Cap), ratOf(eths("9000.000000000000000007")))
	sats := new(big.Rat).Quo(room, new(big.Rat).Mul(ratOf(q), big.NewRat(1, 100_000_000)))
	floor := new(big.Int).Quo(sats.Num(), sats.Denom())
	if rc.Accepted.Units().Cmp(floor) != 0 || !rc.CapReached {
		t.Fatalf("accepted %s (%s satoshi), want %s satoshi", rc.Accepted, rc.Accepted.Units(), floor)
	}
	if sum, _ := rc.Accepted.Add(rc.Refund); !sum.Equal(rc.Received) {
		t.Fatal("accepted + refund differs from the amount received")
	}
	want := new(big.Rat).Mul(new(big.Rat).SetFrac(floor, big.NewInt(100_000_000)), ratOf(q))
	if ratOf(rc.Value()).Cmp(want) != 0 || ratOf(s.Raised()).Cmp(new(big.Rat).Add(want, ratOf(eths("9000.000000000000000007")))) != 0 {
		t.Fatalf("value %s, raised %s", rc.Value(), s.Raised())
	}
}

// TestWideQuote17 quotes BTC at 17 decimals of ETH, the finest an ETH sale's values allow
// (values then have 36 decimals, the most an amount has; the totals' 126 bits then bound
// the cap to about 16 ETH): a feed's 33.123456789012345678 ETH per BTC is rounded half to
// even to 17 decimals, and a satoshi, worth about 6.6 x 10^28 value units, is valued exactly.
func TestWideQuote17(t *testing.T) {
	cfg := ethSaleCap(t, 17, "10")
	fine := cfg.Clone()
	fine.Quotes.Decimals = 18 // values would need 37 decimals
	if err := fine.Validate(); !errors.Is(err, crowdsale.ErrInvalidConfig) {
		t.Fatalf("18 quote decimals in an ETH sale: %v", err)
	}
	wide := cfg.Clone()
	wide.Cap = eths("17") // 17 ETH x 2 x 10^17 x 26 passes 2^126
	if err := wide.Validate(); !errors.Is(err, crowdsale.ErrInvalidConfig) {
		t.Fatalf("a cap of 17 ETH at 17 quote decimals: %v", err)
	}
	s := newSale(t, cfg)
	q := map[string]token.Amount{"cryptocompare": ethPer(18, "33.123456789012345678"), "gdax": ethPer(17, "33.12345678901234567")}
	rc := mustContribute(t, s, crowdsale.Contribution{ID: "a", Participant: "alice", Amount: btcs("0.12345678"), At: utc(3, 2, 1, 0, 0), Quotes: q})
	med := bigMedian(17, q)
	if ratOf(rc.Median).Cmp(med) != 0 || !rc.Median.Equal(amt(cfg.ValueAsset(), "33.123456789012345675")) {
		t.Fatalf("median %s, want %s", rc.Median, med.FloatString(20))
	}
	want := new(big.Rat).Mul(ratOf(btcs("0.12345678")), med)
	if ratOf(rc.Value()).Cmp(want) != 0 || !rc.Value().Equal(amt(cfg.ValueAsset(), "4.0893153176406035772824265")) {
		t.Fatalf("value %s, want %s", rc.Value(), want.FloatString(36))
	}
	mustContribute(t, s, crowdsale.Contribution{ID: "b", Participant: "bob", Amount: eths("1"), At: utc(3, 2, 2, 0, 0)})
	if err := s.Finalize(cfg.End); err != nil {
		t.Fatal(err)
	}
	checkReplay(t, s, cfg)
}
