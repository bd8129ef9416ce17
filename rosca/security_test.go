package rosca_test

import (
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// The chit fund's security: five tickets of 2,000 (pot 10,000); the member prized in
// round 2 with a prize of 7,000 owes 3 future subscriptions, 6,000: movable security must
// exceed 8,000, immovable property 9,000, or it takes 7,000 - 6,000 = 1,000 now.
func TestGoldenSecurityForPrizedTicket(t *testing.T) {
	cfg := weiCfg(rosca.Bidding, 5, 2000, 0)
	cfg.Rules.MinBid = token.MustRatio(70, 100)
	c := mustNew(t, cfg)
	rejects(t, c, rosca.ErrNotPrized, func() error { _, err := c.Security("m1"); return err })
	contributeAll(t, c, at(0), wei(2000))
	ok(t, c.Bid(at(0), "m0", wei(10000)))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	contributeAll(t, c, at(1), wei(2000))
	ok(t, c.Bid(at(1), "m1", wei(7000)))
	_, err = c.CloseRound(at(2))
	ok(t, err)
	s, err := c.Security("m1")
	ok(t, err)
	if s.Round != 2 || units(s.FutureDues) != 6000 || units(s.Movable) != 8001 || units(s.Immovable) != 9001 || units(s.NetPrize) != 1000 {
		t.Fatalf("security %+v", s)
	}
	if s, _ := c.Security("m0"); units(s.FutureDues) != 6000 || units(s.NetPrize) != 4000 {
		t.Fatalf("m0 %+v", s)
	}
	rejects(t, c, rosca.ErrNotPrized, func() error { _, err := c.Security("m2"); return err })
	rejects(t, c, rosca.ErrNotMember, func() error { _, err := c.Security("x"); return err })
	// The last winner owes nothing more: no security.
	for r := 3; r <= 5; r++ {
		contributeAll(t, c, at(r-1), wei(2000))
		_, err = c.CloseRound(at(r))
		ok(t, err)
	}
	last := c.Rounds()[4].Winner
	if s, err := c.Security(last); err != nil || !s.FutureDues.IsZero() || !s.Movable.IsZero() {
		t.Fatalf("last winner %+v %v", s, err)
	}
}
