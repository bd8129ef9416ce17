package cmderr

import (
	"errors"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

var errTest = fault.NewReason("test.broken", fault.Invalid, "test: broken")

func TestBecause(t *testing.T) {
	cause := &token.Error{Op: "Parse", Detail: "the facts", Err: token.ErrInvalidAccount}
	d, err := Because(errTest, cause)
	if d != "the facts" || !errors.Is(err, errTest) || !errors.Is(err, token.ErrInvalidAccount) || fault.CodeOf(err) != "test.broken" {
		t.Fatalf("token error: %q %v", d, err)
	}
	d, err = Because(errTest, token.ErrZeroAmount)
	if d != "" || !errors.Is(err, errTest) || !errors.Is(err, token.ErrZeroAmount) {
		t.Fatalf("reason: %q %v", d, err)
	}
	d, err = Because(errTest, errors.New("unexpected EOF"))
	if d != "unexpected EOF" || err != errTest {
		t.Fatalf("plain error: %q %v", d, err)
	}
}

func TestCheckAccount(t *testing.T) {
	if err := CheckAccount("Op", "alice"); err != nil {
		t.Fatal(err)
	}
	err := CheckAccount("Op", "")
	e, ok := errors.AsType[*token.Error](err)
	if !ok || e.Op != "Op" || !errors.Is(err, token.ErrInvalidAccount) || e.Detail == "" {
		t.Fatalf("%#v", err)
	}
}

func TestCheckTime(t *testing.T) {
	zone := time.FixedZone("x", 3600)
	in := time.Date(2026, 3, 1, 1, 0, 0, 0, zone)
	u, err := CheckTime("Op", "a", in)
	if err != nil || u.Location() != time.UTC || !u.Equal(in) {
		t.Fatalf("%v %v", u, err)
	}
	for _, y := range []int{0, 10000} {
		if _, err := CheckTime("Op", "a", time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC)); !errors.Is(err, token.ErrInvalidTime) {
			t.Fatalf("year %d: %v", y, err)
		}
	}
}

func TestDecode(t *testing.T) {
	own := &token.Error{Op: "Inner", Detail: "bad seq", Err: errTest}
	err := Decode("Outer", errTest, own)
	if e, _ := errors.AsType[*token.Error](err); e.Op != "Outer" || e.Detail != "bad seq" || own.Op != "Inner" {
		t.Fatalf("%#v", err)
	}
	err = Decode("Outer", errTest, errors.New("invalid character"))
	if e, _ := errors.AsType[*token.Error](err); e.Op != "Outer" || e.Detail != "invalid character" || !errors.Is(err, errTest) {
		t.Fatalf("%#v", err)
	}
}
