package reputation_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/reputation"
)

// TestZeroValues calls every exported method of the zero value of every exported type, by
// pointer and by value, and fails on any panic.
func TestZeroValues(t *testing.T) {
	for _, v := range []any{
		&reputation.Book{}, &reputation.Decoder{}, &reputation.Event{}, reputation.Event{}, new(reputation.EventKind),
		&reputation.Review{}, reputation.Review{}, &reputation.CircleLog{}, reputation.CircleLog{},
		&reputation.Record{}, reputation.Record{}, &reputation.CircleRecord{}, reputation.CircleRecord{},
		&reputation.Reputation{}, reputation.Reputation{}, &reputation.Term{}, reputation.Term{}, &reputation.Error{},
	} {
		zerotest.CallMethods(t, v)
	}
	var r reputation.Reputation
	if r.Explain() != ": 0 of 1000" || r.MeanRating() != nil {
		t.Errorf("zero reputation: %q", r.Explain())
	}
	var b reputation.Book
	if b.LastSeq() != 0 || b.Len() != 0 || len(b.Circles()) != 0 {
		t.Errorf("zero book is not empty")
	}
}
