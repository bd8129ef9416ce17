package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/trustcircle/trustcircle/internal/texttable"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// amt formats an amount of the circle's asset for people, in the one format of the report:
// thousands separated, trailing zeros dropped down to one decimal, every other digit kept
// (0.000000000000000001 prints in full). The symbol is left to the headings.
func amt(x token.Amount) string { return x.DisplayNumber(1) }

// width is the widest line the report wraps its sentences to.
const width = 96

// printer writes the report: texttable's Printer, under the report's short names.
type printer struct{ texttable.Printer }

func newPrinter(w io.Writer) *printer {
	return &printer{texttable.Printer{W: w, Width: width, LabelWidth: 12}}
}

func (p *printer) f(format string, a ...any)           { p.F(format, a...) }
func (p *printer) say(format string, a ...any)         { p.Say(format, a...) }
func (p *printer) item(label, format string, a ...any) { p.Item(label, format, a...) }
func (p *printer) table(t *table)                      { p.Table(t) }

// printIntro describes the circle and its rules.
func printIntro(p *printer, c *rosca.Circle, h *history) error {
	cfg := c.Config()
	n := len(cfg.Members)
	pot, err := cfg.Contribution.Mul(int64(n))
	if err != nil {
		return fmt.Errorf("-contribution: %w", err)
	}
	p.f("A %s lending circle of %d members, under WeTrust's rules (amounts in %s)\n\n",
		kindName(cfg.Kind), n, cfg.Asset.Symbol())
	p.say("%s each pay %s a round, one round a week from %s, into a pot of %s. Each round one "+
		"member who has not had the pot yet takes it, so that each has it once in %d rounds. The "+
		"foreperson, %s, runs the circle for %s.",
		joinAccounts(cfg.Members), amt(cfg.Contribution), cfg.Start.Format("Mon 2 Jan 2006"), amt(pot), n,
		cfg.Foreperson, feeTerms(cfg.Fee))
	p.f("\n")
	switch cfg.Kind {
	case rosca.Bidding:
		p.item("bids", "A member who wants the pot early bids the least they would take: at least %s "+
			"(%s of the pot), each new bid at most %s of the lowest so far. The lowest bid wins; the "+
			"rest of the pot, less the fee, is the discount, shared equally by all %d members.",
			amt(c.Round().MinBid), cfg.Rules.MinBid, cfg.Rules.NextBid, n)
		p.item("no bids", "In a round without bids the pot goes by lot to a member who has not had it "+
			"(-seed %d fixes the draws, so that every run is the same).", h.seed)
	case rosca.Lottery:
		p.item("draws", "Each round the pot goes by lot to a member who has not had it (-seed %d fixes "+
			"the draws, so that every run is the same).", h.seed)
	case rosca.FixedOrder:
		p.item("order", "The pot goes round in seat order: %s first, then %s.", cfg.Members[0],
			joinAccounts(cfg.Members[1:]))
	}
	p.item("late payer", "%s skips round %d and pays for two rounds in round %d.", h.late, lateRound, lateRound+1)
	return p.Err()
}

// feeTerms describes the foreperson's fee.
func feeTerms(fee token.Ratio) string {
	if fee.IsZero() {
		return "no fee"
	}
	return fmt.Sprintf("a fee of %s of every pot, paid at the end", fee)
}

// printRound reports a round: the members' table, what happened and the round's figures.
func printRound(p *printer, c *rosca.Circle, h *history, rd *round) error {
	cfg := c.Config()
	n := len(cfg.Members)
	p.f("\nRound %d of %d, %s to %s\n", rd.r, n, rd.payAt.Format("Mon 2 Jan"), rd.deadline.Format("Mon 2 Jan 2006"))
	t, err := roundTable(cfg.Members, rd)
	if err != nil {
		return err
	}
	p.table(t)
	switch {
	case rd.r == n:
		p.say("(balance: what each member has left to withdraw at the end)")
	case rd.r == 1:
		p.say("(balance: after the round and %s's withdrawal, what each member may withdraw (+) or "+
			"still owes (-), the %s due for round %d counted as owed)", rd.res.Winner, amt(cfg.Contribution), rd.r+1)
	}
	printPayments(p, cfg, h, rd)
	if err := printWinner(p, c, rd); err != nil {
		return err
	}
	if err := printFee(p, cfg, rd); err != nil {
		return err
	}
	return printWithdrawal(p, c, rd)
}

// roundTable is each member's payment, bids, share of the round's discount and balance;
// the bid and share columns only when the round has some.
func roundTable(members []token.Account, rd *round) (*table, error) {
	shares := make([]token.Amount, len(members))
	anyShare := false
	for i := range members {
		s, err := rd.after[i].DiscountShare.Sub(rd.before[i].DiscountShare)
		if err != nil {
			return nil, err
		}
		shares[i], anyShare = s, anyShare || !s.IsZero()
	}
	cols := []column{{Head: "member", Align: left}, {Head: "paid", Align: decimal}}
	if len(rd.bids) > 0 {
		cols = append(cols, column{Head: "bid", Align: decimal})
	}
	if anyShare {
		cols = append(cols, column{Head: "share", Align: decimal})
	}
	cols = append(cols, column{Head: "balance", Align: decimal}, column{Head: "", Align: left})
	t := newTable(cols...)
	for i, m := range members {
		row := []string{string(m), "-"}
		if a, ok := rd.paid[m]; ok {
			row[1] = amt(a)
		}
		if len(rd.bids) > 0 {
			row = append(row, bidCell(rd.bids[m]))
		}
		if anyShare {
			row = append(row, amt(shares[i]))
		}
		t.Row(append(row, amt(rd.after[i].Balance), rowNote(rd, m))...)
	}
	return t, nil
}

// bidCell is a member's bids of a round: "4.8", "4.6, 4.4", "-".
func bidCell(bids []bid) string {
	if len(bids) == 0 {
		return "-"
	}
	s := make([]string, len(bids))
	for i, b := range bids {
		s[i] = amt(b.offer)
	}
	return strings.Join(s, ", ")
}

// rowNote is what a member's row of the round table says at its end: "takes the pot",
// "did not pay, bid refused".
func rowNote(rd *round, m token.Account) string {
	var notes []string
	if _, ok := rd.paid[m]; !ok {
		notes = append(notes, "did not pay")
	}
	for _, b := range rd.bids[m] {
		if b.refused {
			notes = append(notes, "bid refused")
			break
		}
	}
	if m == rd.res.Winner {
		notes = append(notes, "takes the pot")
	}
	return strings.Join(notes, ", ")
}

// printPayments tells the late payer's story and the refused bids.
func printPayments(p *printer, cfg rosca.Config, h *history, rd *round) {
	late := h.late
	switch {
	case rd.r == lateRound && rd.refusal != nil:
		f := rd.refusal
		p.say("%s's bid of %s is refused: %s did not pay this round, and %s of credit%s is less than the %s due so far.",
			late, amt(f.offer), late, amt(f.credit), creditParts(f), amt(f.dues))
	case rd.r == lateRound:
		p.say("%s does not pay this round.", late)
	case rd.r == lateRound+1:
		p.say("%s pays for two rounds, %s, and catches up.", late, amt(rd.paid[late]))
	}
	for _, note := range rd.notes {
		p.say("%s", note)
	}
}

// creditParts spells out a refused bidder's credit when it is only payments and shares.
func creditParts(f *refusal) string {
	if !f.pos.Won.IsZero() || !f.pos.Withdrawn.IsZero() || !f.pos.Held.IsZero() {
		return ""
	}
	return fmt.Sprintf(" (%s paid + %s share)", amt(f.pos.Contributed), amt(f.pos.DiscountShare))
}

// printWinner tells who took the pot, how, and what the rest of the pot became.
func printWinner(p *printer, c *rosca.Circle, rd *round) error {
	cfg := c.Config()
	res := rd.res
	fee := feeWords(cfg.Fee)
	switch {
	case res.Method == rosca.ByBid:
		p.say("%s wins with the lowest bid, %s, and takes %s%s.", res.Winner, amt(res.Bid), amt(res.Winnings), fee)
	case res.Method == rosca.BySeat:
		p.say("%s takes the pot in seat order: %s, the pot of %s%s.", res.Winner, amt(res.Winnings), amt(res.Pot), fee)
	case res.Candidates == 1:
		p.say("%s, the last member to have the pot, takes %s: the pot of %s%s.",
			res.Winner, amt(res.Winnings), amt(res.Pot), fee)
	default:
		why := "The pot goes by lot"
		if cfg.Kind == rosca.Bidding {
			why = "No bids, so the pot goes by lot"
		}
		p.say("%s among the %d members who have not had it (%s): %s takes %s, the pot of %s%s.",
			why, res.Candidates, joinAccounts(rd.unpaid), res.Winner, amt(res.Winnings), amt(res.Pot), fee)
	}
	if res.Debt {
		p.say("%s is behind with its dues: the pot is held for it until it catches up.", res.Winner)
	}
	if !res.Discount.IsZero() {
		rest, err := res.Pot.Sub(res.Bid)
		if err != nil {
			return err
		}
		less := ""
		if !cfg.Fee.IsZero() {
			less = ", less the fee,"
		}
		p.say("The other %s of the pot%s is the discount, %s: %s for each member.",
			amt(rest), less, amt(res.Discount), amt(shareOf(rd, res.Winner)))
	}
	return nil
}

// feeWords is " after the 1% fee", or nothing without a fee.
func feeWords(fee token.Ratio) string {
	if fee.IsZero() {
		return ""
	}
	return fmt.Sprintf(" after the %s fee", fee)
}

// shareOf returns m's share of the round's discount.
func shareOf(rd *round, m token.Account) token.Amount {
	i := seat(rd.after, m)
	s, err := rd.after[i].DiscountShare.Sub(rd.before[i].DiscountShare)
	if err != nil {
		return token.Amount{}
	}
	return s
}
