package fees

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Share is one stakeholder's weight in a fee [Split]: the foreperson, the platform, a
// referral partner. Weights are relative (2 and 1 give two thirds and one third) and may be
// decimals of any scale.
type Share struct {
	Account token.Account   `json:"account"`
	Weight  decimal.Decimal `json:"weight"`
}

// Part is one stakeholder's amount of a split fee.
type Part struct {
	Account token.Account   `json:"account"`
	Amount  decimal.Decimal `json:"amount"`
}

// Split divides one fee among stakeholders in proportion to their shares, exactly: every part
// is a whole number of minor units and the parts sum to the fee. Each part first gets the
// floor of its exact share (rounding down); the few leftover minor units (fewer than the
// number of shares) go where Remainder says: the zero value, [token.LargestRemainder], gives
// them one each to the largest fractional remainders, ties to the earlier share;
// [token.RemainderTo](i) gives them all to share i. A zero weight never gets a unit.
//
// Split is a plain configuration value: build it as a literal, check it with
// [Split.Validate].
type Split struct {
	Shares    []Share
	Remainder token.Remainder
}

// Validate reports whether the split is usable: at least one share, valid and distinct
// accounts, no negative weight and at least one positive weight. The error is a
// [*ShareError]. (A remainder index is checked when the split is applied.)
func (s Split) Validate() error {
	if len(s.Shares) == 0 {
		return &ShareError{Index: -1, Reason: "no shares"}
	}
	seen := make(map[token.Account]bool, len(s.Shares))
	positive := false
	for i, sh := range s.Shares {
		if err := sh.Account.Validate(); err != nil {
			return &ShareError{Index: i, Account: sh.Account, Reason: "invalid account", Cause: err}
		}
		if seen[sh.Account] {
			return &ShareError{Index: i, Account: sh.Account, Reason: "account appears twice"}
		}
		seen[sh.Account] = true
		if sh.Weight.Sign() < 0 {
			return &ShareError{Index: i, Account: sh.Account, Reason: "negative weight " + sh.Weight.String()}
		}
		positive = positive || sh.Weight.Sign() > 0
	}
	if !positive {
		return &ShareError{Index: -1, Reason: "all weights are zero"}
	}
	return nil
}

// Apply divides fee, an amount of asset, among the shares; see [Split]. The parts come in the
// order of the shares and sum to fee exactly. An invalid split is a [*ShareError]; an invalid
// fee is a [*token.AmountError].
func (s Split) Apply(asset token.Asset, fee decimal.Decimal) ([]Part, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := asset.Check(fee); err != nil {
		return nil, err
	}
	weights := make([]decimal.Decimal, len(s.Shares))
	for i, sh := range s.Shares {
		weights[i] = sh.Weight
	}
	amounts, err := token.AllocateWith(asset, fee, weights, s.Remainder)
	if err != nil { // only the remainder policy can be wrong here
		return nil, &ShareError{Index: -1, Reason: fmt.Sprintf("remainder policy %q", s.Remainder), Cause: err}
	}
	parts := make([]Part, len(amounts))
	for i, a := range amounts {
		parts[i] = Part{Account: s.Shares[i].Account, Amount: a}
	}
	return parts, nil
}

// SplitFee is [Split.Apply] for a literal list of shares and a remainder policy.
func SplitFee(asset token.Asset, fee decimal.Decimal, shares []Share, remainder token.Remainder) ([]Part, error) {
	return Split{Shares: shares, Remainder: remainder}.Apply(asset, fee)
}
