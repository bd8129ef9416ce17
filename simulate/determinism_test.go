package simulate_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
)

// output runs sc with opt and returns its JSON lines and member CSV.
func output(t *testing.T, sc simulate.Scenario, opt simulate.Options, header bool) (string, string) {
	t.Helper()
	var j, c bytes.Buffer
	csv := &simulate.CSV{Members: &c, Circles: &c, Header: header}
	if err := simulate.Run(context.Background(), sc, opt, &simulate.JSONLines{W: &j}, csv); err != nil {
		t.Fatal(err)
	}
	return j.String(), c.String()
}

func TestSameOutputWhateverTheWorkers(t *testing.T) {
	for _, kind := range []rosca.Kind{rosca.Lottery, rosca.Bidding} {
		sc := mixed(kind, 40, 7)
		j1, c1 := output(t, sc, simulate.Options{Workers: 1}, true)
		for _, w := range []int{2, 4} {
			j, c := output(t, sc, simulate.Options{Workers: w}, true)
			if j != j1 || c != c1 {
				t.Errorf("%s: %d workers give another output than 1", kind, w)
			}
		}
		if n := strings.Count(j1, "\n"); n != 40*11 {
			t.Errorf("%s: %d lines, want %d", kind, n, 40*11)
		}
		// RunOne replays run 17 alone.
		c, ms, err := simulate.RunOne(sc, 17)
		if err != nil {
			t.Fatal(err)
		}
		line := string(c.AppendJSON(nil))
		if !strings.Contains(j1, line+"\n"+string(ms[0].AppendJSON(nil))+"\n") {
			t.Errorf("%s: RunOne(17) differs from the batch's run 17", kind)
		}
	}
	// Another seed, another batch.
	a, _ := output(t, mixed(rosca.Bidding, 5, 1), simulate.Options{}, false)
	b, _ := output(t, mixed(rosca.Bidding, 5, 2), simulate.Options{}, false)
	if a == b {
		t.Error("seeds 1 and 2 give the same batch")
	}
}

func sortedLines(s string) []string {
	l := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	slices.Sort(l)
	return l
}

func TestShardsMakeTheWhole(t *testing.T) {
	sc := mixed(rosca.Bidding, 23, 5)
	wholeJ, wholeC := output(t, sc, simulate.Options{}, true)
	for _, n := range []int{1, 3, 5} {
		var j, c strings.Builder
		for i := range n {
			sj, scsv := output(t, sc, simulate.Options{Shard: simulate.Shard{Index: i, Count: n}, Workers: 2}, i == 0)
			j.WriteString(sj)
			c.WriteString(scsv)
		}
		if !slices.Equal(sortedLines(j.String()), sortedLines(wholeJ)) {
			t.Errorf("%d shards: JSON lines differ from the whole batch", n)
		}
		if !slices.Equal(sortedLines(c.String()), sortedLines(wholeC)) {
			t.Errorf("%d shards: CSV lines differ from the whole batch", n)
		}
	}
	covered := 0
	for i := range 4 {
		lo, hi := simulate.Shard{Index: i, Count: 4}.Range(10)
		if lo != covered {
			t.Errorf("shard %d starts at %d, want %d", i, lo, covered)
		}
		covered = hi
	}
	if covered != 10 {
		t.Errorf("shards cover %d runs of 10", covered)
	}
}

func TestShardFromEnv(t *testing.T) {
	t.Setenv("JOB_COMPLETION_INDEX", "2")
	s, err := simulate.ShardFromEnv("JOB_COMPLETION_INDEX", 4)
	if err != nil || s != (simulate.Shard{Index: 2, Count: 4}) {
		t.Errorf("got %v, %v", s, err)
	}
	t.Setenv("JOB_COMPLETION_INDEX", "x")
	if _, err := simulate.ShardFromEnv("JOB_COMPLETION_INDEX", 4); err == nil {
		t.Error("index x accepted")
	}
	t.Setenv("JOB_COMPLETION_INDEX", "4")
	if _, err := simulate.ShardFromEnv("JOB_COMPLETION_INDEX", 4); err == nil {
		t.Error("index 4 of 4 accepted")
	}
}
