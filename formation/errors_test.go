package formation_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/formation"
	"github.com/trustcircle/trustcircle/internal/reasontest"
)

// reasons lists every exported Err* of the package; TestReasonCodes checks that the list is
// complete.
var reasons = map[string]error{
	"ErrUninitialized":   formation.ErrUninitialized,
	"ErrInvalidTerms":    formation.ErrInvalidTerms,
	"ErrNotOrganiser":    formation.ErrNotOrganiser,
	"ErrNotInvited":      formation.ErrNotInvited,
	"ErrAlreadyInvited":  formation.ErrAlreadyInvited,
	"ErrTermsMismatch":   formation.ErrTermsMismatch,
	"ErrAlreadyAccepted": formation.ErrAlreadyAccepted,
	"ErrDeclined":        formation.ErrDeclined,
	"ErrOrganiserSeat":   formation.ErrOrganiserSeat,
	"ErrInvalidEvidence": formation.ErrInvalidEvidence,
	"ErrNotAdmitted":     formation.ErrNotAdmitted,
	"ErrClosed":          formation.ErrClosed,
	"ErrNotReady":        formation.ErrNotReady,
	"ErrPastDeadline":    formation.ErrPastDeadline,
	"ErrBeforeDeadline":  formation.ErrBeforeDeadline,
	"ErrTimeBackwards":   formation.ErrTimeBackwards,
	"ErrInvalidLog":      formation.ErrInvalidLog,
}

// TestReasonCodes: every exported Err* is a *fault.Reason with a unique "formation." code,
// a class and a row in the code table of doc.go.
func TestReasonCodes(t *testing.T) { reasontest.Check(t, "formation", reasons) }
