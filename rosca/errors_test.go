package rosca_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/rosca"
)

// Every error message starts with the package name and names the facts.
func TestErrorMessages(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	add(c.Contribute(at(0), "x", wei(1)))
	add(c.Contribute(at(0), "m0", wei(0)))
	ok(t, c.Contribute(at(0), "m1", wei(1)))
	add(c.Contribute(t0.Add(-1), "m0", wei(1)))
	add(c.Bid(at(0), "m0", wei(3000)))
	ok(t, c.Contribute(at(0), "m0", wei(1000)))
	add(c.Bid(at(0), "m0", wei(1)))
	add(c.Bid(at(0), "m0", wei(5000)))
	_, err := c.CloseRound(at(0))
	add(err)
	_, err = c.Withdraw(at(0), "m1")
	add(err)
	_, err = c.RetrieveFees(at(0), "m0")
	add(err)
	add(c.EnableHalt(at(0), "m1"))
	_, err = c.ActivateHalt(at(0), "m0")
	add(err)
	add((&rosca.Config{}).Validate())
	_, err = rosca.Replay(weiCfg(rosca.Bidding, 3, 1000, 20), slices.Values([]rosca.Event{{Seq: 3}}))
	add(err)
	for _, err := range errs {
		if err == nil || !strings.HasPrefix(err.Error(), "rosca: ") {
			t.Fatalf("message %q", err)
		}
		if _, isErr := errors.AsType[*rosca.Error](err); !isErr {
			t.Fatalf("%v is a %T", err, err)
		}
	}
	want := []string{"account x", "m0", "earliest", "good standing", "limit 0.00000000000000195", "limit 0.000000000000003", "closes from",
		"m1 owes 0.000000000000000999 ETH", "not ended", "account m1", "not enabled", "Asset", "event 0"}
	for i, w := range want {
		if !strings.Contains(errs[i].Error(), w) {
			t.Fatalf("error %d %q lacks %q", i, errs[i], w)
		}
	}
	// Nothing misleading: no negative entitlement, no limit where none was broken.
	for _, err := range errs {
		if s := err.Error(); strings.Contains(s, "entitled to -") || strings.Contains(s, "limit 0 ") {
			t.Fatalf("misleading message %q", s)
		}
	}
}

// The reasons of the package, by name: TestReasons checks that the list is every exported
// Err* of the package.
var reasons = map[string]error{
	"ErrUninitialized": rosca.ErrUninitialized, "ErrInvalidConfig": rosca.ErrInvalidConfig,
	"ErrInvalidAmount": rosca.ErrInvalidAmount, "ErrNotMember": rosca.ErrNotMember,
	"ErrNotForeperson": rosca.ErrNotForeperson, "ErrNotOperator": rosca.ErrNotOperator,
	"ErrEnded": rosca.ErrEnded, "ErrNotEnded": rosca.ErrNotEnded, "ErrHalted": rosca.ErrHalted,
	"ErrHaltNotEnabled": rosca.ErrHaltNotEnabled, "ErrHaltEnabled": rosca.ErrHaltEnabled,
	"ErrNotBidding": rosca.ErrNotBidding, "ErrAlreadyWon": rosca.ErrAlreadyWon,
	"ErrNotInGoodStanding": rosca.ErrNotInGoodStanding, "ErrBidTooLow": rosca.ErrBidTooLow,
	"ErrBidTooHigh": rosca.ErrBidTooHigh, "ErrTooEarly": rosca.ErrTooEarly,
	"ErrTimeBackwards": rosca.ErrTimeBackwards, "ErrNothingToWithdraw": rosca.ErrNothingToWithdraw,
	"ErrInDebt": rosca.ErrInDebt, "ErrNoCash": rosca.ErrNoCash, "ErrNothingToPay": rosca.ErrNothingToPay, "ErrNotPrized": rosca.ErrNotPrized, "ErrSealedBids": rosca.ErrSealedBids, "ErrBadReveal": rosca.ErrBadReveal, "ErrTooLate": rosca.ErrTooLate,
	"ErrReplay": rosca.ErrReplay, "ErrAudit": rosca.ErrAudit,
	"ErrNotInDefault": rosca.ErrNotInDefault, "ErrDeterrentOff": rosca.ErrDeterrentOff, "ErrNoCollateral": rosca.ErrNoCollateral,
	"ErrUnknownGuarantor": rosca.ErrUnknownGuarantor, "ErrPledgeExceeded": rosca.ErrPledgeExceeded, "ErrNoBounty": rosca.ErrNoBounty,
	"ErrDuplicate": rosca.ErrDuplicate, "ErrInNotice": rosca.ErrInNotice, "ErrAlreadyMember": rosca.ErrAlreadyMember,
	"ErrInsufficientSecurity": rosca.ErrInsufficientSecurity,
}

// Every exported Err* is a *fault.Reason with a unique code "rosca.snake_case", a message
// starting "rosca: ", and a line of the table in doc.go giving its code and class.
func TestReasons(t *testing.T) {
	declared := exportedErrs(t)
	var listed []string
	for name := range reasons {
		listed = append(listed, name)
	}
	slices.Sort(declared)
	slices.Sort(listed)
	if !slices.Equal(declared, listed) {
		t.Fatalf("exported Err* %v, listed in the test %v", declared, listed)
	}
	doc, err := os.ReadFile("doc.go")
	ok(t, err)
	code := regexp.MustCompile(`^rosca\.[a-z]+(_[a-z]+)*$`)
	seen := map[string]string{}
	for name, err := range reasons {
		r, isReason := err.(*fault.Reason)
		if !isReason {
			t.Fatalf("%s is a %T, not a *fault.Reason", name, err)
		}
		if !code.MatchString(r.Code()) || !strings.HasPrefix(r.Error(), "rosca: ") || r.Class() == fault.Unknown {
			t.Fatalf("%s: code %q, class %v, message %q", name, r.Code(), r.Class(), r.Error())
		}
		if other, dup := seen[r.Code()]; dup {
			t.Fatalf("%s and %s share the code %s", name, other, r.Code())
		}
		seen[r.Code()] = name
		line := regexp.MustCompile(`(?m)^//\s+` + regexp.QuoteMeta(r.Code()) + `\s+` + r.Class().String() + `\s+\S`)
		if !line.Match(doc) {
			t.Fatalf("doc.go has no table line for %s: %s %s", name, r.Code(), r.Class())
		}
	}
}

// exportedErrs returns the names of the exported package-level Err* variables.
func exportedErrs(t *testing.T) []string {
	files, err := filepath.Glob("*.go")
	ok(t, err)
	var names []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		ok(t, err)
		for _, d := range file.Decls {
			g, isGen := d.(*ast.GenDecl)
			if !isGen {
				continue
			}
			for _, s := range g.Specs {
				if v, isVal := s.(*ast.ValueSpec); isVal {
					for _, n := range v.Names {
						if strings.HasPrefix(n.Name, "Err") && n.IsExported() {
							names = append(names, n.Name)
						}
					}
				}
			}
		}
	}
	return names
}

// Each failure reads its code and class through fault, so a service maps it in one switch.
func TestErrorCodesAndClasses(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	cases := []struct {
		err   error
		code  string
		class fault.Class
	}{
		{c.Contribute(at(0), "x", wei(1)), "rosca.not_member", fault.NotFound},
		{c.Contribute(at(0), "m0", wei(-1)), "rosca.invalid_amount", fault.Invalid},
		{c.EnableHalt(at(0), "m0"), "rosca.not_operator", fault.Forbidden},
		{c.Bid(at(0), "m0", wei(3000)), "rosca.not_in_good_standing", fault.Conflict},
		{(&rosca.Circle{}).Audit(), "rosca.uninitialized", fault.Invalid},
		{(rosca.Config{}).Validate(), "rosca.invalid_config", fault.Invalid},
	}
	for _, tc := range cases {
		if got := fault.CodeOf(tc.err); got != tc.code || fault.ClassOf(tc.err) != tc.class {
			t.Errorf("%v: code %q class %v, want %q %v", tc.err, got, fault.ClassOf(tc.err), tc.code, tc.class)
		}
	}
}
