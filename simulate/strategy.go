package simulate

import (
	"math/bits"
	"math/rand/v2"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// Turn is what a member's strategies see when it moves in a round: the round, the member's
// account with the circle and its record of arrears, and the run's random source. The
// simulation fills it before each call; a strategy reads it and must not keep it (or its
// Rand) after the call returns. The zero Turn is no member's turn.
type Turn struct {
	// Run is the index of the circle in its batch; Round the open round (from 1, across
	// epochs) and Rounds the circle's number of rounds.
	Run, Round, Rounds int
	// Seat is the member's seat, from 0, and Member its account.
	Seat   int
	Member token.Account
	// Contribution is what every member owes each round.
	Contribution token.Amount
	// Position is the member's position when the round opened, before its payment. It is
	// filled when some strategy of the scenario (its enforcer too) is the user's own; when
	// all are built-in
	// (none of which reads it) it is the zero Position, so that the simulation need not
	// read every position after every close.
	Position rosca.Position
	// Owed is what the member must pay now to be square with the circle: minus its balance
	// when the balance is negative, zero of the asset otherwise. An on-time member pays it
	// every round; it is C less the member's discount share in a bidding circle that
	// shares the discount with all, C in a lottery, and more when the member is behind.
	Owed token.Amount
	// Behind counts the rounds, in a row up to the last payment step, at the end of whose
	// payments the member still owed: 0 when it was square, 1 after one missed payment.
	Behind int
	// Rand is the run's random source, seeded from the scenario's seed and the run's index
	// only. Draw from it only inside the call: the order of the draws is part of the run.
	Rand *rand.Rand
}

// Payer decides how much a member pays when a round opens. Pay returns the amount paid (any
// amount of the circle's asset: what the circle refuses, or a non-positive amount, is no
// payment). The simulation calls it once a round for every member, in seat order, from one
// goroutine per circle; the same Payer serves every circle of a batch at once, so it must not
// change its own fields (keep per-circle state in nothing but what Turn gives).
type Payer interface {
	Pay(t *Turn) token.Amount
}

// PayerFunc is a function used as a [Payer]. The zero PayerFunc (nil) pays nothing.
type PayerFunc func(t *Turn) token.Amount

// Pay returns f(t), or the zero Amount for a nil f.
func (f PayerFunc) Pay(t *Turn) token.Amount {
	if f == nil {
		return token.Amount{}
	}
	return f(t)
}

// OnTime pays what the member owes, every round: the member who never defaults. The zero
// OnTime is the strategy; it is the default [Payer] of a [Member].
type OnTime struct{}

// Pay returns t.Owed.
func (OnTime) Pay(t *Turn) token.Amount {
	if t == nil {
		return token.Amount{}
	}
	return t.Owed
}

// Late is the member who falls behind now and then: when it is square, it misses the
// round's payment with the given Probability; once behind, it pays nothing until it has been
// behind for Rounds rounds, and then pays everything it owes. Rounds below 1 count as 1.
// The zero Late never misses a payment (a probability of zero).
type Late struct {
	Rounds      int
	Probability token.Ratio
}

// Pay returns nothing or t.Owed as described at [Late] (nothing for a nil Turn).
func (l Late) Pay(t *Turn) token.Amount {
	if t == nil {
		return token.Amount{}
	}
	k := max(l.Rounds, 1)
	switch {
	case t.Behind >= k:
		return t.Owed
	case t.Behind > 0:
		return token.Amount{}
	case chance(t.Rand, l.Probability):
		return token.Amount{}
	}
	return t.Owed
}

// Stop is the member who defaults for good: it pays as Before (OnTime when nil) in the
// rounds before round From and nothing from round From on. The zero Stop never pays.
type Stop struct {
	From   int
	Before Payer
}

// Pay returns nothing from round From on, what Before pays earlier.
func (s Stop) Pay(t *Turn) token.Amount {
	if t == nil || t.Round >= s.From {
		return token.Amount{}
	}
	if s.Before == nil {
		return t.Owed
	}
	return s.Before.Pay(t)
}

// Part is the member who pays a share of each contribution: Share of C rounded down to the
// minor unit, and never more than it owes, so its arrears grow every round. The zero Part
// pays nothing; a Share of one is OnTime for a member who is square.
type Part struct {
	Share token.Ratio
}

// Pay returns the smaller of Share x C (rounded down) and t.Owed.
func (p Part) Pay(t *Turn) token.Amount {
	if t == nil {
		return token.Amount{}
	}
	x := p.Share.MulFloor(t.Contribution)
	if x.Cmp(t.Owed) > 0 {
		return t.Owed
	}
	return x
}

// payPlan is a payer unwrapped: a built-in payer (OnTime, Late, Part, or Stop before one
// of them) run without the interface call, or a payer of the user's (other).
type payPlan struct {
	kind      payKind
	stop      bool // pays nothing from round from on, as kind before
	from      int
	late      Late
	share     token.Ratio // Part's
	other     bool        // kind is the payer itself
	readsOwed bool        // the payer reads Turn.Owed (Part, or the user's)
}

// payment is what a plan pays: nothing, what the member owes, or the amount it returns.
type payment uint8

const (
	paysNothing payment = iota
	paysOwed
	paysAmount
)

// payKind is the built-in payer a plan runs.
type payKind uint8

const (
	payOnTime payKind = iota
	payLate
	payPart
)

// planOf returns the plan of p.
func planOf(p Payer) payPlan {
	var pl payPlan
	if st, ok := p.(Stop); ok {
		pl.stop, pl.from = true, st.From
		if st.Before == nil {
			return pl
		}
		p = st.Before
	}
	switch p := p.(type) {
	case OnTime:
		pl.kind = payOnTime
	case Late:
		pl.kind, pl.late = payLate, p
	case Part:
		pl.kind, pl.share = payPart, p.Share
	default:
		pl.other = true
	}
	pl.readsOwed = pl.other || pl.kind == payPart
	return pl
}

// pay returns what payer p pays in turn t: nothing, all the member owes (t.Owed, which a
// plan that does not read it leaves to the caller), or the amount it returns. pl is p's
// plan.
func (pl *payPlan) pay(p Payer, t *Turn) (token.Amount, payment) {
	if pl.stop && t.Round >= pl.from {
		return token.Amount{}, paysNothing
	}
	if pl.other {
		if pl.stop {
			return p.(Stop).Before.Pay(t), paysAmount
		}
		return p.Pay(t), paysAmount
	}
	switch pl.kind {
	case payLate:
		// Late.Pay.
		switch k := max(pl.late.Rounds, 1); {
		case t.Behind >= k:
		case t.Behind > 0:
			return token.Amount{}, paysNothing
		case chance(t.Rand, pl.late.Probability):
			return token.Amount{}, paysNothing
		}
	case payPart:
		return Part{pl.share}.Pay(t), paysAmount
	}
	return token.Amount{}, paysOwed
}

// Auction is what a bidder sees in a round of a bidding circle: its [Turn], the bidding pass,
// the round's bounds and the member's private valuation. The simulation fills it before each
// call. The zero Auction is no auction.
type Auction struct {
	Turn
	// Pass counts the passes of the round's bidding from 1: in each pass every member who may
	// bid (has not won in the epoch, is square with the circle, does not lead) is asked once,
	// in an order drawn for the round; the bidding stops after a pass without a bid.
	Pass int
	// Pot is the round's pot; MinBid and MaxBid bound the next acceptable bid (MaxBid is the
	// pot before the first bid, the rules' cap below the lowest bid after it).
	Pot, MinBid, MaxBid token.Amount
	// LowestBid and Leader are the lowest bid so far and its bidder (zero and "" if none).
	LowestBid token.Amount
	Leader    token.Account
	// Valuation is the member's private valuation of the round's pot: the smallest prize it
	// would accept to take the pot now rather than wait, drawn for the round from the member's
	// [Valuation] and kept within MinBid and the pot. The lower, the more eager the member.
	Valuation token.Amount
}

// Bidder decides a member's bids in a bidding circle: Bid returns the amount to bid and true,
// or false to pass. A bid the circle refuses (above the cap, below the minimum) is lost and
// changes nothing. Like a [Payer], a Bidder serves many circles at once and must not change
// its own fields.
type Bidder interface {
	Bid(a *Auction) (token.Amount, bool)
}

// BidderFunc is a function used as a [Bidder]. The zero BidderFunc (nil) never bids.
type BidderFunc func(a *Auction) (token.Amount, bool)

// Bid returns f(a), or false for a nil f.
func (f BidderFunc) Bid(a *Auction) (token.Amount, bool) {
	if f == nil {
		return token.Amount{}, false
	}
	return f(a)
}

// NoBid never bids: in a bidding circle its member wins only through a round without bids.
// The zero NoBid is the strategy; it is the default [Bidder] of a [Member].
type NoBid struct{}

// Bid returns false.
func (NoBid) Bid(*Auction) (token.Amount, bool) { return token.Amount{}, false }

// Truthful bids its valuation, once a round (in the first pass), when the rules let it: the
// valuation is at most MaxBid. It is a sealed bid: the member takes what it said it would
// accept. The zero Truthful is the strategy.
type Truthful struct{}

// Bid returns the valuation in the first pass when it is acceptable.
func (Truthful) Bid(a *Auction) (token.Amount, bool) {
	if a == nil || a.Pass != 1 || a.Valuation.Cmp(a.MaxBid) > 0 {
		return token.Amount{}, false
	}
	return a.Valuation, true
}

// Shaded bids above its valuation to keep part of the discount: once a round, the valuation
// plus Shade of the gap between it and the pot (rounded down), lowered to MaxBid when above
// it, and only when the valuation itself is at most MaxBid. The zero Shaded is Truthful.
type Shaded struct {
	Shade token.Ratio
}

// Bid returns the shaded valuation in the first pass.
func (s Shaded) Bid(a *Auction) (token.Amount, bool) {
	if a == nil || a.Pass != 1 || a.Valuation.Cmp(a.MaxBid) > 0 {
		return token.Amount{}, false
	}
	gap, err := a.Pot.Sub(a.Valuation)
	if err != nil || gap.IsNegative() {
		return a.Valuation, true
	}
	x, err := a.Valuation.Add(s.Shade.MulFloor(gap))
	if err != nil || x.Cmp(a.MaxBid) > 0 {
		x = a.MaxBid
	}
	return x, true
}

// Undercut bids in every pass: when another member leads, it bids the largest acceptable bid
// (MaxBid) as long as that is at least its valuation. Among such bidders the bidding is an
// open descending auction: the pot goes to the most eager member at about the second most
// eager one's valuation, as in a second-price auction. The zero Undercut is the strategy.
type Undercut struct{}

// Bid returns MaxBid when it is at least the valuation and at least MinBid.
func (Undercut) Bid(a *Auction) (token.Amount, bool) {
	if a == nil || a.MaxBid.Cmp(a.Valuation) < 0 || a.MaxBid.Cmp(a.MinBid) < 0 {
		return token.Amount{}, false
	}
	return a.MaxBid, true
}

// RandomBid bids at random, whatever its valuation: in the first pass, with the given
// Probability, an amount drawn uniformly between MinBid and MaxBid. The zero RandomBid never
// bids.
type RandomBid struct {
	Probability token.Ratio
}

// Bid returns a random acceptable bid with the strategy's probability.
func (r RandomBid) Bid(a *Auction) (token.Amount, bool) {
	if a == nil || a.Pass != 1 || a.MaxBid.Cmp(a.MinBid) < 0 || !chance(a.Rand, r.Probability) {
		return token.Amount{}, false
	}
	return uniform(a.Rand, a.MinBid, a.MaxBid), true
}

// Valuation is the range of a member's private valuations, as shares of the pot: each round,
// the member's valuation is drawn uniformly between Low x pot and High x pot (rounded down)
// and kept within the round's minimum bid and the pot. The zero Valuation values every pot at
// the minimum bid: the most eager member, who would take the smallest prize the rules allow.
type Valuation struct {
	Low, High token.Ratio
}

// bounds returns the range of valuations of the pot: Low x pot and High x pot, rounded down.
func (v Valuation) bounds(pot token.Amount) (lo, hi token.Amount) {
	return v.Low.MulFloor(pot), v.High.MulFloor(pot)
}

// pick draws a valuation between lo and hi, kept at minBid or above.
func pick(rng *rand.Rand, lo, hi, minBid token.Amount) token.Amount {
	x := lo
	if hi.Cmp(lo) > 0 {
		x = uniform(rng, lo, hi)
	}
	if x.Cmp(minBid) < 0 {
		return minBid
	}
	return x
}

// bidCaps are a bidding circle's rules for the cap of a bid after the first, which make the
// round's state after an accepted bid without asking the circle for it: the bids name the
// prize taken (BidAmount) and are open (not Sealed), so a bid below the lowest leads and
// caps the next at the lower of floor(lowest x NextBid) and lowest - Step, and one equal to
// it ties and changes nothing. The zero bidCaps (any other rules) make nothing.
type bidCaps struct {
	ok       bool
	num, den uint64 // NextBid
	step     int64  // Step in minor units
}

// capsOf returns the caps of a circle's config.
func capsOf(cfg rosca.Config) bidCaps {
	r := cfg.Rules
	if cfg.Kind != rosca.Bidding || r.Sealed || r.BidForm != "" && r.BidForm != rosca.BidAmount {
		return bidCaps{}
	}
	step := int64(0)
	if r.Step.IsValid() {
		u, ok := r.Step.Int64Units()
		if !ok || u < 0 || r.Step.Asset() != cfg.Asset {
			return bidCaps{}
		}
		step = u
	}
	return bidCaps{ok: true, num: r.NextBid.Num(), den: r.NextBid.Den(), step: step}
}

// next sets *rs to the round's state after member m's accepted bid of x, and reports whether
// it could (the caps are set and the amounts fit an int64 of minor units).
func (b *bidCaps) next(rs *rosca.RoundState, m token.Account, x token.Amount) bool {
	if !b.ok {
		return false
	}
	u, ok := x.Int64Units()
	if !ok || u < 0 {
		return false
	}
	if rs.Leader != "" {
		low, ok := rs.LowestBid.Int64Units()
		switch {
		case !ok || u > low:
			return false
		case u == low:
			return true // a tie: the leader keeps the lead
		}
	}
	// floor(u x num / den): u < 2^63 and num <= den, so the high word is below den.
	hi, lo := bits.Mul64(uint64(u), b.num)
	q, _ := bits.Div64(hi, lo, b.den)
	limit := int64(q)
	if b.step > 0 {
		limit = min(limit, max(u-b.step, 0))
	}
	rs.LowestBid, rs.Leader, rs.MaxBid = x, m, x.Asset().FromInt64Units(limit)
	return true
}

// Group is what the group's [Enforcer] sees after a round closes (and what an [Actor] sees
// at every stage): every member's position and arrears. The simulation fills it; the
// enforcer must not keep it. The zero Group is no circle's.
type Group struct {
	// Run is the circle's index in its batch; Round the round just closed (0 as the circle
	// starts); Rounds the circle's number of rounds.
	Run, Round, Rounds int
	// Stage is when the group acts: Closed or Ended after a close (Ended after the last),
	// Joining as the circle starts (for an Actor only); At the time of its commands, the
	// round's deadline after a close, the start before round 1.
	Stage Stage
	At    time.Time
	// Winner is the seat of the round's winner, -1 when nobody won it (or before round 1).
	Winner int
	// Positions are the members' positions after the close, in seat order (left nil for
	// the built-in enforcers, which do not read them; an Actor of the user's sees them as
	// they were before its commands).
	Positions []rosca.Position
	// Behind counts, by seat, the rounds in a row up to this one at the end of whose payments
	// the member owed (as [Turn.Behind]).
	Behind []int
	// Rand is the run's random source (see [Turn.Rand]).
	Rand *rand.Rand
}

// Enforcer is how the group answers defaults beyond the circle's own rules. The circle's rules
// always apply: a member who owes may not bid, a member drawn while it owes holds its pot as
// a debt it may not withdraw before the end, and the fee reserve shrinks with the unpaid dues.
// After each round's close the simulation asks Halt whether the group stops the circle: if so,
// the operator enables the emergency halt and the foreperson activates it, which settles the
// cash among the members pro rata to what each is owed, and the circle ends there. An
// Enforcer serves many circles at once and must not change its own fields.
type Enforcer interface {
	Halt(g *Group) bool
}

// EnforcerFunc is a function used as an [Enforcer]. The zero EnforcerFunc (nil) never halts.
type EnforcerFunc func(g *Group) bool

// Halt returns f(g), or false for a nil f.
func (f EnforcerFunc) Halt(g *Group) bool { return f != nil && f(g) }

// Tolerate relies on the circle's own rules and never halts: defaulters stay, and the members
// they owe are paid what the cash allows at the end. The zero Tolerate is the strategy; it is
// the default [Enforcer] of a [Scenario].
type Tolerate struct{}

// Halt returns false.
func (Tolerate) Halt(*Group) bool { return false }

// HaltWhenBehind stops the circle through the emergency halt as soon as a member has been
// behind for Rounds rounds in a row (Rounds below 1 count as 1), before anybody else lends it
// more. The zero HaltWhenBehind halts at the first missed payment.
type HaltWhenBehind struct {
	Rounds int
}

// Halt reports whether a member has been behind for Rounds rounds.
func (h HaltWhenBehind) Halt(g *Group) bool {
	if g == nil {
		return false
	}
	k := max(h.Rounds, 1)
	for _, b := range g.Behind {
		if b >= k {
			return true
		}
	}
	return false
}

// chance reports true with probability p.
func chance(rng *rand.Rand, p token.Ratio) bool {
	if rng == nil || p.IsZero() {
		return false
	}
	return rng.Uint64N(p.Den()) < p.Num()
}

// uniform returns an amount drawn uniformly between lo and hi (hi at least lo), to within
// one part in 2^32 of the span: lo + floor(span u / 2^32) for u drawn from 0 to 2^32.
func uniform(rng *rand.Rand, lo, hi token.Amount) token.Amount {
	const scale = 1 << 32
	if l, ok := lo.Int64Units(); ok && l >= 0 && rng != nil {
		if h, ok := hi.Int64Units(); ok && h > l && lo.Asset() == hi.Asset() {
			// On int64 minor units: span < 2^63, so span u < 2^95, and the offset, at
			// most span, keeps lo + offset within hi.
			ph, pl := bits.Mul64(uint64(h-l), rng.Uint64N(scale+1))
			return lo.Asset().FromInt64Units(l + int64(ph<<32|pl>>32))
		}
	}
	span, err := hi.Sub(lo)
	if rng == nil || err != nil || !span.IsPositive() {
		return lo
	}
	u := rng.Uint64N(scale + 1)
	if h, l, ok := span.Uint128Units(); ok && h == 0 {
		// span u < 2^96: the product's high word and low word, shifted by 32.
		ph, pl := bits.Mul64(l, u)
		if x, err := lo.Add(lo.Asset().FromUint128Units(ph>>32, ph<<32|pl>>32)); err == nil {
			return x
		}
		return lo
	}
	f, err := token.NewRatio(u, scale)
	if err != nil {
		return lo
	}
	x, err := lo.Add(f.MulFloor(span))
	if err != nil {
		return lo
	}
	return x
}
