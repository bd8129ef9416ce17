package token

import (
	"iter"
	"strconv"
)

// Replay rebuilds a ledger from its event log, as [Ledger.EventsAfter](0) hands it out (a
// slice of events is passed as slices.Values(events)). The log starts with the genesis
// events, which define the asset, the supply (their sum) and the grants; every later event
// is run again as the command that recorded it ([Ledger.Transfer], [Ledger.TransferFrom],
// [Ledger.Approve], [Ledger.Vest], [Ledger.VestInEscrow], [Ledger.Release], [Ledger.Revoke],
// [Ledger.Freeze], [Ledger.Unfreeze], [Ledger.Thaw]) and must be exactly
// what that command records now, Seq included. The result equals the ledger that wrote the
// log. The error is an [*Error] wrapping [ErrReplay] (and the reason the command gave, if
// it refused), naming the first event that does not replay.
func Replay(events iter.Seq[Event]) (*Ledger, error) {
	var (
		l       *Ledger
		g       Genesis
		genesis []Event
		n       uint64
	)
	fail := func(e Event, detail string, cause error) (*Ledger, error) {
		var err error = ErrReplay
		if cause != nil {
			err = withCause{ErrReplay, cause}
			detail += ": " + causeText(cause)
		}
		return nil, &Error{Op: "Replay", Account: e.From, Amount: e.Amount, At: e.At,
			Detail: "event " + strconv.FormatUint(e.Seq, 10) + " (" + string(e.Kind) + "): " + detail, Err: err}
	}
	for e := range events {
		n++
		if e.Seq != n {
			return fail(e, "out of sequence, want seq "+strconv.FormatUint(n, 10), nil)
		}
		if l == nil && e.Kind == EventGenesis {
			if len(genesis) == 0 {
				g.Asset = e.Amount.Asset()
				g.Supply = g.Asset.Zero()
			}
			var err error
			if g.Supply, err = g.Supply.Add(e.Amount); err != nil {
				return fail(e, "genesis", err)
			}
			g.Grants = append(g.Grants, Grant{Account: e.To, Amount: e.Amount})
			genesis = append(genesis, e)
			continue
		}
		if l == nil {
			var err error
			if l, err = replayGenesis(g, genesis); err != nil {
				return fail(e, "the genesis events before it", err)
			}
		}
		if err := l.replayOne(e); err != nil {
			return fail(e, "", err)
		}
	}
	if l == nil {
		var err error
		if l, err = replayGenesis(g, genesis); err != nil {
			return nil, &Error{Op: "Replay", Detail: "the genesis events: " + causeText(err), Err: withCause{ErrReplay, err}}
		}
	}
	return l, nil
}

// replayGenesis makes the ledger of the genesis events and checks that it records them.
func replayGenesis(g Genesis, events []Event) (*Ledger, error) {
	if len(events) == 0 {
		return nil, &Error{Op: "Replay", Detail: "the log does not start with genesis events", Err: ErrGenesis}
	}
	l, err := NewLedger(g)
	if err != nil {
		return nil, err
	}
	for i, e := range events {
		if !l.event(i).Equal(e) {
			return nil, &Error{Op: "Replay", Detail: "genesis event " + strconv.Itoa(i+1) + " carries fields a genesis does not record", Err: ErrGenesis}
		}
	}
	return l, nil
}

// replayOne runs the command that recorded e and checks that it records e again.
func (l *Ledger) replayOne(e Event) error {
	var err error
	var got Amount
	switch e.Kind {
	case EventTransfer:
		if e.Spender == "" {
			err = l.Transfer(e.From, e.To, e.Amount)
		} else {
			err = l.TransferFrom(e.Spender, e.From, e.To, e.Amount)
		}
	case EventApproval:
		err = l.Approve(e.From, e.Spender, e.Amount)
	case EventVest:
		s := Schedule{Total: e.Amount, Start: e.Start, Cliff: e.Cliff, End: e.End, Period: e.Period, Step: e.Step, Linear: e.Linear}
		if e.Escrow == "" {
			_, err = l.Vest(e.From, e.To, s, e.Revocable)
		} else {
			_, err = l.VestInEscrow(e.From, e.Escrow, e.To, s, e.Revocable)
		}
	case EventRelease:
		got, err = l.Release(e.At, e.Vesting)
	case EventRevoke:
		got, err = l.Revoke(e.At, e.Vesting)
	case EventFreeze:
		err = l.Freeze(e.From, e.At)
	case EventUnfreeze:
		err = l.replayUnfreeze(e)
	case EventGenesis:
		return &Error{Op: "Replay", Detail: "a genesis event after the genesis", Err: ErrReplay}
	default:
		return &Error{Op: "Replay", Detail: "unknown kind " + strconv.Quote(string(e.Kind)), Err: ErrReplay}
	}
	if err != nil {
		return err
	}
	if last := l.event(l.log.n - 1); last.Seq != e.Seq || !last.Equal(e) {
		detail := "the command records something else"
		if got.IsValid() && !got.Equal(e.Amount) {
			detail = "the command moves " + got.String()
		}
		return &Error{Op: "Replay", Detail: detail, Err: ErrReplay}
	}
	return nil
}

// replayUnfreeze runs the command of an unfreeze event: [Ledger.Unfreeze] by its
// administrator, or [Ledger.Thaw] at its time, which must lift the freeze.
func (l *Ledger) replayUnfreeze(e Event) error {
	if e.From != "" {
		return l.Unfreeze(e.From)
	}
	if e.At.IsZero() {
		return &Error{Op: "Replay", Detail: "an unfreeze with neither an administrator nor a time", Err: ErrReplay}
	}
	lifted, err := l.Thaw(e.At)
	if err == nil && !lifted {
		return &Error{Op: "Replay", At: e.At, Detail: "the time does not lift the freeze", Err: ErrReplay}
	}
	return err
}
