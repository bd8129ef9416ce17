// Package rates computes what a seat in a lending circle really pays or earns: the net
// present value of a member's cash flows at a benchmark rate, every internal rate of return,
// the modified rate with an explicit reading of who borrowed and who saved, and the interest
// rates implied by the bids of a bidding circle. Every figure is exact (rational numbers,
// never floats) or bracketed rigorously to a precision the caller asks for.
//
// # A circle is credit
//
// In a rotating savings and credit association (a ROSCA: a chit fund, a tanda, a susu, a
// bidding hui) every member pays an instalment each round and one member takes the pot. The
// early winners borrow from the late ones: the first winner receives the whole pot at once
// and repays it instalment by instalment; the last winner saves every round and is repaid
// at the end. A bidding circle prices this: members bid a discount on the pot to win it
// early, and the discount is shared among the tickets. A member's rate is the interest
// rate per round that makes its flows worth nothing: at that rate, the circle did for it
// what a bank would have.
//
// # Cash flows
//
// [Flows] holds a member's (or one ticket's) net flow in each round 1, 2, ..., in one
// [token.Asset]. The sign is the member's: positive is received (the prize, a dividend paid
// out, a refund), negative is paid (an instalment, a fee, a penalty). [NewFlows] takes one
// net amount per round; [Collect] adds up a circle's individual entries (instalment, prize,
// dividend) by round, with their times. Round 1 is the present of every valuation: the flow
// of round t is discounted by t-1 rounds.
//
// The worked example used throughout is a five-ticket chit fund of 2,000 rupees an
// instalment, a 5% commission and a 30% cap on discounts, won in turn by the foreman's own
// ticket T1 (the first pot, whole) and by A, B, C and D at discounts of 3,000, 2,000, 1,234
// and 500, each discount less the commission shared by all five tickets. Its flows, in
// rupees:
//
//	T1  +8,000  -1,500  -1,700  -1,854  -2,000
//	A   -2,000  +5,500  -1,700  -1,854  -2,000
//	B   -2,000  -1,500  +6,300  -1,854  -2,000
//	C   -2,000  -1,500  -1,700  +6,912  -2,000
//	D   -2,000  -1,500  -1,700  -1,854  +7,500
//
// # Net present value: the robust measure
//
// [NPV] discounts the flows at a benchmark rate per round (what the member could earn or
// would pay elsewhere), exactly: the result is a [Value], a rational number of minor units,
// which [Value.Round] turns into a [token.Amount] with a named [Rounding]. Positive means the
// member did better in the circle than at the benchmark. At 1% a round: T1 +1,126.91, A
// -1,942.39, B -1,030.72, C -364.89, D +256.23. The NPV always exists and is always one
// number; it is the figure to compare seats with.
//
// # Internal rates of return, all of them
//
// With y = 1 + r, the NPV times y^(L-1) (L rounds) is a polynomial in y whose coefficients
// are the flows, and the internal rates of return are its roots y > 0, that is r > -100%.
// (With the discount factor x = 1/(1+r) instead, the same roots lie in x > 0.) A polynomial
// may have several such roots, or none, and a circle's middle winners are exactly the case:
// they save, then borrow, then repay, so their flows change sign twice. A has rates of 55.77%
// and 90.02% per round, neither of them its rate; B has none at all (its NPV peaks near -903
// around 15% a round); C has -67.36% and -3.44%. Only T1 (-4.644%, it borrowed early and
// repaid less) and D (+2.450%, the pure saver, 33.7% a year with monthly rounds) have one.
// Calculators that run Newton's method from a guess return one of the roots, or a figure for
// B, and never say so.
//
// [IRR] finds every root, rigorously: the sign changes of the flows bound their number
// (Descartes' rule of signs: none means no rate, one means exactly one), and a Sturm sequence,
// computed exactly over the integers, counts and isolates them; bisection then narrows each
// to an interval of the width asked for, 10^-digits. The result, an [IRRResult], cannot be
// read as one figure: its [Kind] is [NoRoot], [OneRoot] or [SeveralRoots], and only
// [IRRResult.Unique] yields a [Root], when there is exactly one. It also reports the sign
// changes of the flows and Norström's criterion (the running total of the flows changes sign
// once and ends non-zero), which guarantees exactly one root of zero or more, not one root:
// the flows -6, 9, 9, -3 meet it and have rates near +110% and -72.7%.
//
// How to read it: one root is the member's rate per round. No root means no rate describes
// the member: use the NPV. Several roots mean the member was both a lender and a borrower and
// no single rate describes it either: use the NPV, or the modified rate below.
//
// # Modified rate of return, and who borrowed
//
// [MIRR] values the payments in round 1 at a finance rate and the receipts in the last round
// at a reinvestment rate, and returns the one rate linking them: the spreadsheet MIRR,
// [MIRRResult.Return], which exists and is unique for every member who both pays and
// receives. That convention treats every member as an investor: T1, a borrower, shows a
// "return" of +4.907% a round at 1%. So the result also says which side of the credit the
// member stood on: a [Borrower] when, round by round, it held more of the others' money than
// they held of its own (the sum of its running totals over the rounds before the last is
// positive), a [Saver] in the opposite case. For a borrower the reading figure is
// [MIRRResult.Cost], the rate at which its receipts grew into its payments: T1 borrowed at
// -2.762% a round, that is, it was paid to borrow. [MIRRResult.Rate] picks the figure that
// fits the role. At 1%: T1 borrower (return +4.907%, cost -2.762%), A borrower (return
// -6.416%, cost +9.004%), B saver -2.823%, C saver -0.329%, D saver +1.918%.
//
// # Rates implied by the bids
//
// When the discount is shared by all tickets, every ticket pays the same net instalment, so
// winning in round t rather than t+1 is a loan of one round: the prize A_t now against
// A_(t+1) a round later. [ForwardRates] returns 1 + r_t = A_(t+1) / A_t exactly: -30% from
// round 1 to 2 (the foreman's first pot, at no discount), then 14.286%, 9.575% and 8.373% a
// round, 396%, 200% and 162% a year with monthly rounds ([Rate.Annualize] compounds exactly).
// Short circuits exaggerate; real chit funds spread the discounts over 20 to 50 rounds.
//
// # Many members: the Solver and the fast path
//
// A simulation solves millions of members. A [Solver], one per goroutine, takes each
// member's amounts from a buffer the caller reuses ([Solver.IRR], [Solver.NPV] rounded to the
// minor unit, [Solver.MIRR]) and returns exactly what [IRR], [NPV] and [MIRR] return on the
// same flows, without allocating for the common member (IRR and NPV) or with a few
// allocations (MIRR): about 2 microseconds for the IRR of a ten-round member, against 25 on
// big integers.
//
// The speed comes from a fast path that follows the exact solver's route step by step (the
// same polynomial, tests and spans) on machine integers, and reads each sign of the NPV
// polynomial from a float64 evaluation whose rounding error is bounded (Horner's rule, with
// the bound of Higham's analysis), falling back to an exact evaluation on machine words when
// the bound does not settle it. Where the exact solver would build a Sturm sequence (the
// member with no root, or two close roots), the fast path proves the roots instead by
// bisecting the range and bounding the polynomial and its derivative over each part
// (monotone and mean-value bounds), and hands the flows to the Sturm sequence whenever a
// proof fails. The last digits come from a Newton estimate whose interval of the bisection's
// lattice is checked by two certified signs. Flows beyond 2^53 minor units, more than 61
// rounds or more than 19 digits take the exact route. Either way the roots are the same,
// which the tests check on random flows.
//
// # Rates, precision and rounding
//
// A [Rate] is an exact rational greater than -1 (1% is 1/100), parsed from "1%", "-4.644%" or
// "1/3" by [ParseRate]. A [Root] is an interval [Lo, Hi] of exact rates holding exactly one
// root; its multiplicity says whether the NPV crosses zero there (odd) or only touches it
// (even). Every printed figure names its rounding: [Rate.Percent] and [Root.Percent] take a
// number of decimals and a [Rounding] ([HalfEven], [HalfAwayFromZero], [TowardZero],
// [AwayFromZero], [Floor], [Ceiling]). No result is a float but those of the Float64
// accessors, which are approximate and meant for plots and statistics (the fast path's
// float64 evaluations only settle signs their error bounds make certain).
//
// # Errors
//
// Every error the package returns is an [*Error] (the token package's [token.Error])
// wrapping one of these reasons, or one of the token package's for a bad amount or time:
//
//	code                             class    meaning
//	rates.no_flows                   invalid  no cash flow: the zero Flows, or nothing given
//	rates.all_zero                   invalid  every flow is zero: every rate is a root
//	rates.one_sided                  invalid  the member never pays or never receives: no MIRR
//	rates.invalid_rate               invalid  a rate of -100% or below, a zero denominator, bad text
//	rates.invalid_precision          invalid  digits of precision outside 1 to MaxDigits
//	rates.invalid_round              invalid  a round below 1, or rounds dated out of order
//	rates.too_many_rounds            invalid  a round beyond MaxRounds
//	rates.invalid_rounds_per_year    invalid  fewer than 1 or more than MaxRoundsPerYear rounds a year
//
// Every type of the package is an immutable value, safe for concurrent use, and every
// function may be called concurrently.
package rates
