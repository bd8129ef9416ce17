package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// commandAnswer is the body of an accepted command: the circle's events the command
// appended, the sequence number of the last one, and what the command returned.
type commandAnswer struct {
	Circle     string                 `json:"circle"`
	LastSeq    uint64                 `json:"last_seq"`
	Events     json.RawMessage        `json:"events"`
	Position   *rosca.Position        `json:"position,omitempty"`
	Round      *rosca.RoundState      `json:"round,omitempty"`
	Result     *rosca.RoundResult     `json:"result,omitempty"`
	Paid       *token.Amount          `json:"paid,omitempty"`
	To         token.Account          `json:"to,omitempty"`
	Settlement []rosca.SettlementLine `json:"settlement,omitempty"`
}

// The bodies of the commands. "at" is the time of the command (RFC 3339); when it is left
// out the service's clock stamps it. Amounts are text: "12.5", or "12.50 USD" with the
// circle's asset, never finer than its minor unit.
type (
	amountCommand struct {
		At     time.Time     `json:"at"`
		Member token.Account `json:"member"`
		Amount string        `json:"amount"`
	}
	memberCommand struct {
		At     time.Time     `json:"at"`
		Member token.Account `json:"member"`
	}
	byCommand struct {
		At time.Time     `json:"at"`
		By token.Account `json:"by"`
	}
	closeCommand struct {
		At time.Time `json:"at"`
	}
)

func when(at, now time.Time) time.Time {
	if at.IsZero() {
		return now
	}
	return at
}

func missing(field string) error {
	return requestError(ErrBadRequest, fmt.Sprintf("%q is required", field), nil)
}

// parseAmountCommand decodes a contribution or a bid.
func parseAmountCommand(body []byte, cfg rosca.Config, now time.Time) (at time.Time, m token.Account, x token.Amount, err error) {
	var cmd amountCommand
	if err := decodeStrict(body, &cmd); err != nil {
		return at, m, x, err
	}
	if cmd.Member == "" {
		return at, m, x, missing("member")
	}
	if cmd.Amount == "" {
		return at, m, x, missing("amount")
	}
	x, err = cfg.Asset.Parse(cmd.Amount) // as written, never rounded
	return when(cmd.At, now), cmd.Member, x, err
}

func parseContribute(body []byte, cfg rosca.Config, now time.Time) (runner, error) {
	at, m, x, err := parseAmountCommand(body, cfg, now)
	if err != nil {
		return nil, err
	}
	return func(c *rosca.Circle, a *commandAnswer) error {
		if err := c.Contribute(at, m, x); err != nil {
			return err
		}
		if p, err := c.Position(m); err == nil { // it is: m just paid in
			a.Position = &p
		}
		return nil
	}, nil
}

func parseBid(body []byte, cfg rosca.Config, now time.Time) (runner, error) {
	at, m, x, err := parseAmountCommand(body, cfg, now)
	if err != nil {
		return nil, err
	}
	return func(c *rosca.Circle, a *commandAnswer) error {
		if err := c.Bid(at, m, x); err != nil {
			return err
		}
		r := c.Round()
		a.Round = &r
		return nil
	}, nil
}

func parseClose(body []byte, _ rosca.Config, now time.Time) (runner, error) {
	var cmd closeCommand
	if len(body) > 0 { // an empty body closes the round now
		if err := decodeStrict(body, &cmd); err != nil {
			return nil, err
		}
	}
	at := when(cmd.At, now)
	return func(c *rosca.Circle, a *commandAnswer) error {
		res, err := c.CloseRound(at)
		if err != nil {
			return err
		}
		a.Result = &res
		return nil
	}, nil
}

func parseWithdraw(body []byte, _ rosca.Config, now time.Time) (runner, error) {
	var cmd memberCommand
	if err := decodeStrict(body, &cmd); err != nil {
		return nil, err
	}
	if cmd.Member == "" {
		return nil, missing("member")
	}
	at := when(cmd.At, now)
	return func(c *rosca.Circle, a *commandAnswer) error {
		paid, err := c.Withdraw(at, cmd.Member)
		if err != nil {
			return err
		}
		a.Paid = &paid
		return nil
	}, nil
}

// parseBy decodes the commands of the foreperson and of the operator, whose body names who
// asks ("by"), and returns the runner do builds.
func parseBy(do func(at time.Time, by token.Account) runner) func([]byte, rosca.Config, time.Time) (runner, error) {
	return func(body []byte, _ rosca.Config, now time.Time) (runner, error) {
		var cmd byCommand
		if err := decodeStrict(body, &cmd); err != nil {
			return nil, err
		}
		if cmd.By == "" {
			return nil, missing("by")
		}
		return do(when(cmd.At, now), cmd.By), nil
	}
}

func retrieveFees(at time.Time, by token.Account) runner {
	return func(c *rosca.Circle, a *commandAnswer) error {
		paid, err := c.RetrieveFees(at, by)
		if err != nil {
			return err
		}
		a.Paid, a.To = &paid, by
		return nil
	}
}

func disposeRemainder(at time.Time, by token.Account) runner {
	return func(c *rosca.Circle, a *commandAnswer) error {
		paid, to, err := c.DisposeRemainder(at, by)
		if err != nil {
			return err
		}
		a.Paid, a.To = &paid, to
		return nil
	}
}

func enableHalt(at time.Time, by token.Account) runner {
	return func(c *rosca.Circle, _ *commandAnswer) error { return c.EnableHalt(at, by) }
}

func activateHalt(at time.Time, by token.Account) runner {
	return func(c *rosca.Circle, a *commandAnswer) error {
		lines, err := c.ActivateHalt(at, by)
		if err != nil {
			return err
		}
		a.Settlement = lines
		return nil
	}
}

// createRequest is the body of POST /circles: the circle's id (drawn by the service if
// left out) and its rosca.Config. A config without "seed" gets one drawn from crypto/rand,
// and one without "rules" gets rosca.WeTrustRules.
type createRequest struct {
	ID     string          `json:"id"`
	Config json.RawMessage `json:"config"`
}

// circleAnswer is the body that describes a circle: the answer to a create and to
// GET /circles/{id}.
type circleAnswer struct {
	ID      string           `json:"id"`
	LastSeq uint64           `json:"last_seq"`
	Config  rosca.Config     `json:"config"`
	Round   rosca.RoundState `json:"round"`
	Totals  rosca.Totals     `json:"totals"`
	Ended   bool             `json:"ended"`
	Halted  bool             `json:"halted"`
}

func describeCircle(id string, c *rosca.Circle) circleAnswer {
	return circleAnswer{ID: id, LastSeq: c.LastSeq(), Config: c.Config(), Round: c.Round(),
		Totals: c.Totals(), Ended: c.Ended(), Halted: c.Halted()}
}

// parseCreate decodes a create and builds the circle.
func parseCreate(body []byte) (string, *rosca.Circle, error) {
	var req createRequest
	if err := decodeStrict(body, &req); err != nil {
		return "", nil, err
	}
	if len(req.Config) == 0 {
		return "", nil, missing("config")
	}
	if req.ID == "" {
		var b [8]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
		req.ID = "c-" + hex.EncodeToString(b[:])
	}
	if !validID(req.ID) {
		return "", nil, requestError(ErrBadRequest, fmt.Sprintf("id %q: use 1 to 64 letters, digits, '-', '_' or '.'", req.ID), nil)
	}
	var cfg rosca.Config
	if err := cfg.UnmarshalJSON(req.Config); err != nil {
		return "", nil, err
	}
	if cfg.Seed.IsZero() {
		_, _ = rand.Read(cfg.Seed[:])
	}
	if cfg.Rules == (rosca.Rules{}) {
		cfg.Rules = rosca.WeTrustRules()
	}
	c, err := rosca.New(cfg)
	return req.ID, c, err
}

// create serves POST /circles. Creates are serialised in the instance; between instances
// the circles table's primary key keeps ids unique.
func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	ctx := context.WithoutCancel(r.Context())
	key, body, err := s.readCommand(w, r)
	if err != nil {
		s.fail(w, err)
		return
	}
	fp := fingerprint(r, body)
	s.createMu.Lock()
	defer s.createMu.Unlock()
	if done, err := s.replayed(ctx, w, key, fp); done || err != nil {
		if err != nil {
			s.fail(w, err)
		}
		return
	}
	id, c, err := parseCreate(body)
	if err != nil {
		s.fail(w, err)
		return
	}
	exists := func() (bool, error) {
		s.mu.Lock()
		e := s.circles[id]
		s.mu.Unlock()
		if e != nil {
			return true, nil
		}
		_, ok, err := s.store.Config(ctx, id)
		return ok, err
	}
	if ok, err := exists(); err != nil || ok {
		if err == nil {
			err = requestError(ErrCircleExists, fmt.Sprintf("circle %q exists", id), nil)
		}
		s.fail(w, err)
		return
	}
	cfgJSON, err := c.Config().MarshalJSON()
	if err != nil {
		s.fail(w, err)
		return
	}
	out := mustJSON(describeCircle(id, c))
	a := answer{Key: key, Fingerprint: fp, Circle: id, Status: http.StatusCreated, Body: out}
	if err := s.store.CreateCircle(ctx, id, cfgJSON, a); err != nil {
		if done, lerr := s.replayed(ctx, w, key, fp); done || lerr != nil {
			if lerr != nil {
				s.fail(w, lerr)
			}
			return
		}
		if ok, _ := exists(); ok {
			err = requestError(ErrCircleExists, fmt.Sprintf("circle %q exists", id), nil)
		}
		s.fail(w, err)
		return
	}
	s.mu.Lock()
	if s.circles[id] == nil { // else a request loaded it from the table meanwhile
		s.circles[id] = &circle{id: id, cfg: c.Config(), c: c}
	}
	s.mu.Unlock()
	w.Header().Set("Location", "/circles/"+id)
	writeJSON(w, http.StatusCreated, out)
}
