package rosca

import (
	"math/big"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// member is a member's state, in minor units.
type member struct {
	acct      token.Account
	withdrawn big.Int
	won       big.Int // net winnings credited (RF(bid)), plus remainders credited to the winner
	credit    big.Int // contributed - withdrawn + won: the reference contract's credit (contributed is derived)
	off       big.Int // ShareOthers: quotients of the rounds it won; ShareUnpaid: share frozen so far
	base      big.Int // ShareUnpaid: the running quotient sum when its current live span began
	debtPots  int     // pots won through the delinquent draw and not cleared (the contract's debt flag)
	wonEpoch  int     // the epoch of its last win, 0 if none
	wins      int
}

// Circle is a running lending circle: its members, rounds, cash and event log. Build it
// with [New] (or [Replay]); drive it with the commands, each of which takes the time; read
// it with the queries. Every amount is held in integer minor units of the config's asset.
//
// A rejected command returns a typed error and leaves the circle exactly as it was; an
// accepted one appends one event. A Circle is not safe for concurrent use, queries
// included (they share internal scratch values).
type Circle struct {
	cfg      Config
	n        int
	rounds   int // total rounds, n x epochs
	decimals int
	feeNum   big.Int
	feeDen   big.Int
	feeKeep  big.Int // den - num
	minBidN  big.Int
	minBidD  big.Int
	nextN    big.Int
	nextD    big.Int
	zero     decimal.Decimal
	pows     [2*token.MaxDecimals + 1]big.Int // pows[k] = 10^k, filled on first use
	lastCoef int64                            // the last amount converted by units: coefficient, exponent, units
	lastExp  int32
	lastUnit big.Int
	minSec   int64
	maxSec   int64

	contribution big.Int // C
	pot          big.Int // P = C x n
	rfPot        big.Int // RF(P)
	minBid       big.Int // floor(P x MinBid)
	nBig         big.Int

	index   map[token.Account]int
	members []member

	round       int // open round, 1-based across epochs; the last round after the end
	epoch       int // 1-based
	unpaid      int // members who have not won in this epoch
	due         big.Int
	ended       bool
	haltEnabled bool
	halted      bool
	leader      int // seat of the lowest bidder, -1 if none
	lastSeat    int // the seat last looked up (a lookup hint, not state)
	lowest      big.Int
	lastAt      int64 // unix nanoseconds of the last event

	contributions big.Int
	withdrawals   big.Int
	feeNominal    big.Int // floor(K x P x num/den) after K closes: fees withheld from pots
	feesReserved  big.Int
	feesPaid      big.Int
	remKept       big.Int // remainders kept for the end-of-circle disposal
	carry         big.Int // remainder carried into the next round's discount
	remPaid       big.Int
	pool          big.Int // ShareAll: every discount, undivided
	share         big.Int // ShareAll: floor(pool/n)
	shareSum      big.Int // ShareOthers and ShareUnpaid: running sum of per-member quotients
	debtPots      int     // sum of members' debtPots
	lastWinner    int

	results []roundRec
	log     eventLog
	extras  []extra

	t1, t2, t3, t4, rem big.Int    // scratch
	slab                []big.Word // room for round amounts, see back
}

// New validates cfg and returns the circle at its start: round 1 open, nothing paid.
func New(cfg Config) (*Circle, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.clone()
	c := &Circle{cfg: cfg, n: len(cfg.Members), decimals: cfg.Asset.Decimals()}
	c.rounds = c.n * cfg.Epochs
	c.feeNum.SetInt64(cfg.Fee.Num())
	c.feeDen.SetInt64(cfg.Fee.Den())
	c.feeKeep.Sub(&c.feeDen, &c.feeNum)
	c.minBidN.SetInt64(cfg.Rules.MinBid.Num())
	c.minBidD.SetInt64(cfg.Rules.MinBid.Den())
	c.nextN.SetInt64(cfg.Rules.NextBid.Num())
	c.nextD.SetInt64(cfg.Rules.NextBid.Den())
	c.zero = cfg.Asset.FromInt64Units(0)
	c.minSec = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	c.maxSec = time.Date(2251, 1, 1, 0, 0, 0, 0, time.UTC).Unix() - 1
	u, _ := cfg.Asset.Units(cfg.Contribution) // validated
	c.contribution.Set(u)
	c.nBig.SetInt64(int64(c.n))
	c.pot.Mul(&c.contribution, &c.nBig)
	c.removeFees(&c.rfPot, &c.pot)
	c.minBid.Mul(&c.pot, &c.minBidN)
	c.minBid.Quo(&c.minBid, &c.minBidD) // floor: the threshold is rounded down (D6) ...
	if c.minBid.Sign() == 0 {
		c.minBid.SetInt64(1) // ... but a bid is at least one minor unit
	}
	c.index = make(map[token.Account]int, c.n)
	c.members = make([]member, c.n)
	// Back every member's running amounts with room for two words (up to 2^128 minor
	// units) from one slab, so that paying in and out does not allocate per member.
	const words = 2
	slab := make([]big.Word, c.n*3*words)
	for i, a := range cfg.Members {
		c.index[a] = i
		m := &c.members[i]
		m.acct = a
		for k, x := range [3]*big.Int{&m.withdrawn, &m.won, &m.credit} {
			o := (i*3 + k) * words
			x.SetBits(slab[o : o : o+words])
		}
	}
	c.round, c.epoch, c.unpaid = 1, 1, c.n
	// Room for the events of a circle where everyone pays every round, up to one chunk.
	c.log.cur = make([]rec, 0, min(chunkSize, c.rounds*(c.n+4)))
	c.results = make([]roundRec, 0, min(c.rounds, 1024))
	c.due.Set(&c.contribution)
	c.leader, c.lastWinner, c.lastSeat = -1, -1, -1
	// Commands may come before the start, as in the reference contract (§1.4); only the
	// time order of the log is enforced.
	c.lastAt = time.Unix(c.minSec, 0).UnixNano()
	return c, nil
}

// removeFees sets dst to the reference contract's RF(x) = floor(x*(den-num)/den), the net
// after the fee, rounded down (the fee side is rounded up); it equals the net of
// [fees.Rate.NetFloorUnits] without allocating. dst may alias x.
func (c *Circle) removeFees(dst, x *big.Int) *big.Int {
	dst.Mul(x, &c.feeKeep)
	return dst.Quo(dst, &c.feeDen) // x >= 0: Quo is floor
}

// Config returns a copy of the circle's config.
func (c *Circle) Config() Config { return c.cfg.clone() }

// checkTime validates at and returns it in unix nanoseconds.
func (c *Circle) checkTime(op string, at time.Time) (int64, error) {
	sec := at.Unix()
	if sec < c.minSec || sec > c.maxSec {
		return 0, &TimeError{Op: op, At: at, Earliest: time.Unix(0, c.lastAt).UTC(), Err: ErrTimeBackwards}
	}
	ns := at.UnixNano()
	if ns < c.lastAt {
		return 0, &TimeError{Op: op, At: at, Earliest: time.Unix(0, c.lastAt).UTC(), Err: ErrTimeBackwards}
	}
	return ns, nil
}

// seat returns the seat of member a. Members often come in seat order, so the seat after
// the last one found is tried before the map.
func (c *Circle) seat(op string, a token.Account) (int, error) {
	if g := c.lastSeat + 1; g < c.n && c.members[g].acct == a {
		c.lastSeat = g
		return g, nil
	}
	i, ok := c.index[a]
	if ok {
		c.lastSeat = i
	}
	if !ok {
		return 0, &AccessError{Op: op, Account: a, Err: ErrNotMember}
	}
	return i, nil
}

func (c *Circle) stateErr(op string, err error) error {
	return &StateError{Op: op, Round: c.round, Err: err}
}

// running reports the error for a command that needs a running, unhalted circle.
func (c *Circle) running(op string) error {
	if c.halted {
		return c.stateErr(op, ErrHalted)
	}
	if c.ended {
		return c.stateErr(op, ErrEnded)
	}
	return nil
}

// units writes amount in minor units to dst and reports whether it is a positive amount on
// the minor unit. The common case (a coefficient of at most 18 digits) does not allocate;
// the conversion of the previous amount is remembered (by value), so a circle paid the
// same amount again and again converts it once.
func (c *Circle) units(dst *big.Int, amount decimal.Decimal) bool {
	if amount.Sign() <= 0 {
		return false
	}
	exp := amount.Exponent()
	shift := int(exp) + c.decimals
	if amount.NumDigits() <= 18 {
		v := amount.CoefficientInt64()
		if v == c.lastCoef && exp == c.lastExp && c.lastUnit.Sign() > 0 {
			dst.Set(&c.lastUnit)
			return true
		}
		switch {
		case shift >= 0 && shift <= 2*token.MaxDecimals:
			p := &c.pows[shift]
			if p.Sign() == 0 {
				p.Exp(big.NewInt(10), big.NewInt(int64(shift)), nil)
			}
			dst.SetInt64(v)
			dst.Mul(dst, p)
		case shift < 0 && shift >= -18:
			p := int64(1)
			for range -shift {
				p *= 10
			}
			if v%p != 0 {
				return false
			}
			dst.SetInt64(v / p)
		case shift < 0:
			return false // 0 < v < 10^18 <= 10^-shift: finer than the minor unit
		default:
			goto slow
		}
		c.lastCoef, c.lastExp = v, exp
		c.lastUnit.Set(dst)
		return true
	}
slow:
	if c.cfg.Asset.CheckPositive(amount) != nil {
		return false
	}
	u, err := c.cfg.Asset.Units(amount)
	if err != nil {
		return false
	}
	dst.Set(u)
	return true
}

func (c *Circle) amountErr(op string, m token.Account, amount decimal.Decimal) error {
	err := c.cfg.Asset.CheckPositive(amount)
	if err == nil {
		err = &token.AmountError{Asset: c.cfg.Asset, Amount: amount, Err: token.ErrSubUnitAmount}
	}
	return &AmountError{Op: op, Member: m, Amount: amount, Cause: err}
}

// shareOf sets dst to member i's discount share.
func (c *Circle) shareOf(dst *big.Int, i int) *big.Int {
	m := &c.members[i]
	switch c.cfg.Rules.Sharing {
	case ShareOthers:
		return dst.Sub(&c.shareSum, &m.off)
	case ShareUnpaid:
		if m.wonEpoch == c.epoch {
			return dst.Set(&m.off)
		}
		dst.Sub(&c.shareSum, &m.base)
		return dst.Add(dst, &m.off)
	}
	return dst.Set(&c.share)
}

// utc sets dst to member i's total credit: credit plus discount share (userTotalCredit).
func (c *Circle) utc(dst *big.Int, i int) *big.Int {
	c.shareOf(dst, i)
	return dst.Add(dst, &c.members[i].credit)
}

// held sets dst to the pots member i won through the delinquent draw and has not cleared.
func (c *Circle) held(dst *big.Int, i int) *big.Int {
	switch k := c.members[i].debtPots; k {
	case 0:
		return dst.SetInt64(0)
	case 1:
		return dst.Set(&c.rfPot)
	default:
		return dst.Mul(&c.rfPot, dst.SetInt64(int64(k)))
	}
}

// dueOf sets dst to what is withheld from member i for its dues: C x r for the open round
// r, except for a debtor after the end, whose dues are waived (reference §1.9).
func (c *Circle) dueOf(dst *big.Int, i int) *big.Int {
	if c.ended && c.members[i].debtPots > 0 {
		return dst.SetInt64(0)
	}
	return dst.Set(&c.due)
}

// balance sets dst to member i's signed balance: utc - held - due. Positive is what a
// withdrawal would pay (liquidity permitting), negative is owed.
func (c *Circle) balance(dst *big.Int, i int) *big.Int {
	c.utc(dst, i)
	dst.Sub(dst, c.held(&c.t4, i))
	return dst.Sub(dst, c.dueOf(&c.t4, i))
}

// dec converts minor units to an amount (decimals are immutable, so zero is shared).
func (c *Circle) dec(u *big.Int) decimal.Decimal {
	switch {
	case u.Sign() == 0:
		return c.zero
	case u.IsInt64():
		return c.cfg.Asset.FromInt64Units(u.Int64())
	}
	return c.cfg.Asset.FromUnits(u)
}

// cashOf sets dst to the cash held: contributions - withdrawals - fees paid - remainder paid.
func (c *Circle) cashOf(dst *big.Int) *big.Int {
	dst.Sub(&c.contributions, &c.withdrawals)
	dst.Sub(dst, &c.feesPaid)
	return dst.Sub(dst, &c.remPaid)
}

// free sets dst to the cash a withdrawal may take: the cash less the fees reserved.
func (c *Circle) free(dst *big.Int) *big.Int {
	c.cashOf(dst)
	return dst.Sub(dst, &c.feesReserved)
}

// contributedOf sets dst to what member i paid in: credit + withdrawn - won.
func (c *Circle) contributedOf(dst *big.Int, i int) *big.Int {
	m := &c.members[i]
	dst.Add(&m.credit, &m.withdrawn)
	return dst.Sub(dst, &m.won)
}

// memberCommand runs the checks shared by the commands a member gives to a running circle
// (contribute, bid): time order, membership, not halted, not ended. It returns the time in
// Unix nanoseconds and the member's seat.
func (c *Circle) memberCommand(op string, at time.Time, member token.Account) (ns int64, seat int, err error) {
	if ns, err = c.checkTime(op, at); err != nil {
		return 0, 0, err
	}
	if seat, err = c.seat(op, member); err != nil {
		return 0, 0, err
	}
	if err = c.running(op); err != nil {
		return 0, 0, err
	}
	return ns, seat, nil
}

// Contribute records amount paid in by member at time at. The amount must be positive and
// on the minor unit; any amount is accepted (an overpayment stays as credit for later
// rounds and can be withdrawn, §1.17). A member carrying a debt is cleared when its
// contributions and discount share, without the pots it holds, cover the dues so far
// (§1.5); the flag is re-evaluated only here.
//
// Errors: [ErrTimeBackwards], [ErrNotMember], [ErrHalted], [ErrEnded], [ErrInvalidAmount].
func (c *Circle) Contribute(at time.Time, member token.Account, amount decimal.Decimal) error {
	const op = "contribute"
	ns, i, err := c.memberCommand(op, at, member)
	if err != nil {
		return err
	}
	if !c.units(&c.t1, amount) {
		return c.amountErr(op, member, amount)
	}
	m := &c.members[i]
	m.credit.Add(&m.credit, &c.t1)
	c.contributions.Add(&c.contributions, &c.t1)
	if m.debtPots > 0 {
		c.utc(&c.t2, i)
		c.t2.Sub(&c.t2, c.held(&c.t3, i))
		if c.t2.Cmp(&c.due) >= 0 {
			c.debtPots -= m.debtPots
			m.debtPots = 0
		}
	}
	c.record(mkRec(ns, evContribution, i, c.round, 0), &c.t1)
	c.lastAt = ns
	return nil
}

// maxBid sets dst to the largest acceptable bid: the pot if there is no bid yet, else
// floor(lowest x NextBid) (D7: the cap is rounded down).
func (c *Circle) maxBid(dst *big.Int) *big.Int {
	if c.leader < 0 {
		return dst.Set(&c.pot)
	}
	dst.Mul(&c.lowest, &c.nextN)
	dst.QuoRem(dst, &c.nextD, &c.rem) // floor: lowest >= 0
	return dst
}

// Bid records member's bid of amount (what it would take from the pot) in the open round
// of a bidding circle. The bidder must not have won in this epoch and must be in good
// standing (credit plus discount share at least the dues so far, C x r). The bid must be at
// least the minimum (floor(P x MinBid)) and at most the pot for the first bid, at most
// floor(lowest x NextBid) after that; ties go to the first bidder. The leader may undercut
// its own bid. The reference contract silently ignored a bid above the cap; here it is
// [ErrBidTooHigh] and nothing changes.
//
// Errors: [ErrTimeBackwards], [ErrNotMember], [ErrHalted], [ErrEnded], [ErrNotBidding],
// [ErrInvalidAmount], [ErrAlreadyWon], [ErrNotInGoodStanding], [ErrBidTooLow], [ErrBidTooHigh].
func (c *Circle) Bid(at time.Time, member token.Account, amount decimal.Decimal) error {
	const op = "bid"
	ns, i, err := c.memberCommand(op, at, member)
	if err != nil {
		return err
	}
	if c.cfg.Kind != Bidding {
		return c.stateErr(op, ErrNotBidding)
	}
	if !c.units(&c.t1, amount) {
		return c.amountErr(op, member, amount)
	}
	if c.members[i].wonEpoch == c.epoch {
		return &BidError{Member: member, Round: c.round, Bid: amount, Err: ErrAlreadyWon}
	}
	if c.utc(&c.t2, i).Cmp(&c.due) < 0 {
		return &BidError{Member: member, Round: c.round, Bid: amount, Limit: c.dec(&c.due), Credit: c.dec(&c.t2), Err: ErrNotInGoodStanding}
	}
	if c.t1.Cmp(&c.minBid) < 0 {
		return &BidError{Member: member, Round: c.round, Bid: amount, Limit: c.dec(&c.minBid), Err: ErrBidTooLow}
	}
	if c.t1.Cmp(c.maxBid(&c.t3)) > 0 {
		return &BidError{Member: member, Round: c.round, Bid: amount, Limit: c.dec(&c.t3), Err: ErrBidTooHigh}
	}
	c.lowest.Set(&c.t1)
	c.leader = i
	c.record(mkRec(ns, evBid, i, c.round, 0), &c.t1)
	c.lastAt = ns
	return nil
}

// Withdraw pays member what it can take at time at and returns the amount paid. The
// entitlement is the member's balance: credit plus discount share less the dues so far
// (C x r for the open round r, so after a close the next round's contribution is withheld,
// §1.17), or, for a member carrying a debt, less the pots it holds; such a member may
// withdraw only after the end, when its dues are waived (§1.9). The payment is limited to
// the free cash, cash less the fees reserved: a larger entitlement is paid in part (the
// event records both).
//
// Errors: [ErrTimeBackwards], [ErrNotMember], [ErrHalted], [ErrInDebt],
// [ErrNothingToWithdraw], [ErrNoCash].
func (c *Circle) Withdraw(at time.Time, member token.Account) (decimal.Decimal, error) {
	const op = "withdraw"
	ns, err := c.checkTime(op, at)
	if err != nil {
		return decimal.Decimal{}, err
	}
	i, err := c.seat(op, member)
	if err != nil {
		return decimal.Decimal{}, err
	}
	if c.halted {
		return decimal.Decimal{}, c.stateErr(op, ErrHalted)
	}
	m := &c.members[i]
	entitled := c.balance(&c.t1, i)
	if m.debtPots > 0 && !c.ended {
		return decimal.Decimal{}, &WithdrawError{Member: member, Entitled: c.dec(entitled), Available: c.dec(c.free(&c.t2)), Err: ErrInDebt}
	}
	if entitled.Sign() <= 0 {
		return decimal.Decimal{}, &WithdrawError{Member: member, Entitled: c.dec(entitled), Available: c.dec(c.free(&c.t2)), Err: ErrNothingToWithdraw}
	}
	avail := c.free(&c.t2)
	if avail.Sign() <= 0 {
		return decimal.Decimal{}, &WithdrawError{Member: member, Entitled: c.dec(entitled), Available: c.dec(avail), Err: ErrNoCash}
	}
	amt := &c.t3
	if avail.Cmp(entitled) < 0 {
		amt.Set(avail)
	} else {
		amt.Set(entitled)
	}
	m.credit.Sub(&m.credit, amt)
	m.withdrawn.Add(&m.withdrawn, amt)
	c.withdrawals.Add(&c.withdrawals, amt)
	paid := c.dec(amt)
	lo, hi := c.pack(entitled)
	c.extras = append(c.extras, extra{lo: lo, hi: hi})
	c.record(mkRec(ns, evWithdrawal, i, c.round, len(c.extras)-1), amt)
	c.lastAt = ns
	return paid, nil
}
