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

	"github.com/trustcircle/trustcircle/internal/exampletest"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/rosca"
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

// wei formats a count of wei as the program prints amounts: in ETH, trailing zeros
// dropped, one decimal kept. It is written independently of the program and the library.
func wei(u *big.Int) string {
	s := u.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) <= 18 {
		s = strings.Repeat("0", 19-len(s)) + s
	}
	s = s[:len(s)-18] + "." + strings.TrimRight(s[len(s)-18:], "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	if neg {
		s = "-" + s
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
		// The four bad requests of the brief, each with its code, class and facts.
		`(code rosca.bid_too_low, class invalid, HTTP 400; op Bid, account "ben", amount 0.9, limit `+wei(minBid)+", round 1,",
		`(code rosca.not_member, class not_found, HTTP 404; op Contribute, account "zoe")`,
		`(code token.sub_unit_amount, class invalid, HTTP 400; op Parse, input "0.5000000000000000001")`,
		"refused: rosca: round deadline not reached: round 1 closes from 2026-03-03T00:00:00Z",
		"(code rosca.too_early, class conflict, HTTP 409; op CloseRound, round 1, at 2026-03-02T12:00:00Z)",
		// And the others.
		`(code rosca.bid_too_high, class conflict, HTTP 409; op Bid, account "chloe", amount 1.19, limit `+wei(cap1)+", round 1,",
		"(code rosca.time_backwards, class conflict, HTTP 409;",
		"(code rosca.already_won, class conflict, HTTP 409;",
		"(code rosca.not_ended, class conflict, HTTP 409;",
		"(code rosca.ended, class conflict, HTTP 409;",
		"(code rosca.nothing_to_withdraw, class conflict, HTTP 409;",
		`(code rosca.not_foreperson, class forbidden, HTTP 403; op RetrieveFees, account "ben",`,
		`refused: service: bad command: unknown op "pay"`,
		"refused: service: bad command: json: cannot unmarshal number",
		"(code service.bad_command, class invalid, HTTP 400)",
		// Round 1 by hand.
		"round 1 closed: chloe wins by bid, pot 1.5, bid 1.1, credited "+wei(won)+", discount "+wei(disc)+", fee "+wei(fee),
		"chloe withdrew "+wei(take)+" (entitled to "+wei(take)+")",
		"round 3 closed: ben wins by draw, pot 1.5, bid 1.5, credited "+wei(rf(pot)),
		"adds up to the wei",
		"Audit: ok",
	)
	if wei(minBid) != "0.975" || wei(take) != "0.730866666666666666" || wei(cap1) != "1.176" {
		t.Errorf("hand figures: min bid %s, take %s, cap %s", wei(minBid), wei(take), wei(cap1))
	}

	// Every refused request is followed by the proof that it changed nothing.
	refused := strings.Count(out, "\n  refused: ")
	unchanged := strings.Count(out, "\n  unchanged: ")
	if refused < 10 || refused != unchanged {
		t.Errorf("%d refused requests, %d unchanged proofs", refused, unchanged)
	}

	// The restart happened and the replayed circle equalled the live one.
	m := regexp.MustCompile(`replay equals live: (\d+) events streamed from events.jsonl into rosca.Replay, round 2 open, snapshots identical`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no replay line in:\n%s", out)
	}
	if i := strings.Index(out, "--- restart"); i < 0 || !strings.Contains(out[i:], "event 10: chloe paid 0.5") {
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
	mustContain(t, out, "34 requests: 21 accepted, 13 refused; 21 events in events.jsonl, 21 in the circle",
		`{"v":1,"seq":1,"kind":"contribution","at":"2026-03-02T08:00:00Z","round":1,"member":"ana","amount":"0.500000000000000000 ETH"}`)
	svc, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	c := svc.Circle()
	if err := c.Audit(); err != nil {
		t.Fatal(err)
	}
	if !c.Ended() || c.LastSeq() != 21 || !c.Totals().Cash.IsZero() {
		t.Errorf("rebuilt circle: ended %t, %d events, cash %s", c.Ended(), c.LastSeq(), c.Totals().Cash)
	}

	// A second run into the same directory is refused: it would overwrite the circle.
	var buf bytes.Buffer
	if err := run(&buf, []string{"-dir", dir}); err == nil || !strings.Contains(err.Error(), "already holds a circle") {
		t.Errorf("second run into %s: %v", dir, err)
	}
}

// TestTamperedLog checks that a restart refuses a log that was edited or cut short, with an
// error of class internal that names the file.
func TestTamperedLog(t *testing.T) {
	dir := t.TempDir()
	runIn(t, "-dir", dir)
	path := filepath.Join(dir, eventsFile)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	open := func(what string, want ...string) {
		t.Helper()
		svc, err := Open(dir)
		if err == nil {
			svc.Close()
			t.Errorf("%s: the log opened", what)
			return
		}
		if !errors.Is(err, rosca.ErrReplay) || fault.ClassOf(err) != fault.Internal || !strings.HasPrefix(err.Error(), eventsFile+": ") {
			t.Errorf("%s: got %v (class %s), want rosca.ErrReplay naming %s", what, err, fault.ClassOf(err), eventsFile)
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v does not say %q", what, err, w)
			}
		}
	}

	// Someone edits ana's first contribution from 0.5 to 5.
	edited := bytes.Replace(orig, []byte(`"member":"ana","amount":"0.500000000000000000 ETH"`), []byte(`"member":"ana","amount":"5.000000000000000000 ETH"`), 1)
	if bytes.Equal(edited, orig) {
		t.Fatal("the edit did not apply")
	}
	if err := os.WriteFile(path, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	open("edited log")

	// A write that stopped half-way through the last line.
	if err := os.WriteFile(path, orig[:len(orig)-10], 0o644); err != nil {
		t.Fatal(err)
	}
	open("cut log", "incomplete last line", "line 21")

	// A line that is not an event.
	garbled := append(append([]byte{}, orig...), "{\"v\":1,\"seq\":22,\"kind\":\"contribution\",\"amount\":12}\n"...)
	if err := os.WriteFile(path, garbled, 0o644); err != nil {
		t.Fatal(err)
	}
	open("garbled line", "line 22")

	// A dropped event in the middle.
	lines := bytes.SplitAfter(orig, []byte("\n"))
	dropped := bytes.Join(append(append([][]byte{}, lines[:3]...), lines[4:]...), nil)
	if err := os.WriteFile(path, dropped, 0o644); err != nil {
		t.Fatal(err)
	}
	open("log with a dropped event")

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

// TestBadConfig checks that a restart refuses a config file that is not a circle's.
func TestBadConfig(t *testing.T) {
	dir := t.TempDir()
	runIn(t, "-dir", dir)
	path := filepath.Join(dir, configFile)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, cfg := range map[string][]byte{
		"version 2":     bytes.Replace(orig, []byte(`"v": 1`), []byte(`"v": 2`), 1),
		"unknown field": bytes.Replace(orig, []byte(`"v": 1`), []byte(`"v": 1, "colour": "red"`), 1),
		"one member":    regexp.MustCompile(`(?s)"members":\s*\[[^]]*\]`).ReplaceAll(orig, []byte(`"members":["ana"]`)),
	} {
		if bytes.Equal(cfg, orig) {
			t.Fatalf("%s: the edit did not apply", name)
		}
		if err := os.WriteFile(path, cfg, 0o644); err != nil {
			t.Fatal(err)
		}
		svc, err := Open(dir)
		if err == nil {
			svc.Close()
			t.Errorf("%s: the circle opened", name)
			continue
		}
		if !errors.Is(err, rosca.ErrInvalidConfig) || fault.ClassOf(err) != fault.Invalid || !strings.HasPrefix(err.Error(), configFile+": ") {
			t.Errorf("%s: %v (class %s), want rosca.ErrInvalidConfig", name, err, fault.ClassOf(err))
		}
	}
}

// TestBadLogExits checks the program itself on a log that does not decode: a clear error
// on stderr and exit status 1, never a panic.
func TestBadLogExits(t *testing.T) {
	dir := t.TempDir()
	runIn(t, "-dir", dir)
	path := filepath.Join(dir, eventsFile)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.jsonl")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, log := range map[string][]byte{
		"cut":     orig[:len(orig)-10],
		"garbled": append(append([]byte{}, orig...), "not json\n"...),
		"edited":  bytes.Replace(orig, []byte(`"0.500000000000000000 ETH"`), []byte(`"5.000000000000000000 ETH"`), 1),
	} {
		if err := os.WriteFile(path, log, 0o644); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := runMain(t, "-dir", dir, "-resume", "-script", empty)
		if code != 1 || !strings.HasPrefix(stderr, "service: resume: events.jsonl: rosca: invalid event log") ||
			strings.Contains(stderr, "panic") {
			t.Errorf("%s log: exit %d, stderr:\n%s", name, code, stderr)
		}
	}
}

// TestHugeContribution checks that what a command accepts, the log holds: a contribution
// of 10^82 wei is written, streamed back on restart and replayed, and a later process
// resumes the circle from the files.
func TestHugeContribution(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "cmds.jsonl")
	huge := "1" + strings.Repeat("0", 64) // ETH: 10^64 ETH = 10^82 wei
	cmds := []Command{
		{At: start().Add(1e9), Op: "contribute", Member: "ana", Amount: huge},
		{At: start().Add(2e9), Op: "contribute", Member: "ben", Amount: "0.5"},
		{At: start().Add(3e9), Op: "withdraw", Member: "ana"},
	}
	writeScript(t, script, "", cmds)
	circle := filepath.Join(dir, "circle")
	out := runIn(t, "-dir", circle, "-script", script)
	mustContain(t, out,
		"event 1: ana paid "+huge+".0",
		"replay equals live: 1 events streamed from events.jsonl into rosca.Replay, round 1 open",
		"event 3: ana withdrew ",
		"3 requests: 3 accepted, 0 refused; 3 events in events.jsonl, 3 in the circle; Audit: ok",
	)
	stdout, stderr, code := runMain(t, "-dir", circle, "-resume", "-script", script)
	if code != 0 || !strings.Contains(stdout, "resumed: 3 events replayed from events.jsonl, round 1 open; Audit: ok") {
		t.Errorf("resume: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// The script's commands are older than the circle's last event: refused, nothing written.
	if !strings.Contains(stdout, "(code rosca.time_backwards, class conflict, HTTP 409;") ||
		!strings.Contains(stdout, "3 requests: 0 accepted, 3 refused; 3 events in events.jsonl, 3 in the circle") {
		t.Errorf("resume: the old commands were not refused:\n%s", stdout)
	}
}

func writeScript(t *testing.T, path, prefix string, cmds []Command) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(prefix)
	for _, c := range cmds {
		line, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(line, '\n'))
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestScriptFlag runs a short script from a file: the circle is not finished, and the program
// still replays and reports.
func TestScriptFlag(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "cmds.jsonl")
	writeScript(t, script, "# a comment\n\n", []Command{
		{At: start().Add(1e9), Op: "contribute", Member: "ana", Amount: "0.5"},
		{At: start().Add(2e9), Op: "contribute", Member: "ben", Amount: "0"},
		{At: start().Add(3e9), Op: "contribute", Member: "ben", Amount: "-0.5"},
		{At: start().Add(4e9), Op: "withdraw", Member: "ana"},
	})
	f, err := os.OpenFile(script, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"at":"2026-03-02T00:00:09Z","op":"bid","member":"ana","amount":"1","extra":1}` + "\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	out := runIn(t, "-dir", filepath.Join(dir, "circle"), "-script", script)
	mustContain(t, out,
		"event 1: ana paid 0.5",
		"(code rosca.invalid_amount, class invalid, HTTP 400; also token.zero_amount;",
		"(code rosca.invalid_amount, class invalid, HTTP 400; also token.negative_amount;",
		"(code rosca.nothing_to_withdraw, class conflict, HTTP 409;",
		`json: unknown field "extra"`,
		"replay equals live: 1 events streamed from events.jsonl into rosca.Replay, round 1 open",
		"5 requests: 1 accepted, 4 refused; 1 events in events.jsonl, 1 in the circle",
	)
}

// TestStopped checks that a log that cannot be written stops the service: the command's
// error says so (service.stopped, class internal), and every later command is refused.
func TestStopped(t *testing.T) {
	svc, err := Create(t.TempDir(), demoConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.log.Close(); err != nil { // the disk goes away under the service
		t.Fatal(err)
	}
	cmd := Command{At: start().Add(1e9), Op: "contribute", Member: "ana", Amount: "0.5"}
	if _, err := svc.Handle(cmd); !errors.Is(err, ErrStopped) || fault.CodeOf(err) != "service.stopped" || fault.ClassOf(err) != fault.Internal {
		t.Fatalf("write to a closed log: %v", err)
	}
	cmd.Member = "ben"
	if _, err := svc.Handle(cmd); !errors.Is(err, ErrStopped) {
		t.Errorf("command after the stop: %v", err)
	}
	if svc.Circle().LastSeq() != 1 {
		t.Errorf("the command after the stop reached the circle: %d events", svc.Circle().LastSeq())
	}
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

// TestShopspringGlobals checks that the output, and the files, do not depend on
// shopspring/decimal's package settings: amounts print and encode through token.Amount.
func TestShopspringGlobals(t *testing.T) {
	dir := t.TempDir()
	want := runIn(t, "-dir", filepath.Join(dir, "a"))
	var got string
	zerotest.WithShopspringGlobals(t, func() { got = runIn(t, "-dir", filepath.Join(dir, "b")) })
	if got != want {
		t.Errorf("the output changes with shopspring's globals:\n%s", got)
	}
	for _, name := range []string{configFile, eventsFile} {
		a, err := os.ReadFile(filepath.Join(dir, "a", name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "b", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s changes with shopspring's globals", name)
		}
	}
}

func TestHelp(t *testing.T) {
	stdout, stderr, code := runMain(t, "-h")
	if code != 0 || !strings.Contains(stdout, "usage: service") || !strings.Contains(stdout, "-resume") ||
		strings.Contains(stdout, "requests:") {
		t.Errorf("-h: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

func TestBadArgs(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"-script", filepath.Join(dir, "missing.jsonl")},
		{"-dir", dir, "extra"},
		{"-nope"},
		{"-resume"},
		{"-dir", dir, "-resume"},
	} {
		var buf bytes.Buffer
		if err := run(&buf, args); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

// TestMain runs the program's main instead of the tests in a child started by runMain.
func TestMain(m *testing.M) { exampletest.Main(m, "service", main) }

// runMain runs main in a child process with args and returns its stdout, stderr and exit
// status.
func runMain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return exampletest.Run(t, args...)
}
