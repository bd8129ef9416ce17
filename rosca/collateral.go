package rosca

import (
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// collateralDue returns the collateral the rules ask of member i now (see [CollateralForm]).
func (c *Circle) collateralDue(i int) units {
	t := c.terms
	col := &t.cfg.Rules.Deterrents.Collateral
	switch col.Form {
	case CollateralFixed:
		return amountUnits(col.Amount)
	case CollateralBySeat:
		return t.contribution.mul(uint64(2*t.n - 1 - i))
	case CollateralSecurity:
		if m := &c.members[i]; m.wins > 0 && m.wonEpoch == c.open.epoch {
			return movableSecurity(c.futureDues())
		}
	}
	return units{}
}

// collateralOK reports whether member i has posted the collateral the rules ask of it.
func (c *Circle) collateralOK(i int) bool {
	return c.terms.cfg.Rules.Deterrents.Collateral.Form == CollateralNone || c.members[i].rd().collateral.cmp(c.collateralDue(i)) >= 0
}

// CollateralDue returns the collateral the rules ask of member now ([Deterrents]) and what
// it holds posted. A member that holds less is not in good standing: it may not bid, and
// a draw passes it over while another is in good standing. The error is an [*Error]
// wrapping [ErrUninitialized] or [ErrNotMember].
func (c *Circle) CollateralDue(member token.Account) (due, held token.Amount, err error) {
	if c.terms == nil {
		return token.Amount{}, token.Amount{}, uninitialized("CollateralDue")
	}
	i, ok := c.seatOf(member)
	if !ok {
		return token.Amount{}, token.Amount{}, &Error{Op: "CollateralDue", Account: member, Err: ErrNotMember}
	}
	a := c.terms.asset
	return c.collateralDue(i).amount(a), c.members[i].rd().collateral.amount(a), nil
}

// PostCollateral records amount of collateral posted by member at time at, held by the
// circle apart from its cash. Never more is taken than the rules ask: amount is at most
// the collateral due less what member holds posted.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrEnded], [ErrNothingToPay] (nothing is due), [ErrInvalidAmount].
func (c *Circle) PostCollateral(at time.Time, member token.Account, amount token.Amount) error {
	const op = "PostCollateral"
	ns, i, err := c.memberCommand(op, at, member)
	if err != nil {
		return err
	}
	x, err := c.checkAmount(op, member, amount)
	if err != nil {
		return err
	}
	m, a := &c.members[i], c.terms.asset
	left := c.collateralDue(i).monus(m.rd().collateral)
	if left.isZero() {
		return &Error{Op: op, Account: member, Amount: amount, At: at, Round: c.open.number, Err: ErrNothingToPay,
			Detail: member.String() + " owes no collateral"}
	}
	if x.cmp(left) > 0 {
		return &Error{Op: op, Account: member, Amount: amount, Limit: left.amount(a), At: at, Round: c.open.number,
			Detail: fmt.Sprintf("%s owes %s of collateral and no more", member, left.amount(a)), Err: ErrInvalidAmount}
	}
	m.wr().collateral = m.rd().collateral.add(x)
	c.books.wr().collateral = c.books.rd().collateral.add(x)
	c.books.wr().collateralIn = c.books.rd().collateralIn.add(x)
	c.recordExtra(evCollateralPosted, ns, i, x, extra{})
	return nil
}

// ApplyCollateral applies member's collateral to what it owes, at time at, by anyone (by,
// recorded): up to what it holds posted and what it owes. The member must be in default:
// it owes, and the circle has ended, or its dues were accelerated, or it was removed. The
// collateral counts as its payment; after the end it restores the claims written off to
// cover its shortfall, as a catch-up payment does. It returns the amount applied.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrNotInDefault], [ErrNoCollateral].
func (c *Circle) ApplyCollateral(at time.Time, by, member token.Account) (token.Amount, error) {
	const op = "ApplyCollateral"
	ns, i, err := c.actor(op, at, member)
	if err != nil {
		return token.Amount{}, err
	}
	if !c.inDefault(i) {
		return token.Amount{}, c.notInDefault(op, at, i)
	}
	m := &c.members[i]
	if m.rd().collateral.isZero() {
		return token.Amount{}, &Error{Op: op, Account: member, At: at, Round: c.open.number, Err: ErrNoCollateral,
			Detail: member.String() + " holds no collateral"}
	}
	owed, _ := c.balance(i)
	x := minUnits(owed, m.rd().collateral)
	m.wr().collateral = m.rd().collateral.sub(x)
	c.books.wr().collateral = c.books.rd().collateral.sub(x)
	c.books.wr().collateralApplied = c.books.rd().collateralApplied.add(x)
	c.payFor(i, x, ns)
	c.recordExtra(evCollateralApplied, ns, i, x, extra{party: by})
	return x.amount(c.terms.asset), nil
}

// ReturnCollateral pays member back the collateral it holds posted, at time at: after the
// end (or the halt), once it owes nothing.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrNotEnded], [ErrInDebt] (it owes), [ErrNoCollateral].
func (c *Circle) ReturnCollateral(at time.Time, member token.Account) (token.Amount, error) {
	const op = "ReturnCollateral"
	ns, i, err := c.seatCommand(op, at, member)
	if err != nil {
		return token.Amount{}, err
	}
	m, a := &c.members[i], c.terms.asset
	switch owed, neg := c.balance(i); {
	case !c.ended && !c.halted:
		return token.Amount{}, c.stateErr(op, member, at, ErrNotEnded)
	case neg && !c.halted:
		return token.Amount{}, &Error{Op: op, Account: member, At: at, Round: c.open.number, Err: ErrInDebt,
			Detail: fmt.Sprintf("%s owes %s; its collateral may pay it (ApplyCollateral)", member, owed.amount(a))}
	case m.rd().collateral.isZero():
		return token.Amount{}, &Error{Op: op, Account: member, At: at, Round: c.open.number, Err: ErrNoCollateral,
			Detail: member.String() + " holds no collateral"}
	}
	x := m.rd().collateral
	c.returnCollateral(i)
	c.recordExtra(evCollateralReturned, ns, i, x, extra{})
	return x.amount(a), nil
}

// returnCollateral pays member i its collateral back.
func (c *Circle) returnCollateral(i int) {
	m, b := &c.members[i], &c.books
	b.wr().collateral = b.rd().collateral.sub(m.rd().collateral)
	b.wr().collateralOut = b.rd().collateralOut.add(m.rd().collateral)
	m.wr().collateral = units{}
}
