package fees_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/internal/reasontest"
)

// reasons lists every exported Err* of the package; TestReasonCodes checks that the list is
// complete.
var reasons = map[string]error{
	"ErrAboveCap":      fees.ErrAboveCap,
	"ErrInvalidRule":   fees.ErrInvalidRule,
	"ErrInvalidPolicy": fees.ErrInvalidPolicy,
	"ErrInvalidCircle": fees.ErrInvalidCircle,
	"ErrInvalidShares": fees.ErrInvalidShares,
}

// TestReasonCodes: every exported Err* is a *fault.Reason with a unique "fees." code, a class and
// a row in the code table of doc.go.
func TestReasonCodes(t *testing.T) { reasontest.Check(t, "fees", reasons) }
