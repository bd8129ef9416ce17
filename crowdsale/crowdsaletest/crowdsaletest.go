package crowdsaletest

import (
	"fmt"
	"math/big"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// Participants returns the accounts the generators draw contributions from.
func Participants() []token.Account { return []token.Account{"alice", "bob", "carol", "dave", "erin"} }

// Config draws a valid sale config: BTC and ETH accepted, the seed's three sources with a
// quorum of 1 to 3, a window of 1 to 6 days starting in March 2017, 1 to 4 tiers with
// bonuses n/100 or n/3, a pool of 1 to 10^9 TRST minor units, a cap of 1 to 100 BTC with a
// minimum below it, a fiat rule that is off or easy to reach, and a quote rounding that is
// off (quotes of 8 decimals only) or one of the four.
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
			b := token.MustRatio(uint64(rapid.IntRange(0, 50).Draw(t, "bonus")), 100)
			if rapid.IntRange(0, 4).Draw(t, "thirds") == 0 {
				b = token.MustRatio(uint64(rapid.IntRange(0, 2).Draw(t, "num")), 3)
			}
			cfg.Tiers = append(cfg.Tiers, crowdsale.Tier{From: from, Bonus: b})
			from = from.Add(time.Duration(rapid.IntRange(1, 48).Draw(t, "tierHours")) * time.Hour)
		}
		cfg.Pool = token.TRST().FromInt64Units(rapid.Int64Range(1, 1_000_000_000).Draw(t, "poolUnits"))
		capSat := rapid.Int64Range(1, 100).Draw(t, "capBTC") * 100_000_000
		cfg.Cap = token.BTC().FromInt64Units(capSat)
		cfg.Minimum = token.BTC().FromInt64Units(rapid.Int64Range(0, capSat).Draw(t, "minSat"))
		cfg.Quotes.Quorum = rapid.IntRange(1, 3).Draw(t, "quorum")
		cfg.Quotes.Rounding = rapid.SampledFrom([]crowdsale.QuoteRounding{"", crowdsale.RoundHalfEven,
			crowdsale.RoundHalfUp, crowdsale.RoundDown, crowdsale.RoundUp}).Draw(t, "rounding")
		if rapid.Bool().Draw(t, "fiat") {
			usd := cfg.Fiat.Currency
			cfg.Fiat = crowdsale.FiatRule{Currency: usd, Threshold: usd.FromInt64Units(rapid.Int64Range(1, 100_000).Draw(t, "threshold") * 100),
				Days: rapid.IntRange(1, 3).Draw(t, "fiatDays"), Lookback: rapid.IntRange(1, 3).Draw(t, "lookback")}
		} else {
			cfg.Fiat = crowdsale.FiatRule{}
		}
		return cfg
	})
}

// FixedPriceConfig draws a valid fixed-price config: one drawn by Config, sold at a price
// of 1 to 2 x 10^13 / cap TRST minor units per BTC, with a pool that covers the cap at any
// bonus and up to as much again unsold (at most 80,000,000 TRST, what token.TRSTGenesis
// gives the sale account), its tiers by time or, half the time, by amount sold (the first
// at zero, the others strictly increasing below the cap).
func FixedPriceConfig() *rapid.Generator[crowdsale.Config] {
	return rapid.Custom(func(t *rapid.T) crowdsale.Config {
		cfg := Config().Draw(t, "base")
		cfg.Design = crowdsale.DesignFixedPrice
		capBTC := cfg.Cap.Units().Int64() / 100_000_000
		// a pool of at most 80,000,000 TRST, what token.TRSTGenesis gives the sale account
		price := rapid.Int64Range(1, 20_000_000_000_000/capBTC).Draw(t, "priceUnits")
		cfg.Price = token.TRST().FromInt64Units(price)
		most := capBTC * 2 * price // every bonus is below 100%
		cfg.Pool = token.TRST().FromInt64Units(most + rapid.Int64Range(0, most).Draw(t, "unsold"))
		if rapid.Bool().Draw(t, "bySold") {
			cfg.TierBy = crowdsale.TiersBySold
			sold := int64(0)
			capSat := cfg.Cap.Units().Int64()
			for i := range cfg.Tiers {
				if i > 0 {
					sold += rapid.Int64Range(1, capSat).Draw(t, "tierSat")
				}
				if sold >= capSat {
					cfg.Tiers = cfg.Tiers[:i]
					break
				}
				cfg.Tiers[i].From, cfg.Tiers[i].Sold = time.Time{}, token.BTC().FromInt64Units(sold)
			}
		}
		return cfg
	})
}

// AnyConfig draws a config of either design: Config or FixedPriceConfig.
func AnyConfig() *rapid.Generator[crowdsale.Config] {
	return rapid.OneOf(Config(), FixedPriceConfig())
}

// Restricted draws cfg with, each half the time, an allowlist and per-participant limits
// (a minimum of 0 to 1 BTC, a maximum of 1 to 50 BTC or none).
func Restricted(cfg crowdsale.Config) *rapid.Generator[crowdsale.Config] {
	return rapid.Custom(func(t *rapid.T) crowdsale.Config {
		cfg := cfg.Clone()
		cfg.Allowlist = rapid.Bool().Draw(t, "allowlist")
		if rapid.Bool().Draw(t, "limits") {
			cfg.PerParticipant.Min = token.BTC().FromInt64Units(rapid.Int64Range(0, 100_000_000).Draw(t, "minSat"))
			if rapid.Bool().Draw(t, "max") {
				cfg.PerParticipant.Max = token.BTC().FromInt64Units(rapid.Int64Range(100_000_000, 5_000_000_000).Draw(t, "maxSat"))
			}
		}
		return cfg
	})
}

// Registrant draws a valid registry entry for one of Participants: verified or not, with
// or without a payout address and refund addresses for BTC and ETH.
func Registrant() *rapid.Generator[crowdsale.Registrant] {
	return rapid.Custom(func(t *rapid.T) crowdsale.Registrant {
		r := crowdsale.Registrant{
			Account:  rapid.SampledFrom(Participants()).Draw(t, "account"),
			Verified: rapid.Bool().Draw(t, "verified"),
		}
		if rapid.Bool().Draw(t, "payout") {
			r.Payout = "0x" + string(r.Account)
		}
		if rapid.Bool().Draw(t, "refund") {
			r.Refund = map[string]string{"ETH": "0x" + string(r.Account), "BTC": "bc1" + string(r.Account)}
		}
		return r
	})
}

// Quote draws a valid quote in BTC per ETH, an amount of [token.BTC] (the quote asset of
// every config Config draws): a few realistic values, some of them equal so that medians
// tie, at most 8 decimals.
func Quote() *rapid.Generator[token.Amount] {
	btc := token.BTC()
	return rapid.SampledFrom([]token.Amount{
		btc.MustParse("0.03"), btc.MustParse("0.0301"), btc.MustParse("0.0299"),
		btc.MustParse("0.05"), btc.MustParse("0.00000001"), btc.MustParse("1.5"),
	})
}

// FineQuote draws a valid quote in BTC per ETH given with other decimals than 8, as a feed
// delivers it, for a config with a quote rounding: 10, 11 and 18 decimals, at and around a
// half of the last kept digit, and one of 2 decimals; none rounds to zero.
func FineQuote() *rapid.Generator[token.Amount] {
	at := func(decimals int, s string) token.Amount {
		a, _ := token.NewAsset("BTC", decimals)
		return a.MustParse(s)
	}
	return rapid.SampledFrom([]token.Amount{
		at(10, "0.0300000050"), at(10, "0.0300000150"), at(10, "0.0300000049"), at(11, "0.03010000501"),
		at(18, "0.029999999999999999"), at(18, "0.000000014999999999"), at(2, "0.03"),
	})
}

// Quotes draws the quotes of at least quorum of the config's sources; with a quote rounding
// some are drawn by FineQuote.
func Quotes(cfg crowdsale.Config) *rapid.Generator[map[string]token.Amount] {
	return rapid.Custom(func(t *rapid.T) map[string]token.Amount {
		n := rapid.IntRange(cfg.Quotes.Quorum, len(cfg.Quotes.Sources)).Draw(t, "nquotes")
		srcs := rapid.Permutation(cfg.Quotes.Sources).Draw(t, "sources")[:n]
		q := make(map[string]token.Amount, n)
		for _, s := range srcs {
			if cfg.Quotes.Rounding != "" && rapid.Bool().Draw(t, "fine") {
				q[s] = FineQuote().Draw(t, "quote")
			} else {
				q[s] = Quote().Draw(t, "quote")
			}
		}
		return q
	})
}

// Amount draws a positive amount of asset of 1 to maxUnits minor units.
func Amount(asset token.Asset, maxUnits int64) *rapid.Generator[token.Amount] {
	return rapid.Custom(func(t *rapid.T) token.Amount {
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
			c.Amount = Amount(token.ETH(), 500_000_000_000_000_000).Draw(t, "wei")
			c.Quotes = Quotes(cfg).Draw(t, "quotes")
		} else {
			c.Amount = Amount(token.BTC(), 2_000_000_000).Draw(t, "sat")
		}
		return c
	})
}

// Invalid draws a contribution that the sale must reject whatever its state (a malformed
// id, participant, currency, amount, quote or time), starting from a valid one.
func Invalid(cfg crowdsale.Config, from time.Time) *rapid.Generator[crowdsale.Contribution] {
	return rapid.Custom(func(t *rapid.T) crowdsale.Contribution {
		c := Contribution(cfg, from, time.Hour).Draw(t, "base")
		switch rapid.IntRange(0, 11).Draw(t, "defect") {
		case 0:
			c.ID = ""
		case 1:
			c.Participant = "not valid"
		case 2:
			c.Amount = token.TRST().FromInt64Units(1)
		case 3:
			c.Amount = c.Amount.Neg()
		case 4:
			c.Amount = c.Amount.Asset().Zero()
		case 5: // one unit finer than the currency's minor unit
			a := c.Amount.Asset()
			finer, _ := token.NewAsset(a.Symbol(), a.Decimals()+12)
			u := c.Amount.Units()
			u.Mul(u, big.NewInt(1_000_000_000_000))
			c.Amount, _ = finer.FromUnits(u.Add(u, big.NewInt(1)))
		case 6:
			c.Amount, c.Quotes = token.ETH().FromInt64Units(1), map[string]token.Amount{"kraken": token.BTC().MustParse("0.03")}
		case 7:
			// finer than the quote asset: refused without a rounding; with one, negative
			finer, _ := token.NewAsset("BTC", 9)
			q := finer.MustParse("0.000000001")
			if cfg.Quotes.Rounding != "" {
				q = q.Neg()
			}
			c.Amount, c.Quotes = token.ETH().FromInt64Units(1), map[string]token.Amount{cfg.Quotes.Sources[0]: q}
		case 8:
			c.ID = string([]byte{'a', 0xff, 'b'}) // not UTF-8
		case 9:
			c.At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) // beyond what the log holds
		case 10:
			c.Amount = token.Amount{}
		default:
			c.Amount, c.Quotes = token.BTC().FromInt64Units(1), map[string]token.Amount{cfg.Quotes.Sources[0]: token.BTC().MustParse("0.03")}
		}
		return c
	})
}

// Check runs the sale's Audit and checks that its events, each encoded to JSON and decoded
// back, replay on its initial config to the same sale: the same events, byte for byte, and
// the same snapshot.
func Check(s *crowdsale.Sale) error {
	if err := s.Audit(); err != nil {
		return err
	}
	var lines [][]byte
	var decoded []crowdsale.Event
	for e := range s.EventsAfter(0) {
		line := e.AppendJSON(nil)
		var back crowdsale.Event
		if err := back.UnmarshalJSON(line); err != nil {
			return fmt.Errorf("event %s does not decode: %w", line, err)
		}
		lines, decoded = append(lines, line), append(decoded, back)
	}
	r, err := crowdsale.Replay(s.InitialConfig(), slices.Values(decoded))
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if r.LastSeq() != s.LastSeq() {
		return fmt.Errorf("replay has %d events, live %d", r.LastSeq(), s.LastSeq())
	}
	i := 0
	for e := range r.EventsAfter(0) {
		if got := e.AppendJSON(nil); !slices.Equal(got, lines[i]) {
			return fmt.Errorf("replay differs at event %d:\n%s\n%s", i+1, got, lines[i])
		}
		i++
	}
	if live, again := s.Snapshot().AppendJSON(nil), r.Snapshot().AppendJSON(nil); !slices.Equal(live, again) {
		return fmt.Errorf("replay snapshot differs:\n%s\n%s", again, live)
	}
	return nil
}
