package rosca_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// A tampered or invalid log is an error, never a panic, and never a silently different circle.
func TestReplayTampered(t *testing.T) {
	c := goldenEnded(t)
	_, err := c.Withdraw(at(4), "m0")
	ok(t, err)
	cfg, events := c.Config(), c.Events()
	edits := map[string]func([]rosca.Event) []rosca.Event{
		"amount": func(e []rosca.Event) []rosca.Event { e[0].Amount = wei(999); return e },
		"winner": func(e []rosca.Event) []rosca.Event {
			for i := range e {
				if e[i].Result != nil {
					r := *e[i].Result
					r.Winner = "m2"
					e[i].Result = &r
					break
				}
			}
			return e
		},
		"withdrawal": func(e []rosca.Event) []rosca.Event { e[len(e)-1].Amount = wei(1); return e },
		"seq":        func(e []rosca.Event) []rosca.Event { e[3].Seq = 7; return e },
		"seq from 0": func(e []rosca.Event) []rosca.Event {
			for i := range e {
				e[i].Seq--
			}
			return e
		},
		"asset":  func(e []rosca.Event) []rosca.Event { e[0].Amount = token.BTC().FromInt64Units(1000); return e },
		"member": func(e []rosca.Event) []rosca.Event { e[0].Member = "stranger"; return e },
		"time":   func(e []rosca.Event) []rosca.Event { e[1].At = e[1].At.Add(time.Nanosecond); return e },
		"kind":   func(e []rosca.Event) []rosca.Event { e[2].Kind = "gift"; return e },
		// A contribution carries none of the other kinds' fields.
		"round":      func(e []rosca.Event) []rosca.Event { e[0].Round = 2; return e },
		"party":      func(e []rosca.Event) []rosca.Event { e[0].Party = "m1"; return e },
		"bounty":     func(e []rosca.Event) []rosca.Event { e[0].Bounty = wei(1); return e },
		"deduction":  func(e []rosca.Event) []rosca.Event { e[0].Deduction = wei(1); return e },
		"collateral": func(e []rosca.Event) []rosca.Event { e[0].Collateral = wei(1); return e },
		"seal":       func(e []rosca.Event) []rosca.Event { e[0].Seal[0] = 1; return e },
		"salt":       func(e []rosca.Event) []rosca.Event { e[0].Salt[0] = 1; return e },
		"entitled":   func(e []rosca.Event) []rosca.Event { e[0].Entitled = wei(1); return e },
		"dropped":    func(e []rosca.Event) []rosca.Event { return append(e[:1], e[2:]...) },
		"reordered":  func(e []rosca.Event) []rosca.Event { e[4], e[5] = e[5], e[4]; e[4].Seq, e[5].Seq = 5, 6; return e },
		"no result": func(e []rosca.Event) []rosca.Event {
			for i := range e {
				if e[i].Result != nil {
					e[i].Result = nil
					break
				}
			}
			return e
		},
		"draw start": func(e []rosca.Event) []rosca.Event {
			for i := range e {
				if e[i].Result != nil && e[i].Result.Method == rosca.ByDraw {
					r := *e[i].Result
					r.DrawStart = 5
					e[i].Result = &r
				}
			}
			return e
		},
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			evs := edit(append([]rosca.Event(nil), events...))
			_, err := rosca.Replay(cfg, slices.Values(evs))
			re, isErr := errors.AsType[*rosca.Error](err)
			if !errors.Is(err, rosca.ErrReplay) || !isErr || !strings.HasPrefix(re.Detail, "event ") {
				t.Fatalf("got %v", err)
			}
			if _, errSlice := rosca.ReplayEvents(cfg, evs); errSlice == nil || errSlice.Error() != err.Error() {
				t.Fatalf("ReplayEvents: %v, want %v", errSlice, err)
			}
		})
	}
	if _, err := rosca.Replay(rosca.Config{}, slices.Values(events)); !errors.Is(err, rosca.ErrInvalidConfig) {
		t.Fatalf("bad config: %v", err)
	}
	if _, err := rosca.ReplayEvents(rosca.Config{}, events); !errors.Is(err, rosca.ErrInvalidConfig) {
		t.Fatalf("ReplayEvents, bad config: %v", err)
	}
	if r, err := rosca.ReplayEvents(cfg, nil); err != nil || r.LastSeq() != 0 {
		t.Fatalf("ReplayEvents of no events: %v", err)
	}
	s := c.Snapshot()
	s.Totals.Cash = wei(1)
	if _, err := rosca.Restore(s); !errors.Is(err, rosca.ErrReplay) {
		t.Fatalf("restore of an altered snapshot: %v", err)
	}
	s = c.Snapshot()
	s.V = 9
	if _, err := rosca.Restore(s); !errors.Is(err, rosca.ErrReplay) {
		t.Fatalf("restore of a future snapshot: %v", err)
	}
}

// EventsAfter hands out the tail of the log: seq numbers from 1, nothing after the last,
// and the same events as Events.
func TestEventsAfter(t *testing.T) {
	c := goldenEnded(t)
	all := c.Events()
	if c.LastSeq() != uint64(len(all)) || all[0].Seq != 1 || all[len(all)-1].Seq != c.LastSeq() {
		t.Fatalf("last seq %d, %d events from %d", c.LastSeq(), len(all), all[0].Seq)
	}
	for _, after := range []uint64{0, 1, 5, c.LastSeq() - 1, c.LastSeq(), c.LastSeq() + 7} {
		got := slices.Collect(c.EventsAfter(after))
		want := all[min(int(after), len(all)):]
		if len(got) != len(want) {
			t.Fatalf("after %d: %d events, want %d", after, len(got), len(want))
		}
		for i := range got {
			if !got[i].Equal(want[i]) {
				t.Fatalf("after %d: event %d differs", after, i)
			}
		}
	}
	// Stopping early stops.
	n := 0
	for range c.EventsAfter(0) {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Fatal(n)
	}
}

// The decoder reads JSON lines, skips blank lines, and refuses a line that does not
// decode and an incomplete last line, saying which.
func TestDecoder(t *testing.T) {
	c := goldenEnded(t)
	var buf []byte
	for e := range c.EventsAfter(0) {
		buf = append(e.AppendJSON(buf), '\n')
	}
	d := rosca.NewDecoder(bytes.NewReader(append([]byte("\n"), buf...)))
	got := slices.Collect(d.Events())
	ok(t, d.Err())
	if len(got) != int(c.LastSeq()) {
		t.Fatalf("%d events", len(got))
	}
	// A last line without its newline: the events before it replay (a prefix of a log is a
	// log), and the decoder reports the incomplete line.
	cut := bytes.TrimSuffix(buf, []byte("\n"))
	d = rosca.NewDecoder(bytes.NewReader(cut))
	if r, err := rosca.Replay(c.Config(), d.Events()); err != nil || r.LastSeq() != c.LastSeq()-1 {
		t.Fatalf("replay of a truncated log: %v", err)
	}
	if err := d.Err(); !errors.Is(err, rosca.ErrReplay) || !strings.Contains(err.Error(), "incomplete last line") {
		t.Fatalf("truncated log: %v", err)
	}
	lines := bytes.SplitAfter(buf, []byte("\n"))
	lines[2] = []byte(`{"v":1,"seq":3,"kind":"contribution","at":"2026-01-01T00:00:00Z","round":1,"member":"m2","amount":"1e3 ETH"}` + "\n")
	d = rosca.NewDecoder(bytes.NewReader(bytes.Join(lines, nil)))
	if n := len(slices.Collect(d.Events())); n != 2 {
		t.Fatalf("%d events before the bad line", n)
	}
	if err := d.Err(); !errors.Is(err, rosca.ErrReplay) || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("bad line: %v", err)
	}
	var zero rosca.Decoder
	if n := len(slices.Collect(zero.Events())); n != 0 || !errors.Is(zero.Err(), rosca.ErrUninitialized) {
		t.Fatalf("zero decoder: %d events, %v", n, zero.Err())
	}
	// A long line (a settlement of many members) is read whole.
	wide := mustNew(t, weiCfg(rosca.Bidding, 3000, 1000, 20))
	contributeAll(t, wide, at(0), wei(1000))
	ok(t, wide.EnableHalt(at(0), "op"))
	_, err := wide.ActivateHalt(at(0), "m0")
	ok(t, err)
	buf = buf[:0]
	for e := range wide.EventsAfter(0) {
		buf = append(e.AppendJSON(buf), '\n')
	}
	d = rosca.NewDecoder(bytes.NewReader(buf))
	r, err := rosca.Replay(wide.Config(), d.Events())
	ok(t, err)
	ok(t, d.Err())
	if r.LastSeq() != wide.LastSeq() || !r.Halted() {
		t.Fatal("long line not replayed")
	}
}

// Whatever a command accepts is written to the log and read back: a contribution of
// 10^82 minor units and the largest the circle takes (just below 10^90 in total) replay
// through JSON; one more unit is refused at the command.
func TestRepresentableAmounts(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	ok(t, c.Contribute(at(0), "m2", wei(1000)))
	ok(t, c.Contribute(at(0), "m0", fromUnits(t, token.ETH(), pow10(82))))
	rest := new(big.Int).Sub(pow10(rosca.MaxCashDigits), pow10(82))
	rest.Sub(rest, big.NewInt(1001))
	ok(t, c.Contribute(at(0), "m1", fromUnits(t, token.ETH(), rest)))
	e := rejects(t, c, rosca.ErrInvalidAmount, func() error { return c.Contribute(at(0), "m2", wei(1)) })
	if !errors.Is(e, token.ErrAmountTooLarge) || !strings.Contains(e.Detail, "10^90") {
		t.Fatalf("%v", e)
	}
	// The largest amount an Amount holds is refused too, and nothing is left half done.
	maxAmount := fromUnits(t, token.ETH(), new(big.Int).Sub(pow10(token.MaxUnitDigits), big.NewInt(1)))
	rejects(t, c, rosca.ErrInvalidAmount, func() error { return c.Contribute(at(0), "m2", maxAmount) })
	ok(t, c.Bid(at(0), "m2", wei(3000)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	_, err = c.Withdraw(at(1), "m0")
	ok(t, err)
	ok(t, c.EnableHalt(at(1), "op"))
	_, err = c.ActivateHalt(at(1), "m0")
	ok(t, err)
	audit(t, c)
	for e := range c.EventsAfter(0) {
		b, err := json.Marshal(e)
		ok(t, err)
		var back rosca.Event
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(e) {
			t.Fatalf("%s: %v", b, err)
		}
	}
	checkReplay(t, c)
}

// Whatever the commands accept is representable: random contributions of up to 96 digits
// of minor units, at times in zones with offsets in seconds, are either refused at the
// command (the cash bound) or written to the log, and the log, through JSON lines, replays
// to the same circle.
func TestRapidRepresentable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c, err := rosca.New(weiCfg(rosca.Bidding, 3, 1000, 20))
		if err != nil {
			t.Fatal(err)
		}
		zone := time.FixedZone("Z", rapid.IntRange(-14*3600, 14*3600).Draw(t, "offset"))
		now := t0.In(zone)
		for i := range rapid.IntRange(1, 8).Draw(t, "steps") {
			now = now.Add(time.Duration(rapid.Int64Range(0, 1e12).Draw(t, "ns")))
			digits := rapid.IntRange(1, token.MaxUnitDigits).Draw(t, "digits")
			u := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits-1)), nil)
			u.Mul(u, big.NewInt(rapid.Int64Range(1, 9).Draw(t, "lead")))
			x, err := token.ETH().FromUnits(u)
			if err != nil {
				t.Fatal(err)
			}
			m := members(3)[i%3]
			before := c.LastSeq()
			err = c.Contribute(now, m, x)
			if err != nil {
				if !errors.Is(err, rosca.ErrInvalidAmount) || !errors.Is(err, token.ErrAmountTooLarge) || c.LastSeq() != before {
					t.Fatalf("contribute %s: %v", x, err)
				}
				continue
			}
			if _, err := c.Withdraw(now, m); err != nil && !errors.Is(err, rosca.ErrNothingToWithdraw) {
				t.Fatal(err)
			}
			if rapid.Bool().Draw(t, "close") && !c.Round().Deadline.After(now) {
				if _, err := c.CloseRound(now); err != nil && !errors.Is(err, rosca.ErrEnded) {
					t.Fatal(err)
				}
			}
		}
		var lines []byte
		for e := range c.EventsAfter(0) {
			lines = append(e.AppendJSON(lines), '\n')
		}
		d := rosca.NewDecoder(bytes.NewReader(lines))
		r, err := rosca.Replay(c.Config(), d.Events())
		if err != nil || d.Err() != nil {
			t.Fatalf("replay: %v, %v\n%s", err, d.Err(), lines)
		}
		a, _ := json.Marshal(c.Snapshot())
		b, _ := json.Marshal(r.Snapshot())
		if !bytes.Equal(a, b) {
			t.Fatalf("replay differs:\n%s\n%s", a, b)
		}
	})
}
