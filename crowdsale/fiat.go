package crowdsale

import (
	"math/big"
	"slices"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// ClosingRate is one source's closing rate of a currency for a UTC day: the value of one
// whole unit of Asset in the fiat rule's currency, an amount of [FiatRule.Currency] ("1200.50
// USD" per BTC). The zero ClosingRate records nothing.
type ClosingRate struct {
	Day    time.Time    // 00:00:00 UTC of the day
	Source string       // one of the config's quote sources
	Asset  token.Asset  // the currency rated
	Rate   token.Amount // of the fiat currency, per whole unit of Asset
}

// FiatStatus is the verdict of the fiat rule for one day.
type FiatStatus string

// The verdicts of the fiat rule.
const (
	FiatMet     FiatStatus = "met"     // the value reached the threshold
	FiatNotMet  FiatStatus = "not_met" // the value stayed below the threshold
	FiatUnknown FiatStatus = "unknown" // a closing rate needed was missing: not guessed, the streak restarts
)

// MissingRate names a day and currency without any closing rate. The zero MissingRate names
// nothing.
type MissingRate struct {
	Day   time.Time
	Asset token.Asset
}

// FiatRate is the rate the fiat rule used for one currency on a day: the minimum of the
// median closing rates of the look-back days, an amount of [Config.FiatValueAsset] per whole
// unit of Asset (exact: the mean of two middle rates may fall between two minor units of the
// fiat currency). The zero FiatRate names nothing.
type FiatRate struct {
	Asset token.Asset
	Rate  token.Amount
}

// FiatDay is the fiat rule's judgement of one UTC day, made at the day's end. The zero
// FiatDay judges nothing.
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
	Day       time.Time      // 00:00 UTC of the day judged
	JudgedAt  time.Time      // the day's end, when it is judged
	Status    FiatStatus     // the verdict
	Collected []token.Amount // the amounts counted, one per currency with something collected
	Rates     []FiatRate     // the rate used per currency, when every one was known
	Value     token.Amount   // the fiat value, exact, in [Config.FiatValueAsset]; the zero Amount when unknown
	Missing   []MissingRate  // the days and currencies without a closing rate
	Streak    int            // consecutive days met, this one included
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
	for i := range pd.days {
		// the log holds the only copy: pd.days was made for this command
		s.appendLog(Event{Kind: EventFiatDay, At: pd.days[i].JudgedAt, FiatDay: &pd.days[i]})
	}
	s.streak, s.nextJudge = pd.streak, pd.next
	if pd.ended {
		s.end(pd.reason, nanosTime(pd.endAt))
	}
}

// judge evaluates the fiat rule for the day starting at day (unix nanos).
func (s *Sale) judge(day int64, streak int) FiatDay {
	d := FiatDay{Day: nanosTime(day), JudgedAt: nanosTime(day + nanosPerDay)}
	dayNum := day / nanosPerDay
	var value, t big.Int
	for ai, ap := range s.p.assets {
		c := s.collected[ai]
		if c.IsZero() {
			continue
		}
		if d.Collected == nil { // room for every currency at once
			d.Collected = make([]token.Amount, 0, len(s.p.assets)-ai)
		}
		d.Collected = append(d.Collected, ap.asset.FromUint128Units(c.Hi, c.Lo))
		var low *big.Int
		complete := true
		for j := int64(1); j <= int64(s.p.fiatLookback); j++ {
			m, ok := s.medianClosing(dayNum-j, ai)
			if !ok {
				if d.Missing == nil { // room for every day of every currency at once
					d.Missing = make([]MissingRate, 0, (len(s.p.assets)-ai)*s.p.fiatLookback)
				}
				d.Missing = append(d.Missing, MissingRate{Day: nanosTime((dayNum - j) * nanosPerDay), Asset: ap.asset})
				complete = false
				continue
			}
			if low == nil || m.Cmp(low) < 0 {
				low = m
			}
		}
		if complete {
			rate, _ := s.p.fiatValue.FromUnits(low) // rates have at most 40 digits: within range
			d.Rates = append(d.Rates, FiatRate{Asset: ap.asset, Rate: rate})
			// the rate is per whole unit: value += low x collected / 10^decimals, exact
			// because low is a multiple of 10^maxDec
			t.Mul(low, c.Big())
			t.Quo(&t, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(ap.decimals)), nil))
			value.Add(&value, &t)
		}
	}
	switch {
	case len(d.Missing) > 0:
		d.Status, d.Streak = FiatUnknown, 0
	case value.Cmp(&s.p.threshold) >= 0:
		d.Status, d.Streak = FiatMet, streak+1
		d.Value, _ = s.p.fiatValue.FromUnits(&value)
	default:
		d.Status, d.Streak = FiatNotMet, 0
		d.Value, _ = s.p.fiatValue.FromUnits(&value)
	}
	return d
}

// medianClosing returns the median of the sources' closing rates for a day and asset, in
// units of the fiat value asset.
func (s *Sale) medianClosing(dayNum int64, ai int) (*big.Int, bool) {
	if len(s.closing) == 0 {
		return nil, false
	}
	var small [8]token.Amount
	rates := small[:0] // on the stack up to 8 sources
	for si := range s.p.sources {
		r, ok := s.closing[closingKey{day: dayNum, source: uint8(si), asset: uint8(ai)}]
		if !ok {
			continue
		}
		rates = append(rates, r)
		j := len(rates) - 1
		for j > 0 && rates[j-1].Cmp(r) > 0 {
			rates[j] = rates[j-1]
			j--
		}
		rates[j] = r
	}
	n := len(rates)
	if n == 0 {
		return nil, false
	}
	// The fiat value asset has 1 + maxDec more decimals than the fiat currency.
	m := rates[n/2].Units()
	if n%2 == 1 {
		m.Mul(m, big.NewInt(10)) // exact median
	} else {
		m.Add(m, rates[n/2-1].Units())
		m.Mul(m, big.NewInt(5)) // exact mean: (a + b) / 2 = (a + b) x 5 / 10
	}
	return m.Mul(m, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s.p.maxDec)), nil)), true
}

// maxRateDigits bounds the minor units of a closing rate, so that every figure of the fiat
// rule stays within the digits of an Amount.
const maxRateDigits = 40

var maxRate = new(big.Int).Exp(big.NewInt(10), big.NewInt(maxRateDigits), nil)

// RecordClosingRateAt records, at time at, one source's closing rate of asset for the UTC
// day starting at day (00:00:00 UTC): the value of one whole unit of asset in the fiat
// currency, a positive amount of [FiatRule.Currency] of at most 40 digits of minor units. A
// rate is known only once its day has closed, so at must be at or after the end of day
// (00:00 UTC of the next day). Like every command it first records what falls due by at
// (the fiat days judged at their end, see [Sale.NextJudgement]), then moves the sale's
// clock to at; a rate must come before the first day that uses it is judged (see
// [Sale.ClosingDeadline]). Recording the same rate again is a no-op.
//
// Errors (nothing changes) are [*Error] values wrapping [ErrClosingRate] (no fiat rule, a
// day that is not 00:00:00 UTC or outside the years 1679 to 2261, a currency the sale does
// not accept, a rate that is not a positive amount of the fiat currency or too large),
// [ErrUnknownSource], [ErrRateNotClosed] (at is before the end of day), [ErrRateConflict]
// (a different rate for the same day, source and currency; or a rate for a day already used
// by a day judged by at), [ErrTimeOrder], [ErrEnded] (also when what falls due by at ends
// the sale), [token.ErrInvalidTime] or [ErrUninitialized].
func (s *Sale) RecordClosingRateAt(at, day time.Time, source string, asset token.Asset, rate token.Amount) error {
	return s.recordClosing("RecordClosingRateAt", at, true, day, source, asset, rate)
}

// RecordClosingRate is [Sale.RecordClosingRateAt] at the sale's clock (the time of its
// latest command): the day must have closed by then, so a service that records a rate as
// soon as it is published uses RecordClosingRateAt with the time it learned it. The errors
// are those of RecordClosingRateAt; a sale that has had no command yet refuses every rate
// with [ErrRateNotClosed].
func (s *Sale) RecordClosingRate(day time.Time, source string, asset token.Asset, rate token.Amount) error {
	return s.recordClosing("RecordClosingRate", s.now, false, day, source, asset, rate)
}

// recordClosing is RecordClosingRateAt (dated) and RecordClosingRate (at the clock).
func (s *Sale) recordClosing(op string, at time.Time, dated bool, day time.Time, source string, asset token.Asset, rate token.Amount) error {
	if s.p == nil {
		return uninitialized(op)
	}
	if dated {
		var err error
		if at, err = checkTime(op, at); err != nil {
			return err
		}
		if s.hasNow && at.Before(s.now) {
			return timeOrder(op, at, s.now)
		}
	}
	day = day.UTC()
	fail := func(reason *fault.Reason, cause error, detail string) error {
		d := asset.String() + " on " + day.Format(time.DateOnly) + " from source " + strconv.Quote(source) + ": " + detail
		if cause != nil {
			d += ": " + causeText(cause)
		}
		return &Error{Op: op, Amount: rate, At: day, Detail: d, Err: because(reason, cause)}
	}
	switch {
	case !s.cfg.Fiat.Enabled():
		return fail(ErrClosingRate, nil, "the sale has no fiat rule")
	case s.ended:
		return fail(ErrEnded, nil, "the sale ended by "+string(s.endReason)+" at "+stamp(s.endAt))
	case !inNanoRange(day) || day.UnixNano() != floorDay(day.UnixNano()):
		return fail(ErrClosingRate, nil, "the day must be 00:00:00 UTC of a day between the years 1679 and 2261")
	}
	si := s.sourceIndex(source)
	if si < 0 {
		return fail(ErrUnknownSource, nil, "unknown source")
	}
	ai := s.assetIndex(asset)
	if ai < 0 {
		return fail(ErrClosingRate, nil, "currency not accepted")
	}
	if err := s.cfg.Fiat.Currency.CheckPositive(rate); err != nil {
		return fail(ErrClosingRate, err, "the rate must be a positive amount of "+s.cfg.Fiat.Currency.String())
	}
	if rate.Units().Cmp(maxRate) >= 0 {
		return fail(ErrClosingRate, nil, "the rate must have at most 40 digits of minor units")
	}
	dn := day.UnixNano()
	if closes := nanosTime(dn + nanosPerDay); !dated && !s.hasNow {
		return fail(ErrRateNotClosed, nil, "the day closes at "+stamp(closes)+" and the sale has no clock yet")
	} else if at.Before(closes) {
		return fail(ErrRateNotClosed, nil, "the day closes at "+stamp(closes)+", after "+stamp(at))
	}
	key := closingKey{day: dn / nanosPerDay, source: uint8(si), asset: uint8(ai)}
	if old, ok := s.closing[key]; ok {
		if old.Equal(rate) {
			return nil
		}
		return fail(ErrRateConflict, nil, "a different rate was recorded: "+old.String())
	}
	var pd pending
	next := s.nextJudge
	if dated {
		s.pendingUntil(s.clampAny(at), &pd)
		if pd.ended {
			return fail(ErrEnded, nil, "the sale ended by "+string(pd.reason)+" at "+stamp(nanosTime(pd.endAt)))
		}
		next = pd.next
	}
	// the days judged so far are those before next - 1 day
	lo := max(dn+nanosPerDay, floorDay(s.p.start))
	hi := min(dn+int64(s.p.fiatLookback)*nanosPerDay, next-2*nanosPerDay)
	if lo <= hi {
		return fail(ErrRateConflict, nil, "a day that used this rate was already judged")
	}
	s.applyPending(&pd)
	s.now, s.hasNow = at, true
	s.closing[key] = rate
	cr := ClosingRate{Day: day, Source: source, Asset: asset, Rate: rate}
	s.closingLog = append(s.closingLog, cr)
	s.appendLog(Event{Kind: EventClosingRate, At: at, ClosingRate: &cr})
	return nil
}

// ClosingRates returns the closing rates recorded, in order.
func (s *Sale) ClosingRates() []ClosingRate { return slices.Clone(s.closingLog) }

// FiatDays returns the fiat rule's judgements so far, in order (deep copies).
func (s *Sale) FiatDays() []FiatDay {
	var out []FiatDay
	for i := range s.log {
		if d := s.log[i].ev.FiatDay; d != nil {
			out = append(out, d.clone())
		}
	}
	return out
}

func (d FiatDay) clone() FiatDay {
	d.Collected = slices.Clone(d.Collected)
	d.Rates = slices.Clone(d.Rates)
	d.Missing = slices.Clone(d.Missing)
	return d
}
