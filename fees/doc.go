// Package fees holds the fee arithmetic of trustcircle: exact fee rates with caps, the two
// ways of applying a rate (fee rounded down, or WeTrust's net rounded down), the foreperson's
// capped circle fee, the platform's fee policy as data, and the exact split of one fee among
// its stakeholders.
//
// # Rates
//
// A [Rate] is an exact fraction in [0, 1], never a float: [PerMille](2) is 2/1000,
// [BasisPoints](30) is 30/10000, [Percent](3) is 3/100. A rate outside [0, 1] is a
// [*RateError] wrapping [ErrInvalidRate]; a rate above a cap ([Rate.CheckCap]) is a
// [*RateError] wrapping [ErrAboveCap], carrying the cap.
//
// Applying a rate to a gross amount gives a fee and a net that sum to the gross exactly, in
// minor units of the asset. The rounding is named, and differs between the two forms:
//
//   - [Rate.Apply] ([Rate.FeeUnits]): fee = floor(gross·rate), the net takes the rest. The
//     fee is rounded down, in the payer's favour. The platform policy uses this form.
//   - [Rate.ApplyNetFloor] ([Rate.NetFloorUnits]): net = floor(gross·(1−rate)), the fee
//     takes the rest (so the fee is rounded up). This is the reference contract's
//     removeFees, RF(x) = floor(x·(1000−f)/1000); the foreperson's fee uses it.
//
// # Worked example
//
// A WeTrust circle of three members, contribution 1000 wei, foreperson fee f = 20 per mille
// (the contract's cap): the winning bid of 1951 wei is credited RF(1951) =
// floor(1951·980/1000) = floor(1911.98) = 1911 wei, and the fee is the other 40 wei. The
// platform policy charges that circle nothing (five members or fewer). Had the circle had eight
// members and run in TRST, the platform would charge 1/1000: on a pot of 8 TRST, 0.008 TRST,
// and the net is 7.992 TRST. A fee of 0.000005 TRST split between the foreperson (weight 1)
// and the platform (weight 1) is 0.000003 and 0.000002: each gets 2 units, and the one left
// over goes to the earlier share by the largest-remainder policy with ties to the lower
// index.
//
//	ff, _ := fees.WeTrustForepersonFee(20)       // 20/1000 under the 20/1000 cap
//	fee, net, _ := ff.Apply(wei, decimal.NewFromInt(1951))
//	// fee 40, net 1911
//
//	p := fees.WeTrustPlatformPolicy()
//	rate, _ := p.Rate(fees.Circle{Asset: token.TRST(), Members: 8}) // 1/1000
//
// # Policies are data
//
// The platform fee is a [Policy]: an ordered list of [Rule]s, each matching circles by asset
// and number of members, and a rate for circles that match none. The first matching rule
// wins. [WeTrustPlatformPolicy] is the 2017 FAQ's plan (no fee up to five members, 0.3%
// above, 0.1% when the circle's asset is TRST); a service builds its own with [NewPolicy] or
// decodes one from JSON, and no code changes.
//
// # Splitting a fee
//
// [Split] divides one fee among stakeholders (the foreperson, the platform, ...) by weights,
// with token.AllocateWith: parts are whole minor units that sum to the fee, and the leftover
// units go by the named [token.Remainder] policy (largest remainder by default).
//
// All types here are small immutable values, safe for concurrent use.
package fees
