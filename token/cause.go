package token

import "errors"

// withCause is a reason that also wraps the error that caused it: [errors.Is] matches both,
// and the code and class are the reason's. Its message is the reason's alone; the [*Error]
// that holds it puts the cause's words in its Detail.
type withCause struct {
	reason *Reason
	cause  error
}

func (w withCause) Error() string   { return w.reason.Error() }
func (w withCause) Unwrap() []error { return []error{w.reason, w.cause} }

// causeText describes err for the Detail of an error it caused: the reason without its
// package prefix, then the detail ("invalid account: empty").
func causeText(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		s := "error"
		if r, ok := errors.AsType[*Reason](e.Err); ok {
			s = r.Text()
		}
		if e.Detail != "" {
			s += ": " + e.Detail
		}
		return s
	}
	if r, ok := errors.AsType[*Reason](err); ok {
		return r.Text()
	}
	return err.Error()
}
