// Package reasontest checks a package's reasons, the sentinel errors every package of the
// library declares: each exported Err* variable is a *fault.Reason with a unique code
// "<pkg>.snake_case", a message starting "<pkg>: ", a class, and a row in the code table of
// the package's doc.go; and a *token.Error wrapping it carries its code and class.
package reasontest

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
	"github.com/trustcircle/trustcircle/token"
)

// Check runs the checks for the package in the current directory, named pkg, whose exported
// Err* variables are listed in reasons by name. The list must be complete: Check parses the
// package's non-test files for every exported Err* variable.
func Check(t *testing.T, pkg string, reasons map[string]error) {
	t.Helper()
	listed := make([]string, 0, len(reasons))
	for name := range reasons {
		listed = append(listed, name)
	}
	slices.Sort(listed)
	if got := ExportedErrs(t, "."); !slices.Equal(got, listed) {
		t.Fatalf("the package declares the Err* variables %v; the test lists %v", got, listed)
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	codeRe := regexp.MustCompile(`^` + regexp.QuoteMeta(pkg) + `\.[a-z0-9]+(_[a-z0-9]+)*$`)
	seen := map[string]string{}
	for _, name := range listed {
		r, ok := reasons[name].(*fault.Reason)
		if !ok {
			t.Errorf("%s is a %T, not a *fault.Reason", name, reasons[name])
			continue
		}
		code := r.Code()
		if !codeRe.MatchString(code) || !strings.HasPrefix(r.Error(), pkg+": ") {
			t.Errorf("%s: code %q, message %q", name, code, r.Error())
		}
		if prev, dup := seen[code]; dup {
			t.Errorf("%s and %s share the code %q", name, prev, code)
		}
		seen[code] = name
		if r.Class() == fault.Unknown {
			t.Errorf("%s has no class", name)
		}
		row := regexp.MustCompile(`(?m)^//\s+` + regexp.QuoteMeta(code) + `\s+` + r.Class().String() + `\s`)
		if !row.Match(doc) {
			t.Errorf("doc.go does not list %s (%s) with class %s", code, name, r.Class())
		}
		wrapped := &token.Error{Op: "Test", Err: r}
		if fault.CodeOf(wrapped) != code || fault.ClassOf(wrapped) != r.Class() || !errors.Is(wrapped, r) {
			t.Errorf("%s: a *token.Error wrapping it does not carry its code and class", name)
		}
	}
}

// ExportedErrs returns, sorted, the names of the exported package-level Err* variables
// declared in the non-test Go files of dir.
func ExportedErrs(t testing.TB, dir string) []string {
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
