package rosca

import (
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// EventKind names what an event records. Kinds are snake_case.
type EventKind string

// The event kinds.
const (
	EventContribution      EventKind = "contribution"       // Member paid Amount in
	EventBid               EventKind = "bid"                // Member bid Amount
	EventRoundClosed       EventKind = "round_closed"       // Result holds the round; Member is its winner
	EventWithdrawal        EventKind = "withdrawal"         // Member was paid Amount of Entitled
	EventFeesRetrieved     EventKind = "fees_retrieved"     // the foreperson (Member) took Amount of fees
	EventRemainderDisposed EventKind = "remainder_disposed" // Member received Amount of remainder
	EventHaltEnabled       EventKind = "halt_enabled"       // the operator (Member) enabled the halt
	EventHaltActivated     EventKind = "halt_activated"     // the foreperson (Member) activated it; Settlement holds the payments
	EventPlatformFeePaid   EventKind = "platform_fee_paid"  // the operator (Member) took Amount of the platform's fee
	EventBidSealed         EventKind = "bid_sealed"         // Member sealed a bid: Seal
	EventBidRevealed       EventKind = "bid_revealed"       // Member revealed its bid of Amount with Salt

	// The deterrents and membership changes (see [Deterrents]).
	EventCollateralPosted   EventKind = "collateral_posted"   // Member posted Amount of collateral
	EventCollateralApplied  EventKind = "collateral_applied"  // Party applied Amount of Member's collateral to what it owes
	EventCollateralReturned EventKind = "collateral_returned" // Member took back Amount of collateral
	EventPledged            EventKind = "pledged"             // Party pledged up to Amount for what Member owes
	EventGuarantorPaid      EventKind = "guarantor_paid"      // Party, Member's guarantor, paid Amount for it
	EventBountyPosted       EventKind = "bounty_posted"       // the foreperson (Party) posted the rules' bounty on Member's debt
	EventRecovered          EventKind = "recovered"           // Party brought in Amount recovered from Member and was paid Bounty
	EventDuesAccelerated    EventKind = "dues_accelerated"    // the foreperson (Party) demanded Member's future dues, Amount, at once
	EventMemberRemoved      EventKind = "member_removed"      // the foreperson (Party) removed Member for missed dues
	EventSeatTransferred    EventKind = "seat_transferred"    // Member's seat passed to Party, who paid Member Amount and posted Collateral
	EventMemberSubstituted  EventKind = "member_substituted"  // Party took Member's seat: Amount refunded to Member, Deduction kept, Collateral posted
)

type evKind uint8

const (
	evContribution evKind = iota + 1
	evBid
	evRoundClosed
	evWithdrawal
	evFeesRetrieved
	evRemainderDisposed
	evHaltEnabled
	evHaltActivated
	evPlatformFeePaid
	evBidSealed
	evBidRevealed
	evCollateralPosted // the first extended kind: its records carry an extra
	evCollateralApplied
	evCollateralReturned
	evPledged
	evGuarantorPaid
	evBountyPosted
	evRecovered
	evDuesAccelerated
	evMemberRemoved
	evSeatTransferred
	evMemberSubstituted
)

// evFirstExtended is the first kind whose records carry an extra (see extra).
const evFirstExtended = evCollateralPosted

var evNames = [...]EventKind{"", EventContribution, EventBid, EventRoundClosed, EventWithdrawal,
	EventFeesRetrieved, EventRemainderDisposed, EventHaltEnabled, EventHaltActivated, EventPlatformFeePaid, EventBidSealed, EventBidRevealed,
	EventCollateralPosted, EventCollateralApplied, EventCollateralReturned, EventPledged, EventGuarantorPaid,
	EventBountyPosted, EventRecovered, EventDuesAccelerated, EventMemberRemoved, EventSeatTransferred, EventMemberSubstituted}

// RoundResult is a closed round. Pot + CarriedIn = Winnings + Discount + Fee + Dust, and the
// Discount is shared as ShareEach to each of Recipients members plus DivisionRemainder
// (under [ShareAll] the discount joins the undivided pool instead, and ShareEach is
// informational). Remainder (Dust + DivisionRemainder) went to RemainderTo. DrawStart and
// Candidates describe the draw of a round won [ByDraw] (zero otherwise); they are derived
// from the config's seed, and [Replay] derives them again and refuses a log whose
// recorded draw differs. The zero
// RoundResult describes no round.
type RoundResult struct {
	Round      int           `json:"round"`
	Epoch      int           `json:"epoch"`
	Winner     token.Account `json:"winner"`
	Method     Method        `json:"method"`
	DrawStart  int           `json:"draw_start,omitempty"`
	Candidates int           `json:"candidates,omitempty"`
	Debt       bool          `json:"debt,omitempty"`
	Pot        token.Amount  `json:"pot"`
	Bid        token.Amount  `json:"bid"`
	// Offered, under [PriceSecondBid], is the winner's own bid; Bid is then the price it
	// takes, the second-best bid (omitted otherwise).
	Offered    token.Amount `json:"offered,omitzero"`
	Winnings   token.Amount `json:"winnings"`
	CarriedIn  token.Amount `json:"carried_in"`
	Discount   token.Amount `json:"discount"`
	Recipients int          `json:"recipients"`
	ShareEach  token.Amount `json:"share_each"`
	Fee        token.Amount `json:"fee"`
	// PlatformFee is the platform's fee on the pot, floor(P x PlatformFee) but at most the
	// winnings, taken from the winnings: the winner is credited Winnings - PlatformFee
	// (omitted when zero).
	PlatformFee       token.Amount `json:"platform_fee,omitzero"`
	Dust              token.Amount `json:"dust"`
	DivisionRemainder token.Amount `json:"division_remainder"`
	Remainder         token.Amount `json:"remainder"`
	RemainderTo       RemainderTo  `json:"remainder_to"`
	FeesReserved      token.Amount `json:"fees_reserved"`
	// Shortfall and Losses, on the last round only: the shortfall found at the end and its
	// allocation (see [LossPolicy]); omitted when there is none.
	Shortfall token.Amount `json:"shortfall,omitzero"`
	Losses    []LossLine   `json:"losses,omitempty"`
	// Interest, under [BidInterestExternal], is the winner's interest, due from it in every
	// later round of the epoch; InterestIn the interests of the members who won before it,
	// credited to it (each omitted when zero).
	Interest   token.Amount `json:"interest,omitzero"`
	InterestIn token.Amount `json:"interest_in,omitzero"`
	// LateFees are the late fees charged at the close (see [LateFee]); omitted when none.
	LateFees []LateFeeLine `json:"late_fees,omitempty"`
}

// Equal reports whether two results are the same.
func (r RoundResult) Equal(s RoundResult) bool {
	return r.Round == s.Round && r.Epoch == s.Epoch && r.Winner == s.Winner && r.Method == s.Method &&
		r.DrawStart == s.DrawStart && r.Candidates == s.Candidates && r.Debt == s.Debt &&
		r.Pot.Equal(s.Pot) && r.Bid.Equal(s.Bid) && r.Offered.Equal(s.Offered) && r.Winnings.Equal(s.Winnings) &&
		r.CarriedIn.Equal(s.CarriedIn) && r.Discount.Equal(s.Discount) && r.Recipients == s.Recipients &&
		r.ShareEach.Equal(s.ShareEach) && r.Fee.Equal(s.Fee) && r.PlatformFee.Equal(s.PlatformFee) && r.Dust.Equal(s.Dust) &&
		r.DivisionRemainder.Equal(s.DivisionRemainder) && r.Remainder.Equal(s.Remainder) &&
		r.RemainderTo == s.RemainderTo && r.FeesReserved.Equal(s.FeesReserved) &&
		r.Shortfall.Equal(s.Shortfall) && slices.EqualFunc(r.Losses, s.Losses, LossLine.Equal) &&
		slices.EqualFunc(r.LateFees, s.LateFees, LateFeeLine.Equal) && r.Interest.Equal(s.Interest) && r.InterestIn.Equal(s.InterestIn)
}

// result returns closed round k as a RoundResult.
func (c *Circle) result(k int) (r RoundResult) {
	rr := c.round(k)
	c.resultInto(k, &rr, &r)
	return r
}

// resultInto sets *r to closed round k, rr in its working form, field by field: built in
// place, so that a caller returning its own named result copies none of it.
func (c *Circle) resultInto(k int, rr *roundRec, r *RoundResult) {
	t := c.terms
	rx := rr.rd()
	r.Round, r.Epoch, r.Winner, r.Method = rr.round, rr.epoch, c.accountAtClose(rr.winner, k), methods[rr.method]
	r.DrawStart, r.Candidates, r.Debt, r.Recipients = rr.drawStart, rr.candidates, rr.debt, rr.recipients
	r.Pot, r.RemainderTo = t.potAmount, remainderTos[rr.remTo]
	remainder := rr.dust.add(rr.divRem)
	setAmounts(t.asset, []*token.Amount{
		&r.Bid, &r.Winnings, &r.CarriedIn, &r.Discount, &r.ShareEach, &r.Fee, &r.Dust, &r.DivisionRemainder, &r.Remainder, &r.FeesReserved,
		&r.Offered, &r.PlatformFee, &r.Shortfall, &r.Interest, &r.InterestIn, // optional: zero is no amount
	}, []*units{
		&rr.bid, &rr.winnings, &rr.carriedIn, &rr.discount, &rr.shareEach, &rr.fee, &rr.dust, &rr.divRem, &remainder, &rr.feesReserved,
		&rx.offered, &rx.platform, &rx.shortfall, &rx.interest, &rx.interestIn,
	}, 10)
	r.Losses, r.LateFees = slices.Clone(rx.losses), c.lateLines(k, rr)
}

// setAmounts sets each *to[i] to *from[i] as an amount of asset a, or to the zero Amount
// ("no amount", which JSON omits) when the figure is zero and i >= optional. When every
// figure is below 2^128, as nearly always, the conversions are inlined: a result's
// figures are converted at every close.
func setAmounts(a token.Asset, to []*token.Amount, from []*units, optional int) {
	for _, x := range from {
		if x.b != nil {
			for i, x := range from {
				*to[i] = x.amountIf(i < optional || !x.isZero(), a)
			}
			return
		}
	}
	for i, x := range from {
		if i >= optional && x.v.IsZero() {
			*to[i] = token.Amount{}
		} else {
			*to[i] = a.FromUint128Units(x.v.Hi, x.v.Lo)
		}
	}
}

// Rounds returns the closed rounds, oldest first.
func (c *Circle) Rounds() []RoundResult {
	if c.terms == nil {
		return nil
	}
	out := make([]RoundResult, len(c.closed))
	for i := range out {
		out[i] = c.result(i)
	}
	return out
}

// Event is one accepted command. Seq numbers the events of a circle from 1; amounts are of
// the circle's asset; times are UTC. Amount is the zero Amount for the kinds that carry
// none (round closed, halt enabled, halt activated), Entitled for every kind but a
// withdrawal. The zero Event is no event.
type Event struct {
	Seq        uint64           `json:"seq"`
	Kind       EventKind        `json:"kind"`
	At         time.Time        `json:"at"`
	Round      int              `json:"round"`
	Member     token.Account    `json:"member,omitempty"`
	Amount     token.Amount     `json:"amount,omitzero"`
	Entitled   token.Amount     `json:"entitled,omitzero"`
	Result     *RoundResult     `json:"result,omitempty"`
	Settlement []SettlementLine `json:"settlement,omitempty"`
	// Seal is a sealed bid's seal (bid sealed); Salt the salt it was revealed with (bid
	// revealed).
	Seal Seal `json:"seal,omitzero"`
	Salt Salt `json:"salt,omitzero"`
	// Party is the other account of a deterrent or membership event: the guarantor, the
	// collector of a recovery, the incoming member of a seat, the foreperson who acted.
	Party token.Account `json:"party,omitempty"`
	// Bounty is what the collector of a recovery was paid; Deduction what a substitution
	// kept of the outgoing member's contributions; Collateral what the incoming member of a
	// seat posted (each omitted when the kind carries none).
	Bounty     token.Amount `json:"bounty,omitzero"`
	Deduction  token.Amount `json:"deduction,omitzero"`
	Collateral token.Amount `json:"collateral,omitzero"`
}

// Equal reports whether two events are the same.
func (e Event) Equal(f Event) bool {
	if e.Seq != f.Seq || e.Kind != f.Kind || !e.At.Equal(f.At) || e.Round != f.Round || e.Member != f.Member ||
		!e.Amount.Equal(f.Amount) || !e.Entitled.Equal(f.Entitled) || (e.Result == nil) != (f.Result == nil) ||
		len(e.Settlement) != len(f.Settlement) || e.Seal != f.Seal || e.Salt != f.Salt || e.Party != f.Party ||
		!e.Bounty.Equal(f.Bounty) || !e.Deduction.Equal(f.Deduction) || !e.Collateral.Equal(f.Collateral) {
		return false
	}
	if e.Result != nil && !e.Result.Equal(*f.Result) {
		return false
	}
	for i := range e.Settlement {
		if !e.Settlement[i].Equal(f.Settlement[i]) {
			return false
		}
	}
	return true
}

// eventOf returns record r, the i-th of the log, as an Event. Each kind returns its event
// as one composite literal, built in place (no temporary copied afterwards). A close's
// result is written to *res and the event points to it; res nil, to a new RoundResult.
func (c *Circle) eventOf(i int, r *rec, res *RoundResult) Event {
	t := c.terms
	seq, kind, at, round := uint64(i)+1, evNames[r.kind], time.Unix(0, r.at).UTC(), r.round
	switch r.kind {
	case evRoundClosed:
		if res == nil {
			res = new(RoundResult)
		}
		*res = c.result(r.aux)
		return Event{Seq: seq, Kind: kind, At: at, Round: round, Member: res.Winner, Result: res}
	case evHaltEnabled, evPlatformFeePaid:
		return Event{Seq: seq, Kind: kind, At: at, Round: round, Member: t.cfg.Operator, Amount: r.amount.amountOrNone(t.asset)}
	case evHaltActivated:
		return Event{Seq: seq, Kind: kind, At: at, Round: round, Member: c.accountAt(r.seat, i),
			Settlement: slices.Clone(c.log.settlements[r.aux])}
	case evWithdrawal:
		return Event{Seq: seq, Kind: kind, At: at, Round: round, Member: c.accountAt(r.seat, i),
			Amount: r.amount.amount(t.asset), Entitled: r.entitled.amount(t.asset)}
	case evBidSealed:
		return Event{Seq: seq, Kind: kind, At: at, Round: round, Member: c.accountAt(r.seat, i), Seal: c.log.seals[r.aux]}
	case evBidRevealed:
		return Event{Seq: seq, Kind: kind, At: at, Round: round, Member: c.accountAt(r.seat, i),
			Amount: r.amount.amount(t.asset), Salt: c.log.seals[r.aux]}
	}
	if r.kind >= evFirstExtended {
		x := &c.log.extras[r.aux]
		return Event{Seq: seq, Kind: kind, At: at, Round: round, Member: c.accountAt(r.seat, i), Party: x.party,
			Amount: r.amount.amountIf(r.kind != evBountyPosted && r.kind != evMemberRemoved, t.asset), Bounty: x.second.amountIf(r.kind == evRecovered, t.asset),
			Deduction:  x.second.amountIf(r.kind == evMemberSubstituted, t.asset),
			Collateral: x.third.amountIf(r.kind == evSeatTransferred || r.kind == evMemberSubstituted, t.asset)}
	}
	return Event{Seq: seq, Kind: kind, At: at, Round: round, Member: c.accountAt(r.seat, i),
		Amount: r.amount.amount(t.asset)}
}

// record appends an event of kind at ns by seat in round with amount x.
func (c *Circle) record(kind evKind, ns int64, seat, round int, x units) {
	c.log.add(kind, ns, seat, round, &x, &c.terms.contribution)
}

// EventsAfter returns the events with a sequence number above seq, oldest first: all of
// them for seq 0, the new ones since a caller's last persisted event otherwise. It costs
// O(k) for the k events it yields, whatever the length of the log, so a service persists
// each command's events with
//
//	last := c.LastSeq()
//	err := c.Contribute(at, member, amount)
//	for e := range c.EventsAfter(last) { buf = e.AppendJSON(buf); ... }
//
// The sequence reads the log as it is when each event is yielded: do not run commands
// while ranging over it.
func (c *Circle) EventsAfter(seq uint64) iter.Seq[Event] {
	return func(yield func(Event) bool) {
		if c.terms == nil {
			return
		}
		if seq >= uint64(c.log.n) {
			return
		}
		var r rec
		cur := c.log.seek(int(seq), &r, &c.terms.contribution)
		for cur.i < c.log.n {
			i := cur.i
			c.log.next(&cur, &r, &c.terms.contribution)
			if !yield(c.eventOf(i, &r, nil)) {
				return
			}
		}
	}
}

// LastSeq returns the sequence number of the last event: the number of events, 0 when
// there is none.
func (c *Circle) LastSeq() uint64 { return uint64(c.log.n) }

// Events returns the whole event log, oldest first. It builds every event: to persist a
// circle after each command, read only the new ones with [Circle.EventsAfter].
func (c *Circle) Events() []Event {
	if c.terms == nil {
		return nil
	}
	out := make([]Event, 0, c.log.n)
	for e := range c.EventsAfter(0) {
		out = append(out, e)
	}
	return out
}

// Now returns the time of the last event, or the config's start if there is none; the next
// command may not be earlier than the last event. It is the zero time for the zero Circle.
func (c *Circle) Now() time.Time {
	switch {
	case c.terms == nil:
		return time.Time{}
	case c.log.n == 0:
		return c.terms.cfg.Start
	}
	return time.Unix(0, c.log.lastAt).UTC()
}

// Replay rebuilds a circle from its config and event log: it validates the config, runs
// each event's command again and checks that every event it produces equals the one
// given. Every draw is derived again from the config's seed: a log whose recorded draw
// (start position, number of candidates, method) or winner differs from what the seed
// draws is refused, and so is an honest log replayed under another seed once it holds a
// draw, so whoever writes the log cannot choose the lottery's winners. It reads the events
// as a stream ([Decoder.Events] reads a file without holding it; [ReplayEvents] replays a
// slice faster than slices.Values would) and keeps only the circle's own compact log. A
// log that is not exactly what a circle with this config produced returns an [*Error]
// wrapping [ErrReplay] whose Detail names the event; Replay never panics.
func Replay(cfg Config, events iter.Seq[Event]) (*Circle, error) {
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	if events == nil {
		return c, nil
	}
	i := 0
	var r rec
	for e := range events {
		if err := c.replayEvent(i, &e, &r); err != nil {
			return nil, err
		}
		i++
	}
	return c, nil
}

// ReplayEvents is [Replay] of a log held in a slice: the same checks and errors, each event
// read where it lies rather than copied out of an iterator (events is not modified).
func ReplayEvents(cfg Config, events []Event) (*Circle, error) {
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	var r rec
	for i := range events {
		if err := c.replayEvent(i, &events[i], &r); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// replayEvent runs the command of e, the i-th event of the log, and checks that it
// produces e; r is scratch space for the record it appends.
func (c *Circle) replayEvent(i int, e *Event, r *rec) error {
	contribution, err := c.apply(i, e)
	if err != nil {
		return &Error{Op: "Replay", Detail: fmt.Sprintf("event %d (seq %d, %s): %s", i, e.Seq, e.Kind, causeText(err)),
			Err: wrapReason(ErrReplay, err)}
	}
	var same bool
	if contribution {
		same = c.contributionRecorded(e)
	} else {
		cur := c.log.last // the record the command appended
		c.log.next(&cur, r, &c.terms.contribution)
		same = c.recorded(i, r, e)
	}
	if !same {
		return &Error{Op: "Replay", Detail: fmt.Sprintf("event %d (seq %d, %s) differs from the one the circle produces", i, e.Seq, e.Kind),
			Err: ErrReplay}
	}
	return nil
}

// contributionRecorded reports whether e, a contribution its command accepted, is the
// event that command recorded. A contribution's event is its command's time, member and
// amount (which the command took from e) in the open round, and nothing else, so only the
// round and the absence of every other field are left to compare.
func (c *Circle) contributionRecorded(e *Event) bool {
	return e.Round == int(c.log.end.round) && e.bare()
}

// bare reports whether e carries none of the fields beyond seq, kind, time, round, member
// and amount: what a contribution's or a bid's event carries.
func (e *Event) bare() bool {
	return !e.Entitled.IsValid() && e.Result == nil && len(e.Settlement) == 0 && e.Party == "" &&
		!e.Bounty.IsValid() && !e.Deduction.IsValid() && !e.Collateral.IsValid() && zero32((*[32]byte)(&e.Seal)) && zero32((*[32]byte)(&e.Salt))
}

// recorded reports whether e is the event of record r, the i-th of the log: it equals
// eventOf(i, r) (compared with [Event.Equal]), checked without building the event for the
// common kinds.
func (c *Circle) recorded(i int, r *rec, e *Event) bool {
	if r.kind == evContribution || r.kind == evBid {
		hi, lo, ok := e.Amount.Uint128Units()
		if ok && r.amount.b == nil && hi == r.amount.v.Hi && lo == r.amount.v.Lo && r.seat >= 0 {
			return e.Seq == uint64(i)+1 && e.Kind == evNames[r.kind] && e.Round == r.round && e.At.UnixNano() == r.at &&
				e.Member == c.accountAt(r.seat, i) && e.Amount.Asset() == c.terms.asset && e.bare()
		}
	}
	var res RoundResult // a close's result, compared in place: the event does not outlive the call
	return c.eventOf(i, r, &res).Equal(*e)
}

// sameOutcome returns an error naming the first way the recorded result of a close
// differs from the one the circle produced: method, draw, candidates or winner.
func sameOutcome(rec, got RoundResult) error {
	switch {
	case rec.Method != got.Method:
		return fmt.Errorf("round %d recorded as won %s, the circle decides it %s", got.Round, rec.Method, got.Method)
	case rec.DrawStart != got.DrawStart || rec.Candidates != got.Candidates:
		return fmt.Errorf("round %d recorded with draw start %d of %d candidates, the seed draws %d of %d",
			got.Round, rec.DrawStart, rec.Candidates, got.DrawStart, got.Candidates)
	case rec.Winner != got.Winner:
		return fmt.Errorf("round %d recorded as won by %s, the circle's winner is %s", got.Round, rec.Winner, got.Winner)
	}
	return nil
}

// apply runs the command that produced event e, the i-th of the log, and reports whether
// it was a contribution.
func (c *Circle) apply(i int, e *Event) (contribution bool, err error) {
	if e.Seq != uint64(i)+1 {
		return false, fmt.Errorf("seq %d, want %d", e.Seq, i+1)
	}
	switch e.Kind {
	case EventContribution:
		return true, c.Contribute(e.At, e.Member, e.Amount)
	case EventBid:
		err = c.Bid(e.At, e.Member, e.Amount)
	case EventRoundClosed:
		if e.Result == nil {
			return false, errors.New("round_closed without a result")
		}
		var got RoundResult
		if got, err = c.CloseRound(e.At); err == nil {
			err = sameOutcome(*e.Result, got)
		}
	case EventWithdrawal:
		_, err = c.Withdraw(e.At, e.Member)
	case EventFeesRetrieved:
		_, err = c.RetrieveFees(e.At, e.Member)
	case EventRemainderDisposed:
		_, _, err = c.DisposeRemainder(e.At, c.terms.cfg.Foreperson)
	case EventHaltEnabled:
		err = c.EnableHalt(e.At, e.Member)
	case EventHaltActivated:
		_, err = c.ActivateHalt(e.At, e.Member)
	case EventPlatformFeePaid:
		_, err = c.RetrievePlatformFee(e.At, e.Member)
	case EventBidSealed:
		err = c.SealBid(e.At, e.Member, e.Seal)
	case EventBidRevealed:
		err = c.RevealBid(e.At, e.Member, e.Amount, e.Salt)
	default:
		if k := kindOf(e.Kind); k >= evFirstExtended {
			return false, c.applyDeterrent(k, e)
		}
		return false, fmt.Errorf("unknown event kind %q", e.Kind)
	}
	return false, err
}
