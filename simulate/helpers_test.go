package simulate_test

import (
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

// usd is the asset of the tests' circles.
func usd() token.Asset {
	a, err := token.NewAsset("USD", 2)
	if err != nil {
		panic(err)
	}
	return a
}

// mixed returns the benchmark's kind of scenario: ten members paying $100 a round with a 1%
// fee, each late by one round with probability 5%, bidding at random (a third of the time)
// or by undercutting valuations of 70% to 100% of the pot.
func mixed(kind rosca.Kind, circles int, seed uint64) simulate.Scenario {
	ms := simulate.Seats(10, simulate.Member{
		Payer:     simulate.Late{Rounds: 1, Probability: token.MustRatio(5, 100)},
		Valuation: simulate.Valuation{Low: token.MustRatio(70, 100), High: token.One()},
	})
	for i := range ms {
		if i%2 == 0 {
			ms[i].Bidder = simulate.RandomBid{Probability: token.MustRatio(1, 3)}
		} else {
			ms[i].Bidder = simulate.Undercut{}
		}
	}
	return simulate.Scenario{
		Name: string(kind),
		Circle: rosca.Config{
			Asset: usd(), Kind: kind, Contribution: usd().MustParse("100"),
			Fee: token.MustRatio(1, 100),
		},
		Members: ms, Circles: circles, Seed: seed, Digits: 6,
	}
}
