package token

import (
	"strconv"
	"strings"
	"time"

	"github.com/trustcircle/trustcircle/fault"
)

// Reasons: the sentinel errors of the package, each with a stable code and class. Every
// error the package returns matches one of them with [errors.Is] and is an [*Error] that
// carries the facts.
var (
	// ErrInvalidAsset reports an asset with a bad symbol or number of decimals, or the zero Asset.
	ErrInvalidAsset = fault.NewReason("token.invalid_asset", fault.Invalid, "token: invalid asset")
	// ErrAssetMismatch reports an amount or ledger of one asset used where another was expected.
	ErrAssetMismatch = fault.NewReason("token.asset_mismatch", fault.Invalid, "token: asset mismatch")
	// ErrInvalidAmount reports a string that is not a decimal number.
	ErrInvalidAmount = fault.NewReason("token.invalid_amount", fault.Invalid, "token: invalid amount")
	// ErrNegativeAmount reports an amount below zero.
	ErrNegativeAmount = fault.NewReason("token.negative_amount", fault.Invalid, "token: negative amount")
	// ErrZeroAmount reports a zero amount where a positive one is required.
	ErrZeroAmount = fault.NewReason("token.zero_amount", fault.Invalid, "token: zero amount")
	// ErrSubUnitAmount reports an amount finer than the asset's minor unit.
	ErrSubUnitAmount = fault.NewReason("token.sub_unit_amount", fault.Invalid, "token: amount finer than the minor unit")
	// ErrInvalidAccount reports an empty or malformed account.
	ErrInvalidAccount = fault.NewReason("token.invalid_account", fault.Invalid, "token: invalid account")
	// ErrInvalidSplit reports a split into no parts, no weights, a negative weight or
	// weights that are all zero, or a remainder index out of range.
	ErrInvalidSplit = fault.NewReason("token.invalid_split", fault.Invalid, "token: invalid split")
	// ErrInsufficientBalance reports a debit larger than the spendable balance.
	ErrInsufficientBalance = fault.NewReason("token.insufficient_balance", fault.Conflict, "token: insufficient balance")
	// ErrInsufficientAllowance reports a transferFrom or decrease larger than the allowance.
	ErrInsufficientAllowance = fault.NewReason("token.insufficient_allowance", fault.Conflict, "token: insufficient allowance")
	// ErrAllowanceChanged reports a compare-and-approve whose expected allowance is not the
	// current one.
	ErrAllowanceChanged = fault.NewReason("token.allowance_changed", fault.Conflict, "token: allowance changed")
	// ErrGenesis reports a genesis that does not sum to the supply or is otherwise invalid.
	ErrGenesis = fault.NewReason("token.genesis", fault.Invalid, "token: invalid genesis")
	// ErrSnapshot reports a snapshot that cannot be restored.
	ErrSnapshot = fault.NewReason("token.snapshot", fault.Internal, "token: invalid snapshot")
	// ErrAudit reports a broken ledger invariant found by [Ledger.Audit].
	ErrAudit = fault.NewReason("token.audit", fault.Internal, "token: audit failed")
	// ErrAmountTooLarge reports an amount of more than [MaxUnitDigits] digits of minor units.
	ErrAmountTooLarge = fault.NewReason("token.amount_too_large", fault.Invalid, "token: amount too large")
	// ErrInvalidRatio reports a ratio outside [0, 1], with a zero denominator, or text that
	// is not in the ratio grammar.
	ErrInvalidRatio = fault.NewReason("token.invalid_ratio", fault.Invalid, "token: invalid ratio")
	// ErrInvalidTime reports a time the library cannot record: before year 1 or after 9999.
	ErrInvalidTime = fault.NewReason("token.invalid_time", fault.Invalid, "token: invalid time")
	// ErrInvalidSchedule reports a vesting [Schedule] that fails [Schedule.Validate], or
	// whose asset is not the ledger's.
	ErrInvalidSchedule = fault.NewReason("token.invalid_schedule", fault.Invalid, "token: invalid vesting schedule")
	// ErrUnknownVesting reports a [VestingID] the ledger never issued.
	ErrUnknownVesting = fault.NewReason("token.unknown_vesting", fault.NotFound, "token: unknown vesting grant")
	// ErrNotRevocable reports a revocation of a grant made without the right to revoke it.
	ErrNotRevocable = fault.NewReason("token.not_revocable", fault.Forbidden, "token: vesting grant not revocable")
	// ErrAlreadyRevoked reports a second revocation of a grant: revocation happens once.
	ErrAlreadyRevoked = fault.NewReason("token.already_revoked", fault.Conflict, "token: vesting grant already revoked")
	// ErrNothingToRelease reports a release when nothing has vested beyond what was released.
	ErrNothingToRelease = fault.NewReason("token.nothing_to_release", fault.Conflict, "token: nothing to release")
	// ErrUninitialized reports a command or query on the zero [Ledger], one not made by
	// [NewLedger], [Restore] or [Replay].
	ErrUninitialized = fault.NewReason("token.uninitialized", fault.Invalid, "token: ledger not initialised")
	// ErrReplay reports an event log that does not replay: an event that its command, run
	// again, does not reproduce exactly.
	ErrReplay = fault.NewReason("token.replay", fault.Internal, "token: event log does not replay")
	// ErrFrozen reports a transfer (or a vesting grant) out of an account during a transfer
	// freeze, or a second freeze: see [Ledger.Freeze].
	ErrFrozen = fault.NewReason("token.frozen", fault.Conflict, "token: transfers frozen")
	// ErrNotFrozen reports an unfreeze when no transfer freeze is on.
	ErrNotFrozen = fault.NewReason("token.not_frozen", fault.Conflict, "token: transfers not frozen")
	// ErrNotAdmin reports an unfreeze by an account that is not the freeze's administrator.
	ErrNotAdmin = fault.NewReason("token.not_admin", fault.Forbidden, "token: not the freeze's administrator")
	// ErrUnknownSeq reports a sequence number beyond the end of the event log.
	ErrUnknownSeq = fault.NewReason("token.unknown_seq", fault.NotFound, "token: no such event")
	// ErrTableTooLarge reports a vesting table of more than [MaxTableRows] rows.
	ErrTableTooLarge = fault.NewReason("token.table_too_large", fault.Invalid, "token: vesting table too large")
)

// Reason is the sentinel type of every package: a failure with a stable code and a class.
// It is [fault.Reason], named here so that a package's docs read on their own.
type Reason = fault.Reason

// Error is the error of every command and constructor of the library (each package names
// it as its own Error): what was attempted, the facts that broke, and the [Reason] it wraps.
// Every field but Err is optional; the zero value of a field means "not concerned". The
// fields have the same names in every package, so a service logs or maps them in one place:
// [fault.ClassOf] and [fault.CodeOf] read the class and the code.
type Error struct {
	Op      string    // what was attempted: "Transfer", "Bid", "Parse"
	Account Account   // the account concerned
	Amount  Amount    // the amount given
	Limit   Amount    // the bound it broke: the balance, the minimum bid, the cap
	Round   int       // the round concerned (circles), 0 when none
	At      time.Time // the time given to the command
	Input   string    // the text that did not parse
	Detail  string    // what broke, in words, when the reason alone does not say it
	Err     error     // the reason, a *Reason, possibly wrapped
}

// Error reads as a sentence with the facts after it: `token: insufficient balance: alice
// has 2.000000 TRST spendable (op Transfer, account alice, amount 5.000000 TRST, limit
// 2.000000 TRST)`.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("error")
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	sep := " ("
	fact := func(name, value string) {
		b.WriteString(sep)
		b.WriteString(name)
		b.WriteByte(' ')
		b.WriteString(value)
		sep = ", "
	}
	if e.Op != "" {
		fact("op", e.Op)
	}
	if e.Account != "" {
		fact("account", quoteIfNeeded(string(e.Account)))
	}
	if e.Amount.IsValid() {
		fact("amount", e.Amount.String())
	}
	if e.Limit.IsValid() {
		fact("limit", e.Limit.String())
	}
	if e.Round != 0 {
		fact("round", strconv.Itoa(e.Round))
	}
	if !e.At.IsZero() {
		fact("at", e.At.UTC().Format(time.RFC3339Nano))
	}
	if e.Input != "" {
		in := e.Input
		if len(in) > 64 {
			n := 64
			for n > 60 && in[n]&0xc0 == 0x80 {
				n-- // cut before a rune, not inside it
			}
			in = in[:n] + "..."
		}
		fact("input", strconv.Quote(in))
	}
	if sep == ", " {
		b.WriteByte(')')
	}
	return b.String()
}

// quoteIfNeeded returns s as it is when it is printable ASCII without spaces, quotes,
// backslashes, commas or parentheses (every valid [Account]), and quoted otherwise.
func quoteIfNeeded(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x21 || c > 0x7e || strings.IndexByte(`"\,()`, c) >= 0 {
			return strconv.Quote(s)
		}
	}
	return s
}

// Unwrap returns the reason.
func (e *Error) Unwrap() error { return e.Err }

// Code returns the stable code of the reason ("token.insufficient_balance").
func (e *Error) Code() string { return fault.CodeOf(e.Err) }

// Class returns the class of the reason.
func (e *Error) Class() fault.Class { return fault.ClassOf(e.Err) }
