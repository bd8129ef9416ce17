package crowdsale

import (
	"fmt"
	"math/big"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// Tier is a bonus that applies from From (inclusive) to the next tier's From, or to the end
// of the window for the last tier: tiers are half-open, [From, next From). A contribution's
// weight is its value times 1 + Bonus; the bonus is a [token.Ratio], 0 to 100% ("30%"). The
// zero Tier is a bonus of 0% from the zero time.
//
// With tiers by amount sold ([TiersBySold]), From is left zero and Sold says from which raised
// value (without bonuses, an amount of the reference) the tier applies: a tier is in force
// from Sold (inclusive) to the next tier's Sold. A contribution takes the tier in force when
// it arrives, that is for the value raised before it, and is priced whole at that tier: it is
// not split at a tier's edge. Under the fixed-price design a bonus is a price tier: a
// contribution buys value x Price x (1 + Bonus) tokens.
type Tier struct {
	From  time.Time
	Bonus token.Ratio
	Sold  token.Amount // tiers by amount sold: the raised value from which the tier applies
}

// Design names how a sale turns contributions into tokens.
type Design string

// The designs of a sale.
const (
	// DesignProRata is the 2017 design, and the zero Design's: a fixed pool shared among
	// the participants in proportion to their weights, the price known only at the end.
	DesignProRata Design = "pro_rata"
	// DesignFixedPrice sells at a stated price, first come first served, up to the cap:
	// each participant buys floor(value x Price x (1 + bonus)) tokens, rounded down to the
	// token's minor unit per participant; what the participants did not buy stays unsold in
	// the sale account.
	DesignFixedPrice Design = "fixed_price"
)

// TierBasis says what selects a tier.
type TierBasis string

// The bases of a tier table.
const (
	TiersByTime TierBasis = "time" // by the time received (Tier.From), the zero TierBasis's
	TiersBySold TierBasis = "sold" // by the value raised before the contribution (Tier.Sold)
)

// QuoteRule says how a contribution in a currency other than the reference is pegged to the
// reference: the known sources, how many must quote (Quorum), the precision of a quote
// (Decimals) and how a quote given more finely is rounded to it (Rounding). A quote is the
// value of one whole unit of the currency in the reference, an amount of
// [Config.QuoteAsset]: the reference's symbol with Decimals decimals (for the seed sale, 8
// decimals: a quote is an amount of [token.BTC], "0.03000000 BTC" per ETH). The zero
// QuoteRule has no source.
//
// Decimals is 0 to [MaxQuoteDecimals], and at most 18 + the reference's decimals - the
// largest number of decimals of the accepted currencies, so that a value stays exact in
// 64-bit units: 8 for a sale in BTC (8 decimals) that accepts ETH (18).
//
// With the zero Rounding a quote must be an amount of the quote asset exactly. With a
// Rounding, a quote may be given as an amount of the reference's symbol with any number of
// decimals (feeds deliver 10 or 18): it is used rounded to Decimals by that rounding (or
// scaled up exactly when it has fewer), and the contribution's event records the quote as
// given ([ContributionEvent.Quotes]) and as used ([ContributionEvent.Rounded]). A quote that
// rounds to zero is refused.
type QuoteRule struct {
	Sources  []string
	Quorum   int
	Decimals int
	Rounding QuoteRounding
}

// MaxQuoteDecimals is the most decimals a quote's precision (QuoteRule.Decimals) may have.
const MaxQuoteDecimals = 18

// QuoteRounding names how a quote given with more decimals than QuoteRule.Decimals is
// rounded to them. The zero QuoteRounding refuses such a quote.
type QuoteRounding string

// The roundings of a quote.
const (
	RoundHalfEven QuoteRounding = "half_even" // to the nearest, a tie to the even last digit
	RoundHalfUp   QuoteRounding = "half_up"   // to the nearest, a tie away from zero
	RoundDown     QuoteRounding = "down"      // towards zero: the quote used is at most the quote given
	RoundUp       QuoteRounding = "up"        // away from zero: the quote used is at least the quote given
)

// valid reports whether r is a known rounding or the zero QuoteRounding.
func (r QuoteRounding) valid() bool {
	switch r {
	case "", RoundHalfEven, RoundHalfUp, RoundDown, RoundUp:
		return true
	}
	return false
}

// FiatRule is the seed's additional end condition: the sale ends when, on Days consecutive
// UTC days, the fiat value of what was collected, at the minimum of the median closing
// rates of the Lookback previous days, is at least Threshold. Closing rates and the
// threshold are amounts of Currency (USD with 2 decimals for the seed sale); the rates come
// from the QuoteRule's sources (median of those that answered). The zero FiatRule, and any
// rule whose Threshold is zero or the zero Amount, is disabled.
type FiatRule struct {
	Currency  token.Asset  // the fiat currency, e.g. USD with 2 decimals
	Threshold token.Amount // an amount of Currency, e.g. 7,300,000.00 USD
	Days      int          // consecutive days required (3)
	Lookback  int          // closing days whose minimum is used (3)
}

// Enabled reports whether the rule is in force (a positive threshold).
func (f FiatRule) Enabled() bool { return f.Threshold.IsPositive() }

// Config describes a sale. It is a plain value: build it, call Validate (NewSale does), and
// it round-trips through JSON ([Config.MarshalJSON]). The zero Config is not valid.
//
// Values are counted in the Reference currency without bonuses (Minimum, Cap); Accepted
// lists every currency the sale takes, the reference among them. The window is half-open,
// [Start, End), and lies between the years 1679 and 2261; the tiers start at Start,
// increase strictly and cover the window. Times are kept in UTC (NewSale converts them; the
// instant is kept, the zone dropped).
//
// Lateness lets a service insert a transaction it saw late: a contribution dated up to
// Lateness before the sale's clock is accepted (see [Sale.Contribute]).
//
// Under the fixed-price design (Design = [DesignFixedPrice]) Price is the number of tokens one
// whole unit of the reference buys (10 TRST per USD: Price "10.000000 TRST"), the pool must
// cover the cap at the largest bonus, and the allocations need not sum to the pool: the rest
// is unsold. Under the pro-rata design Price is left unset.
type Config struct {
	Token       token.Asset   // the asset sold (TRST)
	Pool        token.Amount  // the amount of Token shared among participants
	SaleAccount token.Account // the ledger account that holds the pool
	Reference   token.Asset   // the currency values are counted in (BTC)
	Accepted    []token.Asset // the currencies accepted, Reference included
	Start       time.Time     // first instant of the window
	End         time.Time     // first instant after the window
	Tiers       []Tier        // bonus schedule
	Minimum     token.Amount  // of Reference: below this raised value the sale fails
	Cap         token.Amount  // of Reference: the sale ends when raised value reaches it
	Fiat        FiatRule      // the fiat end rule
	Quotes      QuoteRule     // pegging of non-reference currencies
	Design      Design        // pro rata (the zero Design) or fixed price
	Price       token.Amount  // fixed price: of Token, per whole unit of Reference
	TierBy      TierBasis     // what selects a tier: time (the zero TierBasis) or amount sold

	PerParticipant Limits        // each participant's minimum and maximum value
	Allowlist      bool          // only registered, verified participants contribute (see Sale.Register)
	Admin          token.Account // the administrator who may pause and resume the sale; none when empty
	Escrow         EscrowRule    // k of n key holders release the proceeds; none when zero
	Lateness       time.Duration // how long before the sale's clock a contribution may be dated; 0 to 7 days
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
// rule at 7,300,000.00 USD (USD with 2 decimals) on 3 consecutive days with a 3-day
// look-back.
func WeTrust2017() Config {
	day := func(m time.Month, d int) time.Time { return time.Date(2017, m, d, 0, 0, 0, 0, time.UTC) }
	pct := func(n uint64) token.Ratio { return token.MustRatio(n, 100) }
	usd, _ := token.NewAsset("USD", 2)
	btc := token.BTC()
	return Config{
		Token:       token.TRST(),
		Pool:        token.TRST().FromUint64Units(80_000_000_000_000),
		SaleAccount: "wetrust-sale",
		Reference:   btc,
		Accepted:    []token.Asset{btc, token.ETH()},
		Start:       day(time.March, 2),
		End:         day(time.April, 13),
		Tiers: []Tier{
			{From: day(time.March, 2), Bonus: pct(30)},
			{From: day(time.March, 3), Bonus: pct(25)},
			{From: day(time.March, 9), Bonus: pct(20)},
			{From: day(time.March, 16), Bonus: pct(15)},
			{From: day(time.March, 23), Bonus: pct(10)},
			{From: day(time.March, 30), Bonus: pct(5)},
			{From: day(time.April, 6), Bonus: pct(0)},
		},
		Minimum: btc.FromUint64Units(1000 * 100_000_000),
		Cap:     btc.FromUint64Units(6000 * 100_000_000),
		Fiat:    FiatRule{Currency: usd, Threshold: usd.FromUint64Units(730_000_000), Days: 3, Lookback: 3},
		Quotes:  QuoteRule{Sources: []string{"cryptocompare", "coinmarketcap", "gdax"}, Quorum: 2, Decimals: 8},
	}
}

// Clone returns a deep copy of c (its slices are not shared).
func (c Config) Clone() Config {
	c.Accepted = slices.Clone(c.Accepted)
	c.Tiers = slices.Clone(c.Tiers)
	c.Quotes.Sources = slices.Clone(c.Quotes.Sources)
	c.Escrow.Holders = slices.Clone(c.Escrow.Holders)
	return c
}

// utc returns a deep copy of c with every time in UTC.
func (c Config) utc() Config {
	c = c.Clone()
	c.Start, c.End = c.Start.UTC(), c.End.UTC()
	for i := range c.Tiers {
		c.Tiers[i].From = c.Tiers[i].From.UTC()
	}
	return c
}

// Shift returns a copy of c with the window and every tier by time moved by d (the seed's start
// slipped by 24 hours: Shift(24*time.Hour)). To move a running Sale use Sale.Shift, which
// is allowed only before the start and is recorded.
func (c Config) Shift(d time.Duration) Config {
	c = c.Clone()
	c.Start = c.Start.Add(d)
	c.End = c.End.Add(d)
	for i := range c.Tiers {
		if !c.Tiers[i].From.IsZero() {
			c.Tiers[i].From = c.Tiers[i].From.Add(d)
		}
	}
	return c
}

// Validate checks the config; see the field docs. The error is an [*Error] wrapping
// [ErrInvalidConfig] whose Detail starts with the offending field ("Tiers[2].From: ...").
func (c Config) Validate() error {
	_, err := c.compile()
	return err
}

// maxDecimals returns the largest number of decimals among the accepted currencies.
func (c Config) maxDecimals() int {
	d := 0
	for _, a := range c.Accepted {
		d = max(d, a.Decimals())
	}
	return d
}

// QuoteAsset returns the asset quotes are amounts of: the reference's symbol with
// Quotes.Decimals decimals ([token.BTC] for the seed sale). It is the zero Asset when the
// reference or the decimals are invalid.
func (c Config) QuoteAsset() token.Asset {
	a, _ := token.NewAsset(c.Reference.Symbol(), c.Quotes.Decimals)
	return a
}

// ValueAsset returns the asset in which the sale states values in the reference currency,
// exactly: a contribution's value, the sale's raised total, the median quote. It has the
// reference's symbol and d + q + 1 decimals, d the largest number of decimals of the
// accepted currencies and q the quote decimals (27 for the seed sale: 18 for a wei, 8 for a
// quote, 1 for the mean of two quotes), so that no value is ever rounded. It is the zero
// Asset when that is more than [token.MaxDecimals] or the reference is invalid.
func (c Config) ValueAsset() token.Asset {
	a, _ := token.NewAsset(c.Reference.Symbol(), c.maxDecimals()+max(c.Quotes.Decimals, 0)+1)
	return a
}

// FiatValueAsset returns the asset in which the fiat rule states its figures exactly (the
// closing rates it used and the value it found, see [FiatDay]): the fiat currency's symbol
// with f + 1 + d decimals, f its decimals and d the largest number of decimals of the
// accepted currencies (21 for the seed sale). It is the zero Asset when that is more than
// [token.MaxDecimals] or the currency is invalid.
func (c Config) FiatValueAsset() token.Asset {
	a, _ := token.NewAsset(c.Fiat.Currency.Symbol(), c.Fiat.Currency.Decimals()+1+c.maxDecimals())
	return a
}

// limits of the internal representation
const (
	maxUnitExp   = 18 // reference minor unit / value unit <= 2*10^18 fits a uint64
	maxWeightLen = 126
	maxBonusDen  = 1_000_000_000
)

// params is the compiled form of a Config used on the hot path.
type params struct {
	refIndex     int
	assets       []assetParams
	sources      []string
	maxDec       int32
	unitExp      int32  // value unit = 10^-unitExp / 2 reference units
	unitsPerRef  uint64 // value units per reference minor unit
	tierFrom     []int64
	factor       []uint64
	den          uint64 // common denominator of the bonuses: weight = value*factor/den
	start, end   int64  // unix nanos
	capUnits     uint128.U128
	minUnits     uint128.U128
	pool         big.Int // pool in token minor units
	quoteDecs    int32
	quoteRound   QuoteRounding
	quoteAsset   token.Asset // the asset of a quote
	valueAsset   token.Asset // the asset of a value: 5 of its units are one value unit
	fiatValue    token.Asset // the asset of the fiat rule's figures
	threshold    big.Int     // the fiat threshold in units of fiatValue
	fiatDays     int
	fiatLookback int
	bySold       bool           // tiers by amount sold
	tierSold     []uint128.U128 // per tier, in value units, when bySold
	fixed        bool           // the fixed-price design
	priceNum     big.Int        // fixed price: tokens = weight units x priceNum / priceDen
	priceDen     big.Int
	lateness     time.Duration
	limited      bool         // per-participant limits in force
	minPart      uint128.U128 // per-participant minimum, value units; zero for none
	maxPart      uint128.U128 // per-participant maximum, value units; zero for none
}

type assetParams struct {
	asset    token.Asset
	zero     token.Amount // zero of the asset, copied into receipts: built once, so that a copy reads stored memory
	decimals int32
	scale    uint64 // for quoted assets: value units per minor unit = quote*2*10^k * scale
}

// cfgErr is the error of an invalid field.
func cfgErr(field string, cause error, format string, args ...any) error {
	detail := field + ": " + fmt.Sprintf(format, args...)
	if cause != nil {
		detail += ": " + causeText(cause)
	}
	return &Error{Op: "Validate", Detail: detail, Err: because(ErrInvalidConfig, cause)}
}

func inNanoRange(t time.Time) bool {
	y := t.UTC().Year()
	return !t.IsZero() && y > 1678 && y < 2262
}

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

// compile validates c and returns its compiled form.
func (c Config) compile() (*params, error) {
	p := &params{}
	for _, step := range []func(*Config, *params) error{
		(*Config).compileToken, (*Config).compileAssets, (*Config).compileQuotes, (*Config).compileUnits,
		(*Config).compileWindow, (*Config).compileTiers, (*Config).compileLimits, (*Config).compileSoldTiers,
		(*Config).compileDesign, (*Config).compileParticipants, (*Config).compileEscrow, (*Config).compileFiat,
	} {
		if err := step(&c, p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (c *Config) compileToken(p *params) error {
	if !c.Token.IsValid() {
		return cfgErr("Token", nil, "invalid asset")
	}
	if err := c.Token.CheckPositive(c.Pool); err != nil {
		return cfgErr("Pool", err, "not a positive amount of %s", c.Token)
	}
	c.Pool.SetUnits(&p.pool)
	if err := c.SaleAccount.Validate(); err != nil {
		return cfgErr("SaleAccount", err, "invalid account")
	}
	if c.Admin != "" {
		if err := c.Admin.Validate(); err != nil {
			return cfgErr("Admin", err, "invalid account")
		}
	}
	return nil
}

func (c *Config) compileAssets(p *params) error {
	if !c.Reference.IsValid() {
		return cfgErr("Reference", nil, "invalid asset")
	}
	if len(c.Accepted) == 0 {
		return cfgErr("Accepted", nil, "no currency accepted")
	}
	if len(c.Accepted) > 255 {
		return cfgErr("Accepted", nil, "more than 255 currencies")
	}
	p.refIndex = -1
	for i, a := range c.Accepted {
		f := fmt.Sprintf("Accepted[%d]", i)
		if !a.IsValid() {
			return cfgErr(f, nil, "invalid asset")
		}
		for _, b := range c.Accepted[:i] {
			if b.Symbol() == a.Symbol() {
				return cfgErr(f, nil, "%s listed twice", a)
			}
		}
		if a.Symbol() == c.Reference.Symbol() {
			if !a.Equal(c.Reference) {
				return cfgErr(f, nil, "differs from Reference")
			}
			p.refIndex = i
		}
		p.maxDec = max(p.maxDec, int32(a.Decimals()))
	}
	if p.refIndex < 0 {
		return cfgErr("Accepted", nil, "must include the reference %s", c.Reference)
	}
	return nil
}

func (c *Config) compileQuotes(p *params) error {
	q := c.Quotes
	if len(c.Accepted) > 1 || c.Fiat.Enabled() {
		if len(q.Sources) == 0 {
			return cfgErr("Quotes.Sources", nil, "no source")
		}
		for i, s := range q.Sources {
			f := fmt.Sprintf("Quotes.Sources[%d]", i)
			if s == "" || len(s) > 64 || !utf8.ValidString(s) {
				return cfgErr(f, nil, "must be 1 to 64 bytes of valid UTF-8")
			}
			if slices.Contains(q.Sources[:i], s) {
				return cfgErr(f, nil, "%q listed twice", s)
			}
		}
	}
	if len(q.Sources) > 64 {
		return cfgErr("Quotes.Sources", nil, "more than 64 sources")
	}
	if len(c.Accepted) > 1 {
		if q.Quorum < 1 || q.Quorum > len(q.Sources) {
			return cfgErr("Quotes.Quorum", nil, "%d not in 1..%d", q.Quorum, len(q.Sources))
		}
		if q.Decimals < 0 || q.Decimals > MaxQuoteDecimals {
			return cfgErr("Quotes.Decimals", nil, "%d not in 0..%d", q.Decimals, MaxQuoteDecimals)
		}
	}
	if !q.Rounding.valid() {
		return cfgErr("Quotes.Rounding", nil, "unknown rounding %q", q.Rounding)
	}
	p.quoteRound = q.Rounding
	p.sources = slices.Clone(q.Sources)
	p.quoteDecs = int32(max(q.Decimals, 0))
	return nil
}

func (c *Config) compileUnits(p *params) error {
	p.unitExp = p.maxDec + p.quoteDecs
	refDec := int32(c.Reference.Decimals())
	if p.unitExp-refDec > maxUnitExp {
		return cfgErr("Quotes.Decimals", nil, "value unit too fine: currency decimals + quote decimals - reference decimals must be at most %d (quote decimals at most %d here)",
			maxUnitExp, max(maxUnitExp-p.maxDec+refDec, 0))
	}
	var err error
	if p.valueAsset, err = token.NewAsset(c.Reference.Symbol(), int(p.unitExp)+1); err != nil {
		return cfgErr("Quotes.Decimals", err, "values need %d decimals", p.unitExp+1)
	}
	if len(c.Accepted) > 1 {
		if p.quoteAsset, err = token.NewAsset(c.Reference.Symbol(), int(p.quoteDecs)); err != nil {
			return cfgErr("Quotes.Decimals", err, "invalid quote asset")
		}
	}
	p.unitsPerRef = 2 * pow10(int(p.unitExp-refDec))
	for _, a := range c.Accepted {
		ap := assetParams{asset: a, zero: a.Zero(), decimals: int32(a.Decimals())}
		if a.Symbol() != c.Reference.Symbol() {
			if p.maxDec-ap.decimals > 18 {
				return cfgErr("Accepted", nil, "%s is too coarse next to the finest currency", a)
			}
			ap.scale = pow10(int(p.maxDec - ap.decimals))
		}
		p.assets = append(p.assets, ap)
	}
	return nil
}

func (c *Config) compileWindow(p *params) error {
	if !inNanoRange(c.Start) || !inNanoRange(c.End) {
		return cfgErr("Start", nil, "window must lie between the years 1679 and 2261")
	}
	if !c.Start.Before(c.End) {
		return cfgErr("End", nil, "must be after Start")
	}
	p.start, p.end = c.Start.UnixNano(), c.End.UnixNano()
	if c.Lateness < 0 || c.Lateness > 7*24*time.Hour {
		return cfgErr("Lateness", nil, "%s not in 0..168h", c.Lateness)
	}
	p.lateness = c.Lateness
	return nil
}

func (c *Config) compileTiers(p *params) error {
	if len(c.Tiers) == 0 {
		return cfgErr("Tiers", nil, "no tier")
	}
	if len(c.Tiers) > 255 {
		return cfgErr("Tiers", nil, "more than 255 tiers")
	}
	switch c.TierBy {
	case "", TiersByTime:
	case TiersBySold:
		p.bySold = true
	default:
		return cfgErr("TierBy", nil, "unknown basis %q", c.TierBy)
	}
	den := uint64(1)
	for i, t := range c.Tiers {
		f := fmt.Sprintf("Tiers[%d]", i)
		if p.bySold {
			if !t.From.IsZero() {
				return cfgErr(f+".From", nil, "tiers by amount sold have no time")
			}
		} else if !t.Sold.IsZero() {
			return cfgErr(f+".Sold", nil, "tiers by time have no amount sold")
		}
		switch {
		case p.bySold:
		case i == 0 && !t.From.Equal(c.Start):
			return cfgErr(f+".From", nil, "the first tier must start at Start")
		case i > 0 && !t.From.After(c.Tiers[i-1].From):
			return cfgErr(f+".From", nil, "tiers must start in strictly increasing order")
		case !t.From.Before(c.End):
			return cfgErr(f+".From", nil, "tier starts at or after End")
		}
		p.tierFrom = append(p.tierFrom, t.From.UnixNano())
		if d := t.Bonus.Den(); d > maxBonusDen || den/gcd64(den, d) > maxBonusDen/d {
			return cfgErr(f+".Bonus", nil, "common denominator of the bonuses above 10^9")
		}
		den = lcm(den, t.Bonus.Den())
	}
	p.den = den
	for _, t := range c.Tiers {
		p.factor = append(p.factor, den+t.Bonus.Num()*(den/t.Bonus.Den()))
	}
	return nil
}

func (c *Config) compileLimits(p *params) error {
	if err := c.Reference.Check(c.Minimum); err != nil {
		return cfgErr("Minimum", err, "not an amount of %s", c.Reference)
	}
	if err := c.Reference.CheckPositive(c.Cap); err != nil {
		return cfgErr("Cap", err, "not a positive amount of %s", c.Reference)
	}
	if c.Minimum.Cmp(c.Cap) > 0 {
		return cfgErr("Minimum", nil, "above Cap")
	}
	maxFactor := slices.Max(p.factor)
	capUnits := c.Cap.Units()
	capUnits.Mul(capUnits, new(big.Int).SetUint64(p.unitsPerRef))
	if new(big.Int).Mul(capUnits, new(big.Int).SetUint64(maxFactor)).BitLen() > maxWeightLen {
		return cfgErr("Cap", nil, "too large for the value unit (cap x bonus factor must stay below 2^126 units of 10^-%d/2 %s)", p.unitExp, c.Reference)
	}
	p.capUnits, _ = uint128.FromBig(capUnits)
	minUnits := c.Minimum.Units()
	p.minUnits, _ = uint128.FromBig(minUnits.Mul(minUnits, new(big.Int).SetUint64(p.unitsPerRef)))
	return nil
}

func (c *Config) compileFiat(p *params) error {
	f := c.Fiat
	if !f.Enabled() {
		if f.Threshold.IsNegative() {
			return cfgErr("Fiat.Threshold", nil, "negative")
		}
		return nil
	}
	if !f.Currency.IsValid() {
		return cfgErr("Fiat.Currency", nil, "invalid asset")
	}
	if err := f.Currency.Check(f.Threshold); err != nil {
		return cfgErr("Fiat.Threshold", err, "not an amount of %s", f.Currency)
	}
	if f.Days < 1 || f.Days > 366 {
		return cfgErr("Fiat.Days", nil, "%d not in 1..366", f.Days)
	}
	if f.Lookback < 1 || f.Lookback > 31 {
		return cfgErr("Fiat.Lookback", nil, "%d not in 1..31", f.Lookback)
	}
	var err error
	if p.fiatValue, err = token.NewAsset(f.Currency.Symbol(), f.Currency.Decimals()+1+int(p.maxDec)); err != nil {
		return cfgErr("Fiat.Currency", err, "the fiat value needs %d decimals", f.Currency.Decimals()+1+int(p.maxDec))
	}
	f.Threshold.SetUnits(&p.threshold)
	p.threshold.Mul(&p.threshold, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(1+p.maxDec)), nil))
	p.fiatDays, p.fiatLookback = f.Days, f.Lookback
	return nil
}

func gcd64(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func lcm(a, b uint64) uint64 { return a / gcd64(a, b) * b }

// tierAt returns the index of the tier in force at t (unix nanos, inside the window) after
// sold value units were raised.
func (p *params) tierAt(t int64, sold uint128.U128) int { return p.tierAtFrom(t, sold, 0) }

// tierAtFrom is tierAt searching from tier i (ignored when it does not apply at t and sold):
// the tiers apply in order, so the answer is at or after any tier that applies.
func (p *params) tierAtFrom(t int64, sold uint128.U128, i int) int {
	if p.bySold {
		if i >= len(p.tierSold) || sold.Cmp(p.tierSold[i]) < 0 {
			i = 0
		}
		for i+1 < len(p.tierSold) && sold.Cmp(p.tierSold[i+1]) >= 0 {
			i++
		}
		return i
	}
	if i >= len(p.tierFrom) || t < p.tierFrom[i] {
		i = 0
	}
	for i+1 < len(p.tierFrom) && t >= p.tierFrom[i+1] {
		i++
	}
	return i
}

// compileSoldTiers checks the thresholds of tiers by amount sold: the first at zero, then
// strictly increasing and below the cap.
func (c *Config) compileSoldTiers(p *params) error {
	if !p.bySold {
		return nil
	}
	for i, t := range c.Tiers {
		f := fmt.Sprintf("Tiers[%d].Sold", i)
		if i == 0 && !t.Sold.IsValid() { // unset: zero
			p.tierSold = append(p.tierSold, uint128.U128{})
			continue
		}
		if err := c.Reference.Check(t.Sold); err != nil {
			return cfgErr(f, err, "not an amount of %s", c.Reference)
		}
		if i == 0 && !t.Sold.IsZero() {
			return cfgErr(f, nil, "the first tier must start at zero sold")
		}
		if i > 0 && t.Sold.Cmp(c.Tiers[i-1].Sold) <= 0 {
			return cfgErr(f, nil, "tiers must start in strictly increasing order")
		}
		if t.Sold.Cmp(c.Cap) >= 0 {
			return cfgErr(f, nil, "tier starts at or above Cap")
		}
		u := t.Sold.Units()
		v, _ := uint128.FromBig(u.Mul(u, new(big.Int).SetUint64(p.unitsPerRef))) // below the cap
		p.tierSold = append(p.tierSold, v)
	}
	return nil
}

// compileParticipants checks the per-participant limits: amounts of the reference, the
// minimum at most the maximum.
func (c *Config) compileParticipants(p *params) error {
	l := c.PerParticipant
	conv := func(field string, x token.Amount) (uint128.U128, error) {
		if !x.IsValid() {
			return uint128.U128{}, nil
		}
		if err := c.Reference.Check(x); err != nil {
			return uint128.U128{}, cfgErr(field, err, "not an amount of %s", c.Reference)
		}
		u := x.Units()
		u.Mul(u, new(big.Int).SetUint64(p.unitsPerRef))
		v, ok := uint128.FromBig(u)
		if !ok {
			return uint128.U128{}, cfgErr(field, nil, "too large")
		}
		return v, nil
	}
	var err error
	if p.minPart, err = conv("PerParticipant.Min", l.Min); err != nil {
		return err
	}
	if p.maxPart, err = conv("PerParticipant.Max", l.Max); err != nil {
		return err
	}
	if !p.maxPart.IsZero() && p.minPart.Cmp(p.maxPart) > 0 {
		return cfgErr("PerParticipant.Min", nil, "above PerParticipant.Max")
	}
	p.limited = !p.minPart.IsZero() || !p.maxPart.IsZero()
	return nil
}

// compileDesign checks the design and, for a fixed price, that the pool covers the cap at
// the largest bonus.
func (c *Config) compileDesign(p *params) error {
	switch c.Design {
	case "", DesignProRata:
		if !c.Price.IsZero() {
			return cfgErr("Price", nil, "only the fixed-price design has a price")
		}
		return nil
	case DesignFixedPrice:
	default:
		return cfgErr("Design", nil, "unknown design %q", c.Design)
	}
	if err := c.Token.CheckPositive(c.Price); err != nil {
		return cfgErr("Price", err, "not a positive amount of %s", c.Token)
	}
	p.fixed = true
	c.Price.SetUnits(&p.priceNum)
	p.priceDen.Exp(big.NewInt(10), big.NewInt(int64(p.unitExp)), nil)
	p.priceDen.Mul(&p.priceDen, new(big.Int).SetUint64(2*p.den))
	// the most the participants can buy: the cap at the largest factor
	most := p.capUnits.Big()
	most.Mul(most, new(big.Int).SetUint64(slices.Max(p.factor)))
	most.Mul(most, &p.priceNum)
	most.Quo(most, &p.priceDen)
	if most.Cmp(&p.pool) > 0 {
		x, _ := c.Token.FromUnits(most)
		return cfgErr("Pool", nil, "below the %s the cap buys at the largest bonus", x)
	}
	return nil
}
