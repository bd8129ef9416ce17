package reputation_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/internal/reasontest"
	"github.com/trustcircle/trustcircle/reputation"
)

// reasons lists every exported Err* of the package; TestReasonCodes checks that the list is
// complete.
var reasons = map[string]error{
	"ErrInvalidCircle":    reputation.ErrInvalidCircle,
	"ErrDuplicateCircle":  reputation.ErrDuplicateCircle,
	"ErrUnknownCircle":    reputation.ErrUnknownCircle,
	"ErrNotMember":        reputation.ErrNotMember,
	"ErrSubjectNotMember": reputation.ErrSubjectNotMember,
	"ErrSelfReview":       reputation.ErrSelfReview,
	"ErrDuplicateReview":  reputation.ErrDuplicateReview,
	"ErrInvalidRating":    reputation.ErrInvalidRating,
	"ErrInvalidText":      reputation.ErrInvalidText,
	"ErrInvalidLog":       reputation.ErrInvalidLog,
	"ErrInvalidCircleLog": reputation.ErrInvalidCircleLog,
	"ErrInvalidScore":     reputation.ErrInvalidScore,
	"ErrBelowMinimum":     reputation.ErrBelowMinimum,
}

// TestReasonCodes: every exported Err* is a *fault.Reason with a unique "reputation." code, a
// class and a row in the code table of doc.go.
func TestReasonCodes(t *testing.T) { reasontest.Check(t, "reputation", reasons) }

// TestMeetsMinimum: the admission check admits at or above the minimum and refuses below it
// with a forbidden error; out-of-range figures are invalid.
func TestMeetsMinimum(t *testing.T) {
	for _, c := range []struct {
		score, min int
		want       error
	}{
		{500, 500, nil}, {501, 500, nil}, {0, 0, nil}, {1000, 1000, nil},
		{499, 500, reputation.ErrBelowMinimum}, {0, 1, reputation.ErrBelowMinimum},
		{500, -1, reputation.ErrInvalidScore}, {500, 1001, reputation.ErrInvalidScore},
		{-1, 0, reputation.ErrInvalidScore}, {1001, 0, reputation.ErrInvalidScore},
	} {
		err := reputation.MeetsMinimum(c.score, c.min)
		if c.want == nil {
			ok(t, err)
			continue
		}
		wantReason(t, err, c.want, "MeetsMinimum")
	}
	if fault.ClassOf(reputation.MeetsMinimum(1, 2)) != fault.Forbidden {
		t.Errorf("below the minimum is not forbidden")
	}
	r := reputation.Reputation{Account: "carol", Score: 571}
	err := r.MeetsMinimum(600)
	wantReason(t, err, reputation.ErrBelowMinimum, "MeetsMinimum")
	if e, _ := err.(*reputation.Error); e.Account != "carol" {
		t.Errorf("the error does not name the account: %v", err)
	}
	ok(t, r.MeetsMinimum(571))
}
