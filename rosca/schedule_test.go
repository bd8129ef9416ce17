package rosca_test

import (
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
	"github.com/trustcircle/trustcircle/token"
)

// checkReminders checks the reminder list against the positions: exactly the members
// with a negative balance, in seat order, each missing minus its balance, with Paid +
// Missing = Due.
func checkReminders(c *rosca.Circle) error {
	rs := c.Reminders()
	if c.Halted() {
		if rs != nil {
			return fmt.Errorf("reminders after the halt: %+v", rs)
		}
		return nil
	}
	k := 0
	round := c.Round()
	for _, p := range c.Positions() {
		if p.Balance.Sign() >= 0 {
			// A member who owes nothing is in good standing, unless the rules' deterrents
			// say otherwise (removed, or short of collateral).
			if !c.Ended() && !p.GoodStanding && !p.Removed && !p.CollateralDue.IsValid() {
				return fmt.Errorf("%s is not in good standing but has no reminder: %+v", p.Member, p)
			}
			continue
		}
		if k >= len(rs) {
			return fmt.Errorf("no reminder for %s: %+v", p.Member, p)
		}
		r := rs[k]
		k++
		sum, _ := r.Paid.Add(r.Missing)
		if r.Member != p.Member || r.Seat != p.Seat || !r.Missing.Equal(p.Balance.Neg()) || !r.Due.Equal(p.Due) ||
			!sum.Equal(r.Due) || r.Debt != p.Debt || r.Round != round.Round || !r.Deadline.Equal(round.Deadline) {
			return fmt.Errorf("reminder %+v for position %+v", r, p)
		}
	}
	if k != len(rs) {
		return fmt.Errorf("reminders %+v, but only %d members owe", rs, k)
	}
	return nil
}

// checkSchedule checks the schedule against each member's, computed independently, and
// the member schedules against the positions.
func checkSchedule(c *rosca.Circle) error {
	cfg := c.Config()
	sched := c.Schedule()
	if len(sched) != cfg.Rounds() {
		return fmt.Errorf("%d rounds in the schedule, want %d", len(sched), cfg.Rounds())
	}
	behind := make([]int, cfg.Rounds())
	missing := make([]*big.Int, cfg.Rounds())
	for i := range missing {
		missing[i] = new(big.Int)
	}
	round := c.Round()
	for _, p := range c.Positions() {
		ds, err := c.ScheduleOf(p.Member)
		if err != nil {
			return err
		}
		paid, _ := p.Balance.Add(p.Due)
		for r, d := range ds {
			due, _ := cfg.Contribution.Mul(int64(r + 1))
			want := new(big.Int).Sub(due.Units(), paid.Units())
			if want.Sign() < 0 || c.Halted() {
				want.SetInt64(0)
			}
			if d.Round != r+1 || !d.Due.Equal(due) || !d.Paid.Equal(paid) || d.Missing.Units().Cmp(want) != 0 ||
				!d.Deadline.Equal(cfg.Deadline(r+1)) {
				return fmt.Errorf("%s round %d: %+v, want due %s paid %s missing %s", p.Member, r+1, d, due, paid, want)
			}
			if want.Sign() > 0 {
				behind[r]++
				missing[r].Add(missing[r], want)
			}
			if r+1 == round.Round && !c.Ended() && !c.Halted() && !p.Accelerated && !d.Missing.Equal(p.Balance.Neg()) && p.Balance.Sign() < 0 {
				return fmt.Errorf("%s: missing %s for the open round, balance %s (%+v)", p.Member, d.Missing, p.Balance, p)
			}
		}
	}
	rounds := c.Rounds()
	for r, s := range sched {
		due, _ := cfg.Contribution.Mul(int64(r + 1))
		status := rosca.RoundUpcoming
		switch {
		case r < len(rounds):
			status = rosca.RoundClosed
		case c.Halted():
			status = rosca.RoundHalted
		case r+1 == round.Round && !c.Ended():
			status = rosca.RoundOpen
		}
		if s.Round != r+1 || s.Epoch != r/len(cfg.Members)+1 || s.InEpoch != r%len(cfg.Members)+1 || !s.Deadline.Equal(cfg.Deadline(r+1)) ||
			!s.Due.Equal(due) || !s.Pot.Equal(round.Pot) || s.Status != status || s.Behind != behind[r] || s.Missing.Units().Cmp(missing[r]) != 0 {
			return fmt.Errorf("round %d: %+v, want status %s, %d behind by %s", r+1, s, status, behind[r], missing[r])
		}
		// The reminders sum to the open round's missing dues, unless a member owes more than
		// the rounds' contributions (dues accelerated, the external hui's interests): the
		// reminders then ask for those too.
		plain := true
		for _, p := range c.Positions() {
			plain = plain && (c.Ended() || p.Due.Equal(due))
		}
		if r+1 == round.Round && !c.Halted() && plain {
			rs := c.Reminders()
			sum := new(big.Int)
			for _, x := range rs {
				sum.Add(sum, x.Missing.Units())
			}
			if len(rs) != s.Behind || sum.Cmp(s.Missing.Units()) != 0 {
				return fmt.Errorf("round %d: %+v, reminders %+v", r+1, s, rs)
			}
		}
		if r < len(rounds) {
			if res := rounds[r]; s.Winner != res.Winner || s.Method != res.Method || !s.Bid.Equal(res.Bid) || !s.Winnings.Equal(res.Winnings) {
				return fmt.Errorf("round %d: %+v, result %+v", r+1, s, res)
			}
		} else if s.Winner != "" || s.Bid.IsValid() || s.Winnings.IsValid() {
			return fmt.Errorf("round %d not closed: %+v", r+1, s)
		}
	}
	return nil
}

// TestRapidReminders: in random circles after random commands, the reminders are the
// members who owe, and paying what a reminder says is missing puts the member in good
// standing with a zero balance (a debtor: the pots it held, released) and clears its
// debt, while one minor unit less does not; after the end it is the catch-up, and one
// unit more is refused. The schedule agrees with every member's schedule, and these with the positions.
func TestRapidReminders(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.Config().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for i, op := range roscatest.Ops(cfg, 30).Draw(t, "ops") {
			_ = roscatest.Apply(c, op)
			if err := checkReminders(c); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if err := checkSchedule(c); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
		}
		if c.Halted() {
			return
		}
		unit := cfg.Asset.MinorUnit()
		for _, r := range c.Reminders() {
			d := c.Clone()
			if err := d.Contribute(d.Now(), r.Member, r.Missing); err != nil {
				t.Fatal(err)
			}
			if c.Ended() {
				// The catch-up: paying what is missing clears the balance, and no more is taken.
				if p, _ := d.Position(r.Member); !p.Balance.IsZero() {
					t.Fatalf("%s caught up %s: %+v", r.Member, r.Missing, p)
				}
				more, _ := r.Missing.Add(unit)
				if err := c.Clone().Contribute(c.Now(), r.Member, more); !errors.Is(err, rosca.ErrInvalidAmount) {
					t.Fatalf("%s paid %s, above the %s missing: %v", r.Member, more, r.Missing, err)
				}
				continue
			}
			// The balance is then zero, or for a debtor the pots it held, released to it.
			before, _ := c.Position(r.Member)
			p, _ := d.Position(r.Member)
			if (!p.GoodStanding && !p.Removed) || p.Debt || !p.Balance.Equal(before.Held) { // removed past its notice: paying does not reinstate
				t.Fatalf("%s paid the %s missing: %+v", r.Member, r.Missing, p)
			}
			for _, s := range d.Reminders() {
				if s.Member == r.Member {
					t.Fatalf("%s still reminded: %+v", r.Member, s)
				}
			}
			less, _ := r.Missing.Sub(unit)
			if less.IsZero() {
				continue
			}
			d = c.Clone()
			if err := d.Contribute(d.Now(), r.Member, less); err != nil {
				t.Fatal(err)
			}
			p, _ = d.Position(r.Member)
			if p.Balance.Sign() >= 0 || (!r.Debt && p.GoodStanding) || (r.Debt && !p.Debt) {
				t.Fatalf("%s paid one unit less than the %s missing: %+v", r.Member, r.Missing, p)
			}
		}
	})
}

// The figures of a small circle by hand: C = 1000 wei; m0 pays 1000, m1 400, m2 2500.
func TestScheduleFigures(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	ok(t, c.Contribute(at(0), "m0", wei(1000)))
	ok(t, c.Contribute(at(0), "m1", wei(400)))
	ok(t, c.Contribute(at(0), "m2", wei(2500)))
	want := []rosca.Reminder{{Member: "m1", Seat: 1, Round: 1, Deadline: at(1), Due: wei(1000), Paid: wei(400), Missing: wei(600)}}
	if d := cmp.Diff(want, c.Reminders(), amountCmp); d != "" {
		t.Fatalf("reminders (-want +got):\n%s", d)
	}
	// Round 1: m1 short by 600. Round 2 (2000 due): m0 by 1000, m1 by 1600. Round 3 (3000):
	// m0 2000, m1 2600, m2 500.
	type fig struct {
		status  rosca.RoundStatus
		behind  int
		missing int64
	}
	var got []fig
	for _, s := range c.Schedule() {
		got = append(got, fig{s.Status, s.Behind, units(s.Missing)})
	}
	if d := cmp.Diff([]fig{{rosca.RoundOpen, 1, 600}, {rosca.RoundUpcoming, 2, 2600}, {rosca.RoundUpcoming, 3, 5100}}, got,
		cmp.AllowUnexported(fig{})); d != "" {
		t.Fatalf("schedule (-want +got):\n%s", d)
	}
	ds, err := c.ScheduleOf("m2")
	ok(t, err)
	var miss []int64
	for _, d := range ds {
		miss = append(miss, units(d.Missing))
	}
	if d := cmp.Diff([]int64{0, 0, 500}, miss); d != "" || units(ds[0].Paid) != 2500 {
		t.Fatalf("m2's schedule (-want +got):\n%s", d)
	}
	// Round 1 closes (nobody bids: m0 or m2 is drawn in good standing); m1 still owes 600
	// and now the 1000 of round 2 too.
	r1, err := c.CloseRound(at(1))
	ok(t, err)
	if r1.Debt || r1.Winner == "m1" {
		t.Fatalf("round 1 %+v", r1)
	}
	s := c.Schedule()
	if s[0].Status != rosca.RoundClosed || s[0].Winner != r1.Winner || s[1].Status != rosca.RoundOpen || !s[0].Winnings.Equal(r1.Winnings) {
		t.Fatalf("schedule after round 1 %+v", s[:2])
	}
	// Without a bid there is no discount: m1 owes 1600, and m0 1000 unless it won.
	var m1 rosca.Reminder
	for _, r := range c.Reminders() {
		if r.Member == "m1" {
			m1 = r
		}
		if r.Member == "m0" && (r1.Winner == "m0" || units(r.Missing) != 1000) {
			t.Fatalf("m0's reminder %+v after round 1 %+v", r, r1)
		}
	}
	if units(m1.Missing) != 1600 || m1.Round != 2 || units(m1.Due) != 2000 {
		t.Fatalf("m1's reminder after round 1 %+v", m1)
	}
	if err := checkReminders(c); err != nil {
		t.Fatal(err)
	}
	if err := checkSchedule(c); err != nil {
		t.Fatal(err)
	}
}

// A debtor's reminder covers the pot it holds: paying it clears the debt.
func TestReminderDebtor(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Lottery, 2, ether, 2))
	r1, err := c.CloseRound(at(1))
	ok(t, err)
	rs := c.Reminders()
	var mine rosca.Reminder
	for _, r := range rs {
		if r.Member == r1.Winner {
			mine = r
		}
	}
	// It owes round 2's dues (2 C, withheld after the close) and holds RF(2 C) = 1.996 C
	// against a credit of 1.996 C: Paid 0, Missing 2 C.
	if !mine.Debt || !mine.Missing.Equal(wei(2*ether)) || !mine.Paid.IsZero() || mine.Round != 2 {
		t.Fatalf("the debtor's reminder %+v", mine)
	}
	ok(t, c.Contribute(at(1), r1.Winner, mine.Missing))
	// The debt clears and the pot is released to its balance.
	if p := pos(t, c, string(r1.Winner)); p.Debt || !p.GoodStanding || !p.Balance.Equal(milliC(1996)) {
		t.Fatalf("after paying %+v", p)
	}
	if err := checkReminders(c); err != nil {
		t.Fatal(err)
	}
}

// After the end the members who still owe are listed; after the halt nobody is, and the
// rounds not closed are halted.
func TestRemindersEndAndHalt(t *testing.T) {
	c := lossCircle(t, rosca.LossProRata)
	want := []rosca.Reminder{{Member: "m0", Seat: 0, Round: 3, Deadline: at(3), Due: wei(3000), Paid: wei(2000), Missing: wei(1000)}}
	if d := cmp.Diff(want, c.Reminders(), amountCmp); d != "" {
		t.Fatalf("reminders after the end (-want +got):\n%s", d)
	}
	for _, s := range c.Schedule() {
		if s.Status != rosca.RoundClosed {
			t.Fatalf("after the end %+v", s)
		}
	}
	c = mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	ok(t, c.Contribute(at(0), "m0", wei(1000)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	ok(t, c.EnableHalt(at(1), "op"))
	_, err = c.ActivateHalt(at(1), "m0")
	ok(t, err)
	if rs := c.Reminders(); rs != nil {
		t.Fatalf("reminders after the halt %+v", rs)
	}
	var st []rosca.RoundStatus
	for _, s := range c.Schedule() {
		st = append(st, s.Status)
	}
	if d := cmp.Diff([]rosca.RoundStatus{rosca.RoundClosed, rosca.RoundHalted, rosca.RoundHalted}, st); d != "" {
		t.Fatalf("statuses after the halt (-want +got):\n%s", d)
	}
	if err := checkSchedule(c); err != nil {
		t.Fatal(err)
	}
}

// ScheduleOf's errors.
func TestScheduleErrors(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	_, err := c.ScheduleOf("stranger")
	if e, isErr := errors.AsType[*rosca.Error](err); !isErr || !errors.Is(err, rosca.ErrNotMember) || e.Account != "stranger" {
		t.Fatalf("stranger: %v", err)
	}
	var zero rosca.Circle
	if _, err := zero.ScheduleOf("m0"); !errors.Is(err, rosca.ErrUninitialized) {
		t.Fatalf("zero: %v", err)
	}
	// A contribution too large to divide by C in 64 bits: the buckets still hold.
	cfg := weiCfg(rosca.Bidding, 2, 1, 20)
	big := token.ETH().FromUint128Units(1, 0) // 2^64 wei
	cfg.Contribution = big
	c = mustNew(t, cfg)
	ok(t, c.Contribute(at(0), "m0", big))
	if s := c.Schedule(); s[0].Behind != 1 || s[1].Behind != 2 {
		t.Fatalf("schedule %+v", s)
	}
	if err := checkSchedule(c); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkReminders and BenchmarkSchedule: the open round of a circle in which every
// other member has paid, at 255 and 10,000 members (O(members), no log scan).
func BenchmarkReminders(b *testing.B) {
	for _, n := range []int{255, 10_000} {
		c := halfPaid(b, n)
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(c.Reminders()) != n/2 {
					b.Fatal("reminders")
				}
			}
		})
	}
}

func BenchmarkSchedule(b *testing.B) {
	for _, n := range []int{255, 10_000} {
		c := halfPaid(b, n)
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if len(c.Schedule()) != n {
					b.Fatal("schedule")
				}
			}
		})
	}
}

func halfPaid(b *testing.B, n int) *rosca.Circle {
	cfg := benchConfig(n)
	c := mustNew(b, cfg)
	for i, m := range cfg.Members {
		if i%2 == 0 {
			ok(b, c.Contribute(t0, m, cfg.Contribution))
		}
	}
	return c
}
