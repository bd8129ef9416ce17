package rosca

import (
	"fmt"

	"github.com/trustcircle/trustcircle/internal/wire"
	"github.com/trustcircle/trustcircle/token"
)

// LateFee is the late-payment rule: at each close, a member whose arrears go beyond Grace
// rounds' contributions is charged Flat plus Rate x its arrears (rounded down; its late
// fees not counted), and a strike. A payment by or for a member pays its late fees first,
// and at each close the member's own credit (a pot won, a discount share, a pot it held in
// debt, its own again at the end) pays what it covers of them; what is paid is credited
// then to the recipient To, so that the books never promise a fee nobody has paid, and a
// fee a member can bear is never left unpaid. The zero LateFee charges nothing.
type LateFee struct {
	Flat  token.Amount `json:"flat,omitzero"`
	Rate  token.Ratio  `json:"rate,omitzero"`
	Grace int          `json:"grace,omitempty"`
	To    LateFeeTo    `json:"to,omitempty"`
}

// IsZero reports whether f charges nothing and sets nothing.
func (f LateFee) IsZero() bool {
	return !f.Flat.IsValid() && f.Rate.IsZero() && f.Grace == 0 && f.To == ""
}

// charges reports whether f charges a fee.
func (f *LateFee) charges() bool { return f.Flat.IsValid() || !f.Rate.IsZero() }

// LateFeeTo names who receives the late fees paid.
type LateFeeTo string

// The recipients of late fees.
const (
	// LateFeeToForeperson credits the foreperson's balance (the zero LateFeeTo); the
	// foreperson itself is charged none.
	LateFeeToForeperson LateFeeTo = "foreperson"
	// LateFeeToMembers shares each late fee paid among the other members equally, rounded
	// down; the remainder goes to the foreperson (to the first other seat when the
	// foreperson paid it).
	LateFeeToMembers LateFeeTo = "members"
)

func (f LateFee) validate(a token.Asset) error {
	switch {
	case f.Flat.IsValid() && a.CheckPositive(f.Flat) != nil:
		return cfgErr("Rules.Deterrents.LateFee.Flat", "must be a positive amount of the circle's asset", a.CheckPositive(f.Flat))
	case f.Grace < 0:
		return cfgErr("Rules.Deterrents.LateFee.Grace", "must not be negative", nil)
	case f.To != "" && f.To != LateFeeToForeperson && f.To != LateFeeToMembers:
		return cfgErr("Rules.Deterrents.LateFee.To", fmt.Sprintf("unknown recipient %q", f.To), nil)
	case !f.IsZero() && !f.charges():
		return cfgErr("Rules.Deterrents.LateFee", "sets a grace or a recipient but no fee (Flat or Rate)", nil)
	}
	return nil
}

// LateFeeLine is a late fee charged at a round's close: the member, its arrears (beyond
// the open round's contribution and its late fees) and the fee. The zero LateFeeLine
// charges nobody.
type LateFeeLine struct {
	Account token.Account `json:"account"`
	Arrears token.Amount  `json:"arrears"`
	Fee     token.Amount  `json:"fee"`
}

// Equal reports whether two lines are the same.
func (l LateFeeLine) Equal(m LateFeeLine) bool {
	return l.Account == m.Account && l.Arrears.Equal(m.Arrears) && l.Fee.Equal(m.Fee)
}

// AppendJSON appends the line's JSON to b: {"account":"...","arrears":"...","fee":"..."}.
func (l LateFeeLine) AppendJSON(b []byte) []byte {
	b = wire.AppendString(append(b, `{"account":`...), string(l.Account))
	b = appendAmount(append(b, `,"arrears":`...), &l.Arrears)
	b = appendAmount(append(b, `,"fee":`...), &l.Fee)
	return append(b, '}')
}

// MarshalJSON returns [LateFeeLine.AppendJSON]'s encoding.
func (l LateFeeLine) MarshalJSON() ([]byte, error) { return l.AppendJSON(nil), nil }

// lateFeeLineJSON is LateFeeLine without its methods.
type lateFeeLineJSON LateFeeLine

// UnmarshalJSON decodes what MarshalJSON encodes; unknown fields are refused.
func (l *LateFeeLine) UnmarshalJSON(b []byte) error {
	j, err := decodeReplayable[lateFeeLineJSON]("LateFeeLine.UnmarshalJSON", b)
	if err != nil {
		return err
	}
	*l = LateFeeLine(j)
	return nil
}

// lateCharge is a late fee charged at a close.
type lateCharge struct {
	seat         int
	arrears, fee units
}

// lateLines returns the late fees charged at closed round k, rr, as lines.
func (c *Circle) lateLines(k int, rr *roundRec) []LateFeeLine {
	if len(rr.rd().late) == 0 {
		return nil
	}
	a := c.terms.asset
	out := make([]LateFeeLine, len(rr.x.late))
	for j, l := range rr.x.late {
		out[j] = LateFeeLine{Account: c.accountAtClose(l.seat, k), Arrears: l.arrears.amount(a), Fee: l.fee.amount(a)}
	}
	return out
}

// arrears returns what member i owes beyond the open round's dues and its late fees:
// withdrawn + held + C x (r - grace) - has, for the round r just closed.
func (c *Circle) arrears(i int, grace int) units {
	m, t := &c.members[i], c.terms
	k := c.open.number - grace
	if k <= 0 {
		return units{}
	}
	need := m.withdrawn.add(c.held(i)).add(t.contribution.mul(uint64(k)))
	return need.monus(c.has(i).monus(m.rd().late))
}

// chargeLateFees charges the rules' late fee to every member in arrears beyond the grace
// at the close of round rr (called before the next round opens).
func (c *Circle) chargeLateFees(rr *roundRec) {
	f := &c.terms.cfg.Rules.Deterrents.LateFee
	if !f.charges() {
		return
	}
	toMembers := f.To == LateFeeToMembers && c.terms.n > 1
	for i := range c.members {
		if i == c.terms.foreperson && !toMembers {
			continue // its own fee would be paid to itself
		}
		late := c.arrears(i, f.Grace)
		if late.isZero() {
			continue
		}
		fee := late.frac(f.Rate.Num(), f.Rate.Den())
		if f.Flat.IsValid() {
			fee = fee.add(amountUnits(f.Flat))
		}
		m := &c.members[i]
		m.wr().late, m.wr().lateOwed, m.wr().strikes = m.rd().late.add(fee), m.rd().lateOwed.add(fee), m.rd().strikes+1
		c.books.wr().lateCharged = c.books.rd().lateCharged.add(fee)
		rr.wr().late = append(rr.rd().late, lateCharge{seat: i, arrears: late, fee: fee})
	}
}

// coverLate collects, at a close, the late fees outstanding that a member's own credit
// now covers: a win, a discount share, a pot released at the end or a late fee received
// can leave a member able to bear its fees without a payment, and a fee so covered is paid
// (credited to its recipients) as a payment's would be. Of member i's fees outstanding U,
// its balance B (the fees counted in it) covers min(U, max(0, B + U)). Each collection is
// recorded in rr, for the statements.
func (c *Circle) coverLate(rr *roundRec) {
	if c.books.rd().lateCharged.cmp(c.books.rd().lateCollected) == 0 {
		return // no fee outstanding: the common case
	}
	for i := range c.members {
		x := c.members[i].x
		if x == nil || x.lateOwed.isZero() {
			continue
		}
		covered := x.lateOwed
		if b, neg := c.balance(i); neg {
			if b.cmp(covered) >= 0 {
				continue // its credit covers none of its fees
			}
			covered = covered.sub(b)
		}
		c.collectLate(i, covered)
		rr.wr().covered = append(rr.rd().covered, lateCharge{seat: i, fee: covered})
	}
}

// collectLate takes, out of a payment x by or for member i, its late fees outstanding,
// credits them to their recipients and returns the rest of x.
func (c *Circle) collectLate(i int, x units) units {
	m := &c.members[i]
	if m.rd().lateOwed.isZero() {
		return x
	}
	part := minUnits(x, m.rd().lateOwed)
	m.wr().lateOwed = m.rd().lateOwed.sub(part)
	c.books.wr().lateCollected = c.books.rd().lateCollected.add(part)
	for k, share := range c.lateShares(i, part) {
		c.members[k].won = c.members[k].won.add(share)
	}
	return x.sub(part)
}

// lateShares returns, by seat, what a late fee of x paid by member i credits.
func (c *Circle) lateShares(i int, x units) []units {
	t := c.terms
	out := make([]units, t.n)
	if t.cfg.Rules.Deterrents.LateFee.To != LateFeeToMembers || t.n < 2 {
		out[t.foreperson] = x
		return out
	}
	q, r := x.quo(uint64(t.n - 1))
	for k := range out {
		if k != i {
			out[k] = q
		}
	}
	to := t.foreperson
	if to == i {
		to = (i + 1) % t.n
	}
	out[to] = out[to].add(unitsOf(r))
	return out
}
