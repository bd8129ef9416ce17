package rosca

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// Method is how a round's winner was chosen.
type Method string

// The methods.
const (
	// ByBid: the lowest bid.
	ByBid Method = "bid"
	// ByDraw: the seeded draw (a lottery round, or a bidding round without bids).
	ByDraw Method = "draw"
	// ByLot: the lowest bid, equal bids tied under [TieByLot]: drawn among the tied.
	ByLot Method = "lot"
	// ByOrganizer: the foreperson's round ([Rules.Organizer]).
	ByOrganizer Method = "organizer"
	// BySeat: the fixed order.
	BySeat Method = "seat"
)

// RemainderTo says where a round's remainder went.
type RemainderTo string

// The destinations of a round's remainder.
const (
	// ToBucket: kept in the remainder bucket for the end-of-circle disposal.
	ToBucket RemainderTo = "bucket"
	// ToNextRound: carried into the next round's discount.
	ToNextRound RemainderTo = "next_round"
	// ToWinner: credited to the round's winner.
	ToWinner RemainderTo = "winner"
)

// roundRec is a closed round, in minor units.
type roundRec struct {
	round, epoch int
	winner       int
	method       methodCode
	drawStart    int // ByDraw: the drawn start position among the candidates
	candidates   int // ByDraw: members who had not won in the epoch
	debt         bool
	recipients   int
	remTo        remainderCode
	bid          units     // gross winning bid (the pot without a bid): what the winner takes
	winnings     units     // RF(bid), credited to the winner
	carriedIn    units     // remainder carried in from the previous round
	discount     units     // RF(pot - bid) + carriedIn: what the members share
	shareEach    units     // what each recipient got (ShareAll: floor(discount/n), informational)
	fee          units     // fees withheld: floor(R*P*f) - floor((R-1)*P*f)
	dust         units     // pot - winnings - RF(pot - bid) - fee, in [0, 2]
	divRem       units     // discount - shareEach x recipients (0 under ShareAll)
	feesReserved units     // the reserve after the close
	x            *roundExt // the rarer figures, nil while they are all zero
}

// roundExt is what few rounds carry: a second-price bid, the platform's fee, the end's
// shortfall, late fees and the external hui's interests.
type roundExt struct {
	offered    units        // PriceSecondBid: the winner's own bid
	platform   units        // the platform's fee, taken from the winnings
	shortfall  units        // the last round: the shortfall allocated at the end
	losses     []LossLine   // the last round: its allocation
	late       []lateCharge // the late fees charged at the close
	covered    []lateCharge // the late fees outstanding that the members' own credit covered at the close (fee only)
	interest   units        // BidInterestExternal: the winner's interest, due from it in the epoch's later rounds
	interestIn units        // BidInterestExternal: the interests of the members who won before, credited to the winner
}

// noRoundExt is the figures of a round without any: read, never written.
var noRoundExt roundExt

// rd returns rr's rarer figures for reading: zero when it has none.
func (rr *roundRec) rd() *roundExt {
	if rr.x == nil {
		return &noRoundExt
	}
	return rr.x
}

// wr returns rr's rarer figures for writing, allocating them at the first write.
func (rr *roundRec) wr() *roundExt {
	if rr.x == nil {
		rr.x = new(roundExt)
	}
	return rr.x
}

// CloseRound closes the open round at time at, which must be at or after its deadline
// (Start + r x Period): it picks the winner (lowest bid; else the seeded draw, or the
// seat for a fixed-order circle), credits RF(bid) to it, shares the discount RF(pot - bid),
// places the round's remainder, recomputes the fee reserve and opens the next round (or
// ends the circle after the last one). Anyone may close a round; several overdue rounds
// can be closed one after another at the same time.
//
// The fee reserve is recomputed as the reference contract does at each close:
// floor(base x fee), base = C x r x n less every member's shortfall below C x r (plus the
// pots it holds), then limited to the cash held, so that it can never lock withdrawals
// (the contract's reserve could exceed its balance and refuse every withdrawal).
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrHalted],
// [ErrEnded], [ErrTooEarly].
func (c *Circle) CloseRound(at time.Time) (res RoundResult, err error) {
	const op = "CloseRound"
	if c.terms == nil {
		return RoundResult{}, uninitialized(op)
	}
	ns, err := c.checkTime(op, "", at)
	if err != nil {
		return RoundResult{}, err
	}
	if err := c.running(op, "", at); err != nil {
		return RoundResult{}, err
	}
	t := c.terms
	if dl := t.cfg.Deadline(c.open.number); ns < dl.UnixNano() {
		return RoundResult{}, &Error{Op: op, Round: c.open.number, At: at,
			Detail: fmt.Sprintf("round %d closes from %s", c.open.number, formatTime(dl)), Err: ErrTooEarly}
	}
	// Pick the winner: the draw is always derived from the seed, also in Replay, so that
	// whoever writes a log cannot choose the lottery's winners.
	rr := roundRec{round: c.open.number, epoch: c.open.epoch, winner: -1}
	switch a := c.allocation(); {
	case a.Method == AllocateOrganizer:
		rr.winner, rr.method, rr.bid = t.foreperson, byOrganizer, t.pot
		rr.debt = !c.goodStanding(t.foreperson)
	case a.Method == AllocateSeat:
		rr.winner, rr.method = a.Seat, bySeat
		rr.bid = t.noBidTake
		// A reserved seat wins in debt when not in good standing; a fixed-order circle's
		// seats, as the reference contract's, never do.
		rr.debt = t.cfg.Kind != FixedOrder && !c.goodStanding(a.Seat)
	case a.Method == AllocateAuction && c.open.leader >= 0:
		c.auctionWinner(&rr)
	case a.Method == AllocateAuction && t.cfg.Rules.NoBid == NoBidFirstUnpaid:
		rr.method = bySeat
		rr.winner, rr.debt = c.pickDrawn(0)
		rr.bid = t.noBidTake
	default:
		rr.method = byDraw
		rr.candidates = c.drawable()
		rr.drawStart = c.draw(c.open.number, rr.candidates)
		rr.winner, rr.debt = c.pickDrawn(rr.drawStart)
		rr.bid = t.noBidTake
	}
	c.settleRound(&rr)
	c.keep(&rr)
	c.record(evRoundClosed, ns, rr.winner, rr.round, units{})
	c.resultInto(len(c.closed)-1, &rr, &res) // in place: no copy of the result on return
	return res, nil
}

// auctionWinner decides a round with bids: the lowest bid (a tie under TieByLot drawn
// among the tied bidders), at the price the rules' [PricePolicy] sets.
func (c *Circle) auctionWinner(rr *roundRec) {
	t, o := c.terms, &c.open
	rr.winner, rr.method, rr.bid = o.leader, byBid, o.lowest
	if t.cfg.Rules.Ties == TieByLot && len(o.tied) > 1 {
		rr.method, rr.candidates = byLot, len(o.tied)
		rr.drawStart = c.draw(rr.round, len(o.tied))
		rr.winner = o.tied[rr.drawStart]
	}
	if t.cfg.Rules.Price == PriceSecondBid {
		rr.wr().offered = rr.bid
		rr.bid = t.maxFirst // nobody else bid: the largest acceptable bid
		if o.others {
			rr.bid = o.second
		}
	}
}

// draw returns a start position in [0, k) drawn from the seed and the round: a ChaCha8
// stream keyed by the seed with its last 8 bytes XORed with the round number (little
// endian), read as uint64 values and mapped by rejection sampling (values at or above the
// largest multiple of k below 2^64 are redrawn; the rest are taken modulo k), so the draw
// is uniform and does not depend on the Go version's IntN.
func (c *Circle) draw(round, k int) int {
	key := [32]byte(c.seed)
	x := binary.LittleEndian.Uint64(key[24:]) ^ uint64(round)
	binary.LittleEndian.PutUint64(key[24:], x)
	if c.rng == nil {
		c.rng = new(rand.ChaCha8)
	}
	src := c.rng // reseeded for each draw: a draw allocates nothing
	src.Seed(key)
	n := uint64(k)
	rem := (^uint64(0)%n + 1) % n // 2^64 mod k
	for {
		v := src.Uint64()
		if v <= ^uint64(0)-rem {
			return int(v % n)
		}
	}
}

// pickDrawn scans the members who have not won in the epoch, in seat order, from the
// candidate at position start (cyclically): the first in good standing wins; if none is,
// the last one scanned wins with a debt.
func (c *Circle) pickDrawn(start int) (winner int, debt bool) {
	cands := make([]int, 0, c.open.unpaid)
	for i := range c.members {
		if c.members[i].wonEpoch != c.open.epoch && !c.reservedLater(i) {
			cands = append(cands, i)
		}
	}
	k := len(cands)
	for j := range k {
		if i := cands[(start+j)%k]; c.goodStanding(i) {
			return i, false
		}
	}
	return cands[(start+k-1)%k], true
}

// settleRound credits the winner, shares the discount, places the remainder, recomputes
// the fee reserve and opens the next round (see advance).
func (c *Circle) settleRound(rr *roundRec) {
	t, b := c.terms, &c.books
	w := &c.members[rr.winner]
	var disc units
	switch {
	case rr.method == byOrganizer: // the whole pot, no fee
		rr.winnings = t.pot
	case t.cfg.Rules.Fee.commission(): // the commission out of the discount or the prize
		b.feeRounds++
		rr.fee = t.commission
		b.feesWithheld = b.feesWithheld.add(rr.fee)
		rr.winnings, disc = rr.bid, t.pot.sub(rr.bid).sub(rr.fee)
		if t.cfg.Rules.Fee == FeeCommissionFromPrize {
			rr.winnings, disc = rr.bid.sub(rr.fee), t.pot.sub(rr.bid)
		}
	default:
		// Fee withheld: the increment of floor(R x P x f), rounded down, R counting the
		// rounds that carry the fee.
		b.feeRounds++
		withheld := t.feeOn(t.pot.mul(uint64(b.feeRounds)))
		rr.fee = withheld.sub(b.feesWithheld)
		b.feesWithheld = withheld
		// Winnings RF(bid) and discount RF(P - bid), each rounded down.
		if rr.bid.cmp(t.pot) == 0 { // the whole pot, and no discount: RF(P), computed once
			rr.winnings = t.rfPot
		} else {
			rr.winnings, disc = t.net(rr.bid), t.net(t.pot.sub(rr.bid))
		}
	}
	if t.cfg.Rules.BidForm == BidInterestExternal {
		c.externalInterest(rr, w)
		disc = units{}
	}
	rr.dust = t.pot.sub(rr.winnings).sub(disc).sub(rr.fee)
	rr.carriedIn, b.carry = b.carry, units{}
	rr.discount = disc.add(rr.carriedIn)

	var platform units // the platform's fee, at most the winnings
	if !t.platform.isZero() {
		platform = minUnits(t.platform, rr.winnings)
		rr.wr().platform = platform
		b.platform = b.platform.add(platform)
	}
	w.won = w.won.add(rr.winnings.sub(platform))
	w.wins++
	if t.cfg.Rules.Sharing == ShareUnpaid {
		// Freeze the winner's live share before this round's quotient is added.
		s := &c.spans[rr.winner]
		s.off = s.off.add(b.shareSum.sub(s.base))
	}
	w.wonEpoch = c.open.epoch
	c.open.unpaid--
	if rr.debt {
		w.debtPots++
		x := w.wr()
		x.heldSum = x.heldSum.add(rr.winnings.sub(platform))
		b.debtPots++
	}
	b.lastWinner = rr.winner
	c.shareDiscount(rr, w)
	c.placeRemainder(rr, w)
	c.chargeLateFees(rr)
	c.coverLate(rr)
	c.recomputeFees()
	rr.feesReserved = b.feesReserved
	c.advance(rr)
}

// advance opens the round after rr, or ends the circle after the last one: the end covers
// the late fees that the pots held for debtors now pay and allocates any shortfall.
func (c *Circle) advance(rr *roundRec) {
	t, b := c.terms, &c.books
	c.open.leader, c.open.lowest, c.open.second, c.open.others, c.open.tied = -1, units{}, units{}, false, c.open.tied[:0]
	c.open.seals = c.open.seals[:0] // seals not revealed bid nothing
	if c.open.number == t.rounds {
		c.ended = true
		c.coverLate(rr) // the pots held for debtors are theirs again
		c.allocateLoss(rr)
		return
	}
	c.open.number++
	c.open.due = c.open.due.add(t.contribution)
	if (c.open.number-1)%t.n == 0 {
		c.open.epoch++
		c.open.unpaid = t.n
		if b.x != nil {
			b.x.interests = units{} // a new epoch: every member is live again
		}
		if t.cfg.Rules.Sharing == ShareUnpaid {
			for i := range c.spans {
				c.spans[i].base = b.shareSum
			}
		}
	}
}

// shareDiscount shares the round's discount among its recipients.
func (c *Circle) shareDiscount(rr *roundRec, w *member) {
	t, b := c.terms, &c.books
	switch t.cfg.Rules.Sharing {
	case ShareEach:
		rr.recipients = t.n
		var r uint64
		rr.shareEach, r = rr.discount.quo(uint64(t.n)) // floor; the rest is the round's remainder
		rr.divRem = unitsOf(r)
		b.shareSum = b.shareSum.add(rr.shareEach)
	case ShareAll:
		b.pool = b.pool.add(rr.discount)
		b.share, _ = b.pool.quo(uint64(t.n)) // floor: the pool's remainder stays undivided
		rr.recipients = t.n
		rr.shareEach, _ = rr.discount.quo(uint64(t.n)) // informational, like the contract's LogRoundFundsReleased
	case ShareOthers:
		rr.recipients = t.n - 1
		var r uint64
		rr.shareEach, r = rr.discount.quo(uint64(rr.recipients)) // floor; the rest is the round's remainder
		rr.divRem = unitsOf(r)
		b.shareSum = b.shareSum.add(rr.shareEach)
		s := &c.spans[rr.winner]
		s.off = s.off.add(rr.shareEach)
	case ShareUnpaid:
		rr.recipients = c.open.unpaid
		if rr.recipients == 0 {
			rr.divRem = rr.discount
			return
		}
		var r uint64
		rr.shareEach, r = rr.discount.quo(uint64(rr.recipients)) // floor; the rest is the round's remainder
		rr.divRem = unitsOf(r)
		b.shareSum = b.shareSum.add(rr.shareEach)
	}
}

// placeRemainder sends the round's remainder (dust and division remainder) where the rules say.
func (c *Circle) placeRemainder(rr *roundRec, w *member) {
	b := &c.books
	rem := rr.dust.add(rr.divRem)
	switch c.terms.cfg.Rules.Remainder {
	case RemainderToWinner:
		rr.remTo = toWinner
		w.won = w.won.add(rem)
	case RemainderCarry:
		if rr.round < c.terms.rounds {
			rr.remTo = toNextRound
			b.carry = rem
			return
		}
		fallthrough
	default:
		rr.remTo = toBucket
		b.remKept = b.remKept.add(rem)
	}
}

// recomputeFees sets the reserve as the reference contract's recalculateTotalFees does at
// each close, then limits it to the cash held. O(n). The limit is fixed until the next
// close: payments made meanwhile are free cash, withdrawable at once, where the contract
// refused every withdrawal until its balance covered its reserve again. The reserve
// therefore equals the contract's whenever the last close found the contract solvent.
func (c *Circle) recomputeFees() {
	t, b := c.terms, &c.books
	if t.cfg.Rules.Fee.commission() { // earned as withheld, within the cash
		b.feesReserved = minUnits(b.feesWithheld.sub(b.feesPaid).sub(b.rd().feesLost), b.cash())
		return
	}
	due := c.open.due
	var short units
	if fast, ok := c.shortfallFast(); ok {
		short = units{v: fast}
		if verifyShortfall && short.cmp(c.duesShortfall()) != 0 {
			panic("rosca: shortfallFast differs from duesShortfall")
		}
	} else {
		short = c.duesShortfall()
	}
	base := due.mul(uint64(t.n)).monus(short)
	b.feesReserved = t.feeOn(base)
	if cash := b.cash(); b.feesReserved.cmp(cash) > 0 {
		b.feesReserved = cash // never reserve more than is held
	}
}

// duesShortfall returns the sum of the members' shortfalls below their dues (plus the pots
// they hold, and their late fees, paid first): the part of the dues the fee is not charged
// on. The external hui's interests are owed between members, not to the pot: they are no
// part of it.
func (c *Circle) duesShortfall() units {
	due := c.open.due
	var short units
	for i := range c.members {
		need := c.members[i].withdrawn.add(due).add(c.held(i)).add(c.members[i].rd().late) // interests and late fees are no dues of the pot
		if have := c.has(i); have.cmp(need) < 0 {
			short = short.add(need.sub(have))
		}
	}
	return short
}

// verifyShortfall makes recomputeFees check shortfallFast against duesShortfall; the
// package's tests set it, so that every test and property suite checks the fast path.
var verifyShortfall bool

// shortfallFast is duesShortfall in 128-bit arithmetic for the common case, a circle sharing
// among all members whose figures fit; ok is false when it does not apply.
func (c *Circle) shortfallFast() (short uint128.U128, ok bool) {
	if c.terms.cfg.Rules.Sharing != ShareAll || c.open.due.b != nil || c.books.share.b != nil {
		return uint128.U128{}, false
	}
	due, share := c.open.due.v, c.books.share.v
	for i := range c.members {
		m := &c.members[i]
		if m.contributed.b != nil || m.won.b != nil || m.withdrawn.b != nil || m.rd().heldSum.b != nil || m.rd().late.b != nil {
			return uint128.U128{}, false
		}
		need, o1 := m.withdrawn.v.Add(due)
		if !m.rd().late.v.IsZero() {
			var o bool
			if need, o = need.Add(m.rd().late.v); o {
				return uint128.U128{}, false
			}
		}
		if m.debtPots > 0 && !c.ended {
			var o uint128.U128
			if o, o1 = need.Add(m.rd().heldSum.v); !o1 {
				need = o
			}
		}
		have, o2 := m.contributed.v.Add(m.won.v)
		have, o3 := have.Add(share)
		if o1 || o2 || o3 {
			return uint128.U128{}, false
		}
		if have.Cmp(need) < 0 {
			d, _ := need.Sub(have)
			if short, o1 = short.Add(d); o1 {
				return uint128.U128{}, false
			}
		}
	}
	return short, true
}

// RetrieveFees pays the fees reserved to the foreperson after the end (at once: the
// reference contract made it wait for nothing) and returns the amount (at most the cash
// held, since the reserve never exceeds it). The reference contract accepted a retrieval
// of nothing; here it is [ErrNothingToPay] and changes nothing.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards],
// [ErrNotForeperson], [ErrHalted], [ErrNotEnded], [ErrNothingToPay].
func (c *Circle) RetrieveFees(at time.Time, by token.Account) (token.Amount, error) {
	const op = "RetrieveFees"
	ns, err := c.endStep(op, at, by)
	if err != nil {
		return token.Amount{}, err
	}
	return c.payFeeLine(op, at, ns, by, &c.books.feesReserved, &c.books.feesPaid, "no fees are reserved", evFeesRetrieved, c.terms.foreperson)
}

// payFeeLine pays a fee line's reserve to by: it moves the reserve to the line's paid
// total and records the event of kind by seat (-1 for the operator), or refuses a reserve
// of nothing with [ErrNothingToPay] and the detail none.
func (c *Circle) payFeeLine(op string, at time.Time, ns int64, by token.Account, reserve, paid *units, none string, kind evKind, seat int) (token.Amount, error) {
	if reserve.isZero() {
		return token.Amount{}, &Error{Op: op, Account: by, Round: c.open.number, At: at, Detail: none, Err: ErrNothingToPay}
	}
	amt := *reserve
	*paid, *reserve = paid.add(amt), units{}
	c.record(kind, ns, seat, c.open.number, amt)
	return amt.amount(c.terms.asset), nil
}

// RetrievePlatformFee pays the platform's fee, taken from every round's winnings
// ([Config.PlatformFee]), to the operator after the end and returns the amount. Like the
// foreperson's fee it waits for the end, so that it ranks as the rules' [LossPolicy] says
// against the members' claims when members who owe never paid.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards],
// [ErrNotOperator], [ErrHalted], [ErrNotEnded], [ErrNothingToPay].
func (c *Circle) RetrievePlatformFee(at time.Time, by token.Account) (token.Amount, error) {
	const op = "RetrievePlatformFee"
	if c.terms == nil {
		return token.Amount{}, uninitialized(op)
	}
	ns, err := c.endStepBy(op, at, by, c.terms.cfg.Operator, ErrNotOperator)
	if err != nil {
		return token.Amount{}, err
	}
	return c.payFeeLine(op, at, ns, by, &c.books.platform, &c.books.platformPaid, "no platform fee is owed", evPlatformFeePaid, -1)
}

// endStep runs the checks of the foreperson's end-of-circle commands.
func (c *Circle) endStep(op string, at time.Time, by token.Account) (int64, error) {
	if c.terms == nil {
		return 0, uninitialized(op)
	}
	return c.endStepBy(op, at, by, c.terms.cfg.Foreperson, ErrNotForeperson)
}

// endStepBy runs the checks of an end-of-circle command that only who may give
// (otherwise the error wraps notWho).
func (c *Circle) endStepBy(op string, at time.Time, by, who token.Account, notWho error) (int64, error) {
	ns, err := c.checkTime(op, by, at)
	if err != nil {
		return 0, err
	}
	if by != who {
		return 0, &Error{Op: op, Account: by, At: at, Err: notWho}
	}
	if c.halted {
		return 0, c.stateErr(op, by, at, ErrHalted)
	}
	if !c.ended {
		return 0, c.stateErr(op, by, at, ErrNotEnded)
	}
	return ns, nil
}

// remainder returns the undistributed remainder: remainders kept and carried, the
// ShareAll pool's undivided units, less what was disposed of.
func (c *Circle) remainder() units {
	b := &c.books
	r := b.remKept.add(b.carry)
	if c.terms.cfg.Rules.Sharing == ShareAll {
		_, u := b.pool.quo(uint64(c.terms.n))
		r = r.add(unitsOf(u))
	}
	return r.sub(b.remPaid).sub(b.rd().remLost)
}

// owed returns the sum of the members' positive balances.
func (c *Circle) owed() units {
	var sum units
	for i := range c.members {
		if x, neg := c.balance(i); !neg {
			sum = sum.add(x)
		}
	}
	return sum
}

// DisposeRemainder pays the undistributed remainder after the end, the foreperson asking:
// to the foreperson under [RemainderToForeperson] and [RemainderCarry], to the last
// round's winner under [RemainderToWinner]. It pays at most the free cash (cash less the
// fees reserved and every member's positive balance), so it never takes what members may
// still withdraw; it returns the amount and the recipient. Unlike the reference contract's
// surplus sweep it takes nothing but the named remainder.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards],
// [ErrNotForeperson], [ErrHalted], [ErrNotEnded], [ErrNothingToPay].
func (c *Circle) DisposeRemainder(at time.Time, by token.Account) (token.Amount, token.Account, error) {
	const op = "DisposeRemainder"
	ns, err := c.endStep(op, at, by)
	if err != nil {
		return token.Amount{}, "", err
	}
	a := c.terms.asset
	rem := c.remainder()
	free, short := c.books.free().diff(c.owed())
	amt := rem
	if short {
		amt = units{}
	} else if free.cmp(amt) < 0 {
		amt = free
	}
	if amt.isZero() {
		detail := "no remainder is left"
		switch {
		case !rem.isZero() && short:
			detail = fmt.Sprintf("the remainder of %s is held back: the members are owed %s more than the free cash", rem.amount(a), free.amount(a))
		case !rem.isZero():
			detail = fmt.Sprintf("the remainder of %s is held back: the members are owed all the free cash", rem.amount(a))
		}
		return token.Amount{}, "", &Error{Op: op, Account: by, Amount: rem.amount(a), Round: c.open.number, At: at, Detail: detail, Err: ErrNothingToPay}
	}
	to := c.remainderTo()
	c.books.remPaid = c.books.remPaid.add(amt)
	c.record(evRemainderDisposed, ns, to, c.open.number, amt)
	return amt.amount(a), c.members[to].acct, nil
}

// EnableHalt lets the foreperson activate the emergency halt; only the config's operator
// may call it, at any time, once (the reference contract accepted repeats; here a repeat
// is [ErrHaltEnabled] and changes nothing).
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards],
// [ErrNotOperator], [ErrHaltEnabled].
func (c *Circle) EnableHalt(at time.Time, by token.Account) error {
	const op = "EnableHalt"
	if c.terms == nil {
		return uninitialized(op)
	}
	ns, err := c.checkTime(op, by, at)
	if err != nil {
		return err
	}
	if by != c.terms.cfg.Operator {
		return &Error{Op: op, Account: by, At: at, Err: ErrNotOperator}
	}
	if c.haltEnabled {
		return c.stateErr(op, by, at, ErrHaltEnabled)
	}
	c.haltEnabled = true
	c.record(evHaltEnabled, ns, -1, c.open.number, units{})
	return nil
}

// SettlementLine is one payment of an emergency settlement: a member's claim (its positive
// balance against the closed rounds' dues) or the foreperson's fee reserve (Fees true),
// and what it was paid. The zero SettlementLine has no account and no amounts.
type SettlementLine struct {
	Account  token.Account `json:"account"`
	Fees     bool          `json:"fees,omitempty"`
	Platform bool          `json:"platform,omitempty"` // the platform's fee, to the operator
	Claim    token.Amount  `json:"claim"`
	Paid     token.Amount  `json:"paid"`
}

// Equal reports whether two lines are the same.
func (l SettlementLine) Equal(m SettlementLine) bool {
	return l.Account == m.Account && l.Fees == m.Fees && l.Platform == m.Platform && l.Claim.Equal(m.Claim) && l.Paid.Equal(m.Paid)
}

// ActivateHalt stops the circle for good, the foreperson asking after the operator
// enabled it, and settles the cash held exactly. The claims are each member's balance
// against the dues of the rounds already closed (the open round is abandoned, so what was
// paid for it comes back), counted when positive, and the foreperson's fee reserve. The
// cash is divided by the largest remainder method (each line gets the floor of its exact
// share; the units left go one each to the largest fractional remainders, ties to the
// lower seat, the fee line last), so every unit is paid out: if the cash does not cover
// the claims, pro rata to all of them; otherwise the fee line gets its claim and the
// members share the rest pro rata to their claims (with no member claim, pro rata to what
// each paid in net), so a surplus goes to the members, never to the fee line. Each
// payment is recorded as that member's withdrawal (or as fees paid) and returned. After it
// every command is rejected with [ErrHalted]. The reference contract sent everything to
// the foreperson instead.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards],
// [ErrNotForeperson], [ErrHaltNotEnabled], [ErrHalted].
func (c *Circle) ActivateHalt(at time.Time, by token.Account) ([]SettlementLine, error) {
	const op = "ActivateHalt"
	if c.terms == nil {
		return nil, uninitialized(op)
	}
	ns, err := c.checkTime(op, by, at)
	if err != nil {
		return nil, err
	}
	if by != c.terms.cfg.Foreperson {
		return nil, &Error{Op: op, Account: by, At: at, Err: ErrNotForeperson}
	}
	if c.halted {
		return nil, c.stateErr(op, by, at, ErrHalted)
	}
	if !c.haltEnabled {
		return nil, c.stateErr(op, by, at, ErrHaltNotEnabled)
	}
	claims, parts := c.settlement()
	// Mutate only now.
	t, b := c.terms, &c.books
	lines := make([]SettlementLine, 0, t.n+1)
	for i := range c.members {
		m := &c.members[i]
		p := parts[i]
		if p.isZero() && claims[i].isZero() {
			continue
		}
		m.withdrawn = m.withdrawn.add(p)
		b.withdrawals = b.withdrawals.add(p)
		lines = append(lines, SettlementLine{Account: m.acct, Claim: claims[i].amount(t.asset), Paid: p.amount(t.asset)})
	}
	if p := parts[t.n]; !p.isZero() || !claims[t.n].isZero() {
		b.feesPaid = b.feesPaid.add(p)
		lines = append(lines, SettlementLine{Account: t.cfg.Foreperson, Fees: true, Claim: claims[t.n].amount(t.asset), Paid: p.amount(t.asset)})
	}
	if p := parts[t.n+1]; !p.isZero() || !claims[t.n+1].isZero() {
		b.platformPaid = b.platformPaid.add(p)
		b.wr().platformLost = b.rd().platformLost.add(claims[t.n+1].sub(p))
		lines = append(lines, SettlementLine{Account: t.cfg.Operator, Platform: true, Claim: claims[t.n+1].amount(t.asset), Paid: p.amount(t.asset)})
	}
	b.feesReserved, b.platform = units{}, units{}
	c.halted = true
	c.open.due = dueClosed(t, len(c.closed)) // the open round is abandoned: its dues are released
	c.log.settlements = append(c.log.settlements, lines)
	c.record(evHaltActivated, ns, c.terms.foreperson, c.open.number, units{})
	return append([]SettlementLine(nil), lines...), nil
}

// dueClosed returns the dues of k closed rounds, C x k.
func dueClosed(t *terms, k int) units { return t.contribution.mul(uint64(k)) }

// settlement returns the claims of an emergency settlement (the members' in seat order,
// then the foreperson's fee line and the platform's) and what each is paid. It changes
// nothing.
func (c *Circle) settlement() (claims, parts []units) {
	t, b := c.terms, &c.books
	dueClosed := dueClosed(t, len(c.closed))
	claims = make([]units, t.n+2)
	var sum units
	for i := range c.members {
		owes := c.members[i].withdrawn.add(c.held(i)).add(dueClosed).add(c.members[i].rd().lost).add(c.members[i].rd().late).add(c.members[i].rd().extra)
		claims[i] = c.has(i).monus(owes)
		sum = sum.add(claims[i])
	}
	claims[t.n], claims[t.n+1] = b.feesReserved, b.platform
	fees := claims[t.n].add(claims[t.n+1])
	total := sum.add(fees)
	cash := b.cash()
	if cash.cmp(total) <= 0 {
		// Short (or exact): everyone, the fee lines included, pro rata to its claim.
		if total.isZero() {
			return claims, make([]units, t.n+2) // no cash and no claim
		}
		return claims, allocate(cash, claims)
	}
	// Surplus: the fee lines are paid their claims; the members share the rest pro rata to
	// their claims, or with no claim to what each paid in net (or, failing that, it goes to
	// the foreperson as a member).
	rest := cash.sub(fees)
	weights := claims[:t.n]
	if sum.isZero() {
		weights = make([]units, t.n)
		for i := range c.members {
			m := &c.members[i]
			weights[i] = m.contributed.monus(m.withdrawn)
			sum = sum.add(weights[i])
		}
		if sum.isZero() {
			weights[t.foreperson] = unitsOf(1)
		}
	}
	return claims, append(allocate(rest, weights), claims[t.n], claims[t.n+1])
}
