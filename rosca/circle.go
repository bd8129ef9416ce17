package rosca

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// terms are the circle's constants, compiled once from its config by [New] and never
// written after: the figures every round shares.
type terms struct {
	cfg          Config
	asset        token.Asset
	n            int
	rounds       int          // n x epochs
	contribution units        // C, due from every member each round
	pot          units        // P = C x n
	foreperson   int          // the foreperson's seat
	sched        schedule     // the allocation of every round of the epoch
	maxFirst     units        // the largest first bid: floor(P x MaxBid), or P; at most P - commission
	commission   units        // FeeCommission: floor(P x f), the commission of a round
	noBidTake    units        // what a round's winner takes without a bid: P, or maxFirst under FeeCommission
	step         units        // Rules.Step in minor units
	rfPot        units        // RF(P)
	potAmount    token.Amount // P as an amount, for the results
	platform     units        // floor(P x PlatformFee): the platform's fee on each pot
	minBid       units        // floor(P x MinBid), at least one minor unit
	// The fee f = feeNum/feeDen in lowest terms, and feeKeep = feeDen - feeNum: RF(x) =
	// floor(x x feeKeep / feeDen).
	feeNum, feeDen, feeKeep uint64
	nextNum, nextDen        uint64 // the next-bid cap
}

// net returns RF(x) = floor(x x (1 - f)): x after the foreperson's fee, in the form
// [fees.ForepersonFee.Apply] takes it (the net rounded down, the fee side rounded up),
// computed on the circle's integers (TestNetIsForepersonFeeApply holds the two equal).
func (t *terms) net(x units) units { return x.frac(t.feeKeep, t.feeDen) }

// feeOn returns floor(x x f): the foreperson's fee on x, rounded down, as [fees.Apply].
func (t *terms) feeOn(x units) units { return x.frac(t.feeNum, t.feeDen) }

// member is a member's account with the circle, in minor units. Its credit in the reference
// contract's sense is contributed + won - withdrawn.
type member struct {
	// A member is two cache lines: the figures every contribution reads come first, in the
	// first 56 bytes.
	acct        token.Account
	contributed units      // everything it paid in
	x           *memberExt // the rarer figures, nil while they are all zero
	debtPots    int        // pots won through the delinquent draw and not cleared (the contract's debt flag)
	won         units      // net winnings credited (RF(bid)), plus remainders credited to it
	withdrawn   units      // everything paid out to it
	wonEpoch    int        // the epoch of its last win, 0 if none
	wins        int
	_           [8]byte // pads a member to 128 bytes, so that no member's first figures straddle two cache lines
}

// span is a seat's bookkeeping of the running quotient sum, under the sharings that
// leave winners out of some rounds' discounts.
type span struct {
	off  units // ShareOthers: quotients of the rounds it won; ShareUnpaid: its share frozen so far
	base units // ShareUnpaid: the running quotient sum when its current live span began
}

// memberExt is what few members carry: pots held in debt, tickets, deterrents and the external hui's
// interests. A member has none until a command writes one ([member.wr]); queries read it
// through [member.rd], which never writes.
type memberExt struct {
	lost        units         // after the end: the part of its claim written off to cover a defaulter's shortfall
	heldSum     units         // what its pots won in debt credited it, held from its balance until cleared or the end
	holder      token.Account // the member holding the seat (Config.Holders), "" for the seat's account
	collateral  units         // collateral posted and held for it, apart from the cash
	accel       units         // its dues since they were accelerated: C x the rounds to the end of the epoch
	accelerated bool          // its future dues were demanded at once (Accelerate)
	removed     bool          // removed for missed dues (Remove); reinstated by paying up by notice
	notice      int64         // Unix nanoseconds: the end of its removal's notice
	bounty      bool          // a recovery bounty is posted on its debt
	late        units         // late fees charged
	lateOwed    units         // late fees charged and not yet paid
	strikes     int           // closes at which it was charged a late fee
	interest    units         // BidInterestExternal: the interest it bid on its win in the epoch
	extra       units         // BidInterestExternal: the interests it owed for the rounds closed since its wins
}

// noExt is the figures of a member without any: read, never written.
var noExt memberExt

// rd returns m's rarer figures for reading: zero when it has none.
func (m *member) rd() *memberExt {
	if m.x == nil {
		return &noExt
	}
	return m.x
}

// wr returns m's rarer figures for writing, allocating them at the first write.
func (m *member) wr() *memberExt {
	if m.x == nil {
		m.x = new(memberExt)
	}
	return m.x
}

// holder returns the member holding m's seat: its holder, or the seat's account.
func (m *member) holder() token.Account {
	if m.x != nil && m.x.holder != "" {
		return m.x.holder
	}
	return m.acct
}

// openRound is the round that takes contributions and bids (the last one after the end).
type openRound struct {
	number int      // 1-based, counted across epochs
	epoch  int      // 1-based
	unpaid int      // members who have not won in this epoch
	due    units    // C x number: what every member owes by the round's close
	leader int      // seat of the lowest bidder, -1 if none
	lowest units    // the lowest bid
	second units    // the lowest bid by another member than the leader (valid when others bid)
	others bool     // whether a member other than the leader bid
	tied   []int    // Ties by lot: the seats whose bid equals the lowest, in bid order
	seals  []sealed // Sealed: the seals not yet revealed
}

// books are the circle's money, in minor units. Cash, held in full by the circle, is
// contributions + deductions - withdrawals - feesPaid - remPaid - platformPaid.
type books struct {
	contributions units
	withdrawals   units
	feesWithheld  units // floor(K x P x f) after K closes: the fee taken from the pots
	feesReserved  units // the foreperson's earned fee, not yet paid; never above the cash
	feesPaid      units
	remKept       units // remainders kept for the end-of-circle disposal
	carry         units // a remainder carried into the next round's discount
	remPaid       units
	platform      units // the platform's fee taken from the winnings, not yet paid
	platformPaid  units
	pool          units     // ShareAll: every discount, undivided
	share         units     // ShareAll: floor(pool / n), every member's share
	shareSum      units     // ShareOthers and ShareUnpaid: running sum of per-recipient quotients
	debtPots      int       // sum of the members' debtPots
	feeRounds     int       // the rounds closed that carry the foreperson's fee (all but the organizer's)
	lastWinner    int       // seat of the last round's winner, -1 before the first close
	x             *booksExt // the rarer figures, nil while they are all zero
}

// booksExt is the money of what few circles see: the losses written off at the end, the
// deterrents and the external hui's interests. A circle has none until a command writes
// one ([books.wr]); queries read it through [books.rd], which never writes.
type booksExt struct {
	feesLost     units // after the end: the part of the fee reserve written off to cover a shortfall
	platformLost units // after the end: the part of the platform's fee written off to cover a shortfall
	remLost      units // after the end: the part of the remainder written off to cover a shortfall
	// The deterrents' money. Contributions count what was paid on the members' accounts by
	// others too: guarantors, collateral applied, recoveries net of bounties paid out of
	// them. Collateral held is apart from the cash.
	collateral        units // collateral held
	collateralIn      units // collateral posted
	collateralApplied units // collateral applied to what members owed
	collateralOut     units // collateral returned
	guarantorIn       units // paid by guarantors
	recovered         units // recovered from members in default
	bounties          units // recovery bounties paid
	feeBounties       units // the part of bounties the fee reserve paid (in feesPaid)
	deductions        units // substitutions' deductions, credited to the foreperson
	lateCharged       units // late fees charged
	lateCollected     units // late fees paid, credited to their recipients
	interests         units // BidInterestExternal: the interests of the members who won in the epoch
}

// noBooksExt is the figures of a circle without any: read, never written.
var noBooksExt booksExt

// rd returns b's rarer figures for reading: zero when it has none.
func (b *books) rd() *booksExt {
	if b.x == nil {
		return &noBooksExt
	}
	return b.x
}

// wr returns b's rarer figures for writing, allocating them at the first write.
func (b *books) wr() *booksExt {
	if b.x == nil {
		b.x = new(booksExt)
	}
	return b.x
}

// cash returns the cash held.
func (b *books) cash() units {
	return b.contributions.add(b.rd().deductions).sub(b.withdrawals).sub(b.feesPaid).sub(b.remPaid).sub(b.platformPaid)
}

// free returns the cash a withdrawal may take: the cash less the fees reserved for the
// foreperson and the platform (zero when they claim it all).
func (b *books) free() units { return b.cash().monus(b.feesReserved.add(b.platform)) }

// Circle is a running lending circle: the terms compiled from its config, its members, the
// open round, its books, its closed rounds and its event log. Build it with [New] (or
// [Replay]); drive it with the commands, each of which takes the time; read it with the
// queries. The zero Circle is not a circle: every command returns an [*Error] wrapping
// [ErrUninitialized], and every query a zero result (Audit the same error).
//
// A rejected command returns an [*Error] and leaves the circle exactly as it was; an
// accepted one appends one event to the log ([Circle.EventsAfter]).
//
// Queries (Config, Members, Position, Positions, Round, Ended, Halted, Totals, Audit, Rounds,
// Events, EventsAfter, LastSeq, Now, Snapshot, CanBid, Clone, Owed, Statement, Schedule,
// ScheduleOf, Reminders, Security, Balance) only read: they may be called concurrently
// by many readers. Commands need exclusive access: guard a shared circle with a
// [sync.RWMutex], commands under the write lock and queries under the read lock.
type Circle struct {
	terms       *terms
	index       map[token.Account]int // seats by account; nil for a small circle (see seatOf)
	members     []member
	spans       []span // ShareOthers and ShareUnpaid: each seat's part of the quotient sum; nil otherwise
	open        openRound
	books       books
	ended       bool
	haltEnabled bool // the operator enabled the emergency halt
	halted      bool
	closed      []closedRound
	bigRounds   []bigRound  // the figures of closed rounds too large for their slots, by round
	roundExts   []*roundExt // the rarer figures of closed rounds, indexed by closedRound.ext - 1
	log         eventLog
	seed        Seed          // the draws' seed: the config's, or the one Reset gave
	rng         *rand.ChaCha8 // the draws' generator, made at the first draw and reseeded for each; never read by queries, never shared
	pledges     []pledge      // guarantors' pledges, in the order made
	moves       []move        // seats passed to other members, in order
	hint        int           // commands' seat lookup hint: the seat last looked up; never read by queries
}

// New validates cfg and returns the circle at its start: round 1 open, nothing paid.
func New(cfg Config) (*Circle, error) {
	var index map[token.Account]int // a small circle finds seats by a scan
	if len(cfg.Members) > smallCircle {
		index = make(map[token.Account]int, len(cfg.Members))
	}
	if err := cfg.validate(index); err != nil {
		return nil, err
	}
	cfg = cfg.clone()
	t := &terms{cfg: cfg, asset: cfg.Asset, n: len(cfg.Members), contribution: amountUnits(cfg.Contribution)}
	t.rounds = t.n * cfg.Epochs
	t.feeNum, t.feeDen = cfg.Fee.Num(), cfg.Fee.Den()
	t.feeKeep = t.feeDen - t.feeNum
	t.nextNum, t.nextDen = cfg.Rules.NextBid.Num(), cfg.Rules.NextBid.Den()
	t.pot = t.contribution.mul(uint64(t.n))
	t.platform = t.pot.frac(cfg.PlatformFee.Num(), cfg.PlatformFee.Den())
	t.minBid = t.pot.frac(cfg.Rules.MinBid.Num(), cfg.Rules.MinBid.Den()) // rounded down ...
	if t.minBid.isZero() {
		t.minBid = unitsOf(1) // ... but a bid is at least one minor unit
	}
	t.maxFirst = t.pot
	if mb := cfg.Rules.MaxBid; !mb.IsZero() {
		t.maxFirst = t.pot.frac(mb.Num(), mb.Den())
	}
	if cfg.Rules.Step.IsValid() {
		t.step = amountUnits(cfg.Rules.Step)
	}
	t.noBidTake = t.pot
	switch cfg.Rules.Fee {
	case FeeCommission:
		t.commission = t.feeOn(t.pot)
		t.maxFirst = minUnits(t.maxFirst, t.pot.sub(t.commission))
		t.noBidTake = t.maxFirst
	case FeeCommissionFromPrize:
		t.commission = t.feeOn(t.pot)
		if t.minBid.cmp(t.commission) < 0 {
			t.minBid = t.commission
		}
	}
	t.rfPot = t.net(t.pot)
	t.potAmount = t.pot.amount(t.asset)

	c := &Circle{terms: t, index: index, members: make([]member, t.n), hint: -1, seed: cfg.Seed}
	for i, a := range cfg.Members {
		c.members[i].acct = a
		if len(cfg.Holders) > 0 && cfg.Holders[i] != a {
			c.members[i].wr().holder = cfg.Holders[i]
		}
		if a == cfg.Foreperson {
			t.foreperson = i
		}
	}
	t.sched = compileSchedule(&t.cfg, t.foreperson)
	if s := cfg.Rules.Sharing; s == ShareOthers || s == ShareUnpaid {
		c.spans = make([]span, t.n)
	}
	c.open = openRound{number: 1, epoch: 1, unpaid: t.n, due: t.contribution, leader: -1}
	c.books.lastWinner = -1
	c.closed = make([]closedRound, 0, min(t.rounds, 1024))
	// Room for the events of a circle where everyone pays every round, up to one chunk.
	// Commands may come before the start, as in the reference contract; only the time
	// order of the log is enforced.
	// A round: contributions of a byte or two, a few bids and withdrawals.
	c.log.start(t.rounds*(2*t.n+80), t.rounds*(t.n+6), minNs)
	return c, nil
}

// Config returns a copy of the circle's config (the zero Config for the zero Circle).
func (c *Circle) Config() Config {
	if c.terms == nil {
		return Config{}
	}
	cfg := c.terms.cfg.clone()
	cfg.Seed = c.seed
	return cfg
}

// checkTime validates at and returns it in Unix nanoseconds.
func (c *Circle) checkTime(op string, a token.Account, at time.Time) (int64, error) {
	sec := at.Unix()
	if sec < minNs/1e9 || sec > maxNs/1e9 {
		return 0, &Error{Op: op, Account: a, At: at, Detail: fmt.Sprintf("outside the years %d to %d", minYear, maxYear), Err: token.ErrInvalidTime}
	}
	ns := sec*1e9 + int64(at.Nanosecond()) // within int64: the years are bounded
	if ns < c.log.lastAt {
		return 0, &Error{Op: op, Account: a, At: at, Round: c.open.number,
			Detail: "earliest " + formatTime(time.Unix(0, c.log.lastAt)) + ", the time of the last event", Err: ErrTimeBackwards}
	}
	return ns, nil
}

// seat returns the seat of member a for a command. Members often come in seat order, so
// the seat after the last one found is tried before the map.
func (c *Circle) seat(op string, a token.Account) (int, error) {
	if g := c.hint + 1; g < len(c.members) && c.members[g].acct == a {
		c.hint = g
		return g, nil
	}
	i, ok := c.seatOf(a)
	if !ok {
		return 0, &Error{Op: op, Account: a, Err: ErrNotMember}
	}
	c.hint = i
	return i, nil
}

// smallCircle is the largest circle that finds seats by a scan of its members rather
// than a map: cheaper to build, and as fast to search.
const smallCircle = 32

// seatOf returns the seat of a, and whether a is a member.
func (c *Circle) seatOf(a token.Account) (int, bool) {
	if c.index != nil {
		i, ok := c.index[a]
		return i, ok
	}
	for i := range c.members {
		if c.members[i].acct == a {
			return i, true
		}
	}
	return 0, false
}

// stateErr is the error of a command the circle's state refuses.
func (c *Circle) stateErr(op string, a token.Account, at time.Time, reason error) error {
	return &Error{Op: op, Account: a, Round: c.open.number, At: at, Err: reason}
}

// running reports the error for a command that needs a running, unhalted circle.
func (c *Circle) running(op string, a token.Account, at time.Time) error {
	if c.halted {
		return c.stateErr(op, a, at, ErrHalted)
	}
	if c.ended {
		return c.stateErr(op, a, at, ErrEnded)
	}
	return nil
}

// checkAmount validates an amount given to a command: positive, of the circle's asset.
func (c *Circle) checkAmount(op string, a token.Account, x token.Amount) (units, error) {
	if hi, lo, ok := x.Uint128Units(); ok && hi|lo != 0 && x.Asset() == c.terms.asset {
		return units{v: uint128.U128{Hi: hi, Lo: lo}}, nil // what CheckPositive accepts, without the call
	}
	if err := c.terms.asset.CheckPositive(x); err != nil {
		return units{}, &Error{Op: op, Account: a, Amount: x, Round: c.open.number, Detail: causeText(err), Err: wrapReason(ErrInvalidAmount, err)}
	}
	return amountUnits(x), nil
}

// shareOf returns member i's discount share.
func (c *Circle) shareOf(i int) units {
	m := &c.members[i]
	switch c.terms.cfg.Rules.Sharing {
	case ShareEach:
		return c.books.shareSum
	case ShareOthers:
		return c.books.shareSum.sub(c.spans[i].off)
	case ShareUnpaid:
		s := &c.spans[i]
		if m.wonEpoch == c.open.epoch {
			return s.off
		}
		return c.books.shareSum.sub(s.base).add(s.off)
	}
	return c.books.share
}

// has returns what member i has to its name before withdrawals: contributed + won + share.
// Its total credit (the reference contract's userTotalCredit) is has - withdrawn.
func (c *Circle) has(i int) units {
	m := &c.members[i]
	return m.contributed.add(m.won).add(c.shareOf(i))
}

// held returns the pots member i won through the delinquent draw and has not cleared.
// After the end nothing is held: the pot stays credited and the debtor's dues stand, so a
// debtor is measured as every member is (credit + share - C x r).
func (c *Circle) held(i int) units {
	if c.ended {
		return units{}
	}
	return c.members[i].rd().heldSum
}

// dueOf returns what is withheld from member i for its dues: C x r for the open round r
// (for every member, a debtor too: waiving a debtor's dues while only RF(P) is held for
// it would hand it the fee on its own pot, money the circle does not hold).
//
// A member whose dues were accelerated owes C x the rounds to the end of that epoch.
//
// Under [BidInterestExternal] a member that has won owes its interest on top, for every
// later round of the epoch, the open one included while it runs.
func (c *Circle) dueOf(i int) units {
	x := c.members[i].x
	if x == nil {
		return c.open.due
	}
	due := c.open.due.add(c.broughtForward(i))
	if x.extra.isZero() && x.interest.isZero() {
		return due
	}
	return due.add(x.extra).add(c.openInterest(i))
}

// broughtForward returns the dues an acceleration brought forward for member i beyond the
// open round's: accel - C x r while the circle runs, zero otherwise.
func (c *Circle) broughtForward(i int) units {
	x := c.members[i].x
	if x == nil || !x.accelerated || c.ended || c.halted || x.accel.cmp(c.open.due) <= 0 {
		return units{}
	}
	return x.accel.sub(c.open.due)
}

// openInterest returns the interest member i owes for the open round under
// [BidInterestExternal]: its interest, if it won earlier in the epoch and the round runs.
func (c *Circle) openInterest(i int) units {
	if c.ended || c.halted || c.members[i].wonEpoch != c.open.epoch {
		return units{}
	}
	return c.members[i].rd().interest
}

// owes returns what member i's balance is measured against: withdrawn + held + due +
// the part of its claim written off at the end to cover a defaulter's shortfall.
func (c *Circle) owes(i int) units {
	m := &c.members[i]
	o := m.withdrawn.add(c.held(i)).add(c.dueOf(i))
	if m.x != nil {
		o = o.add(m.x.lost).add(m.x.late)
	}
	return o
}

// goodStanding reports whether member i's total credit covers the dues so far.
//
// A member removed, or short of the collateral the rules ask, is not in good standing.
func (c *Circle) goodStanding(i int) bool {
	m := &c.members[i]
	need := m.withdrawn.add(c.dueOf(i))
	if x := m.x; x != nil {
		if x.removed {
			return false
		}
		need = need.add(x.late)
	}
	return c.has(i).cmp(need) >= 0 && c.collateralOK(i)
}

// balance returns the magnitude of member i's balance, has - owes, and whether it is
// negative. Positive is what a withdrawal would pay (liquidity permitting), negative is
// owed.
func (c *Circle) balance(i int) (units, bool) { return c.has(i).diff(c.owes(i)) }

// signed returns a magnitude and sign as an amount.
func (c *Circle) signed(mag units, neg bool) token.Amount {
	x := mag.amount(c.terms.asset)
	if neg {
		return x.Neg()
	}
	return x
}

// memberCommand runs the checks shared by the commands a member gives to a running circle
// (contribute, bid): time order, membership, not halted, not ended. It returns the time in
// Unix nanoseconds and the member's seat.
func (c *Circle) memberCommand(op string, at time.Time, a token.Account) (ns int64, seat int, err error) {
	if c.terms == nil {
		return 0, 0, uninitialized(op)
	}
	if ns, err = c.checkTime(op, a, at); err != nil {
		return 0, 0, err
	}
	if seat, err = c.seat(op, a); err != nil {
		return 0, 0, err
	}
	if err = c.running(op, a, at); err != nil {
		return 0, 0, err
	}
	return ns, seat, nil
}

// Contribute records amount paid in by member at time at. The amount must be a positive
// amount of the circle's asset; any amount is accepted (an overpayment stays as credit for
// later rounds and can be withdrawn), as long as the circle's contributions stay below
// 10^[MaxCashDigits] minor units. A member carrying a debt is cleared when its
// contributions and discount share, without the pots it holds, cover the dues so far; the
// flag is re-evaluated only here.
//
// After the end a member who owes may still pay what it owes, and no more: the catch-up
// ([Circle.Owed] says how much). The payment first restores the claims written off at the
// end to cover the shortfall ([Circle.CatchUp]), which their holders then withdraw.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrEnded] (after the end, from a member who owes nothing),
// [ErrInvalidAmount] (after the end, also an amount above what the member owes).
func (c *Circle) Contribute(at time.Time, member token.Account, amount token.Amount) error {
	const op = "Contribute"
	if c.ended && !c.halted {
		return c.catchUp(op, at, member, amount)
	}
	ns, i, err := c.memberCommand(op, at, member)
	if err != nil {
		return err
	}
	x, err := c.checkAmount(op, member, amount)
	if err != nil {
		return err
	}
	m := &c.members[i]
	if !c.addPaid(m, x) {
		return &Error{Op: op, Account: member, Amount: amount, Round: c.open.number, At: at,
			Detail: fmt.Sprintf("the circle's contributions would reach 10^%d minor units", MaxCashDigits),
			Err:    wrapReason(ErrInvalidAmount, token.ErrAmountTooLarge)}
	}
	if m.x != nil && !m.x.lateOwed.isZero() { // rare: late fees first
		c.collectLate(i, x)
	}
	if m.debtPots > 0 || m.x != nil && m.x.removed { // rare: a debt or a removal to re-evaluate
		c.standing(i, ns)
	}
	c.record(evContribution, ns, i, c.open.number, x)
	return nil
}

// addPaid adds a payment of x by m to its contributions and the circle's, or reports
// false, changing nothing, when the circle's would reach 10^MaxCashDigits minor units. The
// common case runs in 128-bit words.
func (c *Circle) addPaid(m *member, x units) bool {
	b := &c.books
	if x.b == nil && b.contributions.b == nil && m.contributed.b == nil {
		tot, o1 := b.contributions.v.Add(x.v)
		mc, o2 := m.contributed.v.Add(x.v)
		if !o1 && !o2 {
			b.contributions.v, m.contributed.v = tot, mc
			return true
		}
	}
	total := b.contributions.add(x)
	if total.b != nil && total.b.Cmp(cashBound) >= 0 {
		return false
	}
	m.contributed, b.contributions = m.contributed.add(x), total
	return true
}

// maxBid returns the largest acceptable bid: floor(P x MaxBid) (the pot under WeTrust's
// rules) if there is no bid yet, else the lower of floor(lowest x NextBid) (the cap is
// rounded down) and lowest - Step.
func (c *Circle) maxBid() units {
	t := c.terms
	if c.open.leader < 0 || t.cfg.Rules.Sealed { // a sealed bid is not capped by the others
		return t.maxFirst
	}
	hi := c.open.lowest.frac(t.nextNum, t.nextDen)
	if !t.step.isZero() {
		hi = minUnits(hi, c.open.lowest.monus(t.step))
	}
	return hi
}

// placeBid makes member i's accepted bid x the round's: a lower bid leads (the leader
// before it, if another member, holds the second-best bid); a bid equal to the lowest by
// another member ties, and leads only when the lot picks it at the close (TieByLot); a
// higher one (a sealed bid revealed after a lower one) may be the second-best.
func (c *Circle) placeBid(i int, x units) {
	o := &c.open
	switch {
	case o.leader < 0:
		o.leader, o.lowest, o.tied = i, x, append(o.tied[:0], i)
	case i == o.leader:
		o.lowest, o.tied = x, append(o.tied[:0], i)
	case x.cmp(o.lowest) == 0: // a tie: the first bidder keeps the lead
		o.second, o.others = x, true
		if !slices.Contains(o.tied, i) {
			o.tied = append(o.tied, i)
		}
	case x.cmp(o.lowest) > 0: // a revealed sealed bid above the lowest: perhaps the second
		if !o.others || x.cmp(o.second) < 0 {
			o.second, o.others = x, true
		}
	default:
		o.second, o.others = o.lowest, true
		o.leader, o.lowest, o.tied = i, x, append(o.tied[:0], i)
	}
}

// Bid records member's bid of amount (what it would take from the pot) in the open round
// of a bidding circle. The bidder must not have won in this epoch and must be in good
// standing (credit plus discount share at least the dues so far, C x r). The bid must be at
// least the minimum (floor(P x MinBid)) and at most the pot for the first bid, at most
// floor(lowest x NextBid) after that; ties go to the first bidder. The leader may undercut
// its own bid. The reference contract silently ignored a bid above the cap; here it is
// [ErrBidTooHigh] and nothing changes.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrEnded], [ErrNotBidding], [ErrInvalidAmount], [ErrAlreadyWon],
// [ErrNotInGoodStanding], [ErrBidTooLow], [ErrBidTooHigh].
func (c *Circle) Bid(at time.Time, member token.Account, amount token.Amount) error {
	const op = "Bid"
	ns, i, err := c.memberCommand(op, at, member)
	if err != nil {
		return err
	}
	t := c.terms
	if err := c.biddingCircle(op, at, member, amount); err != nil {
		return err
	}
	if t.cfg.Rules.Sealed {
		return c.sealedBidError(op, at, member, amount)
	}
	x, err := c.checkAmount(op, member, amount)
	if err != nil {
		return err
	}
	given := x // the event records the bid as given, in the rules' form
	if x, err = c.taken(op, at, member, amount, x); err != nil {
		return err
	}
	fail := func(limit units, detail string, reason error) error {
		e := &Error{Op: op, Account: member, Amount: amount, Round: c.open.number, At: at, Detail: detail, Err: reason}
		e.Limit = limit.amount(t.asset)
		return e
	}
	if err := c.mayBid(op, at, i, amount); err != nil {
		return err
	}
	if x.cmp(t.minBid) < 0 {
		return fail(t.minBid, "the minimum bid is "+t.minBid.amount(t.asset).String(), ErrBidTooLow)
	}
	if hi := c.maxBid(); x.cmp(hi) > 0 {
		detail := "the first bid is at most the pot, " + hi.amount(t.asset).String()
		if c.open.leader >= 0 {
			detail = fmt.Sprintf("the lowest bid is %s: a new bid is at most %s of it, %s",
				c.open.lowest.amount(t.asset), t.cfg.Rules.NextBid, hi.amount(t.asset))
			if !t.step.isZero() {
				detail += fmt.Sprintf(", and at least the step %s below it", t.cfg.Rules.Step)
			}
		} else if hi.cmp(t.pot) < 0 {
			detail = "the largest bid is " + hi.amount(t.asset).String() + " (Rules.MaxBid)"
		}
		return fail(hi, detail, ErrBidTooHigh)
	}
	c.placeBid(i, x)
	c.record(evBid, ns, i, c.open.number, given)
	return nil
}

// taken returns what a bid of x in the rules' [BidForm] takes from the pot: x, P - x
// (a discount) or P - x x L (an interest per live member, L the members besides the
// bidder who have not won in the epoch); a discount or interest above the pot is
// [ErrBidTooLow].
func (c *Circle) taken(op string, at time.Time, member token.Account, amount token.Amount, x units) (units, error) {
	t := c.terms
	off := x
	switch t.cfg.Rules.BidForm {
	case BidDiscount:
	case BidInterest, BidInterestExternal:
		off = x.mul(uint64(c.open.unpaid - 1))
	default:
		return x, nil
	}
	if off.cmp(t.pot) > 0 {
		return units{}, &Error{Op: op, Account: member, Amount: amount, Round: c.open.number, At: at,
			Detail: fmt.Sprintf("a %s of %s would take more than the pot, %s", t.cfg.Rules.BidForm, amount, t.pot.amount(t.asset)),
			Err:    ErrBidTooLow}
	}
	return t.pot.sub(off), nil
}

// biddingCircle returns [ErrNotBidding] unless the circle is a bidding circle whose open
// round is not the foreperson's.
func (c *Circle) biddingCircle(op string, at time.Time, member token.Account, amount token.Amount) error {
	if k := c.terms.cfg.Kind; k != Bidding {
		return &Error{Op: op, Account: member, Amount: amount, Round: c.open.number, At: at,
			Detail: fmt.Sprintf("a %s circle", k), Err: ErrNotBidding}
	}
	if a := c.allocation(); a.Method != AllocateAuction {
		return &Error{Op: op, Account: member, Amount: amount, Round: c.open.number, At: at,
			Detail: fmt.Sprintf("round %d is allocated by %s (Config.Schedule)", c.open.number, a.Method), Err: ErrNotBidding}
	}
	return nil
}

// mayBid returns the error of a bid by member i that its standing refuses, whatever the
// amount: [ErrAlreadyWon] or [ErrNotInGoodStanding]. It only reads.
func (c *Circle) mayBid(op string, at time.Time, i int, amount token.Amount) error {
	t, member := c.terms, c.members[i].acct
	if c.members[i].wonEpoch == c.open.epoch {
		return &Error{Op: op, Account: member, Amount: amount, Round: c.open.number, At: at,
			Detail: fmt.Sprintf("%s won round %d of epoch %d", member, c.lastWin(i), c.open.epoch), Err: ErrAlreadyWon}
	}
	if c.reservedLater(i) {
		return &Error{Op: op, Account: member, Amount: amount, Round: c.open.number, At: at,
			Detail: fmt.Sprintf("%s's seat is reserved for round %d of the epoch (Config.Schedule)", member, t.sched.reserved[i]+1),
			Err:    ErrAlreadyWon}
	}
	if !c.goodStanding(i) {
		m := &c.members[i]
		credit, due := c.has(i).sub(m.withdrawn), c.dueOf(i).add(m.rd().late)
		detail := fmt.Sprintf("%s has %s of the %s due", member, credit.amount(t.asset), due.amount(t.asset))
		switch {
		case m.rd().removed:
			detail = member.String() + " is removed for missed dues"
		case !c.collateralOK(i):
			detail = fmt.Sprintf("%s holds %s of the %s of collateral the rules ask", member, m.rd().collateral.amount(t.asset), c.collateralDue(i).amount(t.asset))
		}
		return &Error{Op: op, Account: member, Amount: amount, Limit: due.amount(t.asset), Round: c.open.number, At: at,
			Detail: detail, Err: ErrNotInGoodStanding}
	}
	return nil
}

// CanBid reports whether member may bid in the open round at time at, without trying: nil,
// or the error [Circle.Bid] would return for every amount, with the same reason and
// fields ([ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrEnded], [ErrNotBidding], [ErrSealedBids], [ErrAlreadyWon],
// [ErrNotInGoodStanding]).
// When it returns nil, a bid is accepted if it lies between [RoundState.MinBid] and
// [RoundState.MaxBid] of [Circle.Round]. It is a query: it changes nothing.
func (c *Circle) CanBid(at time.Time, member token.Account) error {
	const op = "Bid"
	if c.terms == nil {
		return uninitialized(op)
	}
	if _, err := c.checkTime(op, member, at); err != nil {
		return err
	}
	i, ok := c.seatOf(member)
	if !ok {
		return &Error{Op: op, Account: member, Err: ErrNotMember}
	}
	if err := c.running(op, member, at); err != nil {
		return err
	}
	if err := c.biddingCircle(op, at, member, token.Amount{}); err != nil {
		return err
	}
	if c.terms.cfg.Rules.Sealed {
		return c.sealedBidError(op, at, member, token.Amount{})
	}
	return c.mayBid(op, at, i, token.Amount{})
}

// Clone returns an independent copy of the circle, cheaply (the members are copied; the
// terms, the closed rounds and the log's records are shared, being append-only): commands
// on the copy leave c as it was, so a service may preview a bid, a close or a withdrawal
// ("what if") on the copy. It is a query. The clone of the zero Circle is a zero Circle.
func (c *Circle) Clone() *Circle {
	if c.terms == nil {
		return &Circle{}
	}
	d := *c
	d.members, d.spans = slices.Clone(c.members), slices.Clone(c.spans)
	if c.books.x != nil { // a clone's commands must not write c's
		y := *c.books.x
		d.books.x = &y
	}
	for i := range d.members {
		if x := d.members[i].x; x != nil { // a clone's commands must not write c's
			y := *x
			d.members[i].x = &y
		}
	}
	d.open.tied = slices.Clone(c.open.tied)
	d.open.seals = slices.Clone(c.open.seals)
	d.closed, d.bigRounds, d.roundExts = slices.Clip(c.closed), slices.Clip(c.bigRounds), slices.Clip(c.roundExts)
	d.log = c.log.clip()
	d.pledges = slices.Clone(c.pledges)
	d.moves = slices.Clip(c.moves)
	d.rng = nil // the clone's draws use a generator of its own
	return &d
}

// lastWin returns the round member i last won (0 if none).
func (c *Circle) lastWin(i int) int {
	if k := c.lastWinIndex(i); k >= 0 {
		return int(c.closed[k].round)
	}
	return 0
}

// Withdraw pays member what it can take at time at and returns the amount paid. The
// entitlement is the member's balance: credit plus discount share less the dues so far
// (C x r for the open round r, so after a close the next round's contribution is
// withheld), or, for a member carrying a debt, less the pots it holds; such a member may
// withdraw only after the end, when the pot it holds is released and its dues stand as
// every member's do. After the end the balance is also net of the member's part of any
// shortfall allocated by the rules' [LossPolicy], so withdrawals in any order pay the
// same amounts. The payment is limited to the
// free cash, cash less the fees reserved: a larger entitlement is paid in part (the event
// records both).
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrInDebt], [ErrNothingToWithdraw], [ErrNoCash].
func (c *Circle) Withdraw(at time.Time, member token.Account) (token.Amount, error) {
	const op = "Withdraw"
	ns, i, err := c.seatCommand(op, at, member)
	if err != nil {
		return token.Amount{}, err
	}
	if c.halted {
		return token.Amount{}, c.stateErr(op, member, at, ErrHalted)
	}
	a := c.terms.asset
	m := &c.members[i]
	entitled, neg := c.balance(i)
	if m.debtPots > 0 && !c.ended {
		return token.Amount{}, &Error{Op: op, Account: member, Round: c.open.number, At: at,
			Detail: fmt.Sprintf("%s holds %s won in debt; it may withdraw after the end", member, c.held(i).amount(a)), Err: ErrInDebt}
	}
	if neg || entitled.isZero() {
		detail := member.String() + "'s balance is zero"
		if neg {
			detail = fmt.Sprintf("%s owes %s", member, entitled.amount(a))
		}
		return token.Amount{}, &Error{Op: op, Account: member, Amount: c.signed(entitled, neg), Round: c.open.number, At: at,
			Detail: detail, Err: ErrNothingToWithdraw}
	}
	free := c.books.free()
	if free.isZero() {
		return token.Amount{}, &Error{Op: op, Account: member, Amount: entitled.amount(a), Limit: free.amount(a), Round: c.open.number, At: at,
			Detail: fmt.Sprintf("%s is owed %s, but the cash held is reserved for fees", member, entitled.amount(a)), Err: ErrNoCash}
	}
	paid := entitled
	if free.cmp(entitled) < 0 {
		paid = free
	}
	m.withdrawn = m.withdrawn.add(paid)
	c.books.withdrawals = c.books.withdrawals.add(paid)
	c.log.record(&rec{at: ns, kind: evWithdrawal, seat: i, round: c.open.number, amount: paid, entitled: entitled},
		&c.terms.contribution)
	return paid.amount(a), nil
}
