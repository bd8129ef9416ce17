package token

import (
	"bytes"
	"cmp"
	"encoding/json"
	"strconv"
	"strings"
)

// MaxDecimals is the largest number of decimals an [Asset] may have.
const MaxDecimals = 36

// Asset names a currency or token and the scale of its minor unit: ETH has 18 decimals (the
// minor unit is one wei), BTC 8 (one satoshi), TRST 6. Amounts of an asset are [Amount]
// values, whole numbers of its minor unit, made by [Asset.Parse], [Asset.FromUnits] and
// their siblings.
//
// Asset is a small immutable value, safe for concurrent use; compare with [Asset.Equal] or ==.
// The zero Asset is "no asset": it is not valid, and every constructor of amounts refuses it
// with [ErrInvalidAsset].
type Asset struct {
	symbol   string
	decimals int32
}

// NewAsset returns the asset with the given symbol (1 to 12 characters, upper-case ASCII
// letters and digits, starting with a letter) and number of decimals (0 to [MaxDecimals]).
// The error is an [*Error] wrapping [ErrInvalidAsset].
func NewAsset(symbol string, decimals int) (Asset, error) {
	if err := checkSymbol(symbol); err != nil {
		return Asset{}, err
	}
	if decimals < 0 || decimals > MaxDecimals {
		return Asset{}, &Error{Op: "NewAsset", Input: symbol,
			Detail: symbol + " has " + strconv.Itoa(decimals) + " decimals, want 0 to 36", Err: ErrInvalidAsset}
	}
	return Asset{symbol: symbol, decimals: int32(decimals)}, nil
}

func checkSymbol(s string) error {
	if len(s) == 0 || len(s) > 12 {
		return &Error{Op: "NewAsset", Input: s, Detail: "a symbol has 1 to 12 characters", Err: ErrInvalidAsset}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return &Error{Op: "NewAsset", Input: s, Detail: "a symbol is upper-case letters and digits, starting with a letter", Err: ErrInvalidAsset}
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

// MinorUnit returns the smallest positive amount of the asset, one minor unit ("0.000001
// TRST"); the zero Amount for the zero Asset.
func (a Asset) MinorUnit() Amount {
	if !a.IsValid() {
		return Amount{}
	}
	return a.FromUint64Units(1)
}

type assetJSON struct {
	Symbol   string `json:"symbol"`
	Decimals int    `json:"decimals"`
}

// MarshalJSON encodes the asset as {"symbol":"ETH","decimals":18}.
func (a Asset) MarshalJSON() ([]byte, error) { return a.appendJSON(nil), nil }

// appendJSON appends {"symbol":"ETH","decimals":18} to b. A symbol is upper-case letters and
// digits, so it needs no escaping.
func (a Asset) appendJSON(b []byte) []byte {
	b = append(b, `{"symbol":"`...)
	b = append(b, a.symbol...)
	b = append(b, `","decimals":`...)
	b = strconv.AppendInt(b, int64(a.decimals), 10)
	return append(b, '}')
}

// UnmarshalJSON decodes {"symbol":"ETH","decimals":18} and validates it like [NewAsset].
// Unknown fields are refused.
func (a *Asset) UnmarshalJSON(data []byte) error {
	var j assetJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return &Error{Op: "UnmarshalJSON", Detail: err.Error(), Err: ErrInvalidAsset}
	}
	v, err := NewAsset(j.Symbol, j.Decimals)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// cmp orders assets by symbol, then decimals.
func (a Asset) cmp(b Asset) int {
	if c := strings.Compare(a.symbol, b.symbol); c != 0 {
		return c
	}
	return cmp.Compare(a.decimals, b.decimals)
}
