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
		name     string
		err      error
		required roles.Role // 0: allowed
		reason   string
	}
	for _, c := range []q{
		{"halt by operator", f.d.MayEnableHalt("op"), 0, ""},
		{"halt by foreperson", f.d.MayEnableHalt("fp"), roles.PlatformOperator, "lacks the role"},
		{"platform fees by operator", f.d.MayCollectPlatformFees("op"), 0, ""},
		{"platform fees by user", f.d.MayCollectPlatformFees("usr"), roles.PlatformOperator, "lacks the role"},
		{"foreperson of own circle", f.d.MayActAsForeperson("fp", "fp"), 0, ""},
		{"foreperson of another circle", f.d.MayActAsForeperson("fp2", "fp"), roles.Foreperson, "the circle's foreperson is fp"},
		{"designated but not a foreperson", f.d.MayActAsForeperson("usr", "usr"), roles.Foreperson, "lacks the role"},
		{"organise", f.d.MayOrganiseCircle("fp2"), 0, ""},
		{"organise by user", f.d.MayOrganiseCircle("usr"), roles.Foreperson, "lacks the role"},
		{"join", f.d.MayJoinCircle("usr"), 0, ""},
		{"join by non-user", f.d.MayJoinCircle("fp2"), roles.GeneralUser, "lacks the role"},
		{"referrals", f.d.MayEarnReferrals("ref"), 0, ""},
		{"referrals by sponsor", f.d.MayEarnReferrals("spo"), roles.ReferralPartner, "lacks the role"},
		{"bounty", f.d.MayClaimBounty("spo"), 0, ""},
		{"bounty by partner", f.d.MayClaimBounty("ref"), roles.Sponsor, "lacks the role"},
		{"pay by admin", f.d.MayPayFromProgram("op", f.p), 0, ""},
		{"pay by sponsor", f.d.MayPayFromProgram("spo", f.p), roles.PlatformOperator, "lacks the role"},
		{"pay without program", f.d.MayPayFromProgram("op", nil), roles.PlatformOperator, "no program"},
		{"stranger", f.d.Require("nobody", roles.GeneralUser, "browse"), roles.GeneralUser, "lacks the role"},
	} {
		if c.required == 0 {
			if c.err != nil {
				t.Errorf("%s: %v", c.name, c.err)
			}
			continue
		}
		var pe *roles.PermissionError
		if !errors.Is(c.err, roles.ErrNotPermitted) || !errors.As(c.err, &pe) || pe.Required != c.required || pe.Reason != c.reason || pe.Action == "" {
			t.Errorf("%s: %v (%+v)", c.name, c.err, pe)
		}
	}
	_ = f.d.Grant(at(1), "op2", roles.PlatformOperator)
	err := f.d.MayPayFromProgram("op2", f.p)
	var pe *roles.PermissionError
	if !errors.As(err, &pe) || pe.Account != "op2" || pe.Reason != "the administrator of program growth is op" {
		t.Errorf("other operator: %v", err)
	}
	if want := "roles: not permitted: op2 may not pay from a reward program: the administrator of program growth is op (requires operator)"; err.Error() != want {
		t.Errorf("message %q", err)
	}
	if err := f.d.MayEnableHalt(""); !errors.Is(err, token.ErrInvalidAccount) {
		t.Errorf("malformed account: %v", err)
	}
	if err := f.d.Require("op", roles.Role(6), "x"); !errors.Is(err, roles.ErrUnknownRole) {
		t.Errorf("unknown role: %v", err)
	}
}
