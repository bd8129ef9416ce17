package rates_test

import (
	"math/big"
	"testing"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/token"
)

func TestRounding(t *testing.T) {
	// 2.5, 3.5, -2.5 and 2.4, -2.6 as percentages with no decimal.
	values := []*big.Rat{big.NewRat(25, 1000), big.NewRat(35, 1000), big.NewRat(-25, 1000), big.NewRat(24, 1000), big.NewRat(-26, 1000)}
	for mode, want := range map[rates.Rounding][]string{
		rates.HalfEven:         {"2%", "4%", "-2%", "2%", "-3%"},
		rates.HalfAwayFromZero: {"3%", "4%", "-3%", "2%", "-3%"},
		rates.TowardZero:       {"2%", "3%", "-2%", "2%", "-2%"},
		rates.AwayFromZero:     {"3%", "4%", "-3%", "3%", "-3%"},
		rates.Floor:            {"2%", "3%", "-3%", "2%", "-3%"},
		rates.Ceiling:          {"3%", "4%", "-2%", "3%", "-2%"},
	} {
		for i, v := range values {
			r, err := rates.RateFromRat(v)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Percent(0, mode); got != want[i] {
				t.Errorf("%v of %s: %s, want %s", mode, v.RatString(), got, want[i])
			}
		}
	}
}

func TestRateText(t *testing.T) {
	for _, tc := range []struct {
		r       rates.Rate
		text    string
		percent string // three decimals, half even
	}{
		{rates.Rate{}, "0%", "0.000%"},
		{rates.MustRate(1, 100), "1%", "1.000%"},
		{rates.MustRate(-4644, 100000), "-4.644%", "-4.644%"},
		{rates.MustRate(1, 3), "1/3", "33.333%"},
		{rates.MustRate(-2, 7), "-2/7", "-28.571%"},
		{rates.MustRate(5, 1), "500%", "500.000%"},
		{rates.MustRate(1, 1<<40), "0.00000000009094947017729282379150390625%", "0.000%"},
		{rates.MustRate(-1, 1<<40), "-0.00000000009094947017729282379150390625%", "0.000%"}, // no "-0.000%"
		{rates.MustRate(1, 3<<40), "1/3298534883328", "0.000%"},
	} {
		if got := tc.r.String(); got != tc.text {
			t.Errorf("String %s, want %s", got, tc.text)
		}
		if got := tc.r.Percent(3, rates.HalfEven); got != tc.percent {
			t.Errorf("%s: Percent %s, want %s", tc.text, got, tc.percent)
		}
		b, _ := tc.r.AppendText([]byte("x"))
		if string(b) != "x"+tc.text {
			t.Errorf("AppendText %s", b)
		}
	}
	// Decimals are clamped to 0 to 60.
	if got := rates.MustRate(1, 3).Percent(-4, rates.HalfEven); got != "33%" {
		t.Errorf("negative decimals: %s", got)
	}
	if got := rates.MustRate(1, 3).Percent(99, rates.HalfEven); len(got) != len("33.")+60+1 {
		t.Errorf("99 decimals: %s", got)
	}
	// Parsing normalises.
	for s, want := range map[string]string{"00.10%": "0.1%", "-0%": "0%", "-0/5": "0%", "2/6": "1/3", "250/100": "250%", "12.500%": "12.5%"} {
		r, err := rates.ParseRate(s)
		if err != nil || r.String() != want {
			t.Errorf("ParseRate(%q) = %s %v, want %s", s, r, err, want)
		}
	}
}

func TestRateConversions(t *testing.T) {
	p, _ := token.Percent(5)
	if r := rates.RateFromRatio(p); r.String() != "5%" || r.Float64() != 0.05 || r.Sign() != 1 {
		t.Errorf("RateFromRatio(5%%) = %s", r)
	}
	if r := rates.RateFromRatio(token.Ratio{}); !r.IsZero() {
		t.Errorf("RateFromRatio(0) = %s", r)
	}
	x := big.NewRat(3, 4)
	r, _ := rates.RateFromRat(x)
	x.SetInt64(9) // the rate keeps its own copy
	y := r.Rat()
	y.SetInt64(7) // and gives out copies
	if r.String() != "75%" || r.Cmp(rates.MustRate(1, 2)) != 1 || !r.Equal(rates.MustRate(6, 8)) {
		t.Errorf("rate %s", r)
	}
	if z, _ := rates.MustRate(-1, 2).Annualize(1); z.String() != "-50%" {
		t.Errorf("annualised over one round: %s", z)
	}
	if z, _ := (rates.Rate{}).Annualize(365); !z.IsZero() {
		t.Errorf("0%% annualised: %s", z)
	}
}
