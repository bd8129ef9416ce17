package formation_test

import (
	"errors"
	"testing"

	"github.com/trustcircle/trustcircle/formation"
	"github.com/trustcircle/trustcircle/internal/zerotest"
)

// TestZeroValues calls every exported method of the zero value of every exported type, by
// pointer and by value, and fails on any panic.
func TestZeroValues(t *testing.T) {
	for _, v := range []any{
		&formation.Proposal{}, &formation.Decoder{}, &formation.Event{}, formation.Event{}, new(formation.EventKind),
		&formation.Terms{}, formation.Terms{}, &formation.Admission{}, formation.Admission{},
		&formation.Acceptance{}, formation.Acceptance{}, &formation.Seat{}, formation.Seat{},
		new(formation.Digest), formation.Digest{}, new(formation.State), new(formation.Answer), &formation.Error{},
	} {
		zerotest.CallMethods(t, v)
	}
}

// TestZeroProposal: the zero Proposal refuses every command with ErrUninitialized, naming
// the command, and its queries report nothing.
func TestZeroProposal(t *testing.T) {
	var p formation.Proposal
	_, errStart := p.Start(at(1))
	_, errCircle := p.Circle()
	for name, err := range map[string]error{
		"Accept":   p.Accept(at(1), formation.Acceptance{Member: "bob"}, nil),
		"Decline":  p.Decline(at(1), "bob"),
		"Reinvite": p.Reinvite(at(1), "alice", "bob", "dave"),
		"Withdraw": p.Withdraw(at(1), "alice"),
		"Start":    errStart,
		"Abandon":  p.Abandon(at(1)),
		"Circle":   errCircle,
	} {
		e, ok := errors.AsType[*formation.Error](err)
		if !errors.Is(err, formation.ErrUninitialized) || !ok || e.Op != name {
			t.Errorf("%s: %v", name, err)
		}
	}
	if p.LastSeq() != 0 || len(p.Seats()) != 0 || len(p.Events()) != 0 || p.State() != "" || p.Ready() ||
		p.Accepted() != 0 || !p.Digest().IsZero() || p.Organiser() != "" {
		t.Error("the zero proposal is not empty")
	}
	var nilp *formation.Proposal
	if err := nilp.Decline(at(1), "bob"); !errors.Is(err, formation.ErrUninitialized) {
		t.Errorf("nil proposal: %v", err)
	}
}
