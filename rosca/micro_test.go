package rosca_test

import (
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func BenchmarkMicroAppendJSON(b *testing.B) {
	e := rosca.Event{Seq: 12345, Kind: rosca.EventContribution, At: time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC), Round: 4, Member: "m123", Amount: token.ETH().MustParse("1")}
	buf := make([]byte, 0, 512)
	for b.Loop() {
		buf = e.AppendJSON(buf[:0])
	}
}

func BenchmarkMicroAmountText(b *testing.B) {
	x := token.ETH().MustParse("1")
	buf := make([]byte, 0, 512)
	for b.Loop() {
		buf, _ = x.AppendText(buf[:0])
	}
}

func BenchmarkMicroTime(b *testing.B) {
	at := time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC)
	e := rosca.Event{Seq: 1, Kind: rosca.EventHaltEnabled, At: at, Round: 1}
	buf := make([]byte, 0, 512)
	for b.Loop() {
		buf = e.AppendJSON(buf[:0])
	}
}

func BenchmarkMicroEventsAfter(b *testing.B) {
	c := mustNew(b, benchConfig(255))
	for _, m := range c.Config().Members {
		_ = c.Contribute(t0, m, token.ETH().MustParse("1"))
	}
	for b.Loop() {
		for e := range c.EventsAfter(c.LastSeq() - 1) {
			_ = e
		}
	}
}
