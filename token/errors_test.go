package token_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/fault"
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

// exportedErrs returns the names of the exported package-level variables named Err* in the
// package's non-test source files.
func exportedErrs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					if strings.HasPrefix(n.Name, "Err") && n.IsExported() {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}

// TestReasons: every exported Err* is a *fault.Reason with a unique code "token.snake_case",
// a message "token: ...", and a line in the table of doc.go giving its code and class.
func TestReasons(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	names := exportedErrs(t)
	if len(names) != len(reasons) {
		t.Errorf("source declares %d Err* variables, the test lists %d: %v", len(names), len(reasons), names)
	}
	codes := map[string]string{}
	for _, name := range names {
		v, ok := reasons[name]
		if !ok {
			t.Errorf("%s is not listed in the test", name)
			continue
		}
		r, ok := v.(*fault.Reason)
		if !ok {
			t.Errorf("%s is a %T, not a *fault.Reason", name, v)
			continue
		}
		code := r.Code()
		if !strings.HasPrefix(code, "token.") || strings.ToLower(code) != code || strings.ContainsAny(code, " -") {
			t.Errorf("%s: code %q is not token.snake_case", name, code)
		}
		if other, dup := codes[code]; dup {
			t.Errorf("%s and %s share the code %q", name, other, code)
		}
		codes[code] = name
		if !strings.HasPrefix(r.Error(), "token: ") || r.Class() == fault.Unknown {
			t.Errorf("%s: message %q, class %v", name, r.Error(), r.Class())
		}
		line := "//\t" + code + strings.Repeat(" ", max(1, 31-len(code))) + r.Class().String()
		if !strings.Contains(string(doc), line) {
			t.Errorf("doc.go has no table line %q for %s", line, name)
		}
		if fault.CodeOf(&tok.Error{Err: r}) != code || fault.ClassOf(&tok.Error{Err: r}) != r.Class() {
			t.Errorf("%s: an *Error does not carry its code and class", name)
		}
	}
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
