package rosca_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
	"github.com/trustcircle/trustcircle/token"
)

// lottery2 runs a 2-member lottery to its end, everyone paying on time, under seed.
func lottery2(t testing.TB, seed rosca.Seed) *rosca.Circle {
	t.Helper()
	cfg := weiCfg(rosca.Lottery, 2, 1000, 20)
	cfg.Seed = seed
	c := mustNew(t, cfg)
	for r := 1; r <= 2; r++ {
		contributeAll(t, c, at(r-1), wei(1000))
		_, err := c.CloseRound(at(r))
		ok(t, err)
	}
	return c
}

// otherSeed returns a seed whose first draw in a 2-member lottery differs from seed's.
func otherSeed(t testing.TB, seed rosca.Seed) rosca.Seed {
	t.Helper()
	want := lottery2(t, seed).Rounds()[0].DrawStart
	for k := byte(1); k < 100; k++ {
		s := seed
		s[31] ^= k
		if lottery2(t, s).Rounds()[0].DrawStart != want {
			return s
		}
	}
	t.Fatal("no seed draws differently")
	return rosca.Seed{}
}

// refusedReplay checks that err is Replay's refusal: ErrReplay, class Internal, naming the event.
func refusedReplay(t testing.TB, err error, detail string) {
	t.Helper()
	e, isErr := errors.AsType[*rosca.Error](err)
	if !errors.Is(err, rosca.ErrReplay) || !isErr || fault.ClassOf(err) != fault.Internal ||
		!strings.HasPrefix(e.Detail, "event ") || !strings.Contains(e.Detail, detail) {
		t.Fatalf("got %v, want a refusal naming %q", err, detail)
	}
}

// Replay draws again from the config's seed: in a 2-member lottery, a log whose round 1
// draw start is changed from s to 1 - s with the two winners swapped (a consistent forgery
// of who won first) is refused, as is either edit alone, and the honest log replayed under
// another seed.
func TestReplayRederivesDraws(t *testing.T) {
	c := lottery2(t, rosca.Seed{1, 2, 3})
	cfg, events := c.Config(), c.Events()
	closes := []int{}
	for i, e := range events {
		if e.Kind == rosca.EventRoundClosed {
			closes = append(closes, i)
		}
	}
	if len(closes) != 2 || events[closes[0]].Result.Method != rosca.ByDraw || events[closes[0]].Result.Candidates != 2 {
		t.Fatalf("closes %v", closes)
	}
	forge := func(flipStart, swapWinners bool) []rosca.Event {
		evs := slices.Clone(events)
		r1, r2 := *evs[closes[0]].Result, *evs[closes[1]].Result
		if flipStart {
			r1.DrawStart = 1 - r1.DrawStart
		}
		if swapWinners {
			r1.Winner, r2.Winner = r2.Winner, r1.Winner
			evs[closes[0]].Member, evs[closes[1]].Member = r1.Winner, r2.Winner
		}
		evs[closes[0]].Result, evs[closes[1]].Result = &r1, &r2
		return evs
	}
	for _, tc := range []struct {
		name        string
		flip, swap  bool
		detailNamed string
	}{
		{"start and winners", true, true, "draw start"},
		{"start", true, false, "draw start"},
		{"winners", false, true, "won by"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rosca.Replay(cfg, slices.Values(forge(tc.flip, tc.swap)))
			refusedReplay(t, err, tc.detailNamed)
		})
	}
	// Candidates and method are part of the draw.
	evs := slices.Clone(events)
	r1 := *evs[closes[0]].Result
	r1.Candidates = 3
	evs[closes[0]].Result = &r1
	_, err := rosca.Replay(cfg, slices.Values(evs))
	refusedReplay(t, err, "candidates")
	evs = slices.Clone(events)
	r1 = *evs[closes[0]].Result
	r1.Method = rosca.ByBid
	evs[closes[0]].Result = &r1
	_, err = rosca.Replay(cfg, slices.Values(evs))
	refusedReplay(t, err, "recorded as won bid")

	// The honest log under another seed.
	other := cfg
	other.Seed = otherSeed(t, cfg.Seed)
	_, err = rosca.Replay(other, slices.Values(events))
	refusedReplay(t, err, "the seed draws")

	// The honest log replays.
	checkReplay(t, c)
}

// Restore refuses a snapshot whose seed was changed: its draws no longer replay.
func TestRestoreRefusesChangedSeed(t *testing.T) {
	c := lottery2(t, rosca.Seed{1, 2, 3})
	s := roundTripJSON(t, c.Snapshot())
	if _, err := rosca.Restore(s); err != nil {
		t.Fatalf("honest snapshot: %v", err)
	}
	s.Config.Seed = otherSeed(t, s.Config.Seed)
	_, err := rosca.Restore(s)
	refusedReplay(t, err, "the seed draws")
}

// TestRapidReplayTampered forges random logs of random circles: changing a recorded draw
// (its start position or its number of candidates), a close's winner (with or without
// the event's member), or the config's seed. Each forgery is refused with ErrReplay (class
// Internal), except a changed seed whose draws happen to coincide with the recorded ones:
// that log replays to the same history.
func TestRapidReplayTampered(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := roscatest.Config().Draw(t, "config")
		c, err := rosca.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range roscatest.Ops(cfg, 40).Draw(t, "ops") {
			_ = roscatest.Apply(c, op)
		}
		events := c.Events()
		var closes, draws []int
		for i, e := range events {
			if e.Kind == rosca.EventRoundClosed {
				closes = append(closes, i)
				if e.Result.Method == rosca.ByDraw {
					draws = append(draws, i)
				}
			}
		}
		refused := func(evs []rosca.Event, cfg rosca.Config, what string) {
			_, err := rosca.Replay(cfg, slices.Values(evs))
			if !errors.Is(err, rosca.ErrReplay) || fault.ClassOf(err) != fault.Internal {
				t.Fatalf("%s: forged log replayed: %v", what, err)
			}
			if _, errSlice := rosca.ReplayEvents(cfg, evs); errSlice == nil || errSlice.Error() != err.Error() {
				t.Fatalf("%s: Replay refuses with %v, ReplayEvents with %v", what, err, errSlice)
			}
		}
		// The events whose side fields are all derived: a contribution, bid, close or
		// withdrawal carries no party, bounty, deduction, collateral, seal or salt, and a
		// withdrawal's entitlement is the circle's to compute. (A deterrent event's party or
		// amounts are its command's input: changed, they are another valid history.)
		var plain []int
		for i, e := range events {
			switch e.Kind {
			case rosca.EventContribution, rosca.EventBid, rosca.EventRoundClosed, rosca.EventWithdrawal:
				plain = append(plain, i)
			}
		}
		kinds := []string{"seed"}
		if len(plain) > 0 {
			kinds = append(kinds, "field")
		}
		if len(draws) > 0 {
			kinds = append(kinds, "draw start", "candidates")
		}
		if len(closes) > 0 {
			kinds = append(kinds, "winner")
		}
		switch kind := rapid.SampledFrom(kinds).Draw(t, "forgery"); kind {
		case "seed":
			other := cfg
			other.Seed[rapid.IntRange(0, 31).Draw(t, "byte")] ^= byte(rapid.IntRange(1, 255).Draw(t, "xor"))
			if other.Seed.IsZero() {
				other.Seed[0] = 1
			}
			r, err := rosca.Replay(other, slices.Values(events))
			if err != nil {
				if !errors.Is(err, rosca.ErrReplay) || fault.ClassOf(err) != fault.Internal {
					t.Fatalf("another seed: %v", err)
				}
				return
			}
			// Accepted: every draw of the other seed gave the recorded start.
			if !slices.EqualFunc(r.Rounds(), c.Rounds(), func(a, b rosca.RoundResult) bool { return a.Equal(b) }) {
				t.Fatal("another seed replayed to other rounds")
			}
		case "draw start", "candidates":
			i := rapid.SampledFrom(draws).Draw(t, "round")
			evs := slices.Clone(events)
			r := *evs[i].Result
			if kind == "draw start" {
				r.DrawStart = (r.DrawStart + rapid.IntRange(1, max(1, r.Candidates-1)).Draw(t, "by")) % max(2, r.Candidates+1)
				if r.DrawStart == events[i].Result.DrawStart {
					r.DrawStart++
				}
			} else {
				r.Candidates += rapid.SampledFrom([]int{-1, 1, 2}).Draw(t, "by")
			}
			evs[i].Result = &r
			refused(evs, cfg, kind)
		case "field": // any event with one of its side fields changed
			i := rapid.SampledFrom(plain).Draw(t, "event")
			evs := slices.Clone(events)
			e := &evs[i]
			one := cfg.Contribution
			switch f := rapid.SampledFrom([]string{"party", "bounty", "deduction", "collateral", "seal", "salt", "entitled"}).Draw(t, "field"); f {
			case "party":
				e.Party += "x"
			case "bounty":
				e.Bounty, _ = e.Bounty.Add(one)
				if !e.Bounty.IsValid() || e.Bounty.Equal(events[i].Bounty) {
					e.Bounty = one
				}
			case "deduction":
				e.Deduction, _ = e.Deduction.Add(one)
				if !e.Deduction.IsValid() || e.Deduction.Equal(events[i].Deduction) {
					e.Deduction = one
				}
			case "collateral":
				e.Collateral, _ = e.Collateral.Add(one)
				if !e.Collateral.IsValid() || e.Collateral.Equal(events[i].Collateral) {
					e.Collateral = one
				}
			case "seal":
				e.Seal[rapid.IntRange(0, 31).Draw(t, "byte")] ^= 1
			case "salt":
				e.Salt[rapid.IntRange(0, 31).Draw(t, "byte")] ^= 1
			case "entitled":
				e.Entitled, _ = e.Entitled.Add(one)
				if !e.Entitled.IsValid() || e.Entitled.Equal(events[i].Entitled) {
					e.Entitled = one
				}
			}
			if e.Equal(events[i]) {
				t.Fatalf("the forgery changed nothing: %+v", *e)
			}
			refused(evs, cfg, "field")
		case "winner":
			i := rapid.SampledFrom(closes).Draw(t, "round")
			evs := slices.Clone(events)
			r := *evs[i].Result
			others := slices.DeleteFunc(slices.Clone(c.Members()), func(m token.Account) bool { return m == r.Winner })
			r.Winner = rapid.SampledFrom(others).Draw(t, "winner")
			if rapid.Bool().Draw(t, "member too") {
				evs[i].Member = r.Winner
			}
			evs[i].Result = &r
			refused(evs, cfg, kind)
		}
	})
}
