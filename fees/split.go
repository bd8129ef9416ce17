package fees

import (
	"strconv"

	"github.com/trustcircle/trustcircle/token"
)

// Share is one stakeholder's weight in a fee [Split]: the foreperson, the platform, a
// referral partner. Weights are relative whole numbers (2 and 1 give two thirds and one
// third; 65 and 35 give 65% and 35%). The zero Share has no account and no weight.
type Share struct {
	Account token.Account `json:"account"`
	Weight  uint64        `json:"weight"`
}

// Part is one stakeholder's amount of a split fee. The zero Part has no account and no
// amount.
type Part struct {
	Account token.Account `json:"account"`
	Amount  token.Amount  `json:"amount"`
}

// Split divides one fee among stakeholders in proportion to their shares, exactly: every part
// is a whole number of minor units and the parts sum to the fee. Each part first gets the
// floor of its exact share (rounding down); the few leftover minor units (fewer than the
// number of shares) go where Remainder says: the zero value, [token.LargestRemainder], gives
// them one each to the largest fractional remainders, ties to the earlier share;
// [token.RemainderTo](i) gives them all to share i. A zero weight never gets a unit. The
// zero Split has no shares and is refused by [Split.Validate].
//
// Split is a plain configuration value: build it as a literal, check it with
// [Split.Validate].
type Split struct {
	Shares    []Share
	Remainder token.Remainder
}

// Validate reports whether the split is usable: at least one share, valid and distinct
// accounts and at least one positive weight. The error is an [*Error] wrapping
// [ErrInvalidShares] (and [token.ErrInvalidAccount] for a malformed account). A remainder
// index is checked when the split is applied.
func (s Split) Validate() error {
	if len(s.Shares) == 0 {
		return &Error{Op: "Split", Detail: "no shares", Err: ErrInvalidShares}
	}
	seen := make(map[token.Account]bool, len(s.Shares))
	positive := false
	for i, sh := range s.Shares {
		share := "share " + strconv.Itoa(i)
		if err := sh.Account.Validate(); err != nil {
			detail, reason := because(ErrInvalidShares, err)
			if detail != "" {
				detail = ": " + detail
			}
			return &Error{Op: "Split", Account: sh.Account, Detail: share + ": invalid account" + detail, Err: reason}
		}
		if seen[sh.Account] {
			return &Error{Op: "Split", Account: sh.Account, Detail: share + ": account appears twice", Err: ErrInvalidShares}
		}
		seen[sh.Account] = true
		positive = positive || sh.Weight > 0
	}
	if !positive {
		return &Error{Op: "Split", Detail: "all weights are zero", Err: ErrInvalidShares}
	}
	return nil
}

// Apply divides fee among the shares; see [Split]. The parts come in the order of the
// shares, are amounts of the fee's asset and sum to fee exactly. An invalid split is an
// [*Error] wrapping [ErrInvalidShares]; an invalid fee (the zero Amount, a negative amount)
// one wrapping the token package's reason.
func (s Split) Apply(fee token.Amount) ([]Part, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := fee.Asset().Check(fee); err != nil {
		return nil, withOp("Split", err)
	}
	weights := make([]uint64, len(s.Shares))
	for i, sh := range s.Shares {
		weights[i] = sh.Weight
	}
	amounts, err := token.AllocateWith(fee, weights, s.Remainder)
	if err != nil { // only the remainder policy can be wrong here
		detail, reason := because(ErrInvalidShares, err)
		if detail != "" {
			detail = ": " + detail
		}
		return nil, &Error{Op: "Split", Amount: fee, Detail: "remainder policy " + strconv.Quote(s.Remainder.String()) + detail, Err: reason}
	}
	parts := make([]Part, len(amounts))
	for i, a := range amounts {
		parts[i] = Part{Account: s.Shares[i].Account, Amount: a}
	}
	return parts, nil
}

// SplitFee is [Split.Apply] for a literal list of shares and a remainder policy.
func SplitFee(fee token.Amount, shares []Share, remainder token.Remainder) ([]Part, error) {
	return Split{Shares: shares, Remainder: remainder}.Apply(fee)
}
