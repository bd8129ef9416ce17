package token_test

import (
	"sync"
	"testing"
)

// TestQueriesOnlyRead: eight goroutines call every query of a ledger at once. Under -race
// this proves that queries do not write the ledger.
func TestQueriesOnlyRead(t *testing.T) {
	l := busyLedger(t)
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
				}
				_ = l.Snapshot()
				if data, err := l.MarshalJSON(); err != nil || string(data) != want {
					t.Errorf("concurrent MarshalJSON differs: %v", err)
				}
			}
		})
	}
	wg.Wait()
}
