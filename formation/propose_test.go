package formation_test

import (
	"errors"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/formation"
	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func TestProposeOpensWithEverySeatInvited(t *testing.T) {
	zone := time.FixedZone("UTC+3", 3*3600)
	tm := terms(formation.Admission{MinReputation: 500}, "alice", "bob", "carol")
	p, err := formation.Propose(feb1.In(zone), tm, nil)
	must(t, err)
	want, _ := formation.DigestOf(tm.Config)
	if p.State() != formation.Open || p.Digest() != want || p.Organiser() != "alice" || p.LastSeq() != 1 || p.Ready() {
		t.Fatalf("state %s digest %s organiser %s seq %d", p.State(), p.Digest(), p.Organiser(), p.LastSeq())
	}
	for i, s := range p.Seats() {
		if s.Index != i || s.Answer != formation.Invited || s.Member != tm.Config.Members[i] {
			t.Fatalf("seat %d: %+v", i, s)
		}
	}
	e := p.Events()[0]
	if e.Kind != formation.EventProposed || e.At.Location() != time.UTC || !e.At.Equal(feb1) || e.Account != "alice" || e.Terms != want {
		t.Fatalf("event %+v", e)
	}
	// The caller's config is not shared.
	tm.Config.Members[1] = "mallory"
	if s, _ := p.Seat("bob"); s.Member != "bob" {
		t.Fatal("the proposal shares the caller's members")
	}
}

func TestProposeRefusesInvalidTerms(t *testing.T) {
	good := terms(formation.Admission{}, "alice", "bob", "carol")
	for name, c := range map[string]struct {
		edit  func(*formation.Terms)
		extra error
	}{
		"config":           {func(t *formation.Terms) { t.Config.Members = t.Config.Members[:1] }, rosca.ErrInvalidConfig},
		"foreperson":       {func(t *formation.Terms) { t.Config.Foreperson = "zed" }, rosca.ErrInvalidConfig},
		"duplicate member": {func(t *formation.Terms) { t.Config.Members[2] = "bob" }, rosca.ErrInvalidConfig},
		"min reputation":   {func(t *formation.Terms) { t.Admission.MinReputation = 1001 }, nil},
		"negative min":     {func(t *formation.Terms) { t.Admission.MinReputation = -1 }, nil},
		"collateral asset": {func(t *formation.Terms) { t.Admission.Collateral = eur.MustParse("5") }, token.ErrAssetMismatch},
		"negative coll":    {func(t *formation.Terms) { t.Admission.Collateral = usd.MustParse("-5") }, token.ErrNegativeAmount},
		"deadline = at":    {func(t *formation.Terms) { t.Deadline = feb1 }, nil},
		"deadline < at":    {func(t *formation.Terms) { t.Deadline = feb1.Add(-time.Second) }, nil},
		"deadline > start": {func(t *formation.Terms) { t.Deadline = march1.Add(900*time.Second + 1) }, nil},
	} {
		t.Run(name, func(t *testing.T) {
			tm := good
			tm.Config.Members = []token.Account{"alice", "bob", "carol"}
			c.edit(&tm)
			_, err := formation.Propose(feb1, tm, nil)
			if !errors.Is(err, formation.ErrInvalidTerms) || fault.CodeOf(err) != "formation.invalid_terms" {
				t.Fatalf("got %v", err)
			}
			if c.extra != nil && !errors.Is(err, c.extra) {
				t.Fatalf("got %v, want it to match %v", err, c.extra)
			}
		})
	}
	// The deadline may be the start plus the rules' start lag, exactly.
	tm := terms(formation.Admission{}, "alice", "bob")
	tm.Deadline = march1.Add(900 * time.Second)
	if _, err := formation.Propose(feb1, tm, nil); err != nil {
		t.Fatal(err)
	}
}

func TestProposeRefusesTimeOutOfRange(t *testing.T) {
	tm := terms(formation.Admission{}, "alice", "bob")
	_, err := formation.Propose(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), tm, nil)
	if !errors.Is(err, token.ErrInvalidTime) {
		t.Fatalf("got %v", err)
	}
}

func TestProposeRequiredRoleAsksMayOrganiseCircle(t *testing.T) {
	tm := terms(formation.Admission{RequireRole: true}, "alice", "bob")
	if _, err := formation.Propose(feb1, tm, nil); !errors.Is(err, formation.ErrNotAdmitted) {
		t.Fatalf("no directory: %v", err)
	}
	dir := roles.NewDirectory()
	must(t, dir.Grant(feb1, "alice", roles.GeneralUser))
	_, err := formation.Propose(feb1, tm, dir)
	if !errors.Is(err, formation.ErrNotAdmitted) || !errors.Is(err, roles.ErrNotPermitted) ||
		fault.ClassOf(err) != fault.Forbidden || fault.CodeOf(err) != "formation.not_admitted" {
		t.Fatalf("not a foreperson: %v", err)
	}
	must(t, dir.Grant(feb1, "alice", roles.Foreperson))
	p, err := formation.Propose(feb1, tm, dir)
	must(t, err)
	if got := p.Events()[0].Roles; got != roles.SetOf(roles.Foreperson, roles.GeneralUser) {
		t.Fatalf("recorded roles %v", got)
	}
	replayed(t, p)
}

func TestDigest(t *testing.T) {
	c := config("alice", "bob")
	d, err := formation.DigestOf(c)
	must(t, err)
	c2 := config("alice", "bob")
	c2.Start = c2.Start.In(time.FixedZone("x", 3600))
	if d2, _ := formation.DigestOf(c2); d2 != d {
		t.Fatal("the same instant in another zone changes the digest")
	}
	c2.Members = []token.Account{"bob", "alice"}
	if d2, _ := formation.DigestOf(c2); d2 == d {
		t.Fatal("the seat order does not change the digest")
	}
	back, err := formation.ParseDigest(d.String())
	if err != nil || back != d || d.IsZero() || !(formation.Digest{}).IsZero() {
		t.Fatalf("round trip: %v %v", back, err)
	}
	for _, s := range []string{"", "00", d.String() + "0", "zz" + d.String()[2:]} {
		if _, err := formation.ParseDigest(s); !errors.Is(err, formation.ErrInvalidLog) {
			t.Fatalf("%q: %v", s, err)
		}
	}
	var x formation.Digest
	if err := x.UnmarshalText([]byte("nope")); err == nil || !x.IsZero() {
		t.Fatal("bad text decoded")
	}
}
