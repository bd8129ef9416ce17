package crowdsale

import (
	"errors"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// Reasons: the sentinel errors of the package, each with a stable code and a class (the
// table in the package documentation). Every error a command returns is an [*Error] that
// matches one of them, or one of token's, with [errors.Is].
var (
	// ErrUninitialized reports a command on the zero Sale, one not made by NewSale or Replay.
	ErrUninitialized = fault.NewReason("crowdsale.uninitialized", fault.Invalid, "crowdsale: sale not initialised")
	// ErrInvalidConfig reports a Config that fails validation.
	ErrInvalidConfig = fault.NewReason("crowdsale.invalid_config", fault.Invalid, "crowdsale: invalid config")
	// ErrInvalidID reports a contribution id that is empty, longer than 256 bytes or not
	// valid UTF-8.
	ErrInvalidID = fault.NewReason("crowdsale.invalid_id", fault.Invalid, "crowdsale: invalid contribution id")
	// ErrInvalidContribution reports a malformed contribution (an invalid participant), or
	// one more than a sale can hold.
	ErrInvalidContribution = fault.NewReason("crowdsale.invalid_contribution", fault.Invalid, "crowdsale: invalid contribution")
	// ErrUnknownAsset reports a contribution in a currency the sale does not accept.
	ErrUnknownAsset = fault.NewReason("crowdsale.unknown_asset", fault.Invalid, "crowdsale: asset not accepted")
	// ErrInvalidAmount reports an amount that is missing, zero, negative, of another scale
	// than the accepted currency's, or of 2^128 minor units or more.
	ErrInvalidAmount = fault.NewReason("crowdsale.invalid_amount", fault.Invalid, "crowdsale: invalid amount")
	// ErrUnknownSource reports a quote or closing rate from a source the config does not know.
	ErrUnknownSource = fault.NewReason("crowdsale.unknown_source", fault.Invalid, "crowdsale: unknown quote source")
	// ErrInvalidQuote reports a quote that is zero, negative, finer than the config allows or
	// too large, or quotes given for the reference currency.
	ErrInvalidQuote = fault.NewReason("crowdsale.invalid_quote", fault.Invalid, "crowdsale: invalid quote")
	// ErrQuorum reports fewer quotes than the config's quorum.
	ErrQuorum = fault.NewReason("crowdsale.quorum_not_met", fault.Invalid, "crowdsale: quote quorum not met")
	// ErrNotStarted reports a contribution before the window opens.
	ErrNotStarted = fault.NewReason("crowdsale.not_started", fault.Conflict, "crowdsale: sale not started")
	// ErrEnded reports a command that needs an open sale after the sale ended.
	ErrEnded = fault.NewReason("crowdsale.ended", fault.Conflict, "crowdsale: sale ended")
	// ErrIDConflict reports a contribution id seen before with different content.
	ErrIDConflict = fault.NewReason("crowdsale.id_conflict", fault.Conflict, "crowdsale: contribution id reused with different content")
	// ErrTimeOrder reports a command dated before the sale's clock (the latest time it saw).
	ErrTimeOrder = fault.NewReason("crowdsale.time_order", fault.Conflict, "crowdsale: time before the sale's clock")
	// ErrState reports a command not allowed in the sale's current state (finalize before
	// the end, distribute before finalizing, shift after the start...).
	ErrState = fault.NewReason("crowdsale.state", fault.Conflict, "crowdsale: command not allowed in this state")
	// ErrClosingRate reports an invalid daily closing rate (not at midnight UTC, not of the
	// fiat currency, not positive, of a currency not accepted), or one given to a sale
	// without a fiat rule.
	ErrClosingRate = fault.NewReason("crowdsale.invalid_closing_rate", fault.Invalid, "crowdsale: invalid closing rate")
	// ErrRateConflict reports a closing rate that differs from the one recorded for the same
	// day, source and currency, or that comes after a day that needed it was judged.
	ErrRateConflict = fault.NewReason("crowdsale.closing_rate_conflict", fault.Conflict, "crowdsale: closing rate conflicts with the sale")
	// ErrRateNotClosed reports a closing rate for a day that has not closed yet: a rate of
	// day D is recorded at or after the end of D (00:00 UTC of D+1).
	ErrRateNotClosed = fault.NewReason("crowdsale.rate_not_closed", fault.Conflict, "crowdsale: the day of the closing rate has not closed")
	// ErrLedger reports a ledger that cannot receive the distribution (none, another asset,
	// transfers frozen against the sale account, or a sale account that cannot spend the
	// pool).
	ErrLedger = fault.NewReason("crowdsale.ledger", fault.Invalid, "crowdsale: ledger cannot distribute the pool")
	// ErrLockUp reports a lock-up that cannot lock the distribution: a vesting schedule that
	// fails validation, or an invalid escrow account.
	ErrLockUp = fault.NewReason("crowdsale.invalid_lock_up", fault.Invalid, "crowdsale: invalid lock-up")
	// ErrReplay reports an event log that does not replay to itself.
	ErrReplay = fault.NewReason("crowdsale.replay", fault.Internal, "crowdsale: invalid event log")
	// ErrInvalidSnapshot reports JSON that is not a snapshot.
	ErrInvalidSnapshot = fault.NewReason("crowdsale.invalid_snapshot", fault.Invalid, "crowdsale: invalid snapshot")
	// ErrNotAllowed reports a contribution from a participant the allowlist does not admit
	// (not registered, or not verified).
	ErrNotAllowed = fault.NewReason("crowdsale.not_allowed", fault.Forbidden, "crowdsale: participant not allowed")
	// ErrBelowLimit reports a contribution that leaves its participant below the
	// per-participant minimum.
	ErrBelowLimit = fault.NewReason("crowdsale.below_participant_minimum", fault.Invalid, "crowdsale: below the participant minimum")
	// ErrAboveLimit reports a contribution that would take its participant above the
	// per-participant maximum.
	ErrAboveLimit = fault.NewReason("crowdsale.above_participant_maximum", fault.Conflict, "crowdsale: above the participant maximum")
	// ErrInvalidRegistrant reports a registry entry that cannot be recorded.
	ErrInvalidRegistrant = fault.NewReason("crowdsale.invalid_registrant", fault.Invalid, "crowdsale: invalid registrant")
	// ErrPaused reports a contribution to a paused sale.
	ErrPaused = fault.NewReason("crowdsale.paused", fault.Conflict, "crowdsale: sale paused")
	// ErrNotAdmin reports a pause or resumption ordered by an account other than the sale's
	// administrator, or in a sale without one.
	ErrNotAdmin = fault.NewReason("crowdsale.not_admin", fault.Forbidden, "crowdsale: not the sale's administrator")
	// ErrInvalidReason reports a pause or resumption without a valid reason.
	ErrInvalidReason = fault.NewReason("crowdsale.invalid_reason", fault.Invalid, "crowdsale: invalid reason")
	// ErrNoRefund reports a refund payment for a refund the sale has not decided.
	ErrNoRefund = fault.NewReason("crowdsale.no_refund", fault.NotFound, "crowdsale: no such refund decided")
	// ErrRefundPaid reports a refund payment for a refund paid before with another reference.
	ErrRefundPaid = fault.NewReason("crowdsale.refund_paid", fault.Conflict, "crowdsale: refund already paid")
	// ErrInvalidReference reports a payment reference that is empty, over 256 bytes or not
	// valid UTF-8.
	ErrInvalidReference = fault.NewReason("crowdsale.invalid_reference", fault.Invalid, "crowdsale: invalid payment reference")
	// ErrNotHolder reports an approval by an account that holds no escrow key, or in a sale
	// without escrow.
	ErrNotHolder = fault.NewReason("crowdsale.not_holder", fault.Forbidden, "crowdsale: not an escrow key holder")
	// ErrInvalidRelease reports a release with an invalid id, amount or destination.
	ErrInvalidRelease = fault.NewReason("crowdsale.invalid_release", fault.Invalid, "crowdsale: invalid release")
	// ErrReleaseConflict reports an approval of a release whose id names another release, or
	// one already done.
	ErrReleaseConflict = fault.NewReason("crowdsale.release_conflict", fault.Conflict, "crowdsale: release conflicts with the escrow")
	// ErrEscrowShort reports a release of more than the escrow holds.
	ErrEscrowShort = fault.NewReason("crowdsale.escrow_insufficient", fault.Conflict, "crowdsale: escrow holds less than the release")
	// ErrAudit reports a broken identity found by Sale.Audit.
	ErrAudit = fault.NewReason("crowdsale.audit", fault.Internal, "crowdsale: audit failed")
)

// Error is the package's command error, [token.Error]: the operation, the facts that broke
// (account, amount, limit, time, detail) and the reason it wraps, one of the Err values
// above or of token's.
type Error = token.Error

// withCause is a reason that also wraps the error that caused it: [errors.Is] matches both,
// and the code and class are the reason's. Its message is the reason's alone; the [*Error]
// that holds it puts the cause's words in its Detail.
type withCause struct {
	reason *fault.Reason
	cause  error
}

func (w withCause) Error() string   { return w.reason.Error() }
func (w withCause) Unwrap() []error { return []error{w.reason, w.cause} }

// because returns reason, wrapping cause when there is one.
func because(reason *fault.Reason, cause error) error {
	if cause == nil {
		return reason
	}
	return withCause{reason, cause}
}

// causeText describes err for the Detail of an error it caused: the reason without its
// package prefix, then the detail ("invalid account: empty").
func causeText(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		s := "error"
		if r, ok := errors.AsType[*fault.Reason](e.Err); ok {
			s = r.Text()
		}
		if e.Detail != "" {
			s += ": " + e.Detail
		}
		return s
	}
	if r, ok := errors.AsType[*fault.Reason](err); ok {
		return r.Text()
	}
	return err.Error()
}

// uninitialized is the error of a command on the zero Sale.
func uninitialized(op string) error {
	return &Error{Op: op, Detail: "make sales with NewSale or Replay", Err: ErrUninitialized}
}

// stamp formats an instant for a Detail, in UTC.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// checkTime normalises a command's time to UTC and checks that it lies in the years 1 to
// 9999, the times the log can hold.
func checkTime(op string, at time.Time) (time.Time, error) {
	at = at.UTC()
	if u := at.Unix(); u < firstUnix || u >= afterLastUnix {
		return at, &Error{Op: op, At: at, Detail: "year " + strconv.Itoa(at.Year()) + ", want 1 to 9999", Err: token.ErrInvalidTime}
	}
	return at, nil
}

// The times a command may carry, in Unix seconds: the years 1 to 9999, UTC.
var (
	firstUnix     = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	afterLastUnix = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
)

// timeOrder is the error of a command dated before the sale's clock.
func timeOrder(op string, at, now time.Time) error {
	return &Error{Op: op, At: at, Detail: stamp(at) + " is before the sale's clock, " + stamp(now), Err: ErrTimeOrder}
}
