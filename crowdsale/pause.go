package crowdsale

import (
	"time"
	"unicode/utf8"

	"github.com/trustcircle/trustcircle/token"
)

// Pause records a pause or a resumption of a sale: the administrator who ordered it and
// why. The zero Pause records nothing.
type Pause struct {
	By     token.Account
	Reason string
}

// pauseSpan is one pause: from its start to its resumption (unix nanos; open while to is
// 0 and the sale is paused).
type pauseSpan struct {
	from, to int64
	open     bool
}

// Pause halts intake at time at, by order of the sale's administrator by ([Config.Admin]),
// for reason (1 to 256 bytes of valid UTF-8, such as "exchange outage"). While paused the
// sale refuses contributions with [ErrPaused]; everything else works: its clock runs (the
// window still ends, fiat days are still judged), closing rates and registrations are
// recorded, and an ended sale is finalized and refunded. A sale may be paused before it
// opens. The pause is an event.
//
// Errors (nothing changes) are [*Error] values wrapping [ErrNotAdmin] (no administrator, or
// another account), [ErrInvalidReason], [ErrState] (already paused, or the sale ended by
// at), [ErrTimeOrder], [token.ErrInvalidTime] or [ErrUninitialized].
func (s *Sale) Pause(at time.Time, by token.Account, reason string) error {
	return s.pause("Pause", at, by, reason, true)
}

// Resume resumes intake at time at, by order of the administrator by, for reason; see
// [Sale.Pause]. The resumption is an event.
//
// Errors (nothing changes) are [*Error] values wrapping [ErrNotAdmin], [ErrInvalidReason],
// [ErrState] (not paused, or the sale ended by at), [ErrTimeOrder], [token.ErrInvalidTime]
// or [ErrUninitialized].
func (s *Sale) Resume(at time.Time, by token.Account, reason string) error {
	return s.pause("Resume", at, by, reason, false)
}

func (s *Sale) pause(op string, at time.Time, by token.Account, reason string, halt bool) error {
	at, err := s.command(op, at)
	if err != nil {
		return err
	}
	if s.cfg.Admin == "" || by != s.cfg.Admin {
		detail := "the sale has no administrator"
		if s.cfg.Admin != "" {
			detail = string(by) + " is not the sale's administrator"
		}
		return &Error{Op: op, Account: by, At: at, Detail: detail, Err: ErrNotAdmin}
	}
	if reason == "" || len(reason) > 256 || !utf8.ValidString(reason) {
		return &Error{Op: op, Account: by, At: at, Detail: "reason: want 1 to 256 bytes of valid UTF-8", Err: ErrInvalidReason}
	}
	var pd pending
	if !s.ended {
		s.pendingUntil(s.clampAny(at), &pd)
	}
	switch {
	case s.ended || pd.ended:
		return s.stateErr(op, at, "the sale has ended")
	case halt && s.paused():
		return s.stateErr(op, at, "already paused")
	case !halt && !s.paused():
		return s.stateErr(op, at, "not paused")
	}
	s.applyPending(&pd)
	s.now, s.hasNow = at, true
	kind := EventResumed
	if halt {
		kind = EventPaused
		s.pauses = append(s.pauses, pauseSpan{from: satNanos(at), open: true})
	} else {
		p := &s.pauses[len(s.pauses)-1]
		p.to, p.open = satNanos(at), false
	}
	s.appendLog(Event{Kind: kind, At: at, Pause: &Pause{By: by, Reason: reason}})
	return nil
}

// paused reports whether the sale is paused now.
func (s *Sale) paused() bool { return len(s.pauses) > 0 && s.pauses[len(s.pauses)-1].open }

// satNanos returns t in unix nanos, saturated outside the years 1678 to 2261.
func satNanos(t time.Time) int64 {
	switch y := t.UTC().Year(); {
	case y < 1678:
		return -1 << 63
	case y > 2261:
		return 1<<63 - 1
	}
	return t.UnixNano()
}

// pausedAt reports whether a pause was in force at t (unix nanos).
func (s *Sale) pausedAt(t int64) bool {
	for i := len(s.pauses) - 1; i >= 0; i-- {
		if p := s.pauses[i]; p.from <= t {
			return p.open || t < p.to
		}
	}
	return false
}

func (x *Pause) write(w *jsonWriter) {
	w.open()
	w.str("by", string(x.By))
	w.str("reason", x.Reason)
	w.close()
}

// MarshalJSON encodes the pause as {"by":"wetrust-admin","reason":"exchange outage"}.
func (x Pause) MarshalJSON() ([]byte, error) {
	return encode(x.write)
}

// UnmarshalJSON decodes what [Pause.MarshalJSON] writes. The error is an [*Error] wrapping
// [ErrReplay].
func (x *Pause) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "pause", (*reader).pause, (*pauseJSON).value, x)
}

type pauseJSON struct {
	By     token.Account `json:"by"`
	Reason string        `json:"reason"`
}

func (j *pauseJSON) value() (Pause, error) { return Pause(*j), nil }

func (r *reader) pause(j *pauseJSON) {
	r.object(func(k string) {
		switch k {
		case "by":
			j.By = token.Account(r.str())
		case "reason":
			j.Reason = r.str()
		default:
			r.unknown(k)
		}
	})
}
