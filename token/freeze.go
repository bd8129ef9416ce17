package token

import "time"

// freeze is the ledger's transfer freeze; the zero freeze is none.
type freeze struct {
	on    bool
	admin Account
	until time.Time // UTC; zero for a freeze only the administrator lifts
}

// TransferFreeze describes the transfer freeze of a [Ledger], as [Ledger.Frozen] returns it.
// The zero TransferFreeze describes no freeze.
type TransferFreeze struct {
	Admin Account   // the administrator: its tokens still move, and it may lift the freeze
	Until time.Time // when the freeze may end (UTC): [Ledger.Thaw] at or after it lifts it; zero if only Admin can
}

// Freeze stops transfers until the time until, or until the administrator admin lifts the
// freeze with [Ledger.Unfreeze], whichever comes first; a zero until leaves it to admin
// alone. A sale freezes its token this way once it has distributed, so that buyers cannot
// sell before the refunds are settled.
//
// During the freeze [Ledger.Transfer], [Ledger.TransferFrom], [Ledger.Vest] and
// [Ledger.VestInEscrow] refuse to move tokens out of any account but admin's, with an
// [*Error] wrapping [ErrFrozen] (class Conflict): the administrator (the sale's account) can
// still pay out. Approvals, releases and revocations still work, as they move nothing
// between holders or follow a grant's terms. The ledger reads no clock: a freeze with an end
// is lifted by the first [Ledger.Thaw] given a time at or after it.
//
// Freeze fails and changes nothing with an [*Error] wrapping [ErrInvalidAccount] (admin),
// [ErrInvalidTime] (until outside the years 1 to 9999) or [ErrFrozen] when a freeze is
// already on. It records an [EventFreeze] (From admin, At until).
func (l *Ledger) Freeze(admin Account, until time.Time) error {
	const op = "Freeze"
	if err := l.checkAccount(op, admin); err != nil {
		return err
	}
	if err := checkTime(op, until, true); err != nil {
		err.(*Error).At = until
		return err
	}
	if l.freeze.on {
		return &Error{Op: op, Account: admin, Detail: "already " + l.freeze.describe(), Err: ErrFrozen}
	}
	l.freeze = freeze{on: true, admin: admin, until: utc(until)}
	l.emit(record{kind: kFreeze, from: l.id(admin)}, Amount{}, l.freeze.until)
	return nil
}

// Unfreeze lifts the transfer freeze on the word of its administrator. It fails and changes
// nothing with an [*Error] wrapping [ErrInvalidAccount], [ErrNotFrozen] (class Conflict)
// when no freeze is on, or [ErrNotAdmin] (class Forbidden) when admin is not the freeze's
// administrator. It records an [EventUnfreeze] (From admin).
func (l *Ledger) Unfreeze(admin Account) error {
	const op = "Unfreeze"
	if err := l.checkAccount(op, admin); err != nil {
		return err
	}
	if !l.freeze.on {
		return &Error{Op: op, Account: admin, Detail: "transfers are not frozen", Err: ErrNotFrozen}
	}
	if admin != l.freeze.admin {
		return &Error{Op: op, Account: admin, Detail: "the freeze's administrator is " + string(l.freeze.admin), Err: ErrNotAdmin}
	}
	l.freeze = freeze{}
	l.emit(record{kind: kUnfreeze, from: l.id(admin)}, Amount{}, time.Time{})
	return nil
}

// Thaw tells the ledger the time: it lifts a transfer freeze whose end is at or before at,
// records an [EventUnfreeze] (At at) and reports true. Otherwise (no freeze, a freeze
// without an end, or an end still to come) it changes nothing, records nothing and reports
// false, so a service may call it before every transfer. The error, an [*Error] wrapping
// [ErrInvalidTime] for the zero time or a year outside 1 to 9999, also changes nothing.
func (l *Ledger) Thaw(at time.Time) (bool, error) {
	const op = "Thaw"
	if err := l.initialised(op); err != nil {
		return false, err
	}
	if err := checkTime(op, at, false); err != nil {
		err.(*Error).At = at
		return false, err
	}
	if !l.freeze.on || l.freeze.until.IsZero() || at.Before(l.freeze.until) {
		return false, nil
	}
	l.freeze = freeze{}
	l.emit(record{kind: kUnfreeze}, Amount{}, utc(at))
	return true, nil
}

// Frozen reports whether transfers are frozen, and how.
func (l *Ledger) Frozen() (TransferFreeze, bool) {
	if !l.freeze.on {
		return TransferFreeze{}, false
	}
	return TransferFreeze{Admin: l.freeze.admin, Until: l.freeze.until}, true
}

// checkFrozen refuses a command op that moves tokens out of from during a freeze, unless
// from is the freeze's administrator.
func (l *Ledger) checkFrozen(op string, from Account) error {
	if !l.freeze.on || from == l.freeze.admin {
		return nil
	}
	return &Error{Op: op, Account: from, Detail: "transfers are " + l.freeze.describe(), Err: ErrFrozen}
}

// describe says how the ledger is frozen: "frozen until 2017-05-01T00:00:00Z or until admin
// lifts the freeze".
func (f freeze) describe() string {
	s := "frozen until " + string(f.admin) + " lifts the freeze"
	if !f.until.IsZero() {
		s = "frozen until " + fmtTime(f.until) + " or until " + string(f.admin) + " lifts the freeze"
	}
	return s
}
