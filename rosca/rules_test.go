package rosca_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// Bid boundaries: C = 1001 (P = 3003): the minimum floor(3003*65/100) = 1951 (64.97%) is
// accepted and 1950 is too low.
func TestBidMinimumBoundary(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1001, 20))
	contributeAll(t, c, at(0), wei(1001))
	be := rejects(t, c, rosca.ErrBidTooLow, func() error { return c.Bid(at(0), "m1", wei(1950)) })
	if units(be.Limit) != 1951 || units(be.Amount) != 1950 || be.Account != "m1" || be.Round != 1 || be.Op != "Bid" {
		t.Fatalf("bid error %+v", be)
	}
	ok(t, c.Bid(at(0), "m1", wei(1951)))
	if r := c.Round(); r.Leader != "m1" || units(r.LowestBid) != 1951 {
		t.Fatalf("round %+v", r)
	}
}

// Bid boundaries: C = 1000: a first bid above P = 3000 is rejected; after 3000, 2941 is
// rejected (the cap is floor(3000*98/100) = 2940) and 2940 accepted; the next cap is
// floor(2940*0.98) = floor(2881.2) = 2881. The leader may undercut itself; an equal bid loses.
func TestBidStepBoundary(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	contributeAll(t, c, at(0), wei(1000))
	be := rejects(t, c, rosca.ErrBidTooHigh, func() error { return c.Bid(at(0), "m0", wei(3001)) })
	if units(be.Limit) != 3000 {
		t.Fatalf("first bid limit %+v", be)
	}
	ok(t, c.Bid(at(0), "m0", wei(3000)))
	be = rejects(t, c, rosca.ErrBidTooHigh, func() error { return c.Bid(at(0), "m1", wei(2941)) })
	if units(be.Limit) != 2940 {
		t.Fatalf("second bid limit %+v", be)
	}
	ok(t, c.Bid(at(0), "m1", wei(2940)))
	rejects(t, c, rosca.ErrBidTooHigh, func() error { return c.Bid(at(0), "m2", wei(2940)) }) // tie: first bidder keeps it
	rejects(t, c, rosca.ErrBidTooHigh, func() error { return c.Bid(at(0), "m2", wei(2882)) })
	if r := c.Round(); units(r.MaxBid) != 2881 || r.Leader != "m1" {
		t.Fatalf("round %+v", r)
	}
	ok(t, c.Bid(at(0), "m1", wei(2881))) // the leader undercuts itself
	r, err := c.CloseRound(at(1))
	ok(t, err)
	// RF(2881) = floor(2823.38) = 2823; RF(119) = floor(116.62) = 116; fee 60; dust 1.
	checkRound(t, r, "m1", rosca.ByBid, 2881, 2823, 116, 60, 1)
	audit(t, c)
}

// Bid errors: not a member, already won, not in good standing, not a bidding circle,
// bad amounts; each leaves the circle unchanged.
func TestBidErrors(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	ok(t, c.Contribute(at(0), "m0", wei(1000)))
	ok(t, c.Contribute(at(0), "m1", wei(999)))
	ae := rejects(t, c, rosca.ErrNotMember, func() error { return c.Bid(at(0), "x", wei(2000)) })
	if ae.Account != "x" {
		t.Fatalf("%+v", ae)
	}
	// m1 has 999 + share 0 < 1000.
	be := rejects(t, c, rosca.ErrNotInGoodStanding, func() error { return c.Bid(at(0), "m1", wei(2000)) })
	if units(be.Limit) != 1000 || !strings.Contains(be.Detail, "m1 has "+wei(999).String()) {
		t.Fatalf("%+v", be)
	}
	rejects(t, c, rosca.ErrInvalidAmount, func() error { return c.Bid(at(0), "m0", wei(0)) })
	rejects(t, c, token.ErrZeroAmount, func() error { return c.Bid(at(0), "m0", wei(0)) })
	// An amount finer than the minor unit cannot be made: it is refused where it is parsed.
	if _, err := token.ETH().Parse("0.0000000000000000001"); !errors.Is(err, token.ErrSubUnitAmount) {
		t.Fatalf("sub-unit amount parsed: %v", err)
	}
	btc := token.BTC().FromInt64Units(2000)
	rejects(t, c, token.ErrAssetMismatch, func() error { return c.Bid(at(0), "m0", btc) })
	rejects(t, c, token.ErrInvalidAsset, func() error { return c.Bid(at(0), "m0", token.Amount{}) })
	rejects(t, c, token.ErrNegativeAmount, func() error { return c.Bid(at(0), "m0", wei(-2000)) })
	ok(t, c.Bid(at(0), "m0", wei(2000)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	ok(t, c.Contribute(at(1), "m0", wei(1000)))
	be = rejects(t, c, rosca.ErrAlreadyWon, func() error { return c.Bid(at(1), "m0", wei(2000)) })
	if be.Account != "m0" || be.Limit.IsValid() || !strings.Contains(be.Error(), "m0 won round 1 of epoch 1") {
		t.Fatalf("%+v: %v", be, be)
	}
	l := mustNew(t, weiCfg(rosca.Lottery, 3, 1000, 20))
	contributeAll(t, l, at(0), wei(1000))
	rejects(t, l, rosca.ErrNotBidding, func() error { return l.Bid(at(0), "m0", wei(3000)) })
	f := mustNew(t, weiCfg(rosca.FixedOrder, 3, 1000, 20))
	rejects(t, f, rosca.ErrNotBidding, func() error { return f.Bid(at(0), "m0", wei(3000)) })
}

// Catch-up: with nothing paid, at start + 3 periods three closes succeed back to back
// and a fourth fails because the circle has ended; before a deadline a close is too early.
func TestCatchUpCloses(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	te := rejects(t, c, rosca.ErrTooEarly, func() error { _, err := c.CloseRound(at(1).Add(-1)); return err })
	if !te.At.Equal(at(1).Add(-1)) || !strings.Contains(te.Detail, "from "+at(1).Format(time.RFC3339Nano)) {
		t.Fatalf("%+v", te)
	}
	for r := 1; r <= 2; r++ {
		_, err := c.CloseRound(at(2))
		ok(t, err)
	}
	rejects(t, c, rosca.ErrTooEarly, func() error { _, err := c.CloseRound(at(2)); return err })
	_, err := c.CloseRound(at(3))
	ok(t, err)
	rejects(t, c, rosca.ErrEnded, func() error { _, err := c.CloseRound(at(3)); return err })
	rejects(t, c, rosca.ErrEnded, func() error { return c.Bid(at(3), "m0", wei(3000)) })
	// After the end a member who owes may pay what it owes, no more.
	owed, err := c.Owed("m0")
	ok(t, err)
	rejects(t, c, rosca.ErrInvalidAmount, func() error { return c.Contribute(at(3), "m0", wei(units(owed)+1)) })
	rejects(t, c, rosca.ErrTimeBackwards, func() error { return c.Contribute(at(2), "m0", wei(1)) })
	// Nobody paid: every round went to a delinquent member, who carries a debt; no fees.
	for _, r := range c.Rounds() {
		if !r.Debt || r.Method != rosca.ByDraw {
			t.Fatalf("round %+v", r)
		}
	}
	if tot := c.Totals(); !tot.FeesReserved.IsZero() || units(tot.FeesUnearned) != 180 {
		t.Fatalf("totals %+v", tot)
	}
	ok(t, c.Contribute(at(3), "m0", wei(1)))
	audit(t, c)
	checkReplay(t, c)
}

// A round without bids goes to an unpaid member in good standing first, wherever
// the draw starts; if none is, the last one scanned wins with a debt, which its later payments clear.
func TestNoBidDrawAndDebt(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 4, 1000, 20))
	// P = 4000, RF(P) = 3920. Only m2 pays round 1.
	ok(t, c.Contribute(at(0), "m2", wei(1000)))
	r1, err := c.CloseRound(at(1))
	ok(t, err)
	if r1.Winner != "m2" || r1.Debt || r1.Candidates != 4 {
		t.Fatalf("round 1 %+v", r1)
	}
	// Round 2: nobody unpaid is in good standing (due 2000): the last scanned wins, in debt.
	r2, err := c.CloseRound(at(2))
	ok(t, err)
	unpaid := []token.Account{"m0", "m1", "m3"}
	if want := unpaid[(r2.DrawStart+2)%3]; r2.Winner != want || !r2.Debt || r2.Candidates != 3 {
		t.Fatalf("round 2 %+v, want %s in debt", r2, want)
	}
	d := string(r2.Winner)
	p := pos(t, c, d)
	// Debtor: credit RF(P) = 3920, share 0, held 3920, due 3 x 1000: balance -3000.
	if !p.Debt || units(p.Held) != 3920 || units(p.Balance) != -3000 || p.GoodStanding != true {
		t.Fatalf("debtor %+v", p)
	}
	// It cannot withdraw before the end.
	rejects(t, c, rosca.ErrInDebt, func() error { _, err := c.Withdraw(at(2), p.Member); return err })
	// Paying 2999 does not clear the debt; one more unit does (utc - RF(P) >= C*r).
	ok(t, c.Contribute(at(2), p.Member, wei(2999)))
	if !pos(t, c, d).Debt {
		t.Fatal("debt cleared too early")
	}
	ok(t, c.Contribute(at(2), p.Member, wei(1)))
	if q := pos(t, c, d); q.Debt || units(q.Balance) != 3920 || !q.Held.IsZero() {
		t.Fatalf("after clearing %+v", q)
	}
	audit(t, c)
	checkReplay(t, c)
}

// A debtor withdraws only after the end, and then gets what every member gets: credit +
// share - C x n (its pot released, its dues standing). The reference contract's withdraw
// paid it utc - RF(P) instead (500 here, its dues waived while only RF(P) was held for
// it), 40 wei more: the fee on its own pot less what the delinquency reduction never
// charged, which left the other member 10 wei short (1950 of 1960).
func TestDebtorWithdrawsAfterEnd(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Lottery, 2, 1000, 20))
	// P = 2000, RF(P) = 1960. Nobody pays round 1: the drawn member wins in debt.
	r1, err := c.CloseRound(at(1))
	ok(t, err)
	debtor, other := string(r1.Winner), "m0"
	if debtor == "m0" {
		other = "m1"
	}
	ok(t, c.Contribute(at(1), token.Account(debtor), wei(500)))
	ok(t, c.Contribute(at(1), token.Account(other), wei(2000)))
	r2, err := c.CloseRound(at(2))
	ok(t, err)
	if string(r2.Winner) != other || r2.Debt {
		t.Fatalf("round 2 %+v", r2)
	}
	// Fees at close 2: base 2 x 2000 = 4000 less the debtor's shortfall 2000 + 1960 - (500 + 1960) = 1500:
	// 2500 x 2% = 50.
	if tot := c.Totals(); units(tot.FeesReserved) != 50 {
		t.Fatalf("fees %s", tot.FeesReserved)
	}
	// Debtor: 500 + 1960 - 2000 = 460. Other: 2000 + 1960 - 2000 = 1960. Claims 460 + 1960
	// + 50 reserved = 2470 within the cash 2500 (the 30 left are the fees withheld from the
	// debtor's unpaid dues and not earned).
	if p := pos(t, c, debtor); units(p.Due) != 2000 || !p.Held.IsZero() || units(p.Balance) != 460 || !p.Debt {
		t.Fatalf("debtor after end %+v", p)
	}
	if tot := c.Totals(); !tot.Shortfall.IsZero() || !tot.Losses.IsZero() || units(tot.FeesUnearned) != 30 {
		t.Fatalf("totals %+v", tot)
	}
	if got := withdraw(t, c, at(3), debtor); got != 460 {
		t.Fatalf("debtor withdrew %d, want 460", got)
	}
	if got := withdraw(t, c, at(3), other); got != 1960 {
		t.Fatalf("other withdrew %d, want 1960 (in full)", got)
	}
	audit(t, c)
	checkReplay(t, c)
}

// The delinquency reduction: the fee is charged only on dues paid; a late payment is charged at the
// next close.
func TestDelinquencyFeeReduction(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	ok(t, c.Contribute(at(0), "m0", wei(1000)))
	ok(t, c.Contribute(at(0), "m1", wei(1000)))
	ok(t, c.Contribute(at(0), "m2", wei(400)))
	ok(t, c.Bid(at(0), "m0", wei(3000)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	// Base 3000 less m2's shortfall 600 = 2400: 48 reserved; 60 withheld, 12 unearned.
	tot := c.Totals()
	if units(tot.FeesReserved) != 48 || units(tot.FeesWithheld) != 60 || units(tot.FeesUnearned) != 12 {
		t.Fatalf("round 1 fees %+v", tot)
	}
	ok(t, c.Contribute(at(1), "m0", wei(1000)))
	ok(t, c.Contribute(at(1), "m1", wei(1000)))
	ok(t, c.Contribute(at(1), "m2", wei(1600)))
	ok(t, c.Bid(at(1), "m1", wei(3000)))
	_, err = c.CloseRound(at(2))
	ok(t, err)
	// Everyone covers 2000: base 6000, reserve 120, nothing unearned.
	if tot := c.Totals(); units(tot.FeesReserved) != 120 || !tot.FeesUnearned.IsZero() {
		t.Fatalf("round 2 fees %+v", tot)
	}
	audit(t, c)
}

// A fixed-order winner wins its seat's round delinquent or not, without a debt, and
// may withdraw at once (charged the fee on a pot it never paid for, as in the contract).
func TestFixedOrderDelinquentWinner(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.FixedOrder, 4, 1000, 20))
	for _, m := range []string{"m1", "m2", "m3"} {
		ok(t, c.Contribute(at(0), token.Account(m), wei(1000)))
	}
	r, err := c.CloseRound(at(1))
	ok(t, err)
	checkRound(t, r, "m0", rosca.BySeat, 4000, 3920, 0, 80, 0)
	if r.Debt {
		t.Fatal("fixed-order winner in debt")
	}
	// m0 looks covered (credit 3920 >= 1000): base 4000, reserve 80.
	if tot := c.Totals(); units(tot.FeesReserved) != 80 {
		t.Fatalf("fees %s", tot.FeesReserved)
	}
	// m0 withdraws 3920 - 2000 = 1920 (free cash 3000 - 80 = 2920).
	if got := withdraw(t, c, at(1), "m0"); got != 1920 {
		t.Fatalf("withdrew %d", got)
	}
	r2, err := c.CloseRound(at(2))
	ok(t, err)
	if r2.Winner != "m1" || r2.Method != rosca.BySeat {
		t.Fatalf("round 2 %+v", r2)
	}
	audit(t, c)
}

// The insolvency lock-up fixed: the reference scenario that locked withdrawals (4 members, C = 1 ETH, 2 per
// mille). The reserve is limited to the cash held, so nothing locks.
func TestInsolvencyFixed(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 4, 0, 2)
	cfg.Contribution = token.ETH().MustParse("1")
	c := mustNew(t, cfg)
	eth := token.ETH()
	ok(t, c.Contribute(at(0), "m2", eth.MustParse("1")))
	ok(t, c.Bid(at(0), "m2", eth.MustParse("4")))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	// Credit 1 + RF(4) = 4.992; others short 1 each: base 1, reserve 0.002.
	if tot := c.Totals(); !tot.FeesReserved.Equal(eth.MustParse("0.002")) {
		t.Fatalf("reserve %s", tot.FeesReserved)
	}
	// Entitled 4.992 - 2 = 2.992, paid the free cash 0.998.
	got, err := c.Withdraw(at(1), "m2")
	ok(t, err)
	if !got.Equal(eth.MustParse("0.998")) {
		t.Fatalf("withdrew %s", got)
	}
	if ev := c.Events()[c.LastSeq()-1]; !ev.Entitled.Equal(eth.MustParse("2.992")) {
		t.Fatalf("event %+v", ev)
	}
	// Round 2 closes with no payments: the contract's formula gives 0.004 > cash 0.002.
	_, err = c.CloseRound(at(2))
	ok(t, err)
	tot := c.Totals()
	if !tot.FeesReserved.Equal(eth.MustParse("0.002")) || !tot.Cash.Equal(eth.MustParse("0.002")) {
		t.Fatalf("reserve %s cash %s", tot.FeesReserved, tot.Cash)
	}
	audit(t, c)
	// No free cash: a typed error, nothing changes (the contract hit an invalid opcode).
	we := rejects(t, c, rosca.ErrNoCash, func() error { _, err := c.Withdraw(at(2), "m2"); return err })
	if !we.Amount.Equal(eth.MustParse("0.994")) || !we.Limit.Equal(eth.Zero()) {
		t.Fatalf("%+v", we)
	}
	// A new payment of 0.001 becomes withdrawable (the contract stayed locked).
	ok(t, c.Contribute(at(2), "m0", eth.MustParse("0.001")))
	got, err = c.Withdraw(at(2), "m2")
	ok(t, err)
	if !got.Equal(eth.MustParse("0.001")) {
		t.Fatalf("withdrew %s", got)
	}
	audit(t, c)
	checkReplay(t, c)
}

// The surplus sweep fixed: the foreperson takes only the fees and the named remainder, even before the
// members withdraw; the members still withdraw everything after.
func TestEndOfCircleTakesOnlyFeesAndRemainder(t *testing.T) {
	c := goldenEnded(t)
	rejects(t, c, rosca.ErrNotForeperson, func() error { _, err := c.RetrieveFees(at(4), "m1"); return err })
	fee, err := c.RetrieveFees(at(4), "m0")
	ok(t, err)
	rejects(t, c, rosca.ErrNothingToPay, func() error { _, err := c.RetrieveFees(at(4), "m0"); return err })
	rem, _, err := c.DisposeRemainder(at(4), "m0")
	ok(t, err)
	rejects(t, c, rosca.ErrNothingToPay, func() error { _, _, err := c.DisposeRemainder(at(4), "m0"); return err })
	if units(fee) != 180 || units(rem) != 3 {
		t.Fatalf("fee %s remainder %s", fee, rem)
	}
	for m, want := range map[string]int64{"m0": 2596, "m1": 2596, "m2": 3625} {
		if got := withdraw(t, c, at(5), m); got != want {
			t.Fatalf("%s withdrew %d, want %d", m, got, want)
		}
	}
	rejects(t, c, rosca.ErrNothingToWithdraw, func() error { _, err := c.Withdraw(at(5), "m0"); return err })
	if !c.Totals().Cash.IsZero() {
		t.Fatal("cash left")
	}
	audit(t, c)
}

// goldenEnded runs the reference contract's dust-example circle to its end without withdrawals.
func goldenEnded(t testing.TB) *rosca.Circle {
	t.Helper()
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	rejects(t, c, rosca.ErrNotEnded, func() error { _, err := c.RetrieveFees(at(0), "m0"); return err })
	rejects(t, c, rosca.ErrNotEnded, func() error { _, _, err := c.DisposeRemainder(at(0), "m0"); return err })
	for r, bidder := range []string{"m0", "m1", ""} {
		contributeAll(t, c, at(r), wei(1000))
		if bidder != "" {
			ok(t, c.Bid(at(r), token.Account(bidder), wei(1951)))
		}
		_, err := c.CloseRound(at(r + 1))
		ok(t, err)
	}
	return c
}

// The escape hatch replaced: the operator enables, the foreperson activates, and the cash is settled
// pro rata to the claims instead of going to the foreperson.
func TestEmergencySettlement(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	contributeAll(t, c, at(0), wei(1000))
	ok(t, c.Bid(at(0), "m0", wei(1951)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	ok(t, c.Contribute(at(1), "m0", wei(1000)))
	ok(t, c.Contribute(at(1), "m1", wei(1000)))
	rejects(t, c, rosca.ErrHaltNotEnabled, func() error { _, err := c.ActivateHalt(at(1), "m0"); return err })
	rejects(t, c, rosca.ErrNotOperator, func() error { return c.EnableHalt(at(1), "m0") })
	ok(t, c.EnableHalt(at(1), "op"))
	rejects(t, c, rosca.ErrHaltEnabled, func() error { return c.EnableHalt(at(1), "op") })
	rejects(t, c, rosca.ErrNotForeperson, func() error { _, err := c.ActivateHalt(at(1), "op"); return err })
	// Cash 5000. Claims against the closed round's dues (1000), share 342:
	// m0 3911 + 342 - 1000 = 3253, m1 2000 + 342 - 1000 = 1342, m2 1000 + 342 - 1000 = 342,
	// fees 60; total 4997. 5000 pro rata: floors 3254 (rem 4762/4997), 1342 (4026), 342 (1026),
	// 60 (180) sum 4998; the 2 left go to the largest remainders, m0 and m1.
	lines, err := c.ActivateHalt(at(1), "m0")
	ok(t, err)
	want := []struct {
		acct        string
		fees        bool
		claim, paid int64
	}{{"m0", false, 3253, 3255}, {"m1", false, 1342, 1343}, {"m2", false, 342, 342}, {"m0", true, 60, 60}}
	if len(lines) != len(want) {
		t.Fatalf("lines %+v", lines)
	}
	for i, w := range want {
		l := lines[i]
		if string(l.Account) != w.acct || l.Fees != w.fees || units(l.Claim) != w.claim || units(l.Paid) != w.paid {
			t.Fatalf("line %d = %+v, want %+v", i, l, w)
		}
	}
	if tot := c.Totals(); !tot.Cash.IsZero() || units(tot.FeesPaid) != 60 {
		t.Fatalf("totals %+v", tot)
	}
	rejects(t, c, rosca.ErrHalted, func() error { return c.Contribute(at(2), "m2", wei(1)) })
	rejects(t, c, rosca.ErrHalted, func() error { return c.Bid(at(2), "m1", wei(2000)) })
	rejects(t, c, rosca.ErrHalted, func() error { _, err := c.Withdraw(at(2), "m1"); return err })
	rejects(t, c, rosca.ErrHalted, func() error { _, err := c.CloseRound(at(2)); return err })
	rejects(t, c, rosca.ErrHalted, func() error { _, err := c.ActivateHalt(at(2), "m0"); return err })
	audit(t, c)
	checkReplay(t, c)
}

// The member limit fixed: 256 members (the contract's uint8 counter wrapped) and more run an epoch.
func TestManyMembers(t *testing.T) {
	for _, n := range []int{2, 255, 256, 300} {
		c := mustNew(t, weiCfg(rosca.Lottery, n, 1000, 20))
		for r := range n {
			contributeAll(t, c, at(r), wei(1000))
			_, err := c.CloseRound(at(r + 1))
			ok(t, err)
		}
		for _, p := range c.Positions() {
			if p.Wins != 1 {
				t.Fatalf("n=%d: %s won %d times", n, p.Member, p.Wins)
			}
		}
		audit(t, c)
	}
}

// An overpayment is credit for later rounds (good standing without paying again)
// and is withdrawable.
func TestOverContribution(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	ok(t, c.Contribute(at(0), "m1", wei(5000)))
	ok(t, c.Contribute(at(0), "m0", wei(1000)))
	ok(t, c.Contribute(at(0), "m2", wei(1000)))
	ok(t, c.Bid(at(0), "m0", wei(3000)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	// m1: 5000 - 2000 = 3000 withdrawable; in good standing for round 2 without paying.
	if p := pos(t, c, "m1"); units(p.Balance) != 3000 || !p.GoodStanding {
		t.Fatalf("%+v", p)
	}
	ok(t, c.Bid(at(1), "m1", wei(3000)))
	// Free cash 7000 - 60 = 6940.
	if got := withdraw(t, c, at(1), "m1"); got != 3000 {
		t.Fatalf("withdrew %d", got)
	}
	audit(t, c)
}

// ShareOthers with the remainder to the winner: round 1 of the dust example's figures. The discount
// 1028 is split between m1 and m2 (514 each) and the dust of 1 goes to the winner.
func TestShareOthersRemainderToWinner(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
	cfg.Rules.Sharing, cfg.Rules.Remainder = rosca.ShareOthers, rosca.RemainderToWinner
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	ok(t, c.Bid(at(0), "m0", wei(1951)))
	r, err := c.CloseRound(at(1))
	ok(t, err)
	if units(r.ShareEach) != 514 || r.Recipients != 2 || units(r.Remainder) != 1 || r.RemainderTo != rosca.ToWinner {
		t.Fatalf("%+v", r)
	}
	// m0: 1000 + 1911 + 1 - 2000 = 912; m1, m2: 1000 + 514 - 2000 = -486.
	if got := balances(c); got[0] != 912 || got[1] != -486 || got[2] != -486 {
		t.Fatalf("balances %v", got)
	}
	audit(t, c)
	checkReplay(t, c)
}

// ShareUnpaid with carried remainders: the discount goes to members who have not won; the
// dust of round 1 is carried into round 2's discount; at the end nothing is left but fees.
func TestShareUnpaidCarry(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
	cfg.Rules.Sharing, cfg.Rules.Remainder = rosca.ShareUnpaid, rosca.RemainderCarry
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	ok(t, c.Bid(at(0), "m0", wei(1951)))
	r1, err := c.CloseRound(at(1))
	ok(t, err)
	// D = 1028 to m1 and m2: 514 each; dust 1 carried.
	if units(r1.ShareEach) != 514 || r1.RemainderTo != rosca.ToNextRound || units(r1.Remainder) != 1 {
		t.Fatalf("r1 %+v", r1)
	}
	contributeAll(t, c, at(1), wei(1000))
	ok(t, c.Bid(at(1), "m1", wei(1950)))
	r2, err := c.CloseRound(at(2))
	ok(t, err)
	// RF(1950) = 1911, RF(1050) = 1029, fee 60, dust 0; discount 1029 + 1 carried = 1030 to m2.
	checkRound(t, r2, "m1", rosca.ByBid, 1950, 1911, 1030, 60, 0)
	if units(r2.CarriedIn) != 1 || r2.Recipients != 1 || units(r2.ShareEach) != 1030 {
		t.Fatalf("r2 %+v", r2)
	}
	contributeAll(t, c, at(2), wei(1000))
	_, err = c.CloseRound(at(3))
	ok(t, err)
	// Withdrawals: m0 3000 + 1911 + 0 - 3000 = 1911; m1 3000 + 1911 + 514 - 3000 = 2425;
	// m2 3000 + 2940 + 1544 - 3000 = 4484. Total 8820; 180 fees stay; remainder 0.
	for m, want := range map[string]int64{"m0": 1911, "m1": 2425, "m2": 4484} {
		if got := withdraw(t, c, at(4), m); got != want {
			t.Fatalf("%s withdrew %d, want %d", m, got, want)
		}
	}
	if tot := c.Totals(); units(tot.Cash) != 180 || !tot.Remainder.IsZero() {
		t.Fatalf("totals %+v", tot)
	}
	audit(t, c)
	checkReplay(t, c)
}

// Two epochs: each member wins once per epoch; the dues and fee count rounds across epochs.
func TestTwoEpochs(t *testing.T) {
	cfg := weiCfg(rosca.Lottery, 2, 1000, 20)
	cfg.Epochs = 2
	c := mustNew(t, cfg)
	for r := range 4 {
		contributeAll(t, c, at(r), wei(1000))
		_, err := c.CloseRound(at(r + 1))
		ok(t, err)
		audit(t, c)
	}
	rs := c.Rounds()
	if rs[0].Winner == rs[1].Winner || rs[2].Winner == rs[3].Winner || rs[2].Epoch != 2 {
		t.Fatalf("rounds %+v", rs)
	}
	// Each: 4000 paid, 2 x RF(2000) = 3920 won, 4000 due: 3920; fees 4 x 40 = 160.
	for _, p := range c.Positions() {
		if units(p.Balance) != 3920 || p.Wins != 2 {
			t.Fatalf("%+v", p)
		}
	}
	if units(c.Totals().FeesReserved) != 160 {
		t.Fatal(c.Totals())
	}
	checkReplay(t, c)
}

// A halt with more cash than claims (the regression found by TestRapidCircle): the fee
// line is paid exactly its claim and the surplus goes to the members, pro rata.
func TestEmergencySettlementSurplus(t *testing.T) {
	c := goldenEnded(t)
	ok(t, c.EnableHalt(at(4), "op"))
	lines, err := c.ActivateHalt(at(4), "m0")
	ok(t, err)
	// Cash 9000; claims 2596, 2596, 3625 and fees 180 (8997). Fees get 180; the members
	// share 8820 pro rata to 8817: floors 2596 (rem 7788/8817), 2596 (7788), 3626 (2058),
	// sum 8818; the 2 units left go to m0 and m1.
	want := [][2]int64{{2596, 2597}, {2596, 2597}, {3625, 3626}, {180, 180}}
	for i, w := range want {
		if units(lines[i].Claim) != w[0] || units(lines[i].Paid) != w[1] {
			t.Fatalf("line %d = %+v, want claim %d paid %d", i, lines[i], w[0], w[1])
		}
	}
	if tot := c.Totals(); !tot.Cash.IsZero() || units(tot.FeesPaid) != 180 || !tot.FeesUnearned.IsZero() {
		t.Fatalf("totals %+v", tot)
	}
	audit(t, c)
	checkReplay(t, c)
}
