package simulate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

// threeInTurn is one fixed-order circle of three members paying $10 a round with a 2% fee:
// each pot of $30 pays out $29.40, of which the next round's due of $10 stays in the
// circle, so seat 0's flows are +9.40, 0, -10; seat 1's -10, +9.40, 0; seat 2's -10, -10,
// +19.40 (its last due is withheld from its pot).
func threeInTurn() simulate.Scenario {
	return simulate.Scenario{
		Name: "turn",
		Circle: rosca.Config{Asset: usd(), Kind: rosca.FixedOrder, Contribution: usd().MustParse("10"),
			Fee: token.MustRatio(2, 100)},
		Members: simulate.Seats(3, simulate.Member{}), Circles: 1, Seed: 1, Digits: 8,
		NPV: true, Benchmark: rates.MustRate(1, 100),
		MIRR: true, Finance: rates.MustRate(1, 100), Reinvest: rates.MustRate(1, 100),
	}
}

// TestNPVAndMIRRPerMember checks the records against figures worked out by hand.
//
// At 1% a round, with v = 1/1.01:
//
//	seat 0: 9.40 - 10 v^2          = 9.40 - 9.802960          = -0.402960 -> -0.40
//	seat 1: -10 + 9.40 v           = -10 + 9.306931           = -0.693069 -> -0.69
//	seat 2: -10 - 10 v + 19.40 v^2 = -10 - 9.900990 + 19.017743 = -0.883247 -> -0.88
//
// The modified rates at 1% and 1%: PV is the payments discounted to round 1, FV the receipts
// compounded to round 3, (1 + Return)^2 = FV / PV and (1 + Cost)^2 = 1.01^4 PV / FV.
//
//	seat 0: PV = 9.802960, FV = 9.40 x 1.0201 = 9.588940: Return -1.09764%, Cost 3.14212%;
//	        its running totals before the last round (+9.40, +9.40) sum above zero: a
//	        borrower, who reads the cost.
//	seat 1: PV = 10, FV = 9.40 x 1.01 = 9.494: Return -2.56284%, Cost 4.69312%; running
//	        totals -10, -0.60: a saver, who reads the return.
//	seat 2: PV = 10 + 9.900990 = 19.900990, FV = 19.40: Return -1.26673%, Cost 3.31877%, a
//	        saver.
func TestNPVAndMIRRPerMember(t *testing.T) {
	_, ms, err := simulate.RunOne(threeInTurn(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range []struct {
		npv          string
		role         rates.Role
		ret, cost, r string
	}{
		{"-0.40", rates.Borrower, "-1.09764%", "3.14212%", "3.14212%"},
		{"-0.69", rates.Saver, "-2.56284%", "4.69312%", "-2.56284%"},
		{"-0.88", rates.Saver, "-1.26673%", "3.31877%", "-1.26673%"},
	} {
		m := ms[k]
		if got := m.NPV.Number(); got != w.npv {
			t.Errorf("seat %d: NPV %s, want %s", k, got, w.npv)
		}
		if m.MIRR.Role() != w.role || m.MIRR.Return().Percent(5, rates.HalfEven) != w.ret ||
			m.MIRR.Cost().Percent(5, rates.HalfEven) != w.cost ||
			m.MIRR.Rate().Percent(5, rates.HalfEven) != w.r {
			t.Errorf("seat %d: MIRR %v (return %s, cost %s), want %v %s %s", k, m.MIRR, m.MIRR.Return().Percent(5, rates.HalfEven),
				m.MIRR.Cost().Percent(5, rates.HalfEven), w.role, w.ret, w.cost)
		}
	}
	// The records carry them: JSON and CSV.
	if j := string(ms[0].AppendJSON(nil)); !strings.HasSuffix(j, `,"npv":"-0.40 USD","mirr_role":"borrower","mirr":"3.142125%"}`) {
		t.Errorf("JSON %s", j)
	}
	// (the deterrents' columns follow)
	if c := string(ms[1].AppendCSV(nil)); !strings.Contains(c, ",-0.69,saver,-2.562841%,") {
		t.Errorf("CSV %s", c)
	}
	// And the seat summaries.
	var agg simulate.Aggregate
	if err := simulate.Run(context.Background(), threeInTurn(), simulate.Options{}, &agg); err != nil {
		t.Fatal(err)
	}
	s := agg.Seats()
	if s[0].NPVRuns != 1 || s[0].NPV.Median.Number() != "-0.40" || s[0].Borrowers != 1 || s[1].Savers != 1 ||
		s[2].MIRR.N != 1 || s[2].MIRR.Median > -0.012667 || s[2].MIRR.Median < -0.012668 {
		t.Errorf("seats %+v", s)
	}
}

// TestMIRRNeedsDigits: a scenario computing modified rates must set their precision.
func TestMIRRNeedsDigits(t *testing.T) {
	sc := threeInTurn()
	sc.Digits = 0
	if err := sc.Validate(); err == nil || !strings.Contains(err.Error(), "MIRR") {
		t.Errorf("MIRR without Digits: %v", err)
	}
}
