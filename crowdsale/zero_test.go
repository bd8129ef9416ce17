package crowdsale_test

import (
	"errors"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/token"
)

// Every exported method of every exported type's zero value returns an error or a zero
// result; none panics.
func TestZeroValuesDoNotPanic(t *testing.T) {
	for _, v := range []any{
		&crowdsale.Sale{}, crowdsale.Config{}, &crowdsale.Config{}, crowdsale.Tier{}, &crowdsale.Tier{},
		crowdsale.QuoteRule{}, &crowdsale.QuoteRule{}, crowdsale.FiatRule{}, &crowdsale.FiatRule{},
		crowdsale.Contribution{}, &crowdsale.Contribution{}, crowdsale.Receipt{}, &crowdsale.Receipt{},
		crowdsale.Projection{}, &crowdsale.Projection{}, crowdsale.Status{}, &crowdsale.Status{},
		crowdsale.Event{}, &crowdsale.Event{}, crowdsale.ContributionEvent{}, &crowdsale.ContributionEvent{},
		crowdsale.Refund{}, &crowdsale.Refund{}, crowdsale.End{}, &crowdsale.End{}, crowdsale.Shift{}, &crowdsale.Shift{},
		crowdsale.Finalization{}, &crowdsale.Finalization{}, crowdsale.Allocation{}, &crowdsale.Allocation{},
		crowdsale.Distribution{}, &crowdsale.Distribution{}, crowdsale.LockUp{}, &crowdsale.LockUp{}, crowdsale.ClosingRate{}, &crowdsale.ClosingRate{},
		crowdsale.FiatDay{}, &crowdsale.FiatDay{}, crowdsale.FiatRate{}, &crowdsale.FiatRate{},
		crowdsale.MissingRate{}, &crowdsale.MissingRate{}, crowdsale.Snapshot{}, &crowdsale.Snapshot{},
		crowdsale.ParticipantState{}, &crowdsale.ParticipantState{}, &crowdsale.Decoder{},
		crowdsale.EventKind(""), crowdsale.EndReason(""), crowdsale.Phase(""), crowdsale.Outcome(""),
		crowdsale.FiatStatus(""), crowdsale.RefundReason(""),
	} {
		zerotest.CallMethods(t, v)
	}
}

// The zero Sale refuses every command with ErrUninitialized and answers every query with a
// zero result.
func TestZeroSale(t *testing.T) {
	var s crowdsale.Sale
	at := utc(3, 5, 0, 0, 0)
	for name, err := range map[string]error{
		"Contribute":          func() error { _, err := s.Contribute(btc("a", "alice", "1", at)); return err }(),
		"WhatIf":              func() error { _, err := s.WhatIf(btc("a", "alice", "1", at)); return err }(),
		"RecordClosingRate":   s.RecordClosingRate(at, "gdax", token.BTC(), amt(usd, "1")),
		"RecordClosingRateAt": s.RecordClosingRateAt(at, at, "gdax", token.BTC(), amt(usd, "1")),
		"Advance":             func() error { _, err := s.Advance(at); return err }(),
		"Shift":               s.Shift(at, time.Hour),
		"Finalize":            s.Finalize(at),
		"Distribute":          s.Distribute(nil),
		"DistributeLocked":    s.DistributeLocked(nil, crowdsale.LockUp{}),
		"Audit":               s.Audit(),
	} {
		if !errors.Is(err, crowdsale.ErrUninitialized) || errorOf(err).Op != name {
			t.Errorf("%s: %v", name, err)
		}
	}
	if s.Len() != 0 || s.LastSeq() != 0 || s.Events() != nil || s.Receipts() != nil || s.Collected() != nil ||
		s.Allocations() != nil || s.Refunds() != nil || s.ClosingRates() != nil || s.FiatDays() != nil ||
		s.Raised().IsValid() || s.Provisional("alice").IsValid() || s.ProvisionalAt("alice", at).IsValid() ||
		s.Status(at) != (crowdsale.Status{}) {
		t.Fatal("a query of the zero Sale returned something")
	}
	if _, ok := s.Receipt("a"); ok {
		t.Fatal("the zero Sale has a receipt")
	}
	for range s.EventsAfter(0) {
		t.Fatal("the zero Sale has events")
	}
	if b, _ := s.Snapshot().MarshalJSON(); len(b) == 0 {
		t.Fatal("the zero Snapshot does not encode")
	}
}
