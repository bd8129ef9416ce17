package rosca

import (
	"time"

	"github.com/trustcircle/trustcircle/internal/wire"
	"github.com/trustcircle/trustcircle/token"
)

// Encoder writes events as JSON, byte for byte as [Event.AppendJSON] does, for a service
// that persists a circle's events as it goes. It remembers the text of the last time and the
// last amount it wrote, so a run of events at one time or of one amount (the contributions
// of a round) costs less. The zero Encoder is ready to use; an Encoder is not safe for
// concurrent use (give each writer its own).
type Encoder struct {
	at      time.Time
	atText  []byte
	amt     token.Amount
	amtText []byte
}

// AppendJSON appends the JSON of e to b and returns the extended buffer.
func (enc *Encoder) AppendJSON(b []byte, e *Event) []byte { return appendEvent(b, e, enc) }

// AppendLines appends the JSON of each of the circle's events after seq to b, one a line,
// and returns the extended buffer and the sequence number of the last event appended (seq
// when there is none): the cheap path to persist the events a command appended.
func (enc *Encoder) AppendLines(b []byte, c *Circle, seq uint64) ([]byte, uint64) {
	last := seq
	for e := range c.EventsAfter(seq) {
		b = append(appendEvent(b, &e, enc), '\n')
		last = e.Seq
	}
	return b, last
}

func (enc *Encoder) appendTime(b []byte, t time.Time) []byte {
	if t != enc.at || enc.atText == nil {
		enc.at = t
		enc.atText = wire.AppendTime(enc.atText[:0], t)
	}
	return append(b, enc.atText...)
}

func (enc *Encoder) appendAmount(b []byte, x *token.Amount) []byte {
	if !x.Equal(enc.amt) || enc.amtText == nil {
		enc.amt = *x
		enc.amtText = appendAmount(enc.amtText[:0], x)
	}
	return append(b, enc.amtText...)
}
