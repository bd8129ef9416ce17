package main

import (
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// svgTexts decodes an SVG document strictly as XML and returns its root element's name and
// the text of each of its text elements.
func svgTexts(t *testing.T, b []byte) (root string, texts []string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(b)))
	d.Strict = true
	depth, inText := 0, false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				root = tok.Name.Space + " " + tok.Name.Local
			}
			depth++
			if tok.Name.Local == "text" {
				inText = true
				texts = append(texts, "")
			}
		case xml.EndElement:
			depth--
			inText = false
		case xml.CharData:
			if inText {
				texts[len(texts)-1] += string(tok)
			}
		}
	}
	if depth != 0 {
		t.Fatalf("unbalanced SVG (depth %d)", depth)
	}
	return root, texts
}

// TestSVG draws the default circle and checks the picture's labels and figures: the grid of
// payments and pots (round 1's winner took 3.96, erin did not pay round 2), the chart's axes
// and the members' final nets, the same as the statements'.
func TestSVG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "circle.svg")
	out := runOut(t, "-svg", path)
	if !strings.HasSuffix(out, "\nThe picture of the circle is in "+path+".\n") {
		t.Errorf("the report does not end with the picture's file:\n%s", out[len(out)-200:])
	}
	if plain := runOut(t); !strings.HasPrefix(out, plain) {
		t.Error("-svg changes the report")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	root, texts := svgTexts(t, b)
	if root != "http://www.w3.org/2000/svg svg" {
		t.Errorf("root element %q", root)
	}
	all := "\n" + strings.Join(texts, "\n") + "\n"
	for _, want := range []string{
		"A bidding lending circle of 5 members",
		"Each pays 1.0 ETH a round into a pot of 5.0 ETH; WeTrust's rules, a 1% fee for the foreperson, alice.",
		"Who paid what each round, and who took the pot",
		"round 1", "round 5", "alice", "erin",
		"takes 3.96", "takes 4.158", "takes 3.465", "paid 1.0", "did not pay", "2.0",
		"lowest bid 4.0", "lowest bid 4.2", "by lot", "lowest bid 3.5", "last to have it",
		"paid into the pot", "took the pot (after the fee)",
		"Each member's net cash with the circle: received - paid in",
		"net cash, ETH", "after round", "start", "end", "0.0", "-2.0", "2.0", "took the pot",
		"alice -0.1886", "bob 0.6034", "carol -0.8816", "dave -0.3866", "erin 0.6034",
	} {
		if !strings.Contains(all, "\n"+want+"\n") {
			t.Errorf("the SVG has no text %q; its texts:%s", want, all)
		}
	}
	if n := strings.Count(all, "\ntakes "); n != 5 {
		t.Errorf("%d pots taken in the grid, want 5", n)
	}
	// The final nets are the statements'.
	st := section(t, out, "Statements", "Does it add up?")
	for _, m := range []string{"alice", "bob", "carol", "dave", "erin"} {
		i := strings.Index(st, "\n  "+m+" ")
		net := strings.Fields(st[i : strings.Index(st[i+1:], "\n")+i+1])
		if want := m + " " + net[len(net)-1]; !strings.Contains(all, "\n"+want+"\n") {
			t.Errorf("the SVG lacks the statement's %q", want)
		}
	}
}

// TestSVGOtherCircles draws circles of other kinds and sizes, with long amounts: the picture
// is well-formed whatever it shows.
func TestSVGOtherCircles(t *testing.T) {
	for _, args := range [][]string{
		{"-kind", "lottery", "-members", "12", "-seed", "7"},
		{"-kind", "fixed", "-members", "3", "-fee", "0"},
		{"-contribution", "0.123456789012345678", "-fee", "20"},
	} {
		path := filepath.Join(t.TempDir(), "circle.svg")
		runOut(t, append(args, "-svg", path)...)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, texts := svgTexts(t, b); len(texts) < 20 {
			t.Errorf("%q: only %d texts", args, len(texts))
		}
	}
	var buf strings.Builder
	if err := run(&buf, []string{"-svg", filepath.Join(t.TempDir(), "no", "such", "dir.svg")}); err == nil ||
		!strings.Contains(err.Error(), "-svg") {
		t.Errorf("an unwritable -svg file: %v", err)
	}
}
