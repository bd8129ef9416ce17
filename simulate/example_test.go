package simulate_test

import (
	"context"
	"fmt"
	"os"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

// A hundred four-member lottery circles of $10 a round with a 2% fee, one member of which
// stops paying after round 2: by seat, the median net and the losses.
func Example() {
	usd, _ := token.NewAsset("USD", 2)
	ms := simulate.Seats(4, simulate.Member{})
	ms[3].Payer = simulate.Stop{From: 3}
	sc := simulate.Scenario{
		Name:    "lottery",
		Circle:  rosca.Config{Asset: usd, Kind: rosca.Lottery, Contribution: usd.MustParse("10"), Fee: token.MustRatio(2, 100)},
		Members: ms, Circles: 100, Seed: 1, Digits: 6,
	}
	var agg simulate.Aggregate
	if err := simulate.Run(context.Background(), sc, simulate.Options{}, &agg); err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range agg.Seats() {
		fmt.Printf("%s: median net %s, lost %s in %d runs, defaulted in %d\n", s.Member, s.Net.Median, s.Losses, s.LossRuns, s.Defaults)
	}
	// Output:
	// m0: median net -0.80 USD, lost 218.85 USD in 19 runs, defaulted in 0
	// m1: median net -0.80 USD, lost 292.28 USD in 20 runs, defaulted in 0
	// m2: median net -0.80 USD, lost 283.09 USD in 20 runs, defaulted in 0
	// m3: median net 9.20 USD, lost 0.00 USD in 0 runs, defaulted in 59
}

// One run's records, as JSON lines.
func ExampleJSONLines() {
	usd, _ := token.NewAsset("USD", 2)
	sc := simulate.Scenario{
		Circle:  rosca.Config{Asset: usd, Kind: rosca.FixedOrder, Contribution: usd.MustParse("10"), Fee: token.MustRatio(2, 100)},
		Members: simulate.Seats(2, simulate.Member{}), Circles: 1, Seed: 1, Digits: 4,
	}
	err := simulate.Run(context.Background(), sc, simulate.Options{}, &simulate.JSONLines{W: os.Stdout})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"v":1,"kind":"circle","scenario":"","run":0,"circle_kind":"fixed_order","members":2,"rounds":2,"closed":2,"halted":false,"contributed":"30.00 USD","withdrawn":"29.20 USD","fees":"0.80 USD","remainder":"0.00 USD","unclaimed":"0.00 USD","losses":"0.00 USD","defaulters":0,"late_payments":0}
	// {"v":1,"kind":"member","scenario":"","run":0,"seat":0,"member":"m0","won":1,"wins":1,"bid":"20.00 USD","contributed":"10.00 USD","withdrawn":"9.60 USD","net":"-0.40 USD","fees":"0.40 USD","unpaid":"0.00 USD","owed":"0.00 USD","late":0,"irr_kind":"no_root","roots":0,"irr":"","sign_changes":0,"norstrom":false}
	// {"v":1,"kind":"member","scenario":"","run":0,"seat":1,"member":"m1","won":2,"wins":1,"bid":"20.00 USD","contributed":"20.00 USD","withdrawn":"19.60 USD","net":"-0.40 USD","fees":"0.40 USD","unpaid":"0.00 USD","owed":"0.00 USD","late":0,"irr_kind":"one_root","roots":1,"irr":"-4.00%","sign_changes":1,"norstrom":false}
}

// The same defaulter in circles whose rules ask collateral by seat and offer a recovery
// bounty: three members in four post the collateral as they join; after the end the group
// applies a defaulter's collateral to its dues, and posts the bounty on what is left for a
// collector who recovers it one time in two. A member that posted none is not in good
// standing, so the draws pass it over: the defaulter that did not post wins last, and its
// own pot pays its dues. The claims written off at the end are all given back, and the
// defaulter gains nothing.
func ExampleEnforcers() {
	usd, _ := token.NewAsset("USD", 2)
	ms := simulate.Seats(4, simulate.Member{})
	ms[3].Payer = simulate.Stop{From: 3}
	rules := rosca.WeTrustRules()
	rules.Deterrents = rosca.Deterrents{
		Collateral: rosca.Collateral{Form: rosca.CollateralBySeat},
		Bounty:     rosca.Bounty{Share: token.MustRatio(1, 10)},
	}
	sc := simulate.Scenario{
		Name:   "deterred",
		Circle: rosca.Config{Asset: usd, Kind: rosca.Lottery, Contribution: usd.MustParse("10"), Fee: token.MustRatio(2, 100), Rules: rules},
		Enforcer: simulate.Enforcers{
			simulate.Collateral{Skip: token.MustRatio(1, 4)}, // C x (2n - 1 - seat), by 3 in 4
			simulate.Recover{Fail: token.MustRatio(1, 2)},    // after the end: collateral, then a bounty
		},
		Members: ms, Circles: 100, Seed: 1, Digits: 6,
	}
	var agg simulate.Aggregate
	if err := simulate.Run(context.Background(), sc, simulate.Options{}, &agg); err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range agg.Seats() {
		fmt.Printf("%s: median net %s, lost %s (written off %s), defaulted in %d\n", s.Member, s.Net.Median, s.Losses, s.WrittenOff, s.Defaults)
	}
	// Output:
	// m0: median net -0.80 USD, lost 0.00 USD (written off 262.16 USD), defaulted in 0
	// m1: median net -0.80 USD, lost 0.00 USD (written off 202.75 USD), defaulted in 0
	// m2: median net -0.80 USD, lost 0.00 USD (written off 252.67 USD), defaulted in 0
	// m3: median net -0.80 USD, lost 0.00 USD (written off 0.00 USD), defaulted in 0
}
