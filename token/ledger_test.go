package token_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// newTestLedger returns a TRST ledger: alice 100, bob 50, carol 0 (named in a zero grant).
func newTestLedger(t *testing.T) *token.Ledger {
	t.Helper()
	l, err := token.NewLedger(token.Genesis{Asset: token.TRST(), Supply: dec("150"), Grants: []token.Grant{
		{Account: "alice", Amount: dec("100")}, {Account: "bob", Amount: dec("50")}, {Account: "carol", Amount: dec("0")}}})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func state(t *testing.T, l *token.Ledger) []byte {
	t.Helper()
	data, err := l.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// unchanged runs a command that must fail and checks that it changed nothing.
func unchanged(t *testing.T, l *token.Ledger, f func() error) error {
	t.Helper()
	before := state(t, l)
	err := f()
	if err == nil {
		t.Fatal("command accepted, want an error")
	}
	if after := state(t, l); !bytes.Equal(before, after) {
		t.Fatalf("rejected command (%v) changed the ledger:\n%s\n%s", err, before, after)
	}
	if !strings.HasPrefix(err.Error(), "token: ") {
		t.Fatalf("message %q lacks the package prefix", err.Error())
	}
	return err
}

func TestGenesisValidate(t *testing.T) {
	good := token.Genesis{Asset: token.TRST(), Supply: dec("3"), Grants: []token.Grant{{Account: "a", Amount: dec("1")}, {Account: "a", Amount: dec("2")}}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	l, err := token.NewLedger(good)
	if err != nil || !l.Balance("a").Equal(dec("3")) || len(l.Events()) != 2 {
		t.Fatalf("repeated account: %v, %s", err, l.Balance("a"))
	}
	mutate := map[string]func(g *token.Genesis){
		"zero asset":  func(g *token.Genesis) { g.Asset = token.Asset{} },
		"zero supply": func(g *token.Genesis) { g.Supply = decimal.Zero },
		"sub-unit":    func(g *token.Genesis) { g.Supply = dec("3.0000001") },
		"no grants":   func(g *token.Genesis) { g.Grants = nil },
		"bad account": func(g *token.Genesis) { g.Grants = []token.Grant{{Account: "", Amount: dec("3")}} },
		"negative grant": func(g *token.Genesis) {
			g.Grants = []token.Grant{{Account: "a", Amount: dec("4")}, {Account: "b", Amount: dec("-1")}}
		},
		"short": func(g *token.Genesis) { g.Grants = []token.Grant{{Account: "a", Amount: dec("2.999999")}} },
		"over":  func(g *token.Genesis) { g.Grants = []token.Grant{{Account: "a", Amount: dec("3.000001")}} },
	}
	for name, m := range mutate {
		g := good
		g.Grants = append([]token.Grant(nil), good.Grants...)
		m(&g)
		if err := g.Validate(); !errors.Is(err, token.ErrGenesis) {
			t.Errorf("%s: Validate = %v", name, err)
		}
		if l, err := token.NewLedger(g); !errors.Is(err, token.ErrGenesis) || l != nil {
			t.Errorf("%s: NewLedger = %v", name, err)
		}
	}
	// The wrapped cause is visible too.
	g := good
	g.Grants = []token.Grant{{Account: "a b", Amount: dec("3")}}
	var ae *token.AccountError
	if err := g.Validate(); !errors.As(err, &ae) || ae.Account != "a b" {
		t.Errorf("bad account: %v", err)
	}
}

func TestTRSTGenesis(t *testing.T) {
	accs := token.TRSTAccounts{Sale: "sale", Team: "team", Organisation: "org", Bounties: "bounties"}
	l, err := token.NewLedger(token.TRSTGenesis(accs))
	if err != nil {
		t.Fatal(err)
	}
	want := map[token.Account]string{"sale": "80000000", "team": "10000000", "org": "8000000", "bounties": "2000000"}
	for a, w := range want {
		if !l.Balance(a).Equal(dec(w)) {
			t.Errorf("%s: %s, want %s", a, l.Balance(a), w)
		}
	}
	if !l.Supply().Equal(dec("100000000")) || l.Asset() != token.TRST() {
		t.Errorf("supply %s asset %v", l.Supply(), l.Asset())
	}
	if _, err := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{})); !errors.Is(err, token.ErrGenesis) {
		t.Errorf("empty accounts: %v", err)
	}
}

func TestTransfer(t *testing.T) {
	l := newTestLedger(t)
	for _, c := range []struct {
		from, to token.Account
		amount   string
	}{{"alice", "bob", "30.5"}, {"bob", "dave", "0.000001"}, {"alice", "alice", "10"}, {"erin", "alice", "0"}} {
		if err := l.Transfer(c.from, c.to, dec(c.amount)); err != nil {
			t.Fatalf("Transfer(%s, %s, %s): %v", c.from, c.to, c.amount, err)
		}
	}
	for a, w := range map[token.Account]string{"alice": "69.5", "bob": "80.499999", "dave": "0.000001", "erin": "0", "zed": "0"} {
		if !l.Balance(a).Equal(dec(w)) {
			t.Errorf("%s: %s, want %s", a, l.Balance(a), w)
		}
	}
	if diff := cmp.Diff([]token.Account{"alice", "bob", "carol", "dave", "erin"}, l.Accounts()); diff != "" {
		t.Errorf("Accounts (-want +got):\n%s", diff)
	}
	want := []token.Event{
		{Seq: 1, Kind: token.EventGenesis, To: "alice", Amount: dec("100")},
		{Seq: 2, Kind: token.EventGenesis, To: "bob", Amount: dec("50")},
		{Seq: 3, Kind: token.EventGenesis, To: "carol", Amount: dec("0")},
		{Seq: 4, Kind: token.EventTransfer, From: "alice", To: "bob", Amount: dec("30.5")},
		{Seq: 5, Kind: token.EventTransfer, From: "bob", To: "dave", Amount: dec("0.000001")},
		{Seq: 6, Kind: token.EventTransfer, From: "alice", To: "alice", Amount: dec("10")},
		{Seq: 7, Kind: token.EventTransfer, From: "erin", To: "alice", Amount: dec("0")},
	}
	if diff := cmp.Diff(want, l.Events()); diff != "" {
		t.Errorf("Events (-want +got):\n%s", diff)
	}
	ev := l.Events()
	ev[0].To = "mallory"
	if l.Events()[0].To != "alice" {
		t.Error("Events returned the ledger's own slice")
	}
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
}

func TestTransferErrors(t *testing.T) {
	l := newTestLedger(t)
	err := unchanged(t, l, func() error { return l.Transfer("alice", "bob", dec("100.000001")) })
	var be *token.BalanceError
	if !errors.Is(err, token.ErrInsufficientBalance) || !errors.As(err, &be) ||
		be.Account != "alice" || !be.Amount.Equal(dec("100.000001")) || !be.Available.Equal(dec("100")) {
		t.Errorf("insufficient: %v %+v", err, be)
	}
	err = unchanged(t, l, func() error { return l.Transfer("nobody", "bob", dec("1")) })
	if !errors.As(err, &be) || !be.Available.IsZero() {
		t.Errorf("unknown account: %v", err)
	}
	var ace *token.AccountError
	if err := unchanged(t, l, func() error { return l.Transfer("", "bob", dec("1")) }); !errors.As(err, &ace) || ace.Account != "" {
		t.Errorf("bad from: %v", err)
	}
	if err := unchanged(t, l, func() error { return l.Transfer("alice", "b o b", dec("1")) }); !errors.As(err, &ace) || ace.Account != "b o b" {
		t.Errorf("bad to: %v", err)
	}
	checkAmountErr(t, unchanged(t, l, func() error { return l.Transfer("alice", "bob", dec("-1")) }), token.ErrNegativeAmount, token.TRST(), "")
	checkAmountErr(t, unchanged(t, l, func() error { return l.Transfer("alice", "bob", dec("0.0000001")) }), token.ErrSubUnitAmount, token.TRST(), "")
}

func TestAllowances(t *testing.T) {
	l := newTestLedger(t)
	if err := l.Approve("alice", "bob", dec("40")); err != nil {
		t.Fatal(err)
	}
	if err := l.TransferFrom("bob", "alice", "carol", dec("15")); err != nil {
		t.Fatal(err)
	}
	if !l.Allowance("alice", "bob").Equal(dec("25")) || !l.Balance("carol").Equal(dec("15")) || !l.Balance("alice").Equal(dec("85")) {
		t.Fatalf("after transferFrom: allowance %s carol %s alice %s", l.Allowance("alice", "bob"), l.Balance("carol"), l.Balance("alice"))
	}
	if err := l.IncreaseAllowance("alice", "bob", dec("5")); err != nil || !l.Allowance("alice", "bob").Equal(dec("30")) {
		t.Fatalf("increase: %v %s", err, l.Allowance("alice", "bob"))
	}
	if err := l.DecreaseAllowance("alice", "bob", dec("10")); err != nil || !l.Allowance("alice", "bob").Equal(dec("20")) {
		t.Fatalf("decrease: %v %s", err, l.Allowance("alice", "bob"))
	}
	if err := l.CompareAndApprove("alice", "bob", dec("20"), dec("7")); err != nil || !l.Allowance("alice", "bob").Equal(dec("7")) {
		t.Fatalf("compare-and-approve: %v %s", err, l.Allowance("alice", "bob"))
	}
	if err := l.DecreaseAllowance("alice", "bob", dec("7")); err != nil || !l.Allowance("alice", "bob").IsZero() {
		t.Fatalf("decrease to zero: %v", err)
	}
	if err := l.CompareAndApprove("alice", "bob", dec("0"), dec("1")); err != nil {
		t.Fatalf("compare-and-approve from zero: %v", err)
	}
	// An allowance may exceed the balance; the balance check still applies.
	if err := l.Approve("carol", "bob", dec("1000")); err != nil {
		t.Fatal(err)
	}
	want := []token.Event{
		{Seq: 4, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: dec("40")},
		{Seq: 5, Kind: token.EventTransfer, From: "alice", To: "carol", Spender: "bob", Amount: dec("15")},
		{Seq: 6, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: dec("30")},
		{Seq: 7, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: dec("20")},
		{Seq: 8, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: dec("7")},
		{Seq: 9, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: dec("0")},
		{Seq: 10, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: dec("1")},
		{Seq: 11, Kind: token.EventApproval, From: "carol", Spender: "bob", Amount: dec("1000")},
	}
	if diff := cmp.Diff(want, l.Events()[3:]); diff != "" {
		t.Errorf("Events (-want +got):\n%s", diff)
	}

	var ale *token.AllowanceError
	checkAllowanceErr := func(err error, sentinel error, current, requested string) {
		t.Helper()
		if !errors.Is(err, sentinel) || !errors.As(err, &ale) || ale.Err != sentinel ||
			!ale.Current.Equal(dec(current)) || !ale.Requested.Equal(dec(requested)) {
			t.Errorf("got %v %+v, want %v current %s requested %s", err, ale, sentinel, current, requested)
		}
	}
	err := unchanged(t, l, func() error { return l.TransferFrom("bob", "alice", "carol", dec("1.000001")) })
	checkAllowanceErr(err, token.ErrInsufficientAllowance, "1", "1.000001")
	if ale.Owner != "alice" || ale.Spender != "bob" {
		t.Errorf("AllowanceError accounts %+v", ale)
	}
	var be *token.BalanceError
	if err := unchanged(t, l, func() error { return l.TransferFrom("bob", "carol", "alice", dec("15.000001")) }); !errors.As(err, &be) || !be.Available.Equal(dec("15")) {
		t.Errorf("transferFrom beyond balance: %v", err)
	}
	err = unchanged(t, l, func() error { return l.CompareAndApprove("alice", "bob", dec("2"), dec("5")) })
	checkAllowanceErr(err, token.ErrAllowanceChanged, "1", "2")
	err = unchanged(t, l, func() error { return l.DecreaseAllowance("alice", "bob", dec("1.5")) })
	checkAllowanceErr(err, token.ErrInsufficientAllowance, "1", "1.5")

	var ace *token.AccountError
	for name, f := range map[string]func() error{
		"transferFrom spender": func() error { return l.TransferFrom("", "alice", "bob", dec("1")) },
		"transferFrom from":    func() error { return l.TransferFrom("bob", "\x00", "bob", dec("1")) },
		"approve owner":        func() error { return l.Approve("", "bob", dec("1")) },
		"approve spender":      func() error { return l.Approve("alice", " ", dec("1")) },
		"cas spender":          func() error { return l.CompareAndApprove("alice", "", dec("1"), dec("1")) },
		"increase owner":       func() error { return l.IncreaseAllowance("", "bob", dec("1")) },
		"decrease spender":     func() error { return l.DecreaseAllowance("alice", "", dec("1")) },
	} {
		if err := unchanged(t, l, f); !errors.As(err, &ace) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, f := range map[string]func() error{
		"transferFrom": func() error { return l.TransferFrom("bob", "alice", "carol", dec("-1")) },
		"approve":      func() error { return l.Approve("alice", "bob", dec("-1")) },
		"cas next":     func() error { return l.CompareAndApprove("alice", "bob", dec("1"), dec("-1")) },
		"cas expected": func() error { return l.CompareAndApprove("alice", "bob", dec("-1"), dec("1")) },
		"increase":     func() error { return l.IncreaseAllowance("alice", "bob", dec("-1")) },
		"decrease":     func() error { return l.DecreaseAllowance("alice", "bob", dec("-1")) },
	} {
		checkAmountErr(t, unchanged(t, l, f), token.ErrNegativeAmount, token.TRST(), "")
		_ = name
	}
	checkAmountErr(t, unchanged(t, l, func() error { return l.Approve("alice", "bob", dec("0.0000001")) }), token.ErrSubUnitAmount, token.TRST(), "")
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
}

func TestAuditZeroLedger(t *testing.T) {
	var l token.Ledger
	if err := l.Audit(); !errors.Is(err, token.ErrAudit) {
		t.Fatalf("zero ledger audit: %v", err)
	}
	if err := l.Transfer("a", "b", dec("0")); err == nil {
		t.Fatal("zero ledger accepted a transfer")
	}
	if err := l.Approve("a", "b", dec("0")); err == nil {
		t.Fatal("zero ledger accepted an approval")
	}
}
