package trustcircle_test

// The README's tour: each snippet there is the body of one of these examples, so that every
// snippet is compiled and run by go test (TestREADMESnippetsAreExamples checks the copy).

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func Example_token() {
	btc := token.BTC()                        // 8 decimals; ETH() 18, TRST() 6
	x, _ := btc.Parse("1.00000001")           // or "1.00000001 BTC"; ParseAmount reads the canonical text
	parts, _ := token.Split(x, 3)             // sums to the whole; leftover units by largest remainder
	fmt.Println(parts[0], parts[1], parts[2]) // one grammar: number at the asset's scale, symbol

	_, err := btc.Parse("0.000000001") // finer than a satoshi
	fmt.Println(errors.Is(err, token.ErrSubUnitAmount), fault.CodeOf(err), fault.ClassOf(err))

	_, err = x.Add(token.ETH().MustParse("1")) // an amount knows its asset
	fmt.Println(errors.Is(err, token.ErrAssetMismatch))

	fee, _ := token.PerMille(2)                       // one exact Ratio for fees, bonuses, bids, shares
	fmt.Println(fee, fee.MulCeil(x), fee.MulFloor(x)) // every multiplication names its rounding
	// Output:
	// 0.33333334 BTC 0.33333334 BTC 0.33333333 BTC
	// true token.sub_unit_amount invalid
	// true
	// 0.2% 0.00200001 BTC 0.00200000 BTC
}

func Example_ledger() {
	trst := token.TRST()
	l, _ := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{
		Sale: "sale", Team: "team", Organisation: "finclusion", Bounties: "bounties"})) // 80/10/8/2 M
	err := l.Transfer("sale", "alice", trst.MustParse("12.5"))
	err = errors.Join(err, l.CompareAndApprove("alice", "shop", trst.Zero(), trst.MustParse("5"))) // Trustcoin's CAS
	fmt.Println(err, l.Balance("alice"), l.Allowance("alice", "shop"))

	err = l.Transfer("alice", "bob", trst.MustParse("20")) // refused, nothing changes
	fmt.Println(err)
	for e := range l.EventsAfter(l.LastSeq() - 2) { // the tail of the log, at the cost of the tail
		b := e.AppendJSON(nil)
		fmt.Println(string(b[:min(len(b), 40)]), "...")
	}
	// Output:
	// <nil> 12.500000 TRST 5.000000 TRST
	// token: insufficient balance: alice has 12.500000 TRST spendable (op Transfer, account alice, amount 20.000000 TRST, limit 12.500000 TRST)
	// {"v":1,"seq":5,"kind":"transfer","from": ...
	// {"v":1,"seq":6,"kind":"approval","from": ...
}

func Example_fees() {
	wei, _ := token.NewAsset("WEI", 0)
	rf, _ := token.PerMille(20)                                     // the reference contract's cap
	fee, net, _ := fees.ApplyNetFloor(rf, wei.FromInt64Units(1951)) // RF(1951): net rounded down
	fmt.Println(fee, net)
	p := fees.WeTrustPlatformPolicy() // data: 0 up to 5 members, 0.3%, 0.1% in TRST
	rate, _ := p.Rate(fees.Circle{Asset: token.TRST(), Members: 8})
	fmt.Println(rate)
	// Output:
	// 40 WEI 1911 WEI
	// 0.1%
}

func Example_roles() {
	trst := token.TRST()
	at := time.Date(2017, 5, 1, 12, 0, 0, 0, time.UTC)
	ledger, _ := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{
		Sale: "sale", Team: "team", Organisation: "finclusion", Bounties: "bounties"}))
	dir := roles.NewDirectory()
	err := errors.Join(dir.Grant(at, "wetrust", roles.PlatformOperator), dir.Grant(at, "rita", roles.ReferralPartner))
	p, err2 := roles.NewProgram(roles.ProgramConfig{Name: "growth", Pool: "bounties", Admin: "wetrust",
		Budget: trst.MustParse("1000"), OnJoin: roles.Reward{Fixed: trst.MustParse("5")}}, ledger, dir)
	err = errors.Join(err, err2, p.Refer(at, "rita", "ursula"))
	claim := roles.ReferralClaim{ID: "joined/ursula/c1", Partner: "rita", User: "ursula", Event: roles.Joined}
	po, err3 := p.PayReferral(at, "wetrust", claim) // pays once
	fmt.Println(errors.Join(err, err3), po.Amount, ledger.Balance("rita"))
	_, err = p.PayReferral(at, "wetrust", claim) // again: refused
	fmt.Println(errors.Is(err, roles.ErrDuplicateClaim), fault.ClassOf(err))
	// Output:
	// <nil> 5.000000 TRST 5.000000 TRST
	// true conflict
}

func Example_crowdsale() {
	cfg := crowdsale.WeTrust2017()   // tiers 30%..0%, min 1,000 BTC, cap 6,000 BTC, the $7.3M rule
	cfg.Minimum = token.BTC().Zero() // the FAQ's example ignores the minimum
	sale, _ := crowdsale.NewSale(cfg)
	btc, eth := token.BTC(), token.ETH()
	day := func(m time.Month, d int) time.Time { return time.Date(2017, m, d, 12, 0, 0, 0, time.UTC) }
	_, err := sale.Contribute(crowdsale.Contribution{ID: "tx-alice", Participant: "alice",
		Amount: btc.MustParse("40"), At: day(time.March, 10)}) // 20% bonus: weight 48 BTC
	fmt.Println(err, sale.Provisional("alice")) // alone, she would get the whole pool
	_, err = sale.Contribute(crowdsale.Contribution{ID: "tx-bob", Participant: "bob",
		Amount: btc.MustParse("20"), At: day(time.March, 17)}) // 15%: weight 23 BTC
	r, err2 := sale.Contribute(crowdsale.Contribution{ID: "tx-charlie", Participant: "charlie",
		Amount: eth.MustParse("300"), At: day(time.April, 7), // pegged at the median quote, 0.03 BTC per ETH
		Quotes: map[string]token.Amount{"cryptocompare": btc.MustParse("0.0300"),
			"coinmarketcap": btc.MustParse("0.0301"), "gdax": btc.MustParse("0.0299")}})
	fmt.Println(errors.Join(err, err2), r.Value().Trim(0), "BTC of value, bonus", r.Bonus)
	fmt.Println(sale.Provisional("alice")) // falls as others contribute, as the FAQ says
	_ = sale.Finalize(cfg.End)             // below the minimum it would refund every contribution
	for _, a := range sale.Allocations() { // else the 80M TRST pool, pro rata to weight, exactly
		fmt.Println(a.Participant, a.Amount)
	}
	// Output:
	// <nil> 80000000.000000 TRST
	// <nil> 9 BTC of value, bonus 0%
	// 48000000.000000 TRST
	// alice 48000000.000000 TRST
	// bob 23000000.000000 TRST
	// charlie 9000000.000000 TRST
}

func Example_rosca() {
	usd, _ := token.NewAsset("USD", 2)
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	c, err := rosca.New(rosca.Config{
		Asset: usd, Kind: rosca.Bidding, // or rosca.Lottery, rosca.FixedOrder
		Members: []token.Account{"alice", "bob", "carol", "dave"}, Foreperson: "alice", Operator: "platform",
		Contribution: usd.MustParse("10"), Start: start, Period: 7 * 24 * time.Hour, Epochs: 1,
		Fee: token.MustRatio(20, 1000), Rules: rosca.WeTrustRules(), Seed: rosca.Seed{42},
	})
	for _, m := range []token.Account{"alice", "bob", "carol", "dave"} {
		err = errors.Join(err, c.Contribute(start, m, usd.MustParse("10")))
	}
	err = errors.Join(err, c.Bid(start, "carol", usd.MustParse("34"))) // takes $34 of the $40 pot
	closed := c.Round().Deadline
	res, err2 := c.CloseRound(closed) // carol is credited 34 less the 2% fee
	fmt.Println(errors.Join(err, err2), res.Winner, res.Winnings, "discount", res.Discount, "fee", res.Fee)
	p, _ := c.Position("dave") // what dave paid, won, his share of the discount, his balance
	fmt.Println(p.Balance)
	err = c.Bid(closed, "carol", usd.MustParse("30")) // refused: one win per epoch
	fmt.Println(fault.CodeOf(err), fault.ClassOf(err))
	paid, err := c.Withdraw(closed, "carol")
	fmt.Println(paid, err, c.Audit()) // every minor unit is in a named bucket
	var log bytes.Buffer              // persist only the new events, as JSON lines
	for e := range c.EventsAfter(0) {
		log.Write(append(e.AppendJSON(nil), '\n'))
	}
	d := rosca.NewDecoder(&log) // ... and rebuild the circle from the stream
	again, err := rosca.Replay(c.Config(), d.Events())
	fmt.Println(err, d.Err(), again.LastSeq() == c.LastSeq())
	// Output:
	// <nil> carol 33.32 USD discount 5.88 USD fee 0.80 USD
	// -8.53 USD
	// rosca.already_won conflict
	// 24.79 USD <nil> <nil>
	// <nil> <nil> true
}
