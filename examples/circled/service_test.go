package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// instance is one running service over loopback: its own database pool on the test's
// SQLite file, its own circles in memory, its own HTTP server.
type instance struct {
	t   *testing.T
	db  *sql.DB
	srv *Server
	ts  *httptest.Server
}

// dbPath returns a fresh SQLite file in the test's temporary directory.
func dbPath(t *testing.T) string { return filepath.Join(t.TempDir(), "circled.db") }

// start runs an instance of the service on the database file path.
func start(t *testing.T, path string) *instance {
	t.Helper()
	db, err := openDB("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(context.Background(), db, Options{Log: log.New(testWriter{t}, "", 0)})
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	in := &instance{t: t, db: db, srv: srv, ts: httptest.NewServer(srv)}
	t.Cleanup(in.stop)
	return in
}

// stop closes the instance's server and database; it may be called more than once.
func (in *instance) stop() {
	if in.ts != nil {
		in.ts.Close()
		in.ts = nil
	}
	if in.db != nil {
		if err := in.db.Close(); err != nil {
			in.t.Error(err)
		}
		in.db = nil
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(bytes.TrimRight(b, "\n")))
	return len(b), nil
}

// reply is an HTTP answer.
type reply struct {
	Status   int
	Body     []byte
	Replayed bool // Idempotent-Replayed: true
}

// do sends a request; body is sent as is if it is a string or []byte, as JSON otherwise.
// key is the Idempotency-Key ("" sends none).
func (in *instance) do(method, path, key string, body any) reply {
	in.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewReader([]byte(b))
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			in.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, in.ts.URL+path, r)
	if err != nil {
		in.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := in.ts.Client().Do(req)
	if err != nil {
		in.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		in.t.Fatal(err)
	}
	return reply{Status: resp.StatusCode, Body: out, Replayed: resp.Header.Get("Idempotent-Replayed") == "true"}
}

// post sends a command and fails the test unless it is answered with want.
func (in *instance) post(want int, path, key string, body any) reply {
	in.t.Helper()
	r := in.do(http.MethodPost, path, key, body)
	if r.Status != want {
		in.t.Fatalf("POST %s: status %d, want %d: %s", path, r.Status, want, r.Body)
	}
	return r
}

// get reads path into v (if not nil) and returns the body; the answer must be 200.
func (in *instance) get(path string, v any) []byte {
	in.t.Helper()
	r := in.do(http.MethodGet, path, "", nil)
	if r.Status != http.StatusOK {
		in.t.Fatalf("GET %s: status %d: %s", path, r.Status, r.Body)
	}
	if v != nil {
		if err := json.Unmarshal(r.Body, v); err != nil {
			in.t.Fatalf("GET %s: %v: %s", path, err, r.Body)
		}
	}
	return r.Body
}

// errorOf decodes an error answer, failing the test if it is not one.
func errorOf(t *testing.T, r reply) errorFields {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(r.Body, &e); err != nil || e.Error.Code == "" || e.Error.Class == "" || e.Error.Message == "" {
		t.Fatalf("not an error body (%v): %s", err, r.Body)
	}
	return e.Error
}

// wantError checks that r is status with the error code.
func wantError(t *testing.T, what string, r reply, status int, code string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d: %s", what, r.Status, status, r.Body)
		return
	}
	if e := errorOf(t, r); e.Code != code {
		t.Errorf("%s: code %s, want %s: %s", what, e.Code, code, r.Body)
	}
}

var usd = mustAsset("USD", 2)

func mustAsset(symbol string, decimals int) token.Asset {
	a, err := token.NewAsset(symbol, decimals)
	if err != nil {
		panic(err)
	}
	return a
}

// start2026 is the start of the test circles; rounds last a week.
var start2026 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

const week = 7 * 24 * time.Hour

// threeMembers is a bidding circle of alice (the foreperson), bob and carol paying
// 100.00 USD a week for three weeks under WeTrust's rules with a 1% fee.
func threeMembers(kind rosca.Kind) rosca.Config {
	return rosca.Config{
		Asset:        usd,
		Kind:         kind,
		Members:      []token.Account{"alice", "bob", "carol"},
		Foreperson:   "alice",
		Operator:     "platform",
		Contribution: usd.MustParse("100"),
		Start:        start2026,
		Period:       week,
		Epochs:       1,
		Fee:          token.MustRatio(1, 100),
		Rules:        rosca.WeTrustRules(),
		Seed:         rosca.Seed{7},
	}
}

// createBody is the body of POST /circles for cfg.
func createBody(t *testing.T, id string, cfg rosca.Config) []byte {
	t.Helper()
	c, err := cfg.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Appendf(nil, `{"id":%q,"config":%s}`, id, c)
}

// create makes circle id on in.
func (in *instance) create(id string, cfg rosca.Config) {
	in.t.Helper()
	in.post(http.StatusCreated, "/circles", "create-"+id, createBody(in.t, id, cfg))
}

// at is the time of a command in round r (from 1), h hours into the round.
func at(r int, h int) time.Time {
	return start2026.Add(time.Duration(r-1)*week + time.Duration(h)*time.Hour)
}

// deadline is when round r may close.
func deadline(r int) time.Time { return start2026.Add(time.Duration(r) * week) }

// cmd is the JSON body of a command.
type cmd map[string]any

// positions returns the positions of circle id by member.
func (in *instance) positions(id string) map[token.Account]rosca.Position {
	in.t.Helper()
	var ps []rosca.Position
	in.get("/circles/"+id+"/positions", &ps)
	m := map[token.Account]rosca.Position{}
	for _, p := range ps {
		m[p.Member] = p
	}
	return m
}

// storedEvents reads circle id's events from the table, checking that their sequence
// numbers run from 1 without a gap, and replays them.
func storedEvents(t *testing.T, db *sql.DB, id string, cfg rosca.Config) (*rosca.Circle, []rosca.Event) {
	t.Helper()
	store := &Store{db: db, now: time.Now}
	st := store.Events(context.Background(), id, 0)
	evs := slices.Collect(st.Events())
	if err := st.Err(); err != nil {
		t.Fatal(err)
	}
	for i, e := range evs {
		if e.Seq != uint64(i+1) {
			t.Fatalf("event %d has seq %d: the log has a gap", i+1, e.Seq)
		}
	}
	c, err := rosca.Replay(cfg, slices.Values(evs))
	if err != nil {
		t.Fatalf("the stored log does not replay: %v", err)
	}
	return c, evs
}
