package rosca_test

import (
	"testing"
)

var encSink int

func BenchmarkMicroEncodeLog(b *testing.B) {
	c := runEpoch(b, benchConfig(255), benchBids(255), nil)
	buf := make([]byte, 0, 4096)
	b.ResetTimer()
	for b.Loop() {
		for i := uint64(0); i < c.LastSeq(); i++ {
			buf = buf[:0]
			for e := range c.EventsAfter(i) {
				buf = append(e.AppendJSON(buf), '\n')
				break
			}
			encSink += len(buf)
		}
	}
}

func BenchmarkMicroIterateLog(b *testing.B) {
	c := runEpoch(b, benchConfig(255), benchBids(255), nil)
	b.ResetTimer()
	for b.Loop() {
		for i := uint64(0); i < c.LastSeq(); i++ {
			for e := range c.EventsAfter(i) {
				encSink += e.Round
				break
			}
		}
	}
}
