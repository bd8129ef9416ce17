package crowdsale

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// ClosingRate is one source's closing rate of a currency for a UTC day, in the fiat rule's
// currency per unit (USD per BTC, USD per ETH).
type ClosingRate struct {
	Day    time.Time       `json:"day"` // 00:00:00 UTC of the day
	Source string          `json:"source"`
	Asset  token.Asset     `json:"asset"`
	Rate   decimal.Decimal `json:"rate"`
}

// FiatStatus is the verdict of the fiat rule for one day.
type FiatStatus string

// The verdicts of the fiat rule.
const (
	FiatMet     FiatStatus = "met"     // the value reached the threshold
	FiatNotMet  FiatStatus = "not-met" // the value stayed below the threshold
	FiatUnknown FiatStatus = "unknown" // a closing rate needed was missing: not guessed, the streak restarts
)

// MissingRate names a day and currency without any closing rate.
type MissingRate struct {
	Day   time.Time   `json:"day"`
	Asset token.Asset `json:"asset"`
}

// FiatDay is the fiat rule's judgement of one UTC day, made at the day's end.
//
// The FAQ writes the stop condition as "$7.3M > minClosingRate(today, ETH) * ETH collected +
// minClosingRate(today, BTC) * BTC collected"; read with its own TL;DR ("exceeds $7.3M for 3
// consecutive days") and the intent of a cap, the day counts when the value is at least the
// threshold. For day D, the rate of each currency is the minimum, over the Lookback days
// before D (D-1, D-2, D-3), of the median of the sources' closing rates of that day (the
// median of those that answered; the mean of the two middle ones, exactly, for an even
// count). The amounts are everything accepted before the end of day D (contributions at or
// after 00:00 UTC of day D+1 count for the next day), net of cap refunds. A currency with
// nothing collected needs no rate. If a needed day has no rate from any source, the verdict
// is unknown and the streak restarts. The sale ends with reason fiat at the end of the
// Days-th consecutive day met (00:00 UTC of the next day).
type FiatDay struct {
	Day       time.Time       `json:"day"`       // 00:00 UTC of the day judged
	JudgedAt  time.Time       `json:"judged_at"` // the day's end, when it is judged
	Status    FiatStatus      `json:"status"`
	Collected []Amount        `json:"collected,omitempty"` // the amounts counted
	Rates     []Amount        `json:"rates,omitempty"`     // the minimum closing rate used per currency
	Value     decimal.Decimal `json:"value"`               // the fiat value (zero when unknown)
	Missing   []MissingRate   `json:"missing,omitempty"`
	Streak    int             `json:"streak"` // consecutive days met, this one included
}

// pending is what becomes due between the sale's state and an instant.
type pending struct {
	valid  bool
	days   []FiatDay
	streak int
	next   int64
	ended  bool
	reason EndReason
	endAt  int64
}

// pendingUntil computes, without changing the sale, the fiat days judged and the end that
// fire at or before at (unix nanos, clamped to the window). At the same instant the fiat day
// is judged before the window's end.
func (s *Sale) pendingUntil(at int64, out *pending) {
	out.valid, out.streak, out.next = true, s.streak, s.nextJudge
	for {
		t, judge := s.p.end, false
		if out.next <= t {
			t, judge = out.next, true
		}
		if t > at {
			return
		}
		if !judge {
			out.ended, out.reason, out.endAt = true, EndWindow, s.p.end
			return
		}
		d := s.judge(out.next-nanosPerDay, out.streak)
		out.streak = d.Streak
		out.days = append(out.days, d)
		out.next += nanosPerDay
		if d.Streak >= s.p.fiatDays {
			out.ended, out.reason, out.endAt = true, EndFiat, t
			return
		}
	}
}

func (s *Sale) applyPending(pd *pending) {
	if !pd.valid {
		return
	}
	for _, d := range pd.days {
		s.fiatDays = append(s.fiatDays, d)
		dd := d.clone()
		s.appendLog(Event{Kind: EventFiatDay, At: d.JudgedAt, FiatDay: &dd})
	}
	s.streak, s.nextJudge = pd.streak, pd.next
	if pd.ended {
		s.end(pd.reason, nanosTime(pd.endAt))
	}
}

// judge evaluates the fiat rule for the day starting at day (unix nanos).
func (s *Sale) judge(day int64, streak int) FiatDay {
	d := FiatDay{Day: nanosTime(day), JudgedAt: nanosTime(day + nanosPerDay), Value: decimal.Zero}
	dayNum := day / nanosPerDay
	value := decimal.Zero
	for ai, ap := range s.p.assets {
		if s.collected[ai].isZero() {
			continue
		}
		amt := ap.asset.FromUnits(s.collected[ai].big())
		d.Collected = append(d.Collected, Amount{Asset: ap.asset, Amount: amt})
		var low decimal.Decimal
		complete := true
		for j := int64(1); j <= int64(s.p.fiatLookback); j++ {
			m, ok := s.medianClosing(dayNum-j, ai)
			if !ok {
				d.Missing = append(d.Missing, MissingRate{Day: nanosTime((dayNum - j) * nanosPerDay), Asset: ap.asset})
				complete = false
				continue
			}
			if j == 1 || m.Cmp(low) < 0 || low.Sign() == 0 {
				low = m
			}
		}
		if complete {
			d.Rates = append(d.Rates, Amount{Asset: ap.asset, Amount: low})
			value = value.Add(low.Mul(amt))
		}
	}
	switch {
	case len(d.Missing) > 0:
		d.Status, d.Streak = FiatUnknown, 0
	case value.Cmp(s.cfg.Fiat.Threshold) >= 0:
		d.Status, d.Streak, d.Value = FiatMet, streak+1, value
	default:
		d.Status, d.Streak, d.Value = FiatNotMet, 0, value
	}
	return d
}

// medianClosing returns the median of the sources' closing rates for a day and asset.
func (s *Sale) medianClosing(dayNum int64, ai int) (decimal.Decimal, bool) {
	var rates [64]decimal.Decimal
	n := 0
	for si := range s.p.sources {
		r, ok := s.closing[closingKey{day: dayNum, source: uint8(si), asset: uint8(ai)}]
		if !ok {
			continue
		}
		j := n
		for j > 0 && rates[j-1].Cmp(r) > 0 {
			rates[j] = rates[j-1]
			j--
		}
		rates[j] = r
		n++
	}
	switch {
	case n == 0:
		return decimal.Decimal{}, false
	case n%2 == 1:
		return rates[n/2], true
	default:
		return rates[n/2-1].Add(rates[n/2]).Mul(decimal.New(5, -1)), true // exact mean
	}
}

// RecordClosingRate records one source's closing rate of asset for the UTC day starting at
// day (00:00:00 UTC). Recording the same rate again is a no-op; a different rate for the
// same day, source and asset is an error, as is a rate with more than 18 decimals or 40
// digits, or a rate for a day already used by a judged
// day (record each day's closing before any command dated after the next day ends).
// Errors: *ClosingRateError (ErrClosingRate, ErrUnknownSource, ErrEnded).
func (s *Sale) RecordClosingRate(day time.Time, source string, asset token.Asset, rate decimal.Decimal) error {
	fail := func(err error, detail string) error {
		return &ClosingRateError{Day: day, Source: source, Asset: asset, Rate: rate, Detail: detail, Err: err}
	}
	if !s.cfg.Fiat.Enabled() {
		return fail(ErrClosingRate, "the sale has no fiat rule")
	}
	if s.ended {
		return fail(ErrEnded, "the sale has ended")
	}
	if !inNanoRange(day) || day.UnixNano() != floorDay(day.UnixNano()) {
		return fail(ErrClosingRate, "day must be 00:00:00 UTC of a day")
	}
	si := s.sourceIndex(source)
	if si < 0 {
		return fail(ErrUnknownSource, "unknown source")
	}
	ai := s.assetIndex(asset)
	if ai < 0 {
		return fail(ErrClosingRate, "asset not accepted")
	}
	if rate.Sign() <= 0 {
		return fail(ErrClosingRate, "rate must be positive")
	}
	if rate.Exponent() < -18 || rate.Exponent() > 18 || rate.NumDigits() > 40 {
		return fail(ErrClosingRate, "rate must have at most 18 decimals and 40 digits")
	}
	dn := day.UnixNano()
	key := closingKey{day: dn / nanosPerDay, source: uint8(si), asset: uint8(ai)}
	if old, ok := s.closing[key]; ok {
		if old.Cmp(rate) == 0 {
			return nil
		}
		return fail(ErrClosingRate, "a different rate was recorded: "+old.String())
	}
	next := s.nextJudge - nanosPerDay // the next day to judge
	lo := max(dn+nanosPerDay, floorDay(s.p.start))
	hi := min(dn+int64(s.p.fiatLookback)*nanosPerDay, next-nanosPerDay)
	if lo <= hi {
		return fail(ErrClosingRate, "a day that used this rate was already judged")
	}
	s.closing[key] = rate
	cr := ClosingRate{Day: day.UTC(), Source: source, Asset: asset, Rate: rate}
	s.closingLog = append(s.closingLog, cr)
	at := time.Time{}
	if s.hasNow {
		at = s.now.UTC()
	}
	s.appendLog(Event{Kind: EventClosingRate, At: at, ClosingRate: &cr})
	return nil
}

// ClosingRates returns the closing rates recorded, in order.
func (s *Sale) ClosingRates() []ClosingRate {
	out := make([]ClosingRate, len(s.closingLog))
	copy(out, s.closingLog)
	return out
}

// FiatDays returns the fiat rule's judgements so far, in order (deep copies).
func (s *Sale) FiatDays() []FiatDay {
	out := make([]FiatDay, len(s.fiatDays))
	for i, d := range s.fiatDays {
		out[i] = d.clone()
	}
	return out
}

func (d FiatDay) clone() FiatDay {
	d.Collected = slices.Clone(d.Collected)
	d.Rates = slices.Clone(d.Rates)
	d.Missing = slices.Clone(d.Missing)
	return d
}
