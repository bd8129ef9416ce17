package crowdsale_test

import (
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// Purchases locked up at distribution: a 1-year cliff, then monthly over 4 years. At the
// cliff a quarter of each allocation (12 of 48 tranches, rounded down to the micro-TRST)
// is released; at the end all of it.
func ExampleSale_DistributeLocked() {
	cfg := crowdsale.WeTrust2017()
	cfg.Minimum = token.BTC().Zero()
	sale, err := crowdsale.NewSale(cfg)
	if err != nil {
		panic(err)
	}
	at := time.Date(2017, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, c := range []crowdsale.Contribution{
		{ID: "tx-alice", Participant: "alice", Amount: token.BTC().MustParse("1"), At: at},
		{ID: "tx-bob", Participant: "bob", Amount: token.BTC().MustParse("2"), At: at},
	} {
		if _, err := sale.Contribute(c); err != nil {
			panic(err)
		}
	}
	if err := sale.Finalize(cfg.End); err != nil {
		panic(err)
	}
	ledger, err := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{
		Sale: cfg.SaleAccount, Team: "team", Organisation: "org", Bounties: "bounties"}))
	if err != nil {
		panic(err)
	}
	start := time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC)
	lock := crowdsale.LockUp{Schedule: token.CalendarSchedule(token.Amount{}, start, token.Monthly, 48, 12)}
	if err := sale.DistributeLocked(ledger, lock); err != nil {
		panic(err)
	}
	events := sale.Events()
	d := events[len(events)-1].Distributed
	fmt.Printf("%d grants from grant %d, %s in all\n", d.Transfers, d.FirstGrant, d.Total.Display(6))
	for i, a := range sale.Allocations() {
		id := d.FirstGrant + token.VestingID(i)
		fmt.Printf("%-5s %s, spendable %s\n", a.Participant, a.Amount.Display(6), ledger.Spendable(a.Participant).Display(6))
		for _, when := range []time.Time{start.AddDate(1, 0, 0), start.AddDate(4, 0, 0)} {
			released, err := ledger.Release(when, id)
			if err != nil {
				panic(err)
			}
			fmt.Printf("      %s: released %s, spendable %s\n", when.Format("2006-01-02"), released.Display(6), ledger.Spendable(a.Participant).Display(6))
		}
	}
	// Output:
	// 2 grants from grant 1, 80,000,000.000000 TRST in all
	// alice 26,666,666.666667 TRST, spendable 0.000000 TRST
	//       2018-05-01: released 6,666,666.666666 TRST, spendable 6,666,666.666666 TRST
	//       2021-05-01: released 20,000,000.000001 TRST, spendable 26,666,666.666667 TRST
	// bob   53,333,333.333333 TRST, spendable 0.000000 TRST
	//       2018-05-01: released 13,333,333.333333 TRST, spendable 13,333,333.333333 TRST
	//       2021-05-01: released 40,000,000.000000 TRST, spendable 53,333,333.333333 TRST
}
