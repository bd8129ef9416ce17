package formation_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/formation"
	"github.com/trustcircle/trustcircle/token"
)

// acceptAll accepts the terms in force for every member, at at(h).
func acceptAll(t tb, p *formation.Proposal, h int) {
	t.Helper()
	for _, s := range p.Seats() {
		if s.Answer == formation.Invited {
			must(t, p.Accept(at(h), acc(p, s.Member), nil))
		}
	}
}

func TestStartOnlyWhenEverySeatAccepted(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	must(t, p.Accept(at(1), acc(p, "alice"), nil))
	must(t, p.Accept(at(1), acc(p, "bob"), nil))
	e := rejects(t, p, func() error { _, err := p.Start(at(2)); return err }, formation.ErrNotReady)
	if !strings.Contains(e.Detail, "carol (invited)") {
		t.Fatalf("detail %q", e.Detail)
	}
	if _, err := p.Circle(); !errors.Is(err, formation.ErrNotReady) {
		t.Fatalf("Circle before the start: %v", err)
	}
	must(t, p.Accept(at(2), acc(p, "carol"), nil))
	if !p.Ready() {
		t.Fatal("not ready")
	}
	c, err := p.Start(at(3))
	must(t, err)
	if p.State() != formation.Started || c.Config().Start != march1 || len(c.Config().Members) != 3 {
		t.Fatalf("state %v config %+v", p.State(), c.Config())
	}
	if got := p.Events()[p.LastSeq()-1]; got.Kind != formation.EventStarted || got.Terms != p.Digest() {
		t.Fatalf("event %+v", got)
	}
	again, err := p.Circle()
	must(t, err)
	if d1, _ := formation.DigestOf(again.Config()); d1 != p.Digest() {
		t.Fatal("Circle's config is not the accepted one")
	}
	rejects(t, p, func() error { _, err := p.Start(at(4)); return err }, formation.ErrClosed)
	rejects(t, p, func() error { return p.Decline(at(4), "bob") }, formation.ErrClosed)
	rejects(t, p, func() error { return p.Abandon(p.Terms().Deadline) }, formation.ErrClosed)
	replayed(t, p)
}

func TestDecline(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	must(t, p.Accept(at(1), acc(p, "bob"), nil))
	must(t, p.Decline(at(2), "bob")) // an accepted member may back out before the start
	s, _ := p.Seat("bob")
	if s.Answer != formation.Declined || s.Evidence.Member != "" || p.Accepted() != 0 {
		t.Fatalf("seat %+v", s)
	}
	rejects(t, p, func() error { return p.Decline(at(3), "bob") }, formation.ErrDeclined)
	rejects(t, p, func() error { return p.Decline(at(3), "alice") }, formation.ErrOrganiserSeat)
	rejects(t, p, func() error { return p.Decline(at(3), "zed") }, formation.ErrNotInvited)
	rejects(t, p, func() error { return p.Decline(at(3), "") }, token.ErrInvalidAccount)
	rejects(t, p, func() error { _, err := p.Start(at(3)); return err }, formation.ErrNotReady)
	replayed(t, p)
}

// TestReinviteLapsesEveryAcceptance: replacing a decliner changes the terms, so the
// acceptances given for the old digest lapse and must be given again for the new one.
func TestReinviteLapsesEveryAcceptance(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	old := p.Digest()
	must(t, p.Accept(at(1), acc(p, "alice"), nil))
	must(t, p.Accept(at(1), acc(p, "bob"), nil))
	must(t, p.Decline(at(2), "carol"))
	must(t, p.Reinvite(at(3), "alice", "carol", "dave"))
	if p.Digest() == old || p.Accepted() != 0 {
		t.Fatalf("digest unchanged or %d acceptances kept", p.Accepted())
	}
	want, _ := formation.DigestOf(config("alice", "bob", "dave"))
	if p.Digest() != want {
		t.Fatal("the new digest is not that of the new members")
	}
	if _, ok := p.Seat("carol"); ok {
		t.Fatal("carol still holds a seat")
	}
	for _, s := range p.Seats() {
		if s.Answer != formation.Invited {
			t.Fatalf("seat %+v", s)
		}
	}
	e := p.Events()[p.LastSeq()-1]
	if e.Kind != formation.EventReinvited || e.Account != "dave" || e.Replaced != "carol" || e.Seat != 2 || e.Terms != want {
		t.Fatalf("event %+v", e)
	}
	// An acceptance of the old terms is refused; of the new ones it counts.
	stale := formation.Acceptance{Member: "bob", Terms: old}
	rejects(t, p, func() error { return p.Accept(at(4), stale, nil) }, formation.ErrTermsMismatch)
	acceptAll(t, p, 4)
	c, err := p.Start(at(5))
	must(t, err)
	if got := c.Config().Members; got[2] != "dave" {
		t.Fatalf("members %v", got)
	}
	replayed(t, p)
}

func TestReinviteRefusals(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	must(t, p.Accept(at(1), acc(p, "bob"), nil))
	for name, c := range map[string]struct {
		by, replaced, member token.Account
		want                 error
	}{
		"not organiser":    {"bob", "carol", "dave", formation.ErrNotOrganiser},
		"invalid by":       {"", "carol", "dave", token.ErrInvalidAccount},
		"not invited":      {"alice", "zed", "dave", formation.ErrNotInvited},
		"organiser seat":   {"alice", "alice", "dave", formation.ErrOrganiserSeat},
		"accepted seat":    {"alice", "bob", "dave", formation.ErrAlreadyAccepted},
		"already invited":  {"alice", "carol", "bob", formation.ErrAlreadyInvited},
		"invalid invitee":  {"alice", "carol", "", token.ErrInvalidAccount},
		"replaced invalid": {"alice", "", "dave", token.ErrInvalidAccount},
	} {
		t.Run(name, func(t *testing.T) {
			rejects(t, p, func() error { return p.Reinvite(at(2), c.by, c.replaced, c.member) }, c.want)
		})
	}
	// A member that has not answered may be replaced too.
	must(t, p.Reinvite(at(2), "alice", "carol", "dave"))
	replayed(t, p)
}

func TestWithdraw(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	must(t, p.Accept(at(1), acc(p, "bob"), nil))
	rejects(t, p, func() error { return p.Withdraw(at(2), "bob") }, formation.ErrNotOrganiser)
	must(t, p.Withdraw(at(2), "alice"))
	if p.State() != formation.Withdrawn {
		t.Fatalf("state %v", p.State())
	}
	rejects(t, p, func() error { return p.Accept(at(3), acc(p, "carol"), nil) }, formation.ErrClosed)
	rejects(t, p, func() error { return p.Withdraw(at(3), "alice") }, formation.ErrClosed)
	if _, err := p.Circle(); !errors.Is(err, formation.ErrNotReady) {
		t.Fatalf("Circle of a withdrawn proposal: %v", err)
	}
	replayed(t, p)
}

func TestAbandonAtTheDeadline(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	acceptAll(t, p, 1) // ready, but nobody started it in time
	deadline := p.Terms().Deadline
	must(t, p.Abandon(deadline))
	if p.State() != formation.Abandoned {
		t.Fatalf("state %v", p.State())
	}
	rejects(t, p, func() error { return p.Abandon(deadline) }, formation.ErrClosed)
	replayed(t, p)
}

func TestQueriesReturnCopies(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	p.Seats()[0].Member = "x"
	p.Terms().Config.Members[0] = "x"
	p.Events()[0].Config.Members[0] = "x"
	for e := range p.EventsAfter(0) {
		e.Config.Members[1] = "x"
	}
	if p.Seats()[0].Member != "alice" || p.Terms().Config.Members[0] != "alice" ||
		p.Events()[0].Config.Members[0] != "alice" || p.Events()[0].Config.Members[1] != "bob" {
		t.Fatal("a query shares the proposal's memory")
	}
	if n := len(p.Events()); n != 1 || len(collect(p.EventsAfter(1))) != 0 || len(collect(p.EventsAfter(99))) != 0 {
		t.Fatalf("events %d", n)
	}
}
