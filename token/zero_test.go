package token_test

import (
	"errors"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/token"
)

// TestZeroValues calls every exported method of the zero value of every exported type (on
// a pointer, and on the value for value types): none panics.
func TestZeroValues(t *testing.T) {
	for _, v := range []any{
		&token.Ledger{},
		token.Asset{}, &token.Asset{},
		token.Amount{}, &token.Amount{},
		token.Ratio{}, &token.Ratio{},
		token.Account(""), new(token.Account),
		token.Genesis{}, &token.Genesis{},
		token.Grant{}, &token.Grant{},
		token.TRSTAccounts{}, &token.TRSTAccounts{},
		token.Event{}, &token.Event{},
		token.EventKind(""), new(token.EventKind),
		token.Remainder{}, &token.Remainder{},
		token.Schedule{}, &token.Schedule{},
		token.VestingID(0), new(token.VestingID),
		token.VestingGrant{}, &token.VestingGrant{},
		token.Snapshot{}, &token.Snapshot{},
		token.SnapshotBalance{}, &token.SnapshotBalance{},
		token.SnapshotAllowance{}, &token.SnapshotAllowance{},
		token.SnapshotVesting{}, &token.SnapshotVesting{},
		token.Error{}, &token.Error{},
		token.Decoder{}, &token.Decoder{},
		token.Step(0), new(token.Step),
		token.VestingTable{}, &token.VestingTable{},
		token.VestingRow{}, &token.VestingRow{},
		token.TransferFreeze{}, &token.TransferFreeze{},
		token.SnapshotFreeze{}, &token.SnapshotFreeze{},
	} {
		// MustParse panics by design; WriteCSV, like fmt.Fprint, needs a writer: a nil
		// io.Writer is the caller's bug, not the zero value's.
		zerotest.CallMethods(t, v, "MustParse", "WriteCSV")
	}
}

// TestZeroLedger: every command of the zero Ledger returns ErrUninitialized and changes
// nothing; every query returns a zero result.
func TestZeroLedger(t *testing.T) {
	var l token.Ledger
	at := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	s := token.LinearSchedule(ta("1"), at, at.Add(time.Hour))
	for name, cmd := range map[string]func() error{
		"Transfer":          func() error { return l.Transfer("a", "b", ta("1")) },
		"TransferFrom":      func() error { return l.TransferFrom("s", "a", "b", ta("1")) },
		"Approve":           func() error { return l.Approve("a", "b", ta("1")) },
		"CompareAndApprove": func() error { return l.CompareAndApprove("a", "b", ta("0"), ta("1")) },
		"IncreaseAllowance": func() error { return l.IncreaseAllowance("a", "b", ta("1")) },
		"DecreaseAllowance": func() error { return l.DecreaseAllowance("a", "b", ta("0")) },
		"Vest":              func() error { _, err := l.Vest("a", "b", s, true); return err },
		"Release":           func() error { _, err := l.Release(at, 1); return err },
		"Revoke":            func() error { _, err := l.Revoke(at, 1); return err },
		"Vesting":           func() error { _, err := l.Vesting(1); return err },
		"Audit":             l.Audit,
		"VestInEscrow":      func() error { _, err := l.VestInEscrow("a", "e", "b", s, true); return err },
		"Freeze":            func() error { return l.Freeze("a", time.Time{}) },
		"Unfreeze":          func() error { return l.Unfreeze("a") },
		"Thaw":              func() error { _, err := l.Thaw(at); return err },
		"BalanceAt":         func() error { _, err := l.BalanceAt("a", 0); return err },
		"BalancesAt":        func() error { _, err := l.BalancesAt(0); return err },
		"AuditAt":           func() error { return l.AuditAt(0) },
	} {
		err := cmd()
		if !errors.Is(err, token.ErrUninitialized) {
			t.Errorf("%s on the zero Ledger: %v", name, err)
		}
	}
	if l.Asset().IsValid() || l.Supply().IsValid() || !l.Balance("a").IsZero() || !l.Allowance("a", "b").IsZero() ||
		!l.Locked("a").IsZero() || !l.Spendable("a").IsZero() || len(l.Accounts()) != 0 || len(l.Events()) != 0 ||
		len(l.Vestings()) != 0 || l.LastSeq() != 0 || func() bool { _, ok := l.Frozen(); return ok }() {
		t.Error("a query of the zero Ledger returns something")
	}
	for e := range l.EventsAfter(0) {
		t.Errorf("the zero Ledger yields %+v", e)
	}
	if _, err := token.Restore(l.Snapshot()); !errors.Is(err, token.ErrSnapshot) {
		t.Errorf("Restore of the zero Ledger's snapshot: %v", err)
	}
	// UnmarshalJSON makes a zero Ledger a real one.
	data := state(t, busyLedger(t))
	if err := l.UnmarshalJSON(data); err != nil || l.Audit() != nil {
		t.Fatalf("UnmarshalJSON into the zero Ledger: %v", err)
	}
}
