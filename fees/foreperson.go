package fees

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// WeTrustMaxFeePerMille is the reference contract's MAX_FEE_IN_THOUSANDTHS: a foreperson may
// set the circle fee to at most 20 per mille (2%).
const WeTrustMaxFeePerMille = 20

// WeTrustForepersonCap returns the reference contract's cap on the foreperson's circle fee,
// 20/1000.
func WeTrustForepersonCap() Rate { return Rate{num: WeTrustMaxFeePerMille, den: 1000} }

// ForepersonFee is the fee rate the foreperson of a circle sets, together with the cap it was
// checked against. The foreperson chooses the rate (the seed: "forepersons are allowed to set
// the fee rate for the ROSCAs they organize"); the platform chooses the cap.
//
// ForepersonFee is a small immutable value, safe for concurrent use. The zero value is a zero
// fee under a zero cap.
type ForepersonFee struct {
	rate, limit Rate
}

// NewForepersonFee returns the fee rate under limit. A rate above the limit is an
// [*RateError] wrapping [ErrAboveCap].
func NewForepersonFee(rate, limit Rate) (ForepersonFee, error) {
	if err := rate.CheckCap(limit); err != nil {
		return ForepersonFee{}, err
	}
	return ForepersonFee{rate: rate, limit: limit}, nil
}

// WeTrustForepersonFee returns a fee of perMille thousandths under the reference contract's
// cap of 20 per mille ([WeTrustForepersonCap]), as serviceFeeInThousandths: 0 to 20 are
// accepted, a negative value is [ErrInvalidRate], 21 and above are [ErrAboveCap].
func WeTrustForepersonFee(perMille int64) (ForepersonFee, error) {
	r, err := PerMille(perMille)
	if err != nil {
		return ForepersonFee{}, err
	}
	return NewForepersonFee(r, WeTrustForepersonCap())
}

// Rate returns the rate the foreperson set.
func (f ForepersonFee) Rate() Rate { return f.rate }

// Cap returns the cap the rate was checked against.
func (f ForepersonFee) Cap() Rate { return f.limit }

// Equal reports whether f and g have equal rates and equal caps (by value).
func (f ForepersonFee) Equal(g ForepersonFee) bool {
	return f.rate.Equal(g.rate) && f.limit.Equal(g.limit)
}

// String formats the fee as "2/1000 (cap 20/1000)".
func (f ForepersonFee) String() string { return fmt.Sprintf("%s (cap %s)", f.rate, f.limit) }

// Apply applies the fee in the reference contract's form, [Rate.ApplyNetFloor]: the net is
// rounded down to the minor unit and the fee takes the rest; fee + net = gross exactly.
func (f ForepersonFee) Apply(asset token.Asset, gross decimal.Decimal) (fee, net decimal.Decimal, err error) {
	return f.rate.ApplyNetFloor(asset, gross)
}
