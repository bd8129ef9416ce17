package rosca

import (
	"encoding/binary"
	"math/big"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"

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
	method       Method
	drawStart    int // ByDraw: the drawn start position among the candidates
	candidates   int // ByDraw: members who had not won in the epoch
	debt         bool
	bid          big.Int // gross winning bid (the pot without a bid)
	winnings     big.Int // RF(bid), credited to the winner
	carriedIn    big.Int // remainder carried in from the previous round
	discount     big.Int // RF(pot - bid) + carriedIn: what the members share
	shareEach    big.Int // what each recipient got (ShareAll: floor(discount/n), informational)
	recipients   int
	fee          big.Int // fees withheld: floor(R*P*f) - floor((R-1)*P*f)
	dust         big.Int // pot - winnings - RF(pot - bid) - fee, in [0, 2]
	divRem       big.Int // discount - shareEach x recipients (0 under ShareAll)
	remTo        RemainderTo
	feesReserved big.Int // the reserve after the close
}

// CloseRound closes the open round at time at, which must be at or after its deadline
// (Start + r x Period): it picks the winner (lowest bid; else the seeded draw, or the
// seat for a fixed-order circle), credits RF(bid) to it, shares the discount RF(pot - bid),
// places the round's remainder, recomputes the fee reserve and opens the next round (or
// ends the circle after the last one). Anyone may close a round; several overdue rounds
// can be closed one after another at the same time.
//
// The fee reserve is recomputed as the reference contract does (§1.8): floor(base x fee),
// base = C x r x n less every member's shortfall below C x r (plus the pots it holds),
// then limited to the cash held, so that it can never lock withdrawals (§1.11 fixed).
//
// Errors: [ErrTimeBackwards], [ErrHalted], [ErrEnded], [ErrTooEarly].
func (c *Circle) CloseRound(at time.Time) (RoundResult, error) {
	return c.closeAt(at, -1)
}

func (c *Circle) closeAt(at time.Time, forcedStart int) (RoundResult, error) {
	const op = "close round"
	ns, err := c.checkTime(op, at)
	if err != nil {
		return RoundResult{}, err
	}
	if err := c.running(op); err != nil {
		return RoundResult{}, err
	}
	if dl := c.cfg.Deadline(c.round); ns < dl.UnixNano() {
		return RoundResult{}, &TimeError{Op: op, At: at, Earliest: dl, Err: ErrTooEarly}
	}
	// Pick the winner. Nothing is mutated before a forced draw start is validated.
	rr := roundRec{round: c.round, epoch: c.epoch, winner: -1}
	c.back(&rr.bid, &rr.winnings, &rr.carriedIn, &rr.discount, &rr.shareEach, &rr.fee, &rr.dust, &rr.divRem, &rr.feesReserved)
	switch {
	case c.cfg.Kind == FixedOrder:
		rr.winner, rr.method = (c.round-1)%c.n, BySeat
		rr.bid.Set(&c.pot)
	case c.cfg.Kind == Bidding && c.leader >= 0:
		rr.winner, rr.method = c.leader, ByBid
		rr.bid.Set(&c.lowest)
	default:
		rr.method = ByDraw
		rr.candidates = c.unpaid
		if forcedStart >= 0 {
			if forcedStart >= c.unpaid {
				return RoundResult{}, errDrawOutOfRange
			}
			rr.drawStart = forcedStart
		} else {
			rr.drawStart = c.draw(c.round, c.unpaid)
		}
		rr.winner, rr.debt = c.pickDrawn(rr.drawStart)
		rr.bid.Set(&c.pot)
	}
	if forcedStart >= 0 && rr.method != ByDraw {
		return RoundResult{}, errDrawNotDrawn
	}
	c.settleRound(&rr)
	c.results = append(c.results, rr)
	c.record(mkRec(ns, evRoundClosed, rr.winner, rr.round, len(c.results)-1), nil)
	c.lastAt = ns
	return c.result(len(c.results) - 1), nil
}

// back gives each x room for two words (2^128 minor units) from a slab carved in chunks,
// so that recording a round does not allocate per amount. Larger values reallocate as usual.
func (c *Circle) back(xs ...*big.Int) {
	const words = 2
	for _, x := range xs {
		if len(c.slab) < words {
			c.slab = make([]big.Word, 1024)
		}
		x.SetBits(c.slab[:0:words])
		c.slab = c.slab[words:]
	}
}

// draw returns a start position in [0, k) drawn from the seed and the round: a ChaCha8
// stream keyed by the seed with its last 8 bytes XORed with the round number (little
// endian), read as uint64 values and mapped by rejection sampling (values at or above the
// largest multiple of k below 2^64 are redrawn; the rest are taken modulo k), so the draw
// is uniform and does not depend on the Go version's IntN.
func (c *Circle) draw(round, k int) int {
	key := [32]byte(c.cfg.Seed)
	x := binary.LittleEndian.Uint64(key[24:]) ^ uint64(round)
	binary.LittleEndian.PutUint64(key[24:], x)
	src := rand.NewChaCha8(key)
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
// the last one scanned wins with a debt (§1.7.1).
func (c *Circle) pickDrawn(start int) (winner int, debt bool) {
	cands := make([]int, 0, c.unpaid)
	for i := range c.members {
		if c.members[i].wonEpoch != c.epoch {
			cands = append(cands, i)
		}
	}
	k := len(cands)
	for j := range k {
		i := cands[(start+j)%k]
		if c.utc(&c.t1, i).Cmp(&c.due) >= 0 {
			return i, false
		}
	}
	return cands[(start+k-1)%k], true
}

// settleRound credits the winner, shares the discount, places the remainder, recomputes
// the fee reserve and opens the next round.
func (c *Circle) settleRound(rr *roundRec) {
	w := &c.members[rr.winner]
	// Fee withheld: the increment of floor(R x P x num/den), rounded down (D3).
	old := c.t1.Set(&c.feeNominal)
	c.feeNominal.Mul(&c.pot, c.rem.SetInt64(int64(rr.round)))
	c.feeNominal.Mul(&c.feeNominal, &c.feeNum)
	c.feeNominal.Quo(&c.feeNominal, &c.feeDen)
	rr.fee.Sub(&c.feeNominal, old)
	// Winnings RF(bid) and discount RF(P - bid), each rounded down (D1, D2).
	c.removeFees(&rr.winnings, &rr.bid)
	disc := c.t2.Sub(&c.pot, &rr.bid)
	c.removeFees(disc, disc)
	rr.dust.Sub(&c.pot, &rr.winnings)
	rr.dust.Sub(&rr.dust, disc)
	rr.dust.Sub(&rr.dust, &rr.fee)
	rr.carriedIn.Set(&c.carry)
	c.carry.SetInt64(0)
	rr.discount.Add(disc, &rr.carriedIn)

	w.won.Add(&w.won, &rr.winnings)
	w.credit.Add(&w.credit, &rr.winnings)
	w.wins++
	if c.cfg.Rules.Sharing == ShareUnpaid {
		// Freeze the winner's live share before this round's quotient is added.
		c.t3.Sub(&c.shareSum, &w.base)
		w.off.Add(&w.off, &c.t3)
	}
	w.wonEpoch = c.epoch
	c.unpaid--
	if rr.debt {
		w.debtPots++
		c.debtPots++
	}
	c.lastWinner = rr.winner

	// Share the discount.
	switch c.cfg.Rules.Sharing {
	case ShareAll:
		c.pool.Add(&c.pool, &rr.discount)
		c.share.Quo(&c.pool, &c.nBig) // floor: the pool's remainder stays undivided (D4)
		rr.recipients = c.n
		rr.shareEach.Quo(&rr.discount, &c.nBig) // informational, like LogRoundFundsReleased (D5)
	case ShareOthers:
		rr.recipients = c.n - 1
		rr.shareEach.QuoRem(&rr.discount, big.NewInt(int64(rr.recipients)), &rr.divRem) // floor; the rest is the round's remainder
		c.shareSum.Add(&c.shareSum, &rr.shareEach)
		w.off.Add(&w.off, &rr.shareEach)
	case ShareUnpaid:
		rr.recipients = c.unpaid
		if rr.recipients == 0 {
			rr.divRem.Set(&rr.discount)
		} else {
			rr.shareEach.QuoRem(&rr.discount, big.NewInt(int64(rr.recipients)), &rr.divRem) // floor; the rest is the round's remainder
			c.shareSum.Add(&c.shareSum, &rr.shareEach)
		}
	}

	// Place the round's remainder.
	rem := c.t3.Add(&rr.dust, &rr.divRem)
	switch c.cfg.Rules.Remainder {
	case RemainderToWinner:
		rr.remTo = ToWinner
		w.won.Add(&w.won, rem)
		w.credit.Add(&w.credit, rem)
	case RemainderCarry:
		if rr.round < c.rounds {
			rr.remTo = ToNextRound
			c.carry.Set(rem)
		} else {
			rr.remTo = ToBucket
			c.remKept.Add(&c.remKept, rem)
		}
	default:
		rr.remTo = ToBucket
		c.remKept.Add(&c.remKept, rem)
	}

	c.recomputeFees()
	rr.feesReserved.Set(&c.feesReserved)

	// Open the next round, or end.
	c.leader = -1
	c.lowest.SetInt64(0)
	if c.round == c.rounds {
		c.ended = true
		return
	}
	c.round++
	c.due.Add(&c.due, &c.contribution)
	if (c.round-1)%c.n == 0 {
		c.epoch++
		c.unpaid = c.n
		if c.cfg.Rules.Sharing == ShareUnpaid {
			for i := range c.members {
				c.members[i].base.Set(&c.shareSum)
			}
		}
	}
}

// recomputeFees sets the reserve as the reference contract's recalculateTotalFees does at
// each close (§1.8), then limits it to the cash held. O(n). The limit is fixed until the
// next close: payments made meanwhile are free cash, withdrawable at once, where the
// contract refused every withdrawal until its balance covered totalFees again (§1.11). Its
// reserve therefore equals the contract's whenever the last close found the contract
// solvent.
func (c *Circle) recomputeFees() {
	gross := c.t1.Mul(&c.due, &c.nBig)
	debit, have := &c.t2, &c.t3
	all := c.cfg.Rules.Sharing == ShareAll
	// Under ShareAll every member has the same share: compare credit with due - share.
	thr := &c.t4
	thr.Sub(&c.due, &c.share)
	for i := range c.members {
		m := &c.members[i]
		if all && m.debtPots == 0 {
			if m.credit.Cmp(thr) >= 0 {
				continue
			}
			debit.Sub(thr, &m.credit)
			gross.Sub(gross, debit)
			continue
		}
		c.held(debit, i)
		debit.Add(debit, &c.due)
		c.utc(have, i)
		if have.Cmp(debit) < 0 {
			debit.Sub(debit, have)
			gross.Sub(gross, debit)
		}
	}
	if gross.Sign() < 0 {
		gross.SetInt64(0)
	}
	c.feesReserved.Mul(gross, &c.feeNum)
	c.feesReserved.Quo(&c.feesReserved, &c.feeDen) // floor (D3)
	if cash := c.cashOf(&c.t2); c.feesReserved.Cmp(cash) > 0 {
		c.feesReserved.Set(cash) // the fix for §1.11: never reserve more than is held
	}
}

// RetrieveFees pays the fees reserved to the foreperson after the end (no wait, §1.12) and
// returns the amount (at most the cash held, since the reserve never exceeds it). The
// reference contract accepted a retrieval of nothing; here it is [ErrNothingToPay] and
// changes nothing.
//
// Errors: [ErrTimeBackwards], [ErrNotForeperson], [ErrHalted], [ErrNotEnded], [ErrNothingToPay].
func (c *Circle) RetrieveFees(at time.Time, by token.Account) (decimal.Decimal, error) {
	const op = "retrieve fees"
	ns, err := c.endStep(op, at, by)
	if err != nil {
		return decimal.Decimal{}, err
	}
	if c.feesReserved.Sign() == 0 {
		return decimal.Decimal{}, &WithdrawError{Member: by, Err: ErrNothingToPay}
	}
	amt := c.dec(&c.feesReserved)
	c.record(mkRec(ns, evFeesRetrieved, c.index[c.cfg.Foreperson], c.round, 0), &c.feesReserved)
	c.feesPaid.Add(&c.feesPaid, &c.feesReserved)
	c.feesReserved.SetInt64(0)
	c.lastAt = ns
	return amt, nil
}

func (c *Circle) endStep(op string, at time.Time, by token.Account) (int64, error) {
	ns, err := c.checkTime(op, at)
	if err != nil {
		return 0, err
	}
	if by != c.cfg.Foreperson {
		return 0, &AccessError{Op: op, Account: by, Err: ErrNotForeperson}
	}
	if c.halted {
		return 0, c.stateErr(op, ErrHalted)
	}
	if !c.ended {
		return 0, c.stateErr(op, ErrNotEnded)
	}
	return ns, nil
}

// remainder sets dst to the undistributed remainder: remainders kept and carried, the
// ShareAll pool's undivided units, less what was disposed of.
func (c *Circle) remainder(dst *big.Int) *big.Int {
	dst.Add(&c.remKept, &c.carry)
	if c.cfg.Rules.Sharing == ShareAll {
		var q, r big.Int
		q.QuoRem(&c.pool, &c.nBig, &r)
		dst.Add(dst, &r)
	}
	return dst.Sub(dst, &c.remPaid)
}

// freeCash sets dst to the cash that no one else may claim: cash less the fees reserved
// and every positive member balance.
func (c *Circle) freeCash(dst *big.Int) *big.Int {
	c.free(dst)
	var b big.Int
	for i := range c.members {
		if c.balance(&b, i).Sign() > 0 {
			dst.Sub(dst, &b)
		}
	}
	return dst
}

// DisposeRemainder pays the undistributed remainder after the end, the foreperson asking:
// to the foreperson under [RemainderToForeperson] and [RemainderCarry], to the last
// round's winner under [RemainderToWinner]. It pays at most the free cash (cash less the
// fees reserved and every member's positive balance), so it never takes what members may
// still withdraw; it returns the amount and the recipient. Unlike the reference contract's
// surplus sweep it takes nothing but the named remainder.
//
// Errors: [ErrTimeBackwards], [ErrNotForeperson], [ErrHalted], [ErrNotEnded], [ErrNothingToPay].
func (c *Circle) DisposeRemainder(at time.Time, by token.Account) (decimal.Decimal, token.Account, error) {
	const op = "dispose remainder"
	ns, err := c.endStep(op, at, by)
	if err != nil {
		return decimal.Decimal{}, "", err
	}
	amt := c.remainder(new(big.Int))
	free := c.freeCash(new(big.Int))
	if free.Cmp(amt) < 0 {
		amt.Set(free)
	}
	if amt.Sign() <= 0 {
		return decimal.Decimal{}, "", &WithdrawError{Member: by, Entitled: c.dec(c.remainder(new(big.Int))), Available: c.dec(free), Err: ErrNothingToPay}
	}
	to := c.index[c.cfg.Foreperson]
	if c.cfg.Rules.Remainder == RemainderToWinner && c.lastWinner >= 0 {
		to = c.lastWinner
	}
	c.remPaid.Add(&c.remPaid, amt)
	d := c.dec(amt)
	c.record(mkRec(ns, evRemainderDisposed, to, c.round, 0), amt)
	c.lastAt = ns
	return d, c.members[to].acct, nil
}

// EnableHalt lets the foreperson activate the emergency halt; only the config's operator
// may call it, at any time, once (the reference contract accepted repeats; here a repeat
// is [ErrHaltEnabled] and changes nothing).
//
// Errors: [ErrTimeBackwards], [ErrNotOperator], [ErrHaltEnabled].
func (c *Circle) EnableHalt(at time.Time, by token.Account) error {
	const op = "enable halt"
	ns, err := c.checkTime(op, at)
	if err != nil {
		return err
	}
	if by != c.cfg.Operator {
		return &AccessError{Op: op, Account: by, Err: ErrNotOperator}
	}
	if c.haltEnabled {
		return c.stateErr(op, ErrHaltEnabled)
	}
	c.haltEnabled = true
	c.record(mkRec(ns, evHaltEnabled, -1, c.round, 0), nil)
	c.lastAt = ns
	return nil
}

// SettlementLine is one payment of an emergency settlement: a member's claim (its positive
// balance against the closed rounds' dues) or the foreperson's fee reserve (Fees true),
// and what it was paid.
type SettlementLine struct {
	Account token.Account   `json:"account"`
	Fees    bool            `json:"fees,omitempty"`
	Claim   decimal.Decimal `json:"claim"`
	Paid    decimal.Decimal `json:"paid"`
}

// Equal reports whether two lines are the same.
func (l SettlementLine) Equal(m SettlementLine) bool {
	return l.Account == m.Account && l.Fees == m.Fees && l.Claim.Equal(m.Claim) && l.Paid.Equal(m.Paid)
}

// ActivateHalt stops the circle for good, the foreperson asking after the operator
// enabled it, and settles the cash held exactly. The claims are each member's balance
// against the dues of the rounds already closed (the open round is abandoned, so what was
// paid for it comes back), counted when positive, and the foreperson's fee reserve. The
// cash is divided with [token.AllocateUnits] and the largest remainder policy (ties to the
// lower seat, the fee line last), so every unit is paid out: if the cash does not cover
// the claims, pro rata to all of them; otherwise the fee line gets its claim and the
// members share the rest pro rata to their claims (with no member claim, pro rata to what
// each paid in net), so a surplus goes to the members, never to the fee line. Each
// payment is recorded as that member's withdrawal (or as fees paid) and returned. After it
// every command is rejected with [ErrHalted]. The reference contract sent everything to
// the foreperson instead.
//
// Errors: [ErrTimeBackwards], [ErrNotForeperson], [ErrHaltNotEnabled], [ErrHalted].
func (c *Circle) ActivateHalt(at time.Time, by token.Account) ([]SettlementLine, error) {
	const op = "activate halt"
	ns, err := c.checkTime(op, at)
	if err != nil {
		return nil, err
	}
	if by != c.cfg.Foreperson {
		return nil, &AccessError{Op: op, Account: by, Err: ErrNotForeperson}
	}
	if c.halted {
		return nil, c.stateErr(op, ErrHalted)
	}
	if !c.haltEnabled {
		return nil, c.stateErr(op, ErrHaltNotEnabled)
	}
	closed := int64(len(c.results))
	dueClosed := new(big.Int).Mul(&c.contribution, big.NewInt(closed))
	claims := make([]big.Int, c.n+1)
	var sum big.Int
	for i := range c.members {
		c.utc(&claims[i], i)
		claims[i].Sub(&claims[i], c.held(&c.t1, i))
		if !(c.ended && c.members[i].debtPots > 0) {
			claims[i].Sub(&claims[i], dueClosed)
		}
		if claims[i].Sign() < 0 {
			claims[i].SetInt64(0)
		}
		sum.Add(&sum, &claims[i])
	}
	claims[c.n].Set(&c.feesReserved)
	total := new(big.Int).Add(&sum, &claims[c.n])
	cash := c.cashOf(new(big.Int))
	var parts []big.Int
	if cash.Cmp(total) <= 0 {
		// Short (or exact): everyone, the fee line included, pro rata to its claim.
		if total.Sign() == 0 {
			parts = make([]big.Int, c.n+1) // no cash and no claim
		} else {
			parts, err = token.AllocateUnits(cash, claims, token.LargestRemainder())
		}
	} else {
		// Surplus: the fee line is paid its claim; the members share the rest pro rata to
		// their claims, or with no claim to what each paid in net (or, failing that, it
		// goes to the foreperson as a member).
		rest := new(big.Int).Sub(cash, &claims[c.n])
		weights := claims[:c.n]
		if sum.Sign() == 0 {
			weights = make([]big.Int, c.n)
			for i := range c.members {
				c.contributedOf(&weights[i], i)
				weights[i].Sub(&weights[i], &c.members[i].withdrawn)
				if weights[i].Sign() < 0 {
					weights[i].SetInt64(0)
				}
				sum.Add(&sum, &weights[i])
			}
			if sum.Sign() == 0 {
				weights[c.index[c.cfg.Foreperson]].SetInt64(1)
			}
		}
		parts, err = token.AllocateUnits(rest, weights, token.LargestRemainder())
		if err == nil {
			parts = append(parts, *new(big.Int).Set(&claims[c.n]))
		}
	}
	if err != nil {
		return nil, err // unreachable: the amounts are non-negative and a weight positive
	}
	// Mutate only now.
	lines := make([]SettlementLine, 0, c.n+1)
	for i := range c.members {
		m := &c.members[i]
		p := &parts[i]
		if p.Sign() == 0 && claims[i].Sign() == 0 {
			continue
		}
		m.credit.Sub(&m.credit, p)
		m.withdrawn.Add(&m.withdrawn, p)
		c.withdrawals.Add(&c.withdrawals, p)
		lines = append(lines, SettlementLine{Account: m.acct, Claim: c.dec(&claims[i]), Paid: c.dec(p)})
	}
	if p := &parts[c.n]; p.Sign() != 0 || claims[c.n].Sign() != 0 {
		c.feesPaid.Add(&c.feesPaid, p)
		lines = append(lines, SettlementLine{Account: c.cfg.Foreperson, Fees: true, Claim: c.dec(&claims[c.n]), Paid: c.dec(p)})
	}
	c.feesReserved.SetInt64(0)
	c.halted = true
	c.extras = append(c.extras, extra{settlement: lines})
	c.record(mkRec(ns, evHaltActivated, c.index[by], c.round, len(c.extras)-1), nil)
	c.lastAt = ns
	return append([]SettlementLine(nil), lines...), nil
}
