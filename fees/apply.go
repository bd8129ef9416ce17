package fees

import "github.com/trustcircle/trustcircle/token"

// Apply returns the fee at rate r on gross and the net: fee = floor(gross x r), rounded down
// to the minor unit (in the payer's favour), and net = gross - fee, so fee + net = gross
// exactly. gross must be a non-negative amount of some asset; the error is an [*Error]
// wrapping the token package's reason ([token.ErrInvalidAsset] for the zero Amount,
// [token.ErrNegativeAmount]).
func Apply(r token.Ratio, gross token.Amount) (fee, net token.Amount, err error) {
	if err := checkGross("Apply", gross); err != nil {
		return token.Amount{}, token.Amount{}, err
	}
	fee = r.MulFloor(gross)
	net, err = gross.Sub(fee) // 0 <= fee <= gross, of one asset
	return fee, net, err
}

// ApplyNetFloor is the reference contract's removeFees, RF(x) = floor(x * (1000-f) / 1000):
// net = floor(gross x (1 - r)), rounded down to the minor unit, and fee = gross - net (so the
// fee is rounded up: the rounding dust goes to the fee, against the payer); fee + net =
// gross exactly. It takes the errors of [Apply].
func ApplyNetFloor(r token.Ratio, gross token.Amount) (fee, net token.Amount, err error) {
	if err := checkGross("ApplyNetFloor", gross); err != nil {
		return token.Amount{}, token.Amount{}, err
	}
	net = r.Complement().MulFloor(gross)
	fee, err = gross.Sub(net) // 0 <= net <= gross, of one asset
	return fee, net, err
}

// checkGross refuses the zero Amount and negative amounts.
func checkGross(op string, gross token.Amount) error {
	return withOp(op, gross.Asset().Check(gross))
}

// CheckCap returns nil when r is at most limit, and otherwise an [*Error] wrapping
// [ErrAboveCap] whose detail names both rates ("2.5% exceeds the cap 2%"). The comparison
// is exact: 1/50 is at the cap of 20/1000.
func CheckCap(r, limit token.Ratio) error {
	if r.Cmp(limit) > 0 {
		return &Error{Op: "CheckCap", Detail: r.String() + " exceeds the cap " + limit.String(), Err: ErrAboveCap}
	}
	return nil
}
