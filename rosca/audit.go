package rosca

import "fmt"

// Audit checks the accounting identities to the minor unit and returns an [*Error]
// wrapping [ErrAudit] describing the first that fails (which would be a bug):
//
//   - Cash = Contributions - Withdrawals - FeesPaid - RemainderPaid >= 0, the
//     contributions and withdrawals being the sums of the members' own records;
//   - Cash = sum of member balances + FeesReserved + FeesUnearned + Remainder +
//     OpenRoundDues + HeldPots + Losses;
//   - solvency: the members' positive balances + FeesReserved + Remainder <= Cash +
//     Shortfall, the shortfall named in [Totals]; after the end it is zero (allocated by
//     the rules' [LossPolicy]), so every claim is paid in full in any order;
//   - 0 <= FeesReserved <= Cash, FeesUnearned >= 0, Remainder >= 0;
//   - for every closed round, Winnings + (Discount - CarriedIn) + Fee + Dust = Pot,
//     Dust in [0, 2], and Discount = ShareEach x Recipients + DivisionRemainder (per-round
//     sharing) or the pool holds every discount (ShareAll);
//   - every member's wins and the per-epoch winners agree (one win per member per epoch).
//
// The zero Circle has no books: its Audit returns an [*Error] wrapping [ErrUninitialized].
func (c *Circle) Audit() error {
	if c.terms == nil {
		return uninitialized("Audit")
	}
	fail := func(format string, args ...any) error {
		return &Error{Op: "Audit", Detail: fmt.Sprintf(format, args...), Err: ErrAudit}
	}
	if err := c.auditCash(fail); err != nil {
		return err
	}
	if err := c.auditRounds(fail); err != nil {
		return err
	}
	return c.auditShares(fail)
}

type failFunc func(format string, args ...any) error

// auditCash checks the cash against the members' records and the buckets.
func (c *Circle) auditCash(fail failFunc) error {
	b := &c.books
	var in, out units
	for i := range c.members {
		in, out = in.add(c.members[i].contributed), out.add(c.members[i].withdrawn)
	}
	if in.cmp(b.contributions) != 0 || out.cmp(b.withdrawals) != 0 {
		return fail("members paid in %s and out %s; totals %s and %s", in, out, b.contributions, b.withdrawals)
	}
	var held units
	for i := range c.members {
		held = held.add(c.members[i].rd().collateral)
	}
	if held.cmp(b.rd().collateral) != 0 || b.rd().collateral.add(b.rd().collateralApplied).add(b.rd().collateralOut).cmp(b.rd().collateralIn) != 0 {
		return fail("collateral held %s (members %s) + applied %s + returned %s != posted %s",
			b.rd().collateral, held, b.rd().collateralApplied, b.rd().collateralOut, b.rd().collateralIn)
	}
	if b.rd().feeBounties.cmp(b.rd().bounties) > 0 || b.rd().feeBounties.cmp(b.feesPaid) > 0 || b.rd().bounties.cmp(b.rd().recovered) > 0 {
		return fail("bounties %s (from fees %s) above what was recovered %s or the fees paid %s", b.rd().bounties, b.rd().feeBounties, b.rd().recovered, b.feesPaid)
	}
	var pledged units
	for _, p := range c.pledges {
		if p.paid.cmp(p.limit) > 0 {
			return fail("a guarantor paid %s of a pledge of %s", p.paid, p.limit)
		}
		pledged = pledged.add(p.paid)
	}
	if pledged.cmp(b.rd().guarantorIn) != 0 {
		return fail("guarantors paid %s under their pledges, %s in the books", pledged, b.rd().guarantorIn)
	}
	cash, neg := b.contributions.add(b.rd().deductions).diff(b.withdrawals.add(b.feesPaid).add(b.remPaid).add(b.platformPaid))
	if neg {
		return fail("negative cash -%s", cash)
	}
	if b.feesReserved.cmp(cash) > 0 {
		return fail("fees reserved %s above the cash %s", b.feesReserved, cash)
	}
	unearned, neg := b.feesWithheld.diff(b.feesReserved.add(b.feesPaid).add(b.rd().feesLost))
	if neg {
		return fail("negative unearned fees -%s", unearned)
	}
	rem, neg := c.remainderSigned()
	if neg {
		return fail("negative remainder -%s", rem)
	}
	x := c.totals()
	// cash = balances + reserved + unearned + remainder + open dues + held + losses, with
	// balances = has - owes summed over the members: move the negative terms across.
	left := cash
	right := b.feesReserved.add(unearned).add(rem).add(x.openDues).add(x.accelerated).add(x.interests).add(b.rd().lateCharged.sub(b.rd().lateCollected)).add(x.held).add(x.losses).add(b.platform)
	if x.negBalances {
		left = left.add(x.balances)
	} else {
		right = right.add(x.balances)
	}
	if left.cmp(right) != 0 {
		return fail("cash %s != balances + buckets (%s against %s)", cash, left, right)
	}
	return c.auditSolvency(fail, x)
}

// remainderSigned is remainder with the sign of its last subtraction.
func (c *Circle) remainderSigned() (units, bool) {
	b := &c.books
	r := b.remKept.add(b.carry)
	if c.terms.cfg.Rules.Sharing == ShareAll {
		_, u := b.pool.quo(uint64(c.terms.n))
		r = r.add(unitsOf(u))
	}
	return r.diff(b.remPaid.add(b.rd().remLost))
}

// auditRounds checks every closed round's arithmetic and the winners.
func (c *Circle) auditRounds(fail failFunc) error {
	t := c.terms
	var pool, fees units
	wins := make([]int, t.n)
	seen := make(map[[2]int]bool, len(c.closed))
	for k := range c.closed {
		rr := c.round(k)
		if rr.round != k+1 {
			return fail("round %d recorded as %d", k+1, rr.round)
		}
		if rr.carriedIn.cmp(rr.discount) > 0 {
			return fail("round %d: carried in %s above the discount %s", rr.round, rr.carriedIn, rr.discount)
		}
		if x := rr.winnings.add(rr.discount.sub(rr.carriedIn)).add(rr.fee).add(rr.dust); x.cmp(t.pot) != 0 {
			return fail("round %d: winnings + discount + fee + dust = %s, pot %s", rr.round, x, t.pot)
		}
		if rr.dust.cmp(unitsOf(2)) > 0 {
			return fail("round %d: dust %s outside [0, 2]", rr.round, rr.dust)
		}
		if t.cfg.Rules.Sharing != ShareAll {
			if x := rr.shareEach.mul(uint64(rr.recipients)).add(rr.divRem); x.cmp(rr.discount) != 0 {
				return fail("round %d: shares %s != discount %s", rr.round, x, rr.discount)
			}
		}
		pool, fees = pool.add(rr.discount), fees.add(rr.fee)
		wins[rr.winner]++
		key := [2]int{rr.epoch, rr.winner}
		if seen[key] {
			return fail("%s won twice in epoch %d", c.members[rr.winner].acct, rr.epoch)
		}
		seen[key] = true
	}
	if fees.cmp(c.books.feesWithheld) != 0 {
		return fail("round fees %s != fees withheld %s", fees, c.books.feesWithheld)
	}
	if t.cfg.Rules.Sharing == ShareAll && pool.cmp(c.books.pool) != 0 {
		return fail("pool %s != sum of discounts %s", c.books.pool, pool)
	}
	for i := range c.members {
		if m := &c.members[i]; wins[i] != m.wins {
			return fail("%s: %d wins recorded, %d in the rounds", m.acct, m.wins, wins[i])
		}
	}
	return nil
}

// auditShares checks the discount shares.
func (c *Circle) auditShares(fail failFunc) error {
	t, b := c.terms, &c.books
	switch t.cfg.Rules.Sharing {
	case ShareAll:
		n := uint64(t.n)
		if x := b.share.mul(n); x.cmp(b.pool) > 0 || x.add(unitsOf(n)).cmp(b.pool) <= 0 {
			return fail("share %s is not floor(pool %s / %d)", b.share, b.pool, t.n)
		}
	case ShareOthers, ShareUnpaid:
		if len(c.spans) != t.n {
			return fail("%d share spans for %d seats", len(c.spans), t.n)
		}
		for i, s := range c.spans {
			if s.off.cmp(b.shareSum) > 0 && t.cfg.Rules.Sharing == ShareOthers || s.base.cmp(b.shareSum) > 0 {
				return fail("%s: share bookkeeping above the quotient sum %s", c.members[i].acct, b.shareSum)
			}
		}
	}
	return nil
}
