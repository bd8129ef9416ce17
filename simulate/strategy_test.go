package simulate_test

import (
	"math/rand/v2"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

// four returns a four-member scenario of $10 a round with a 2% fee, every member on time but
// seat 1, which follows p.
func four(kind rosca.Kind, p simulate.Payer) simulate.Scenario {
	ms := simulate.Seats(4, simulate.Member{})
	ms[1].Payer = p
	return simulate.Scenario{Name: "four", Members: ms, Circles: 1, Seed: 3,
		Circle: rosca.Config{Asset: usd(), Kind: kind, Contribution: usd().MustParse("10"), Fee: token.MustRatio(2, 100)}}
}

func one(t *testing.T, sc simulate.Scenario) (simulate.CircleRecord, []simulate.MemberRecord) {
	t.Helper()
	c, ms, err := simulate.RunOne(sc, 0)
	if err != nil {
		t.Fatal(err)
	}
	return c, ms
}

func TestOnTime(t *testing.T) {
	c, ms := one(t, four(rosca.Lottery, nil))
	if c.Defaulters != 0 || c.LatePayments != 0 || !c.Losses.IsZero() || c.Fees.String() != "3.20 USD" {
		t.Errorf("circle %+v", c)
	}
	for _, m := range ms {
		// Each pot of 40 pays 39.20 to its winner: every net is -0.80.
		if m.Net.String() != "-0.80 USD" || m.Wins != 1 {
			t.Errorf("member %s: net %s, wins %d", m.Member, m.Net, m.Wins)
		}
	}
}

func TestLateAndStopAndPart(t *testing.T) {
	_, ms := one(t, four(rosca.Lottery, simulate.Late{Rounds: 2, Probability: token.One()}))
	// It misses round 1, stays behind in round 2, pays both in round 3.
	if ms[1].Late < 2 || ms[1].Contributed.IsZero() {
		t.Errorf("Late{2, 1}: late %d, owed %s", ms[1].Late, ms[1].Owed)
	}
	c, ms := one(t, four(rosca.FixedOrder, simulate.Stop{From: 3}))
	// Seat 1 wins round 2 (fixed order), then stops: it ends owing, the others lose.
	if !ms[1].Owed.IsPositive() || c.Defaulters != 1 || !ms[1].Net.IsPositive() {
		t.Errorf("Stop{3}: owed %s, net %s, defaulters %d", ms[1].Owed, ms[1].Net, c.Defaulters)
	}
	if !ms[1].Contributed.Equal(usd().MustParse("20")) {
		t.Errorf("Stop{3} paid %s, want 20 (rounds 1 and 2)", ms[1].Contributed)
	}
	_, ms = one(t, four(rosca.Lottery, simulate.Part{Share: token.MustRatio(1, 2)}))
	if ms[1].Late != 4 || !ms[1].Contributed.Equal(usd().MustParse("20")) {
		t.Errorf("Part{1/2}: late %d, contributed %s", ms[1].Late, ms[1].Contributed)
	}
	c, _ = one(t, func() simulate.Scenario {
		sc := four(rosca.Lottery, simulate.Stop{})
		sc.Enforcer = simulate.HaltWhenBehind{Rounds: 1}
		return sc
	}())
	if !c.Halted || c.Closed != 1 {
		t.Errorf("HaltWhenBehind{1} with a member who never pays: halted %v after %d rounds", c.Halted, c.Closed)
	}
}

func auction(val, maxBid string, pass int) *simulate.Auction {
	return &simulate.Auction{Turn: simulate.Turn{Rand: rand.New(rand.NewPCG(1, 2))}, Pass: pass,
		Pot: usd().MustParse("100"), MinBid: usd().MustParse("65"), MaxBid: usd().MustParse(maxBid),
		Valuation: usd().MustParse(val)}
}

func TestBidders(t *testing.T) {
	check := func(name string, b simulate.Bidder, a *simulate.Auction, want string) {
		t.Helper()
		x, ok := b.Bid(a)
		got := "pass"
		if ok {
			got = x.Number()
		}
		if got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	check("truthful", simulate.Truthful{}, auction("80", "100", 1), "80.00")
	check("truthful, second pass", simulate.Truthful{}, auction("80", "100", 2), "pass")
	check("truthful, above the cap", simulate.Truthful{}, auction("80", "75", 1), "pass")
	check("shaded 1/2", simulate.Shaded{Shade: token.MustRatio(1, 2)}, auction("80", "100", 1), "90.00")
	check("shaded to the cap", simulate.Shaded{Shade: token.MustRatio(1, 2)}, auction("80", "85", 1), "85.00")
	check("undercut", simulate.Undercut{}, auction("80", "90", 3), "90.00")
	check("undercut below valuation", simulate.Undercut{}, auction("80", "78", 3), "pass")
	check("no bid", simulate.NoBid{}, auction("80", "90", 1), "pass")
	check("random, never", simulate.RandomBid{}, auction("80", "90", 1), "pass")
	x, ok := simulate.RandomBid{Probability: token.One()}.Bid(auction("80", "90", 1))
	if !ok || x.Cmp(usd().MustParse("65")) < 0 || x.Cmp(usd().MustParse("90")) > 0 {
		t.Errorf("random: %s %v, want within 65 and 90", x, ok)
	}
}

func TestUndercutAuctionGoesToTheMostEager(t *testing.T) {
	ms := simulate.Seats(4, simulate.Member{Bidder: simulate.Undercut{}})
	for i := range ms {
		v := token.MustRatio(uint64(70+5*i), 100) // seat 0 is the most eager
		ms[i].Valuation = simulate.Valuation{Low: v, High: v}
	}
	sc := simulate.Scenario{Members: ms, Circles: 1, Seed: 9,
		Circle: rosca.Config{Asset: usd(), Kind: rosca.Bidding, Contribution: usd().MustParse("10"), Fee: token.MustRatio(2, 100)}}
	_, recs := one(t, sc)
	if recs[0].Won != 1 {
		t.Errorf("seat 0 won round %d, want 1", recs[0].Won)
	}
	// It took the pot at about the second most eager valuation, 75% of 40, within one step.
	if recs[0].Bid.Cmp(usd().MustParse("29")) < 0 || recs[0].Bid.Cmp(usd().MustParse("31")) > 0 {
		t.Errorf("seat 0 bid %s, want near 30", recs[0].Bid)
	}
}

func TestUsersOwnStrategies(t *testing.T) {
	calls := 0
	sc := four(rosca.Lottery, simulate.PayerFunc(func(t *simulate.Turn) token.Amount {
		calls++ // one circle on one goroutine: safe here
		return t.Contribution
	}))
	sc.Enforcer = simulate.EnforcerFunc(func(g *simulate.Group) bool { return g.Round == 2 })
	c, _ := one(t, sc)
	if calls != 2 || !c.Halted || c.Closed != 2 {
		t.Errorf("calls %d, halted %v after %d", calls, c.Halted, c.Closed)
	}
}

// A user's enforcer sees every member's position after the close, in seat order, and a
// payer sees its own position when the round opens.
func TestUsersOwnStrategiesSeePositions(t *testing.T) {
	var seen []string
	sc := four(rosca.Lottery, simulate.PayerFunc(func(t *simulate.Turn) token.Amount {
		if t.Position.Member != t.Member || t.Position.Seat != t.Seat {
			panic("a turn with another member's position")
		}
		return t.Owed
	}))
	sc.Enforcer = simulate.EnforcerFunc(func(g *simulate.Group) bool {
		for k, p := range g.Positions {
			if p.Seat != k || p.Member != sc.Members[k].Account {
				seen = append(seen, "bad")
			}
		}
		seen = append(seen, string(rune('0'+len(g.Positions))))
		return false
	})
	if c, _ := one(t, sc); c.Halted || len(seen) != c.Closed || seen[0] != "4" {
		t.Errorf("enforcer saw %v over %d rounds", seen, c.Closed)
	}
}
