package formation_test

import (
	"errors"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/formation"
	"github.com/trustcircle/trustcircle/reputation"
	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/token"
)

func TestAcceptRecordsTheEvidence(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	a := formation.Acceptance{Member: "bob", Terms: p.Digest(), Reputation: 612, Guarantor: "gus",
		Pledge: usd.MustParse("50"), Collateral: usd.MustParse("0")}
	must(t, p.Accept(at(1), a, nil))
	s, ok := p.Seat("bob")
	a.Collateral = token.Amount{} // a zero collateral is none
	if !ok || s.Answer != formation.Accepted || !s.At.Equal(at(1)) || s.Evidence.Reputation != 612 ||
		s.Evidence.Guarantor != "gus" || !s.Evidence.Pledge.Equal(a.Pledge) || s.Evidence.Collateral.IsValid() {
		t.Fatalf("seat %+v", s)
	}
	if p.Accepted() != 1 || p.Ready() {
		t.Fatal("counts")
	}
	e := p.Events()[1]
	if e.Kind != formation.EventAccepted || e.Seat != 1 || e.Account != "bob" || e.Terms != p.Digest() || e.Reputation != 612 {
		t.Fatalf("event %+v", e)
	}
	replayed(t, p)
}

func TestAcceptRefusals(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	must(t, p.Accept(at(1), acc(p, "bob"), nil))
	must(t, p.Decline(at(2), "carol"))
	other := acc(p, "alice")
	other.Terms[0] ^= 1
	for name, c := range map[string]struct {
		a    formation.Acceptance
		want []error
	}{
		"not invited":      {acc(p, "zed"), []error{formation.ErrNotInvited}},
		"invalid account":  {acc(p, ""), []error{token.ErrInvalidAccount}},
		"already accepted": {acc(p, "bob"), []error{formation.ErrAlreadyAccepted}},
		"declined":         {acc(p, "carol"), []error{formation.ErrDeclined}},
		"other terms":      {other, []error{formation.ErrTermsMismatch}},
		"zero digest":      {formation.Acceptance{Member: "alice"}, []error{formation.ErrTermsMismatch}},
	} {
		t.Run(name, func(t *testing.T) {
			rejects(t, p, func() error { return p.Accept(at(3), c.a, nil) }, c.want...)
		})
	}
}

func TestAcceptRefusesMalformedEvidence(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	for name, c := range map[string]struct {
		edit  func(*formation.Acceptance)
		extra error
	}{
		"score above 1000":    {func(a *formation.Acceptance) { a.Reputation = 1001 }, reputation.ErrInvalidScore},
		"negative score":      {func(a *formation.Acceptance) { a.Reputation = -1 }, reputation.ErrInvalidScore},
		"pledge alone":        {func(a *formation.Acceptance) { a.Pledge = usd.MustParse("5") }, nil},
		"self guarantee":      {func(a *formation.Acceptance) { a.Guarantor, a.Pledge = "bob", usd.MustParse("5") }, nil},
		"invalid guarantor":   {func(a *formation.Acceptance) { a.Guarantor, a.Pledge = "a b", usd.MustParse("5") }, token.ErrInvalidAccount},
		"no pledge":           {func(a *formation.Acceptance) { a.Guarantor = "gus" }, token.ErrInvalidAsset},
		"zero pledge":         {func(a *formation.Acceptance) { a.Guarantor, a.Pledge = "gus", usd.MustParse("0") }, token.ErrZeroAmount},
		"pledge in euros":     {func(a *formation.Acceptance) { a.Guarantor, a.Pledge = "gus", eur.MustParse("5") }, token.ErrAssetMismatch},
		"collateral euros":    {func(a *formation.Acceptance) { a.Collateral = eur.MustParse("5") }, token.ErrAssetMismatch},
		"negative collateral": {func(a *formation.Acceptance) { a.Collateral = usd.MustParse("-5") }, token.ErrNegativeAmount},
	} {
		t.Run(name, func(t *testing.T) {
			a := acc(p, "bob")
			c.edit(&a)
			err := rejects(t, p, func() error { return p.Accept(at(1), a, nil) }, formation.ErrInvalidEvidence)
			if c.extra != nil && !errors.Is(err, c.extra) {
				t.Fatalf("got %v, want it to match %v", err, c.extra)
			}
			if fault.CodeOf(err) != "formation.invalid_evidence" || err.Account != "bob" || !err.At.Equal(at(1)) {
				t.Fatalf("got %#v", err)
			}
		})
	}
}

func TestAdmissionMinimumReputation(t *testing.T) {
	p := propose(t, formation.Admission{MinReputation: 500}, nil)
	a := acc(p, "bob")
	a.Reputation = 499
	err := rejects(t, p, func() error { return p.Accept(at(1), a, nil) }, formation.ErrNotAdmitted, reputation.ErrBelowMinimum)
	if fault.ClassOf(err) != fault.Forbidden || fault.CodeOf(err) != "formation.not_admitted" {
		t.Fatalf("class %v code %v", fault.ClassOf(err), fault.CodeOf(err))
	}
	a.Reputation = 500
	must(t, p.Accept(at(1), a, nil))
	replayed(t, p)
}

func TestAdmissionRequiresRoleWiresMayJoinCircle(t *testing.T) {
	dir := directory(t, "alice", "bob")
	p := propose(t, formation.Admission{RequireRole: true}, dir)
	rejects(t, p, func() error { return p.Accept(at(1), acc(p, "carol"), dir) }, formation.ErrNotAdmitted, roles.ErrNotPermitted)
	rejects(t, p, func() error { return p.Accept(at(1), acc(p, "bob"), nil) }, formation.ErrNotAdmitted)
	must(t, p.Accept(at(1), acc(p, "bob"), dir))
	if s, _ := p.Seat("bob"); s.Roles != roles.SetOf(roles.GeneralUser) {
		t.Fatalf("recorded roles %v", s.Roles)
	}
	// The role is asked when the member accepts: carol is granted it, and a later
	// revocation of bob's does not undo his acceptance.
	must(t, dir.Grant(at(2), "carol", roles.GeneralUser))
	must(t, dir.Revoke(at(2), "bob", roles.GeneralUser))
	must(t, p.Accept(at(3), acc(p, "carol"), dir))
	must(t, p.Accept(at(3), acc(p, "alice"), dir))
	if _, err := p.Start(at(4)); err != nil {
		t.Fatal(err)
	}
	replayed(t, p)
}

func TestAdmissionRequiresGuarantor(t *testing.T) {
	p := propose(t, formation.Admission{RequireGuarantor: true}, nil)
	rejects(t, p, func() error { return p.Accept(at(1), acc(p, "bob"), nil) }, formation.ErrNotAdmitted)
	a := acc(p, "bob")
	a.Guarantor, a.Pledge = "carol", usd.MustParse("30") // a fellow member may vouch
	must(t, p.Accept(at(1), a, nil))
	replayed(t, p)
}

func TestAdmissionRequiresCollateral(t *testing.T) {
	p := propose(t, formation.Admission{Collateral: usd.MustParse("10")}, nil)
	a := acc(p, "bob")
	rejects(t, p, func() error { return p.Accept(at(1), a, nil) }, formation.ErrNotAdmitted)
	a.Collateral = usd.MustParse("9.99")
	err := rejects(t, p, func() error { return p.Accept(at(1), a, nil) }, formation.ErrNotAdmitted)
	if !err.Amount.Equal(a.Collateral) || !err.Limit.Equal(usd.MustParse("10")) {
		t.Fatalf("amount %v limit %v", err.Amount, err.Limit)
	}
	a.Collateral = usd.MustParse("10")
	must(t, p.Accept(at(1), a, nil))
	if s, _ := p.Seat("bob"); !s.Evidence.Collateral.Equal(usd.MustParse("10")) {
		t.Fatalf("collateral %v", s.Evidence.Collateral)
	}
	replayed(t, p)
}

func TestZeroCollateralRuleAsksForNone(t *testing.T) {
	p := propose(t, formation.Admission{Collateral: usd.MustParse("0")}, nil)
	if p.Terms().Admission.Collateral.IsValid() {
		t.Fatal("a zero collateral rule is not none")
	}
	must(t, p.Accept(at(1), acc(p, "bob"), nil))
}

func TestCommandTimes(t *testing.T) {
	p := propose(t, formation.Admission{}, nil)
	must(t, p.Accept(at(5), acc(p, "bob"), nil))
	rejects(t, p, func() error { return p.Accept(at(4), acc(p, "carol"), nil) }, formation.ErrTimeBackwards)
	rejects(t, p, func() error { return p.Decline(feb1.Add(-time.Hour), "carol") }, formation.ErrTimeBackwards)
	deadline := p.Terms().Deadline
	rejects(t, p, func() error { return p.Accept(deadline, acc(p, "carol"), nil) }, formation.ErrPastDeadline)
	rejects(t, p, func() error { return p.Decline(deadline.Add(time.Hour), "carol") }, formation.ErrPastDeadline)
	rejects(t, p, func() error { return p.Reinvite(deadline, "alice", "carol", "dave") }, formation.ErrPastDeadline)
	rejects(t, p, func() error { return p.Withdraw(deadline, "alice") }, formation.ErrPastDeadline)
	rejects(t, p, func() error { _, err := p.Start(deadline); return err }, formation.ErrPastDeadline)
	rejects(t, p, func() error { return p.Abandon(deadline.Add(-1)) }, formation.ErrBeforeDeadline)
	rejects(t, p, func() error { return p.Accept(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), acc(p, "carol"), nil) }, token.ErrInvalidTime)
	// The same instant in another zone is the same time, kept in UTC.
	must(t, p.Accept(at(5).In(time.FixedZone("x", -7200)), acc(p, "carol"), nil))
	if s, _ := p.Seat("carol"); s.At.Location() != time.UTC {
		t.Fatalf("time %v", s.At)
	}
}
