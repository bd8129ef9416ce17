package token_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/token"
)

// newTestLedger returns a TRST ledger: alice 100, bob 50, carol 0 (named in a zero grant).
func newTestLedger(t *testing.T) *token.Ledger {
	t.Helper()
	l, err := token.NewLedger(token.Genesis{Asset: token.TRST(), Supply: ta("150"), Grants: []token.Grant{
		{Account: "alice", Amount: ta("100")}, {Account: "bob", Amount: ta("50")}, {Account: "carol", Amount: ta("0")}}})
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
	good := token.Genesis{Asset: token.TRST(), Supply: ta("3"), Grants: []token.Grant{{Account: "a", Amount: ta("1")}, {Account: "a", Amount: ta("2")}}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	l, err := token.NewLedger(good)
	if err != nil || !l.Balance("a").Equal(ta("3")) || len(l.Events()) != 2 {
		t.Fatalf("repeated account: %v, %s", err, l.Balance("a"))
	}
	mutate := map[string]func(g *token.Genesis){
		"zero asset":  func(g *token.Genesis) { g.Asset = token.Asset{} },
		"zero supply": func(g *token.Genesis) { g.Supply = token.TRST().Zero() },
		"other asset": func(g *token.Genesis) { g.Supply = token.ETH().MustParse("3") },
		"no supply":   func(g *token.Genesis) { g.Supply = token.Amount{} },
		"too large": func(g *token.Genesis) {
			g.Grants = []token.Grant{{Account: "a", Amount: maxTRST()}, {Account: "b", Amount: maxTRST()}}
		},
		"grant asset": func(g *token.Genesis) { g.Grants = []token.Grant{{Account: "a", Amount: token.BTC().MustParse("3")}} },
		"no grants":   func(g *token.Genesis) { g.Grants = nil },
		"bad account": func(g *token.Genesis) { g.Grants = []token.Grant{{Account: "", Amount: ta("3")}} },
		"negative grant": func(g *token.Genesis) {
			g.Grants = []token.Grant{{Account: "a", Amount: ta("4")}, {Account: "b", Amount: ta("-1")}}
		},
		"short": func(g *token.Genesis) { g.Grants = []token.Grant{{Account: "a", Amount: ta("2.999999")}} },
		"over":  func(g *token.Genesis) { g.Grants = []token.Grant{{Account: "a", Amount: ta("3.000001")}} },
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
	g.Grants = []token.Grant{{Account: "a b", Amount: ta("3")}}
	err = g.Validate()
	if e := checkErr(t, err, token.ErrGenesis); !errors.Is(err, token.ErrInvalidAccount) || e.Account != "a b" ||
		e.Code() != "token.genesis" || !strings.Contains(e.Error(), "grant 0: invalid account") {
		t.Errorf("bad account: %v", err)
	}
	g.Grants = []token.Grant{{Account: "a", Amount: ta("-3")}}
	if err := g.Validate(); !errors.Is(err, token.ErrNegativeAmount) {
		t.Errorf("negative grant: %v", err)
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
		if !l.Balance(a).Equal(ta(w)) {
			t.Errorf("%s: %s, want %s", a, l.Balance(a), w)
		}
	}
	if !l.Supply().Equal(ta("100000000")) || l.Asset() != token.TRST() {
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
		if err := l.Transfer(c.from, c.to, ta(c.amount)); err != nil {
			t.Fatalf("Transfer(%s, %s, %s): %v", c.from, c.to, c.amount, err)
		}
	}
	for a, w := range map[token.Account]string{"alice": "69.5", "bob": "80.499999", "dave": "0.000001", "erin": "0", "zed": "0"} {
		if !l.Balance(a).Equal(ta(w)) {
			t.Errorf("%s: %s, want %s", a, l.Balance(a), w)
		}
	}
	if diff := cmp.Diff([]token.Account{"alice", "bob", "carol", "dave", "erin"}, l.Accounts()); diff != "" {
		t.Errorf("Accounts (-want +got):\n%s", diff)
	}
	want := []token.Event{
		{Seq: 1, Kind: token.EventGenesis, To: "alice", Amount: ta("100")},
		{Seq: 2, Kind: token.EventGenesis, To: "bob", Amount: ta("50")},
		{Seq: 3, Kind: token.EventGenesis, To: "carol", Amount: ta("0")},
		{Seq: 4, Kind: token.EventTransfer, From: "alice", To: "bob", Amount: ta("30.5")},
		{Seq: 5, Kind: token.EventTransfer, From: "bob", To: "dave", Amount: ta("0.000001")},
		{Seq: 6, Kind: token.EventTransfer, From: "alice", To: "alice", Amount: ta("10")},
		{Seq: 7, Kind: token.EventTransfer, From: "erin", To: "alice", Amount: ta("0")},
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
	err := unchanged(t, l, func() error { return l.Transfer("alice", "bob", ta("100.000001")) })
	be := checkErr(t, err, token.ErrInsufficientBalance)
	if be.Op != "Transfer" || be.Account != "alice" || !be.Amount.Equal(ta("100.000001")) || !be.Limit.Equal(ta("100")) {
		t.Errorf("insufficient: %v %+v", err, be)
	}
	if want := `token: insufficient balance: alice has 100.000000 TRST spendable (op Transfer, account alice, amount 100.000001 TRST, limit 100.000000 TRST)`; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	err = unchanged(t, l, func() error { return l.Transfer("nobody", "bob", ta("1")) })
	if be := checkErr(t, err, token.ErrInsufficientBalance); !be.Limit.Equal(ta("0")) {
		t.Errorf("unknown account: %v", err)
	}
	if e := checkErr(t, unchanged(t, l, func() error { return l.Transfer("", "bob", ta("1")) }), token.ErrInvalidAccount); e.Account != "" || e.Op != "Transfer" {
		t.Errorf("bad from: %+v", e)
	}
	if e := checkErr(t, unchanged(t, l, func() error { return l.Transfer("alice", "b o b", ta("1")) }), token.ErrInvalidAccount); e.Account != "b o b" {
		t.Errorf("bad to: %+v", e)
	}
	if e := checkErr(t, unchanged(t, l, func() error { return l.Transfer("alice", "zo\u00eb", ta("1")) }), token.ErrInvalidAccount); e.Account != "zo\u00eb" {
		t.Errorf("non-ASCII to: %+v", e)
	}
	checkAmountErr(t, unchanged(t, l, func() error { return l.Transfer("alice", "bob", ta("-1")) }), token.ErrNegativeAmount, ta("-1"), "")
	checkAmountErr(t, unchanged(t, l, func() error { return l.Transfer("alice", "bob", token.ETH().MustParse("1")) }), token.ErrAssetMismatch, token.ETH().MustParse("1"), "")
	checkAmountErr(t, unchanged(t, l, func() error { return l.Transfer("alice", "bob", token.Amount{}) }), token.ErrInvalidAsset, token.Amount{}, "")
}

func TestAllowances(t *testing.T) {
	l := newTestLedger(t)
	if err := l.Approve("alice", "bob", ta("40")); err != nil {
		t.Fatal(err)
	}
	if err := l.TransferFrom("bob", "alice", "carol", ta("15")); err != nil {
		t.Fatal(err)
	}
	if !l.Allowance("alice", "bob").Equal(ta("25")) || !l.Balance("carol").Equal(ta("15")) || !l.Balance("alice").Equal(ta("85")) {
		t.Fatalf("after transferFrom: allowance %s carol %s alice %s", l.Allowance("alice", "bob"), l.Balance("carol"), l.Balance("alice"))
	}
	if err := l.IncreaseAllowance("alice", "bob", ta("5")); err != nil || !l.Allowance("alice", "bob").Equal(ta("30")) {
		t.Fatalf("increase: %v %s", err, l.Allowance("alice", "bob"))
	}
	if err := l.DecreaseAllowance("alice", "bob", ta("10")); err != nil || !l.Allowance("alice", "bob").Equal(ta("20")) {
		t.Fatalf("decrease: %v %s", err, l.Allowance("alice", "bob"))
	}
	if err := l.CompareAndApprove("alice", "bob", ta("20"), ta("7")); err != nil || !l.Allowance("alice", "bob").Equal(ta("7")) {
		t.Fatalf("compare-and-approve: %v %s", err, l.Allowance("alice", "bob"))
	}
	if err := l.DecreaseAllowance("alice", "bob", ta("7")); err != nil || !l.Allowance("alice", "bob").IsZero() {
		t.Fatalf("decrease to zero: %v", err)
	}
	if err := l.CompareAndApprove("alice", "bob", ta("0"), ta("1")); err != nil {
		t.Fatalf("compare-and-approve from zero: %v", err)
	}
	// An allowance may exceed the balance; the balance check still applies.
	if err := l.Approve("carol", "bob", ta("1000")); err != nil {
		t.Fatal(err)
	}
	want := []token.Event{
		{Seq: 4, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: ta("40")},
		{Seq: 5, Kind: token.EventTransfer, From: "alice", To: "carol", Spender: "bob", Amount: ta("15")},
		{Seq: 6, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: ta("30")},
		{Seq: 7, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: ta("20")},
		{Seq: 8, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: ta("7")},
		{Seq: 9, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: ta("0")},
		{Seq: 10, Kind: token.EventApproval, From: "alice", Spender: "bob", Amount: ta("1")},
		{Seq: 11, Kind: token.EventApproval, From: "carol", Spender: "bob", Amount: ta("1000")},
	}
	if diff := cmp.Diff(want, l.Events()[3:]); diff != "" {
		t.Errorf("Events (-want +got):\n%s", diff)
	}

	var ale *token.Error
	checkAllowanceErr := func(err error, sentinel *token.Reason, current, requested string) {
		t.Helper()
		ale = checkErr(t, err, sentinel)
		if ale.Err != sentinel || !ale.Limit.Equal(ta(current)) || !ale.Amount.Equal(ta(requested)) {
			t.Errorf("got %v %+v, want %v current %s requested %s", err, ale, sentinel, current, requested)
		}
	}
	err := unchanged(t, l, func() error { return l.TransferFrom("bob", "alice", "carol", ta("1.000001")) })
	checkAllowanceErr(err, token.ErrInsufficientAllowance, "1", "1.000001")
	if ale.Account != "bob" || ale.Op != "TransferFrom" || !strings.Contains(ale.Detail, "alice allows bob 1.000000 TRST") {
		t.Errorf("allowance error accounts %+v", ale)
	}
	if err := unchanged(t, l, func() error { return l.TransferFrom("bob", "carol", "alice", ta("15.000001")) }); !checkErr(t, err, token.ErrInsufficientBalance).Limit.Equal(ta("15")) {
		t.Errorf("transferFrom beyond balance: %v", err)
	}
	err = unchanged(t, l, func() error { return l.CompareAndApprove("alice", "bob", ta("2"), ta("5")) })
	checkAllowanceErr(err, token.ErrAllowanceChanged, "1", "2")
	err = unchanged(t, l, func() error { return l.DecreaseAllowance("alice", "bob", ta("1.5")) })
	checkAllowanceErr(err, token.ErrInsufficientAllowance, "1", "1.5")

	for name, f := range map[string]func() error{
		"transferFrom spender": func() error { return l.TransferFrom("", "alice", "bob", ta("1")) },
		"transferFrom from":    func() error { return l.TransferFrom("bob", "\x00", "bob", ta("1")) },
		"approve owner":        func() error { return l.Approve("", "bob", ta("1")) },
		"approve spender":      func() error { return l.Approve("alice", " ", ta("1")) },
		"cas spender":          func() error { return l.CompareAndApprove("alice", "", ta("1"), ta("1")) },
		"increase owner":       func() error { return l.IncreaseAllowance("", "bob", ta("1")) },
		"decrease spender":     func() error { return l.DecreaseAllowance("alice", "", ta("1")) },
	} {
		if err := unchanged(t, l, f); !errors.Is(err, token.ErrInvalidAccount) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, f := range map[string]func() error{
		"transferFrom": func() error { return l.TransferFrom("bob", "alice", "carol", ta("-1")) },
		"approve":      func() error { return l.Approve("alice", "bob", ta("-1")) },
		"cas next":     func() error { return l.CompareAndApprove("alice", "bob", ta("1"), ta("-1")) },
		"cas expected": func() error { return l.CompareAndApprove("alice", "bob", ta("-1"), ta("1")) },
		"increase":     func() error { return l.IncreaseAllowance("alice", "bob", ta("-1")) },
		"decrease":     func() error { return l.DecreaseAllowance("alice", "bob", ta("-1")) },
	} {
		checkAmountErr(t, unchanged(t, l, f), token.ErrNegativeAmount, ta("-1"), "")
		_ = name
	}
	checkAmountErr(t, unchanged(t, l, func() error { return l.Approve("alice", "bob", token.BTC().MustParse("1")) }), token.ErrAssetMismatch, token.BTC().MustParse("1"), "")
	// An allowance cannot grow beyond the Amount bound.
	if err := l.Approve("alice", "erin", maxTRST()); err != nil {
		t.Fatal(err)
	}
	checkErr(t, unchanged(t, l, func() error { return l.IncreaseAllowance("alice", "erin", ta("0.000001")) }), token.ErrAmountTooLarge)
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
}

func TestAuditZeroLedger(t *testing.T) {
	var l token.Ledger
	if err := l.Audit(); !errors.Is(err, token.ErrAudit) || !errors.Is(err, token.ErrUninitialized) {
		t.Fatalf("zero ledger audit: %v", err)
	}
	if err := l.Transfer("a", "b", ta("0")); !errors.Is(err, token.ErrUninitialized) {
		t.Fatalf("zero ledger accepted a transfer: %v", err)
	}
	if err := l.Approve("a", "b", ta("0")); !errors.Is(err, token.ErrUninitialized) {
		t.Fatalf("zero ledger accepted an approval: %v", err)
	}
}

// maxTRST returns the largest TRST amount, 10^96 - 1 minor units.
func maxTRST() token.Amount {
	x, err := token.TRST().Parse(strings.Repeat("9", token.MaxUnitDigits-6) + "." + strings.Repeat("9", 6))
	if err != nil {
		panic(err)
	}
	return x
}
