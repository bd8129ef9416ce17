package rosca_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
	"github.com/trustcircle/trustcircle/token"
)

// mixedOp draws a command of which half are deterrent or membership commands.
func mixedOp(cfg rosca.Config) *rapid.Generator[roscatest.Op] {
	return rapid.OneOf(roscatest.OpFor(cfg), roscatest.DeterrentOpFor(cfg))
}

// TestRapidDeterrents drives random circles with deterrents, after a random number of
// rounds with some dues unpaid, by random commands, half of them deterrent and membership
// commands (collateral, pledges and guarantors' payments, bounties and recoveries,
// accelerations, removals, transfers and substitutions), valid and invalid. After every step: the audit and the independent checks of roscatest.Check
// (the conservation of money with the deterrents' flows, pledges within their limits, the
// collateral held); a rejected command changed nothing; an accepted one appended events
// that round-trip through JSON; and the log replays to the same circle (after every change
// of seat and every fourth step; at the end, through JSON lines too); the same command on
// a clone first leaves the circle as it was.
func TestRapidDeterrents(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.DeterrentConfig().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		// A prefix of rounds, some dues unpaid, some collateral posted, winners withdrawing,
		// to reach debts, prizes in arrears and (often) the end.
		rounds := rapid.OneOf(rapid.IntRange(0, cfg.Rounds()), rapid.Just(cfg.Rounds())).Draw(t, "rounds")
		quit := map[token.Account]bool{} // winners who withdrew: they seldom pay again
		for range rounds {
			now := c.Now()
			for _, p := range c.Positions() {
				if pays := rapid.IntRange(0, 3).Draw(t, "pays"); pays == 3 || pays != 0 && !quit[p.Member] {
					_ = c.Contribute(now, p.Member, cfg.Contribution)
				}
				if rapid.Bool().Draw(t, "posts") {
					_ = roscatest.Apply(c, roscatest.Op{Kind: roscatest.OpPostCollateral, Who: p.Member, Fit: true})
				}
			}
			r, err := c.CloseRound(c.Round().Deadline)
			if err != nil {
				t.Fatalf("close: %v", err)
			}
			if rapid.Bool().Draw(t, "winner_withdraws") { // and may then stop paying
				_, err := c.Withdraw(c.Now(), r.Winner)
				quit[r.Winner] = err == nil
			}
		}
		if err := roscatest.Check(c); err != nil {
			t.Fatalf("after %d rounds: %v", rounds, err)
		}
		steps := rapid.IntRange(0, 12).Draw(t, "steps")
		for k := range steps {
			op := mixedOp(cfg).Draw(t, "op")
			before := roscatest.Fingerprint(c)
			last := c.LastSeq()
			if rapid.Bool().Draw(t, "on_clone") { // a clone's commands leave the circle as it was
				_ = roscatest.Apply(c.Clone(), op)
				if err := roscatest.CheckUnchanged(before, c); err != nil {
					t.Fatalf("%v on a clone: %v", op, err)
				}
			}
			err := roscatest.Apply(c, op)
			if err != nil {
				if err := roscatest.CheckUnchanged(before, c); err != nil {
					t.Fatalf("%v: %v", op, err)
				}
			} else {
				if c.LastSeq() != last+1 {
					t.Fatalf("%v: accepted with %d events", op, c.LastSeq()-last)
				}
				for e := range c.EventsAfter(last) {
					var back rosca.Event
					if err := json.Unmarshal(e.AppendJSON(nil), &back); err != nil || !back.Equal(e) {
						t.Fatalf("%v: event %+v does not round-trip: %v", op, e, err)
					}
				}
			}
			if err := roscatest.Check(c); err != nil {
				t.Fatalf("after %v: %v", op, err)
			}
			// Replay after a change of seat, and every few steps (at a cost linear in the log).
			if moved := err == nil && (op.Kind == roscatest.OpTransfer || op.Kind == roscatest.OpSubstitute); moved || k%4 == 3 {
				if err := roscatest.CheckReplay(c); err != nil {
					t.Fatalf("after %v: %v", op, err)
				}
			}
		}
		if err := roscatest.CheckReplay(c); err != nil {
			t.Fatal(err)
		}
		checkReplayJSON(t, c)
	})
}

// checkReplayJSON checks that c's log, through JSON lines and the Decoder, replays to the
// same circle (its snapshot).
func checkReplayJSON(t *rapid.T, c *rosca.Circle) {
	t.Helper()
	a, _ := json.Marshal(c.Snapshot())
	var lines []byte
	for e := range c.EventsAfter(0) {
		lines = append(e.AppendJSON(lines), '\n')
	}
	d := rosca.NewDecoder(bytes.NewReader(lines))
	r, err := rosca.Replay(c.Config(), d.Events())
	if err != nil || d.Err() != nil {
		t.Fatalf("replay of the JSON lines: %v, %v", err, d.Err())
	}
	if b, _ := json.Marshal(r.Snapshot()); !bytes.Equal(a, b) {
		t.Fatalf("replay of the JSON lines differs:\n%s\n%s", a, b)
	}
}

// TestRapidTransferReplay: after a seat passes by TransferSeat, the events before the
// transfer are as they were, naming the old account; the events after it name the new one
// and never the old; and the replayed log gives the same events and the same circle.
func TestRapidTransferReplay(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.DeterrentConfig().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		flow := func(label string) {
			for _, op := range rapid.SliceOfN(mixedOp(cfg), 0, 12).Draw(t, label) {
				if op.Kind == roscatest.OpTransfer || op.Kind == roscatest.OpSubstitute {
					continue // one change of seat: the one under test
				}
				_ = roscatest.Apply(c, op)
			}
		}
		flow("before")
		var others []token.Account
		for _, m := range cfg.Members {
			if m != cfg.Foreperson {
				others = append(others, m)
			}
		}
		from := rapid.SampledFrom(others).Draw(t, "from")
		due, _, err := c.CollateralDue(from)
		if err != nil {
			t.Fatal(err)
		}
		settlement := cfg.Asset.FromInt64Units(rapid.Int64Range(0, 100).Draw(t, "settlement"))
		old := c.Events()
		if err := c.TransferSeat(c.Now(), from, "new0", settlement, due); err != nil {
			if c.Ended() || c.Halted() {
				return // no seat passes then
			}
			t.Fatalf("TransferSeat(%s): %v", from, err)
		}
		moved := c.LastSeq()
		flow("after")
		if err := roscatest.Check(c); err != nil {
			t.Fatal(err)
		}
		events := c.Events()
		for i, e := range events {
			switch {
			case i < len(old) && !e.Equal(old[i]):
				t.Fatalf("event %d changed by the transfer:\n%+v\n%+v", i+1, old[i], e)
			case e.Seq == moved && (e.Kind != rosca.EventSeatTransferred || e.Member != from || e.Party != "new0" ||
				!e.Amount.Equal(settlement) || !e.Collateral.Equal(due)):
				t.Fatalf("transfer event %+v", e)
			case e.Seq > moved && (e.Member == from || e.Result != nil && e.Result.Winner == from):
				// (from may still act as another's guarantor or collector: Party)
				t.Fatalf("event %+v after the transfer names %s", e, from)
			}
		}
		if _, err := c.Position(from); !errors.Is(err, rosca.ErrNotMember) {
			t.Fatalf("%s still a member: %v", from, err)
		}
		r, err := rosca.Replay(cfg, c.EventsAfter(0))
		if err != nil {
			t.Fatalf("replay: %v", err)
		}
		if !slices.EqualFunc(events, r.Events(), rosca.Event.Equal) {
			t.Fatalf("replayed events differ:\n%+v\n%+v", events, r.Events())
		}
		if !reflectSnapshotsEqual(c, r) {
			t.Fatal("replay differs")
		}
	})
}

// runToEnd runs a circle of cfg to its end with random payments: every member pays each
// round's contribution, or not (a defaulter), random collateral is posted, pledges made;
// rounds close at their deadlines.
func runToEnd(t *rapid.T, cfg rosca.Config) *rosca.Circle {
	c, err := rosca.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for c.Round().Round <= cfg.Rounds() && !c.Ended() {
		now := c.Now()
		for _, m := range c.Positions() {
			if rapid.IntRange(0, 4).Draw(t, "skip") != 0 {
				_ = c.Contribute(now, m.Member, cfg.Contribution)
			}
			if due, held, _ := c.CollateralDue(m.Member); due.Cmp(held) > 0 && rapid.Bool().Draw(t, "collateral") {
				left, _ := due.Sub(held)
				_ = c.PostCollateral(now, m.Member, left)
			}
		}
		if rapid.IntRange(0, 3).Draw(t, "pledge") == 0 {
			m := rapid.SampledFrom(cfg.Members).Draw(t, "pledged")
			limit, _ := cfg.Contribution.Mul(int64(rapid.IntRange(1, 3).Draw(t, "limit")))
			_ = c.Pledge(now, "g0", m, limit)
		}
		if _, err := c.CloseRound(c.Round().Deadline); err != nil {
			t.Fatalf("close: %v", err)
		}
	}
	return c
}

// TestRapidWithdrawalsAnyOrder: after the end, every claim (each member's balance, the
// fees, the remainder, the platform's fee) is paid in full in any order, before and after
// the claims written off to cover the defaulters' shortfall are restored (collateral
// applied, guarantors' payments, recoveries with their bounties, catch-ups): random
// permutations of the claims and of the restorations, followed by a last sweep of the
// claims, pay every claimant the same in total, and every restoration the same.
func TestRapidWithdrawalsAnyOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.DeterrentConfig().Draw(t, "config")
		cfg.Epochs = 1
		// Late fees paid credit their recipients, who may be in debt themselves, so what a
		// later payment for a debtor must bring depends on which payments came first: no
		// late fees here (TestRapidDeterrents drives them).
		cfg.Rules.Deterrents.LateFee = rosca.LateFee{}
		c := runToEnd(t, cfg)
		if !c.Ended() {
			t.Fatal("not ended")
		}
		now := c.Now()
		fromFees := cfg.Rules.Deterrents.Bounty.Pool == rosca.BountyFromFees
		var steps []string // claimants, then restorations "kind member"
		for _, m := range cfg.Members {
			steps = append(steps, m.String())
		}
		steps = append(steps, "fees", "remainder", "platform")
		claims := len(steps)
		for _, p := range c.Positions() {
			if owed, _ := c.Owed(p.Member); owed.Sign() <= 0 {
				continue
			}
			kind := rapid.SampledFrom([]string{"none", "collateral", "guarantor", "recover", "catch_up"}).Draw(t, "restore")
			if kind == "recover" {
				if c.PostBounty(now, cfg.Foreperson, p.Member) != nil {
					continue
				}
				if fromFees { // the fee reserve pays the bounty as it stands: recover first
					_, _ = c.Recover(now, "x0", p.Member, mustOwed(t, c, p.Member))
					continue
				}
			}
			if kind != "none" {
				steps = append(steps, kind+" "+p.Member.String())
			}
		}
		run := func(order []string) map[string]token.Amount {
			d := c.Clone()
			out := map[string]token.Amount{}
			add := func(k string, x token.Amount) {
				if x.IsValid() {
					if y, ok := out[k]; ok {
						x, _ = x.Add(y)
					}
					out[k] = x
				}
			}
			for _, step := range append(order, steps[:claims]...) { // a last sweep of the claims
				x, err := runStep(d, step, now)
				if err != nil && !errors.Is(err, rosca.ErrNothingToWithdraw) && !errors.Is(err, rosca.ErrNothingToPay) &&
					!errors.Is(err, rosca.ErrNoCollateral) && !errors.Is(err, rosca.ErrUnknownGuarantor) {
					t.Fatalf("order %v: %s: %v", order, step, err)
				}
				add(step, x)
			}
			if err := roscatest.Check(d); err != nil {
				t.Fatalf("order %v: %v", order, err)
			}
			tot := d.Totals() // after the sweep nothing is claimed
			if tot.FeesReserved.Sign() != 0 || tot.Remainder.Sign() != 0 || tot.PlatformFees.Sign() != 0 {
				t.Fatalf("order %v: claims left after the sweep: %+v", order, tot)
			}
			for _, p := range d.Positions() {
				if p.Balance.Sign() > 0 {
					t.Fatalf("order %v: %s left with %s after the sweep", order, p.Member, p.Balance)
				}
			}
			return out
		}
		// What is paid for a member (its collateral, its guarantor, a recovery, a catch-up)
		// depends on what it owes when it comes, which other payments (late fees credited to
		// it) may already have settled: each claimant's withdrawals net of what was paid for it
		// are the same in any order, and so is the sum of the restorations.
		net := func(out map[string]token.Amount) (map[string]*big.Int, *big.Int) {
			m, restored := map[string]*big.Int{}, new(big.Int)
			for _, k := range steps[:claims] {
				m[k] = new(big.Int)
				if x, ok := out[k]; ok {
					m[k].Set(x.Units())
				}
			}
			for _, k := range steps[claims:] {
				x, ok := out[k]
				if !ok {
					continue
				}
				_, member, _ := strings.Cut(k, " ")
				m[member].Sub(m[member], x.Units())
				restored.Add(restored, x.Units())
			}
			return m, restored
		}
		want, wantR := net(run(append(slices.Clone(steps[claims:]), steps[:claims]...))) // restorations first
		perm := rapid.Permutation(steps).Draw(t, "order")
		got, gotR := net(run(perm))
		for _, k := range steps[:claims] {
			if got[k].Cmp(want[k]) != 0 {
				t.Fatalf("%s: %s net in the order %v, %s with the restorations first", k, got[k], perm, want[k])
			}
		}
		if gotR.Cmp(wantR) != 0 {
			t.Fatalf("restorations %s in the order %v, %s first", gotR, perm, wantR)
		}
	})
}

func mustOwed(t *rapid.T, c *rosca.Circle, m token.Account) token.Amount {
	owed, err := c.Owed(m)
	if err != nil {
		t.Fatal(err)
	}
	return owed
}

// runStep runs a step of TestRapidWithdrawalsAnyOrder on c at now: a claim paid, or a
// restoration of a member's debt ("kind member"), and returns the amount paid.
func runStep(c *rosca.Circle, step string, now time.Time) (token.Amount, error) {
	cfg := c.Config()
	switch step {
	case "fees":
		return c.RetrieveFees(now, cfg.Foreperson)
	case "remainder":
		x, _, err := c.DisposeRemainder(now, cfg.Foreperson)
		return x, err
	case "platform":
		return c.RetrievePlatformFee(now, cfg.Operator)
	}
	kind, member, restore := strings.Cut(step, " ")
	if !restore {
		want, _ := c.Balance(token.Account(step))
		x, err := c.Withdraw(now, token.Account(step))
		if err == nil && !x.Equal(want) {
			return x, errors.New("withdrew " + x.String() + " of a balance of " + want.String())
		}
		return x, err
	}
	m := token.Account(member)
	owed, _ := c.Owed(m)
	if owed.Sign() <= 0 {
		return token.Amount{}, nil // paid up already
	}
	switch kind {
	case "collateral":
		return c.ApplyCollateral(now, cfg.Foreperson, m)
	case "guarantor": // g0 pays what m owes, within what its pledge for m has left
		ps, _ := c.Pledges(m)
		for _, p := range ps {
			if p.Guarantor != "g0" || p.Lapsed {
				continue
			}
			left, _ := p.Limit.Sub(p.Paid)
			if left.Sign() <= 0 {
				return token.Amount{}, nil
			}
			if left.Cmp(owed) > 0 {
				left = owed
			}
			return left, c.PayAsGuarantor(now, "g0", m, left)
		}
		return token.Amount{}, nil
	case "recover":
		return c.Recover(now, "x0", m, owed)
	}
	return owed, c.Contribute(now, m, owed)
}

// TestRapidReinstatement: a member removed for its arrears that pays them within the
// notice is reinstated (not removed, in good standing as its dues are paid); one that pays
// part of them, or pays after the notice, stays removed, and may then be substituted.
func TestRapidReinstatement(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(3, 5).Draw(t, "members")
		cfg := weiCfg(rosca.FixedOrder, n, rapid.Int64Range(1, 1000).Draw(t, "contribution"), 0)
		notice := time.Duration(rapid.IntRange(0, 3).Draw(t, "notice")) * hour
		cfg.Rules.Deterrents = rosca.Deterrents{RemoveAfter: rapid.IntRange(1, 2).Draw(t, "remove_after"),
			Notice: rosca.Duration(notice), Deduction: token.MustRatio(rapid.Uint64Range(0, 99).Draw(t, "deduction"), 100)}
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ok := func(err error) {
			if err != nil {
				t.Helper()
				t.Fatal(err)
			}
		}
		late := cfg.Members[rapid.IntRange(2, n-1).Draw(t, "seat")] // wins none of the first two rounds
		for r := 1; r <= cfg.Rules.Deterrents.RemoveAfter; r++ {
			for _, m := range cfg.Members {
				if m != late {
					ok(c.Contribute(c.Now(), m, cfg.Contribution))
				}
			}
			_, err := c.CloseRound(c.Round().Deadline) // arrears beyond the open round's
			ok(err)
		}
		removed := c.Now()
		ok(c.Remove(removed, "m0", late))
		if p, _ := c.Position(late); !p.Removed || p.GoodStanding {
			t.Fatalf("removed: %+v", p)
		}
		before := roscatest.Fingerprint(c)
		if _, err := c.Substitute(removed, "m0", late, "new0", wei(0)); !errors.Is(err, rosca.ErrInNotice) {
			t.Fatalf("substituted within the notice: %v", err)
		}
		if err := roscatest.CheckUnchanged(before, c); err != nil {
			t.Fatal(err)
		}
		owed, _ := c.Owed(late)
		if owed.Sign() <= 0 {
			t.Fatalf("%s owes %s", late, owed)
		}
		delay := time.Duration(rapid.IntRange(0, 5*60).Draw(t, "delay_minutes")) * time.Minute
		if u := units(owed); u > 1 && rapid.Bool().Draw(t, "partial") {
			ok(c.Contribute(removed, late, wei(u-1))) // part of the arrears: still removed
			if p, _ := c.Position(late); !p.Removed {
				t.Fatalf("reinstated on a partial payment: %+v", p)
			}
			owed = wei(1)
		}
		ok(c.Contribute(removed.Add(delay), late, owed))
		p, _ := c.Position(late)
		within := delay <= notice
		if p.Removed == within || p.GoodStanding != within {
			t.Fatalf("paid %v after a removal with a notice of %v: %+v", delay, notice, p)
		}
		if err := roscatest.Check(c); err != nil {
			t.Fatal(err)
		}
		// Reinstated, it may leave; still removed, the notice has passed: either way a
		// substitution takes its seat, not removed.
		fp, _ := c.Position("m0")
		refund, err := c.Substitute(c.Now(), "m0", late, "new0", wei(0))
		ok(err)
		// The refund is the net contributions less the deduction, rounded down, which
		// the foreperson is credited.
		net := units(p.Contributed) - units(p.Withdrawn)
		ded := net * int64(cfg.Rules.Deterrents.Deduction.Num()) / int64(cfg.Rules.Deterrents.Deduction.Den())
		if fp2, _ := c.Position("m0"); units(refund) != net-ded || units(fp2.Won)-units(fp.Won) != ded {
			t.Fatalf("refund %s of net %d, deduction %d; foreperson won %s then %s", refund, net, ded, fp.Won, fp2.Won)
		}
		if q, err := c.Position("new0"); err != nil || q.Removed || q.Seat != p.Seat || !q.Contributed.Equal(p.Contributed) {
			t.Fatalf("substituted: %+v, %v (was %+v)", q, err, p)
		}
		if err := roscatest.Check(c); err != nil {
			t.Fatal(err)
		}
	})
}

// Accelerated dues pass with a seat: after TransferSeat the incoming member owes them, and
// its position and its statement agree (once they did not: TestRapidTransferReplay found
// a statement that kept the dues a transfer had ended).
func TestTransferKeepsAccelerationInStatement(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 3, 10, 0)
	cfg.Foreperson = "m2"
	cfg.Rules.Deterrents = rosca.Deterrents{Accelerate: true}
	c := mustNew(t, cfg)
	r, err := c.CloseRound(at(1)) // nobody paid: the delinquent draw gives m0 the pot
	ok(t, err)
	if r.Winner != "m0" {
		t.Fatalf("winner %s", r.Winner)
	}
	_, err = c.Accelerate(at(1), "m2", "m0")
	ok(t, err)
	ok(t, roscatest.Check(c))
	ok(t, c.TransferSeat(at(1), "m0", "new0", wei(0), wei(0)))
	p, err := c.Position("new0")
	ok(t, err)
	s, err := c.Statement("new0")
	ok(t, err)
	if !p.Accelerated || units(p.Due) != 30 || !s.Totals.Due.Equal(p.Due) || !s.Totals.Balance.Equal(p.Balance) {
		t.Fatalf("statement %+v, position %+v", s.Totals, p)
	}
	ok(t, roscatest.Check(c))
}
