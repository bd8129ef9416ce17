package rates

import (
	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// The reasons the package's errors wrap, for the decisions a caller branches on with
// [errors.Is]. Each has a stable code and a class; the table in the package documentation
// lists them. A bad amount (the zero Amount, amounts of two assets, a sum too large) or a bad
// time is one of the token package's reasons.
var (
	// ErrNoFlows reports cash flows with no round: the zero [Flows], or a constructor given
	// nothing.
	ErrNoFlows = fault.NewReason("rates.no_flows", fault.Invalid, "rates: no cash flows")
	// ErrAllZero reports cash flows that are zero in every round, for which every rate is an
	// internal rate of return and no modified rate exists.
	ErrAllZero = fault.NewReason("rates.all_zero", fault.Invalid, "rates: every cash flow is zero")
	// ErrOneSided reports cash flows with no receipt or no payment, for which no modified
	// internal rate of return exists.
	ErrOneSided = fault.NewReason("rates.one_sided", fault.Invalid, "rates: cash flows all of one sign")
	// ErrInvalidRate reports a rate of -100% or below, a zero denominator, or text that is
	// not a rate.
	ErrInvalidRate = fault.NewReason("rates.invalid_rate", fault.Invalid, "rates: invalid rate")
	// ErrInvalidPrecision reports a number of decimal digits of precision outside 1 to
	// [MaxDigits].
	ErrInvalidPrecision = fault.NewReason("rates.invalid_precision", fault.Invalid, "rates: invalid precision")
	// ErrInvalidRound reports a cash flow in a round below 1, or a round dated before an
	// earlier round.
	ErrInvalidRound = fault.NewReason("rates.invalid_round", fault.Invalid, "rates: invalid round")
	// ErrTooManyRounds reports cash flows beyond round [MaxRounds].
	ErrTooManyRounds = fault.NewReason("rates.too_many_rounds", fault.Invalid, "rates: too many rounds")
	// ErrInvalidRoundsPerYear reports an annualisation with fewer than 1 or more than
	// [MaxRoundsPerYear] rounds per year.
	ErrInvalidRoundsPerYear = fault.NewReason("rates.invalid_rounds_per_year", fault.Invalid, "rates: invalid rounds per year")
)

// Error is the package's command error, [token.Error]: the operation, the facts that broke
// (the round, the amount, the text that did not parse), a detail in words, and the reason it
// wraps. Every error the package returns is an *Error.
type Error = token.Error
