// Command service shows how a Go service embeds a lending circle: requests come in as
// commands, the circle answers with events or an error that carries a stable code and a
// class, every new event is persisted as a line of JSON in a file, and on restart the
// circle is rebuilt by streaming that file into rosca.Replay.
//
// The program runs a script of commands (a JSON object per line, built in, or read from a
// file with -script) against a three-member bidding circle. Half-way it "restarts": it closes
// the service, rebuilds the circle from the files alone, checks that the rebuilt circle equals
// the live one, and carries on with the rest of the script. Some requests in the script are
// bad on purpose (a bid below the minimum, a contribution from a non-member, an amount finer
// than a wei, a round closed before its deadline, ...): each is answered with the error's
// code and class (fault.CodeOf, fault.ClassOf), the HTTP status a web front would send and
// the facts the error carries, and the program checks that the refused request changed
// nothing, neither the circle nor the file.
//
// The service keeps two files in its directory: circle.json (the config) and events.jsonl
// (one event per line). After every accepted command it appends only the events after the
// last one it wrote (rosca.Circle.EventsAfter) and syncs the file, so persisting costs the
// same at the thousandth command as at the first. Nothing else is needed to rebuild the
// circle: the config and the event log are the whole state. A log that does not decode or
// does not replay (edited, cut short, events missing) is refused with an error naming the
// line or the event, and the program exits with status 1.
//
// Run it from the repository root:
//
//	go run ./examples/service                   # in a temporary directory, removed at the end
//	go run ./examples/service -dir /tmp/circle  # keep the files (the directory must not hold a circle yet)
//	go run ./examples/service -script cmds.jsonl
//	go run ./examples/service -dir /tmp/circle -resume -script more.jsonl  # continue a kept circle
//
// A command line looks like
//
//	{"at":"2026-03-02T09:00:00Z","op":"bid","member":"ben","amount":"1.2"}
//
// with op one of contribute, bid, close, withdraw, retrieve_fees and dispose_remainder
// (member is the foreperson for the last two). Blank lines and lines starting with # are
// skipped. The output is deterministic.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // -h: the usage was printed
		}
		fmt.Fprintln(os.Stderr, "service:", err)
		os.Exit(1)
	}
}

// options are the command-line settings.
type options struct {
	dir    string
	script string
	resume bool
}

func parseOptions(w io.Writer, args []string) (options, error) {
	fset := flag.NewFlagSet("service", flag.ContinueOnError)
	fset.SetOutput(w)
	fset.Usage = func() {
		fmt.Fprintf(w, "usage: service [-dir dir] [-resume] [-script file]\n\n"+
			"Runs a script of commands against a lending circle, persisting its events as JSON\n"+
			"lines and rebuilding the circle from them half-way.\n\n")
		fset.PrintDefaults()
	}
	var o options
	fset.StringVar(&o.dir, "dir", "", "directory for the circle's files (default: a new temporary directory, removed at the end)")
	fset.StringVar(&o.script, "script", "", "file of commands, one JSON object per line (default: the built-in script)")
	fset.BoolVar(&o.resume, "resume", false, "continue the circle kept in -dir, rebuilt from its files, instead of creating one")
	if err := fset.Parse(args); err != nil {
		return options{}, err
	}
	if fset.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", fset.Args())
	}
	if o.resume && o.dir == "" {
		return options{}, errors.New("-resume needs -dir, the directory of the circle to continue")
	}
	return o, nil
}

// loadScript reads the requests of the script file, or of the built-in script.
func loadScript(path string) ([]request, error) {
	if path == "" {
		return parseScript(strings.NewReader(script))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read only
	return parseScript(f)
}

// serviceDir returns the directory of the circle's files and what to do at the end: a new
// temporary directory, removed then, when dir is empty.
func serviceDir(o options) (dir string, cleanup func() error, err error) {
	if o.dir == "" {
		tmp, err := os.MkdirTemp("", "trustcircle-service-")
		if err != nil {
			return "", nil, err
		}
		return tmp, func() error { return os.RemoveAll(tmp) }, nil
	}
	_, err = os.Stat(filepath.Join(o.dir, configFile))
	switch {
	case o.resume && err != nil:
		return "", nil, fmt.Errorf("-resume: %w", err)
	case !o.resume && !errors.Is(err, fs.ErrNotExist):
		return "", nil, fmt.Errorf("-dir %s already holds a circle (%s): use an empty directory, or -resume", o.dir, configFile)
	}
	return o.dir, func() error { return nil }, nil
}

// run runs the script against a new circle in the directory (or the kept one, with
// -resume), restarting half-way.
func run(w io.Writer, args []string) (err error) {
	o, err := parseOptions(w, args)
	if err != nil {
		return err
	}
	reqs, err := loadScript(o.script)
	if err != nil {
		return err
	}
	dir, cleanup, err := serviceDir(o)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := cleanup(); err == nil {
			err = cerr
		}
	}()

	p := &printer{w: w}
	var svc *Service
	defer func() {
		if cerr := svc.Close(); err == nil {
			err = cerr
		}
	}()
	if o.resume {
		svc, err = resume(p, dir)
	} else {
		svc, err = Create(dir, demoConfig())
	}
	if err != nil {
		return err
	}
	cfg := svc.Circle().Config()
	p.f("A service running a %d-member %s circle (%s %s a round, fee %s), files in the service directory:\n",
		len(cfg.Members), cfg.Kind, p.amt(cfg.Contribution), cfg.Asset.Symbol(), cfg.Fee)
	p.f("  %s (the config) and %s (one event per line)\n\n", configFile, eventsFile)

	half := len(reqs) / 2
	accepted, refused := 0, 0
	for i, req := range reqs {
		if i == half {
			again, err := restart(p, svc)
			if err != nil {
				return err
			}
			svc = again
		}
		ok, err := handle(p, svc, req)
		if err != nil {
			return err
		}
		if ok {
			accepted++
		} else {
			refused++
		}
	}
	return report(p, svc, len(reqs), accepted, refused)
}

// resume opens the circle kept in dir.
func resume(p *printer, dir string) (*Service, error) {
	svc, err := Open(dir)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	c := svc.Circle()
	if err := c.Audit(); err != nil {
		svc.Close()
		return nil, err
	}
	p.f("resumed: %d events replayed from %s, round %d open; Audit: ok\n\n", c.LastSeq(), eventsFile, c.Round().Round)
	return svc, nil
}

// handle sends one request and reports the events, or the error and the proof that
// nothing changed. It returns whether the request was accepted; an error stops the program.
func handle(p *printer, svc *Service, req request) (bool, error) {
	c := svc.Circle()
	p.f("> %s\n", req.text)
	if req.err != nil {
		p.f("  refused: %v\n  (%s)\n", req.err, describe(req.err))
		p.f("  unchanged: the request never reached the circle\n")
		return false, nil
	}
	before, err := state(c)
	if err != nil {
		return false, err
	}
	logBefore, err := fileSize(svc.dir, eventsFile)
	if err != nil {
		return false, err
	}
	events, err := svc.Handle(req.cmd)
	if err != nil {
		if errors.Is(err, ErrStopped) {
			return false, err
		}
		after, serr := state(c)
		if serr != nil {
			return false, serr
		}
		logAfter, serr := fileSize(svc.dir, eventsFile)
		if serr != nil {
			return false, serr
		}
		p.f("  refused: %v\n  (%s)\n", err, describe(err))
		if !bytes.Equal(before, after) || logBefore != logAfter {
			return false, fmt.Errorf("line %d: a refused request changed the circle or its log", req.line)
		}
		p.f("  unchanged: circle state identical (last event %d), %s still %d bytes\n", c.LastSeq(), eventsFile, logAfter)
		return false, nil
	}
	for _, e := range events {
		p.f("  event %d: %s\n", e.Seq, summary(p, e))
	}
	return true, nil
}

// state is the circle's state without its log, as JSON: a refused command must leave it
// byte for byte as it was, the number of events included. Reading it costs the size of the
// circle, not the length of its log.
func state(c *rosca.Circle) ([]byte, error) {
	return json.Marshal(struct {
		LastSeq   uint64           `json:"last_seq"`
		Now       time.Time        `json:"now"`
		Round     rosca.RoundState `json:"round"`
		Positions []rosca.Position `json:"positions"`
		Totals    rosca.Totals     `json:"totals"`
	}{LastSeq: c.LastSeq(), Now: c.Now(), Round: c.Round(), Positions: c.Positions(), Totals: c.Totals()})
}

// restart closes the service and rebuilds it from its files alone, then checks that the
// rebuilt circle equals the one that was running.
func restart(p *printer, svc *Service) (*Service, error) {
	liveSnap, err := json.Marshal(svc.Circle().Snapshot())
	if err != nil {
		return nil, err
	}
	if err := svc.Close(); err != nil {
		return nil, err
	}
	p.f("\n--- restart: the service stops; a new process rebuilds the circle from %s and %s ---\n", configFile, eventsFile)
	again, err := Open(svc.dir)
	if err != nil {
		return nil, fmt.Errorf("restart: %w", err)
	}
	c := again.Circle()
	gotSnap, err := json.Marshal(c.Snapshot())
	if err == nil && !bytes.Equal(liveSnap, gotSnap) {
		err = errors.New("restart: the replayed circle differs from the live one")
	}
	if err == nil {
		err = c.Audit()
	}
	if err != nil {
		again.Close()
		return nil, err
	}
	p.f("replay equals live: %d events streamed from %s into rosca.Replay, round %d open, snapshots identical (%d bytes of JSON); Audit: ok\n\n",
		c.LastSeq(), eventsFile, c.Round().Round, len(gotSnap))
	return again, nil
}

// report checks the circle and its log at the end and prints the final accounts.
func report(p *printer, svc *Service, requests, accepted, refused int) error {
	c := svc.Circle()
	if err := c.Audit(); err != nil {
		return err
	}
	path := filepath.Join(svc.dir, eventsFile)
	logged, first, err := scanLog(path)
	if err != nil {
		return err
	}
	p.f("\n%d requests: %d accepted, %d refused; %d events in %s, %d in the circle; Audit: ok\n",
		requests, accepted, refused, logged, eventsFile, c.LastSeq())
	if logged != c.LastSeq() {
		return fmt.Errorf("the log has %d events, the circle %d", logged, c.LastSeq())
	}
	cfg := c.Config()
	p.f("final positions (%s):\n", cfg.Asset.Symbol())
	var sum token.Amount // the zero Amount: zero of the asset of what is added to it
	for _, pos := range c.Positions() {
		net, err := pos.Withdrawn.Sub(pos.Contributed)
		if err != nil {
			return err
		}
		if sum, err = sum.Add(net); err != nil {
			return err
		}
		p.f("  %-6s paid in %-4s received %-10s net %s\n", pos.Member, p.amt(pos.Contributed),
			p.amt(pos.Withdrawn), p.amt(net))
	}
	t := c.Totals()
	p.f("  fees paid %s, remainder paid %s, cash left %s\n", p.amt(t.FeesPaid), p.amt(t.RemainderPaid), p.amt(t.Cash))
	out, err := t.FeesPaid.Add(t.RemainderPaid)
	if err == nil {
		out, err = out.Add(t.Cash)
	}
	if err != nil {
		return err
	}
	if !sum.Neg().Equal(out) {
		return fmt.Errorf("the circle does not add up: sum of nets %s, fees + remainder + cash %s", sum, out)
	}
	p.f("  sum of nets %s = -(fees + remainder + cash left): adds up to the wei\n", p.amt(sum))
	if first != "" {
		p.f("\nthe first line of %s:\n  %s\n", eventsFile, first)
	}
	return p.err
}

// scanLog streams the event log, checks that its events are numbered 1, 2, 3, ... and
// returns their number and the first line.
func scanLog(path string) (n uint64, first string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close() // read only
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, "", err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, "", err
	}
	d := rosca.NewDecoder(f)
	for e := range d.Events() {
		if n++; e.Seq != n {
			return 0, "", fmt.Errorf("%s: event %d has seq %d", eventsFile, n, e.Seq)
		}
	}
	if err := d.Err(); err != nil {
		return 0, "", fmt.Errorf("%s: %w", eventsFile, err)
	}
	return n, strings.TrimSuffix(line, "\n"), nil
}

// summary describes an event in a line.
func summary(p *printer, e rosca.Event) string {
	switch e.Kind {
	case rosca.EventContribution:
		return fmt.Sprintf("%s paid %s", e.Member, p.amt(e.Amount))
	case rosca.EventBid:
		return fmt.Sprintf("%s bid %s", e.Member, p.amt(e.Amount))
	case rosca.EventRoundClosed:
		if r := e.Result; r != nil {
			return fmt.Sprintf("round %d closed: %s wins by %s, pot %s, bid %s, credited %s, discount %s, fee %s, remainder %s",
				r.Round, r.Winner, r.Method, p.amt(r.Pot), p.amt(r.Bid), p.amt(r.Winnings), p.amt(r.Discount),
				p.amt(r.Fee), p.amt(r.Remainder))
		}
	case rosca.EventWithdrawal:
		return fmt.Sprintf("%s withdrew %s (entitled to %s)", e.Member, p.amt(e.Amount), p.amt(e.Entitled))
	case rosca.EventFeesRetrieved:
		return fmt.Sprintf("%s took the fees, %s", e.Member, p.amt(e.Amount))
	case rosca.EventRemainderDisposed:
		return fmt.Sprintf("%s received the remainder, %s", e.Member, p.amt(e.Amount))
	}
	return string(e.Kind)
}

func fileSize(dir, name string) (int64, error) {
	fi, err := os.Stat(filepath.Join(dir, name))
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// printer writes formatted lines and keeps the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, a ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.w, format, a...)
}

// amt prints an exact amount for people: trailing zeros dropped, one decimal kept, never
// rounded (token.Amount.Trim).
func (p *printer) amt(x token.Amount) string { return x.Trim(1) }
