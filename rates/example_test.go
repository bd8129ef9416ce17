package rates_test

import (
	"fmt"
	"slices"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/token"
)

// flowsOf returns the flows of whole rupees of an example.
func flowsOf(rs ...int64) rates.Flows {
	a, _ := token.NewAsset("INR", 2)
	am := make([]token.Amount, len(rs))
	for i, r := range rs {
		am[i] = a.FromInt64Units(r * 100)
	}
	f, _ := rates.NewFlows(am...)
	return f
}

// The foreman's ticket of a five-ticket chit fund takes the first pot whole (10,000 less its
// own instalment of 2,000) and pays the net instalments after: one sign change, one rate.
func ExampleIRR() {
	f := flowsOf(8000, -1500, -1700, -1854, -2000)
	res, _ := rates.IRR(f, 12)
	fmt.Println(res.Kind(), res.SignChanges())
	if r, ok := res.Unique(); ok {
		fmt.Println(r.Percent(3, rates.HalfEven), "per round")
	}
	// Output:
	// one root 1
	// -4.644% per round
}

// The winner of round 2 saves in round 1, borrows in round 2 and repays after: two sign
// changes, and two rates at which its NPV is zero, neither of them its rate. No single
// figure is given.
func ExampleIRR_severalRoots() {
	res, _ := rates.IRR(flowsOf(-2000, 5500, -1700, -1854, -2000), 12)
	fmt.Println(res.Kind())
	for _, r := range res.Roots() {
		fmt.Println(r.Percent(2, rates.HalfEven))
	}
	_, ok := res.Unique()
	fmt.Println(ok)
	// Output:
	// several roots
	// 55.77%
	// 90.02%
	// false
}

// The winner of round 3 has no rate: its NPV is negative at every rate. Its NPV at a
// benchmark rate says how much worse off it is.
func ExampleIRR_noRoot() {
	f := flowsOf(-2000, -1500, 6300, -1854, -2000)
	res, _ := rates.IRR(f, 12)
	v, _ := rates.NPV(f, rates.MustRate(1, 100))
	fmt.Println(res, "; NPV at 1%:", v)
	// Output:
	// no root ; NPV at 1%: -1030.72 INR
}

// Norström's criterion (the running total changes sign once) guarantees one non-negative
// rate, not one rate: these flows meet it and have a second, negative, rate.
func ExampleIRR_norstrom() {
	res, _ := rates.IRR(flowsOf(-6, 9, 9, -3), 12)
	fmt.Println(res.Norstrom(), res.SignChanges(), res)
	// Output:
	// true 2 2 roots: -72.745%, 110.074%
}

func ExampleNPV() {
	f := flowsOf(-2000, -1500, -1700, -1854, 7500) // the last winner: a saver
	v, _ := rates.NPV(f, rates.MustRate(1, 100))
	fmt.Println(v.Rat().FloatString(6), "exactly")
	floor, _ := v.Round(rates.Floor)
	even, _ := v.Round(rates.HalfEven)
	fmt.Println(floor, even)
	// Output:
	// 256.226651 exactly
	// 256.22 INR 256.23 INR
}

// The foreman's ticket shows a "return" of +4.9% a round by the spreadsheet convention, which
// treats its payments as an investment; it is in fact a borrower, whose cost is negative.
func ExampleMIRR() {
	one := rates.MustRate(1, 100)
	for _, f := range []rates.Flows{
		flowsOf(8000, -1500, -1700, -1854, -2000),
		flowsOf(-2000, -1500, -1700, -1854, 7500),
	} {
		m, _ := rates.MIRR(f, one, one, 12)
		fmt.Printf("%v: return %s, cost %s: %v\n", m.Role(), m.Return(), m.Cost(), m)
	}
	// Output:
	// borrower: return 4.907%, cost -2.762%: borrower paying -2.762% a round
	// saver: return 1.918%, cost 0.090%: saver earning 1.918% a round
}

func ExampleForwardRates() {
	a, _ := token.NewAsset("INR", 2)
	var prizes []token.Amount
	for _, p := range []string{"10000", "7000", "8000", "8766", "9500"} {
		prizes = append(prizes, a.MustParse(p))
	}
	fr, _ := rates.ForwardRates(prizes)
	for i, r := range fr {
		year, _ := r.Annualize(12)
		fmt.Printf("round %d to %d: %s a round, %s a year\n", i+1, i+2, r.Percent(3, rates.HalfEven), year.Percent(0, rates.HalfEven))
	}
	// Output:
	// round 1 to 2: -30.000% a round, -99% a year
	// round 2 to 3: 14.286% a round, 396% a year
	// round 3 to 4: 9.575% a round, 200% a year
	// round 4 to 5: 8.373% a round, 162% a year
}

func ExampleRate_Annualize() {
	r := rates.MustRate(1, 100)
	year, _ := r.Annualize(12)
	fmt.Println(year, year.Percent(2, rates.HalfEven))
	// Output:
	// 12.6825030131969720661201% 12.68%
}

func ExampleRate_Percent() {
	r := rates.MustRate(2, 3)
	for _, m := range []rates.Rounding{rates.HalfEven, rates.TowardZero, rates.Ceiling} {
		fmt.Println(m, r.Percent(2, m))
	}
	fmt.Println(r) // exact
	// Output:
	// half_even 66.67%
	// toward_zero 66.66%
	// ceiling 66.67%
	// 2/3
}

func ExampleParseRate() {
	for _, s := range []string{"1%", "-4.644%", "1/3", "-100%"} {
		r, err := rates.ParseRate(s)
		fmt.Println(r, err)
	}
	// Output:
	// 1% <nil>
	// -4.644% <nil>
	// 1/3 <nil>
	// 0% rates: invalid rate: a rate must be above -100% (op ParseRate, input "-100%")
}

// Collect adds up a member's entries round by round: here the winner of round 2 pays its
// instalments and receives the prize as separate entries.
func ExampleCollect() {
	a, _ := token.NewAsset("INR", 2)
	entries := []rates.Flow{
		{Round: 1, Amount: a.MustParse("-2000")},
		{Round: 2, Amount: a.MustParse("-1500")},
		{Round: 2, Amount: a.MustParse("7000")}, // the prize
		{Round: 3, Amount: a.MustParse("-1700")},
	}
	f, _ := rates.Collect(slices.Values(entries))
	for fl := range f.All() {
		fmt.Println(fl.Round, fl.Amount)
	}
	// Output:
	// 1 -2000.00 INR
	// 2 5500.00 INR
	// 3 -1700.00 INR
}
