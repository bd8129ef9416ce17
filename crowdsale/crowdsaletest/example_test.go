package crowdsaletest_test

import (
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/crowdsale/crowdsaletest"
)

// Generators can be sampled outside a property with Example: a random small sale fed
// random valid contributions, then checked (audit, and replay equals live).
func ExampleCheck() {
	cfg := crowdsaletest.Config().Example(1)
	sale, err := crowdsale.NewSale(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	from := cfg.Start
	for i := range 5 {
		c := crowdsaletest.Contribution(cfg, from, time.Hour).Example(i)
		_, _ = sale.Contribute(c) // may be refused once the sale has ended
		from = c.At
	}
	fmt.Println(crowdsaletest.Check(sale))
	// Output: <nil>
}
