package rates_test

import (
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/internal/reasontest"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/token"
)

// reasons lists every exported Err* of the package; TestReasonCodes checks that the list is
// complete.
var reasons = map[string]error{
	"ErrNoFlows":              rates.ErrNoFlows,
	"ErrAllZero":              rates.ErrAllZero,
	"ErrOneSided":             rates.ErrOneSided,
	"ErrInvalidRate":          rates.ErrInvalidRate,
	"ErrInvalidPrecision":     rates.ErrInvalidPrecision,
	"ErrInvalidRound":         rates.ErrInvalidRound,
	"ErrTooManyRounds":        rates.ErrTooManyRounds,
	"ErrInvalidRoundsPerYear": rates.ErrInvalidRoundsPerYear,
}

// wantErr checks that err is an *rates.Error wrapping reason, from op, whose message
// contains the words.
func wantErr(t *testing.T, what string, err error, reason error, op string, words ...string) {
	t.Helper()
	e, ok := errors.AsType[*rates.Error](err)
	if !ok || !errors.Is(err, reason) || e.Op != op {
		t.Errorf("%s: %v (%T), want %v from %s", what, err, err, reason, op)
		return
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %q does not say %q", what, err.Error(), w)
		}
	}
	if fault.CodeOf(err) == "" || fault.ClassOf(err) != fault.Invalid {
		t.Errorf("%s: code %q class %v", what, fault.CodeOf(err), fault.ClassOf(err))
	}
}

func TestFlowsErrors(t *testing.T) {
	a := inr(t)
	_, err := rates.NewFlows()
	wantErr(t, "no amount", err, rates.ErrNoFlows, "NewFlows", "no round")
	_, err = rates.NewFlows(a.FromInt64Units(1), token.Amount{})
	wantErr(t, "zero Amount", err, token.ErrInvalidAsset, "NewFlows", "round 2", "zero Amount")
	_, err = rates.NewFlows(a.FromInt64Units(1), token.TRST().FromInt64Units(1))
	wantErr(t, "two assets", err, token.ErrAssetMismatch, "NewFlows", "round 2", "want an amount of INR")
	_, err = rates.NewFlows(make([]token.Amount, rates.MaxRounds+1)...)
	wantErr(t, "too many", err, rates.ErrTooManyRounds, "NewFlows", "241 rounds, at most 240")

	collect := func(fs ...rates.Flow) error {
		_, err := rates.Collect(slices.Values(fs))
		return err
	}
	_, err = rates.Collect(nil)
	wantErr(t, "nil entries", err, rates.ErrNoFlows, "Collect")
	wantErr(t, "no entry", collect(), rates.ErrNoFlows, "Collect", "no entry")
	wantErr(t, "round 0", collect(rates.Flow{Amount: a.FromInt64Units(1)}), rates.ErrInvalidRound, "Collect", "rounds start at 1")
	wantErr(t, "round -3", collect(rates.Flow{Round: -3, Amount: a.FromInt64Units(1)}), rates.ErrInvalidRound, "Collect", "round -3")
	wantErr(t, "round 241", collect(rates.Flow{Round: 241, Amount: a.FromInt64Units(1)}), rates.ErrTooManyRounds, "Collect", "at most 240")
	wantErr(t, "zero entry", collect(rates.Flow{Round: 1}), token.ErrInvalidAsset, "Collect", "zero Amount")
	wantErr(t, "two assets", collect(rates.Flow{Round: 1, Amount: a.FromInt64Units(1)}, rates.Flow{Round: 2, Amount: token.ETH().FromInt64Units(1)}),
		token.ErrAssetMismatch, "Collect")
	jan, feb := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	wantErr(t, "backwards", collect(rates.Flow{Round: 1, At: feb, Amount: a.FromInt64Units(1)}, rates.Flow{Round: 3, At: jan, Amount: a.FromInt64Units(1)}),
		rates.ErrInvalidRound, "Collect", "round 3 is dated before round 1 (2026-02-01T00:00:00Z)")
	wantErr(t, "year 0", collect(rates.Flow{Round: 1, At: time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC), Amount: a.FromInt64Units(1)}),
		token.ErrInvalidTime, "Collect", "years 1 to 9999")
	big96, _ := a.FromUnits(new(big.Int).Sub(new(big.Int).Exp(big.NewInt(10), big.NewInt(96), nil), big.NewInt(1)))
	wantErr(t, "sum too large", collect(rates.Flow{Round: 1, Amount: big96}, rates.Flow{Round: 1, Amount: big96}),
		token.ErrAmountTooLarge, "Collect", "round 1")
	f, _ := rates.NewFlows(big96, big96)
	_, err = f.Net()
	wantErr(t, "net too large", err, token.ErrAmountTooLarge, "Net")
	_, err = rates.Flows{}.Net()
	wantErr(t, "net of nothing", err, rates.ErrNoFlows, "Net")
}

func TestSolveErrors(t *testing.T) {
	zero := rupees(t, 0, 0, 0)
	one := rates.MustRate(1, 100)
	_, err := rates.IRR(rates.Flows{}, 9)
	wantErr(t, "IRR of the zero Flows", err, rates.ErrNoFlows, "IRR")
	_, err = rates.IRR(zero, 9)
	wantErr(t, "IRR of zeros", err, rates.ErrAllZero, "IRR", "every rate is a root")
	for _, d := range []int{0, -1, rates.MaxDigits + 1} {
		_, err = rates.IRR(rupees(t, -1, 2), d)
		wantErr(t, "IRR digits", err, rates.ErrInvalidPrecision, "IRR", "want 1 to 60")
		_, err = rates.MIRR(rupees(t, -1, 2), one, one, d)
		wantErr(t, "MIRR digits", err, rates.ErrInvalidPrecision, "MIRR", "want 1 to 60")
	}
	_, err = rates.NPV(rates.Flows{}, one)
	wantErr(t, "NPV of the zero Flows", err, rates.ErrNoFlows, "NPV")
	_, err = rates.MIRR(rates.Flows{}, one, one, 9)
	wantErr(t, "MIRR of the zero Flows", err, rates.ErrNoFlows, "MIRR")
	_, err = rates.MIRR(zero, one, one, 9)
	wantErr(t, "MIRR of zeros", err, rates.ErrAllZero, "MIRR")
	for _, f := range []rates.Flows{rupees(t, -1, -2, 0), rupees(t, 0, 5), rupees(t, 7)} {
		_, err = rates.MIRR(f, one, one, 9)
		wantErr(t, "MIRR one-sided", err, rates.ErrOneSided, "MIRR", "never pays or never receives")
	}
	// A value beyond 96 digits of minor units: a rate near -100% over many rounds.
	f := rupees(t, append(make([]int64, 99), 1)...)
	v, err := rates.NPV(f, rates.MustRate(-99, 100))
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Round(rates.HalfEven)
	wantErr(t, "Round", err, token.ErrAmountTooLarge, "Round")
	if v.String() != "(value too large)" {
		t.Errorf("String %q", v.String())
	}
}

func TestRateErrors(t *testing.T) {
	for _, tc := range []struct{ num, den int64 }{{-1, 1}, {-2, 1}, {1, -1}, {-101, 100}, {5, -5}} {
		_, err := rates.NewRate(tc.num, tc.den)
		wantErr(t, "NewRate", err, rates.ErrInvalidRate, "NewRate", "above -100%")
	}
	_, err := rates.NewRate(1, 0)
	wantErr(t, "NewRate 1/0", err, rates.ErrInvalidRate, "NewRate", "zero denominator")
	_, err = rates.RateFromRat(nil)
	wantErr(t, "RateFromRat nil", err, rates.ErrInvalidRate, "RateFromRat", "nil")
	_, err = rates.RateFromRat(big.NewRat(-3, 2))
	wantErr(t, "RateFromRat -150%", err, rates.ErrInvalidRate, "RateFromRat", `input "-3/2"`)
	for s, detail := range map[string]string{
		"-100%":                  "above -100%",
		"-200%":                  "above -100%",
		"-1/1":                   "above -100%",
		"-3/2":                   "above -100%",
		"":                       "want a percentage",
		"1":                      "want a percentage",
		"0.01":                   "want a percentage",
		"%":                      "not a percentage",
		"1.%":                    "not a percentage",
		".5%":                    "not a percentage",
		"+1%":                    "not a percentage",
		"--1%":                   "not a percentage",
		"1e2%":                   "not a percentage",
		"1/0":                    "zero denominator",
		"1/":                     "want a percentage",
		"/2":                     "want a percentage",
		"1/-2":                   "want a percentage",
		" 1%":                    "not a percentage",
		"1%%":                    "not a percentage",
		strings.Repeat("1", 257): "longer than 256 bytes",
	} {
		_, err := rates.ParseRate(s)
		wantErr(t, "ParseRate "+s, err, rates.ErrInvalidRate, "ParseRate", detail)
		var r rates.Rate = rates.MustRate(1, 7)
		if err := r.UnmarshalText([]byte(s)); err == nil || !r.Equal(rates.MustRate(1, 7)) {
			t.Errorf("UnmarshalText(%q) = %v, rate now %s", s, err, r)
		}
	}
	for _, k := range []int{0, -12, rates.MaxRoundsPerYear + 1} {
		_, err := rates.MustRate(1, 100).Annualize(k)
		wantErr(t, "Annualize", err, rates.ErrInvalidRoundsPerYear, "Annualize", "rounds per year, want 1 to 8784")
		_, err = rates.Root{}.Annualize(k)
		wantErr(t, "Root.Annualize", err, rates.ErrInvalidRoundsPerYear, "Annualize")
	}
	defer func() {
		if recover() == nil {
			t.Error("MustRate(-1, 1) does not panic")
		}
	}()
	rates.MustRate(-1, 1)
}

func TestForwardRatesErrors(t *testing.T) {
	a := inr(t)
	p := a.FromInt64Units(100)
	for _, tc := range []struct {
		prizes []token.Amount
		reason error
		words  string
	}{
		{[]token.Amount{p, a.Zero()}, token.ErrZeroAmount, "round 2"},
		{[]token.Amount{p, a.FromInt64Units(-5)}, token.ErrNegativeAmount, "a prize must be positive"},
		{[]token.Amount{a.FromInt64Units(-5)}, token.ErrNegativeAmount, "round 1"},
		{[]token.Amount{p, token.ETH().FromInt64Units(5)}, token.ErrAssetMismatch, "want an amount of INR"},
		{[]token.Amount{p, {}}, token.ErrInvalidAsset, "zero Amount"},
		{[]token.Amount{{}, p}, token.ErrInvalidAsset, "round 1"},
	} {
		_, err := rates.ForwardRates(tc.prizes)
		wantErr(t, "ForwardRates", err, tc.reason, "ForwardRates", tc.words)
	}
	for _, prizes := range [][]token.Amount{nil, {p}} {
		if fr, err := rates.ForwardRates(prizes); fr != nil || err != nil {
			t.Errorf("%v: %v %v", prizes, fr, err)
		}
	}
}

// TestReasonCodes: every exported Err* is a *fault.Reason with a unique "rates." code, a class
// and a row in the code table of doc.go.
func TestReasonCodes(t *testing.T) { reasontest.Check(t, "rates", reasons) }
