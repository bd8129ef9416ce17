package main

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// The service's own reasons, declared like the library's so that one mapping (describe)
// serves both. The circle's reasons come from package rosca, and from package token for
// an amount that does not parse.
var (
	// ErrBadCommand reports a request that cannot be decoded or names no known operation.
	ErrBadCommand = fault.NewReason("service.bad_command", fault.Invalid, "service: bad command")
	// ErrStopped reports that the event log could not be written: the circle in memory is
	// ahead of the file, so the service must stop and be restarted from the file.
	ErrStopped = fault.NewReason("service.stopped", fault.Internal, "service: stopped")
)

// status is the HTTP status a web front answers an error of the class with.
func status(c fault.Class) int { return c.HTTPStatus() }

// describe is the one place where an error becomes what the service answers: its code
// and class (fault.CodeOf, fault.ClassOf), the HTTP status of the class, the other
// reasons it matches with errors.Is (an invalid amount says why: token.zero_amount), and
// the facts the library's error carries (*token.Error, which every package's Error is).
func describe(err error) string {
	code, class := fault.CodeOf(err), fault.ClassOf(err)
	if code == "" {
		code = "none"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "code %s, class %s, HTTP %d", code, class, status(class))
	var also []string
	for _, r := range reasons(err, nil) {
		if r.Code() != code && !slices.Contains(also, r.Code()) {
			also = append(also, r.Code())
		}
	}
	if len(also) > 0 {
		fmt.Fprintf(&b, "; also %s", strings.Join(also, ", "))
	}
	if e, ok := errors.AsType[*token.Error](err); ok {
		if f := facts(e); f != "" {
			fmt.Fprintf(&b, "; %s", f)
		}
	}
	return b.String()
}

// facts lists the fields of e that are set, amounts as people read them.
func facts(e *token.Error) string {
	var f []string
	if e.Op != "" {
		f = append(f, "op "+e.Op)
	}
	if e.Account != "" {
		f = append(f, "account "+strconv.Quote(string(e.Account)))
	}
	if e.Amount.IsValid() {
		f = append(f, "amount "+e.Amount.Trim(1))
	}
	if e.Limit.IsValid() {
		f = append(f, "limit "+e.Limit.Trim(1))
	}
	if e.Round != 0 {
		f = append(f, "round "+strconv.Itoa(e.Round))
	}
	if !e.At.IsZero() {
		f = append(f, "at "+e.At.UTC().Format(time.RFC3339Nano))
	}
	if e.Input != "" {
		f = append(f, "input "+strconv.Quote(e.Input))
	}
	return strings.Join(f, ", ")
}

// reasons appends every *fault.Reason in err's tree to out, in the order errors.Is visits
// them.
func reasons(err error, out []*fault.Reason) []*fault.Reason {
	for err != nil {
		if r, ok := err.(*fault.Reason); ok {
			out = append(out, r)
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				out = reasons(e, out)
			}
			return out
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		default:
			return out
		}
	}
	return out
}
