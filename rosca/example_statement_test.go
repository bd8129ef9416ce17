package rosca_test

import (
	"fmt"
	"os"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// statementCircle is usdCircle's bidding circle after two rounds: everyone pays $10 in
// round 1 and carol wins it with a bid of $34; in round 2 dave pays only $4 and bob wins
// with $38.
func statementCircle() *rosca.Circle {
	cfg, usd := usdCircle(rosca.Bidding)
	c, _ := rosca.New(cfg)
	week := cfg.Start
	for _, m := range cfg.Members {
		_ = c.Contribute(week, m, usd.MustParse("10"))
	}
	_ = c.Bid(week, "carol", usd.MustParse("34"))
	_, _ = c.CloseRound(c.Round().Deadline)
	week = c.Now()
	for _, m := range []token.Account{"alice", "bob", "carol"} {
		_ = c.Contribute(week, m, usd.MustParse("10"))
	}
	_ = c.Contribute(week, "dave", usd.MustParse("4"))
	_ = c.Bid(week, "bob", usd.MustParse("38"))
	_, _ = c.CloseRound(c.Round().Deadline)
	return c
}

// A member's statement: every movement of its money with the running balance. Carol won
// round 1 with a bid of $34: she takes $34 less the 2% fee ($0.68), gets her share of the
// discount RF($6) = $5.88 (pooled: floor(5.88/4) = $1.47 each), and each round's
// contribution is withheld when the round opens. The balance is her position's.
func ExampleCircle_Statement() {
	c := statementCircle()
	s, err := c.Statement("carol")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range s.Lines {
		fmt.Printf("%2d  round %d  %-14s %7s %7s\n", l.Seq, l.Round, l.Kind, l.Amount.Number(), l.Balance.Number())
	}
	p, _ := c.Position("carol")
	fmt.Println("balance", s.Totals.Balance, "position", p.Balance)
	fmt.Println("won", s.Totals.Won, "after fees of", s.Totals.Fees)
	// Output:
	//  0  round 1  due             -10.00  -10.00
	//  3  round 1  contribution     10.00    0.00
	//  6  round 1  winnings         34.00   34.00
	//  6  round 1  fee              -0.68   33.32
	//  6  round 1  discount_share    1.47   34.79
	//  6  round 2  due             -10.00   24.79
	//  9  round 2  contribution     10.00   34.79
	// 12  round 2  discount_share    0.49   35.28
	// 12  round 3  due             -10.00   25.28
	// balance 25.28 USD position 25.28 USD
	// won 33.32 USD after fees of 0.68 USD
}

// The statement as CSV for a spreadsheet: plain numbers, the asset in its own column.
func ExampleStatement_WriteCSV() {
	c := statementCircle()
	s, _ := c.Statement("dave")
	if err := s.WriteCSV(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// member,seq,round,epoch,at,kind,amount,balance,asset
	// dave,0,1,1,2026-03-01T00:00:00Z,due,-10.00,-10.00,USD
	// dave,4,1,1,2026-03-01T00:00:00Z,contribution,10.00,0.00,USD
	// dave,6,1,1,2026-03-08T00:00:00Z,discount_share,1.47,1.47,USD
	// dave,6,2,1,2026-03-08T00:00:00Z,due,-10.00,-8.53,USD
	// dave,10,2,1,2026-03-08T00:00:00Z,contribution,4.00,-4.53,USD
	// dave,12,2,1,2026-03-15T00:00:00Z,discount_share,0.49,-4.04,USD
	// dave,12,3,1,2026-03-15T00:00:00Z,due,-10.00,-14.04,USD
}

// The reminder list for the open round: who has not paid enough, and what is missing.
// Paying it puts the member in good standing.
func ExampleCircle_Reminders() {
	c := statementCircle()
	for _, r := range c.Reminders() {
		fmt.Printf("%s: %s due by %s, credited %s, missing %s\n", r.Member, r.Due, r.Deadline.Format("Jan 2"), r.Paid, r.Missing)
	}
	r := c.Reminders()[0]
	_ = c.Contribute(c.Now(), r.Member, r.Missing)
	p, _ := c.Position(r.Member)
	fmt.Println(r.Member, "in good standing:", p.GoodStanding, "reminders left:", len(c.Reminders()))
	// Output:
	// alice: 30.00 USD due by Mar 22, credited 21.96 USD, missing 8.04 USD
	// dave: 30.00 USD due by Mar 22, credited 15.96 USD, missing 14.04 USD
	// alice in good standing: true reminders left: 1
}

// The circle's calendar: each round's deadline, what every member owes by then, and
// how many members would be short of it (and by how much) if nobody paid again.
func ExampleCircle_Schedule() {
	c := statementCircle()
	for _, s := range c.Schedule() {
		fmt.Printf("round %d %-8s by %s: %s each; %d behind by %s; winner %q\n",
			s.Round, s.Status, s.Deadline.Format("Jan 2"), s.Due, s.Behind, s.Missing, s.Winner)
	}
	ds, _ := c.ScheduleOf("dave")
	fmt.Println("dave by round 4:", ds[3].Missing, "missing of", ds[3].Due)
	// Output:
	// round 1 closed   by Mar 8: 10.00 USD each; 0 behind by 0.00 USD; winner "carol"
	// round 2 closed   by Mar 15: 20.00 USD each; 1 behind by 4.04 USD; winner "bob"
	// round 3 open     by Mar 22: 30.00 USD each; 2 behind by 22.08 USD; winner ""
	// round 4 upcoming by Mar 29: 40.00 USD each; 2 behind by 42.08 USD; winner ""
	// dave by round 4: 24.04 USD missing of 40.00 USD
}
