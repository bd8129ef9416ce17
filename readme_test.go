package trustcircle_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestREADMESnippetsAreExamples checks that every Go snippet in the README is the body of a
// runnable Example function somewhere in the module, so that each is compiled and run by
// go test and cannot drift from the API.
func TestREADMESnippetsAreExamples(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	snippets := goSnippets(string(readme))
	if len(snippets) == 0 {
		t.Fatal("README has no Go snippets")
	}
	bodies := exampleBodies(t)
	for i, s := range snippets {
		found := false
		for _, b := range bodies {
			if strings.Contains(b, s) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("README snippet %d is not the body (or part of the body) of any Example function:\n%s", i+1, s)
		}
	}
}

// goSnippets returns the README's ```go blocks, each normalised by normalise.
func goSnippets(md string) []string {
	var out []string
	for {
		_, rest, ok := strings.Cut(md, "```go\n")
		if !ok {
			return out
		}
		block, after, ok := strings.Cut(rest, "```")
		if !ok {
			return out
		}
		out = append(out, normalise(block))
		md = after
	}
}

// normalise drops blank lines and each line's leading and trailing white space, and reduces
// every other run of white space to one space (gofmt aligns comments differently in a
// snippet than in the whole function).
func normalise(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		b.WriteString(strings.Join(fields, " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// exampleBodies returns the normalised bodies of every Example function with an Output
// comment in the module's test files.
func exampleBodies(t *testing.T) []string {
	t.Helper()
	var bodies []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Example") || fn.Body == nil {
				continue
			}
			body := string(src[fset.Position(fn.Body.Lbrace).Offset+1 : fset.Position(fn.Body.Rbrace).Offset])
			if strings.Contains(body, "// Output:") {
				bodies = append(bodies, normalise(body))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return bodies
}
