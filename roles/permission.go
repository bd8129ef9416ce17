package roles

import "github.com/trustcircle/trustcircle/token"

// This file answers, in one place, the permission questions other packages ask. Each
// question returns nil when the account may act, a [*PermissionError] (ErrNotPermitted, with
// the account, the action and the role required) when it may not, and a
// [*token.AccountError] for a malformed account.

// Require reports whether the account holds the role needed for action (a phrase such as
// "enable the emergency halt", used in the error).
func (d *Directory) Require(a token.Account, r Role, action string) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if !r.Valid() {
		return &RoleError{Role: r}
	}
	if !d.Has(a, r) {
		return &PermissionError{Account: a, Action: action, Required: r, Reason: "lacks the role"}
	}
	return nil
}

// MayEnableHalt reports whether the account may enable a circle's emergency halt (WeTrust's
// escape hatch): only a platform operator may.
func (d *Directory) MayEnableHalt(a token.Account) error {
	return d.Require(a, PlatformOperator, "enable the emergency halt")
}

// MayCollectPlatformFees reports whether the account may receive the platform's fees: only
// a platform operator may.
func (d *Directory) MayCollectPlatformFees(a token.Account) error {
	return d.Require(a, PlatformOperator, "collect platform fees")
}

// MayActAsForeperson reports whether the account may act as the foreperson of a circle
// whose designated foreperson is circleForeperson (set a fee, retrieve the circle's fees, its
// surplus): it must hold the foreperson role and be that circle's foreperson.
func (d *Directory) MayActAsForeperson(a, circleForeperson token.Account) error {
	const action = "act as the circle's foreperson"
	if err := d.Require(a, Foreperson, action); err != nil {
		return err
	}
	if a != circleForeperson {
		return &PermissionError{Account: a, Action: action, Required: Foreperson,
			Reason: "the circle's foreperson is " + string(circleForeperson)}
	}
	return nil
}

// MayOrganiseCircle reports whether the account may create a circle as its foreperson: it
// must hold the foreperson role.
func (d *Directory) MayOrganiseCircle(a token.Account) error {
	return d.Require(a, Foreperson, "organise a circle")
}

// MayJoinCircle reports whether the account may join a circle as a member: it must be a
// general user.
func (d *Directory) MayJoinCircle(a token.Account) error {
	return d.Require(a, GeneralUser, "join a circle")
}

// MayEarnReferrals reports whether the account may refer users and earn referral rewards:
// it must be a referral partner.
func (d *Directory) MayEarnReferrals(a token.Account) error {
	return d.Require(a, ReferralPartner, "earn referral rewards")
}

// MayClaimBounty reports whether the account may be paid a sponsor bounty: it must be a
// sponsor.
func (d *Directory) MayClaimBounty(a token.Account) error {
	return d.Require(a, Sponsor, "claim a bounty")
}

// MayPayFromProgram reports whether the account may approve payouts from the reward program
// and post its bounties: it must be the program's administrator and a platform operator.
func (d *Directory) MayPayFromProgram(a token.Account, p *Program) error {
	const action = "pay from a reward program"
	if err := d.Require(a, PlatformOperator, action); err != nil {
		return err
	}
	if p == nil {
		return &PermissionError{Account: a, Action: action, Required: PlatformOperator, Reason: "no program"}
	}
	if a != p.cfg.Admin {
		return &PermissionError{Account: a, Action: action, Required: PlatformOperator,
			Reason: "the administrator of program " + p.cfg.Name + " is " + string(p.cfg.Admin)}
	}
	return nil
}
