package crowdsale

import (
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// LockUp says how [Sale.DistributeLocked] locks the purchased tokens: every participant's
// allocation vests on Schedule, held in the participant's balance or in Escrow. The zero
// LockUp has no schedule, which DistributeLocked refuses.
//
// Schedule is the curve alone (Start, Cliff, End, Period, Step, Linear; see
// [token.Schedule]): its Total is ignored, each grant's total being its participant's
// allocation. A 1-year cliff then monthly over 4 years, from May 1, 2017, is
//
//	token.CalendarSchedule(token.Amount{}, time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC), token.Monthly, 48, 12)
//
// under which a quarter of each allocation (12 of 48 tranches, rounded down to the minor
// unit) vests at the cliff and all of it at the end.
type LockUp struct {
	Schedule token.Schedule
	// Escrow is "" to lock each allocation in its participant's own balance
	// ([token.Ledger.Vest]: counted there, not spendable until released), or the account that
	// holds the locked tokens until they are released to the participant
	// ([token.Ledger.VestInEscrow]).
	Escrow token.Account
}

// equal reports whether l and o are the same lock-up.
func (l LockUp) equal(o LockUp) bool { return l.Escrow == o.Escrow && l.Schedule.Equal(o.Schedule) }

// DistributeLocked pays each participant's allocation from the config's sale account of
// ledger, as [Sale.Distribute] does, but locked up: every participant with a positive
// allocation gets one non-revocable vesting grant of exactly its allocation on
// lock.Schedule, in its own balance or, with lock.Escrow, in the escrow's. The grants are
// the ledger's consecutive ids from the event's [Distribution.FirstGrant], in allocation
// order ([Sale.Allocations], participants allocated nothing skipped), and their totals sum
// to the distributed total. Each participant then unlocks what has vested with
// [token.Ledger.Release].
//
// It checks everything first: what Distribute checks, then the lock (its schedule, with any
// positive total of the token, must pass [token.Schedule.Validate]; an escrow must be a
// valid account), so that on any error nothing moves.
//
// Errors are [*Error] values wrapping [ErrState], [ErrLedger] (with [token.ErrFrozen]
// beside it for a frozen ledger), [ErrLockUp] (with token's [token.ErrInvalidSchedule],
// [token.ErrInvalidTime] or [token.ErrInvalidAccount] beside it) or [ErrUninitialized].
func (s *Sale) DistributeLocked(ledger *token.Ledger, lock LockUp) error {
	const op = "DistributeLocked"
	if err := s.checkDistribute(op, ledger); err != nil {
		return err
	}
	lock, err := s.checkLockUp(op, lock)
	if err != nil {
		return err
	}
	ledger.Reserve(s.alloc.len()) // most participants are new to the ledger
	n, first := 0, token.VestingID(0)
	for k := range s.alloc.len() {
		a := s.allocation(k)
		if a.Amount.IsZero() {
			continue
		}
		schedule := lock.Schedule
		schedule.Total = a.Amount
		var id token.VestingID
		if lock.Escrow == "" {
			id, err = ledger.Vest(s.cfg.SaleAccount, a.Participant, schedule, false)
		} else {
			id, err = ledger.VestInEscrow(s.cfg.SaleAccount, lock.Escrow, a.Participant, schedule, false)
		}
		if err != nil {
			// unreachable after the checks above (short of a ledger holding 2^32 - 1 grants):
			// accounts were validated on contribution
			return &Error{Op: op, Account: a.Participant, Amount: a.Amount, Detail: "grant failed: " + causeText(err), Err: because(ErrLedger, err)}
		}
		if n == 0 {
			first = id
		}
		n++
	}
	s.recordDistribution(n, &lock, first)
	return nil
}

// checkLockUp checks lock for the command op and returns it as recorded: the schedule's
// Total the zero Amount, its times in UTC.
func (s *Sale) checkLockUp(op string, lock LockUp) (LockUp, error) {
	sample := lock.Schedule
	sample.Total = s.cfg.Token.FromInt64Units(1) // every grant's total is a positive amount of the token
	if err := sample.Validate(); err != nil {
		return LockUp{}, &Error{Op: op, Detail: "lock-up schedule: " + causeText(err), Err: because(ErrLockUp, err)}
	}
	if lock.Escrow != "" {
		if err := lock.Escrow.Validate(); err != nil {
			return LockUp{}, &Error{Op: op, Account: lock.Escrow, Detail: "lock-up escrow: " + causeText(err), Err: because(ErrLockUp, err)}
		}
	}
	sc := &lock.Schedule
	sc.Total, sc.Start, sc.Cliff, sc.End = token.Amount{}, storedTime(sc.Start), storedTime(sc.Cliff), storedTime(sc.End)
	return lock, nil
}

// storedTime returns t as a log keeps it: UTC, without a monotonic clock reading.
func storedTime(t time.Time) time.Time { return utc(t.Round(0)) }

// ---- JSON ----

func (l *LockUp) write(w *jsonWriter) {
	sc := &l.Schedule
	w.open()
	w.amount("total", sc.Total)
	w.time("start", sc.Start)
	w.time("cliff", sc.Cliff)
	w.time("end", sc.End)
	if sc.Period != 0 {
		w.str("period", sc.Period.String())
	}
	if sc.Step != 0 {
		w.str("step", sc.Step.String())
	}
	if sc.Linear {
		w.bool("linear", true)
	}
	w.optStr("escrow", string(l.Escrow))
	w.close()
}

// MarshalJSON encodes the lock-up as {"start":"2017-05-01T00:00:00Z",
// "cliff":"2018-05-01T00:00:00Z","end":"2021-05-01T00:00:00Z","step":"P1M","escrow":"vault"}:
// the schedule's fields, times in UTC RFC 3339, the period a Go duration string, the step
// its ISO 8601 text ([token.Step.String]); a zero field is left out (the total, zero as
// recorded, among them).
func (l LockUp) MarshalJSON() ([]byte, error) { return encode(l.write) }

// UnmarshalJSON decodes what [LockUp.MarshalJSON] writes. The error is an [*Error]
// wrapping [ErrReplay].
func (l *LockUp) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "lock-up", (*reader).lockUp, (*lockUpJSON).value, l)
}

// lockUpJSON is the mirror of a LockUp, the schedule's fields flattened.
type lockUpJSON struct {
	Total  token.Amount
	Start  time.Time
	Cliff  time.Time
	End    time.Time
	Period string
	Step   string
	Linear bool
	Escrow token.Account
}

func (j *lockUpJSON) value() (LockUp, error) {
	l := LockUp{Schedule: token.Schedule{Total: j.Total, Start: j.Start, Cliff: j.Cliff, End: j.End, Linear: j.Linear}, Escrow: j.Escrow}
	var err error
	if j.Period != "" {
		if l.Schedule.Period, err = time.ParseDuration(j.Period); err != nil {
			return LockUp{}, err
		}
	}
	if j.Step != "" {
		if l.Schedule.Step, err = token.ParseStep(j.Step); err != nil {
			return LockUp{}, err
		}
	}
	return l, nil
}

func (r *reader) lockUp(j *lockUpJSON) {
	r.object(func(k string) {
		switch k {
		case "total":
			j.Total = r.amount()
		case "start":
			j.Start = r.time()
		case "cliff":
			j.Cliff = r.time()
		case "end":
			j.End = r.time()
		case "period":
			j.Period = r.str()
		case "step":
			j.Step = r.str()
		case "linear":
			j.Linear = r.boolean()
		case "escrow":
			j.Escrow = token.Account(r.str())
		default:
			r.unknown(k)
		}
	})
}
