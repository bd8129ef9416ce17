package crowdsale_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// scenario runs a sale through every kind of event: closing rates, contributions, a clock
// move, the cap crossing, finalization, distribution.
func scenario(t testing.TB) *crowdsale.Sale {
	cfg := crowdsale.WeTrust2017()
	s := newSale(t, cfg)
	if err := s.Shift(utc(2, 28, 0, 0, 0), 0); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordClosingRateAt(utc(3, 2, 0, 0, 0), utc(3, 1, 0, 0, 0), "gdax", token.BTC(), amt(usd, "1200.5")); err != nil {
		t.Fatal(err)
	}
	mustContribute(t, s, btc("a", "alice", "100", utc(3, 2, 0, 0, 0)))
	mustContribute(t, s, eth("b", "bob", "5000", utc(3, 3, 12, 0, 0), quotes("0.03", "", "0.0302")))
	if _, err := s.Advance(utc(3, 10, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	mustContribute(t, s, btc("c", "carol", "5000", utc(3, 11, 0, 0, 0)))
	mustContribute(t, s, eth("e", "alice", "40000", utc(3, 12, 0, 0, 0), quotes("0.0301", "0.0300", "0.0299")))
	if err := s.Finalize(utc(3, 13, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	l, _ := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{Sale: "wetrust-sale", Team: "t", Organisation: "o", Bounties: "b"}))
	if err := s.Distribute(l); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEventsReplayAndJSON(t *testing.T) {
	s := scenario(t)
	events := s.Events()
	kinds := map[crowdsale.EventKind]int{}
	for _, e := range events {
		kinds[e.Kind]++
	}
	for _, k := range []crowdsale.EventKind{crowdsale.EventShift, crowdsale.EventClosingRate, crowdsale.EventContribution,
		crowdsale.EventClock, crowdsale.EventFiatDay, crowdsale.EventRefund, crowdsale.EventEnded,
		crowdsale.EventFinalized, crowdsale.EventAllocated, crowdsale.EventDistributed} {
		if kinds[k] == 0 {
			t.Errorf("no %s event", k)
		}
	}
	b, err := json.Marshal(events)
	if err != nil {
		t.Fatal(err)
	}
	var back []crowdsale.Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(events, back); diff != "" {
		t.Fatalf("events JSON (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(crowdsale.WeTrust2017(), s.InitialConfig()); diff != "" {
		t.Fatalf("initial config:\n%s", diff)
	}
	r, err := crowdsale.Replay(s.InitialConfig(), slices.Values(back))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s.Snapshot(), r.Snapshot()); diff != "" {
		t.Fatalf("replay snapshot (-live +replay):\n%s", diff)
	}
	if diff := cmp.Diff(events, r.Events()); diff != "" {
		t.Fatalf("replay events (-live +replay):\n%s", diff)
	}
	b2, _ := json.Marshal(r.Events())
	if string(b) != string(b2) {
		t.Fatal("replayed events are not byte-identical")
	}
	snap := s.Snapshot()
	sb, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var snapBack crowdsale.Snapshot
	if err := json.Unmarshal(sb, &snapBack); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(snap, snapBack); diff != "" {
		t.Fatalf("snapshot JSON (-want +got):\n%s", diff)
	}
}

func TestEventsAreCopies(t *testing.T) {
	s := scenario(t)
	before, _ := json.Marshal(s.Events())
	for _, e := range s.Events() {
		if e.End != nil {
			e.End.Reason = "tampered"
		}
		if e.FiatDay != nil {
			e.FiatDay.Streak = 99
			if len(e.FiatDay.Missing) > 0 {
				e.FiatDay.Missing[0].Asset = token.TRST()
			}
		}
	}
	if after, _ := json.Marshal(s.Events()); string(before) != string(after) {
		t.Fatal("changing returned events changed the log")
	}
	fd := s.FiatDays()
	fd[0].Missing[0].Asset = token.TRST()
	if s.FiatDays()[0].Missing[0].Asset.Equal(token.TRST()) {
		t.Fatal("FiatDays shares memory with the sale")
	}
}

func TestReplayRejectsTamperedLogs(t *testing.T) {
	s := scenario(t)
	events := s.Events()
	clone := func() []crowdsale.Event {
		b, _ := json.Marshal(events)
		var out []crowdsale.Event
		_ = json.Unmarshal(b, &out)
		return out
	}
	find := func(ev []crowdsale.Event, k crowdsale.EventKind) int {
		for i, e := range ev {
			if e.Kind == k {
				return i
			}
		}
		t.Fatalf("no %s", k)
		return -1
	}
	tamper := map[string]func([]crowdsale.Event) []crowdsale.Event{
		"value": func(ev []crowdsale.Event) []crowdsale.Event {
			ev[find(ev, crowdsale.EventContribution)].Contribution.Value = value("1")
			return ev
		},
		"amount": func(ev []crowdsale.Event) []crowdsale.Event {
			ev[find(ev, crowdsale.EventContribution)].Contribution.Amount = btcs("101")
			return ev
		},
		"allocation": func(ev []crowdsale.Event) []crowdsale.Event {
			ev[find(ev, crowdsale.EventAllocated)].Allocation.Amount = trst("1")
			return ev
		},
		"end reason": func(ev []crowdsale.Event) []crowdsale.Event {
			ev[find(ev, crowdsale.EventEnded)].End.Reason = crowdsale.EndWindow
			return ev
		},
		"dropped": func(ev []crowdsale.Event) []crowdsale.Event {
			i := find(ev, crowdsale.EventRefund)
			out := append(ev[:i:i], ev[i+1:]...)
			for j := range out {
				out[j].Seq = uint64(j + 1)
			}
			return out
		},
		"truncated inside a finalization": func(ev []crowdsale.Event) []crowdsale.Event {
			return ev[:find(ev, crowdsale.EventAllocated)+1]
		},
		"duplicated": func(ev []crowdsale.Event) []crowdsale.Event {
			i := find(ev, crowdsale.EventContribution)
			out := append(ev[:i+1:i+1], ev[i:]...)
			for j := range out {
				out[j].Seq = uint64(j + 1)
			}
			return out
		},
		"seq": func(ev []crowdsale.Event) []crowdsale.Event { ev[3].Seq = 7; return ev },
		"nil payload": func(ev []crowdsale.Event) []crowdsale.Event {
			ev[find(ev, crowdsale.EventContribution)].Contribution = nil
			return ev
		},
		"unknown kind": func(ev []crowdsale.Event) []crowdsale.Event {
			ev[0].Kind = "mint"
			return ev
		},
		"swapped": func(ev []crowdsale.Event) []crowdsale.Event {
			i := find(ev, crowdsale.EventContribution)
			ev[i], ev[i+1] = ev[i+1], ev[i]
			ev[i].Seq, ev[i+1].Seq = uint64(i+1), uint64(i+2)
			return ev
		},
		"fiat day": func(ev []crowdsale.Event) []crowdsale.Event {
			ev[find(ev, crowdsale.EventFiatDay)].FiatDay.Streak = 2
			return ev
		},
	}
	for name, f := range tamper {
		_, err := crowdsale.Replay(crowdsale.WeTrust2017(), slices.Values(f(clone())))
		if !errors.Is(err, crowdsale.ErrReplay) || errorOf(err).Op != "Replay" {
			t.Errorf("%s: %v", name, err)
		}
	}
	// a prefix of a log that ends between commands is itself a valid log
	for _, k := range []crowdsale.EventKind{crowdsale.EventDistributed, crowdsale.EventFiatDay} {
		ev := clone()
		if _, err := crowdsale.Replay(crowdsale.WeTrust2017(), slices.Values(ev[:find(ev, k)])); err != nil {
			t.Errorf("prefix before %s: %v", k, err)
		}
	}
	if _, err := crowdsale.Replay(crowdsale.Config{}, nil); !errors.Is(err, crowdsale.ErrInvalidConfig) {
		t.Fatalf("bad config: %v", err)
	}
}
