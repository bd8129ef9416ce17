package rosca_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// auctionCircle is a 4-member bidding circle of 1000 wei a round (pot 4000), no fee, a
// minimum bid of 50% and the given rules edits; every member pays round 1.
func auctionCircle(t *testing.T, edit func(*rosca.Rules)) *rosca.Circle {
	t.Helper()
	cfg := weiCfg(rosca.Bidding, 4, 1000, 0)
	cfg.Rules.MinBid = token.MustRatio(1, 2)
	edit(&cfg.Rules)
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	return c
}

// With NextBid 100% and TieByLot, equal lowest bids tie and the close draws the winner
// among them from the seed: the result records the lot, replay draws it again, and a log
// naming another of the tied bidders is refused.
func TestTiesByLot(t *testing.T) {
	c := auctionCircle(t, func(r *rosca.Rules) { r.NextBid, r.Ties = token.One(), rosca.TieByLot })
	ok(t, c.Bid(at(0), "m1", wei(3000)))
	ok(t, c.Bid(at(0), "m2", wei(2500)))
	ok(t, c.Bid(at(0), "m3", wei(2500)))
	ok(t, c.Bid(at(0), "m0", wei(2500)))
	ok(t, c.Bid(at(0), "m3", wei(2500))) // again: still one of the tied
	if r := c.Round(); r.Leader != "m2" || units(r.MaxBid) != 2500 {
		t.Fatalf("round %+v", r)
	}
	res, err := c.CloseRound(at(1))
	ok(t, err)
	tied := []token.Account{"m2", "m3", "m0"}
	if res.Method != rosca.ByLot || res.Candidates != 3 || res.Winner != tied[res.DrawStart] || units(res.Bid) != 2500 {
		t.Fatalf("result %+v", res)
	}
	checkReplay(t, c)
	// A log that gives the round to another tied bidder does not replay.
	events := c.Events()
	forged := *events[len(events)-1].Result
	forged.Winner = tied[(res.DrawStart+1)%3]
	events[len(events)-1].Result = &forged
	if _, err := rosca.Replay(c.Config(), slices.Values(events)); err == nil {
		t.Fatal("a forged lot replayed")
	}
}

// Under TieFirst an equal bid is accepted and the first bidder keeps the lead.
func TestTiesFirstBidder(t *testing.T) {
	c := auctionCircle(t, func(r *rosca.Rules) { r.NextBid = token.One() })
	ok(t, c.Bid(at(0), "m1", wei(2500)))
	ok(t, c.Bid(at(0), "m2", wei(2500)))
	rejects(t, c, rosca.ErrBidTooHigh, func() error { return c.Bid(at(0), "m3", wei(2501)) })
	res, err := c.CloseRound(at(1))
	ok(t, err)
	if res.Method != rosca.ByBid || res.Winner != "m1" {
		t.Fatalf("result %+v", res)
	}
}

// Under PriceSecondBid the winner takes the second-best bid, the lowest by another
// member; a lone bidder takes the largest acceptable bid; the result keeps its offer.
func TestSecondPrice(t *testing.T) {
	c := auctionCircle(t, func(r *rosca.Rules) { r.Price = rosca.PriceSecondBid })
	ok(t, c.Bid(at(0), "m1", wei(3500)))
	ok(t, c.Bid(at(0), "m2", wei(3000)))
	ok(t, c.Bid(at(0), "m2", wei(2900))) // the leader undercuts itself: the second stays m1's
	res, err := c.CloseRound(at(1))
	ok(t, err)
	if res.Winner != "m2" || units(res.Bid) != 3500 || units(res.Offered) != 2900 || units(res.Winnings) != 3500 {
		t.Fatalf("result %+v", res)
	}
	b, _ := json.Marshal(res)
	if !strings.Contains(string(b), `"offered":"0.000000000000002900 ETH"`) {
		t.Fatalf("json %s", b)
	}
	contributeAll(t, c, at(1), wei(1000))
	ok(t, c.Bid(at(1), "m3", wei(2000)))
	res, err = c.CloseRound(at(2))
	ok(t, err)
	if res.Winner != "m3" || units(res.Bid) != 4000 || units(res.Offered) != 2000 {
		t.Fatalf("lone bidder %+v", res)
	}
	audit(t, c)
	checkReplay(t, c)
}

// MaxBid caps the first bid (the smallest discount) and Step the next ones by an amount.
func TestMaxBidAndStep(t *testing.T) {
	c := auctionCircle(t, func(r *rosca.Rules) {
		r.MaxBid, r.NextBid, r.Step = token.MustRatio(95, 100), token.One(), wei(100)
	})
	if r := c.Round(); units(r.MaxBid) != 3800 {
		t.Fatalf("max bid %s", r.MaxBid)
	}
	e := rejects(t, c, rosca.ErrBidTooHigh, func() error { return c.Bid(at(0), "m1", wei(3801)) })
	if units(e.Limit) != 3800 || !strings.Contains(e.Detail, "MaxBid") {
		t.Fatalf("%+v", e)
	}
	ok(t, c.Bid(at(0), "m1", wei(3800)))
	e = rejects(t, c, rosca.ErrBidTooHigh, func() error { return c.Bid(at(0), "m2", wei(3701)) })
	if units(e.Limit) != 3700 || !strings.Contains(e.Detail, "step") {
		t.Fatalf("%+v", e)
	}
	ok(t, c.Bid(at(0), "m2", wei(3700)))
	if back := roundTripJSON(t, c.Config()); !back.Rules.Step.Equal(wei(100)) || !back.Rules.MaxBid.Equal(token.MustRatio(95, 100)) {
		t.Fatalf("rules through JSON %+v", back.Rules)
	}
	checkReplay(t, c)
}

// Under NoBidFirstUnpaid a round without bids goes to the first member in seat order who
// has not won and is in good standing, without a draw.
func TestNoBidFirstUnpaid(t *testing.T) {
	c := auctionCircle(t, func(r *rosca.Rules) { r.NoBid = rosca.NoBidFirstUnpaid })
	res, err := c.CloseRound(at(1))
	ok(t, err)
	if res.Winner != "m0" || res.Method != rosca.BySeat || res.Candidates != 0 {
		t.Fatalf("round 1 %+v", res)
	}
	ok(t, c.Contribute(at(1), "m2", wei(1000))) // m1 does not pay round 2
	ok(t, c.Contribute(at(1), "m3", wei(1000)))
	res, err = c.CloseRound(at(2))
	ok(t, err)
	if res.Winner != "m2" || res.Debt {
		t.Fatalf("round 2 %+v, want m2, the first unpaid member in good standing", res)
	}
	checkReplay(t, c)
}
