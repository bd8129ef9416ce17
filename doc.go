// Package trustcircle is the reference library for the economics of trust networks:
// rotating savings and credit associations (ROSCAs, "lending circles") and the token economy
// around them, exact to the last minor unit, deterministic and replayable.
//
// This root package holds no code; it is the map. The library comes from WeTrust's Trusted
// Lending Circles and its 2017 Trustcoin (TRST) sale, reproduces that system exactly where it
// was right and fixes it where it was wrong.
//
// # What a lending circle is
//
// In a ROSCA, N members each pay a fixed contribution every round; each round one member
// takes the whole pot, chosen by lowest bid, by lottery or in a fixed order, and no member
// takes it twice in an epoch of N rounds. A winner who bids less than the pot leaves a
// discount that is shared among the members: early borrowers pay interest to late savers.
//
// # Packages
//
//   - [github.com/trustcircle/trustcircle/token]: assets and exact amounts (ETH 18 decimals,
//     BTC 8, TRST 6), exact splitting with a named remainder policy, a fixed-supply ERC20-like
//     ledger with Trustcoin's compare-and-approve, genesis and vesting. Start here.
//   - [github.com/trustcircle/trustcircle/fees]: exact fee rates, caps, the foreperson's fee,
//     the platform's fee policy as data, exact fee splitting.
//   - [github.com/trustcircle/trustcircle/roles]: the four actors of the seed (user, sponsor,
//     foreperson, referral partner) and the platform operator; permissions; reward programs
//     that pay TRST and never pay twice.
//   - [github.com/trustcircle/trustcircle/rosca]: the lending-circle engine: bidding, lottery
//     and fixed-order circles, epochs, discounts, the foreperson's and the platform's fees,
//     delinquency, loss policies, catch-up after the end, emergency settlement, statements,
//     schedules and reminders, events and replay. WeTrustRules reproduces the reference
//     contract's arithmetic.
//   - [github.com/trustcircle/trustcircle/formation]: a circle formed by invitation: each
//     seat accepts the terms' digest with the evidence the admission rule asks for; it
//     starts only when every seat has accepted, or is abandoned at its deadline.
//   - [github.com/trustcircle/trustcircle/crowdsale]: the 2017 TRST sale: bonus tiers, ETH
//     pegged to BTC by a median of quotes, three end conditions, refunds, exact pro-rata
//     allocation of the 80M TRST pool.
//   - [github.com/trustcircle/trustcircle/fault]: the class and stable code of every error, so
//     a service maps them all in one switch.
//   - [github.com/trustcircle/trustcircle/rates]: what a circle costs each member: NPV, every
//     root of the IRR with its flags, MIRR, forward rates implied by the bids.
//   - [github.com/trustcircle/trustcircle/simulate]: thousands of circles under payment,
//     bidding and enforcement strategies, deterministic whatever the workers, shardable.
//   - [github.com/trustcircle/trustcircle/reputation]: reviews between members of a circle and
//     an explained, deterministic score computed from circle logs.
//
// token, rosca and crowdsale each have a *test subpackage (tokentest, roscatest,
// crowdsaletest) of rapid generators and invariant checkers for your own property suites, and
// the examples directory has runnable programs: go run ./examples/lendingcircle.
//
// # Guarantees
//
// Money is a [github.com/trustcircle/trustcircle/token.Amount]: an exact, immutable amount
// bound to its asset, integer minor units inside, one text grammar ("12.500000 TRST")
// everywhere; every fraction is a [github.com/trustcircle/trustcircle/token.Ratio] whose
// multiplications name their rounding. No float ever touches money, no output depends on
// shopspring/decimal's package settings, and every division says where its remainder goes.
//
// Bad input is an error with a stable code and a class ([github.com/trustcircle/trustcircle/fault]),
// so a service maps every error of every package in one switch, and it leaves state exactly
// as it was. The zero value of every type is documented and never panics. Time and
// randomness are arguments, so the same inputs give the same outputs and events, byte for
// byte; every aggregate hands out the events after a sequence number cheaply, can be rebuilt
// from a stream of its events, and checks its own books with Audit. Queries only read, so
// many readers may share an aggregate.
package trustcircle
