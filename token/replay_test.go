package token_test

import (
	"bytes"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/token"
	"github.com/trustcircle/trustcircle/token/tokentest"
)

// decodeLog decodes JSON lines of events.
func decodeLog(t tokentest.TB, log []byte) []token.Event {
	t.Helper()
	var out []token.Event
	for line := range splitLines(log) {
		var e token.Event
		if err := e.UnmarshalJSON(line); err != nil {
			t.Fatalf("decode %s: %v", line, err)
		}
		out = append(out, e)
	}
	return out
}

// TestRapidReplay: every accepted command's events, persisted as JSON lines through
// EventsAfter right after the command, decode and replay to a ledger identical to the live
// one (byte for byte in its snapshot); a rejected command appends nothing. Commands
// (vesting grants by duration and by the calendar, in escrow, freezes and thaws among them)
// get times in assorted zones, near the end of year 9999 and beyond it, and amounts up to
// the Amount bound.
func TestRapidReplay(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := tokentest.Asset().Draw(t, "asset")
		huge := new(big.Int).Exp(big.NewInt(10), big.NewInt(token.MaxUnitDigits), nil)
		huge.Sub(huge, big.NewInt(1))
		maxGrant, _ := a.FromUnits(huge.Div(huge, big.NewInt(8)))
		if rapid.Bool().Draw(t, "small") {
			maxGrant = a.MustParse("1000")
		}
		g := tokentest.Genesis(a, maxGrant).Draw(t, "genesis")
		l, err := token.NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		var log []byte
		var written uint64
		persist := func() {
			for e := range l.EventsAfter(written) {
				log = append(e.AppendJSON(log), '\n')
				written = e.Seq
			}
		}
		persist()
		accs := []token.Account{"alice", "bob", "carol"}
		for _, gr := range g.Grants {
			accs = append(accs, gr.Account)
		}
		pick := rapid.SampledFrom(accs)
		now := tokentest.Epoch()
		for range rapid.IntRange(1, 25).Draw(t, "steps") {
			from, to := pick.Draw(t, "from"), pick.Draw(t, "to")
			limit, _ := l.Spendable(from).Add(a.MinorUnit())
			amt := tokentest.Amount(a, limit).Draw(t, "amount")
			switch rapid.IntRange(0, 2).Draw(t, "clock") {
			case 0:
				now = now.Add(time.Duration(rapid.Int64Range(0, 400*24*3600).Draw(t, "advance_s")) * time.Second)
			case 1:
				now = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC).Add(-time.Duration(rapid.Int64Range(0, 1e12).Draw(t, "before_end")))
			}
			at := now.In(tokentest.Zone().Draw(t, "zone"))
			if rapid.IntRange(0, 9).Draw(t, "beyond") == 0 {
				at = at.AddDate(1, 0, 0) // may pass year 9999
			}
			id := token.VestingID(rapid.IntRange(1, len(l.Vestings())+1).Draw(t, "grant"))
			seq := l.LastSeq()
			var err error
			op := rapid.IntRange(0, 13).Draw(t, "op")
			timed := op == 7 || op == 8 || op == 13 // commands given the time at
			switch op {
			case 0:
				err = l.Transfer(from, to, amt)
			case 1:
				err = l.Approve(from, to, amt)
			case 2:
				err = l.CompareAndApprove(from, to, l.Allowance(from, to), amt)
			case 3:
				err = l.IncreaseAllowance(from, to, amt)
			case 4:
				err = l.DecreaseAllowance(from, to, amt)
			case 5:
				err = l.TransferFrom(pick.Draw(t, "spender"), from, to, amt)
			case 6:
				s := tokentest.Schedule(amt, at).Draw(t, "schedule")
				_, err = l.Vest(from, to, s, rapid.Bool().Draw(t, "revocable"))
			case 7:
				_, err = l.Release(at, id)
			case 8:
				_, err = l.Revoke(at, id)
			case 9, 10:
				var s token.Schedule
				if amt.Sign() > 0 {
					s = tokentest.CalendarSchedule(amt, at).Draw(t, "calendar_schedule")
				}
				if op == 9 {
					_, err = l.Vest(from, to, s, rapid.Bool().Draw(t, "revocable"))
				} else {
					_, err = l.VestInEscrow(from, pick.Draw(t, "escrow"), to, s, rapid.Bool().Draw(t, "revocable"))
				}
			case 11:
				var until time.Time
				if timed = rapid.Bool().Draw(t, "until"); timed {
					until = at
				}
				err = l.Freeze(from, until)
			case 12:
				err = l.Unfreeze(from)
			case 13:
				_, err = l.Thaw(at)
			}
			if err != nil {
				if l.LastSeq() != seq {
					t.Fatalf("rejected command (%v) appended events", err)
				}
				if late := at.UTC().Year() > 9999; late && timed && !errors.Is(err, token.ErrInvalidTime) {
					t.Fatalf("a time in year %d: %v", at.UTC().Year(), err)
				}
				continue
			}
			persist()
			r, err := token.Replay(slices.Values(decodeLog(t, log)))
			if err != nil {
				t.Fatalf("replay: %v\n%s", err, log)
			}
			if want, got := stateOf(t, l), stateOf(t, r); !bytes.Equal(want, got) {
				t.Fatalf("replay differs:\n%s\n%s", want, got)
			}
		}
		tokentest.CheckLedger(t, l)
	})
}

// stateOf is state for a rapid.T.
func stateOf(t tokentest.TB, l *token.Ledger) []byte {
	t.Helper()
	data, err := l.MarshalJSON()
	if err != nil {
		t.Fatalf("%v", err)
	}
	return data
}

// TestReplayRejects: a log that was not written by a ledger does not replay.
func TestReplayRejects(t *testing.T) {
	l := busyLedger(t)
	for name, m := range map[string]func([]token.Event) []token.Event{
		"empty":            func([]token.Event) []token.Event { return nil },
		"no genesis":       func(es []token.Event) []token.Event { return renumber(es[3:], 1) },
		"seq gap":          func(es []token.Event) []token.Event { es[5].Seq = 7; return es },
		"zero genesis":     func(es []token.Event) []token.Event { es[0].Amount = ta("0"); es[1].Amount = ta("0"); return es[:3] },
		"genesis asset":    func(es []token.Event) []token.Event { es[1].Amount = token.BTC().MustParse("50"); return es },
		"late genesis":     func(es []token.Event) []token.Event { es[4].Kind = token.EventGenesis; es[4].From = ""; return es },
		"zero event":       func(es []token.Event) []token.Event { es[4] = token.Event{Seq: 5}; return es },
		"release amount":   func(es []token.Event) []token.Event { es[9].Amount = ta("9"); return es },
		"release time":     func(es []token.Event) []token.Event { es[9].At = sec(26); return es },
		"revoke to":        func(es []token.Event) []token.Event { es[10].To = "carol"; return es },
		"vest id":          func(es []token.Event) []token.Event { es[7].Vesting = 2; return es },
		"vest period":      func(es []token.Event) []token.Event { es[8].Period = -time.Second; return es },
		"transfer extra":   func(es []token.Event) []token.Event { es[3].Vesting = 1; return es },
		"overdraft":        func(es []token.Event) []token.Event { es[3].Amount = ta("1000"); return es },
		"allowance exceed": func(es []token.Event) []token.Event { es[5].Amount = ta("11"); return es },
	} {
		es := m(l.Events())
		if _, err := token.Replay(slices.Values(es)); !errors.Is(err, token.ErrReplay) {
			t.Errorf("%s: %v", name, err)
		}
	}
	r, err := token.Replay(l.EventsAfter(0))
	if err != nil || !bytes.Equal(state(t, l), state(t, r)) {
		t.Fatalf("replay of the ledger's own log: %v", err)
	}
}

// TestDecoder: the decoder streams a log into Replay and reports a bad line by number.
func TestDecoder(t *testing.T) {
	l := busyLedger(t)
	var log []byte
	for e := range l.EventsAfter(0) {
		log = append(e.AppendJSON(log), '\n')
	}
	d := token.NewDecoder(bytes.NewReader(append([]byte("\n"), log...)))
	r, err := token.Replay(d.Events())
	if err != nil || d.Err() != nil || !bytes.Equal(state(t, l), state(t, r)) {
		t.Fatalf("replay from the decoder: %v, %v", err, d.Err())
	}
	bad := bytes.Replace(log, []byte(`"kind":"approval"`), []byte(`"kind":"mint"`), 1)
	d = token.NewDecoder(bytes.NewReader(bad))
	n := 0
	for range d.Events() {
		n++
	}
	if err := d.Err(); !errors.Is(err, token.ErrReplay) || n != 4 || !strings.Contains(err.Error(), "line 5: ") {
		t.Fatalf("bad line: %d events, %v", n, err)
	}
	var zero token.Decoder
	for range zero.Events() {
		t.Fatal("the zero Decoder yields an event")
	}
}
