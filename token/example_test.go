package token_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// Split divides an amount into equal parts; the leftover minor units go to the first parts.
func ExampleSplit() {
	btc := token.BTC()
	parts, err := token.Split(btc.MustParse("1.00000001"), 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range parts {
		fmt.Println(p)
	}
	// Output:
	// 0.33333334 BTC
	// 0.33333334 BTC
	// 0.33333333 BTC
}

// Allocate divides the 80M TRST sale pool pro rata to two weights (a 30% bonus against none:
// 130 and 100). The exact shares are 45,217,391.304347826... and 34,782,608.695652173...: the
// floors leave one minor unit, which goes to the larger remainder.
func ExampleAllocate() {
	trst := token.TRST()
	parts, _ := token.Allocate(trst.MustParse("80000000"), []uint64{130, 100})
	fmt.Println(parts[0], parts[1])

	// A zero weight gets nothing; tied remainders go to the lower index.
	parts, _ = token.Allocate(trst.MustParse("0.000005"), []uint64{0, 7, 3})
	fmt.Println(parts)
	// Output:
	// 45217391.304348 TRST 34782608.695652 TRST
	// [0.000000 TRST 0.000004 TRST 0.000001 TRST]
}

// AllocateWith names another remainder policy: all leftover units to one part.
func ExampleAllocateWith() {
	trst := token.TRST()
	parts, _ := token.AllocateWith(trst.MustParse("0.000008"), []uint64{1, 1, 1}, token.RemainderTo(2))
	fmt.Println(parts)
	// Output: [0.000002 TRST 0.000002 TRST 0.000004 TRST]
}

// Parse reads an amount exactly and rejects what the asset cannot hold.
func ExampleAsset_Parse() {
	eth := token.ETH()
	wei, _ := eth.Parse("0.000000000000000001")
	fmt.Println(wei)
	_, err := eth.Parse("0.0000000000000000001")
	fmt.Println(errors.Is(err, token.ErrSubUnitAmount), err)
	// Output:
	// 0.000000000000000001 ETH
	// true token: amount finer than the minor unit: ETH has 18 decimals (op Parse, input "0.0000000000000000001")
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
	fmt.Println("alice", l.Balance("alice").Trim(0), "bob", l.Balance("bob").Trim(0), "carol", l.Balance("carol").Trim(0))
	fmt.Println("shop may still move", l.Allowance("alice", "shop"))

	// Alice meant to lower the allowance from 20 to 10, but the shop has spent 5 meanwhile.
	err = l.CompareAndApprove("alice", "shop", trst.MustParse("20"), trst.MustParse("10"))
	if e, ok := errors.AsType[*token.Error](err); ok {
		fmt.Println(errors.Is(err, token.ErrAllowanceChanged), "current:", e.Limit)
	}
	err = l.Transfer("bob", "alice", trst.MustParse("31"))
	fmt.Println(err)
	fmt.Println(l.LastSeq(), "events; audit:", l.Audit())
	// Output:
	// alice 65 bob 30 carol 5
	// shop may still move 15.000000 TRST
	// true current: 15.000000 TRST
	// token: insufficient balance: bob has 30.000000 TRST spendable (op Transfer, account bob, amount 31.000000 TRST, limit 30.000000 TRST)
	// 4 events; audit: <nil>
}

// A service persists the events after each command, as JSON lines, from the last sequence
// number it wrote: EventsAfter hands out only the new ones. On restart, Replay rebuilds the
// ledger from the log as a Decoder streams it.
func ExampleLedger_EventsAfter() {
	trst := token.TRST()
	l, _ := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("100"), Grants: []token.Grant{
		{Account: "alice", Amount: trst.MustParse("100")},
	}})
	var written uint64
	var log []byte
	persist := func() {
		for e := range l.EventsAfter(written) {
			log = e.AppendJSON(log)
			log = append(log, '\n')
			written = e.Seq
		}
	}
	persist()
	_ = l.Transfer("alice", "bob", trst.MustParse("12.5"))
	persist()
	_ = l.Approve("bob", "carol", trst.MustParse("2"))
	persist()
	os.Stdout.Write(log)

	d := token.NewDecoder(bytes.NewReader(log))
	r, err := token.Replay(d.Events())
	if err == nil {
		err = d.Err()
	}
	fmt.Println(err, r.Balance("bob"), r.Allowance("bob", "carol"))
	// Output:
	// {"v":1,"seq":1,"kind":"genesis","to":"alice","amount":"100.000000 TRST"}
	// {"v":1,"seq":2,"kind":"transfer","from":"alice","to":"bob","amount":"12.500000 TRST"}
	// {"v":1,"seq":3,"kind":"approval","from":"bob","spender":"carol","amount":"2.000000 TRST"}
	// <nil> 12.500000 TRST 2.000000 TRST
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
		fmt.Println(at.Format("2006-01-02"), s.Vested(at))
	}
	// Output:
	// 2017-10-12 0.000000 TRST
	// 2017-10-13 2506849.315068 TRST
	// 2018-04-13 5000000.000000 TRST
	// 2019-04-13 10000000.000000 TRST
}

// A revocable grant in a ledger: the locked amount cannot be spent until released; on
// revocation the unvested part returns to the granter and the vested part stays releasable.
func ExampleLedger_Vest() {
	trst := token.TRST()
	l, _ := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("1000"), Grants: []token.Grant{
		{Account: "org", Amount: trst.MustParse("1000")},
	}})
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	id, _ := l.Vest("org", "dev", token.LinearSchedule(trst.MustParse("400"), start, start.Add(400*time.Hour)), true)
	fmt.Println("dev balance", l.Balance("dev"), "locked", l.Locked("dev"))
	fmt.Println(l.Transfer("dev", "bob", trst.MustParse("1")))

	got, _ := l.Release(start.Add(100*time.Hour), id)
	fmt.Println("released", got, "spendable", l.Spendable("dev"))
	back, _ := l.Revoke(start.Add(250*time.Hour), id)
	fmt.Println("revoked: back to org", back, "still locked", l.Locked("dev"))
	got, _ = l.Release(start.Add(1000*time.Hour), id)
	fmt.Println("released", got, "balance", l.Balance("dev"), "locked", l.Locked("dev"))
	// Output:
	// dev balance 400.000000 TRST locked 400.000000 TRST
	// token: insufficient balance: dev has 0.000000 TRST spendable (op Transfer, account dev, amount 1.000000 TRST, limit 0.000000 TRST)
	// released 100.000000 TRST spendable 100.000000 TRST
	// revoked: back to org 150.000000 TRST still locked 150.000000 TRST
	// released 150.000000 TRST balance 250.000000 TRST locked 0.000000 TRST
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
	s := token.LinearSchedule(trst.MustParse("40"), start, start.AddDate(0, 0, 100))
	id, err := l.Vest("alice", "carol", s, false)
	fmt.Println(id, err, l.Balance("carol"), l.Locked("carol"))
	got, err := l.Release(start.AddDate(0, 0, 25), id)
	fmt.Println(got, err, l.Spendable("carol"))
	parts, err := token.Split(l.Balance("bob"), 3)
	fmt.Println(parts, err)
	// Output:
	// <nil> 87.500000 TRST 12.500000 TRST
	// token: insufficient balance: bob has 12.500000 TRST spendable (op Transfer, account bob, amount 20.000000 TRST, limit 12.500000 TRST)
	// 1 <nil> 40.000000 TRST 40.000000 TRST
	// 10.000000 TRST <nil> 10.000000 TRST
	// [4.166667 TRST 4.166667 TRST 4.166666 TRST] <nil>
}

// splitLines yields the lines of b without their newlines.
func splitLines(b []byte) func(yield func([]byte) bool) {
	return func(yield func([]byte) bool) {
		for len(b) > 0 {
			i := 0
			for i < len(b) && b[i] != '\n' {
				i++
			}
			if !yield(b[:i]) {
				return
			}
			if i < len(b) {
				i++
			}
			b = b[i:]
		}
	}
}

// An 8,000,000 grant monthly over 4 years with a 1-year cliff: nothing until the cliff, the
// anniversary, when exactly 12/48 vests; then a tranche a month, on the start's day of the
// month or the last day of a shorter month, rounded by the cumulative floor so that the
// tranches sum to the total exactly.
func ExampleCalendarSchedule() {
	trst := token.TRST()
	start := time.Date(2018, 1, 31, 0, 0, 0, 0, time.UTC)
	s := token.CalendarSchedule(trst.MustParse("8000000"), start, token.Monthly, 48, 12)
	fmt.Println("cliff", s.Cliff.Format("2006-01-02"), "end", s.End.Format("2006-01-02"))
	for _, at := range []time.Time{
		s.Cliff.Add(-time.Second),
		s.Cliff,
		token.Monthly.Date(start, 13), // February: the 28th
		token.Monthly.Date(start, 14),
		s.End,
	} {
		fmt.Println(at.Format("2006-01-02 15:04:05"), s.Vested(at))
	}
	// Output:
	// cliff 2019-01-31 end 2022-01-31
	// 2019-01-30 23:59:59 0.000000 TRST
	// 2019-01-31 00:00:00 2000000.000000 TRST
	// 2019-02-28 00:00:00 2166666.666666 TRST
	// 2019-03-31 00:00:00 2333333.333333 TRST
	// 2022-01-31 00:00:00 8000000.000000 TRST
}

// A vesting table for a dashboard, as CSV (and as JSON with json.Marshal): each date at
// which something vests, the tranche, what has vested by then and what a release then
// would unlock, net of what was released.
func ExampleVestingTable() {
	trst := token.TRST()
	l, _ := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("100"), Grants: []token.Grant{
		{Account: "org", Amount: trst.MustParse("100")},
	}})
	start := time.Date(2017, 11, 30, 0, 0, 0, 0, time.UTC)
	s := token.CalendarSchedule(trst.MustParse("10"), start, token.Quarterly, 4, 2)
	id, _ := l.VestInEscrow("org", "escrow", "dev", s, false)
	_, _ = l.Release(time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC), id)
	g, _ := l.Vesting(id)
	tab, _ := g.Table()
	_ = tab.WriteCSV(os.Stdout)
	fmt.Println("dev", l.Balance("dev"), "escrow", l.Balance("escrow"))
	// Output:
	// date,tranche,vested,releasable,asset
	// 2018-05-30T00:00:00Z,5.000000,5.000000,0.000000,TRST
	// 2018-08-30T00:00:00Z,2.500000,7.500000,2.500000,TRST
	// 2018-11-30T00:00:00Z,2.500000,10.000000,5.000000,TRST
	// dev 5.000000 TRST escrow 5.000000 TRST
}

// A sale freezes its token after distributing it, so that buyers cannot sell before the
// refunds are settled: until a date, or until the sale's administrator lifts the freeze.
// The administrator's own account still pays out.
func ExampleLedger_Freeze() {
	trst := token.TRST()
	l, _ := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("100"), Grants: []token.Grant{
		{Account: "sale", Amount: trst.MustParse("100")},
	}})
	refundsSettled := time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC)
	fmt.Println(l.Freeze("sale", refundsSettled))
	fmt.Println(l.Transfer("sale", "buyer", trst.MustParse("10")))
	fmt.Println(l.Transfer("buyer", "exchange", trst.MustParse("10")))
	fmt.Println(l.Unfreeze("buyer"))
	fmt.Println(l.Thaw(refundsSettled.Add(-time.Hour)))
	fmt.Println(l.Thaw(refundsSettled))
	fmt.Println(l.Transfer("buyer", "exchange", trst.MustParse("10")))
	for e := range l.EventsAfter(1) {
		fmt.Printf("%s\n", e.AppendJSON(nil))
	}
	// Output:
	// <nil>
	// <nil>
	// token: transfers frozen: transfers are frozen until 2017-05-01T00:00:00Z or until sale lifts the freeze (op Transfer, account buyer)
	// token: not the freeze's administrator: the freeze's administrator is sale (op Unfreeze, account buyer)
	// false <nil>
	// true <nil>
	// <nil>
	// {"v":1,"seq":2,"kind":"freeze","from":"sale","at":"2017-05-01T00:00:00Z"}
	// {"v":1,"seq":3,"kind":"transfer","from":"sale","to":"buyer","amount":"10.000000 TRST"}
	// {"v":1,"seq":4,"kind":"unfreeze","at":"2017-05-01T00:00:00Z"}
	// {"v":1,"seq":5,"kind":"transfer","from":"buyer","to":"exchange","amount":"10.000000 TRST"}
}

// BalanceAt answers an auditor: what an account held just after a given event, at the
// cost of that account's own later events.
func ExampleLedger_BalanceAt() {
	trst := token.TRST()
	l, _ := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("100"), Grants: []token.Grant{
		{Account: "sale", Amount: trst.MustParse("100")},
	}})
	for _, buyer := range []token.Account{"ann", "ben", "cat"} {
		_ = l.Transfer("sale", buyer, trst.MustParse("30"))
	}
	_ = l.Transfer("ann", "ben", trst.MustParse("5"))
	for seq := range l.LastSeq() + 1 {
		sale, _ := l.BalanceAt("sale", seq)
		ben, _ := l.BalanceAt("ben", seq)
		fmt.Println(seq, sale.Trim(0), ben.Trim(0), l.AuditAt(seq))
	}
	// Output:
	// 0 0 0 <nil>
	// 1 100 0 <nil>
	// 2 70 0 <nil>
	// 3 40 30 <nil>
	// 4 10 30 <nil>
	// 5 10 35 <nil>
}
