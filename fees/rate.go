package fees

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Sentinel errors of the package; typed errors unwrap to them.
var (
	// ErrInvalidRate reports a rate outside [0, 1] or with a zero or negative denominator.
	ErrInvalidRate = errors.New("fees: invalid rate")
	// ErrAboveCap reports a rate above the cap that applies to it.
	ErrAboveCap = errors.New("fees: rate above cap")
)

// Rate is an exact fee rate, a fraction num/den in [0, 1]: 2 per mille is 2/1000, 0.3% is
// 3/1000 (held as given, not reduced). Construct it with [PerMille], [BasisPoints],
// [Percent] or [NewRate]. The zero Rate is a valid rate of zero.
//
// Rate is a small immutable value, safe for concurrent use.
type Rate struct {
	num, den int64 // den == 0 means the zero rate (0/1)
}

// NewRate returns the rate num/den. It must lie in [0, 1] with den > 0.
func NewRate(num, den int64) (Rate, error) {
	if den <= 0 || num < 0 || num > den {
		return Rate{}, &RateError{Num: num, Den: den, Err: ErrInvalidRate}
	}
	if num == 0 {
		return Rate{}, nil
	}
	return Rate{num: num, den: den}, nil
}

// PerMille returns n/1000 (WeTrust's serviceFeeInThousandths).
func PerMille(n int64) (Rate, error) { return NewRate(n, 1000) }

// BasisPoints returns n/10000.
func BasisPoints(n int64) (Rate, error) { return NewRate(n, 10000) }

// Percent returns n/100.
func Percent(n int64) (Rate, error) { return NewRate(n, 100) }

// MustRate is like [NewRate] but panics on error; for literals in tests and examples.
func MustRate(num, den int64) Rate {
	r, err := NewRate(num, den)
	if err != nil {
		panic(err)
	}
	return r
}

// Num returns the numerator of the rate.
func (r Rate) Num() int64 { return r.num }

// Den returns the denominator of the rate (1 for the zero rate).
func (r Rate) Den() int64 {
	if r.den == 0 {
		return 1
	}
	return r.den
}

// IsZero reports whether the rate is zero.
func (r Rate) IsZero() bool { return r.num == 0 }

// Cmp compares two rates exactly: -1 if r < s, 0 if equal, +1 if r > s.
func (r Rate) Cmp(s Rate) int {
	var a, b big.Int
	a.Mul(big.NewInt(r.Num()), big.NewInt(s.Den()))
	b.Mul(big.NewInt(s.Num()), big.NewInt(r.Den()))
	return a.Cmp(&b)
}

// Equal reports whether r and s are the same fraction by value (2/1000 equals 1/500).
func (r Rate) Equal(s Rate) bool { return r.Cmp(s) == 0 }

// Decimal returns the rate as a decimal, rounded half away from zero to 18 places when the
// fraction does not terminate. It is for display; fee arithmetic uses the exact fraction.
func (r Rate) Decimal() decimal.Decimal {
	return decimal.NewFromInt(r.Num()).DivRound(decimal.NewFromInt(r.Den()), 18)
}

// String formats the rate as a fraction, "2/1000".
func (r Rate) String() string { return fmt.Sprintf("%d/%d", r.Num(), r.Den()) }

// CheckCap returns an [*RateError] wrapping [ErrAboveCap] if r is above limit.
func (r Rate) CheckCap(limit Rate) error {
	if r.Cmp(limit) > 0 {
		return &RateError{Num: r.Num(), Den: r.Den(), Cap: limit, Err: ErrAboveCap}
	}
	return nil
}

// FeeUnits returns the fee on gross minor units, floor(gross*num/den), and the net, gross
// minus the fee. The fee is rounded down, in the payer's favour; the net takes the rest, so
// fee + net = gross exactly. gross must not be negative. It allocates the two results.
func (r Rate) FeeUnits(gross *big.Int) (fee, net *big.Int) {
	fee = new(big.Int).Mul(gross, big.NewInt(r.Num()))
	fee.Quo(fee, big.NewInt(r.Den()))
	return fee, new(big.Int).Sub(gross, fee)
}

// NetFloorUnits is the reference contract's removeFees: net = floor(gross*(den-num)/den),
// rounded down, and fee = gross - net (so the fee is rounded up: the rounding dust goes to
// the fee, against the payer). fee + net = gross exactly. gross must not be negative.
func (r Rate) NetFloorUnits(gross *big.Int) (fee, net *big.Int) {
	net = new(big.Int).Mul(gross, big.NewInt(r.Den()-r.Num()))
	net.Quo(net, big.NewInt(r.Den()))
	return new(big.Int).Sub(gross, net), net
}

// Apply returns the fee on gross, rounded down to the asset's minor unit, and the net,
// gross minus the fee; fee + net = gross exactly. gross must be a valid amount of the asset.
func (r Rate) Apply(asset token.Asset, gross decimal.Decimal) (fee, net decimal.Decimal, err error) {
	u, err := asset.Units(gross)
	if err == nil {
		err = asset.Check(gross)
	}
	if err != nil {
		return decimal.Decimal{}, decimal.Decimal{}, err
	}
	f, n := r.FeeUnits(u)
	return asset.FromUnits(f), asset.FromUnits(n), nil
}

// ApplyNetFloor is the reference contract's form: net = floor(gross x (den-num)/den) to the
// minor unit, the fee being the rest; fee + net = gross exactly.
func (r Rate) ApplyNetFloor(asset token.Asset, gross decimal.Decimal) (fee, net decimal.Decimal, err error) {
	u, err := asset.Units(gross)
	if err == nil {
		err = asset.Check(gross)
	}
	if err != nil {
		return decimal.Decimal{}, decimal.Decimal{}, err
	}
	f, n := r.NetFloorUnits(u)
	return asset.FromUnits(f), asset.FromUnits(n), nil
}

// RateError reports a rejected rate. It unwraps to [ErrInvalidRate] or [ErrAboveCap].
type RateError struct {
	Num, Den int64
	Cap      Rate // the cap exceeded, for ErrAboveCap
	Err      error
}

// Error formats the RateError, starting with its sentinel.
func (e *RateError) Error() string {
	if errors.Is(e.Err, ErrAboveCap) {
		return fmt.Sprintf("%v: %d/%d exceeds %s", e.Err, e.Num, e.Den, e.Cap)
	}
	return fmt.Sprintf("%v: %d/%d", e.Err, e.Num, e.Den)
}

// Unwrap returns the sentinel.
func (e *RateError) Unwrap() error { return e.Err }

// MarshalText encodes the rate as "num/den", so a Rate in a JSON config reads "2/1000".
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText decodes "num/den" and validates it like [NewRate].
func (r *Rate) UnmarshalText(b []byte) error {
	n, d, ok := strings.Cut(string(b), "/")
	num, err1 := strconv.ParseInt(n, 10, 64)
	den, err2 := strconv.ParseInt(d, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return fmt.Errorf("%w: %q is not num/den", ErrInvalidRate, b)
	}
	v, err := NewRate(num, den)
	if err != nil {
		return err
	}
	*r = v
	return nil
}
