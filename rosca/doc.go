// Package rosca is the lending-circle engine: a rotating savings and credit association
// (ROSCA) run exactly, to the minor unit, with every command recorded in a replayable
// event log.
//
// # The circle
//
// A [Circle] is built from a [Config]: the asset, the kind (how winners are chosen: the
// lowest bid, a seeded lottery, or a fixed seat order), the members in seat order, the
// foreperson (who runs the circle and earns the fee), the platform operator (who may
// enable the emergency halt), the contribution C due each round, the start and the round
// period, the number of epochs (an epoch is one round per member, and every member wins
// exactly once in it), the foreperson's fee, the [Rules] and a [Seed] for the draws.
//
// Round r (counted from 1 across epochs) is open from the start or from the close of
// round r-1, and may be closed from Start + r x Period. Every member owes C x r by then;
// the pot is P = C x n. Commands take the time explicitly and must come in time order:
//
//   - [Circle.Contribute]: a member pays in any positive amount (the surplus is credit).
//   - [Circle.Bid]: in a bidding circle, a member in good standing who has not won in the
//     epoch offers to take less than the pot.
//   - [Circle.CloseRound]: anyone closes the round at or after its deadline; overdue rounds
//     close one after another.
//   - [Circle.Withdraw]: a member takes its positive balance, as far as free cash allows.
//   - [Circle.RetrieveFees] and [Circle.DisposeRemainder]: after the end, the foreperson
//     takes the fees and the named rounding remainder, and nothing else.
//   - [Circle.EnableHalt] (operator) and [Circle.ActivateHalt] (foreperson): the emergency
//     stop, which settles the cash among the members pro rata to what each is owed.
//
// A rejected command returns a typed error (match it with [errors.Is] against the ErrX
// sentinels, or [errors.As] for the facts) and leaves the circle exactly as it was. An
// accepted one appends an [Event]. [Replay] rebuilds a circle from its config and events.
//
// # The reference arithmetic
//
// [WeTrustRules] reproduces WeTrust's ROSCA contract (version 3) figure for figure. With
// RF(x) = floor(x x (1000-f)/1000), the winner of a round is credited RF(bid), the
// discount RF(P - bid) joins an undivided pool of which every member's share is
// floor(pool/n), and the fee reserve is recomputed at each close as floor(base x f/1000),
// base being the dues so far less each member's shortfall. A member's balance is its
// credit (contributions - withdrawals + winnings) plus its share, less C x r for the open
// round r. The contract's defects are fixed: the fee reserve never exceeds the cash (a
// withdrawal can never be locked), the foreperson cannot sweep members' unclaimed money,
// any number of members from 2 to [MaxMembers] works, and every minor unit sits in a
// named bucket ([Totals], checked by [Circle.Audit]).
//
// # A worked example
//
// Three members pay C = 1000 wei a round with a 2% fee (the contract's dust example), so
// P = 3000 and the smallest bid is floor(3000 x 65/100) = 1950.
//
//	Round 1: all pay 1000; m0 bids 1951 and wins.
//	         m0 is credited RF(1951) = floor(1911.98) = 1911; the pool gets RF(1049) = 1028,
//	         so every share is floor(1028/3) = 342; the fee withheld is 60 and 1 wei of dust
//	         is left (3000 - 1911 - 1028 - 60). Balances against C x 2:
//	         m0 1000 + 1911 + 342 - 2000 = 1253, m1 and m2 1000 + 342 - 2000 = -658.
//	Round 2: all pay 1000; m1 bids 1951 and wins: the same figures; the pool is 2056.
//	Round 3: all pay 1000; nobody bids; m2, the last unpaid member, takes RF(3000) = 2940.
//	End:     shares are floor(2056/3) = 685; withdrawals 4911 + 685 - 3000 = 2596 for m0
//	         and m1, 5940 + 685 - 3000 = 3625 for m2; fees 180; remainder 3 wei
//	         (1 + 1 of dust and 2056 mod 3 = 1), which the foreperson may take.
//
// In code:
//
//	c, err := rosca.New(cfg) // cfg.Rules = rosca.WeTrustRules()
//	_ = c.Contribute(at, "m0", amount)
//	_ = c.Bid(at, "m0", bid)
//	res, err := c.CloseRound(c.Round().Deadline)
//	p, err := c.Position("m0") // p.Balance > 0: withdrawable
//	paid, err := c.Withdraw(at, "m0")
//	if err := c.Audit(); err != nil { ... } // never fails: the books balance
//
// # Other forms
//
// The [Rules] also share the discount among the others only ([ShareOthers]) or among the
// members who have not won yet ([ShareUnpaid]), and send remainders to the foreperson,
// into the next round's discount, or to the round's winner. Package rosca/roscatest holds
// rapid generators and an invariant checker for property tests.
//
// Amounts are [github.com/shopspring/decimal.Decimal] values in whole units of the
// config's asset; internally the circle keeps integer minor units in [math/big.Int]
// values. A Circle is not safe for concurrent use.
package rosca
