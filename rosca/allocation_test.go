package rosca_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// A mixed schedule: round 1 the organizer's, round 2 reserved for seat 3, round 3 a
// lottery, the rest auctions. The reserved seat may not bid before its round, the draw of
// round 3 passes over it and the organizer, and the seat takes its round.
func TestGoldenMixedSchedule(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 5, 1000, 0)
	cfg.Schedule = []rosca.Allocation{{Method: rosca.AllocateOrganizer}, {Method: rosca.AllocateSeat, Seat: 3},
		{Method: rosca.AllocateLottery}}
	cfg.Rules.Organizer = true
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	rejects(t, c, rosca.ErrNotBidding, func() error { return c.Bid(at(0), "m1", wei(4000)) })
	r, err := c.CloseRound(at(1))
	ok(t, err)
	if r.Winner != "m0" || r.Method != rosca.ByOrganizer {
		t.Fatalf("round 1 %+v", r)
	}
	contributeAll(t, c, at(1), wei(1000))
	rejects(t, c, rosca.ErrNotBidding, func() error { return c.Bid(at(1), "m1", wei(4000)) })
	if r, err = c.CloseRound(at(2)); err != nil || r.Winner != "m3" || r.Method != rosca.BySeat {
		t.Fatalf("round 2 %+v %v", r, err)
	}
	contributeAll(t, c, at(2), wei(1000))
	r, err = c.CloseRound(at(3))
	ok(t, err)
	if r.Method != rosca.ByDraw || r.Candidates != 3 || r.Winner == "m0" || r.Winner == "m3" {
		t.Fatalf("round 3 %+v", r)
	}
	var live []token.Account
	for _, p := range c.Positions() {
		if !p.WonThisEpoch {
			live = append(live, p.Member)
		}
	}
	contributeAll(t, c, at(3), wei(1000))
	ok(t, c.Bid(at(3), live[1], wei(4500)))
	if r, err = c.CloseRound(at(4)); err != nil || r.Winner != live[1] || r.Method != rosca.ByBid {
		t.Fatalf("round 4 %+v %v", r, err)
	}
	contributeAll(t, c, at(4), wei(1000))
	if r, err = c.CloseRound(at(5)); err != nil || r.Winner != live[0] {
		t.Fatalf("round 5 %+v %v", r, err)
	}
	audit(t, c)
	checkReplay(t, c)
	solvent(t, c)
}

// A seat reserved for a later round may not bid in an auction before it, and a lottery
// round of a lottery circle passes it over.
func TestReservedSeat(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 3, 1000, 0)
	cfg.Schedule = []rosca.Allocation{{Method: rosca.AllocateAuction}, {Method: rosca.AllocateAuction}, {Method: rosca.AllocateSeat, Seat: 1}}
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	rejects(t, c, rosca.ErrAlreadyWon, func() error { return c.Bid(at(0), "m1", wei(2900)) })
	for r := 1; r <= 2; r++ {
		res, err := c.CloseRound(at(r))
		ok(t, err)
		if res.Winner == "m1" {
			t.Fatalf("round %d went to the reserved seat: %+v", r, res)
		}
		contributeAll(t, c, at(r), wei(1000))
	}
	res, err := c.CloseRound(at(3))
	ok(t, err)
	if res.Winner != "m1" {
		t.Fatalf("round 3 %+v", res)
	}
	audit(t, c)
	checkReplay(t, c)
}

func TestScheduleValidate(t *testing.T) {
	for name, tc := range map[string]struct {
		kind  rosca.Kind
		sched []rosca.Allocation
	}{
		"too long":       {rosca.Bidding, []rosca.Allocation{{Method: rosca.AllocateLottery}, {Method: rosca.AllocateLottery}, {Method: rosca.AllocateLottery}, {Method: rosca.AllocateLottery}}},
		"seat twice":     {rosca.Bidding, []rosca.Allocation{{Method: rosca.AllocateSeat, Seat: 1}, {Method: rosca.AllocateSeat, Seat: 1}}},
		"seat outside":   {rosca.Lottery, []rosca.Allocation{{Method: rosca.AllocateSeat, Seat: 3}}},
		"auction":        {rosca.Lottery, []rosca.Allocation{{Method: rosca.AllocateAuction}}},
		"unknown":        {rosca.Bidding, []rosca.Allocation{{Method: "vote"}}},
		"seat elsewhere": {rosca.Bidding, []rosca.Allocation{{Method: rosca.AllocateLottery, Seat: 2}}},
		"fixed, part":    {rosca.FixedOrder, []rosca.Allocation{{Method: rosca.AllocateSeat, Seat: 2}}},
		"organizer fee":  {rosca.Bidding, []rosca.Allocation{{Method: rosca.AllocateOrganizer}}},
	} {
		cfg := weiCfg(tc.kind, 3, 1000, 10)
		cfg.Schedule = tc.sched
		if _, err := rosca.New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	cfg := weiCfg(rosca.FixedOrder, 3, 1000, 10)
	cfg.Schedule = []rosca.Allocation{{Method: rosca.AllocateSeat, Seat: 2}, {Method: rosca.AllocateSeat, Seat: 0}, {Method: rosca.AllocateSeat, Seat: 1}}
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	if r, err := c.CloseRound(at(1)); err != nil || r.Winner != "m2" {
		t.Fatalf("fixed order by schedule: %+v %v", r, err)
	}
	if got := roundTripJSON(t, cfg); len(got.Schedule) != 3 || got.Schedule[0].Seat != 2 {
		t.Fatalf("schedule JSON %+v", got.Schedule)
	}
}
