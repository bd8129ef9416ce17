package token

import (
	"iter"
	"time"
)

// record is one event as the ledger keeps it: 40 bytes without a pointer, so that a log of
// millions of events costs 40 bytes an event and the garbage collector never scans it. The
// accounts are ids (see [acct]), the kind a number, the amount its minor units (the asset is
// the ledger's; an amount of 2^128 units or more lives in [Ledger.wideAmounts]), the time of
// the few events that have one lives in [Ledger.times], and a vest's schedule stays with its
// grant. [Ledger.event] turns a record back into an [Event].
//
// A record that moves balances links itself into the history of each account it moves
// (prevFrom, prevTo: the Seq of that account's previous such event), which is what lets
// [Ledger.BalanceAt] walk one account's history alone.
type record struct {
	hi, lo           uint64 // the amount in minor units, unless wide
	from, to         uint32 // account ids; for a move, the account debited and the account credited
	prevFrom, prevTo uint32 // the Seq of the previous move of from and of to, 0 for none
	aux              uint32 // the spender's id (transfer, approval), or the grant (vest, release, revoke)
	kind             uint8
	moves            bool // the event debits from (unless noAccount) and credits to
	wide             bool // the amount is in Ledger.wideAmounts
}

// The kinds of records, indexes of kinds.
const (
	kGenesis uint8 = iota
	kTransfer
	kApproval
	kVest
	kRelease
	kRevoke
	kFreeze
	kUnfreeze
)

// kinds names the kinds of records.
var kinds = [...]EventKind{EventGenesis, EventTransfer, EventApproval, EventVest, EventRelease, EventRevoke,
	EventFreeze, EventUnfreeze}

// chunkShift sets the size of the chunks of a [chunked] list: 4,096 items (160 KiB of
// records). A chunk is never copied once full, so a list of millions grows without the
// doubling copies (and the transient double memory) of one slice.
const (
	chunkShift = 12
	chunkLen   = 1 << chunkShift
)

// chunked is an append-only list in chunks of chunkLen items; the ledger keeps its log and
// its accounts in them.
type chunked[T any] struct {
	chunks [][]T
	n      int
}

func (c *chunked[T]) add(v T) {
	k := len(c.chunks)
	if k == 0 || len(c.chunks[k-1]) == chunkLen {
		size := chunkLen
		if k == 0 {
			size = 8 // a small ledger's first chunk grows by append
		}
		c.chunks = append(c.chunks, make([]T, 0, size))
		k++
	}
	c.chunks[k-1] = append(c.chunks[k-1], v)
	c.n++
}

// at returns item i.
func (c *chunked[T]) at(i int) *T { return &c.chunks[i>>chunkShift][i&(chunkLen-1)] }

// emit appends r with amount x and time at (zero for none) to the log. The accounts it moves
// get it as their last move.
func (l *Ledger) emit(r record, x Amount, at time.Time) {
	seq := uint32(l.log.n + 1) // 2^32 events would need 200 GB first
	if hi, lo, ok := x.Uint128Units(); ok {
		r.hi, r.lo = hi, lo
	} else if x.IsValid() {
		if l.wideAmounts == nil {
			l.wideAmounts = make(map[uint32]Amount)
		}
		l.wideAmounts[seq], r.wide = x, true
	}
	if !at.IsZero() {
		if l.times == nil {
			l.times = make(map[uint32]time.Time)
		}
		l.times[seq] = at
	}
	if r.moves {
		if r.from != noAccount {
			f := l.acct(r.from)
			r.prevFrom, f.last = f.last, seq
		}
		if r.to == r.from {
			r.prevTo = r.prevFrom
		} else {
			t := l.acct(r.to)
			r.prevTo, t.last = t.last, seq
		}
	}
	l.log.add(r)
}

// amount returns the amount of record r, event seq.
func (l *Ledger) amount(r *record, seq uint32) Amount {
	if r.wide {
		return l.wideAmounts[seq]
	}
	return l.asset.FromUint128Units(r.hi, r.lo)
}

// event returns event i of the log (Seq i+1).
func (l *Ledger) event(i int) Event {
	r := l.log.at(i)
	e := Event{Seq: uint64(i + 1), Kind: kinds[r.kind]}
	if r.kind != kFreeze && r.kind != kUnfreeze {
		e.Amount = l.amount(r, uint32(i+1))
	}
	switch r.kind {
	case kRelease, kRevoke, kFreeze, kUnfreeze: // the kinds with a time
		e.At = l.times[uint32(i+1)]
	}
	switch r.kind {
	case kVest, kRelease, kRevoke:
		l.grantEvent(&e, r)
	default:
		e.From, e.To, e.Spender = l.name(r.from), l.name(r.to), l.name(r.aux)
	}
	return e
}

// Events returns a copy of the event log. [Ledger.EventsAfter] hands out a tail without
// copying the whole log.
func (l *Ledger) Events() []Event {
	out := make([]Event, l.log.n)
	for i := range out {
		out[i] = l.event(i)
	}
	return out
}

// EventsAfter returns the events whose Seq is above seq, in order: EventsAfter(0) is the
// whole log, EventsAfter(l.LastSeq()) nothing. It costs O(k) for the k events it yields.
// The ledger must not change while the sequence is iterated.
func (l *Ledger) EventsAfter(seq uint64) iter.Seq[Event] {
	return func(yield func(Event) bool) {
		for i := seq; i < uint64(l.log.n); i++ {
			if !yield(l.event(int(i))) {
				return
			}
		}
	}
}

// LastSeq returns the Seq of the last event, 0 for the zero Ledger.
func (l *Ledger) LastSeq() uint64 { return uint64(l.log.n) }
