package rosca

import (
	"fmt"

	"github.com/trustcircle/trustcircle/token"
)

// LossPolicy says who bears a defaulter's uncovered shortfall at the end of a circle: the
// part of the members' positive balances, the fee reserve and the remainder that the cash
// held cannot pay, because members who owe never paid. The rounding remainder bears it
// first (it is nobody's claim); the rest falls on the creditors (the members with a
// positive balance and the foreperson's fee reserve) as the policy says. The shortfall is
// allocated once, when the last round closes, and recorded in that round's result
// ([RoundResult.Losses]); each member's part shows as [Position.Loss] and is deducted from
// its balance, so withdrawals in any order pay the same amounts.
//
// The zero LossPolicy is [LossProRata].
type LossPolicy string

const (
	// LossProRata divides the shortfall among the creditors pro rata to their claims, the
	// fee reserve ranking with the members' balances (the largest remainder method: each
	// bears the floor of its exact part, the units left go one each to the largest
	// fractional parts, ties to the lower seat, the fee line last).
	LossProRata LossPolicy = "pro_rata"
	// LossFeeFirst charges the foreperson's fee reserve first (it ranks below the members'
	// claims), then divides what is left among the members pro rata to their balances.
	LossFeeFirst LossPolicy = "fee_first"
)

func (p LossPolicy) valid() bool { return p == "" || p == LossProRata || p == LossFeeFirst }

// LossLine is one creditor's part of the shortfall allocated at the end: a member's
// balance, the foreperson's fee reserve (Fees true) or the remainder (Remainder true,
// under the account it would have been paid to), its claim before the allocation and the
// part written off. The zero LossLine has no account and no amounts.
type LossLine struct {
	Account   token.Account `json:"account"`
	Fees      bool          `json:"fees,omitempty"`
	Platform  bool          `json:"platform,omitempty"` // the platform's fee, the operator's
	Remainder bool          `json:"remainder,omitempty"`
	Claim     token.Amount  `json:"claim"`
	Loss      token.Amount  `json:"loss"`
}

// Equal reports whether two lines are the same.
func (l LossLine) Equal(m LossLine) bool {
	return l.Account == m.Account && l.Fees == m.Fees && l.Platform == m.Platform && l.Remainder == m.Remainder &&
		l.Claim.Equal(m.Claim) && l.Loss.Equal(m.Loss)
}

// shortfall returns the gap of the totals x.
func (c *Circle) shortfall(x totals) units { return c.gap(x.positive, x.remainder, x.cash) }

// gap returns what the members' positive balances, the fees reserved and the remainder
// claim beyond the cash held (zero when the cash covers them).
func (c *Circle) gap(positive, remainder, cash units) units {
	return positive.add(c.books.feesReserved).add(c.books.platform).add(remainder).monus(cash)
}

// remainderTo returns the seat the remainder would be paid to.
func (c *Circle) remainderTo() int {
	if c.terms.cfg.Rules.Remainder == RemainderToWinner && c.books.lastWinner >= 0 {
		return c.books.lastWinner
	}
	return c.terms.foreperson
}

// allocateLoss allocates the shortfall found when the circle ends (see [LossPolicy]) and
// records it in the last round's result. It is called once, after the last close.
func (c *Circle) allocateLoss(rr *roundRec) {
	t, b := c.terms, &c.books
	gap := c.gap(c.owed(), c.remainder(), b.cash())
	if gap.isZero() {
		return
	}
	a := t.asset
	rx := rr.wr()
	rx.shortfall = gap
	if rem := c.remainder(); !rem.isZero() {
		cut := rem
		if gap.cmp(rem) < 0 {
			cut = gap
		}
		b.wr().remLost = b.rd().remLost.add(cut)
		gap = gap.sub(cut)
		rx.losses = append(rx.losses, LossLine{Account: c.members[c.remainderTo()].acct, Remainder: true,
			Claim: rem.amount(a), Loss: cut.amount(a)})
	}
	if gap.isZero() {
		return
	}
	claims := make([]units, t.n+2)
	for i := range c.members {
		if x, neg := c.balance(i); !neg {
			claims[i] = x
		}
	}
	claims[t.n], claims[t.n+1] = b.feesReserved, b.platform
	var parts []units
	if t.cfg.Rules.Loss == LossFeeFirst {
		fee := claims[t.n].add(claims[t.n+1])
		if gap.cmp(fee) < 0 {
			fee = gap
		}
		parts = make([]units, t.n, t.n+2)
		if rest := gap.sub(fee); !rest.isZero() {
			parts = allocate(rest, claims[:t.n])
		}
		if fee.isZero() {
			parts = append(parts, units{}, units{})
		} else {
			parts = append(parts, allocate(fee, claims[t.n:])...)
		}
	} else {
		parts = allocate(gap, claims)
	}
	for i := range c.members {
		if parts[i].isZero() && claims[i].isZero() {
			continue
		}
		if !parts[i].isZero() {
			e := c.members[i].wr()
			e.lost = e.lost.add(parts[i])
		}
		rx.losses = append(rx.losses, LossLine{Account: c.members[i].acct, Claim: claims[i].amount(a), Loss: parts[i].amount(a)})
	}
	if !claims[t.n].isZero() {
		b.feesReserved = b.feesReserved.sub(parts[t.n])
		b.wr().feesLost = b.rd().feesLost.add(parts[t.n])
		rx.losses = append(rx.losses, LossLine{Account: t.cfg.Foreperson, Fees: true, Claim: claims[t.n].amount(a), Loss: parts[t.n].amount(a)})
	}
	if !claims[t.n+1].isZero() {
		b.platform = b.platform.sub(parts[t.n+1])
		b.wr().platformLost = b.rd().platformLost.add(parts[t.n+1])
		rx.losses = append(rx.losses, LossLine{Account: t.cfg.Operator, Platform: true, Claim: claims[t.n+1].amount(a), Loss: parts[t.n+1].amount(a)})
	}
}

// auditSolvency checks the solvency invariant: the members' positive balances, the fees
// reserved and the remainder never exceed the cash held, except for the shortfall the
// books name (Totals.Shortfall) before the end; after the end the shortfall has been
// allocated, so the cash covers every claim.
func (c *Circle) auditSolvency(fail failFunc, x totals) error {
	claims := x.positive.add(c.books.feesReserved).add(c.books.platform).add(x.remainder)
	gap := c.shortfall(x)
	if claims.cmp(x.cash.add(gap)) > 0 {
		return fail("claims %s above the cash %s and the shortfall %s", claims, x.cash, gap)
	}
	if c.ended && !c.halted && !gap.isZero() {
		return fail("after the end, claims %s exceed the cash %s by %s, not allocated", claims, x.cash, gap)
	}
	return nil
}

// String describes the line for people: "m2 bears 0.01 ETH of 2.1 ETH".
func (l LossLine) String() string {
	who := string(l.Account)
	switch {
	case l.Fees:
		who += " (fees)"
	case l.Remainder:
		who += " (remainder)"
	}
	return fmt.Sprintf("%s bears %s of %s", who, l.Loss, l.Claim)
}
