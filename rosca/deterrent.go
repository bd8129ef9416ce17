package rosca

import (
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// Deterrents are a circle's rules against members who stop paying, and for members who
// leave: collateral committed at joining, a recovery bounty, removal of a non-prized
// member in arrears (reinstated if it pays within a notice period), substitution of a
// leaving member with a refund of its contributions less a deduction, and acceleration of
// a prized member's future dues. Guarantors' pledges ([Circle.Pledge]) need no rule. The
// zero Deterrents has none of them: no collateral, no bounty, no removal, no deduction, no
// acceleration.
type Deterrents struct {
	// Collateral is what every member commits before it is in good standing.
	Collateral Collateral `json:"collateral,omitzero"`
	// Bounty is paid to whoever brings in funds recovered from a member in default.
	Bounty Bounty `json:"bounty,omitzero"`
	// RemoveAfter is the arrears, in rounds' contributions, from which the foreperson may
	// remove a non-prized member ([Circle.Remove]); 0 allows no removal.
	RemoveAfter int `json:"remove_after,omitempty"`
	// Notice is how long after its removal a member is reinstated by paying its arrears;
	// after it, the foreperson may substitute another member for it.
	Notice Duration `json:"notice,omitzero"`
	// Deduction is the part of a substituted member's net contributions the circle keeps
	// for the foreperson ([Circle.Substitute]), rounded down; the rest is refunded.
	Deduction token.Ratio `json:"deduction,omitzero"`
	// LateFee is charged at each close to the members in arrears.
	LateFee LateFee `json:"late_fee,omitzero"`
	// Accelerate lets the foreperson demand at once all the future dues of a prized member
	// in arrears ([Circle.Accelerate]).
	Accelerate bool `json:"accelerate,omitempty"`
}

// CollateralForm is how a member's collateral is set.
type CollateralForm string

// The collateral forms.
const (
	// CollateralNone: no collateral (the zero CollateralForm).
	CollateralNone CollateralForm = ""
	// CollateralFixed: Collateral.Amount from every member.
	CollateralFixed CollateralForm = "fixed"
	// CollateralBySeat: C x (2n - 1 - i) from the member of seat i (0-based), so that a
	// member who stops paying after its prize, in a circle won in seat order, loses more
	// than it takes.
	CollateralBySeat CollateralForm = "by_seat"
	// CollateralSecurity: nothing before a member's prize; after it, the smallest security
	// for its future dues in the epoch, floor(4 x future / 3) + 1 ([Security.Movable]).
	CollateralSecurity CollateralForm = "security"
)

// Collateral is the collateral rule: its form, and the amount of [CollateralFixed]. The
// zero Collateral asks none.
type Collateral struct {
	Form   CollateralForm `json:"form"`
	Amount token.Amount   `json:"amount,omitzero"`
}

// BountyPool names where a recovery bounty is paid from.
type BountyPool string

// The bounty pools.
const (
	// BountyFromRecovered: out of the funds recovered; the member in default bears it, its
	// debt reduced by the recovery less the bounty (the zero BountyPool).
	BountyFromRecovered BountyPool = "recovered"
	// BountyFromFees: out of the foreperson's fee reserve, never more than it holds; the
	// member's debt is reduced by the whole recovery.
	BountyFromFees BountyPool = "fees"
)

// Bounty is the recovery bounty: a share of what is recovered, or a fixed sum (never more
// than what is recovered), paid from Pool. The zero Bounty is no bounty.
type Bounty struct {
	Share token.Ratio  `json:"share,omitzero"`
	Fixed token.Amount `json:"fixed,omitzero"`
	Pool  BountyPool   `json:"pool,omitempty"`
}

// IsZero reports whether b is no bounty.
func (b Bounty) IsZero() bool { return b.Share.IsZero() && !b.Fixed.IsValid() && b.Pool == "" }

// validate checks the deterrents of a circle in asset a.
func (d Deterrents) validate(a token.Asset) error {
	if err := d.LateFee.validate(a); err != nil {
		return err
	}
	switch d.Collateral.Form {
	case CollateralNone, CollateralBySeat, CollateralSecurity:
		if d.Collateral.Amount.IsValid() {
			return cfgErr("Rules.Deterrents.Collateral.Amount", "is set by the form "+string(d.Collateral.Form)+"; leave it out", nil)
		}
	case CollateralFixed:
		if err := a.CheckPositive(d.Collateral.Amount); err != nil {
			return cfgErr("Rules.Deterrents.Collateral.Amount", "must be a positive amount of the circle's asset", err)
		}
	default:
		return cfgErr("Rules.Deterrents.Collateral.Form", fmt.Sprintf("unknown form %q", d.Collateral.Form), nil)
	}
	b := d.Bounty
	switch {
	case b.Pool != "" && b.Pool != BountyFromRecovered && b.Pool != BountyFromFees:
		return cfgErr("Rules.Deterrents.Bounty.Pool", fmt.Sprintf("unknown pool %q", b.Pool), nil)
	case !b.IsZero() && b.Share.IsZero() == !b.Fixed.IsValid():
		return cfgErr("Rules.Deterrents.Bounty", "names a share or a fixed sum, not both", nil)
	case b.Fixed.IsValid():
		if err := a.CheckPositive(b.Fixed); err != nil {
			return cfgErr("Rules.Deterrents.Bounty.Fixed", "must be a positive amount of the circle's asset", err)
		}
	}
	switch {
	case d.RemoveAfter < 0:
		return cfgErr("Rules.Deterrents.RemoveAfter", "must not be negative", nil)
	case d.Notice < 0:
		return cfgErr("Rules.Deterrents.Notice", "must not be negative", nil)
	case d.Notice > 0 && d.RemoveAfter == 0:
		return cfgErr("Rules.Deterrents.Notice", "applies to removals; set RemoveAfter", nil)
	case d.Deduction.Cmp(token.One()) >= 0:
		return cfgErr("Rules.Deterrents.Deduction", "must be below one", nil)
	}
	return nil
}

// inDefault reports whether member i is in default: it owes, and the circle has ended,
// or its dues were accelerated, or it was removed.
func (c *Circle) inDefault(i int) bool {
	m := &c.members[i]
	_, neg := c.balance(i)
	return neg && (c.ended || m.rd().accelerated || m.rd().removed)
}

// actor runs the checks shared by the deterrent commands: time order, a circle that is
// not halted, and member's seat.
func (c *Circle) actor(op string, at time.Time, member token.Account) (ns int64, seat int, err error) {
	if ns, seat, err = c.seatCommand(op, at, member); err != nil {
		return 0, 0, err
	}
	if c.halted {
		return 0, 0, c.stateErr(op, member, at, ErrHalted)
	}
	return ns, seat, nil
}

// seatCommand runs the checks every command about a member makes first: an initialized
// circle, time order, and member's seat.
func (c *Circle) seatCommand(op string, at time.Time, member token.Account) (ns int64, seat int, err error) {
	if c.terms == nil {
		return 0, 0, uninitialized(op)
	}
	if ns, err = c.checkTime(op, member, at); err != nil {
		return 0, 0, err
	}
	if seat, err = c.seat(op, member); err != nil {
		return 0, 0, err
	}
	return ns, seat, nil
}

// byForeperson checks that by is the foreperson.
func (c *Circle) byForeperson(op string, at time.Time, by token.Account) error {
	if by != c.terms.cfg.Foreperson {
		return &Error{Op: op, Account: by, At: at, Round: c.open.number, Err: ErrNotForeperson}
	}
	return nil
}

// notInDefault is the error of a deterrent command on a member who is not in default.
func (c *Circle) notInDefault(op string, at time.Time, i int) error {
	m := &c.members[i]
	return &Error{Op: op, Account: m.acct, At: at, Round: c.open.number, Err: ErrNotInDefault,
		Detail: m.acct.String() + " is not in default: it owes nothing, or the circle runs and its dues were neither accelerated nor was it removed"}
}

// deterrentOff is the error of a command whose deterrent the rules do not provide.
func (c *Circle) deterrentOff(op string, at time.Time, a token.Account, rule string) error {
	return &Error{Op: op, Account: a, At: at, Round: c.open.number, Err: ErrDeterrentOff,
		Detail: "the rules provide no " + rule + " (Rules.Deterrents)"}
}

// recordExtra appends an event of an extended kind.
func (c *Circle) recordExtra(kind evKind, ns int64, seat int, x units, e extra) {
	c.log.addExtra(kind, ns, seat, c.open.number, &x, &c.terms.contribution, e)
}

// payFor credits x paid on member i's account by others (a guarantor, its collateral, a
// recovery), as Contribute credits a payment: before the end it clears a debt and
// reinstates a removed member who pays up within its notice; after the end it restores
// the claims written off. x is at most what the member owes.
func (c *Circle) payFor(i int, x units, ns int64) {
	c.addPaid(&c.members[i], x) // within the bound: at most what the member owes
	rest := c.collectLate(i, x)
	if c.ended {
		c.restoreLosses(rest)
		return
	}
	c.standing(i, ns)
}

// standing re-evaluates member i's debt flag and removal after a payment at ns.
func (c *Circle) standing(i int, ns int64) {
	m := &c.members[i]
	if m.debtPots == 0 && !m.rd().removed {
		return
	}
	if c.has(i).cmp(c.owes(i)) < 0 {
		return
	}
	if m.debtPots > 0 {
		c.books.debtPots -= m.debtPots
		m.debtPots, m.wr().heldSum = 0, units{}
	}
	if m.rd().removed && ns <= m.rd().notice {
		m.wr().removed = false
	}
}

// owedBound checks that x, paid for member i by others, is at most what it owes.
func (c *Circle) owedBound(op string, at time.Time, by token.Account, i int, amount token.Amount, x units) error {
	owed, neg := c.balance(i)
	m := &c.members[i]
	if !neg || owed.isZero() {
		return &Error{Op: op, Account: by, Amount: amount, At: at, Round: c.open.number, Err: ErrNothingToPay,
			Detail: m.acct.String() + " owes nothing"}
	}
	if x.cmp(owed) > 0 {
		return &Error{Op: op, Account: by, Amount: amount, Limit: owed.amount(c.terms.asset), At: at, Round: c.open.number,
			Detail: fmt.Sprintf("%s owes %s; no more is paid for it", m.acct, owed.amount(c.terms.asset)), Err: ErrInvalidAmount}
	}
	return nil
}

// applyDeterrent runs the command that produced e, an event of an extended kind k.
func (c *Circle) applyDeterrent(k evKind, e *Event) error {
	var err error
	switch k {
	case evCollateralPosted:
		err = c.PostCollateral(e.At, e.Member, e.Amount)
	case evCollateralApplied:
		_, err = c.ApplyCollateral(e.At, e.Party, e.Member)
	case evCollateralReturned:
		_, err = c.ReturnCollateral(e.At, e.Member)
	case evPledged:
		err = c.Pledge(e.At, e.Party, e.Member, e.Amount)
	case evGuarantorPaid:
		err = c.PayAsGuarantor(e.At, e.Party, e.Member, e.Amount)
	case evBountyPosted:
		err = c.PostBounty(e.At, e.Party, e.Member)
	case evRecovered:
		_, err = c.Recover(e.At, e.Party, e.Member, e.Amount)
	case evDuesAccelerated:
		_, err = c.Accelerate(e.At, e.Party, e.Member)
	case evMemberRemoved:
		err = c.Remove(e.At, e.Party, e.Member)
	case evSeatTransferred:
		err = c.TransferSeat(e.At, e.Member, e.Party, e.Amount, e.Collateral)
	case evMemberSubstituted:
		_, err = c.Substitute(e.At, c.terms.cfg.Foreperson, e.Member, e.Party, e.Collateral)
	}
	return err
}
