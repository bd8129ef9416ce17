package rosca

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// Position is a member's account with the circle. Balance = Contributed - Withdrawn + Won +
// DiscountShare - Due - Held - Loss: positive is what a withdrawal would pay (liquidity
// permitting), negative is what the member owes. The zero Position is no member's.
type Position struct {
	Member token.Account `json:"member"`
	// Holder is the member holding the seat when it is a ticket of another account
	// (Config.Holders); omitted when the seat's account is its member.
	Holder token.Account `json:"holder,omitempty"`
	Seat   int           `json:"seat"`
	// Contributed is everything the member paid in.
	Contributed token.Amount `json:"contributed"`
	// Withdrawn is everything paid out to it (withdrawals and emergency settlement).
	Withdrawn token.Amount `json:"withdrawn"`
	// Won is its net winnings: RF(bid) for each round won, plus remainders credited to it.
	Won token.Amount `json:"won"`
	// DiscountShare is its share of the discounts so far.
	DiscountShare token.Amount `json:"discount_share"`
	// Due is what is withheld for the dues so far: C x r for the open round r (so after a
	// close the next round's contribution is withheld), for every member; after an
	// emergency halt, which abandons the open round, C x the rounds closed.
	Due token.Amount `json:"due"`
	// Held is the pots it won through the delinquent draw and has not cleared (its debt),
	// until the end; after the end nothing is held.
	Held token.Amount `json:"held"`
	// Loss is the part of its claim written off at the end to cover what defaulters never
	// paid, as the rules' [LossPolicy] allocates it (omitted when zero).
	Loss token.Amount `json:"loss,omitzero"`
	// Balance is the signed balance.
	Balance token.Amount `json:"balance"`
	// Debt reports the reference contract's debt flag: it won a round through the
	// delinquent draw and has not yet caught up.
	Debt bool `json:"debt"`
	// GoodStanding reports credit plus discount share at least C x r.
	GoodStanding bool `json:"good_standing"`
	// Wins counts its wins over all epochs; WonThisEpoch whether it won in the current one.
	Wins         int  `json:"wins"`
	WonThisEpoch bool `json:"won_this_epoch"`
	// Collateral is the collateral the member holds posted, apart from its balance
	// (omitted when zero); CollateralDue what the rules ask of it now (omitted when zero).
	Collateral    token.Amount `json:"collateral,omitzero"`
	CollateralDue token.Amount `json:"collateral_due,omitzero"`
	// Removed: removed for missed dues and not reinstated; Accelerated: its future dues to
	// the end of the epoch were demanded at once (in Due); Bounty: a recovery bounty is
	// posted on its debt.
	Removed     bool `json:"removed,omitempty"`
	Accelerated bool `json:"accelerated,omitempty"`
	Bounty      bool `json:"bounty,omitempty"`
	// LateFees are the late fees charged to the member (in the balance as Due is),
	// LateFeesOwed the part not yet paid, Strikes the closes at which it was charged one
	// (each omitted when zero).
	LateFees     token.Amount `json:"late_fees,omitzero"`
	LateFeesOwed token.Amount `json:"late_fees_owed,omitzero"`
	Strikes      int          `json:"strikes,omitempty"`
}

func (c *Circle) position(i int) Position {
	m := &c.members[i]
	a := c.terms.asset
	return Position{
		Member: m.acct, Holder: m.holderIfOther(), Seat: i,
		Contributed: m.contributed.amount(a), Withdrawn: m.withdrawn.amount(a), Won: m.won.amount(a),
		DiscountShare: c.shareOf(i).amount(a), Due: c.dueOf(i).amount(a), Held: c.held(i).amount(a),
		Loss:    m.rd().lost.amountOrNone(a),
		Balance: c.signed(c.balance(i)),
		Debt:    m.debtPots > 0, GoodStanding: c.goodStanding(i),
		Wins: m.wins, WonThisEpoch: m.wonEpoch == c.open.epoch,
		Collateral: m.rd().collateral.amountOrNone(a), CollateralDue: c.collateralDue(i).amountOrNone(a),
		Removed: m.rd().removed, Accelerated: m.rd().accelerated && !c.ended && !c.halted, Bounty: m.rd().bounty,
		LateFees: m.rd().late.amountOrNone(a), LateFeesOwed: m.rd().lateOwed.amountOrNone(a), Strikes: m.rd().strikes,
	}
}

// Position returns member's position, or an [*Error] wrapping [ErrNotMember].
func (c *Circle) Position(member token.Account) (Position, error) {
	if c.terms == nil {
		return Position{}, uninitialized("Position")
	}
	i, ok := c.seatOf(member)
	if !ok {
		return Position{}, &Error{Op: "Position", Account: member, Err: ErrNotMember}
	}
	return c.position(i), nil
}

// Positions returns every member's position in seat order.
func (c *Circle) Positions() []Position {
	if c.terms == nil {
		return nil
	}
	out := make([]Position, len(c.members))
	for i := range out {
		out[i] = c.position(i)
	}
	return out
}

// RoundState describes the open round (or the last one after the end). The zero
// RoundState describes no round.
type RoundState struct {
	// Round counts rounds across epochs from 1; Epoch from 1; InEpoch from 1 to n.
	Round   int `json:"round"`
	Epoch   int `json:"epoch"`
	InEpoch int `json:"in_epoch"`
	// Deadline is the earliest time the round may be closed.
	Deadline time.Time    `json:"deadline"`
	Pot      token.Amount `json:"pot"`
	// MinBid and MaxBid bound the next acceptable bid.
	MinBid token.Amount `json:"min_bid"`
	MaxBid token.Amount `json:"max_bid"`
	// LowestBid and Leader are the lowest bid so far (zero if none) and its bidder ("" if
	// none).
	LowestBid token.Amount  `json:"lowest_bid"`
	Leader    token.Account `json:"leader,omitempty"`
	// Unpaid counts the members who have not won in this epoch.
	Unpaid      int  `json:"unpaid"`
	Ended       bool `json:"ended"`
	HaltEnabled bool `json:"halt_enabled"`
	Halted      bool `json:"halted"`
}

// Round returns the open round's state.
func (c *Circle) Round() RoundState {
	t := c.terms
	if t == nil {
		return RoundState{}
	}
	a, o := t.asset, &c.open
	s := RoundState{
		Round: o.number, Epoch: o.epoch, InEpoch: (o.number-1)%t.n + 1, Deadline: t.cfg.Deadline(o.number),
		Pot: t.pot.amount(a), MinBid: t.minBid.amount(a), MaxBid: c.maxBid().amount(a),
		LowestBid: o.lowest.amount(a), Unpaid: o.unpaid, Ended: c.ended, HaltEnabled: c.haltEnabled, Halted: c.halted,
	}
	if o.leader >= 0 {
		s.Leader = c.members[o.leader].acct
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
//	Cash = Balances + FeesReserved + FeesUnearned + Remainder + OpenRoundDues + HeldPots + Losses
//
// where Contributions and Withdrawals are the sums of the members' own records and
// Balances the sum of their signed balances ([Circle.Audit] checks both). The zero Totals
// hold no amounts.
type Totals struct {
	Cash          token.Amount `json:"cash"`
	Contributions token.Amount `json:"contributions"`
	Withdrawals   token.Amount `json:"withdrawals"`
	// FeesWithheld is the fee withheld from the pots so far, floor(K x P x fee) after K rounds.
	FeesWithheld token.Amount `json:"fees_withheld"`
	// FeesReserved is the foreperson's earned fee not yet paid (never more than Cash).
	FeesReserved token.Amount `json:"fees_reserved"`
	FeesPaid     token.Amount `json:"fees_paid"`
	// FeesUnearned = FeesWithheld - FeesReserved - FeesPaid: fees withheld from pots but not
	// earned, because they fall on dues that were not paid (the delinquency reduction).
	FeesUnearned token.Amount `json:"fees_unearned"`
	// PlatformFees is the platform's fee taken from the winnings and not yet paid to the
	// operator; PlatformFeesPaid what was paid ([Config.PlatformFee]).
	PlatformFees     token.Amount `json:"platform_fees"`
	PlatformFeesPaid token.Amount `json:"platform_fees_paid"`
	// Remainder is the undistributed rounding remainder (kept, carried, and under ShareAll
	// the pool's undivided units); RemainderPaid what was disposed of.
	Remainder     token.Amount `json:"remainder"`
	RemainderPaid token.Amount `json:"remainder_paid"`
	// OpenRoundDues is the open round's pot, withheld from every balance but not yet won
	// (zero after a halt, which abandons the round).
	OpenRoundDues token.Amount `json:"open_round_dues"`
	// HeldPots is the pots held for debtors (withheld from their balances) until the end.
	HeldPots token.Amount `json:"held_pots"`
	// Shortfall is what the members' positive balances, the fees reserved and the
	// remainder claim beyond the cash held: money that members who owe have not paid. It is
	// allocated at the end by the rules' [LossPolicy] (and is zero from then on).
	Shortfall token.Amount `json:"shortfall"`
	// Losses is the shortfall allocated at the end: claims written off from the members'
	// balances, the fee reserve and the remainder (see [RoundResult.Losses]).
	Losses token.Amount `json:"losses"`
	// DiscountPool is every discount shared so far (ShareAll: the undivided pool).
	DiscountPool token.Amount `json:"discount_pool"`
	// Balances is the sum of the members' signed balances.
	Balances token.Amount `json:"balances"`

	// The deterrents' money, each omitted when zero. Contributions count what others paid
	// on members' accounts: GuarantorPayments, CollateralApplied, and Recovered less the
	// Bounties its funds paid; the rest of the bounties (FeeBounties) came out of the fee
	// reserve and count in FeesPaid. Collateral is held apart from the cash:
	// CollateralPosted = Collateral + CollateralApplied + CollateralReturned. Deductions
	// are substitutions' deductions, in the cash and credited to the foreperson.
	// AcceleratedDues are the dues brought forward by accelerations, owed on top of the
	// open round's.
	Collateral         token.Amount `json:"collateral,omitzero"`
	CollateralPosted   token.Amount `json:"collateral_posted,omitzero"`
	CollateralApplied  token.Amount `json:"collateral_applied,omitzero"`
	CollateralReturned token.Amount `json:"collateral_returned,omitzero"`
	GuarantorPayments  token.Amount `json:"guarantor_payments,omitzero"`
	Recovered          token.Amount `json:"recovered,omitzero"`
	Bounties           token.Amount `json:"bounties,omitzero"`
	FeeBounties        token.Amount `json:"fee_bounties,omitzero"`
	Deductions         token.Amount `json:"deductions,omitzero"`
	AcceleratedDues    token.Amount `json:"accelerated_dues,omitzero"`
	// LateFeesCharged are the late fees charged, LateFeesPaid the part paid and credited
	// to their recipients; the rest is owed by the members charged.
	LateFeesCharged token.Amount `json:"late_fees_charged,omitzero"`
	LateFeesPaid    token.Amount `json:"late_fees_paid,omitzero"`
}

// totals are the buckets in minor units; balances is signed (negBalances).
type totals struct {
	cash, unearned, remainder, openDues, held, pool, losses units
	accelerated                                             units // the dues brought forward by accelerations
	interests                                               units // BidInterestExternal: the interests due for the open round
	positive                                                units // the members' positive balances
	balances                                                units
	negBalances                                             bool
}

func (c *Circle) totals() totals {
	t, b := c.terms, &c.books
	var x totals
	x.cash = b.cash()
	x.unearned = b.feesWithheld.sub(b.feesReserved).sub(b.feesPaid).sub(b.rd().feesLost)
	x.remainder = c.remainder()
	if !c.halted { // a halt abandons the open round
		x.openDues = t.pot.mul(uint64(c.open.number - len(c.closed)))
	}
	for i := range c.members {
		x.held = x.held.add(c.held(i))
		x.interests = x.interests.add(c.openInterest(i))
		x.accelerated = x.accelerated.add(c.broughtForward(i))
	}
	x.losses = b.rd().feesLost.add(b.rd().remLost).add(b.rd().platformLost)
	var has, owes units
	for i := range c.members {
		has, owes = has.add(c.has(i)), owes.add(c.owes(i))
		x.losses = x.losses.add(c.members[i].rd().lost)
	}
	x.positive = c.owed()
	for k := range c.closed {
		rr := c.round(k)
		x.pool = x.pool.add(rr.discount.sub(rr.divRem))
	}
	x.balances, x.negBalances = has.diff(owes)
	return x
}

// Totals returns the circle's buckets.
func (c *Circle) Totals() Totals {
	if c.terms == nil {
		return Totals{}
	}
	x, b, a := c.totals(), &c.books, c.terms.asset
	return Totals{
		Cash: x.cash.amount(a), Contributions: b.contributions.amount(a), Withdrawals: b.withdrawals.amount(a),
		FeesWithheld: b.feesWithheld.amount(a), FeesReserved: b.feesReserved.amount(a), FeesPaid: b.feesPaid.amount(a),
		FeesUnearned: x.unearned.amount(a), PlatformFees: b.platform.amount(a), PlatformFeesPaid: b.platformPaid.amount(a),
		Remainder: x.remainder.amount(a), RemainderPaid: b.remPaid.amount(a),
		OpenRoundDues: x.openDues.amount(a), HeldPots: x.held.amount(a),
		Shortfall: c.shortfall(x).amount(a), Losses: x.losses.amount(a),
		DiscountPool: x.pool.amount(a), Balances: c.signed(x.balances, x.negBalances),
		Collateral: b.rd().collateral.amountOrNone(a), CollateralPosted: b.rd().collateralIn.amountOrNone(a),
		CollateralApplied: b.rd().collateralApplied.amountOrNone(a), CollateralReturned: b.rd().collateralOut.amountOrNone(a),
		GuarantorPayments: b.rd().guarantorIn.amountOrNone(a), Recovered: b.rd().recovered.amountOrNone(a),
		Bounties: b.rd().bounties.amountOrNone(a), FeeBounties: b.rd().feeBounties.amountOrNone(a),
		Deductions: b.rd().deductions.amountOrNone(a), AcceleratedDues: x.accelerated.amountOrNone(a),
		LateFeesCharged: b.rd().lateCharged.amountOrNone(a), LateFeesPaid: b.rd().lateCollected.amountOrNone(a),
	}
}

// SnapshotVersion is the version of the [Snapshot] format, its "v".
const SnapshotVersion = 1

// Snapshot is the whole circle as plain data: its config and event log (from which it is
// rebuilt) and the derived state (to check the rebuild and to read without a Circle). Its
// JSON starts with "v":1; a snapshot of another version does not decode. The zero
// Snapshot is no circle's.
type Snapshot struct {
	V         int           `json:"v"`
	Config    Config        `json:"config"`
	Round     RoundState    `json:"round"`
	Positions []Position    `json:"positions"`
	Totals    Totals        `json:"totals"`
	Rounds    []RoundResult `json:"rounds"`
	Events    []Event       `json:"events"`
}

// Snapshot returns the circle as plain data (the zero Snapshot for the zero Circle).
func (c *Circle) Snapshot() Snapshot {
	if c.terms == nil {
		return Snapshot{}
	}
	return Snapshot{V: SnapshotVersion, Config: c.Config(), Round: c.Round(), Positions: c.Positions(),
		Totals: c.Totals(), Rounds: c.Rounds(), Events: c.Events()}
}

// snapshotJSON is Snapshot without its methods.
type snapshotJSON Snapshot

// UnmarshalJSON decodes a snapshot of version [SnapshotVersion]; unknown fields are
// refused. It does not check the state against the events: [Restore] does.
func (s *Snapshot) UnmarshalJSON(b []byte) error {
	j, err := decodeReplayable[snapshotJSON]("Snapshot.UnmarshalJSON", b)
	if err != nil {
		return err
	}
	if j.V != SnapshotVersion {
		return &Error{Op: "Snapshot.UnmarshalJSON", Detail: fmt.Sprintf("snapshot version %d, want %d", j.V, SnapshotVersion), Err: ErrReplay}
	}
	*s = Snapshot(j)
	return nil
}

// Restore rebuilds the circle of a snapshot by replaying its events, and checks that the
// rebuilt circle's snapshot equals s (compared in JSON, so amounts compare by value). As
// [Replay] derives every draw from the config's seed, a snapshot whose seed was changed
// is refused once its log holds a draw. (Before the first draw the seed has decided
// nothing that the log could show: whoever stores the config must keep the seed itself.)
func Restore(s Snapshot) (*Circle, error) {
	if s.V != SnapshotVersion {
		return nil, &Error{Op: "Restore", Detail: fmt.Sprintf("snapshot version %d, want %d", s.V, SnapshotVersion), Err: ErrReplay}
	}
	c, err := Replay(s.Config, slices.Values(s.Events))
	if err != nil {
		return nil, err
	}
	a, err1 := json.Marshal(s)
	b, err2 := json.Marshal(c.Snapshot())
	if err1 != nil || err2 != nil {
		return nil, &Error{Op: "Restore", Detail: fmt.Sprint("the snapshot does not encode: ", err1, err2), Err: ErrReplay}
	}
	if !bytes.Equal(a, b) {
		return nil, &Error{Op: "Restore", Detail: "the snapshot's state differs from its replayed events", Err: ErrReplay}
	}
	return c, nil
}
