package rosca_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
	"github.com/trustcircle/trustcircle/token"
)

// checkStatement checks member's statement against its position: the totals are the
// position's figures, each line's running balance is the one before plus its amount,
// the lines of each kind sum to their total, and the sequence numbers only grow.
func checkStatement(c *rosca.Circle, m token.Account) error {
	s, err := c.Statement(m)
	if err != nil {
		return err
	}
	p, err := c.Position(m)
	if err != nil {
		return err
	}
	tot := s.Totals
	for _, f := range []struct {
		name      string
		got, want token.Amount
	}{{"contributed", tot.Contributed, p.Contributed}, {"withdrawn", tot.Withdrawn, p.Withdrawn}, {"won", tot.Won, p.Won},
		{"discount share", tot.DiscountShare, p.DiscountShare}, {"due", tot.Due, p.Due}, {"held", tot.Held, p.Held},
		{"loss", tot.Loss, p.Loss}, {"balance", tot.Balance, p.Balance}} {
		if !f.got.Equal(f.want) {
			return fmt.Errorf("%s: statement %s %s, position %s", m, f.name, f.got, f.want)
		}
	}
	if s.Member != m || s.Seat != p.Seat || s.LastSeq != c.LastSeq() || s.Asset != c.Config().Asset {
		return fmt.Errorf("%s: statement of %s seat %d at %d", m, s.Member, s.Seat, s.LastSeq)
	}
	sums := map[rosca.LineKind]*big.Int{}
	bal := new(big.Int)
	var seq uint64
	for i, l := range s.Lines {
		bal.Add(bal, l.Amount.Units())
		if bal.Cmp(l.Balance.Units()) != 0 || l.Amount.IsZero() || l.Seq < seq || l.Epoch != (l.Round-1)/len(c.Config().Members)+1 {
			return fmt.Errorf("%s: line %d %+v after balance %s", m, i, l, bal)
		}
		seq = l.Seq
		if sums[l.Kind] == nil {
			sums[l.Kind] = new(big.Int)
		}
		sums[l.Kind].Add(sums[l.Kind], l.Amount.Units())
	}
	if bal.Cmp(p.Balance.Units()) != 0 {
		return fmt.Errorf("%s: lines sum to %s, balance %s", m, bal, p.Balance)
	}
	sum := func(kinds ...rosca.LineKind) *big.Int {
		x := new(big.Int)
		for _, k := range kinds {
			if v := sums[k]; v != nil {
				x.Add(x, v)
			}
		}
		return x
	}
	neg := func(x token.Amount) *big.Int { return new(big.Int).Neg(x.Units()) }
	for _, f := range []struct {
		name      string
		got, want *big.Int
	}{{"contributions", sum(rosca.LineContribution, rosca.LineCollateralApplied, rosca.LineGuarantorPaid, rosca.LineRecovered), tot.Contributed.Units()},
		{"withdrawals", sum(rosca.LineWithdrawal, rosca.LineSettlement), neg(tot.Withdrawn)},
		{"winnings", sum(rosca.LineWinnings, rosca.LineFee, rosca.LinePlatformFee, rosca.LineRemainder, rosca.LineDeduction, rosca.LineLateFeeReceived, rosca.LineInterest), tot.Won.Units()},
		{"fees", sum(rosca.LineFee), neg(tot.Fees)},
		{"platform fees", sum(rosca.LinePlatformFee), neg(tot.PlatformFees)},
		{"shares", sum(rosca.LineDiscountShare), tot.DiscountShare.Units()},
		{"dues", sum(rosca.LineDue, rosca.LineDueReleased, rosca.LineDueAccelerated), neg(tot.Due)},
		{"held", sum(rosca.LineHeld, rosca.LineReleased), neg(tot.Held)},
		{"loss", sum(rosca.LineLoss, rosca.LineLossRestored), neg(tot.Loss)}} {
		if f.got.Cmp(f.want) != 0 {
			return fmt.Errorf("%s: %s lines sum to %s, total %s", m, f.name, f.got, f.want)
		}
	}
	return nil
}

// TestRapidStatement drives random circles with random commands (halts included) and
// checks every member's statement against its position after every step.
func TestRapidStatement(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.Config().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		check := func(step int) {
			for _, p := range c.Positions() { // the seats' members now: seats pass
				if err := checkStatement(c, p.Member); err != nil {
					t.Fatalf("step %d: %v", step, err)
				}
			}
		}
		check(0)
		for i, op := range roscatest.Ops(cfg, 40).Draw(t, "ops") {
			if roscatest.Apply(c, op) == nil {
				check(i + 1)
			}
		}
		// Close the rest, so that most runs reach the end and its loss allocation, then let
		// the members who owe catch up, in part or in full.
		for !c.Ended() && !c.Halted() {
			when := c.Round().Deadline
			if now := c.Now(); now.After(when) {
				when = now
			}
			if _, err := c.CloseRound(when); err != nil {
				t.Fatal(err)
			}
		}
		check(-1)
		for _, m := range c.Members() {
			owed, err := c.Owed(m)
			if err != nil || !owed.IsPositive() || c.Halted() {
				continue
			}
			pay := owed
			if part := rapid.Int64Range(0, 2).Draw(t, "part"); part < 2 {
				u := new(big.Int).Quo(owed.Units(), big.NewInt(2))
				if u.Sign() == 0 {
					u.SetInt64(1)
				}
				pay, _ = cfg.Asset.FromUnits(u)
			}
			if err := c.Contribute(c.Now(), m, pay); err != nil {
				t.Fatalf("catch-up of %s by %s owing %s: %v", pay, m, owed, err)
			}
			check(-2)
		}
	})
}

// TestRapidStatementFullCircle: circles in which every member pays every round, with
// bids and withdrawals, to the end; the statements match the positions throughout.
func TestRapidStatementFullCircle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.Config().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for r := 1; r <= cfg.Rounds(); r++ {
			for _, m := range cfg.Members {
				if rapid.IntRange(0, 5).Draw(t, "skip") > 0 {
					if err := c.Contribute(c.Now(), m, cfg.Contribution); err != nil {
						t.Fatal(err)
					}
				}
			}
			if cfg.Kind == rosca.Bidding {
				m := rapid.SampledFrom(cfg.Members).Draw(t, "bidder")
				_ = roscatest.Apply(c, roscatest.Op{Kind: roscatest.OpBid, Who: m, Fit: true, Units: rapid.Int64Range(0, 1000).Draw(t, "pm")})
			}
			if _, err := c.CloseRound(c.Round().Deadline); err != nil {
				t.Fatal(err)
			}
			for _, m := range cfg.Members {
				if rapid.Bool().Draw(t, "withdraw") {
					_, _ = c.Withdraw(c.Now(), m)
				}
				if err := checkStatement(c, m); err != nil {
					t.Fatalf("round %d: %v", r, err)
				}
			}
		}
	})
}

// line is a statement line in a compact form for the golden tests: seq, round, kind,
// amount and balance in units of 10^-4 C (C = 10^18 wei).
type line struct {
	seq, round int
	kind       rosca.LineKind
	amt, bal   int64
}

// tenThousandthsC returns x in units of 10^-4 C, which it must be a whole number of.
func tenThousandthsC(t *testing.T, x token.Amount) int64 {
	t.Helper()
	q, r := new(big.Int).QuoRem(x.Units(), big.NewInt(ether/10000), new(big.Int))
	if r.Sign() != 0 {
		t.Fatalf("%s is not a whole number of 10^-4 C", x)
	}
	return q.Int64()
}

func compact(t *testing.T, s rosca.Statement) []line {
	t.Helper()
	var out []line
	for _, l := range s.Lines {
		out = append(out, line{int(l.Seq), l.Round, l.Kind, tenThousandthsC(t, l.Amount), tenThousandthsC(t, l.Balance)})
	}
	return out
}

// fullScenario runs the reference contract's full scenario (see
// TestGoldenFullScenarioDebtor): 4 members at C = 10^18 wei, fee 2 per mille; rounds won
// by m1's bid of 3.8 C and m2's of 3.6 C, round 3 drawn, round 4 won by the one member
// who did not pay it, in debt.
func fullScenario(t testing.TB) *rosca.Circle {
	c := mustNew(t, weiCfg(rosca.Bidding, 4, ether, 2))
	bids := []int64{4 * ether / 100 * 95, 4 * ether / 100 * 90}
	for r := 1; r <= 4; r++ {
		for _, m := range c.Config().Members {
			if r == 4 && !pos(t, c, string(m)).WonThisEpoch {
				continue
			}
			ok(t, c.Contribute(at(r-1), m, wei(ether)))
		}
		if r <= 2 {
			ok(t, c.Bid(at(r-1), token.Account(fmt.Sprint("m", r)), wei(bids[r-1])))
		}
		_, err := c.CloseRound(at(r))
		ok(t, err)
	}
	return c
}

// TestGoldenStatementFullScenario writes out, line by line, the statements of a winner
// (m1, round 1 by its bid of 3.8 C) and of the debtor (round 4, unpaid), figures by hand
// in 10^-4 C. Round 1: RF(3.8 C) = 3.7924 C (fee 0.0076 C), discount RF(0.2 C) = 0.1996 C,
// pool 0.1996 C, share floor(0.1996/4) = 0.0499 C. Round 2: discount RF(0.4 C) = 0.3992
// C, pool 0.5988 C, share 0.1497 C (+0.0998 C). Rounds 3 and 4: no discount; the debtor
// takes the pot of 4 C, 3.992 C after the fee of 0.008 C, held until the end.
func TestGoldenStatementFullScenario(t *testing.T) {
	c := fullScenario(t)
	rs := c.Rounds()
	if rs[0].Winner != "m1" || rs[1].Winner != "m2" || rs[2].Winner != "m3" || rs[3].Winner != "m0" || !rs[3].Debt {
		t.Fatalf("winners %s %s %s %s (debt %v): the seed changed the draw", rs[0].Winner, rs[1].Winner, rs[2].Winner, rs[3].Winner, rs[3].Debt)
	}
	// Events: 1-4 round 1's contributions (m0..m3), 5 m1's bid, 6 the close; 7-10, 11 m2's
	// bid, 12; 13-16, 17; 18-20 round 4's contributions by m1, m2, m3, 21 the close.
	s, err := c.Statement("m1")
	ok(t, err)
	winner := []line{
		{0, 1, rosca.LineDue, -10000, -10000},
		{2, 1, rosca.LineContribution, 10000, 0},
		{6, 1, rosca.LineWinnings, 38000, 38000},
		{6, 1, rosca.LineFee, -76, 37924},
		{6, 1, rosca.LineDiscountShare, 499, 38423},
		{6, 2, rosca.LineDue, -10000, 28423},
		{8, 2, rosca.LineContribution, 10000, 38423},
		{12, 2, rosca.LineDiscountShare, 998, 39421},
		{12, 3, rosca.LineDue, -10000, 29421},
		{14, 3, rosca.LineContribution, 10000, 39421},
		{17, 4, rosca.LineDue, -10000, 29421},
		{18, 4, rosca.LineContribution, 10000, 39421},
	}
	if d := cmp.Diff(winner, compact(t, s), cmp.AllowUnexported(line{})); d != "" {
		t.Fatalf("m1's statement (-want +got):\n%s", d)
	}
	// Totals: 4 + 3.7924 + 0.1497 - 4 = 3.9421 C.
	want := rosca.StatementTotals{Contributed: wei(4 * ether), Withdrawn: wei(0), Won: wei(37924 * ether / 10000),
		Fees: wei(76 * ether / 10000), DiscountShare: wei(1497 * ether / 10000), Due: wei(4 * ether), Held: wei(0),
		Balance: wei(39421 * ether / 10000)}
	if d := cmp.Diff(want, s.Totals, amountCmp); d != "" {
		t.Fatalf("m1's totals (-want +got):\n%s", d)
	}
	// The debtor m0 pays rounds 1 to 3 only; it wins round 4 with the pot, which is held
	// (its dues are not covered) and released at the end, when its dues stand as every
	// member's: 3 + 3.992 + 0.1497 - 4 = 3.1417 C.
	s, err = c.Statement("m0")
	ok(t, err)
	debtor := []line{
		{0, 1, rosca.LineDue, -10000, -10000},
		{1, 1, rosca.LineContribution, 10000, 0},
		{6, 1, rosca.LineDiscountShare, 499, 499},
		{6, 2, rosca.LineDue, -10000, -9501},
		{7, 2, rosca.LineContribution, 10000, 499},
		{12, 2, rosca.LineDiscountShare, 998, 1497},
		{12, 3, rosca.LineDue, -10000, -8503},
		{13, 3, rosca.LineContribution, 10000, 1497},
		{17, 4, rosca.LineDue, -10000, -8503},
		{21, 4, rosca.LineWinnings, 40000, 31497},
		{21, 4, rosca.LineFee, -80, 31417},
		{21, 4, rosca.LineHeld, -39920, -8503},
		{21, 4, rosca.LineReleased, 39920, 31417},
	}
	if d := cmp.Diff(debtor, compact(t, s), cmp.AllowUnexported(line{})); d != "" {
		t.Fatalf("the debtor's statement (-want +got):\n%s", d)
	}
	want = rosca.StatementTotals{Contributed: wei(3 * ether), Withdrawn: wei(0), Won: wei(3992 * ether / 1000),
		Fees: wei(8 * ether / 1000), DiscountShare: wei(1497 * ether / 10000), Due: wei(4 * ether), Held: wei(0),
		Balance: wei(31417 * ether / 10000)}
	if d := cmp.Diff(want, s.Totals, amountCmp); d != "" {
		t.Fatalf("the debtor's totals (-want +got):\n%s", d)
	}
	// The lines carry the events' times: the due of round 1 the start, a close its deadline.
	if l := s.Lines[0]; !l.At.Equal(t0) || l.Epoch != 1 {
		t.Fatalf("first line %+v", l)
	}
	if l := s.Lines[len(s.Lines)-1]; !l.At.Equal(at(4)) || l.Seq != 21 {
		t.Fatalf("last line %+v", l)
	}
	// Withdrawing pays the balance: a withdrawal line brings it to zero.
	paid := withdraw(t, c, at(5), "m0")
	s, err = c.Statement("m0")
	ok(t, err)
	if l := s.Lines[len(s.Lines)-1]; l.Kind != rosca.LineWithdrawal || units(l.Amount.Neg()) != paid || !l.Balance.IsZero() || l.Seq != 22 {
		t.Fatalf("after the withdrawal %+v", l)
	}
	if err := checkStatement(c, "m0"); err != nil {
		t.Fatal(err)
	}
}

// A debt cleared before the end releases the pot at the contribution that clears it.
func TestStatementDebtCleared(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Lottery, 2, ether, 2))
	r1, err := c.CloseRound(at(1)) // nobody paid: the winner wins in debt
	ok(t, err)
	w := r1.Winner
	ok(t, c.Contribute(at(1), w, wei(ether))) // covers round 1 only: still owes round 2's
	ok(t, c.Contribute(at(1), w, wei(ether))) // covers round 2 too: the debt clears
	s, err := c.Statement(w)
	ok(t, err)
	var kinds []string
	for _, l := range s.Lines {
		kinds = append(kinds, fmt.Sprint(l.Seq, ":", l.Kind))
	}
	want := []string{"0:due", "1:winnings", "1:fee", "1:held", "1:due", "2:contribution", "3:contribution", "3:released"}
	if d := cmp.Diff(want, kinds); d != "" {
		t.Fatalf("lines (-want +got):\n%s", d)
	}
	if p := pos(t, c, string(w)); p.Debt || !p.Held.IsZero() {
		t.Fatalf("position %+v", p)
	}
	if err := checkStatement(c, w); err != nil {
		t.Fatal(err)
	}
}

// A loss allocated at the end shows as a loss line; the defaulter's statement has none.
func TestStatementLoss(t *testing.T) {
	c := lossCircle(t, rosca.LossProRata)
	s, err := c.Statement("m1")
	ok(t, err)
	last := s.Lines[len(s.Lines)-1]
	if last.Kind != rosca.LineLoss || units(last.Amount) != -477 || units(last.Balance) != 2940-477 || units(s.Totals.Loss) != 477 {
		t.Fatalf("m1's last line %+v, totals %+v", last, s.Totals)
	}
	s, err = c.Statement("m0")
	ok(t, err)
	for _, l := range s.Lines {
		if l.Kind == rosca.LineLoss {
			t.Fatalf("m0 has a loss line %+v", l)
		}
	}
	if s.Totals.Loss.IsValid() || units(s.Totals.Balance) != -1000 {
		t.Fatalf("m0's totals %+v", s.Totals)
	}
	for _, m := range []token.Account{"m0", "m1", "m2"} {
		if err := checkStatement(c, m); err != nil {
			t.Fatal(err)
		}
	}
}

// The emergency settlement's payment is a settlement line.
func TestStatementSettlement(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	contributeAll(t, c, at(0), wei(1000))
	ok(t, c.EnableHalt(at(0), "op"))
	_, err := c.ActivateHalt(at(0), "m0")
	ok(t, err)
	s, err := c.Statement("m2")
	ok(t, err)
	// The halt abandons round 1: its due comes back, and the settlement repays m2's 1000,
	// leaving nothing owed either way.
	rel, l := s.Lines[len(s.Lines)-2], s.Lines[len(s.Lines)-1]
	if rel.Kind != rosca.LineDueReleased || units(rel.Amount) != 1000 || units(rel.Balance) != 1000 || rel.Seq != 5 {
		t.Fatalf("line before the last %+v", rel)
	}
	if l.Kind != rosca.LineSettlement || units(l.Amount) != -1000 || units(l.Balance) != 0 || l.Seq != 5 {
		t.Fatalf("last line %+v", l)
	}
	if p := pos(t, c, "m2"); units(p.Balance) != 0 || units(p.Due) != 0 {
		t.Fatalf("m2 after the settlement %+v", p)
	}
	if err := checkStatement(c, "m2"); err != nil {
		t.Fatal(err)
	}
}

// Under RemainderToWinner the round's remainder is the winner's remainder line; under
// ShareOthers the winner has no share line for its own round.
func TestStatementRemainderAndSharing(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
	cfg.Rules.Remainder = rosca.RemainderToWinner
	cfg.Rules.Sharing = rosca.ShareOthers
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	ok(t, c.Bid(at(0), "m0", wei(1951)))
	r1, err := c.CloseRound(at(1))
	ok(t, err)
	s, err := c.Statement("m0")
	ok(t, err)
	var kinds []rosca.LineKind
	for _, l := range s.Lines {
		kinds = append(kinds, l.Kind)
		if l.Kind == rosca.LineRemainder && !l.Amount.Equal(r1.Remainder) {
			t.Fatalf("remainder line %+v, round %+v", l, r1)
		}
	}
	want := []rosca.LineKind{rosca.LineDue, rosca.LineContribution, rosca.LineWinnings, rosca.LineFee, rosca.LineRemainder, rosca.LineDue}
	if d := cmp.Diff(want, kinds); d != "" {
		t.Fatalf("m0's lines (-want +got):\n%s", d)
	}
	s, err = c.Statement("m1")
	ok(t, err)
	if l := s.Lines[2]; l.Kind != rosca.LineDiscountShare || !l.Amount.Equal(r1.ShareEach) {
		t.Fatalf("m1's share line %+v, round %+v", l, r1)
	}
	for _, m := range cfg.Members {
		if err := checkStatement(c, m); err != nil {
			t.Fatal(err)
		}
	}
}

// The errors: the zero Circle and a stranger.
func TestStatementErrors(t *testing.T) {
	var zero rosca.Circle
	if _, err := zero.Statement("m0"); !errors.Is(err, rosca.ErrUninitialized) {
		t.Fatalf("zero circle: %v", err)
	}
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	_, err := c.Statement("stranger")
	if e, isErr := errors.AsType[*rosca.Error](err); !isErr || !errors.Is(err, rosca.ErrNotMember) || e.Account != "stranger" || e.Op != "Statement" {
		t.Fatalf("stranger: %v", err)
	}
	// A new circle's statement is round 1's due.
	s, err := c.Statement("m1")
	ok(t, err)
	if len(s.Lines) != 1 || s.Lines[0].Kind != rosca.LineDue || units(s.Totals.Balance) != -1000 || s.LastSeq != 0 {
		t.Fatalf("new circle: %+v", s)
	}
}

// The JSON: "v":1, amounts in the amount grammar, UTC times; it decodes back to the same
// statement, strictly.
func TestStatementJSON(t *testing.T) {
	c := fullScenario(t)
	s, err := c.Statement("m1")
	ok(t, err)
	b, err := json.Marshal(s)
	ok(t, err)
	head := `{"v":1,"member":"m1","seat":1,"asset":{"symbol":"ETH","decimals":18},"last_seq":21,"lines":[` +
		`{"seq":0,"round":1,"epoch":1,"at":"2026-01-01T00:00:00Z","kind":"due","amount":"-1.000000000000000000 ETH","balance":"-1.000000000000000000 ETH"},` +
		`{"seq":2,"round":1,"epoch":1,"at":"2026-01-01T00:00:00Z","kind":"contribution","amount":"1.000000000000000000 ETH","balance":"0.000000000000000000 ETH"},`
	if !strings.HasPrefix(string(b), head) {
		t.Fatalf("JSON\n%s\nwant the prefix\n%s", b, head)
	}
	tail := `"totals":{"contributed":"4.000000000000000000 ETH","withdrawn":"0.000000000000000000 ETH",` +
		`"won":"3.792400000000000000 ETH","fees":"0.007600000000000000 ETH","discount_share":"0.149700000000000000 ETH",` +
		`"due":"4.000000000000000000 ETH","held":"0.000000000000000000 ETH","balance":"3.942100000000000000 ETH"}}`
	if !strings.HasSuffix(string(b), tail) {
		t.Fatalf("JSON\n%s\nwant the suffix\n%s", b, tail)
	}
	var back rosca.Statement
	ok(t, json.Unmarshal(b, &back))
	if d := cmp.Diff(s, back, amountCmp); d != "" {
		t.Fatalf("round trip (-want +got):\n%s", d)
	}
	if got := s.AppendJSON([]byte("x")); string(got[1:]) != string(b) {
		t.Fatal("AppendJSON differs from MarshalJSON")
	}
	// Loss appears when there is one, and round-trips.
	ls, err := lossCircle(t, rosca.LossFeeFirst).Statement("m2")
	ok(t, err)
	b, err = json.Marshal(ls)
	ok(t, err)
	if !strings.Contains(string(b), `"loss":"0.000000000000000410 ETH"`) || !strings.Contains(string(b), `"kind":"loss","amount":"-0.000000000000000410 ETH"`) {
		t.Fatalf("loss JSON %s", b)
	}
	back = rosca.Statement{}
	ok(t, json.Unmarshal(b, &back))
	if d := cmp.Diff(ls, back, amountCmp); d != "" {
		t.Fatalf("round trip (-want +got):\n%s", d)
	}
	zerotest.WithShopspringGlobals(t, func() {
		if b2, _ := json.Marshal(ls); !bytes.Equal(b, b2) {
			t.Fatal("the JSON depends on shopspring's globals")
		}
	})
	for _, bad := range []string{`{"v":2,"member":"m1"}`, `{"member":"m1"}`, `{"v":1,"member":"m1"}`, `{"v":1,"extra":1}`, `[]`,
		`{"v":1,"lines":[{"seq":1,"x":2}]}`, `{"v":1,"totals":{"due":"1 ETH","x":1}}`, `{"v":1,"lines":[{"amount":"1.0.0 ETH"}]}`} {
		var s rosca.Statement
		if err := json.Unmarshal([]byte(bad), &s); !errors.Is(err, rosca.ErrReplay) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// FuzzStatementJSON: any bytes either fail to decode, or decode to a statement whose
// JSON decodes again to the same bytes; never a panic.
func FuzzStatementJSON(f *testing.F) {
	s, err := fullScenario(f).Statement("m0")
	ok(f, err)
	good, _ := json.Marshal(s)
	f.Add(good)
	f.Add([]byte(`{"v":1,"asset":{"symbol":"USD","decimals":2},"lines":[{"seq":1,"amount":"-1.00 USD","at":"2026-01-01T00:00:00Z"}],"totals":{"loss":"0.00 USD"}}`))
	f.Add([]byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s rosca.Statement
		if err := json.Unmarshal(b, &s); err != nil {
			return
		}
		b2, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var s2 rosca.Statement
		if err := json.Unmarshal(b2, &s2); err != nil {
			t.Fatalf("%s does not decode: %v", b2, err)
		}
		if b3, _ := json.Marshal(s2); !bytes.Equal(b2, b3) {
			t.Fatalf("round trip\n%s\n%s", b2, b3)
		}
		_ = s.AppendCSV(nil)
	})
}

// TestRapidStatementCSVAccounts: whatever the account (printable ASCII), the CSV reads
// back with the member cell as the account, escaped with a quote when it starts with =,
// +, - or @.
func TestRapidStatementCSVAccounts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		acct := token.Account(rapid.StringMatching(`[!-~]{1,12}`).Draw(t, "account"))
		if acct == "other" {
			return
		}
		cfg := weiCfg(rosca.Bidding, 2, 1000, 20)
		cfg.Members = []token.Account{acct, "other"}
		cfg.Foreperson = "other"
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.Statement(acct)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(s.AppendCSV(nil))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := string(acct)
		if strings.ContainsAny(want[:1], "=+-@") {
			want = "'" + want
		}
		if len(rows) != 2 || len(rows[1]) != 9 || rows[1][0] != want {
			t.Fatalf("rows %q, want the member %q", rows, want)
		}
	})
}

// The CSV: a header, one row per line, plain numbers, and accounts that a spreadsheet
// would read as formulas escaped.
func TestStatementCSV(t *testing.T) {
	c := fullScenario(t)
	s, err := c.Statement("m1")
	ok(t, err)
	var buf bytes.Buffer
	ok(t, s.WriteCSV(&buf))
	rows, err := csv.NewReader(&buf).ReadAll()
	ok(t, err)
	if len(rows) != len(s.Lines)+1 || strings.Join(rows[0], ",") != rosca.StatementCSVHeader {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	want := []string{"m1", "6", "1", "1", "2026-01-01T01:00:00Z", "fee", "-0.007600000000000000", "3.792400000000000000", "ETH"}
	if d := cmp.Diff(want, rows[4]); d != "" {
		t.Fatalf("row 4 (-want +got):\n%s", d)
	}
	// Accounts are user text: a leading =, +, - or @ is escaped, a comma or quote quoted.
	for acct, cell := range map[token.Account]string{"=cmd": "'=cmd", "+1": "'+1", "-x": "'-x", "@a": "'@a", `a,"b"`: `a,"b"`, "plain": "plain"} {
		cfg := weiCfg(rosca.Bidding, 2, 1000, 20)
		cfg.Members = []token.Account{acct, "other"}
		cfg.Foreperson = "other"
		c := mustNew(t, cfg)
		s, err := c.Statement(acct)
		ok(t, err)
		rows, err := csv.NewReader(bytes.NewReader(s.AppendCSV(nil))).ReadAll()
		ok(t, err)
		if rows[1][0] != cell || rows[1][6] != "-0.000000000000001000" {
			t.Errorf("%s: row %q", acct, rows[1])
		}
	}
	var zero rosca.Statement
	if got := string(zero.AppendCSV(nil)); got != rosca.StatementCSVHeader+"\n" {
		t.Fatalf("zero statement's CSV %q", got)
	}
}

// Every exported method of the new types' zero values returns, never panics (WriteCSV
// needs a writer).
func TestStatementScheduleZeroValues(t *testing.T) {
	for _, v := range []any{
		&rosca.Statement{}, rosca.Statement{}, &rosca.StatementLine{}, rosca.StatementLine{},
		&rosca.StatementTotals{}, rosca.StatementTotals{}, new(rosca.LineKind), rosca.LineKind(""),
		&rosca.ScheduleRound{}, rosca.ScheduleRound{}, &rosca.MemberDue{}, rosca.MemberDue{},
		&rosca.Reminder{}, rosca.Reminder{}, new(rosca.RoundStatus), rosca.RoundStatus(""),
	} {
		zerotest.CallMethods(t, v, "WriteCSV")
	}
	var zero rosca.Circle
	if zero.Schedule() != nil || zero.Reminders() != nil {
		t.Fatal("the zero circle has a schedule")
	}
	if _, err := zero.ScheduleOf("m0"); !errors.Is(err, rosca.ErrUninitialized) {
		t.Fatal(err)
	}
	var s rosca.Statement
	if err := s.WriteCSV(&bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
}

// The new queries only read: 8 goroutines calling them at once on one circle do not race
// (run with -race) and all see the same answers.
func TestConcurrentStatementQueries(t *testing.T) {
	c := fullScenario(t)
	answer := func(g int) string {
		var b []byte
		for _, m := range c.Config().Members {
			s, err := c.Statement(m)
			if err != nil {
				return err.Error()
			}
			b = s.AppendJSON(b)
			b = s.AppendCSV(b)
			d, err := c.ScheduleOf(m)
			if err != nil {
				return err.Error()
			}
			j, _ := json.Marshal(d)
			b = append(b, j...)
		}
		j, _ := json.Marshal(c.Schedule())
		b = append(b, j...)
		j, _ = json.Marshal(c.Reminders())
		_ = g
		return string(append(b, j...))
	}
	want := answer(0)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for range 10 {
				if got := answer(g); got != want {
					errs <- got
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Fatalf("a reader saw\n%s\nwant\n%s", got, want)
	}
}

// BenchmarkStatement: one member's statement after the benchmark workload's 255-member
// epoch (65,280 contributions, bids, closes and withdrawals in the log).
func BenchmarkStatement(b *testing.B) {
	for _, n := range []int{16, 255} {
		c := runEpoch(b, benchConfig(n), benchBids(n), nil)
		m := c.Config().Members[n/2]
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Statement(m); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(c.LastSeq()), "events")
		})
	}
}

// The platform's fee is its own line after the foreperson's: with 3 per mille on a pot of
// 3000 wei, 9 wei come off m0's winnings of RF(1951) = 1911.
func TestStatementPlatformFee(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 3, 1000, 20)
	cfg.PlatformFee = token.MustRatio(3, 1000)
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	ok(t, c.Bid(at(0), "m0", wei(1951)))
	r1, err := c.CloseRound(at(1))
	ok(t, err)
	if units(r1.PlatformFee) != 9 {
		t.Fatalf("round 1 %+v", r1)
	}
	s, err := c.Statement("m0")
	ok(t, err)
	var got []string
	for _, l := range s.Lines[2:5] {
		got = append(got, fmt.Sprint(l.Kind, " ", units(l.Amount)))
	}
	if d := cmp.Diff([]string{"winnings 1951", "fee -40", "platform_fee -9"}, got); d != "" {
		t.Fatalf("m0's lines (-want +got):\n%s", d)
	}
	if units(s.Totals.PlatformFees) != 9 || units(s.Totals.Fees) != 40 || units(s.Totals.Won) != 1902 {
		t.Fatalf("totals %+v", s.Totals)
	}
	if b, _ := json.Marshal(s.Totals); !strings.Contains(string(b), `"platform_fees":"0.000000000000000009 ETH"`) {
		t.Fatalf("totals JSON %s", b)
	}
	if err := checkStatement(c, "m0"); err != nil {
		t.Fatal(err)
	}
}

// A catch-up payment after the end gives the written-off claims back: in the loss circle
// m0 pays 500 of the 1000 it owes; pro rata to the losses (477, 477 and the fee line's 26
// of 980) that is 243.37, 243.37 and 13.27: 243, 243 and 13, and the unit left to the
// largest remainder, the lower seat: m1 gets 244 back.
func TestStatementCatchUp(t *testing.T) {
	c := lossCircle(t, rosca.LossProRata)
	ok(t, c.Contribute(at(4), "m0", wei(500)))
	want := map[token.Account]int64{"m1": 244, "m2": 243}
	for m, back := range want {
		s, err := c.Statement(m)
		ok(t, err)
		l := s.Lines[len(s.Lines)-1]
		if l.Kind != rosca.LineLossRestored || units(l.Amount) != back || l.Seq != c.LastSeq() || units(s.Totals.Loss) != 477-back {
			t.Fatalf("%s: last line %+v, totals %+v", m, l, s.Totals)
		}
	}
	s, err := c.Statement("m0")
	ok(t, err)
	if l := s.Lines[len(s.Lines)-1]; l.Kind != rosca.LineContribution || units(l.Amount) != 500 || units(l.Balance) != -500 {
		t.Fatalf("m0's last line %+v", l)
	}
	for _, m := range c.Config().Members {
		if err := checkStatement(c, m); err != nil {
			t.Fatal(err)
		}
	}
	if rs := c.Reminders(); len(rs) != 1 || rs[0].Member != "m0" || units(rs[0].Missing) != 500 {
		t.Fatalf("reminders after the catch-up %+v", rs)
	}
}
