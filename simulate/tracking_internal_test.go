package simulate

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// TestRapidTrackedStanding: what the simulation follows itself, so as not to read the
// positions after every close (the epoch of each member's last win, whether it holds a pot
// as a debt), is what the circle says after every close: WonThisEpoch and Debt.
func TestRapidTrackedStanding(t *testing.T) {
	usd, _ := token.NewAsset("USD", 2)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 5).Draw(t, "members")
		ms := Seats(n, Member{Valuation: Valuation{Low: token.MustRatio(70, 100), High: token.One()}, Bidder: Undercut{}})
		for i := range ms {
			switch rapid.IntRange(0, 3).Draw(t, "payer") {
			case 1:
				ms[i].Payer = Late{Rounds: rapid.IntRange(1, 3).Draw(t, "late rounds"), Probability: token.MustRatio(1, 3)}
			case 2:
				ms[i].Payer = Part{Share: token.MustRatio(1, 2)}
			case 3:
				ms[i].Payer = Stop{From: rapid.IntRange(1, 2*n).Draw(t, "stop")}
			}
		}
		kind := []rosca.Kind{rosca.Lottery, rosca.Bidding}[rapid.IntRange(0, 1).Draw(t, "kind")]
		sc := Scenario{Members: ms, Circles: 1, Seed: rapid.Uint64().Draw(t, "seed"),
			Circle: rosca.Config{Asset: usd, Kind: kind, Contribution: usd.MustParse("10"), Epochs: rapid.IntRange(1, 2).Draw(t, "epochs")}}
		c, err := sc.compile()
		if err != nil {
			t.Fatal(err)
		}
		s := newSim(c)
		checks := 0
		s.checkClose = func(circle *rosca.Circle) {
			rs := circle.Round()
			for k, m := range c.cfg.Members {
				p, _ := circle.Position(m)
				if p.Debt != s.debt[k] || !rs.Ended && p.WonThisEpoch != (s.wonEpoch[k] == rs.Epoch) {
					t.Fatalf("seat %d after round %d: circle says debt %v, won this epoch %v; tracked %v, epoch %d of %d",
						k, rs.Round, p.Debt, p.WonThisEpoch, s.debt[k], s.wonEpoch[k], rs.Epoch)
				}
			}
			checks++
		}
		var out result
		if err := s.run(0, &out); err != nil {
			t.Fatal(err)
		}
		if checks == 0 {
			t.Fatal("no close checked")
		}
	})
}
