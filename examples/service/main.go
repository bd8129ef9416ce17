// Command service shows how a Go service embeds a lending circle: requests come in as
// commands, the circle answers with events or a typed error, every event is persisted as a
// line of JSON in a file, and on restart the circle is rebuilt from that file with
// rosca.Replay.
//
// The program runs a script of commands (a JSON object per line, built in, or read from a
// file with -script) against a three-member bidding circle. Half-way it "restarts": it closes
// the service, rebuilds the circle from the files alone, checks that the rebuilt circle equals
// the live one, and carries on with the rest of the script. Some requests in the script are
// bad on purpose (a bid below the minimum, a contribution from a non-member, an amount finer
// than a wei, a round closed before its deadline, ...): each is answered with the library's
// typed error, and the program checks that the refused request changed nothing, neither the
// circle nor the file.
//
// The service keeps two files in its directory: circle.json (the config) and events.jsonl
// (one event per line, appended and synced after every accepted command). Nothing else is
// needed to rebuild the circle: the config and the event log are the whole state.
//
// Run it from the repository root:
//
//	go run ./examples/service                   # in a temporary directory, removed at the end
//	go run ./examples/service -dir /tmp/circle  # keep the files (the directory must not hold a circle yet)
//	go run ./examples/service -script cmds.jsonl
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

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "service:", err)
		os.Exit(1)
	}
}

// The files of a circle in the service's directory.
const (
	configFile = "circle.json"
	eventsFile = "events.jsonl"
)

// Command is one request to the service, decoded from a line of JSON.
type Command struct {
	At     time.Time     `json:"at"`
	Op     string        `json:"op"`
	Member token.Account `json:"member,omitempty"`
	// Amount is a decimal string in whole units of the circle's asset ("0.5" ETH).
	Amount string `json:"amount,omitempty"`
}

// Errors of the service itself (the circle's own errors come from package rosca).
var (
	// ErrBadCommand reports a request that cannot be decoded or names no known operation.
	ErrBadCommand = errors.New("service: bad command")
	// ErrStopped reports that the event log could not be written: the circle in memory is
	// ahead of the file, so the service must stop and be restarted from the file.
	ErrStopped = errors.New("service: stopped")
)

// Service runs one circle and persists its events. It is not safe for concurrent use: a real
// service would serialise the commands of a circle (one goroutine or a mutex per circle).
type Service struct {
	dir    string
	circle *rosca.Circle
	log    *os.File
}

// Create starts a new circle in dir and writes its config. dir must not hold a circle.
func Create(dir string, cfg rosca.Config) (*Service, error) {
	c, err := rosca.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(c.Config(), "", "  ")
	if err != nil {
		return nil, err
	}
	// O_EXCL: never overwrite a circle that is already there.
	f, err := os.OpenFile(filepath.Join(dir, configFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	log, err := os.OpenFile(filepath.Join(dir, eventsFile), os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &Service{dir: dir, circle: c, log: log}, nil
}

// Open rebuilds the circle kept in dir from its config and event log with rosca.Replay, which
// checks every event against what the config's circle produces.
func Open(dir string) (*Service, error) {
	b, err := os.ReadFile(filepath.Join(dir, configFile))
	if err != nil {
		return nil, err
	}
	var cfg rosca.Config
	if err := json.Unmarshal(b, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", configFile, err)
	}
	events, err := readEvents(filepath.Join(dir, eventsFile))
	if err != nil {
		return nil, err
	}
	c, err := rosca.Replay(cfg, events)
	if err != nil {
		return nil, err
	}
	log, err := os.OpenFile(filepath.Join(dir, eventsFile), os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &Service{dir: dir, circle: c, log: log}, nil
}

// readEvents reads an event log, one JSON event per line. A last line without its newline
// is a write that did not complete: it is reported, not guessed at.
func readEvents(path string) ([]rosca.Event, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var events []rosca.Event
	for i, line := range bytes.SplitAfter(b, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if line[len(line)-1] != '\n' {
			return nil, fmt.Errorf("%s line %d: incomplete last line", filepath.Base(path), i+1)
		}
		var e rosca.Event
		if err := json.Unmarshal(line, &e); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", filepath.Base(path), i+1, err)
		}
		events = append(events, e)
	}
	return events, nil
}

// Close closes the event log.
func (s *Service) Close() error { return s.log.Close() }

// Circle returns the running circle (read it, do not drive it: commands go through Handle).
func (s *Service) Circle() *rosca.Circle { return s.circle }

// Handle runs one command. On success it appends the new events to the log, syncs it, and
// returns them with the command's result (the amount withdrawn or paid, if any). A refused
// command returns the library's typed error and leaves the circle and the log as they were.
// If the log cannot be written the service must stop (the circle in memory is ahead of the
// file): the error says so, and a restart rebuilds the circle from what was written.
func (s *Service) Handle(cmd Command) ([]rosca.Event, error) {
	before := s.circle.EventCount()
	if err := s.apply(cmd); err != nil {
		return nil, err
	}
	events := s.circle.Events()[before:]
	var buf bytes.Buffer
	for _, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			return nil, fmt.Errorf("%w: encode event %d: %w", ErrStopped, e.Seq, err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if _, err := s.log.Write(buf.Bytes()); err != nil {
		return nil, fmt.Errorf("%w: write %s: %w", ErrStopped, eventsFile, err)
	}
	if err := s.log.Sync(); err != nil {
		return nil, fmt.Errorf("%w: sync %s: %w", ErrStopped, eventsFile, err)
	}
	return events, nil
}

func (s *Service) apply(cmd Command) error {
	c := s.circle
	amount := func() (decimal.Decimal, error) {
		// Decoded as written, not rounded: the circle itself rejects an amount finer than
		// the asset's minor unit with a typed error.
		d, err := decimal.NewFromString(cmd.Amount)
		if err != nil {
			return decimal.Decimal{}, fmt.Errorf("%w: amount %q: %v", ErrBadCommand, cmd.Amount, err)
		}
		return d, nil
	}
	switch cmd.Op {
	case "contribute":
		a, err := amount()
		if err != nil {
			return err
		}
		return c.Contribute(cmd.At, cmd.Member, a)
	case "bid":
		a, err := amount()
		if err != nil {
			return err
		}
		return c.Bid(cmd.At, cmd.Member, a)
	case "close":
		_, err := c.CloseRound(cmd.At)
		return err
	case "withdraw":
		_, err := c.Withdraw(cmd.At, cmd.Member)
		return err
	case "retrieve_fees":
		_, err := c.RetrieveFees(cmd.At, cmd.Member)
		return err
	case "dispose_remainder":
		_, _, err := c.DisposeRemainder(cmd.At, cmd.Member)
		return err
	}
	return fmt.Errorf("%w: unknown op %q", ErrBadCommand, cmd.Op)
}

// start is when the demonstration circle starts.
func start() time.Time { return time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC) }

// demoConfig is the demonstration circle: three members paying 0.5 ETH a day, fee 2 per mille.
func demoConfig() rosca.Config {
	eth := token.ETH()
	return rosca.Config{
		Asset:        eth,
		Kind:         rosca.Bidding,
		Members:      []token.Account{"ana", "ben", "chloe"},
		Foreperson:   "ana",
		Operator:     "platform",
		Contribution: eth.MustParse("0.5"),
		Start:        start(),
		Period:       24 * time.Hour,
		Epochs:       1,
		Fee:          fees.MustRate(2, 1000),
		Rules:        rosca.WeTrustRules(),
		Seed:         rosca.Seed{1, 2, 3},
	}
}

// script is the built-in list of requests, as a client would send them. Lines marked "bad"
// are refused on purpose.
const script = `# day 1: everybody pays 0.5 ETH; the pot is 1.5 ETH, the minimum bid floor(1.5 x 65%) = 0.975
{"at":"2026-03-02T08:00:00Z","op":"contribute","member":"ana","amount":"0.5"}
{"at":"2026-03-02T08:05:00Z","op":"contribute","member":"ben","amount":"0.5"}
{"at":"2026-03-02T08:10:00Z","op":"contribute","member":"zoe","amount":"0.5"}
{"at":"2026-03-02T08:15:00Z","op":"contribute","member":"chloe","amount":"0.5000000000000000001"}
{"at":"2026-03-02T08:16:00Z","op":"contribute","member":"chloe","amount":"0.5"}
{"at":"2026-03-02T09:00:00Z","op":"bid","member":"ben","amount":"0.9"}
{"at":"2026-03-02T09:01:00Z","op":"bid","member":"ben","amount":"1.2"}
{"at":"2026-03-02T09:30:00Z","op":"bid","member":"chloe","amount":"1.19"}
{"at":"2026-03-02T09:31:00Z","op":"bid","member":"chloe","amount":"1.1"}
{"at":"2026-03-02T12:00:00Z","op":"close"}
{"at":"2026-03-03T00:00:00Z","op":"close"}
{"at":"2026-03-03T00:30:00Z","op":"withdraw","member":"chloe"}
{"at":"2026-03-03T00:31:00Z","op":"withdraw","member":"chloe"}
# day 2
{"at":"2026-03-03T08:00:00Z","op":"contribute","member":"ana","amount":"0.5"}
{"at":"2026-03-03T07:00:00Z","op":"contribute","member":"ben","amount":"0.5"}
{"at":"2026-03-03T08:01:00Z","op":"contribute","member":"ben","amount":0.5}
{"at":"2026-03-03T08:02:00Z","op":"pay","member":"ben","amount":"0.5"}
{"at":"2026-03-03T08:05:00Z","op":"contribute","member":"ben","amount":"0.5"}
{"at":"2026-03-03T08:10:00Z","op":"contribute","member":"chloe","amount":"0.5"}
{"at":"2026-03-03T09:00:00Z","op":"bid","member":"chloe","amount":"1.0"}
{"at":"2026-03-03T09:05:00Z","op":"bid","member":"ana","amount":"1.05"}
{"at":"2026-03-04T00:00:00Z","op":"close"}
# day 3: only ben has not won; nobody bids, so he takes the whole pot
{"at":"2026-03-04T08:00:00Z","op":"contribute","member":"ana","amount":"0.5"}
{"at":"2026-03-04T08:05:00Z","op":"contribute","member":"ben","amount":"0.5"}
{"at":"2026-03-04T08:10:00Z","op":"contribute","member":"chloe","amount":"0.5"}
{"at":"2026-03-04T20:00:00Z","op":"retrieve_fees","member":"ana"}
{"at":"2026-03-05T00:00:00Z","op":"close"}
{"at":"2026-03-05T00:00:00Z","op":"close"}
{"at":"2026-03-05T09:00:00Z","op":"withdraw","member":"ana"}
{"at":"2026-03-05T09:00:00Z","op":"withdraw","member":"ben"}
{"at":"2026-03-05T09:00:00Z","op":"withdraw","member":"chloe"}
{"at":"2026-03-05T09:10:00Z","op":"retrieve_fees","member":"ben"}
{"at":"2026-03-05T09:10:00Z","op":"retrieve_fees","member":"ana"}
{"at":"2026-03-05T09:15:00Z","op":"dispose_remainder","member":"ana"}
`

// request is a script line: its number in the script and the command.
type request struct {
	line int
	text string
	cmd  Command
	err  error // a line that did not decode
}

func parseScript(r io.Reader) ([]request, error) {
	var out []request
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		req := request{line: n, text: text}
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req.cmd); err != nil {
			req.err = fmt.Errorf("%w: %v", ErrBadCommand, err)
		}
		out = append(out, req)
	}
	return out, sc.Err()
}

// run runs the script against a new circle in the directory, restarting half-way.
func run(w io.Writer, args []string) (err error) {
	fset := flag.NewFlagSet("service", flag.ContinueOnError)
	fset.SetOutput(w)
	dirFlag := fset.String("dir", "", "directory for the circle's files (default: a new temporary directory, removed at the end)")
	scriptFlag := fset.String("script", "", "file of commands, one JSON object per line (default: the built-in script)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fset.Args())
	}

	src := io.Reader(strings.NewReader(script))
	if *scriptFlag != "" {
		f, err := os.Open(*scriptFlag)
		if err != nil {
			return err
		}
		defer f.Close()
		src = f
	}
	reqs, err := parseScript(src)
	if err != nil {
		return err
	}

	dir := *dirFlag
	if dir == "" {
		tmp, err := os.MkdirTemp("", "trustcircle-service-")
		if err != nil {
			return err
		}
		defer func() {
			if rerr := os.RemoveAll(tmp); err == nil {
				err = rerr
			}
		}()
		dir = tmp
	} else if _, err := os.Stat(filepath.Join(dir, configFile)); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("-dir %s already holds a circle (%s): use an empty directory", dir, configFile)
	}

	cfg := demoConfig()
	p := &printer{w: w, asset: cfg.Asset}
	svc, err := Create(dir, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := svc.Close(); err == nil && !errors.Is(cerr, os.ErrClosed) {
			err = cerr
		}
	}()
	p.f("A service running a %d-member bidding circle (%s %s a round, fee %s), files in the service directory:\n",
		len(cfg.Members), p.amt(cfg.Contribution), cfg.Asset.Symbol(), cfg.Fee)
	p.f("  %s (the config) and %s (one event per line)\n\n", configFile, eventsFile)

	half := len(reqs) / 2
	accepted, refused := 0, 0
	for i, req := range reqs {
		if i == half {
			svc, err = restart(p, svc)
			if err != nil {
				return err
			}
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

	c := svc.Circle()
	if err := c.Audit(); err != nil {
		return err
	}
	events, err := readEvents(filepath.Join(dir, eventsFile))
	if err != nil {
		return err
	}
	p.f("\n%d requests: %d accepted, %d refused; %d events in %s, %d in the circle; Audit: ok\n",
		len(reqs), accepted, refused, len(events), eventsFile, c.EventCount())
	if len(events) != c.EventCount() {
		return fmt.Errorf("the log has %d events, the circle %d", len(events), c.EventCount())
	}
	p.f("final positions (%s):\n", cfg.Asset.Symbol())
	for _, pos := range c.Positions() {
		p.f("  %-6s paid in %-4s received %-10s net %s\n", pos.Member, p.amt(pos.Contributed),
			p.amt(pos.Withdrawn), p.amt(pos.Withdrawn.Sub(pos.Contributed)))
	}
	t := c.Totals()
	sum := decimal.Zero
	for _, pos := range c.Positions() {
		sum = sum.Add(pos.Withdrawn.Sub(pos.Contributed))
	}
	p.f("  fees paid %s, remainder paid %s, cash left %s\n", p.amt(t.FeesPaid), p.amt(t.RemainderPaid), p.amt(t.Cash))
	if !sum.Equal(t.FeesPaid.Add(t.RemainderPaid).Add(t.Cash).Neg()) {
		return fmt.Errorf("the circle does not add up: sum of nets %s", sum)
	}
	p.f("  sum of nets %s = -(fees + remainder + cash left): adds up to the wei\n", p.amt(sum))
	if len(events) > 0 {
		b, err := json.Marshal(events[0])
		if err != nil {
			return err
		}
		p.f("\nthe first line of %s:\n  %s\n", eventsFile, b)
	}
	return p.err
}

// handle sends one request and reports the events, or the typed error and the proof that
// nothing changed. It returns whether the request was accepted; an error stops the program.
func handle(p *printer, svc *Service, req request) (bool, error) {
	c := svc.Circle()
	p.f("> %s\n", req.text)
	if req.err != nil {
		p.f("  refused: %v\n  (%s)\n", req.err, sentinel(req.err))
		p.f("  unchanged: the request never reached the circle\n")
		return false, nil
	}
	before, err := json.Marshal(c.Snapshot())
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
		after, merr := json.Marshal(c.Snapshot())
		if merr != nil {
			return false, merr
		}
		logAfter, serr := fileSize(svc.dir, eventsFile)
		if serr != nil {
			return false, serr
		}
		p.f("  refused: %s\n", describe(err))
		if !bytes.Equal(before, after) || logBefore != logAfter {
			return false, fmt.Errorf("line %d: a refused request changed the circle or its log", req.line)
		}
		p.f("  unchanged: circle snapshot identical, %s still %d bytes\n", eventsFile, logAfter)
		return false, nil
	}
	for _, e := range events {
		p.f("  event %d: %s\n", e.Seq, summary(p, e))
	}
	return true, nil
}

// restart closes the service and rebuilds it from its files alone, then checks that the
// rebuilt circle equals the one that was running.
func restart(p *printer, svc *Service) (*Service, error) {
	live := svc.Circle()
	liveSnap, err := json.Marshal(live.Snapshot())
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
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(liveSnap, gotSnap) {
		return nil, errors.New("restart: the replayed circle differs from the live one")
	}
	if err := c.Audit(); err != nil {
		return nil, err
	}
	p.f("replay equals live: %d events replayed, round %d open, snapshots identical (%d bytes of JSON); Audit: ok\n\n",
		c.EventCount(), c.Round().Round, len(gotSnap))
	return again, nil
}

// describe names the typed error and the facts it carries.
func describe(err error) string {
	var (
		bid    *rosca.BidError
		access *rosca.AccessError
		amount *rosca.AmountError
		tm     *rosca.TimeError
		wd     *rosca.WithdrawError
		st     *rosca.StateError
	)
	switch {
	case errors.As(err, &bid):
		return fmt.Sprintf("%v\n  (*rosca.BidError, %s: member %s, bid %s, limit %s)", err, sentinel(err), bid.Member, bid.Bid, bid.Limit)
	case errors.As(err, &access):
		return fmt.Sprintf("%v\n  (*rosca.AccessError, %s: account %q)", err, sentinel(err), access.Account)
	case errors.As(err, &amount):
		return fmt.Sprintf("%v\n  (*rosca.AmountError, %s: amount %s)", err, sentinel(err), amount.Amount)
	case errors.As(err, &tm):
		return fmt.Sprintf("%v\n  (*rosca.TimeError, %s: at %s, earliest %s)", err, sentinel(err),
			tm.At.Format(time.RFC3339), tm.Earliest.Format(time.RFC3339))
	case errors.As(err, &wd):
		return fmt.Sprintf("%v\n  (*rosca.WithdrawError, %s: entitled %s, available %s)", err, sentinel(err), wd.Entitled, wd.Available)
	case errors.As(err, &st):
		return fmt.Sprintf("%v\n  (*rosca.StateError, %s: round %d)", err, sentinel(err), st.Round)
	}
	return fmt.Sprintf("%v\n  (%s)", err, sentinel(err))
}

// sentinels returns the errors a client branches on with errors.Is, with their names.
func sentinels() []namedError {
	return []namedError{
		{rosca.ErrNotMember, "rosca.ErrNotMember"},
		{rosca.ErrNotForeperson, "rosca.ErrNotForeperson"},
		{token.ErrSubUnitAmount, "token.ErrSubUnitAmount"},
		{token.ErrZeroAmount, "token.ErrZeroAmount"},
		{token.ErrNegativeAmount, "token.ErrNegativeAmount"},
		{rosca.ErrInvalidAmount, "rosca.ErrInvalidAmount"},
		{rosca.ErrBidTooLow, "rosca.ErrBidTooLow"},
		{rosca.ErrBidTooHigh, "rosca.ErrBidTooHigh"},
		{rosca.ErrAlreadyWon, "rosca.ErrAlreadyWon"},
		{rosca.ErrNotInGoodStanding, "rosca.ErrNotInGoodStanding"},
		{rosca.ErrTooEarly, "rosca.ErrTooEarly"},
		{rosca.ErrTimeBackwards, "rosca.ErrTimeBackwards"},
		{rosca.ErrEnded, "rosca.ErrEnded"},
		{rosca.ErrNotEnded, "rosca.ErrNotEnded"},
		{rosca.ErrNothingToWithdraw, "rosca.ErrNothingToWithdraw"},
		{rosca.ErrInDebt, "rosca.ErrInDebt"},
		{rosca.ErrNoCash, "rosca.ErrNoCash"},
		{rosca.ErrNothingToPay, "rosca.ErrNothingToPay"},
		{ErrBadCommand, "service.ErrBadCommand"},
	}
}

type namedError struct {
	err  error
	name string
}

// sentinel names the first sentinel that err matches with errors.Is.
func sentinel(err error) string {
	for _, s := range sentinels() {
		if errors.Is(err, s.err) {
			return "errors.Is " + s.name
		}
	}
	return "no known sentinel"
}

// summary describes an event in a line.
func summary(p *printer, e rosca.Event) string {
	switch e.Type {
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
	return string(e.Type)
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
	w     io.Writer
	asset token.Asset
	err   error
}

func (p *printer) f(format string, a ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.w, format, a...)
}

// amt prints an exact amount with token.Asset.FormatTrim: trailing zeros dropped, one
// decimal kept, never rounded (a refused sub-wei amount prints in full).
func (p *printer) amt(d decimal.Decimal) string {
	return p.asset.FormatTrim(d, 1)
}
