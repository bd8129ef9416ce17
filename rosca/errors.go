package rosca

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Sentinel errors. Every error the package returns matches one of them with [errors.Is];
// most come wrapped in a typed error that carries the facts.
var (
	// ErrInvalidConfig reports a config that does not describe a circle ([*ConfigError]).
	ErrInvalidConfig = errors.New("rosca: invalid config")
	// ErrInvalidAmount reports an amount that is zero, negative or finer than the minor
	// unit ([*AmountError], which also matches the token sentinel).
	ErrInvalidAmount = errors.New("rosca: invalid amount")
	// ErrNotMember reports an account that is not a member ([*AccessError]).
	ErrNotMember = errors.New("rosca: not a member")
	// ErrNotForeperson reports a foreperson-only command by someone else ([*AccessError]).
	ErrNotForeperson = errors.New("rosca: not the foreperson")
	// ErrNotOperator reports an operator-only command by someone else ([*AccessError]).
	ErrNotOperator = errors.New("rosca: not the operator")
	// ErrEnded reports a command that needs a running circle after its last round closed
	// ([*StateError]).
	ErrEnded = errors.New("rosca: circle has ended")
	// ErrNotEnded reports an end-of-circle command before the last round closed
	// ([*StateError]).
	ErrNotEnded = errors.New("rosca: circle has not ended")
	// ErrHalted reports a command after the emergency halt was activated ([*StateError]).
	ErrHalted = errors.New("rosca: circle is halted")
	// ErrHaltNotEnabled reports an activation before the operator enabled the halt.
	ErrHaltNotEnabled = errors.New("rosca: emergency halt not enabled")
	// ErrHaltEnabled reports a second enabling of the halt.
	ErrHaltEnabled = errors.New("rosca: emergency halt already enabled")
	// ErrNotBidding reports a bid in a lottery or fixed-order circle ([*StateError]).
	ErrNotBidding = errors.New("rosca: circle does not take bids")
	// ErrAlreadyWon reports a bid by a member who has won in this epoch ([*BidError]).
	ErrAlreadyWon = errors.New("rosca: member already won in this epoch")
	// ErrNotInGoodStanding reports a bid by a member whose credit plus discount share is
	// below the dues so far ([*BidError]).
	ErrNotInGoodStanding = errors.New("rosca: member not in good standing")
	// ErrBidTooLow reports a bid below the minimum ([*BidError]).
	ErrBidTooLow = errors.New("rosca: bid below the minimum")
	// ErrBidTooHigh reports a bid above the largest acceptable one: above the pot for the
	// first bid, above the next-bid cap after that ([*BidError]). The reference contract
	// silently ignored such bids; here they are rejected and change nothing.
	ErrBidTooHigh = errors.New("rosca: bid not low enough")
	// ErrTooEarly reports a round close before the round's deadline ([*TimeError]).
	ErrTooEarly = errors.New("rosca: round deadline not reached")
	// ErrTimeBackwards reports a command timed before the previous event, or outside the
	// years 1900 to 2250 ([*TimeError]).
	ErrTimeBackwards = errors.New("rosca: time out of order")
	// ErrNothingToWithdraw reports a withdrawal with no positive balance ([*WithdrawError]).
	ErrNothingToWithdraw = errors.New("rosca: nothing to withdraw")
	// ErrInDebt reports a withdrawal by a member carrying a debt before the end ([*WithdrawError]).
	ErrInDebt = errors.New("rosca: member carries a debt")
	// ErrNoCash reports a withdrawal when no free cash is held at all ([*WithdrawError]);
	// a withdrawal larger than the free cash is paid in part instead.
	ErrNoCash = errors.New("rosca: no free cash")
	// ErrNothingToPay reports a fee retrieval or remainder disposal with nothing to pay.
	ErrNothingToPay = errors.New("rosca: nothing to pay")
	// ErrReplay reports an event log that does not replay ([*ReplayError]).
	ErrReplay = errors.New("rosca: invalid event log")
	// ErrAudit reports a broken accounting identity (a bug; see [Circle.Audit]).
	ErrAudit = errors.New("rosca: audit failed")
)

// ConfigError reports an invalid [Config] field. It unwraps to [ErrInvalidConfig] and to the
// underlying cause, if any (such as [token.ErrInvalidAccount]).
type ConfigError struct {
	Field  string // the field, such as "Members[2]"
	Reason string
	Cause  error
}

func cfgErr(field, reason string, cause error) *ConfigError {
	return &ConfigError{Field: field, Reason: reason, Cause: cause}
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrInvalidConfig, e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidConfig] and the cause.
func (e *ConfigError) Unwrap() []error {
	if e.Cause == nil {
		return []error{ErrInvalidConfig}
	}
	return []error{ErrInvalidConfig, e.Cause}
}

// AmountError reports an amount rejected by a command. It unwraps to [ErrInvalidAmount] and
// to the token error ([token.ErrZeroAmount], [token.ErrNegativeAmount], [token.ErrSubUnitAmount]).
type AmountError struct {
	Op     string
	Member token.Account
	Amount decimal.Decimal
	Cause  error
}

func (e *AmountError) Error() string {
	return fmt.Sprintf("%v: %s by %s: %v", ErrInvalidAmount, e.Op, e.Member, e.Cause)
}

// Unwrap returns [ErrInvalidAmount] and the cause.
func (e *AmountError) Unwrap() []error { return []error{ErrInvalidAmount, e.Cause} }

// AccessError reports an account not allowed to run a command. It unwraps to
// [ErrNotMember], [ErrNotForeperson] or [ErrNotOperator].
type AccessError struct {
	Op      string
	Account token.Account
	Err     error
}

func (e *AccessError) Error() string { return fmt.Sprintf("%v: %s by %q", e.Err, e.Op, e.Account) }

// Unwrap returns the sentinel.
func (e *AccessError) Unwrap() error { return e.Err }

// StateError reports a command that the circle's state does not allow. Round is the open
// round (or the last one after the end). It unwraps to the sentinel.
type StateError struct {
	Op    string
	Round int
	Err   error
}

func (e *StateError) Error() string { return fmt.Sprintf("%v: %s in round %d", e.Err, e.Op, e.Round) }

// Unwrap returns the sentinel.
func (e *StateError) Unwrap() error { return e.Err }

// BidError reports a rejected bid. Limit is the bound that was broken: the minimum for
// [ErrBidTooLow], the largest acceptable bid for [ErrBidTooHigh], the dues so far for
// [ErrNotInGoodStanding] (Credit is then the member's credit plus discount share).
type BidError struct {
	Member token.Account
	Round  int
	Bid    decimal.Decimal
	Limit  decimal.Decimal
	Credit decimal.Decimal
	Err    error
}

func (e *BidError) Error() string {
	switch e.Err {
	case ErrNotInGoodStanding:
		return fmt.Sprintf("%v: %s has %s, owes %s in round %d", e.Err, e.Member, e.Credit, e.Limit, e.Round)
	case ErrAlreadyWon:
		return fmt.Sprintf("%v: %s in round %d", e.Err, e.Member, e.Round)
	}
	return fmt.Sprintf("%v: %s bid %s, limit %s in round %d", e.Err, e.Member, e.Bid, e.Limit, e.Round)
}

// Unwrap returns the sentinel.
func (e *BidError) Unwrap() error { return e.Err }

// TimeError reports a command at a time it cannot run: At is the time given, Earliest the
// first acceptable time. It unwraps to [ErrTooEarly] or [ErrTimeBackwards].
type TimeError struct {
	Op       string
	At       time.Time
	Earliest time.Time
	Err      error
}

func (e *TimeError) Error() string {
	return fmt.Sprintf("%v: %s at %s, earliest %s", e.Err, e.Op, e.At.UTC().Format(time.RFC3339Nano), e.Earliest.UTC().Format(time.RFC3339Nano))
}

// Unwrap returns the sentinel.
func (e *TimeError) Unwrap() error { return e.Err }

// WithdrawError reports a rejected withdrawal (or fee/remainder payment): Entitled is what
// the member could claim, Available the free cash. It unwraps to [ErrNothingToWithdraw],
// [ErrInDebt], [ErrNoCash] or [ErrNothingToPay].
type WithdrawError struct {
	Member    token.Account
	Entitled  decimal.Decimal
	Available decimal.Decimal
	Err       error
}

func (e *WithdrawError) Error() string {
	return fmt.Sprintf("%v: %s entitled to %s, %s available", e.Err, e.Member, e.Entitled, e.Available)
}

// Unwrap returns the sentinel.
func (e *WithdrawError) Unwrap() error { return e.Err }

// ReplayError reports the event at Index that could not be replayed. It unwraps to
// [ErrReplay] and to the cause.
type ReplayError struct {
	Index int
	Cause error
}

func (e *ReplayError) Error() string {
	return fmt.Sprintf("%v: event %d: %v", ErrReplay, e.Index, e.Cause)
}

// Unwrap returns [ErrReplay] and the cause.
func (e *ReplayError) Unwrap() []error {
	if e.Cause == nil {
		return []error{ErrReplay}
	}
	return []error{ErrReplay, e.Cause}
}
