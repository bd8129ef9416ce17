package rosca_test

import (
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// formsCircle is a bidding circle of the given members (the first the foreperson) paying c
// a round in an asset without decimals, a week a round, from the first of March 2026.
func formsCircle(symbol string, ms []token.Account, c int64, fee token.Ratio, rules rosca.Rules) (*rosca.Circle, token.Asset, error) {
	a, err := token.NewAsset(symbol, 0)
	if err != nil {
		return nil, a, err
	}
	c0, err := rosca.New(rosca.Config{
		Asset: a, Kind: rosca.Bidding, Members: ms, Foreperson: ms[0], Operator: "platform",
		Contribution: a.FromInt64Units(c), Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Period: 7 * 24 * time.Hour, Epochs: 1, Fee: fee, Rules: rules, Seed: rosca.Seed{7},
	})
	return c0, a, err
}

// payDues has every member pay what its dues ask for the open round (Position.Due less
// what it paid so far: C, and under the external hui form C plus its interest once it
// has won).
func payDues(c *rosca.Circle, at time.Time) error {
	for _, p := range c.Positions() {
		owe, err := p.Due.Sub(p.Contributed)
		if err != nil {
			return err
		}
		if owe.IsPositive() {
			if err := c.Contribute(at, p.Member, owe); err != nil {
				return err
			}
		}
	}
	return nil
}

// signed writes x with its sign, "+946" or "-2,054".
func signed(x token.Amount) string {
	if x.IsPositive() {
		return "+" + x.DisplayNumber(0)
	}
	return x.DisplayNumber(0)
}

// A chit fund of five tickets of 2,000 (the pot is 10,000) under the chit rules: the
// foreman (T1) takes the first pot without a discount or a commission; each later round is
// auctioned by discount, at most 30% of the pot; the foreman's 5% commission (500) comes
// out of the discount and the rest is the dividend of every ticket, the units the division
// leaves going to the foreman. The last ticket takes the pot less the commission.
func Example_chitFund() {
	tickets := []token.Account{"T1", "A", "B", "C", "D"}
	c, _, err := formsCircle("INR", tickets, 2000, token.MustRatio(5, 100), rosca.ChitFundRules())
	if err != nil {
		fmt.Println(err)
		return
	}
	prizes := map[int]struct {
		who   token.Account
		prize int64
	}{2: {"A", 7000}, 3: {"B", 8000}, 4: {"C", 8766}} // the prize taken; round 5 has no bid
	for r := 1; r <= 5; r++ {
		now := c.Now()
		if err := payDues(c, now); err != nil {
			fmt.Println(err)
			return
		}
		if b, has := prizes[r]; has {
			if err := c.Bid(now, b.who, c.Config().Asset.FromInt64Units(b.prize)); err != nil {
				fmt.Println(err)
				return
			}
		}
		res, err := c.CloseRound(c.Round().Deadline)
		if err != nil {
			fmt.Println(err)
			return
		}
		discount, _ := res.Pot.Sub(res.Winnings)
		fmt.Printf("round %d: %-2s discount %5s, commission %3s, dividend %3s each, prize %6s\n", res.Round, res.Winner,
			discount.DisplayNumber(0), res.Fee.DisplayNumber(0), res.ShareEach.DisplayNumber(0), res.Winnings.DisplayNumber(0))
	}
	end := c.Now()
	for _, p := range c.Positions() {
		if _, err := c.Withdraw(end, p.Member); err != nil {
			fmt.Println(err)
			return
		}
	}
	for _, p := range c.Positions() {
		net, _ := p.Withdrawn.Sub(p.Contributed)
		fmt.Printf("%-2s paid %s, received %6s, net %s\n", p.Member, p.Contributed.DisplayNumber(0), p.Withdrawn.DisplayNumber(0), signed(net))
	}
	tot := c.Totals()
	fmt.Println("commission", tot.FeesReserved.Display(0), "remainder", tot.Remainder.Display(0), "audit", c.Audit())
	// Output:
	// round 1: T1 discount     0, commission   0, dividend   0 each, prize 10,000
	// round 2: A  discount 3,000, commission 500, dividend 500 each, prize  7,000
	// round 3: B  discount 2,000, commission 500, dividend 300 each, prize  8,000
	// round 4: C  discount 1,234, commission 500, dividend 146 each, prize  8,766
	// round 5: D  discount   500, commission 500, dividend   0 each, prize  9,500
	// T1 paid 10,000, received 10,946, net +946
	// A  paid 10,000, received  7,946, net -2,054
	// B  paid 10,000, received  8,946, net -1,054
	// C  paid 10,000, received  9,712, net -288
	// D  paid 10,000, received 10,446, net +446
	// commission 2,000 INR remainder 4 INR audit <nil>
}

// huiExample runs the bidding hui of an organizer and four members of 1,000 under rules:
// members 1 to 3 bid interests of 100, 80 and 50 a live member, member 4 takes the last
// pot without a bid. It prints each round (what the winner takes, the live members
// credited the interest, and under the external form the winner's interest, due from it
// in the later rounds) and each member's receipts (winnings and interests received),
// payments and profit.
func huiExample(rules rosca.Rules) {
	ms := []token.Account{"org", "m1", "m2", "m3", "m4"}
	c, a, err := formsCircle("TWD", ms, 1000, token.Ratio{}, rules)
	if err != nil {
		fmt.Println(err)
		return
	}
	interests := map[int]struct {
		who token.Account
		w   int64
	}{2: {"m1", 100}, 3: {"m2", 80}, 4: {"m3", 50}}
	for r := 1; r <= 5; r++ {
		now := c.Now()
		if err := payDues(c, now); err != nil {
			fmt.Println(err)
			return
		}
		if b, has := interests[r]; has {
			if err := c.Bid(now, b.who, a.FromInt64Units(b.w)); err != nil {
				fmt.Println(err)
				return
			}
		}
		res, err := c.CloseRound(c.Round().Deadline)
		if err != nil {
			fmt.Println(err)
			return
		}
		takes := res.Winnings
		if res.InterestIn.IsValid() { // the external form: the interests of the members who won before
			takes, _ = takes.Add(res.InterestIn)
		}
		line := fmt.Sprintf("round %d: %-3s takes %s; live %d, each credited %s", res.Round, res.Winner,
			takes.DisplayNumber(0), res.Recipients, res.ShareEach.DisplayNumber(0))
		if res.Interest.IsValid() { // the external form: the winner's interest, due in the later rounds
			line += "; interest " + res.Interest.DisplayNumber(0)
		}
		fmt.Println(line)
	}
	for _, p := range c.Positions() {
		got, _ := p.Won.Add(p.DiscountShare)
		profit, _ := got.Sub(p.Contributed)
		fmt.Printf("%-3s received %s, paid %s, profit %s\n", p.Member, got.DisplayNumber(0), p.Contributed.DisplayNumber(0), signed(profit))
	}
	fmt.Println("audit", c.Audit())
}

// A bidding hui in its internal form (內標): the organizer takes the first pot; each later
// round goes to the member bidding the highest interest, which every member who has not
// won yet receives (as if it paid 1,000 less the interest); the winner takes the pot less
// those interests. Everyone pays 1,000 a round here, and the interests are credited.
func Example_huiInternal() {
	huiExample(rosca.HuiRules())
	// Output:
	// round 1: org takes 5,000; live 4, each credited 0
	// round 2: m1  takes 4,700; live 3, each credited 100
	// round 3: m2  takes 4,840; live 2, each credited 80
	// round 4: m3  takes 4,950; live 1, each credited 50
	// round 5: m4  takes 5,000; live 0, each credited 0
	// org received 5,000, paid 5,000, profit 0
	// m1  received 4,700, paid 5,000, profit -300
	// m2  received 4,940, paid 5,000, profit -60
	// m3  received 5,130, paid 5,000, profit +130
	// m4  received 5,230, paid 5,000, profit +230
	// audit <nil>
}

// The same hui in its external form (外標): a member that has won pays 1,000 plus its
// interest in every later round, and each winner takes the whole pot plus the interests
// of the members who won before it. The payments differ, the receipts too, and every
// profit is the internal form's.
func Example_huiExternal() {
	huiExample(rosca.HuiExternalRules())
	// Output:
	// round 1: org takes 5,000; live 4, each credited 0
	// round 2: m1  takes 5,000; live 3, each credited 0; interest 100
	// round 3: m2  takes 5,100; live 2, each credited 0; interest 80
	// round 4: m3  takes 5,180; live 1, each credited 0; interest 50
	// round 5: m4  takes 5,230; live 0, each credited 0
	// org received 5,000, paid 5,000, profit 0
	// m1  received 5,000, paid 5,300, profit -300
	// m2  received 5,100, paid 5,160, profit -60
	// m3  received 5,180, paid 5,050, profit +130
	// m4  received 5,230, paid 5,000, profit +230
	// audit <nil>
}
