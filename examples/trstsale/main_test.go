package main

import (
	"bytes"
	"strings"
	"testing"
)

// The program's key lines, computed by hand: the FAQ's 48M / 23M / 9M; Dana's balance after
// Fay (80M x 13 / (13 + 13 + 1000 x 0.02905 x 1.25) = 16,690,070.210631, rounded down); the
// cap refund of 20 ETH - floor(0.5 BTC / 0.03e-18 BTC per wei) wei; the fiat end at the end of
// March 20; the genesis still summing to 100M after the distribution.
func TestRunPrintsTheKeyFigures(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"alice  48000000.000000",
		"bob  23000000.000000",
		"charlie   9000000.000000",
		"total  80000000.000000",
		"charlie  300 ETH   0/100  0.03 (median)          9           9",
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
	var again bytes.Buffer
	if err := run(&again); err != nil || again.String() != out {
		t.Fatal("output is not deterministic")
	}
}
