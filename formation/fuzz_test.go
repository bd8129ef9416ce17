package formation_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/formation"
)

// FuzzDecoder: any text read as an event log either replays to a proposal whose log,
// written again and replayed, gives the same proposal, or is refused with ErrInvalidLog;
// nothing panics, and every event the decoder yields encodes and decodes to itself.
func FuzzDecoder(f *testing.F) {
	f.Add(strings.Join(lines(f, sample(f).Events()), "\n") + "\n")
	f.Add(strings.Join(lines(f, propose(f, formation.Admission{}, nil).Events()), "\n"))
	f.Add(`{"v":1,"seq":1,"kind":"abandoned","at":"2026-02-01T00:00:00Z"}`)
	f.Add(`{"v":1,"seq":2,"kind":"accepted","at":"2026-02-01T00:00:00Z","account":"a","seat":0,"terms":"` + strings.Repeat("0", 64) + `"}`)
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		dec := formation.NewDecoder(strings.NewReader(s))
		var seen []formation.Event
		for e := range dec.Events() {
			b, err := e.MarshalJSON()
			if err != nil {
				t.Fatalf("a decoded event does not encode: %v", err)
			}
			var back formation.Event
			if err := back.UnmarshalJSON(b); err != nil || !back.Equal(e) {
				t.Fatalf("%s does not decode to itself: %v", b, err)
			}
			seen = append(seen, e)
		}
		if err := dec.Err(); err != nil && !errors.Is(err, formation.ErrInvalidLog) {
			t.Fatalf("decoder: %v", err)
		}
		p, err := formation.Replay(func(yield func(formation.Event) bool) {
			for _, e := range seen {
				if !yield(e) {
					return
				}
			}
		})
		if err != nil {
			if !errors.Is(err, formation.ErrInvalidLog) {
				t.Fatalf("replay: %v", err)
			}
			return
		}
		replayed(t, p)
	})
}
