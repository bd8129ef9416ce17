// Package fees holds the fee arithmetic of trustcircle: applying a rate to an amount with a
// named rounding, caps, the foreperson's capped circle fee, the platform's fee policy as data,
// and the exact split of one fee among its stakeholders.
//
// # Rates
//
// Every rate is a [token.Ratio], an exact fraction in [0, 1] in lowest terms, never a float:
// token.PerMille(2) is 0.2%, token.BasisPoints(30) and token.PerMille(3) are both 0.3%. A rate
// above a cap ([CheckCap]) is an [*Error] wrapping [ErrAboveCap] whose detail names the rate
// and the cap.
//
// Applying a rate to a gross amount gives a fee and a net that sum to the gross exactly, in
// minor units of the gross amount's asset. The rounding is named, and differs between the two
// forms:
//
//   - [Apply]: fee = floor(gross x rate), the net takes the rest. The fee is rounded down, in
//     the payer's favour. The platform policy uses this form.
//   - [ApplyNetFloor]: net = floor(gross x (1 - rate)), the fee takes the rest (so the fee is
//     rounded up). This is the reference contract's removeFees,
//     RF(x) = floor(x * (1000 - f) / 1000); the foreperson's fee uses it.
//
// # Worked example
//
// A WeTrust circle of three members, contribution 1000 wei, foreperson fee f = 20 per mille
// (the contract's cap): the winning bid of 1951 wei is credited RF(1951) =
// floor(1951 x 980 / 1000) = floor(1911.98) = 1911 wei, and the fee is the other 40 wei. The
// platform policy charges that circle nothing (five members or fewer). Had the circle had eight
// members and run in TRST, the platform would charge 0.1%: on a pot of 8 TRST, 0.008 TRST,
// and the net is 7.992 TRST. A fee of 0.000005 TRST split between the foreperson (weight 1)
// and the platform (weight 1) is 0.000003 and 0.000002: each gets 2 units, and the one left
// over goes to the earlier share by the largest-remainder policy with ties to the lower
// index.
//
//	wei, _ := token.NewAsset("WEI", 0)
//	ff, _ := fees.WeTrustForepersonFee(20)          // 2% under the 2% cap
//	fee, net, _ := ff.Apply(wei.FromInt64Units(1951))
//	// fee 40 WEI, net 1911 WEI
//
//	p := fees.WeTrustPlatformPolicy()
//	rate, _ := p.Rate(fees.Circle{Asset: token.TRST(), Members: 8}) // 0.1%
//
// # Policies are data
//
// The platform fee is a [Policy]: an ordered list of [Rule]s, each matching circles by asset
// and number of members, and a rate for circles that match none. The first matching rule
// wins. [WeTrustPlatformPolicy] is the 2017 FAQ's plan (no fee up to five members, 0.3%
// above, 0.1% when the circle's asset is TRST); a service builds its own with [NewPolicy] or
// decodes one from JSON, and no code changes. The JSON carries a format version,
// {"v":1,"rules":[...],"otherwise":"0%"}, and does not depend on any package setting of
// shopspring/decimal.
//
// # Splitting a fee
//
// [Split] divides one fee among stakeholders (the foreperson, the platform, ...) by whole
// weights, with token.AllocateWith: parts are whole minor units that sum to the fee, and the
// leftover units go by the named [token.Remainder] policy (largest remainder by default).
//
// # Errors
//
// Every error the package returns is an [*Error] (the token package's [token.Error]) wrapping
// one of these reasons, or one of the token package's for a bad amount or ratio:
//
//	code                 class    meaning
//	fees.above_cap       invalid  a rate above the cap that applies to it
//	fees.invalid_rule    invalid  a policy rule with negative or inverted member bounds
//	fees.invalid_policy  invalid  a policy encoding with an unknown version or field, or malformed
//	fees.invalid_circle  invalid  a circle description with no asset or fewer than one member
//	fees.invalid_shares  invalid  a fee split with no shares, a bad or repeated account, all
//	                              weights zero, or a remainder policy naming no positive weight
//
// All types here are small immutable values, safe for concurrent use.
package fees
