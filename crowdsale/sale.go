package crowdsale

import (
	"hash/maphash"
	"math/big"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Contribution is what a participant sends: an id (idempotency key, for example the
// transaction hash), the participant, the asset and amount (whole units, "1.5" ETH), the
// time it was received and, for a currency other than the reference, the quotes of the
// sources at that time: source name -> reference units per unit of the asset (BTC per ETH),
// exact decimals. The FAQ's "0.03 ETH/BTC" is such a quote of 0.03 BTC per ETH (300 ETH is
// worth 9 BTC).
type Contribution struct {
	ID          string                     `json:"id"`
	Participant token.Account              `json:"participant"`
	Asset       token.Asset                `json:"asset"`
	Amount      decimal.Decimal            `json:"amount"`
	At          time.Time                  `json:"at"`
	Quotes      map[string]decimal.Decimal `json:"quotes,omitempty"`
}

// Receipt is the sale's answer to an accepted contribution. Received = Accepted + Refund,
// exactly, in the contribution's asset; Refund is positive only for the contribution that
// crossed the cap (its excess, returned at once, rounded in the contributor's favour).
type Receipt struct {
	Seq         int             // index of the contribution in the sale, from 0
	ID          string          // the contribution id
	Participant token.Account   // who contributed
	Asset       token.Asset     // the currency
	Received    decimal.Decimal // the amount received
	Accepted    decimal.Decimal // the part accepted into the sale
	Refund      decimal.Decimal // the part refunded at once (cap crossing)
	At          time.Time       // when it was received, in UTC
	Tier        int             // index of the bonus tier applied
	Bonus       Bonus           // the tier's bonus
	Median      decimal.Decimal // reference units per unit of Asset used (zero for the reference)
	CapReached  bool            // this contribution reached the cap and ended the sale

	value   u128 // accepted value in value units
	factor  uint64
	den     uint64
	unitExp int32
}

// Value returns the accepted value in the reference currency, without bonus, exactly.
func (r Receipt) Value() decimal.Decimal { return valueDecimal(r.value, r.unitExp) }

// Weight returns the accepted value times (1 + bonus), exactly, in reference units.
func (r Receipt) Weight() *big.Rat { return weightRat(r.value, r.factor, r.den, r.unitExp) }

// Equal reports whether r and o are the same receipt.
func (r Receipt) Equal(o Receipt) bool {
	return r.Seq == o.Seq && r.ID == o.ID && r.Participant == o.Participant && r.Asset.Equal(o.Asset) &&
		r.Received.Equal(o.Received) && r.Accepted.Equal(o.Accepted) && r.Refund.Equal(o.Refund) &&
		r.At.Equal(o.At) && r.Tier == o.Tier && r.Bonus.Equal(o.Bonus) && r.Median.Equal(o.Median) &&
		r.CapReached == o.CapReached && r.value == o.value && r.factor == o.factor && r.den == o.den && r.unitExp == o.unitExp
}

// valueDecimal converts value units (1/2 x 10^-unitExp reference units) to a decimal.
func valueDecimal(v u128, unitExp int32) decimal.Decimal {
	b := v.big()
	return decimal.NewFromBigInt(b.Mul(b, big.NewInt(5)), -(unitExp + 1))
}

// weightRat returns v*factor/den value units as reference units.
func weightRat(v u128, factor, den uint64, unitExp int32) *big.Rat {
	num := v.big()
	num.Mul(num, new(big.Int).SetUint64(factor))
	d := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(unitExp)), nil)
	d.Mul(d, new(big.Int).SetUint64(2*den))
	return new(big.Rat).SetFrac(num, d)
}

// record is the compact stored form of an accepted contribution.
type record struct {
	id    uint64 // reference of the id in the sale's arena
	units u128   // received minor units
	at    int64  // unix nanos
	part  int32  // participant index
	quote int32  // quote set index, -1 for the reference
	asset uint8
	tier  uint8
}

// maxContributions bounds the number of contributions (indexes are 32-bit).
const maxContributions = 1<<31 - 2

type participant struct {
	account token.Account
	value   u128 // accepted value without bonus
	weight  u128 // sum of value*factor
	first   int32
	count   int32
}

// quoteSet is a set of quotes stored once and shared by the contributions that used it.
type quoteSet struct {
	rates   []decimal.Decimal // per source index
	scaled  []uint64          // per source index: rate * 2 * 10^QuoteDecimals
	present uint64            // bit i: source i answered
	median  decimal.Decimal
	qs      uint64 // median * 2 * 10^QuoteDecimals
	asset   uint8  // the asset the set was validated for
}

// capCross describes the contribution that crossed the cap.
type capCross struct {
	index    int
	accepted decimal.Decimal
	refund   decimal.Decimal
	units    u128 // accepted minor units
}

type logEntry struct {
	pos    int // number of contributions before this entry
	ev     Event
	expand uint8 // 1: allocations, 2: minimum refunds (generated when listing events)
}

type closingKey struct {
	day    int64 // unix day number
	source uint8
	asset  uint8
}

// Sale is a running token sale built from a Config. Commands take their time explicitly and
// must come in non-decreasing time; each accepted command appends events, and a rejected
// command returns a typed error and changes nothing.
//
// A Sale is not safe for concurrent use.
type Sale struct {
	cfg     Config
	initial Config // the config given to NewSale, before any Shift
	p       *params

	recs      chunked[record]
	parts     chunked[participant]
	seed      maphash.Seed
	partIndex hashIndex
	ids       hashIndex
	idBytes   arena
	quotes    []quoteSet

	raised    u128
	weight    u128
	collected []u128 // accepted minor units per accepted asset
	capHit    *capCross

	now       time.Time
	hasNow    bool
	ended     bool
	endReason EndReason
	endAt     time.Time

	closing    map[closingKey]decimal.Decimal
	closingLog []ClosingRate
	nextJudge  int64 // instant (unix nanos) at which the next day is judged
	streak     int
	fiatDays   []FiatDay

	finalized   bool
	finalAt     time.Time
	outcome     Outcome
	alloc       []big.Int // token minor units, in allocation order
	order       []int32   // participant index per allocation position; nil = identity
	distributed bool

	log []logEntry
}

// NewSale validates cfg and returns a sale in which nothing has happened yet. The config is
// copied.
func NewSale(cfg Config) (*Sale, error) {
	p, err := cfg.compile()
	if err != nil {
		return nil, err
	}
	s := &Sale{
		cfg:       cfg.Clone(),
		initial:   cfg.Clone(),
		p:         p,
		seed:      maphash.MakeSeed(),
		collected: make([]u128, len(p.assets)),
		closing:   make(map[closingKey]decimal.Decimal),
	}
	s.resetJudge()
	return s, nil
}

const nanosPerDay = int64(24 * time.Hour)

func floorDay(t int64) int64 {
	d := t / nanosPerDay
	if t%nanosPerDay < 0 {
		d--
	}
	return d * nanosPerDay
}

func (s *Sale) resetJudge() {
	if !s.cfg.Fiat.Enabled() {
		s.nextJudge = 1<<63 - 1
		return
	}
	s.nextJudge = floorDay(s.p.start) + nanosPerDay
}

// Config returns a copy of the sale's config (shifted, if Shift was used).
func (s *Sale) Config() Config { return s.cfg.Clone() }

// InitialConfig returns a copy of the config the sale was created with, before any Shift:
// the config to give Replay with the sale's events.
func (s *Sale) InitialConfig() Config { return s.initial.Clone() }

func nanosTime(n int64) time.Time { return time.Unix(0, n).UTC() }

// plan is a validated contribution, ready to commit.
type plan struct {
	rec        record
	newQuote   bool
	quote      quoteSet
	newPart    bool
	clipped    bool
	capReached bool
	accepted   decimal.Decimal
	refund     decimal.Decimal
	units      u128 // accepted minor units
	value      u128
	weight     u128
	idHash     uint64
	partHash   uint64
	pend       pending
}

// Contribute records a contribution and returns its receipt. See the package doc for the
// rules. The same id with the same content returns the first receipt again and changes
// nothing; with different content it is a *ContributionError wrapping ErrIDConflict.
//
// Errors (nothing changes): *ContributionError (ErrInvalidContribution, ErrUnknownAsset,
// ErrInvalidAmount, ErrUnknownSource, ErrInvalidQuote, ErrIDConflict), *QuorumError,
// *TimeOrderError, *WindowError (before the start), *EndedError (at or after the end, with
// the reason).
func (s *Sale) Contribute(c Contribution) (Receipt, error) {
	var pl plan
	if r, dup, err := s.prepare(&c, &pl); err != nil || dup {
		return r, err
	}
	s.commit(&c, &pl)
	return s.planReceipt(&c, &pl, s.recs.len()-1), nil
}

// planReceipt builds the receipt of a planned contribution without allocating.
func (s *Sale) planReceipt(c *Contribution, pl *plan, seq int) Receipt {
	rc := Receipt{
		Seq: seq, ID: c.ID, Participant: c.Participant, Asset: c.Asset, Received: c.Amount,
		Accepted: pl.accepted, Refund: pl.refund, At: nanosTime(pl.rec.at), Tier: int(pl.rec.tier),
		Bonus: s.cfg.Tiers[pl.rec.tier].Bonus, CapReached: pl.capReached,
		value: pl.value, factor: s.p.factor[pl.rec.tier], den: s.p.den, unitExp: s.p.unitExp,
	}
	if pl.rec.quote >= 0 {
		if pl.newQuote {
			rc.Median = pl.quote.median
		} else {
			rc.Median = s.quotes[pl.rec.quote].median
		}
	}
	return rc
}

// prepare validates c without changing the sale. dup is true when c repeats a recorded
// contribution; r is then its receipt.
func (s *Sale) prepare(c *Contribution, pl *plan) (r Receipt, dup bool, err error) {
	if c.ID == "" || len(c.ID) > 256 {
		return Receipt{}, false, &ContributionError{ID: c.ID, Detail: "id must be 1 to 256 bytes", Err: ErrInvalidContribution}
	}
	pl.idHash = maphash.String(s.seed, c.ID)
	if i, ok := s.ids.find(pl.idHash, func(i int) bool { return string(s.idBytes.bytes(s.recs.at(i).id)) == c.ID }); ok {
		if d := s.sameContent(i, c); d != "" {
			return Receipt{}, false, &ContributionError{ID: c.ID, Detail: "differs in " + d, Err: ErrIDConflict}
		}
		return s.receipt(i), true, nil
	}
	if s.recs.len() >= maxContributions {
		return Receipt{}, false, &ContributionError{ID: c.ID, Detail: "the sale holds the maximum number of contributions", Err: ErrInvalidContribution}
	}
	pl.partHash = maphash.String(s.seed, string(c.Participant))
	i, known := s.partIndex.find(pl.partHash, func(i int) bool { return s.parts.at(i).account == c.Participant })
	pi := int32(i)
	if !known {
		if err := c.Participant.Validate(); err != nil {
			return Receipt{}, false, &ContributionError{ID: c.ID, Detail: "participant", Err: ErrInvalidContribution, Cause: err}
		}
		pi = int32(s.parts.len())
		pl.newPart = true
	}
	ai := -1
	for i := range s.p.assets {
		if s.p.assets[i].asset.Equal(c.Asset) {
			ai = i
			break
		}
	}
	if ai < 0 {
		return Receipt{}, false, &ContributionError{ID: c.ID, Asset: c.Asset, Detail: c.Asset.String(), Err: ErrUnknownAsset}
	}
	ap := &s.p.assets[ai]
	units, err := toUnits(c.Amount, ap.asset)
	if err != nil {
		return Receipt{}, false, &ContributionError{ID: c.ID, Asset: c.Asset, Amount: c.Amount, Err: ErrInvalidAmount, Cause: err}
	}
	perMinor := s.p.unitsPerRef
	pl.rec.quote = -1
	if ai == s.p.refIndex {
		if len(c.Quotes) != 0 {
			return Receipt{}, false, &ContributionError{ID: c.ID, Asset: c.Asset, Detail: "quotes given for the reference currency", Err: ErrInvalidQuote}
		}
	} else {
		qi, err := s.quoteFor(c, pl)
		if err != nil {
			return Receipt{}, false, err
		}
		pl.rec.quote = qi
		qs := pl.quote.qs
		if !pl.newQuote {
			qs = s.quotes[qi].qs
		}
		perMinor = qs * ap.scale // bounded in parseQuote
	}
	if s.hasNow && c.At.Before(s.now) {
		return Receipt{}, false, &TimeOrderError{At: c.At, Now: s.now}
	}
	if c.At.Before(s.cfg.Start) {
		return Receipt{}, false, &WindowError{ID: c.ID, At: c.At, Start: s.cfg.Start}
	}
	if s.ended {
		return Receipt{}, false, &EndedError{At: c.At, Reason: s.endReason, EndedAt: s.endAt}
	}
	at := s.clamp(c.At)
	if at >= s.nextJudge || at >= s.p.end {
		s.pendingUntil(at, &pl.pend)
		if pl.pend.ended {
			return Receipt{}, false, &EndedError{At: c.At, Reason: pl.pend.reason, EndedAt: nanosTime(pl.pend.endAt)}
		}
	}
	// value, cap
	value, over := units.mul64(perMinor)
	room := s.p.capUnits.sub(s.raised)
	pl.accepted = c.Amount
	pl.units = units
	if over || value.cmp(room) > 0 {
		q, _ := room.quo64(perMinor) // floor: the accepted part never exceeds the cap
		pl.units = q
		value, _ = q.mul64(perMinor)
		pl.clipped, pl.capReached = true, true
		pl.accepted = ap.asset.FromUnits(q.big())
		pl.refund = c.Amount.Sub(pl.accepted) // the excess, so the contributor gets every minor unit not accepted
	} else if value.cmp(room) == 0 {
		pl.capReached = true
	}
	tier := s.p.tierAt(at)
	pl.weight, _ = value.mul64(s.p.factor[tier]) // bounded by the cap check in Validate
	pl.value = value
	pl.rec.units = units
	pl.rec.at = at
	pl.rec.part = pi
	pl.rec.asset = uint8(ai)
	pl.rec.tier = uint8(tier)
	return Receipt{}, false, nil
}

func (s *Sale) clamp(t time.Time) int64 {
	if !t.Before(s.cfg.End) {
		return s.p.end
	}
	return t.UnixNano()
}

// quoteFor validates the quotes of c and returns the index of their stored set (an existing
// identical set, or a new one described in pl).
func (s *Sale) quoteFor(c *Contribution, pl *plan) (int32, error) {
	ai := s.assetIndex(c.Asset)
	if n := len(s.quotes); n > 0 && int(s.quotes[n-1].asset) == ai && s.sameQuotes(&s.quotes[n-1], c.Quotes) {
		return int32(n - 1), nil
	}
	q := quoteSet{asset: uint8(ai)}
	q.rates = make([]decimal.Decimal, len(s.p.sources))
	q.scaled = make([]uint64, len(s.p.sources))
	var vals [64]uint64
	var idx [64]int
	n := 0
	for src, rate := range c.Quotes {
		si := s.sourceIndex(src)
		if si < 0 {
			return 0, &ContributionError{ID: c.ID, Asset: c.Asset, Source: src, Err: ErrUnknownSource}
		}
		v, err := s.parseQuote(rate, s.p.assets[ai].scale)
		if err != nil {
			return 0, &ContributionError{ID: c.ID, Asset: c.Asset, Amount: rate, Source: src, Detail: err.Error(), Err: ErrInvalidQuote}
		}
		q.rates[si] = rate
		q.scaled[si] = v
		q.present |= 1 << uint(si)
		// insertion sort by (value, source index): deterministic whatever the map order
		j := n
		for j > 0 && (vals[j-1] > v || vals[j-1] == v && idx[j-1] > si) {
			vals[j], idx[j] = vals[j-1], idx[j-1]
			j--
		}
		vals[j], idx[j] = v, si
		n++
	}
	if n < s.cfg.Quotes.Quorum {
		var missing []string
		for i, src := range s.p.sources {
			if q.present&(1<<uint(i)) == 0 {
				missing = append(missing, src)
			}
		}
		sortStrings(missing)
		return 0, &QuorumError{ID: c.ID, Got: n, Need: s.cfg.Quotes.Quorum, Missing: missing}
	}
	if n%2 == 1 {
		q.qs = vals[n/2]
		q.median = q.rates[idx[n/2]]
	} else {
		// mean of the two middle quotes, exact: both are even multiples of the quote unit
		q.qs = (vals[n/2-1] + vals[n/2]) / 2
		q.median = q.rates[idx[n/2-1]].Add(q.rates[idx[n/2]]).Mul(decimal.New(5, -1))
	}
	pl.newQuote = true
	pl.quote = q
	return int32(len(s.quotes)), nil
}

func (s *Sale) assetIndex(a token.Asset) int {
	for i := range s.p.assets {
		if s.p.assets[i].asset.Equal(a) {
			return i
		}
	}
	return -1
}

func (s *Sale) sourceIndex(src string) int {
	for i, k := range s.p.sources {
		if k == src {
			return i
		}
	}
	return -1
}

// sameQuotes reports whether quotes are exactly the stored set (same sources, same
// coefficients and exponents).
func (s *Sale) sameQuotes(q *quoteSet, quotes map[string]decimal.Decimal) bool {
	n := 0
	for src, rate := range quotes {
		si := s.sourceIndex(src)
		if si < 0 || q.present&(1<<uint(si)) == 0 {
			return false
		}
		st := q.rates[si]
		if st.Exponent() != rate.Exponent() || st.Cmp(rate) != 0 {
			return false
		}
		n++
	}
	for m := q.present; m != 0; m &= m - 1 {
		n--
	}
	return n == 0
}

// parseQuote returns rate * 2 * 10^QuoteDecimals as an integer, checking that it is positive,
// no finer than the config allows and small enough that rate*scale stays in 62 bits.
func (s *Sale) parseQuote(rate decimal.Decimal, scale uint64) (uint64, error) {
	if rate.Sign() <= 0 {
		return 0, errText("quote must be positive")
	}
	u, err := scaleInt(rate, s.p.quoteDecs)
	if err != nil {
		return 0, errText("quote finer than the config's quote decimals or too large")
	}
	if u.hi != 0 || u.lo > (1<<60)/scale {
		return 0, errText("quote too large")
	}
	return 2 * u.lo, nil
}

type errText string

// Error returns the text.
func (e errText) Error() string { return string(e) }

// toUnits converts a positive amount of asset to minor units. It does its own checks rather
// than Asset.CheckPositive so that an extreme exponent ("1e-2000000000") is rejected in
// constant time instead of being rescaled.
func toUnits(a decimal.Decimal, asset token.Asset) (u128, error) {
	switch a.Sign() {
	case -1:
		return u128{}, &token.AmountError{Asset: asset, Amount: a, Err: token.ErrNegativeAmount}
	case 0:
		return u128{}, &token.AmountError{Asset: asset, Amount: a, Err: token.ErrZeroAmount}
	}
	u, err := scaleInt(a, int32(asset.Decimals()))
	switch err {
	case nil:
		return u, nil
	case errNotInteger:
		return u128{}, &token.AmountError{Asset: asset, Amount: a, Err: token.ErrSubUnitAmount}
	}
	return u128{}, errText("amount too large")
}

const (
	errNotInteger = errText("not an integer")
	errTooLarge   = errText("too large")
)

// scaleInt returns d * 10^shift as a u128; errNotInteger when it is not an integer,
// errTooLarge when it is negative or does not fit. Its cost is bounded by the size of d's
// coefficient, whatever its exponent.
func scaleInt(d decimal.Decimal, shift int32) (u128, error) {
	if d.Sign() < 0 {
		return u128{}, errTooLarge
	}
	if d.Sign() == 0 {
		return u128{}, nil
	}
	e := int64(d.Exponent()) + int64(shift) // int64: no overflow near the int32 limits
	digits := int64(d.NumDigits())
	if e < 0 && -e >= digits {
		return u128{}, errNotInteger // a non-zero coefficient below 10^digits has fewer than -e trailing zeros
	}
	if e+digits > 40 {
		return u128{}, errTooLarge // at least 10^40
	}
	if digits <= 18 {
		c := uint64(d.CoefficientInt64())
		if e < 0 {
			p := pow10(int(-e)) // -e < digits <= 18
			if c%p != 0 {
				return u128{}, errNotInteger
			}
			return u64(c / p), nil
		}
		v := u64(c)
		for e > 0 {
			k := min(e, 18)
			var over bool
			if v, over = v.mul64(pow10(int(k))); over {
				return u128{}, errTooLarge
			}
			e -= k
		}
		return v, nil
	}
	sh := d.Shift(shift) // |e| < digits + 40: bounded by the input's size
	if !sh.IsInteger() {
		return u128{}, errNotInteger
	}
	v, ok := fromBig(sh.BigInt())
	if !ok {
		return u128{}, errTooLarge
	}
	return v, nil
}

func (s *Sale) sameContent(i int, c *Contribution) string {
	r := s.recs.at(i)
	switch {
	case s.parts.at(int(r.part)).account != c.Participant:
		return "participant"
	case !s.p.assets[r.asset].asset.Equal(c.Asset):
		return "asset"
	case !sameUnits(r.units, c.Amount, s.p.assets[r.asset].decimals):
		return "amount"
	case !c.At.Equal(nanosTime(r.at)):
		return "time"
	}
	if r.quote < 0 {
		if len(c.Quotes) != 0 {
			return "quotes"
		}
		return ""
	}
	q := &s.quotes[r.quote]
	n := 0
	for src, rate := range c.Quotes {
		si := s.sourceIndex(src)
		if si < 0 || q.present&(1<<uint(si)) == 0 {
			return "quotes"
		}
		if v, err := scaleInt(rate, s.p.quoteDecs); err != nil || 2*v.lo != q.scaled[si] || v.hi != 0 {
			return "quotes"
		}
		n++
	}
	for m := q.present; m != 0; m &= m - 1 {
		n--
	}
	if n != 0 {
		return "quotes"
	}
	return ""
}

func (s *Sale) commit(c *Contribution, pl *plan) {
	s.applyPending(&pl.pend)
	if pl.newQuote {
		s.quotes = append(s.quotes, pl.quote)
	}
	idx := s.recs.len()
	if pl.newPart {
		s.parts.push(participant{account: c.Participant, first: int32(idx)})
		s.partIndex.insert(pl.partHash, s.parts.len()-1)
	}
	p := s.parts.at(int(pl.rec.part))
	p.value, _ = p.value.add(pl.value)
	p.weight, _ = p.weight.add(pl.weight)
	p.count++
	pl.rec.id = s.idBytes.add(c.ID)
	s.recs.push(pl.rec)
	s.ids.insert(pl.idHash, idx)
	s.raised, _ = s.raised.add(pl.value)
	s.weight, _ = s.weight.add(pl.weight)
	s.collected[pl.rec.asset], _ = s.collected[pl.rec.asset].add(pl.units)
	s.now, s.hasNow = c.At, true
	if pl.clipped {
		s.capHit = &capCross{index: idx, accepted: pl.accepted, refund: pl.refund, units: pl.units}
		s.appendLog(Event{Kind: EventRefund, At: c.At.UTC(), Refund: &Refund{
			ContributionID: c.ID, Participant: c.Participant, Asset: c.Asset, Amount: pl.refund, Reason: RefundCap}})
	} else if pl.capReached {
		s.capHit = &capCross{index: idx, accepted: c.Amount, refund: decimal.Zero, units: pl.units}
	}
	if pl.capReached {
		s.end(EndCap, c.At)
	}
}

func (s *Sale) end(reason EndReason, at time.Time) {
	s.ended, s.endReason, s.endAt = true, reason, at.UTC()
	s.appendLog(Event{Kind: EventEnded, At: at.UTC(), End: &End{Reason: reason, At: at.UTC()}})
}

func (s *Sale) appendLog(e Event) {
	s.log = append(s.log, logEntry{pos: s.recs.len(), ev: e})
}

// receipt rebuilds the receipt of record i.
func (s *Sale) receipt(i int) Receipt {
	r := s.recs.at(i)
	ap := &s.p.assets[r.asset]
	rc := Receipt{
		Seq:         i,
		ID:          s.recID(i),
		Participant: s.parts.at(int(r.part)).account,
		Asset:       ap.asset,
		Received:    ap.asset.FromUnits(r.units.big()),
		At:          nanosTime(r.at),
		Tier:        int(r.tier),
		Bonus:       s.cfg.Tiers[r.tier].Bonus,
		value:       s.value(i),
		factor:      s.p.factor[r.tier],
		den:         s.p.den,
		unitExp:     s.p.unitExp,
	}
	if r.quote >= 0 {
		rc.Median = s.quotes[r.quote].median
	}
	rc.Accepted = rc.Received
	if s.capHit != nil && s.capHit.index == i {
		rc.Accepted, rc.Refund, rc.CapReached = s.capHit.accepted, s.capHit.refund, true
	}
	return rc
}

// recID returns the id of record i.
func (s *Sale) recID(i int) string { return string(s.idBytes.bytes(s.recs.at(i).id)) }

// perMinor returns the value units of one minor unit of record r's asset.
func (s *Sale) perMinor(r *record) uint64 {
	if r.quote < 0 {
		return s.p.unitsPerRef
	}
	return s.quotes[r.quote].qs * s.p.assets[r.asset].scale
}

// value returns the accepted value units of record i.
func (s *Sale) value(i int) u128 {
	v, _ := s.acceptedUnits(i).mul64(s.perMinor(s.recs.at(i)))
	return v
}

func sameUnits(u u128, d decimal.Decimal, decimals int32) bool {
	v, err := scaleInt(d, decimals)
	return err == nil && v == u
}

// acceptedUnits returns the accepted minor units of record i.
func (s *Sale) acceptedUnits(i int) u128 {
	if s.capHit != nil && s.capHit.index == i {
		return s.capHit.units
	}
	return s.recs.at(i).units
}

// Receipt returns the receipt of the contribution with the given id.
func (s *Sale) Receipt(id string) (Receipt, bool) {
	i, ok := s.ids.find(maphash.String(s.seed, id), func(i int) bool { return string(s.idBytes.bytes(s.recs.at(i).id)) == id })
	if !ok {
		return Receipt{}, false
	}
	return s.receipt(i), true
}

// Receipts returns the receipts of every accepted contribution, in order.
func (s *Sale) Receipts() []Receipt {
	out := make([]Receipt, s.recs.len())
	for i := range out {
		out[i] = s.receipt(i)
	}
	return out
}

// Len returns the number of accepted contributions.
func (s *Sale) Len() int { return s.recs.len() }

// Raised returns the accepted value without bonuses, in the reference currency, exactly.
func (s *Sale) Raised() decimal.Decimal { return valueDecimal(s.raised, s.p.unitExp) }

// Collected returns the accepted amount of each accepted currency, in the config's order.
func (s *Sale) Collected() []Amount {
	out := make([]Amount, len(s.p.assets))
	for i, ap := range s.p.assets {
		out[i] = Amount{Asset: ap.asset, Amount: ap.asset.FromUnits(s.collected[i].big())}
	}
	return out
}
