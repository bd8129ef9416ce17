package rates

import (
	"math/big"

	"github.com/trustcircle/trustcircle/token"
)

// ForwardRates returns the interest rates per round implied by the prizes of a bidding
// circle whose discounts are shared by all tickets: rates[i] is the rate from round i+1 to
// round i+2, 1 + r = A_(i+2) / A_(i+1), exactly, A_t being the prize (the pot less the
// winning discount) of round t.
//
// Under that split every ticket pays the same net instalment in every round, so the flows of
// the winner of round t and of the winner of round t+1 differ only by +A_t in round t and
// -A_(t+1) in round t+1: choosing to win one round earlier is a one-round loan of A_t repaid
// with A_(t+1). In a five-ticket chit fund whose prizes are 10,000, 7,000, 8,000, 8,766 and
// 9,500, the rates are -30% (the foreman's first pot, taken at no discount), 14.286%, 9.575%
// and 8.373% per round. Under other splits (to the other tickets only, or to those that have
// not yet won) the flows differ in later rounds too, and these rates are not the price of
// waiting.
//
// Fewer than two prizes have no forward rate: the result is empty. The error is an [*Error]
// whose Round is the prize's round, wrapping [token.ErrInvalidAsset] for the zero Amount,
// [token.ErrAssetMismatch] for a prize of another asset than the first, and
// [token.ErrNegativeAmount] or [token.ErrZeroAmount] for a prize that is not positive.
func ForwardRates(prizes []token.Amount) ([]Rate, error) {
	if len(prizes) == 0 {
		return nil, nil
	}
	asset := prizes[0].Asset()
	for i, x := range prizes {
		if err := checkAsset("ForwardRates", asset, i+1, x); err != nil {
			return nil, err
		}
		if !x.IsPositive() {
			reason := token.ErrZeroAmount
			if x.IsNegative() {
				reason = token.ErrNegativeAmount
			}
			return nil, &Error{Op: "ForwardRates", Round: i + 1, Amount: x, Detail: "a prize must be positive", Err: reason}
		}
	}
	if len(prizes) < 2 {
		return nil, nil
	}
	rates := make([]Rate, len(prizes)-1)
	prev := prizes[0].Units()
	for i := range rates {
		next := prizes[i+1].Units()
		x := new(big.Rat).SetFrac(new(big.Int).Sub(next, prev), prev)
		if x.Sign() != 0 {
			rates[i] = Rate{x}
		}
		prev = next
	}
	return rates, nil
}
