package reputation

import (
	"math/big"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// TestUnknownKindsIgnored: event kinds the tracker does not know (rosca may add some) change
// nothing in the record.
func TestUnknownKindsIgnored(t *testing.T) {
	a, _ := token.NewAsset("USD", 2)
	cfg := rosca.Config{Asset: a, Kind: rosca.FixedOrder, Members: []token.Account{"a", "b"}, Contribution: a.MustParse("10"),
		Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Period: time.Hour, Epochs: 1}
	tr := newTracker(cfg, "a")
	tr.see(rosca.Event{Seq: 1, Kind: "late_fee_charged", Member: "a", Amount: a.MustParse("100")})
	tr.see(rosca.Event{Seq: 2, Kind: rosca.EventRoundClosed}) // no result: counted as a close, no winner
	if got := tr.record("c"); got.Record != (Record{Rounds: 1, Missed: 1}) || got.Closed != 1 {
		t.Errorf("record %+v", got)
	}
}

// TestFloorAtZero: a record whose terms sum below 0 scores 0, and the floor is listed.
func TestFloorAtZero(t *testing.T) {
	ts, total := terms(Record{Rounds: 10, Missed: 10, Defaults: 10}, 0, 0)
	last := ts[len(ts)-1]
	if total.Sign() != 0 || last.Name != TermFloor {
		t.Fatalf("total %v, terms %v", total, ts)
	}
	sum := new(big.Rat)
	for _, t := range ts {
		sum.Add(sum, t.Points)
	}
	if sum.Sign() != 0 {
		t.Errorf("the terms sum to %v", sum)
	}
	// 700 - 700 x (2.5 + 10) / 15 - 1000 + 100 = -783.33...: floored by 783 1/3.
	if last.Points.Cmp(big.NewRat(2350, 3)) != 0 {
		t.Errorf("floor %v", last.Points)
	}
}

// TestDaysLate: lateness in days rounds up, across centuries (beyond time.Duration).
func TestDaysLate(t *testing.T) {
	d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		paid time.Time
		want int
	}{
		{d, 0}, {d.Add(-1), 0}, {d.Add(1), 1}, {d.Add(24 * time.Hour), 1}, {d.Add(24*time.Hour + 1), 2},
		{d.Add(-time.Nanosecond * 5).Add(48 * time.Hour), 2},
		{time.Date(2250, 1, 1, 0, 0, 0, 0, time.UTC), 127835},
	} {
		if got := daysLate(c.paid, d); got != c.want {
			t.Errorf("daysLate(%v) = %d, want %d", c.paid, got, c.want)
		}
	}
}
