package roles

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Sentinel errors. Every error the package returns matches one of them, or one of the token
// package's ([token.ErrInvalidAccount] for a malformed account, the amount errors for a bad
// amount), with [errors.Is]; most are wrapped in a typed error that carries the facts.
var (
	// ErrUnknownRole reports a role name or bit that is not one of the five roles.
	ErrUnknownRole = errors.New("roles: unknown role")
	// ErrNotPermitted reports an account that lacks the role an action requires.
	ErrNotPermitted = errors.New("roles: not permitted")
	// ErrInvalidProgram reports a reward program configuration that cannot be used.
	ErrInvalidProgram = errors.New("roles: invalid program")
	// ErrInvalidClaim reports a claim that is malformed: an empty id, a claimant that is the
	// pool itself, an unknown circle event, a bad base amount.
	ErrInvalidClaim = errors.New("roles: invalid claim")
	// ErrDuplicateClaim reports a claim id that was already paid: each claim pays once.
	ErrDuplicateClaim = errors.New("roles: claim already paid")
	// ErrNotReferred reports a referral claim for a user the partner did not refer.
	ErrNotReferred = errors.New("roles: user not referred by this partner")
	// ErrAlreadyReferred reports a user who already has a referring partner.
	ErrAlreadyReferred = errors.New("roles: user already referred")
	// ErrNoReward reports a claim whose reward comes to zero.
	ErrNoReward = errors.New("roles: no reward")
	// ErrUnknownBounty reports a bounty id that was never posted.
	ErrUnknownBounty = errors.New("roles: unknown bounty")
	// ErrDuplicateBounty reports a bounty id that was already posted.
	ErrDuplicateBounty = errors.New("roles: bounty already posted")
	// ErrOverBudget reports a payout that would take a program past its budget.
	ErrOverBudget = errors.New("roles: program budget exceeded")
	// ErrPoolExhausted reports a payout larger than the program's pool account holds.
	ErrPoolExhausted = errors.New("roles: pool balance too low")
	// ErrInvalidLog reports an event log that [Replay] cannot rebuild a directory from.
	ErrInvalidLog = errors.New("roles: invalid event log")
)

// RoleError reports an unknown role: a name that does not parse (Name) or a value with
// unknown bits (Role). It unwraps to [ErrUnknownRole].
type RoleError struct {
	Name string // the name that did not parse, if any
	Role Role   // the invalid role value, if any
}

// Error formats the RoleError, starting with its sentinel.
func (e *RoleError) Error() string {
	if e.Name != "" || e.Role == 0 {
		return fmt.Sprintf("%v %q", ErrUnknownRole, e.Name)
	}
	return fmt.Sprintf("%v %#x", ErrUnknownRole, uint8(e.Role))
}

// Unwrap returns [ErrUnknownRole].
func (e *RoleError) Unwrap() error { return ErrUnknownRole }

// PermissionError reports an action refused to an account. It unwraps to [ErrNotPermitted].
type PermissionError struct {
	Account  token.Account // who asked
	Action   string        // what it asked to do, such as "enable the emergency halt"
	Required Role          // the role the action requires
	Reason   string        // why it was refused, such as "lacks the role"
}

// Error formats the PermissionError, starting with its sentinel.
func (e *PermissionError) Error() string {
	return fmt.Sprintf("%v: %s may not %s: %s (requires %s)", ErrNotPermitted, e.Account, e.Action, e.Reason, e.Required)
}

// Unwrap returns [ErrNotPermitted].
func (e *PermissionError) Unwrap() error { return ErrNotPermitted }

// ClaimError reports a rejected claim, referral or bounty. It unwraps to the sentinel in Err.
type ClaimError struct {
	Program string        // the program's name
	ID      string        // the claim or bounty id
	Account token.Account // the claimant, partner or user concerned
	Reason  string        // details, if any
	Err     error         // the sentinel
}

// Error formats the ClaimError, starting with its sentinel.
func (e *ClaimError) Error() string {
	msg := fmt.Sprintf("%v: program %q, %q for %s", e.Err, e.Program, e.ID, e.Account)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns the sentinel.
func (e *ClaimError) Unwrap() error { return e.Err }

// FundsError reports a payout the program cannot make: more than its remaining budget
// ([ErrOverBudget]) or more than its pool account holds ([ErrPoolExhausted]).
type FundsError struct {
	Program   string          // the program's name
	ID        string          // the claim id
	Amount    decimal.Decimal // the payout asked for
	Available decimal.Decimal // the remaining budget or the pool's balance
	Err       error           // the sentinel
}

// Error formats the FundsError, starting with its sentinel.
func (e *FundsError) Error() string {
	return fmt.Sprintf("%v: program %q, claim %q needs %s, %s available", e.Err, e.Program, e.ID, e.Amount.String(), e.Available.String())
}

// Unwrap returns the sentinel.
func (e *FundsError) Unwrap() error { return e.Err }

// ProgramError reports a rejected program configuration. It unwraps to [ErrInvalidProgram]
// and to the cause, if any.
type ProgramError struct {
	Name   string // the program's name
	Reason string // what is wrong
	Cause  error  // the underlying error, if any
}

// Error formats the ProgramError, starting with its sentinel.
func (e *ProgramError) Error() string {
	msg := fmt.Sprintf("%v %q: %s", ErrInvalidProgram, e.Name, e.Reason)
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns [ErrInvalidProgram] and the cause, if any.
func (e *ProgramError) Unwrap() []error {
	if e.Cause != nil {
		return []error{ErrInvalidProgram, e.Cause}
	}
	return []error{ErrInvalidProgram}
}
