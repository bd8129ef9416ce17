package rosca_test

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// usdCircle is a four-member circle of $10 a round under WeTrust's rules with a 2% fee.
func usdCircle(kind rosca.Kind) (rosca.Config, token.Asset) {
	usd, _ := token.NewAsset("USD", 2)
	return rosca.Config{
		Asset:        usd,
		Kind:         kind,
		Members:      []token.Account{"alice", "bob", "carol", "dave"},
		Foreperson:   "alice",
		Operator:     "platform",
		Contribution: usd.MustParse("10"),
		Start:        time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Period:       7 * 24 * time.Hour,
		Epochs:       1,
		Fee:          token.MustRatio(20, 1000),
		Rules:        rosca.WeTrustRules(),
		Seed:         rosca.Seed{42},
	}, usd
}

// A whole bidding circle: four members pay $10 a round; the lowest bid takes the pot
// ($40) less the 2% fee, and the discount is shared by all.
func Example_biddingCircle() {
	cfg, usd := usdCircle(rosca.Bidding)
	c, err := rosca.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	bids := []map[token.Account]string{
		{"bob": "35", "carol": "34"}, // carol undercuts bob: at most 98% of 35 = 34.30
		{"dave": "38"},
		{"alice": "40"},
		{}, // nobody bids: the last unpaid member (bob) takes the pot
	}
	for r, round := range bids {
		week := cfg.Start.Add(time.Duration(r) * cfg.Period)
		for _, m := range cfg.Members {
			_ = c.Contribute(week, m, usd.MustParse("10"))
		}
		for _, m := range []token.Account{"bob", "carol", "dave", "alice"} {
			if amt, ok := round[m]; ok {
				_ = c.Bid(week, m, usd.MustParse(amt))
			}
		}
		res, _ := c.CloseRound(c.Round().Deadline)
		fmt.Printf("round %d: %-5s bid %5s, credited %s, discount %s, fee %s\n", res.Round, res.Winner,
			res.Bid.Number(), res.Winnings.Number(), res.Discount.Number(), res.Fee.Number())
	}
	end := c.Round().Deadline
	for _, p := range c.Positions() {
		got, _ := c.Withdraw(end, p.Member)
		fmt.Printf("%-5s paid %s, withdrew %s\n", p.Member, p.Contributed.Number(), got.Number())
	}
	fee, _ := c.RetrieveFees(end, "alice")
	rem, _, err := c.DisposeRemainder(end, "alice")
	if errors.Is(err, rosca.ErrNothingToPay) {
		rem = usd.Zero() // no remainder: every unit went to the members and the fees
	}
	fmt.Println("fees", fee.Number(), "remainder", rem.Number(), "audit", c.Audit())
	// Output:
	// round 1: carol bid 34.00, credited 33.32, discount 5.88, fee 0.80
	// round 2: dave  bid 38.00, credited 37.24, discount 1.96, fee 0.80
	// round 3: alice bid 40.00, credited 39.20, discount 0.00, fee 0.80
	// round 4: bob   bid 40.00, credited 39.20, discount 0.00, fee 0.80
	// alice paid 40.00, withdrew 41.16
	// bob   paid 40.00, withdrew 41.16
	// carol paid 40.00, withdrew 35.28
	// dave  paid 40.00, withdrew 39.20
	// fees 3.20 remainder 0.00 audit <nil>
}

// A lottery circle: the seeded draw picks each round's winner among the members who have
// not won; the draw is recorded, so a replay of the log gives the same winners.
func Example_lotteryCircle() {
	cfg, usd := usdCircle(rosca.Lottery)
	cfg.Fee = token.Ratio{}
	c, _ := rosca.New(cfg)
	for r := range cfg.Members {
		week := cfg.Start.Add(time.Duration(r) * cfg.Period)
		for _, m := range cfg.Members {
			_ = c.Contribute(week, m, usd.MustParse("10"))
		}
		res, _ := c.CloseRound(c.Round().Deadline)
		fmt.Printf("round %d: %s draws the pot of %s (start %d of %d)\n", res.Round, res.Winner, res.Winnings.Number(),
			res.DrawStart, res.Candidates)
	}
	replayed, err := rosca.Replay(cfg, c.EventsAfter(0))
	fmt.Println("replayed:", err == nil && replayed.Rounds()[3].Winner == c.Rounds()[3].Winner)
	// Output:
	// round 1: bob draws the pot of 40.00 (start 1 of 4)
	// round 2: carol draws the pot of 40.00 (start 1 of 3)
	// round 3: alice draws the pot of 40.00 (start 0 of 2)
	// round 4: dave draws the pot of 40.00 (start 0 of 1)
	// replayed: true
}

// A member's position after the first round of the bidding circle: carol won with a bid
// of $34 and the $5.88 discount is shared by all four ($1.47 each).
func ExampleCircle_Position() {
	cfg, usd := usdCircle(rosca.Bidding)
	c, _ := rosca.New(cfg)
	for _, m := range cfg.Members {
		_ = c.Contribute(cfg.Start, m, usd.MustParse("10"))
	}
	_ = c.Bid(cfg.Start, "carol", usd.MustParse("34"))
	_, _ = c.CloseRound(c.Round().Deadline)
	for _, m := range []token.Account{"carol", "dave"} {
		p, _ := c.Position(m)
		fmt.Printf("%s: contributed %s won %s share %s due %s balance %s good standing %v\n", p.Member,
			p.Contributed.Number(), p.Won.Number(), p.DiscountShare.Number(), p.Due.Number(),
			p.Balance.Number(), p.GoodStanding)
	}
	// Output:
	// carol: contributed 10.00 won 33.32 share 1.47 due 20.00 balance 24.79 good standing true
	// dave: contributed 10.00 won 0.00 share 1.47 due 20.00 balance -8.53 good standing false
}

// Persisting a circle: after each command, write the events after the last one written,
// one JSON line each; on restart, replay the file through a Decoder.
func Example_persist() {
	cfg, usd := usdCircle(rosca.Bidding)
	c, _ := rosca.New(cfg)
	var file bytes.Buffer // an append-only file in a real service
	var buf []byte
	var written uint64 // the sequence number of the last event written
	persist := func() {
		buf = buf[:0]
		for e := range c.EventsAfter(written) {
			buf = append(e.AppendJSON(buf), '\n')
			written = e.Seq
		}
		file.Write(buf) // and sync it, before answering the command
	}
	_ = c.Contribute(cfg.Start, "alice", usd.MustParse("10"))
	persist()
	_ = c.Contribute(cfg.Start, "bob", usd.MustParse("12.5"))
	persist()
	fmt.Print(file.String())

	d := rosca.NewDecoder(&file)
	restarted, err := rosca.Replay(cfg, d.Events())
	if err == nil {
		err = d.Err()
	}
	p, _ := restarted.Position("bob")
	fmt.Println("replayed:", err, restarted.LastSeq(), "events; bob contributed", p.Contributed)
	// Output:
	// {"v":1,"seq":1,"kind":"contribution","at":"2026-03-01T00:00:00Z","round":1,"member":"alice","amount":"10.00 USD"}
	// {"v":1,"seq":2,"kind":"contribution","at":"2026-03-01T00:00:00Z","round":1,"member":"bob","amount":"12.50 USD"}
	// replayed: <nil> 2 events; bob contributed 12.50 USD
}
