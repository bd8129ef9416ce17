// Package crowdsale runs a token sale by the rules of WeTrust's 2017 Trustcoin (TRST) sale,
// exactly, to the last minor unit, with every decision recorded as an event.
//
// # The rules
//
// A [Sale] is built from a validated [Config]; [WeTrust2017] returns the seed sale: 80,000,000
// TRST for the participants, contributions in BTC (the reference currency) or ETH from
// 2017-03-02 00:00:00 UTC to 2017-04-12 23:59:59 UTC inclusive (the half-open window
// [03-02 00:00, 04-13 00:00)), bonus tiers of 30% on the first day, then 25, 20, 15, 10, 5
// and 0% by week, a minimum of 1,000 BTC and a cap of 6,000 BTC of value without bonuses, and
// the fiat end rule at $7.3M.
//
//   - A contribution's value is its amount in BTC; ETH is pegged at the median of the sources'
//     quotes at the time of contribution (BTC per ETH: the FAQ's "0.03 ETH/BTC" means 0.03 BTC
//     per ETH), the median of those that answered if some are missing (the mean of the two
//     middle ones, exactly, for an even count), with a quorum (2 of 3 for the seed sale).
//   - Its weight is value x (1 + the bonus of the tier in force when it was received). Tiers
//     are half-open: 23:59:59 on March 2 earns 30%, 00:00:00 on March 3 earns 25%.
//   - The value, without bonus, counts toward the cap. The contribution that crosses the cap
//     is accepted up to it; the excess is refunded at once, exactly, in its own currency (the
//     accepted part is rounded down to the minor unit, so the refund is rounded in the
//     contributor's favour), and the sale ends.
//   - The sale ends at the first of: the end of the window, the cap, the fiat rule ([FiatDay]
//     documents it: the minimum of the three previous days' median closing rates, applied to
//     what was collected, at least $7.3M at the end of three consecutive UTC days).
//   - A participant's provisional balance is pool x their weight / all weight so far, rounded
//     down to the token's minor unit: it falls as others contribute.
//   - [Sale.Finalize]: below the minimum, every contribution is refunded in its own currency
//     and amount; otherwise participant p gets pool x weight_p / total weight, each share the
//     floor of its exact value plus at most one leftover unit by largest remainder (ties to
//     the earliest first contribution, then the lower contribution id), summing to the pool
//     exactly. [Sale.Distribute] then transfers the shares from the sale account of a
//     [token.Ledger] built with [token.TRSTGenesis].
//
// # The fixed-price design
//
// The same Config states a sale at a fixed price instead (Design = [DesignFixedPrice]): a
// team selling 10,000,000 tokens at 10 per USD states Price "10 TRST" per whole unit of the
// reference, a hard cap in the reference and a pool that covers the cap at the largest bonus.
// Contributions are served first come first served; the one that crosses the cap is filled
// in part and the rest refunded in its own currency, as above. A participant buys
// floor(value x Price x (1 + bonus)) tokens, rounded down to the token's minor unit once per
// participant over the sum of their contributions: the provisional balance is that purchase
// and does not fall as others contribute, and [Sale.Finalize] allocates exactly it; what was
// not bought stays in the sale account ([Sale.Unsold]). Bonuses are price tiers: by time
// (Tier.From, as above) or, with TierBy = [TiersBySold], by the value raised before the
// contribution (Tier.Sold), the whole contribution priced at the tier in force when it
// arrives.
//
// # Participants
//
// A sale may bound each participant's value ([Config.PerParticipant]: a minimum their total
// must reach with their first contribution, a maximum it may never pass; a contribution that
// breaks either is refused whole) and admit only the participants of its registry
// ([Config.Allowlist]): [Sale.Register] records a [Registrant], its payout address, its
// refund address per currency and whether it was verified, as an event, at any time.
//
// # Pause
//
// The sale's administrator ([Config.Admin]) may pause intake ([Sale.Pause]) and resume it
// ([Sale.Resume]), each time with a reason, both recorded as events. A paused sale refuses
// contributions; its clock, end conditions, closing rates, registrations, finalization and
// refunds all go on.
//
// # Lock-up at distribution
//
// [Sale.DistributeLocked] pays the allocations as [Sale.Distribute] does, but locked up under
// a vesting [LockUp]: each participant with a positive allocation gets one non-revocable
// grant of exactly its allocation on the lock's schedule (a 1-year cliff then monthly over 4
// years is token.CalendarSchedule(token.Amount{}, start, token.Monthly, 48, 12): a quarter of
// each allocation, rounded down to the minor unit, at the cliff), held in the buyer's balance
// or in an escrow account until [token.Ledger.Release]. The grants sum to the distributed
// total; the distributed event records the lock and the first grant's id.
//
// # Refunds paid
//
// A refund is first decided ([Sale.Refunds]: the cap excess at once, every contribution
// of a failed sale at Finalize), then paid: [Sale.PayRefund] records its payment reference
// once, as an event ([Sale.RefundsDue] lists those still to pay, [Sale.RefundPayments]
// those paid).
//
// # Escrow of the proceeds
//
// With [Config.Escrow] every accepted amount is held in escrow in its own currency. It
// leaves only by a [Release] (amount, currency, destination) that k of the n named key
// holders approve ([Sale.Approve], each approval an event, the k-th executing it), once the
// sale has succeeded, and never for more than is held; or, when the sale fails, as the
// refunds paid ([Sale.PayRefund]). [Sale.Escrow] reports what is received, released,
// refunded and held.
//
// # Worked example (the FAQ's)
//
// With the minimum lifted (the FAQ's example ignores it): Alice contributes 40 BTC on March
// 10 (20%), Bob 20 BTC on March 17 (15%), Charlie 300 ETH on April 7 (0%) while the sources
// quote 0.0300, 0.0301 and 0.0299 BTC per ETH. The median is 0.03, so Charlie's value is 9 BTC.
// Weights: 40 x 1.20 = 48, 20 x 1.15 = 23, 9 x 1.00 = 9; total 80. Each BTC of weight is worth
// 80,000,000 / 80 = 1,000,000 TRST: Alice gets 48,000,000, Bob 23,000,000 and Charlie
// 9,000,000 TRST. The cap counts 40 + 20 + 9 = 69 BTC raised. Right after Alice's
// contribution her provisional balance was the whole 80,000,000; it fell to 80M x 48/71 =
// 54,084,507.042253 TRST (rounded down) after Bob's.
//
//	sale, _ := crowdsale.NewSale(cfg)
//	r, err := sale.Contribute(crowdsale.Contribution{ID: "tx1", Participant: "alice",
//		Amount: token.BTC().MustParse("40"), At: march10})
//	fmt.Println(r.Value(), r.Weight(), sale.Provisional("alice"))
//	...
//	err = sale.Finalize(cfg.End)
//	allocations := sale.Allocations() // alice 48M, bob 23M, charlie 9M
//	err = sale.Distribute(ledger)
//
// # Amounts
//
// Every amount is a [token.Amount], bound to its currency: contributions, receipts,
// refunds, allocations, the pool, the minimum and the cap. Quotes are amounts of
// [Config.QuoteAsset] (the value of one whole unit of the currency in the reference: 0.03
// BTC per ETH); with a [QuoteRule.Rounding] a feed's quote of more decimals is accepted and
// used rounded by that named rounding, the contribution's event keeping both. Closing rates
// are amounts of the fiat currency per whole unit, recorded dated
// ([Sale.RecordClosingRateAt]) once their day has closed. Values in the
// reference that are finer than its minor unit (1 wei at 0.03 BTC per ETH is 3 x 10^-20
// BTC) are amounts of [Config.ValueAsset], the reference's symbol with enough decimals that
// no value is ever rounded, and the fiat rule's figures amounts of [Config.FiatValueAsset].
// Bonuses are [token.Ratio] values ("30%"). Weights are exact rationals ([big.Rat]).
//
// # Time, events, replay
//
// Commands take their time explicitly and must come in non-decreasing time (a contribution
// before the sale's clock is refused with [ErrTimeOrder]); a time is kept in UTC (the instant
// is kept, the zone dropped) and must lie in the years 1 to 9999 ([token.ErrInvalidTime]).
// Conditions that fall due between commands (a fiat day judged at its end, the window's
// end) are evaluated when the next accepted command arrives, or by [Sale.Advance];
// [Sale.Status] reports them at any instant without changing the sale. Every decision is an
// [Event] (contribution with quotes, median, tier and value; refund; end with reason;
// closing rate; fiat day; finalization; allocation; distribution), numbered from 1;
// [Sale.EventsAfter] hands out the events after a sequence number at the cost of those
// events alone, so that a service persists each command's events as JSON lines
// ([Event.AppendJSON]); [Replay] rebuilds the same sale from its config and a stream of
// events (a [Decoder] reads JSON lines) and rejects a log that does not derive the same
// decisions. Whatever a command accepts, its events encode and replay.
//
// # Errors
//
// A rejected command changes nothing and returns an [*Error] ([token.Error]): the operation,
// the facts (account, amount, limit, time, a Detail in words) and a reason. The reasons are
// the Err values of the package, matched with [errors.Is]; [fault.CodeOf] and
// [fault.ClassOf] read their stable code and class:
//
//	code                                  class     meaning
//	crowdsale.uninitialized               invalid   a command on the zero Sale: use NewSale or Replay
//	crowdsale.invalid_config              invalid   the Config fails validation (Detail names the field)
//	crowdsale.invalid_id                  invalid   a contribution id empty, over 256 bytes or not UTF-8
//	crowdsale.invalid_contribution        invalid   an invalid participant, or a sale full
//	crowdsale.unknown_asset               invalid   a currency the sale does not accept
//	crowdsale.invalid_amount              invalid   no amount, not positive, another scale, too large
//	crowdsale.unknown_source              invalid   a quote or closing rate from an unknown source
//	crowdsale.invalid_quote               invalid   a quote not positive, finer than allowed, too large
//	crowdsale.quorum_not_met              invalid   fewer quotes than the quorum
//	crowdsale.not_started                 conflict  a contribution before the window opens
//	crowdsale.ended                       conflict  a command that needs an open sale after its end
//	crowdsale.id_conflict                 conflict  a contribution id reused with other content
//	crowdsale.time_order                  conflict  a command dated before the sale's clock
//	crowdsale.state                       conflict  a command the sale's state does not allow
//	crowdsale.invalid_closing_rate        invalid   a closing rate that can never be recorded
//	crowdsale.closing_rate_conflict       conflict  a closing rate that differs or comes too late
//	crowdsale.rate_not_closed             conflict  a closing rate for a day that has not closed
//	crowdsale.ledger                      invalid   a ledger that cannot receive the distribution
//	crowdsale.invalid_lock_up             invalid   a lock-up schedule or escrow that cannot lock the distribution
//	crowdsale.replay                      internal  an event log that does not replay
//	crowdsale.invalid_snapshot            invalid   JSON that is not a snapshot
//	crowdsale.not_allowed                 forbidden a participant the allowlist does not admit
//	crowdsale.below_participant_minimum   invalid   a participant left below the per-participant minimum
//	crowdsale.above_participant_maximum   conflict  a participant taken above the per-participant maximum
//	crowdsale.invalid_registrant          invalid   a registry entry that cannot be recorded
//	crowdsale.paused                      conflict  a contribution while the sale is paused
//	crowdsale.not_admin                   forbidden a pause or resumption by another than the administrator
//	crowdsale.invalid_reason              invalid   a pause or resumption without a valid reason
//	crowdsale.no_refund                   not_found a refund payment for a refund not decided
//	crowdsale.refund_paid                 conflict  a refund paid before with another reference
//	crowdsale.invalid_reference           invalid   a payment reference empty, over 256 bytes or not UTF-8
//	crowdsale.not_holder                  forbidden an approval by an account without an escrow key
//	crowdsale.invalid_release             invalid   a release with an invalid id, amount or destination
//	crowdsale.release_conflict            conflict  a release id naming another release, or one done
//	crowdsale.escrow_insufficient         conflict  a release of more than the escrow holds
//	crowdsale.audit                       internal  a broken identity found by Sale.Audit
//
// Commands also return token's token.invalid_time (a time outside the years 1 to 9999),
// and the reasons of token (token.asset_mismatch, token.zero_amount, ...) wrapped beside
// the package's reason when an amount or account is at fault.
//
// # Exactness and speed
//
// Values are kept as integers in a fine unit: 1/(2 x 10^(d+k)) of the reference currency,
// where d is the largest number of decimals among the accepted currencies (18 for ETH) and k
// the quotes' decimals (8), so that 1 satoshi = 2 x 10^18 units, 1 wei at a quote of q BTC per
// ETH is 2q x 10^8 units and the mean of two quotes is still an integer: no value is ever
// rounded. The only rounding steps are the token allocation (largest remainder, named above),
// the provisional balance (down) and the accepted part of the contribution crossing the cap
// (down, the remainder refunded). One minor unit of a quoted currency is worth a count of
// units (twice the quote's minor units times 10^(d - the currency's decimals)) kept on 64
// bits when it fits them, so that a value is one product of machine words, and on 128 bits
// otherwise (a sale in ETH quoting BTC at about 33 ETH per BTC to 12 decimals: a satoshi is
// about 6.6 x 10^23 units), valued exactly all the same. A quote whose count would reach
// 2^126 is refused as too large: the cap times its bonus factor stays below 2^126 units, so
// not one minor unit worth that much could ever be accepted (with 18 quote decimals and
// currencies of the reference's decimals, a quote of about 4.25 x 10^19 units of the
// reference or more). The totals (raised, weights) are 128-bit and bounded by that cap check,
// which with fine quotes bounds the cap itself: values have d + k + 1 decimals, at most 36,
// and with the seed's bonus tiers an ETH sale quoted to 17 decimals may have a cap of about
// 16 ETH, one quoted to 12 decimals about 1.6 million ETH. A quote given at other decimals is
// rounded, or scaled, on 128-bit integers. Contributions are stored compactly (no
// per-contribution allocation beyond amortised chunk growth) and events are built from the
// stored records on demand. [Sale.ContributeAll] records a batch of contributions exactly
// as [Sale.Contribute] would one by one, stopping at the first refused, and builds no
// receipt; in a sale too large for the processor's cache it reads where the next
// contributions' look-ups start while it records the current ones, so that their memory
// reads overlap: a sale of a million contributions ingests, finalizes and allocates in
// about 0.4 second that way, and in about half a second through Contribute (see
// BenchmarkSale and BenchmarkSaleOneByOne).
//
// # Concurrency and zero values
//
// Queries (Status, Provisional, Receipts, Events, EventsAfter, Snapshot, Audit, WhatIf, ...)
// only read: they may be called concurrently by many readers; commands need exclusive
// access. The zero Sale is not initialised: its commands return [ErrUninitialized] and its
// queries zero results.
package crowdsale
