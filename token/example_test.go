package token_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Split divides an amount into equal parts; the leftover minor units go to the first parts.
func ExampleSplit() {
	btc := token.BTC()
	parts, err := token.Split(btc, btc.MustParse("1.00000001"), 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range parts {
		fmt.Println(btc.Format(p))
	}
	// Output:
	// 0.33333334
	// 0.33333334
	// 0.33333333
}

// Allocate divides the 80M TRST sale pool pro rata to two weights (a 30% bonus against none).
// The exact shares are 45,217,391.304347826... and 34,782,608.695652173...: the floors leave
// one minor unit, which goes to the larger remainder.
func ExampleAllocate() {
	trst := token.TRST()
	weights := []decimal.Decimal{decimal.RequireFromString("1.30"), decimal.RequireFromString("1.00")}
	parts, _ := token.Allocate(trst, trst.MustParse("80000000"), weights)
	fmt.Println(trst.Format(parts[0]), trst.Format(parts[1]))

	// A zero weight gets nothing; tied remainders go to the lower index.
	parts, _ = token.Allocate(trst, trst.MustParse("0.000005"), []decimal.Decimal{decimal.Zero, decimal.NewFromInt(7), decimal.NewFromInt(3)})
	fmt.Println(parts)
	// Output:
	// 45217391.304348 34782608.695652
	// [0 0.000004 0.000001]
}

// AllocateWith names another remainder policy: all leftover units to one part.
func ExampleAllocateWith() {
	trst := token.TRST()
	weights := []decimal.Decimal{decimal.NewFromInt(1), decimal.NewFromInt(1), decimal.NewFromInt(1)}
	parts, _ := token.AllocateWith(trst, trst.MustParse("0.000008"), weights, token.RemainderTo(2))
	fmt.Println(parts)
	// Output: [0.000002 0.000002 0.000004]
}

// Parse reads an amount exactly and rejects what the asset cannot hold.
func ExampleAsset_Parse() {
	eth := token.ETH()
	wei, _ := eth.Parse("0.000000000000000001")
	fmt.Println(eth.Format(wei))
	_, err := eth.Parse("0.0000000000000000001")
	fmt.Println(errors.Is(err, token.ErrSubUnitAmount), err)
	// Output:
	// 0.000000000000000001
	// true token: amount finer than the minor unit: "0.0000000000000000001" for ETH
}

// A ledger with transfers, an allowance, a transfer on allowance and Trustcoin's
// compare-and-approve, whose mismatch reports the current allowance and changes nothing.
func ExampleLedger() {
	trst := token.TRST()
	l, err := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("100"), Grants: []token.Grant{
		{Account: "alice", Amount: trst.MustParse("100")},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = l.Transfer("alice", "bob", trst.MustParse("30"))
	_ = l.Approve("alice", "shop", trst.MustParse("20"))
	_ = l.TransferFrom("shop", "alice", "carol", trst.MustParse("5"))
	fmt.Println("alice", l.Balance("alice"), "bob", l.Balance("bob"), "carol", l.Balance("carol"))
	fmt.Println("shop may still move", l.Allowance("alice", "shop"))

	// Alice meant to lower the allowance from 20 to 10, but the shop has spent 5 meanwhile.
	err = l.CompareAndApprove("alice", "shop", trst.MustParse("20"), trst.MustParse("10"))
	var ae *token.AllowanceError
	if errors.As(err, &ae) {
		fmt.Println(errors.Is(err, token.ErrAllowanceChanged), "current:", ae.Current)
	}
	err = l.Transfer("bob", "alice", trst.MustParse("31"))
	fmt.Println(err)
	fmt.Println(len(l.Events()), "events; audit:", l.Audit())
	// Output:
	// alice 65 bob 30 carol 5
	// shop may still move 15
	// true current: 15
	// token: insufficient balance: bob has 30 spendable, needs 31
	// 4 events; audit: <nil>
}

// Trustcoin's team allocation: 10M TRST vesting linearly over two years, here with a
// six-month cliff. 2017-04-13 to 2019-04-13 is 730 days; the cliff falls after 183 days,
// when floor(10^13 x 183 / 730) minor units have accrued.
func ExampleSchedule() {
	start := time.Date(2017, 4, 13, 0, 0, 0, 0, time.UTC)
	s := token.TRSTTeamSchedule(start, 6)
	for _, at := range []time.Time{
		start.AddDate(0, 6, -1), // the day before the cliff
		start.AddDate(0, 6, 0),  // the cliff
		start.AddDate(1, 0, 0),  // one year: 365 of 730 days
		start.AddDate(2, 0, 0),  // the end
	} {
		fmt.Println(at.Format("2006-01-02"), s.Asset.Format(s.Vested(at)))
	}
	// Output:
	// 2017-10-12 0.000000
	// 2017-10-13 2506849.315068
	// 2018-04-13 5000000.000000
	// 2019-04-13 10000000.000000
}

// A revocable grant in a ledger: the locked amount cannot be spent until released; on
// revocation the unvested part returns to the granter and the vested part stays releasable.
func ExampleLedger_Vest() {
	trst := token.TRST()
	l, _ := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("1000"), Grants: []token.Grant{
		{Account: "org", Amount: trst.MustParse("1000")},
	}})
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	id, _ := l.Vest("org", "dev", token.LinearSchedule(trst, trst.MustParse("400"), start, start.Add(400*time.Hour)), true)
	fmt.Println("dev balance", l.Balance("dev"), "locked", l.Locked("dev"))
	fmt.Println(l.Transfer("dev", "bob", trst.MustParse("1")))

	got, _ := l.Release(start.Add(100*time.Hour), id)
	fmt.Println("released", got, "spendable", l.Spendable("dev"))
	back, _ := l.Revoke(start.Add(250*time.Hour), id)
	fmt.Println("revoked: back to org", back, "still locked", l.Locked("dev"))
	got, _ = l.Release(start.Add(1000*time.Hour), id)
	fmt.Println("released", got, "balance", l.Balance("dev"), "locked", l.Locked("dev"))
	// Output:
	// dev balance 400 locked 400
	// token: insufficient balance: dev has 0 spendable, needs 1
	// released 100 spendable 100
	// revoked: back to org 150 still locked 150
	// released 150 balance 250 locked 0
}

// The worked example of the package documentation.
func Example() {
	trst := token.TRST()
	l, err := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("100"),
		Grants: []token.Grant{{Account: "alice", Amount: trst.MustParse("100")}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Transfer("alice", "bob", trst.MustParse("12.5")), l.Balance("alice"), l.Balance("bob"))
	fmt.Println(l.Transfer("bob", "alice", trst.MustParse("20")))
	start := time.Date(2017, 4, 13, 0, 0, 0, 0, time.UTC)
	s := token.LinearSchedule(trst, trst.MustParse("40"), start, start.AddDate(0, 0, 100))
	id, err := l.Vest("alice", "carol", s, false)
	fmt.Println(id, err, l.Balance("carol"), l.Locked("carol"))
	got, err := l.Release(start.AddDate(0, 0, 25), id)
	fmt.Println(got, err, l.Spendable("carol"))
	parts, err := token.Split(trst, l.Balance("bob"), 3)
	fmt.Println(parts, err)
	// Output:
	// <nil> 87.5 12.5
	// token: insufficient balance: bob has 12.5 spendable, needs 20
	// 1 <nil> 40 40
	// 10 <nil> 10
	// [4.166667 4.166667 4.166666] <nil>
}
