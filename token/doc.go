// Package token holds the money of trustcircle: assets and exact amounts, exact splitting
// with a named remainder policy, a fixed-supply ERC20-like ledger, and vesting enforced in
// that ledger. Every other package builds on it.
//
// # Assets and exact amounts
//
// An [Asset] names a currency and the scale of its minor unit: [ETH] has 18 decimals (wei),
// [BTC] 8 (satoshi), [TRST] 6; [NewAsset] makes others. Amounts are [decimal.Decimal] values
// in whole units ("1.5" ETH) that must be whole numbers of minor units. [Asset.Parse] reads
// one from text, [Asset.Check] and [Asset.CheckPositive] validate one, and [Asset.Format]
// prints it with exactly the asset's decimals. Inside, amounts are integers of minor units:
// [Asset.Units] and [Asset.FromUnits] convert exactly, far beyond 64 bits (10^30 wei is
// fine). No float is ever involved. Bad input is a typed error, [*AmountError], that
// matches one sentinel ([ErrNegativeAmount], [ErrSubUnitAmount], ...) with [errors.Is].
//
// An [Account] is the identity every package uses: non-empty, valid UTF-8, no spaces or
// control characters, at most [MaxAccountLength] bytes.
//
// # Splitting, with the remainder named
//
// [Split] divides an amount into n parts and [Allocate] divides it in proportion to
// weights. Each part is first the floor of its exact share, in minor units; the few units
// left over (fewer than the number of parts) go where a [Remainder] policy says:
// [LargestRemainder] (the default, Hamilton's method: one unit each to the largest
// fractional remainders, ties to the lower index, never to a zero weight) or [RemainderTo]
// (all to one part). The parts always sum to the amount exactly. [AllocateUnits] is the
// integer core, for callers that already hold minor units (the crowdsale allocates 80M TRST
// over hundreds of thousands of weights with it).
//
// # The ledger
//
// A [Ledger] is created from a [Genesis] whose grants sum exactly to a fixed supply
// ([TRSTGenesis] is Trustcoin's: 80M sale, 10M team, 8M organisation, 2M bounties). It offers
// ERC20's operations ([Ledger.Transfer], [Ledger.Approve], [Ledger.TransferFrom],
// [Ledger.IncreaseAllowance], [Ledger.DecreaseAllowance]) and Trustcoin's
// [Ledger.CompareAndApprove], a compare-and-swap on the allowance. A failed operation
// returns a typed error ([*BalanceError], [*AllowanceError], [*AccountError],
// [*AmountError]) and changes nothing; a successful one appends an [Event]. [Ledger.Audit]
// checks the invariants: balances sum to the supply, nothing negative, locks consistent.
// [Ledger.Snapshot] and [Restore] (or [Ledger.MarshalJSON] and [Ledger.UnmarshalJSON]) turn a
// ledger into byte-stable JSON and back, re-checking everything, including a replay of the
// event log.
//
// # Vesting
//
// A [Schedule] says how a total vests: nothing before Start or the optional Cliff, then
// linearly (floor of the exact share, per nanosecond) or in equal periodic tranches, and
// exactly the total at End. [Ledger.Vest] moves the total from a granter to a beneficiary,
// where it is locked: it counts in the balance but only the spendable part (balance minus
// locked) can be transferred. [Ledger.Release] unlocks what has vested; [Ledger.Revoke] (once,
// for revocable grants) returns the unvested part to the granter. [NewTRSTLedger] builds
// Trustcoin's ledger with the team's 10M locked under a two-year schedule.
//
// # Example
//
// Alice holds the whole supply of 100 TRST, pays Bob, and vests 40 TRST to Carol over 100
// days:
//
//	trst := token.TRST()
//	l, err := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("100"),
//		Grants: []token.Grant{{Account: "alice", Amount: trst.MustParse("100")}}})
//	if err != nil { ... }
//	err = l.Transfer("alice", "bob", trst.MustParse("12.5"))       // alice 87.5, bob 12.5
//	err = l.Transfer("bob", "alice", trst.MustParse("20"))         // *BalanceError: bob has 12.5
//	start := time.Date(2017, 4, 13, 0, 0, 0, 0, time.UTC)
//	s := token.LinearSchedule(trst, trst.MustParse("40"), start, start.AddDate(0, 0, 100))
//	id, err := l.Vest("alice", "carol", s, false)                   // carol 40, all locked
//	got, err := l.Release(start.AddDate(0, 0, 25), id)              // got 10: carol may spend 10
//	parts, err := token.Split(trst, l.Balance("bob"), 3)            // 4.166667 4.166667 4.166666
//
// All values (Asset, Schedule, VestingGrant, Event) are immutable and safe to share; a
// Ledger is not safe for concurrent use. Nothing in the package reads the clock or global
// randomness: times are arguments.
package token
