package token

import (
	"errors"
	"testing"
	"time"
)

// auditLedger returns a ledger with transfers, a grant in escrow and a freeze.
func auditLedger(t *testing.T) *Ledger {
	t.Helper()
	trst := TRST()
	l, err := NewLedger(Genesis{Asset: trst, Supply: trst.MustParse("100"), Grants: []Grant{
		{Account: "alice", Amount: trst.MustParse("60")}, {Account: "bob", Amount: trst.MustParse("40")}}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.Transfer("alice", "carol", trst.MustParse("10")))
	_, err = l.VestInEscrow("bob", "escrow", "dave", CalendarSchedule(trst.MustParse("12"), start, Monthly, 12, 0), true)
	must(err)
	must(l.Approve("carol", "erin", trst.MustParse("1")))
	must(l.Freeze("alice", time.Time{}))
	return l
}

// TestAuditAtFindsBrokenLogs: AuditAt replays the log alone and names the first event that
// debits an account below zero, or a sum that is not the supply.
func TestAuditAtFindsBrokenLogs(t *testing.T) {
	for name, c := range map[string]struct {
		corrupt func(l *Ledger)
		seq     uint64
	}{
		"overdraft": {func(l *Ledger) { l.log.at(2).lo = 70_000_000 }, 3},
		"short genesis": {func(l *Ledger) {
			l.log.at(0).lo = 50_000_000
		}, 2},
		"genesis too long": {func(l *Ledger) { l.log.at(1).lo = 50_000_000 }, 2},
	} {
		l := auditLedger(t)
		if err := l.AuditAt(l.LastSeq()); err != nil {
			t.Fatalf("%s: a sound log: %v", name, err)
		}
		c.corrupt(l)
		if err := l.AuditAt(c.seq); !errors.Is(err, ErrAudit) {
			t.Errorf("%s: AuditAt = %v", name, err)
		}
		if _, err := l.BalancesAt(l.LastSeq()); !errors.Is(err, ErrAudit) {
			t.Errorf("%s: BalancesAt = %v", name, err)
		}
	}
}

// TestAuditFindsBrokenState: Audit checks the account index, the flags and the locks.
func TestAuditFindsBrokenState(t *testing.T) {
	for name, corrupt := range map[string]func(l *Ledger){
		"index count":    func(l *Ledger) { l.ids.n++ },
		"unindexed":      func(l *Ledger) { l.acct(1).name = "mallory" },
		"balance":        func(l *Ledger) { l.acct(1).bal.Lo++ },
		"not a holder":   func(l *Ledger) { l.acct(l.find("erin")).bal.Lo = 1 },
		"lock flag":      func(l *Ledger) { l.acct(l.find("escrow")).flags &^= hasLock },
		"stray lock":     func(l *Ledger) { l.locked[l.find("carol")] = TRST().MustParse("1") },
		"lock amount":    func(l *Ledger) { l.locked[l.find("escrow")] = TRST().MustParse("11") },
		"grant holder":   func(l *Ledger) { l.vestings.at(0).holder = l.find("dave") },
		"unknown holder": func(l *Ledger) { l.locked[999] = TRST().MustParse("1") },
	} {
		l := auditLedger(t)
		if err := l.Audit(); err != nil {
			t.Fatalf("%s: a sound ledger: %v", name, err)
		}
		corrupt(l)
		if err := l.Audit(); !errors.Is(err, ErrAudit) {
			t.Errorf("%s: Audit = %v", name, err)
		}
	}
}
