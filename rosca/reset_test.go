package rosca_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
)

// A reset circle is the circle New builds with the new seed, and runs the same commands
// to the same events and state, whatever it ran before.
func TestRapidReset(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.Config().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range roscatest.Ops(cfg, 30).Draw(t, "before") {
			_ = roscatest.Apply(c, op)
		}
		seed := cfg.Seed
		seed[0]++
		if err := c.Reset(seed); err != nil {
			t.Fatal(err)
		}
		fresh := cfg
		fresh.Seed = seed
		f, err := rosca.New(fresh)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range roscatest.Ops(cfg, 30).Draw(t, "after") {
			e1, e2 := roscatest.Apply(c, op), roscatest.Apply(f, op)
			if (e1 == nil) != (e2 == nil) {
				t.Fatalf("%v: reset %v, fresh %v", op, e1, e2)
			}
		}
		if a, b := roundTripJSONBytes(c.Snapshot()), roundTripJSONBytes(f.Snapshot()); a != b {
			t.Fatalf("reset circle differs from a new one:\n%s\n%s", a, b)
		}
		if err := roscatest.Check(c); err != nil {
			t.Fatal(err)
		}
	})
}

// Reset refuses the zero seed and the zero Circle, changing nothing.
func TestResetErrors(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Lottery, 3, 1000, 20))
	rejects(t, c, rosca.ErrInvalidConfig, func() error { return c.Reset(rosca.Seed{}) })
	var z rosca.Circle
	if err := z.Reset(rosca.Seed{1}); err == nil {
		t.Fatal("reset of the zero Circle")
	}
}
