package rates

import (
	"math/big"

	"github.com/trustcircle/trustcircle/token"
)

// Value is an exact amount of money that need not be a whole number of minor units, such as
// a net present value: a rational number of the asset's minor units. [Value.Rat] gives it
// exactly, [Value.Round] as an [token.Amount] with a named rounding.
//
// Value is immutable and safe for concurrent use. The zero Value is zero of no asset; its
// Round returns the zero Amount.
type Value struct {
	asset token.Asset
	units *big.Rat // in minor units; nil for zero; never modified once set
}

// NPV returns the net present value of the flows at rate per round, in round 1: the sum over
// the rounds t of flow_t / (1 + rate)^(t-1), exactly. Positive means the member is better
// off than saving or borrowing at the rate would have left it; negative, worse off. The error
// is an [*Error] wrapping [ErrNoFlows] for the zero Flows.
func NPV(f Flows, rate Rate) (Value, error) {
	if len(f.amounts) == 0 {
		return Value{}, &Error{Op: "NPV", Err: ErrNoFlows}
	}
	g := rate.factor() // 1 + rate = n/d, both positive
	n, d := g.Num(), g.Denom()
	// With L rounds, NPV = sum_t flow_t d^(t-1) n^(L-t) / n^(L-1): Horner's rule in n.
	acc, dpow, u := new(big.Int), big.NewInt(1), new(big.Int)
	for t, x := range f.amounts {
		if t > 0 {
			acc.Mul(acc, n)
			dpow.Mul(dpow, d)
		}
		acc.Add(acc, u.Mul(x.SetUnits(u), dpow))
	}
	den := new(big.Int).Exp(n, big.NewInt(int64(len(f.amounts)-1)), nil)
	return Value{asset: f.asset, units: new(big.Rat).SetFrac(acc, den)}, nil
}

// Asset returns the value's asset (the zero Asset for the zero Value).
func (v Value) Asset() token.Asset { return v.asset }

// units returns the value in minor units, a rational the caller must not modify.
func (v Value) unitsRat() *big.Rat {
	if v.units == nil {
		return new(big.Rat)
	}
	return v.units
}

// Sign returns -1, 0 or +1 as the value is negative, zero or positive.
func (v Value) Sign() int { return v.unitsRat().Sign() }

// Units returns the value in minor units of the asset, exactly, as a new rational.
func (v Value) Units() *big.Rat { return new(big.Rat).Set(v.unitsRat()) }

// Rat returns the value in whole units of the asset (rupees, not paise), exactly, as a new
// rational.
func (v Value) Rat() *big.Rat {
	x := v.Units()
	return x.Quo(x, new(big.Rat).SetInt(pow10(max(v.asset.Decimals(), 0))))
}

// Round returns the value rounded to a whole number of minor units by mode: an NPV of
// 1,126.9131... rupees is 1126.91 INR for HalfEven. The error is an [*Error] wrapping
// [token.ErrAmountTooLarge] when the rounded value has more than 96 digits of minor units.
func (v Value) Round(mode Rounding) (token.Amount, error) {
	if !v.asset.IsValid() {
		return token.Amount{}, nil
	}
	x := v.unitsRat()
	a, err := v.asset.FromUnits(roundQuo(x.Num(), x.Denom(), mode))
	if err != nil {
		return token.Amount{}, &Error{Op: "Round", Detail: "more than 96 digits of minor units", Err: token.ErrAmountTooLarge}
	}
	return a, nil
}

// String returns the value rounded to the minor unit half to even, with its asset
// ("1126.91 INR"), for people and logs; "(no value)" for the zero Value and "(value too
// large)" when it has more than 96 digits. It is not exact: [Value.Rat] is.
func (v Value) String() string {
	if !v.asset.IsValid() {
		return "(no value)"
	}
	a, err := v.Round(HalfEven)
	if err != nil {
		return "(value too large)"
	}
	return a.String()
}
