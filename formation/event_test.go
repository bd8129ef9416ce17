package formation_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/formation"
	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/token"
)

// sample is a proposal with every kind of event but withdrawn and abandoned.
func sample(t tb) *formation.Proposal {
	t.Helper()
	dir := directory(t, "alice", "bob", "carol", "dave")
	p := propose(t, formation.Admission{RequireRole: true, MinReputation: 500, Collateral: usd.MustParse("10")}, dir)
	a := acc(p, "bob")
	a.Collateral, a.Guarantor, a.Pledge = usd.MustParse("10"), "gus", usd.MustParse("25")
	must(t, p.Accept(at(1), a, dir))
	must(t, p.Decline(at(2), "carol"))
	must(t, p.Reinvite(at(3), "alice", "carol", "dave"))
	for _, m := range []string{"alice", "bob", "dave"} {
		a := acc(p, token.Account(m))
		a.Collateral = usd.MustParse("10")
		must(t, p.Accept(at(4), a, dir))
	}
	_, err := p.Start(at(5))
	must(t, err)
	return p
}

// lines returns the JSON lines of the events.
func lines(t tb, evs []formation.Event) []string {
	t.Helper()
	var out []string
	for _, e := range evs {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

func TestEventJSON(t *testing.T) {
	p := sample(t)
	got := lines(t, p.Events())
	d0, d1 := p.Events()[0].Terms, p.Digest()
	want := []string{
		`{"v":1,"seq":2,"kind":"accepted","at":"2026-02-01T01:00:00Z","account":"bob","seat":1,"terms":"` + d0.String() +
			`","roles":"user","reputation":600,"guarantor":"gus","pledge":"25.00 USD","collateral":"10.00 USD"}`,
		`{"v":1,"seq":3,"kind":"declined","at":"2026-02-01T02:00:00Z","account":"carol","seat":2}`,
		`{"v":1,"seq":4,"kind":"reinvited","at":"2026-02-01T03:00:00Z","account":"dave","seat":2,"replaced":"carol","terms":"` + d1.String() + `"}`,
		`{"v":1,"seq":8,"kind":"started","at":"2026-02-01T05:00:00Z","terms":"` + d1.String() + `"}`,
	}
	if !slices.Equal([]string{got[1], got[2], got[3], got[7]}, want) {
		t.Fatalf("got\n%s", strings.Join(got, "\n"))
	}
	if !strings.HasPrefix(got[0], `{"v":1,"seq":1,"kind":"proposed","at":"2026-02-01T00:00:00Z","account":"alice","terms":"`+d0.String()+
		`","deadline":"2026-02-28T00:00:00Z","admission":{"min_reputation":500,"require_role":true,"require_guarantor":false,"collateral":"10.00 USD"},"config":{"v":1,`) ||
		!strings.HasSuffix(got[0], `,"roles":"foreperson|user"}`) {
		t.Fatalf("proposed: %s", got[0])
	}
	// Every event decodes to itself, and the bytes do not depend on shopspring's settings.
	for i, line := range got {
		var e formation.Event
		if err := json.Unmarshal([]byte(line), &e); err != nil || !e.Equal(p.Events()[i]) {
			t.Fatalf("line %d: %v\n%s", i, err, line)
		}
	}
	zerotest.WithShopspringGlobals(t, func() {
		if again := lines(t, p.Events()); !slices.Equal(again, got) {
			t.Fatal("the encoding depends on shopspring/decimal's settings")
		}
	})
	replayed(t, p)
}

func TestEventMarshalRefuses(t *testing.T) {
	for name, e := range map[string]formation.Event{
		"unknown kind": {Seq: 1, Kind: "exploded", At: feb1},
		"zero kind":    {Seq: 1, At: feb1},
		"year 10000":   {Seq: 1, Kind: formation.EventAbandoned, At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if _, err := e.MarshalJSON(); !errors.Is(err, formation.ErrInvalidLog) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestEventUnmarshalRefuses(t *testing.T) {
	d := strings.Repeat("ab", 32)
	for name, s := range map[string]string{
		"not json":        `{`,
		"array":           `[]`,
		"version 2":       `{"v":2,"seq":1,"kind":"abandoned","at":"2026-02-01T00:00:00Z"}`,
		"no version":      `{"seq":1,"kind":"abandoned","at":"2026-02-01T00:00:00Z"}`,
		"seq 0":           `{"v":1,"seq":0,"kind":"abandoned","at":"2026-02-01T00:00:00Z"}`,
		"unknown kind":    `{"v":1,"seq":1,"kind":"exploded","at":"2026-02-01T00:00:00Z"}`,
		"unknown field":   `{"v":1,"seq":1,"kind":"abandoned","at":"2026-02-01T00:00:00Z","x":1}`,
		"foreign field":   `{"v":1,"seq":1,"kind":"abandoned","at":"2026-02-01T00:00:00Z","account":"a"}`,
		"missing seat":    `{"v":1,"seq":2,"kind":"declined","at":"2026-02-01T00:00:00Z","account":"a"}`,
		"missing terms":   `{"v":1,"seq":2,"kind":"started","at":"2026-02-01T00:00:00Z"}`,
		"bad digest":      `{"v":1,"seq":2,"kind":"started","at":"2026-02-01T00:00:00Z","terms":"xyz"}`,
		"bad amount":      `{"v":1,"seq":2,"kind":"accepted","at":"2026-02-01T00:00:00Z","account":"a","seat":0,"terms":"` + d + `","pledge":"lots"}`,
		"bad config":      `{"v":1,"seq":1,"kind":"proposed","at":"2026-02-01T00:00:00Z","account":"a","terms":"` + d + `","deadline":"2026-02-02T00:00:00Z","admission":{},"config":{"v":9}}`,
		"bad roles":       `{"v":1,"seq":2,"kind":"accepted","at":"2026-02-01T00:00:00Z","account":"a","seat":0,"terms":"` + d + `","roles":"king"}`,
		"trailing data":   `{"v":1,"seq":1,"kind":"abandoned","at":"2026-02-01T00:00:00Z"} 1`,
		"admission field": `{"v":1,"seq":1,"kind":"proposed","at":"2026-02-01T00:00:00Z","account":"a","terms":"` + d + `","deadline":"2026-02-02T00:00:00Z","admission":{"x":1},"config":{}}`,
	} {
		e := formation.Event{Seq: 99}
		err := e.UnmarshalJSON([]byte(s))
		if !errors.Is(err, formation.ErrInvalidLog) || e.Seq != 99 {
			t.Errorf("%s: %v (event %+v)", name, err, e)
		}
	}
}

// TestReplayRefusesLogsThatDiffer: a log that is not what a proposal records is refused.
func TestReplayRefusesLogsThatDiffer(t *testing.T) {
	p := sample(t)
	good := p.Events()
	edits := map[string]func([]formation.Event) []formation.Event{
		"empty":            func(e []formation.Event) []formation.Event { return nil },
		"no proposal":      func(e []formation.Event) []formation.Event { return e[1:] },
		"second proposal":  func(e []formation.Event) []formation.Event { f := e[0]; f.Seq = 2; return []formation.Event{e[0], f} },
		"gap":              func(e []formation.Event) []formation.Event { return append(e[:1:1], e[2:]...) },
		"time zone":        func(e []formation.Event) []formation.Event { e[1].At = e[1].At.In(time.FixedZone("x", 0)); return e },
		"backwards":        func(e []formation.Event) []formation.Event { e[2].At = feb1.Add(-time.Hour); return e },
		"reputation":       func(e []formation.Event) []formation.Event { e[1].Reputation = 400; return e },
		"roles":            func(e []formation.Event) []formation.Event { e[1].Roles = roles.SetOf(roles.Sponsor); return e },
		"organiser roles":  func(e []formation.Event) []formation.Event { e[0].Roles = roles.SetOf(roles.GeneralUser); return e },
		"seat":             func(e []formation.Event) []formation.Event { e[2].Seat = 1; return e },
		"digest":           func(e []formation.Event) []formation.Event { e[3].Terms[0] ^= 1; return e },
		"proposed digest":  func(e []formation.Event) []formation.Event { e[0].Terms[0] ^= 1; return e },
		"start too soon":   func(e []formation.Event) []formation.Event { return append(e[:6:6], e[7]) },
		"after the start":  func(e []formation.Event) []formation.Event { x := e[2]; x.Seq = 9; return append(e, x) },
		"unknown kind":     func(e []formation.Event) []formation.Event { e[2].Kind = "exploded"; return e[:3] },
		"invalid config":   func(e []formation.Event) []formation.Event { e[0].Config.Epochs = 0; return e[:1] },
		"replaced unknown": func(e []formation.Event) []formation.Event { e[3].Replaced = "zed"; return e[:4] },
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			evs := edit(slices.Clone(good))
			for i := range evs {
				evs[i].Config.Members = slices.Clone(evs[i].Config.Members)
			}
			if _, err := formation.Replay(slices.Values(evs)); !errors.Is(err, formation.ErrInvalidLog) {
				t.Fatalf("got %v", err)
			}
		})
	}
	if _, err := formation.Replay(nil); !errors.Is(err, formation.ErrInvalidLog) {
		t.Fatalf("nil log: %v", err)
	}
	if _, err := formation.Replay(slices.Values(good)); err != nil {
		t.Fatal(err)
	}
}

func TestDecoder(t *testing.T) {
	p := sample(t)
	text := strings.Join(lines(t, p.Events()), "\n") + "\n"
	dec := formation.NewDecoder(strings.NewReader(text))
	r, err := formation.Replay(dec.Events())
	if err != nil || dec.Err() != nil || r.LastSeq() != p.LastSeq() || r.State() != formation.Started {
		t.Fatalf("%v %v", err, dec.Err())
	}
	bad := formation.NewDecoder(strings.NewReader(text + `{"v":1,"seq":9,"kind":"nope","at":"2026-02-01T00:00:00Z"}` + "\n"))
	n := len(collect(bad.Events()))
	if n != int(p.LastSeq()) || !errors.Is(bad.Err(), formation.ErrInvalidLog) {
		t.Fatalf("read %d, err %v", n, bad.Err())
	}
	var zero formation.Decoder
	if len(collect(zero.Events())) != 0 || zero.Err() != nil {
		t.Fatal("the zero decoder reads something")
	}
}
