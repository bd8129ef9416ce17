package token_test

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// errorOf returns the error of a call that returns a value and an error.
func errorOf[T any](_ T, err error) error { return err }

func TestErrorMessages(t *testing.T) {
	at := time.Date(2017, 3, 2, 10, 30, 0, 5, time.FixedZone("CET", 3600))
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&token.Error{}, "error"},
		{&token.Error{Err: token.ErrZeroAmount}, "token: zero amount"},
		{&token.Error{Op: "Transfer", Account: "alice", Amount: token.TRST().MustParse("5"), Limit: token.TRST().MustParse("2"),
			Detail: "alice has 2.000000 TRST spendable", Err: token.ErrInsufficientBalance},
			"token: insufficient balance: alice has 2.000000 TRST spendable (op Transfer, account alice, amount 5.000000 TRST, limit 2.000000 TRST)"},
		{&token.Error{Op: "Bid", Account: "bob", Amount: valUSD.MustParse("10"), Limit: valUSD.MustParse("12.5"), Round: 3, At: at,
			Err: token.ErrInvalidAmount},
			"token: invalid amount (op Bid, account bob, amount 10.00 USD, limit 12.50 USD, round 3, at 2017-03-02T09:30:00.000000005Z)"},
		{&token.Error{Op: "Grant", Account: "a b", Err: token.ErrInvalidAccount}, `token: invalid account (op Grant, account "a b")`},
		{&token.Error{Op: "Grant", Account: "x,y)", Err: token.ErrInvalidAccount}, `token: invalid account (op Grant, account "x,y)")`},
		{&token.Error{Op: "Grant", Account: "caf\u00e9", Err: token.ErrInvalidAccount}, `token: invalid account (op Grant, account "café")`},
		{&token.Error{Detail: "what broke", Err: fmt.Errorf("wrapped: %w", token.ErrAudit)}, "wrapped: token: audit failed: what broke"},
		{&token.Error{Input: strings.Repeat("é", 40), Err: token.ErrInvalidAmount},
			`token: invalid amount (input "` + strings.Repeat("é", 32) + `...")`},
		{errorOf(valUSD.Parse("12.345")), `token: amount finer than the minor unit: USD has 2 decimals (op Parse, input "12.345")`},
		{errorOf(valXYZ.Parse("1.5")), `token: amount finer than the minor unit: XYZ has no decimals (op Parse, input "1.5")`},
		{errorOf(valUSD.Parse("12 EUR")), `token: asset mismatch: want USD (op Parse, input "12 EUR")`},
		{errorOf(valUSD.Parse("1e3")), `token: invalid amount: not a decimal number (op Parse, input "1e3")`},
		{errorOf(valUSD.Parse(strings.Repeat("9", 100))), `token: amount too large: more than 96 digits of minor units (op Parse, input "` +
			strings.Repeat("9", 64) + `...")`},
		{errorOf(token.ParseAmount("12.5")), `token: invalid amount: want "<number> <SYMBOL>" (op ParseAmount, input "12.5")`},
		{errorOf(valUSD.FromInt64Units(100).Add(valEUR.FromInt64Units(5))),
			"token: asset mismatch: cannot add EUR to USD (op Add, amount 0.05 EUR)"},
		{errorOf(valUSD.FromInt64Units(100).Sub(valAsset("USD", 3).FromInt64Units(5))),
			"token: asset mismatch: cannot subtract USD from USD of another scale (3 decimals, not 2) (op Sub, amount 0.005 USD)"},
		{errorOf(valUnits(t, valXYZ, valTop).Add(valXYZ.FromInt64Units(1))),
			"token: amount too large: the sum has more than 96 digits of minor units (op Add, amount 1 XYZ)"},
		{errorOf(valUnits(t, valXYZ, valTop).Sub(valXYZ.FromInt64Units(-1))),
			"token: amount too large: the difference has more than 96 digits of minor units (op Sub, amount -1 XYZ)"},
		{errorOf(valUnits(t, valXYZ, valTop).Mul(-2)),
			"token: amount too large: times -2 has more than 96 digits of minor units (op Mul, amount " + strings.Repeat("9", 96) + " XYZ)"},
		{errorOf(valUSD.FromDecimal(decimal.RequireFromString("1.005"))), "token: amount finer than the minor unit: USD has 2 decimals (op FromDecimal)"},
		{errorOf(valUSD.FromUnits(valBound)), "token: amount too large: more than 96 digits of minor units (op FromUnits)"},
		{valUSD.Check(valUSD.FromInt64Units(-1)), "token: negative amount (op Check, amount -0.01 USD)"},
		{valUSD.Check(valEUR.FromInt64Units(1)), "token: asset mismatch: want USD (op Check, amount 0.01 EUR)"},
		{valUSD.Check(token.Amount{}), "token: invalid asset: no amount given (the zero Amount), want USD (op Check)"},
		{valUSD.CheckPositive(valUSD.Zero()), "token: zero amount (op CheckPositive, amount 0.00 USD)"},
		{errorOf(token.NewRatio(3, 2)), `token: invalid ratio: want num/den with 0 <= num <= den and den > 0 (op NewRatio, input "3/2")`},
		{errorOf(token.ParseRatio("101%")), `token: invalid ratio: above 100% (op ParseRatio, input "101%")`},
		{errorOf(token.ParseRatio("1/0")), `token: invalid ratio: want 0 <= num <= den and den > 0 (op ParseRatio, input "1/0")`},
	} {
		if tc.err == nil {
			t.Errorf("no error; want %q", tc.want)
			continue
		}
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("message\n got %s\nwant %s", got, tc.want)
		}
	}
}

func TestErrorReasonAndCode(t *testing.T) {
	e := &token.Error{Op: "Transfer", Account: "alice", Err: token.ErrInsufficientBalance}
	if e.Code() != "token.insufficient_balance" || e.Class() != fault.Conflict || e.Unwrap() != token.ErrInsufficientBalance {
		t.Errorf("Code %q, Class %v, Unwrap %v", e.Code(), e.Class(), e.Unwrap())
	}
	for _, err := range []error{
		e,
		fmt.Errorf("service: %w", e),
		fmt.Errorf("a: %w", fmt.Errorf("b: %w", e)),
		errors.Join(io.EOF, e),
		&token.Error{Op: "Outer", Err: fmt.Errorf("inner: %w", token.ErrInsufficientBalance)},
	} {
		if !errors.Is(err, token.ErrInsufficientBalance) || errors.Is(err, token.ErrInsufficientAllowance) {
			t.Errorf("%v: errors.Is does not find exactly its reason", err)
		}
		if fault.CodeOf(err) != "token.insufficient_balance" || fault.ClassOf(err) != fault.Conflict {
			t.Errorf("%v: CodeOf %q, ClassOf %v", err, fault.CodeOf(err), fault.ClassOf(err))
		}
		if te, ok := errors.AsType[*token.Error](err); !ok || te.Code() != "token.insufficient_balance" {
			t.Errorf("%v: errors.AsType finds no *token.Error with the code", err)
		}
	}
	none := &token.Error{Op: "X", Err: io.EOF}
	if none.Code() != "" || none.Class() != fault.Unknown || fault.CodeOf(none) != "" || !errors.Is(none, io.EOF) {
		t.Errorf("an Error wrapping a foreign error: code %q, class %v", none.Code(), none.Class())
	}
	var empty token.Error
	if empty.Code() != "" || empty.Class() != fault.Unknown || empty.Unwrap() != nil {
		t.Error("the zero Error has a code, a class or a reason")
	}
	// The value layer's errors carry their reason's class.
	for _, tc := range []struct {
		err   error
		code  string
		class fault.Class
	}{
		{errorOf(valUSD.Parse("x")), "token.invalid_amount", fault.Invalid},
		{errorOf(valUSD.Parse("1 EUR")), "token.asset_mismatch", fault.Invalid},
		{errorOf(valUSD.Parse("0.001")), "token.sub_unit_amount", fault.Invalid},
		{errorOf(valXYZ.FromUnits(valBound)), "token.amount_too_large", fault.Invalid},
		{errorOf(token.ParseRatio("x")), "token.invalid_ratio", fault.Invalid},
		{valUSD.CheckPositive(valUSD.Zero()), "token.zero_amount", fault.Invalid},
		{valUSD.Check(valUSD.FromInt64Units(-1)), "token.negative_amount", fault.Invalid},
		{errorOf(token.Asset{}.FromUnits(big.NewInt(1))), "token.invalid_asset", fault.Invalid},
	} {
		if fault.CodeOf(tc.err) != tc.code || fault.ClassOf(tc.err) != tc.class {
			t.Errorf("%v: code %q class %v, want %q %v", tc.err, fault.CodeOf(tc.err), fault.ClassOf(tc.err), tc.code, tc.class)
		}
	}
}
