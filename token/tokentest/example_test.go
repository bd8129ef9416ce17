package tokentest_test

import (
	"fmt"

	"github.com/trustcircle/trustcircle/token"
	"github.com/trustcircle/trustcircle/token/tokentest"
)

// Invariants checks a ledger through its public API, including a JSON round trip.
func ExampleInvariants() {
	eth := token.ETH()
	l, _ := token.NewLedger(token.Genesis{Asset: eth, Supply: eth.MustParse("5"),
		Grants: []token.Grant{{Account: "alice", Amount: eth.MustParse("5")}}})
	_ = l.Transfer("alice", "bob", eth.MinorUnit())
	fmt.Println(tokentest.Invariants(l))
	// Output: <nil>
}

// Generators can be sampled outside a property with Example, for a look at what they draw.
func ExampleLedger() {
	for seed := range 3 {
		l := tokentest.Ledger().Example(seed)
		fmt.Println(tokentest.Invariants(l) == nil, len(l.Events()) >= 1)
	}
	// Output:
	// true true
	// true true
	// true true
}
