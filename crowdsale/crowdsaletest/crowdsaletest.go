package crowdsaletest

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// Participants returns the accounts the generators draw contributions from.
func Participants() []token.Account { return []token.Account{"alice", "bob", "carol", "dave", "erin"} }

// Config draws a valid sale config: BTC and ETH accepted, the seed's three sources with a
// quorum of 1 to 3, a window of 1 to 6 days starting in March 2017, 1 to 4 tiers with
// bonuses n/100 or n/3, a pool of 1 to 10^9 TRST minor units, a cap of 1 to 100 BTC with a
// minimum below it, and a fiat rule that is off or easy to reach.
func Config() *rapid.Generator[crowdsale.Config] {
	return rapid.Custom(func(t *rapid.T) crowdsale.Config {
		cfg := crowdsale.WeTrust2017()
		start := cfg.Start.Add(time.Duration(rapid.IntRange(0, 5).Draw(t, "startHours")) * time.Hour)
		days := rapid.IntRange(1, 6).Draw(t, "days")
		cfg.Start, cfg.End = start, start.Add(time.Duration(days)*24*time.Hour)
		n := rapid.IntRange(1, 4).Draw(t, "tiers")
		cfg.Tiers = nil
		from := start
		for i := 0; i < n && from.Before(cfg.End); i++ {
			b := crowdsale.Percent(int64(rapid.IntRange(0, 50).Draw(t, "bonus")))
			if rapid.IntRange(0, 4).Draw(t, "thirds") == 0 {
				b = crowdsale.Bonus{Num: int64(rapid.IntRange(0, 2).Draw(t, "num")), Den: 3}
			}
			cfg.Tiers = append(cfg.Tiers, crowdsale.Tier{From: from, Bonus: b})
			from = from.Add(time.Duration(rapid.IntRange(1, 48).Draw(t, "tierHours")) * time.Hour)
		}
		cfg.Pool = token.TRST().FromInt64Units(rapid.Int64Range(1, 1_000_000_000).Draw(t, "poolUnits"))
		capSat := rapid.Int64Range(1, 100).Draw(t, "capBTC") * 100_000_000
		cfg.Cap = token.BTC().FromInt64Units(capSat)
		cfg.Minimum = token.BTC().FromInt64Units(rapid.Int64Range(0, capSat).Draw(t, "minSat"))
		cfg.Quotes.Quorum = rapid.IntRange(1, 3).Draw(t, "quorum")
		if rapid.Bool().Draw(t, "fiat") {
			cfg.Fiat = crowdsale.FiatRule{Currency: "USD", Threshold: decimal.New(rapid.Int64Range(1, 100_000).Draw(t, "threshold"), 0),
				Days: rapid.IntRange(1, 3).Draw(t, "fiatDays"), Lookback: rapid.IntRange(1, 3).Draw(t, "lookback")}
		} else {
			cfg.Fiat = crowdsale.FiatRule{}
		}
		return cfg
	})
}

// Quote draws a valid quote in BTC per ETH: a few realistic values, some of them equal so
// that medians tie, at most 8 decimals.
func Quote() *rapid.Generator[decimal.Decimal] {
	return rapid.SampledFrom([]decimal.Decimal{
		decimal.RequireFromString("0.03"), decimal.RequireFromString("0.0301"), decimal.RequireFromString("0.0299"),
		decimal.RequireFromString("0.05"), decimal.RequireFromString("0.00000001"), decimal.RequireFromString("1.5"),
	})
}

// Quotes draws the quotes of at least quorum of the config's sources.
func Quotes(cfg crowdsale.Config) *rapid.Generator[map[string]decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) map[string]decimal.Decimal {
		n := rapid.IntRange(cfg.Quotes.Quorum, len(cfg.Quotes.Sources)).Draw(t, "nquotes")
		srcs := rapid.Permutation(cfg.Quotes.Sources).Draw(t, "sources")[:n]
		q := make(map[string]decimal.Decimal, n)
		for _, s := range srcs {
			q[s] = Quote().Draw(t, "quote")
		}
		return q
	})
}

// Amount draws a positive amount of asset of 1 to maxUnits minor units.
func Amount(asset token.Asset, maxUnits int64) *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		return asset.FromInt64Units(rapid.Int64Range(1, maxUnits).Draw(t, "units"))
	})
}

// Contribution draws a valid contribution dated in [from, from+step) and inside the
// window (at its last nanosecond when from is at or after the end): a participant of
// Participants, BTC of up to 20 BTC or ETH of up to 500 ETH with valid quotes. ids are drawn
// from 1,000,000 values, so they rarely repeat.
func Contribution(cfg crowdsale.Config, from time.Time, step time.Duration) *rapid.Generator[crowdsale.Contribution] {
	return rapid.Custom(func(t *rapid.T) crowdsale.Contribution {
		if from.Before(cfg.Start) {
			from = cfg.Start
		}
		at := from.Add(time.Duration(rapid.Int64Range(0, int64(step)-1).Draw(t, "after")))
		if !at.Before(cfg.End) {
			at = cfg.End.Add(-1)
		}
		c := crowdsale.Contribution{
			ID:          fmt.Sprintf("c%d", rapid.IntRange(0, 999_999).Draw(t, "id")),
			Participant: rapid.SampledFrom(Participants()).Draw(t, "participant"),
			At:          at,
		}
		if rapid.Bool().Draw(t, "eth") {
			c.Asset = token.ETH()
			c.Amount = Amount(token.ETH(), 500_000_000_000_000_000).Draw(t, "wei")
			c.Quotes = Quotes(cfg).Draw(t, "quotes")
		} else {
			c.Asset = token.BTC()
			c.Amount = Amount(token.BTC(), 2_000_000_000).Draw(t, "sat")
		}
		return c
	})
}

// Invalid draws a contribution that the sale must reject whatever its state (a malformed
// id, participant, asset, amount or quote), starting from a valid one.
func Invalid(cfg crowdsale.Config, from time.Time) *rapid.Generator[crowdsale.Contribution] {
	return rapid.Custom(func(t *rapid.T) crowdsale.Contribution {
		c := Contribution(cfg, from, time.Hour).Draw(t, "base")
		switch rapid.IntRange(0, 8).Draw(t, "defect") {
		case 0:
			c.ID = ""
		case 1:
			c.Participant = "not valid"
		case 2:
			c.Asset = token.TRST()
		case 3:
			c.Amount = c.Amount.Neg()
		case 4:
			c.Amount = decimal.Zero
		case 5:
			c.Amount = c.Amount.Add(decimal.New(1, -30))
		case 6:
			c.Asset, c.Quotes = token.ETH(), map[string]decimal.Decimal{"kraken": decimal.RequireFromString("0.03")}
		case 7:
			c.Asset, c.Quotes = token.ETH(), map[string]decimal.Decimal{cfg.Quotes.Sources[0]: decimal.RequireFromString("0.000000001")}
		default:
			c.Asset, c.Quotes = token.BTC(), map[string]decimal.Decimal{cfg.Quotes.Sources[0]: decimal.RequireFromString("0.03")}
		}
		return c
	})
}

// Check runs the sale's Audit and checks that replaying its events on its initial config
// gives the same events.
func Check(s *crowdsale.Sale) error {
	if err := s.Audit(); err != nil {
		return err
	}
	r, err := crowdsale.Replay(s.InitialConfig(), s.Events())
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	live, again := s.Events(), r.Events()
	if len(live) != len(again) {
		return fmt.Errorf("replay has %d events, live %d", len(again), len(live))
	}
	for i := range live {
		if !live[i].Equal(again[i]) {
			return fmt.Errorf("replay differs at event %d", i)
		}
	}
	return nil
}
