package rosca

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

var (
	errDrawOutOfRange = errors.New("rosca: recorded draw start out of range")
	errDrawNotDrawn   = errors.New("rosca: round has a recorded draw but was not drawn")
	errMismatch       = errors.New("rosca: event differs from the replayed one")
)

// EventType names what an event records.
type EventType string

// The event types.
const (
	EventContribution      EventType = "contribution"       // Member paid Amount in
	EventBid               EventType = "bid"                // Member bid Amount
	EventRoundClosed       EventType = "round_closed"       // Result holds the round
	EventWithdrawal        EventType = "withdrawal"         // Member was paid Amount of Entitled
	EventFeesRetrieved     EventType = "fees_retrieved"     // the foreperson (Member) took Amount of fees
	EventRemainderDisposed EventType = "remainder_disposed" // Member received Amount of remainder
	EventHaltEnabled       EventType = "halt_enabled"       // the operator (Member) enabled the halt
	EventHaltActivated     EventType = "halt_activated"     // the foreperson activated it; Settlement holds the payments
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
)

var evNames = [...]EventType{"", EventContribution, EventBid, EventRoundClosed, EventWithdrawal,
	EventFeesRetrieved, EventRemainderDisposed, EventHaltEnabled, EventHaltActivated}

// rec is the compact stored form of an event: 32 bytes with no pointers, so that a log of
// millions of events costs the garbage collector nothing to scan.
type rec struct {
	at  int64  // unix nanoseconds, UTC
	lo  uint64 // the amount in minor units: hi<<64 | lo, or, when hi == bigAmount, index lo of eventLog.bigs
	hi  uint32
	mk  uint32 // kind<<24 | (seat+1); seat -1 is the operator
	rnd int32
	aux int32 // index into results (round closed) or extras (withdrawal, halt)
}

// bigAmount marks an amount of 96 bits or more, kept in eventLog.bigs.
const bigAmount = ^uint32(0)

func mkRec(at int64, kind evKind, seat, round, aux int) rec {
	return rec{at: at, mk: uint32(kind)<<24 | uint32(seat+1), rnd: int32(round), aux: int32(aux)}
}

func (r *rec) kind() evKind { return evKind(r.mk >> 24) }
func (r *rec) seat() int    { return int(r.mk&0xffffff) - 1 }

// chunkSize is the number of records per chunk of the log: the log grows by whole chunks
// and never copies old records.
const chunkSize = 4096

// eventLog stores records in chunks of chunkSize: the full ones, and the current one
// (which, for the first chunk, grows by append).
type eventLog struct {
	full [][]rec
	cur  []rec
	n    int
	bigs []big.Int // amounts of 96 bits or more
}

func (l *eventLog) at(i int) *rec {
	if k := i / chunkSize; k < len(l.full) {
		return &l.full[k][i%chunkSize]
	}
	return &l.cur[i%chunkSize]
}

// record appends r with the amount units (nil for none; not retained). Amounts below 2^96
// minor units are stored in the record without allocating.
func (c *Circle) record(r rec, units *big.Int) {
	l := &c.log
	if units != nil {
		r.lo, r.hi = c.pack(units)
	}
	if len(l.cur) == chunkSize {
		l.full = append(l.full, l.cur)
		l.cur = make([]rec, 0, chunkSize)
	}
	l.cur = append(l.cur, r)
	l.n++
}

// pack stores non-negative units as lo and hi (below 2^96), or in the log's side table.
func (c *Circle) pack(units *big.Int) (lo uint64, hi uint32) {
	switch {
	case units.IsUint64():
		return units.Uint64(), 0
	case units.BitLen() < 96:
		return units.Uint64(), uint32(c.rem.Rsh(units, 64).Uint64()) // Uint64: the low 64 bits
	}
	l := &c.log
	l.bigs = append(l.bigs, big.Int{})
	l.bigs[len(l.bigs)-1].Set(units)
	return uint64(len(l.bigs) - 1), bigAmount
}

// unpack returns the amount that pack stored.
func (c *Circle) unpack(lo uint64, hi uint32) decimal.Decimal {
	if hi == bigAmount {
		return c.dec(&c.log.bigs[lo])
	}
	var u big.Int
	u.SetUint64(uint64(hi))
	u.Lsh(&u, 64)
	return c.dec(u.Or(&u, new(big.Int).SetUint64(lo)))
}

func (c *Circle) recAmount(r *rec) decimal.Decimal { return c.unpack(r.lo, r.hi) }

// extra holds what some events carry beyond a record: a withdrawal's entitlement (packed
// like a record's amount) or a halt's settlement.
type extra struct {
	lo         uint64
	hi         uint32
	settlement []SettlementLine
}

// RoundResult is a closed round. Pot + CarriedIn = Winnings + Discount + Fee + Dust, and the
// Discount is shared as ShareEach to each of Recipients members plus DivisionRemainder
// (under [ShareAll] the discount joins the undivided pool instead, and ShareEach is
// informational). Remainder (Dust + DivisionRemainder) went to RemainderTo.
type RoundResult struct {
	Round             int             `json:"round"`
	Epoch             int             `json:"epoch"`
	Winner            token.Account   `json:"winner"`
	Method            Method          `json:"method"`
	DrawStart         int             `json:"draw_start,omitempty"`
	Candidates        int             `json:"candidates,omitempty"`
	Debt              bool            `json:"debt,omitempty"`
	Pot               decimal.Decimal `json:"pot"`
	Bid               decimal.Decimal `json:"bid"`
	Winnings          decimal.Decimal `json:"winnings"`
	CarriedIn         decimal.Decimal `json:"carried_in"`
	Discount          decimal.Decimal `json:"discount"`
	Recipients        int             `json:"recipients"`
	ShareEach         decimal.Decimal `json:"share_each"`
	Fee               decimal.Decimal `json:"fee"`
	Dust              decimal.Decimal `json:"dust"`
	DivisionRemainder decimal.Decimal `json:"division_remainder"`
	Remainder         decimal.Decimal `json:"remainder"`
	RemainderTo       RemainderTo     `json:"remainder_to"`
	FeesReserved      decimal.Decimal `json:"fees_reserved"`
}

// Equal reports whether two results are the same.
func (r RoundResult) Equal(s RoundResult) bool {
	return r.Round == s.Round && r.Epoch == s.Epoch && r.Winner == s.Winner && r.Method == s.Method &&
		r.DrawStart == s.DrawStart && r.Candidates == s.Candidates && r.Debt == s.Debt &&
		r.Pot.Equal(s.Pot) && r.Bid.Equal(s.Bid) && r.Winnings.Equal(s.Winnings) &&
		r.CarriedIn.Equal(s.CarriedIn) && r.Discount.Equal(s.Discount) && r.Recipients == s.Recipients &&
		r.ShareEach.Equal(s.ShareEach) && r.Fee.Equal(s.Fee) && r.Dust.Equal(s.Dust) &&
		r.DivisionRemainder.Equal(s.DivisionRemainder) && r.Remainder.Equal(s.Remainder) &&
		r.RemainderTo == s.RemainderTo && r.FeesReserved.Equal(s.FeesReserved)
}

func (c *Circle) result(i int) RoundResult {
	rr := &c.results[i]
	var rem decimal.Decimal
	{
		c.t1.Add(&rr.dust, &rr.divRem)
		rem = c.dec(&c.t1)
	}
	return RoundResult{
		Round: rr.round, Epoch: rr.epoch, Winner: c.members[rr.winner].acct, Method: rr.method,
		DrawStart: rr.drawStart, Candidates: rr.candidates, Debt: rr.debt,
		Pot: c.dec(&c.pot), Bid: c.dec(&rr.bid), Winnings: c.dec(&rr.winnings),
		CarriedIn: c.dec(&rr.carriedIn), Discount: c.dec(&rr.discount), Recipients: rr.recipients,
		ShareEach: c.dec(&rr.shareEach), Fee: c.dec(&rr.fee), Dust: c.dec(&rr.dust),
		DivisionRemainder: c.dec(&rr.divRem), Remainder: rem, RemainderTo: rr.remTo,
		FeesReserved: c.dec(&rr.feesReserved),
	}
}

// Rounds returns the closed rounds, oldest first.
func (c *Circle) Rounds() []RoundResult {
	out := make([]RoundResult, len(c.results))
	for i := range out {
		out[i] = c.result(i)
	}
	return out
}

// Event is one accepted command. Amounts are in whole units of the circle's asset, at the
// asset's scale; times are UTC. Seq is the event's index in the log, from 0.
type Event struct {
	Seq        int              `json:"seq"`
	Type       EventType        `json:"type"`
	At         time.Time        `json:"at"`
	Round      int              `json:"round"`
	Member     token.Account    `json:"member,omitempty"`
	Amount     decimal.Decimal  `json:"amount"`
	Entitled   decimal.Decimal  `json:"entitled"`
	Result     *RoundResult     `json:"result,omitempty"`
	Settlement []SettlementLine `json:"settlement,omitempty"`
}

// Equal reports whether two events are the same.
func (e Event) Equal(f Event) bool {
	if e.Seq != f.Seq || e.Type != f.Type || !e.At.Equal(f.At) || e.Round != f.Round || e.Member != f.Member ||
		!e.Amount.Equal(f.Amount) || !e.Entitled.Equal(f.Entitled) || (e.Result == nil) != (f.Result == nil) ||
		len(e.Settlement) != len(f.Settlement) {
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

// scale brings an amount to the asset's scale (exact: amounts are on the minor unit).
func (c *Circle) scale(d decimal.Decimal) decimal.Decimal {
	if d.Exponent() == -int32(c.decimals) {
		return d
	}
	return d.Round(int32(c.decimals))
}

func (c *Circle) event(i int) Event {
	r := c.log.at(i)
	e := Event{Seq: i, Type: evNames[r.kind()], At: time.Unix(0, r.at).UTC(), Round: int(r.rnd)}
	switch {
	case r.seat() >= 0:
		e.Member = c.members[r.seat()].acct
	case r.kind() == evHaltEnabled:
		e.Member = c.cfg.Operator
	}
	e.Amount = c.scale(c.recAmount(r))
	e.Entitled = c.scale(decimal.Decimal{})
	switch r.kind() {
	case evRoundClosed:
		res := c.result(int(r.aux))
		e.Result = &res
	case evWithdrawal:
		x := &c.extras[r.aux]
		e.Entitled = c.scale(c.unpack(x.lo, x.hi))
	case evHaltActivated:
		e.Settlement = append([]SettlementLine(nil), c.extras[r.aux].settlement...)
	}
	return e
}

// Events returns the event log, oldest first.
func (c *Circle) Events() []Event {
	out := make([]Event, c.log.n)
	for i := range out {
		out[i] = c.event(i)
	}
	return out
}

// Now returns the time of the last event, or the config's start if there is none; the next
// command may not be earlier.
func (c *Circle) Now() time.Time {
	if c.log.n == 0 {
		return c.cfg.Start
	}
	return time.Unix(0, c.lastAt).UTC()
}

// EventCount returns the number of events.
func (c *Circle) EventCount() int { return c.log.n }

// Replay rebuilds a circle from its config and event log: it validates the config, runs
// each event's command again (a draw takes the recorded start instead of drawing) and
// checks that every event it produces equals the one given. A log that is not exactly what
// a circle with this config produced returns a [*ReplayError]; Replay never panics.
func Replay(cfg Config, events []Event) (*Circle, error) {
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	for i, e := range events {
		if err := c.apply(i, e); err != nil {
			return nil, &ReplayError{Index: i, Cause: err}
		}
		if got := c.event(c.log.n - 1); !got.Equal(e) {
			return nil, &ReplayError{Index: i, Cause: errMismatch}
		}
	}
	return c, nil
}

func (c *Circle) apply(i int, e Event) error {
	if e.Seq != i {
		return fmt.Errorf("seq %d, want %d", e.Seq, i)
	}
	var err error
	switch e.Type {
	case EventContribution:
		err = c.Contribute(e.At, e.Member, e.Amount)
	case EventBid:
		err = c.Bid(e.At, e.Member, e.Amount)
	case EventRoundClosed:
		if e.Result == nil {
			return errors.New("round_closed without a result")
		}
		start := -1
		if e.Result.Method == ByDraw {
			start = e.Result.DrawStart
			if start < 0 {
				return errDrawOutOfRange
			}
		}
		_, err = c.closeAt(e.At, start)
	case EventWithdrawal:
		_, err = c.Withdraw(e.At, e.Member)
	case EventFeesRetrieved:
		_, err = c.RetrieveFees(e.At, e.Member)
	case EventRemainderDisposed:
		_, _, err = c.DisposeRemainder(e.At, c.cfg.Foreperson)
	case EventHaltEnabled:
		err = c.EnableHalt(e.At, e.Member)
	case EventHaltActivated:
		_, err = c.ActivateHalt(e.At, c.cfg.Foreperson)
	default:
		return fmt.Errorf("unknown event type %q", e.Type)
	}
	return err
}

// fmtAmount formats an amount at its own scale ("0.000000000000001000"), independent of
// shopspring's package settings.
func fmtAmount(d decimal.Decimal) string {
	p := -d.Exponent()
	if p < 0 {
		p = 0
	}
	return d.StringFixed(p)
}

// parseAmount parses a plain decimal string: an optional '-', digits, an optional '.'
// and digits; at most 100 characters.
func parseAmount(s string) (decimal.Decimal, error) {
	ok := len(s) > 0 && len(s) <= 100
	digits, dot := 0, false
	for i := 0; ok && i < len(s); i++ {
		switch ch := s[i]; {
		case ch >= '0' && ch <= '9':
			digits++
		case ch == '.' && !dot && i > 0:
			dot = true
		case ch == '-' && i == 0:
		default:
			ok = false
		}
	}
	if !ok || digits == 0 || s[len(s)-1] == '.' {
		return decimal.Decimal{}, fmt.Errorf("%w: amount %q", ErrReplay, s)
	}
	return decimal.NewFromString(s)
}

// amountJSON is an amount in JSON: a string formatted by fmtAmount.
type amountJSON decimal.Decimal

func (a amountJSON) MarshalJSON() ([]byte, error) {
	return json.Marshal(fmtAmount(decimal.Decimal(a)))
}

func (a *amountJSON) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%w: amount: %v", ErrReplay, err)
	}
	d, err := parseAmount(s)
	if err != nil {
		return err
	}
	*a = amountJSON(d)
	return nil
}

type roundResultJSON struct {
	Round             int           `json:"round"`
	Epoch             int           `json:"epoch"`
	Winner            token.Account `json:"winner"`
	Method            Method        `json:"method"`
	DrawStart         int           `json:"draw_start"`
	Candidates        int           `json:"candidates"`
	Debt              bool          `json:"debt"`
	Pot               amountJSON    `json:"pot"`
	Bid               amountJSON    `json:"bid"`
	Winnings          amountJSON    `json:"winnings"`
	CarriedIn         amountJSON    `json:"carried_in"`
	Discount          amountJSON    `json:"discount"`
	Recipients        int           `json:"recipients"`
	ShareEach         amountJSON    `json:"share_each"`
	Fee               amountJSON    `json:"fee"`
	Dust              amountJSON    `json:"dust"`
	DivisionRemainder amountJSON    `json:"division_remainder"`
	Remainder         amountJSON    `json:"remainder"`
	RemainderTo       RemainderTo   `json:"remainder_to"`
	FeesReserved      amountJSON    `json:"fees_reserved"`
}

// MarshalJSON encodes the result with amounts as decimal strings at their scale.
func (r RoundResult) MarshalJSON() ([]byte, error) {
	return json.Marshal(roundResultJSON{r.Round, r.Epoch, r.Winner, r.Method, r.DrawStart, r.Candidates, r.Debt,
		amountJSON(r.Pot), amountJSON(r.Bid), amountJSON(r.Winnings), amountJSON(r.CarriedIn), amountJSON(r.Discount),
		r.Recipients, amountJSON(r.ShareEach), amountJSON(r.Fee), amountJSON(r.Dust), amountJSON(r.DivisionRemainder),
		amountJSON(r.Remainder), r.RemainderTo, amountJSON(r.FeesReserved)})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (r *RoundResult) UnmarshalJSON(b []byte) error {
	var j roundResultJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*r = RoundResult{j.Round, j.Epoch, j.Winner, j.Method, j.DrawStart, j.Candidates, j.Debt,
		decimal.Decimal(j.Pot), decimal.Decimal(j.Bid), decimal.Decimal(j.Winnings), decimal.Decimal(j.CarriedIn),
		decimal.Decimal(j.Discount), j.Recipients, decimal.Decimal(j.ShareEach), decimal.Decimal(j.Fee),
		decimal.Decimal(j.Dust), decimal.Decimal(j.DivisionRemainder), decimal.Decimal(j.Remainder), j.RemainderTo,
		decimal.Decimal(j.FeesReserved)}
	return nil
}

type settlementLineJSON struct {
	Account token.Account `json:"account"`
	Fees    bool          `json:"fees,omitempty"`
	Claim   amountJSON    `json:"claim"`
	Paid    amountJSON    `json:"paid"`
}

// MarshalJSON encodes the line with amounts as decimal strings at their scale.
func (l SettlementLine) MarshalJSON() ([]byte, error) {
	return json.Marshal(settlementLineJSON{l.Account, l.Fees, amountJSON(l.Claim), amountJSON(l.Paid)})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (l *SettlementLine) UnmarshalJSON(b []byte) error {
	var j settlementLineJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*l = SettlementLine{j.Account, j.Fees, decimal.Decimal(j.Claim), decimal.Decimal(j.Paid)}
	return nil
}

type eventJSON struct {
	Seq        int              `json:"seq"`
	Type       EventType        `json:"type"`
	At         time.Time        `json:"at"`
	Round      int              `json:"round"`
	Member     token.Account    `json:"member,omitempty"`
	Amount     amountJSON       `json:"amount"`
	Entitled   amountJSON       `json:"entitled"`
	Result     *RoundResult     `json:"result,omitempty"`
	Settlement []SettlementLine `json:"settlement,omitempty"`
}

// MarshalJSON encodes the event with stable field names, amounts as decimal strings at
// the asset's scale and the time in RFC 3339.
func (e Event) MarshalJSON() ([]byte, error) {
	return json.Marshal(eventJSON{e.Seq, e.Type, e.At.UTC(), e.Round, e.Member, amountJSON(e.Amount),
		amountJSON(e.Entitled), e.Result, e.Settlement})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (e *Event) UnmarshalJSON(b []byte) error {
	var j eventJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = Event{j.Seq, j.Type, j.At.UTC(), j.Round, j.Member, decimal.Decimal(j.Amount), decimal.Decimal(j.Entitled),
		j.Result, j.Settlement}
	return nil
}
