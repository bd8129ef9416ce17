package rosca_test

import (
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// A fixed-order circle with $20 of collateral from each member: alice takes the first pot,
// withdraws it and pays nothing more. At the end her collateral pays what she owes, which
// gives back what the others' claims bore; a guarantor of bob's stands by unused, and
// everyone else takes the collateral back.
func Example_collateral() {
	cfg, usd := usdCircle(rosca.FixedOrder)
	cfg.Foreperson = "dave"
	cfg.Rules.Deterrents.Collateral = rosca.Collateral{Form: rosca.CollateralFixed, Amount: usd.MustParse("20")}
	c, err := rosca.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range cfg.Members {
		_ = c.PostCollateral(cfg.Start, m, usd.MustParse("20"))
	}
	_ = c.Pledge(cfg.Start, "uncle", "bob", usd.MustParse("30"))
	for r := range 4 {
		week := cfg.Start.Add(time.Duration(r) * cfg.Period)
		for _, m := range cfg.Members {
			if r == 0 || m != "alice" {
				_ = c.Contribute(week, m, usd.MustParse("10"))
			}
		}
		_, _ = c.CloseRound(c.Round().Deadline)
		if r == 0 {
			paid, _ := c.Withdraw(c.Now(), "alice")
			fmt.Println("alice withdraws", paid)
		}
	}
	end := c.Now()
	owed, _ := c.Owed("alice")
	fmt.Println("alice owes", owed, "- written off the others:", c.Totals().Losses)
	applied, _ := c.ApplyCollateral(end, "dave", "alice")
	fmt.Println("her collateral pays", applied, "- written off now:", c.Totals().Losses)
	for _, m := range []token.Account{"bob", "carol", "dave"} {
		paid, _ := c.Withdraw(end, m)
		back, _ := c.ReturnCollateral(end, m)
		fmt.Printf("%s withdraws %s and takes back %s\n", m, paid, back)
	}
	fmt.Println("audit:", c.Audit())
	// Output:
	// alice withdraws 29.20 USD
	// alice owes 20.00 USD - written off the others: 19.60 USD
	// her collateral pays 20.00 USD - written off now: 0.00 USD
	// bob withdraws 39.20 USD and takes back 20.00 USD
	// carol withdraws 39.20 USD and takes back 20.00 USD
	// dave withdraws 39.20 USD and takes back 20.00 USD
	// audit: <nil>
}

// A member who stops paying is removed and substituted: carol misses two rounds, the
// foreperson removes her, her notice runs out, and erin takes her seat, paying in what
// carol had paid, of which carol is refunded 95% (the rules' 5% deduction goes to the
// foreperson).
func Example_substitution() {
	cfg, usd := usdCircle(rosca.Lottery)
	cfg.Rules.Deterrents.RemoveAfter = 1
	cfg.Rules.Deterrents.Notice = rosca.Duration(48 * time.Hour)
	cfg.Rules.Deterrents.Deduction = token.MustRatio(5, 100)
	c, err := rosca.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for r := range 2 {
		week := cfg.Start.Add(time.Duration(r) * cfg.Period)
		for _, m := range cfg.Members {
			if r == 0 || m != "carol" {
				_ = c.Contribute(week, m, usd.MustParse("10"))
			}
		}
		_, _ = c.CloseRound(c.Round().Deadline)
	}
	now := c.Now()
	if err := c.Remove(now, "alice", "carol"); err != nil {
		fmt.Println(err)
		return
	}
	p, _ := c.Position("carol")
	fmt.Println("carol removed:", p.Removed, "owes", p.Balance.Neg())
	refund, err := c.Substitute(now.Add(72*time.Hour), "alice", "carol", "erin", usd.Zero())
	fmt.Println("carol refunded", refund, err)
	fmt.Println("seats:", c.Members())
	// Output:
	// carol removed: true owes 20.00 USD
	// carol refunded 9.50 USD <nil>
	// seats: [alice bob erin dave]
}
