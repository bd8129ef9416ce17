package simulate

import (
	"strconv"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// Error is the package's command error, [token.Error]: the operation (Op), the member
// (Account), the round concerned (Round), a Detail for people (which names the run) and the
// reason (Err).
// Match the reason with errors.Is against the ErrX values below.
type Error = token.Error

// The reasons: every error the package returns is an *Error wrapping one of them (the
// package documentation lists their codes and classes).
var (
	// ErrInvalidScenario reports a scenario that does not describe a batch of circles; Detail
	// names the field ("Members[2].Payer: missing"). It also matches the reason of package
	// rosca when the circle's config is what is wrong.
	ErrInvalidScenario = fault.NewReason("simulate.invalid_scenario", fault.Invalid, "simulate: invalid scenario")
	// ErrInvalidShard reports a shard that is not one of n parts of a batch: a count below 1
	// or an index outside 0 to count-1, or an index that does not parse.
	ErrInvalidShard = fault.NewReason("simulate.invalid_shard", fault.Invalid, "simulate: invalid shard")
	// ErrCircle reports a command the simulation must be able to make (closing a round,
	// settling the end) that the circle refused: a bug, in this package or in rosca. It also
	// matches the circle's reason.
	ErrCircle = fault.NewReason("simulate.circle", fault.Internal, "simulate: circle refused a command")
	// ErrOutput reports a sink that failed to take a record (a write error); it also matches
	// the sink's error.
	ErrOutput = fault.NewReason("simulate.output", fault.Internal, "simulate: output failed")
	// ErrCanceled reports a batch stopped by its context; it also matches the context's
	// error (context.Canceled or context.DeadlineExceeded).
	ErrCanceled = fault.NewReason("simulate.canceled", fault.Conflict, "simulate: batch canceled")
)

// withCause is a reason that also wraps the error that caused it: errors.Is matches both, and
// the code and class are the reason's.
type withCause struct {
	reason *fault.Reason
	cause  error
}

func (w withCause) Error() string   { return w.reason.Error() }
func (w withCause) Unwrap() []error { return []error{w.reason, w.cause} }

// causedBy returns an *Error wrapping reason and cause, with the run and the cause's words
// as Detail.
func causedBy(op string, run int, reason *fault.Reason, cause error) *Error {
	return &Error{Op: op, Detail: "run " + strconv.Itoa(run) + ": " + cause.Error(), Err: withCause{reason, cause}}
}
