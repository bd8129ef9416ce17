package token_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/token"
	"github.com/trustcircle/trustcircle/token/tokentest"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestStepDate: step dates are computed from the start, clamped to the end of shorter
// months, keep the clock time, and never drift.
func TestStepDate(t *testing.T) {
	jan31 := time.Date(2017, 1, 31, 9, 30, 15, 7, time.UTC)
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 30, 15, 7, time.UTC) }
	for _, c := range []struct {
		name  string
		step  token.Step
		start time.Time
		k     int
		want  time.Time
	}{
		{"k 0 is the start", token.Monthly, jan31, 0, jan31},
		{"Feb 28", token.Monthly, jan31, 1, at(2017, 2, 28)},
		{"back to the 31st", token.Monthly, jan31, 2, at(2017, 3, 31)},
		{"Apr 30", token.Monthly, jan31, 3, at(2017, 4, 30)},
		{"a year on", token.Monthly, jan31, 12, at(2018, 1, 31)},
		{"leap Feb 29", token.Monthly, jan31, 37, at(2020, 2, 29)},
		{"before the start", token.Monthly, jan31, -2, at(2016, 11, 30)},
		{"quarterly to Apr 30", token.Quarterly, jan31, 1, at(2017, 4, 30)},
		{"quarterly to Jul 31", token.Quarterly, jan31, 2, at(2017, 7, 31)},
		{"yearly from Feb 29", token.Yearly, day(2020, 2, 29), 1, day(2021, 2, 28)},
		{"yearly back to Feb 29", token.Yearly, day(2020, 2, 29), 4, day(2024, 2, 29)},
		{"1900 is not leap", token.Yearly, day(1896, 2, 29), 4, day(1900, 2, 28)},
		{"2000 is leap", token.Yearly, day(1996, 2, 29), 4, day(2000, 2, 29)},
		{"half-yearly", token.Step(6), day(2017, 8, 31), 1, day(2018, 2, 28)},
		{"zero step", 0, jan31, 5, jan31},
		{"zone dropped: the instant in UTC", token.Monthly, time.Date(2017, 2, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), 1,
			time.Date(2017, 2, 28, 23, 30, 0, 0, time.UTC)},
	} {
		if got := c.step.Date(c.start, c.k); !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("%s: %v.Date(%v, %d) = %v, want %v", c.name, c.step, c.start, c.k, got, c.want)
		}
	}
	// No drift: 48 months from the 31st come back to every 31st, and each date has the
	// start's day or its month's last.
	for k := range 49 {
		d := token.Monthly.Date(jan31, k)
		last := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if d.Day() != min(31, last) || d.Hour() != 9 || d.Nanosecond() != 7 {
			t.Errorf("month %d: %v", k, d)
		}
	}
	// Absurd counts give dates beyond the years a schedule accepts, and do not overflow.
	if d := token.Monthly.Date(jan31, 1<<62); d.Year() <= 9999 {
		t.Errorf("huge k: %v", d)
	}
	if d := token.MaxStep.Date(jan31, -1<<62); d.Year() >= 1 {
		t.Errorf("huge negative k: %v", d)
	}
}

// TestStepText: the ISO 8601 text of a step, and its strict parser.
func TestStepText(t *testing.T) {
	for s, want := range map[token.Step]string{0: "P0M", token.Monthly: "P1M", token.Quarterly: "P3M", token.Yearly: "P1Y",
		6: "P6M", 18: "P18M", 24: "P2Y", token.MaxStep: "P9999Y"} {
		if s.String() != want {
			t.Errorf("Step(%d) = %s, want %s", uint32(s), s, want)
		}
		got, err := token.ParseStep(want)
		if err != nil || got != s || got.Months() != int(s) {
			t.Errorf("ParseStep(%s) = %d, %v", want, got, err)
		}
	}
	if s, err := token.ParseStep("P12M"); err != nil || s != token.Yearly {
		t.Errorf("P12M: %v %v", s, err)
	}
	for _, bad := range []string{"", "P", "PM", "1M", "P1W", "P1D", "P-1M", "P+1M", "P1.5M", "P1Y2M", "P10000Y", "P120000M", "p1m", "P1m", " P1M", "P1M ", "PT1M"} {
		_, err := token.ParseStep(bad)
		if e := checkErr(t, err, token.ErrInvalidSchedule); e.Input != bad || e.Op != "ParseStep" {
			t.Errorf("ParseStep(%q): %v", bad, err)
		}
	}
	var s token.Step
	if err := json.Unmarshal([]byte(`"P3M"`), &s); err != nil || s != token.Quarterly {
		t.Errorf("unmarshal: %v %v", s, err)
	}
	if err := json.Unmarshal([]byte(`"P3W"`), &s); !errors.Is(err, token.ErrInvalidSchedule) || s != token.Quarterly {
		t.Errorf("unmarshal P3W: %v %v", s, err)
	}
	if b, err := json.Marshal(token.Yearly); err != nil || string(b) != `"P1Y"` {
		t.Errorf("marshal: %s %v", b, err)
	}
}

// grant8M is the golden grant: 8,000,000 TRST monthly over 4 years from 2018-01-31, with a
// 1-year cliff.
func grant8M() token.Schedule {
	return token.CalendarSchedule(ta("8000000"), day(2018, 1, 31), token.Monthly, 48, 12)
}

// TestCalendarGolden: the 8,000,000 grant monthly over 4 years with a 1-year cliff vests
// nothing before the cliff, exactly 2,000,000 (12/48) on the cliff date, the anniversary,
// then 166,666.666666 or 166,666.666667 each month by the cumulative floor, and exactly
// 8,000,000 at the end.
func TestCalendarGolden(t *testing.T) {
	s := grant8M()
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	cliff := day(2019, 1, 31)
	if !s.Cliff.Equal(cliff) || !s.Cliff.Equal(s.Start.AddDate(1, 0, 0)) || !s.End.Equal(day(2022, 1, 31)) || s.Step != token.Monthly {
		t.Fatalf("schedule %+v", s)
	}
	if v := s.Vested(cliff.Add(-time.Nanosecond)); !v.IsZero() {
		t.Errorf("a nanosecond before the cliff: %s", v)
	}
	if v := s.Vested(cliff); !v.Equal(ta("2000000")) {
		t.Errorf("at the cliff: %s, want 2000000 (12/48)", v)
	}
	if v := s.Vested(s.End.Add(-time.Nanosecond)); !v.Equal(ta("7833333.333333")) {
		t.Errorf("before the end: %s", v)
	}
	if v := s.Vested(s.End); !v.Equal(ta("8000000")) {
		t.Errorf("at the end: %s", v)
	}
	tab, err := s.Table()
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 37 || !tab.Rows[0].Date.Equal(cliff) || !tab.Rows[0].Tranche.Equal(ta("2000000")) {
		t.Fatalf("%d rows, first %+v", len(tab.Rows), tab.Rows[0])
	}
	sum, plusOne := ta("2000000"), 0
	for i, r := range tab.Rows[1:] {
		k := 13 + i // the tranche's number
		if want := token.Monthly.Date(s.Start, k); !r.Date.Equal(want) {
			t.Errorf("tranche %d on %v, want %v", k, r.Date, want)
		}
		// Cumulative floor: 8e12 mod 48 = 32 extra units; tranche k takes one when
		// floor(32k/48) > floor(32(k-1)/48), that is unless k = 1 mod 3.
		want := ta("166666.666667")
		if k%3 == 1 {
			want = ta("166666.666666")
		} else {
			plusOne++
		}
		if !r.Tranche.Equal(want) {
			t.Errorf("tranche %d: %s, want %s", k, r.Tranche, want)
		}
		sum = sumOf(sum, r.Tranche)
		if !r.Vested.Equal(sum) || !r.Releasable.Equal(sum) {
			t.Errorf("row %d: vested %s releasable %s, sum %s", k, r.Vested, r.Releasable, sum)
		}
	}
	if !sum.Equal(ta("8000000")) || plusOne != 24 {
		t.Errorf("tranches sum to %s, %d of them one unit more", sum, plusOne)
	}
	// The same grant with a Duration period, as the issue tried it: the cliff takes only 11
	// tranches of 730h30m, and the 12th lands six hours after the anniversary.
	d := token.Schedule{Total: ta("8000000"), Start: s.Start, Cliff: cliff, End: s.Start.AddDate(4, 0, 0), Period: 4 * 8766 * time.Hour / 48}
	if d.Period != 730*time.Hour+30*time.Minute || !d.Vested(cliff).Equal(ta("1833333.333333")) ||
		!d.Vested(cliff.Add(6*time.Hour)).Equal(ta("2000000")) {
		t.Errorf("duration schedule: period %v, %s at the cliff", d.Period, d.Vested(cliff))
	}
}

// TestCalendarGoldenLedger: the golden grant in a ledger releases exactly the table's
// tranches, month by month, in the lock and in escrow.
func TestCalendarGoldenLedger(t *testing.T) {
	s := grant8M()
	tab, _ := s.Table()
	for _, escrow := range []token.Account{"", "escrow"} {
		l, err := token.NewLedger(token.Genesis{Asset: token.TRST(), Supply: ta("10000000"), Grants: []token.Grant{{Account: "team", Amount: ta("10000000")}}})
		if err != nil {
			t.Fatal(err)
		}
		var id token.VestingID
		if escrow == "" {
			id, err = l.Vest("team", "dev", s, false)
		} else {
			id, err = l.VestInEscrow("team", escrow, "dev", s, false)
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Release(tab.Rows[0].Date.Add(-time.Second), id); !errors.Is(err, token.ErrNothingToRelease) {
			t.Fatalf("release before the cliff: %v", err)
		}
		for _, r := range tab.Rows {
			got, err := l.Release(r.Date, id)
			if err != nil || !got.Equal(r.Tranche) {
				t.Fatalf("release on %v: %s %v, want %s", r.Date, got, err, r.Tranche)
			}
		}
		if !l.Spendable("dev").Equal(ta("8000000")) || !l.Locked("dev").IsZero() || !l.Locked(escrow).IsZero() {
			t.Fatalf("after the end: dev spendable %s", l.Spendable("dev"))
		}
		tokentest.CheckLedger(t, l)
	}
}

// TestCalendarLinear: a linear schedule by the calendar vests floor(Total*k/n) on each step
// date, however long the months, and linearly within them.
func TestCalendarLinear(t *testing.T) {
	s := token.CalendarSchedule(ta("1200"), day(2017, 1, 31), token.Monthly, 12, 0)
	s.Linear = true
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	for k := range 13 {
		if v := s.Vested(token.Monthly.Date(s.Start, k)); !v.Equal(token.TRST().FromInt64Units(int64(k) * 100_000_000)) {
			t.Errorf("step %d: %s", k, v)
		}
	}
	// The first step, Jan 31 to Feb 28, has 28 days: half its 100 TRST after 14; the second,
	// to Mar 31, has 31 days: half after 15.5.
	if v := s.Vested(day(2017, 2, 14)); !v.Equal(ta("50")) {
		t.Errorf("mid-February: %s", v)
	}
	if v := s.Vested(day(2017, 3, 15).Add(12 * time.Hour)); !v.Equal(ta("150")) {
		t.Errorf("mid-March: %s", v)
	}
	if v := s.Vested(day(2017, 3, 15)); !v.Equal(ta("148.387096")) {
		t.Errorf("15 of 31 days: %s, want floor(100 + 100*15/31)", v)
	}
	// With a cliff, nothing before it, then the accrued share at once.
	s.Cliff = token.Monthly.Date(s.Start, 3)
	if v := s.Vested(s.Cliff.Add(-1)); !v.IsZero() {
		t.Errorf("before the cliff: %s", v)
	}
	if v := s.Vested(s.Cliff); !v.Equal(ta("300")) {
		t.Errorf("at the cliff: %s", v)
	}
	tab, err := s.Table()
	if err != nil || len(tab.Rows) != 10 || !tab.Rows[0].Tranche.Equal(ta("300")) || !tab.Rows[9].Vested.Equal(ta("1200")) {
		t.Fatalf("table %+v %v", tab, err)
	}
}

// TestCalendarShortLastTranche: an end that is not a step date ends with a shorter last
// tranche, as a Duration period does.
func TestCalendarShortLastTranche(t *testing.T) {
	s := token.Schedule{Total: ta("0.000010"), Start: day(2017, 1, 1), End: day(2017, 3, 15), Step: token.Monthly}
	// Tranches on Feb 1, Mar 1 and Mar 15: floor(10k/3) = 3, 6, 10 units.
	for _, c := range []struct {
		at   time.Time
		want int64
	}{{day(2017, 1, 31), 0}, {day(2017, 2, 1), 3}, {day(2017, 3, 1), 6}, {day(2017, 3, 14), 6}, {day(2017, 3, 15), 10}} {
		if v := s.Vested(c.at); !v.Equal(token.TRST().FromInt64Units(c.want)) {
			t.Errorf("%v: %s, want %d units", c.at, v, c.want)
		}
	}
	tab, _ := s.Table()
	if len(tab.Rows) != 3 || !tab.Rows[2].Date.Equal(s.End) || !tab.Rows[2].Tranche.Equal(token.TRST().FromInt64Units(4)) {
		t.Errorf("table %+v", tab.Rows)
	}
	// An end within the first step: one tranche, at the end.
	s.End = day(2017, 1, 20)
	if !s.Vested(day(2017, 1, 19)).IsZero() || !s.Vested(s.End).Equal(s.Total) {
		t.Error("single tranche")
	}
}

// TestCalendarValidate: the rules of Step and Linear, and CalendarSchedule's refusals.
func TestCalendarValidate(t *testing.T) {
	good := grant8M()
	for name, m := range map[string]func(s *token.Schedule){
		"period and step":    func(s *token.Schedule) { s.Period = time.Hour },
		"linear, no step":    func(s *token.Schedule) { s.Step, s.Linear = 0, true },
		"step beyond 9999 y": func(s *token.Schedule) { s.Step = token.MaxStep + 1 },
		"no tranches": func(s *token.Schedule) {
			*s = token.CalendarSchedule(ta("1"), good.Start, token.Monthly, 0, 0)
		},
		"negative count": func(s *token.Schedule) {
			*s = token.CalendarSchedule(ta("1"), good.Start, token.Monthly, -3, 0)
		},
		"cliff beyond": func(s *token.Schedule) {
			*s = token.CalendarSchedule(ta("1"), good.Start, token.Monthly, 12, 13)
		},
		"negative cliff": func(s *token.Schedule) {
			*s = token.CalendarSchedule(ta("1"), good.Start, token.Monthly, 12, -1)
		},
		"zero step": func(s *token.Schedule) {
			*s = token.CalendarSchedule(ta("1"), good.Start, 0, 12, 0)
		},
	} {
		s := good
		m(&s)
		if err := s.Validate(); !errors.Is(err, token.ErrInvalidSchedule) {
			t.Errorf("%s: %v", name, err)
		}
		if _, err := s.Table(); !errors.Is(err, token.ErrInvalidSchedule) {
			t.Errorf("%s: table %v", name, err)
		}
	}
	// A step past the year 9999 is refused as a time.
	late := token.CalendarSchedule(ta("1"), day(9999, 6, 1), token.Monthly, 12, 0)
	if err := late.Validate(); !errors.Is(err, token.ErrInvalidTime) {
		t.Errorf("past 9999: %v", err)
	}
	// The longest step, within the years: one tranche at the end.
	long := token.Schedule{Total: ta("1"), Start: day(1, 1, 2), End: day(9999, 12, 31), Step: token.MaxStep}
	if err := long.Validate(); err != nil || !long.Vested(day(9999, 12, 30)).IsZero() {
		t.Errorf("longest step: %v", err)
	}
	s := good
	s.Linear = true
	if s.Equal(good) || !good.Equal(grant8M()) {
		t.Error("Equal must compare Step and Linear")
	}
}

// refStepDate is an independent statement of the end-of-month rule: walk to the first day
// of the target month, then take the start's day or the month's last.
func refStepDate(start time.Time, months int) time.Time {
	s := start.UTC()
	first := time.Date(s.Year(), s.Month(), 1, s.Hour(), s.Minute(), s.Second(), s.Nanosecond(), time.UTC).AddDate(0, months, 0)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(s.Day(), last)-1)
}

// TestRapidCalendar: for schedules by the calendar (any start, day 29 to 31 included, any
// step, count and cliff, periodic or linear), vested is monotone, zero before the cliff,
// exactly the total at the end, and on each step date k at or after the cliff exactly
// floor(Total*k/n): at a cliff of k of n tranches, exactly k/n of the total to the
// cumulative floor. The table's tranches after the cliff are floor(Total/n) or one unit
// more and all sum to the total; the step dates follow the end-of-month rule.
func TestRapidCalendar(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := tokentest.Asset().Draw(t, "asset")
		limit, _ := a.FromUnits(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(20+a.Decimals())), nil))
		total := tokentest.Amount(a, limit).Filter(func(d token.Amount) bool { return d.Sign() > 0 }).Draw(t, "total")
		s := tokentest.CalendarSchedule(total, tokentest.Epoch()).Draw(t, "schedule")
		if err := s.Validate(); err != nil {
			t.Fatalf("generated %+v: %v", s, err)
		}
		n, cliff := 0, 0
		for k := 1; n == 0; k++ {
			d := s.Step.Date(s.Start, k)
			if want := refStepDate(s.Start, k*s.Step.Months()); !d.Equal(want) {
				t.Fatalf("step %d: %v, reference %v", k, d, want)
			}
			if d.Equal(s.Cliff) {
				cliff = k
			}
			if d.Equal(s.End) {
				n = k
			}
		}
		exact := func(k int) token.Amount {
			u := new(big.Int).Mul(total.Units(), big.NewInt(int64(k)))
			x, _ := a.FromUnits(u.Quo(u, big.NewInt(int64(n))))
			return x
		}
		prev := a.Zero()
		for k := 0; k <= n; k++ {
			d := s.Step.Date(s.Start, k)
			v, before := s.Vested(d), s.Vested(d.Add(-time.Nanosecond))
			if v.Cmp(before) < 0 || before.Cmp(prev) < 0 {
				t.Fatalf("not monotone at step %d: %s, %s just before, %s at the previous step", k, v, before, prev)
			}
			if k < cliff && !v.IsZero() {
				t.Fatalf("%s vested at step %d, before the cliff at step %d", v, k, cliff)
			}
			if k >= cliff && !v.Equal(exact(k)) {
				t.Fatalf("step %d of %d (cliff %d): %s, want floor(total*k/n) = %s", k, n, cliff, v, exact(k))
			}
			prev = v
		}
		span := int64(s.End.Sub(s.Start))
		for _, d := range rapid.SliceOfN(rapid.Int64Range(-span/8, span+span/8), 1, 8).Draw(t, "times") {
			at := s.Start.Add(time.Duration(d))
			if ref, _ := a.FromUnits(refVested(s, at)); !s.Vested(at).Equal(ref) {
				t.Fatalf("Vested(%v) = %s, reference %s", at, s.Vested(at), ref)
			}
		}
		if !s.Vested(s.End).Equal(total) || !s.Vested(s.End.AddDate(1, 0, 0)).Equal(total) || !s.Vested(s.Start.Add(-1)).IsZero() {
			t.Fatal("not zero before the start or not the total from the end")
		}
		tab, err := s.Table()
		if err != nil {
			t.Fatal(err)
		}
		sum := a.Zero()
		q, _ := a.FromUnits(new(big.Int).Quo(total.Units(), big.NewInt(int64(n))))
		for i, r := range tab.Rows {
			sum = sumOf(sum, r.Tranche)
			if !r.Vested.Equal(sum) || (i > 0 && !r.Tranche.Equal(q) && !r.Tranche.Equal(sumOf(q, a.MinorUnit()))) {
				t.Fatalf("row %d: %+v (floor share %s)", i, r, q)
			}
		}
		if len(tab.Rows) != n-max(cliff-1, 0) || !sum.Equal(total) {
			t.Fatalf("%d rows for %d tranches (cliff %d), summing to %s of %s", len(tab.Rows), n, cliff, sum, total)
		}
	})
}
