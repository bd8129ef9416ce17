package rosca_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
)

// TestRapidCircle drives random circles with random valid and invalid commands by random
// members at random times. After every step the invariants hold (Audit and the
// independent checks of roscatest.Check, including one win per member per epoch and the
// zero-sum identity); a rejected command changed nothing; the circle's counters follow a
// simple model; every accepted command's events round-trip through JSON; and at the end
// the log replays (directly, and through JSON lines and the Decoder) to the same circle.
func TestRapidCircle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.Config().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		// The model: events, closed rounds, ended, halted.
		events, closed, halted := 0, 0, false
		var lines []byte // the log as JSON lines, written after each command
		steps := rapid.IntRange(0, 40).Draw(t, "steps")
		for range steps {
			op := roscatest.OpFor(cfg).Draw(t, "op")
			before := roscatest.Fingerprint(c)
			last := c.LastSeq()
			err := roscatest.Apply(c, op)
			if err != nil {
				if err := roscatest.CheckUnchanged(before, c); err != nil {
					t.Fatalf("%v: %v", op, err)
				}
			} else {
				events++
				for e := range c.EventsAfter(last) {
					lines = append(e.AppendJSON(lines), '\n')
					var back rosca.Event
					if err := json.Unmarshal(e.AppendJSON(nil), &back); err != nil || !back.Equal(e) {
						t.Fatalf("%v: event %+v does not round-trip: %v", op, e, err)
					}
				}
				switch op.Kind {
				case roscatest.OpClose:
					closed++
				case roscatest.OpHalt:
					halted = true
				}
			}
			if err := roscatest.Check(c); err != nil {
				t.Fatalf("after %v: %v", op, err)
			}
			if c.LastSeq() != uint64(events) || len(c.Rounds()) != closed || c.Halted() != halted ||
				c.Ended() != (closed == cfg.Rounds()) {
				t.Fatalf("after %v: model events %d closed %d halted %v; circle %d %d %v ended %v",
					op, events, closed, halted, c.LastSeq(), len(c.Rounds()), c.Halted(), c.Ended())
			}
		}
		// Replay, directly and through JSON.
		r, err := rosca.Replay(cfg, c.EventsAfter(0))
		if err != nil {
			t.Fatalf("replay: %v", err)
		}
		a, _ := json.Marshal(c.Snapshot())
		b, _ := json.Marshal(r.Snapshot())
		if !bytes.Equal(a, b) {
			t.Fatalf("replay differs:\n%s\n%s", a, b)
		}
		d := rosca.NewDecoder(bytes.NewReader(lines))
		if r, err = rosca.Replay(cfg, d.Events()); err != nil || d.Err() != nil {
			t.Fatalf("replay of the JSON lines: %v, %v", err, d.Err())
		}
		if b, _ = json.Marshal(r.Snapshot()); !bytes.Equal(a, b) {
			t.Fatalf("replay of the JSON lines differs:\n%s\n%s", a, b)
		}
		if r, err = rosca.ReplayEvents(cfg, c.Events()); err != nil {
			t.Fatalf("replay of the slice: %v", err)
		}
		if b, _ = json.Marshal(r.Snapshot()); !bytes.Equal(a, b) {
			t.Fatalf("replay of the slice differs:\n%s\n%s", a, b)
		}
		var s rosca.Snapshot
		if err := json.Unmarshal(a, &s); err != nil {
			t.Fatal(err)
		}
		if _, err := rosca.Restore(s); err != nil {
			t.Fatalf("restore: %v", err)
		}
	})
}
