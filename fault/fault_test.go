package fault_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/internal/zerotest"
)

var (
	errBidTooLow = fault.NewReason("rosca.bid_too_low", fault.Conflict, "rosca: bid too low")
	errNoCircle  = fault.NewReason("rosca.unknown_circle", fault.NotFound, "rosca: unknown circle")
	errNotAdmin  = fault.NewReason("roles.not_admin", fault.Forbidden, "roles: not an admin")
	errBadAmount = fault.NewReason("token.invalid_amount", fault.Invalid, "token: invalid amount")
	errAudit     = fault.NewReason("token.audit", fault.Internal, "token: audit failed")
	errNoPrefix  = fault.NewReason("x.plain", fault.Invalid, "plain message")
)

// commandError is a command error as the library's packages have: it carries facts and
// takes its code and class from the reason it wraps.
type commandError struct {
	op  string
	err error
}

func (e *commandError) Error() string      { return e.err.Error() + " (op " + e.op + ")" }
func (e *commandError) Unwrap() error      { return e.err }
func (e *commandError) Code() string       { return fault.CodeOf(e.err) }
func (e *commandError) Class() fault.Class { return fault.ClassOf(e.err) }

// overriding is an error with its own code and class, wrapping a reason with others.
type overriding struct{ err error }

func (e overriding) Error() string      { return "overriding: " + e.err.Error() }
func (e overriding) Unwrap() error      { return e.err }
func (e overriding) Code() string       { return "x.override" }
func (e overriding) Class() fault.Class { return fault.Internal }

// The reason type is what CodeOf and ClassOf look for.
var _ interface {
	error
	Code() string
	Class() fault.Class
} = (*fault.Reason)(nil)

func TestClassString(t *testing.T) {
	for c, want := range map[fault.Class]string{
		fault.Unknown:    "unknown",
		fault.Invalid:    "invalid",
		fault.Conflict:   "conflict",
		fault.NotFound:   "not_found",
		fault.Forbidden:  "forbidden",
		fault.Internal:   "internal",
		fault.Class(6):   "unknown",
		fault.Class(255): "unknown",
	} {
		if got := c.String(); got != want {
			t.Errorf("Class(%d).String() = %q, want %q", uint8(c), got, want)
		}
	}
	var zero fault.Class
	if zero != fault.Unknown {
		t.Errorf("the zero Class is %v, want unknown", zero)
	}
}

func TestReason(t *testing.T) {
	for _, tc := range []struct {
		r               *fault.Reason
		code, msg, text string
		class           fault.Class
	}{
		{errBidTooLow, "rosca.bid_too_low", "rosca: bid too low", "bid too low", fault.Conflict},
		{errNoCircle, "rosca.unknown_circle", "rosca: unknown circle", "unknown circle", fault.NotFound},
		{errNotAdmin, "roles.not_admin", "roles: not an admin", "not an admin", fault.Forbidden},
		{errAudit, "token.audit", "token: audit failed", "audit failed", fault.Internal},
		{errNoPrefix, "x.plain", "plain message", "plain message", fault.Invalid},
	} {
		if tc.r.Code() != tc.code || tc.r.Error() != tc.msg || tc.r.Text() != tc.text || tc.r.Class() != tc.class {
			t.Errorf("reason %q: code %q, message %q, text %q, class %v; want %q, %q, %q, %v",
				tc.code, tc.r.Code(), tc.r.Error(), tc.r.Text(), tc.r.Class(), tc.code, tc.msg, tc.text, tc.class)
		}
	}
}

func TestReasonsCompareByIdentity(t *testing.T) {
	twin := fault.NewReason("rosca.bid_too_low", fault.Conflict, "rosca: bid too low")
	if errors.Is(twin, errBidTooLow) || errors.Is(errBidTooLow, twin) {
		t.Error("two reasons with the same code and text match each other")
	}
	wrapped := fmt.Errorf("bid 3: %w", errBidTooLow)
	if !errors.Is(wrapped, errBidTooLow) || errors.Is(wrapped, errNoCircle) {
		t.Error("errors.Is does not find the wrapped reason alone")
	}
}

func TestCodeAndClassOf(t *testing.T) {
	cmd := &commandError{op: "Bid", err: errBidTooLow}
	for _, tc := range []struct {
		name  string
		err   error
		code  string
		class fault.Class
	}{
		{"nil", nil, "", fault.Unknown},
		{"foreign", io.EOF, "", fault.Unknown},
		{"foreign wrapped", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), "", fault.Unknown},
		{"reason", errNoCircle, "rosca.unknown_circle", fault.NotFound},
		{"wrapped reason", fmt.Errorf("circle 7: %w", errNoCircle), "rosca.unknown_circle", fault.NotFound},
		{"twice wrapped", fmt.Errorf("a: %w", fmt.Errorf("b: %w", errNotAdmin)), "roles.not_admin", fault.Forbidden},
		{"command error", cmd, "rosca.bid_too_low", fault.Conflict},
		{"wrapped command error", fmt.Errorf("service: %w", cmd), "rosca.bid_too_low", fault.Conflict},
		{"command error without reason", &commandError{op: "Bid", err: io.EOF}, "", fault.Unknown},
		{"joined", errors.Join(io.EOF, errBadAmount), "token.invalid_amount", fault.Invalid},
		{"first in chain wins", overriding{errBadAmount}, "x.override", fault.Internal},
		{"multiple %w", fmt.Errorf("%w and %w", errAudit, errBidTooLow), "token.audit", fault.Internal},
	} {
		if got := fault.CodeOf(tc.err); got != tc.code {
			t.Errorf("%s: CodeOf = %q, want %q", tc.name, got, tc.code)
		}
		if got := fault.ClassOf(tc.err); got != tc.class {
			t.Errorf("%s: ClassOf = %v, want %v", tc.name, got, tc.class)
		}
	}
}

func TestZeroValues(t *testing.T) {
	zerotest.CallMethods(t, &fault.Reason{})
	zerotest.CallMethods(t, fault.Class(0))
	var r fault.Reason
	if r.Code() != "" || r.Class() != fault.Unknown || r.Error() != "" || r.Text() != "" {
		t.Errorf("the zero Reason has code %q, class %v, message %q", r.Code(), r.Class(), r.Error())
	}
}

// httpStatus is the one switch a service needs to put any library error on the wire.
func httpStatus(err error) int {
	switch fault.ClassOf(err) {
	case fault.Invalid:
		return http.StatusBadRequest
	case fault.Conflict:
		return http.StatusConflict
	case fault.NotFound:
		return http.StatusNotFound
	case fault.Forbidden:
		return http.StatusForbidden
	default: // fault.Internal, or an error that is not the library's
		return http.StatusInternalServerError
	}
}

// A service maps every error of the library to an HTTP status in one switch on the class,
// and reports the stable code to its clients.
func Example_httpStatus() {
	errBidTooLow := fault.NewReason("rosca.bid_too_low", fault.Conflict, "rosca: bid too low")
	errNotMember := fault.NewReason("rosca.not_member", fault.Forbidden, "rosca: not a member")
	for _, err := range []error{
		errBidTooLow,
		fmt.Errorf("round 3: %w", errNotMember),
		fmt.Errorf("parse: %w", fault.NewReason("token.invalid_amount", fault.Invalid, "token: invalid amount")),
		io.EOF,
	} {
		fmt.Printf("%d %-24q %v\n", httpStatus(err), fault.CodeOf(err), err)
	}
	// Output:
	// 409 "rosca.bid_too_low"      rosca: bid too low
	// 403 "rosca.not_member"       round 3: rosca: not a member
	// 400 "token.invalid_amount"   parse: token: invalid amount
	// 500 ""                       EOF
}

func ExampleReason_Text() {
	r := fault.NewReason("rosca.bid_too_low", fault.Conflict, "rosca: bid too low")
	fmt.Println(r.Code(), r.Class(), r.Text())
	// Output: rosca.bid_too_low conflict bid too low
}

func TestHTTPStatus(t *testing.T) {
	for c, want := range map[fault.Class]int{fault.Unknown: 500, fault.Invalid: 400, fault.Conflict: 409,
		fault.NotFound: 404, fault.Forbidden: 403, fault.Internal: 500, fault.Class(99): 500} {
		if got := c.HTTPStatus(); got != want {
			t.Errorf("%v.HTTPStatus() = %d, want %d", c, got, want)
		}
	}
}
