package roscatest_test

import (
	"fmt"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
)

// Generators can be sampled outside a property with Example: here, three random circles
// driven by random valid and invalid commands, checked after every command.
func ExampleCheck() {
	for seed := range 3 {
		cfg := roscatest.Config().Example(seed)
		c, err := rosca.New(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		ok := true
		for _, op := range roscatest.Ops(cfg, 40).Example(seed) {
			_ = roscatest.Apply(c, op) // accepted or rejected, the books must balance
			if err := roscatest.Check(c); err != nil {
				fmt.Println(err)
				ok = false
			}
		}
		fmt.Println("circle", seed, "checked:", ok)
	}
	// Output:
	// circle 0 checked: true
	// circle 1 checked: true
	// circle 2 checked: true
}
