package rosca

import (
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// pledge is a guarantor's pledge for a seat's member.
type pledge struct {
	seat      int
	guarantor token.Account
	limit     units
	paid      units
	lapsed    bool // the seat passed to another member: nothing more is paid under it
}

// Pledge is a guarantor's pledge for a member: the most it answers for (Limit), what it
// has paid for the member (Paid: its claim on the member, junior to the circle's), and
// whether it lapsed when the member's seat passed to another member. The zero Pledge is
// no pledge.
type Pledge struct {
	Member    token.Account `json:"member"`
	Guarantor token.Account `json:"guarantor"`
	Limit     token.Amount  `json:"limit"`
	Paid      token.Amount  `json:"paid"`
	Lapsed    bool          `json:"lapsed,omitempty"`
}

// Pledge records, at time at, guarantor's pledge to answer for what member owes the
// circle, up to limit. The guarantor is any account but the member (a member of this or
// another circle, too); one pledge per guarantor and member.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrInvalidAmount], [ErrUnknownGuarantor] (the member itself or an invalid
// account), [ErrDuplicate] (the guarantor already pledged for member).
func (c *Circle) Pledge(at time.Time, guarantor, member token.Account, limit token.Amount) error {
	const op = "Pledge"
	ns, i, err := c.actor(op, at, member)
	if err != nil {
		return err
	}
	if guarantor == member || guarantor.Validate() != nil {
		return &Error{Op: op, Account: guarantor, At: at, Round: c.open.number, Err: ErrUnknownGuarantor,
			Detail: fmt.Sprintf("%q may not answer for %s", guarantor, member)}
	}
	x, err := c.checkAmount(op, guarantor, limit)
	if err != nil {
		return err
	}
	if c.findPledge(i, guarantor) >= 0 {
		return &Error{Op: op, Account: guarantor, At: at, Round: c.open.number, Err: ErrDuplicate,
			Detail: fmt.Sprintf("%s has pledged for %s already", guarantor, member)}
	}
	c.pledges = append(c.pledges, pledge{seat: i, guarantor: guarantor, limit: x})
	c.recordExtra(evPledged, ns, i, x, extra{party: guarantor})
	return nil
}

// findPledge returns the index of guarantor's pledge for the member of seat i that has not
// lapsed, or -1.
func (c *Circle) findPledge(i int, guarantor token.Account) int {
	for k := range c.pledges {
		if p := &c.pledges[k]; p.seat == i && p.guarantor == guarantor && !p.lapsed {
			return k
		}
	}
	return -1
}

// PayAsGuarantor records amount paid by guarantor, at time at, for what member owes,
// under its pledge: at most what the pledge has left and what the member owes. The payment
// counts as the member's (before the end it clears a debt, after the end it restores the
// claims written off, as a catch-up does), and becomes the guarantor's claim on the member
// ([Pledge.Paid]), junior to the circle's.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrUnknownGuarantor] (no pledge of guarantor for member),
// [ErrInvalidAmount], [ErrPledgeExceeded], [ErrNothingToPay] (member owes nothing).
func (c *Circle) PayAsGuarantor(at time.Time, guarantor, member token.Account, amount token.Amount) error {
	const op = "PayAsGuarantor"
	ns, i, err := c.actor(op, at, member)
	if err != nil {
		return err
	}
	k := c.findPledge(i, guarantor)
	if k < 0 {
		return &Error{Op: op, Account: guarantor, At: at, Round: c.open.number, Err: ErrUnknownGuarantor,
			Detail: fmt.Sprintf("%s has no pledge for %s", guarantor, member)}
	}
	x, err := c.checkAmount(op, guarantor, amount)
	if err != nil {
		return err
	}
	p, a := &c.pledges[k], c.terms.asset
	if left := p.limit.sub(p.paid); x.cmp(left) > 0 {
		return &Error{Op: op, Account: guarantor, Amount: amount, Limit: left.amount(a), At: at, Round: c.open.number,
			Err: ErrPledgeExceeded, Detail: fmt.Sprintf("the pledge for %s has %s left", member, left.amount(a))}
	}
	if err := c.owedBound(op, at, guarantor, i, amount, x); err != nil {
		return err
	}
	p.paid = p.paid.add(x)
	c.books.wr().guarantorIn = c.books.rd().guarantorIn.add(x)
	c.payFor(i, x, ns)
	c.recordExtra(evGuarantorPaid, ns, i, x, extra{party: guarantor})
	return nil
}

// Pledges returns the pledges made for member, in the order they were made. The error is
// an [*Error] wrapping [ErrUninitialized] or [ErrNotMember].
func (c *Circle) Pledges(member token.Account) ([]Pledge, error) {
	if c.terms == nil {
		return nil, uninitialized("Pledges")
	}
	i, ok := c.seatOf(member)
	if !ok {
		return nil, &Error{Op: "Pledges", Account: member, Err: ErrNotMember}
	}
	var out []Pledge
	a := c.terms.asset
	for _, p := range c.pledges {
		if p.seat == i {
			out = append(out, Pledge{Member: member, Guarantor: p.guarantor, Limit: p.limit.amount(a), Paid: p.paid.amount(a), Lapsed: p.lapsed})
		}
	}
	return out, nil
}

// PostBounty posts the rules' recovery bounty ([Bounty]) on member's debt, at time at, by
// the foreperson: from then on whoever brings in funds recovered from the member
// ([Circle.Recover]) is paid the bounty. The member must be in default.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrNotForeperson], [ErrDeterrentOff] (the rules have no bounty),
// [ErrNotInDefault], [ErrDuplicate] (a bounty is posted on member already).
func (c *Circle) PostBounty(at time.Time, by, member token.Account) error {
	const op = "PostBounty"
	ns, i, err := c.actor(op, at, member)
	if err != nil {
		return err
	}
	if err := c.byForeperson(op, at, by); err != nil {
		return err
	}
	switch m := &c.members[i]; {
	case c.terms.cfg.Rules.Deterrents.Bounty.IsZero():
		return c.deterrentOff(op, at, member, "recovery bounty")
	case !c.inDefault(i):
		return c.notInDefault(op, at, i)
	case m.rd().bounty:
		return &Error{Op: op, Account: member, At: at, Round: c.open.number, Err: ErrDuplicate,
			Detail: "a bounty is posted on " + member.String() + " already"}
	}
	c.members[i].wr().bounty = true
	c.recordExtra(evBountyPosted, ns, i, units{}, extra{party: by})
	return nil
}

// Recover records amount recovered from member, brought in at time at by collector, who
// is paid the bounty posted on the member: a share of amount, or the fixed sum (never more
// than amount), from the rules' [BountyPool] (the fee reserve pays at most what it holds).
// amount is at most what the member owes; it counts as the member's payment, less the
// bounty when the recovered funds pay it. It returns the bounty paid.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrNoBounty] (no bounty posted on member), [ErrInvalidAmount] (also a
// collector who is the member), [ErrNothingToPay].
func (c *Circle) Recover(at time.Time, collector, member token.Account, amount token.Amount) (token.Amount, error) {
	const op = "Recover"
	ns, i, err := c.actor(op, at, member)
	if err != nil {
		return token.Amount{}, err
	}
	if !c.members[i].rd().bounty {
		return token.Amount{}, &Error{Op: op, Account: collector, At: at, Round: c.open.number, Err: ErrNoBounty,
			Detail: "no bounty is posted on " + member.String()}
	}
	if collector == member || collector.Validate() != nil {
		return token.Amount{}, &Error{Op: op, Account: collector, At: at, Round: c.open.number, Err: ErrInvalidAmount,
			Detail: fmt.Sprintf("%q may not collect a bounty on %s", collector, member)}
	}
	x, err := c.checkAmount(op, collector, amount)
	if err != nil {
		return token.Amount{}, err
	}
	if err := c.owedBound(op, at, collector, i, amount, x); err != nil {
		return token.Amount{}, err
	}
	b, credit := c.bountyOn(x)
	c.books.wr().recovered = c.books.rd().recovered.add(x)
	c.books.wr().bounties = c.books.rd().bounties.add(b)
	c.payFor(i, credit, ns)
	c.recordExtra(evRecovered, ns, i, x, extra{party: collector, second: b})
	return b.amount(c.terms.asset), nil
}

// bountyOn returns the bounty on a recovery of x and what the recovery credits the member
// in default; it takes a fee-pool bounty out of the fee reserve.
func (c *Circle) bountyOn(x units) (bounty, credit units) {
	rule, b := &c.terms.cfg.Rules.Deterrents.Bounty, &c.books
	if rule.Share.IsZero() {
		bounty = minUnits(amountUnits(rule.Fixed), x)
	} else {
		bounty = x.frac(rule.Share.Num(), rule.Share.Den())
	}
	if rule.Pool != BountyFromFees {
		return bounty, x.sub(bounty)
	}
	bounty = minUnits(bounty, b.feesReserved)
	b.feesReserved = b.feesReserved.sub(bounty)
	b.feesPaid = b.feesPaid.add(bounty) // paid out of the reserve, as the foreperson's fees are
	b.wr().feeBounties = b.rd().feeBounties.add(bounty)
	return bounty, x
}
