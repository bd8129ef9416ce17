// Command circled is a lending-circle service: an HTTP JSON API hosting many circles of
// package rosca, their events stored in a database through database/sql (SQLite by
// default, with the pure-Go driver modernc.org/sqlite, so no C toolchain is needed).
//
// Every command takes an Idempotency-Key header: a retried request is answered from the
// database with the same status and body, and is not applied twice. Each circle's events
// sit in one table under a UNIQUE (circle, seq) key, so two writers racing on one circle
// conflict (the loser is answered 409 and its command is not applied) instead of forking
// it. On start the service rebuilds every circle by replaying its events.
//
// Usage:
//
//	circled [-addr localhost:8080] [-db circled.db] [-max-body 1048576]
//
// See README.md for the API.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stderr, nil)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "circled:", err)
		stop()
		os.Exit(1)
	}
}

// run parses the flags, opens the database, rebuilds the circles and serves until ctx is
// done, then shuts down gracefully: it stops accepting, lets the requests in flight finish
// (10 s at most), and closes the database. ready, if not nil, receives the address served.
func run(ctx context.Context, args []string, stderr io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("circled", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "localhost:8080", "address to listen on")
	dbPath := fs.String("db", "circled.db", "SQLite database file (created if missing), or a DSN for -driver")
	driver := fs.String("driver", "sqlite", "database/sql driver name; a driver other than sqlite must be compiled in")
	maxBody := fs.Int64("max-body", DefaultMaxBody, "largest request body, in bytes")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: circled [flags]\n\nAn HTTP JSON API for lending circles, stored in SQLite. Flags:\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	logger := log.New(stderr, "", log.LstdFlags)

	db, err := openDB(*driver, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	srv, err := NewServer(ctx, db, Options{MaxBody: *maxBody, Log: logger})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          logger,
	}
	logger.Printf("circled: serving http://%s, database %s", ln.Addr(), *dbPath)
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Printf("circled: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	return nil
}

// openDB opens the database. For SQLite, path is a file: the service turns on WAL (readers
// do not block the writer), a busy timeout (several connections, or instances, wait for the
// write lock instead of failing), foreign keys, and BEGIN IMMEDIATE for transactions (a
// writer takes the lock when it starts). Another driver gets path as its DSN unchanged.
func openDB(driver, path string) (*sql.DB, error) {
	dsn := path
	if driver == "sqlite" && !strings.HasPrefix(path, "file:") {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Set("_txlock", "immediate")
		dsn = "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}
