package token

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Sentinel errors. Every error the package returns matches one of them with [errors.Is];
// most are wrapped in a typed error that carries the facts ([AmountError], [BalanceError],
// [AllowanceError], [AccountError]).
var (
	// ErrInvalidAsset reports an asset with a bad symbol or number of decimals, or the zero Asset.
	ErrInvalidAsset = errors.New("token: invalid asset")
	// ErrAssetMismatch reports an amount or ledger of one asset used where another was expected.
	ErrAssetMismatch = errors.New("token: asset mismatch")
	// ErrInvalidAmount reports a string that is not a decimal number.
	ErrInvalidAmount = errors.New("token: invalid amount")
	// ErrNegativeAmount reports an amount below zero.
	ErrNegativeAmount = errors.New("token: negative amount")
	// ErrZeroAmount reports a zero amount where a positive one is required.
	ErrZeroAmount = errors.New("token: zero amount")
	// ErrSubUnitAmount reports an amount finer than the asset's minor unit.
	ErrSubUnitAmount = errors.New("token: amount finer than the minor unit")
	// ErrInvalidAccount reports an empty or malformed account.
	ErrInvalidAccount = errors.New("token: invalid account")
	// ErrInvalidSplit reports a split into no parts, no weights, a negative weight or
	// weights that are all zero, or a remainder index out of range.
	ErrInvalidSplit = errors.New("token: invalid split")
	// ErrInsufficientBalance reports a debit larger than the spendable balance.
	ErrInsufficientBalance = errors.New("token: insufficient balance")
	// ErrInsufficientAllowance reports a transferFrom or decrease larger than the allowance.
	ErrInsufficientAllowance = errors.New("token: insufficient allowance")
	// ErrAllowanceChanged reports a compare-and-approve whose expected allowance is not the
	// current one.
	ErrAllowanceChanged = errors.New("token: allowance changed")
	// ErrGenesis reports a genesis that does not sum to the supply or is otherwise invalid.
	ErrGenesis = errors.New("token: invalid genesis")
	// ErrSnapshot reports a snapshot that cannot be restored.
	ErrSnapshot = errors.New("token: invalid snapshot")
	// ErrAudit reports a broken ledger invariant found by [Ledger.Audit].
	ErrAudit = errors.New("token: audit failed")
	// ErrInvalidSchedule reports a vesting [Schedule] that fails [Schedule.Validate], or
	// whose asset is not the ledger's.
	ErrInvalidSchedule = errors.New("token: invalid vesting schedule")
	// ErrUnknownVesting reports a [VestingID] the ledger never issued.
	ErrUnknownVesting = errors.New("token: unknown vesting grant")
	// ErrNotRevocable reports a revocation of a grant made without the right to revoke it.
	ErrNotRevocable = errors.New("token: vesting grant not revocable")
	// ErrAlreadyRevoked reports a second revocation of a grant: revocation happens once.
	ErrAlreadyRevoked = errors.New("token: vesting grant already revoked")
	// ErrNothingToRelease reports a release when nothing has vested beyond what was released.
	ErrNothingToRelease = errors.New("token: nothing to release")
)

// VestingError reports an operation on a vesting grant that the grant does not allow. It
// unwraps to [ErrUnknownVesting], [ErrNotRevocable], [ErrAlreadyRevoked] or
// [ErrNothingToRelease].
type VestingError struct {
	ID  VestingID // the grant
	At  time.Time // the time given to the operation
	Err error     // the sentinel
}

// Error describes the grant and the time.
func (e *VestingError) Error() string {
	return fmt.Sprintf("%v: grant %d at %s", e.Err, uint64(e.ID), e.At.UTC().Format(time.RFC3339Nano))
}

// Unwrap returns the sentinel.
func (e *VestingError) Unwrap() error { return e.Err }

// AmountError reports an amount rejected for an asset. It unwraps to [ErrNegativeAmount],
// [ErrZeroAmount], [ErrSubUnitAmount], [ErrInvalidAmount], [ErrAssetMismatch] or
// [ErrInvalidAsset] (an amount checked against the zero Asset).
type AmountError struct {
	Asset  Asset           // the asset the amount was checked against
	Amount decimal.Decimal // the rejected amount (zero when Input did not parse)
	Input  string          // the text that was parsed, if any
	Err    error           // the sentinel
}

// Error describes the rejected amount.
func (e *AmountError) Error() string {
	if e.Input != "" {
		return fmt.Sprintf("%v: %q for %s", e.Err, e.Input, e.Asset)
	}
	return fmt.Sprintf("%v: %s for %s", e.Err, amountString(e.Amount), e.Asset)
}

// amountString prints an amount, in scientific notation when its exponent is outside
// ±[MaxExponent] (printing 1e-2000000000 in full would take gigabytes).
func amountString(d decimal.Decimal) string {
	if e := d.Exponent(); e > MaxExponent || e < -MaxExponent {
		return fmt.Sprintf("%se%d", d.Coefficient().String(), e)
	}
	return d.String()
}

// Unwrap returns the sentinel.
func (e *AmountError) Unwrap() error { return e.Err }

// AccountError reports an account that is not valid. It unwraps to [ErrInvalidAccount].
type AccountError struct {
	Account Account // the rejected account
	Reason  string  // what is wrong with it
}

// Error describes the rejected account.
func (e *AccountError) Error() string {
	return fmt.Sprintf("%v %q: %s", ErrInvalidAccount, string(e.Account), e.Reason)
}

// Unwrap returns [ErrInvalidAccount].
func (e *AccountError) Unwrap() error { return ErrInvalidAccount }

// BalanceError reports a debit that the account cannot cover. It unwraps to
// [ErrInsufficientBalance].
type BalanceError struct {
	Account   Account         // the account debited
	Amount    decimal.Decimal // the amount requested
	Available decimal.Decimal // what the account could spend
}

// Error describes the shortfall.
func (e *BalanceError) Error() string {
	return fmt.Sprintf("%v: %s has %s spendable, needs %s", ErrInsufficientBalance,
		e.Account, e.Available.String(), e.Amount.String())
}

// Unwrap returns [ErrInsufficientBalance].
func (e *BalanceError) Unwrap() error { return ErrInsufficientBalance }

// AllowanceError reports an allowance that does not permit an operation: too small for a
// transferFrom or a decrease ([ErrInsufficientAllowance]), or not the value a
// compare-and-approve expected ([ErrAllowanceChanged]). Current is the allowance now.
type AllowanceError struct {
	Owner, Spender Account
	Current        decimal.Decimal // the allowance as it stands
	Requested      decimal.Decimal // the amount asked for, or the expected allowance
	Err            error           // the sentinel
}

// Error describes the allowance and the request.
func (e *AllowanceError) Error() string {
	return fmt.Sprintf("%v: %s allows %s %s, requested %s", e.Err, e.Owner, e.Spender,
		e.Current.String(), e.Requested.String())
}

// Unwrap returns the sentinel.
func (e *AllowanceError) Unwrap() error { return e.Err }
