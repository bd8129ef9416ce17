// Package fault gives every error of the library a stable machine code and a class, so that
// a service maps any trustcircle error to its own protocol in one switch:
//
//	switch fault.ClassOf(err) {
//	case fault.Invalid:
//		status = http.StatusBadRequest
//	case fault.Conflict:
//		status = http.StatusConflict
//	case fault.NotFound:
//		status = http.StatusNotFound
//	case fault.Forbidden:
//		status = http.StatusForbidden
//	default: // fault.Internal, or an error that is not the library's
//		status = http.StatusInternalServerError
//	}
//
// Each package declares its sentinel errors as [*Reason] values (the failures a caller
// branches on with [errors.Is]) and returns them wrapped in its command error, which carries
// the facts that broke ([token.Error], aliased in every package). The codes are stable:
// a code, once published, keeps its meaning and its class.
//
// The classes:
//
//	class      meaning                                               HTTP
//	Invalid    the input can never succeed as written                400
//	Conflict   well-formed, but the aggregate's state refuses it now 409
//	NotFound   it names something the aggregate does not hold        404
//	Forbidden  the actor may not do this                             403
//	Internal   a broken invariant or a log that does not replay      500
package fault

import (
	"errors"
	"strings"
)

// Class says what kind of failure an error is. The zero Class is [Unknown]: an error that
// carries no class (one that is not the library's).
type Class uint8

// The classes of failure, in the table of the package documentation.
const (
	Unknown   Class = iota // not a library error, or nil
	Invalid                // bad input: the request can never succeed as written
	Conflict               // the input conflicts with the aggregate's state now
	NotFound               // names something that does not exist
	Forbidden              // the actor may not do this
	Internal               // an invariant is broken or a log does not replay
)

var classNames = [...]string{"unknown", "invalid", "conflict", "not_found", "forbidden", "internal"}

// String returns the class's name: "invalid", "conflict", "not_found", "forbidden",
// "internal" or "unknown".
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// HTTPStatus returns the HTTP status of the package documentation's table for the class:
// 400 for Invalid, 409 Conflict, 404 NotFound, 403 Forbidden, and 500 for Internal and
// Unknown (an error that is not the library's is the server's problem).
func (c Class) HTTPStatus() int {
	switch c {
	case Invalid:
		return 400
	case Conflict:
		return 409
	case NotFound:
		return 404
	case Forbidden:
		return 403
	}
	return 500
}

// Reason is a sentinel error: a failure a caller may branch on, with a stable code such as
// "rosca.bid_too_low", a class and a short message for people. Reasons are created once, as
// package variables, and compared by identity with [errors.Is].
type Reason struct {
	code  string
	class Class
	text  string
}

// NewReason returns a reason with the given code ("package.snake_case"), class and message
// (lower case, no final period, starting with the package name: "rosca: bid too low").
func NewReason(code string, class Class, text string) *Reason {
	return &Reason{code: code, class: class, text: text}
}

// Error returns the reason's message.
func (r *Reason) Error() string { return r.text }

// Code returns the reason's stable machine code.
func (r *Reason) Code() string { return r.code }

// Class returns the reason's class.
func (r *Reason) Class() Class { return r.class }

// Text returns the message without its package prefix ("bid too low").
func (r *Reason) Text() string {
	if _, rest, ok := strings.Cut(r.text, ": "); ok {
		return rest
	}
	return r.text
}

// coded is what every error of the library implements.
type coded interface {
	error
	Code() string
	Class() Class
}

// CodeOf returns the code of the first error in err's chain that has one, or "" for nil and
// for errors that are not the library's.
func CodeOf(err error) string {
	if c, ok := errors.AsType[coded](err); ok {
		return c.Code()
	}
	return ""
}

// ClassOf returns the class of the first error in err's chain that has one, or [Unknown]
// for nil and for errors that are not the library's.
func ClassOf(err error) Class {
	if c, ok := errors.AsType[coded](err); ok {
		return c.Class()
	}
	return Unknown
}
