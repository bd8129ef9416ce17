package roles

import (
	"strconv"
	"unicode/utf8"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// The reasons the package's errors wrap, for the decisions a caller branches on with
// [errors.Is]. Each has a stable code and a class; the table in the package documentation
// lists them. A malformed account is the token package's [token.ErrInvalidAccount], a time
// outside the years 1 to 9999 its [token.ErrInvalidTime], a bad amount one of its amount
// reasons.
var (
	// ErrUnknownRole reports a role name or bit that is not one of the five roles.
	ErrUnknownRole = fault.NewReason("roles.unknown_role", fault.Invalid, "roles: unknown role")
	// ErrNotPermitted reports an account that lacks the role an action requires, or that is
	// not the one account (the circle's foreperson, the program's administrator) allowed.
	ErrNotPermitted = fault.NewReason("roles.not_permitted", fault.Forbidden, "roles: not permitted")
	// ErrInvalidProgram reports a reward program configuration that cannot be used.
	ErrInvalidProgram = fault.NewReason("roles.invalid_program", fault.Invalid, "roles: invalid program")
	// ErrUninitialized reports a command on a Program that [NewProgram] did not create, such
	// as the zero Program.
	ErrUninitialized = fault.NewReason("roles.uninitialized", fault.Invalid, "roles: program not created by NewProgram")
	// ErrInvalidClaim reports a claim that is malformed: an empty or non-UTF-8 id, a claimant
	// that is the pool itself, an unknown circle event, a partner referring itself.
	ErrInvalidClaim = fault.NewReason("roles.invalid_claim", fault.Invalid, "roles: invalid claim")
	// ErrDuplicateClaim reports a claim id that was already paid: each claim pays once.
	ErrDuplicateClaim = fault.NewReason("roles.duplicate_claim", fault.Conflict, "roles: claim already paid")
	// ErrNotReferred reports a referral claim for a user the partner is not on record as
	// having referred.
	ErrNotReferred = fault.NewReason("roles.not_referred", fault.NotFound, "roles: user not referred by this partner")
	// ErrAlreadyReferred reports a user who already has a referring partner.
	ErrAlreadyReferred = fault.NewReason("roles.already_referred", fault.Conflict, "roles: user already referred")
	// ErrNoReward reports a claim whose reward comes to zero.
	ErrNoReward = fault.NewReason("roles.no_reward", fault.Invalid, "roles: no reward")
	// ErrUnknownBounty reports a bounty id that was never posted.
	ErrUnknownBounty = fault.NewReason("roles.unknown_bounty", fault.NotFound, "roles: unknown bounty")
	// ErrDuplicateBounty reports a bounty id that was already posted.
	ErrDuplicateBounty = fault.NewReason("roles.duplicate_bounty", fault.Conflict, "roles: bounty already posted")
	// ErrOverBudget reports a payout that would take a program past its budget.
	ErrOverBudget = fault.NewReason("roles.over_budget", fault.Conflict, "roles: program budget exceeded")
	// ErrPoolExhausted reports a payout larger than the program's pool account can spend.
	ErrPoolExhausted = fault.NewReason("roles.pool_exhausted", fault.Conflict, "roles: pool balance too low")
	// ErrInvalidLog reports an event, or an event log, that [Replay] or the event decoders
	// cannot accept.
	ErrInvalidLog = fault.NewReason("roles.invalid_log", fault.Internal, "roles: invalid event log")
	// ErrAudit reports a broken invariant found by [Directory.Audit] or [Program.Audit].
	ErrAudit = fault.NewReason("roles.audit", fault.Internal, "roles: audit failed")
)

// Error is the package's command error, [token.Error]: the operation, the facts that broke
// (account, amount, limit, time), a detail in words, and the reason it wraps. Every error the
// package returns is an *Error.
type Error = token.Error

// withOp returns err with its operation renamed to op when it is an [*Error] (a copy; the
// original is not modified), and err unchanged otherwise.
func withOp(op string, err error) error {
	if e, ok := err.(*Error); ok {
		c := *e
		c.Op = op
		return &c
	}
	return err
}

// checkText returns nil for valid UTF-8, and otherwise an [*Error] for op wrapping reason.
func checkText(op, what, s string, reason *fault.Reason) error {
	if utf8.ValidString(s) {
		return nil
	}
	return &Error{Op: op, Detail: what + " " + strconv.QuoteToASCII(s) + " is not valid UTF-8", Err: reason}
}
