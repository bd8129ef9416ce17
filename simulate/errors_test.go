package simulate_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/trustcircle/trustcircle/internal/reasontest"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

func TestReasons(t *testing.T) {
	reasontest.Check(t, "simulate", map[string]error{
		"ErrInvalidScenario": simulate.ErrInvalidScenario,
		"ErrInvalidShard":    simulate.ErrInvalidShard,
		"ErrCircle":          simulate.ErrCircle,
		"ErrOutput":          simulate.ErrOutput,
		"ErrCanceled":        simulate.ErrCanceled,
	})
}

func TestInvalidScenarios(t *testing.T) {
	good := mixed(rosca.Lottery, 2, 1)
	cases := map[string]func(*simulate.Scenario){
		"no members":   func(s *simulate.Scenario) { s.Members = nil },
		"one member":   func(s *simulate.Scenario) { s.Members = s.Members[:1] },
		"circles":      func(s *simulate.Scenario) { s.Circles = -1 },
		"digits":       func(s *simulate.Scenario) { s.Digits = 61 },
		"name":         func(s *simulate.Scenario) { s.Name = "\xff" },
		"no asset":     func(s *simulate.Scenario) { s.Circle.Asset = token.Asset{} },
		"twice listed": func(s *simulate.Scenario) { s.Members[1].Account = s.Members[0].Account },
		"valuation": func(s *simulate.Scenario) {
			s.Members[0].Valuation = simulate.Valuation{Low: token.One(), High: token.MustRatio(1, 2)}
		},
	}
	for name, f := range cases {
		sc := good
		sc.Members = append([]simulate.Member(nil), good.Members...)
		f(&sc)
		err := sc.Validate()
		var e *simulate.Error
		if !errors.Is(err, simulate.ErrInvalidScenario) || !errors.As(err, &e) || e.Detail == "" {
			t.Errorf("%s: %v", name, err)
		}
		if err := simulate.Run(context.Background(), sc, simulate.Options{}); !errors.Is(err, simulate.ErrInvalidScenario) {
			t.Errorf("%s: Run: %v", name, err)
		}
	}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := simulate.Run(context.Background(), good, simulate.Options{Shard: simulate.Shard{Index: 3, Count: 3}}); !errors.Is(err, simulate.ErrInvalidShard) {
		t.Errorf("shard 3 of 3: %v", err)
	}
}

type failing struct{ simulate.JSONLines }

func (*failing) Member(*simulate.MemberRecord) error { return io.ErrShortWrite }

func TestRunErrors(t *testing.T) {
	sc := mixed(rosca.Lottery, 50, 1)
	err := simulate.Run(context.Background(), sc, simulate.Options{}, &failing{})
	if !errors.Is(err, simulate.ErrOutput) || !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("failing sink: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = simulate.Run(ctx, sc, simulate.Options{})
	if !errors.Is(err, simulate.ErrCanceled) || !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: %v", err)
	}
}
