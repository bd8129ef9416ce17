package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

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
	// Amount is a decimal number in whole units of the circle's asset ("0.5" for 0.5 ETH),
	// optionally followed by a space and the asset's symbol ("0.5 ETH").
	Amount string `json:"amount,omitempty"`
}

// Service runs one circle and persists its events. It is not safe for concurrent use: a
// real service would serialise the commands of a circle (one goroutine, or a
// sync.RWMutex with commands under the write lock and queries under the read lock).
//
// Persisting is cheap: after each accepted command the service writes only the events
// after the last one it wrote (rosca.Circle.EventsAfter), each as one JSON line
// (rosca.Event.AppendJSON), so a command costs the same whatever the length of the log.
type Service struct {
	dir       string
	circle    *rosca.Circle
	asset     token.Asset // the circle's asset, in which command amounts are read
	log       *os.File
	persisted uint64 // the Seq of the last event written to the log
	stopped   error  // why the service stopped (the log could not be written), or nil
	buf       []byte // the encoding buffer, reused from command to command
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
	return &Service{dir: dir, circle: c, asset: cfg.Asset, log: log}, nil
}

// Open rebuilds the circle kept in dir from its config and its event log. The log is
// streamed from the file into rosca.Replay, one line at a time, so a circle of any length
// is rebuilt without holding its decoded log; Replay checks every event against what the
// config's circle produces. A log that does not decode or does not replay is an error
// that names the file and the line or event at fault.
func Open(dir string) (*Service, error) {
	b, err := os.ReadFile(filepath.Join(dir, configFile))
	if err != nil {
		return nil, err
	}
	var cfg rosca.Config
	if err := json.Unmarshal(b, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", configFile, err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", configFile, err)
	}
	c, err := replayFile(filepath.Join(dir, eventsFile), cfg)
	if err != nil {
		return nil, err
	}
	log, err := os.OpenFile(filepath.Join(dir, eventsFile), os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &Service{dir: dir, circle: c, asset: cfg.Asset, log: log, persisted: c.LastSeq()}, nil
}

// replayFile streams the event log at path into rosca.Replay. The decoder stops at the
// first line that does not decode (or a last line cut short): that error comes first,
// since Replay would otherwise see only the lines before it and accept them.
func replayFile(path string, cfg rosca.Config) (*rosca.Circle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read only: closing cannot lose data
	d := rosca.NewDecoder(f)
	c, err := rosca.Replay(cfg, d.Events())
	if derr := d.Err(); derr != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), derr)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return c, nil
}

// Close closes the event log. It may be called more than once, and on a nil *Service.
func (s *Service) Close() error {
	if s == nil || s.log == nil {
		return nil
	}
	err := s.log.Close()
	s.log = nil
	return err
}

// Circle returns the running circle (read it, do not drive it: commands go through Handle).
func (s *Service) Circle() *rosca.Circle { return s.circle }

// Handle runs one command. On success it appends the new events to the log, syncs it, and
// returns them. A refused command returns the library's error (a *rosca.Error, or one of
// the service's reasons) and leaves the circle and the log as they were. If the log cannot
// be written the service stops, with an error wrapping ErrStopped, and refuses every later
// command: the circle in memory is ahead of the file, and a restart rebuilds it from what
// was written.
func (s *Service) Handle(cmd Command) ([]rosca.Event, error) {
	if s.stopped != nil {
		return nil, s.stopped
	}
	if err := s.apply(cmd); err != nil {
		return nil, err
	}
	return s.persist()
}

// persist writes the events after the last persisted one, in one write, and syncs the log.
func (s *Service) persist() ([]rosca.Event, error) {
	var events []rosca.Event
	buf := s.buf[:0]
	for e := range s.circle.EventsAfter(s.persisted) {
		buf = e.AppendJSON(buf)
		buf = append(buf, '\n')
		events = append(events, e)
	}
	s.buf = buf
	if len(events) == 0 {
		return nil, nil
	}
	if s.log == nil {
		return nil, s.stop("write", os.ErrClosed)
	}
	if _, err := s.log.Write(buf); err != nil {
		return nil, s.stop("write", err)
	}
	if err := s.log.Sync(); err != nil {
		return nil, s.stop("sync", err)
	}
	s.persisted = events[len(events)-1].Seq
	return events, nil
}

func (s *Service) stop(what string, err error) error {
	s.stopped = fmt.Errorf("%w: %s %s: %w", ErrStopped, what, eventsFile, err)
	return s.stopped
}

// apply runs the command against the circle.
func (s *Service) apply(cmd Command) error {
	c := s.circle
	amount := func() (token.Amount, error) {
		// Parsed as written, never rounded: an amount finer than the asset's minor unit is
		// refused here with token.ErrSubUnitAmount.
		return s.asset.Parse(cmd.Amount)
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
