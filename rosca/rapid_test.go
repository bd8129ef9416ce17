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
// simple model; and at the end the log replays (directly and through JSON) to the same
// circle.
func TestRapidCircle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.Config().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		// The model: events, closed rounds, ended, halted.
		events, closed, halted := 0, 0, false
		steps := rapid.IntRange(0, 40).Draw(t, "steps")
		for range steps {
			op := roscatest.OpFor(cfg).Draw(t, "op")
			before := roscatest.Fingerprint(c)
			err := roscatest.Apply(c, op)
			if err != nil {
				if err := roscatest.CheckUnchanged(before, c); err != nil {
					t.Fatalf("%v: %v", op, err)
				}
			} else {
				events++
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
			if c.EventCount() != events || len(c.Rounds()) != closed || c.Halted() != halted ||
				c.Ended() != (closed == cfg.Rounds()) {
				t.Fatalf("after %v: model events %d closed %d halted %v; circle %d %d %v ended %v",
					op, events, closed, halted, c.EventCount(), len(c.Rounds()), c.Halted(), c.Ended())
			}
		}
		// Replay, directly and through JSON.
		r, err := rosca.Replay(cfg, c.Events())
		if err != nil {
			t.Fatalf("replay: %v", err)
		}
		a, _ := json.Marshal(c.Snapshot())
		b, _ := json.Marshal(r.Snapshot())
		if !bytes.Equal(a, b) {
			t.Fatalf("replay differs:\n%s\n%s", a, b)
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
