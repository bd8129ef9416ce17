package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// The service's own reasons, declared like the library's, so that one mapping (httpStatus)
// serves both. The circles' reasons come from package rosca, and from package token for an
// amount, account or time that does not parse.
var (
	// ErrBadRequest reports a request that does not decode: malformed JSON, an unknown
	// field, a missing field, a bad query parameter.
	ErrBadRequest = fault.NewReason("circled.bad_request", fault.Invalid, "circled: bad request")
	// ErrBodyTooLarge reports a request body over the service's limit (HTTP 413).
	ErrBodyTooLarge = fault.NewReason("circled.body_too_large", fault.Invalid, "circled: request body too large")
	// ErrMissingKey reports a command sent without an Idempotency-Key header, or with one
	// that is not 1 to 128 printable ASCII characters.
	ErrMissingKey = fault.NewReason("circled.idempotency_key", fault.Invalid, "circled: missing or invalid Idempotency-Key")
	// ErrKeyReused reports an idempotency key already used for a different request.
	ErrKeyReused = fault.NewReason("circled.idempotency_key_reused", fault.Invalid, "circled: idempotency key used for another request")
	// ErrUnknownCircle reports a circle id that the service does not hold.
	ErrUnknownCircle = fault.NewReason("circled.unknown_circle", fault.NotFound, "circled: unknown circle")
	// ErrNotFound reports a path that names nothing.
	ErrNotFound = fault.NewReason("circled.not_found", fault.NotFound, "circled: not found")
	// ErrCircleExists reports a create with the id of a circle that already exists.
	ErrCircleExists = fault.NewReason("circled.circle_exists", fault.Conflict, "circled: circle already exists")
	// ErrWriteConflict reports a command that lost the race for its circle's next sequence
	// number to another writer: it was not applied, and the circle was brought up to the
	// table. Retry it (with the same idempotency key).
	ErrWriteConflict = fault.NewReason("circled.write_conflict", fault.Conflict, "circled: the circle was changed by another writer; retry")
	// ErrInternal reports a failure of the service itself (the database, most often).
	ErrInternal = fault.NewReason("circled.internal", fault.Internal, "circled: internal error")
)

// httpStatus is the one place where an error becomes an HTTP status: from its class
// (fault.ClassOf), except a body over the limit, which HTTP names 413.
func httpStatus(err error) int {
	if errors.Is(err, ErrBodyTooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return fault.ClassOf(err).HTTPStatus()
}

// errorBody is the JSON of an error answer: {"error":{"code":...,"class":...,"message":...}},
// with the facts of the library's error (*token.Error) when it carries them.
type errorBody struct {
	Error errorFields `json:"error"`
}

type errorFields struct {
	Code    string        `json:"code"`
	Class   string        `json:"class"`
	Message string        `json:"message"`
	Op      string        `json:"op,omitempty"`
	Account token.Account `json:"account,omitempty"`
	Amount  *token.Amount `json:"amount,omitempty"`
	Limit   *token.Amount `json:"limit,omitempty"`
	Round   int           `json:"round,omitempty"`
	Input   string        `json:"input,omitempty"`
	At      time.Time     `json:"at,omitzero"`
	Detail  string        `json:"detail,omitempty"`
}

// errorResponse returns the status and body answering err. An error that is not the
// library's nor the service's (a database failure) is reported as circled.internal, its
// text left to the log.
func errorResponse(err error) (int, []byte) {
	code, class := fault.CodeOf(err), fault.ClassOf(err)
	msg := err.Error()
	if code == "" {
		code, class, msg = ErrInternal.Code(), ErrInternal.Class(), ErrInternal.Error()
	}
	f := errorFields{Code: code, Class: class.String(), Message: msg}
	if e, ok := errors.AsType[*token.Error](err); ok {
		f.Op, f.Account, f.Round, f.Input, f.Detail = e.Op, e.Account, e.Round, e.Input, e.Detail
		if e.Amount.IsValid() {
			f.Amount = &e.Amount
		}
		if e.Limit.IsValid() {
			f.Limit = &e.Limit
		}
		if !e.At.IsZero() {
			f.At = e.At.UTC()
		}
	}
	b, jerr := json.Marshal(errorBody{Error: f})
	if jerr != nil { // cannot happen: every field encodes
		b = []byte(`{"error":{"code":"circled.internal","class":"internal","message":"circled: internal error"}}`)
	}
	return httpStatus(err), append(b, '\n')
}

// requestError wraps err (a decoding failure) in the service's command error with the
// given reason and a detail for people.
func requestError(reason *fault.Reason, detail string, err error) error {
	if err != nil {
		if detail != "" {
			detail += ": "
		}
		detail += err.Error()
	}
	return &token.Error{Detail: detail, Err: reason}
}
