package rosca_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// The chit fund worked example: 5 tickets (T1 the foreman's, then A, B, C, D) of c =
// 2,000, P = 10,000, commission 5% (F = 500) out of the discount, a 30% cap on the
// discount, the remainder to the foreman. Round 1 is the foreman's, without discount or
// commission; A takes 7,000 at the cap (D = 3,000: dividend 500 each); B takes 8,000 (300
// each); C takes 8,766 (D = 1,234: pool 734, 146 each, 4 left); D, the last, takes 9,500
// at the smallest discount, the commission (no dividend). The members' nets are +946,
// -2,054, -1,054, -288 and +446, summing to -(4 x 500 + 4), the foreman's income.
func TestGoldenChitFund(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 5, 2000, 0)
	cfg.Members = []token.Account{"T1", "A", "B", "C", "D"}
	cfg.Foreperson = "T1"
	cfg.Fee, cfg.Rules = token.MustRatio(5, 100), rosca.ChitFundRules()
	c := mustNew(t, cfg)
	type want struct {
		winner                       token.Account
		bid                          int64 // the prize taken: 0 for no bid
		prize, fee, share, remainder int64
		method                       rosca.Method
	}
	rounds := []want{
		{"T1", 0, 10000, 0, 0, 0, rosca.ByOrganizer},
		{"A", 7000, 7000, 500, 500, 0, rosca.ByBid},
		{"B", 8000, 8000, 500, 300, 0, rosca.ByBid},
		{"C", 8766, 8766, 500, 146, 4, rosca.ByBid},
		{"D", 0, 9500, 500, 0, 0, rosca.ByDraw},
	}
	rejects(t, c, rosca.ErrNotBidding, func() error { return c.Bid(at(0), "A", wei(7000)) }) // round 1 is the foreman's
	for r, w := range rounds {
		contributeAll(t, c, at(r), wei(2000))
		if r == 1 { // bids above the cap's prize and below the 30% cap are refused
			rejects(t, c, rosca.ErrBidTooLow, func() error { return c.Bid(at(r), "A", wei(6999)) })
			rejects(t, c, rosca.ErrBidTooHigh, func() error { return c.Bid(at(r), "B", wei(9501)) })
		}
		if w.bid > 0 {
			ok(t, c.Bid(at(r), w.winner, wei(w.bid)))
		}
		res, err := c.CloseRound(at(r + 1))
		ok(t, err)
		if res.Winner != w.winner || res.Method != w.method || units(res.Winnings) != w.prize || units(res.Fee) != w.fee ||
			units(res.ShareEach) != w.share || units(res.Remainder) != w.remainder || res.Recipients != 5 {
			t.Fatalf("round %d: %+v, want %+v", r+1, res, w)
		}
	}
	// Every member withdraws its balance; the nets are the example's.
	nets := map[token.Account]int64{"T1": 946, "A": -2054, "B": -1054, "C": -288, "D": 446}
	var sum int64
	for _, p := range c.Positions() {
		paid := units(p.Balance)
		if paid > 0 {
			withdraw(t, c, at(5), string(p.Member))
		}
		net := units(p.Withdrawn) + paid - units(p.Contributed)
		if net != nets[p.Member] {
			t.Fatalf("%s: net %d, want %d (%+v)", p.Member, net, nets[p.Member], p)
		}
		sum += net
	}
	if sum != -2004 {
		t.Fatalf("nets sum to %d", sum)
	}
	tot := c.Totals()
	if units(tot.FeesReserved) != 2000 || units(tot.Remainder) != 4 {
		t.Fatalf("totals %+v", tot)
	}
	solvent(t, c)
}

// The chit rules refuse a commission above the Act's 7% cap, and the organizer's round
// needs a bidding or lottery circle.
func TestChitFundRulesValidate(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 5, 2000, 0)
	cfg.Fee, cfg.Rules = token.MustRatio(8, 100), rosca.ChitFundRules()
	if _, err := rosca.New(cfg); err == nil {
		t.Fatal("a commission of 8% passed the 7% cap")
	}
	cfg.Fee, cfg.Rules.MinBid = token.MustRatio(5, 100), token.MustRatio(96, 100)
	if _, err := rosca.New(cfg); err == nil {
		t.Fatal("a 96% minimum bid under a 5% commission out of the discount")
	}
	cfg.Rules.MinBid, cfg.Kind = token.MustRatio(70, 100), rosca.FixedOrder
	if _, err := rosca.New(cfg); err == nil {
		t.Fatal("an organizer's round in a fixed-order circle")
	}
}

// The other convention takes the commission out of the prize: A takes 7,000 - 500 = 6,500
// and the whole discount, 3,000, is the dividend, 600 a ticket.
func TestChitCommissionFromPrize(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 5, 2000, 0)
	cfg.Fee, cfg.Rules = token.MustRatio(5, 100), rosca.ChitFundRules()
	cfg.Rules.Fee = rosca.FeeCommissionFromPrize
	c := mustNew(t, cfg)
	for r := range 2 {
		contributeAll(t, c, at(r), wei(2000))
		if r == 1 {
			ok(t, c.Bid(at(r), "m1", wei(7000)))
		}
		_, err := c.CloseRound(at(r + 1))
		ok(t, err)
	}
	res := c.Rounds()[1]
	if units(res.Winnings) != 6500 || units(res.Fee) != 500 || units(res.ShareEach) != 600 {
		t.Fatalf("round 2 %+v", res)
	}
	audit(t, c)
	checkReplay(t, c)
}
