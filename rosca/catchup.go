package rosca

import (
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// Owed returns what member owes the circle: minus its balance when the balance is
// negative, otherwise zero of the circle's asset. After the end it is what the member may
// still pay ([Circle.Contribute]); before, what it is behind on its dues (and the pots it
// holds). The error is an [*Error] wrapping [ErrUninitialized] or [ErrNotMember].
func (c *Circle) Owed(member token.Account) (token.Amount, error) {
	if c.terms == nil {
		return token.Amount{}, uninitialized("Owed")
	}
	i, ok := c.seatOf(member)
	if !ok {
		return token.Amount{}, &Error{Op: "Owed", Account: member, Err: ErrNotMember}
	}
	if x, neg := c.balance(i); neg {
		return x.amount(c.terms.asset), nil
	}
	return c.terms.asset.Zero(), nil
}

// Balance returns member's signed balance, [Position.Balance] without the rest of the
// position: positive is what a withdrawal would pay (liquidity permitting), negative what
// the member owes. The error is an [*Error] wrapping [ErrUninitialized] or [ErrNotMember].
func (c *Circle) Balance(member token.Account) (token.Amount, error) {
	if c.terms == nil {
		return token.Amount{}, uninitialized("Balance")
	}
	i, ok := c.seatOf(member)
	if !ok {
		return token.Amount{}, &Error{Op: "Balance", Account: member, Err: ErrNotMember}
	}
	return c.signed(c.balance(i)), nil
}

// catchUp is Contribute after the end: a member who owes pays at most what it owes, and
// the payment restores the claims written off at the end (see restoreLosses).
func (c *Circle) catchUp(op string, at time.Time, member token.Account, amount token.Amount) error {
	ns, err := c.checkTime(op, member, at)
	if err != nil {
		return err
	}
	i, err := c.seat(op, member)
	if err != nil {
		return err
	}
	owed, neg := c.balance(i)
	if !neg || owed.isZero() {
		return &Error{Op: op, Account: member, Round: c.open.number, At: at,
			Detail: member.String() + " owes nothing; the circle has ended", Err: ErrEnded}
	}
	x, err := c.checkAmount(op, member, amount)
	if err != nil {
		return err
	}
	a := c.terms.asset
	if x.cmp(owed) > 0 {
		return &Error{Op: op, Account: member, Amount: amount, Limit: owed.amount(a), Round: c.open.number, At: at,
			Detail: fmt.Sprintf("after the end %s may pay what it owes, %s, and no more", member, owed.amount(a)), Err: ErrInvalidAmount}
	}
	c.addPaid(&c.members[i], x) // within the bound: x is at most what the member owes
	c.restoreLosses(c.collectLate(i, x))
	c.record(evContribution, ns, i, c.open.number, x)
	return nil
}

// restoreLosses gives back, out of a catch-up payment x, the claims written off at the
// end, in the reverse order of the rules' [LossPolicy]: under [LossProRata] every written-off
// claim (the members', the fee lines') pro rata to what it lost; under [LossFeeFirst] the
// members first, then the fee lines; the remainder, which bore the shortfall first, last.
// What is left of x (the members' losses all restored) goes to the foreperson's fee
// reserve, up to the fees not earned because of the unpaid dues. Each share of x is
// exact (largest remainder, ties to the lower seat, the fee lines after the members).
func (c *Circle) restoreLosses(x units) {
	t, b := c.terms, &c.books
	lost := make([]units, t.n+2) // members, the foreperson's fee, the platform's fee
	for i := range c.members {
		lost[i] = c.members[i].rd().lost
	}
	lost[t.n], lost[t.n+1] = b.rd().feesLost, b.rd().platformLost
	parts, x := restoreParts(x, lost, t.n, t.cfg.Rules.Loss)
	for i := range c.members {
		if !parts[i].isZero() {
			e := c.members[i].wr()
			e.lost = e.lost.sub(parts[i])
		}
	}
	b.wr().feesLost, b.feesReserved = b.rd().feesLost.sub(parts[t.n]), b.feesReserved.add(parts[t.n])
	b.wr().platformLost, b.platform = b.rd().platformLost.sub(parts[t.n+1]), b.platform.add(parts[t.n+1])
	if cut := minUnits(x, b.rd().remLost); !cut.isZero() {
		b.wr().remLost = b.rd().remLost.sub(cut)
		x = x.sub(cut)
	}
	unearned := b.feesWithheld.sub(b.feesReserved).sub(b.feesPaid).sub(b.rd().feesLost)
	if cut := minUnits(x, unearned); !cut.isZero() {
		b.feesReserved = b.feesReserved.add(cut)
	}
}

// restoreParts divides up to x among the written-off claims lost (the n members' by seat,
// then the foreperson's fee line's and the platform's) in the reverse order of policy:
// every claim pro rata under [LossProRata], the members' before the fee lines' under
// [LossFeeFirst]. It returns each claim's part and what is left of x; lost is unchanged.
func restoreParts(x units, lost []units, n int, policy LossPolicy) ([]units, units) {
	parts := make([]units, len(lost))
	tiers := [][2]int{{0, n + 2}}
	if policy == LossFeeFirst {
		tiers = [][2]int{{0, n}, {n, n + 2}}
	}
	for _, tier := range tiers {
		var sum units
		for _, l := range lost[tier[0]:tier[1]] {
			sum = sum.add(l)
		}
		if x.isZero() || sum.isZero() {
			continue
		}
		give := minUnits(x, sum)
		copy(parts[tier[0]:], allocate(give, lost[tier[0]:tier[1]]))
		x = x.sub(give)
	}
	return parts, x
}

func minUnits(x, y units) units {
	if x.cmp(y) <= 0 {
		return x
	}
	return y
}

func maxUnits(x, y units) units {
	if x.cmp(y) >= 0 {
		return x
	}
	return y
}
