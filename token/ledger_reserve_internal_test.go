package token

import (
	"reflect"
	"strconv"
	"testing"
)

// Reserve grows the account index once and changes nothing a query can see.
func TestLedgerReserve(t *testing.T) {
	var zero Ledger
	zero.Reserve(10) // nothing to prepare, no panic
	l, err := NewLedger(TRSTGenesis(TRSTAccounts{Sale: "sale", Team: "team", Organisation: "org", Bounties: "bounties"}))
	if err != nil {
		t.Fatal(err)
	}
	before := l.Snapshot()
	seq := l.LastSeq()
	l.Reserve(0)
	l.Reserve(-5)
	l.Reserve(10_000)
	if got := len(l.ids.slots); got != 1<<15 {
		t.Fatalf("%d slots for 10,004 accounts", got)
	}
	l.Reserve(1 << 40) // bounded by MaxReserve
	if got := len(l.ids.slots); got != 1<<23 {
		t.Fatalf("%d slots after reserving the maximum", got)
	}
	l.Reserve(100) // already room: nothing moves
	if l.LastSeq() != seq || !reflect.DeepEqual(l.Snapshot(), before) {
		t.Fatal("Reserve changed the ledger")
	}
	for i := range 20_000 {
		if err := l.Transfer("sale", Account("p"+strconv.Itoa(i)), TRST().FromInt64Units(1)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
	if got := l.Balance("p19999"); !got.Equal(TRST().FromInt64Units(1)) {
		t.Fatalf("p19999 holds %s", got)
	}
}
