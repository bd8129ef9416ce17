package token_test

import (
	"sync"
	"testing"

	"github.com/trustcircle/trustcircle/token"
)

// TestQueriesOnlyRead: eight goroutines call every query of a ledger at once. Under -race
// this proves that queries do not write the ledger.
func TestQueriesOnlyRead(t *testing.T) {
	l := busyLedger(t)
	if _, err := l.VestInEscrow("bob", "escrow", "erin", token.CalendarSchedule(ta("3"), sec(0), token.Monthly, 3, 1), true); err != nil {
		t.Fatal(err)
	}
	if err := l.Freeze("alice", sec(3600)); err != nil {
		t.Fatal(err)
	}
	want := string(state(t, l))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				_ = l.Asset()
				_ = l.Supply()
				for _, a := range l.Accounts() {
					_, _, _ = l.Balance(a), l.Locked(a), l.Spendable(a)
					for _, b := range l.Accounts() {
						_ = l.Allowance(a, b)
					}
				}
				_ = l.Events()
				n := 0
				for range l.EventsAfter(l.LastSeq() / 2) {
					n++
				}
				if err := l.Audit(); err != nil {
					t.Error(err)
				}
				for _, g := range l.Vestings() {
					_ = g.Vested(sec(60))
					_, _ = l.Vesting(g.ID)
					_, _ = g.Table()
				}
				for seq := range l.LastSeq() + 1 {
					for _, a := range l.Accounts() {
						_, _ = l.BalanceAt(a, seq)
					}
					_, _ = l.BalancesAt(seq)
					if err := l.AuditAt(seq); err != nil {
						t.Error(err)
					}
				}
				_, _ = l.Frozen()
				_ = l.Snapshot()
				if data, err := l.MarshalJSON(); err != nil || string(data) != want {
					t.Errorf("concurrent MarshalJSON differs: %v", err)
				}
			}
		})
	}
	wg.Wait()
}
