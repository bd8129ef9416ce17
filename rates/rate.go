package rates

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/trustcircle/trustcircle/token"
)

// Rate is an exact rate of interest per period (per round of a circle, or per year once
// annualised): a rational number greater than -1, so 1% is 1/100 and -30% is -3/10. It is
// immutable and safe for concurrent use; compare with [Rate.Cmp] or [Rate.Equal] (not ==).
//
// Rates are exact: the benchmark rate of [NPV], the finance and reinvestment rates of [MIRR],
// the forward rates of [ForwardRates] and the bounds of every [Root] are rational numbers,
// never floats. A rate is made by [NewRate], [ParseRate], [RateFromRat] or [RateFromRatio];
// each refuses -100% and below (a discount factor 1/(1+r) must be positive).
//
// The zero Rate is 0% per period, a valid rate.
type Rate struct {
	r *big.Rat // nil for zero; never modified once set
}

// NewRate returns the rate num/den ("NewRate(1, 100)" is 1%). The error is an [*Error]
// wrapping [ErrInvalidRate] when den is zero or num/den is -1 or below.
func NewRate(num, den int64) (Rate, error) {
	if den == 0 {
		return Rate{}, &Error{Op: "NewRate", Detail: "zero denominator", Err: ErrInvalidRate}
	}
	return rateOf("NewRate", new(big.Rat).SetFrac64(num, den))
}

// MustRate is [NewRate] for rates known to be valid, in tests and examples; it panics on an
// invalid rate.
func MustRate(num, den int64) Rate {
	r, err := NewRate(num, den)
	if err != nil {
		panic(err)
	}
	return r
}

// RateFromRat returns the rate x (a copy: later changes to x do not change the rate). The
// error is an [*Error] wrapping [ErrInvalidRate] when x is nil or -1 or below.
func RateFromRat(x *big.Rat) (Rate, error) {
	if x == nil {
		return Rate{}, &Error{Op: "RateFromRat", Detail: "nil rational", Err: ErrInvalidRate}
	}
	return rateOf("RateFromRat", new(big.Rat).Set(x))
}

// RateFromRatio returns the fraction r of [0, 1] as a rate: token.Percent(1) is 1%.
func RateFromRatio(r token.Ratio) Rate {
	if r.IsZero() {
		return Rate{}
	}
	n := new(big.Int).SetUint64(r.Num())
	return Rate{new(big.Rat).SetFrac(n, new(big.Int).SetUint64(r.Den()))}
}

// minusOne is -1; it is never modified.
var minusOne = big.NewRat(-1, 1)

// rateOf returns x as a rate (retaining x), or the error of op when x <= -1.
func rateOf(op string, x *big.Rat) (Rate, error) {
	if x.Cmp(minusOne) <= 0 {
		return Rate{}, &Error{Op: op, Input: x.RatString(), Detail: "a rate must be above -100%", Err: ErrInvalidRate}
	}
	if x.Sign() == 0 {
		return Rate{}, nil
	}
	return Rate{x}, nil
}

// rat returns the rate as a rational that the caller must not modify.
func (r Rate) rat() *big.Rat {
	if r.r == nil {
		return new(big.Rat)
	}
	return r.r
}

// Rat returns the rate as a new rational (1% is 1/100), which the caller may modify.
func (r Rate) Rat() *big.Rat { return new(big.Rat).Set(r.rat()) }

// Sign returns -1, 0 or +1 as the rate is negative, zero or positive.
func (r Rate) Sign() int {
	if r.r == nil {
		return 0
	}
	return r.r.Sign()
}

// IsZero reports whether the rate is 0%.
func (r Rate) IsZero() bool { return r.Sign() == 0 }

// Cmp compares r and s: -1 if r < s, 0 if equal, +1 if r > s.
func (r Rate) Cmp(s Rate) int { return r.rat().Cmp(s.rat()) }

// Equal reports whether r and s are the same rate.
func (r Rate) Equal(s Rate) bool { return r.Cmp(s) == 0 }

// Float64 returns the rate as the nearest float64 (0.01 for 1%). It is approximate, for
// plotting and statistics only: every computation of the package uses the exact rate.
func (r Rate) Float64() float64 {
	f, _ := r.rat().Float64()
	return f
}

// factor returns 1 + r as a new rational.
func (r Rate) factor() *big.Rat { return new(big.Rat).Add(r.rat(), big.NewRat(1, 1)) }

// MaxRoundsPerYear is the most rounds per year [Rate.Annualize] accepts: one an hour.
const MaxRoundsPerYear = 366 * 24

// Annualize returns the rate per year equivalent to r per round when a year has
// roundsPerYear rounds, compounded: (1 + r)^roundsPerYear - 1, exactly. 2.45% per monthly
// round is about 33.7% a year. The error is an [*Error] wrapping [ErrInvalidRoundsPerYear]
// when roundsPerYear is below 1 or above [MaxRoundsPerYear].
func (r Rate) Annualize(roundsPerYear int) (Rate, error) {
	if roundsPerYear < 1 || roundsPerYear > MaxRoundsPerYear {
		return Rate{}, &Error{Op: "Annualize", Detail: strconv.Itoa(roundsPerYear) + " rounds per year, want 1 to " +
			strconv.Itoa(MaxRoundsPerYear), Err: ErrInvalidRoundsPerYear}
	}
	f := r.factor()
	k := big.NewInt(int64(roundsPerYear))
	num := new(big.Int).Exp(f.Num(), k, nil)
	den := new(big.Int).Exp(f.Denom(), k, nil)
	num.Sub(num, den)
	x := new(big.Rat).SetFrac(num, den)
	if x.Sign() == 0 {
		return Rate{}, nil
	}
	return Rate{x}, nil
}

// maxPercentDecimals bounds the decimals of [Rate.Percent] and of the percentages
// [Rate.String] writes.
const maxPercentDecimals = 60

// Percent returns the rate as a percentage with the given number of decimals (0 to 60; fewer
// count as 0, more as 60), rounded by mode: MustRate(1, 3).Percent(3, HalfEven) is "33.333%",
// MustRate(-3, 10).Percent(1, HalfEven) is "-30.0%". A rate that rounds to zero prints without
// sign ("0.000%"). Nothing is approximated before the one rounding.
func (r Rate) Percent(decimals int, mode Rounding) string {
	return string(appendPercent(nil, r.rat(), decimals, mode))
}

// appendPercent appends x as a percentage with decimals decimals, rounded by mode.
func appendPercent(b []byte, x *big.Rat, decimals int, mode Rounding) []byte {
	decimals = min(max(decimals, 0), maxPercentDecimals)
	num := new(big.Int).Mul(x.Num(), pow10(decimals+2))
	q := roundQuo(num, x.Denom(), mode)
	return append(appendScaled(b, q, decimals), '%')
}

// appendScaled appends the integer q divided by 10^decimals, with all its decimals.
func appendScaled(b []byte, q *big.Int, decimals int) []byte {
	if q.Sign() < 0 {
		b = append(b, '-')
	}
	digits := new(big.Int).Abs(q).String()
	if len(digits) <= decimals {
		digits = strings.Repeat("0", decimals-len(digits)+1) + digits
	}
	cut := len(digits) - decimals
	b = append(b, digits[:cut]...)
	if decimals > 0 {
		b = append(b, '.')
		b = append(b, digits[cut:]...)
	}
	return b
}

// exactDecimals returns the number of decimals of x written as a percentage, or -1 when that
// does not terminate.
func exactDecimals(x *big.Rat) int {
	d := new(big.Int).Set(x.Denom())
	twos := d.TrailingZeroBits()
	d.Rsh(d, twos)
	fives := 0
	five, m := big.NewInt(5), new(big.Int)
	for {
		q, r := new(big.Int).QuoRem(d, five, m)
		if r.Sign() != 0 {
			break
		}
		d = q
		fives++
	}
	if d.Cmp(big.NewInt(1)) != 0 {
		return -1
	}
	return max(int(twos), fives, 2) - 2
}

// AppendText appends the text of [Rate.String] to b. It implements [encoding.TextAppender]
// and never fails.
func (r Rate) AppendText(b []byte) ([]byte, error) {
	x := r.rat()
	if k := exactDecimals(x); k >= 0 && k <= maxPercentDecimals {
		return appendPercent(b, x, k, HalfEven), nil // exact: nothing is rounded
	}
	return append(b, x.String()...), nil
}

// String returns the rate exactly: as a percentage when one terminates within 60 decimals
// ("1%", "-4.644%", "0.0000000001%"), and as the fraction in lowest terms otherwise ("1/3",
// "-2/7"). [ParseRate] reads it back. To show a rate to people, use [Rate.Percent].
func (r Rate) String() string {
	b, _ := r.AppendText(nil)
	return string(b)
}

// MarshalText returns what [Rate.String] returns.
func (r Rate) MarshalText() ([]byte, error) { return r.AppendText(nil) }

// UnmarshalText sets r to the rate [ParseRate] reads from text; on error r is unchanged.
func (r *Rate) UnmarshalText(text []byte) error {
	v, err := ParseRate(string(text))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// maxRateText bounds the text [ParseRate] reads.
const maxRateText = 256

// ParseRate reads a rate: a percentage with an optional minus sign ("1%", "-4.644%",
// "12.50%"), a fraction of decimal integers ("1/3", "-2/7"), or "0". It accepts everything
// [Rate.String] writes. The error is an [*Error] wrapping [ErrInvalidRate], for text in no
// such form and for rates of -100% and below.
func ParseRate(s string) (Rate, error) {
	bad := func(detail string) (Rate, error) {
		return Rate{}, &Error{Op: "ParseRate", Input: s, Detail: detail, Err: ErrInvalidRate}
	}
	if len(s) > maxRateText {
		return bad("longer than 256 bytes")
	}
	if s == "0" {
		return Rate{}, nil
	}
	body, neg := strings.CutPrefix(s, "-")
	var x *big.Rat
	if p, ok := strings.CutSuffix(body, "%"); ok {
		whole, frac, hasDot := strings.Cut(p, ".")
		if whole == "" || hasDot && frac == "" || !allDigits(whole) || !allDigits(frac) {
			return bad(`not a percentage such as "2%" or "-0.25%"`)
		}
		num, _ := new(big.Int).SetString(whole+frac, 10)
		x = new(big.Rat).SetFrac(num, pow10(len(frac)+2))
	} else {
		n, d, ok := strings.Cut(body, "/")
		if !ok || n == "" || d == "" || !allDigits(n) || !allDigits(d) {
			return bad(`want a percentage such as "2%" or a fraction such as "1/3"`)
		}
		num, _ := new(big.Int).SetString(n, 10)
		den, _ := new(big.Int).SetString(d, 10)
		if den.Sign() == 0 {
			return bad("zero denominator")
		}
		x = new(big.Rat).SetFrac(num, den)
	}
	if neg {
		x.Neg(x)
	}
	v, err := rateOf("ParseRate", x)
	if err != nil {
		return bad("a rate must be above -100%")
	}
	return v, nil
}

// allDigits reports whether s is ASCII decimal digits only (true for "").
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// maxPow10 is the largest power of ten kept in the table; larger ones are computed.
const maxPow10 = 160

// pow10s holds 10^0 .. 10^maxPow10; its values are never modified.
var pow10s = func() []*big.Int {
	t := make([]*big.Int, maxPow10+1)
	t[0] = big.NewInt(1)
	for i := 1; i <= maxPow10; i++ {
		t[i] = new(big.Int).Mul(t[i-1], big.NewInt(10))
	}
	return t
}()

// pow10 returns 10^n, which the caller must not modify.
func pow10(n int) *big.Int {
	if n <= maxPow10 {
		return pow10s[n]
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}
