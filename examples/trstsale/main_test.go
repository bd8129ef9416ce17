package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/internal/exampletest"
	"github.com/trustcircle/trustcircle/internal/zerotest"
)

func runOut(t *testing.T, args ...string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := run(&buf, args); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, buf.String())
	}
	return buf.String()
}

// lines joins lines, each ended by a newline.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// The program's key lines, computed by hand: the FAQ's 48M / 23M / 9M; Dana's balance after
// Fay (80M x 13 / (13 + 13 + 1000 x 0.02905 x 1.25) = 16,690,070.210631, rounded down); the
// cap refund of 20 ETH - floor(0.5 BTC / 0.03e-18 BTC per wei) wei; the fiat end at the end of
// March 20; the genesis still summing to 100M after the distribution. Every amount prints in
// one format, thousands separated, and every bonus as a percentage.
func TestRunPrintsTheKeyFigures(t *testing.T) {
	out := runOut(t)
	for _, want := range []string{
		lines(
			"  bonus tier  from (UTC)        until (UTC)       bonus",
			"  1           Thu 2 Mar 00:00   Fri 3 Mar 00:00     30%",
			"  2           Fri 3 Mar 00:00   Thu 9 Mar 00:00     25%",
		),
		"  7           Thu 6 Apr 00:00   Thu 13 Apr 00:00     0%\n",
		"  pool           80,000,000 TRST, shared among the participants in proportion to their weights\n",
		lines(
			"  participant  contributes  bonus  BTC per unit   value (BTC)  weight (BTC)",
			"  alice             40 BTC    20%  1 (reference)           40            48",
			"  bob               20 BTC    15%  1 (reference)           20            23",
			"  charlie          300 ETH     0%  0.03 (median)            9             9",
			"  Raised 69 BTC of value (the cap counts value without bonuses). The pool, 80,000,000 TRST, over",
			"  the 80 BTC of weight is 1,000,000 TRST per BTC of weight:",
			"  participant        TRST",
			"  alice        48,000,000",
			"  bob          23,000,000",
			"  charlie       9,000,000",
			"  total        80,000,000",
		),
		lines(
			"  when (UTC)        who   contributes  bonus  Dana's provisional TRST",
			"  Thu 2 Mar 09:00   dana       10 BTC    30%        80,000,000",
			"  Thu 2 Mar 15:00   erik       10 BTC    30%        40,000,000",
			"  Sat 4 Mar 10:00   fay     1,000 ETH    25%        16,690,070.210631",
			"  Mon 20 Mar 18:00  gus       100 BTC    15%         5,865,350.722594",
		),
		lines(
			"  the cap        whale contributes 5,999.5 BTC; then latecomer sends 20 ETH at 0.03 BTC per ETH,",
			"                 of which 16.666666666666666666 ETH is accepted, the 0.5 BTC left under the cap,",
			"                 and 3.333333333333333334 ETH refunded at once. The sale is ended by the cap at",
			"                 Mon 6 Mar 2017 00:00 UTC; a contribution an hour later is refused, with the",
			"                 error code crowdsale.ended.",
		),
		lines(
			"  Fri 17 Mar         1,400            20  6,600,000  not met              0",
			"  Sat 18 Mar         1,575            20  7,300,000  met                  1",
			"  Sun 19 Mar         1,575            20  7,300,000  met                  2",
			"  Mon 20 Mar         1,575            20  7,300,000  met                  3",
			"  The sale is ended by the fiat rule at Tue 21 Mar 2017 00:00 UTC, the end of the third day in a",
			"  row worth $7,300,000 or more.",
		),
		"  the window     A sale nothing else ends is ended by the window at Thu 13 Apr 2017 00:00 UTC.\n",
		lines(
			"  Wed 15 Mar 23:00  carol     333.33333333 BTC    20%",
			"  Wed 29 Mar 06:00  dave      250 BTC             10%",
			"  Tue 11 Apr 17:00  erin    1,000.5 ETH            0%",
			"  Wed 12 Apr 23:00  alice       0.00000001 BTC     0%",
			"  Raised 1,385.65388334 BTC of value, above the 1,000 BTC minimum; ended by the window; the sale",
			"  succeeded. The pool is allocated by weight, to the micro-TRST:",
		),
		"  total        80,000,000\n  Distributed from the sale's account of the 100,000,000 TRST genesis:\n",
		lines(
			"  wetrust-sale               0",
			"  supply           100,000,000",
			"  The sale's 56 events, 29,225 bytes of JSON lines, replay to the same sale; audits pass.",
		),
		// a quarter of each allocation at the cliff, rounded down: 21,402,915.483502 / 4 =
		// 5,350,728.8708755
		lines(
			"  participant  grant        TRST locked  vested 30 Apr 2018  vested 1 May 2018  vested 1 May 2021",
			"  alice            1  24,650,090.92278                    0   6,162,522.730695  24,650,090.92278",
			"  bob              2  21,402,915.483502                   0   5,350,728.870875  21,402,915.483502",
		),
		"  total               80,000,000\n  At the cliff alice releases 6,162,522.730695 TRST and may spend it:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks:\n%s", want)
		}
	}
	// One format: no amount without its thousands separators, no bonus as a fraction.
	for _, bad := range []string{"80000000", "1385.", "/100", ".000000\n", "\t"} {
		if strings.Contains(out, bad) {
			t.Errorf("output has %q", bad)
		}
	}
	for i, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("line %d ends with a space: %q", i+1, line)
		}
	}
	if again := runOut(t); again != out {
		t.Fatal("output is not deterministic")
	}
}

// TestSVG draws the sale and checks that the picture is well-formed XML with the key labels
// and figures: the tiers' bonuses, the contributions and Dana's falling balance.
func TestSVG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sale.svg")
	out := runOut(t, "-svg", path)
	if plain := runOut(t); out != plain+"\nThe picture of the sale is in "+path+".\n" {
		t.Errorf("-svg changes the report, or does not name its file:\n%s", out[len(plain)-min(len(plain), 100):])
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	var texts []string
	var root xml.Name
	inText := false
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
			if root.Local == "" {
				root = tok.Name
			}
			if inText = tok.Name.Local == "text"; inText {
				texts = append(texts, "")
			}
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				texts[len(texts)-1] += string(tok)
			}
		}
	}
	if root.Space != "http://www.w3.org/2000/svg" || root.Local != "svg" {
		t.Errorf("root element %v", root)
	}
	all := "\n" + strings.Join(texts, "\n") + "\n"
	for _, want := range []string{
		"The 2017 TRST sale: bonus tiers and a falling provisional balance",
		"The bonus falls week by week", "bonus", "day of the sale (2017, UTC)",
		"30%", "25%", "20%", "15%", "10%", "5%", "0%", "2 Mar", "3 Mar", "6 Apr", "13 Apr",
		"the contributions below", "dana 10 BTC, 2 Mar 09:00", "fay 1,000 ETH, 4 Mar 10:00",
		"Dana's provisional balance falls as others contribute", "provisional TRST", "the contributions, in order",
		"80,000,000", "40,000,000", "16,690,070.210631", "5,865,350.722594", "20,000,000",
		"after fay's 1,000 ETH", "4 Mar 10:00, bonus 25%",
	} {
		if !strings.Contains(all, "\n"+want+"\n") {
			t.Errorf("the SVG has no text %q; its texts:%s", want, all)
		}
	}
	var buf bytes.Buffer
	if err := run(&buf, []string{"-svg", filepath.Join(t.TempDir(), "no", "such", "dir.svg")}); err == nil ||
		!strings.Contains(err.Error(), "-svg") {
		t.Errorf("an unwritable -svg file: %v", err)
	}
}

// TestShopspringGlobals checks that the output does not depend on shopspring/decimal's
// package settings: amounts print through token.Amount.
func TestShopspringGlobals(t *testing.T) {
	want := runOut(t)
	var got string
	zerotest.WithShopspringGlobals(t, func() { got = runOut(t) })
	if got != want {
		t.Errorf("the output changes with shopspring's globals:\n%s", got)
	}
}

// TestArgs checks that -h prints the usage and exits 0 without running the sale, and that
// any argument is refused.
func TestArgs(t *testing.T) {
	stdout, stderr, code := runMain(t, "-h")
	if code != 0 || !strings.Contains(stdout, "usage: trstsale") || !strings.Contains(stdout, "-svg file") ||
		strings.Contains(stdout, "The 2017 Trustcoin (TRST) sale") {
		t.Errorf("-h: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, args := range [][]string{{"extra"}, {"-nope"}} {
		var buf bytes.Buffer
		if err := run(&buf, args); err == nil || strings.Contains(buf.String(), "The 2017 Trustcoin (TRST) sale") {
			t.Errorf("run(%q): %v\n%s", args, err, buf.String())
		}
	}
	if _, stderr, code := runMain(t, "extra"); code != 1 || !strings.Contains(stderr, "trstsale: unexpected arguments") {
		t.Errorf("extra argument: exit %d, stderr:\n%s", code, stderr)
	}
}

// TestMain runs the program's main instead of the tests in a child started by runMain.
func TestMain(m *testing.M) { exampletest.Main(m, "trstsale", main) }

// runMain runs main in a child process with args and returns its stdout, stderr and exit
// status.
func runMain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return exampletest.Run(t, args...)
}
