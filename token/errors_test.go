package token_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/internal/reasontest"
	tok "github.com/trustcircle/trustcircle/token"
)

// reasons lists every exported Err* of the package; TestReasons checks the list against the
// source.
var reasons = map[string]error{
	"ErrInvalidAsset":          tok.ErrInvalidAsset,
	"ErrAssetMismatch":         tok.ErrAssetMismatch,
	"ErrInvalidAmount":         tok.ErrInvalidAmount,
	"ErrNegativeAmount":        tok.ErrNegativeAmount,
	"ErrZeroAmount":            tok.ErrZeroAmount,
	"ErrSubUnitAmount":         tok.ErrSubUnitAmount,
	"ErrInvalidAccount":        tok.ErrInvalidAccount,
	"ErrInvalidSplit":          tok.ErrInvalidSplit,
	"ErrInsufficientBalance":   tok.ErrInsufficientBalance,
	"ErrInsufficientAllowance": tok.ErrInsufficientAllowance,
	"ErrAllowanceChanged":      tok.ErrAllowanceChanged,
	"ErrGenesis":               tok.ErrGenesis,
	"ErrSnapshot":              tok.ErrSnapshot,
	"ErrAudit":                 tok.ErrAudit,
	"ErrAmountTooLarge":        tok.ErrAmountTooLarge,
	"ErrInvalidRatio":          tok.ErrInvalidRatio,
	"ErrInvalidTime":           tok.ErrInvalidTime,
	"ErrInvalidSchedule":       tok.ErrInvalidSchedule,
	"ErrUnknownVesting":        tok.ErrUnknownVesting,
	"ErrNotRevocable":          tok.ErrNotRevocable,
	"ErrAlreadyRevoked":        tok.ErrAlreadyRevoked,
	"ErrNothingToRelease":      tok.ErrNothingToRelease,
	"ErrUninitialized":         tok.ErrUninitialized,
	"ErrReplay":                tok.ErrReplay,
	"ErrFrozen":                tok.ErrFrozen,
	"ErrNotFrozen":             tok.ErrNotFrozen,
	"ErrNotAdmin":              tok.ErrNotAdmin,
	"ErrUnknownSeq":            tok.ErrUnknownSeq,
	"ErrTableTooLarge":         tok.ErrTableTooLarge,
}

// TestErrorsCarryReasons: errors with a cause match both reasons and keep the first one's
// code; their message reads as a sentence.
func TestErrorsCarryReasons(t *testing.T) {
	_, err := tok.NewLedger(tok.Genesis{Asset: tok.TRST(), Supply: ta("1"), Grants: []tok.Grant{{Account: "a b", Amount: ta("1")}}})
	if !errors.Is(err, tok.ErrGenesis) || !errors.Is(err, tok.ErrInvalidAccount) || fault.CodeOf(err) != "token.genesis" ||
		fault.ClassOf(err) != fault.Invalid {
		t.Fatalf("genesis: %v (%s)", err, fault.CodeOf(err))
	}
	want := `token: invalid genesis: grant 0: invalid account: not printable ASCII without space (0x21 to 0x7E) (op Genesis, account "a b", amount 1.000000 TRST)`
	if err.Error() != want && err.Error() != strings.Replace(want, `"a b"`, `a b`, 1) {
		t.Errorf("message %q", err)
	}
	var l tok.Ledger
	if err := l.Transfer("a", "b", ta("1")); fault.CodeOf(err) != "token.uninitialized" || fault.ClassOf(err) != fault.Invalid {
		t.Errorf("zero ledger: %v", err)
	}
}

// TestReasons: every exported Err* is a *fault.Reason with a unique "token." code, a class and
// a row in the code table of doc.go.
func TestReasons(t *testing.T) { reasontest.Check(t, "token", reasons) }
