package crowdsale

import (
	"fmt"
	"maps"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// EventKind names an event of the sale's log.
type EventKind string

// The events of a sale. Commands (contribution, closing-rate, clock, shift, finalized,
// distributed) are replayed; the others are decisions the sale derives and Replay checks.
const (
	EventContribution EventKind = "contribution" // a contribution accepted, with quotes, median, tier and value
	EventRefund       EventKind = "refund"       // an amount returned (cap excess, or failed sale)
	EventEnded        EventKind = "ended"        // the sale ended, with the reason
	EventClosingRate  EventKind = "closing-rate" // a daily closing rate recorded
	EventFiatDay      EventKind = "fiat-day"     // the fiat rule judged a day
	EventClock        EventKind = "clock"        // Advance moved the clock
	EventShift        EventKind = "shift"        // the schedule moved before the start
	EventFinalized    EventKind = "finalized"    // the sale was finalized, with its outcome
	EventAllocated    EventKind = "allocated"    // a participant's share of the pool
	EventDistributed  EventKind = "distributed"  // the allocations were transferred in a ledger
)

// Event is one entry of the sale's log; exactly one payload pointer matches Kind (none for
// clock). Events round-trip through JSON.
type Event struct {
	Seq          int                `json:"seq"`
	Kind         EventKind          `json:"kind"`
	At           time.Time          `json:"at"`
	Contribution *ContributionEvent `json:"contribution,omitempty"`
	Refund       *Refund            `json:"refund,omitempty"`
	End          *End               `json:"end,omitempty"`
	ClosingRate  *ClosingRate       `json:"closing_rate,omitempty"`
	FiatDay      *FiatDay           `json:"fiat_day,omitempty"`
	Shift        *Shift             `json:"shift,omitempty"`
	Finalized    *Finalization      `json:"finalized,omitempty"`
	Allocation   *Allocation        `json:"allocation,omitempty"`
	Distributed  *Distribution      `json:"distributed,omitempty"`
}

// ContributionEvent is an accepted contribution and the decisions taken on it.
type ContributionEvent struct {
	ID          string                     `json:"id"`
	Participant token.Account              `json:"participant"`
	Asset       token.Asset                `json:"asset"`
	Amount      decimal.Decimal            `json:"amount"` // received
	Quotes      map[string]decimal.Decimal `json:"quotes,omitempty"`
	Median      decimal.Decimal            `json:"median"` // the peg used (zero for the reference)
	Tier        int                        `json:"tier"`
	Bonus       Bonus                      `json:"bonus"`
	Value       decimal.Decimal            `json:"value"`    // accepted value in the reference, no bonus
	Accepted    decimal.Decimal            `json:"accepted"` // accepted amount
	Refund      decimal.Decimal            `json:"refund"`   // excess refunded (cap)
}

// End records why and when the sale ended.
type End struct {
	Reason EndReason `json:"reason"`
	At     time.Time `json:"at"`
}

// Shift records a move of the schedule.
type Shift struct {
	By time.Duration `json:"by"`
}

// Finalization records the outcome of Finalize.
type Finalization struct {
	Outcome       Outcome         `json:"outcome"`
	Raised        decimal.Decimal `json:"raised"`
	Participants  int             `json:"participants"`
	Contributions int             `json:"contributions"`
}

// Distribution records the transfer of the allocations into a ledger.
type Distribution struct {
	Transfers int             `json:"transfers"`
	Total     decimal.Decimal `json:"total"`
}

// Events returns the sale's log, in order, numbered from 0. It is built on demand from the
// sale's compact records.
func (s *Sale) Events() []Event {
	out := make([]Event, 0, s.recs.len()+len(s.log))
	li := 0
	flush := func(pos int) {
		for li < len(s.log) && s.log[li].pos <= pos {
			out = s.appendEntry(out, &s.log[li])
			li++
		}
	}
	for i := 0; i < s.recs.len(); i++ {
		flush(i)
		out = append(out, s.contributionEvent(i))
	}
	flush(s.recs.len())
	for i := range out {
		out[i].Seq = i
	}
	return out
}

func (s *Sale) appendEntry(out []Event, le *logEntry) []Event {
	switch le.expand {
	case 1:
		for _, a := range s.Allocations() {
			a := a
			out = append(out, Event{Kind: EventAllocated, At: le.ev.At, Allocation: &a})
		}
	case 2:
		for i := 0; i < s.recs.len(); i++ {
			if r, ok := s.minimumRefund(i); ok {
				out = append(out, Event{Kind: EventRefund, At: le.ev.At, Refund: &r})
			}
		}
	default:
		out = append(out, le.ev.clone())
	}
	return out
}

// clone returns a copy of e that shares no memory with it, so that callers of Events can
// not change the sale's log.
func (e Event) clone() Event {
	if e.Contribution != nil {
		c := *e.Contribution
		c.Quotes = maps.Clone(c.Quotes)
		e.Contribution = &c
	}
	e.Refund = clonePtr(e.Refund)
	e.End = clonePtr(e.End)
	e.ClosingRate = clonePtr(e.ClosingRate)
	if e.FiatDay != nil {
		d := e.FiatDay.clone()
		e.FiatDay = &d
	}
	e.Shift = clonePtr(e.Shift)
	e.Finalized = clonePtr(e.Finalized)
	e.Allocation = clonePtr(e.Allocation)
	e.Distributed = clonePtr(e.Distributed)
	return e
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func (s *Sale) contributionEvent(i int) Event {
	rc := s.receipt(i)
	r := s.recs.at(i)
	ce := &ContributionEvent{
		ID: rc.ID, Participant: rc.Participant, Asset: rc.Asset, Amount: rc.Received,
		Median: rc.Median, Tier: rc.Tier, Bonus: rc.Bonus, Value: rc.Value(),
		Accepted: rc.Accepted, Refund: rc.Refund,
	}
	if ce.Refund.Sign() == 0 {
		ce.Refund = decimal.Zero
	}
	if ce.Median.Sign() == 0 {
		ce.Median = decimal.Zero
	}
	if r.quote >= 0 {
		q := &s.quotes[r.quote]
		ce.Quotes = make(map[string]decimal.Decimal)
		for si, src := range s.p.sources {
			if q.present&(1<<uint(si)) != 0 {
				ce.Quotes[src] = q.rates[si]
			}
		}
	}
	return Event{Kind: EventContribution, At: rc.At, Contribution: ce}
}

// Replay rebuilds a sale from its config (the one it was created with, see
// Sale.InitialConfig) and event log: it re-runs the commands
// (contributions, closing rates, clock moves, shifts, finalization, distribution; a replayed
// distribution is marked done without a ledger) and checks that the sale derives exactly the
// logged decisions. A log that does not replay, was tampered with or is out of order returns
// a *ReplayError; Replay never panics. A prefix of a log cut between commands is itself a
// valid log (the sale as it stood then).
func Replay(cfg Config, events []Event) (*Sale, error) {
	s, err := NewSale(cfg)
	if err != nil {
		return nil, err
	}
	for i, e := range events {
		fail := func(err error, detail string) error {
			return &ReplayError{Index: i, Kind: e.Kind, Err: err, Detail: detail}
		}
		if e.Seq != i {
			return nil, fail(nil, fmt.Sprintf("sequence number %d", e.Seq))
		}
		switch e.Kind {
		case EventContribution:
			c := e.Contribution
			if c == nil {
				return nil, fail(nil, "missing payload")
			}
			before := s.recs.len()
			if _, err := s.Contribute(Contribution{ID: c.ID, Participant: c.Participant, Asset: c.Asset,
				Amount: c.Amount, At: e.At, Quotes: c.Quotes}); err != nil {
				return nil, fail(err, "")
			}
			if s.recs.len() != before+1 {
				return nil, fail(nil, "repeated contribution")
			}
		case EventClosingRate:
			c := e.ClosingRate
			if c == nil {
				return nil, fail(nil, "missing payload")
			}
			n := len(s.closingLog)
			if err := s.RecordClosingRate(c.Day, c.Source, c.Asset, c.Rate); err != nil {
				return nil, fail(err, "")
			}
			if len(s.closingLog) != n+1 {
				return nil, fail(nil, "repeated closing rate")
			}
		case EventClock:
			if _, err := s.Advance(e.At); err != nil {
				return nil, fail(err, "")
			}
		case EventShift:
			if e.Shift == nil {
				return nil, fail(nil, "missing payload")
			}
			if err := s.Shift(e.At, e.Shift.By); err != nil {
				return nil, fail(err, "")
			}
		case EventFinalized:
			if err := s.Finalize(e.At); err != nil {
				return nil, fail(err, "")
			}
		case EventDistributed:
			if !s.finalized || s.outcome != OutcomeSucceeded || s.distributed {
				return nil, fail(ErrState, "distribution of a sale that cannot distribute")
			}
			n := 0
			for k := range s.alloc {
				if s.alloc[k].Sign() > 0 {
					n++
				}
			}
			s.distributed = true
			s.appendLog(Event{Kind: EventDistributed, At: s.now.UTC(), Distributed: &Distribution{Transfers: n, Total: s.cfg.Pool}})
		case EventRefund, EventEnded, EventFiatDay, EventAllocated:
			// derived: checked below
		default:
			return nil, fail(nil, "unknown kind")
		}
	}
	got := s.Events()
	for i := range min(len(got), len(events)) {
		if !got[i].Equal(events[i]) {
			return nil, &ReplayError{Index: i, Kind: events[i].Kind, Detail: "differs from the sale's decision (" + string(got[i].Kind) + ")"}
		}
	}
	if len(got) != len(events) {
		i := min(len(got), len(events))
		k := EventKind("")
		if i < len(events) {
			k = events[i].Kind
		}
		return nil, &ReplayError{Index: i, Kind: k, Detail: fmt.Sprintf("the log has %d events, the sale derives %d", len(events), len(got))}
	}
	return s, nil
}

// Equal reports whether e and o are the same event (decimals compared by value, times by
// instant).
func (e Event) Equal(o Event) bool {
	if e.Seq != o.Seq || e.Kind != o.Kind || !e.At.Equal(o.At) {
		return false
	}
	return eqPtr(e.Contribution, o.Contribution, ContributionEvent.equal) &&
		eqPtr(e.Refund, o.Refund, func(a, b Refund) bool {
			return a.ContributionID == b.ContributionID && a.Participant == b.Participant &&
				a.Asset.Equal(b.Asset) && a.Amount.Equal(b.Amount) && a.Reason == b.Reason
		}) &&
		eqPtr(e.End, o.End, func(a, b End) bool { return a.Reason == b.Reason && a.At.Equal(b.At) }) &&
		eqPtr(e.ClosingRate, o.ClosingRate, func(a, b ClosingRate) bool {
			return a.Day.Equal(b.Day) && a.Source == b.Source && a.Asset.Equal(b.Asset) && a.Rate.Equal(b.Rate)
		}) &&
		eqPtr(e.FiatDay, o.FiatDay, FiatDay.equal) &&
		eqPtr(e.Shift, o.Shift, func(a, b Shift) bool { return a == b }) &&
		eqPtr(e.Finalized, o.Finalized, func(a, b Finalization) bool {
			return a.Outcome == b.Outcome && a.Raised.Equal(b.Raised) && a.Participants == b.Participants && a.Contributions == b.Contributions
		}) &&
		eqPtr(e.Allocation, o.Allocation, func(a, b Allocation) bool {
			return a.Participant == b.Participant && a.Amount.Equal(b.Amount)
		}) &&
		eqPtr(e.Distributed, o.Distributed, func(a, b Distribution) bool {
			return a.Transfers == b.Transfers && a.Total.Equal(b.Total)
		})
}

func eqPtr[T any](a, b *T, eq func(T, T) bool) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return eq(*a, *b)
}

func (c ContributionEvent) equal(o ContributionEvent) bool {
	if c.ID != o.ID || c.Participant != o.Participant || !c.Asset.Equal(o.Asset) || !c.Amount.Equal(o.Amount) ||
		!c.Median.Equal(o.Median) || c.Tier != o.Tier || !c.Bonus.Equal(o.Bonus) || !c.Value.Equal(o.Value) ||
		!c.Accepted.Equal(o.Accepted) || !c.Refund.Equal(o.Refund) || len(c.Quotes) != len(o.Quotes) {
		return false
	}
	for k, v := range c.Quotes {
		w, ok := o.Quotes[k]
		if !ok || !v.Equal(w) {
			return false
		}
	}
	return true
}

func (d FiatDay) equal(o FiatDay) bool {
	eqAmounts := func(a, b []Amount) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if !a[i].Asset.Equal(b[i].Asset) || !a[i].Amount.Equal(b[i].Amount) {
				return false
			}
		}
		return true
	}
	if !d.Day.Equal(o.Day) || !d.JudgedAt.Equal(o.JudgedAt) || d.Status != o.Status || !d.Value.Equal(o.Value) ||
		d.Streak != o.Streak || !eqAmounts(d.Collected, o.Collected) || !eqAmounts(d.Rates, o.Rates) || len(d.Missing) != len(o.Missing) {
		return false
	}
	for i := range d.Missing {
		if !d.Missing[i].Day.Equal(o.Missing[i].Day) || !d.Missing[i].Asset.Equal(o.Missing[i].Asset) {
			return false
		}
	}
	return true
}
