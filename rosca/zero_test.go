package rosca_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// Every exported method of every exported type's zero value returns, never panics.
func TestZeroValues(t *testing.T) {
	values := []any{
		&rosca.Circle{}, &rosca.Config{}, rosca.Config{}, &rosca.Rules{}, rosca.Rules{}, &rosca.Seed{}, rosca.Seed{},
		&rosca.Event{}, rosca.Event{}, &rosca.RoundResult{}, rosca.RoundResult{}, &rosca.Position{}, rosca.Position{},
		&rosca.RoundState{}, rosca.RoundState{}, &rosca.Totals{}, rosca.Totals{}, &rosca.SettlementLine{},
		rosca.SettlementLine{}, &rosca.Snapshot{}, rosca.Snapshot{}, &rosca.Decoder{},
		&rosca.LossLine{}, rosca.LossLine{}, new(rosca.LossPolicy), rosca.LossPolicy(""), new(rosca.Duration), rosca.Duration(0),
		new(rosca.Kind), new(rosca.Sharing), new(rosca.RemainderPolicy), new(rosca.FeeMode), new(rosca.NoBidPolicy),
		new(rosca.Method), new(rosca.RemainderTo), new(rosca.EventKind),
	}
	for _, v := range values {
		zerotest.CallMethods(t, v)
	}
}

// The zero Circle refuses every command with ErrUninitialized and answers every query with
// a zero result; its Audit is an error, not a pass.
func TestZeroCircle(t *testing.T) {
	var c rosca.Circle
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, e1 := c.CloseRound(at)
	_, e2 := c.Withdraw(at, "a")
	_, e3 := c.RetrieveFees(at, "a")
	_, _, e4 := c.DisposeRemainder(at, "a")
	_, e5 := c.ActivateHalt(at, "a")
	_, e6 := c.Position("a")
	for i, err := range []error{c.Contribute(at, "a", wei(1)), c.Bid(at, "a", wei(1)), e1, e2, e3, e4, e5,
		c.EnableHalt(at, "a"), e6, c.Audit()} {
		if !errors.Is(err, rosca.ErrUninitialized) {
			t.Fatalf("error %d: %v", i, err)
		}
		if _, isErr := errors.AsType[*rosca.Error](err); !isErr {
			t.Fatalf("error %d is a %T", i, err)
		}
	}
	if c.Round() != (rosca.RoundState{}) || c.Positions() != nil || c.Rounds() != nil || c.Events() != nil ||
		c.LastSeq() != 0 || !c.Now().IsZero() || c.Ended() || c.Halted() || len(slices.Collect(c.EventsAfter(0))) != 0 ||
		c.Snapshot().V != 0 || c.Config().Members != nil || c.Totals().Cash.IsValid() {
		t.Fatal("a query of the zero Circle returned something")
	}
	if _, err := rosca.Restore(c.Snapshot()); !errors.Is(err, rosca.ErrReplay) {
		t.Fatalf("restore of the zero snapshot: %v", err)
	}
}

// A zero Seed is refused, so that no circle draws like every other circle built without one.
func TestZeroSeedRefused(t *testing.T) {
	cfg := weiCfg(rosca.Lottery, 3, 1000, 20)
	cfg.Seed = rosca.Seed{}
	if _, err := rosca.New(cfg); !errors.Is(err, rosca.ErrInvalidConfig) {
		t.Fatalf("zero seed: %v", err)
	}
	var s rosca.Seed
	if !s.IsZero() || (rosca.Seed{1}).IsZero() {
		t.Fatal("IsZero")
	}
	_ = token.Amount{}
}
