package token

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"
)

// MaxDecimals is the largest number of decimals an [Asset] may have.
const MaxDecimals = 36

// MaxExponent bounds the decimal exponent of an amount (an amount is coefficient x
// 10^exponent in shopspring/decimal): amounts with an exponent above MaxExponent or below
// -MaxExponent are rejected with [ErrInvalidAmount]. They are absurd as money, and checking
// or converting them exactly would take huge memory and time.
const MaxExponent = 1000

// Asset names a currency or token and the scale of its minor unit: ETH has 18 decimals (the
// minor unit is one wei), BTC 8 (one satoshi), TRST 6. Amounts of an asset are
// [decimal.Decimal] values in whole units ("1.5" ETH) that must be multiples of the minor unit.
//
// Asset is a small immutable value, safe for concurrent use; compare with [Asset.Equal] or ==.
// The zero Asset is not valid.
type Asset struct {
	symbol   string
	decimals int32
}

// NewAsset returns the asset with the given symbol (1 to 12 characters, upper-case ASCII
// letters and digits, starting with a letter) and number of decimals (0 to [MaxDecimals]).
func NewAsset(symbol string, decimals int) (Asset, error) {
	if err := checkSymbol(symbol); err != nil {
		return Asset{}, err
	}
	if decimals < 0 || decimals > MaxDecimals {
		return Asset{}, fmt.Errorf("%w: %s has %d decimals, want 0 to %d", ErrInvalidAsset, symbol, decimals, MaxDecimals)
	}
	return Asset{symbol: symbol, decimals: int32(decimals)}, nil
}

func checkSymbol(s string) error {
	if len(s) == 0 || len(s) > 12 {
		return fmt.Errorf("%w: symbol %q must have 1 to 12 characters", ErrInvalidAsset, s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return fmt.Errorf("%w: symbol %q must be upper-case letters and digits, starting with a letter", ErrInvalidAsset, s)
		}
	}
	return nil
}

// ETH is Ether: 18 decimals, the minor unit is one wei.
func ETH() Asset { return Asset{symbol: "ETH", decimals: 18} }

// BTC is Bitcoin: 8 decimals, the minor unit is one satoshi.
func BTC() Asset { return Asset{symbol: "BTC", decimals: 8} }

// TRST is Trustcoin, WeTrust's token: 6 decimals.
func TRST() Asset { return Asset{symbol: "TRST", decimals: 6} }

// Symbol returns the asset's symbol, such as "ETH".
func (a Asset) Symbol() string { return a.symbol }

// Decimals returns the number of decimal places of the minor unit.
func (a Asset) Decimals() int { return int(a.decimals) }

// IsValid reports whether a is a valid asset (not the zero Asset).
func (a Asset) IsValid() bool { return a.symbol != "" }

// Equal reports whether a and b are the same asset.
func (a Asset) Equal(b Asset) bool { return a == b }

// String returns the symbol, or "(no asset)" for the zero Asset.
func (a Asset) String() string {
	if a.symbol == "" {
		return "(no asset)"
	}
	return a.symbol
}

// MinorUnit returns the smallest amount of the asset, 10^-decimals.
func (a Asset) MinorUnit() decimal.Decimal { return decimal.New(1, -a.decimals) }

// Check reports whether amount is a valid non-negative amount of the asset: not negative and
// a whole number of minor units (and with an exponent within ±[MaxExponent]). The error is
// an [*AmountError].
func (a Asset) Check(amount decimal.Decimal) error {
	if !a.IsValid() {
		return &AmountError{Asset: a, Amount: amount, Err: ErrInvalidAsset}
	}
	if e := amount.Exponent(); e > MaxExponent || e < -MaxExponent {
		return &AmountError{Asset: a, Amount: amount, Err: ErrInvalidAmount}
	}
	if amount.Sign() < 0 {
		return &AmountError{Asset: a, Amount: amount, Err: ErrNegativeAmount}
	}
	if !a.onMinorUnit(amount) {
		return &AmountError{Asset: a, Amount: amount, Err: ErrSubUnitAmount}
	}
	return nil
}

// CheckPositive is [Asset.Check] that also rejects zero with [ErrZeroAmount].
func (a Asset) CheckPositive(amount decimal.Decimal) error {
	if err := a.Check(amount); err != nil {
		return err
	}
	if amount.Sign() == 0 {
		return &AmountError{Asset: a, Amount: amount, Err: ErrZeroAmount}
	}
	return nil
}

// onMinorUnit reports whether amount is a whole number of minor units.
func (a Asset) onMinorUnit(amount decimal.Decimal) bool {
	if amount.Exponent() >= -a.decimals {
		return true
	}
	// A finer exponent is fine when the digits below the minor unit are zeros ("1.50" for a
	// 1-decimal asset).
	return amount.Equal(amount.Truncate(a.decimals))
}

// Parse parses s ("1.5", "0.000000000000000001") as an amount of the asset and checks it
// with [Asset.Check]. Surrounding spaces, exponents, signs other than a leading '-', and more
// than 100 digits before or after the point are rejected ([ErrInvalidAmount]). Every amount
// it accepts round-trips: Parse(Format(v)) == v. The error is an [*AmountError].
func (a Asset) Parse(s string) (decimal.Decimal, error) {
	if !plainDecimal(s) {
		return decimal.Decimal{}, &AmountError{Asset: a, Input: s, Err: ErrInvalidAmount}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, &AmountError{Asset: a, Input: s, Err: ErrInvalidAmount}
	}
	if err := a.Check(d); err != nil {
		err.(*AmountError).Input = s
		return decimal.Decimal{}, err
	}
	return d, nil
}

// plainDecimal reports whether s is an optional '-', digits, and an optional '.' followed
// by digits, with at least one digit, and at most [maxParseDigits] digits on each side of the
// point (so that anything accepted formats back, with the asset's decimals, to text that is
// accepted too).
func plainDecimal(s string) bool {
	if len(s) == 0 || len(s) > 2*maxParseDigits+2 {
		return false
	}
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" || hasDot && frac == "" || len(intPart) > maxParseDigits || len(frac) > maxParseDigits {
		return false
	}
	for _, part := range [2]string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}

// maxParseDigits is the most digits [Asset.Parse] reads before or after the decimal point.
const maxParseDigits = 100

// MustParse is like [Asset.Parse] but panics on error. Use it only for literals in tests and
// examples, as with [regexp.MustCompile].
func (a Asset) MustParse(s string) decimal.Decimal {
	d, err := a.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Format returns amount with exactly the asset's number of decimals ("1.500000" TRST).
func (a Asset) Format(amount decimal.Decimal) string { return amount.StringFixed(a.decimals) }

// FormatTrim returns amount with trailing zeros dropped, keeping at least minDecimals decimal
// places ("1.5" ETH rather than "1.500000000000000000"), for tables read by people. Nothing is
// rounded: an amount finer than the minor unit keeps all its digits. Unlike
// [decimal.Decimal.String], the result does not depend on shopspring's package globals.
func (a Asset) FormatTrim(amount decimal.Decimal, minDecimals int) string {
	s := amount.StringFixed(max(a.decimals, -amount.Exponent()))
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		return s
	}
	end := len(s)
	for end > dot+1+max(minDecimals, 0) && s[end-1] == '0' {
		end--
	}
	if end == dot+1 {
		end = dot // no decimal places left: drop the point too
	}
	return s[:end]
}

// Units returns amount as an exact count of minor units. Negative amounts are allowed here (a
// signed balance converts too); an amount finer than the minor unit is an [*AmountError].
func (a Asset) Units(amount decimal.Decimal) (*big.Int, error) {
	if !a.IsValid() {
		return nil, &AmountError{Asset: a, Amount: amount, Err: ErrInvalidAsset}
	}
	if e := amount.Exponent(); e > MaxExponent || e < -MaxExponent {
		return nil, &AmountError{Asset: a, Amount: amount, Err: ErrInvalidAmount}
	}
	if !a.onMinorUnit(amount) {
		return nil, &AmountError{Asset: a, Amount: amount, Err: ErrSubUnitAmount}
	}
	return amount.Shift(a.decimals).BigInt(), nil
}

// FromUnits returns the amount of units minor units. It does not retain u.
func (a Asset) FromUnits(u *big.Int) decimal.Decimal { return decimal.NewFromBigInt(u, -a.decimals) }

// FromInt64Units returns the amount of u minor units.
func (a Asset) FromInt64Units(u int64) decimal.Decimal { return decimal.New(u, -a.decimals) }

type assetJSON struct {
	Symbol   string `json:"symbol"`
	Decimals int    `json:"decimals"`
}

// MarshalJSON encodes the asset as {"symbol":"ETH","decimals":18}.
func (a Asset) MarshalJSON() ([]byte, error) {
	return json.Marshal(assetJSON{Symbol: a.symbol, Decimals: int(a.decimals)})
}

// UnmarshalJSON decodes {"symbol":"ETH","decimals":18} and validates it like [NewAsset].
func (a *Asset) UnmarshalJSON(data []byte) error {
	var j assetJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidAsset, err)
	}
	v, err := NewAsset(j.Symbol, j.Decimals)
	if err != nil {
		return err
	}
	*a = v
	return nil
}
