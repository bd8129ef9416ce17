package crowdsale_test

import (
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

var (
	usd, _ = token.NewAsset("USD", 2)
	// seedValue is the value asset of the seed sale: BTC with 27 decimals.
	seedValue = crowdsale.WeTrust2017().ValueAsset()
	// seedFiat is the fiat value asset of the seed sale: USD with 21 decimals.
	seedFiat = crowdsale.WeTrust2017().FiatValueAsset()
)

// amt parses an amount of a: amt(token.BTC(), "1.5").
func amt(a token.Asset, s string) token.Amount { return a.MustParse(s) }

func btcs(s string) token.Amount  { return token.BTC().MustParse(s) }
func eths(s string) token.Amount  { return token.ETH().MustParse(s) }
func trst(s string) token.Amount  { return token.TRST().MustParse(s) }
func value(s string) token.Amount { return seedValue.MustParse(s) }
func fiat(s string) token.Amount  { return seedFiat.MustParse(s) }
func pct(n uint64) token.Ratio    { return token.MustRatio(n, 100) }

func utc(m time.Month, day, h, min, sec int) time.Time {
	return time.Date(2017, m, day, h, min, sec, 0, time.UTC)
}

// quotes returns the seed's sources' quotes in BTC per ETH; "" is a source that did not
// answer.
func quotes(vals ...string) map[string]token.Amount {
	names := []string{"cryptocompare", "coinmarketcap", "gdax"}
	q := map[string]token.Amount{}
	for i, v := range vals {
		if v != "" {
			q[names[i]] = btcs(v)
		}
	}
	return q
}

func btc(id string, who token.Account, amount string, at time.Time) crowdsale.Contribution {
	return crowdsale.Contribution{ID: id, Participant: who, Amount: btcs(amount), At: at}
}

func eth(id string, who token.Account, amount string, at time.Time, q map[string]token.Amount) crowdsale.Contribution {
	return crowdsale.Contribution{ID: id, Participant: who, Amount: eths(amount), At: at, Quotes: q}
}

// tb is what the helpers need from *testing.T and *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func newSale(t tb, cfg crowdsale.Config) *crowdsale.Sale {
	t.Helper()
	s, err := crowdsale.NewSale(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustContribute(t tb, s *crowdsale.Sale, c crowdsale.Contribution) crowdsale.Receipt {
	t.Helper()
	r, err := s.Contribute(c)
	if err != nil {
		t.Fatalf("Contribute(%s): %v", c.ID, err)
	}
	if err := s.Audit(); err != nil {
		t.Fatal(err)
	}
	return r
}

// noMinimum is the seed sale without its 1,000 BTC minimum, for the FAQ's small examples.
func noMinimum() crowdsale.Config {
	cfg := crowdsale.WeTrust2017()
	cfg.Minimum = token.BTC().Zero()
	return cfg
}

// errorOf returns err as an *Error, or nil.
func errorOf(err error) *crowdsale.Error {
	e, _ := err.(*crowdsale.Error)
	return e
}
