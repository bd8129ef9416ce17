package crowdsale

import (
	"iter"
	"maps"
	"sort"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// EventKind names an event of the sale's log; the names are snake_case.
type EventKind string

// The events of a sale. Commands (contribution, closing_rate, clock, shift, finalized,
// distributed, registered, paused, resumed, refund_paid, release_approved) are replayed; the others are decisions the sale derives and Replay checks.
const (
	EventContribution    EventKind = "contribution"     // a contribution accepted, with quotes, median, tier and value
	EventRefund          EventKind = "refund"           // an amount returned (cap excess, or failed sale)
	EventEnded           EventKind = "ended"            // the sale ended, with the reason
	EventClosingRate     EventKind = "closing_rate"     // a daily closing rate recorded
	EventFiatDay         EventKind = "fiat_day"         // the fiat rule judged a day
	EventClock           EventKind = "clock"            // Advance moved the clock
	EventShift           EventKind = "shift"            // the schedule moved before the start
	EventFinalized       EventKind = "finalized"        // the sale was finalized, with its outcome
	EventAllocated       EventKind = "allocated"        // a participant's share of the pool
	EventDistributed     EventKind = "distributed"      // the allocations were transferred in a ledger
	EventRegistered      EventKind = "registered"       // a participant registered or updated in the registry
	EventPaused          EventKind = "paused"           // the administrator paused intake, with a reason
	EventResumed         EventKind = "resumed"          // the administrator resumed intake, with a reason
	EventRefundPaid      EventKind = "refund_paid"      // a decided refund paid, with its payment reference
	EventReleaseApproved EventKind = "release_approved" // an escrow key holder approved a release
	EventReleased        EventKind = "released"         // a release reached its approvals and left the escrow
)

// known reports whether k is one of the kinds above.
func (k EventKind) known() bool {
	switch k {
	case EventContribution, EventRefund, EventEnded, EventClosingRate, EventFiatDay, EventClock,
		EventShift, EventFinalized, EventAllocated, EventDistributed, EventRegistered, EventPaused, EventResumed,
		EventRefundPaid, EventReleaseApproved, EventReleased:
		return true
	}
	return false
}

// derived reports whether k is a decision the sale derives rather than a command.
func (k EventKind) derived() bool {
	return k == EventRefund || k == EventEnded || k == EventFiatDay || k == EventAllocated || k == EventReleased
}

// EventVersion is the format version every event's JSON carries as "v".
const EventVersion = 1

// Event is one entry of the sale's log. Seq numbers the events from 1 in the order they
// happened; exactly one payload pointer matches Kind (none for clock). The zero Event
// records nothing; Replay refuses it.
//
// Its JSON, written by [Event.AppendJSON] and read by [Event.UnmarshalJSON], starts with the
// version, the sequence number, the kind and the time, then the payload under the kind's
// name; empty fields are left out:
//
//	{"v":1,"seq":3,"kind":"contribution","at":"2017-03-10T12:00:00Z","contribution":{"id":"tx1",
//	 "participant":"alice","amount":"40.00000000 BTC","tier":2,"bonus":"20%",
//	 "value":"40.000000000000000000000000000 BTC","accepted":"40.00000000 BTC"}}
//
// Amounts are [token.Amount] text, bonuses [token.Ratio] text, times UTC RFC 3339 with
// nanoseconds, durations Go duration strings; the bytes do not depend on any package
// setting of shopspring/decimal.
type Event struct {
	Seq          uint64
	Kind         EventKind
	At           time.Time // when it happened, in UTC; zero for a closing rate recorded before any command
	Contribution *ContributionEvent
	Refund       *Refund
	End          *End
	ClosingRate  *ClosingRate
	FiatDay      *FiatDay
	Shift        *Shift
	Finalized    *Finalization
	Allocation   *Allocation
	Distributed  *Distribution
	Registered   *Registrant
	Pause        *Pause // of a paused or resumed event
	RefundPaid   *RefundPayment
	Approval     *Approval
	Released     *Release
}

// ContributionEvent is an accepted contribution and the decisions taken on it. The zero
// ContributionEvent records nothing.
type ContributionEvent struct {
	ID          string
	Participant token.Account
	Amount      token.Amount            // received, in its currency
	Quotes      map[string]token.Amount // the quotes given, nil for the reference
	Rounded     map[string]token.Amount // the quotes used where given at other decimals (see QuoteRule.Rounding); nil when none
	Median      token.Amount            // the peg used, in [Config.ValueAsset]; the zero Amount for the reference
	Tier        int                     // index of the bonus tier
	Bonus       token.Ratio             // the tier's bonus
	Value       token.Amount            // accepted value in the reference, no bonus, in [Config.ValueAsset]
	Accepted    token.Amount            // accepted amount
	Refund      token.Amount            // excess refunded at once (cap), zero of the currency when none
}

// End records why and when the sale ended. The zero End records nothing.
type End struct {
	Reason EndReason
	At     time.Time
}

// Shift records a move of the schedule. The zero Shift moves nothing.
type Shift struct {
	By time.Duration
}

// Finalization records the outcome of Finalize. The zero Finalization records nothing.
type Finalization struct {
	Outcome       Outcome
	Raised        token.Amount // in [Config.ValueAsset]
	Participants  int
	Contributions int
}

// Distribution records the payment of the allocations into a ledger: the number of
// participants paid (by transfer, or by a vesting grant under a lock-up) and the sum of the
// allocations (the pool, or what was bought at a fixed price). A [Sale.DistributeLocked]
// also records its lock-up, as used (the schedule's Total is the zero Amount: each grant's
// total is its participant's allocation; times in UTC), and the ledger's id of the first
// grant: the others follow it one by one in allocation order, participants allocated
// nothing skipped. The zero Distribution records nothing.
type Distribution struct {
	Transfers  int
	Total      token.Amount
	LockUp     *LockUp         // nil for a plain Distribute
	FirstGrant token.VestingID // the first participant's grant under a lock-up; 0 without one, or without grants
}

// The expansions of a log entry: an entry that stands for many events, built when listed.
const (
	expandNone        = iota
	expandAllocations // the allocations of a successful Finalize
	expandRefunds     // the refunds of a failed Finalize
)

// logEntry is an event other than a contribution, or the events an expansion stands for.
// The log is append-only; contributions are listed from the sale's records between entries.
type logEntry struct {
	seq    uint64 // Seq of its first event
	pos    int    // number of contributions before it
	n      int    // number of events it stands for
	expand uint8
	ev     Event
}

func (s *Sale) appendLog(e Event) {
	s.log = append(s.log, logEntry{seq: s.nEvents + 1, pos: s.recs.len(), n: 1, ev: e})
	s.nEvents++
}

func (s *Sale) appendExpanded(kind uint8, at time.Time, n int) {
	s.log = append(s.log, logEntry{seq: s.nEvents + 1, pos: s.recs.len(), n: n, expand: kind, ev: Event{At: at}})
	s.nEvents += uint64(n)
}

// LastSeq returns the Seq of the last event, 0 for a sale without events.
func (s *Sale) LastSeq() uint64 { return s.nEvents }

// cursor is a position in the log: the next log entry, the offset inside it, and the next
// contribution.
type cursor struct {
	entry, offset, contribution int
}

// seek returns the cursor of the event with Seq seq (1 <= seq <= LastSeq), in O(log n) of
// the log's entries.
func (s *Sale) seek(seq uint64) cursor {
	j := sort.Search(len(s.log), func(j int) bool { return s.log[j].seq+uint64(s.log[j].n) > seq })
	if j < len(s.log) && s.log[j].seq <= seq {
		return cursor{entry: j, offset: int(seq - s.log[j].seq), contribution: s.log[j].pos}
	}
	// a contribution: seq - 1 events before it, of which the log entries before j
	logged := s.nEvents - uint64(s.recs.len())
	if j < len(s.log) {
		logged = s.log[j].seq - 1 - uint64(s.log[j].pos)
	}
	return cursor{entry: j, contribution: int(seq - 1 - logged)}
}

// next returns the event at c and advances c; ok is false at the end of the log.
func (s *Sale) next(c *cursor) (Event, bool) {
	for c.entry < len(s.log) && s.log[c.entry].pos <= c.contribution {
		le := &s.log[c.entry]
		if c.offset < le.n {
			e := s.entryEvent(le, c.offset)
			e.Seq = le.seq + uint64(c.offset)
			c.offset++
			return e, true
		}
		c.entry, c.offset = c.entry+1, 0
	}
	if c.contribution < s.recs.len() {
		e := s.contributionEvent(c.contribution)
		c.contribution++
		e.Seq = uint64(c.contribution)
		if c.entry > 0 {
			prev := &s.log[c.entry-1]
			e.Seq += prev.seq + uint64(prev.n) - 1 - uint64(prev.pos)
		}
		return e, true
	}
	return Event{}, false
}

// eventAt returns the event with Seq seq (1 <= seq <= LastSeq).
func (s *Sale) eventAt(seq uint64) Event {
	c := s.seek(seq)
	e, _ := s.next(&c)
	return e
}

// EventsAfter returns the events whose Seq is above seq, in order: EventsAfter(0) is the
// whole log, EventsAfter(LastSeq()) nothing. It costs O(k) for the k events it yields (after
// a logarithmic search), so a service persists each command's events without rebuilding
// the log. The events share no memory with the sale. The sale must not change while the
// sequence is iterated.
func (s *Sale) EventsAfter(seq uint64) iter.Seq[Event] {
	return func(yield func(Event) bool) {
		if seq >= s.nEvents {
			return
		}
		c := s.seek(seq + 1)
		for {
			e, ok := s.next(&c)
			if !ok || !yield(e) {
				return
			}
		}
	}
}

// Events returns the sale's whole log, in order, numbered from 1; to persist it as it
// grows, use EventsAfter. It is built on demand from the sale's compact records.
func (s *Sale) Events() []Event {
	if s.nEvents == 0 {
		return nil
	}
	out := make([]Event, 0, s.nEvents)
	for e := range s.EventsAfter(0) {
		out = append(out, e)
	}
	return out
}

// entryEvent returns the event at offset k of a log entry.
func (s *Sale) entryEvent(le *logEntry, k int) Event {
	switch le.expand {
	case expandAllocations:
		a := s.allocation(k)
		return Event{Kind: EventAllocated, At: le.ev.At, Allocation: &a}
	case expandRefunds:
		r := s.minimumRefundAt(k)
		return Event{Kind: EventRefund, At: le.ev.At, Refund: &r}
	}
	return le.ev.clone()
}

// clone returns a copy of e that shares no memory with it, so that callers of Events can
// not change the sale's log.
func (e Event) clone() Event {
	if e.Contribution != nil {
		c := *e.Contribution
		c.Quotes, c.Rounded = maps.Clone(c.Quotes), maps.Clone(c.Rounded)
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
	if e.Distributed != nil {
		d := *e.Distributed
		d.LockUp = clonePtr(d.LockUp)
		e.Distributed = &d
	}
	e.Pause = clonePtr(e.Pause)
	e.RefundPaid = clonePtr(e.RefundPaid)
	e.Approval = clonePtr(e.Approval)
	e.Released = clonePtr(e.Released)
	if e.Registered != nil {
		e.Registered = new(e.Registered.clone())
	}
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
		ID: rc.ID, Participant: rc.Participant, Amount: rc.Received,
		Median: rc.Median, Tier: rc.Tier, Bonus: rc.Bonus, Value: rc.Value(),
		Accepted: rc.Accepted, Refund: rc.Refund,
	}
	if r.quote >= 0 {
		q := s.quotes.at(int(r.quote))
		ce.Quotes = make(map[string]token.Amount, len(s.p.sources))
		for si, src := range s.p.sources {
			if q.present&(1<<uint(si)) != 0 {
				ce.Quotes[src] = q.rates[si]
				if q.used != nil && q.used[si].IsValid() {
					if ce.Rounded == nil {
						ce.Rounded = make(map[string]token.Amount, 1)
					}
					ce.Rounded[src] = q.used[si]
				}
			}
		}
	}
	return Event{Kind: EventContribution, At: rc.At, Contribution: ce}
}

// replayErr is the error of an event that does not replay.
func replayErr(e *Event, cause error, detail string) error {
	d := "event " + strconv.FormatUint(e.Seq, 10) + " (" + string(e.Kind) + ")"
	if detail != "" {
		d += ": " + detail
	}
	if cause != nil {
		d += ": " + causeText(cause)
	}
	return &Error{Op: "Replay", At: e.At, Detail: d, Err: because(ErrReplay, cause)}
}

// Replay rebuilds a sale from its config (the one it was created with, see
// Sale.InitialConfig) and its event log, read once as a stream (pass slices.Values(events)
// for a slice): it re-runs the commands (contributions, closing rates, clock moves, shifts,
// finalization, distribution; a replayed distribution is marked done without a ledger, a
// lock-up it records checked as [Sale.DistributeLocked] checks it) and
// checks, event by event, that the sale derives exactly the logged decisions. Only the
// decisions logged before the command that derives them are held until it comes.
//
// A log that does not replay, was tampered with, is numbered other than 1, 2, 3... or is
// out of order returns an [*Error] wrapping [ErrReplay] (and the command's error, when a
// command was refused); an invalid config the error of [NewSale]. Replay never panics. A
// prefix of a log cut between commands is itself a valid log (the sale as it stood then).
func Replay(cfg Config, events iter.Seq[Event]) (*Sale, error) {
	s, err := NewSale(cfg)
	if err != nil {
		return nil, err
	}
	if events == nil {
		return s, nil
	}
	var held []Event // derived events logged before the command that derives them
	var n uint64
	for e := range events {
		n++
		if e.Seq != n {
			return nil, replayErr(&e, nil, "sequence number "+strconv.FormatUint(e.Seq, 10)+", want "+strconv.FormatUint(n, 10))
		}
		switch {
		case e.Seq <= s.nEvents: // already derived
			if err := s.matches(&e); err != nil {
				return nil, err
			}
			continue
		case !e.Kind.known():
			return nil, replayErr(&e, nil, "unknown kind")
		case e.Kind.derived():
			held = append(held, e)
			continue
		}
		if err := s.replayCommand(&e); err != nil {
			return nil, err
		}
		for i := range held {
			if err := s.matches(&held[i]); err != nil {
				return nil, err
			}
		}
		held = held[:0]
		if err := s.matches(&e); err != nil {
			return nil, err
		}
	}
	if len(held) > 0 || n != s.nEvents {
		e := Event{Seq: n}
		if len(held) > 0 {
			e = held[0]
		}
		return nil, replayErr(&e, nil, "the log has "+strconv.FormatUint(n, 10)+" events, the sale derives "+strconv.FormatUint(s.nEvents, 10))
	}
	return s, nil
}

// matches checks that the sale derived e.
func (s *Sale) matches(e *Event) error {
	if e.Seq > s.nEvents {
		return replayErr(e, nil, "the sale derives no such event")
	}
	if got := s.eventAt(e.Seq); !got.Equal(*e) {
		return replayErr(e, nil, "differs from the sale's decision ("+string(got.Kind)+")")
	}
	return nil
}

// replayCommand runs the command that e records.
func (s *Sale) replayCommand(e *Event) error {
	missing := func(p bool) error {
		if p {
			return replayErr(e, nil, "missing payload")
		}
		return nil
	}
	var err error
	switch e.Kind {
	case EventContribution:
		c := e.Contribution
		if err := missing(c == nil); err != nil {
			return err
		}
		before := s.recs.len()
		if _, err = s.Contribute(Contribution{ID: c.ID, Participant: c.Participant, Amount: c.Amount,
			At: e.At, Quotes: c.Quotes}); err == nil && s.recs.len() != before+1 {
			return replayErr(e, nil, "repeated contribution")
		}
	case EventClosingRate:
		c := e.ClosingRate
		if err := missing(c == nil); err != nil {
			return err
		}
		before := len(s.closingLog)
		if err = s.RecordClosingRateAt(e.At, c.Day, c.Source, c.Asset, c.Rate); err == nil && len(s.closingLog) != before+1 {
			return replayErr(e, nil, "repeated closing rate")
		}
	case EventClock:
		_, err = s.Advance(e.At)
	case EventShift:
		if err := missing(e.Shift == nil); err != nil {
			return err
		}
		err = s.Shift(e.At, e.Shift.By)
	case EventFinalized:
		err = s.Finalize(e.At)
	case EventDistributed:
		err = s.markDistributed(e.Distributed)
	case EventPaused, EventResumed:
		if err := missing(e.Pause == nil); err != nil {
			return err
		}
		op := "Resume"
		if e.Kind == EventPaused {
			op = "Pause"
		}
		err = s.pause(op, e.At, e.Pause.By, e.Pause.Reason, e.Kind == EventPaused)
	case EventReleaseApproved:
		a := e.Approval
		if err := missing(a == nil); err != nil {
			return err
		}
		var recorded bool
		if recorded, err = s.approve(e.At, a.Holder, a.Release); err == nil && !recorded {
			return replayErr(e, nil, "repeated approval")
		}
	case EventRefundPaid:
		p := e.RefundPaid
		if err := missing(p == nil); err != nil {
			return err
		}
		var recorded bool
		if recorded, err = s.payRefund(e.At, p.Refund.ContributionID, p.Refund.Reason, p.Reference); err == nil && !recorded {
			return replayErr(e, nil, "repeated refund payment")
		}
	case EventRegistered:
		if err := missing(e.Registered == nil); err != nil {
			return err
		}
		var recorded bool
		if recorded, err = s.register(e.At, *e.Registered); err == nil && !recorded {
			return replayErr(e, nil, "repeated registration")
		}
	}
	if err != nil {
		return replayErr(e, err, "")
	}
	return nil
}

// markDistributed records a distribution without a ledger, for Replay: the transfers and
// the total are derived again; the logged lock-up, a command's input, is checked as
// DistributeLocked checks it, and its first grant, the ledger's, taken as logged.
func (s *Sale) markDistributed(logged *Distribution) error {
	if !s.distributable() {
		return s.stateErr("Distribute", s.now, "distribution of a sale that cannot distribute")
	}
	n := 0
	for k := range s.alloc.len() {
		if s.alloc.positive(k) {
			n++
		}
	}
	if logged == nil || logged.LockUp == nil {
		s.recordDistribution(n, nil, 0)
		return nil
	}
	const op = "DistributeLocked"
	lock, err := s.checkLockUp(op, *logged.LockUp)
	if err != nil {
		return err
	}
	if (logged.FirstGrant == 0) != (n == 0) {
		return &Error{Op: op, Detail: "first grant " + strconv.FormatUint(uint64(logged.FirstGrant), 10) + " for " +
			strconv.Itoa(n) + " grants", Err: ErrReplay}
	}
	s.recordDistribution(n, &lock, logged.FirstGrant)
	return nil
}

// Equal reports whether e and o are the same event (amounts compared with
// [token.Amount.Equal], times by instant).
func (e Event) Equal(o Event) bool {
	if e.Seq != o.Seq || e.Kind != o.Kind || !e.At.Equal(o.At) {
		return false
	}
	return eqPtr(e.Contribution, o.Contribution, ContributionEvent.equal) &&
		eqPtr(e.Refund, o.Refund, func(a, b Refund) bool {
			return a.ContributionID == b.ContributionID && a.Participant == b.Participant &&
				a.Amount.Equal(b.Amount) && a.Reason == b.Reason
		}) &&
		eqPtr(e.End, o.End, func(a, b End) bool { return a.Reason == b.Reason && a.At.Equal(b.At) }) &&
		eqPtr(e.ClosingRate, o.ClosingRate, func(a, b ClosingRate) bool {
			return a.Day.Equal(b.Day) && a.Source == b.Source && a.Asset == b.Asset && a.Rate.Equal(b.Rate)
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
			return a.Transfers == b.Transfers && a.Total.Equal(b.Total) && eqPtr(a.LockUp, b.LockUp, LockUp.equal) &&
				a.FirstGrant == b.FirstGrant
		}) &&
		eqPtr(e.Registered, o.Registered, Registrant.equal) &&
		eqPtr(e.Pause, o.Pause, func(a, b Pause) bool { return a == b }) &&
		eqPtr(e.RefundPaid, o.RefundPaid, RefundPayment.equal) &&
		eqPtr(e.Approval, o.Approval, func(a, b Approval) bool { return a.Holder == b.Holder && a.Release.equal(b.Release) }) &&
		eqPtr(e.Released, o.Released, Release.equal)
}

func eqPtr[T any](a, b *T, eq func(T, T) bool) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return eq(*a, *b)
}

func (c ContributionEvent) equal(o ContributionEvent) bool {
	if c.ID != o.ID || c.Participant != o.Participant || !c.Amount.Equal(o.Amount) ||
		!c.Median.Equal(o.Median) || c.Tier != o.Tier || !c.Bonus.Equal(o.Bonus) || !c.Value.Equal(o.Value) ||
		!c.Accepted.Equal(o.Accepted) || !c.Refund.Equal(o.Refund) {
		return false
	}
	return sameAmounts(c.Quotes, o.Quotes) && sameAmounts(c.Rounded, o.Rounded)
}

// sameAmounts reports whether a and b hold the same keys with equal amounts.
func sameAmounts(a, b map[string]token.Amount) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !v.Equal(w) {
			return false
		}
	}
	return true
}

func (d FiatDay) equal(o FiatDay) bool {
	if !d.Day.Equal(o.Day) || !d.JudgedAt.Equal(o.JudgedAt) || d.Status != o.Status || !d.Value.Equal(o.Value) ||
		d.Streak != o.Streak || len(d.Collected) != len(o.Collected) || len(d.Rates) != len(o.Rates) ||
		len(d.Missing) != len(o.Missing) {
		return false
	}
	for i := range d.Collected {
		if !d.Collected[i].Equal(o.Collected[i]) {
			return false
		}
	}
	for i := range d.Rates {
		if d.Rates[i].Asset != o.Rates[i].Asset || !d.Rates[i].Rate.Equal(o.Rates[i].Rate) {
			return false
		}
	}
	for i := range d.Missing {
		if !d.Missing[i].Day.Equal(o.Missing[i].Day) || d.Missing[i].Asset != o.Missing[i].Asset {
			return false
		}
	}
	return true
}
