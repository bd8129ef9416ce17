package crowdsale

import "time"

// The fiat rule's daily judgement, made explicit: day D is judged at its end, 00:00 UTC of
// D+1, by the first command dated at or after that instant (a contribution, Advance,
// Register, a pause, a refund payment, an approval, Finalize), never by a query, and is
// then final. It uses the closing rates of the Lookback days before D, so a closing rate of
// day R is needed by the days R+1 to R+Lookback. It is known only once R has closed, so it
// is recorded ([Sale.RecordClosingRateAt]) from the end of R, 00:00 UTC of R+1, and until
// the first day that uses it is judged: until [Sale.ClosingDeadline]. A rate for a day that
// has not closed is refused with [ErrRateNotClosed], one that comes after its deadline with
// [ErrRateConflict].
// [Sale.NextJudgement] says which day comes next, and [Sale.FiatPreview] what the
// judgements due by an instant would be, so that a service tests its rates before the
// verdict is recorded.

// NextJudgement returns the next day the fiat rule will judge (00:00 UTC) and the instant
// it is judged (the day's end); ok is false without a fiat rule or once the sale ended.
func (s *Sale) NextJudgement() (day, at time.Time, ok bool) {
	if s.p == nil || !s.cfg.Fiat.Enabled() || s.ended {
		return time.Time{}, time.Time{}, false
	}
	return nanosTime(s.nextJudge - nanosPerDay), nanosTime(s.nextJudge), true
}

// ClosingDeadline returns the instant from which a closing rate of day (00:00 UTC) can no
// longer be recorded: the end of the first day of the sale whose judgement uses it. Any
// command dated at or after it judges that day. ok is false when no day of the sale uses
// the rate (no fiat rule, day not at 00:00 UTC, or a day outside every look-back).
func (s *Sale) ClosingDeadline(day time.Time) (time.Time, bool) {
	if s.p == nil || !s.cfg.Fiat.Enabled() || !inNanoRange(day) {
		return time.Time{}, false
	}
	dn := day.UTC().UnixNano()
	if dn != floorDay(dn) {
		return time.Time{}, false
	}
	first := max(dn+nanosPerDay, floorDay(s.p.start))
	if first > dn+int64(s.p.fiatLookback)*nanosPerDay || first >= s.p.end {
		return time.Time{}, false
	}
	return nanosTime(first + nanosPerDay), true
}

// FiatPreview returns the fiat days a command dated at would judge now, with the verdicts
// they would get on the rates recorded so far, without changing the sale (Advance(at)
// records exactly these). It is empty when nothing falls due by at.
func (s *Sale) FiatPreview(at time.Time) []FiatDay {
	if s.p == nil || s.ended {
		return nil
	}
	var pd pending
	s.pendingUntil(s.clampAny(at), &pd)
	return pd.days
}
