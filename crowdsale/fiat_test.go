package crowdsale_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// A constructed month of closing rates. 4,000 BTC and 50,000 ETH (1,500 BTC of value) are
// collected on March 2. ETH closes at $20 every day ($1.0M). BTC closes at $1,400 ($5.6M, a
// total of $6.6M) until a one-day spike to $3,000 on March 10 (the minimum of three days
// never sees it: the sale goes on), then from March 15 at $1,575: 4,000 x 1,575 + 1.0M =
// exactly $7.3M, which counts ("at least"). Days judged with the three previous closings all
// at $1,575 are March 18, 19 and 20, so the sale ends at the end of March 20, 2017-03-21
// 00:00 UTC. March 5 has no closing at all: days 6, 7 and 8 are unknown, not guessed.
// Some days have only one or two sources: the median of those that answered.
func TestFiatRuleMonth(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	s := newSale(t, cfg)
	sources := cfg.Quotes.Sources
	// each day's rates are recorded when the day has closed, at 00:00 of the next day
	record := func(day time.Time) {
		if day.Equal(utc(3, 5, 0, 0, 0)) {
			return // no source answered
		}
		btcRate := "1400"
		switch {
		case day.Equal(utc(3, 10, 0, 0, 0)):
			btcRate = "3000"
		case !day.Before(utc(3, 15, 0, 0, 0)):
			btcRate = "1575"
		}
		for i, src := range sources {
			if day.Equal(utc(3, 12, 0, 0, 0)) && i == 0 {
				continue // two sources: 1400 and 1500 -> median 1450
			}
			if day.Equal(utc(3, 13, 0, 0, 0)) && i > 0 {
				continue // one source
			}
			rate := btcRate
			if day.Equal(utc(3, 12, 0, 0, 0)) && i == 2 {
				rate = "1500"
			}
			closed := day.Add(24 * time.Hour)
			if err := s.RecordClosingRateAt(closed, day, src, token.BTC(), amt(usd, rate)); err != nil {
				t.Fatal(err)
			}
			if err := s.RecordClosingRateAt(closed, day, src, token.ETH(), amt(usd, "20")); err != nil {
				t.Fatal(err)
			}
		}
	}
	for day := utc(2, 26, 0, 0, 0); day.Before(utc(3, 2, 0, 0, 0)); day = day.Add(24 * time.Hour) {
		record(day)
	}
	mustContribute(t, s, btc("b", "alice", "4000", utc(3, 2, 10, 0, 0)))
	mustContribute(t, s, eth("e", "bob", "50000", utc(3, 2, 11, 0, 0), quotes("0.03", "0.03", "0.03")))
	for day := utc(3, 2, 0, 0, 0); day.Before(utc(3, 20, 0, 0, 0)); day = day.Add(24 * time.Hour) {
		record(day)
	}
	judged := len(s.FiatDays())
	// before the end of the 3rd consecutive day the sale is open, and contributions count
	if st := s.Status(utc(3, 20, 23, 59, 59)); st.Phase != crowdsale.PhaseOpen {
		t.Fatalf("status on March 20: %+v", st)
	}
	if _, err := s.WhatIf(btc("x", "carol", "1", utc(3, 20, 23, 59, 59))); err != nil {
		t.Fatal(err)
	}
	st := s.Status(utc(3, 21, 0, 0, 0))
	if st.Phase != crowdsale.PhaseEnded || st.Reason != crowdsale.EndFiat || !st.EndedAt.Equal(utc(3, 21, 0, 0, 0)) {
		t.Fatalf("status on March 21: %+v", st)
	}
	if len(s.FiatDays()) != judged || judged != 18 {
		t.Fatalf("%d days judged by March 20, then %d: Status recorded fiat days", judged, len(s.FiatDays()))
	}
	if _, err := s.Contribute(btc("late", "carol", "1", utc(3, 21, 0, 0, 0))); !errors.Is(err, crowdsale.ErrEnded) ||
		errorOf(err).Detail != `contribution "late": the sale ended by fiat at 2017-03-21T00:00:00Z` {
		t.Fatalf("contribution after the fiat end: %v", err)
	}
	if _, err := s.Advance(utc(3, 25, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	days := s.FiatDays()
	want := map[string]struct {
		status crowdsale.FiatStatus
		value  string
		streak int
	}{
		"2017-03-02": {crowdsale.FiatNotMet, "6600000", 0},
		"2017-03-05": {crowdsale.FiatNotMet, "6600000", 0},
		"2017-03-06": {crowdsale.FiatUnknown, "", 0}, // no value: the zero Amount
		"2017-03-08": {crowdsale.FiatUnknown, "", 0},
		"2017-03-09": {crowdsale.FiatNotMet, "6600000", 0},
		"2017-03-11": {crowdsale.FiatNotMet, "6600000", 0}, // the spike (March 10) is not the minimum
		"2017-03-13": {crowdsale.FiatNotMet, "6600000", 0},
		"2017-03-16": {crowdsale.FiatNotMet, "6600000", 0}, // March 13 (1400) still in the look-back
		"2017-03-17": {crowdsale.FiatNotMet, "6600000", 0}, // March 14 (1400) still in the look-back
		"2017-03-18": {crowdsale.FiatMet, "7300000", 1},
		"2017-03-19": {crowdsale.FiatMet, "7300000", 2},
		"2017-03-20": {crowdsale.FiatMet, "7300000", 3},
	}
	if len(days) != 19 {
		t.Fatalf("%d days judged, want 19 (March 2 to 20)", len(days))
	}
	for _, fd := range days {
		w, ok := want[fd.Day.Format(time.DateOnly)]
		if !ok {
			if fd.Status == crowdsale.FiatMet {
				t.Errorf("%s met", fd.Day)
			}
			continue
		}
		want := token.Amount{}
		if w.value != "" {
			want = fiat(w.value)
		}
		if fd.Status != w.status || !fd.Value.Equal(want) || fd.Streak != w.streak {
			t.Errorf("%s: %s %s streak %d, want %s %s %d", fd.Day.Format(time.DateOnly), fd.Status, fd.Value, fd.Streak, w.status, w.value, w.streak)
		}
	}
	if m := days[4].Missing; len(m) != 2 || !m[0].Day.Equal(utc(3, 5, 0, 0, 0)) {
		t.Fatalf("March 6 missing %+v", m)
	}
	st2, _ := s.Advance(utc(3, 26, 0, 0, 0))
	if st2.Reason != crowdsale.EndFiat {
		t.Fatalf("status %+v", st2)
	}
	if err := s.RecordClosingRate(utc(3, 30, 0, 0, 0), "gdax", token.BTC(), amt(usd, "1")); !errors.Is(err, crowdsale.ErrEnded) || errorOf(err).Op != "RecordClosingRate" {
		t.Fatalf("rate after the end: %v", err)
	}
	if err := s.Audit(); err != nil {
		t.Fatal(err)
	}
}

// A spike alone never ends the sale: only the minimum of three days counts.
func TestFiatSpikeDoesNotEnd(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	s := newSale(t, cfg)
	for day := utc(2, 26, 0, 0, 0); day.Before(utc(4, 12, 0, 0, 0)); day = day.Add(24 * time.Hour) {
		if day.Equal(utc(3, 2, 0, 0, 0)) {
			mustContribute(t, s, btc("b", "alice", "5000", utc(3, 2, 10, 0, 0)))
		}
		rate := "1000"
		if day.Day()%4 == 0 {
			rate = "100000" // a spike every fourth day
		}
		if err := s.RecordClosingRateAt(day.Add(24*time.Hour), day, "gdax", token.BTC(), amt(usd, rate)); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.Advance(cfg.End)
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != crowdsale.EndWindow {
		t.Fatalf("status %+v", st)
	}
	for _, fd := range s.FiatDays() {
		if fd.Status != crowdsale.FiatNotMet || !fd.Value.Equal(fiat("5000000")) {
			t.Fatalf("%s: %s %s", fd.Day, fd.Status, fd.Value)
		}
	}
}

func TestClosingRateErrors(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	s := newSale(t, cfg)
	day := utc(3, 1, 0, 0, 0)
	usd36, _ := token.NewAsset("USD", 36)
	cases := []struct {
		name string
		day  time.Time
		src  string
		a    token.Asset
		rate token.Amount
		want error
	}{
		{"not midnight", day.Add(time.Hour), "gdax", token.BTC(), amt(usd, "1"), crowdsale.ErrClosingRate},
		{"midnight elsewhere", time.Date(2017, 3, 1, 0, 0, 0, 0, time.FixedZone("", 3600)), "gdax", token.BTC(), amt(usd, "1"), crowdsale.ErrClosingRate},
		{"year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "gdax", token.BTC(), amt(usd, "1"), crowdsale.ErrClosingRate},
		{"unknown source", day, "kraken", token.BTC(), amt(usd, "1"), crowdsale.ErrUnknownSource},
		{"unknown asset", day, "gdax", token.TRST(), amt(usd, "1"), crowdsale.ErrClosingRate},
		{"zero", day, "gdax", token.BTC(), amt(usd, "0"), crowdsale.ErrClosingRate},
		{"negative", day, "gdax", token.BTC(), amt(usd, "-1"), crowdsale.ErrClosingRate},
		{"no amount", day, "gdax", token.BTC(), token.Amount{}, crowdsale.ErrClosingRate},
		{"another currency", day, "gdax", token.BTC(), btcs("1"), crowdsale.ErrClosingRate},
		{"finer than a cent", day, "gdax", token.BTC(), usd36.MustParse("0." + strings.Repeat("0", 35) + "1"), crowdsale.ErrClosingRate},
		{"more than 40 digits", day, "gdax", token.BTC(), amt(usd, "1"+strings.Repeat("0", 38)), crowdsale.ErrClosingRate},
	}
	for _, c := range cases {
		err := s.RecordClosingRate(c.day, c.src, c.a, c.rate)
		if !errors.Is(err, c.want) || !strings.Contains(errorOf(err).Detail, "source "+strconv.Quote(c.src)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if err := s.RecordClosingRateAt(day.Add(24*time.Hour), day, "gdax", token.BTC(), amt(usd, "1"+strings.Repeat("0", 37))); err != nil {
		t.Fatalf("40 digits: %v", err)
	}
	s = newSale(t, cfg)
	if err := s.RecordClosingRateAt(day.Add(24*time.Hour), day, "gdax", token.BTC(), amt(usd, "1000")); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordClosingRate(day, "gdax", token.BTC(), amt(usd, "1000.0")); err != nil {
		t.Fatalf("same rate again: %v", err)
	}
	if err := s.RecordClosingRate(day, "gdax", token.BTC(), amt(usd, "1001")); !errors.Is(err, crowdsale.ErrRateConflict) {
		t.Fatalf("conflicting rate: %v", err)
	}
	if n := len(s.ClosingRates()); n != 1 {
		t.Fatalf("%d rates", n)
	}
	// once March 2 is judged (at March 3 00:00), rates of Feb 27..March 1 are late
	if _, err := s.Advance(utc(3, 3, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordClosingRate(utc(2, 28, 0, 0, 0), "gdax", token.ETH(), amt(usd, "20")); !errors.Is(err, crowdsale.ErrRateConflict) {
		t.Fatalf("late rate: %v", err)
	}
	if err := s.RecordClosingRate(utc(3, 2, 0, 0, 0), "gdax", token.ETH(), amt(usd, "20")); err != nil {
		t.Fatalf("March 2 is not used yet: %v", err)
	}
	noFiat := cfg
	noFiat.Fiat = crowdsale.FiatRule{}
	s2 := newSale(t, noFiat)
	if err := s2.RecordClosingRate(day, "gdax", token.BTC(), amt(usd, "1")); !errors.Is(err, crowdsale.ErrClosingRate) {
		t.Fatalf("no fiat rule: %v", err)
	}
}
