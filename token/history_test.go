package token_test

import (
	"errors"
	"math/big"
	"slices"
	"strconv"
	"testing"

	"github.com/trustcircle/trustcircle/token"
)

// pastBalances replays the first seq events of l and returns the balances then.
func pastBalances(t *testing.T, l *token.Ledger, seq uint64) map[token.Account]token.Amount {
	t.Helper()
	out := map[token.Account]token.Amount{}
	es := l.Events()[:seq]
	genesis := 0
	for genesis < len(es) && es[genesis].Kind == token.EventGenesis {
		genesis++
	}
	if genesis == len(es) { // within the genesis: the grants so far
		for _, e := range es {
			out[e.To] = sumOf(l.Asset().Zero(), sumOf(out[e.To], e.Amount))
		}
		return out
	}
	r, err := token.Replay(slices.Values(es))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range r.Accounts() {
		out[a] = r.Balance(a)
	}
	return out
}

// TestBalanceAt: at every past sequence number of a ledger with every kind of event, each
// account's BalanceAt and BalancesAt are the balances of the log replayed up to it.
func TestBalanceAt(t *testing.T) {
	l := busyLedger(t)
	if _, err := l.VestInEscrow("bob", "escrow", "erin", token.LinearSchedule(ta("3"), sec(0), sec(10)), true); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Release(sec(5), 3); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Revoke(sec(6), 3); err != nil {
		t.Fatal(err)
	}
	if err := l.Transfer("alice", "alice", ta("1")); err != nil {
		t.Fatal(err)
	}
	accounts := append(l.Accounts(), "nobody", "carol")
	for seq := uint64(0); seq <= l.LastSeq(); seq++ {
		want := pastBalances(t, l, seq)
		for _, a := range accounts {
			got, err := l.BalanceAt(a, seq)
			w := sumOf(token.TRST().Zero(), want[a])
			if err != nil || !got.Equal(w) {
				t.Errorf("BalanceAt(%s, %d) = %s, %v; want %s", a, seq, got, err, w)
			}
		}
		all, err := l.BalancesAt(seq)
		if err != nil || len(all) != len(want) {
			t.Fatalf("BalancesAt(%d): %d accounts, %v; want %d", seq, len(all), err, len(want))
		}
		for _, b := range all {
			if !b.Amount.Equal(want[b.Account]) {
				t.Errorf("BalancesAt(%d): %s %s, want %s", seq, b.Account, b.Amount, want[b.Account])
			}
		}
		if err := l.AuditAt(seq); err != nil {
			t.Errorf("AuditAt(%d): %v", seq, err)
		}
	}
	for _, a := range l.Accounts() {
		if got, _ := l.BalanceAt(a, l.LastSeq()); !got.Equal(l.Balance(a)) {
			t.Errorf("%s now: %s, balance %s", a, got, l.Balance(a))
		}
	}
	// In the order the ledger first saw the accounts.
	all, _ := l.BalancesAt(l.LastSeq())
	if all[0].Account != "alice" || all[1].Account != "bob" || all[2].Account != "carol" || all[3].Account != "dave" {
		t.Errorf("order %v", all[:4])
	}
}

// TestBalanceAtErrors: a sequence number beyond the log is not found; the zero Ledger is
// not initialised.
func TestBalanceAtErrors(t *testing.T) {
	l := newTestLedger(t)
	for _, seq := range []uint64{4, 1 << 40, ^uint64(0)} {
		_, err := l.BalanceAt("alice", seq)
		if e := checkErr(t, err, token.ErrUnknownSeq); e.Op != "BalanceAt" || e.Detail != "seq "+strconv.FormatUint(seq, 10)+", the log ends at 3" {
			t.Errorf("BalanceAt(%d): %v", seq, err)
		}
		if _, err := l.BalancesAt(seq); !errors.Is(err, token.ErrUnknownSeq) {
			t.Errorf("BalancesAt(%d): %v", seq, err)
		}
		if err := l.AuditAt(seq); !errors.Is(err, token.ErrUnknownSeq) {
			t.Errorf("AuditAt(%d): %v", seq, err)
		}
	}
	var zero token.Ledger
	if _, err := zero.BalanceAt("a", 0); !errors.Is(err, token.ErrUninitialized) {
		t.Errorf("zero BalanceAt: %v", err)
	}
	if _, err := zero.BalancesAt(0); !errors.Is(err, token.ErrUninitialized) {
		t.Errorf("zero BalancesAt: %v", err)
	}
	if err := zero.AuditAt(0); !errors.Is(err, token.ErrUninitialized) {
		t.Errorf("zero AuditAt: %v", err)
	}
}

// TestBalanceAtWide: a ledger whose supply is 2^128 minor units or more keeps and audits
// its past balances exactly too.
func TestBalanceAtWide(t *testing.T) {
	eth := token.ETH()
	huge, _ := eth.FromUnits(new(big.Int).Lsh(big.NewInt(3), 130))
	half, _ := eth.FromUnits(new(big.Int).Lsh(big.NewInt(3), 129))
	l, err := token.NewLedger(token.Genesis{Asset: eth, Supply: huge, Grants: []token.Grant{{Account: "a", Amount: half}, {Account: "b", Amount: half}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Transfer("a", "b", half); err != nil {
		t.Fatal(err)
	}
	if err := l.Transfer("b", "c", eth.MinorUnit()); err != nil {
		t.Fatal(err)
	}
	for seq, want := range []map[token.Account]token.Amount{
		{}, {"a": half}, {"a": half, "b": half}, {"a": eth.Zero(), "b": huge}, {"a": eth.Zero(), "b": diffOf(huge, eth.MinorUnit()), "c": eth.MinorUnit()},
	} {
		for _, a := range []token.Account{"a", "b", "c"} {
			got, err := l.BalanceAt(a, uint64(seq))
			if w := sumOf(eth.Zero(), want[a]); err != nil || !got.Equal(w) {
				t.Errorf("BalanceAt(%s, %d) = %s, %v; want %s", a, seq, got, err, w)
			}
		}
		all, err := l.BalancesAt(uint64(seq))
		if err != nil || len(all) != len(want) {
			t.Errorf("BalancesAt(%d) = %v, %v", seq, all, err)
		}
		if err := l.AuditAt(uint64(seq)); err != nil {
			t.Errorf("AuditAt(%d): %v", seq, err)
		}
	}
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
}

// TestBalanceAtDistribution: after a distribution to 20,000 accounts, the sale account's
// and every participant's past balances are right, at a cost of their own events.
func TestBalanceAtDistribution(t *testing.T) {
	const n = 20_000
	l, err := token.NewLedger(token.Genesis{Asset: token.TRST(), Supply: ta("80000000"), Grants: []token.Grant{{Account: "sale", Amount: ta("80000000")}}})
	if err != nil {
		t.Fatal(err)
	}
	accs := distinctAccounts(n)
	for _, a := range accs {
		if err := l.Transfer("sale", a, ta("2")); err != nil {
			t.Fatal(err)
		}
	}
	for _, seq := range []uint64{0, 1, 2, n / 2, n, n + 1} {
		got, err := l.BalanceAt("sale", seq)
		want := diffOf(ta("80000000"), token.TRST().FromInt64Units(2_000_000*int64(max(int(seq)-1, 0))))
		if seq == 0 {
			want = token.TRST().Zero()
		}
		if err != nil || !got.Equal(want) {
			t.Errorf("sale at %d: %s %v, want %s", seq, got, err, want)
		}
	}
	for i, a := range accs {
		seq := uint64(i + 2) // the transfer to accs[i]
		before, _ := l.BalanceAt(a, seq-1)
		after, _ := l.BalanceAt(a, seq)
		if !before.IsZero() || !after.Equal(ta("2")) {
			t.Fatalf("%s: %s before, %s after its transfer", a, before, after)
		}
	}
	if err := l.AuditAt(n / 2); err != nil {
		t.Fatal(err)
	}
	all, err := l.BalancesAt(n / 2)
	if err != nil || len(all) != n/2 {
		t.Fatalf("BalancesAt: %d, %v", len(all), err)
	}
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
}
