package roles_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/roles"
)

// TestZeroValues calls every exported method of the zero value of every exported type, by
// pointer and by value, and fails on any panic.
func TestZeroValues(t *testing.T) {
	for _, v := range []any{
		&roles.Directory{}, &roles.Program{}, &roles.Decoder{},
		new(roles.Role), roles.Role(0), new(roles.Set), roles.Set(0),
		&roles.Event{}, roles.Event{}, new(roles.EventKind),
		&roles.ProgramEvent{}, roles.ProgramEvent{}, new(roles.ProgramEventKind),
		&roles.Reward{}, roles.Reward{}, &roles.ProgramConfig{}, roles.ProgramConfig{},
		&roles.Payout{}, new(roles.PayoutKind), &roles.ReferralClaim{}, &roles.Bounty{}, new(roles.CircleEvent),
		&roles.Error{},
	} {
		zerotest.CallMethods(t, v)
	}
}

// TestZeroProgram: the zero Program refuses every command and its audit with
// ErrUninitialized, and its other queries report an empty program.
func TestZeroProgram(t *testing.T) {
	var p roles.Program
	_, err1 := p.PayReferral(at(0), "op", roles.ReferralClaim{ID: "c", Partner: "ref", User: "usr", Event: roles.Joined})
	_, err2 := p.AcceptBounty(at(0), "op", "b", "spo")
	for name, err := range map[string]error{
		"Refer":        p.Refer(at(0), "ref", "usr"),
		"PayReferral":  err1,
		"PostBounty":   p.PostBounty(at(0), "op", roles.Bounty{ID: "b", Reward: trst("1")}),
		"AcceptBounty": err2,
		"Audit":        p.Audit(),
	} {
		e, ok := errors.AsType[*roles.Error](err)
		if !errors.Is(err, roles.ErrUninitialized) || !ok || e.Op != name {
			t.Errorf("%s: %v", name, err)
		}
	}
	if p.LastSeq() != 0 || len(p.Payouts()) != 0 || len(p.Events()) != 0 || len(p.Bounties()) != 0 ||
		len(slices.Collect(p.EventsAfter(0))) != 0 || !p.Paid().IsZero() || !p.Remaining().IsZero() {
		t.Errorf("zero program is not empty")
	}
	if _, ok := p.Referrer("usr"); ok {
		t.Errorf("zero program has a referrer")
	}
	// A program needs NewProgram, whatever the directory says.
	d := roles.NewDirectory()
	_ = d.Grant(at(0), "op", roles.PlatformOperator)
	if err := d.MayPayFromProgram("op", &p); !errors.Is(err, roles.ErrNotPermitted) {
		t.Errorf("zero program: %v", err)
	}
	if _, err := roles.NewProgram(roles.ProgramConfig{}, nil, nil); !errors.Is(err, roles.ErrInvalidProgram) {
		t.Errorf("zero config: %v", err)
	}
}
