package main

import (
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// lockedUp distributes the successful sale again, rebuilt from its log up to the
// distribution, with every buyer's tokens locked up: a 1-year cliff, then monthly over 4
// years, by the calendar.
func lockedUp(p *printer, sold *crowdsale.Sale) error {
	p.f("\nThe same sale distributed locked up: a 1-year cliff, then monthly over 4 years\n")
	last := sold.LastSeq() // the distribution
	sale, err := crowdsale.Replay(sold.InitialConfig(), func(yield func(crowdsale.Event) bool) {
		for e := range sold.EventsAfter(0) {
			if e.Seq == last || !yield(e) {
				return
			}
		}
	})
	if err != nil {
		return err
	}
	ledger, err := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{
		Sale: sold.InitialConfig().SaleAccount, Team: "team-vesting", Organisation: "finclusion-labs", Bounties: "bounties"}))
	if err != nil {
		return err
	}
	start := time.Date(2017, time.May, 1, 0, 0, 0, 0, time.UTC)
	lock := crowdsale.LockUp{Schedule: token.CalendarSchedule(token.Amount{}, start, token.Monthly, 48, 12)}
	if err := sale.DistributeLocked(ledger, lock); err != nil {
		return err
	}
	events := sale.Events()
	d := events[len(events)-1].Distributed
	cliff, end := lock.Schedule.Cliff, lock.Schedule.End
	p.say("Sale.DistributeLocked makes each buyer's allocation one non-revocable vesting grant of the "+
		"ledger, monthly by the calendar from %s: counted in the buyer's balance but not spendable until "+
		"released; nothing vests before the cliff on %s, then 12 of the 48 tranches at once (a quarter, "+
		"rounded down to the micro-TRST), one more each month, and all of it on %s.",
		start.Format("2 Jan 2006"), cliff.Format("2 Jan 2006"), end.Format("2 Jan 2006"))
	t := newTable(column{Head: "participant", Align: left}, column{Head: "grant", Align: decimal},
		column{Head: "TRST locked", Align: decimal}, column{Head: "vested " + cliff.Add(-time.Second).Format("2 Jan 2006"), Align: decimal},
		column{Head: "vested " + cliff.Format("2 Jan 2006"), Align: decimal}, column{Head: "vested " + end.Format("2 Jan 2006"), Align: decimal})
	sum, id := token.TRST().Zero(), d.FirstGrant
	for _, a := range sale.Allocations() {
		if a.Amount.IsZero() {
			continue
		}
		g, err := ledger.Vesting(id)
		if err != nil {
			return err
		}
		t.Row(string(a.Participant), fmt.Sprint(id), num(ledger.Locked(a.Participant)), num(g.Vested(cliff.Add(-time.Second))),
			num(g.Vested(cliff)), num(g.Vested(end)))
		if sum, err = sum.Add(g.Schedule.Total); err != nil {
			return err
		}
		id++
	}
	t.Row("total", "", num(sum), "", "", "")
	p.table(t)
	if !sum.Equal(d.Total) {
		return fmt.Errorf("the grants sum to %s, the distribution is %s", sum, d.Total)
	}
	first := sale.Allocations()[0]
	released, err := ledger.Release(cliff, d.FirstGrant)
	if err != nil {
		return err
	}
	p.say("At the cliff %s releases %s and may spend it: %s of the %s it holds. The %d grants sum to the "+
		"%s distributed; the ledger's audit passes.", first.Participant, withSymbol(released),
		withSymbol(ledger.Spendable(first.Participant)), withSymbol(ledger.Balance(first.Participant)), d.Transfers, withSymbol(d.Total))
	if err := ledger.Audit(); err != nil {
		return err
	}
	return p.Err()
}
