package roles_test

import (
	"errors"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/fault"
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

// exportedErrs returns the names of the exported package-level Err* variables declared in
// the package's non-test files in dir.
func exportedErrs(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	fset := gotoken.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != gotoken.VAR {
				continue
			}
			for _, spec := range g.Specs {
				for _, id := range spec.(*ast.ValueSpec).Names {
					if strings.HasPrefix(id.Name, "Err") && id.IsExported() {
						names = append(names, id.Name)
					}
				}
			}
		}
	}
	slices.Sort(names)
	return names
}

// TestReasonCodes: every exported Err* is a *fault.Reason with a unique code starting with
// "roles.", its message starts with "roles: ", and the table in doc.go lists the code with its
// class.
func TestReasonCodes(t *testing.T) {
	var listed []string
	for name := range reasons {
		listed = append(listed, name)
	}
	slices.Sort(listed)
	if got := exportedErrs(t, "."); !slices.Equal(got, listed) {
		t.Fatalf("exported Err* %v, the test lists %v", got, listed)
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for name, err := range reasons {
		r, ok := err.(*fault.Reason)
		if !ok {
			t.Errorf("%s is a %T, not a *fault.Reason", name, err)
			continue
		}
		code := r.Code()
		if !regexp.MustCompile(`^roles\.[a-z]+(_[a-z]+)*$`).MatchString(code) || !strings.HasPrefix(r.Error(), "roles: ") {
			t.Errorf("%s: code %q, message %q", name, code, r.Error())
		}
		if prev, dup := seen[code]; dup {
			t.Errorf("%s and %s share the code %q", name, prev, code)
		}
		seen[code] = name
		if r.Class() == fault.Unknown {
			t.Errorf("%s has no class", name)
		}
		row := regexp.MustCompile(`(?m)^//\t` + regexp.QuoteMeta(code) + `\s+` + r.Class().String() + `\s`)
		if !row.Match(doc) {
			t.Errorf("doc.go does not list %s (%s) with class %s", code, name, r.Class())
		}
		if fault.CodeOf(&roles.Error{Err: r}) != code || fault.ClassOf(&roles.Error{Err: r}) != r.Class() {
			t.Errorf("%s: an *Error wrapping it does not carry its code and class", name)
		}
		if !errors.Is(&roles.Error{Err: r}, r) {
			t.Errorf("%s: errors.Is fails through *Error", name)
		}
	}
}
