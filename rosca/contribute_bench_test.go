package rosca_test

import (
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
)

// BenchmarkContribute is the steady-state cost of one contribution: members of a
// 1,024-member circle pay in seat order, over and over, into round 1.
func BenchmarkContribute(b *testing.B) {
	cfg := benchConfig(1024)
	c, err := rosca.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	one, at := cfg.Contribution, cfg.Start.Add(-time.Minute)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := c.Contribute(at, cfg.Members[i], one); err != nil {
			b.Fatal(err)
		}
		if i++; i == len(cfg.Members) {
			i = 0
		}
	}
}
