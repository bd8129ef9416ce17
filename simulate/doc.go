// Package simulate runs thousands of lending circles (package rosca) with members who follow
// strategies, and reports what each seat paid, received and earned: the distribution of the
// net outcome, every internal rate of return with its root flags (package rates), the losses
// to defaults and the fees.
//
// # Strategies
//
// A member's behaviour is three interfaces. A [Payer] decides what it pays when a round
// opens: [OnTime] pays what it owes, [Late] misses a payment now and then and catches up k
// rounds later, [Stop] defaults for good from a round on, [Part] pays a share of each
// contribution. A [Bidder] decides its bids in a bidding circle from a private valuation of
// the pot drawn each round from the member's [Valuation]: [Truthful] bids it, [Shaded] bids
// above it to keep part of the discount, [Undercut] bids down an open auction as long as the
// price stays acceptable, [RandomBid] bids at random within the rules, [NoBid] never bids.
// An [Enforcer] is the group's answer to defaults beyond the circle's own rules (a member who
// owes may not bid; a member drawn while it owes holds its pot as a debt): [Tolerate] leaves
// it there, [HaltWhenBehind] stops the circle through the emergency halt, and an [Actor]
// acts through the circle's deterrents (see Deterrents below). Users write their own by
// implementing the interfaces, or with [PayerFunc], [BidderFunc] and [EnforcerFunc].
// Strategies see the round through a [Turn], an [Auction] or a [Group], and draw randomness
// from its Rand only. The members' full positions in them are read from the circle only when
// some strategy is the user's own: the built-in ones need only what a member owes, which is
// much cheaper to read. With built-in strategies alone the simulation also follows itself
// what each member paid in and was paid out and the claims written off at the end, so it
// reads no position at all; in every bidding circle whose bids name the prize and are open,
// it makes the round's bounds after each accepted bid from the rules' caps. The records are
// the same either way.
//
// # Deterrents
//
// The circle's rules may hold deterrents against members who stop paying
// (rosca.Deterrents): collateral, recovery bounties, removal and substitution, acceleration,
// late fees. Late fees are the circle's own: it charges them at each close, and what a
// member owes ([Turn.Owed]) includes them, so a payer who pays everything it owes pays them
// too. The other deterrents are steps the group takes: an enforcer that is also an [Actor]
// acts through [Actions], the circle's deterrent commands by seat, at every [Stage] (as the
// circle starts, after each close, after the end), and the simulation records every flow
// they move. The built-in actors, small values to combine in [Enforcers], are
// [Collateral] (members post the collateral the rules ask, as they join and after their
// win), [Guarantors] (each member's guarantor pledges and pays its arrears after k rounds
// behind), [Replace] (removal with notice, then a fresh member in the seat), [Accelerate]
// (a prized member's future dues demanded at once, its collateral applied) and [Recover]
// (after the end: collateral applied, a bounty posted, the debt recovered):
//
//	sc.Circle.Rules.Deterrents = rosca.Deterrents{Collateral: rosca.Collateral{Form: rosca.CollateralBySeat}}
//	sc.Enforcer = simulate.Enforcers{simulate.Collateral{}, simulate.Recover{}, simulate.HaltWhenBehind{Rounds: 3}}
//
// A member's cash flows are its own money: collateral posted is its payment (as the circle
// starts, or when posted), collateral returned a receipt, and collateral applied to its dues
// moves nothing more; a recovery from it is its payment; its guarantors' payments are
// theirs, not its own (its record shows them, [MemberRecord.GuarantorPaid]). When a fresh
// member takes a seat over, the seat's record follows both members: the refund to the one
// leaving is a receipt and the newcomer's pay-in a payment, so the seat pays the deduction.
// The built-in actors read a position only for the members they act on, so the
// simulation still follows what members owe without reading positions after each close;
// with deterrents it reads them once at the end, for the records.
//
// # Scenarios and batches
//
// A [Scenario] is the circle's terms (a rosca.Config template), the members and their
// strategies, the enforcer, the number of circles and a seed. [Run] simulates the circles
// on all cores and hands one [CircleRecord] per circle and one [MemberRecord] per member to
// its sinks, in run order: [JSONLines] and [CSV] write them for other tools, [Aggregate]
// summarises them by seat ([SeatSummary]). Run i draws everything (the circle's own seed, the
// lotteries, the late payments, the valuations, the random bids) from a PCG source seeded by
// the scenario's seed and i alone, so its records are the same whatever the number of
// workers, and [RunOne] replays any run by itself. Each worker solves its members with a
// rates.Solver and keeps a bounded memo of the results of the flows it has solved (the
// rates are functions of the flows alone), so repeated flows, common in lotteries, are solved
// once; the memo turns itself off when it is seldom hit. A worker keeps the flows in minor
// units while they fit an int64, and as amounts beyond.
//
// # Rates of return per member
//
// With Digits set, each [MemberRecord] has every internal rate of return of the member's
// flows, with the root flags (one root, none, several; Descartes' and Norström's tests). With
// NPV set, it has the net present value at the scenario's Benchmark rate per round, rounded
// half to even to the minor unit: the figure to compare seats with, since it always exists.
// With MIRR set (and Digits), it has the modified rate of return at the Finance and
// Reinvest rates, with the member's role: a borrower (it held the others' money, as early
// winners do) reads the cost of its loan, a saver (a late winner) the return on its savings.
// The [SeatSummary] of each seat has their distributions and the counts of each role.
//
//	var agg simulate.Aggregate
//	out := bufio.NewWriter(f)
//	err := simulate.Run(ctx, sc, simulate.Options{}, &simulate.JSONLines{W: out}, &agg)
//	err = out.Flush()
//	for _, s := range agg.Seats() { fmt.Println(s.Member, s.Net.Median, s.IRR.Median) }
//
// In a round, every member is asked to pay, in seat order; in a bidding circle the members
// who may bid are then asked in passes, in an order drawn for the round, until a pass without
// a bid; the round closes at its deadline, the group's enforcer is consulted, and every
// member with a positive balance withdraws it. After the last round the foreperson takes the
// fees and the remainder. A member's cash flows are its payments (negative) and withdrawals
// (positive) by round, what it withdraws after a round's close counting in that round; its
// net is their sum, and per circle the members' nets add up to minus the fees, the remainder
// and the cash left unclaimed (with deterrents, plus the guarantors' payments, less the
// bounties paid and the collateral still held). An [Actor] acts as the circle starts,
// before the payments of round 1, and after each close before Halt is asked; after the
// last, before the withdrawals; collateral is returned after the end to every member who
// owes nothing (to all after a halt).
//
// # Sharding across machines
//
// A batch splits into index ranges: [Shard] i of n runs the runs [N i / n, N (i+1) / n) of
// a batch of N circles ([Options].Shard). Since a run depends on the seed and its index only,
// the shards' records together are the single-process run's, byte for byte once the lines
// are sorted; write the CSV header in shard 0 only (CSV.Header). Any batch system that hands
// each process an index will do. For a Kubernetes indexed Job, set completions and
// parallelism to n and completionMode to Indexed; each pod reads its index from the
// environment variable JOB_COMPLETION_INDEX ([ShardFromEnv]) and writes its own files:
//
//	shard, err := simulate.ShardFromEnv("JOB_COMPLETION_INDEX", n)
//	err = simulate.Run(ctx, sc, simulate.Options{Shard: shard}, &simulate.CSV{Members: f, Header: shard.Index == 0})
//
// The example program examples/simulate takes -shard i -shards n (or -shards n alone in such a
// pod); concatenate the files and sort them (sort, or feed them to an Aggregate) to get the
// whole batch.
//
// # Errors
//
// Every error the package returns is an *Error ([token.Error]) wrapping one of these reasons
// (match with errors.Is; fault.CodeOf and fault.ClassOf read the code and class):
//
//	code                         class      meaning
//	simulate.invalid_scenario    invalid    the scenario does not describe a batch (Detail names the field)
//	simulate.invalid_shard       invalid    a shard that is not one of n parts, or an index that does not parse
//	simulate.circle              internal   the circle refused a command the simulation needs (a bug)
//	simulate.output              internal   a sink failed to take a record (also matches its error)
//	simulate.canceled            conflict   the batch's context ended (also matches the context's error)
//
// The commands of [Actions] return the circle's own errors (package rosca's reasons: a
// deterrent the rules do not provide is rosca.ErrDeterrentOff, a seat out of range
// rosca.ErrNotMember); a refused command changes nothing, and the built-in actors ignore
// it, as the simulation ignores a refused bid.
//
// # Concurrency and zero values
//
// Scenarios and strategies are plain values, read by many goroutines at once: a strategy must
// not change its own fields. Run calls the sinks from one goroutine. An Aggregate's Add,
// Circle and Member are commands needing exclusive access; its Seats only reads, and may be
// called by many readers at once. Every type's zero value is documented with it and never
// panics: the zero Scenario is refused by Validate, the zero sinks discard, the zero
// Aggregate is empty, the zero built-in actors are the strategies their documentation
// states, and the zero Actions refuse every command.
package simulate
