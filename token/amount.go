package token

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/internal/wire"
)

// MaxUnitDigits is the most decimal digits an [Amount] holds, counted in minor units: every
// amount lies strictly between -10^MaxUnitDigits and +10^MaxUnitDigits minor units. It is far
// beyond any real sum of money (10^96 wei is 10^78 ether) and small enough that every amount
// prints in under 130 bytes and parses back. Arithmetic that would leave the range returns
// [ErrAmountTooLarge] instead.
const MaxUnitDigits = 96

// maxTextLen bounds the text [Asset.Parse] and [ParseAmount] read, leading zeros included.
const maxTextLen = 256

// unitBound is 10^MaxUnitDigits; it is never modified.
var unitBound = new(big.Int).Exp(big.NewInt(10), big.NewInt(MaxUnitDigits), nil)

// Amount is an exact amount of money of one [Asset]: a whole number of the asset's minor
// units, negative for a debt. It is immutable, comparable with [Amount.Equal] and
// [Amount.Cmp] (not ==), and safe for concurrent use.
//
// An Amount is made once and validated then: by [Asset.Parse] ("12.5", "12.5 ETH"),
// [ParseAmount] ("12.500000 TRST"), [Asset.FromUnits] and its fixed-width forms, or
// [Asset.FromDecimal]. Its one text grammar is the number at the asset's scale, a space and
// the symbol: "12.500000 TRST", "-0.10 USD". [Amount.String], [Amount.MarshalText] and
// [Amount.AppendText] write it; [ParseAmount] and [Amount.UnmarshalText] read it, so every
// Amount round-trips through text and JSON, whatever shopspring/decimal's package settings.
//
// Inside, an amount below 2^128 minor units is held in two machine words and its arithmetic
// does not allocate; larger ones fall back to math/big.
//
// The zero Amount is "no amount": it has no asset, [Amount.IsValid] reports false and
// [Amount.Sign] 0. It encodes as the empty string. In [Amount.Add] and [Amount.Sub] it
// stands for zero of the other operand's asset, so a running total may start as the zero
// Amount; every command of the library refuses it as input with [ErrInvalidAsset].
//
// In JSON, `omitempty` never drops an Amount (it is a struct), while `omitzero` drops every
// amount whose [Amount.IsZero] is true: "0.00 USD" as well as the zero Amount, and such a
// field decodes back as the zero Amount.
type Amount struct {
	// The asset's symbol and decimals, held apart rather than as an Asset so that the sign
	// fits beside the decimals: an Amount is six words, not seven.
	sym string
	dec int32
	neg bool
	mag uint128.U128 // the magnitude in minor units, when big is nil
	big *big.Int     // the magnitude when it is 2^128 or more; never modified once set
}

// asset returns x's asset.
func (x Amount) asset() Asset { return Asset{symbol: x.sym, decimals: x.dec} }

// sameAsset reports whether x and y are amounts of one asset (or both the zero Amount). It
// reads them in place: an Amount is six words, and a method of its would copy it first.
func sameAsset(x, y *Amount) bool { return x.sym == y.sym && x.dec == y.dec }

// Zero returns zero of the asset ("0.00 USD"). For the zero Asset it returns the zero Amount.
func (a Asset) Zero() Amount { return Amount{sym: a.symbol, dec: a.decimals} }

// FromInt64Units returns the amount of u minor units of the asset. For the zero Asset it
// returns the zero Amount: an amount always has an asset, or is "no amount".
func (a Asset) FromInt64Units(u int64) Amount {
	if !a.IsValid() {
		return Amount{}
	}
	if u < 0 {
		return Amount{sym: a.symbol, dec: a.decimals, neg: true, mag: uint128.From64(uint64(-(u + 1)) + 1)}
	}
	return Amount{sym: a.symbol, dec: a.decimals, mag: uint128.From64(uint64(u))}
}

// FromUint64Units returns the amount of u minor units of the asset (the zero Amount for the
// zero Asset).
func (a Asset) FromUint64Units(u uint64) Amount {
	if !a.IsValid() {
		return Amount{}
	}
	return Amount{sym: a.symbol, dec: a.decimals, mag: uint128.From64(u)}
}

// FromUint128Units returns the amount of hi x 2^64 + lo minor units of the asset (the zero
// Amount for the zero Asset). It never allocates; every such amount is within
// [MaxUnitDigits].
func (a Asset) FromUint128Units(hi, lo uint64) Amount {
	if !a.IsValid() {
		return Amount{}
	}
	return Amount{sym: a.symbol, dec: a.decimals, mag: uint128.U128{Hi: hi, Lo: lo}}
}

// FromUnits returns the amount of u minor units of the asset (negative for a debt). It does
// not retain u, and does not allocate when |u| is below 2^128. The error is an [*Error]
// wrapping [ErrAmountTooLarge] when |u| has more than [MaxUnitDigits] digits,
// [ErrInvalidAsset] for the zero Asset, or [ErrInvalidAmount] for a nil u.
func (a Asset) FromUnits(u *big.Int) (Amount, error) {
	switch {
	case !a.IsValid():
		return Amount{}, &Error{Op: "FromUnits", Err: ErrInvalidAsset}
	case u == nil:
		return Amount{}, &Error{Op: "FromUnits", Detail: "nil count of units", Err: ErrInvalidAmount}
	}
	x := Amount{sym: a.symbol, dec: a.decimals, neg: u.Sign() < 0}
	if m, ok := uint128.FromBigAbs(u); ok {
		x.mag = m
		return x, nil
	}
	if u.CmpAbs(unitBound) >= 0 {
		return Amount{}, &Error{Op: "FromUnits", Detail: "more than 96 digits of minor units", Err: ErrAmountTooLarge}
	}
	x.big = new(big.Int).Abs(u)
	return x, nil
}

// fromMag returns the amount of sign x magnitude minor units, or false when the magnitude is
// out of range. It retains m.
func (a Asset) fromMag(neg bool, m *big.Int) (Amount, bool) {
	if v, ok := uint128.FromBig(m); ok {
		return Amount{sym: a.symbol, dec: a.decimals, neg: neg && !v.IsZero(), mag: v}, true
	}
	if m.Cmp(unitBound) >= 0 {
		return Amount{}, false
	}
	return Amount{sym: a.symbol, dec: a.decimals, neg: neg, big: m}, true
}

// Asset returns the amount's asset (the zero Asset for the zero Amount).
func (x Amount) Asset() Asset { return x.asset() }

// IsValid reports whether x is an amount of an asset, not the zero Amount.
func (x Amount) IsValid() bool { return x.sym != "" }

// Sign returns -1, 0 or +1 as x is negative, zero or positive.
func (x Amount) Sign() int {
	switch {
	case x.big == nil && x.mag.IsZero():
		return 0
	case x.neg:
		return -1
	}
	return 1
}

// IsZero reports whether x is zero (of any asset, or the zero Amount). encoding/json's
// `omitzero` calls it, so it omits "0.00 USD" too.
func (x Amount) IsZero() bool { return x.Sign() == 0 }

// IsPositive reports whether x is above zero.
func (x Amount) IsPositive() bool { return x.Sign() > 0 }

// IsNegative reports whether x is below zero.
func (x Amount) IsNegative() bool { return x.Sign() < 0 }

// cmpMag compares the magnitudes of x and y.
func cmpMag(x, y Amount) int {
	switch {
	case x.big == nil && y.big == nil:
		return x.mag.Cmp(y.mag)
	case x.big == nil:
		return -1 // a big magnitude is at least 2^128
	case y.big == nil:
		return 1
	}
	return x.big.Cmp(y.big)
}

// Cmp compares x and y: -1 if x < y, 0 if equal, +1 if x > y. Amounts of two assets are
// ordered by asset first (symbol, then decimals), so Cmp is a total order on amounts of
// valid assets, fit for sorting; compare values of one asset only. The zero Amount compares
// as zero of the other's asset (it is equal to "0.00 USD" in Cmp, not in [Amount.Equal]), so
// it has no place in an order of several assets: do not sort it among them.
func (x Amount) Cmp(y Amount) int {
	if !sameAsset(&x, &y) && x.IsValid() && y.IsValid() {
		return x.asset().cmp(y.asset())
	}
	sx, sy := x.Sign(), y.Sign()
	if sx != sy {
		if sx < sy {
			return -1
		}
		return 1
	}
	c := cmpMag(x, y)
	if sx < 0 {
		return -c
	}
	return c
}

// Equal reports whether x and y are the same amount of the same asset. The zero Amount
// equals only itself.
func (x Amount) Equal(y Amount) bool {
	return sameAsset(&x, &y) && x.neg == y.neg && cmpMag(x, y) == 0
}

// Neg returns -x.
func (x Amount) Neg() Amount {
	if x.Sign() != 0 {
		x.neg = !x.neg
	}
	return x
}

// Abs returns |x|.
func (x Amount) Abs() Amount {
	x.neg = false
	return x
}

// Add returns x + y, exactly. Both must be of one asset (the zero Amount stands for zero of
// the other's): else the error is an [*Error] wrapping [ErrAssetMismatch]. A sum of
// more than [MaxUnitDigits] digits is [ErrAmountTooLarge]. Below 2^128 minor units it does
// not allocate.
func (x Amount) Add(y Amount) (Amount, error) { return x.add("Add", y, false) }

// Sub returns x - y, exactly, under the rules of [Amount.Add].
func (x Amount) Sub(y Amount) (Amount, error) { return x.add("Sub", y, true) }

// add returns x + y, or x - y when sub is set; op names the operation in errors.
func (x Amount) add(op string, y Amount, sub bool) (Amount, error) {
	a, ok := commonAsset(x, y)
	if !ok {
		return Amount{}, x.mismatch(op, y, sub)
	}
	yneg := y.neg != sub && y.Sign() != 0
	if x.big == nil && y.big == nil {
		if x.neg == yneg {
			if s, over := x.mag.Add(y.mag); !over {
				return Amount{sym: a.symbol, dec: a.decimals, neg: x.neg && !s.IsZero(), mag: s}, nil
			}
		} else {
			// Opposite signs: the larger magnitude keeps its sign.
			if d, borrow := x.mag.Sub(y.mag); !borrow {
				return Amount{sym: a.symbol, dec: a.decimals, neg: x.neg && !d.IsZero(), mag: d}, nil
			}
			d, _ := y.mag.Sub(x.mag)
			return Amount{sym: a.symbol, dec: a.decimals, neg: yneg, mag: d}, nil
		}
	}
	yb := y.signedBig()
	if sub {
		yb.Neg(yb)
	}
	s := yb.Add(x.signedBig(), yb)
	v, ok := a.fromMag(s.Sign() < 0, s.Abs(s))
	if !ok {
		what := "the sum"
		if sub {
			what = "the difference"
		}
		return Amount{}, &Error{Op: op, Amount: y, Detail: what + " has more than 96 digits of minor units", Err: ErrAmountTooLarge}
	}
	return v, nil
}

// mismatch returns the error of adding (or subtracting) y to x of another asset.
func (x Amount) mismatch(op string, y Amount, sub bool) error {
	detail := "cannot add " + y.asset().symbol + " to " + x.asset().symbol
	if sub {
		detail = "cannot subtract " + y.asset().symbol + " from " + x.asset().symbol
	}
	if y.asset().symbol == x.asset().symbol {
		detail += " of another scale (" + strconv.Itoa(int(y.asset().decimals)) + " decimals, not " + strconv.Itoa(int(x.asset().decimals)) + ")"
	}
	return &Error{Op: op, Amount: y, Detail: detail, Err: ErrAssetMismatch}
}

// Mul returns x times k, exactly; the product must stay within [MaxUnitDigits] digits, or
// the error wraps [ErrAmountTooLarge]. Below 2^128 minor units it does not allocate.
func (x Amount) Mul(k int64) (Amount, error) {
	if x.big == nil {
		kneg, kmag := k < 0, uint64(k)
		if kneg {
			kmag = uint64(-(k + 1)) + 1
		}
		if p, over := x.mag.Mul64(kmag); !over {
			return Amount{sym: x.sym, dec: x.dec, neg: (x.neg != kneg) && !p.IsZero(), mag: p}, nil
		}
	}
	p := x.signedBig()
	p.Mul(p, big.NewInt(k))
	v, ok := x.asset().fromMag(p.Sign() < 0, p.Abs(p))
	if !ok {
		return Amount{}, &Error{Op: "Mul", Amount: x, Detail: "times " + strconv.FormatInt(k, 10) + " has more than 96 digits of minor units", Err: ErrAmountTooLarge}
	}
	return v, nil
}

// commonAsset returns the asset of an operation on x and y, and false when they are of two
// assets.
func commonAsset(x, y Amount) (Asset, bool) {
	switch {
	case sameAsset(&x, &y):
		return x.asset(), true
	case !x.IsValid():
		return y.asset(), true
	case !y.IsValid():
		return x.asset(), true
	}
	return Asset{}, false
}

// signedBig returns x in minor units as a new big.Int.
func (x Amount) signedBig() *big.Int { return x.SetUnits(new(big.Int)) }

// Units returns x as a count of minor units, in a new big.Int (negative for a debt).
func (x Amount) Units() *big.Int { return x.SetUnits(new(big.Int)) }

// SetUnits stores x's count of minor units in z and returns z (a new big.Int when z is nil).
// It does not allocate when z already has room for 128 bits and x is below 2^128.
func (x Amount) SetUnits(z *big.Int) *big.Int {
	if z == nil {
		z = new(big.Int)
	}
	if x.big != nil {
		z.Set(x.big)
	} else {
		x.mag.SetBig(z)
	}
	if x.neg {
		z.Neg(z)
	}
	return z
}

// Uint128Units returns x's minor units as hi x 2^64 + lo, with ok false when x is negative
// or 2^128 or more.
func (x Amount) Uint128Units() (hi, lo uint64, ok bool) {
	if x.neg || x.big != nil {
		return 0, 0, false
	}
	return x.mag.Hi, x.mag.Lo, true
}

// Int64Units returns x's minor units as an int64, with ok false when they do not fit.
func (x Amount) Int64Units() (int64, bool) {
	if x.big != nil || x.mag.Hi != 0 {
		return 0, false
	}
	switch {
	case !x.neg && x.mag.Lo <= 1<<63-1:
		return int64(x.mag.Lo), true
	case x.neg && x.mag.Lo <= 1<<63:
		return -int64(x.mag.Lo-1) - 1, true
	}
	return 0, false
}

// Decimal returns x in whole units of its asset as a [decimal.Decimal], exactly ("1.5" for
// 1.5 ETH, with exponent -18).
func (x Amount) Decimal() decimal.Decimal {
	return decimal.NewFromBigInt(x.signedBig(), -x.asset().decimals)
}

// FromDecimal returns d, in whole units of the asset, as an Amount. d must be a whole number
// of minor units ("1.50" is fine for a 2-decimal asset, "1.005" is not: [ErrSubUnitAmount])
// within [MaxUnitDigits] digits ([ErrAmountTooLarge]). The error is an [*Error].
func (a Asset) FromDecimal(d decimal.Decimal) (Amount, error) {
	if !a.IsValid() {
		return Amount{}, &Error{Op: "FromDecimal", Err: ErrInvalidAsset}
	}
	coef := d.Coefficient() // a new big.Int
	if coef.Sign() == 0 {
		return a.Zero(), nil
	}
	shift := int64(d.Exponent()) + int64(a.decimals) // units = coef x 10^shift
	// |coef| >= 2^320 > 10^96: refuse it before printing its digits.
	if shift >= 0 && coef.BitLen() > 320 {
		return Amount{}, &Error{Op: "FromDecimal", Detail: "more than 96 digits of minor units", Err: ErrAmountTooLarge}
	}
	digits := int64(len(coef.Text(10)))
	if coef.Sign() < 0 {
		digits--
	}
	switch {
	case shift > 0:
		if digits+shift > MaxUnitDigits {
			return Amount{}, &Error{Op: "FromDecimal", Detail: "more than 96 digits of minor units", Err: ErrAmountTooLarge}
		}
		coef.Mul(coef, pow10(shift))
	case shift < 0:
		if -shift > digits {
			return Amount{}, &Error{Op: "FromDecimal", Detail: a.decimalsDetail(), Err: ErrSubUnitAmount}
		}
		var r big.Int
		coef.QuoRem(coef, pow10(-shift), &r)
		if r.Sign() != 0 {
			return Amount{}, &Error{Op: "FromDecimal", Detail: a.decimalsDetail(), Err: ErrSubUnitAmount}
		}
	}
	v, err := a.FromUnits(coef)
	if err != nil {
		err.(*Error).Op = "FromDecimal"
	}
	return v, err
}

// decimalsDetail says how fine the asset's minor unit is: "USD has 2 decimals".
func (a Asset) decimalsDetail() string {
	switch a.decimals {
	case 0:
		return a.symbol + " has no decimals"
	case 1:
		return a.symbol + " has 1 decimal"
	}
	return a.symbol + " has " + strconv.Itoa(int(a.decimals)) + " decimals"
}

// pow10 returns 10^n as a new big.Int.
func pow10(n int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil) }

// Parse reads s as an amount of the asset: an optional '-', decimal digits with an optional
// '.' and fraction ("12", "12.5", "-0.25", ".5"), and optionally a space and the asset's
// symbol ("12.5 ETH"). Digits below the minor unit must be zeros ("1.50" is fine for a
// 1-decimal asset, "1.55" is [ErrSubUnitAmount]); signs other than a leading '-',
// exponents, spaces elsewhere and text longer than 256 bytes are [ErrInvalidAmount];
// another asset's symbol is [ErrAssetMismatch]; more than [MaxUnitDigits] digits of minor
// units are [ErrAmountTooLarge]. "-0" is zero. Parse accepts every text that
// [Amount.String] writes for the asset, and does not allocate for amounts below 2^128 minor
// units. The error is an [*Error] whose Input is s.
func (a Asset) Parse(s string) (Amount, error) {
	switch {
	case !a.IsValid():
		return Amount{}, &Error{Op: "Parse", Input: s, Err: ErrInvalidAsset}
	case len(s) > maxTextLen:
		return Amount{}, &Error{Op: "Parse", Input: s, Detail: "longer than 256 bytes", Err: ErrInvalidAmount}
	}
	num, sym, hasSym := strings.Cut(s, " ")
	if hasSym && sym != a.symbol {
		if checkSymbol(sym) == nil {
			return Amount{}, &Error{Op: "Parse", Input: s, Detail: "want " + a.symbol, Err: ErrAssetMismatch}
		}
		return Amount{}, &Error{Op: "Parse", Input: s, Detail: "not a decimal number and a symbol", Err: ErrInvalidAmount}
	}
	x, err := a.parseNumber(s, num)
	if err != nil {
		err.Op = "Parse"
		return Amount{}, err
	}
	return x, nil
}

// parseNumber parses num, the number part of s (at most maxTextLen bytes). The error's Op is
// left for the caller to set.
func (a Asset) parseNumber(s, num string) (Amount, *Error) {
	neg := strings.HasPrefix(num, "-")
	if neg {
		num = num[1:]
	}
	whole, frac, hasDot := strings.Cut(num, ".")
	if whole == "" && frac == "" || hasDot && frac == "" || !allDigits(whole) || !allDigits(frac) {
		return Amount{}, &Error{Input: s, Detail: "not a decimal number", Err: ErrInvalidAmount}
	}
	dec := int(a.decimals)
	if len(frac) > dec {
		if strings.Trim(frac[dec:], "0") != "" {
			return Amount{}, &Error{Input: s, Detail: a.decimalsDetail(), Err: ErrSubUnitAmount}
		}
		frac = frac[:dec]
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole)+dec > MaxUnitDigits {
		return Amount{}, &Error{Input: s, Detail: "more than 96 digits of minor units", Err: ErrAmountTooLarge}
	}
	// The minor units are the digits of whole, then of frac, then the missing fraction
	// zeros: at most 96 digits. Accumulate them in 128 bits, falling back to math/big on
	// overflow.
	var acc digitAcc
	acc.push(whole)
	acc.push(frac)
	acc.zeros(dec - len(frac))
	if acc.b != nil {
		v, _ := a.fromMag(neg, acc.b) // within the bound: at most 96 digits
		return v, nil
	}
	return Amount{sym: a.symbol, dec: a.decimals, neg: neg && !acc.m.IsZero(), mag: acc.m}, nil
}

// digitAcc accumulates decimal digits into an integer: in m while it fits in 128 bits, then
// in b.
type digitAcc struct {
	m uint128.U128
	b *big.Int
}

// push appends the decimal digits of s (all '0'..'9') to the integer.
func (z *digitAcc) push(s string) {
	for i := 0; i < len(s); i++ {
		z.digit(uint64(s[i] - '0'))
	}
}

// zeros appends n zero digits.
func (z *digitAcc) zeros(n int) {
	for range n {
		z.digit(0)
	}
}

func (z *digitAcc) digit(d uint64) {
	if z.b == nil {
		if p, over := z.m.Mul64(10); !over {
			if q, over := p.Add(uint128.From64(d)); !over {
				z.m = q
				return
			}
		}
		z.b = z.m.Big()
	}
	z.b.Mul(z.b, bigTen)
	z.b.Add(z.b, new(big.Int).SetUint64(d))
}

// bigTen is 10; it is never modified.
var bigTen = big.NewInt(10)

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MustParse is like [Asset.Parse] but panics on error. Use it only for literals in tests
// and examples, as with [regexp.MustCompile].
func (a Asset) MustParse(s string) Amount {
	x, err := a.Parse(s)
	if err != nil {
		panic(err)
	}
	return x
}

// ParseAmount reads the text that [Amount.String] writes: the number at its asset's scale,
// a space and the symbol ("12.500000 TRST", "-3 XYZ"). The number of fraction digits is the
// asset's number of decimals, so the text names its asset fully: "12.5 TRST" is an amount
// of a 1-decimal asset TRST, not of [TRST]. The empty string is the zero Amount. The error
// is an [*Error] wrapping [ErrInvalidAmount], [ErrInvalidAsset] or [ErrAmountTooLarge].
func ParseAmount(s string) (Amount, error) {
	if s == "" {
		return Amount{}, nil
	}
	if len(s) > maxTextLen {
		return Amount{}, &Error{Op: "ParseAmount", Input: s, Detail: "longer than 256 bytes", Err: ErrInvalidAmount}
	}
	num, sym, ok := strings.Cut(s, " ")
	if !ok {
		return Amount{}, &Error{Op: "ParseAmount", Input: s, Detail: `want "<number> <SYMBOL>"`, Err: ErrInvalidAmount}
	}
	dec := 0
	if _, frac, hasDot := strings.Cut(num, "."); hasDot {
		dec = len(frac)
	}
	a, err := NewAsset(sym, dec)
	if err != nil {
		return Amount{}, &Error{Op: "ParseAmount", Input: s, Detail: assetDetail(err), Err: ErrInvalidAsset}
	}
	x, perr := a.parseNumber(s, num)
	if perr != nil {
		perr.Op = "ParseAmount"
		return Amount{}, perr
	}
	return x, nil
}

// assetDetail returns what [NewAsset]'s error says beyond [ErrInvalidAsset]'s own message.
func assetDetail(err error) string {
	if e, ok := err.(*Error); ok && e.Detail != "" {
		return e.Detail
	}
	return strings.TrimPrefix(err.Error(), ErrInvalidAsset.Error()+": ")
}

// AppendNumber appends x's number at its asset's scale ("12.500000", "-0.10") to b. An
// amount whose whole part (in units of the asset) is below 2^64, every amount of real money,
// is written in one pass without allocating.
func (x Amount) AppendNumber(b []byte) []byte {
	if x.neg {
		b = append(b, '-')
	}
	dec := int(x.asset().decimals)
	if x.big == nil {
		if p, ok := wire.Pow10(dec); ok {
			if q, r := x.mag.QuoRem64(p); q.Hi == 0 {
				return appendWholeFrac(b, q.Lo, r, dec)
			}
		} else if x.mag.Hi == 0 { // 10^dec is above every uint64: no whole units
			return appendWholeFrac(b, 0, x.mag.Lo, dec)
		}
	}
	start := len(b)
	if x.big != nil {
		b = x.big.Append(b, 10)
	} else {
		b = x.mag.AppendDecimal(b)
	}
	return pointAt(b, start, dec)
}

// appendWholeFrac appends whole, then a point and frac zero-padded to dec digits when dec
// is positive ("1.000000000000000000").
func appendWholeFrac(b []byte, whole, frac uint64, dec int) []byte {
	b = wire.AppendUint(b, whole)
	if dec == 0 {
		return b
	}
	return wire.AppendPadded(append(b, '.'), frac, dec)
}

// pointAt writes a decimal point dec digits from the end of the digits b[start:], padding
// them with leading zeros to at least dec+1 digits ("5" with dec 2 becomes "0.05").
func pointAt(b []byte, start, dec int) []byte {
	if dec == 0 {
		return b
	}
	if n := len(b) - start; n <= dec {
		pad := dec + 1 - n
		b = append(b, make([]byte, pad)...)
		copy(b[start+pad:], b[start:start+n])
		for i := range pad {
			b[start+i] = '0'
		}
	}
	b = append(b, 0)
	dot := len(b) - 1 - dec
	copy(b[dot+1:], b[dot:len(b)-1])
	b[dot] = '.'
	return b
}

// Number returns x's number at its asset's scale, without the symbol: "12.500000".
func (x Amount) Number() string {
	var buf [maxAmountText]byte
	return string(x.AppendNumber(buf[:0]))
}

// maxAmountText bounds the text of an amount: a sign, 96 digits, a point, a space and a
// 12-character symbol make 111 bytes.
const maxAmountText = 128

// AppendText appends the text of [Amount.String] to b (nothing for the zero Amount). It
// implements [encoding.TextAppender] and never fails.
func (x Amount) AppendText(b []byte) ([]byte, error) {
	if !x.IsValid() {
		return b, nil
	}
	b = x.AppendNumber(b)
	b = append(b, ' ')
	return append(b, x.asset().symbol...), nil
}

// String returns x in the amount grammar: "12.500000 TRST", "-0.10 USD"; the zero Amount
// is "(no amount)".
func (x Amount) String() string {
	if !x.IsValid() {
		return "(no amount)"
	}
	var buf [maxAmountText]byte
	b, _ := x.AppendText(buf[:0])
	return string(b)
}

// MarshalText returns what [Amount.String] returns, or nothing for the zero Amount.
func (x Amount) MarshalText() ([]byte, error) { return x.AppendText(nil) }

// UnmarshalText sets x to the amount [ParseAmount] reads from text; empty text is the zero
// Amount.
func (x *Amount) UnmarshalText(text []byte) error {
	v, err := ParseAmount(string(text))
	if err != nil {
		return err
	}
	*x = v
	return nil
}

// Trim returns x's number with trailing fraction zeros dropped, keeping at least
// minDecimals decimal places but never more than the asset has ("1.5" for 1.5 ETH; "12.50"
// for 12.5 USD with minDecimals 5), for tables read by people. Nothing is rounded.
func (x Amount) Trim(minDecimals int) string {
	s := x.Number()
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		return s
	}
	end := len(s)
	for end > dot+1+max(minDecimals, 0) && s[end-1] == '0' {
		end--
	}
	if end == dot+1 {
		end = dot
	}
	return s[:end]
}

// Check reports whether x is a valid non-negative amount of the asset a: of a (not of
// another asset, [ErrAssetMismatch], nor the zero Amount, [ErrInvalidAsset]) and not
// negative ([ErrNegativeAmount]). The error is an [*Error] with the amount.
func (a Asset) Check(x Amount) error {
	switch {
	case !a.IsValid():
		return &Error{Op: "Check", Amount: x, Detail: "checked against the zero Asset", Err: ErrInvalidAsset}
	case !x.IsValid():
		return &Error{Op: "Check", Detail: "no amount given (the zero Amount), want " + a.symbol, Err: ErrInvalidAsset}
	case x.asset() != a:
		return &Error{Op: "Check", Amount: x, Detail: "want " + a.String(), Err: ErrAssetMismatch}
	case x.neg:
		return &Error{Op: "Check", Amount: x, Err: ErrNegativeAmount}
	}
	return nil
}

// CheckPositive is [Asset.Check] that also refuses zero with [ErrZeroAmount].
func (a Asset) CheckPositive(x Amount) error {
	if err := a.Check(x); err != nil {
		err.(*Error).Op = "CheckPositive"
		return err
	}
	if x.IsZero() {
		return &Error{Op: "CheckPositive", Amount: x, Err: ErrZeroAmount}
	}
	return nil
}
