package fees

import (
	"errors"
	"fmt"

	"github.com/trustcircle/trustcircle/token"
)

// Sentinel errors of the policy and split types; typed errors unwrap to them. The rate
// sentinels, [ErrInvalidRate] and [ErrAboveCap], live beside [Rate].
var (
	// ErrInvalidRule reports a policy rule that cannot match sensibly: negative member
	// bounds, a maximum below the minimum.
	ErrInvalidRule = errors.New("fees: invalid policy rule")
	// ErrInvalidCircle reports a circle description with an invalid asset or fewer than one
	// member.
	ErrInvalidCircle = errors.New("fees: invalid circle")
	// ErrInvalidShares reports a fee split with no shares, an invalid or repeated account, a
	// negative weight, weights that are all zero, or a remainder policy that names no part of
	// positive weight.
	ErrInvalidShares = errors.New("fees: invalid shares")
)

// RuleError reports a rejected [Rule] of a [Policy]. It unwraps to [ErrInvalidRule].
type RuleError struct {
	Index  int    // position of the rule in the policy
	Rule   Rule   // the rejected rule
	Reason string // what is wrong with it
}

// Error formats the RuleError, starting with its sentinel.
func (e *RuleError) Error() string {
	return fmt.Sprintf("%v %d (%q): %s", ErrInvalidRule, e.Index, e.Rule.Name, e.Reason)
}

// Unwrap returns [ErrInvalidRule].
func (e *RuleError) Unwrap() error { return ErrInvalidRule }

// CircleError reports a rejected [Circle] description. It unwraps to [ErrInvalidCircle].
type CircleError struct {
	Circle Circle // the rejected description
	Reason string // what is wrong with it
}

// Error formats the CircleError, starting with its sentinel.
func (e *CircleError) Error() string {
	return fmt.Sprintf("%v: %s with %d members: %s", ErrInvalidCircle, e.Circle.Asset, e.Circle.Members, e.Reason)
}

// Unwrap returns [ErrInvalidCircle].
func (e *CircleError) Unwrap() error { return ErrInvalidCircle }

// ShareError reports a rejected fee split. It unwraps to [ErrInvalidShares] and, when the
// token package rejected the split, to that error too (Cause).
type ShareError struct {
	Index   int           // the offending share, or -1 when the split as a whole is wrong
	Account token.Account // the offending share's account, if any
	Reason  string        // what is wrong
	Cause   error         // the underlying error from the token package, if any
}

// Error formats the ShareError, starting with its sentinel.
func (e *ShareError) Error() string {
	msg := fmt.Sprintf("%v: %s", ErrInvalidShares, e.Reason)
	if e.Index >= 0 {
		msg = fmt.Sprintf("%v: share %d (%s): %s", ErrInvalidShares, e.Index, e.Account, e.Reason)
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns [ErrInvalidShares] and the cause, if any.
func (e *ShareError) Unwrap() []error {
	if e.Cause != nil {
		return []error{ErrInvalidShares, e.Cause}
	}
	return []error{ErrInvalidShares}
}
