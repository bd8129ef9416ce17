package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/internal/exampletest"

	"github.com/trustcircle/trustcircle/internal/zerotest"
)

func runOut(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	if err := run(&buf, nil); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, buf.String())
	}
	return buf.String()
}

// The program's key lines, computed by hand: the FAQ's 48M / 23M / 9M; Dana's balance after
// Fay (80M x 13 / (13 + 13 + 1000 x 0.02905 x 1.25) = 16,690,070.210631, rounded down); the
// cap refund of 20 ETH - floor(0.5 BTC / 0.03e-18 BTC per wei) wei; the fiat end at the end of
// March 20; the genesis still summing to 100M after the distribution.
func TestRunPrintsTheKeyFigures(t *testing.T) {
	out := runOut(t)
	for _, want := range []string{
		"alice  48000000.000000",
		"bob  23000000.000000",
		"charlie   9000000.000000",
		"total  80000000.000000",
		"charlie  300 ETH     0%  0.03 (median)          9           9",
		"16690070.210631",
		"16.666666666666666666 accepted, 3.333333333333333334 refunded at once; ended by cap",
		"ended by fiat at 2017-03-21T00:00:00Z",
		"ended by window at 2017-04-13T00:00:00Z",
		"raised 1385.65388334 BTC; ended by window; succeeded",
		"supply  100000000.000000",
		"replayed to the same sale; audits pass",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if again := runOut(t); again != out {
		t.Fatal("output is not deterministic")
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
	if code != 0 || !strings.Contains(stdout, "usage: trstsale") || strings.Contains(stdout, "== The 2017 TRST sale") {
		t.Errorf("-h: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, args := range [][]string{{"extra"}, {"-nope"}} {
		var buf bytes.Buffer
		if err := run(&buf, args); err == nil || strings.Contains(buf.String(), "== The 2017 TRST sale") {
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
