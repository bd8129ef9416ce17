package formation

import (
	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// The reasons the package's errors wrap, for the decisions a caller branches on with
// [errors.Is]. Each has a stable code and a class; the table in the package documentation
// lists them. A malformed account is the token package's [token.ErrInvalidAccount] and a
// time outside the years 1 to 9999 its [token.ErrInvalidTime].
var (
	// ErrUninitialized reports a command on a Proposal that [Propose] or [Replay] did not
	// make, such as the zero Proposal.
	ErrUninitialized = fault.NewReason("formation.uninitialized", fault.Invalid, "formation: proposal not made by Propose")
	// ErrInvalidTerms reports terms that cannot be proposed: a config that
	// rosca.Config.Validate refuses (the error also matches rosca's reason), an admission
	// rule out of range, or a deadline not after the proposal or later than the circle's
	// start allows.
	ErrInvalidTerms = fault.NewReason("formation.invalid_terms", fault.Invalid, "formation: invalid terms")
	// ErrNotOrganiser reports a command only the organiser (the config's foreperson) may
	// give, given by another account.
	ErrNotOrganiser = fault.NewReason("formation.not_organiser", fault.Forbidden, "formation: only the organiser may do this")
	// ErrNotInvited reports an account that holds no seat of the proposal.
	ErrNotInvited = fault.NewReason("formation.not_invited", fault.NotFound, "formation: account not invited")
	// ErrAlreadyInvited reports a re-invitation of an account that already holds a seat.
	ErrAlreadyInvited = fault.NewReason("formation.already_invited", fault.Conflict, "formation: account already invited")
	// ErrTermsMismatch reports an acceptance naming a digest other than that of the terms in
	// force: the member saw other terms (older ones, before a re-invitation changed them).
	ErrTermsMismatch = fault.NewReason("formation.terms_mismatch", fault.Conflict, "formation: acceptance of other terms")
	// ErrAlreadyAccepted reports an acceptance by a seat that has accepted the terms in
	// force, or a re-invitation of such a seat.
	ErrAlreadyAccepted = fault.NewReason("formation.already_accepted", fault.Conflict, "formation: seat already accepted")
	// ErrDeclined reports an acceptance or a decline by a member that has declined: only
	// the organiser's re-invitation of its seat moves on.
	ErrDeclined = fault.NewReason("formation.declined", fault.Conflict, "formation: member declined")
	// ErrOrganiserSeat reports a decline by the organiser, or a re-invitation of its seat:
	// the organiser withdraws the proposal instead.
	ErrOrganiserSeat = fault.NewReason("formation.organiser_seat", fault.Conflict, "formation: the organiser's seat cannot be declined or replaced")
	// ErrInvalidEvidence reports admission evidence that is malformed: a score outside 0 to
	// 1000, an invalid guarantor, a member guaranteeing itself, a pledge without a guarantor
	// or one that is not a positive amount of the circle's asset, a collateral that is not
	// an amount of it.
	ErrInvalidEvidence = fault.NewReason("formation.invalid_evidence", fault.Invalid, "formation: invalid admission evidence")
	// ErrNotAdmitted reports a member, or an organiser, that the admission rule refuses: a
	// reputation below the minimum, a role not held, no guarantor where one is required, a
	// collateral below the one required. The error also matches the reason of the package
	// that answered (reputation.ErrBelowMinimum, roles.ErrNotPermitted).
	ErrNotAdmitted = fault.NewReason("formation.not_admitted", fault.Forbidden, "formation: admission refused")
	// ErrClosed reports a command on a proposal that has started, been withdrawn or been
	// abandoned.
	ErrClosed = fault.NewReason("formation.closed", fault.Conflict, "formation: proposal closed")
	// ErrNotReady reports a start while a seat has not accepted the terms in force.
	ErrNotReady = fault.NewReason("formation.not_ready", fault.Conflict, "formation: not every seat has accepted")
	// ErrPastDeadline reports a command other than Abandon at or after the deadline.
	ErrPastDeadline = fault.NewReason("formation.past_deadline", fault.Conflict, "formation: deadline passed")
	// ErrBeforeDeadline reports an abandonment before the deadline.
	ErrBeforeDeadline = fault.NewReason("formation.before_deadline", fault.Conflict, "formation: deadline not reached")
	// ErrTimeBackwards reports a command timed before the proposal's last event.
	ErrTimeBackwards = fault.NewReason("formation.time_backwards", fault.Conflict, "formation: time before the last event")
	// ErrInvalidLog reports an event, or an event log, that does not decode or does not
	// replay.
	ErrInvalidLog = fault.NewReason("formation.invalid_log", fault.Internal, "formation: invalid event log")
)

// Error is the package's command error, [token.Error]: the operation (Op), the account
// concerned, the amount and limit of a collateral refused, the time given (At), a Detail for
// people and the reason it wraps (Err). Every error the package returns is an *Error; match
// its reason with [errors.Is].
type Error = token.Error
