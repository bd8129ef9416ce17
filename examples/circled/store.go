package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
)

// schema is the service's tables. The SQL is plain enough for SQLite and PostgreSQL alike
// (placeholders are $1, $2, ... in both). The UNIQUE (circle, seq) key is what makes two
// writers of one circle conflict instead of forking it: each command inserts the events
// after the last one its writer saw, so of two writers that saw the same event only one
// can insert the next sequence number.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS circles (
		id      TEXT PRIMARY KEY,
		config  TEXT NOT NULL,
		created TEXT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS events (
		circle  TEXT   NOT NULL REFERENCES circles (id),
		seq     BIGINT NOT NULL,
		kind    TEXT   NOT NULL,
		json    TEXT   NOT NULL,
		created TEXT   NOT NULL,
		UNIQUE (circle, seq)
	)`,
	`CREATE TABLE IF NOT EXISTS idempotency (
		key         TEXT    PRIMARY KEY,
		fingerprint TEXT    NOT NULL,
		circle      TEXT    NOT NULL,
		status      INTEGER NOT NULL,
		body        TEXT    NOT NULL,
		created     TEXT    NOT NULL
	)`,
}

// Store keeps the circles, their events and the answers to commands in a database reached
// through database/sql. It holds no state of its own: every instance of the service sharing
// the database sees the same rows.
type Store struct {
	db  *sql.DB
	now func() time.Time
}

// answer is a stored answer to a command: what a retry with the same key gets back.
type answer struct {
	Key         string
	Fingerprint string // hash of the request: method, path and body
	Circle      string
	Status      int
	Body        []byte
}

// NewStore returns a store on db, creating the tables if they do not exist.
func NewStore(ctx context.Context, db *sql.DB, now func() time.Time) (*Store, error) {
	for _, q := range schema {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("create tables: %w", err)
		}
	}
	return &Store{db: db, now: now}, nil
}

func (s *Store) stamp() string { return s.now().UTC().Format(time.RFC3339Nano) }

// CircleIDs returns the ids of every circle, in order.
func (s *Store) CircleIDs(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM circles ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Config returns the config of circle id; ok is false if there is no such circle.
func (s *Store) Config(ctx context.Context, id string) (cfg rosca.Config, ok bool, err error) {
	var text string
	err = s.db.QueryRowContext(ctx, `SELECT config FROM circles WHERE id = $1`, id).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return rosca.Config{}, false, nil
	}
	if err != nil {
		return rosca.Config{}, false, err
	}
	if err := cfg.UnmarshalJSON([]byte(text)); err != nil {
		return rosca.Config{}, false, fmt.Errorf("circle %s: config: %w", id, err)
	}
	return cfg, true, nil
}

// LastSeq returns the sequence number of circle id's last stored event, 0 if none.
func (s *Store) LastSeq(ctx context.Context, id string) (uint64, error) {
	var last int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM events WHERE circle = $1`, id).Scan(&last)
	return uint64(last), err
}

// EventStream reads the events of one circle from the table, one row at a time. Range
// over Events (once), then check Err, as with a bufio.Scanner.
type EventStream struct {
	s      *Store
	ctx    context.Context
	circle string
	after  uint64
	err    error
}

// Events returns circle's events after seq, in order, as a stream that reads the rows as
// it goes: rosca.Replay takes it without the log being held in memory.
func (s *Store) Events(ctx context.Context, circle string, after uint64) *EventStream {
	return &EventStream{s: s, ctx: ctx, circle: circle, after: after}
}

// Events yields the stream's events. It stops at the first row that fails to read or
// decode, or whose seq or kind columns disagree with its JSON; Err says why.
func (st *EventStream) Events() iter.Seq[rosca.Event] {
	return func(yield func(rosca.Event) bool) {
		rows, err := st.s.db.QueryContext(st.ctx,
			`SELECT seq, kind, json FROM events WHERE circle = $1 AND seq > $2 ORDER BY seq`,
			st.circle, int64(st.after))
		if err != nil {
			st.err = err
			return
		}
		defer rows.Close()
		for rows.Next() {
			var (
				seq  int64
				kind string
				text []byte
				e    rosca.Event
			)
			if err := rows.Scan(&seq, &kind, &text); err != nil {
				st.err = err
				return
			}
			if err := e.UnmarshalJSON(text); err != nil {
				st.err = fmt.Errorf("circle %s, event %d: %w", st.circle, seq, err)
				return
			}
			if e.Seq != uint64(seq) || string(e.Kind) != kind {
				st.err = fmt.Errorf("circle %s, event %d: the row says seq %d, kind %s; its JSON seq %d, kind %s",
					st.circle, seq, seq, kind, e.Seq, e.Kind)
				return
			}
			if !yield(e) {
				return
			}
		}
		st.err = rows.Err()
	}
}

// Err returns what stopped Events, or nil if it read every row.
func (st *EventStream) Err() error { return st.err }

// Answer returns the stored answer to the command with idempotency key key, if any.
func (s *Store) Answer(ctx context.Context, key string) (answer, bool, error) {
	a := answer{Key: key}
	var body string
	err := s.db.QueryRowContext(ctx,
		`SELECT fingerprint, circle, status, body FROM idempotency WHERE key = $1`, key).
		Scan(&a.Fingerprint, &a.Circle, &a.Status, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return answer{}, false, nil
	}
	if err != nil {
		return answer{}, false, err
	}
	a.Body = []byte(body)
	return a, true, nil
}

// CreateCircle stores a new circle and the answer to the command that created it, in one
// transaction. A circle id or key that is already taken fails the insert.
func (s *Store) CreateCircle(ctx context.Context, id string, config []byte, a answer) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO circles (id, config, created) VALUES ($1, $2, $3)`,
			id, string(config), s.stamp()); err != nil {
			return err
		}
		return insertAnswer(ctx, tx, a, s.stamp())
	})
}

// Append stores a command's events and its answer in one transaction: both or neither.
// events are the circle's events after the last stored one; if another writer stored an
// event with one of their sequence numbers first, the UNIQUE (circle, seq) key fails the
// insert and nothing is stored. A command that was refused has no events: its answer alone
// is stored, so a retry gets the same refusal.
func (s *Store) Append(ctx context.Context, circle string, events iter.Seq[rosca.Event], a answer) error {
	created := s.stamp()
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var buf []byte
		for e := range events {
			buf = e.AppendJSON(buf[:0])
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO events (circle, seq, kind, json, created) VALUES ($1, $2, $3, $4, $5)`,
				circle, int64(e.Seq), string(e.Kind), string(buf), created); err != nil {
				return err
			}
		}
		return insertAnswer(ctx, tx, a, created)
	})
}

func insertAnswer(ctx context.Context, tx *sql.Tx, a answer, created string) error {
	_, err := tx.ExecContext(ctx,
		`INSERT INTO idempotency (key, fingerprint, circle, status, body, created) VALUES ($1, $2, $3, $4, $5, $6)`,
		a.Key, a.Fingerprint, a.Circle, a.Status, string(a.Body), created)
	return err
}

func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback() // the insert's error is the one to report
		return err
	}
	return tx.Commit()
}
