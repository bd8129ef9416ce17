package rates

import (
	"math/big"
)

// Role says on which side of the circle's credit a member stands, over the whole circle. The
// zero Role is [Unclassified], that of the zero [MIRRResult].
type Role uint8

// The roles of [MIRR].
const (
	Unclassified Role = iota // the zero MIRRResult: no flows were classified
	Saver                    // it lent more than it borrowed: others held its money
	Borrower                 // it borrowed more than it lent: it held others' money
	Balanced                 // it lent exactly as much as it borrowed
)

var roleNames = [...]string{"unclassified", "saver", "borrower", "balanced"}

// String returns "unclassified", "saver", "borrower" or "balanced".
func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return roleNames[Unclassified]
}

// MIRRResult is the modified internal rate of return of a member's flows, read from the
// member's side of the circle's credit: its role ([Saver], [Borrower] or [Balanced]) and the
// two modified rates, the return on its payments and the cost of its receipts.
//
// The zero MIRRResult is [Unclassified], with zero Roots.
type MIRRResult struct {
	role      Role
	ret, cost Root
}

// Role returns the member's role: [Borrower] when it held more of the others' money, round by
// round, than they held of its own, [Saver] in the opposite case, [Balanced] when the two are
// equal (see [MIRR]).
func (m MIRRResult) Role() Role { return m.role }

// Return returns the modified rate that treats the member's payments as an investment: the
// rate per round at which the payments, financed at the finance rate and valued in round 1,
// grow into the receipts reinvested at the reinvestment rate up to the last round. It is the
// figure spreadsheets call MIRR, whatever the member's role; a saver wants it high.
func (m MIRRResult) Return() Root { return m.ret }

// Cost returns the modified rate that treats the member's receipts as a loan: the rate per
// round at which the receipts, valued in round 1 at the reinvestment rate, grow into the
// payments carried at the finance rate to the last round. A borrower wants it low; a negative
// cost means the member was paid to borrow. (1 + Cost)(1 + Return) equals
// (1 + finance)(1 + reinvestment).
func (m MIRRResult) Cost() Root { return m.cost }

// Rate returns the figure that reads as the member's own: the Return of a saver or a balanced
// member, the Cost of a borrower.
func (m MIRRResult) Rate() Root {
	if m.role == Borrower {
		return m.cost
	}
	return m.ret
}

// String describes the result for people, rates with three decimals: "saver earning 1.918%
// a round", "borrower paying -2.761% a round" or "unclassified".
func (m MIRRResult) String() string {
	switch m.role {
	case Saver:
		return "saver earning " + m.ret.String() + " a round"
	case Borrower:
		return "borrower paying " + m.cost.String() + " a round"
	case Balanced:
		return "balanced, earning " + m.ret.String() + " a round"
	}
	return "unclassified"
}

// MIRR returns the modified internal rate of return of the flows, with a finance rate (the
// rate the member pays on the money it puts in) and a reinvestment rate (the rate it earns on
// the money it takes out), both per round. With L rounds, let PV be the payments discounted to
// round 1 at the finance rate and FV the receipts compounded to round L at the reinvestment
// rate. Then
//
//	Return: (1 + Return)^(L-1) = FV / PV                              (the spreadsheet MIRR)
//	Cost:   (1 + Cost)^(L-1)   = PV (1 + finance)^(L-1) / (FV / (1 + reinvestment)^(L-1))
//
// Both are roots of a polynomial with one sign change, so each exists and is unique; they are
// bracketed within 10^-digits by bisection on exact rationals.
//
// The sign convention: the spreadsheet figure treats every member as an investor, so a member
// who borrowed cheaply shows a high "return" (the foreman's ticket of a chit fund, which takes
// the first pot at no discount, earns +4.9% a round at 1% on its "investment" while it
// borrowed at a negative rate). The role tells which reading applies: a member is a
// [Borrower] when the sum of its running totals over rounds 1 to L-1 is positive (round by
// round it held more of the others' money than they held of its own: a first-round winner), a
// [Saver] when it is negative (a last-round winner), [Balanced] when zero. [MIRRResult.Rate]
// gives the Return of a saver and the Cost of a borrower.
//
// The error is an [*Error] wrapping [ErrNoFlows] for the zero Flows, [ErrAllZero] when every
// flow is zero, [ErrOneSided] when the member never pays or never receives (a single round
// included), and [ErrInvalidPrecision] when digits is not 1 to [MaxDigits].
func MIRR(f Flows, finance, reinvest Rate, digits int) (MIRRResult, error) {
	if err := checkSolvable("MIRR", f, digits); err != nil {
		return MIRRResult{}, err
	}
	pos, neg := false, false
	for _, x := range f.amounts {
		pos = pos || x.IsPositive()
		neg = neg || x.IsNegative()
	}
	if !pos || !neg {
		return MIRRResult{}, &Error{Op: "MIRR", Detail: "the member never pays or never receives", Err: ErrOneSided}
	}
	n := len(f.amounts) - 1 // periods from round 1 to the last round
	pvNum, pvDen, fvNum, fvDen := legs(f, finance, reinvest)
	// (1 + Return)^n = FV / PV, and (1 + Cost)^n = (1+f)^n (1+i)^n PV / FV.
	gf, gr := finance.factor(), reinvest.factor()
	e := big.NewInt(int64(n))
	retNum := new(big.Int).Mul(fvNum, pvDen)
	retDen := new(big.Int).Mul(fvDen, pvNum)
	costNum := new(big.Int).Mul(retDen, new(big.Int).Exp(new(big.Int).Mul(gf.Num(), gr.Num()), e, nil))
	costDen := new(big.Int).Mul(retNum, new(big.Int).Exp(new(big.Int).Mul(gf.Denom(), gr.Denom()), e, nil))
	res := MIRRResult{ret: nthRoot(retNum, retDen, n, digits), cost: nthRoot(costNum, costDen, n, digits)}
	// The money-rounds: sum_t flow_t (L - t), the running totals summed over rounds 1 to L-1.
	mr, u := new(big.Int), new(big.Int)
	for t, x := range f.amounts {
		mr.Add(mr, u.Mul(x.SetUnits(u), big.NewInt(int64(n-t))))
	}
	res.role = roleOf(mr.Sign())
	return res, nil
}

// legs returns the payments discounted to round 1 at the finance rate, PV = pvNum / pvDen
// (positive), and the receipts compounded to the last round at the reinvestment rate,
// FV = fvNum / fvDen, in minor units. With 1 + finance = a/b and L rounds, PV is
// sum_t |flow_t| b^(t-1) a^(L-t) / a^(L-1) over the payments, summed by Horner's rule in a;
// with 1 + reinvestment = c/d, FV is sum_t flow_t c^(L-t) d^(t-1) / d^(L-1) over the receipts.
func legs(f Flows, finance, reinvest Rate) (pvNum, pvDen, fvNum, fvDen *big.Int) {
	gf, gr := finance.factor(), reinvest.factor()
	a, b := gf.Num(), gf.Denom()
	c, d := gr.Num(), gr.Denom()
	pvNum, fvNum = new(big.Int), new(big.Int)
	bpow, dpow, u := big.NewInt(1), big.NewInt(1), new(big.Int)
	for t, x := range f.amounts {
		if t > 0 {
			pvNum.Mul(pvNum, a)
			fvNum.Mul(fvNum, c)
			bpow.Mul(bpow, b)
			dpow.Mul(dpow, d)
		}
		x.SetUnits(u)
		switch u.Sign() {
		case -1:
			pvNum.Sub(pvNum, u.Mul(u, bpow))
		case 1:
			fvNum.Add(fvNum, u.Mul(u, dpow))
		}
	}
	e := big.NewInt(int64(len(f.amounts) - 1))
	return pvNum, new(big.Int).Exp(a, e, nil), fvNum, new(big.Int).Exp(d, e, nil)
}

// nthRoot returns the rate r with (1 + r)^n = num / den (both positive, n >= 1), bracketed
// within 10^-digits by bisection on y = 1 + r: the one positive root of den y^n - num, a
// polynomial with one sign change.
func nthRoot(num, den *big.Int, n, digits int) Root {
	p := make(poly, n+1)
	p[0] = new(big.Int).Neg(num)
	for i := 1; i < n; i++ {
		p[i] = new(big.Int)
	}
	p[n] = new(big.Int).Set(den)
	var s solver
	s.init(digits)
	return s.refine(p.primitive(), positiveRange(p))
}

// roleOf returns the role of a member whose flows weighted by the rounds left sum to a
// value of the given sign: positive is a net borrower, negative a net saver.
func roleOf(sign int) Role {
	switch sign {
	case 1:
		return Borrower
	case -1:
		return Saver
	}
	return Balanced
}
