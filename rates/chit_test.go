package rates_test

import (
	"math/big"
	"slices"
	"testing"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/token"
)

// The chit fund of the worked example: five tickets (T1, the foreman's own, then A, B, C and
// D), an instalment of 2,000 rupees, so a gross pot of 10,000; a commission of 5% of the pot
// (500) taken out of the discount of every auctioned round; discounts capped at 30% (3,000).
// The discount less the commission is shared equally by all five tickets, winner included,
// rounded down to the rupee, and the remainder goes to the foreman. Every ticket then pays the
// instalment less its share (the net instalment), and the winner receives the pot less the
// discount (the prize).
var chitRounds = []struct {
	winner   string
	discount int64 // the winning discount D_t
	dividend int64 // each ticket's share of it, (D_t - 500) / 5 rounded down
}{
	{"T1", 0, 0},     // round 1: the foreman takes the first pot whole: no auction, no commission
	{"A", 3000, 500}, // round 2: several bid the 30% cap and a lot picks A; 2,500 / 5 = 500
	{"B", 2000, 300}, // round 3: 1,500 / 5 = 300
	{"C", 1234, 146}, // round 4: 734 / 5 = 146.8, so 146 each and 4 rupees to the foreman
	{"D", 500, 0},    // round 5: the last ticket takes the pot at the minimum discount, the commission
}

// chitFlows are the tickets' net cash flows by round, in rupees, received positive: in each
// round every ticket pays the net instalment, 2,000 less its share (2,000, 1,500, 1,700, 1,854
// and 2,000 in rounds 1 to 5), and the round's winner also receives the prize, 10,000 less
// the discount (10,000, 7,000, 8,000, 8,766 and 9,500). T1's +8,000 is its prize of 10,000 less
// its instalment of 2,000; A's +5,500 is 7,000 less 1,500; B's +6,300 is 8,000 less 1,700; C's
// +6,912 is 8,766 less 1,854; D's +7,500 is 9,500 less 2,000.
var chitFlows = map[string][]int64{
	"T1": {+8000, -1500, -1700, -1854, -2000}, // net +946: the dividends 500 + 300 + 146
	"A":  {-2000, +5500, -1700, -1854, -2000}, // net -2,054
	"B":  {-2000, -1500, +6300, -1854, -2000}, // net -1,054
	"C":  {-2000, -1500, -1700, +6912, -2000}, // net -288
	"D":  {-2000, -1500, -1700, -1854, +7500}, // net +446
}

// chitPrizes are the prizes of rounds 1 to 5, in rupees: the pot of 10,000 less the discount.
var chitPrizes = []int64{10000, 7000, 8000, 8766, 9500}

var tickets = []string{"T1", "A", "B", "C", "D"}

// tb is what the helpers need of a *testing.T, a *testing.B or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// inr is the rupee with two decimals (paise), so that a value such as an NPV has a minor
// unit to round to.
func inr(t tb) token.Asset {
	t.Helper()
	a, err := token.NewAsset("INR", 2)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// rupees returns the flows of whole rupees.
func rupees(t tb, rs ...int64) rates.Flows {
	t.Helper()
	a := inr(t)
	am := make([]token.Amount, len(rs))
	for i, r := range rs {
		am[i] = a.FromInt64Units(r * 100)
	}
	f, err := rates.NewFlows(am...)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestChitFlows derives the tickets' flows from the rounds of the auction and checks them
// against the table, and the epoch's identity: the nets sum to minus the foreman's income
// (four commissions of 500 and the remainder of 4 rupees).
func TestChitFlows(t *testing.T) {
	total := int64(0)
	for _, m := range tickets {
		var derived []int64
		for _, r := range chitRounds {
			flow := -(2000 - r.dividend)
			if r.winner == m {
				flow += 10000 - r.discount
			}
			derived = append(derived, flow)
			total += flow
		}
		if !slices.Equal(derived, chitFlows[m]) {
			t.Errorf("%s: derived %v, table %v", m, derived, chitFlows[m])
		}
	}
	if total != -2004 {
		t.Errorf("the nets sum to %d, want -2,004", total)
	}
	// Under the all-tickets split, A's and B's flows differ only in the rounds they win:
	// a one-round loan of 7,000 repaid with 8,000.
	var diff []int64
	for i := range chitFlows["A"] {
		diff = append(diff, chitFlows["A"][i]-chitFlows["B"][i])
	}
	if !slices.Equal(diff, []int64{0, 7000, -8000, 0, 0}) {
		t.Errorf("A - B = %v", diff)
	}
}

// TestChitIRR reproduces every internal rate of return of the example, per round.
func TestChitIRR(t *testing.T) {
	for _, tc := range []struct {
		ticket   string
		decimals int
		roots    []string
		kind     rates.Kind
		changes  int
		norstrom bool
	}{
		{"T1", 3, []string{"-4.644%"}, rates.OneRoot, 1, false}, // borrowed early, paid back less
		{"A", 2, []string{"55.77%", "90.02%"}, rates.SeveralRoots, 2, false},
		{"B", 2, nil, rates.NoRoot, 2, false}, // the NPV is negative at every rate
		{"C", 2, []string{"-67.36%", "-3.44%"}, rates.SeveralRoots, 2, false},
		{"D", 3, []string{"2.450%"}, rates.OneRoot, 1, true}, // the pure saver
	} {
		res, err := rates.IRR(rupees(t, chitFlows[tc.ticket]...), 12)
		if err != nil {
			t.Fatalf("%s: %v", tc.ticket, err)
		}
		var got []string
		for _, r := range res.Roots() {
			got = append(got, r.Percent(tc.decimals, rates.HalfEven))
			// Printed from either end, the figure is the same: the precision is ample.
			if lo, hi := r.Lo().Percent(tc.decimals, rates.HalfEven), r.Hi().Percent(tc.decimals, rates.HalfEven); lo != hi {
				t.Errorf("%s: root between %s and %s", tc.ticket, lo, hi)
			}
			if r.Multiplicity() != 1 {
				t.Errorf("%s: multiplicity %d", tc.ticket, r.Multiplicity())
			}
		}
		if !slices.Equal(got, tc.roots) || res.Kind() != tc.kind || res.Count() != len(tc.roots) ||
			res.SignChanges() != tc.changes || res.Norstrom() != tc.norstrom || res.Digits() != 12 {
			t.Errorf("%s: %v %v, %d sign changes, Norström %v; want %v %v", tc.ticket, res.Kind(), got,
				res.SignChanges(), res.Norstrom(), tc.kind, tc.roots)
		}
		_, unique := res.Unique()
		if unique != (tc.kind == rates.OneRoot) {
			t.Errorf("%s: Unique reports %v", tc.ticket, unique)
		}
	}
	// D's rate is 33.7% a year with monthly rounds.
	res, _ := rates.IRR(rupees(t, chitFlows["D"]...), 12)
	d, _ := res.Unique()
	year, err := d.Annualize(12)
	if err != nil || year.Percent(1, rates.HalfEven) != "33.7%" {
		t.Errorf("D a year: %s %v", year.Percent(1, rates.HalfEven), err)
	}
}

// TestChitNPV reproduces the net present values at 1% per round: positive means better off
// than saving or borrowing at 1%.
func TestChitNPV(t *testing.T) {
	want := map[string]string{"T1": "1126.91", "A": "-1942.39", "B": "-1030.72", "C": "-364.89", "D": "256.23"}
	one := rates.MustRate(1, 100)
	for _, m := range tickets {
		v, err := rates.NPV(rupees(t, chitFlows[m]...), one)
		if err != nil {
			t.Fatal(err)
		}
		a, err := v.Round(rates.HalfEven)
		if err != nil || a.Number() != want[m] || v.String() != want[m]+" INR" {
			t.Errorf("%s: NPV %s (%s) %v, want %s", m, a.Number(), v, err, want[m])
		}
		// The exact value, recomputed term by term.
		exact := new(big.Rat)
		for i, r := range chitFlows[m] {
			term := new(big.Rat).SetInt64(r)
			for range i {
				term.Quo(term, big.NewRat(101, 100))
			}
			exact.Add(exact, term)
		}
		if v.Rat().Cmp(exact) != 0 {
			t.Errorf("%s: NPV %s, want %s", m, v.Rat().RatString(), exact.RatString())
		}
	}
	// B's NPV peaks near -903 around 15% per round: below zero, so B has no rate.
	npvB := func(pct int64) *big.Rat {
		v, _ := rates.NPV(rupees(t, chitFlows["B"]...), rates.MustRate(pct, 100))
		return v.Rat()
	}
	v, _ := rates.NPV(rupees(t, chitFlows["B"]...), rates.MustRate(15, 100))
	if a, _ := v.Round(rates.HalfEven); a.Number() != "-903.18" || npvB(14).Cmp(npvB(15)) >= 0 || npvB(16).Cmp(npvB(15)) >= 0 {
		t.Errorf("B at 15%%: %s, not a peak", a)
	}
}

// TestChitMIRR reproduces the spreadsheet MIRR at 1% finance and reinvestment, and reads each
// ticket's side of the credit.
func TestChitMIRR(t *testing.T) {
	one := rates.MustRate(1, 100)
	for _, tc := range []struct {
		ticket, ret, cost string
		role              rates.Role
	}{
		{"T1", "4.907%", "-2.762%", rates.Borrower}, // a net borrower, paid to borrow
		{"A", "-6.416%", "9.004%", rates.Borrower},  // it borrowed at the 30% cap: dearly
		{"B", "-2.823%", "4.973%", rates.Saver},
		{"C", "-0.329%", "2.346%", rates.Saver},
		{"D", "1.918%", "0.090%", rates.Saver}, // the pure saver earns 1.918% a round
	} {
		m, err := rates.MIRR(rupees(t, chitFlows[tc.ticket]...), one, one, 12)
		if err != nil {
			t.Fatal(err)
		}
		ret, cost := m.Return().Percent(3, rates.HalfEven), m.Cost().Percent(3, rates.HalfEven)
		if ret != tc.ret || cost != tc.cost || m.Role() != tc.role {
			t.Errorf("%s: return %s cost %s role %v, want %s %s %v", tc.ticket, ret, cost, m.Role(), tc.ret, tc.cost, tc.role)
		}
		want := m.Return()
		if tc.role == rates.Borrower {
			want = m.Cost()
		}
		if m.Rate() != want {
			t.Errorf("%s: Rate is not the role's figure", tc.ticket)
		}
	}
}

// TestChitForwardRates reproduces the rates implied by the bids, and their annualisation with
// monthly rounds.
func TestChitForwardRates(t *testing.T) {
	a := inr(t)
	var prizes []token.Amount
	for _, p := range chitPrizes {
		prizes = append(prizes, a.FromInt64Units(p*100))
	}
	fr, err := rates.ForwardRates(prizes)
	if err != nil || len(fr) != 4 {
		t.Fatalf("%v %v", fr, err)
	}
	want := []string{"-30.000%", "14.286%", "9.575%", "8.373%"}
	year := []string{"-99%", "396%", "200%", "162%"}
	exact := []*big.Rat{big.NewRat(-3, 10), big.NewRat(1, 7), big.NewRat(766, 8000), big.NewRat(734, 8766)}
	for i, r := range fr {
		y, err := r.Annualize(12)
		if r.Percent(3, rates.HalfEven) != want[i] || r.Rat().Cmp(exact[i]) != 0 || err != nil || y.Percent(0, rates.HalfEven) != year[i] {
			t.Errorf("rate %d: %s (%s), a year %s %v; want %s, %s", i+1, r.Percent(3, rates.HalfEven), r, y.Percent(0, rates.HalfEven), err, want[i], year[i])
		}
	}
}
