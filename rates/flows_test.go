package rates_test

import (
	"slices"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/token"
)

func TestCollect(t *testing.T) {
	a := inr(t)
	ist := time.FixedZone("IST", 5*3600+1800)
	jan := time.Date(2026, 1, 5, 10, 0, 0, 0, ist)
	entries := []rates.Flow{
		{Round: 3, At: jan.AddDate(0, 2, 0), Amount: a.MustParse("-1700")},
		{Round: 1, At: jan.Add(time.Hour), Amount: a.MustParse("-2000")},
		{Round: 1, At: jan, Amount: a.MustParse("0")},
		{Round: 4, Amount: a.MustParse("-1854")},                          // undated
		{Round: 3, At: jan.AddDate(0, 2, 1), Amount: a.MustParse("8000")}, // the prize, a day later
	}
	f, err := rates.Collect(slices.Values(entries))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"-2000.00 INR", "0.00 INR", "6300.00 INR", "-1854.00 INR"}
	var got []string
	for fl := range f.All() {
		got = append(got, fl.Amount.String())
		if fl.Amount.String() != f.Amount(fl.Round).String() || !fl.At.Equal(f.At(fl.Round)) {
			t.Errorf("round %d: All and Amount/At differ", fl.Round)
		}
	}
	if !slices.Equal(got, want) || f.Len() != 4 || f.Asset() != a {
		t.Errorf("flows %v, want %v", got, want)
	}
	// A round's time is its earliest entry's, in UTC; undated rounds have none.
	if at := f.At(1); !at.Equal(jan) || at.Location() != time.UTC || !f.At(2).IsZero() || !f.At(4).IsZero() || !f.At(3).Equal(jan.AddDate(0, 2, 0)) {
		t.Errorf("times %v %v %v %v", f.At(1), f.At(2), f.At(3), f.At(4))
	}
	if f.Amount(0).IsValid() || f.Amount(5).IsValid() || !f.At(0).IsZero() || !f.At(9).IsZero() {
		t.Error("rounds outside 1 to Len")
	}
	if net, err := f.Net(); err != nil || net.String() != "2446.00 INR" {
		t.Errorf("Net %s %v", net, err)
	}
	for fl := range f.All() { // stopping early
		if fl.Round != 1 {
			t.Error("All does not start at round 1")
		}
		break
	}
	// NewFlows copies its amounts.
	am := []token.Amount{a.MustParse("-1"), a.MustParse("2")}
	g, _ := rates.NewFlows(am...)
	am[0] = a.MustParse("5")
	if g.Amount(1).String() != "-1.00 INR" || !g.At(1).IsZero() {
		t.Error("NewFlows shares its slice")
	}
}

func TestSignChanges(t *testing.T) {
	for _, tc := range []struct {
		flows          []int64
		changes, cumul int
		norstrom       bool
	}{
		{[]int64{-6, 9, 9, -3}, 2, 1, true}, // running totals -6, 3, 12, 9
		{[]int64{-1, 2, -1}, 2, 1, false},   // totals -1, 1, 0: the total is zero
		{[]int64{8000, -1500, -1700, -1854, -2000}, 1, 0, false},
		{[]int64{-2000, -1500, -1700, -1854, 7500}, 1, 1, true},
		{[]int64{0, -5, 0, 0, 5, 0}, 1, 0, false},
		{[]int64{0, 0}, 0, 0, false},
		{[]int64{3, -1, 0, 4, -9, 2}, 4, 1, true}, // totals 3, 2, 2, 6, -3, -1
	} {
		f := rupees(t, tc.flows...)
		if f.SignChanges() != tc.changes || f.CumulativeSignChanges() != tc.cumul || f.Norstrom() != tc.norstrom {
			t.Errorf("%v: %d, %d, %v", tc.flows, f.SignChanges(), f.CumulativeSignChanges(), f.Norstrom())
		}
	}
}
