package reputation_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/reputation"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// goldenCircle is the circle of the package documentation: alice, bob and carol, fixed
// order, three weekly rounds of 10.00 USD from 1 March 2026 (deadlines 8, 15 and 22 March).
// carol pays round 1 a day and a half late and round 2 four days late.
func goldenCircle(t tb) *rosca.Circle {
	d := func(day, hour int) time.Time { return march1.AddDate(0, 0, day-1).Add(time.Duration(hour) * time.Hour) }
	return run(t, cfg("alice", "bob", "carol"),
		pay(d(1, 0), "alice"), pay(d(1, 0), "bob"),
		closeAt(d(8, 0)), // alice wins
		pay(d(9, 12), "carol"),
		pay(d(14, 0), "alice"), pay(d(14, 0), "bob"),
		closeAt(d(15, 0)), // bob wins
		pay(d(19, 0), "carol"),
		pay(d(21, 0), "alice"), pay(d(21, 0), "bob"), pay(d(21, 0), "carol"),
		closeAt(d(22, 0)), // carol wins
	)
}

// goldenBook holds the circle and two reviews of carol: bob rates her 1, alice 4.
func goldenBook(t tb) *reputation.Book {
	b := reputation.NewBook()
	ok(t, b.AddCircle(march1, "c1", []token.Account{"alice", "bob", "carol"}))
	ok(t, b.Review(march1.AddDate(0, 0, 22), "c1", "bob", "carol", 1, "paid late twice"))
	ok(t, b.Review(march1.AddDate(0, 0, 22), "c1", "alice", "carol", 4, "late but paid in full"))
	return b
}

// TestGolden: the worked example of the package documentation, figure for figure.
func TestGolden(t *testing.T) {
	c := goldenCircle(t)
	book := goldenBook(t)
	r := compute(t, "carol", book, logOf("c1", c))
	wantRec := reputation.Record{Rounds: 3, OnTime: 1, Late: 2, DaysLate: 6, CappedDaysLate: 6, Completed: 1}
	if diff := cmp.Diff(wantRec, r.Record); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	if len(r.Circles) != 1 || r.Circles[0].Circle != "c1" || !r.Circles[0].Ended || r.Circles[0].Closed != 3 {
		t.Errorf("circles %+v", r.Circles)
	}
	if r.Score != 571 || r.Total.Cmp(big.NewRat(57125, 100)) != 0 || r.Reviews != 2 || r.MeanRating().Cmp(big.NewRat(5, 2)) != 0 {
		t.Errorf("score %d, total %v, reviews %d, mean %v", r.Score, r.Total, r.Reviews, r.MeanRating())
	}
	want := `carol: 571 of 1000 (571.25 before rounding down)
  +700.00  payments: the most a payment record earns
  -218.75  short_history: 5 rounds of no record at half credit, among 8 rounds counted
  -17.50  late: 2 rounds paid late, 6 days in all (6 counted, at most 30 a round), among 8 rounds counted
  +0.00  missed: 0 rounds not paid, among 8 rounds counted
  +0.00  defaults: 0 pots won while delinquent
  +0.00  recoveries: 0 such debts paid later
  +20.00  circles_completed: 1 circle completed with every round paid (at most 5 count)
  +87.50  reviews: 2 received, mean rating 5/2 (2.50), with 2 neutral reviews (3 of 5)`
	if got := r.Explain(); got != want {
		t.Errorf("Explain:\n%s\nwant:\n%s", got, want)
	}
	// alice and bob paid every round on time and have no review: 700 - 218.75 + 20 + 100.
	for _, a := range []token.Account{"alice", "bob"} {
		r := compute(t, a, book, logOf("c1", c))
		if r.Score != 601 || r.Record.OnTime != 3 || r.Reviews != 0 || r.MeanRating() != nil {
			t.Errorf("%s: %s", a, r.Explain())
		}
	}
	// An admission rule asking 600 admits alice and refuses carol.
	wantReason(t, r.MeetsMinimum(600), reputation.ErrBelowMinimum, "MeetsMinimum")
}
