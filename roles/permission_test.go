package roles_test

import (
	"errors"
	"testing"

	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/token"
)

func TestPermissions(t *testing.T) {
	f := newFixture(t, "100", "50")
	_ = f.d.Grant(at(0), "fp", roles.Foreperson, roles.GeneralUser)
	_ = f.d.Grant(at(0), "fp2", roles.Foreperson)
	type q struct {
		name   string
		err    error
		op     string // "" when allowed
		detail string
	}
	lacks := func(role, action string) string { return "lacks the role " + role + ", which is required to " + action }
	for _, c := range []q{
		{"halt by operator", f.d.MayEnableHalt("op"), "", ""},
		{"halt by foreperson", f.d.MayEnableHalt("fp"), "MayEnableHalt", lacks("operator", "enable the emergency halt")},
		{"platform fees by operator", f.d.MayCollectPlatformFees("op"), "", ""},
		{"platform fees by user", f.d.MayCollectPlatformFees("usr"), "MayCollectPlatformFees", lacks("operator", "collect platform fees")},
		{"foreperson of own circle", f.d.MayActAsForeperson("fp", "fp"), "", ""},
		{"foreperson of another circle", f.d.MayActAsForeperson("fp2", "fp"), "MayActAsForeperson", `may not act as the circle's foreperson: the circle's foreperson is "fp"`},
		{"designated but not a foreperson", f.d.MayActAsForeperson("usr", "usr"), "MayActAsForeperson", lacks("foreperson", "act as the circle's foreperson")},
		{"organise", f.d.MayOrganiseCircle("fp2"), "", ""},
		{"organise by user", f.d.MayOrganiseCircle("usr"), "MayOrganiseCircle", lacks("foreperson", "organise a circle")},
		{"join", f.d.MayJoinCircle("usr"), "", ""},
		{"join by non-user", f.d.MayJoinCircle("fp2"), "MayJoinCircle", lacks("user", "join a circle")},
		{"referrals", f.d.MayEarnReferrals("ref"), "", ""},
		{"referrals by sponsor", f.d.MayEarnReferrals("spo"), "MayEarnReferrals", lacks("referral-partner", "earn referral rewards")},
		{"bounty", f.d.MayClaimBounty("spo"), "", ""},
		{"bounty by partner", f.d.MayClaimBounty("ref"), "MayClaimBounty", lacks("sponsor", "claim a bounty")},
		{"pay by admin", f.d.MayPayFromProgram("op", f.p), "", ""},
		{"pay by sponsor", f.d.MayPayFromProgram("spo", f.p), "MayPayFromProgram", lacks("operator", "pay from a reward program")},
		{"pay without program", f.d.MayPayFromProgram("op", nil), "MayPayFromProgram", "may not pay from a reward program: no program"},
		{"pay from the zero program", f.d.MayPayFromProgram("op", &roles.Program{}), "MayPayFromProgram", "may not pay from a reward program: no program"},
		{"stranger", f.d.Require("nobody", roles.GeneralUser, "browse"), "Require", lacks("user", "browse")},
	} {
		if c.op == "" {
			if c.err != nil {
				t.Errorf("%s: %v", c.name, c.err)
			}
			continue
		}
		var e *roles.Error
		if !errors.Is(c.err, roles.ErrNotPermitted) || !errors.As(c.err, &e) || e.Op != c.op || e.Detail != c.detail || e.Account == "" {
			t.Errorf("%s: %v (%+v)", c.name, c.err, e)
		}
	}
	_ = f.d.Grant(at(1), "op2", roles.PlatformOperator)
	err := f.d.MayPayFromProgram("op2", f.p)
	var e *roles.Error
	if !errors.As(err, &e) || e.Account != "op2" || e.Detail != `may not pay from a reward program: the administrator of program "growth" is "op"` {
		t.Errorf("other operator: %v", err)
	}
	if want := `roles: not permitted: may not pay from a reward program: the administrator of program "growth" is "op" (op MayPayFromProgram, account op2)`; err.Error() != want {
		t.Errorf("message %q", err)
	}
	if err := f.d.MayEnableHalt(""); !errors.Is(err, token.ErrInvalidAccount) {
		t.Errorf("malformed account: %v", err)
	}
	if err := f.d.Require("op", roles.Role(6), "x"); !errors.Is(err, roles.ErrUnknownRole) {
		t.Errorf("unknown role: %v", err)
	}
}
