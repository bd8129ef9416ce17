package crowdsale

import (
	"hash/maphash"
	"math/big"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// Contribution is what a participant sends: an id (idempotency key, for example the
// transaction hash: 1 to 256 bytes of valid UTF-8), the participant, the amount (which
// carries its currency: "1.5 ETH"), the time it was received and, for a currency other than
// the reference, the quotes of the sources at that time: source name -> the value of one
// whole unit of the currency in the reference, an amount of [Config.QuoteAsset] ("0.03000000
// BTC" per ETH for the seed sale). The FAQ's "0.03 ETH/BTC" is such a quote of 0.03 BTC per
// ETH (300 ETH is worth 9 BTC). The zero Contribution is refused by every sale.
type Contribution struct {
	ID          string
	Participant token.Account
	Amount      token.Amount
	At          time.Time
	Quotes      map[string]token.Amount
}

// Receipt is the sale's answer to an accepted contribution. Received = Accepted + Refund,
// exactly, in the contribution's currency; Refund is positive only for the contribution that
// crossed the cap (its excess, returned at once, rounded in the contributor's favour), and
// zero of the currency otherwise. The zero Receipt describes no contribution: its amounts are
// the zero Amount.
type Receipt struct {
	Index       int           // position of the contribution in the sale, from 0
	ID          string        // the contribution id
	Participant token.Account // who contributed
	Received    token.Amount  // the amount received
	Accepted    token.Amount  // the part accepted into the sale
	Refund      token.Amount  // the part refunded at once (cap crossing)
	At          time.Time     // when it was received, in UTC
	Tier        int           // index of the bonus tier applied
	Bonus       token.Ratio   // the tier's bonus
	Median      token.Amount  // the peg used, in [Config.ValueAsset]; the zero Amount for the reference
	CapReached  bool          // this contribution reached the cap and ended the sale

	value  uint128.U128 // accepted value in value units
	factor uint64       // 1 + bonus, over p.den
	p      *params      // the sale's compiled config: immutable
}

// Value returns the accepted value in the reference currency, without bonus, exactly: an
// amount of [Config.ValueAsset].
func (r Receipt) Value() token.Amount {
	if r.p == nil {
		return token.Amount{}
	}
	return valueAmount(r.p.valueAsset, r.value)
}

// Weight returns the accepted value times (1 + bonus), exactly, in reference units.
func (r Receipt) Weight() *big.Rat {
	if r.p == nil {
		return new(big.Rat)
	}
	return weightRat(r.value, r.factor, r.p.den, r.p.unitExp)
}

// Equal reports whether r and o are the same receipt.
func (r Receipt) Equal(o Receipt) bool {
	return r.Index == o.Index && r.ID == o.ID && r.Participant == o.Participant &&
		r.Received.Equal(o.Received) && r.Accepted.Equal(o.Accepted) && r.Refund.Equal(o.Refund) &&
		r.At.Equal(o.At) && r.Tier == o.Tier && r.Bonus.Equal(o.Bonus) && r.Median.Equal(o.Median) &&
		r.CapReached == o.CapReached && r.value == o.value && r.factor == o.factor && r.Weight().Cmp(o.Weight()) == 0 &&
		r.Value().Equal(o.Value())
}

// valueAmount converts value units (1/2 x 10^-unitExp reference units) to an amount of the
// value asset, whose minor unit is a fifth of a value unit.
func valueAmount(a token.Asset, v uint128.U128) token.Amount {
	if !a.IsValid() {
		return token.Amount{}
	}
	if u, over := v.Mul64(5); !over {
		return a.FromUint128Units(u.Hi, u.Lo)
	}
	b := v.Big()
	x, _ := a.FromUnits(b.Mul(b, big.NewInt(5))) // below 2^131: within the digits of an Amount
	return x
}

// weightRat returns v*factor/den value units as reference units.
func weightRat(v uint128.U128, factor, den uint64, unitExp int32) *big.Rat {
	if den == 0 {
		return new(big.Rat)
	}
	num := v.Big()
	num.Mul(num, new(big.Int).SetUint64(factor))
	d := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(unitExp)), nil)
	d.Mul(d, new(big.Int).SetUint64(2*den))
	return new(big.Rat).SetFrac(num, d)
}

// weightString returns weightRat(v, factor, den, unitExp).RatString() (the fraction in lowest
// terms, "num/den", or "num" for a whole number), on 128-bit integers when they suffice.
func weightString(v uint128.U128, factor, den uint64, unitExp int32) string {
	num, over := v.Mul64(factor)
	d, huge := mulPow10(uint128.From64(2*den), int(unitExp))
	if over || huge != nil || den == 0 {
		return weightRat(v, factor, den, unitExp).RatString()
	}
	if g := gcd(num, d); !g.IsZero() {
		num, d = quoExact(num, g), quoExact(d, g)
	}
	b := num.AppendDecimal(make([]byte, 0, 48))
	if d != uint128.From64(1) {
		b = d.AppendDecimal(append(b, '/'))
	}
	return string(b)
}

// record is the compact stored form of an accepted contribution.
// It holds no pointer and takes 32 bytes: the received minor units are kept in 64 bits, and
// the high 64 bits of a larger amount in Sale.wideUnits.
type record struct {
	lo    uint64 // received minor units, the low 64 bits
	at    int64  // unix nanos
	id    uint32 // position of the id in the sale's arena
	part  int32  // participant index
	quote int32  // quote set index, -1 for the reference
	asset uint8
	tier  uint8
	wide  bool // the high 64 bits of the units are in Sale.wideUnits
}

// maxContributions bounds the number of contributions (indexes are 32-bit).
const maxContributions = 1<<31 - 2

// participant is the compact stored form of a participant, without a pointer (its account
// is in Sale.names, at the same index).
type participant struct {
	value  uint128.U128 // accepted value without bonus
	weight uint128.U128 // sum of value*factor
	first  int32
	count  int32
}

// quoteSet is a set of quotes stored once and shared by the contributions that used it.
type quoteSet struct {
	rates   []token.Amount // per source index, as given; the zero Amount where the source did not quote
	used    []token.Amount // per source index, the quote used where it differs from the quote given; nil when none does
	present uint64         // bit i: source i answered
	median  token.Amount   // in the value asset
	per     uint128.U128   // value units per minor unit of the asset: median x 2 x 10^QuoteDecimals x scale, below 2^126
	asset   uint8          // the asset the set was validated for
}

// capCross describes the contribution that crossed the cap.
type capCross struct {
	index    int
	accepted token.Amount
	refund   token.Amount
	units    uint128.U128 // accepted minor units
}

type closingKey struct {
	day    int64 // unix day number
	source uint8
	asset  uint8
}

// Sale is a running token sale built from a Config. Commands take their time explicitly and
// must come in non-decreasing time; each accepted command appends events, and a rejected
// command returns an [*Error] and changes nothing. The zero Sale is not initialised: every
// command returns an [*Error] wrapping [ErrUninitialized] and every query a zero result;
// make sales with [NewSale] or [Replay].
//
// Queries (Status, Provisional, Receipts, Events, Snapshot, Audit, WhatIf, ...) only read:
// they may be called concurrently by many readers; commands (Contribute, ContributeAll,
// RecordClosingRate, Advance, Shift, Register, Finalize, Distribute) need exclusive access (a
// sync.RWMutex around the sale does).
type Sale struct {
	cfg     Config
	initial Config // the config given to NewSale, before any Shift
	p       *params

	recs      chunked[record]
	parts     chunked[participant]
	names     chunked[token.Account] // the account of each participant
	seed      maphash.Seed
	partIndex hashIndex
	ids       hashIndex
	idBytes   arena
	wideUnits map[int32]uint64 // the high 64 bits of the units of wide records, by index
	quotes    chunked[quoteSet]

	raised    uint128.U128
	weight    uint128.U128
	tierHint  uint8          // the tier of the last contribution: the next one's tier is usually at or after it
	collected []uint128.U128 // accepted minor units per accepted asset
	capHit    *capCross

	now       time.Time
	hasNow    bool
	ended     bool
	endReason EndReason
	endAt     time.Time

	closing    map[closingKey]token.Amount
	closingLog []ClosingRate
	nextJudge  int64 // instant (unix nanos) at which the next day is judged
	streak     int

	finalized   bool
	finalAt     time.Time
	outcome     Outcome
	alloc       *allocTable // token minor units, in allocation order
	order       []int32     // participant index per allocation position; nil = identity
	distributed bool

	pauses     []pauseSpan     // in order
	payments   []RefundPayment // refunds paid, in order
	releases   map[string]*releaseState
	releaseLog []string       // ids of the releases done, in order
	released   []uint128.U128 // released minor units per accepted asset
	paidIndex  map[refundKey]int
	registry   []Registrant // in the order first registered
	regIndex   map[token.Account]int

	warm uint64 // the home slots ContributeAll read ahead, kept so that the reads are not dropped

	log     []logEntry // the events other than contributions, in order
	nEvents uint64     // the number of events, contributions included: the last Seq
}

// NewSale validates cfg and returns a sale in which nothing has happened yet. The config is
// copied, its times converted to UTC.
func NewSale(cfg Config) (*Sale, error) {
	cfg = cfg.utc()
	p, err := cfg.compile()
	if err != nil {
		return nil, err
	}
	s := &Sale{
		cfg:       cfg,
		initial:   cfg.Clone(),
		p:         p,
		seed:      maphash.MakeSeed(),
		collected: make([]uint128.U128, len(p.assets)),
		released:  make([]uint128.U128, len(p.assets)),
		closing:   make(map[closingKey]token.Amount),
	}
	s.resetJudge()
	s.log = make([]logEntry, 0, s.logRoom())
	return s, nil
}

// logRoom is the room the log starts with: the events other than contributions a sale
// usually logs (a fiat day for each day of the window under the fiat rule, then its end,
// finalization and distribution), so that it rarely grows; at most 512.
func (s *Sale) logRoom() int {
	n := 8
	if s.cfg.Fiat.Enabled() {
		n += int(min(max(s.cfg.End.Sub(s.cfg.Start)/(24*time.Hour), 0), 504))
	}
	return n
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
	quote      quoteSet // the new quote set, when newQuote
	newQuote   bool     // the quotes are a new set, not a stored one
	newPart    bool
	clipped    bool
	capReached bool
	units      uint128.U128 // accepted minor units
	received   uint128.U128 // received minor units
	value      uint128.U128
	weight     uint128.U128
	idHash     uint64
	partHash   uint64
	idSpot     spot   // where the id goes in the id index
	partSpot   spot   // where a new participant goes in the participant index
	idProbe    probe  // where the look-up of the id starts
	partProbe  probe  // where the look-up of the participant starts
	idHome     uint64 // the home slot of the id's hash, read early
	partHome   uint64 // the home slot of the participant's hash, read early
	pend       pending
}

// Contribute records a contribution and returns its receipt. See the package doc for the
// rules.
//
// With [Config.Lateness] a contribution seen late, dated up to Lateness before the sale's
// clock, is accepted in the order it arrives (first come first served counts arrivals): its
// tier by time and its place in the window are those of the time it was received, the
// clock does not move back, and a pause in force on arrival refuses it. It may even enter a
// sale that ended by its window or the fiat rule after it was received, until Finalize,
// unless it would reach the cap. Fiat days already judged are not judged again: it counts
// for the fiat rule from the next day judged. The same id with the same content returns the first receipt again and changes
// nothing; with different content it is refused with [ErrIDConflict].
//
// Errors (nothing changes) are [*Error] values wrapping [ErrInvalidID],
// [ErrInvalidContribution], [ErrUnknownAsset], [ErrInvalidAmount], [ErrUnknownSource],
// [ErrInvalidQuote], [ErrQuorum], [ErrIDConflict], [ErrTimeOrder], [ErrNotStarted] (before
// the start), [ErrEnded] (at or after the end; the Detail names the condition and its time),
// [token.ErrInvalidTime] (a time outside the years 1 to 9999) or [ErrUninitialized].
func (s *Sale) Contribute(c Contribution) (rc Receipt, err error) {
	var pl plan
	s.hash(&c, &pl)
	dup, err := s.prepare("Contribute", &c, &pl)
	if err != nil {
		return Receipt{}, err
	}
	if dup >= 0 {
		return s.receipt(dup), nil
	}
	s.commit(&c, &pl)
	s.planReceipt(&rc, &c, &pl, s.recs.len()-1) // built in the result itself: no copy on the way out
	return rc, nil
}

// accepted returns the accepted part and the refund of a planned contribution.
func (s *Sale) accepted(c *Contribution, pl *plan) (accepted, refund token.Amount) {
	if !pl.clipped {
		return c.Amount, c.Amount.Asset().Zero()
	}
	accepted = c.Amount.Asset().FromUint128Units(pl.units.Hi, pl.units.Lo)
	refund, _ = c.Amount.Sub(accepted) // the excess, so the contributor gets every minor unit not accepted
	return accepted, refund
}

// planReceipt sets *rc, field by field, to the receipt of a planned contribution, without
// allocating: a caller building it in its own result copies none of it.
func (s *Sale) planReceipt(rc *Receipt, c *Contribution, pl *plan, index int) {
	tier := pl.rec.tier
	rc.Index, rc.ID, rc.Participant, rc.Received = index, c.ID, c.Participant, c.Amount
	rc.At, rc.Tier, rc.Bonus, rc.CapReached = nanosTime(pl.rec.at), int(tier), s.cfg.Tiers[tier].Bonus, pl.capReached
	rc.value, rc.factor, rc.p = pl.value, s.p.factor[tier], s.p
	if pl.clipped {
		rc.Accepted, rc.Refund = s.accepted(c, pl)
	} else {
		rc.Accepted, rc.Refund = c.Amount, s.p.assets[pl.rec.asset].zero
	}
	rc.Median = token.Amount{}
	if pl.rec.quote >= 0 {
		if pl.newQuote {
			rc.Median = pl.quote.median
		} else {
			rc.Median = s.quotes.at(int(pl.rec.quote)).median
		}
	}
}

// fail is the error of a refused contribution.
func (c *Contribution) fail(op string, reason *fault.Reason, cause error, detail string) error {
	d := "contribution " + strconv.Quote(c.ID) + ": " + detail
	if cause != nil {
		d += ": " + causeText(cause)
	}
	return &Error{Op: op, Account: c.Participant, Amount: c.Amount, At: c.At, Detail: d, Err: because(reason, cause)}
}

// hash sets the hashes of c's id and participant in pl (none in the zero Sale, which
// has no seed and refuses every contribution).
func (s *Sale) hash(c *Contribution, pl *plan) {
	if s.p == nil {
		return
	}
	pl.idHash = maphash.String(s.seed, c.ID)
	pl.partHash = maphash.String(s.seed, string(c.Participant))
}

// prepare validates c, its hashes set in pl, without changing the sale. dup is the index
// of the recorded contribution c repeats, or -1.
func (s *Sale) prepare(op string, c *Contribution, pl *plan) (dup int, err error) {
	if s.p == nil {
		return -1, uninitialized(op)
	}
	if c.ID == "" || len(c.ID) > 256 || !utf8.ValidString(c.ID) {
		return -1, c.fail(op, ErrInvalidID, nil, "want 1 to 256 bytes of valid UTF-8")
	}
	if c.At, err = checkTime(op, c.At); err != nil {
		return -1, err
	}
	// load the home slots of both look-ups at once, so that their cache misses overlap
	pl.idProbe, pl.idHome = s.ids.start(pl.idHash)
	pl.partProbe, pl.partHome = s.partIndex.start(pl.partHash)
	// The checks of a new contribution read the sale only: they run before the look-up of
	// the id, so that its cache miss overlaps them, and count only when the id is new.
	checked := s.checkNew(op, c, pl)
	i, ok, at := s.ids.lookupHome(pl.idProbe, pl.idHome, func(i int) bool { return string(s.idBytes.bytes(s.recs.at(i).id)) == c.ID })
	if ok {
		if d := s.sameContent(i, c); d != "" {
			return -1, c.fail(op, ErrIDConflict, nil, "differs in "+d)
		}
		return i, nil
	}
	pl.idSpot = at
	if s.recs.len() >= maxContributions || !s.idBytes.fits(c.ID) {
		return -1, c.fail(op, ErrInvalidContribution, nil, "the sale holds the maximum number of contributions (or 4 GiB of ids)")
	}
	return -1, checked
}

// checkNew validates c, a contribution with a new id, and plans it in pl, without changing
// the sale.
func (s *Sale) checkNew(op string, c *Contribution, pl *plan) error {
	// The participant is looked up after the other checks, so that the cache miss on its
	// index, started in prepare, overlaps them; its error still comes first.
	full, over, err := s.checkTerms(op, c, pl)
	if perr := s.checkParticipant(op, c, pl); perr != nil {
		return perr
	}
	if err != nil {
		return err
	}
	if !s.p.limited { // checked here too, to spare the call
		return nil
	}
	return s.checkLimits(op, c, pl, full, over)
}

// checkTerms is checkNew's checks that do not need the participant: the amount, the
// quotes, the time, the allowlist and the cap. It returns the value before the cap clips
// it (over: it does not fit 128 bits).
func (s *Sale) checkTerms(op string, c *Contribution, pl *plan) (full uint128.U128, over bool, err error) {
	ai, err := s.checkAmount(op, c, pl)
	if err != nil {
		return full, over, err
	}
	perMinor, err := s.peg(op, c, pl, ai)
	if err != nil {
		return full, over, err
	}
	if err := s.checkWhen(op, c, pl); err != nil {
		return full, over, err
	}
	if s.cfg.Allowlist { // checked here too, to spare the call
		if err := s.checkAllowed(op, c); err != nil {
			return full, over, err
		}
	}
	full, over = s.plan(pl, perMinor)
	if s.ended && pl.capReached {
		return full, over, c.fail(op, ErrEnded, nil, "the sale ended by "+string(s.endReason)+" at "+stamp(s.endAt)+
			"; a late contribution may not reach the cap after the end")
	}
	return full, over, nil
}

func (s *Sale) findID(h uint64, id string) (int, bool) {
	return s.ids.find(h, func(i int) bool { return string(s.idBytes.bytes(s.recs.at(i).id)) == id })
}

func (s *Sale) checkParticipant(op string, c *Contribution, pl *plan) error {
	i, known, at := s.partIndex.lookupHome(pl.partProbe, pl.partHome, func(i int) bool { return s.name(i) == c.Participant })
	pl.rec.part = int32(i)
	if !known {
		if err := c.Participant.Validate(); err != nil {
			return c.fail(op, ErrInvalidContribution, err, "participant")
		}
		pl.rec.part = int32(s.parts.len())
		pl.newPart, pl.partSpot = true, at
	}
	return nil
}

// checkAmount checks c's amount and returns the index of its currency; pl.units is set to
// its minor units.
func (s *Sale) checkAmount(op string, c *Contribution, pl *plan) (int, error) {
	ai := s.assetIndex(c.Amount.Asset())
	hi, lo, ok := c.Amount.Uint128Units() // ok is false for a negative amount
	if ai < 0 || !ok || hi|lo == 0 {
		if !c.Amount.IsValid() {
			return 0, c.fail(op, ErrInvalidAmount, nil, "no amount")
		}
		// an accepted currency at another scale is an invalid amount, not an unknown asset
		ai = slices.IndexFunc(s.p.assets, func(ap assetParams) bool { return ap.asset.Symbol() == c.Amount.Asset().Symbol() })
		if ai < 0 {
			return 0, c.fail(op, ErrUnknownAsset, nil, c.Amount.Asset().String()+" is not accepted")
		}
		if err := s.p.assets[ai].asset.CheckPositive(c.Amount); err != nil {
			return 0, c.fail(op, ErrInvalidAmount, err, "not a positive amount of "+s.p.assets[ai].asset.String())
		}
		return 0, c.fail(op, ErrInvalidAmount, nil, "2^128 minor units or more")
	}
	pl.units = uint128.U128{Hi: hi, Lo: lo}
	pl.rec.asset = uint8(ai)
	return ai, nil
}

// peg checks c's quotes and returns the value units of one minor unit of its currency
// (below 2^126: bounded in parseQuote).
func (s *Sale) peg(op string, c *Contribution, pl *plan, ai int) (uint128.U128, error) {
	pl.rec.quote = -1
	if ai == s.p.refIndex {
		if len(c.Quotes) != 0 {
			return uint128.U128{}, c.fail(op, ErrInvalidQuote, nil, "quotes given for the reference currency")
		}
		return uint128.From64(s.p.unitsPerRef), nil
	}
	qi, err := s.quoteFor(op, c, pl, ai)
	if err != nil {
		return uint128.U128{}, err
	}
	pl.rec.quote = qi
	if pl.newQuote {
		return pl.quote.per, nil
	}
	return s.quotes.at(int(qi)).per, nil
}

// checkWhen checks c's time against the sale's clock, window and end conditions, and plans
// what falls due before it.
func (s *Sale) checkWhen(op string, c *Contribution, pl *plan) error {
	late := s.hasNow && c.At.Before(s.now)
	if late && (s.p.lateness == 0 || c.At.Before(s.now.Add(-s.p.lateness))) {
		if s.p.lateness == 0 {
			return timeOrder(op, c.At, s.now)
		}
		e := timeOrder(op, c.At, s.now).(*Error)
		e.Detail += ", by more than the lateness allowed (" + s.p.lateness.String() + ")"
		return e
	}
	if c.At.Before(s.cfg.Start) {
		return c.fail(op, ErrNotStarted, nil, "received "+stamp(c.At)+", the sale opens at "+stamp(s.cfg.Start))
	}
	if s.ended && !(late && s.lateAfterEnd(c.At)) {
		return c.fail(op, ErrEnded, nil, "the sale ended by "+string(s.endReason)+" at "+stamp(s.endAt))
	}
	at := s.clamp(c.At)
	if !s.ended && (at >= s.nextJudge || at >= s.p.end) {
		s.pendingUntil(at, &pl.pend)
		if pl.pend.ended {
			return c.fail(op, ErrEnded, nil, "the sale ended by "+string(pl.pend.reason)+" at "+stamp(nanosTime(pl.pend.endAt)))
		}
	}
	if s.paused() {
		return c.fail(op, ErrPaused, nil, "the sale is paused since "+stamp(nanosTime(s.pauses[len(s.pauses)-1].from)))
	}
	pl.rec.at = at
	return nil
}

// plan computes the value, the cap crossing and the weight of a valid contribution, whose
// minor unit is worth perMinor value units. It returns the value before the cap clips it
// (over: it does not fit 128 bits).
func (s *Sale) plan(pl *plan, perMinor uint128.U128) (full uint128.U128, over bool) {
	units := pl.units
	value, over := units.Mul64(perMinor.Lo) // mulPer's 64-bit path, inlined
	if perMinor.Hi != 0 {
		value, over = mulPer(units, perMinor)
	}
	full = value
	room, _ := s.p.capUnits.Sub(s.raised) // raised never exceeds the cap
	if over || value.Cmp(room) > 0 {
		q := quoPer(room, perMinor) // floor: the accepted part never exceeds the cap
		pl.units = q
		value, _ = mulPer(q, perMinor)
		pl.clipped, pl.capReached = true, true
	} else if value.Cmp(room) == 0 {
		pl.capReached = true
	}
	tier := s.p.tierAtFrom(pl.rec.at, s.raised, int(s.tierHint))
	pl.weight, _ = value.Mul64(s.p.factor[tier]) // bounded by the cap check in Validate
	pl.value = value
	pl.received = units
	pl.rec.lo, pl.rec.wide = units.Lo, units.Hi != 0
	pl.rec.tier = uint8(tier)
	return full, over
}

func (s *Sale) clamp(t time.Time) int64 {
	if !t.Before(s.cfg.End) {
		return s.p.end
	}
	return t.UnixNano()
}

func (s *Sale) assetIndex(a token.Asset) int {
	for i := range s.p.assets {
		// the decimals first: they tell most accepted currencies apart without comparing symbols
		if b := s.p.assets[i].asset; b.Decimals() == a.Decimals() && b == a {
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

func (s *Sale) sameContent(i int, c *Contribution) string {
	r := s.recs.at(i)
	hi, lo, ok := c.Amount.Uint128Units()
	switch {
	case s.name(int(r.part)) != c.Participant:
		return "participant"
	case s.p.assets[r.asset].asset != c.Amount.Asset():
		return "asset"
	case !ok || s.received(i) != (uint128.U128{Hi: hi, Lo: lo}):
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
	if !s.sameQuotes(s.quotes.at(int(r.quote)), c.Quotes) {
		return "quotes"
	}
	return ""
}

func (s *Sale) commit(c *Contribution, pl *plan) {
	if pl.pend.valid { // checked here too, to spare the call
		s.applyPending(&pl.pend)
	}
	if pl.newQuote {
		s.quotes.push(pl.quote)
	}
	idx := s.recs.len()
	if pl.newPart {
		s.parts.push(participant{first: int32(idx)})
		s.names.push(c.Participant)
		s.partIndex.insertAt(pl.partHash, s.parts.len()-1, pl.partSpot)
	}
	p := s.parts.at(int(pl.rec.part))
	p.value, _ = p.value.Add(pl.value)
	p.weight, _ = p.weight.Add(pl.weight)
	p.count++
	pl.rec.id = s.idBytes.add(c.ID)
	if pl.rec.wide {
		if s.wideUnits == nil {
			s.wideUnits = make(map[int32]uint64)
		}
		s.wideUnits[int32(idx)] = pl.received.Hi
	}
	// field by field: the plan's record was written a field at a time, and copying it whole
	// would load it in wider pieces than were stored, which the store buffer cannot forward
	r := s.recs.next()
	r.lo, r.at, r.id, r.part, r.quote = pl.rec.lo, pl.rec.at, pl.rec.id, pl.rec.part, pl.rec.quote
	r.asset, r.tier, r.wide = pl.rec.asset, pl.rec.tier, pl.rec.wide
	s.nEvents++
	s.ids.insertAt(pl.idHash, idx, pl.idSpot)
	s.raised, _ = s.raised.Add(pl.value)
	s.weight, _ = s.weight.Add(pl.weight)
	s.tierHint = pl.rec.tier
	s.collected[pl.rec.asset], _ = s.collected[pl.rec.asset].Add(pl.units)
	if !s.hasNow || c.At.After(s.now) { // a late contribution does not move the clock back
		s.now, s.hasNow = c.At, true
	}
	if pl.capReached {
		accepted, refund := s.accepted(c, pl)
		s.capHit = &capCross{index: idx, accepted: accepted, refund: refund, units: pl.units}
		if pl.clipped {
			s.appendLog(Event{Kind: EventRefund, At: c.At, Refund: &Refund{
				ContributionID: c.ID, Participant: c.Participant, Amount: refund, Reason: RefundCap}})
		}
	}
	if pl.capReached {
		s.end(EndCap, c.At)
	}
}

func (s *Sale) end(reason EndReason, at time.Time) {
	s.ended, s.endReason, s.endAt = true, reason, at.UTC()
	s.appendLog(Event{Kind: EventEnded, At: at.UTC(), End: &End{Reason: reason, At: at.UTC()}})
}

// receipt rebuilds the receipt of record i.
func (s *Sale) receipt(i int) Receipt {
	r := s.recs.at(i)
	ap := &s.p.assets[r.asset]
	rc := Receipt{
		Index:       i,
		ID:          s.recID(i),
		Participant: s.name(int(r.part)),
		Received:    s.receivedAmount(i),
		Refund:      ap.zero,
		At:          nanosTime(r.at),
		Tier:        int(r.tier),
		Bonus:       s.cfg.Tiers[r.tier].Bonus,
		value:       s.value(i),
		factor:      s.p.factor[r.tier],
		p:           s.p,
	}
	if r.quote >= 0 {
		rc.Median = s.quotes.at(int(r.quote)).median
	}
	rc.Accepted = rc.Received
	if s.capHit != nil && s.capHit.index == i {
		rc.Accepted, rc.Refund, rc.CapReached = s.capHit.accepted, s.capHit.refund, true
	}
	return rc
}

// name returns the account of participant i.
func (s *Sale) name(i int) token.Account { return *s.names.at(i) }

// received returns the received minor units of record i.
func (s *Sale) received(i int) uint128.U128 {
	r := s.recs.at(i)
	if !r.wide {
		return uint128.From64(r.lo)
	}
	return uint128.U128{Hi: s.wideUnits[int32(i)], Lo: r.lo}
}

// receivedAmount returns the amount received by contribution i.
func (s *Sale) receivedAmount(i int) token.Amount {
	u := s.received(i)
	return s.p.assets[s.recs.at(i).asset].asset.FromUint128Units(u.Hi, u.Lo)
}

// recID returns the id of record i.
func (s *Sale) recID(i int) string { return string(s.idBytes.bytes(s.recs.at(i).id)) }

// perMinor returns the value units of one minor unit of record r's asset.
func (s *Sale) perMinor(r *record) uint128.U128 {
	if r.quote < 0 {
		return uint128.From64(s.p.unitsPerRef)
	}
	return s.quotes.at(int(r.quote)).per
}

// value returns the accepted value units of record i.
func (s *Sale) value(i int) uint128.U128 {
	per := s.perMinor(s.recs.at(i))
	if per.Hi == 0 { // mulPer's 64-bit path, inlined
		v, _ := s.acceptedUnits(i).Mul64(per.Lo)
		return v
	}
	v, _ := mulPer(s.acceptedUnits(i), per)
	return v
}

// mulPer returns units x per and whether the product needs more than 128 bits: one 64-bit
// multiplier when per fits 64 bits (the reference, and every quote below about 2^63 value
// units per minor unit), 128 bits otherwise.
func mulPer(units, per uint128.U128) (uint128.U128, bool) {
	if per.Hi == 0 {
		return units.Mul64(per.Lo)
	}
	return units.Mul(per)
}

// quoPer returns floor(room / per), per positive: a 64-bit division when per fits 64 bits,
// math/big otherwise (only for a contribution that crosses the cap).
func quoPer(room, per uint128.U128) uint128.U128 {
	if per.Hi == 0 {
		q, _ := room.QuoRem64(per.Lo)
		return q
	}
	b := room.Big()
	q, _ := uint128.FromBig(b.Quo(b, per.Big())) // at most room
	return q
}

// acceptedUnits returns the accepted minor units of record i.
func (s *Sale) acceptedUnits(i int) uint128.U128 {
	if s.capHit != nil && s.capHit.index == i {
		return s.capHit.units
	}
	return s.received(i)
}

// Receipt returns the receipt of the contribution with the given id.
func (s *Sale) Receipt(id string) (Receipt, bool) {
	if s.p == nil {
		return Receipt{}, false
	}
	i, ok := s.findID(maphash.String(s.seed, id), id)
	if !ok {
		return Receipt{}, false
	}
	return s.receipt(i), true
}

// Receipts returns the receipts of every accepted contribution, in order.
func (s *Sale) Receipts() []Receipt {
	if s.p == nil {
		return nil
	}
	out := make([]Receipt, s.recs.len())
	for i := range out {
		out[i] = s.receipt(i)
	}
	return out
}

// Len returns the number of accepted contributions.
func (s *Sale) Len() int { return s.recs.len() }

// Raised returns the accepted value without bonuses, in the reference currency, exactly: an
// amount of [Config.ValueAsset].
func (s *Sale) Raised() token.Amount {
	if s.p == nil {
		return token.Amount{}
	}
	return valueAmount(s.p.valueAsset, s.raised)
}

// Collected returns the accepted amount of each accepted currency, in the config's order.
func (s *Sale) Collected() []token.Amount {
	if s.p == nil {
		return nil
	}
	out := make([]token.Amount, len(s.p.assets))
	for i, ap := range s.p.assets {
		out[i] = ap.asset.FromUint128Units(s.collected[i].Hi, s.collected[i].Lo)
	}
	return out
}

// mulPow10 returns v x 10^n, exactly, in a new big.Int when it does not fit 128 bits.
func mulPow10(v uint128.U128, n int) (uint128.U128, *big.Int) {
	for n > 0 {
		k := min(n, 19)
		var over bool
		w := v
		if v, over = v.Mul64(pow10(k)); over {
			b := w.Big()
			return uint128.U128{}, b.Mul(b, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil))
		}
		n -= k
	}
	return v, nil
}

// lateAfterEnd reports whether a late contribution received at at may still enter an ended
// sale: it was received before the end, the sale ended by its window or the fiat rule (a
// sale that reached its cap has no room), and it is not finalized.
func (s *Sale) lateAfterEnd(at time.Time) bool {
	return at.Before(s.endAt) && s.endReason != EndCap && !s.finalized
}
