package fees

import (
	"strconv"

	"github.com/trustcircle/trustcircle/token"
)

// WeTrustMaxFeePerMille is the reference contract's MAX_FEE_IN_THOUSANDTHS: a foreperson may
// set the circle fee to at most 20 per mille (2%). This package is the one place the cap
// lives; [WeTrustForepersonCap] returns it as a ratio.
const WeTrustMaxFeePerMille = 20

// WeTrustForepersonCap returns the reference contract's cap on the foreperson's circle fee,
// 20/1000 (2%, held in lowest terms as 1/50).
func WeTrustForepersonCap() token.Ratio { return token.MustRatio(WeTrustMaxFeePerMille, 1000) }

// ForepersonFee is the fee rate the foreperson of a circle sets, together with the cap it was
// checked against. The foreperson chooses the rate (forepersons set the fee rate of the
// circles they organise); the platform chooses the cap. The zero ForepersonFee is a zero fee
// under a zero cap, a valid fee that charges nothing.
//
// ForepersonFee is a small immutable value, safe for concurrent use.
type ForepersonFee struct {
	rate, limit token.Ratio
}

// NewForepersonFee returns the fee rate under limit. A rate above the limit is an [*Error]
// wrapping [ErrAboveCap].
func NewForepersonFee(rate, limit token.Ratio) (ForepersonFee, error) {
	if err := CheckCap(rate, limit); err != nil {
		return ForepersonFee{}, withOp("NewForepersonFee", err)
	}
	return ForepersonFee{rate: rate, limit: limit}, nil
}

// WeTrustForepersonFee returns a fee of perMille thousandths under the reference contract's
// cap of 20 per mille ([WeTrustForepersonCap]), as the contract's serviceFeeInThousandths:
// 0 to 20 are accepted; 21 and above are an [*Error] wrapping [ErrAboveCap].
func WeTrustForepersonFee(perMille uint64) (ForepersonFee, error) {
	if perMille > WeTrustMaxFeePerMille {
		return ForepersonFee{}, &Error{Op: "WeTrustForepersonFee",
			Detail: strconv.FormatUint(perMille, 10) + " per mille exceeds the cap of 20 per mille", Err: ErrAboveCap}
	}
	return ForepersonFee{rate: token.MustRatio(perMille, 1000), limit: WeTrustForepersonCap()}, nil
}

// Rate returns the rate the foreperson set.
func (f ForepersonFee) Rate() token.Ratio { return f.rate }

// Cap returns the cap the rate was checked against.
func (f ForepersonFee) Cap() token.Ratio { return f.limit }

// Equal reports whether f and g have equal rates and equal caps.
func (f ForepersonFee) Equal(g ForepersonFee) bool {
	return f.rate.Equal(g.rate) && f.limit.Equal(g.limit)
}

// String formats the fee as "0.2% (cap 2%)".
func (f ForepersonFee) String() string { return f.rate.String() + " (cap " + f.limit.String() + ")" }

// Apply applies the fee in the reference contract's form, [ApplyNetFloor]: the net is
// rounded down to the minor unit and the fee takes the rest; fee + net = gross exactly.
func (f ForepersonFee) Apply(gross token.Amount) (fee, net token.Amount, err error) {
	return ApplyNetFloor(f.rate, gross)
}
