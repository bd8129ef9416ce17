package rosca_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// ticketCircle is a lottery of four tickets of 1,000 wei in which asha holds two.
func ticketCircle(t *testing.T) *rosca.Circle {
	t.Helper()
	cfg := weiCfg(rosca.Lottery, 4, 1000, 0)
	cfg.Members = []token.Account{"asha/1", "asha/2", "ben", "chen"}
	cfg.Holders = []token.Account{"asha", "asha", "ben", "chen"}
	cfg.Foreperson = "ben"
	return mustNew(t, cfg)
}

// A member holding two tickets: dues, wins and shares count per ticket, the holding and
// the holder's statement sum them.
func TestTickets(t *testing.T) {
	c := ticketCircle(t)
	got, err := c.Tickets("asha")
	ok(t, err)
	if len(got) != 2 || got[0] != "asha/1" || got[1] != "asha/2" {
		t.Fatalf("asha's tickets %v", got)
	}
	if _, err := c.Tickets("asha/3"); err == nil {
		t.Fatal("tickets of nobody")
	}
	for r := 1; r <= 4; r++ {
		contributeAll(t, c, at(r-1), wei(1000))
		_, err := c.CloseRound(at(r))
		ok(t, err)
	}
	h, err := c.Holding("asha")
	ok(t, err)
	if len(h.Tickets) != 2 || h.Wins != 2 || units(h.Contributed) != 8000 || units(h.Due) != 8000 || units(h.Balance) != 8000 {
		t.Fatalf("holding %+v", h)
	}
	if p := h.Tickets[1]; p.Holder != "asha" || p.Member != "asha/2" || p.Wins != 1 {
		t.Fatalf("ticket %+v", p)
	}
	st, err := c.HolderStatement("asha")
	ok(t, err)
	if !st.Totals.Balance.Equal(h.Balance) || !st.Lines[len(st.Lines)-1].Balance.Equal(h.Balance) || units(st.Totals.Contributed) != 8000 {
		t.Fatalf("holder statement %+v", st.Totals)
	}
	for k := 1; k < len(st.Lines); k++ {
		if st.Lines[k].Seq < st.Lines[k-1].Seq {
			t.Fatalf("lines out of order at %d: %+v", k, st.Lines)
		}
	}
	if p := pos(t, c, "ben"); p.Holder != "" {
		t.Fatalf("ben holds his own seat: %+v", p)
	}
	if got := roundTripJSON(t, c.Config()); len(got.Holders) != 4 || got.Holders[1] != "asha" {
		t.Fatalf("holders JSON %+v", got.Holders)
	}
	checkReplay(t, c)
}

func TestHoldersValidate(t *testing.T) {
	cfg := weiCfg(rosca.Lottery, 3, 1000, 0)
	for name, holders := range map[string][]token.Account{
		"short":       {"a", "a"},
		"invalid":     {"a", "", "b"},
		"seat's name": {"m1", "m1", "m2"}, // m1 is seat 1's account but seat 0 is held by m1 and seat 1 by m1: fine; m2 by m2
		"held away":   {"m0", "m0", "m1"}, // m1 is seat 1's account, held by m0
	} {
		c := cfg
		c.Holders = holders
		_, err := rosca.New(c)
		if name == "seat's name" {
			ok(t, err)
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A large circle finds the seats by a map: the same rule holds.
	large := weiCfg(rosca.Lottery, 40, 1000, 0)
	large.Holders = slices.Clone(large.Members)
	large.Holders[3] = "m7" // seat 7's account, held by m7 itself: fine
	ok(t, large.Validate())
	large.Holders[7] = "x" // now m7 holds seat 3 while its own seat is held by x
	for _, err := range []error{large.Validate(), func() error { _, err := rosca.New(large); return err }()} {
		if !errors.Is(err, rosca.ErrInvalidConfig) {
			t.Errorf("large circle, held away: %v", err)
		}
	}
}

// Members join and leave at an epoch boundary: the next circle keeps the terms, drops the
// leaving members, adds the joining ones, and its pot is C x the new number of seats.
func TestNextCircle(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.FixedOrder, 3, 1000, 20))
	if _, err := c.NextCircle(at(3), rosca.Seed{9}, nil, nil); err == nil {
		t.Fatal("a next circle before the end")
	}
	for r := 1; r <= 3; r++ {
		contributeAll(t, c, at(r-1), wei(1000))
		_, err := c.CloseRound(at(r))
		ok(t, err)
	}
	next, err := c.NextCircle(at(3), rosca.Seed{9}, []token.Account{"m1"}, []token.Account{"n1", "n2"})
	ok(t, err)
	want := []token.Account{"m0", "m2", "n1", "n2"}
	if len(next.Members) != 4 || next.Members[1] != want[1] || next.Members[3] != want[3] || next.Seed != (rosca.Seed{9}) {
		t.Fatalf("next %+v", next)
	}
	n := mustNew(t, next)
	if r := n.Round(); units(r.Pot) != 4000 {
		t.Fatalf("pot %s", r.Pot)
	}
	for _, tc := range []struct {
		leave, join []token.Account
		want        error
	}{{[]token.Account{"x"}, nil, rosca.ErrNotMember}, {[]token.Account{"m0"}, nil, rosca.ErrInvalidConfig},
		{nil, []token.Account{"m2"}, rosca.ErrInvalidConfig}, {[]token.Account{"m1", "m2"}, nil, rosca.ErrInvalidConfig}} {
		if _, err := c.NextCircle(at(3), rosca.Seed{9}, tc.leave, tc.join); !errors.Is(err, tc.want) {
			t.Errorf("leave %v join %v: %v, want %v", tc.leave, tc.join, err, tc.want)
		}
	}
}
