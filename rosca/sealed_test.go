package rosca_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
	"github.com/trustcircle/trustcircle/token"
)

// A sealed second-price round: three members seal bids during the round; nobody's bid is
// seen before the deadline; from the deadline they reveal (a reveal not matching its seal
// is refused, a bid above the others is still accepted); the lowest takes the second
// lowest; an unrevealed seal bids nothing.
func TestGoldenSealedSecondPrice(t *testing.T) {
	c := auctionCircle(t, func(r *rosca.Rules) { r.Sealed, r.Price = true, rosca.PriceSecondBid })
	salt := func(b byte) rosca.Salt { return rosca.Salt{b, 7} }
	seal := func(m string, x int64, s byte) rosca.Seal { return rosca.SealOf(1, token.Account(m), wei(x), salt(s)) }
	rejects(t, c, rosca.ErrSealedBids, func() error { return c.Bid(at(0), "m1", wei(3000)) })
	ok(t, c.SealBid(at(0), "m1", seal("m1", 3500, 1)))
	ok(t, c.SealBid(at(0), "m2", seal("m2", 9999, 2)))
	ok(t, c.SealBid(at(0), "m2", seal("m2", 2500, 2))) // replaces its first seal
	ok(t, c.SealBid(at(0), "m3", seal("m3", 3000, 3)))
	ok(t, c.SealBid(at(0), "m0", seal("m0", 2000, 4))) // never revealed
	if r := c.Round(); r.Leader != "" || !r.LowestBid.IsZero() {
		t.Fatalf("a sealed round shows its bids: %+v", r)
	}
	rejects(t, c, rosca.ErrTooEarly, func() error { return c.RevealBid(at(0), "m1", wei(3500), salt(1)) })
	rejects(t, c, rosca.ErrTooLate, func() error { return c.SealBid(at(1), "m1", seal("m1", 2100, 1)) })
	rejects(t, c, rosca.ErrBadReveal, func() error { return c.RevealBid(at(1), "m1", wei(3400), salt(1)) })
	rejects(t, c, rosca.ErrBadReveal, func() error { return c.RevealBid(at(1), "m2", wei(9999), salt(2)) })
	ok(t, c.RevealBid(at(1), "m2", wei(2500), salt(2)))
	ok(t, c.RevealBid(at(1), "m1", wei(3500), salt(1))) // above the lowest: still a bid
	ok(t, c.RevealBid(at(1), "m3", wei(3000), salt(3)))
	rejects(t, c, rosca.ErrBadReveal, func() error { return c.RevealBid(at(1), "m3", wei(3000), salt(3)) }) // once
	res, err := c.CloseRound(at(1))
	ok(t, err)
	if res.Winner != "m2" || units(res.Offered) != 2500 || units(res.Bid) != 3000 {
		t.Fatalf("result %+v", res)
	}
	// The seal and the salt are in the log, and the log replays.
	var sealed, revealed int
	for e := range c.EventsAfter(0) {
		b, _ := json.Marshal(e)
		switch e.Kind {
		case rosca.EventBidSealed:
			sealed++
			if !strings.Contains(string(b), `"seal":"`) {
				t.Fatalf("%s", b)
			}
		case rosca.EventBidRevealed:
			revealed++
			if !strings.Contains(string(b), `"salt":"`) {
				t.Fatalf("%s", b)
			}
		}
		if back := roundTripJSON(t, e); !back.Equal(e) {
			t.Fatalf("%s does not round-trip", b)
		}
	}
	if sealed != 5 || revealed != 3 {
		t.Fatalf("%d seals, %d reveals", sealed, revealed)
	}
	checkReplay(t, c)
}

// SealBid and RevealBid need a sealed bidding circle, a member who may bid, a seal.
func TestSealedErrors(t *testing.T) {
	open := auctionCircle(t, func(*rosca.Rules) {})
	rejects(t, open, rosca.ErrSealedBids, func() error { return open.SealBid(at(0), "m1", rosca.Seal{1}) })
	c := auctionCircle(t, func(r *rosca.Rules) { r.Sealed = true })
	rejects(t, c, rosca.ErrInvalidAmount, func() error { return c.SealBid(at(0), "m1", rosca.Seal{}) })
	rejects(t, c, rosca.ErrNotMember, func() error { return c.SealBid(at(0), "x", rosca.Seal{1}) })
	rejects(t, c, rosca.ErrBadReveal, func() error { return c.RevealBid(at(1), "m1", wei(3000), rosca.Salt{}) })
	var s rosca.Seal
	if err := s.UnmarshalText([]byte("zz")); err == nil {
		t.Fatal("a seal of two letters")
	}
	if b, _ := (rosca.Seal{0xab}).MarshalText(); !strings.HasPrefix(string(b), "ab00") || len(b) != 64 {
		t.Fatalf("seal text %s", b)
	}
}

// TestRapidSealedRound: in random sealed bidding circles every member pays, some seal a
// bid, some reveal it (some first reveal wrongly) at the deadline; the close gives the round
// to a lowest revealed bid (the first revealed of equal ones under TieFirst, one of them
// under TieByLot), whose own bid is within the limits, at the price the rules say; the
// books audit and the log replays.
func TestRapidSealedRound(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.Config().Draw(t, "config")
		cfg.Kind, cfg.Rules.Sealed, cfg.Rules.Organizer = rosca.Bidding, true, false
		c, err := rosca.New(cfg)
		if err != nil {
			t.Skip(err)
		}
		must := func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, m := range cfg.Members {
			must(c.Contribute(c.Now(), m, cfg.Contribution))
		}
		r := c.Round()
		pot, live := r.Pot.Units(), int64(r.Unpaid-1)
		takes := func(amount token.Amount) *big.Int { // what a bid takes, as the circle counts it
			x := amount.Units()
			switch cfg.Rules.BidForm {
			case rosca.BidDiscount:
				return x.Sub(pot, x)
			case rosca.BidInterest:
				return x.Sub(pot, x.Mul(x, big.NewInt(live)))
			}
			return x
		}
		type offer struct {
			who    token.Account
			amount token.Amount
			salt   rosca.Salt
		}
		var offers []offer
		for i, m := range cfg.Members {
			if !rapid.Bool().Draw(t, "seals") {
				continue
			}
			taken := new(big.Int).Sub(r.MaxBid.Units(), r.MinBid.Units())
			taken.Mul(taken, big.NewInt(rapid.Int64Range(0, 1000).Draw(t, "pm")))
			taken.Quo(taken, big.NewInt(1000)).Add(taken, r.MinBid.Units())
			tk, _ := cfg.Asset.FromUnits(taken)
			amount := roscatest.BidIn(c, tk)
			if !amount.IsPositive() {
				continue
			}
			salt := rosca.Salt{byte(i), 9}
			must(c.SealBid(c.Now(), m, rosca.SealOf(r.Round, m, amount, salt)))
			if rapid.Bool().Draw(t, "reveals") {
				offers = append(offers, offer{m, amount, salt})
			}
		}
		var low *big.Int
		lowest := map[token.Account]bool{}
		for _, o := range offers {
			if rapid.IntRange(0, 5).Draw(t, "wrong") == 0 {
				if err := c.RevealBid(r.Deadline, o.who, o.amount, rosca.Salt{42}); !errors.Is(err, rosca.ErrBadReveal) {
					t.Fatalf("a wrong salt: %v", err)
				}
			}
			err := c.RevealBid(r.Deadline, o.who, o.amount, o.salt)
			if err != nil && !errors.Is(err, rosca.ErrBidTooHigh) && !errors.Is(err, rosca.ErrBidTooLow) {
				t.Fatalf("reveal %v: %v", o, err)
			}
			if err != nil {
				continue
			}
			switch x := takes(o.amount); {
			case low == nil || x.Cmp(low) < 0:
				low, lowest = x, map[token.Account]bool{o.who: true}
			case x.Cmp(low) == 0:
				lowest[o.who] = true
			}
		}
		res, err := c.CloseRound(r.Deadline)
		must(err)
		if low == nil {
			if res.Method == rosca.ByBid || res.Method == rosca.ByLot {
				t.Fatalf("no bid revealed, but %+v", res)
			}
			return
		}
		own := res.Bid
		if cfg.Rules.Price == rosca.PriceSecondBid {
			own = res.Offered
			if res.Bid.Cmp(own) < 0 {
				t.Fatalf("second price %s below the winner's bid %s", res.Bid, own)
			}
		}
		if !lowest[res.Winner] || own.Units().Cmp(low) != 0 {
			t.Fatalf("winner %s at %s; the lowest revealed take was %s by %v", res.Winner, own, low, lowest)
		}
		must(c.Audit())
		checkReplayRapid(t, c)
	})
}
