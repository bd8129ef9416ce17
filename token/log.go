package token

import "time"

// record is one event as the ledger keeps it, in about a hundred bytes: the kind as a
// number, the amount as its minor units (the asset is the ledger's), the time as seconds
// and nanoseconds, and no copy of a vest's schedule (the grant holds it). [Ledger.event]
// turns it back into an [Event].
type record struct {
	kind              uint8
	nsec              int32 // At's nanoseconds, when sec is set
	sec               int64 // At as Unix seconds; 0 with nsec -1 for the zero time
	vesting           VestingID
	from, to, spender Account
	hi, lo            uint64  // the amount in minor units, when wide is nil
	wide              *Amount // the amount when it is 2^128 minor units or more
}

// kinds numbers the event kinds for records.
var kinds = [...]EventKind{EventGenesis, EventTransfer, EventApproval, EventVest, EventRelease, EventRevoke}

func kindIndex(k EventKind) uint8 {
	for i, v := range kinds {
		if v == k {
			return uint8(i)
		}
	}
	panic("token: unknown event kind " + string(k)) // only the ledger's own kinds are recorded
}

// emit appends the event e (its Seq is set here) to the log.
func (l *Ledger) emit(e Event) {
	r := record{kind: kindIndex(e.Kind), vesting: e.Vesting, from: e.From, to: e.To, spender: e.Spender, nsec: -1}
	if hi, lo, ok := e.Amount.Uint128Units(); ok {
		r.hi, r.lo = hi, lo
	} else {
		x := e.Amount
		r.wide = &x
	}
	if !e.At.IsZero() {
		r.sec, r.nsec = e.At.Unix(), int32(e.At.Nanosecond())
	}
	l.events = append(l.events, r)
}

// event returns event i of the log (Seq i+1).
func (l *Ledger) event(i int) Event {
	r := &l.events[i]
	e := Event{Seq: uint64(i + 1), Kind: kinds[r.kind], From: r.from, To: r.to, Spender: r.spender, Vesting: r.vesting}
	if r.wide != nil {
		e.Amount = *r.wide
	} else {
		e.Amount = l.asset.FromUint128Units(r.hi, r.lo)
	}
	if r.nsec >= 0 {
		e.At = time.Unix(r.sec, int64(r.nsec)).UTC()
	}
	if e.Kind == EventVest {
		v := l.vestings[r.vesting-1]
		s := v.schedule
		e.Start, e.Cliff, e.End, e.Period, e.Revocable = s.Start, s.Cliff, s.End, s.Period, v.revocable
	}
	return e
}
