package crowdsale

import (
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Bonus is an exact, non-negative rational bonus Num/Den: 30% is Bonus{30, 100}. A
// contribution's weight is its value times (1 + Num/Den). Den is 1 to 1,000,000 and the
// bonus at most 1000% (Num <= 10*Den).
type Bonus struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// Percent returns the bonus p/100.
func Percent(p int64) Bonus { return Bonus{Num: p, Den: 100} }

// Validate checks the bounds documented on Bonus.
func (b Bonus) Validate() error {
	if b.Den < 1 || b.Den > 1_000_000 || b.Num < 0 || b.Num > 10*b.Den {
		return fmt.Errorf("bonus %d/%d outside 0..1000%% with a denominator of 1..1000000", b.Num, b.Den)
	}
	return nil
}

// Equal reports whether b and o are the same fraction (30/100 equals 3/10).
func (b Bonus) Equal(o Bonus) bool {
	return new(big.Int).Mul(big.NewInt(b.Num), big.NewInt(o.Den)).Cmp(new(big.Int).Mul(big.NewInt(o.Num), big.NewInt(b.Den))) == 0
}

// Rat returns the bonus as a big.Rat.
func (b Bonus) Rat() *big.Rat {
	if b.Den == 0 {
		return new(big.Rat)
	}
	return big.NewRat(b.Num, b.Den)
}

// String formats the bonus as "num/den".
func (b Bonus) String() string { return fmt.Sprintf("%d/%d", b.Num, b.Den) }

// Tier is a bonus that applies from From (inclusive) to the next tier's From, or to the end
// of the window for the last tier: tiers are half-open, [From, next From).
type Tier struct {
	From  time.Time `json:"from"`
	Bonus Bonus     `json:"bonus"`
}

// QuoteRule says how a contribution in a non-reference currency is pegged to the reference:
// the known sources, how many must quote (Quorum) and the finest quote accepted (Decimals,
// the number of decimal places of a quote in reference units per unit of the currency).
type QuoteRule struct {
	Sources  []string `json:"sources"`
	Quorum   int      `json:"quorum"`
	Decimals int      `json:"decimals"`
}

// FiatRule is the seed's additional end condition: the sale ends when, on Days consecutive
// UTC days, the fiat value of what was collected, at the minimum of the median closing
// rates of the Lookback previous days, is at least Threshold. A zero Threshold disables the
// rule. The closing rates come from the QuoteRule's sources (median of those that answered).
type FiatRule struct {
	Currency  string          `json:"currency"`  // e.g. "USD"; a label for the rates
	Threshold decimal.Decimal `json:"threshold"` // e.g. 7,300,000
	Days      int             `json:"days"`      // consecutive days required (3)
	Lookback  int             `json:"lookback"`  // closing days whose minimum is used (3)
}

// Enabled reports whether the rule is in force (a positive threshold).
func (f FiatRule) Enabled() bool { return f.Threshold.Sign() > 0 }

// Config describes a sale. It is a plain value: build it, call Validate (NewSale does), and
// it round-trips through JSON.
//
// Values are counted in the Reference currency without bonuses (Minimum, Cap); Accepted
// lists every currency the sale takes, the reference among them. The window is half-open,
// [Start, End); the tiers start at Start, increase strictly and cover the window.
type Config struct {
	Token       token.Asset     `json:"token"`        // the asset sold (TRST)
	Pool        decimal.Decimal `json:"pool"`         // the amount of Token shared among participants
	SaleAccount token.Account   `json:"sale_account"` // the ledger account that holds the pool
	Reference   token.Asset     `json:"reference"`    // the currency values are counted in (BTC)
	Accepted    []token.Asset   `json:"accepted"`     // the currencies accepted, Reference included
	Start       time.Time       `json:"start"`        // first instant of the window
	End         time.Time       `json:"end"`          // first instant after the window
	Tiers       []Tier          `json:"tiers"`        // bonus schedule
	Minimum     decimal.Decimal `json:"minimum"`      // below this raised value the sale fails
	Cap         decimal.Decimal `json:"cap"`          // the sale ends when raised value reaches it
	Fiat        FiatRule        `json:"fiat"`         // the fiat end rule
	Quotes      QuoteRule       `json:"quotes"`       // pegging of non-reference currencies
}

// WeTrust2017 returns the seed sale of the WeTrust FAQ.
//
// The FAQ's window "03/02/2017 12:00:00 AM UTC to 04/12/2017 11:59:59 PM UTC" is read as
// every instant of those days, inclusive: the half-open window is [2017-03-02T00:00:00Z,
// 2017-04-13T00:00:00Z), so a contribution at 23:59:59.5 on April 12 is in. Each bonus tier
// likewise runs from 00:00 UTC of its first day to 00:00 UTC of the day after its last day:
// 30% on March 2; 25% March 3-8; 20% March 9-15; 15% March 16-22; 10% March 23-29; 5%
// March 30-April 5; 0% April 6-12.
//
// The pool is 80,000,000 TRST held by the account "wetrust-sale"; minimum 1,000 BTC and cap
// 6,000 BTC of value without bonuses; BTC and ETH accepted; ETH pegged by the median of
// cryptocompare, coinmarketcap and gdax with a quorum of 2 (one lone source is not a median;
// with two the mean of both is used, exactly), quotes to 8 decimals (a satoshi); the fiat
// rule at $7,300,000 on 3 consecutive days with a 3-day look-back.
func WeTrust2017() Config {
	day := func(m time.Month, d int) time.Time { return time.Date(2017, m, d, 0, 0, 0, 0, time.UTC) }
	return Config{
		Token:       token.TRST(),
		Pool:        decimal.New(80_000_000, 0),
		SaleAccount: "wetrust-sale",
		Reference:   token.BTC(),
		Accepted:    []token.Asset{token.BTC(), token.ETH()},
		Start:       day(time.March, 2),
		End:         day(time.April, 13),
		Tiers: []Tier{
			{From: day(time.March, 2), Bonus: Percent(30)},
			{From: day(time.March, 3), Bonus: Percent(25)},
			{From: day(time.March, 9), Bonus: Percent(20)},
			{From: day(time.March, 16), Bonus: Percent(15)},
			{From: day(time.March, 23), Bonus: Percent(10)},
			{From: day(time.March, 30), Bonus: Percent(5)},
			{From: day(time.April, 6), Bonus: Percent(0)},
		},
		Minimum: decimal.New(1000, 0),
		Cap:     decimal.New(6000, 0),
		Fiat:    FiatRule{Currency: "USD", Threshold: decimal.New(7_300_000, 0), Days: 3, Lookback: 3},
		Quotes:  QuoteRule{Sources: []string{"cryptocompare", "coinmarketcap", "gdax"}, Quorum: 2, Decimals: 8},
	}
}

// Clone returns a deep copy of c (its slices are not shared).
func (c Config) Clone() Config {
	c.Accepted = slices.Clone(c.Accepted)
	c.Tiers = slices.Clone(c.Tiers)
	c.Quotes.Sources = slices.Clone(c.Quotes.Sources)
	return c
}

// Shift returns a copy of c with the window and every tier moved by d (the seed's start
// slipped by 24 hours: Shift(24*time.Hour)). To move a running Sale use Sale.Shift, which
// is allowed only before the start and is recorded.
func (c Config) Shift(d time.Duration) Config {
	c = c.Clone()
	c.Start = c.Start.Add(d)
	c.End = c.End.Add(d)
	for i := range c.Tiers {
		c.Tiers[i].From = c.Tiers[i].From.Add(d)
	}
	return c
}

// Validate checks the config; see the field docs. It returns a *ConfigError.
func (c Config) Validate() error {
	_, err := c.compile()
	return err
}

// limits of the internal representation
const (
	maxUnitExp   = 18 // reference minor unit / value unit <= 2*10^18 fits a uint64
	maxWeightLen = 126
)

// params is the compiled form of a Config used on the hot path.
type params struct {
	refIndex     int
	assets       []assetParams
	sources      []string
	unitExp      int32   // value unit = 10^-unitExp / 2 reference units
	unitsPerRef  uint64  // value units per reference minor unit
	tierFrom     []int64 // unix nanos
	factor       []uint64
	den          uint64 // common denominator of the bonuses: weight = value*factor/den
	start, end   int64
	capUnits     u128
	minUnits     u128
	pool         big.Int // pool in token minor units
	quoteDecs    int32
	quoteScale   []uint64 // 10^i for i <= quoteDecs
	fiatDays     int
	fiatLookback int
}

type assetParams struct {
	asset    token.Asset
	decimals int32
	scale    uint64 // for quoted assets: value units per minor unit = quote*2*10^k * scale
}

func cfgErr(field, format string, args ...any) error {
	return &ConfigError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

func inNanoRange(t time.Time) bool {
	return !t.IsZero() && t.Year() > 1678 && t.Year() < 2262
}

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

func (c Config) compile() (*params, error) {
	p := &params{}
	for _, x := range []struct {
		f string
		v decimal.Decimal
	}{{"Pool", c.Pool}, {"Minimum", c.Minimum}, {"Cap", c.Cap}, {"Fiat.Threshold", c.Fiat.Threshold}} {
		if x.v.Exponent() < -40 || x.v.Exponent() > 40 || x.v.NumDigits() > 60 {
			return nil, cfgErr(x.f, "exponent outside -40..40 or more than 60 digits")
		}
	}
	if !c.Token.IsValid() {
		return nil, cfgErr("Token", "invalid asset")
	}
	if err := c.Token.CheckPositive(c.Pool); err != nil {
		return nil, cfgErr("Pool", "%v", err)
	}
	if err := c.SaleAccount.Validate(); err != nil {
		return nil, cfgErr("SaleAccount", "%v", err)
	}
	if !c.Reference.IsValid() {
		return nil, cfgErr("Reference", "invalid asset")
	}
	if len(c.Accepted) == 0 {
		return nil, cfgErr("Accepted", "no currency accepted")
	}
	p.refIndex = -1
	maxDec := int32(0)
	for i, a := range c.Accepted {
		if !a.IsValid() {
			return nil, cfgErr(fmt.Sprintf("Accepted[%d]", i), "invalid asset")
		}
		for _, b := range c.Accepted[:i] {
			if b.Symbol() == a.Symbol() {
				return nil, cfgErr(fmt.Sprintf("Accepted[%d]", i), "%s listed twice", a)
			}
		}
		if a.Symbol() == c.Reference.Symbol() {
			if !a.Equal(c.Reference) {
				return nil, cfgErr(fmt.Sprintf("Accepted[%d]", i), "differs from Reference")
			}
			p.refIndex = i
		}
		maxDec = max(maxDec, int32(a.Decimals()))
	}
	if p.refIndex < 0 {
		return nil, cfgErr("Accepted", "must include the reference %s", c.Reference)
	}
	quoted := len(c.Accepted) > 1
	q := c.Quotes
	if quoted || c.Fiat.Enabled() {
		if len(q.Sources) == 0 {
			return nil, cfgErr("Quotes.Sources", "no source")
		}
		for i, s := range q.Sources {
			if s == "" || len(s) > 64 {
				return nil, cfgErr(fmt.Sprintf("Quotes.Sources[%d]", i), "must be 1 to 64 bytes")
			}
			if slices.Contains(q.Sources[:i], s) {
				return nil, cfgErr(fmt.Sprintf("Quotes.Sources[%d]", i), "%q listed twice", s)
			}
		}
	}
	if len(q.Sources) > 64 {
		return nil, cfgErr("Quotes.Sources", "more than 64 sources")
	}
	if len(c.Accepted) > 255 {
		return nil, cfgErr("Accepted", "more than 255 currencies")
	}
	if len(c.Tiers) > 255 {
		return nil, cfgErr("Tiers", "more than 255 tiers")
	}
	if quoted {
		if q.Quorum < 1 || q.Quorum > len(q.Sources) {
			return nil, cfgErr("Quotes.Quorum", "%d not in 1..%d", q.Quorum, len(q.Sources))
		}
		if q.Decimals < 0 || q.Decimals > 18 {
			return nil, cfgErr("Quotes.Decimals", "%d not in 0..18", q.Decimals)
		}
	}
	p.sources = slices.Clone(q.Sources)
	p.quoteDecs = int32(max(q.Decimals, 0))
	p.unitExp = maxDec + p.quoteDecs
	refDec := int32(c.Reference.Decimals())
	if p.unitExp-refDec > maxUnitExp {
		return nil, cfgErr("Quotes.Decimals", "value unit too fine: currency decimals + quote decimals - reference decimals must be at most %d", maxUnitExp)
	}
	p.unitsPerRef = 2 * pow10(int(p.unitExp-refDec))
	for i := 0; i <= int(p.quoteDecs); i++ {
		p.quoteScale = append(p.quoteScale, pow10(i))
	}
	for _, a := range c.Accepted {
		ap := assetParams{asset: a, decimals: int32(a.Decimals())}
		if a.Symbol() != c.Reference.Symbol() {
			if maxDec-ap.decimals > 18 {
				return nil, cfgErr("Accepted", "%s is too coarse next to the finest currency", a)
			}
			ap.scale = pow10(int(maxDec - ap.decimals))
		}
		p.assets = append(p.assets, ap)
	}
	if !inNanoRange(c.Start) || !inNanoRange(c.End) {
		return nil, cfgErr("Start", "window must lie between the years 1679 and 2261")
	}
	if !c.Start.Before(c.End) {
		return nil, cfgErr("End", "must be after Start")
	}
	p.start, p.end = c.Start.UnixNano(), c.End.UnixNano()
	if len(c.Tiers) == 0 {
		return nil, cfgErr("Tiers", "no tier")
	}
	den := uint64(1)
	for i, t := range c.Tiers {
		f := fmt.Sprintf("Tiers[%d]", i)
		if err := t.Bonus.Validate(); err != nil {
			return nil, cfgErr(f+".Bonus", "%v", err)
		}
		if i == 0 && !t.From.Equal(c.Start) {
			return nil, cfgErr(f+".From", "the first tier must start at Start")
		}
		if i > 0 && !t.From.After(c.Tiers[i-1].From) {
			return nil, cfgErr(f+".From", "tiers must start in strictly increasing order")
		}
		if !t.From.Before(c.End) {
			return nil, cfgErr(f+".From", "tier starts at or after End")
		}
		p.tierFrom = append(p.tierFrom, t.From.UnixNano())
		den = lcm(den, uint64(t.Bonus.Den))
		if den > 1_000_000_000 {
			return nil, cfgErr(f+".Bonus", "common denominator of the bonuses above 10^9")
		}
	}
	p.den = den
	maxFactor := uint64(0)
	for _, t := range c.Tiers {
		f := den + uint64(t.Bonus.Num)*(den/uint64(t.Bonus.Den))
		p.factor = append(p.factor, f)
		maxFactor = max(maxFactor, f)
	}
	if err := c.Reference.Check(c.Minimum); err != nil {
		return nil, cfgErr("Minimum", "%v", err)
	}
	if err := c.Reference.CheckPositive(c.Cap); err != nil {
		return nil, cfgErr("Cap", "%v", err)
	}
	if c.Minimum.Cmp(c.Cap) > 0 {
		return nil, cfgErr("Minimum", "above Cap")
	}
	capMinor, _ := c.Reference.Units(c.Cap)
	minMinor, _ := c.Reference.Units(c.Minimum)
	capUnits := new(big.Int).Mul(capMinor, new(big.Int).SetUint64(p.unitsPerRef))
	if new(big.Int).Mul(capUnits, new(big.Int).SetUint64(maxFactor)).BitLen() > maxWeightLen {
		return nil, cfgErr("Cap", "too large for the value unit (cap x bonus factor must stay below 2^126 units of 10^-%d/2 %s)", p.unitExp, c.Reference)
	}
	p.capUnits, _ = fromBig(capUnits)
	p.minUnits, _ = fromBig(new(big.Int).Mul(minMinor, new(big.Int).SetUint64(p.unitsPerRef)))
	pool, _ := c.Token.Units(c.Pool)
	p.pool.Set(pool)
	if c.Fiat.Enabled() {
		if c.Fiat.Currency == "" {
			return nil, cfgErr("Fiat.Currency", "empty")
		}
		if c.Fiat.Days < 1 || c.Fiat.Days > 366 {
			return nil, cfgErr("Fiat.Days", "%d not in 1..366", c.Fiat.Days)
		}
		if c.Fiat.Lookback < 1 || c.Fiat.Lookback > 31 {
			return nil, cfgErr("Fiat.Lookback", "%d not in 1..31", c.Fiat.Lookback)
		}
		p.fiatDays, p.fiatLookback = c.Fiat.Days, c.Fiat.Lookback
	} else if c.Fiat.Threshold.Sign() < 0 {
		return nil, cfgErr("Fiat.Threshold", "negative")
	}
	return p, nil
}

func lcm(a, b uint64) uint64 {
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return a / x * b
}

// tierAt returns the index of the tier in force at t (unix nanos, inside the window).
func (p *params) tierAt(t int64) int {
	i := 0
	for i+1 < len(p.tierFrom) && t >= p.tierFrom[i+1] {
		i++
	}
	return i
}
