package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// printFee explains the round's fee and the fees earned so far, and the rounding
// left-overs kept so far.
func printFee(p *printer, cfg rosca.Config, rd *round) error {
	res, tot := rd.res, rd.totals
	fp := cfg.Foreperson
	switch {
	case cfg.Fee.IsZero():
	case tot.FeesUnearned.IsZero():
		p.say("The fee, %s, is held for %s until the end: %s so far.", amt(res.Fee), fp, amt(tot.FeesReserved))
	default:
		p.say("The fee, %s, is held for %s until the end. Fees are earned only on the dues paid: %s",
			amt(res.Fee), fp, earnedWords(cfg, rd))
	}
	rem := tot.Remainder
	if !rem.IsZero() || !rd.remBefore.IsZero() {
		p.say("Rounding left-overs so far: %s, kept in the circle until the end.", amt(rem))
	}
	return p.Err()
}

// earnedWords explains the fees earned so far when some withheld are not: the fee on the
// dues so far less each member's shortfall below them (its credit and share against its
// dues and what it withdrew and holds), as the circle reckons it at a close.
func earnedWords(cfg rosca.Config, rd *round) string {
	tot := rd.totals
	generic := fmt.Sprintf("%s has earned %s so far, and %s withheld waits for dues still unpaid.",
		cfg.Foreperson, amt(tot.FeesReserved), amt(tot.FeesUnearned))
	dues, err := cfg.Contribution.Mul(int64(rd.r * len(cfg.Members)))
	if err != nil {
		return generic
	}
	short, base := cfg.Asset.Zero(), dues
	var who []token.Account
	for _, q := range rd.closed {
		have := q.Balance // credit + share - dues (the next round's too) - held
		if rd.r < cfg.Rounds() {
			if have, err = have.Add(cfg.Contribution); err != nil {
				return generic
			}
		}
		if have.Sign() < 0 {
			short, _ = short.Sub(have)
			base, _ = base.Add(have)
			who = append(who, q.Member)
		}
	}
	if !cfg.Fee.MulFloor(base).Equal(tot.FeesReserved) || len(who) == 0 {
		return generic
	}
	verb := "is"
	if len(who) > 1 {
		verb = "are"
	}
	return fmt.Sprintf("%s has earned %s so far, %s of the %s due less the %s that %s %s short; the other %s withheld waits for %s to pay.",
		cfg.Foreperson, amt(tot.FeesReserved), cfg.Fee, amt(dues), amt(short), joinAccounts(who), verb,
		amt(tot.FeesUnearned), joinAccounts(who))
}

// printWithdrawal tells what the winner withdrew at once, and why that much.
func printWithdrawal(p *printer, c *rosca.Circle, rd *round) error {
	res := rd.res
	switch {
	case rd.tookErr != nil:
		p.say("%s cannot withdraw yet: %v.", res.Winner, rd.tookErr)
		return p.Err()
	case rd.took.IsZero():
		return p.Err()
	}
	q := rd.closed[seat(rd.closed, res.Winner)]
	if !rd.took.Equal(q.Balance) {
		p.say("%s withdraws %s at once, all the free cash the circle holds, of the %s it is owed.",
			res.Winner, amt(rd.took), amt(q.Balance))
		return p.Err()
	}
	rest, err := rd.took.Sub(q.Won)
	if err == nil {
		rest, err = rest.Sub(q.DiscountShare)
	}
	if err != nil {
		return err
	}
	share := "share"
	if !q.DiscountShare.Equal(shareOf(rd, res.Winner)) {
		share = "shares so far"
	}
	parts := amt(q.Won) + " won"
	if !q.DiscountShare.IsZero() {
		parts += " + " + amt(q.DiscountShare) + " " + share
	}
	cfg := c.Config()
	switch {
	case rest.IsZero():
	case rest.Equal(cfg.Contribution.Neg()) && rd.r < cfg.Rounds():
		parts += fmt.Sprintf(" - %s kept back for round %d", amt(cfg.Contribution), rd.r+1)
	case rest.Sign() < 0:
		parts += " - " + amt(rest.Neg()) + " still due"
	default:
		parts += " + " + amt(rest) + " paid ahead"
	}
	p.say("%s withdraws %s at once: %s.", res.Winner, amt(rd.took), parts)
	return p.Err()
}

// finish runs the end of the circle and prints it, the statements and the zero-sum check.
func finish(p *printer, c *rosca.Circle, h *history) error {
	if !c.Ended() {
		return errors.New("the circle did not end")
	}
	if err := settle(c, h); err != nil {
		return err
	}
	if err := printEnd(p, c, h); err != nil {
		return err
	}
	sum, err := statements(p, c, h)
	if err != nil {
		return err
	}
	return addsUp(p, c, h, sum)
}

// printEnd tells the final withdrawals, the fees and the rounding left-overs.
func printEnd(p *printer, c *rosca.Circle, h *history) error {
	cfg, e := c.Config(), h.end
	p.f("\nThe end, %s\n", e.at.Format("Mon 2 Jan 2006"))
	var took []string
	var none []token.Account
	for _, m := range cfg.Members {
		x, ok := e.withdrawn[m]
		switch {
		case !ok:
			none = append(none, m)
		default:
			took = append(took, fmt.Sprintf("%s %s", m, amt(x)))
		}
	}
	line := "Everybody withdraws what is left of their balance"
	if len(took) > 0 {
		line += ": " + join(took)
	}
	if len(none) > 0 {
		if line != "" {
			line += "; "
		}
		line += joinAccounts(none) + " " + map[bool]string{true: "has", false: "have"}[len(none) == 1] + " nothing left"
	}
	p.say("%s.", line)
	pot, err := cfg.Contribution.Mul(int64(len(cfg.Members)))
	if err != nil {
		return err
	}
	allPots, err := pot.Mul(int64(cfg.Rounds()))
	switch {
	case e.fees.IsZero():
		p.say("There are no fees to take.")
	case err == nil && cfg.Fee.MulFloor(allPots).Equal(e.fees):
		p.say("%s, the foreperson, takes the fees: %s, %s of the %d pots of %s.",
			cfg.Foreperson, amt(e.fees), cfg.Fee, cfg.Rounds(), amt(pot))
	default:
		p.say("%s, the foreperson, takes the fees earned: %s.", cfg.Foreperson, amt(e.fees))
	}
	if e.remainder.IsZero() {
		p.say("No rounding left-overs: every division was exact.")
	} else {
		p.say("The rounding left-overs, %s, go to %s: under WeTrust's rules the foreperson takes them.",
			amt(e.remainder), e.remTo)
	}
	return p.Err()
}

// statements prints each member's statement (paid in, received, net) and returns the sum
// of the nets.
func statements(p *printer, c *rosca.Circle, h *history) (token.Amount, error) {
	cfg := c.Config()
	p.f("\nStatements (%s), from the first payment to the last withdrawal\n", cfg.Asset.Symbol())
	won := make(map[token.Account]rosca.RoundResult)
	for _, res := range c.Rounds() {
		won[res.Winner] = res
	}
	t := newTable(column{Head: "member", Align: left}, column{Head: "had the pot", Align: left}, column{Head: "paid in", Align: decimal},
		column{Head: "received", Align: decimal}, column{Head: "net", Align: decimal})
	sum := cfg.Asset.Zero()
	signsTell := cfg.Kind == rosca.Bidding // bidders lose, the others gain
	for _, pos := range h.end.positions {
		net, err := pos.Withdrawn.Sub(pos.Contributed)
		if err == nil {
			sum, err = sum.Add(net)
		}
		if err != nil {
			return token.Amount{}, err
		}
		res := won[pos.Member]
		signsTell = signsTell && (res.Method == rosca.ByBid) == (net.Sign() < 0)
		t.Row(string(pos.Member), howWon(res), amt(pos.Contributed), amt(pos.Withdrawn), amt(net))
	}
	tot := c.Totals()
	t.Row("total", "", amt(tot.Contributions), amt(tot.Withdrawals), amt(sum))
	p.table(t)
	if signsTell {
		p.say("net = received - paid in: negative for the members who bid, who gave up part of the pot as " +
			"the discount; positive for those who took the whole pot and kept their shares of the discounts.")
	} else {
		p.say("net = received - paid in.")
	}
	if fees := h.end.fees; fees.Sign() > 0 {
		p.say("%s, the foreperson, also received the fees, %s, not counted in the net.", cfg.Foreperson, amt(fees))
	}
	return sum, p.Err()
}

// howWon says when and how a member had the pot: "round 2, bid 4.2".
func howWon(res rosca.RoundResult) string {
	s := fmt.Sprintf("round %d", res.Round)
	switch {
	case res.Method == rosca.ByBid:
		return s + ", bid " + amt(res.Bid)
	case res.Method == rosca.BySeat:
		return s + ", in seat order"
	case res.Candidates == 1:
		return s + ", last"
	}
	return s + ", by lot"
}

// addsUp checks and prints the zero-sum identity, to the minor unit: the members' nets
// sum to minus the fees and the remainder paid out, and no cash is left.
func addsUp(p *printer, c *rosca.Circle, h *history, sum token.Amount) error {
	cfg := c.Config()
	tot := c.Totals()
	outflow, err := tot.FeesPaid.Add(tot.RemainderPaid)
	if err == nil {
		outflow, err = outflow.Add(tot.Cash)
	}
	if err != nil {
		return err
	}
	if err := c.Audit(); err != nil {
		return err
	}
	if !sum.Neg().Equal(outflow) || tot.Cash.Sign() != 0 {
		return fmt.Errorf("the circle does not add up: sum of nets %s, fees + remainder + cash %s, cash %s",
			sum, outflow, tot.Cash)
	}
	p.f("\nDoes it add up? (%s)\n", cfg.Asset.Symbol())
	t := newTable(column{Head: "", Align: left}, column{Head: "", Align: decimal})
	t.Row("the members' nets", amt(sum))
	t.Row("fees paid to "+string(cfg.Foreperson), amt(tot.FeesPaid))
	t.Row("rounding left-overs paid out", amt(tot.RemainderPaid))
	t.Row("cash left in the circle", amt(tot.Cash))
	lines := t.Lines()
	for _, l := range lines[1:] { // no headings
		p.f("%s\n", l)
	}
	p.say("The nets add up to minus the fees and left-overs paid out, exactly, to the wei (%s %s), "+
		"and no cash is left in the circle. Audit: ok.", amt(cfg.Asset.MinorUnit()), cfg.Asset.Symbol())
	return p.Err()
}

func kindName(k rosca.Kind) string {
	switch k {
	case rosca.Lottery:
		return "lottery"
	case rosca.FixedOrder:
		return "fixed-order"
	}
	return "bidding"
}

// joinAccounts joins accounts in words: "bob", "bob and carol", "bob, carol and erin".
func joinAccounts(as []token.Account) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = string(a)
	}
	return join(s)
}

// join joins words: "a", "a and b", "a, b and c".
func join(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}
