package rosca_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/rosca"
)

// TestGoldenDust reproduces the reference contract's dust example wei for wei: n = 3,
// C = 1000 wei, f = 20 per mille, ETH.
func TestGoldenDust(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	// P = 3000; minimum bid floor(3000*65/100) = 1950.

	// Round 1: everyone contributes 1000; m0 bids 1951.
	contributeAll(t, c, at(0), wei(1000))
	ok(t, c.Bid(at(0), "m0", wei(1951)))
	r1, err := c.CloseRound(at(1))
	ok(t, err)
	// RF(1951) = floor(1951*980/1000) = floor(1911.98) = 1911; RF(1049) = floor(1028.02) = 1028;
	// fee floor(1*3000*20/1000) = 60; dust 3000 - 1911 - 1028 - 60 = 1.
	checkRound(t, r1, "m0", rosca.ByBid, 1951, 1911, 1028, 60, 1)
	// totalDiscounts 1028, share floor(1028/3) = 342, totalFees 60, m0 credit 1000 + 1911 = 2911.
	tot := c.Totals()
	if units(tot.DiscountPool) != 1028 || units(tot.FeesReserved) != 60 {
		t.Fatalf("after round 1: pool %s fees %s", tot.DiscountPool, tot.FeesReserved)
	}
	if p := pos(t, c, "m0"); units(p.DiscountShare) != 342 || units(p.Contributed)+units(p.Won) != 2911 {
		t.Fatalf("m0 after round 1: %+v", p)
	}
	// getParticipantBalance = utc - C*2: [2911+342-2000, 1000+342-2000, same] = [1253, -658, -658].
	if d := cmp.Diff([]int64{1253, -658, -658}, balances(c)); d != "" {
		t.Fatalf("balances after round 1 (-want +got):\n%s", d)
	}
	audit(t, c)

	// Round 2: everyone contributes 1000; m1 bids 1951 (same figures).
	contributeAll(t, c, at(1), wei(1000))
	ok(t, c.Bid(at(1), "m1", wei(1951)))
	r2, err := c.CloseRound(at(2))
	ok(t, err)
	checkRound(t, r2, "m1", rosca.ByBid, 1951, 1911, 1028, 60, 1)
	if tot := c.Totals(); units(tot.DiscountPool) != 2056 || units(tot.FeesReserved) != 120 {
		t.Fatalf("after round 2: pool %s fees %s", tot.DiscountPool, tot.FeesReserved)
	}
	audit(t, c)

	// Round 3: everyone contributes 1000; nobody bids: m2, the only unpaid member, wins P.
	contributeAll(t, c, at(2), wei(1000))
	r3, err := c.CloseRound(at(3))
	ok(t, err)
	// RF(3000) = 2940, RF(0) = 0, fee floor(3*3000*0.02) - 120 = 60, dust 0.
	checkRound(t, r3, "m2", rosca.ByDraw, 3000, 2940, 0, 60, 0)
	if !c.Ended() {
		t.Fatal("circle not ended after the last round")
	}
	tot = c.Totals()
	// Balance 9000, fees 180, credits [4911, 4911, 5940], share floor(2056/3) = 685.
	if units(tot.Cash) != 9000 || units(tot.FeesReserved) != 180 {
		t.Fatalf("end: cash %s fees %s", tot.Cash, tot.FeesReserved)
	}
	for i, want := range []int64{4911, 4911, 5940} {
		p := c.Positions()[i]
		if got := units(p.Contributed) - units(p.Withdrawn) + units(p.Won); got != want || units(p.DiscountShare) != 685 {
			t.Fatalf("%s: credit %d share %s, want %d and 685", p.Member, got, p.DiscountShare, want)
		}
	}
	// Remainder 3 = 1 + 1 (the dust of the two bid rounds: the floors of the winnings and
	// of the discount) + 1 (2056 mod 3, the pool's undivided unit).
	if units(tot.Remainder) != 3 {
		t.Fatalf("remainder %s, want 3 wei", tot.Remainder)
	}
	audit(t, c)

	// Withdrawals: utc - C*3 = 4911+685-3000 = 2596, 2596, 5940+685-3000 = 3625.
	for m, want := range map[string]int64{"m0": 2596, "m1": 2596, "m2": 3625} {
		if got := withdraw(t, c, at(4), m); got != want {
			t.Fatalf("%s withdrew %d, want %d", m, got, want)
		}
		audit(t, c)
	}
	// The foreperson takes the fees (180) and the remainder (3); nothing is left.
	fee, err := c.RetrieveFees(at(4), "m0")
	ok(t, err)
	rem, to, err := c.DisposeRemainder(at(4), "m0")
	ok(t, err)
	if units(fee) != 180 || units(rem) != 3 || to != "m0" {
		t.Fatalf("fees %s remainder %s to %s, want 180 and 3 to m0", fee, rem, to)
	}
	if tot := c.Totals(); !tot.Cash.IsZero() || !tot.Remainder.IsZero() || !tot.FeesReserved.IsZero() {
		t.Fatalf("left over: %+v", tot)
	}
	audit(t, c)
	checkReplay(t, c)
}

func checkRound(t *testing.T, r rosca.RoundResult, winner string, how rosca.Method, bid, winnings, discount, fee, dust int64) {
	t.Helper()
	got := []int64{units(r.Bid), units(r.Winnings), units(r.Discount), units(r.Fee), units(r.Dust)}
	want := []int64{bid, winnings, discount, fee, dust}
	if string(r.Winner) != winner || r.Method != how {
		t.Fatalf("round %d won by %s (%s), want %s (%s)", r.Round, r.Winner, r.Method, winner, how)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("round %d [bid winnings discount fee dust] (-want +got):\n%s", r.Round, d)
	}
}

// checkReplay rebuilds the circle from its log, directly and through JSON, and compares.
func checkReplay(t *testing.T, c *rosca.Circle) {
	t.Helper()
	r, err := rosca.Replay(c.Config(), c.EventsAfter(0))
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if d := cmp.Diff(c.Snapshot(), r.Snapshot()); d != "" {
		t.Fatalf("replay differs (-live +replayed):\n%s", d)
	}
	s := roundTripJSON(t, c.Snapshot())
	if d := cmp.Diff(c.Snapshot(), s); d != "" {
		t.Fatalf("snapshot JSON round trip (-live +decoded):\n%s", d)
	}
	if _, err := rosca.Restore(s); err != nil {
		t.Fatalf("restore: %v", err)
	}
	checkReplayLines(t, c)
}

// checkReplayLines writes the log as JSON lines with AppendJSON, reads it back with a
// Decoder and replays it, comparing the replayed circle's snapshot with the live one.
func checkReplayLines(t testing.TB, c *rosca.Circle) {
	t.Helper()
	var buf []byte
	for e := range c.EventsAfter(0) {
		buf = append(e.AppendJSON(buf), '\n')
	}
	d := rosca.NewDecoder(bytes.NewReader(buf))
	r, err := rosca.Replay(c.Config(), d.Events())
	if err == nil {
		err = d.Err()
	}
	if err != nil {
		t.Fatalf("replay of the JSON lines: %v", err)
	}
	if a, b := roundTripJSONBytes(c.Snapshot()), roundTripJSONBytes(r.Snapshot()); a != b {
		t.Fatalf("replayed from JSON lines:\n%s\nlive:\n%s", b, a)
	}
}
