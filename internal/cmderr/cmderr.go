// Package cmderr holds the checks and error joins the library's domain packages share
// when they build their command errors ([token.Error]): an account that must be well
// formed, a time that must fit the event encoding, a reason joined with the error that
// caused it, and a value of an event log that does not decode. Each package passes its
// own reason; nothing here knows a package's codes.
package cmderr

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// Because joins reason with the error that caused it, so that [errors.Is] matches both and
// [fault.CodeOf] reads reason's code first. When the cause is a [*token.Error] with a
// reason, that reason is joined and the cause's detail returned for the new error's
// Detail, so that its facts are not printed twice; another error of the library (one with
// a code) is joined with no detail; any other error is kept as the detail only (a
// decoder's message, say).
func Because(reason *fault.Reason, cause error) (detail string, err error) {
	if e, ok := errors.AsType[*token.Error](cause); ok && e.Err != nil {
		return e.Detail, fmt.Errorf("%w: %w", reason, e.Err)
	}
	if fault.CodeOf(cause) != "" {
		return "", fmt.Errorf("%w: %w", reason, cause)
	}
	return cause.Error(), reason
}

// CheckAccount returns nil for a well-formed account and otherwise a [*token.Error] for op
// naming the account and wrapping [token.ErrInvalidAccount], with the token package's
// detail.
func CheckAccount(op string, a token.Account) error {
	err := a.Validate()
	if err == nil {
		return nil
	}
	e := &token.Error{Op: op, Account: a, Err: token.ErrInvalidAccount}
	if te, ok := errors.AsType[*token.Error](err); ok {
		e.Detail = te.Detail
	} else {
		e.Detail = err.Error()
	}
	return e
}

// CheckTime returns at in UTC without its monotonic reading, or a [*token.Error] for op
// naming the account and wrapping [token.ErrInvalidTime] when at lies outside the years 1
// to 9999, which the event encodings cannot hold.
func CheckTime(op string, a token.Account, at time.Time) (time.Time, error) {
	u := at.UTC().Round(0)
	if y := u.Year(); y < 1 || y > 9999 {
		return time.Time{}, &token.Error{Op: op, Account: a, At: u,
			Detail: "year " + strconv.Itoa(y) + " is outside 1 to 9999", Err: token.ErrInvalidTime}
	}
	return u, nil
}

// Decode is the [*token.Error] for op wrapping reason (a package's invalid-log reason) for
// a value that does not decode: err itself, renamed to op (a copy), when it already wraps
// reason; otherwise err joined by [Because].
func Decode(op string, reason *fault.Reason, err error) error {
	if e, ok := errors.AsType[*token.Error](err); ok && errors.Is(e, reason) {
		c := *e
		c.Op = op
		return &c
	}
	detail, joined := Because(reason, err)
	return &token.Error{Op: op, Detail: detail, Err: joined}
}
