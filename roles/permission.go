package roles

import (
	"strconv"

	"github.com/trustcircle/trustcircle/internal/cmderr"
	"github.com/trustcircle/trustcircle/token"
)

// This file answers, in one place, the permission questions other packages ask. Each
// question returns nil when the account may act, and otherwise an [*Error] naming the
// question (Op) and the account: wrapping [ErrNotPermitted], with a detail saying which role
// the action requires or which account alone may act, or wrapping [token.ErrInvalidAccount]
// for a malformed account. The questions only read the directory.

// Require reports whether the account holds the role needed for action (a phrase such as
// "enable the emergency halt", used in the error's detail). A role that is not one of the
// constants is an [*Error] wrapping [ErrUnknownRole].
func (d *Directory) Require(a token.Account, r Role, action string) error {
	return d.require("Require", a, r, action)
}

func (d *Directory) require(op string, a token.Account, r Role, action string) error {
	if err := cmderr.CheckAccount(op, a); err != nil {
		return err
	}
	if !r.Valid() {
		return notARole(op, a, uint8(r))
	}
	if !d.Has(a, r) {
		return &Error{Op: op, Account: a, Detail: "lacks the role " + r.String() + ", which is required to " + action, Err: ErrNotPermitted}
	}
	return nil
}

// refused is the error for op of an account holding the role required but not the one
// account allowed to act.
func refused(op string, a token.Account, action, why string) error {
	return &Error{Op: op, Account: a, Detail: "may not " + action + ": " + why, Err: ErrNotPermitted}
}

// MayEnableHalt reports whether the account may enable a circle's emergency halt (WeTrust's
// escape hatch): only a platform operator may.
func (d *Directory) MayEnableHalt(a token.Account) error {
	return d.require("MayEnableHalt", a, PlatformOperator, "enable the emergency halt")
}

// MayCollectPlatformFees reports whether the account may receive the platform's fees: only
// a platform operator may.
func (d *Directory) MayCollectPlatformFees(a token.Account) error {
	return d.require("MayCollectPlatformFees", a, PlatformOperator, "collect platform fees")
}

// MayActAsForeperson reports whether the account may act as the foreperson of a circle
// whose designated foreperson is circleForeperson (set a fee, retrieve the circle's fees, its
// surplus): it must hold the foreperson role and be that circle's foreperson.
func (d *Directory) MayActAsForeperson(a, circleForeperson token.Account) error {
	const op, action = "MayActAsForeperson", "act as the circle's foreperson"
	if err := d.require(op, a, Foreperson, action); err != nil {
		return err
	}
	if a != circleForeperson {
		return refused(op, a, action, "the circle's foreperson is "+strconv.Quote(string(circleForeperson)))
	}
	return nil
}

// MayOrganiseCircle reports whether the account may create a circle as its foreperson: it
// must hold the foreperson role.
func (d *Directory) MayOrganiseCircle(a token.Account) error {
	return d.require("MayOrganiseCircle", a, Foreperson, "organise a circle")
}

// MayJoinCircle reports whether the account may join a circle as a member: it must be a
// general user.
func (d *Directory) MayJoinCircle(a token.Account) error {
	return d.require("MayJoinCircle", a, GeneralUser, "join a circle")
}

// MayEarnReferrals reports whether the account may refer users and earn referral rewards:
// it must be a referral partner.
func (d *Directory) MayEarnReferrals(a token.Account) error {
	return d.require("MayEarnReferrals", a, ReferralPartner, "earn referral rewards")
}

// MayClaimBounty reports whether the account may be paid a sponsor bounty: it must be a
// sponsor.
func (d *Directory) MayClaimBounty(a token.Account) error {
	return d.require("MayClaimBounty", a, Sponsor, "claim a bounty")
}

// MayPayFromProgram reports whether the account may approve payouts from the reward program
// and post its bounties: it must be a platform operator and the program's administrator. A
// nil program, or one [NewProgram] did not create, has no administrator.
func (d *Directory) MayPayFromProgram(a token.Account, p *Program) error {
	return d.mayPay("MayPayFromProgram", a, p)
}

func (d *Directory) mayPay(op string, a token.Account, p *Program) error {
	const action = "pay from a reward program"
	if err := d.require(op, a, PlatformOperator, action); err != nil {
		return err
	}
	if p == nil || p.ledger == nil {
		return refused(op, a, action, "no program")
	}
	if a != p.cfg.Admin {
		return refused(op, a, action, "the administrator of program "+strconv.Quote(p.cfg.Name)+" is "+strconv.Quote(string(p.cfg.Admin)))
	}
	return nil
}
