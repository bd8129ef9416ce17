package crowdsale_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/crowdsale/crowdsaletest"
	"github.com/trustcircle/trustcircle/token"
)

// The daily judgement is explicit: the next day judged, each rate's deadline, and a preview
// of the verdicts that Advance then records exactly.
func TestFiatJudgementIsExplicit(t *testing.T) {
	s := newSale(t, crowdsale.WeTrust2017())
	day, at, ok := s.NextJudgement()
	if !ok || !day.Equal(utc(3, 2, 0, 0, 0)) || !at.Equal(utc(3, 3, 0, 0, 0)) {
		t.Fatal(day, at, ok)
	}
	// March 1's rate is used first by March 2, judged at 00:00 on March 3
	for d, want := range map[time.Time]time.Time{
		utc(2, 27, 0, 0, 0): utc(3, 3, 0, 0, 0), utc(3, 1, 0, 0, 0): utc(3, 3, 0, 0, 0),
		utc(3, 5, 0, 0, 0): utc(3, 7, 0, 0, 0),
	} {
		if got, ok := s.ClosingDeadline(d); !ok || !got.Equal(want) {
			t.Errorf("deadline of %s: %s %v, want %s", d, got, ok, want)
		}
	}
	for _, d := range []time.Time{utc(2, 26, 0, 0, 0), utc(3, 1, 12, 0, 0), utc(4, 13, 0, 0, 0)} {
		if got, ok := s.ClosingDeadline(d); ok {
			t.Errorf("%s: deadline %s", d, got)
		}
	}
	mustContribute(t, s, btc("a", "alice", "6000", utc(3, 2, 1, 0, 0))) // the cap: ends the sale
	s = newSale(t, crowdsale.WeTrust2017())
	mustContribute(t, s, btc("a", "alice", "5000", utc(3, 2, 1, 0, 0)))
	for _, d := range []time.Time{utc(2, 27, 0, 0, 0), utc(2, 28, 0, 0, 0), utc(3, 1, 0, 0, 0)} {
		if err := s.RecordClosingRate(d, "gdax", token.BTC(), amt(usd, "1500")); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.FiatPreview(utc(3, 2, 23, 59, 59)); got != nil {
		t.Fatalf("nothing is due before the day's end: %+v", got)
	}
	preview := s.FiatPreview(utc(3, 3, 0, 0, 0))
	if len(preview) != 1 || preview[0].Status != crowdsale.FiatMet || len(s.FiatDays()) != 0 {
		t.Fatalf("preview %+v, judged %d", preview, len(s.FiatDays()))
	}
	if _, err := s.Advance(utc(3, 3, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(preview, s.FiatDays()); diff != "" {
		t.Fatal(diff)
	}
	// the deadline has passed for March 1; March 2's is the end of March 3
	if err := s.RecordClosingRate(utc(3, 1, 0, 0, 0), "cryptocompare", token.BTC(), amt(usd, "1400")); !errors.Is(err, crowdsale.ErrRateConflict) {
		t.Fatalf("after the deadline: %v", err)
	}
	if d, ok := s.ClosingDeadline(utc(3, 2, 0, 0, 0)); !ok || !d.Equal(utc(3, 4, 0, 0, 0)) {
		t.Fatal(d, ok)
	}
	if err := s.RecordClosingRate(utc(3, 2, 0, 0, 0), "gdax", token.BTC(), amt(usd, "1500")); err != nil {
		t.Fatal(err)
	}
	if day, _, _ := s.NextJudgement(); !day.Equal(utc(3, 3, 0, 0, 0)) {
		t.Fatal(day)
	}
	var zero crowdsale.Sale
	if _, _, ok := zero.NextJudgement(); ok || zero.FiatPreview(utc(3, 3, 0, 0, 0)) != nil {
		t.Fatal("the zero sale judges")
	}
	if _, ok := zero.ClosingDeadline(utc(3, 1, 0, 0, 0)); ok {
		t.Fatal("the zero sale has deadlines")
	}
}

// A closing rate is recorded dated, once its day has closed and before its deadline; the
// command judges what fell due first and moves the clock.
func TestClosingRateDated(t *testing.T) {
	s := newSale(t, crowdsale.WeTrust2017())
	rate := amt(usd, "1500")
	// no clock yet: the undated form cannot know that the day has closed
	if err := s.RecordClosingRate(utc(2, 27, 0, 0, 0), "gdax", token.BTC(), rate); !errors.Is(err, crowdsale.ErrRateNotClosed) ||
		errorOf(err).Detail != `BTC on 2017-02-27 from source "gdax": the day closes at 2017-02-28T00:00:00Z and the sale has no clock yet` {
		t.Fatalf("undated without a clock: %v", err)
	}
	// a day that has not closed by the command's time, by a nanosecond
	if err := s.RecordClosingRateAt(utc(2, 27, 23, 59, 59).Add(999_999_999), utc(2, 27, 0, 0, 0), "gdax", token.BTC(), rate); !errors.Is(err, crowdsale.ErrRateNotClosed) {
		t.Fatalf("a day not closed: %v", err)
	}
	if s.LastSeq() != 0 || len(s.ClosingRates()) != 0 {
		t.Fatal("a refused rate changed the sale")
	}
	// at the day's end it is recorded, dated, and the clock moves
	if err := s.RecordClosingRateAt(utc(2, 28, 0, 0, 0), utc(2, 27, 0, 0, 0), "gdax", token.BTC(), rate); err != nil {
		t.Fatal(err)
	}
	if ev := s.Events()[0]; ev.Kind != crowdsale.EventClosingRate || !ev.At.Equal(utc(2, 28, 0, 0, 0)) {
		t.Fatalf("event %+v", ev)
	}
	if _, err := s.Advance(utc(2, 27, 0, 0, 0)); !errors.Is(err, crowdsale.ErrTimeOrder) {
		t.Fatalf("the clock did not move: %v", err)
	}
	// before the clock: refused; the same rate again: a no-op that moves nothing
	if err := s.RecordClosingRateAt(utc(2, 27, 0, 0, 0), utc(2, 26, 0, 0, 0), "gdax", token.BTC(), rate); !errors.Is(err, crowdsale.ErrTimeOrder) {
		t.Fatalf("before the clock: %v", err)
	}
	if err := s.RecordClosingRateAt(utc(3, 1, 0, 0, 0), utc(2, 27, 0, 0, 0), "gdax", token.BTC(), rate); err != nil || s.LastSeq() != 1 {
		t.Fatalf("same rate again: %v, %d events", err, s.LastSeq())
	}
	// the undated form at the sale's clock (February 28): February 28 has not closed
	if err := s.RecordClosingRate(utc(2, 28, 0, 0, 0), "gdax", token.BTC(), rate); !errors.Is(err, crowdsale.ErrRateNotClosed) {
		t.Fatalf("undated, day not closed by the clock: %v", err)
	}
	mustContribute(t, s, btc("a", "alice", "5000", utc(3, 2, 1, 0, 0)))
	for _, d := range []time.Time{utc(2, 28, 0, 0, 0), utc(3, 1, 0, 0, 0)} {
		if err := s.RecordClosingRate(d, "gdax", token.BTC(), rate); err != nil {
			t.Fatalf("undated %s: %v", d, err)
		}
	}
	// a rate dated after the end of March 2 judges March 2 first: March 1's rate is then late
	// and nothing changes; March 2's rate is still in time, recorded after the verdict
	seq := s.LastSeq()
	if err := s.RecordClosingRateAt(utc(3, 3, 0, 0, 0), utc(3, 1, 0, 0, 0), "cryptocompare", token.BTC(), rate); !errors.Is(err, crowdsale.ErrRateConflict) ||
		s.LastSeq() != seq || len(s.FiatDays()) != 0 {
		t.Fatalf("a rate its judgement needed, after the judgement: %v (%d events, %d days)", err, s.LastSeq()-seq, len(s.FiatDays()))
	}
	if err := s.RecordClosingRateAt(utc(3, 3, 0, 0, 0), utc(3, 2, 0, 0, 0), "gdax", token.BTC(), rate); err != nil {
		t.Fatal(err)
	}
	evs := s.Events()
	if len(s.FiatDays()) != 1 || evs[len(evs)-2].Kind != crowdsale.EventFiatDay || evs[len(evs)-1].Kind != crowdsale.EventClosingRate {
		t.Fatalf("the verdict of March 2 is not recorded before the rate: %+v", evs[len(evs)-2:])
	}
	if err := crowdsaletest.Check(s); err != nil {
		t.Fatal(err)
	}
	// what falls due by the command may end the sale: then the rate is refused
	e := newSale(t, crowdsale.WeTrust2017())
	if err := e.RecordClosingRateAt(utc(4, 13, 0, 0, 0), utc(4, 12, 0, 0, 0), "gdax", token.BTC(), rate); !errors.Is(err, crowdsale.ErrEnded) || e.LastSeq() != 0 {
		t.Fatalf("a rate dated at the end: %v", err)
	}
}
