package crowdsale_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/fault"
	tok "github.com/trustcircle/trustcircle/token"
)

// reasons lists every exported Err value of the package.
var reasons = map[string]error{
	"ErrUninitialized":       crowdsale.ErrUninitialized,
	"ErrInvalidConfig":       crowdsale.ErrInvalidConfig,
	"ErrInvalidID":           crowdsale.ErrInvalidID,
	"ErrInvalidContribution": crowdsale.ErrInvalidContribution,
	"ErrUnknownAsset":        crowdsale.ErrUnknownAsset,
	"ErrInvalidAmount":       crowdsale.ErrInvalidAmount,
	"ErrUnknownSource":       crowdsale.ErrUnknownSource,
	"ErrInvalidQuote":        crowdsale.ErrInvalidQuote,
	"ErrQuorum":              crowdsale.ErrQuorum,
	"ErrNotStarted":          crowdsale.ErrNotStarted,
	"ErrEnded":               crowdsale.ErrEnded,
	"ErrIDConflict":          crowdsale.ErrIDConflict,
	"ErrTimeOrder":           crowdsale.ErrTimeOrder,
	"ErrState":               crowdsale.ErrState,
	"ErrClosingRate":         crowdsale.ErrClosingRate,
	"ErrRateConflict":        crowdsale.ErrRateConflict,
	"ErrRateNotClosed":       crowdsale.ErrRateNotClosed,
	"ErrLedger":              crowdsale.ErrLedger,
	"ErrLockUp":              crowdsale.ErrLockUp,
	"ErrReplay":              crowdsale.ErrReplay,
	"ErrInvalidSnapshot":     crowdsale.ErrInvalidSnapshot,
	"ErrAudit":               crowdsale.ErrAudit,
	"ErrNotAllowed":          crowdsale.ErrNotAllowed,
	"ErrBelowLimit":          crowdsale.ErrBelowLimit,
	"ErrAboveLimit":          crowdsale.ErrAboveLimit,
	"ErrInvalidRegistrant":   crowdsale.ErrInvalidRegistrant,
	"ErrPaused":              crowdsale.ErrPaused,
	"ErrNotAdmin":            crowdsale.ErrNotAdmin,
	"ErrInvalidReason":       crowdsale.ErrInvalidReason,
	"ErrNoRefund":            crowdsale.ErrNoRefund,
	"ErrRefundPaid":          crowdsale.ErrRefundPaid,
	"ErrInvalidReference":    crowdsale.ErrInvalidReference,
	"ErrNotHolder":           crowdsale.ErrNotHolder,
	"ErrInvalidRelease":      crowdsale.ErrInvalidRelease,
	"ErrReleaseConflict":     crowdsale.ErrReleaseConflict,
	"ErrEscrowShort":         crowdsale.ErrEscrowShort,
}

// exportedErrs returns the names of the package-level Err* variables declared in the
// package's source files.
func exportedErrs(t *testing.T) []string {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range g.Specs {
				if v, ok := spec.(*ast.ValueSpec); ok {
					for _, n := range v.Names {
						if strings.HasPrefix(n.Name, "Err") {
							names = append(names, n.Name)
						}
					}
				}
			}
		}
	}
	return names
}

// Every exported Err* is a *fault.Reason with a unique "crowdsale." code, listed with its
// class in the package documentation's table.
func TestReasonsAreCodedAndDocumented(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	names := exportedErrs(t)
	if len(names) != len(reasons) {
		t.Fatalf("the package declares %v, the test lists %d", names, len(reasons))
	}
	codes := map[string]string{}
	for _, name := range names {
		err, ok := reasons[name]
		if !ok {
			t.Fatalf("%s is not listed in the test", name)
		}
		r, ok := err.(*fault.Reason)
		if !ok {
			t.Fatalf("%s is a %T, not a *fault.Reason", name, err)
		}
		code := r.Code()
		if !strings.HasPrefix(code, "crowdsale.") || strings.ToLower(code) != code || strings.ContainsAny(code, " -") {
			t.Errorf("%s: code %q is not crowdsale.snake_case", name, code)
		}
		if other, dup := codes[code]; dup {
			t.Errorf("%s and %s share the code %q", name, other, code)
		}
		codes[code] = name
		if r.Class() == fault.Unknown {
			t.Errorf("%s has no class", name)
		}
		if !strings.HasPrefix(r.Error(), "crowdsale: ") {
			t.Errorf("%s: message %q does not start with the package name", name, r.Error())
		}
		found := false
		for line := range strings.Lines(string(doc)) {
			f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "//"))
			if len(f) >= 3 && f[0] == code {
				found = true
				if f[1] != r.Class().String() {
					t.Errorf("%s: doc.go lists class %s, the reason has %s", code, f[1], r.Class())
				}
			}
		}
		if !found {
			t.Errorf("%s (%s) is not in the table of doc.go", code, name)
		}
	}
}

// Every error a command returns is an *Error with the operation and a reason that carries
// a code and a class, and the token reasons at fault are matched beside the package's.
func TestErrorsCarryCodeAndClass(t *testing.T) {
	s := newSale(t, crowdsale.WeTrust2017())
	at := utc(3, 5, 0, 0, 0)
	mustContribute(t, s, btc("a", "alice", "1", at))
	for _, c := range []struct {
		err   error
		op    string
		code  string
		class fault.Class
	}{
		{func() error { _, err := s.Contribute(btc("a", "alice", "2", at)); return err }(), "Contribute", "crowdsale.id_conflict", fault.Conflict},
		{func() error { _, err := s.Contribute(btc("b", "bad account", "2", at)); return err }(), "Contribute", "crowdsale.invalid_contribution", fault.Invalid},
		{func() error { _, err := s.WhatIf(btc("b", "bob", "-2", at)); return err }(), "WhatIf", "crowdsale.invalid_amount", fault.Invalid},
		{s.Finalize(at), "Finalize", "crowdsale.state", fault.Conflict},
		{func() error { _, err := s.Advance(utc(3, 1, 0, 0, 0)); return err }(), "Advance", "crowdsale.time_order", fault.Conflict},
		{s.Shift(at, 0), "Shift", "crowdsale.state", fault.Conflict},
		{s.Distribute(nil), "Distribute", "crowdsale.state", fault.Conflict},
		{s.DistributeLocked(nil, crowdsale.LockUp{}), "DistributeLocked", "crowdsale.state", fault.Conflict},
		{s.RecordClosingRate(at.Add(time.Hour), "gdax", tok.BTC(), amt(usd, "1")), "RecordClosingRate", "crowdsale.invalid_closing_rate", fault.Invalid},
		{s.RecordClosingRateAt(at, at, "gdax", tok.BTC(), amt(usd, "1")), "RecordClosingRateAt", "crowdsale.rate_not_closed", fault.Conflict},
		{func() error { _, err := s.Advance(at.AddDate(8000, 0, 0)); return err }(), "Advance", "token.invalid_time", fault.Invalid},
		{func() error { _, err := crowdsale.NewSale(crowdsale.Config{}); return err }(), "Validate", "crowdsale.invalid_config", fault.Invalid},
		{(&crowdsale.Sale{}).Finalize(at), "Finalize", "crowdsale.uninitialized", fault.Invalid},
	} {
		var e *crowdsale.Error
		if !errors.As(c.err, &e) || e.Op != c.op || fault.CodeOf(c.err) != c.code || fault.ClassOf(c.err) != c.class ||
			e.Code() != c.code || !strings.HasPrefix(c.err.Error(), strings.SplitN(c.code, ".", 2)[0]+": ") {
			t.Errorf("%v: want op %s, code %s, class %s", c.err, c.op, c.code, c.class)
		}
	}
	_, err := s.Contribute(btc("b", "bad account", "2", at))
	if !errors.Is(err, crowdsale.ErrInvalidContribution) || !errors.Is(err, tok.ErrInvalidAccount) {
		t.Fatalf("participant error does not match both reasons: %v", err)
	}
	want := `crowdsale: invalid contribution: contribution "b": participant: invalid account: not printable ASCII without space (0x21 to 0x7E) (op Contribute, account "bad account", amount 2.00000000 BTC, at 2017-03-05T00:00:00Z)`
	if err.Error() != want {
		t.Fatalf("message\n%s\nwant\n%s", err, want)
	}
}
