package rosca

import (
	"encoding/binary"
	"math/big"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// The circle's event log is a byte stream of compact records, appended in chunks that are
// never copied or rewritten. A record is
//
//	header  kind | amount form << 4 | time changed << 6 | round changed << 7
//	seat+1  uvarint (0 is the operator)
//	time    uvarint nanoseconds since the previous event, when the time changed
//	round   uvarint, when the round differs from the previous event's
//	amount  none; the contribution C; uvarint low and high words; or uvarint index of
//	        an amount of 128 bits or more kept aside
//	entitled (withdrawals only) a form byte, then the amount as above
//
// so a contribution of C in the round and at the time of the event before it takes two or
// three bytes, and one (the header nextSeatC alone) when it comes from the seat after the
// previous record's: members paying in seat order, as a round's contributions often do. A round closed refers to the closed rounds and a halt activated to the
// settlements by their order among the events of their kind, which a reader counts. A
// reader keeps a cursor; a mark, the cursor every markEvery events, lets EventsAfter start
// anywhere after decoding at most markEvery - 1 records.

// rec is one decoded record.
type rec struct {
	at       int64 // Unix nanoseconds, UTC
	kind     evKind
	seat     int // -1 is the operator
	round    int
	amount   units
	entitled units // withdrawals
	aux      int   // round closed: index of the closed round; halt activated: of the settlement; bid sealed or revealed: of the seal or salt; an extended kind: of its extra
}

// extra is what a record of an extended kind (a deterrent or a membership change) carries
// beyond the common fields, kept aside in the log: rare records, counted by the reader.
type extra struct {
	party  token.Account // the guarantor, the collector, the incoming member
	second units         // the bounty paid (recovered), the deduction (seat transferred)
	third  units         // the collateral the incoming member posted (seat transferred)
}

// The amount forms of a record.
const (
	amtNone         = iota
	amtContribution // the circle's contribution C
	amtWords        // uvarint low word, uvarint high word
	amtBig          // uvarint index into eventLog.bigs
)

const (
	// nextSeatC is a whole record: a contribution of C by the seat after the previous
	// record's, at its time and in its round. It is no kind's header (kinds are below 15).
	nextSeatC = 0x0f
	// extKind in a header's kind bits says the kind follows the header as a byte: the
	// kinds from evFirstExtended on, which all carry an extra.
	extKind      = 0x0e
	timeChanged  = 1 << 6
	roundChanged = 1 << 7
	// maxRecLen bounds a record's length: header, four uvarints of at most 10 bytes and
	// an entitlement of a form byte and two more.
	maxRecLen = 1 + 4*10 + 1 + 2*10
	// chunkBytes is the largest size of a chunk; each is twice the size of the one
	// before up to it.
	chunkBytes = 64 << 10
	// markEvery is the number of events between marks.
	markEvery = 256
	// maxMarksAhead bounds the marks a new log makes room for (about 800 KB).
	maxMarksAhead = 1 << 14
)

// cursor is a position in the log and what a reader knows there.
type cursor struct {
	at     int64 // the time of the previous record
	i      int   // the index of the next record
	chunk  int32 // where the next record starts: chunk and offset
	off    int32
	round  int32 // the round of the previous record
	seat   int32 // the seat of the previous record
	closes int32 // round closed records before the position
	halts  int32 // halt activated records before the position
	seals  int32 // bid sealed and bid revealed records before the position
	extras int32 // records of extended kinds before the position
}

// eventLog is the circle's append-only log.
type eventLog struct {
	full        [][]byte // chunks filled
	cur         []byte   // the chunk being filled
	n           int      // records
	end         cursor   // the position after the last record
	last        cursor   // the position of the last record
	marks       []cursor // marks[k] is the position of record k x markEvery
	bigs        []*big.Int
	settlements [][]SettlementLine
	seals       [][32]byte // the seals of bid sealed records and the salts of bid revealed ones
	extras      []extra    // the extras of the records of extended kinds
	lastAt      int64      // Unix nanoseconds of the last event (or the earliest time allowed)
}

// start readies an empty log for a circle whose first chunk should hold about size bytes,
// that expects about events events (room for their marks is made up to a bound, so that
// the marks seldom grow by copying), and whose events are at or after minNs.
func (l *eventLog) start(size, events int, minNs int64) {
	l.cur = make([]byte, 0, max(min(size, chunkBytes), maxRecLen))
	l.marks = make([]cursor, 0, min(events/markEvery+1, maxMarksAhead))
	l.lastAt = minNs
	l.end = cursor{at: minNs, round: 1}
}

// clip returns a copy of l sharing its records: appends to either leave the other as it was.
func (l *eventLog) clip() eventLog {
	d := *l
	d.full = clip(l.full)
	d.cur = clip(l.cur)
	d.marks = clip(l.marks)
	d.bigs = clip(l.bigs)
	d.settlements = clip(l.settlements)
	d.seals = clip(l.seals)
	d.extras = clip(l.extras)
	return d
}

func clip[S ~[]E, E any](s S) S { return s[:len(s):len(s)] }

// chunk returns chunk k.
func (l *eventLog) chunk(k int32) []byte {
	if int(k) < len(l.full) {
		return l.full[k]
	}
	return l.cur
}

// record appends r (r.aux is ignored: readers count). c is the circle's contribution.
func (l *eventLog) record(r *rec, c *units) {
	l.add(r.kind, r.at, r.seat, r.round, &r.amount, c)
	if r.kind == evWithdrawal {
		form, x := l.form(&r.entitled, c)
		l.cur = appendForm(append(l.cur, form), form, x)
		l.end.off = int32(len(l.cur))
	}
}

// addExtra appends a record of an extended kind with its extra e.
func (l *eventLog) addExtra(kind evKind, at int64, seat, round int, x, c *units, e extra) {
	l.extras = append(l.extras, e)
	l.add(kind, at, seat, round, x, c)
}

// add appends a record of kind at time at by seat in round with amount x; c is the
// circle's contribution. A withdrawal's entitlement follows (see record).
func (l *eventLog) add(kind evKind, at int64, seat, round int, x, c *units) {
	// The common record (a contribution of C at the time and in the round of the one
	// before, by one of the first 16,383 seats) takes the short path: three bytes at most.
	if n := len(l.cur); at == l.end.at && int32(round) == l.end.round && uint(seat+1) < 1<<14 &&
		l.n%markEvery != 0 && cap(l.cur)-n >= maxRecLen && x.b == nil && c.b == nil && x.v == c.v && kind == evContribution {
		l.last = l.end
		switch s := uint(seat + 1); {
		case int32(seat) == l.end.seat+1 && l.n > 0:
			l.cur = append(l.cur, nextSeatC)
		case s < 1<<7:
			l.cur = append(l.cur, byte(kind)|amtContribution<<4, byte(s))
		default:
			l.cur = append(l.cur, byte(kind)|amtContribution<<4, byte(s)|0x80, byte(s>>7))
		}
		l.n++
		l.end.off, l.end.i, l.end.seat = int32(len(l.cur)), l.n, int32(seat)
		return
	}
	if cap(l.cur)-len(l.cur) < maxRecLen {
		l.full = append(l.full, l.cur)
		l.cur = make([]byte, 0, min(2*cap(l.cur)+maxRecLen, chunkBytes))
		l.end.chunk, l.end.off = int32(len(l.full)), 0
	}
	if l.n%markEvery == 0 {
		l.marks = append(l.marks, l.end)
	}
	l.last = l.end
	h := byte(kind)
	if kind >= evFirstExtended {
		h = extKind
	}
	if at != l.end.at {
		h |= timeChanged
	}
	if int32(round) != l.end.round {
		h |= roundChanged
	}
	form, v := l.form(x, c)
	b := l.cur
	if kind >= evFirstExtended { // the kind follows the header
		b = append(b, h|form<<4, byte(kind))
	} else {
		b = append(b, h|form<<4)
	}
	switch s := uint(seat + 1); {
	case s < 1<<7:
		b = append(b, byte(s))
	case s < 1<<14:
		b = append(b, byte(s)|0x80, byte(s>>7))
	default:
		b = binary.AppendUvarint(b, uint64(s))
	}
	if h&timeChanged != 0 {
		b = binary.AppendUvarint(b, uint64(at-l.end.at))
	}
	if h&roundChanged != 0 {
		b = binary.AppendUvarint(b, uint64(round))
	}
	l.cur = appendForm(b, form, v)
	l.n++
	l.end.off, l.end.i, l.end.at, l.end.round, l.end.seat = int32(len(l.cur)), l.n, at, int32(round), int32(seat)
	switch kind {
	case evRoundClosed:
		l.end.closes++
	case evHaltActivated:
		l.end.halts++
	case evBidSealed, evBidRevealed:
		l.end.seals++
	}
	if kind >= evFirstExtended {
		l.end.extras++
	}
	l.lastAt = at
}

// form returns the form x is stored in and its words (or index) for appendForm.
func (l *eventLog) form(x, c *units) (byte, uint128.U128) {
	switch {
	case x.b != nil:
		l.bigs = append(l.bigs, x.b)
		return amtBig, uint128.From64(uint64(len(l.bigs) - 1))
	case x.v.IsZero():
		return amtNone, uint128.U128{}
	case c.b == nil && x.v == c.v:
		return amtContribution, uint128.U128{}
	}
	return amtWords, x.v
}

func appendForm(b []byte, form byte, x uint128.U128) []byte {
	switch form {
	case amtWords:
		return binary.AppendUvarint(binary.AppendUvarint(b, x.Lo), x.Hi)
	case amtBig:
		return binary.AppendUvarint(b, x.Lo)
	}
	return b
}

// next decodes the record at cur into r and advances cur. The caller checks cur.i < l.n.
func (l *eventLog) next(cur *cursor, r *rec, c *units) {
	b := l.chunk(cur.chunk)
	if int(cur.off) >= len(b) {
		cur.chunk, cur.off = cur.chunk+1, 0
		b = l.chunk(cur.chunk)
	}
	p := int(cur.off)
	h := b[p]
	p++
	kind := evKind(h & 0x0f)
	if kind == extKind {
		kind = evKind(b[p])
		p++
	}
	if h == nextSeatC {
		cur.seat++
		r.kind, r.seat, r.at, r.round = evContribution, int(cur.seat), cur.at, int(cur.round)
		r.amount, r.entitled, r.aux = *c, units{}, 0
		cur.off = int32(p)
		cur.i++
		return
	}
	seat, k := binary.Uvarint(b[p:])
	p += k
	if h&timeChanged != 0 {
		dt, k := binary.Uvarint(b[p:])
		p += k
		cur.at += int64(dt)
	}
	if h&roundChanged != 0 {
		rd, k := binary.Uvarint(b[p:])
		p += k
		cur.round = int32(rd)
	}
	r.kind, r.seat, r.at, r.round = kind, int(seat)-1, cur.at, int(cur.round)
	cur.seat = int32(r.seat)
	r.amount, p = l.readForm(b, p, (h>>4)&3, c)
	r.entitled = units{}
	if r.kind == evWithdrawal {
		r.entitled, p = l.readForm(b, p+1, b[p], c)
	}
	switch r.aux = 0; r.kind {
	case evRoundClosed:
		r.aux = int(cur.closes)
		cur.closes++
	case evHaltActivated:
		r.aux = int(cur.halts)
		cur.halts++
	case evBidSealed, evBidRevealed:
		r.aux = int(cur.seals)
		cur.seals++
	}
	if r.kind >= evFirstExtended {
		r.aux = int(cur.extras)
		cur.extras++
	}
	cur.off = int32(p)
	cur.i++
}

func (l *eventLog) readForm(b []byte, p int, form byte, c *units) (units, int) {
	switch form {
	case amtContribution:
		return *c, p
	case amtWords:
		lo, k := binary.Uvarint(b[p:])
		hi, k2 := binary.Uvarint(b[p+k:])
		return units{v: uint128.U128{Hi: hi, Lo: lo}}, p + k + k2
	case amtBig:
		i, k := binary.Uvarint(b[p:])
		return units{b: l.bigs[i]}, p + k
	}
	return units{}, p
}

// seek returns the cursor at record i (0 <= i <= n).
func (l *eventLog) seek(i int, r *rec, c *units) cursor {
	switch i {
	case l.n:
		return l.end
	case l.n - 1:
		return l.last
	}
	cur := l.marks[i/markEvery]
	for cur.i < i {
		l.next(&cur, r, c)
	}
	return cur
}

// bytes returns the bytes the records take in the chunks.
func (l *eventLog) bytes() int {
	n := len(l.cur)
	for _, b := range l.full {
		n += len(b)
	}
	return n
}

// reset empties l for a circle whose events are at or after minNs, keeping its current
// chunk (the largest) for the records to come.
func (l *eventLog) reset(minNs int64) {
	cur := l.cur[:0]
	*l = eventLog{cur: cur, marks: l.marks[:0], bigs: l.bigs[:0], settlements: l.settlements[:0], seals: l.seals[:0], extras: l.extras[:0], full: l.full[:0]}
	clear(l.full[:cap(l.full)])
	l.lastAt = minNs
	l.end = cursor{at: minNs, round: 1}
}
