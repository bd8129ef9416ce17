package reputation_test

import (
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/reputation"
)

// delays draws, for each of the rounds, how long after the round opened "s" pays it (at
// most 3 weeks, or never).
func delays(t *rapid.T, rounds int) []time.Duration {
	return rapid.SliceOfN(rapid.SampledFrom([]time.Duration{0, 3 * day, 6 * day, week, week + 1, 9 * day, 3 * week, -1}),
		rounds, rounds).Draw(t, "delays")
}

// scripted runs a fixed-order circle of "r", "s", "u" where the others pay at each round's
// opening and s pays round k at its opening plus d[k] (never for -1); round k closes a day
// after its deadline. Payments after the end are dropped.
func scripted(t *rapid.T, d []time.Duration) reputation.CircleLog {
	c := cfg("r", "s", "u")
	var steps []step
	for k := range 3 {
		open := march1.Add(time.Duration(k) * week)
		steps = append(steps, pay(open, "r"), pay(open, "u"), closeAt(deadline(k+1).Add(day)))
		if d[k] >= 0 {
			steps = append(steps, pay(open.Add(d[k]), "s"))
		}
	}
	slices.SortStableFunc(steps, func(a, b step) int { return a.At.Compare(b.At) })
	var kept []step
	end := deadline(3).Add(day)
	for _, s := range steps {
		if s.Member == "" || s.At.Before(end) {
			kept = append(kept, s)
		}
	}
	return logOf("c", run(t, c, kept...))
}

// TestRapidPayingLaterNeverRaises: delaying any of a member's payments never raises its
// score.
func TestRapidPayingLaterNeverRaises(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := delays(t, 3)
		later := slices.Clone(d)
		k := rapid.IntRange(0, 2).Draw(t, "round")
		if later[k] >= 0 {
			later[k] = rapid.SampledFrom([]time.Duration{later[k], later[k] + day, later[k] + 2*week, -1}).Draw(t, "later")
		}
		a := compute(t, "s", nil, scripted(t, d))
		b := compute(t, "s", nil, scripted(t, later))
		if b.Score > a.Score || b.Total.Cmp(a.Total) > 0 {
			t.Fatalf("paying later raised the score:\n%s\n%s", a.Explain(), b.Explain())
		}
	})
}

// TestRapidMoreOnTimeNeverLowers: adding a circle paid on time never lowers a score, and
// the order of the circles does not change it.
func TestRapidMoreOnTimeNeverLowers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 3).Draw(t, "circles")
		var logs []reputation.CircleLog
		for i := range n {
			l := scripted(t, delays(t, 3))
			l.ID = string(rune('a' + i))
			logs = append(logs, l)
		}
		before := compute(t, "s", nil, logs...)
		good := scripted(t, []time.Duration{0, 0, 0})
		good.ID = "z"
		after := compute(t, "s", nil, append(slices.Clone(logs), good)...)
		if after.Total.Cmp(before.Total) < 0 {
			t.Fatalf("an on-time circle lowered the score:\n%s\n%s", before.Explain(), after.Explain())
		}
		slices.Reverse(logs) // slices.Values sequences may be ranged over again
		rev := compute(t, "s", nil, logs...)
		if rev.Total.Cmp(before.Total) != 0 || rev.Explain() != before.Explain() {
			t.Fatalf("the order of the circles changed the score:\n%s\n%s", before.Explain(), rev.Explain())
		}
	})
}
