package crowdsale

import (
	"time"
)

// EndReason names the condition that ended a sale.
type EndReason string

// The end conditions of the seed FAQ.
const (
	EndWindow EndReason = "window" // the window's end instant was reached (C)
	EndCap    EndReason = "cap"    // the cap in value without bonuses was reached (B)
	EndFiat   EndReason = "fiat"   // the fiat rule held on enough consecutive days (A)
)

// Phase is where a sale stands at an instant.
type Phase string

// The phases of a sale.
const (
	PhaseScheduled Phase = "scheduled" // before the window opens
	PhaseOpen      Phase = "open"      // accepting contributions
	PhaseEnded     Phase = "ended"     // an end condition fired
)

// Outcome is the result of Finalize.
type Outcome string

// The outcomes of a finalized sale.
const (
	OutcomeSucceeded Outcome = "succeeded" // the minimum was reached: the pool is allocated
	OutcomeFailed    Outcome = "failed"    // below the minimum: every contribution is refunded
)

// Status is the state of a sale at an instant. The zero Status is the status of no sale: no
// phase.
type Status struct {
	Phase       Phase     `json:"phase"`
	Reason      EndReason `json:"reason,omitempty"`  // set when Phase is ended
	EndedAt     time.Time `json:"ended_at,omitzero"` // set when Phase is ended
	Finalized   bool      `json:"finalized"`         // Finalize ran at or before the instant
	Outcome     Outcome   `json:"outcome,omitempty"` // set when finalized
	Distributed bool      `json:"distributed"`       // Distribute ran (reported once finalized)
	Paused      bool      `json:"paused,omitempty"`  // a pause was in force (never once ended)
}

// Open reports whether contributions are accepted: the sale is open and not paused.
func (s Status) Open() bool { return s.Phase == PhaseOpen && !s.Paused }

// Status returns the sale's status at the instant at: open, or ended with the condition
// that fired and when. Conditions due between the sale's last command and at (the window's
// end, fiat days judged at their day's end) are evaluated as they would be by Advance(at),
// without changing the sale. For an instant before a recorded end it reports the phase the
// sale was in then. The zero Sale has the zero Status.
func (s *Sale) Status(at time.Time) Status {
	var st Status
	if s.p == nil {
		return st
	}
	if s.ended {
		if !at.Before(s.endAt) {
			st.Phase, st.Reason, st.EndedAt = PhaseEnded, s.endReason, s.endAt
		}
	} else {
		var pd pending
		s.pendingUntil(s.clampAny(at), &pd)
		if pd.ended {
			st.Phase, st.Reason, st.EndedAt = PhaseEnded, pd.reason, nanosTime(pd.endAt)
		}
	}
	if st.Phase == "" {
		st.Phase = PhaseOpen
		if at.Before(s.cfg.Start) {
			st.Phase = PhaseScheduled
		}
	}
	if s.finalized && !at.Before(s.finalAt) {
		st.Finalized, st.Outcome, st.Distributed = true, s.outcome, s.distributed
	}
	if st.Phase != PhaseEnded && len(s.pauses) > 0 {
		st.Paused = s.pausedAt(satNanos(at))
	}
	return st
}

// clampAny maps any time to unix nanos usable against the window: before the start it is
// start-1, at or after the end it is the end.
func (s *Sale) clampAny(t time.Time) int64 {
	if t.Before(s.cfg.Start) {
		return s.p.start - 1
	}
	return s.clamp(t)
}

// Advance moves the sale's clock to at and records what became due: each fiat day judged
// at its end, and the end of the window. It is how a sale without contributions learns that
// it ended; Contribute and Finalize do the same implicitly. It returns the status at at.
//
// Errors (nothing changes) are [*Error] values wrapping [ErrTimeOrder],
// [token.ErrInvalidTime] or [ErrUninitialized].
func (s *Sale) Advance(at time.Time) (Status, error) {
	const op = "Advance"
	if s.p == nil {
		return Status{}, uninitialized(op)
	}
	at, err := checkTime(op, at)
	if err != nil {
		return Status{}, err
	}
	if s.hasNow && at.Before(s.now) {
		return Status{}, timeOrder(op, at, s.now)
	}
	if !s.ended {
		var pd pending
		s.pendingUntil(s.clampAny(at), &pd)
		s.applyPending(&pd)
	}
	s.now, s.hasNow = at, true
	s.appendLog(Event{Kind: EventClock, At: at})
	return s.Status(at), nil
}

// Shift moves the window and every tier by d, at time at, which must be before the start
// both before and after the move (the seed's start slipped by 24 hours). It is recorded.
//
// Errors (nothing changes) are [*Error] values wrapping [ErrTimeOrder], [ErrState]
// (started, or ended), [ErrInvalidConfig] (the moved config is invalid),
// [token.ErrInvalidTime] or [ErrUninitialized].
func (s *Sale) Shift(at time.Time, d time.Duration) error {
	const op = "Shift"
	if s.p == nil {
		return uninitialized(op)
	}
	at, err := checkTime(op, at)
	if err != nil {
		return err
	}
	if s.hasNow && at.Before(s.now) {
		return timeOrder(op, at, s.now)
	}
	if s.ended || s.finalized || !at.Before(s.cfg.Start) {
		return s.stateErr(op, at, "the schedule can move only before the start")
	}
	moved := s.cfg.Shift(d)
	p, err := moved.compile()
	if err != nil {
		err.(*Error).Op = op
		return err
	}
	if !at.Before(moved.Start) {
		return s.stateErr(op, at, "the moved sale would already have started")
	}
	s.cfg, s.p = moved, p
	s.resetJudge()
	s.now, s.hasNow = at, true
	s.appendLog(Event{Kind: EventShift, At: at, Shift: &Shift{By: d}})
	return nil
}
