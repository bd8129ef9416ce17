package simulate

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"sync"
)

// Shard is one of Count parts of a batch: the runs [N x Index / Count, N x (Index+1) / Count)
// of a batch of N runs (rounded down), so
// that the shards 0 to Count-1 together cover every run once. A run's outcome depends on the
// scenario's seed and its index only, so the union of the shards' records is the whole
// batch's, byte for byte once sorted. The zero Shard is the whole batch.
type Shard struct {
	Index, Count int
}

// Validate reports whether the shard is the zero Shard or one of Count parts. The error is an
// *Error wrapping ErrInvalidShard.
func (s Shard) Validate() error {
	if s == (Shard{}) {
		return nil
	}
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return &Error{Op: "Shard", Detail: "shard " + strconv.Itoa(s.Index) + " of " + strconv.Itoa(s.Count) +
			": need 0 <= index < count", Err: ErrInvalidShard}
	}
	return nil
}

// Range returns the runs [lo, hi) of the shard in a batch of n runs (all of them for the zero
// Shard, none for an invalid one).
func (s Shard) Range(n int) (lo, hi int) {
	if s == (Shard{}) {
		return 0, max(n, 0)
	}
	if s.Validate() != nil || n <= 0 {
		return 0, 0
	}
	return int(int64(n) * int64(s.Index) / int64(s.Count)), int(int64(n) * int64(s.Index+1) / int64(s.Count))
}

// ShardFromEnv returns shard i of count, i read from the environment variable name: for a
// Kubernetes indexed Job, name is "JOB_COMPLETION_INDEX" and count the Job's completions. An
// unset variable is shard 0. The error is an *Error wrapping ErrInvalidShard.
func ShardFromEnv(name string, count int) (Shard, error) {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		s := Shard{0, count}
		return s, s.Validate()
	}
	i, err := strconv.Atoi(v)
	if err != nil {
		return Shard{}, &Error{Op: "ShardFromEnv", Input: v, Detail: name + " is not an index", Err: ErrInvalidShard}
	}
	s := Shard{i, count}
	return s, s.Validate()
}

// Options tune a batch run. The zero Options run the whole batch on GOMAXPROCS workers.
type Options struct {
	// Workers is the number of goroutines simulating circles (0: runtime.GOMAXPROCS(0)). The
	// records do not depend on it.
	Workers int
	// Shard selects the runs (the zero Shard: all of them).
	Shard Shard
}

// Run simulates the runs of the scenario that opt.Shard selects, on opt.Workers goroutines,
// and hands their records to every sink in run order (for each run its circle record, then
// its members' records in seat order), so the output is the same whatever the number of
// workers. It returns the first error: an invalid scenario or shard, a sink's error (wrapped
// with ErrOutput), the context's end (ErrCanceled), or a circle that refused a command the
// simulation needs (ErrCircle). The sinks have then received the records of the runs before
// the failing one.
func Run(ctx context.Context, sc Scenario, opt Options, sinks ...Sink) error {
	c, err := sc.compile()
	if err != nil {
		return err
	}
	if err := opt.Shard.Validate(); err != nil {
		return err
	}
	lo, hi := opt.Shard.Range(sc.Circles)
	if lo >= hi {
		return nil
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, hi-lo)
	if ctx == nil {
		ctx = context.Background()
	}
	return pipeline(ctx, c, lo, hi, workers, sinks)
}

// done is a finished run: its slot in the window and its error.
type done struct {
	i   int
	err error
}

// pipeline runs [lo, hi) on workers goroutines with a window of results, emitting in order.
// At most window runs are in flight, so neither channel ever blocks a sender.
func pipeline(ctx context.Context, c *compiled, lo, hi, workers int, sinks []Sink) (failed error) {
	ctx, cancel := context.WithCancel(ctx)
	window := workers * 16
	slots := make([]result, window)
	jobs := make(chan int, window)
	finished := make(chan done, window)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newSim(c)
			for i := range jobs {
				if ctx.Err() != nil {
					continue // stopping: skip the queued runs
				}
				finished <- done{i, s.run(i, &slots[i%window])}
			}
		}()
	}
	next, sent := lo, lo
	defer func() {
		cancel()
		close(jobs)
		wg.Wait()
	}()
	ready := make([]bool, window)
	for next < hi {
		for ; sent < hi && sent < next+window; sent++ {
			jobs <- sent
		}
		var d done
		select {
		case d = <-finished:
		case <-ctx.Done():
			return causedBy("Run", next, ErrCanceled, ctx.Err())
		}
		if d.err != nil {
			return d.err
		}
		ready[d.i%window] = true
		for next < hi && ready[next%window] {
			ready[next%window] = false
			if err := emit(&slots[next%window], sinks); err != nil {
				return causedBy("Run", next, ErrOutput, err)
			}
			next++
		}
	}
	return nil
}

// emit hands one run's records to the sinks.
func emit(r *result, sinks []Sink) error {
	for _, s := range sinks {
		if err := s.Circle(&r.circle); err != nil {
			return err
		}
		for k := range r.members {
			if err := s.Member(&r.members[k]); err != nil {
				return err
			}
		}
	}
	return nil
}

// RunOne simulates run i of the scenario alone and returns its records: the same as the
// batch's run i, whatever the batch's size, shards or workers. The error is that of [Run].
func RunOne(sc Scenario, i int) (CircleRecord, []MemberRecord, error) {
	c, err := sc.compile()
	if err != nil {
		return CircleRecord{}, nil, err
	}
	var r result
	if err := newSim(c).run(i, &r); err != nil {
		return CircleRecord{}, nil, err
	}
	return r.circle, r.members, nil
}
