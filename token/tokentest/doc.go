// Package tokentest provides rapid generators for the types of package token (assets,
// amounts, accounts, geneses, ledgers with random histories) and an invariant checker for
// ledgers (including a JSON round trip of the snapshot and a replay of the event log), so
// that property suites of other packages and of users reuse them.
//
// Every generator is deterministic in rapid's bitstream (no clock, no global randomness), so
// failures shrink and replay.
//
// A property of a user's package that moves money through a ledger can start from a ledger
// with a random history, and check the ledger's invariants after its own operations:
//
//	rapid.Check(t, func(t *rapid.T) {
//		l := tokentest.Ledger().Draw(t, "ledger")
//		from := rapid.SampledFrom(l.Accounts()).Draw(t, "from")
//		amt := tokentest.Amount(l.Asset(), l.Spendable(from)).Draw(t, "amount")
//		if err := shop.Pay(l, from, amt); err != nil { // the code under test
//			t.Fatal(err)
//		}
//		tokentest.CheckLedger(t, l)
//	})
//
// [Asset], [Amount], [Units], [Account], [Accounts], [Genesis], [Schedule],
// [CalendarSchedule] and [Zone] draw valid values; [InvalidAmount], [InvalidAmountText] and [InvalidAccount] draw values the
// token package must reject.
package tokentest
