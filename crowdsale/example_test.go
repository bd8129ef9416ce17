package crowdsale_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// The FAQ's worked example: Alice 40 BTC at 20%, Bob 20 BTC at 15%, Charlie 300 ETH at
// 0.03 BTC per ETH with no bonus. (The FAQ ignores the 1,000 BTC minimum; so does this
// example.)
func Example() {
	cfg := crowdsale.WeTrust2017()
	cfg.Minimum = decimal.Zero
	sale, err := crowdsale.NewSale(cfg)
	if err != nil {
		panic(err)
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2017, m, d, 12, 0, 0, 0, time.UTC) }
	q := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	for _, c := range []crowdsale.Contribution{
		{ID: "tx-alice", Participant: "alice", Asset: token.BTC(), Amount: q("40"), At: day(time.March, 10)},
		{ID: "tx-bob", Participant: "bob", Asset: token.BTC(), Amount: q("20"), At: day(time.March, 17)},
		{ID: "tx-charlie", Participant: "charlie", Asset: token.ETH(), Amount: q("300"), At: day(time.April, 7),
			Quotes: map[string]decimal.Decimal{"cryptocompare": q("0.0300"), "coinmarketcap": q("0.0301"), "gdax": q("0.0299")}},
	} {
		r, err := sale.Contribute(c)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-7s %s %s: bonus %s, value %s BTC, weight %s BTC\n", r.Participant, r.Received, r.Asset, r.Bonus, r.Value(), r.Weight().RatString())
	}
	if err := sale.Finalize(cfg.End); err != nil {
		panic(err)
	}
	fmt.Println(sale.Status(cfg.End).Reason, sale.Status(cfg.End).Outcome)
	for _, a := range sale.Allocations() {
		fmt.Printf("%-7s %s TRST\n", a.Participant, token.TRST().Format(a.Amount))
	}
	// Output:
	// alice   40 BTC: bonus 20/100, value 40 BTC, weight 48 BTC
	// bob     20 BTC: bonus 15/100, value 20 BTC, weight 23 BTC
	// charlie 300 ETH: bonus 0/100, value 9 BTC, weight 9 BTC
	// window succeeded
	// alice   48000000.000000 TRST
	// bob     23000000.000000 TRST
	// charlie 9000000.000000 TRST
}

// Provisional balances fall as others contribute: the first participant alone sees the
// whole pool, two equal ones half each.
func ExampleSale_Provisional() {
	sale, _ := crowdsale.NewSale(crowdsale.WeTrust2017())
	at := time.Date(2017, 3, 2, 9, 0, 0, 0, time.UTC)
	_, _ = sale.Contribute(crowdsale.Contribution{ID: "a", Participant: "A", Asset: token.BTC(), Amount: decimal.New(1, 0), At: at})
	fmt.Println("A alone:", sale.Provisional("A"))
	_, _ = sale.Contribute(crowdsale.Contribution{ID: "b", Participant: "B", Asset: token.BTC(), Amount: decimal.New(1, 0), At: at.Add(time.Hour)})
	fmt.Println("A:", sale.Provisional("A"), "B:", sale.Provisional("B"))
	// Output:
	// A alone: 80000000
	// A: 40000000 B: 40000000
}

// A sale that ends below its 1,000 BTC minimum refunds every contribution in its own
// currency and amount. Bob's ETH is pegged at the mean of the two quotes that answered,
// 0.0305 BTC per ETH: 250.5 + 1200 x 0.0305 = 287.1 BTC raised, below the minimum.
func ExampleSale_Finalize_failed() {
	cfg := crowdsale.WeTrust2017()
	sale, _ := crowdsale.NewSale(cfg)
	q := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	_, _ = sale.Contribute(crowdsale.Contribution{ID: "1", Participant: "alice", Asset: token.BTC(), Amount: q("250.5"),
		At: time.Date(2017, 3, 4, 0, 0, 0, 0, time.UTC)})
	_, _ = sale.Contribute(crowdsale.Contribution{ID: "2", Participant: "bob", Asset: token.ETH(), Amount: q("1200"),
		At:     time.Date(2017, 3, 5, 0, 0, 0, 0, time.UTC),
		Quotes: map[string]decimal.Decimal{"gdax": q("0.03"), "coinmarketcap": q("0.031")}})
	if err := sale.Finalize(cfg.End); err != nil {
		panic(err)
	}
	fmt.Println("raised", sale.Raised(), "BTC:", sale.Status(cfg.End).Outcome)
	for _, r := range sale.Refunds() {
		fmt.Println("refund", r.Participant, r.Amount, r.Asset)
	}
	// Output:
	// raised 287.1 BTC: failed
	// refund alice 250.5 BTC
	// refund bob 1200 ETH
}
