package crowdsale

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Sentinel errors of the package, for errors.Is. The typed errors below carry the facts and
// unwrap to them.
var (
	// ErrInvalidConfig reports a Config that fails validation.
	ErrInvalidConfig = errors.New("crowdsale: invalid config")
	// ErrInvalidContribution reports a malformed contribution (empty id, invalid participant).
	ErrInvalidContribution = errors.New("crowdsale: invalid contribution")
	// ErrUnknownAsset reports a contribution in a currency the sale does not accept.
	ErrUnknownAsset = errors.New("crowdsale: asset not accepted")
	// ErrInvalidAmount reports an amount that is zero, negative, finer than the asset's
	// minor unit or too large.
	ErrInvalidAmount = errors.New("crowdsale: invalid amount")
	// ErrUnknownSource reports a quote or closing rate from a source the config does not know.
	ErrUnknownSource = errors.New("crowdsale: unknown quote source")
	// ErrInvalidQuote reports a quote that is zero, negative, too fine or too large, or quotes
	// given for the reference currency.
	ErrInvalidQuote = errors.New("crowdsale: invalid quote")
	// ErrQuorum reports fewer quotes than the config's quorum.
	ErrQuorum = errors.New("crowdsale: quote quorum not met")
	// ErrNotStarted reports a contribution before the window opens.
	ErrNotStarted = errors.New("crowdsale: sale not started")
	// ErrEnded reports a command that needs an open sale after the sale ended.
	ErrEnded = errors.New("crowdsale: sale ended")
	// ErrIDConflict reports a contribution id seen before with different content.
	ErrIDConflict = errors.New("crowdsale: contribution id reused with different content")
	// ErrTimeOrder reports a command dated before the sale's clock (the latest time it saw).
	ErrTimeOrder = errors.New("crowdsale: time before the sale's clock")
	// ErrState reports a command not allowed in the sale's current state (finalize before
	// the end, distribute before finalizing, shift after the start...).
	ErrState = errors.New("crowdsale: command not allowed in this state")
	// ErrClosingRate reports an invalid or conflicting daily closing rate.
	ErrClosingRate = errors.New("crowdsale: invalid closing rate")
	// ErrLedger reports a ledger that cannot receive the distribution (wrong asset, the sale
	// account does not hold the pool).
	ErrLedger = errors.New("crowdsale: ledger cannot distribute the pool")
	// ErrReplay reports an event log that does not replay to itself.
	ErrReplay = errors.New("crowdsale: invalid event log")
	// ErrAudit reports a broken identity found by Sale.Audit.
	ErrAudit = errors.New("crowdsale: audit failed")
)

// ConfigError reports the config field that failed validation.
type ConfigError struct {
	Field  string // the offending field, e.g. "Tiers[2].From"
	Reason string // what is wrong with it
}

// Error describes the ConfigError.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrInvalidConfig, e.Field, e.Reason)
}

// Unwrap returns ErrInvalidConfig.
func (e *ConfigError) Unwrap() error { return ErrInvalidConfig }

// ContributionError reports a rejected contribution with the facts. Err is one of the
// package sentinels (ErrInvalidContribution, ErrUnknownAsset, ErrInvalidAmount,
// ErrUnknownSource, ErrInvalidQuote, ErrIDConflict); Cause is the underlying error if any
// (for example a *token.AmountError).
type ContributionError struct {
	ID     string          // the contribution id
	Asset  token.Asset     // the asset, when relevant
	Amount decimal.Decimal // the amount, when relevant
	Source string          // the quote source, when relevant
	Detail string          // what is wrong
	Err    error           // the sentinel
	Cause  error           // the underlying error, or nil
}

// Error describes the ContributionError.
func (e *ContributionError) Error() string {
	msg := fmt.Sprintf("%v: contribution %q", e.Err, e.ID)
	if e.Source != "" {
		msg += fmt.Sprintf(" source %q", e.Source)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns the sentinel and the cause.
func (e *ContributionError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// QuorumError reports that fewer sources than the quorum quoted a contribution.
type QuorumError struct {
	ID      string   // the contribution id
	Got     int      // quotes received
	Need    int      // the quorum
	Missing []string // the known sources that did not answer, sorted
}

// Error describes the QuorumError.
func (e *QuorumError) Error() string {
	return fmt.Sprintf("%v: contribution %q has %d quotes, needs %d (missing %v)", ErrQuorum, e.ID, e.Got, e.Need, e.Missing)
}

// Unwrap returns ErrQuorum.
func (e *QuorumError) Unwrap() error { return ErrQuorum }

// WindowError reports a contribution dated before the window opens.
type WindowError struct {
	ID    string
	At    time.Time // the contribution's time
	Start time.Time // the window's first instant
}

// Error describes the WindowError.
func (e *WindowError) Error() string {
	return fmt.Sprintf("%v: contribution %q at %s, the sale opens at %s", ErrNotStarted, e.ID,
		e.At.UTC().Format(time.RFC3339Nano), e.Start.UTC().Format(time.RFC3339))
}

// Unwrap returns ErrNotStarted.
func (e *WindowError) Unwrap() error { return ErrNotStarted }

// EndedError reports a command after the sale ended, with the condition that ended it.
type EndedError struct {
	At      time.Time // the command's time
	Reason  EndReason // window, cap or fiat
	EndedAt time.Time // when the sale ended
}

// Error describes the EndedError.
func (e *EndedError) Error() string {
	return fmt.Sprintf("%v: by %s at %s (command at %s)", ErrEnded, e.Reason,
		e.EndedAt.UTC().Format(time.RFC3339Nano), e.At.UTC().Format(time.RFC3339Nano))
}

// Unwrap returns ErrEnded.
func (e *EndedError) Unwrap() error { return ErrEnded }

// TimeOrderError reports a command dated before the latest time the sale has seen.
type TimeOrderError struct {
	At  time.Time // the command's time
	Now time.Time // the sale's clock
}

// Error describes the TimeOrderError.
func (e *TimeOrderError) Error() string {
	return fmt.Sprintf("%v: %s is before %s", ErrTimeOrder, e.At.UTC().Format(time.RFC3339Nano), e.Now.UTC().Format(time.RFC3339Nano))
}

// Unwrap returns ErrTimeOrder.
func (e *TimeOrderError) Unwrap() error { return ErrTimeOrder }

// StateError reports a command the sale's state does not allow.
type StateError struct {
	Op     string // the command, e.g. "Finalize"
	Status Status // the sale's status when it was refused
	Detail string
}

// Error describes the StateError.
func (e *StateError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrState, e.Op, e.Detail)
}

// Unwrap returns ErrState.
func (e *StateError) Unwrap() error { return ErrState }

// ClosingRateError reports a rejected daily closing rate.
type ClosingRateError struct {
	Day    time.Time
	Source string
	Asset  token.Asset
	Rate   decimal.Decimal
	Detail string
	Err    error // ErrClosingRate, ErrUnknownSource or ErrEnded
}

// Error describes the ClosingRateError.
func (e *ClosingRateError) Error() string {
	return fmt.Sprintf("%v: %s %s %s = %s: %s", e.Err, e.Day.UTC().Format(time.DateOnly), e.Source, e.Asset, e.Rate.String(), e.Detail)
}

// Unwrap returns the sentinel.
func (e *ClosingRateError) Unwrap() error { return e.Err }

// LedgerError reports why a ledger cannot receive the distribution.
type LedgerError struct {
	Detail string
	Cause  error // the ledger's error, if any
}

// Error describes the LedgerError.
func (e *LedgerError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%v: %s: %v", ErrLedger, e.Detail, e.Cause)
	}
	return fmt.Sprintf("%v: %s", ErrLedger, e.Detail)
}

// Unwrap returns ErrLedger and the cause.
func (e *LedgerError) Unwrap() []error {
	if e.Cause != nil {
		return []error{ErrLedger, e.Cause}
	}
	return []error{ErrLedger}
}

// ReplayError reports the first event of a log that does not replay.
type ReplayError struct {
	Index  int // index of the offending event in the log
	Kind   EventKind
	Err    error // the error the command returned, or nil for a mismatch
	Detail string
}

// Error describes the ReplayError.
func (e *ReplayError) Error() string {
	msg := fmt.Sprintf("%v: event %d (%s)", ErrReplay, e.Index, e.Kind)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns ErrReplay and the command's error.
func (e *ReplayError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrReplay, e.Err}
	}
	return []error{ErrReplay}
}
