package roscatest_test

import (
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func configForTest() rosca.Config {
	return rosca.Config{Asset: token.TRST(), Kind: rosca.Bidding, Members: []token.Account{"a", "b", "c"},
		Foreperson: "a", Operator: "op", Contribution: token.TRST().MustParse("10"), Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Period: time.Hour, Epochs: 1, Fee: token.MustRatio(2, 1000), Rules: rosca.WeTrustRules(), Seed: rosca.Seed{9}}
}
