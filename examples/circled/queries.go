package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("POST /circles", s.create)
	m.HandleFunc("GET /circles", s.list)
	m.HandleFunc("GET /circles/{id}", s.query(func(_ *http.Request, id string, c *rosca.Circle) (any, error) {
		return describeCircle(id, c), nil
	}))
	m.HandleFunc("GET /circles/{id}/round", s.query(func(_ *http.Request, _ string, c *rosca.Circle) (any, error) {
		return c.Round(), nil
	}))
	m.HandleFunc("GET /circles/{id}/rounds", s.query(func(_ *http.Request, _ string, c *rosca.Circle) (any, error) {
		return c.Rounds(), nil
	}))
	m.HandleFunc("GET /circles/{id}/positions", s.query(func(_ *http.Request, _ string, c *rosca.Circle) (any, error) {
		return c.Positions(), nil
	}))
	m.HandleFunc("GET /circles/{id}/positions/{member}", s.query(func(r *http.Request, _ string, c *rosca.Circle) (any, error) {
		return c.Position(token.Account(r.PathValue("member")))
	}))
	m.HandleFunc("GET /circles/{id}/totals", s.query(totalsQuery))
	m.HandleFunc("GET /circles/{id}/events", s.query(eventsQuery))
	m.HandleFunc("GET /circles/{id}/schedule", s.query(scheduleQuery))
	m.HandleFunc("GET /circles/{id}/schedule/{member}", s.query(memberScheduleQuery))
	m.HandleFunc("GET /circles/{id}/statements/{member}", s.statement)

	m.HandleFunc("POST /circles/{id}/contributions", s.command(parseContribute))
	m.HandleFunc("POST /circles/{id}/bids", s.command(parseBid))
	m.HandleFunc("POST /circles/{id}/round/close", s.command(parseClose))
	m.HandleFunc("POST /circles/{id}/withdrawals", s.command(parseWithdraw))
	m.HandleFunc("POST /circles/{id}/fees/retrieve", s.command(parseBy(retrieveFees)))
	m.HandleFunc("POST /circles/{id}/remainder/dispose", s.command(parseBy(disposeRemainder)))
	m.HandleFunc("POST /circles/{id}/halt/enable", s.command(parseBy(enableHalt)))
	m.HandleFunc("POST /circles/{id}/halt/activate", s.command(parseBy(activateHalt)))
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, []byte("{\"ok\":true}\n"))
	})
	s.mux = m
}

// query serves a read of one circle: fn runs under the circle's read lock, after the circle
// was brought up to the events table, and its result is the answer's JSON.
func (s *Server) query(fn func(r *http.Request, id string, c *rosca.Circle) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		e, err := s.lookup(ctx, r.PathValue("id"))
		if err != nil {
			s.fail(w, err)
			return
		}
		var out []byte
		err = s.read(ctx, e, func(c *rosca.Circle) error {
			v, err := fn(r, e.id, c)
			if err == nil {
				out = mustJSON(v)
			}
			return err
		})
		if err != nil {
			s.fail(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// list serves GET /circles: the ids of every circle in the database.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	ids, err := s.store.CircleIDs(r.Context())
	if err != nil {
		s.fail(w, err)
		return
	}
	if ids == nil {
		ids = []string{}
	}
	writeJSON(w, http.StatusOK, mustJSON(struct {
		Circles []string `json:"circles"`
	}{ids}))
}

// totalsAnswer is the circle's buckets and the result of its audit ("ok", or what broke).
type totalsAnswer struct {
	Totals rosca.Totals `json:"totals"`
	Audit  string       `json:"audit"`
}

func totalsQuery(_ *http.Request, _ string, c *rosca.Circle) (any, error) {
	a := totalsAnswer{Totals: c.Totals(), Audit: "ok"}
	if err := c.Audit(); err != nil {
		a.Audit = err.Error()
	}
	return a, nil
}

// eventsAnswer is a page of the event log: the events after "after", at most "limit", and
// whether more follow.
type eventsAnswer struct {
	Circle  string          `json:"circle"`
	LastSeq uint64          `json:"last_seq"`
	Events  json.RawMessage `json:"events"`
	More    bool            `json:"more"`
}

// Page sizes of the queries that list.
const (
	defaultLimit = 1000
	maxLimit     = 10_000
)

// eventsQuery serves GET /circles/{id}/events?after=N&limit=M.
func eventsQuery(r *http.Request, id string, c *rosca.Circle) (any, error) {
	after, err := param(r, "after", 0, 0, 1<<62)
	if err != nil {
		return nil, err
	}
	limit, err := param(r, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		return nil, err
	}
	evs, more := appendEvents(nil, c.EventsAfter(uint64(after)), int(limit))
	return eventsAnswer{Circle: id, LastSeq: c.LastSeq(), Events: evs, More: more}, nil
}

// param reads the integer query parameter name, def if absent, refused outside [lo, hi].
func param(r *http.Request, name string, def, lo, hi int64) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, requestError(ErrBadRequest, fmt.Sprintf("parameter %s=%q: want an integer from %d to %d", name, v, lo, hi), nil)
	}
	return n, nil
}

// scheduleLine is one round of the circle's schedule, from [rosca.Circle.Schedule]: when
// it may close, what every member must have paid in by then, where it stands, who took
// the pot once closed, and how many members are short of the dues by then (and by how
// much in all) if nobody paid again.
type scheduleLine struct {
	Round    int       `json:"round"`
	Epoch    int       `json:"epoch"`
	InEpoch  int       `json:"in_epoch"`
	Deadline time.Time `json:"deadline"`
	// DueByDeadline is what each member owes in all by the deadline: C x round.
	DueByDeadline token.Amount `json:"due_by_deadline"`
	Pot           token.Amount `json:"pot"`
	// Status is "closed", "open", "upcoming", or "halted" (the open round and those after
	// it, once the emergency halt settled the circle).
	Status   rosca.RoundStatus `json:"status"`
	Winner   token.Account     `json:"winner,omitempty"`
	Method   rosca.Method      `json:"method,omitempty"`
	Bid      *token.Amount     `json:"bid,omitempty"`
	Winnings *token.Amount     `json:"winnings,omitempty"`
	Behind   int               `json:"behind"`
	Missing  token.Amount      `json:"missing"`
}

// scheduleAnswer is a page of the schedule (rounds from "from", at most "limit") and the
// reminder list of the open round: the members who have not paid enough for it, in seat
// order, and what each is missing ([rosca.Circle.Reminders]).
type scheduleAnswer struct {
	Circle    string           `json:"circle"`
	Rounds    int              `json:"rounds"`
	Lines     []scheduleLine   `json:"schedule"`
	Reminders []rosca.Reminder `json:"reminders"`
}

// scheduleQuery serves GET /circles/{id}/schedule?from=R&limit=M from the circle's own
// schedule and reminders, which read its running totals (no scan of the log).
func scheduleQuery(r *http.Request, id string, c *rosca.Circle) (any, error) {
	rounds := c.Schedule()
	from, err := param(r, "from", 1, 1, int64(max(len(rounds), 1)))
	if err != nil {
		return nil, err
	}
	limit, err := param(r, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		return nil, err
	}
	a := scheduleAnswer{Circle: id, Rounds: len(rounds), Lines: []scheduleLine{}, Reminders: c.Reminders()}
	if a.Reminders == nil {
		a.Reminders = []rosca.Reminder{}
	}
	for _, s := range rounds[min(int(from)-1, len(rounds)):] {
		if len(a.Lines) == int(limit) {
			break
		}
		l := scheduleLine{Round: s.Round, Epoch: s.Epoch, InEpoch: s.InEpoch, Deadline: s.Deadline,
			DueByDeadline: s.Due, Pot: s.Pot, Status: s.Status, Winner: s.Winner, Method: s.Method,
			Behind: s.Behind, Missing: s.Missing}
		if s.Status == rosca.RoundClosed {
			l.Bid, l.Winnings = &s.Bid, &s.Winnings
		}
		a.Lines = append(a.Lines, l)
	}
	return a, nil
}

// memberScheduleAnswer is what a member owes by each round's deadline, what it has paid
// toward it and what is missing ([rosca.Circle.ScheduleOf]).
type memberScheduleAnswer struct {
	Circle   string            `json:"circle"`
	Member   token.Account     `json:"member"`
	Schedule []rosca.MemberDue `json:"schedule"`
}

// memberScheduleQuery serves GET /circles/{id}/schedule/{member}.
func memberScheduleQuery(r *http.Request, id string, c *rosca.Circle) (any, error) {
	m := token.Account(r.PathValue("member"))
	ds, err := c.ScheduleOf(m)
	if err != nil {
		return nil, err
	}
	return memberScheduleAnswer{Circle: id, Member: m, Schedule: ds}, nil
}

// statementAnswer is a member's statement ([rosca.Circle.Statement]: every movement of
// its money, oldest first, with the running balance and the totals) and its position now.
type statementAnswer struct {
	Circle    string          `json:"circle"`
	Statement rosca.Statement `json:"statement"`
	Position  rosca.Position  `json:"position"`
}

// statementQuery serves GET /circles/{id}/statements/{member} as JSON.
func statementQuery(r *http.Request, id string, c *rosca.Circle) (any, error) {
	m := token.Account(r.PathValue("member"))
	st, err := c.Statement(m)
	if err != nil {
		return nil, err
	}
	p, err := c.Position(m)
	if err != nil {
		return nil, err
	}
	return statementAnswer{Circle: id, Statement: st, Position: p}, nil
}

// statement serves GET /circles/{id}/statements/{member}: JSON, or with ?format=csv the
// statement's CSV ([rosca.Statement.AppendCSV]) for a spreadsheet.
func (s *Server) statement(w http.ResponseWriter, r *http.Request) {
	switch f := r.URL.Query().Get("format"); f {
	case "", "json":
		s.query(statementQuery)(w, r)
		return
	case "csv":
	default:
		s.fail(w, requestError(ErrBadRequest, fmt.Sprintf("parameter format=%q: want json or csv", f), nil))
		return
	}
	ctx := r.Context()
	e, err := s.lookup(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, err)
		return
	}
	var out []byte
	err = s.read(ctx, e, func(c *rosca.Circle) error {
		st, err := c.Statement(token.Account(r.PathValue("member")))
		out = st.AppendCSV(nil)
		return err
	})
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out) // the client went away: nothing to do
}
