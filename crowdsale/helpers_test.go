package crowdsale_test

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func utc(m time.Month, day, h, min, sec int) time.Time {
	return time.Date(2017, m, day, h, min, sec, 0, time.UTC)
}

func quotes(vals ...string) map[string]decimal.Decimal {
	names := []string{"cryptocompare", "coinmarketcap", "gdax"}
	q := map[string]decimal.Decimal{}
	for i, v := range vals {
		if v != "" {
			q[names[i]] = d(v)
		}
	}
	return q
}

func btc(id string, who token.Account, amount string, at time.Time) crowdsale.Contribution {
	return crowdsale.Contribution{ID: id, Participant: who, Asset: token.BTC(), Amount: d(amount), At: at}
}

func eth(id string, who token.Account, amount string, at time.Time, q map[string]decimal.Decimal) crowdsale.Contribution {
	return crowdsale.Contribution{ID: id, Participant: who, Asset: token.ETH(), Amount: d(amount), At: at, Quotes: q}
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
	cfg.Minimum = decimal.Zero
	return cfg
}
