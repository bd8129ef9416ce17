package token

import (
	"math/big"
	"strconv"
	"time"
)

// Step is a calendar step of a vesting [Schedule]: a whole number of months. [Monthly],
// [Quarterly] and [Yearly] are the common ones; Step(6) is half-yearly. Its text is the ISO
// 8601 period "P1M", "P3M", "P1Y" (years when the months make whole years), which
// [ParseStep] reads back. The zero Step is no step ("P0M"): a schedule without it vests by
// [time.Duration].
//
// A month is not a duration (28 to 31 days), which is why a schedule by the calendar needs a
// Step and not a Period: 4 years / 48 = 730h30m puts the 12th tranche hours away from the
// anniversary, while Yearly and Monthly land on it.
type Step uint32

// The common calendar steps.
const (
	Monthly   Step = 1
	Quarterly Step = 3
	Yearly    Step = 12
)

// MaxStep is the longest Step, 9999 years.
const MaxStep Step = 12 * 9999

// Months returns the number of months of the step.
func (s Step) Months() int { return int(s) }

// Date returns the k-th step date from start: start moved k*s months on the calendar, in
// UTC, with its clock time kept and its day of the month clamped to the last day of a
// shorter month. Every date is computed from start, never from the previous date, so the
// dates never drift: monthly from January 31 they are February 28 (29 in a leap year),
// March 31, April 30, May 31, ... Date(start, 0) is start. A k so large that the date would
// pass the year 9999 gives a date after it, which no schedule accepts.
//
// The calendar is UTC's, as the ledger keeps its times in UTC: a start at midnight of the
// 31st in a zone east of Greenwich is the 30th in UTC, and steps from the 30th.
func (s Step) Date(start time.Time, k int) time.Time {
	t := start.UTC()
	const limit = 12 * 20000 // months: far beyond the year 9999 either way
	months := int64(max(-limit, min(limit, k))) * int64(s)
	months = max(-limit, min(limit, months))
	y, m, d := t.Date()
	total := int64(y)*12 + int64(m-1) + months
	ny, nm := int(floorDiv(total, 12)), time.Month(total-floorDiv(total, 12)*12+1)
	if last := daysIn(ny, nm); d > last {
		d = last
	}
	return time.Date(ny, nm, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// floorDiv returns floor(a / b) for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// daysIn returns the number of days of month m of year y (proleptic Gregorian).
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String returns the step as an ISO 8601 period: "P1M", "P3M", "P1Y", "P18M"; "P0M" for the
// zero Step.
func (s Step) String() string {
	b, _ := s.AppendText(nil)
	return string(b)
}

// AppendText appends [Step.String] to b. It never fails.
func (s Step) AppendText(b []byte) ([]byte, error) {
	b = append(b, 'P')
	if s != 0 && s%12 == 0 {
		return append(strconv.AppendUint(b, uint64(s/12), 10), 'Y'), nil
	}
	return append(strconv.AppendUint(b, uint64(s), 10), 'M'), nil
}

// MarshalText returns [Step.String].
func (s Step) MarshalText() ([]byte, error) { return s.AppendText(nil) }

// UnmarshalText reads what [ParseStep] reads.
func (s *Step) UnmarshalText(text []byte) error {
	v, err := ParseStep(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseStep reads a calendar step as an ISO 8601 period of months or years: "P1M", "P3M",
// "P12M" (which is "P1Y"), "P2Y", "P0M". The error is an [*Error] wrapping
// [ErrInvalidSchedule] for other text (weeks, days, signs, fractions, both years and months)
// and for a step beyond [MaxStep].
func ParseStep(text string) (Step, error) {
	bad := func(detail string) (Step, error) {
		return 0, &Error{Op: "ParseStep", Input: text, Detail: detail, Err: ErrInvalidSchedule}
	}
	if len(text) < 3 || len(text) > 9 || text[0] != 'P' {
		return bad(`want "P<n>M" or "P<n>Y"`)
	}
	digits, unit := text[1:len(text)-1], text[len(text)-1]
	if !allDigits(digits) || (unit != 'M' && unit != 'Y') {
		return bad(`want "P<n>M" or "P<n>Y"`)
	}
	n, _ := strconv.ParseUint(digits, 10, 64) // at most 7 digits
	if unit == 'Y' {
		n *= 12
	}
	if n > uint64(MaxStep) {
		return bad("longer than 9999 years")
	}
	return Step(n), nil
}

// CalendarSchedule returns the schedule of total vesting in n tranches by the calendar: one
// at each of the step dates step.Date(start, 1), ..., step.Date(start, n), which is End, with
// nothing vested before the cliffSteps-th step date (0 for no cliff, when the first tranche
// vests at the first step date). Set the result's Linear for tranches that vest linearly
// over their step. An 8,000,000 grant monthly over 4 years with a 1-year cliff is
// CalendarSchedule(total, start, Monthly, 48, 12): nothing until the cliff date (the 12th
// step date, start's anniversary), exactly 2,000,000 then, and 166,666.666666 or one minor
// unit more each month after. n < 1, a cliffSteps below 0 or above n, and the zero Step give
// a schedule that [Schedule.Validate] refuses.
func CalendarSchedule(total Amount, start time.Time, step Step, n, cliffSteps int) Schedule {
	s := Schedule{Total: total, Start: start, End: step.Date(start, n), Step: step}
	if step == 0 {
		s.End = start // no step: refused as an end that is not after the start
	}
	if cliffSteps != 0 {
		s.Cliff = step.Date(start, cliffSteps)
	}
	return s
}

// stepDate returns the k-th step date of the schedule: Step.Date(Start, k), or End for the
// last tranche (k >= n).
func (s Schedule) stepDate(k, n int) time.Time {
	if k >= n {
		return s.End
	}
	return s.Step.Date(s.Start, k)
}

// stepsBy returns the number of step dates after Start up to t (Start <= t): the largest k
// with Step.Date(Start, k) <= t. Each date lies in its own month, so k is the number of
// whole steps between the months of Start and t, or one less when t comes earlier in its
// month than the date.
func (s Schedule) stepsBy(t time.Time) int {
	st, tu := s.Start.UTC(), t.UTC()
	months := (tu.Year()-st.Year())*12 + int(tu.Month()) - int(st.Month())
	k := months / int(s.Step)
	if k > 0 && s.Step.Date(st, k).After(tu) {
		k--
	}
	return k
}

// tranches returns the number of tranches n of a schedule by the calendar: the step dates
// before End, plus one at End.
func (s Schedule) tranches() int {
	k := s.stepsBy(s.End)
	if k > 0 && !s.Step.Date(s.Start, k).Before(s.End) {
		k-- // End is the k-th step date: it is the last tranche
	}
	return k + 1
}

// stepShare returns the vested share at at (Start <= at < End) of a schedule by the
// calendar, as num/den: k/n after k tranches, and for Linear (k*L + e)/(n*L) where L is the
// length of the current step and e the time into it, in nanoseconds.
func (s Schedule) stepShare(at time.Time) (num, den *big.Int) {
	n := s.tranches()
	k := min(s.stepsBy(at), n-1)
	num, den = big.NewInt(int64(k)), big.NewInt(int64(n))
	if !s.Linear {
		return num, den
	}
	d0 := s.stepDate(k, n)
	length := nanosBetween(d0, s.stepDate(k+1, n))
	num.Mul(num, length)
	num.Add(num, nanosBetween(d0, at))
	return num, den.Mul(den, length)
}
