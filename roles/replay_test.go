package roles_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/token"
)

// replayAccounts includes accounts whose JSON needs escaping and malformed ones.
var replayAccounts = []token.Account{"alice", "bob", `q"b`, `back\slash`, "<&>", "", "a b", "tab\t"}

// genTime draws a time in a zone that may have an offset in seconds, in or out of the years
// 1 to 9999 (in UTC).
func genTime() *rapid.Generator[time.Time] {
	return rapid.Custom(func(t *rapid.T) time.Time {
		year := rapid.SampledFrom([]int{-1, 0, 1, 1900, 2017, 9999, 10000}).Draw(t, "year")
		offset := rapid.IntRange(-14*3600, 14*3600).Draw(t, "offset") // seconds east of UTC
		zone := time.FixedZone("Z"+time.Duration(offset).String(), offset)
		return time.Date(year, time.Month(rapid.IntRange(1, 12).Draw(t, "month")), rapid.IntRange(1, 31).Draw(t, "day"),
			rapid.IntRange(0, 23).Draw(t, "hour"), rapid.IntRange(0, 59).Draw(t, "min"), rapid.IntRange(0, 59).Draw(t, "sec"),
			rapid.IntRange(0, 999_999_999).Draw(t, "nsec"), zone)
	})
}

// TestRapidDirectoryReplay: every command the directory accepts is representable. After any
// sequence of grants and revocations (valid or not, at any time in any zone), the events
// persisted after each command through EventsAfter, written as JSON lines, decode and replay
// to a directory equal to the live one; a rejected command changes nothing.
func TestRapidDirectoryReplay(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := roles.NewDirectory()
		var log bytes.Buffer
		var persisted uint64
		command := func(t *rapid.T, name string, do func(time.Time, token.Account, ...roles.Role) error) {
			at := genTime().Draw(t, "at")
			a := rapid.SampledFrom(replayAccounts).Draw(t, "account")
			rs := rapid.SliceOfN(rapid.SampledFrom(rapidRoles), 0, 3).Draw(t, "roles")
			var want error
			if y := at.UTC().Year(); y < 1 || y > 9999 {
				want = token.ErrInvalidTime
			}
			for _, r := range rs {
				if !r.Valid() {
					want = roles.ErrUnknownRole
				}
			}
			if a.Validate() != nil {
				want = token.ErrInvalidAccount
			}
			before := d.Events()
			err := do(at, a, rs...)
			if want == nil && err != nil || want != nil && !errors.Is(err, want) {
				t.Fatalf("%s(%v, %q, %v) = %v, want %v", name, at, a, rs, err, want)
			}
			if err != nil {
				if diff := cmp.Diff(before, d.Events()); diff != "" {
					t.Fatalf("rejected %s changed the log:\n%s", name, diff)
				}
				return
			}
			for e := range d.EventsAfter(persisted) {
				if !e.At.Equal(at) || e.At.Location() != time.UTC {
					t.Fatalf("event at %v for a command at %v", e.At, at)
				}
				log.Write(append(e.AppendJSON(nil), '\n'))
				persisted = e.Seq
			}
		}
		t.Repeat(map[string]func(*rapid.T){
			"grant":  func(t *rapid.T) { command(t, "Grant", d.Grant) },
			"revoke": func(t *rapid.T) { command(t, "Revoke", d.Revoke) },
			"": func(t *rapid.T) {
				if persisted != d.LastSeq() {
					t.Fatalf("persisted %d of %d events", persisted, d.LastSeq())
				}
				dec := roles.NewDecoder(bytes.NewReader(log.Bytes()))
				r, err := roles.Replay(dec.Events())
				if err != nil || dec.Err() != nil {
					t.Fatalf("replay: %v %v", err, dec.Err())
				}
				if diff := cmp.Diff(d.Events(), r.Events()); diff != "" {
					t.Fatalf("replayed log differs:\n%s", diff)
				}
				for _, a := range replayAccounts {
					if r.Roles(a) != d.Roles(a) {
						t.Fatalf("%q: live %v, replayed %v", a, d.Roles(a), r.Roles(a))
					}
				}
				if err := d.Audit(); err != nil {
					t.Fatal(err)
				}
			},
		})
	})
}
