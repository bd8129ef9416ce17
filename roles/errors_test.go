package roles_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/internal/reasontest"
	"github.com/trustcircle/trustcircle/roles"
)

// reasons lists every exported Err* of the package; TestReasonCodes checks that the list is
// complete.
var reasons = map[string]error{
	"ErrUnknownRole":     roles.ErrUnknownRole,
	"ErrNotPermitted":    roles.ErrNotPermitted,
	"ErrInvalidProgram":  roles.ErrInvalidProgram,
	"ErrUninitialized":   roles.ErrUninitialized,
	"ErrInvalidClaim":    roles.ErrInvalidClaim,
	"ErrDuplicateClaim":  roles.ErrDuplicateClaim,
	"ErrNotReferred":     roles.ErrNotReferred,
	"ErrAlreadyReferred": roles.ErrAlreadyReferred,
	"ErrNoReward":        roles.ErrNoReward,
	"ErrUnknownBounty":   roles.ErrUnknownBounty,
	"ErrDuplicateBounty": roles.ErrDuplicateBounty,
	"ErrOverBudget":      roles.ErrOverBudget,
	"ErrPoolExhausted":   roles.ErrPoolExhausted,
	"ErrInvalidLog":      roles.ErrInvalidLog,
	"ErrAudit":           roles.ErrAudit,
}

// TestReasonCodes: every exported Err* is a *fault.Reason with a unique "roles." code, a class and
// a row in the code table of doc.go.
func TestReasonCodes(t *testing.T) { reasontest.Check(t, "roles", reasons) }
