package rosca

import (
	"cmp"
	"slices"

	"github.com/trustcircle/trustcircle/token"
)

// holderOf returns the holder of seat i under cfg: Holders[i], or the seat's account.
func holderOf(cfg *Config, i int) token.Account {
	if len(cfg.Holders) > 0 {
		return cfg.Holders[i]
	}
	return cfg.Members[i]
}

// holderIfOther returns the seat's holder when it is not the seat's account.
func (m *member) holderIfOther() token.Account {
	if h := m.holder(); h != m.acct {
		return h
	}
	return ""
}

// Holding is what a member holds in a circle: its tickets' positions, by seat, and their
// sums. The zero Holding holds nothing.
type Holding struct {
	Member  token.Account `json:"member"`
	Tickets []Position    `json:"tickets"`
	// The sums of the tickets' figures.
	Contributed   token.Amount `json:"contributed"`
	Withdrawn     token.Amount `json:"withdrawn"`
	Won           token.Amount `json:"won"`
	DiscountShare token.Amount `json:"discount_share"`
	Due           token.Amount `json:"due"`
	Balance       token.Amount `json:"balance"`
	Wins          int          `json:"wins"`
}

// seatsOf returns the seats member holds, in seat order.
func (c *Circle) seatsOf(member token.Account) []int {
	var out []int
	for i := range c.members {
		if c.members[i].holder() == member {
			out = append(out, i)
		}
	}
	return out
}

// Tickets returns the accounts of the seats member holds, in seat order (its own account
// alone for a member holding one seat of its name). The error is an [*Error] wrapping
// [ErrUninitialized] or [ErrNotMember] (member holds no seat).
func (c *Circle) Tickets(member token.Account) ([]token.Account, error) {
	if c.terms == nil {
		return nil, uninitialized("Tickets")
	}
	seats := c.seatsOf(member)
	if len(seats) == 0 {
		return nil, &Error{Op: "Tickets", Account: member, Err: ErrNotMember}
	}
	out := make([]token.Account, len(seats))
	for k, i := range seats {
		out[k] = c.members[i].acct
	}
	return out, nil
}

// Holding returns member's tickets and their sums. The error is an [*Error] wrapping
// [ErrUninitialized] or [ErrNotMember] (member holds no seat).
func (c *Circle) Holding(member token.Account) (Holding, error) {
	if c.terms == nil {
		return Holding{}, uninitialized("Holding")
	}
	seats := c.seatsOf(member)
	if len(seats) == 0 {
		return Holding{}, &Error{Op: "Holding", Account: member, Err: ErrNotMember}
	}
	h := Holding{Member: member, Tickets: make([]Position, len(seats))}
	var contributed, withdrawn, won, share, due, has, owes units
	for k, i := range seats {
		h.Tickets[k] = c.position(i)
		m := &c.members[i]
		contributed, withdrawn, won = contributed.add(m.contributed), withdrawn.add(m.withdrawn), won.add(m.won)
		share, due = share.add(c.shareOf(i)), due.add(c.dueOf(i))
		has, owes = has.add(c.has(i)), owes.add(c.owes(i))
		h.Wins += m.wins
	}
	a := c.terms.asset
	h.Contributed, h.Withdrawn, h.Won = contributed.amount(a), withdrawn.amount(a), won.amount(a)
	h.DiscountShare, h.Due, h.Balance = share.amount(a), due.amount(a), c.signed(has.diff(owes))
	return h, nil
}

// HolderStatement returns the statement of everything member holds: the lines of its
// tickets' statements, in the order of the events (a ticket's before the next's within
// an event), with the running balance over them all, and the sums of their totals. Seat
// is its first ticket's. The error is an [*Error] wrapping [ErrUninitialized] or
// [ErrNotMember] (member holds no seat).
func (c *Circle) HolderStatement(member token.Account) (Statement, error) {
	if c.terms == nil {
		return Statement{}, uninitialized("HolderStatement")
	}
	seats := c.seatsOf(member)
	if len(seats) == 0 {
		return Statement{}, &Error{Op: "HolderStatement", Account: member, Err: ErrNotMember}
	}
	type line struct {
		ticket int
		l      StatementLine
	}
	var lines []line
	var tot [9]units
	var credit, debit units
	for k, i := range seats {
		b := stmtBuilder{c: c, seat: i, t: c.terms}
		b.build()
		for _, l := range b.lines {
			lines = append(lines, line{k, l})
		}
		for j, x := range [...]units{b.contributed, b.withdrawn, b.won, b.fees, b.platform, b.share, b.due, b.held, b.lost} {
			tot[j] = tot[j].add(x)
		}
		credit, debit = credit.add(b.credit), debit.add(b.debit)
	}
	slices.SortStableFunc(lines, func(x, y line) int { return cmp.Compare(x.l.Seq, y.l.Seq) })
	out := make([]StatementLine, len(lines))
	var run, neg units // the running balance: credits less debits so far
	for k, x := range lines {
		l := x.l
		if l.Amount.IsNegative() {
			neg = neg.add(amountUnits(l.Amount.Neg()))
		} else {
			run = run.add(amountUnits(l.Amount))
		}
		l.Balance = c.signed(run.diff(neg))
		out[k] = l
	}
	a := c.terms.asset
	return Statement{Member: member, Seat: seats[0], Asset: a, LastSeq: uint64(c.log.n), Lines: out,
		Totals: StatementTotals{Contributed: tot[0].amount(a), Withdrawn: tot[1].amount(a), Won: tot[2].amount(a),
			Fees: tot[3].amount(a), PlatformFees: tot[4].amountOrNone(a), DiscountShare: tot[5].amount(a), Due: tot[6].amount(a),
			Held: tot[7].amount(a), Loss: tot[8].amountOrNone(a), Balance: c.signed(credit.diff(debit))}}, nil
}
