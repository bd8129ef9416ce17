package rosca

import (
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// Accelerate demands at once, at time at, by the foreperson, all the future dues of a
// prized member in arrears: the contributions of every round to the end of the epoch fall
// due now (its [Position.Due]), so that its collateral, its guarantors and a recovery may
// answer for them before the end. The rules must allow it ([Deterrents.Accelerate]). It
// returns the dues brought forward.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrEnded], [ErrNotForeperson], [ErrDeterrentOff], [ErrNotPrized],
// [ErrNotInDefault] (the member is not in arrears), [ErrDuplicate] (accelerated already).
func (c *Circle) Accelerate(at time.Time, by, member token.Account) (token.Amount, error) {
	const op = "Accelerate"
	ns, i, err := c.memberCommand(op, at, member)
	if err != nil {
		return token.Amount{}, err
	}
	if err := c.byForeperson(op, at, by); err != nil {
		return token.Amount{}, err
	}
	m, t := &c.members[i], c.terms
	_, arrears := c.balance(i)
	switch {
	case !t.cfg.Rules.Deterrents.Accelerate:
		return token.Amount{}, c.deterrentOff(op, at, member, "acceleration")
	case m.wins == 0 || m.wonEpoch != c.open.epoch:
		return token.Amount{}, &Error{Op: op, Account: member, At: at, Round: c.open.number, Err: ErrNotPrized,
			Detail: member.String() + " has not won in this epoch"}
	case !arrears:
		return token.Amount{}, c.notInDefault(op, at, i)
	case !m.rd().accel.isZero():
		return token.Amount{}, &Error{Op: op, Account: member, At: at, Round: c.open.number, Err: ErrDuplicate,
			Detail: member.String() + "'s dues are accelerated already"}
	}
	m.wr().accel = t.contribution.mul(uint64(c.open.epoch * t.n))
	brought := m.rd().accel.sub(c.open.due)
	m.wr().accelerated = true
	c.recordExtra(evDuesAccelerated, ns, i, brought, extra{party: by})
	return brought.amount(t.asset), nil
}

// Remove removes a non-prized member in arrears, at time at, by the foreperson: one that
// has not won in the epoch and owes, beyond the open round's contribution (not late
// yet), at least [Deterrents.RemoveAfter] rounds' contributions. The foreperson is not
// removed. A removed member is not in good standing; it is reinstated if it pays its
// arrears within [Deterrents.Notice] of the removal, and after the notice the foreperson
// may substitute another member for it ([Circle.Substitute]).
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrEnded], [ErrNotForeperson], [ErrDeterrentOff], [ErrAlreadyWon],
// [ErrNotInDefault] (arrears below the rule), [ErrDuplicate] (removed already).
func (c *Circle) Remove(at time.Time, by, member token.Account) error {
	const op = "Remove"
	ns, i, err := c.memberCommand(op, at, member)
	if err != nil {
		return err
	}
	if err := c.byForeperson(op, at, by); err != nil {
		return err
	}
	m, t := &c.members[i], c.terms
	d := &t.cfg.Rules.Deterrents
	owed, neg := c.balance(i)
	switch {
	case d.RemoveAfter == 0:
		return c.deterrentOff(op, at, member, "removal")
	case i == t.foreperson:
		return c.deterrentOff(op, at, member, "removal of the foreperson")
	case m.wonEpoch == c.open.epoch:
		return &Error{Op: op, Account: member, At: at, Round: c.open.number, Err: ErrAlreadyWon,
			Detail: member.String() + " is prized: its future dues may be accelerated instead"}
	case !neg || owed.monus(t.contribution).cmp(t.contribution.mul(uint64(d.RemoveAfter))) < 0:
		return &Error{Op: op, Account: member, At: at, Round: c.open.number, Err: ErrNotInDefault,
			Detail: fmt.Sprintf("%s owes %s: less than %d rounds' contributions beyond the open round's", member, c.signed(owed, neg).Neg(), d.RemoveAfter)}
	case m.rd().removed:
		return &Error{Op: op, Account: member, At: at, Round: c.open.number, Err: ErrDuplicate,
			Detail: member.String() + " is removed already"}
	}
	m.wr().removed, m.wr().notice = true, ns+int64(d.Notice)
	c.recordExtra(evMemberRemoved, ns, i, units{}, extra{party: by})
	return nil
}
