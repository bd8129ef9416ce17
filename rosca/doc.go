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
// Every amount is a [token.Amount] of the config's asset and every fraction (the fee, the
// minimum bid, the bid step) a [token.Ratio]. Inside, the circle keeps integer minor units
// in two machine words, falling back to math/big above 2^128.
//
// # The reference arithmetic
//
// [WeTrustRules] reproduces WeTrust's ROSCA contract (version 3) figure for figure. With
// the fee f and RF(x) = floor(x x (1-f)), the winner of a round is credited RF(bid), the
// discount RF(P - bid) joins an undivided pool of which every member's share is
// floor(pool/n), and the fee reserve is recomputed at each close as floor(base x f), base
// being the dues so far less each member's shortfall. A member's balance is its credit
// (contributions - withdrawals + winnings) plus its share, less C x r for the open round
// r. The contract's defects are fixed: the fee reserve never exceeds the cash (a withdrawal
// can never be locked), the foreperson cannot sweep members' unclaimed money, any number
// of members from 2 to [MaxMembers] works, a bid above the cap is refused instead of
// ignored, and every minor unit sits in a named bucket ([Totals], checked by
// [Circle.Audit]). Replay derives every draw again from the seed, so a log cannot choose
// the winners.
//
// # Solvency
//
// The books never promise money they do not hold. After the end every member, a debtor
// too, is measured against C x n (the contract's withdraw waived a debtor's dues while
// holding only RF(P) for it, handing it the fee on its own pot, so the last member to
// withdraw was paid in part). What members who owe never paid is a shortfall that
// [Totals] names before the end and that the rules' [LossPolicy] allocates when the last
// round closes (the remainder first, then pro rata to the creditors' claims, or the
// foreperson's fee first), recorded in that round's result and shown as each
// [Position.Loss]. From then on the members' positive balances, the fees reserved and the
// remainder never exceed the cash, so withdrawals in any order pay what the positions
// show. A member who owes may pay what it owes after the end ([Circle.Owed] says how
// much): the payment gives back the claims written off, members first under
// [LossFeeFirst], and its holders withdraw them. A config may carry its creation time:
// the start may then lie at most Rules.StartLag (WeTrust 900 s) before it.
//
// # Statements, schedules and reminders
//
// [Circle.Statement] lists every movement of a member's money (the dues withheld as each
// round opens, contributions, winnings with the foreperson's and the platform's fees,
// remainders, discount shares, pots held for a debt and released, withdrawals, settlement
// payments, losses and their restoration by catch-ups) with the running balance; its
// totals are the member's [Position] figures exactly, and it exports as JSON and CSV.
// [Circle.Schedule] gives each round's deadline, the dues C x r by then and who would be
// short; [Circle.ScheduleOf] one member's figures; [Circle.Reminders] the members who have
// not paid enough for the open round and exactly what is missing: paying it puts the
// member in good standing and clears a debtor's debt. The schedule and the reminders read
// running totals; the statement reads the log once.
//
// # Fees
//
// The foreperson's fee ([Config.Fee], at most Rules.MaxFee, the cap checked by
// [fees.NewForepersonFee]) is taken as the reference contract takes it
// ([fees.ForepersonFee.Apply]). The platform operator's fee ([Config.PlatformFee], set
// from a [fees.Policy] by [Config.WithPlatformPolicy]) is its own line: floor(P x rate) of
// each round's winnings ([RoundResult.PlatformFee]), held for the operator
// ([Totals.PlatformFees]) and paid after the end by [Circle.RetrievePlatformFee]. Both fee
// lines are creditors under the loss policy.
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
// In code (the package's examples run it in full):
//
//	c, err := rosca.New(cfg) // cfg.Rules = rosca.WeTrustRules()
//	err = c.Contribute(at, "m0", eth.MustParse("0.000000000000001"))
//	err = c.Bid(at, "m0", eth.MustParse("0.000000000000001951"))
//	res, err := c.CloseRound(c.Round().Deadline)
//	p, err := c.Position("m0") // p.Balance.IsPositive(): withdrawable
//	paid, err := c.Withdraw(c.Now(), "m0")
//	err = c.Audit() // nil: the books balance
//
// # Other forms
//
// The [Rules] also share the discount among the others only ([ShareOthers]) or among the
// members who have not won yet ([ShareUnpaid]), and send remainders to the foreperson,
// into the next round's discount, or to the round's winner; [ShareEach] divides each
// round's discount among every member, the chit fund's dividend. Shares are credited at the close, when the
// next round's contribution is withheld, so a member may pay the netted instalment, C less
// its dividend, as chit members do: crediting the dividend and netting it against the next
// instalment are the same here. [ChitFundRules] runs a
// chit fund: the foreman's first round ([Rules.Organizer]), the commission out of the
// discount ([FeeCommission], capped at the Act's 7%), ties at the 30% cap by lot, the
// last round at the smallest discount ([FeeCommissionFromPrize] takes the commission from
// the prize instead). [HuiRules] runs a bidding hui: the organizer's first pot, bids of
// interest per live member ([BidInterest]; [BidDiscount] bids the discount) shared by the
// live members. A round without bids is drawn ([NoBidDraw]) or goes to the first unpaid
// seat in good standing ([NoBidFirstUnpaid]). An auction may cap the first
// bid (Rules.MaxBid, the smallest discount), step by an amount as well as by a ratio
// (Rules.Step), let equal bids tie and draw the winner among them by lot from the seed
// ([TieByLot], drawn again on replay), and pay the winner the second-best bid
// ([PriceSecondBid]). Under Rules.Sealed the bids are sealed ([Circle.SealBid], a
// [SealOf] commitment) during the round and revealed from its deadline until its close
// ([Circle.RevealBid]), so that no bidder sees another's. A round of every epoch may be allocated by the rules'
// schedule ([Config.Schedule]): an auction, a lottery, a fixed or reserved seat, or the
// organizer's round; a reserved seat does not bid and draws pass it over before its round.
// [BidInterestExternal] runs the hui's external form ([HuiExternalRules]): members who have
// won pay C plus their interest in every later round of the epoch. A member may hold
// several tickets (Config.Holders): each is a seat of its own, and [Circle.Holding] and
// [Circle.HolderStatement] sum them. [Circle.Security] computes the security a prized member should give
// for its future dues, as chit practice sets it. Package rosca/roscatest holds rapid generators and an invariant
// checker for property tests.
//
// # Deterrents and membership changes
//
// A circle's rules may hold deterrents against members who stop paying
// ([Rules.Deterrents]), each an opt-in rule, each step an event:
//
//   - Collateral committed at joining ([Collateral]: a fixed amount, C x (2n - 1 - i) by
//     seat so that a strategic defaulter gains nothing, or the security for a prized
//     member's future dues): [Circle.PostCollateral] takes no more than is due, a member
//     short of it is not in good standing, [Circle.ApplyCollateral] applies it to what a
//     member in default owes and [Circle.ReturnCollateral] gives it back after the end.
//   - Guarantors: any account pledges up to a limit for a member ([Circle.Pledge]) and pays
//     for it ([Circle.PayAsGuarantor]); the payment counts as the member's, and becomes the
//     guarantor's claim on the member, junior to the circle's ([Circle.Pledges]).
//   - Recovery bounties: the foreperson posts the rules' [Bounty] on a defaulter's debt
//     ([Circle.PostBounty]); whoever brings funds recovered from it ([Circle.Recover]) is
//     paid a share of them or a fixed sum, out of the recovery or the fee reserve, never
//     more than either holds.
//   - Default handling: a [LateFee] at each close on arrears beyond a grace, credited to
//     its recipient only as it is paid, with strikes; removal of a non-prized member in
//     arrears ([Circle.Remove]), reinstated if it pays up within the notice; acceleration
//     of a prized member's future dues ([Circle.Accelerate]).
//
// A member is in default when it owes and the circle has ended, or its dues were
// accelerated, or it was removed. Payments made for it after the end restore the claims
// written off to cover its shortfall, as its own catch-up does, so the creditors who bore
// the loss are the ones paid back. A seat passes to another member mid-epoch by agreement
// ([Circle.TransferSeat], a settlement recorded) or by the foreperson's substitution of a
// leaving or removed member ([Circle.Substitute], refunding its contributions less the
// rules' deduction): the incoming member takes over the whole position, events before the
// change keep the outgoing member's account, and [Circle.Members] lists the seats'
// members now. Members join and leave at an epoch boundary by running the next circle,
// whose pot is C x its own number of seats: [Circle.NextCircle] builds its config from
// an ended circle's. [Totals] carries every flow, so that contributions, guarantors' payments,
// collateral, recoveries and deductions always equal withdrawals, fees, remainders,
// collateral returned, bounties and what is still held.
//
// # Events and persistence
//
// Every accepted command appends one [Event] to the circle's log; events are numbered from
// 1 ([Event.Seq]). A service persists a circle by writing, after each command, the events
// after the last one it wrote: [Circle.EventsAfter] hands them out at a cost proportional
// to their number, and [Event.AppendJSON] encodes each as one JSON object
// ({"v":1,"seq":1,"kind":"contribution","at":"2026-03-01T00:00:00Z","round":1,
// "member":"alice","amount":"10.00 USD"}), so persisting costs about as much as the
// commands themselves. [Replay] rebuilds the circle from its config and a stream of
// events, checking every event; [NewDecoder] reads a JSON-lines file as such a stream.
// Whatever a command accepts is written and read back: times are kept in UTC (the zone
// of a time given to a command is dropped, its instant kept) within the years 1900 to
// 2250, and a circle's contributions stay below 10^[MaxCashDigits] minor units, so every
// figure fits the amount grammar. The JSON of configs, events and snapshots is the
// package's own and does not depend on shopspring/decimal's package settings.
//
// # Errors
//
// A rejected command returns an [*Error] ([token.Error]) and leaves the circle exactly as
// it was. The error wraps one of the reasons below (match with [errors.Is]); its class
// says how a service answers ([fault.ClassOf]), its code is stable ([fault.CodeOf]), and
// its fields carry the facts (Op, Account, Amount, Limit, Round, At, Detail).
//
//	code                         class      meaning
//	rosca.uninitialized          invalid    a method of the zero Circle or Decoder
//	rosca.invalid_config         invalid    the config does not describe a circle (Detail names the field)
//	rosca.invalid_amount         invalid    not a positive amount of the asset, or the cash would reach 10^90 units
//	rosca.not_member             not_found  the account is not a member
//	rosca.not_foreperson         forbidden  a foreperson-only command by someone else
//	rosca.not_operator           forbidden  an operator-only command by someone else
//	rosca.ended                  conflict   the last round has closed
//	rosca.not_ended              conflict   an end-of-circle command before the last round closed
//	rosca.halted                 conflict   the emergency halt was activated
//	rosca.halt_not_enabled       conflict   the halt was activated before the operator enabled it
//	rosca.halt_enabled           conflict   the halt was enabled twice
//	rosca.not_bidding            invalid    a bid in a lottery or fixed-order circle
//	rosca.already_won            conflict   a bid by a member who won in this epoch
//	rosca.not_in_good_standing   conflict   a bid by a member who owes dues (Limit: the dues)
//	rosca.bid_too_low            invalid    a bid below the minimum (Limit: the minimum)
//	rosca.bid_too_high           conflict   a bid above the pot or the next-bid cap (Limit: the cap)
//	rosca.too_early              conflict   a close before the round's deadline
//	rosca.time_backwards         conflict   a command timed before the last event
//	rosca.nothing_to_withdraw    conflict   a withdrawal without a positive balance (Amount: the balance)
//	rosca.in_debt                conflict   a withdrawal, before the end, by a member holding a pot in debt
//	rosca.no_cash                conflict   a withdrawal when all the cash is reserved for fees
//	rosca.nothing_to_pay         conflict   no fees or no free remainder to pay
//	rosca.sealed_bids            invalid    an open bid where bids are sealed, or a sealed one where they are open
//	rosca.bad_reveal             conflict   a reveal without a seal, or not matching it
//	rosca.too_late               conflict   a seal at or after the round's deadline
//	rosca.not_prized             conflict   a prized member's query about a member that has not won in the epoch
//	rosca.not_in_default         conflict   a deterrent for a member that is not in default
//	rosca.deterrent_off          forbidden  a deterrent the rules do not provide; the foreperson's seat does not pass
//	rosca.no_collateral          conflict   a member holding no collateral
//	rosca.unknown_guarantor      not_found  a guarantor's payment without its pledge; a pledge by the member itself
//	rosca.pledge_exceeded        conflict   a guarantor's payment beyond what its pledge has left
//	rosca.no_bounty              conflict   a recovery from a member on whose debt no bounty is posted
//	rosca.duplicate              conflict   a pledge, bounty, removal or acceleration that exists already
//	rosca.in_notice              conflict   the substitution of a removed member still in its notice
//	rosca.already_member         conflict   an incoming member with a seat or a role in the circle already
//	rosca.insufficient_security  conflict   an incoming member posting less collateral than its seat asks
//	rosca.replay                 internal   an event log or snapshot that does not decode or replay
//	rosca.audit                  internal   a broken accounting identity (a bug)
//
// Some errors wrap a reason of package token as well or instead: token.invalid_time for a
// time outside the years 1900 to 2250, and, with rosca.invalid_amount or
// rosca.invalid_config, the token reason that says what is wrong with an amount, account
// or asset.
//
// # Concurrency and zero values
//
// The queries of a Circle only read it: any number of goroutines may call them at once.
// Commands need exclusive access (a [sync.RWMutex]: commands under the write lock, queries
// under the read lock). The zero Circle and the zero [Decoder] return [ErrUninitialized]
// from their commands and zero results from their queries; every other type's zero value
// is an empty value of it.
package rosca
