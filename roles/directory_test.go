package roles_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/token"
)

var t0 = time.Date(2017, 4, 1, 12, 0, 0, 0, time.UTC)

func at(minutes int) time.Time { return t0.Add(time.Duration(minutes) * time.Minute) }

func TestDirectoryGrantRevoke(t *testing.T) {
	d := roles.NewDirectory()
	if err := d.Grant(at(0), "alice", roles.GeneralUser, roles.Foreperson); err != nil {
		t.Fatal(err)
	}
	if err := d.Grant(at(1), "bob", roles.GeneralUser); err != nil {
		t.Fatal(err)
	}
	// Partly new: the event lists only the new role.
	if err := d.Grant(at(2), "alice", roles.Foreperson, roles.Sponsor); err != nil {
		t.Fatal(err)
	}
	// Partly held: the event lists only the role removed.
	if err := d.Revoke(at(3), "alice", roles.GeneralUser, roles.ReferralPartner); err != nil {
		t.Fatal(err)
	}
	if err := d.Revoke(at(4), "bob", roles.GeneralUser); err != nil {
		t.Fatal(err)
	}
	want := []roles.Event{
		{Seq: 1, At: at(0), Kind: roles.EventGranted, Account: "alice", Roles: roles.SetOf(roles.GeneralUser, roles.Foreperson), After: roles.SetOf(roles.GeneralUser, roles.Foreperson)},
		{Seq: 2, At: at(1), Kind: roles.EventGranted, Account: "bob", Roles: roles.SetOf(roles.GeneralUser), After: roles.SetOf(roles.GeneralUser)},
		{Seq: 3, At: at(2), Kind: roles.EventGranted, Account: "alice", Roles: roles.SetOf(roles.Sponsor), After: roles.SetOf(roles.GeneralUser, roles.Foreperson, roles.Sponsor)},
		{Seq: 4, At: at(3), Kind: roles.EventRevoked, Account: "alice", Roles: roles.SetOf(roles.GeneralUser), After: roles.SetOf(roles.Foreperson, roles.Sponsor)},
		{Seq: 5, At: at(4), Kind: roles.EventRevoked, Account: "bob", Roles: roles.SetOf(roles.GeneralUser), After: 0},
	}
	if diff := cmp.Diff(want, d.Events()); diff != "" {
		t.Fatalf("events (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, slices.Collect(d.EventsAfter(0))); diff != "" || d.LastSeq() != 5 {
		t.Fatalf("EventsAfter(0), LastSeq %d (-want +got):\n%s", d.LastSeq(), diff)
	}
	if diff := cmp.Diff(want[3:], slices.Collect(d.EventsAfter(3))); diff != "" {
		t.Fatalf("EventsAfter(3) (-want +got):\n%s", diff)
	}
	if got := slices.Collect(d.EventsAfter(5)); len(got) != 0 {
		t.Fatalf("EventsAfter(5): %v", got)
	}
	if got := slices.Collect(d.EventsAfter(1 << 63)); len(got) != 0 {
		t.Fatalf("EventsAfter(huge): %v", got)
	}
	if d.Roles("alice").String() != "foreperson|sponsor" || !d.Has("alice", roles.Sponsor) || d.Has("alice", roles.GeneralUser) {
		t.Fatalf("alice: %v", d.Roles("alice"))
	}
	if !d.Roles("bob").IsEmpty() || len(d.Accounts()) != 1 {
		t.Fatalf("bob left with %v; accounts %v", d.Roles("bob"), d.Accounts())
	}
	if err := d.Audit(); err != nil {
		t.Fatal(err)
	}
}

func TestDirectoryNoOps(t *testing.T) {
	// Decision: a grant of held roles, a revoke of roles not held and an empty role list are
	// not errors; they change nothing and record no event.
	d := roles.NewDirectory()
	_ = d.Grant(at(0), "alice", roles.Sponsor)
	for name, op := range map[string]func() error{
		"grant held":        func() error { return d.Grant(at(1), "alice", roles.Sponsor) },
		"grant nothing":     func() error { return d.Grant(at(1), "alice") },
		"revoke not held":   func() error { return d.Revoke(at(1), "alice", roles.Foreperson) },
		"revoke unknown":    func() error { return d.Revoke(at(1), "carol", roles.Foreperson) },
		"revoke nothing":    func() error { return d.Revoke(at(1), "alice") },
		"grant held, twice": func() error { return d.Grant(at(1), "alice", roles.Sponsor, roles.Sponsor) },
	} {
		if err := op(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if n := len(d.Events()); n != 1 {
			t.Errorf("%s: %d events", name, n)
		}
	}
	if d.Roles("alice") != roles.SetOf(roles.Sponsor) || len(d.Accounts()) != 1 {
		t.Fatalf("state changed: %v %v", d.Roles("alice"), d.Accounts())
	}
}

func TestDirectoryErrors(t *testing.T) {
	d := roles.NewDirectory()
	_ = d.Grant(at(0), "alice", roles.Sponsor)
	before := d.Events()
	for _, c := range []struct {
		name string
		err  error
		want error
	}{
		{"grant empty account", d.Grant(at(1), "", roles.Sponsor), token.ErrInvalidAccount},
		{"grant spaced account", d.Grant(at(1), "a b", roles.Sponsor), token.ErrInvalidAccount},
		{"revoke bad account", d.Revoke(at(1), "a\nb", roles.Sponsor), token.ErrInvalidAccount},
		{"grant unknown role", d.Grant(at(1), "alice", roles.Foreperson, roles.Role(64)), roles.ErrUnknownRole},
		{"grant zero role", d.Grant(at(1), "alice", 0), roles.ErrUnknownRole},
		{"grant two bits", d.Grant(at(1), "alice", roles.Role(3)), roles.ErrUnknownRole},
		{"revoke unknown role", d.Revoke(at(1), "alice", roles.Sponsor, roles.Role(128)), roles.ErrUnknownRole},
		{"grant in year 10000", d.Grant(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "alice", roles.Foreperson), token.ErrInvalidTime},
		{"grant in year 0", d.Grant(time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC), "alice", roles.Foreperson), token.ErrInvalidTime},
		{"revoke in year -5", d.Revoke(time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC), "alice", roles.Sponsor), token.ErrInvalidTime},
		// 9999-12-31T23:30-01:00 is in year 10000 in UTC.
		{"grant at the end of 9999 west of UTC", d.Grant(time.Date(9999, 12, 31, 23, 30, 0, 0, time.FixedZone("W", -3600)), "alice", roles.Foreperson), token.ErrInvalidTime},
	} {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
		if _, ok := errors.AsType[*roles.Error](c.err); !ok {
			t.Errorf("%s: %T is not a *roles.Error", c.name, c.err)
		}
	}
	if err := d.Grant(at(1), "alice", roles.Role(64)); err == nil || err.Error() != `roles: unknown role: 0x40 is not a role (op Grant, account alice)` {
		t.Errorf("unknown role: %v", err)
	}
	e, ok := errors.AsType[*roles.Error](d.Grant(at(1), "", roles.Sponsor))
	if !ok || e.Account != "" || e.Op != "Grant" || !errors.Is(e, token.ErrInvalidAccount) {
		t.Errorf("account error: %v", e)
	}
	e, ok = errors.AsType[*roles.Error](d.Grant(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "alice", roles.Foreperson))
	if !ok || e.Op != "Grant" || e.Account != "alice" || e.At.Year() != 10000 || e.Detail != "year 10000 is outside 1 to 9999" {
		t.Errorf("time error: %+v", e)
	}
	if diff := cmp.Diff(before, d.Events()); diff != "" || d.Roles("alice") != roles.SetOf(roles.Sponsor) {
		t.Fatalf("a rejected command changed the directory:\n%s", diff)
	}
	// The first and last instants of the range are accepted.
	for _, edge := range []time.Time{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)} {
		if err := d.Grant(edge, "edge", roles.Sponsor); err != nil {
			t.Errorf("%v: %v", edge, err)
		}
		_ = d.Revoke(edge, "edge", roles.Sponsor)
	}
}

// TestDirectoryTimesInUTC: the directory records the instant given, in UTC, without the
// zone (even one with an offset in seconds) and without a monotonic reading.
func TestDirectoryTimesInUTC(t *testing.T) {
	amsterdam1900 := time.FixedZone("AMT", 1172) // +00:19:32, Amsterdam's offset in 1900
	local := time.Date(1900, 6, 1, 12, 0, 0, 0, amsterdam1900)
	d := roles.NewDirectory()
	if err := d.Grant(local, "alice", roles.Sponsor); err != nil {
		t.Fatal(err)
	}
	if err := d.Grant(time.Now(), "bob", roles.Sponsor); err != nil {
		t.Fatal(err)
	}
	ev := d.Events()
	if !ev[0].At.Equal(local) || ev[0].At.Location() != time.UTC || ev[0].At.String() != "1900-06-01 11:40:28 +0000 UTC" {
		t.Fatalf("at %v", ev[0].At)
	}
	if ev[1].At.Location() != time.UTC || ev[1].At != ev[1].At.Round(0) {
		t.Fatalf("now recorded as %v", ev[1].At)
	}
	b, _ := json.Marshal(ev[0])
	if !strings.Contains(string(b), `"at":"1900-06-01T11:40:28Z"`) {
		t.Fatalf("JSON %s", b)
	}
}

func TestDirectoryMembers(t *testing.T) {
	d := roles.NewDirectory()
	for _, a := range []token.Account{"zoe", "alice", "mallory", "bob"} {
		_ = d.Grant(at(0), a, roles.GeneralUser)
	}
	_ = d.Grant(at(1), "mallory", roles.Sponsor)
	_ = d.Grant(at(1), "bob", roles.Sponsor)
	if diff := cmp.Diff([]token.Account{"alice", "bob", "mallory", "zoe"}, d.Members(roles.GeneralUser)); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]token.Account{"bob", "mallory"}, d.Members(roles.Sponsor)); diff != "" {
		t.Error(diff)
	}
	if got := d.Members(roles.Foreperson); got == nil || len(got) != 0 {
		t.Errorf("no forepersons: %#v", got)
	}
	if got := d.Members(roles.Role(3)); len(got) != 0 {
		t.Errorf("invalid role: %v", got)
	}
	if diff := cmp.Diff([]token.Account{"alice", "bob", "mallory", "zoe"}, d.Accounts()); diff != "" {
		t.Error(diff)
	}
}

func TestDirectoryEventsAreCopies(t *testing.T) {
	d := roles.NewDirectory()
	_ = d.Grant(at(0), "alice", roles.Sponsor)
	ev := d.Events()
	ev[0].Account = "mallory"
	if d.Events()[0].Account != "alice" {
		t.Fatal("Events shares its array")
	}
	// An iterator taken before a command reads the log as it was.
	it := d.EventsAfter(0)
	_ = d.Grant(at(1), "bob", roles.Sponsor)
	if n := len(slices.Collect(it)); n != 1 {
		t.Fatalf("an earlier iterator sees %d events", n)
	}
}

// TestZeroDirectory: the zero Directory is an empty directory, ready to use.
func TestZeroDirectory(t *testing.T) {
	var d roles.Directory
	if err := d.Audit(); err != nil || d.LastSeq() != 0 || len(d.Accounts()) != 0 || d.Has("alice", roles.Sponsor) {
		t.Fatalf("zero directory: %v", err)
	}
	if err := d.MayEnableHalt("op"); !errors.Is(err, roles.ErrNotPermitted) {
		t.Fatalf("zero directory permits: %v", err)
	}
	if err := d.Grant(at(0), "alice", roles.Sponsor); err != nil {
		t.Fatal(err)
	}
	if err := d.Revoke(at(1), "alice", roles.Sponsor); err != nil {
		t.Fatal(err)
	}
	if d.LastSeq() != 2 || d.Audit() != nil {
		t.Fatalf("after two commands: %d events, audit %v", d.LastSeq(), d.Audit())
	}
}

func TestReplay(t *testing.T) {
	d := roles.NewDirectory()
	_ = d.Grant(at(0), "alice", roles.Sponsor, roles.GeneralUser)
	_ = d.Grant(at(1), "bob", roles.ReferralPartner)
	_ = d.Revoke(at(2), "alice", roles.Sponsor)
	b, err := json.Marshal(d.Events())
	if err != nil {
		t.Fatal(err)
	}
	var events []roles.Event
	if err := json.Unmarshal(b, &events); err != nil {
		t.Fatal(err)
	}
	r, err := roles.Replay(slices.Values(events))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d.Events(), r.Events()); diff != "" || r.Roles("alice") != d.Roles("alice") || r.Roles("bob") != d.Roles("bob") {
		t.Fatalf("replay differs:\n%s", diff)
	}
	if r, err := roles.Replay(nil); err != nil || r.LastSeq() != 0 {
		t.Fatalf("Replay(nil): %v", err)
	}
	good := d.Events()
	for name, mutate := range map[string]func([]roles.Event){
		"seq":          func(e []roles.Event) { e[1].Seq = 7 },
		"kind":         func(e []roles.Event) { e[0].Kind = "promoted" },
		"account":      func(e []roles.Event) { e[0].Account = "" },
		"empty roles":  func(e []roles.Event) { e[1].Roles = 0 },
		"unknown bits": func(e []roles.Event) { e[1].Roles |= 0x80 },
		"after":        func(e []roles.Event) { e[1].After = roles.SetOf(roles.Sponsor) },
		"grant held":   func(e []roles.Event) { e[1].Account = "alice"; e[1].Roles = roles.SetOf(roles.Sponsor) },
		"revoke missing": func(e []roles.Event) {
			e[2].Roles = roles.SetOf(roles.Foreperson)
			e[2].After = roles.SetOf(roles.Sponsor, roles.GeneralUser)
		},
		"not UTC":    func(e []roles.Event) { e[1].At = e[1].At.In(time.FixedZone("X", 3600)) },
		"year 10000": func(e []roles.Event) { e[2].At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
	} {
		e := append([]roles.Event(nil), good...)
		mutate(e)
		_, err := roles.Replay(slices.Values(e))
		if !errors.Is(err, roles.ErrInvalidLog) {
			t.Errorf("%s: %v", name, err)
		}
		if x, ok := errors.AsType[*roles.Error](err); !ok || x.Op != "Replay" {
			t.Errorf("%s: %T %v", name, err, err)
		}
	}
}
