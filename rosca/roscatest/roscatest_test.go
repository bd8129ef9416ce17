package roscatest_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
)

// TestRapidGenerators: generated configs (with every deterrent or without collateral) are
// valid, and a generated sequence of commands keeps every invariant of Check.
func TestRapidGenerators(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := roscatest.Config()
		if rapid.Bool().Draw(t, "deterrents") {
			gen = roscatest.DeterrentConfig()
		}
		cfg := gen.Draw(t, "config")
		if err := cfg.Validate(); err != nil {
			t.Fatalf("invalid generated config: %v", err)
		}
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range roscatest.Ops(cfg, 20).Draw(t, "ops") {
			_ = roscatest.Apply(c, op)
			if err := roscatest.Check(c); err != nil {
				t.Fatalf("after %v: %v", op, err)
			}
		}
	})
}

// The checker is not vacuous: a fingerprint taken before a command that changed the
// circle does not match.
func TestCheckUnchangedDetectsChange(t *testing.T) {
	c, err := rosca.New(configForTest())
	if err != nil {
		t.Fatal(err)
	}
	before := roscatest.Fingerprint(c)
	if err := roscatest.CheckUnchanged(before, c); err != nil {
		t.Fatal(err)
	}
	if err := roscatest.Apply(c, roscatest.Op{Kind: roscatest.OpContribute, Who: c.Config().Members[0], Units: 1}); err != nil {
		t.Fatal(err)
	}
	if err := roscatest.CheckUnchanged(before, c); err == nil {
		t.Fatal("a contribution went unnoticed")
	}
}
