package crowdsale_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/crowdsale"
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
