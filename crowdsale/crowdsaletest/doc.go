// Package crowdsaletest provides rapid generators for crowdsale configs and contributions
// and an invariant checker, for property tests of code that runs sales.
//
// The generators keep sales small (a few days, a few participants, small amounts) so that
// thousands of random cases run in seconds. Contribution times are drawn after a given
// instant so that a sequence of draws respects the sale's time order.
//
// A property suite of a service that runs sales:
//
//	rapid.Check(t, func(t *rapid.T) {
//		cfg := crowdsaletest.Config().Draw(t, "config")
//		sale, _ := crowdsale.NewSale(cfg)
//		from := cfg.Start
//		for i := range 20 {
//			c := crowdsaletest.Contribution(cfg, from, time.Hour).Draw(t, fmt.Sprint("c", i))
//			_, _ = sale.Contribute(c) // refused once the sale has ended
//			from = c.At
//			if err := crowdsaletest.Check(sale); err != nil {
//				t.Fatal(err)
//			}
//		}
//	})
package crowdsaletest
