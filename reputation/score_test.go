package reputation_test

import (
	"iter"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/reputation"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// deadline returns the deadline of round r of the test circles.
func deadline(r int) time.Time { return march1.Add(time.Duration(r) * week) }

// recordOf returns a's record in a circle of members run with the steps.
func recordOf(t *testing.T, a token.Account, members []token.Account, steps ...step) reputation.Record {
	t.Helper()
	r := compute(t, a, nil, logOf("c", run(t, cfg(members...), steps...)))
	return r.Record
}

// TestPaymentRules: on time at the deadline, a nanosecond late is a day, lateness rounds up,
// a round never paid is missed, and only closed rounds are due.
func TestPaymentRules(t *testing.T) {
	ab := []token.Account{"a", "b"}
	for _, c := range []struct {
		name  string
		steps []step
		want  reputation.Record
	}{
		{"at the deadline", []step{pay(deadline(1), "b"), closeAt(deadline(1))},
			reputation.Record{Rounds: 1, OnTime: 1}},
		{"a nanosecond late", []step{closeAt(deadline(1)), pay(deadline(1).Add(1), "b")},
			reputation.Record{Rounds: 1, Late: 1, DaysLate: 1, CappedDaysLate: 1}},
		{"a day and a second late", []step{closeAt(deadline(1)), pay(deadline(1).Add(day+time.Second), "b")},
			reputation.Record{Rounds: 1, Late: 1, DaysLate: 2, CappedDaysLate: 2}},
		{"exactly two days late", []step{closeAt(deadline(1)), pay(deadline(1).Add(2*day), "b")},
			reputation.Record{Rounds: 1, Late: 1, DaysLate: 2, CappedDaysLate: 2}},
		{"40 days late counts 30", []step{closeAt(deadline(1)), pay(deadline(1).Add(40*day), "b")},
			reputation.Record{Rounds: 1, Late: 1, DaysLate: 40, CappedDaysLate: 30}},
		{"missed", []step{closeAt(deadline(1))},
			reputation.Record{Rounds: 1, Missed: 1}},
		{"not yet due", []step{},
			reputation.Record{}},
		{"a partial payment does not pay", []step{{At: march1, Member: "b", Amount: "9.99"}, closeAt(deadline(1))},
			reputation.Record{Rounds: 1, Missed: 1}},
		{"a prepayment pays ahead", []step{{At: march1, Member: "b", Amount: "20"}, closeAt(deadline(1)), pay(deadline(1), "a"), closeAt(deadline(2))},
			reputation.Record{Rounds: 2, OnTime: 2, Completed: 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if diff := cmp.Diff(c.want, recordOf(t, "b", ab, c.steps...)); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWinningsPayAhead: a winner's pot left in the circle pays its later rounds, and a
// withdrawal of it takes that back.
func TestWinningsPayAhead(t *testing.T) {
	abc := []token.Account{"a", "b", "c"}
	base := []step{pay(march1, "a"), pay(march1, "b"), pay(march1, "c"), closeAt(deadline(1))} // a wins 30.00
	rest := []step{pay(deadline(2), "b"), pay(deadline(2), "c"), closeAt(deadline(2)),
		pay(deadline(3), "b"), pay(deadline(3), "c"), closeAt(deadline(3))}
	got := recordOf(t, "a", abc, slices.Concat(base, rest)...)
	if want := (reputation.Record{Rounds: 3, OnTime: 3, Completed: 1}); got != want {
		t.Errorf("pot left in the circle: %+v", got)
	}
	withdraw := step{At: deadline(1), Member: "a", Withdraw: true} // takes 40 - 20 = 20.00
	got = recordOf(t, "a", abc, slices.Concat(base, []step{withdraw}, rest)...)
	if want := (reputation.Record{Rounds: 3, OnTime: 2, Missed: 1}); got != want {
		t.Errorf("pot withdrawn: %+v", got)
	}
}

// TestDefaultAndRecovery: a pot won with the round's dues unpaid is a default; its pot does
// not pay ahead until the dues are paid, which is a recovery.
func TestDefaultAndRecovery(t *testing.T) {
	ab := []token.Account{"a", "b"}
	// a wins round 1 without having paid: a default; it pays 10.00 on 10 March.
	steps := []step{pay(march1, "b"), closeAt(deadline(1)), pay(deadline(1).Add(2*day), "a"),
		pay(deadline(2), "b"), closeAt(deadline(2))}
	got := recordOf(t, "a", ab, steps...)
	// Round 1 paid 2 days late (a recovery), then the released pot of 20.00 pays round 2.
	if want := (reputation.Record{Rounds: 2, OnTime: 1, Late: 1, DaysLate: 2, CappedDaysLate: 2,
		Defaults: 1, Recoveries: 1, Completed: 1}); got != want {
		t.Errorf("recovered: %+v", got)
	}
	// Never paid: the pot stays held, both rounds are missed.
	got = recordOf(t, "a", ab, pay(march1, "b"), closeAt(deadline(1)), pay(deadline(2), "b"), closeAt(deadline(2)))
	if want := (reputation.Record{Rounds: 2, Missed: 2, Defaults: 1}); got != want {
		t.Errorf("not recovered: %+v", got)
	}
	r := compute(t, "a", nil, logOf("c", run(t, cfg(ab...), steps...)))
	var pts = map[string]*big.Rat{}
	for _, term := range r.Terms {
		pts[term.Name] = term.Points
	}
	if pts[reputation.TermDefaults].Cmp(big.NewRat(-100, 1)) != 0 || pts[reputation.TermRecoveries].Cmp(big.NewRat(60, 1)) != 0 {
		t.Errorf("terms: %s", r.Explain())
	}
}

// TestCircles: a circle the account was not in counts for nothing, a running circle counts
// its closed rounds and is not completed, a halted one is never completed, and the records
// sum over circles listed by id.
func TestCircles(t *testing.T) {
	ab := cfg("a", "b")
	full := run(t, ab, pay(march1, "a"), pay(march1, "b"), closeAt(deadline(1)), pay(deadline(2), "b"), closeAt(deadline(2)))
	running := run(t, ab, pay(march1, "a"), pay(march1, "b"), closeAt(deadline(1)))
	other := run(t, cfg("x", "y"), pay(march1, "x"), closeAt(deadline(1)))
	halted := run(t, ab, pay(march1, "a"), pay(march1, "b"), closeAt(deadline(1)))
	ok(t, halted.EnableHalt(deadline(1), "op"))
	_, err := halted.ActivateHalt(deadline(1), "a")
	ok(t, err)
	r := compute(t, "b", nil, logOf("z-full", full), logOf("running", running), logOf("other", other), logOf("halted", halted))
	ids := []string{}
	for _, c := range r.Circles {
		ids = append(ids, c.Circle)
	}
	if !slices.Equal(ids, []string{"halted", "running", "z-full"}) {
		t.Errorf("circles %v", ids)
	}
	if want := (reputation.Record{Rounds: 4, OnTime: 4, Completed: 1}); r.Record != want {
		t.Errorf("record %+v", r.Record)
	}
	if c := r.Circles[0]; !c.Halted || c.Ended || c.Completed != 0 {
		t.Errorf("halted %+v", c)
	}
	if c := r.Circles[1]; c.Ended || c.Closed != 1 || c.Completed != 0 {
		t.Errorf("running %+v", c)
	}
	// No history: 700 - 350 + 100.
	if r := compute(t, "nobody", nil); r.Score != 450 || len(r.Circles) != 0 || len(r.Terms) != 8 {
		t.Errorf("new account: %s", r.Explain())
	}
	// A live circle's events may be passed as they are; nil events are an empty log.
	live := reputation.CircleLog{ID: "live", Config: full.Config(), Events: full.EventsAfter(0)}
	if got := compute(t, "b", nil, live).Record; got.Rounds != 2 {
		t.Errorf("live: %+v", got)
	}
	if got := compute(t, "b", nil, reputation.CircleLog{ID: "new", Config: ab}).Record; got != (reputation.Record{}) {
		t.Errorf("nil events: %+v", got)
	}
}

// TestComputeErrors: a bad account, a bad or repeated circle id, and a history rosca.Replay
// refuses are typed errors.
func TestComputeErrors(t *testing.T) {
	c := run(t, cfg("a", "b"), pay(march1, "a"), closeAt(deadline(1)))
	good := logOf("c1", c)
	_, err := reputation.Compute("a b", []reputation.CircleLog{good}, nil)
	wantReason(t, err, token.ErrInvalidAccount, "Compute")
	_, err = reputation.Compute("a", []reputation.CircleLog{good, good}, nil)
	wantReason(t, err, reputation.ErrDuplicateCircle, "Compute")
	_, err = reputation.Compute("a", []reputation.CircleLog{{ID: "", Config: c.Config()}}, nil)
	wantReason(t, err, reputation.ErrInvalidCircleLog, "Compute")
	_, err = reputation.Compute("a", []reputation.CircleLog{{ID: "c0"}}, nil) // the zero config
	wantReason(t, err, reputation.ErrInvalidCircleLog, "Compute")
	wantReason(t, err, rosca.ErrInvalidConfig, "Compute")
	// A forged log: the round's winner changed.
	evs := c.Events()
	res := *evs[1].Result
	res.Winner, evs[1].Member, evs[1].Result = "b", "b", &res
	_, err = reputation.Compute("a", []reputation.CircleLog{{ID: "c1", Config: c.Config(), Events: slices.Values(evs)}}, nil)
	wantReason(t, err, reputation.ErrInvalidCircleLog, "Compute")
	wantReason(t, err, rosca.ErrReplay, "Compute")
	// The same log under another config.
	other := c.Config()
	other.Contribution = usd.MustParse("5")
	_, err = reputation.Compute("a", []reputation.CircleLog{{ID: "c1", Config: other, Events: slices.Values(c.Events())}}, nil)
	wantReason(t, err, reputation.ErrInvalidCircleLog, "Compute")
	// A consumer stopping early is fine: Compute reads each log once.
	var once iter.Seq[rosca.Event] = slices.Values(c.Events())
	compute(t, "a", nil, reputation.CircleLog{ID: "c1", Config: c.Config(), Events: once})
}
