package reputation_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/reputation"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// The worked example of the package documentation: carol pays two rounds late and bob rates
// her 1.
func Example() {
	usd, _ := token.NewAsset("USD", 2)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	cfg := rosca.Config{Asset: usd, Kind: rosca.FixedOrder, Members: []token.Account{"alice", "bob", "carol"},
		Foreperson: "alice", Operator: "op", Contribution: usd.MustParse("10"), Start: start,
		Period: 7 * 24 * time.Hour, Epochs: 1, Fee: token.MustRatio(0, 1), Rules: rosca.WeTrustRules(), Seed: rosca.Seed{7}}
	c, _ := rosca.New(cfg)
	on := func(day, hour int) time.Time { return start.AddDate(0, 0, day-1).Add(time.Duration(hour) * time.Hour) }
	ten := usd.MustParse("10")
	_ = c.Contribute(on(1, 0), "alice", ten)
	_ = c.Contribute(on(1, 0), "bob", ten)
	_, _ = c.CloseRound(on(8, 0))
	_ = c.Contribute(on(9, 12), "carol", ten) // a day and a half late: 2 days
	_ = c.Contribute(on(14, 0), "alice", ten)
	_ = c.Contribute(on(14, 0), "bob", ten)
	_, _ = c.CloseRound(on(15, 0))
	_ = c.Contribute(on(19, 0), "carol", ten) // 4 days late
	for _, m := range cfg.Members {
		_ = c.Contribute(on(21, 0), m, ten)
	}
	_, _ = c.CloseRound(on(22, 0))

	book := reputation.NewBook()
	_ = book.AddCircle(start, "c1", cfg.Members)
	_ = book.Review(on(23, 0), "c1", "bob", "carol", 1, "paid late twice")
	_ = book.Review(on(23, 0), "c1", "alice", "carol", 4, "late but paid in full")

	rep, err := reputation.Compute("carol",
		[]reputation.CircleLog{{ID: "c1", Config: cfg, Events: slices.Values(c.Events())}}, book)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Explain())
	fmt.Println(rep.MeetsMinimum(600))
	// Output:
	// carol: 571 of 1000 (571.25 before rounding down)
	//   +700.00  payments: the most a payment record earns
	//   -218.75  short_history: 5 rounds of no record at half credit, among 8 rounds counted
	//   -17.50  late: 2 rounds paid late, 6 days in all (6 counted, at most 30 a round), among 8 rounds counted
	//   +0.00  missed: 0 rounds not paid, among 8 rounds counted
	//   +0.00  defaults: 0 pots won while delinquent
	//   +0.00  recoveries: 0 such debts paid later
	//   +20.00  circles_completed: 1 circle completed with every round paid (at most 5 count)
	//   +87.50  reviews: 2 received, mean rating 5/2 (2.50), with 2 neutral reviews (3 of 5)
	// reputation: below the minimum reputation: reputation 571 is below the minimum of 600 (op MeetsMinimum, account carol)
}

// MeetsMinimum is the admission check a joining feature calls with a circle's minimum.
func ExampleMeetsMinimum() {
	fmt.Println(reputation.MeetsMinimum(640, 600))
	fmt.Println(reputation.MeetsMinimum(450, 600))
	// Output:
	// <nil>
	// reputation: below the minimum reputation: reputation 450 is below the minimum of 600 (op MeetsMinimum)
}
