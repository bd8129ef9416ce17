package fees

import (
	"errors"
	"fmt"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// The reasons the package's errors wrap, for the decisions a caller branches on with
// [errors.Is]. Each has a stable code and a class; the table in the package documentation
// lists them. An invalid ratio is the token package's [token.ErrInvalidRatio], a bad amount
// one of its amount reasons.
var (
	// ErrAboveCap reports a rate above the cap that applies to it.
	ErrAboveCap = fault.NewReason("fees.above_cap", fault.Invalid, "fees: rate above cap")
	// ErrInvalidRule reports a policy rule that cannot match sensibly: negative member
	// bounds, a maximum below the minimum.
	ErrInvalidRule = fault.NewReason("fees.invalid_rule", fault.Invalid, "fees: invalid policy rule")
	// ErrInvalidPolicy reports a policy encoding that cannot be decoded: an unknown format
	// version, an unknown field, a malformed value.
	ErrInvalidPolicy = fault.NewReason("fees.invalid_policy", fault.Invalid, "fees: invalid policy")
	// ErrInvalidCircle reports a circle description with an invalid asset or fewer than one
	// member.
	ErrInvalidCircle = fault.NewReason("fees.invalid_circle", fault.Invalid, "fees: invalid circle")
	// ErrInvalidShares reports a fee split with no shares, an invalid or repeated account,
	// weights that are all zero, or a remainder policy that names no part of positive weight.
	ErrInvalidShares = fault.NewReason("fees.invalid_shares", fault.Invalid, "fees: invalid shares")
)

// Error is the package's command error, [token.Error]: the operation, the facts that broke
// (account, amount, limit), a detail in words, and the reason it wraps. Every error the
// package returns is an *Error.
type Error = token.Error

// withOp returns err with its operation renamed to op when it is an [*Error] (a copy; the
// original is not modified), and err unchanged otherwise.
func withOp(op string, err error) error {
	if e, ok := errors.AsType[*Error](err); ok && e == err {
		c := *e
		c.Op = op
		return &c
	}
	return err
}

// because joins a reason of this package with the error that caused it, so that
// [errors.Is] matches both and [fault.CodeOf] reads the reason's code first. When the cause
// is an [*Error], its reason is joined and its detail returned, so that the facts are not
// printed twice.
func because(reason *fault.Reason, cause error) (detail string, err error) {
	if cause == nil {
		return "", reason
	}
	if e, ok := cause.(*Error); ok && e.Err != nil {
		return e.Detail, fmt.Errorf("%w: %w", reason, e.Err)
	}
	return "", fmt.Errorf("%w: %w", reason, cause)
}
