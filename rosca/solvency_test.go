package rosca_test

import (
	"errors"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
	"github.com/trustcircle/trustcircle/token"
)

// ether is 10^18 wei, the contribution C of the reference contract's scenarios.
const ether = 1_000_000_000_000_000_000

// milliC returns k thousandths of C = 10^18 wei, as an amount.
func milliC(k int64) token.Amount { return wei(k * (ether / 1000)) }

// solvent checks the invariant after the end: every creditor is paid in full, whoever
// withdraws first, and the fees and the remainder are paid after them.
func solvent(t *testing.T, c *rosca.Circle) {
	t.Helper()
	audit(t, c)
	tot := c.Totals()
	if !tot.Shortfall.IsZero() {
		t.Fatalf("shortfall %s after the end", tot.Shortfall)
	}
	now := c.Now()
	for _, p := range c.Positions() {
		if p.Balance.Sign() <= 0 {
			continue
		}
		got, err := c.Withdraw(now, p.Member)
		ok(t, err)
		if !got.Equal(p.Balance) {
			t.Fatalf("%s shown %s, paid %s", p.Member, p.Balance, got)
		}
	}
	if tot.FeesReserved.Sign() > 0 {
		got, err := c.RetrieveFees(now, c.Config().Foreperson)
		ok(t, err)
		if !got.Equal(tot.FeesReserved) {
			t.Fatalf("fees reserved %s, paid %s", tot.FeesReserved, got)
		}
	}
	if tot.PlatformFees.Sign() > 0 {
		got, err := c.RetrievePlatformFee(now, c.Config().Operator)
		ok(t, err)
		if !got.Equal(tot.PlatformFees) {
			t.Fatalf("platform fees %s, paid %s", tot.PlatformFees, got)
		}
	}
	audit(t, c)
	checkReplay(t, c)
}

// The end-of-circle scenario: 4 members, C = 10^18 wei, fee 2 per mille; three rounds
// won at the full pot, nobody pays round 4, and its winner wins it as a debtor. The
// debtor is shown credit + share - C x n = 3 + 3.992 - 4 = 2.992 C, as every member,
// where the waived dues showed 3 C and left the last member to withdraw 0.006 C short.
func TestGoldenEndOfCircleDebtor(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Lottery, 4, ether, 2))
	for r := 1; r <= 3; r++ {
		contributeAll(t, c, at(r-1), wei(ether))
		_, err := c.CloseRound(at(r))
		ok(t, err)
	}
	r4, err := c.CloseRound(at(4))
	ok(t, err)
	if !r4.Debt || !c.Ended() {
		t.Fatalf("round 4 %+v", r4)
	}
	for _, p := range c.Positions() {
		if !p.Balance.Equal(milliC(2992)) || !p.Loss.IsZero() {
			t.Fatalf("%s: %+v, want balance 2.992 C", p.Member, p)
		}
	}
	// Cash 12 C; fees: base 16 C less the debtor's 1 C short = 15 C: 0.03 C reserved;
	// 4 x 2.992 + 0.03 = 11.998 C, within the cash (0.002 C of unearned fees stay).
	tot := c.Totals()
	twelve, _ := wei(ether).Mul(12)
	if !tot.Cash.Equal(twelve) || !tot.FeesReserved.Equal(milliC(30)) || !tot.FeesUnearned.Equal(milliC(2)) ||
		!tot.Shortfall.IsZero() || !tot.Losses.IsZero() || r4.Losses != nil {
		t.Fatalf("totals %+v", tot)
	}
	solvent(t, c)
}

// The 2-member circle where both win as debtors: nobody pays round 1 (its winner wins in
// debt), then the first winner pays 2 C (clearing its debt) and the other only C, so the
// other wins round 2 in debt. It is shown C + 1.996 C - 2 C = 0.996 C, where the waived
// dues showed C and left the first winner 0.002 C short.
func TestGoldenTwoDebtors(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Lottery, 2, ether, 2))
	r1, err := c.CloseRound(at(1))
	ok(t, err)
	first := r1.Winner
	second := token.Account("m0")
	if first == "m0" {
		second = "m1"
	}
	ok(t, c.Contribute(at(1), first, wei(2*ether)))
	ok(t, c.Contribute(at(1), second, wei(ether)))
	r2, err := c.CloseRound(at(2))
	ok(t, err)
	if !r1.Debt || !r2.Debt || r2.Winner != second {
		t.Fatalf("rounds %+v %+v", r1, r2)
	}
	if p := pos(t, c, string(first)); !p.Balance.Equal(milliC(1996)) || p.Debt {
		t.Fatalf("first %+v", p)
	}
	if p := pos(t, c, string(second)); !p.Balance.Equal(milliC(996)) || !p.Debt {
		t.Fatalf("second %+v", p)
	}
	// Cash 3 C; base 4 C less the second's 1 C short: 0.006 C reserved; 1.996 + 0.996 +
	// 0.006 = 2.998 C.
	if tot := c.Totals(); !tot.Cash.Equal(milliC(3000)) || !tot.FeesReserved.Equal(milliC(6)) || !tot.Shortfall.IsZero() {
		t.Fatalf("totals %+v", tot)
	}
	solvent(t, c)
}

// The reference contract's full scenario, 4 members at C = 10^18 wei, fee 2 per mille:
// rounds won by bids of 0.95 and 0.90 of the pot, then two rounds without bids, the last
// winner delinquent (it paid 3 rounds of 4). After the end the debtor is shown credit +
// share - C x n, what getParticipantBalance showed, and every member is paid what it is
// shown, in any order.
func TestGoldenFullScenarioDebtor(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 4, ether, 2))
	pot := int64(4 * ether)
	bids := []int64{pot / 100 * 95, pot / 100 * 90}
	for r := 1; r <= 4; r++ {
		for _, m := range c.Config().Members {
			if r == 4 && !pos(t, c, string(m)).WonThisEpoch {
				continue // the last round's winner does not pay it
			}
			ok(t, c.Contribute(at(r-1), m, wei(ether)))
		}
		if r <= 2 {
			ok(t, c.Bid(at(r-1), token.Account("m"+string(rune('0'+r))), wei(bids[r-1])))
		}
		_, err := c.CloseRound(at(r))
		ok(t, err)
	}
	rs := c.Rounds()
	if rs[3].Method != rosca.ByDraw || !rs[3].Debt {
		t.Fatalf("round 4 %+v", rs[3])
	}
	// Round 1: RF(3.8 C) = 3.7924 C, discount RF(0.2 C) = 0.1996 C; round 2: RF(3.6 C) =
	// 3.5928 C, discount 0.3992 C; rounds 3 and 4: RF(4 C) = 3.992 C. Pool 0.5988 C, share
	// 0.1497 C each.
	share := wei(1497 * ether / 10000)
	debtor := rs[3].Winner
	for _, p := range c.Positions() {
		if !p.DiscountShare.Equal(share) {
			t.Fatalf("%s share %s, want %s", p.Member, p.DiscountShare, share)
		}
		paid := int64(4)
		if p.Member == debtor {
			paid = 3
		}
		want, _ := wei(paid * ether).Add(p.Won)
		want, _ = want.Add(share)
		want, _ = want.Sub(wei(4 * ether))
		if !p.Balance.Equal(want) || !p.Loss.IsZero() {
			t.Fatalf("%s balance %s, want credit + share - 4 C = %s", p.Member, p.Balance, want)
		}
	}
	// The debtor: 3 + 3.992 + 0.1497 - 4 = 3.1417 C. With its dues waived it was shown
	// 3.1497 C, 0.008 C (the fee on its pot) more. The reserve: base 16 C less the
	// debtor's 4 + 3.992 - 3 - 3.992 - 0.1497 = 0.8503 C short: 0.0302994 C, so 0.0017006
	// C of the fees withheld are unearned, and the waiver left 0.008 - 0.0017006 =
	// 0.0062994 C of the last member's balance backed by nothing. Now every claim is cash.
	if p := pos(t, c, string(debtor)); !p.Balance.Equal(wei(31417*ether/10000)) || !p.Debt {
		t.Fatalf("debtor %+v", p)
	}
	tot := c.Totals()
	if !tot.FeesReserved.Equal(wei(302994*ether/10_000_000)) || !tot.FeesUnearned.Equal(wei(17006*ether/10_000_000)) ||
		!tot.Shortfall.IsZero() {
		t.Fatalf("totals %+v", tot)
	}
	solvent(t, c)
}

// lossCircle is a 3-member fixed-order circle (C = 1000 wei, fee 20 per mille) in which
// m0 wins round 1, withdraws its winnings and never pays again: at the end it owes 1000
// wei it will not pay. m1 and m2 are owed 2940 each, the fees reserved are 160 (the
// delinquency reduction: base 9000 less m0's 1000), the cash is 5060: a shortfall of
// 2940 + 2940 + 160 - 5060 = 980 wei.
func lossCircle(t *testing.T, policy rosca.LossPolicy) *rosca.Circle {
	t.Helper()
	cfg := weiCfg(rosca.FixedOrder, 3, 1000, 20)
	cfg.Rules.Loss = policy
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	if got := withdraw(t, c, at(1), "m0"); got != 1940 {
		t.Fatalf("m0 withdrew %d", got)
	}
	for r := 2; r <= 3; r++ {
		ok(t, c.Contribute(at(r-1), "m1", wei(1000)))
		ok(t, c.Contribute(at(r-1), "m2", wei(1000)))
		tot := c.Totals()
		if r == 3 && units(tot.Shortfall) != 0 {
			t.Fatalf("before the end %+v", tot)
		}
		_, err := c.CloseRound(at(r))
		ok(t, err)
	}
	return c
}

// A defaulter's shortfall is allocated at the end by the loss policy, recorded in the
// last round's result and shown in the positions; withdrawals then pay in full what the
// positions show, and the books balance to the unit.
func TestLossPolicies(t *testing.T) {
	for _, tc := range []struct {
		policy       rosca.LossPolicy
		member, fees int64 // the loss of m1 and m2 each, of the fee line
	}{
		// 980 x 2940 / 6040 = 477.02 each, 980 x 160 / 6040 = 25.96: the unit left goes to the fee line.
		{"", 477, 26},
		{rosca.LossProRata, 477, 26},
		// The fee line bears its 160 first, then the members 820 pro rata: 410 each.
		{rosca.LossFeeFirst, 410, 160},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			c := lossCircle(t, tc.policy)
			last := c.Rounds()[2]
			if units(last.Shortfall) != 980 {
				t.Fatalf("shortfall %s", last.Shortfall)
			}
			want := []rosca.LossLine{
				{Account: "m1", Claim: wei(2940), Loss: wei(tc.member)},
				{Account: "m2", Claim: wei(2940), Loss: wei(tc.member)},
				{Account: "m0", Fees: true, Claim: wei(160), Loss: wei(tc.fees)},
			}
			if !slices.EqualFunc(last.Losses, want, rosca.LossLine.Equal) {
				t.Fatalf("losses %v, want %v", last.Losses, want)
			}
			if p := pos(t, c, "m0"); units(p.Balance) != -1000 || !p.Loss.IsZero() {
				t.Fatalf("m0 %+v", p)
			}
			for _, m := range []string{"m1", "m2"} {
				if p := pos(t, c, m); units(p.Loss) != tc.member || units(p.Balance) != 2940-tc.member {
					t.Fatalf("%s %+v", m, p)
				}
			}
			tot := c.Totals()
			if units(tot.Losses) != 980 || units(tot.FeesReserved) != 160-tc.fees || !tot.Shortfall.IsZero() {
				t.Fatalf("totals %+v", tot)
			}
			// The loss is in the event and round-trips through JSON.
			var closed rosca.Event
			for e := range c.EventsAfter(0) {
				closed = e
			}
			if back := roundTripJSON(t, closed); !back.Equal(closed) || closed.Result == nil || len(closed.Result.Losses) != 3 {
				t.Fatalf("event %+v", closed)
			}
			solvent(t, c)
			if tot := c.Totals(); !tot.Cash.IsZero() {
				t.Fatalf("cash left %+v", tot)
			}
		})
	}
	bad := weiCfg(rosca.Bidding, 3, 1000, 20)
	bad.Rules.Loss = "first_come"
	if _, err := rosca.New(bad); !errors.Is(err, rosca.ErrInvalidConfig) {
		t.Fatalf("unknown loss policy: %v", err)
	}
}

// A fixed-order circle leaves no remainder, so no remainder line; the line's text.
func TestLossLineText(t *testing.T) {
	c := lossCircle(t, rosca.LossProRata)
	for _, l := range c.Rounds()[2].Losses {
		if l.Remainder {
			t.Fatalf("fixed order leaves no remainder, got %v", l)
		}
	}
	if l := (rosca.LossLine{Account: "m0", Remainder: true, Claim: wei(3), Loss: wei(1)}); l.String() != "m0 (remainder) bears "+wei(1).String()+" of "+wei(3).String() {
		t.Fatal(l.String())
	}
}

// TestRapidWithdrawOrder: in random circles driven by random commands to their end, the
// members' withdrawals after the end pay the same amounts in any order (random
// permutations), each what its position shows, and the books stay solvent after each.
func TestRapidWithdrawOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.Config().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range roscatest.Ops(cfg, 30).Draw(t, "ops") {
			if op.Kind == roscatest.OpHalt || op.Kind == roscatest.OpEnableHalt {
				continue
			}
			_ = roscatest.Apply(c, op)
		}
		for !c.Ended() {
			when := c.Round().Deadline
			if now := c.Now(); now.After(when) {
				when = now
			}
			if _, err := c.CloseRound(when); err != nil {
				t.Fatal(err)
			}
		}
		if err := roscatest.Check(c); err != nil {
			t.Fatal(err)
		}
		payouts := func(order []int) map[token.Account]string {
			r, err := rosca.Replay(cfg, c.EventsAfter(0))
			if err != nil {
				t.Fatal(err)
			}
			out := map[token.Account]string{}
			for _, i := range order {
				m := r.Members()[i]
				p, _ := r.Position(m)
				got, err := r.Withdraw(r.Now(), m)
				switch {
				case errors.Is(err, rosca.ErrNothingToWithdraw):
					out[m] = "nothing"
				case err != nil:
					t.Fatalf("withdraw %s: %v", m, err)
				case !got.Equal(p.Balance):
					t.Fatalf("%s shown %s, paid %s", m, p.Balance, got)
				default:
					out[m] = got.String()
				}
				if err := roscatest.Check(r); err != nil {
					t.Fatal(err)
				}
			}
			return out
		}
		seats := make([]int, len(cfg.Members))
		for i := range seats {
			seats[i] = i
		}
		want := payouts(seats)
		perm := rapid.Permutation(seats).Draw(t, "order")
		if got := payouts(perm); !maps2Equal(got, want) {
			t.Fatalf("order %v pays %v, seat order %v", perm, got, want)
		}
	})
}

func maps2Equal(a, b map[token.Account]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// The rounding remainder bears a shortfall before any creditor: m0 wins round 1 with a
// bid (leaving dust), withdraws and never pays again.
func TestLossTakesRemainderFirst(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	contributeAll(t, c, at(0), wei(1000))
	ok(t, c.Bid(at(0), "m0", wei(1951)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	withdraw(t, c, at(1), "m0")
	for r := 2; r <= 3; r++ {
		ok(t, c.Contribute(at(r-1), "m1", wei(1000)))
		ok(t, c.Contribute(at(r-1), "m2", wei(1000)))
		_, err := c.CloseRound(at(r))
		ok(t, err)
	}
	last := c.Rounds()[2]
	if len(last.Losses) == 0 || !last.Losses[0].Remainder || !last.Losses[0].Loss.Equal(last.Losses[0].Claim) ||
		last.Losses[0].Account != "m0" || last.Losses[0].Claim.Sign() <= 0 {
		t.Fatalf("losses %v", last.Losses)
	}
	var sum token.Amount
	for _, l := range last.Losses {
		sum, _ = sum.Add(l.Loss)
	}
	if !sum.Equal(last.Shortfall) || !c.Totals().Remainder.IsZero() || !c.Totals().Losses.Equal(sum) {
		t.Fatalf("losses %v sum %s, shortfall %s, totals %+v", last.Losses, sum, last.Shortfall, c.Totals())
	}
	rejects(t, c, rosca.ErrNothingToPay, func() error { _, _, err := c.DisposeRemainder(at(4), "m0"); return err })
	solvent(t, c)
}
