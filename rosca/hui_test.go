package rosca_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// The bidding hui example (internal bids): an organizer and four members of c = 1,000;
// members 1 to 3 bid interests of 100, 80 and 50 a live member, member 4 takes the last
// pot without a bid. Their profits are -300, -60, +130 and +230, the organizer's 0.
func TestGoldenHui(t *testing.T) {
	_, c := huiGolden(t, rosca.HuiRules())
	for r, b := range huiBids {
		contributeAll(t, c, at(r), wei(1000))
		if b.interest > 0 {
			ok(t, c.Bid(at(r), b.who, wei(b.interest)))
		}
		_, err := c.CloseRound(at(r + 1))
		ok(t, err)
	}
	profits := map[token.Account]int64{"org": 0, "m1": -300, "m2": -60, "m3": 130, "m4": 230}
	for _, p := range c.Positions() {
		if net := units(p.Withdrawn) + units(p.Balance) - units(p.Contributed); net != profits[p.Member] {
			t.Fatalf("%s: profit %d, want %d (%+v)", p.Member, net, profits[p.Member], p)
		}
	}
	// Round 2: m1's 100 to each of 3 live members: it takes 5,000 - 300.
	if r := c.Rounds()[1]; units(r.Bid) != 4700 || units(r.ShareEach) != 100 || r.Recipients != 3 {
		t.Fatalf("round 2 %+v", r)
	}
	solvent(t, c)
}

// A discount bid takes the pot less the discount; a discount or interest above the pot is
// refused.
func TestBidForms(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 4, 1000, 0)
	cfg.Rules.MinBid, cfg.Rules.BidForm = token.MustRatio(1, 2), rosca.BidDiscount
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	rejects(t, c, rosca.ErrBidTooLow, func() error { return c.Bid(at(0), "m1", wei(4001)) })
	rejects(t, c, rosca.ErrBidTooLow, func() error { return c.Bid(at(0), "m1", wei(2001)) }) // takes 1999, below half
	ok(t, c.Bid(at(0), "m1", wei(500)))
	if r := c.Round(); units(r.LowestBid) != 3500 {
		t.Fatalf("lowest %s, want the 3,500 taken", r.LowestBid)
	}
	ok(t, c.Bid(at(0), "m2", wei(600)))
	res, err := c.CloseRound(at(1))
	ok(t, err)
	if res.Winner != "m2" || units(res.Bid) != 3400 {
		t.Fatalf("result %+v", res)
	}
	checkReplay(t, c)
	cfg.Rules.BidForm = "ounces"
	if _, err := rosca.New(cfg); err == nil {
		t.Fatal("unknown bid form")
	}
}

// The external form of the same hui (外標): each member who has won pays C plus its
// interest in every later round, and each winner takes the whole pot plus the interests
// of those who won before it: 5,000, 5,100, 5,180 and 5,230 for members 1 to 4. The
// profits are the internal form's.
func TestGoldenHuiExternal(t *testing.T) {
	cfg, c := huiGolden(t, rosca.HuiExternalRules())
	for r, b := range huiBids {
		for _, p := range c.Positions() { // each pays its due for the round: C, plus its interest once it won
			if d := units(p.Due) - units(p.Contributed); d > 0 {
				ok(t, c.Contribute(at(r), p.Member, wei(d)))
			}
		}
		if b.interest > 0 {
			ok(t, c.Bid(at(r), b.who, wei(b.interest)))
		}
		_, err := c.CloseRound(at(r + 1))
		ok(t, err)
		audit(t, c)
	}
	profits := map[token.Account]int64{"org": 0, "m1": -300, "m2": -60, "m3": 130, "m4": 230}
	paid := map[token.Account]int64{"org": 5000, "m1": 5300, "m2": 5160, "m3": 5050, "m4": 5000}
	for _, p := range c.Positions() {
		if net := units(p.Withdrawn) + units(p.Balance) - units(p.Contributed); net != profits[p.Member] || units(p.Contributed) != paid[p.Member] {
			t.Fatalf("%s: profit %d, want %d; paid %s, want %d (%+v)", p.Member, net, profits[p.Member], p.Contributed, paid[p.Member], p)
		}
	}
	for k, want := range []int64{5000, 5000, 5100, 5180, 5230} {
		r := c.Rounds()[k]
		in := int64(0)
		if r.InterestIn.IsValid() {
			in = units(r.InterestIn)
		}
		if got := units(r.Winnings) + in; got != want || !r.Discount.IsZero() {
			t.Fatalf("round %d takes %d, want %d (%+v)", k+1, got, want, r)
		}
	}
	if r := c.Rounds()[1]; units(r.Interest) != 100 || units(r.Bid) != 5000 {
		t.Fatalf("round 2 %+v", r)
	}
	for _, m := range cfg.Members {
		if err := checkStatement(c, m); err != nil {
			t.Fatal(err)
		}
	}
	checkReplay(t, c)
	solvent(t, c)
}

// huiBid is a round of the hui example: who bids its interest (nobody in the organizer's
// round and the last).
type huiBid struct {
	who      token.Account
	interest int64
}

// huiBids are the hui example's rounds.
var huiBids = []huiBid{{"", 0}, {"m1", 100}, {"m2", 80}, {"m3", 50}, {"", 0}}

// huiGolden is the hui example's circle under rules: an organizer and four members of
// c = 1,000, no fee.
func huiGolden(t *testing.T, rules rosca.Rules) (rosca.Config, *rosca.Circle) {
	t.Helper()
	cfg := weiCfg(rosca.Bidding, 5, 1000, 0)
	cfg.Members = []token.Account{"org", "m1", "m2", "m3", "m4"}
	cfg.Foreperson, cfg.Rules = "org", rules
	return cfg, mustNew(t, cfg)
}
