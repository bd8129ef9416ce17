package rosca

import (
	"math/big"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// What a member owes, and by when. Round r may close from its deadline, Start + r x
// Period, and every member owes C x r by then: the contribution of each round is withheld
// from the balance as [Position.Due] from the moment the round opens. A member's credit
// toward its dues, Paid, is what it has to its name less what is withheld otherwise:
//
//	Paid = Contributed - Withdrawn + Won + DiscountShare - Held - Loss = Balance + Due
//
// so Missing = Due - Paid = -Balance when positive. For a member who holds no pot won in
// debt, paying Missing is exactly what puts it in good standing (credit plus discount
// share at least C x r, the condition to bid and to be drawn without debt), with a zero
// balance; one minor unit less is not enough. For a debtor, Missing also covers the pots
// it holds: paying it is exactly what clears its debt at that payment, which releases the
// pots to its balance (and it is then in good standing too). The figures of later rounds
// assume no further payment and no further winnings or share.

// RoundStatus says where a round of the schedule stands.
type RoundStatus string

// The round statuses.
const (
	// RoundClosed: the round has closed; its winner is known.
	RoundClosed RoundStatus = "closed"
	// RoundOpen: the round takes contributions and bids.
	RoundOpen RoundStatus = "open"
	// RoundUpcoming: the round opens after the ones before it close.
	RoundUpcoming RoundStatus = "upcoming"
	// RoundHalted: the emergency halt stopped the circle before the round closed.
	RoundHalted RoundStatus = "halted"
)

// ScheduleRound is one round of the circle's calendar: when it may close, what every
// member owes by then (Due, C x Round), where it stands, who won it once closed, and how
// many members are short of Due now (Behind) by how much in all (Missing), assuming no
// further payment; for the open round they are the [Circle.Reminders]. After the
// emergency halt nobody can pay any more: Behind and Missing are zero. Winner, Method,
// Bid and Winnings are those of a closed round (zero otherwise). The zero ScheduleRound
// describes no round.
type ScheduleRound struct {
	Round    int           `json:"round"`
	Epoch    int           `json:"epoch"`
	InEpoch  int           `json:"in_epoch"`
	Deadline time.Time     `json:"deadline"`
	Due      token.Amount  `json:"due"`
	Pot      token.Amount  `json:"pot"`
	Status   RoundStatus   `json:"status"`
	Winner   token.Account `json:"winner,omitempty"`
	Method   Method        `json:"method,omitempty"`
	Bid      token.Amount  `json:"bid,omitzero"`
	Winnings token.Amount  `json:"winnings,omitzero"`
	Behind   int           `json:"behind"`
	Missing  token.Amount  `json:"missing"`
}

// Schedule returns every round of the circle, in order. It reads the members' running
// totals and the closed rounds: O(members + rounds), no scan of the event log. It is nil
// for the zero Circle.
func (c *Circle) Schedule() []ScheduleRound {
	t := c.terms
	if t == nil {
		return nil
	}
	a := t.asset
	// Bucket the members by the number of rounds their credit covers (capped at the
	// last): a member covering k rounds is behind from round k+1 on, by C x r - Paid.
	cnt := make([]int, t.rounds+1)
	pos := make([]units, t.rounds+1) // sum of the non-negative credits in each bucket
	neg := make([]units, t.rounds+1) // sum of the magnitudes of the negative ones
	for i := range c.members {
		if c.halted {
			break
		}
		p, below := c.paid(i)
		k := 0
		if !below {
			k = c.roundsCovered(p)
			pos[k] = pos[k].add(p)
		} else {
			neg[k] = neg[k].add(p)
		}
		cnt[k]++
	}
	out := make([]ScheduleRound, t.rounds)
	behind := 0
	var sumPos, sumNeg units
	due := units{}
	for r := 1; r <= t.rounds; r++ {
		behind += cnt[r-1]
		sumPos, sumNeg = sumPos.add(pos[r-1]), sumNeg.add(neg[r-1])
		due = due.add(t.contribution)
		missing := due.mul(uint64(behind)).add(sumNeg).sub(sumPos)
		s := ScheduleRound{Round: r, Epoch: (r-1)/t.n + 1, InEpoch: (r-1)%t.n + 1, Deadline: t.cfg.Deadline(r),
			Due: due.amount(a), Pot: t.pot.amount(a), Status: c.roundStatus(r), Behind: behind, Missing: missing.amount(a)}
		if k := r - 1; k < len(c.closed) {
			rr := c.round(k)
			s.Winner, s.Method, s.Bid, s.Winnings = c.accountAtClose(rr.winner, k), methods[rr.method], rr.bid.amount(a), rr.winnings.amount(a)
		}
		out[r-1] = s
	}
	return out
}

// roundStatus returns round r's status.
func (c *Circle) roundStatus(r int) RoundStatus {
	switch {
	case r <= len(c.closed):
		return RoundClosed
	case c.halted:
		return RoundHalted
	case r == c.open.number && !c.ended:
		return RoundOpen
	}
	return RoundUpcoming
}

// paid returns member i's credit toward its dues, Balance + Due: its magnitude and
// whether it is negative. It is computed from the balance, so it follows whatever the
// balance is measured against.
func (c *Circle) paid(i int) (units, bool) {
	bal, neg := c.balance(i)
	due := c.dueOf(i)
	if !neg {
		return bal.add(due), false
	}
	return due.diff(bal)
}

// roundsCovered returns how many rounds' dues p covers, floor(p / C), at most the last
// round.
func (c *Circle) roundsCovered(p units) int {
	t := c.terms
	var q units
	if d := t.contribution; d.b == nil && d.v.Hi == 0 {
		q, _ = p.quo(d.v.Lo)
	} else {
		q = fromBig(new(big.Int).Quo(p.toBig(), d.toBig()))
	}
	if q.cmp(unitsOf(uint64(t.rounds))) >= 0 {
		return t.rounds
	}
	return int(q.v.Lo)
}

// MemberDue is what a member owes by one round's deadline: the dues by then (Due, C x
// Round), its credit toward them now (Paid, Balance + Due, negative only if it owes more
// than the dues), and what it still has to pay by the deadline, assuming no further
// payment (Missing, Due - Paid when positive; for a closed round, the arrears; zero after
// the emergency halt, when nobody can pay). The zero MemberDue describes no round.
type MemberDue struct {
	Round    int          `json:"round"`
	Deadline time.Time    `json:"deadline"`
	Due      token.Amount `json:"due"`
	Paid     token.Amount `json:"paid"`
	Missing  token.Amount `json:"missing"`
}

// ScheduleOf returns what member owes by each round's deadline, every round in order:
// O(rounds), no scan of the event log. The rounds' dues are the contributions C x r; what
// else a member owes now (dues accelerated, the external hui's interests, late fees) is in
// its [Position.Due] and balance, and its open round's Missing is what its balance lacks. The error is an [*Error] wrapping
// [ErrUninitialized] (the zero Circle) or [ErrNotMember].
func (c *Circle) ScheduleOf(member token.Account) ([]MemberDue, error) {
	t := c.terms
	if t == nil {
		return nil, uninitialized("ScheduleOf")
	}
	i, ok := c.seatOf(member)
	if !ok {
		return nil, &Error{Op: "ScheduleOf", Account: member, Err: ErrNotMember}
	}
	a := t.asset
	p, below := c.paid(i)
	paid := c.signed(p, below)
	out := make([]MemberDue, t.rounds)
	due := units{}
	for r := 1; r <= t.rounds; r++ {
		due = due.add(t.contribution)
		var missing units
		switch {
		case c.halted:
		case below:
			missing = due.add(p)
		default:
			missing = due.monus(p)
		}
		out[r-1] = MemberDue{Round: r, Deadline: t.cfg.Deadline(r), Due: due.amount(a), Paid: paid, Missing: missing.amount(a)}
	}
	return out, nil
}

// Reminder is a member who has not paid enough for the open round: the round and its
// deadline, the dues by then (Due, C x Round), its credit toward them (Paid, Balance +
// Due) and what is missing (Missing = Due - Paid = -Balance, positive). Paying Missing
// puts the member in good standing, and not a minor unit less; Debt reports that it holds
// a pot won in debt, which that payment clears too (releasing the pot to its balance).
// The zero Reminder is no member's.
type Reminder struct {
	Member   token.Account `json:"member"`
	Seat     int           `json:"seat"`
	Round    int           `json:"round"`
	Deadline time.Time     `json:"deadline"`
	Due      token.Amount  `json:"due"`
	Paid     token.Amount  `json:"paid"`
	Missing  token.Amount  `json:"missing"`
	Debt     bool          `json:"debt,omitempty"`
}

// Reminders returns the members who have not paid enough for the open round, in seat
// order, with what each is missing: the list a service sends reminders to. After the end
// it lists the members who still owe, Missing being what each may still pay as a
// catch-up ([Circle.Owed]); after the emergency halt, and for the zero Circle, it is nil.
// It reads the members' running totals: O(members), no scan of the event log.
func (c *Circle) Reminders() []Reminder {
	t := c.terms
	if t == nil || c.halted {
		return nil
	}
	k := 0 // count first, to allocate the list once
	for i := range c.members {
		if x, owes := c.balance(i); owes && !x.isZero() {
			k++
		}
	}
	if k == 0 {
		return nil
	}
	out := make([]Reminder, 0, k)
	a, round, deadline := t.asset, c.open.number, t.cfg.Deadline(c.open.number)
	for i := range c.members {
		short, owes := c.balance(i)
		if !owes || short.isZero() {
			continue
		}
		p, below := c.paid(i)
		m := &c.members[i]
		out = append(out, Reminder{Member: m.acct, Seat: i, Round: round, Deadline: deadline,
			Due: c.dueOf(i).amount(a), Paid: c.signed(p, below), Missing: short.amount(a), Debt: m.debtPots > 0})
	}
	return out
}
