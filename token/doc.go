// Package token holds the money of trustcircle: assets and exact amounts, exact ratios,
// exact splitting with a named remainder policy, a fixed-supply ERC20-like ledger that
// scales to millions of accounts, audits at past sequence numbers and transfer freezes,
// and vesting (by duration or by the calendar, locked in the ledger or held in escrow)
// enforced in that ledger. Every other package builds on it.
//
// # Assets and exact amounts
//
// An [Asset] names a currency and the scale of its minor unit: [ETH] has 18 decimals (wei),
// [BTC] 8 (satoshi), [TRST] 6; [NewAsset] makes others. An [Amount] is an exact, immutable
// amount of one asset, a whole number of its minor units: [Asset.Parse] reads "12.5" or
// "12.5 TRST", [ParseAmount] reads the canonical text "12.500000 TRST" that [Amount.String]
// writes, [Asset.FromUnits] and its fixed-width siblings convert from minor units, and
// [Asset.FromDecimal] from a decimal.Decimal. [Asset.Check] and [Asset.CheckPositive] validate
// an input: of the asset, not negative (not zero). Amounts add and subtract exactly and refuse
// mixed assets. Inside, an amount below 2^128 minor units lives in two machine words and its
// arithmetic does not allocate; larger ones, up to [MaxUnitDigits] digits, use math/big. No
// float is ever involved. A [Ratio] is an exact fraction in [0, 1] (fees, bonuses, shares)
// whose multiplications name their rounding.
//
// An [Account] is the identity every package uses: 1 to [MaxAccountLength] bytes of printable
// ASCII without space. It is an identifier, so Unicode spaces, invisible and format
// characters, look-alike letters and the composed and decomposed twins of one name cannot
// make two accounts that read the same.
//
// # Splitting, with the remainder named
//
// [Split] divides an amount into n parts and [Allocate] divides it in proportion to integer
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
// [Ledger.CompareAndApprove], a compare-and-swap on the allowance. A failed command returns
// an [*Error] and changes nothing; a successful one appends an [Event] to the log.
// [Ledger.Audit] checks the invariants: balances sum to the supply, nothing negative, locks
// consistent.
//
// The log is append-only: [Ledger.EventsAfter] hands out the events after a sequence number
// at the cost of those events alone, [Ledger.LastSeq] says where the log ends, and
// [Event.AppendJSON] writes one event as a JSON line, so that a service persists each
// command's events as it goes. An event carries all its command needs, so [Replay] rebuilds
// the ledger from the log alone, running every command again and checking it records the
// same event. [Ledger.Snapshot] and [Restore] (or [Ledger.MarshalJSON] and
// [Ledger.UnmarshalJSON]) turn a ledger into byte-stable JSON and back, re-checking
// everything, including a replay of the log.
//
// The ledger scales to a sale's distribution: a transfer costs two look-ups in a hash index
// of its own and 40 bytes of log, and a million transfers to a million new accounts, their
// events kept, take about half a second and allocate 115 MB (BenchmarkTransferMany);
// [Ledger.Reserve] sizes the account index once for that many new accounts. A million vesting
// grants on one schedule (BenchmarkVestGrants) take under a second and hold about 150 MB:
// grants share their schedule, which the ledger checks once. For audits,
// [Ledger.BalanceAt] gives an account's balance at any past sequence number by walking that account's own history
// (O(its events after that number)), and [Ledger.BalancesAt] and [Ledger.AuditAt] the
// balances and the supply check at a past number in one pass over the log up to it.
//
// A transfer freeze ([Ledger.Freeze]) stops transfers until a time ([Ledger.Thaw] is told
// the time) or until a named administrator lifts it ([Ledger.Unfreeze]): a sale freezes
// its token after distributing it, so that buyers cannot sell before refunds are settled.
// Only the administrator's tokens move meanwhile.
//
// Queries only read: they may be called concurrently by many readers; commands need
// exclusive access.
//
// # Vesting
//
// A [Schedule] says how a total vests: nothing before Start or the optional Cliff, then
// linearly (floor of the exact share, per nanosecond), in equal periodic tranches of a
// [time.Duration], or by the calendar: in tranches a [Step] of months apart ([Monthly],
// [Quarterly], [Yearly]), each date computed from the start and clamped to the end of
// shorter months ([Step.Date]: from January 31 to February 28, March 31, ...), vesting at
// the step dates or linearly over each step. [CalendarSchedule] builds one: an 8,000,000
// grant monthly over 4 years with a 1-year cliff vests exactly 2,000,000 on the
// anniversary. Tranches are rounded by the cumulative floor (after k of n tranches,
// floor(Total*k/n)), so they sum to the total exactly, and exactly the total has vested at
// End. [Schedule.Table] and [VestingGrant.Table] give a [VestingTable] (date, tranche,
// vested, releasable) for dashboards, as JSON or CSV.
//
// [Ledger.Vest] moves the total from a granter to a beneficiary, where it is locked: it
// counts in the balance but only the spendable part (balance minus locked) can be
// transferred. [Ledger.VestInEscrow] keeps it locked in an escrow account instead, out of
// the beneficiary's balance until released (see [Ledger.Vest] for when to use which).
// [Ledger.Release] unlocks what has vested (from an escrow, it moves it to the beneficiary);
// [Ledger.Revoke] (once, for revocable grants) returns the unvested part to the granter.
// [NewTRSTLedger] builds Trustcoin's ledger with the team's 10M locked under a two-year
// schedule. Times are kept in UTC (the instant is kept, the zone dropped) and must lie in
// the years 1 to 9999, so that every accepted command can be written to JSON and read back.
//
// # Encoding
//
// Every value encodes with the package's own code, whatever shopspring/decimal's package
// settings: amounts as their text ("12.500000 TRST"), ratios as "0.2%", times as UTC RFC
// 3339 with nanoseconds, durations as Go duration strings ("720h0m0s"). Events, geneses and
// snapshots carry a format version, "v":1, and their decoders refuse other versions and
// unknown fields.
//
// # Errors
//
// Every error of the package is an [*Error] (Op, Account, Amount, Limit, At, Input, Detail)
// that wraps one of the reasons below; match them with [errors.Is], and read the code and
// class with [fault.CodeOf] and [fault.ClassOf]. Some errors wrap a second reason, the cause
// (an invalid genesis because of an invalid account matches both [ErrGenesis] and
// [ErrInvalidAccount]); the code is the first one's.
//
//	code                           class      meaning
//	token.invalid_asset            invalid    a bad symbol or number of decimals, or the zero Asset
//	token.asset_mismatch           invalid    an amount of another asset than the one expected
//	token.invalid_amount           invalid    text that is not a decimal number
//	token.negative_amount          invalid    an amount below zero
//	token.zero_amount              invalid    zero where a positive amount is required
//	token.sub_unit_amount          invalid    an amount finer than the asset's minor unit
//	token.amount_too_large         invalid    more than MaxUnitDigits digits of minor units
//	token.invalid_ratio            invalid    a ratio outside [0, 1] or not in the ratio grammar
//	token.invalid_time             invalid    a time outside the years 1 to 9999, or the zero time
//	token.invalid_account          invalid    an account that is not 1 to 128 printable ASCII bytes
//	token.invalid_split            invalid    no parts, no or all-zero weights, a bad remainder index
//	token.genesis                  invalid    a genesis whose grants do not sum to its supply, or malformed
//	token.invalid_schedule         invalid    a vesting schedule that fails Schedule.Validate, a bad Step text
//	token.uninitialized            invalid    a command on the zero Ledger
//	token.table_too_large          invalid    a vesting table of more than MaxTableRows rows
//	token.insufficient_balance     conflict   a debit above the spendable balance
//	token.insufficient_allowance   conflict   a transferFrom or decrease above the allowance
//	token.allowance_changed        conflict   a compare-and-approve whose expected allowance is stale
//	token.already_revoked          conflict   a second revocation of a grant
//	token.nothing_to_release       conflict   a release when nothing more has vested
//	token.frozen                   conflict   a transfer or grant during a transfer freeze, or a second freeze
//	token.not_frozen               conflict   an unfreeze when transfers are not frozen
//	token.unknown_vesting          not_found  a VestingID the ledger never issued
//	token.unknown_seq              not_found  a sequence number beyond the end of the log
//	token.not_revocable            forbidden  a revocation of a grant made without the right
//	token.not_admin                forbidden  an unfreeze by another account than the freeze's administrator
//	token.snapshot                 internal   a snapshot that does not restore
//	token.replay                   internal   an event log that does not replay
//	token.audit                    internal   a broken ledger invariant
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
//	err = l.Transfer("bob", "alice", trst.MustParse("20"))         // ErrInsufficientBalance, Limit 12.5
//	start := time.Date(2017, 4, 13, 0, 0, 0, 0, time.UTC)
//	s := token.LinearSchedule(trst.MustParse("40"), start, start.AddDate(0, 0, 100))
//	id, err := l.Vest("alice", "carol", s, false)                   // carol 40, all locked
//	got, err := l.Release(start.AddDate(0, 0, 25), id)              // got 10: carol may spend 10
//	parts, err := token.Split(l.Balance("bob"), 3)                  // 4.166667 4.166667 4.166666
//
// All values (Asset, Amount, Ratio, Step, Schedule, VestingGrant, VestingTable, Event) are
// immutable and safe to share. Nothing in the package reads the clock: times are arguments.
// Nothing depends on randomness either; the ledger's account index seeds its hash at random
// (hash/maphash), which changes where entries lie, never a result.
package token
