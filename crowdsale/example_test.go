package crowdsale_test

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// The FAQ's worked example: Alice 40 BTC at 20%, Bob 20 BTC at 15%, Charlie 300 ETH at
// 0.03 BTC per ETH with no bonus. (The FAQ ignores the 1,000 BTC minimum; so does this
// example.)
func Example() {
	cfg := crowdsale.WeTrust2017()
	cfg.Minimum = token.BTC().Zero()
	sale, err := crowdsale.NewSale(cfg)
	if err != nil {
		panic(err)
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2017, m, d, 12, 0, 0, 0, time.UTC) }
	btc, eth := token.BTC(), token.ETH()
	for _, c := range []crowdsale.Contribution{
		{ID: "tx-alice", Participant: "alice", Amount: btc.MustParse("40"), At: day(time.March, 10)},
		{ID: "tx-bob", Participant: "bob", Amount: btc.MustParse("20"), At: day(time.March, 17)},
		{ID: "tx-charlie", Participant: "charlie", Amount: eth.MustParse("300"), At: day(time.April, 7),
			Quotes: map[string]token.Amount{"cryptocompare": btc.MustParse("0.0300"), "coinmarketcap": btc.MustParse("0.0301"), "gdax": btc.MustParse("0.0299")}},
	} {
		r, err := sale.Contribute(c)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-7s %s %s: bonus %s, value %s BTC, weight %s BTC\n", r.Participant, r.Received.Trim(0), r.Received.Asset(),
			r.Bonus, r.Value().Trim(0), r.Weight().RatString())
	}
	if err := sale.Finalize(cfg.End); err != nil {
		panic(err)
	}
	fmt.Println(sale.Status(cfg.End).Reason, sale.Status(cfg.End).Outcome)
	for _, a := range sale.Allocations() {
		fmt.Printf("%-7s %s\n", a.Participant, a.Amount)
	}
	// Output:
	// alice   40 BTC: bonus 20%, value 40 BTC, weight 48 BTC
	// bob     20 BTC: bonus 15%, value 20 BTC, weight 23 BTC
	// charlie 300 ETH: bonus 0%, value 9 BTC, weight 9 BTC
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
	_, _ = sale.Contribute(crowdsale.Contribution{ID: "a", Participant: "A", Amount: token.BTC().MustParse("1"), At: at})
	fmt.Println("A alone:", sale.Provisional("A"))
	_, _ = sale.Contribute(crowdsale.Contribution{ID: "b", Participant: "B", Amount: token.BTC().MustParse("1"), At: at.Add(time.Hour)})
	fmt.Println("A:", sale.Provisional("A"), "B:", sale.Provisional("B"))
	// Output:
	// A alone: 80000000.000000 TRST
	// A: 40000000.000000 TRST B: 40000000.000000 TRST
}

// A sale that ends below its 1,000 BTC minimum refunds every contribution in its own
// currency and amount. Bob's ETH is pegged at the mean of the two quotes that answered,
// 0.0305 BTC per ETH: 250.5 + 1200 x 0.0305 = 287.1 BTC raised, below the minimum.
func ExampleSale_Finalize_failed() {
	cfg := crowdsale.WeTrust2017()
	sale, _ := crowdsale.NewSale(cfg)
	btc := token.BTC()
	_, _ = sale.Contribute(crowdsale.Contribution{ID: "1", Participant: "alice", Amount: btc.MustParse("250.5"),
		At: time.Date(2017, 3, 4, 0, 0, 0, 0, time.UTC)})
	_, _ = sale.Contribute(crowdsale.Contribution{ID: "2", Participant: "bob", Amount: token.ETH().MustParse("1200"),
		At:     time.Date(2017, 3, 5, 0, 0, 0, 0, time.UTC),
		Quotes: map[string]token.Amount{"gdax": btc.MustParse("0.03"), "coinmarketcap": btc.MustParse("0.031")}})
	if err := sale.Finalize(cfg.End); err != nil {
		panic(err)
	}
	fmt.Println("raised", sale.Raised().Trim(1), "BTC:", sale.Status(cfg.End).Outcome)
	for _, r := range sale.Refunds() {
		fmt.Println("refund", r.Participant, r.Amount)
	}
	// Output:
	// raised 287.1 BTC: failed
	// refund alice 250.50000000 BTC
	// refund bob 1200.000000000000000000 ETH
}

// A service persists each command's events as JSON lines and rebuilds the sale from them
// on restart, reading the log as a stream.
func ExampleSale_EventsAfter() {
	cfg := crowdsale.WeTrust2017()
	sale, _ := crowdsale.NewSale(cfg)
	var log []byte // the service's file
	persisted := uint64(0)
	persist := func() {
		for e := range sale.EventsAfter(persisted) {
			log = append(e.AppendJSON(log), '\n')
			persisted = e.Seq
		}
	}
	_, _ = sale.Contribute(crowdsale.Contribution{ID: "tx1", Participant: "alice", Amount: token.BTC().MustParse("6000"),
		At: time.Date(2017, 3, 2, 10, 0, 0, 0, time.UTC)})
	persist()
	_ = sale.Finalize(time.Date(2017, 3, 3, 0, 0, 0, 0, time.UTC))
	persist()
	fmt.Print(string(log))

	dec := crowdsale.NewDecoder(bytes.NewReader(log))
	again, err := crowdsale.Replay(cfg, dec.Events())
	if err == nil {
		err = dec.Err()
	}
	fmt.Println(again.LastSeq(), again.Allocations()[0].Amount, err)
	// Output:
	// {"v":1,"seq":1,"kind":"contribution","at":"2017-03-02T10:00:00Z","contribution":{"id":"tx1","participant":"alice","amount":"6000.00000000 BTC","tier":0,"bonus":"30%","value":"6000.000000000000000000000000000 BTC","accepted":"6000.00000000 BTC"}}
	// {"v":1,"seq":2,"kind":"ended","at":"2017-03-02T10:00:00Z","end":{"reason":"cap","at":"2017-03-02T10:00:00Z"}}
	// {"v":1,"seq":3,"kind":"finalized","at":"2017-03-03T00:00:00Z","finalized":{"outcome":"succeeded","raised":"6000.000000000000000000000000000 BTC","participants":1,"contributions":1}}
	// {"v":1,"seq":4,"kind":"allocated","at":"2017-03-03T00:00:00Z","allocation":{"participant":"alice","amount":"80000000.000000 TRST"}}
	// 4 80000000.000000 TRST <nil>
}

// A service records a block of contributions at once. ContributeAll records them in order,
// as Contribute would, and stops at the first refused: here the third, which comes before
// the sale's clock. The two before it are recorded; their receipts are the sale's.
func ExampleSale_ContributeAll() {
	sale, _ := crowdsale.NewSale(crowdsale.WeTrust2017())
	at := time.Date(2017, 3, 2, 9, 0, 0, 0, time.UTC)
	block := []crowdsale.Contribution{
		{ID: "tx1", Participant: "alice", Amount: token.BTC().MustParse("1"), At: at},
		{ID: "tx2", Participant: "bob", Amount: token.BTC().MustParse("2"), At: at.Add(time.Minute)},
		{ID: "tx3", Participant: "carol", Amount: token.BTC().MustParse("3"), At: at.Add(-time.Hour)},
		{ID: "tx4", Participant: "dave", Amount: token.BTC().MustParse("4"), At: at.Add(time.Hour)},
	}
	n, err := sale.ContributeAll(block)
	fmt.Println(n, "recorded; refused", block[n].ID+":", errors.Is(err, crowdsale.ErrTimeOrder))
	r, _ := sale.Receipt("tx2")
	fmt.Println(r.Participant, r.Accepted, r.Tier, sale.Len(), sale.Raised().Trim(8))
	// Output:
	// 2 recorded; refused tx3: true
	// bob 2.00000000 BTC 0 2 3.00000000
}
