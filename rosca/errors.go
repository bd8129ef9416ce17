package rosca

import (
	"errors"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// Error is the package's command error, [token.Error]: the operation (Op), the account, the
// amount given, the bound it broke (Limit), the round, the time given (At), a Detail for
// people and the reason (Err). Match the reason with [errors.Is] against the ErrX values
// below, read its code and class with [fault.CodeOf] and [fault.ClassOf], and the facts
// with [errors.As].
type Error = token.Error

// The reasons: every error the package returns is an [*Error] wrapping one of them (the
// package documentation lists their codes and classes). A few errors wrap a reason of
// package token instead ([token.ErrInvalidTime] for a time outside the years 1900 to
// 2250) or as well (an invalid amount also matches the token reason that says why).
var (
	// ErrUninitialized reports a method called on a zero [Circle] or [Decoder]: build a
	// circle with [New] or [Replay] and a decoder with [NewDecoder].
	ErrUninitialized = fault.NewReason("rosca.uninitialized", fault.Invalid, "rosca: not initialized")
	// ErrInvalidConfig reports a config that does not describe a circle; Detail names the
	// field ("Members[2]: m0 is listed twice"). It also matches the token reason of a bad
	// asset, account or amount.
	ErrInvalidConfig = fault.NewReason("rosca.invalid_config", fault.Invalid, "rosca: invalid config")
	// ErrInvalidAmount reports an amount that is not positive, of another asset, or that
	// would take the circle's cash to [MaxCashDigits] digits. It also matches the token
	// reason that says why ([token.ErrZeroAmount], [token.ErrNegativeAmount],
	// [token.ErrAssetMismatch], [token.ErrInvalidAsset], [token.ErrAmountTooLarge]).
	ErrInvalidAmount = fault.NewReason("rosca.invalid_amount", fault.Invalid, "rosca: invalid amount")
	// ErrNotMember reports an account that is not a member.
	ErrNotMember = fault.NewReason("rosca.not_member", fault.NotFound, "rosca: not a member")
	// ErrNotForeperson reports a foreperson-only command by someone else.
	ErrNotForeperson = fault.NewReason("rosca.not_foreperson", fault.Forbidden, "rosca: not the foreperson")
	// ErrNotOperator reports an operator-only command by someone else.
	ErrNotOperator = fault.NewReason("rosca.not_operator", fault.Forbidden, "rosca: not the operator")
	// ErrEnded reports a command that needs a running circle after its last round closed.
	ErrEnded = fault.NewReason("rosca.ended", fault.Conflict, "rosca: circle has ended")
	// ErrNotEnded reports an end-of-circle command before the last round closed.
	ErrNotEnded = fault.NewReason("rosca.not_ended", fault.Conflict, "rosca: circle has not ended")
	// ErrHalted reports a command after the emergency halt was activated.
	ErrHalted = fault.NewReason("rosca.halted", fault.Conflict, "rosca: circle is halted")
	// ErrHaltNotEnabled reports an activation before the operator enabled the halt.
	ErrHaltNotEnabled = fault.NewReason("rosca.halt_not_enabled", fault.Conflict, "rosca: emergency halt not enabled")
	// ErrHaltEnabled reports a second enabling of the halt.
	ErrHaltEnabled = fault.NewReason("rosca.halt_enabled", fault.Conflict, "rosca: emergency halt already enabled")
	// ErrNotBidding reports a bid in a lottery or fixed-order circle.
	ErrNotBidding = fault.NewReason("rosca.not_bidding", fault.Invalid, "rosca: circle does not take bids")
	// ErrAlreadyWon reports a bid by a member who has won in this epoch.
	ErrAlreadyWon = fault.NewReason("rosca.already_won", fault.Conflict, "rosca: member already won in this epoch")
	// ErrNotInGoodStanding reports a bid by a member whose credit plus discount share is
	// below the dues so far and its late fees (Limit), who is removed, or who holds less
	// collateral than the rules ask.
	ErrNotInGoodStanding = fault.NewReason("rosca.not_in_good_standing", fault.Conflict, "rosca: member not in good standing")
	// ErrBidTooLow reports a bid below the minimum (Limit).
	ErrBidTooLow = fault.NewReason("rosca.bid_too_low", fault.Invalid, "rosca: bid below the minimum")
	// ErrBidTooHigh reports a bid above the largest acceptable one (Limit): above the pot
	// for the first bid, above the next-bid cap after that. The reference contract
	// silently ignored such bids; here they are rejected and change nothing.
	ErrBidTooHigh = fault.NewReason("rosca.bid_too_high", fault.Conflict, "rosca: bid not low enough")
	// ErrTooEarly reports a round close before the round's deadline.
	ErrTooEarly = fault.NewReason("rosca.too_early", fault.Conflict, "rosca: round deadline not reached")
	// ErrTimeBackwards reports a command timed before the circle's last event.
	ErrTimeBackwards = fault.NewReason("rosca.time_backwards", fault.Conflict, "rosca: time out of order")
	// ErrNothingToWithdraw reports a withdrawal by a member whose balance is not positive
	// (Amount is the balance).
	ErrNothingToWithdraw = fault.NewReason("rosca.nothing_to_withdraw", fault.Conflict, "rosca: nothing to withdraw")
	// ErrInDebt reports a withdrawal, before the end, by a member who holds a pot it won
	// in debt.
	ErrInDebt = fault.NewReason("rosca.in_debt", fault.Conflict, "rosca: member carries a debt")
	// ErrNoCash reports a withdrawal when no free cash is held at all (Amount is what the
	// member is owed); a withdrawal larger than the free cash is paid in part instead.
	ErrNoCash = fault.NewReason("rosca.no_cash", fault.Conflict, "rosca: no free cash")
	// ErrNothingToPay reports a fee retrieval or remainder disposal with nothing to pay.
	ErrNothingToPay = fault.NewReason("rosca.nothing_to_pay", fault.Conflict, "rosca: nothing to pay")
	// ErrSealedBids: an open bid in a circle whose bids are sealed, or a sealed one in a
	// circle whose bids are open.
	ErrSealedBids = fault.NewReason("rosca.sealed_bids", fault.Invalid, "rosca: wrong kind of bid for the circle")
	// ErrBadReveal: a reveal without a seal, or whose bid and salt do not match it.
	ErrBadReveal = fault.NewReason("rosca.bad_reveal", fault.Conflict, "rosca: reveal does not match a seal")
	// ErrTooLate: a seal at or after the round's deadline, when the reveals have begun.
	ErrTooLate = fault.NewReason("rosca.too_late", fault.Conflict, "rosca: the round's bids are closed")
	// ErrNotPrized: a prized member's query about a member that has not won in the epoch.
	ErrNotPrized = fault.NewReason("rosca.not_prized", fault.Conflict, "rosca: member has not won in this epoch")
	// ErrNotInDefault: a deterrent for a member that is not in default (it owes nothing,
	// or the circle runs and its dues were neither accelerated nor was it removed), or not
	// in the arrears a removal needs.
	ErrNotInDefault = fault.NewReason("rosca.not_in_default", fault.Conflict, "rosca: member not in default")
	// ErrDeterrentOff: a deterrent the circle's rules do not provide (Rules.Deterrents), or
	// a membership change the foreperson's seat does not take.
	ErrDeterrentOff = fault.NewReason("rosca.deterrent_off", fault.Forbidden, "rosca: not provided by the circle's rules")
	// ErrNoCollateral: a member that holds no collateral.
	ErrNoCollateral = fault.NewReason("rosca.no_collateral", fault.Conflict, "rosca: no collateral held")
	// ErrUnknownGuarantor: a guarantor's payment without its pledge, or a pledge by the
	// member itself or by an invalid account.
	ErrUnknownGuarantor = fault.NewReason("rosca.unknown_guarantor", fault.NotFound, "rosca: unknown guarantor")
	// ErrPledgeExceeded: a guarantor's payment beyond what its pledge has left.
	ErrPledgeExceeded = fault.NewReason("rosca.pledge_exceeded", fault.Conflict, "rosca: beyond the guarantor's pledge")
	// ErrNoBounty: a recovery from a member on whose debt no bounty is posted.
	ErrNoBounty = fault.NewReason("rosca.no_bounty", fault.Conflict, "rosca: no bounty posted")
	// ErrDuplicate: a pledge, bounty, removal or acceleration that exists already.
	ErrDuplicate = fault.NewReason("rosca.duplicate", fault.Conflict, "rosca: already done")
	// ErrInNotice: the substitution of a removed member that may still be reinstated.
	ErrInNotice = fault.NewReason("rosca.in_notice", fault.Conflict, "rosca: removal notice not over")
	// ErrAlreadyMember: an incoming member that has a seat or a role in the circle.
	ErrAlreadyMember = fault.NewReason("rosca.already_member", fault.Conflict, "rosca: already in the circle")
	// ErrInsufficientSecurity: an incoming member that posts less collateral than its
	// seat asks (for a prized seat, the security for its future dues).
	ErrInsufficientSecurity = fault.NewReason("rosca.insufficient_security", fault.Conflict, "rosca: collateral below what the seat asks")
	// ErrReplay reports an event log (or snapshot) that does not decode or does not
	// replay: an event that is malformed, out of sequence, or not what the circle
	// produces. It also matches the reason of the command that failed, if one did.
	ErrReplay = fault.NewReason("rosca.replay", fault.Internal, "rosca: invalid event log")
	// ErrAudit reports a broken accounting identity (a bug; see [Circle.Audit]).
	ErrAudit = fault.NewReason("rosca.audit", fault.Internal, "rosca: audit failed")
)

// because is a reason with its cause: the error reads as the reason, and [errors.Is]
// matches both the reason and anything in the cause's chain.
type because struct {
	reason *fault.Reason
	cause  error
}

func (e *because) Error() string   { return e.reason.Error() }
func (e *because) Unwrap() []error { return []error{e.reason, e.cause} }

// wrapReason returns reason, or reason caused by cause when cause is not nil.
func wrapReason(reason *fault.Reason, cause error) error {
	if cause == nil {
		return reason
	}
	return &because{reason: reason, cause: cause}
}

// causeText describes err for a Detail: its reason's text and its own detail ("asset
// mismatch: not ETH").
func causeText(err error) string {
	s := err.Error()
	if r, ok := errors.AsType[*fault.Reason](err); ok {
		s = r.Text()
	}
	if te, ok := errors.AsType[*token.Error](err); ok && te.Detail != "" {
		s += ": " + te.Detail
	}
	return s
}

// formatTime is the text of a time in errors and events: UTC, RFC 3339 with nanoseconds.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// uninitialized is the error of every command of a zero Circle.
func uninitialized(op string) error { return &Error{Op: op, Err: ErrUninitialized} }
