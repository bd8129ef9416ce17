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
	m.HandleFunc("GET /circles/{id}/statements/{member}", s.query(statementQuery))

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

// scheduleLine is one round of the circle's schedule: when it may close, what every member
// must have paid in by then, and, once closed, who took the pot.
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
	Status   string        `json:"status"`
	Winner   token.Account `json:"winner,omitempty"`
	Method   rosca.Method  `json:"method,omitempty"`
	Bid      *token.Amount `json:"bid,omitempty"`
	Winnings *token.Amount `json:"winnings,omitempty"`
}

// scheduleAnswer is a page of the schedule: rounds from "from", at most "limit".
type scheduleAnswer struct {
	Circle string         `json:"circle"`
	Rounds int            `json:"rounds"`
	Lines  []scheduleLine `json:"schedule"`
}

// scheduleQuery serves GET /circles/{id}/schedule?from=R&limit=M, built from the config
// (deadlines, dues, pot) and the closed rounds.
func scheduleQuery(r *http.Request, id string, c *rosca.Circle) (any, error) {
	cfg := c.Config()
	total := cfg.Rounds()
	from, err := param(r, "from", 1, 1, int64(max(total, 1)))
	if err != nil {
		return nil, err
	}
	limit, err := param(r, "limit", defaultLimit, 1, maxLimit)
	if err != nil {
		return nil, err
	}
	n := len(cfg.Members)
	pot, err := cfg.Contribution.Mul(int64(n))
	if err != nil {
		return nil, err
	}
	closed, open := c.Rounds(), c.Round()
	a := scheduleAnswer{Circle: id, Rounds: total, Lines: []scheduleLine{}}
	for rd := int(from); rd <= total && len(a.Lines) < int(limit); rd++ {
		due, err := cfg.Contribution.Mul(int64(rd))
		if err != nil {
			return nil, err
		}
		l := scheduleLine{Round: rd, Epoch: (rd-1)/n + 1, InEpoch: (rd-1)%n + 1,
			Deadline: cfg.Deadline(rd), DueByDeadline: due, Pot: pot}
		switch {
		case rd <= len(closed):
			res := closed[rd-1]
			l.Status, l.Winner, l.Method = "closed", res.Winner, res.Method
			l.Bid, l.Winnings = &res.Bid, &res.Winnings
		case c.Halted():
			l.Status = "halted"
		case rd == open.Round && !open.Ended:
			l.Status = "open"
		default:
			l.Status = "upcoming"
		}
		a.Lines = append(a.Lines, l)
	}
	return a, nil
}

// statementLine is one movement of a member's money, with running totals.
type statementLine struct {
	Seq   uint64          `json:"seq"`
	At    time.Time       `json:"at"`
	Round int             `json:"round"`
	Kind  rosca.EventKind `json:"kind"`
	// Amount is what moved: paid in, offered (a bid), credited (a win), paid out.
	Amount   token.Amount `json:"amount"`
	Text     string       `json:"text"`
	PaidIn   token.Amount `json:"paid_in"`
	PaidOut  token.Amount `json:"paid_out"`
	Credited token.Amount `json:"credited"`
}

// statementAnswer is a member's statement: every event that moved its money, oldest first,
// and its position now (whose discount share is the total so far: the circle reports no
// per-round share).
type statementAnswer struct {
	Circle   string          `json:"circle"`
	Member   token.Account   `json:"member"`
	Lines    []statementLine `json:"lines"`
	Position rosca.Position  `json:"position"`
}

// statementQuery serves GET /circles/{id}/statements/{member}, built from the event log.
func statementQuery(r *http.Request, id string, c *rosca.Circle) (any, error) {
	m := token.Account(r.PathValue("member"))
	p, err := c.Position(m)
	if err != nil {
		return nil, err
	}
	zero, fee := c.Config().Asset.Zero(), c.Config().Fee
	a := statementAnswer{Circle: id, Member: m, Lines: []statementLine{}, Position: p}
	in, out, credited := zero, zero, zero
	add := func(x *token.Amount, y token.Amount) error {
		z, err := x.Add(y)
		*x = z
		return err
	}
	for e := range c.EventsAfter(0) {
		l := statementLine{Seq: e.Seq, At: e.At, Round: e.Round, Kind: e.Kind}
		var err error
		switch {
		case e.Kind == rosca.EventContribution && e.Member == m:
			l.Amount, l.Text = e.Amount, "paid in "+e.Amount.String()
			err = add(&in, e.Amount)
		case e.Kind == rosca.EventBid && e.Member == m:
			l.Amount, l.Text = e.Amount, "bid to take "+e.Amount.String()+" of the pot"
		case e.Kind == rosca.EventRoundClosed && e.Result != nil && e.Result.Winner == m:
			l.Amount, l.Text = e.Result.Winnings, wonText(e.Result, fee)
			err = add(&credited, e.Result.Winnings)
		case e.Kind == rosca.EventWithdrawal && e.Member == m:
			l.Amount, l.Text = e.Amount, "withdrew "+e.Amount.String()
			err = add(&out, e.Amount)
		case e.Kind == rosca.EventFeesRetrieved && e.Member == m:
			l.Amount, l.Text = e.Amount, "took "+e.Amount.String()+" of fees"
			err = add(&out, e.Amount)
		case e.Kind == rosca.EventRemainderDisposed && e.Member == m:
			l.Amount, l.Text = e.Amount, "took "+e.Amount.String()+" of rounding remainder"
			err = add(&out, e.Amount)
		case e.Kind == rosca.EventHaltActivated:
			for _, s := range e.Settlement {
				if s.Account == m && !s.Fees {
					l.Amount, l.Text = s.Paid, "paid "+s.Paid.String()+" by the emergency settlement"
					err = add(&out, s.Paid)
				}
			}
			if !l.Amount.IsValid() {
				continue
			}
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		l.PaidIn, l.PaidOut, l.Credited = in, out, credited
		a.Lines = append(a.Lines, l)
	}
	return a, nil
}

// wonText says how a member won a round, for people: "won round 1 with a bid of
// 240.00 USD: credited 237.60 USD, the bid less the 1% fee".
func wonText(r *rosca.RoundResult, fee token.Ratio) string {
	how := "with a bid of " + r.Bid.String()
	switch r.Method {
	case rosca.ByDraw:
		how = "by the draw, without a bid"
	case rosca.BySeat:
		how = "by its seat"
	}
	what := "the bid"
	if r.Method != rosca.ByBid {
		what = "the pot"
	}
	return fmt.Sprintf("won round %d %s: credited %s, %s less the %s fee", r.Round, how, r.Winnings, what, fee)
}
