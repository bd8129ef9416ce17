package rosca

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Position is a member's account with the circle. Balance = Contributed - Withdrawn + Won +
// DiscountShare - Due - Held: positive is what a withdrawal would pay (liquidity
// permitting), negative is what the member owes.
type Position struct {
	Member token.Account `json:"member"`
	Seat   int           `json:"seat"`
	// Contributed is everything the member paid in.
	Contributed decimal.Decimal `json:"contributed"`
	// Withdrawn is everything paid out to it (withdrawals and emergency settlement).
	Withdrawn decimal.Decimal `json:"withdrawn"`
	// Won is its net winnings: RF(bid) for each round won, plus remainders credited to it.
	Won decimal.Decimal `json:"won"`
	// DiscountShare is its share of the discounts so far.
	DiscountShare decimal.Decimal `json:"discount_share"`
	// Due is what is withheld for the dues so far: C x r for the open round r (so after a
	// close the next round's contribution is withheld); zero for a debtor after the end,
	// whose dues are waived.
	Due decimal.Decimal `json:"due"`
	// Held is the pots it won through the delinquent draw and has not cleared (its debt).
	Held decimal.Decimal `json:"held"`
	// Balance is the signed balance.
	Balance decimal.Decimal `json:"balance"`
	// Debt reports the reference contract's debt flag: it won a round through the
	// delinquent draw and has not yet caught up.
	Debt bool `json:"debt"`
	// GoodStanding reports credit plus discount share at least C x r.
	GoodStanding bool `json:"good_standing"`
	// Wins counts its wins over all epochs; WonThisEpoch whether it won in the current one.
	Wins         int  `json:"wins"`
	WonThisEpoch bool `json:"won_this_epoch"`
}

func (c *Circle) position(i int) Position {
	m := &c.members[i]
	var share, due, held, bal, utc, contributed big.Int
	c.contributedOf(&contributed, i)
	c.shareOf(&share, i)
	c.dueOf(&due, i)
	c.held(&held, i)
	c.balance(&bal, i)
	c.utc(&utc, i)
	return Position{
		Member: m.acct, Seat: i,
		Contributed: c.dec(&contributed), Withdrawn: c.dec(&m.withdrawn), Won: c.dec(&m.won),
		DiscountShare: c.dec(&share), Due: c.dec(&due), Held: c.dec(&held), Balance: c.dec(&bal),
		Debt: m.debtPots > 0, GoodStanding: utc.Cmp(&c.due) >= 0,
		Wins: m.wins, WonThisEpoch: m.wonEpoch == c.epoch,
	}
}

// Position returns member's position, or an [*AccessError] ([ErrNotMember]).
func (c *Circle) Position(member token.Account) (Position, error) {
	i, err := c.seat("position", member)
	if err != nil {
		return Position{}, err
	}
	return c.position(i), nil
}

// Positions returns every member's position in seat order.
func (c *Circle) Positions() []Position {
	out := make([]Position, c.n)
	for i := range out {
		out[i] = c.position(i)
	}
	return out
}

// RoundState describes the open round (or the last one after the end).
type RoundState struct {
	// Round counts rounds across epochs from 1; Epoch from 1; InEpoch from 1 to n.
	Round   int `json:"round"`
	Epoch   int `json:"epoch"`
	InEpoch int `json:"in_epoch"`
	// Deadline is the earliest time the round may be closed.
	Deadline time.Time       `json:"deadline"`
	Pot      decimal.Decimal `json:"pot"`
	// MinBid and MaxBid bound the next acceptable bid.
	MinBid decimal.Decimal `json:"min_bid"`
	MaxBid decimal.Decimal `json:"max_bid"`
	// LowestBid and Leader are the lowest bid so far and its bidder ("" if none).
	LowestBid decimal.Decimal `json:"lowest_bid"`
	Leader    token.Account   `json:"leader,omitempty"`
	// Unpaid counts the members who have not won in this epoch.
	Unpaid      int  `json:"unpaid"`
	Ended       bool `json:"ended"`
	HaltEnabled bool `json:"halt_enabled"`
	Halted      bool `json:"halted"`
}

// Round returns the open round's state.
func (c *Circle) Round() RoundState {
	s := RoundState{
		Round: c.round, Epoch: c.epoch, InEpoch: (c.round-1)%c.n + 1, Deadline: c.cfg.Deadline(c.round),
		Pot: c.dec(&c.pot), MinBid: c.dec(&c.minBid), MaxBid: c.dec(c.maxBid(new(big.Int))),
		LowestBid: c.dec(&c.lowest), Unpaid: c.unpaid, Ended: c.ended, HaltEnabled: c.haltEnabled, Halted: c.halted,
	}
	if c.leader >= 0 {
		s.Leader = c.members[c.leader].acct
	}
	return s
}

// Ended reports whether the last round has closed.
func (c *Circle) Ended() bool { return c.ended }

// Halted reports whether the emergency halt was activated.
func (c *Circle) Halted() bool { return c.halted }

// Totals are the circle's buckets. Every minor unit of cash is in one of them:
//
//	Cash = Contributions - Withdrawals - FeesPaid - RemainderPaid
//	Cash = Balances + FeesReserved + FeesUnearned + Remainder + OpenRoundDues + HeldPots - WaivedDues
//
// where Contributions and Withdrawals are the sums of the members' own records and
// Balances the sum of their signed balances ([Circle.Audit] checks both).
type Totals struct {
	Cash          decimal.Decimal `json:"cash"`
	Contributions decimal.Decimal `json:"contributions"`
	Withdrawals   decimal.Decimal `json:"withdrawals"`
	// FeesWithheld is the fee withheld from the pots so far, floor(K x P x fee) after K rounds.
	FeesWithheld decimal.Decimal `json:"fees_withheld"`
	// FeesReserved is the foreperson's earned fee not yet paid (never more than Cash).
	FeesReserved decimal.Decimal `json:"fees_reserved"`
	FeesPaid     decimal.Decimal `json:"fees_paid"`
	// FeesUnearned = FeesWithheld - FeesReserved - FeesPaid: fees withheld from pots but not
	// earned, because they fall on dues that were not paid (the delinquency reduction).
	FeesUnearned decimal.Decimal `json:"fees_unearned"`
	// Remainder is the undistributed rounding remainder (kept, carried, and under ShareAll
	// the pool's undivided units); RemainderPaid what was disposed of.
	Remainder     decimal.Decimal `json:"remainder"`
	RemainderPaid decimal.Decimal `json:"remainder_paid"`
	// OpenRoundDues is the open round's pot, withheld from every balance but not yet won.
	OpenRoundDues decimal.Decimal `json:"open_round_dues"`
	// HeldPots is the pots held for debtors (withheld from their balances).
	HeldPots decimal.Decimal `json:"held_pots"`
	// WaivedDues is the dues waived for debtors after the end (§1.9).
	WaivedDues decimal.Decimal `json:"waived_dues"`
	// DiscountPool is every discount shared so far (ShareAll: the undivided pool).
	DiscountPool decimal.Decimal `json:"discount_pool"`
	// Balances is the sum of the members' signed balances.
	Balances decimal.Decimal `json:"balances"`
}

type totalsUnits struct {
	cash, contributions, withdrawals, feeNominal, feesReserved, feesPaid, unearned,
	remainder, remPaid, openDues, held, waived, pool, balances big.Int
}

func (c *Circle) totalsUnits() *totalsUnits {
	t := &totalsUnits{}
	c.cashOf(&t.cash)
	t.contributions.Set(&c.contributions)
	t.withdrawals.Set(&c.withdrawals)
	t.feeNominal.Set(&c.feeNominal)
	t.feesReserved.Set(&c.feesReserved)
	t.feesPaid.Set(&c.feesPaid)
	t.unearned.Sub(&c.feeNominal, &c.feesReserved)
	t.unearned.Sub(&t.unearned, &c.feesPaid)
	c.remainder(&t.remainder)
	t.remPaid.Set(&c.remPaid)
	t.openDues.Mul(&c.pot, big.NewInt(int64(c.round-len(c.results))))
	t.held.Mul(&c.rfPot, big.NewInt(int64(c.debtPots)))
	if c.ended {
		for i := range c.members {
			if c.members[i].debtPots > 0 {
				t.waived.Add(&t.waived, &c.due)
			}
		}
	}
	for i := range c.results {
		t.pool.Add(&t.pool, &c.results[i].discount)
		t.pool.Sub(&t.pool, &c.results[i].divRem)
	}
	var b big.Int
	for i := range c.members {
		t.balances.Add(&t.balances, c.balance(&b, i))
	}
	return t
}

// Totals returns the circle's buckets.
func (c *Circle) Totals() Totals {
	t := c.totalsUnits()
	return Totals{
		Cash: c.dec(&t.cash), Contributions: c.dec(&t.contributions), Withdrawals: c.dec(&t.withdrawals),
		FeesWithheld: c.dec(&t.feeNominal), FeesReserved: c.dec(&t.feesReserved), FeesPaid: c.dec(&t.feesPaid),
		FeesUnearned: c.dec(&t.unearned), Remainder: c.dec(&t.remainder), RemainderPaid: c.dec(&t.remPaid),
		OpenRoundDues: c.dec(&t.openDues), HeldPots: c.dec(&t.held), WaivedDues: c.dec(&t.waived),
		DiscountPool: c.dec(&t.pool), Balances: c.dec(&t.balances),
	}
}

// Audit checks the accounting identities to the minor unit and returns an error wrapping
// [ErrAudit] describing the first that fails (which would be a bug):
//
//   - Cash = Contributions - Withdrawals - FeesPaid - RemainderPaid >= 0, the
//     contributions and withdrawals being the sums of the members' own records;
//   - Cash = sum of member balances + FeesReserved + FeesUnearned + Remainder +
//     OpenRoundDues + HeldPots - WaivedDues;
//   - 0 <= FeesReserved <= Cash, FeesUnearned >= 0, Remainder >= 0;
//   - for every closed round, Winnings + (Discount - CarriedIn) + Fee + Dust = Pot,
//     Dust in [0, 2], and Discount = ShareEach x Recipients + DivisionRemainder (per-round
//     sharing) or the pool holds every discount (ShareAll);
//   - every member's wins and the per-epoch winners agree (one win per member per epoch);
//   - no member has negative contributions, withdrawals or winnings.
func (c *Circle) Audit() error {
	t := c.totalsUnits()
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrAudit, fmt.Sprintf(format, args...))
	}
	// Cash is contributions - withdrawals - fees paid - remainder paid; check the first two
	// against the members' own records.
	var x, y big.Int
	for i := range c.members {
		x.Add(&x, c.contributedOf(&c.t1, i))
		y.Add(&y, &c.members[i].withdrawn)
	}
	if x.Cmp(&t.contributions) != 0 || y.Cmp(&t.withdrawals) != 0 {
		return fail("members paid in %s and out %s; totals %s and %s", &x, &y, &t.contributions, &t.withdrawals)
	}
	if t.cash.Sign() < 0 {
		return fail("negative cash %s", &t.cash)
	}
	x.Add(&t.balances, &t.feesReserved)
	x.Add(&x, &t.unearned)
	x.Add(&x, &t.remainder)
	x.Add(&x, &t.openDues)
	x.Add(&x, &t.held)
	x.Sub(&x, &t.waived)
	if x.Cmp(&t.cash) != 0 {
		return fail("cash %s != balances + buckets %s", &t.cash, &x)
	}
	if t.feesReserved.Sign() < 0 || t.feesReserved.Cmp(&t.cash) > 0 {
		return fail("fees reserved %s outside [0, cash %s]", &t.feesReserved, &t.cash)
	}
	if t.unearned.Sign() < 0 || t.remainder.Sign() < 0 {
		return fail("negative bucket: unearned %s, remainder %s", &t.unearned, &t.remainder)
	}
	var pool, feeSum big.Int
	wins := make([]int, c.n)
	seen := make(map[[2]int]bool, len(c.results))
	for k := range c.results {
		rr := &c.results[k]
		if rr.round != k+1 {
			return fail("round %d recorded as %d", k+1, rr.round)
		}
		x.Add(&rr.winnings, &rr.discount)
		x.Sub(&x, &rr.carriedIn)
		x.Add(&x, &rr.fee)
		x.Add(&x, &rr.dust)
		if x.Cmp(&c.pot) != 0 {
			return fail("round %d: winnings + discount + fee + dust = %s, pot %s", rr.round, &x, &c.pot)
		}
		if rr.dust.Sign() < 0 || rr.dust.Cmp(big.NewInt(2)) > 0 {
			return fail("round %d: dust %s outside [0, 2]", rr.round, &rr.dust)
		}
		if c.cfg.Rules.Sharing != ShareAll {
			x.Mul(&rr.shareEach, big.NewInt(int64(rr.recipients)))
			x.Add(&x, &rr.divRem)
			if x.Cmp(&rr.discount) != 0 || rr.divRem.Sign() < 0 {
				return fail("round %d: shares %s != discount %s", rr.round, &x, &rr.discount)
			}
		}
		pool.Add(&pool, &rr.discount)
		feeSum.Add(&feeSum, &rr.fee)
		wins[rr.winner]++
		key := [2]int{rr.epoch, rr.winner}
		if seen[key] {
			return fail("%s won twice in epoch %d", c.members[rr.winner].acct, rr.epoch)
		}
		seen[key] = true
	}
	if feeSum.Cmp(&c.feeNominal) != 0 {
		return fail("round fees %s != fees withheld %s", &feeSum, &c.feeNominal)
	}
	if c.cfg.Rules.Sharing == ShareAll {
		if pool.Cmp(&c.pool) != 0 {
			return fail("pool %s != sum of discounts %s", &c.pool, &pool)
		}
		x.Mul(&c.share, &c.nBig)
		if x.Cmp(&c.pool) > 0 || x.Add(&x, &c.nBig).Cmp(&c.pool) <= 0 {
			return fail("share %s is not floor(pool %s / %d)", &c.share, &c.pool, c.n)
		}
	}
	for i := range c.members {
		m := &c.members[i]
		if wins[i] != m.wins {
			return fail("%s: %d wins recorded, %d in the rounds", m.acct, m.wins, wins[i])
		}
		if c.contributedOf(&x, i).Sign() < 0 || m.withdrawn.Sign() < 0 || m.won.Sign() < 0 {
			return fail("%s: negative contributed %s, withdrawn %s or won %s", m.acct, &x, &m.withdrawn, &m.won)
		}
	}
	return nil
}

// SnapshotVersion is the version of the [Snapshot] format.
const SnapshotVersion = 1

// Snapshot is the whole circle as plain data: its config and event log (from which it is
// rebuilt) and the derived state (to check the rebuild and to read without a Circle).
type Snapshot struct {
	Version   int           `json:"version"`
	Config    Config        `json:"config"`
	Round     RoundState    `json:"round"`
	Positions []Position    `json:"positions"`
	Totals    Totals        `json:"totals"`
	Rounds    []RoundResult `json:"rounds"`
	Events    []Event       `json:"events"`
}

// Snapshot returns the circle as plain data.
func (c *Circle) Snapshot() Snapshot {
	return Snapshot{Version: SnapshotVersion, Config: c.Config(), Round: c.Round(), Positions: c.Positions(),
		Totals: c.Totals(), Rounds: c.Rounds(), Events: c.Events()}
}

// Restore rebuilds the circle of a snapshot by replaying its events, and checks that the
// rebuilt circle's snapshot equals s (compared in JSON, so amounts compare by value).
func Restore(s Snapshot) (*Circle, error) {
	if s.Version != SnapshotVersion {
		return nil, &ReplayError{Index: -1, Cause: fmt.Errorf("snapshot version %d, want %d", s.Version, SnapshotVersion)}
	}
	c, err := Replay(s.Config, s.Events)
	if err != nil {
		return nil, err
	}
	a, err1 := json.Marshal(s)
	b, err2 := json.Marshal(c.Snapshot())
	if err := errors.Join(err1, err2); err != nil {
		return nil, &ReplayError{Index: -1, Cause: err}
	}
	if !bytes.Equal(a, b) {
		return nil, &ReplayError{Index: -1, Cause: errors.New("snapshot state differs from its replayed events")}
	}
	return c, nil
}
