package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log"
	"net/http"
	"sync"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/rosca"
)

// DefaultMaxBody is the largest request body the service reads by default: room for the
// config of a circle of a few thousand members.
const DefaultMaxBody = 1 << 20

// Server is the HTTP JSON API over many circles kept in a Store.
//
// Each circle lives in memory behind its own sync.RWMutex: queries under the read lock
// (the circle's queries only read), commands under the write lock. Before it is used the
// circle is brought up to the events table (a command, or a query, compares its last
// sequence number with the table's and replays what another instance wrote), so any
// instance sharing the database can serve any circle. A command's events are inserted
// with its answer in one transaction; if another writer took the next sequence number
// first, the UNIQUE (circle, seq) key refuses the insert, the circle is rebuilt from the
// table and the command is answered 409 without being applied.
type Server struct {
	store   *Store
	now     func() time.Time
	maxBody int64
	log     *log.Logger
	mux     *http.ServeMux

	createMu sync.Mutex // serialises creates
	mu       sync.Mutex // guards circles
	circles  map[string]*circle

	// beforeAppend, when set, runs after a command was applied in memory and before its
	// events are inserted (a test holds a writer there to make it lose a race).
	beforeAppend func(circle string)
}

// circle is one circle in memory. c is nil when the circle must be loaded from the table
// before use (never yet loaded, or a rebuild failed).
type circle struct {
	id  string
	cfg rosca.Config
	mu  sync.RWMutex
	c   *rosca.Circle
}

// Options configure a Server; the zero Options are the defaults.
type Options struct {
	// MaxBody is the largest request body read, in bytes (DefaultMaxBody if 0).
	MaxBody int64
	// Now is the clock, which stamps the rows and the commands sent without "at"
	// (time.Now if nil).
	Now func() time.Time
	// Log receives the failures of the service itself (log.Default if nil).
	Log *log.Logger
}

// NewServer returns a server on db, creating the tables if needed and rebuilding every
// circle from its events: each circle's rows are streamed into rosca.Replay, which checks
// every event against what the config's circle produces.
func NewServer(ctx context.Context, db *sql.DB, opt Options) (*Server, error) {
	s := &Server{now: opt.Now, maxBody: opt.MaxBody, log: opt.Log, circles: map[string]*circle{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBody
	}
	if s.log == nil {
		s.log = log.Default()
	}
	store, err := NewStore(ctx, db, s.now)
	if err != nil {
		return nil, err
	}
	s.store = store
	ids, err := store.CircleIDs(ctx)
	if err != nil {
		return nil, err
	}
	began, events := time.Now(), uint64(0)
	for _, id := range ids {
		e, err := s.lookup(ctx, id)
		if err != nil {
			return nil, err
		}
		e.mu.Lock()
		err = s.sync(ctx, e)
		if err == nil {
			events += e.c.LastSeq()
		}
		e.mu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("rebuild circle %s: %w", id, err)
		}
	}
	s.log.Printf("circled: rebuilt %d circles from %d events in %v", len(ids), events, time.Since(began).Round(time.Millisecond))
	s.routes()
	return s, nil
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// lookup returns the circle id, loading its config from the table if this instance has not
// seen it yet (another instance may have created it).
func (s *Server) lookup(ctx context.Context, id string) (*circle, error) {
	if !validID(id) {
		return nil, unknownCircle(id)
	}
	s.mu.Lock()
	e := s.circles[id]
	s.mu.Unlock()
	if e != nil {
		return e, nil
	}
	cfg, ok, err := s.store.Config(ctx, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, unknownCircle(id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.circles[id]; e != nil {
		return e, nil
	}
	e = &circle{id: id, cfg: cfg}
	s.circles[id] = e
	return e, nil
}

// sync brings e up to the events table; the caller holds e's write lock. It costs one
// indexed read when nothing changed.
func (s *Server) sync(ctx context.Context, e *circle) error {
	last, err := s.store.LastSeq(ctx, e.id)
	if err != nil {
		return err
	}
	if e.c != nil && e.c.LastSeq() == last {
		return nil
	}
	keep := uint64(0)
	if e.c != nil {
		keep = min(last, e.c.LastSeq())
	}
	return s.rebuild(ctx, e, keep)
}

// rebuild replaces e's circle by the replay of its first keep events in memory followed by
// the table's events after keep: it catches up with another writer, and it undoes a command
// whose events could not be stored. The caller holds e's write lock. If it fails, e is left
// to be loaded from the table on its next use.
func (s *Server) rebuild(ctx context.Context, e *circle, keep uint64) error {
	var mem iter.Seq[rosca.Event] = func(func(rosca.Event) bool) {}
	if e.c != nil && keep > 0 {
		mem = upTo(e.c.EventsAfter(0), keep)
	}
	st := s.store.Events(ctx, e.id, keep)
	c, err := rosca.Replay(e.cfg, concat(mem, st.Events()))
	if serr := st.Err(); serr != nil {
		err = serr // Replay saw the stream cut short: the read error comes first
	}
	if err != nil {
		e.c = nil
		return fmt.Errorf("circle %s: %w", e.id, err)
	}
	e.c = c
	return nil
}

// upTo yields the events of seq up to sequence number last.
func upTo(seq iter.Seq[rosca.Event], last uint64) iter.Seq[rosca.Event] {
	return func(yield func(rosca.Event) bool) {
		for e := range seq {
			if e.Seq > last || !yield(e) {
				return
			}
		}
	}
}

// concat yields a's events, then b's.
func concat(a, b iter.Seq[rosca.Event]) iter.Seq[rosca.Event] {
	return func(yield func(rosca.Event) bool) {
		for e := range a {
			if !yield(e) {
				return
			}
		}
		for e := range b {
			if !yield(e) {
				return
			}
		}
	}
}

// read runs fn under e's read lock, after bringing e up to the table.
func (s *Server) read(ctx context.Context, e *circle, fn func(c *rosca.Circle) error) error {
	e.mu.RLock()
	var last uint64
	loaded := e.c != nil
	if loaded {
		last = e.c.LastSeq()
	}
	e.mu.RUnlock()
	stored, err := s.store.LastSeq(ctx, e.id)
	if err != nil {
		return err
	}
	if !loaded || stored != last {
		e.mu.Lock()
		err := s.sync(ctx, e)
		e.mu.Unlock()
		if err != nil {
			return err
		}
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.c == nil { // a concurrent rebuild failed in between
		return fmt.Errorf("circle %s is not loaded", e.id)
	}
	return fn(e.c)
}

// runner is a decoded command: it runs against the circle and fills in the answer.
type runner func(c *rosca.Circle, a *commandAnswer) error

// command serves a command on a circle: it reads the idempotency key and the body, decodes
// the command with parse, and runs it under the circle's write lock. A retried request is
// answered from the idempotency table, with the same status and body, and is not applied
// again. The answer of every command the circle decided, accepted or refused, is stored in
// the transaction that stores its events; a request that does not decode, and a command
// that lost a race, are not stored (a retry runs them again).
func (s *Server) command(parse func(body []byte, cfg rosca.Config, now time.Time) (runner, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithoutCancel(r.Context()) // a command, once started, completes
		key, body, err := s.readCommand(w, r)
		if err != nil {
			s.fail(w, err)
			return
		}
		e, err := s.lookup(ctx, r.PathValue("id"))
		if err != nil {
			s.fail(w, err)
			return
		}
		run, err := parse(body, e.cfg, s.now())
		if err != nil {
			s.fail(w, err)
			return
		}
		s.apply(ctx, w, e, key, fingerprint(r, body), run)
	}
}

// apply runs a decoded command under e's write lock: the stored answer if the key is known,
// else the command on the circle brought up to the table, then its events and answer stored
// in one transaction.
func (s *Server) apply(ctx context.Context, w http.ResponseWriter, e *circle, key, fp string, run runner) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if done, err := s.replayed(ctx, w, key, fp); done || err != nil {
		if err != nil {
			s.fail(w, err)
		}
		return
	}
	if err := s.sync(ctx, e); err != nil {
		s.fail(w, err)
		return
	}
	before := e.c.LastSeq()
	ans := commandAnswer{Circle: e.id}
	status, out := http.StatusOK, []byte(nil)
	if err := run(e.c, &ans); err != nil {
		if c := fault.ClassOf(err); c == fault.Internal || c == fault.Unknown {
			s.fail(w, err) // not the circle's decision: not stored
			return
		}
		status, out = errorResponse(err) // refused: the circle is as it was
	} else {
		ans.LastSeq = e.c.LastSeq()
		ans.Events, _ = appendEvents(nil, e.c.EventsAfter(before), -1)
		out = mustJSON(ans)
	}
	if s.beforeAppend != nil {
		s.beforeAppend(e.id)
	}
	a := answer{Key: key, Fingerprint: fp, Circle: e.id, Status: status, Body: out}
	if err := s.store.Append(ctx, e.id, e.c.EventsAfter(before), a); err != nil {
		s.lost(ctx, w, e, before, a, err)
		return
	}
	writeJSON(w, status, out)
}

// lost answers a command whose events and answer could not be stored: the circle goes back
// to the table (which undoes the command in memory), then, if the key was stored in the
// meantime by the same request sent to another instance, the client gets that answer; if
// another writer took the circle's next sequence number, 409; otherwise the failure is the
// service's own.
func (s *Server) lost(ctx context.Context, w http.ResponseWriter, e *circle, before uint64, a answer, err error) {
	rerr := s.rebuild(ctx, e, before)
	if done, lerr := s.replayed(ctx, w, a.Key, a.Fingerprint); done || lerr != nil {
		if lerr != nil {
			s.fail(w, lerr)
		}
		return
	}
	if rerr == nil && e.c.LastSeq() > before {
		s.fail(w, &rosca.Error{Op: "Append", Round: e.c.Round().Round,
			Detail: fmt.Sprintf("event %d of circle %s was written by another writer", before+1, e.id),
			Err:    ErrWriteConflict})
		return
	}
	s.fail(w, errors.Join(err, rerr))
}

// replayed answers from the idempotency table if key is there: with the stored answer if
// it was stored for the same request (fingerprint), with ErrKeyReused otherwise. done
// reports that w was answered.
func (s *Server) replayed(ctx context.Context, w http.ResponseWriter, key, fp string) (done bool, err error) {
	a, ok, err := s.store.Answer(ctx, key)
	if err != nil || !ok {
		return false, err
	}
	if a.Fingerprint != fp {
		s.fail(w, requestError(ErrKeyReused, fmt.Sprintf("key %q was used for another request", key), nil))
		return true, nil
	}
	w.Header().Set("Idempotent-Replayed", "true")
	if a.Status == http.StatusCreated {
		w.Header().Set("Location", "/circles/"+a.Circle)
	}
	writeJSON(w, a.Status, a.Body)
	return true, nil
}

// readCommand returns the request's idempotency key and body.
func (s *Server) readCommand(w http.ResponseWriter, r *http.Request) (key string, body []byte, err error) {
	key = r.Header.Get("Idempotency-Key")
	if !validKey(key) {
		return "", nil, requestError(ErrMissingKey, "send an Idempotency-Key header of 1 to 255 printable ASCII characters", nil)
	}
	body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return "", nil, requestError(ErrBodyTooLarge, fmt.Sprintf("the limit is %d bytes", s.maxBody), nil)
		}
		return "", nil, requestError(ErrBadRequest, "reading the body", err)
	}
	return key, body, nil
}

// fingerprint identifies a request for the idempotency table: its method, path and body.
func fingerprint(r *http.Request, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", r.Method, r.URL.Path)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// decodeStrict decodes one JSON value from body into v, refusing unknown fields and
// anything after the value.
func decodeStrict(body []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return requestError(ErrBadRequest, "malformed JSON", err)
	}
	if _, err := d.Token(); err != io.EOF {
		return requestError(ErrBadRequest, "malformed JSON", errors.New("data after the JSON value"))
	}
	return nil
}

// fail answers err, logging the service's own failures.
func (s *Server) fail(w http.ResponseWriter, err error) {
	status, body := errorResponse(err)
	if status == http.StatusInternalServerError {
		s.log.Printf("circled: %v", err)
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client went away: nothing to do
}

// mustJSON encodes v, whose types all encode, followed by a newline.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("circled: encoding %T: %v", v, err))
	}
	return append(b, '\n')
}

// appendEvents appends a JSON array of the events of seq to b, each written by
// rosca.Event.AppendJSON, at most limit of them if limit >= 0; more reports that seq had
// more than limit.
func appendEvents(b []byte, seq iter.Seq[rosca.Event], limit int) (_ json.RawMessage, more bool) {
	b = append(b, '[')
	n := 0
	for e := range seq {
		if limit >= 0 && n == limit {
			more = true
			break
		}
		if n > 0 {
			b = append(b, ',')
		}
		b = e.AppendJSON(b)
		n++
	}
	return append(b, ']'), more
}

// validID reports whether id can name a circle: 1 to 64 letters, digits, '-', '_', '.'.
func validID(id string) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// validKey reports whether key can be an idempotency key: 1 to 255 printable ASCII
// characters without space.
func validKey(key string) bool {
	if len(key) == 0 || len(key) > 255 {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x21 || key[i] > 0x7e {
			return false
		}
	}
	return true
}

func unknownCircle(id string) error {
	return requestError(ErrUnknownCircle, fmt.Sprintf("no circle %q", id), nil)
}
