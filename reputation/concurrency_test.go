package reputation_test

import (
	"sync"
	"testing"
)

// TestConcurrentQueries: 8 goroutines call every query of a book at once (run with -race).
func TestConcurrentQueries(t *testing.T) {
	b := sampleBook(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				_ = b.Circles()
				_, _ = b.Members("c1")
				_, _ = b.Get("c1", "alice", "bob")
				_ = b.Received("bob")
				_ = b.InCircle("c1")
				_ = b.Reviews()
				_ = b.Len()
				_ = b.LastSeq()
				_ = b.Events()
				for range b.EventsAfter(2) {
				}
			}
		})
	}
	wg.Wait()
}
