package reputation

import (
	"iter"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/trustcircle/trustcircle/internal/cmderr"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// The constants of the formula (the package documentation explains it).
const (
	// MaxScore bounds the score: it lies in 0 to MaxScore.
	MaxScore = 1000
	// PaymentPoints is the most the payment record earns.
	PaymentPoints = 700
	// PriorRounds is the number of rounds of no record, each counted at half credit, that
	// every account's payment record starts with, so that a short history weighs less than
	// a long one.
	PriorRounds = 5
	// LateDaysCap is the lateness, in days, at which a late round has lost its whole credit,
	// as if it were missed.
	LateDaysCap = 30
	// DefaultPenalty is the points a pot won while delinquent costs.
	DefaultPenalty = 100
	// RecoveryCredit is the points given back when such a debt is later paid.
	RecoveryCredit = 60
	// CompletionPoints is the points each circle completed earns, for at most
	// MaxCompletions circles.
	CompletionPoints = 20
	MaxCompletions   = 5
	// ReviewPoints is the most the reviews earn.
	ReviewPoints = 200
	// PriorReviews is the number of neutral reviews (3 of 5) every account starts with.
	PriorReviews = 2
)

// The names of the terms of a score, in the order [Compute] lists them.
const (
	TermPayments   = "payments"
	TermHistory    = "short_history"
	TermLate       = "late"
	TermMissed     = "missed"
	TermDefaults   = "defaults"
	TermRecoveries = "recoveries"
	TermCompleted  = "circles_completed"
	TermReviews    = "reviews"
	TermFloor      = "floor_at_zero"
)

// Term is one term of a score: its name (one of the Term* constants), what it counts in
// words, and the points it adds (negative: takes away), exactly. The zero Term adds nothing.
type Term struct {
	Name   string
	Detail string
	Points *big.Rat // nil reads as 0
}

// String reads "-23.33  late: 2 rounds paid late, 10 days in all", the points rounded to
// two decimals (to nearest, halves away from zero) for display only.
func (t Term) String() string {
	return signed(t.Points) + "  " + t.Name + ": " + t.Detail
}

// signed returns x with its sign and two decimals.
func signed(x *big.Rat) string {
	if x == nil {
		x = new(big.Rat)
	}
	s := x.FloatString(2)
	if x.Sign() >= 0 {
		s = "+" + s
	}
	return s
}

// Reputation is an account's reputation: its score, the exact figure it was rounded from,
// the terms that make it up, the payment record they come from (in total and by circle)
// and the reviews received. The zero Reputation is no account's: score 0, no terms.
type Reputation struct {
	Account token.Account
	// Score is Total rounded down to an integer, in 0 to MaxScore.
	Score int
	// Total is the exact sum of the terms' points (nil for the zero Reputation).
	Total *big.Rat
	Terms []Term
	// Record sums the circle records; Circles lists them by circle id.
	Record  Record
	Circles []CircleRecord
	// Reviews counts the reviews received, RatingSum adds their ratings.
	Reviews   int
	RatingSum int
}

// MeanRating returns the mean rating received, exactly (RatingSum / Reviews), or nil when
// no review was received.
func (r Reputation) MeanRating() *big.Rat {
	if r.Reviews == 0 {
		return nil
	}
	return big.NewRat(int64(r.RatingSum), int64(r.Reviews))
}

// Explain returns the score and its terms in words, one line each:
//
//	alice: 617 of 1000 (617.86 before rounding down)
//	  +700.00  payments: the most a payment record earns
//	  -194.44  short_history: 5 rounds of no record at half credit, among 13 rounds counted
//	  ...
func (r Reputation) Explain() string {
	var b strings.Builder
	b.WriteString(string(r.Account))
	b.WriteString(": ")
	b.WriteString(strconv.Itoa(r.Score))
	b.WriteString(" of 1000")
	if r.Total != nil {
		b.WriteString(" (" + r.Total.FloatString(2) + " before rounding down)")
	}
	for _, t := range r.Terms {
		b.WriteString("\n  ")
		b.WriteString(t.String())
	}
	return b.String()
}

// MeetsMinimum reports whether the reputation meets an admission rule's minimum score:
// nil, or an [*Error] naming the account wrapping [ErrBelowMinimum] (class forbidden), or
// [ErrInvalidScore] for a minimum outside 0 to [MaxScore].
func (r Reputation) MeetsMinimum(min int) error {
	err := MeetsMinimum(r.Score, min)
	if e, ok := err.(*Error); ok {
		e.Account = r.Account
	}
	return err
}

// MeetsMinimum reports whether score meets the minimum an admission rule asks for (a
// circle admitting only accounts whose reputation is at least min): nil when score >= min,
// an [*Error] wrapping [ErrBelowMinimum] (class forbidden) when it is below, and one
// wrapping [ErrInvalidScore] when score or min lies outside 0 to [MaxScore]. A minimum of
// 0 admits everyone.
func MeetsMinimum(score, min int) error {
	const op = "MeetsMinimum"
	switch {
	case min < 0 || min > MaxScore:
		return &Error{Op: op, Detail: "minimum " + strconv.Itoa(min) + "; want 0 to 1000", Err: ErrInvalidScore}
	case score < 0 || score > MaxScore:
		return &Error{Op: op, Detail: "score " + strconv.Itoa(score) + "; want 0 to 1000", Err: ErrInvalidScore}
	case score < min:
		return &Error{Op: op, Detail: "reputation " + strconv.Itoa(score) + " is below the minimum of " + strconv.Itoa(min), Err: ErrBelowMinimum}
	}
	return nil
}

// Compute returns account's reputation from the histories of the circles it was in and the
// reviews of it in book (nil for none). Each circle's log is checked by rosca.Replay, so a
// log that is not what a circle with its config produced is refused; a circle the account
// was not a member of counts for nothing. The order of the circles does not matter. The
// package documentation gives the formula.
//
// Errors: [token.ErrInvalidAccount], [ErrInvalidCircleLog] (an invalid id, or a log
// rosca.Replay refuses, also matching rosca's reason), [ErrDuplicateCircle] (an id given
// twice).
func Compute(account token.Account, circles []CircleLog, book *Book) (Reputation, error) {
	const op = "Compute"
	if err := cmderr.CheckAccount(op, account); err != nil {
		return Reputation{}, err
	}
	seen := make(map[string]bool, len(circles))
	var recs []CircleRecord
	for _, c := range circles {
		if d := circleIDProblem(c.ID); d != "" {
			return Reputation{}, &Error{Op: op, Account: account, Input: c.ID, Detail: "circle id " + d, Err: ErrInvalidCircleLog}
		}
		if seen[c.ID] {
			return Reputation{}, &Error{Op: op, Account: account, Detail: "circle " + c.ID + " is given twice", Err: ErrDuplicateCircle}
		}
		seen[c.ID] = true
		rec, member, err := follow(account, c)
		if err != nil {
			detail, reason := cmderr.Because(ErrInvalidCircleLog, err)
			return Reputation{}, &Error{Op: op, Account: account, Detail: "circle " + c.ID + ": " + detail, Err: reason}
		}
		if member {
			recs = append(recs, rec)
		}
	}
	slices.SortFunc(recs, func(a, b CircleRecord) int { return strings.Compare(a.Circle, b.Circle) })
	r := Reputation{Account: account, Circles: recs}
	for _, c := range recs {
		r.Record = r.Record.add(c.Record)
	}
	if book != nil {
		for _, rv := range book.Received(account) {
			r.Reviews++
			r.RatingSum += rv.Rating
		}
	}
	r.Terms, r.Total = terms(r.Record, r.Reviews, r.RatingSum)
	score := new(big.Int).Quo(r.Total.Num(), r.Total.Denom()) // Total >= 0: truncation is the floor
	r.Score = int(min(score.Int64(), MaxScore))
	return r, nil
}

// follow replays one circle's history, following account through it, and returns its
// record and whether it was a member.
func follow(account token.Account, c CircleLog) (CircleRecord, bool, error) {
	t := newTracker(c.Config, account)
	member := slices.Contains(c.Config.Members, account)
	events := c.Events
	if events == nil {
		events = func(func(rosca.Event) bool) {}
	}
	tee := iter.Seq[rosca.Event](func(yield func(rosca.Event) bool) {
		for e := range events {
			if member {
				t.see(e)
			}
			if !yield(e) {
				return
			}
		}
	})
	if _, err := rosca.Replay(c.Config, tee); err != nil {
		return CircleRecord{}, false, err
	}
	return t.record(c.ID), member, nil
}

// terms returns the terms of the formula for a record and reviews, and their exact sum
// (at least 0).
func terms(rec Record, reviews, ratingSum int) ([]Term, *big.Rat) {
	n := big.NewRat(int64(rec.Rounds+PriorRounds), 1) // the payment record's denominator
	pay := func(weight *big.Rat) *big.Rat {           // -PaymentPoints x weight / n
		x := new(big.Rat).Mul(weight, big.NewRat(-PaymentPoints, 1))
		return x.Quo(x, n)
	}
	count := func(k int, one, many string) string {
		if k == 1 {
			return "1 " + one
		}
		return strconv.Itoa(k) + " " + many
	}
	roundsCounted := " among " + strconv.Itoa(rec.Rounds+PriorRounds) + " rounds counted"
	ts := []Term{
		{TermPayments, "the most a payment record earns", big.NewRat(PaymentPoints, 1)},
		{TermHistory, strconv.Itoa(PriorRounds) + " rounds of no record at half credit," + roundsCounted,
			pay(big.NewRat(PriorRounds, 2))},
		{TermLate, count(rec.Late, "round", "rounds") + " paid late, " + count(rec.DaysLate, "day", "days") + " in all (" +
			strconv.Itoa(rec.CappedDaysLate) + " counted, at most " + strconv.Itoa(LateDaysCap) + " a round)," + roundsCounted,
			pay(big.NewRat(int64(rec.CappedDaysLate), LateDaysCap))},
		{TermMissed, count(rec.Missed, "round", "rounds") + " not paid," + roundsCounted, pay(big.NewRat(int64(rec.Missed), 1))},
		{TermDefaults, count(rec.Defaults, "pot", "pots") + " won while delinquent",
			big.NewRat(-DefaultPenalty*int64(rec.Defaults), 1)},
		{TermRecoveries, count(rec.Recoveries, "such debt", "such debts") + " paid later",
			big.NewRat(RecoveryCredit*int64(rec.Recoveries), 1)},
		{TermCompleted, count(rec.Completed, "circle", "circles") + " completed with every round paid (at most " +
			strconv.Itoa(MaxCompletions) + " count)", big.NewRat(CompletionPoints*int64(min(rec.Completed, MaxCompletions)), 1)},
		reviewTerm(reviews, ratingSum),
	}
	total := new(big.Rat)
	for _, t := range ts {
		total.Add(total, t.Points)
	}
	if total.Sign() < 0 {
		ts = append(ts, Term{TermFloor, "a score is never below 0", new(big.Rat).Neg(total)})
		total = new(big.Rat)
	}
	return ts, total
}

// reviewTerm is ReviewPoints x (sum of (rating-1)/4 + PriorReviews/2) / (reviews +
// PriorReviews).
func reviewTerm(reviews, ratingSum int) Term {
	x := big.NewRat(int64(ratingSum-reviews), MaxRating-MinRating)
	x.Add(x, big.NewRat(PriorReviews, 2))
	x.Mul(x, big.NewRat(ReviewPoints, int64(reviews+PriorReviews)))
	detail := "no review received, counted as " + strconv.Itoa(PriorReviews) + " neutral reviews (3 of 5)"
	if reviews > 0 {
		mean := big.NewRat(int64(ratingSum), int64(reviews))
		detail = strconv.Itoa(reviews) + " received, mean rating " + mean.RatString()
		if !mean.IsInt() {
			detail += " (" + mean.FloatString(2) + ")"
		}
		detail += ", with " + strconv.Itoa(PriorReviews) + " neutral reviews (3 of 5)"
	}
	return Term{TermReviews, detail, x}
}
