package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func runIn(t *testing.T, args ...string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := run(&buf, args); err != nil {
		t.Fatalf("run(%q): %v\noutput:\n%s", args, err, buf.String())
	}
	return buf.String()
}

func mustContain(t *testing.T, text string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(text, l) {
			t.Errorf("missing %q in the output", l)
		}
	}
}

// wei formats a count of wei as the program prints amounts (trailing zeros dropped).
func wei(u *big.Int) string {
	s := token.ETH().FromUnits(u).StringFixed(18)
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	out := runIn(t, "-dir", dir)

	// Figures by hand, in wei: C = 0.5 ETH, n = 3, P = 1.5 ETH, fee 2 per mille.
	e := new(big.Int).Exp(big.NewInt(10), big.NewInt(15), nil) // 0.001 ETH
	milli := func(x int64) *big.Int { return new(big.Int).Mul(big.NewInt(x), e) }
	pot := milli(1500)
	minBid := new(big.Int).Quo(new(big.Int).Mul(pot, big.NewInt(65)), big.NewInt(100)) // floor(P x 65/100)
	rf := func(x *big.Int) *big.Int {                                                  // removeFees: floor(x x 998/1000)
		return new(big.Int).Quo(new(big.Int).Mul(x, big.NewInt(998)), big.NewInt(1000))
	}
	bid := milli(1100)
	won := rf(bid)
	disc := rf(new(big.Int).Sub(pot, bid))
	fee := new(big.Int).Sub(new(big.Int).Sub(pot, won), disc)
	share := new(big.Int).Quo(disc, big.NewInt(3))
	// chloe's withdrawal after round 1: paid 0.5 + RF(1.1) + share - dues of round 2 (1.0).
	take := new(big.Int).Add(milli(500), won)
	take.Add(take, share).Sub(take, milli(1000))
	cap1 := new(big.Int).Quo(new(big.Int).Mul(milli(1200), big.NewInt(98)), big.NewInt(100)) // after ben's 1.2

	mustContain(t, out,
		// The four bad requests of the brief, each with its typed error and facts.
		"(*rosca.BidError, errors.Is rosca.ErrBidTooLow: member ben, bid 0.9, limit "+wei(minBid)+")",
		`(*rosca.AccessError, errors.Is rosca.ErrNotMember: account "zoe")`,
		"(*rosca.AmountError, errors.Is token.ErrSubUnitAmount: amount 0.5000000000000000001)",
		"(*rosca.TimeError, errors.Is rosca.ErrTooEarly: at 2026-03-02T12:00:00Z, earliest 2026-03-03T00:00:00Z)",
		// And the others.
		"(*rosca.BidError, errors.Is rosca.ErrBidTooHigh: member chloe, bid 1.19, limit "+wei(cap1)+")",
		"errors.Is rosca.ErrTimeBackwards",
		"errors.Is rosca.ErrAlreadyWon",
		"errors.Is rosca.ErrNotEnded",
		"errors.Is rosca.ErrEnded",
		"errors.Is rosca.ErrNothingToWithdraw",
		"(*rosca.AccessError, errors.Is rosca.ErrNotForeperson: account \"ben\")",
		`refused: service: bad command: unknown op "pay"`,
		"refused: service: bad command: json: cannot unmarshal number",
		// Round 1 by hand.
		"round 1 closed: chloe wins by bid, pot 1.5, bid 1.1, credited "+wei(won)+", discount "+wei(disc)+", fee "+wei(fee),
		"chloe withdrew "+wei(take)+" (entitled to "+wei(take)+")",
		"round 3 closed: ben wins by draw, pot 1.5, bid 1.5, credited "+wei(rf(pot)),
		"adds up to the wei",
		"Audit: ok",
	)
	if wei(minBid) != "0.975" || wei(take) != "0.730866666666666666" {
		t.Errorf("hand figures: min bid %s, take %s", wei(minBid), wei(take))
	}

	// Every refused request is followed by the proof that it changed nothing.
	refused := strings.Count(out, "\n  refused: ")
	unchanged := strings.Count(out, "\n  unchanged: ")
	if refused < 10 || refused != unchanged {
		t.Errorf("%d refused requests, %d unchanged proofs", refused, unchanged)
	}

	// The restart happened and the replayed circle equalled the live one.
	m := regexp.MustCompile(`replay equals live: (\d+) events replayed, round 2 open, snapshots identical`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no replay line in:\n%s", out)
	}
	if i := strings.Index(out, "--- restart"); i < 0 || !strings.Contains(out[i:], "event 9: chloe paid 0.5") {
		t.Error("the script did not continue after the restart")
	}

	// The files alone rebuild the finished circle, independently of the program.
	events := strings.Count(out, "\n  event ")
	b, err := os.ReadFile(filepath.Join(dir, eventsFile))
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(b, []byte("\n")); lines != events || events != 21 {
		t.Errorf("%s has %d lines, the output %d events, want 21", eventsFile, lines, events)
	}
	mustContain(t, out, "34 requests: 21 accepted, 13 refused; 21 events in events.jsonl, 21 in the circle")
	svc, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	c := svc.Circle()
	if err := c.Audit(); err != nil {
		t.Fatal(err)
	}
	if !c.Ended() || c.EventCount() != 21 || !c.Totals().Cash.IsZero() {
		t.Errorf("rebuilt circle: ended %t, %d events, cash %s", c.Ended(), c.EventCount(), c.Totals().Cash)
	}

	// A second run into the same directory is refused: it would overwrite the circle.
	var buf bytes.Buffer
	if err := run(&buf, []string{"-dir", dir}); err == nil || !strings.Contains(err.Error(), "already holds a circle") {
		t.Errorf("second run into %s: %v", dir, err)
	}
}

// TestTamperedLog checks that a restart refuses a log that was edited or cut short.
func TestTamperedLog(t *testing.T) {
	dir := t.TempDir()
	runIn(t, "-dir", dir)
	path := filepath.Join(dir, eventsFile)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	// Someone edits ana's first contribution from 0.5 to 5.
	edited := bytes.Replace(orig, []byte(`"member":"ana","amount":"0.500000000000000000"`), []byte(`"member":"ana","amount":"5.000000000000000000"`), 1)
	if bytes.Equal(edited, orig) {
		t.Fatal("the edit did not apply")
	}
	if err := os.WriteFile(path, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); !errors.Is(err, rosca.ErrReplay) {
		t.Errorf("edited log: got %v, want rosca.ErrReplay", err)
	}

	// A write that stopped half-way through the last line.
	if err := os.WriteFile(path, orig[:len(orig)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "incomplete last line") {
		t.Errorf("cut log: %v", err)
	}

	// A dropped event in the middle.
	lines := bytes.SplitAfter(orig, []byte("\n"))
	dropped := bytes.Join(append(append([][]byte{}, lines[:3]...), lines[4:]...), nil)
	if err := os.WriteFile(path, dropped, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); !errors.Is(err, rosca.ErrReplay) {
		t.Errorf("log with a dropped event: got %v, want rosca.ErrReplay", err)
	}

	// The untouched log opens.
	if err := os.WriteFile(path, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	svc, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc.Close()
}

// TestScriptFlag runs a short script from a file: the circle is not finished, and the program
// still replays and reports.
func TestScriptFlag(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "cmds.jsonl")
	cmds := []Command{
		{At: start().Add(1e9), Op: "contribute", Member: "ana", Amount: "0.5"},
		{At: start().Add(2e9), Op: "contribute", Member: "ben", Amount: "0"},
		{At: start().Add(3e9), Op: "contribute", Member: "ben", Amount: "-0.5"},
		{At: start().Add(4e9), Op: "withdraw", Member: "ana"},
	}
	var b bytes.Buffer
	b.WriteString("# a comment\n\n")
	for _, c := range cmds {
		line, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(line, '\n'))
	}
	b.WriteString(`{"at":"2026-03-02T00:00:09Z","op":"bid","member":"ana","amount":"1","extra":1}` + "\n")
	if err := os.WriteFile(script, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runIn(t, "-dir", filepath.Join(dir, "circle"), "-script", script)
	mustContain(t, out,
		"event 0: ana paid 0.5",
		"errors.Is token.ErrZeroAmount",
		"errors.Is token.ErrNegativeAmount",
		"errors.Is rosca.ErrNothingToWithdraw",
		`json: unknown field "extra"`,
		"replay equals live: 1 events replayed, round 1 open",
		"5 requests: 1 accepted, 4 refused; 1 events in events.jsonl, 1 in the circle",
	)
}

// TestDefaultTempDir runs without -dir: the files go to a new temporary directory, which is
// removed at the end.
func TestDefaultTempDir(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	a := runIn(t)
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("left behind in the temporary directory: %v", entries)
	}
	if b := runIn(t); a != b {
		t.Error("two runs differ")
	}
}

func TestBadArgs(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"-script", filepath.Join(dir, "missing.jsonl")},
		{"-dir", dir, "extra"},
		{"-nope"},
	} {
		var buf bytes.Buffer
		if err := run(&buf, args); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
