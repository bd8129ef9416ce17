package rosca_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
	"github.com/trustcircle/trustcircle/token"
)

// CanBid says, without trying, what Bid would say: nil for an eligible bidder, else the
// same reason and fields.
func TestCanBid(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	ok(t, c.Contribute(at(0), "m0", wei(1000)))
	ok(t, c.Contribute(at(0), "m1", wei(999)))
	ok(t, c.CanBid(at(0), "m0"))
	before := c.Snapshot()
	for _, tc := range []struct {
		who  token.Account
		when int
		want error
	}{
		{"m1", 0, rosca.ErrNotInGoodStanding},
		{"stranger", 0, rosca.ErrNotMember},
		{"m0", -1, rosca.ErrTimeBackwards},
	} {
		err := c.CanBid(at(tc.when), tc.who)
		bid := c.Clone().Bid(at(tc.when), tc.who, wei(2000))
		ce, _ := errors.AsType[*rosca.Error](err)
		be, _ := errors.AsType[*rosca.Error](bid)
		if !errors.Is(err, tc.want) || !errors.Is(bid, tc.want) || ce == nil || be == nil ||
			ce.Detail != be.Detail || !ce.Limit.Equal(be.Limit) || ce.Round != be.Round {
			t.Errorf("%s: CanBid %v, Bid %v", tc.who, err, bid)
		}
	}
	unchanged(t, before, c)
	ok(t, c.Bid(at(0), "m0", wei(2000)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	if err := c.CanBid(at(1), "m0"); !errors.Is(err, rosca.ErrAlreadyWon) {
		t.Fatal(err)
	}
	lot := mustNew(t, weiCfg(rosca.Lottery, 2, 1000, 20))
	if err := lot.CanBid(at(0), "m0"); !errors.Is(err, rosca.ErrNotBidding) {
		t.Fatal(err)
	}
	var zero rosca.Circle
	if err := zero.CanBid(at(0), "m0"); !errors.Is(err, rosca.ErrUninitialized) {
		t.Fatal(err)
	}
	if z := zero.Clone(); z == nil || z.Audit() == nil {
		t.Fatal("clone of the zero circle")
	}
}

// A clone is independent: a preview of a close on the clone leaves the circle exactly as
// it was, and the clone's log replays.
func TestClonePreview(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	contributeAll(t, c, at(0), wei(1000))
	ok(t, c.Bid(at(0), "m2", wei(2500)))
	before := c.Snapshot()
	d := c.Clone()
	rr, err := d.CloseRound(at(1))
	ok(t, err)
	if rr.Winner != "m2" || len(c.Rounds()) != 0 || d.LastSeq() != c.LastSeq()+1 {
		t.Fatalf("preview %+v", rr)
	}
	unchanged(t, before, c)
	// The circle goes on its own way; the clone keeps its own.
	ok(t, c.Bid(at(0), "m1", wei(2400)))
	got, err := c.CloseRound(at(1))
	ok(t, err)
	if got.Winner != "m1" || d.Rounds()[0].Winner != "m2" {
		t.Fatalf("after: %s and %s", got.Winner, d.Rounds()[0].Winner)
	}
	audit(t, c)
	audit(t, d)
	checkReplay(t, c)
	checkReplay(t, d)
}

// TestRapidCanBidAndClone: in random circles after random commands, CanBid agrees with a
// bid tried on a clone (nil exactly when a bid at the round's minimum is accepted, else
// the same reason), and nothing done on clones changes the circle.
func TestRapidCanBidAndClone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.Config().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range roscatest.Ops(cfg, 30).Draw(t, "ops") {
			_ = roscatest.Apply(c, op)
			before, _ := json.Marshal(c.Snapshot())
			m := rapid.SampledFrom(append(c.Members(), "stranger")).Draw(t, "bidder")
			when := c.Now()
			can := c.CanBid(when, m)
			r := c.Round()
			if r.MinBid.Cmp(r.MaxBid) > 0 {
				continue
			}
			offer := roscatest.BidIn(c, r.MinBid)
			if !offer.IsPositive() {
				continue
			}
			if cfg.Rules.BidForm == rosca.BidInterest && r.Unpaid > 1 {
				// An interest is a multiple of the live members: the bid may take more than
				// the minimum, and no interest may land in the range at all.
				taken := new(big.Int).Mul(offer.Units(), big.NewInt(int64(r.Unpaid-1)))
				if taken.Sub(r.Pot.Units(), taken).Cmp(r.MaxBid.Units()) > 0 {
					continue
				}
			}
			bid := c.Clone().Bid(when, m, offer)
			switch {
			case can == nil && bid != nil:
				t.Fatalf("CanBid(%s) nil, Bid: %v", m, bid)
			case can != nil && (bid == nil || fault.CodeOf(can) != fault.CodeOf(bid)):
				t.Fatalf("CanBid(%s) %v, Bid %v", m, can, bid)
			}
			if after, _ := json.Marshal(c.Snapshot()); string(after) != string(before) {
				t.Fatal("a preview changed the circle")
			}
		}
		if err := roscatest.Check(c); err != nil {
			t.Fatal(err)
		}
	})
}
