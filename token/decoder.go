package token

import (
	"bufio"
	"bytes"
	"io"
	"iter"
	"strconv"
)

// maxEventLine bounds one line a [Decoder] reads. An event a ledger writes is well under a
// kilobyte.
const maxEventLine = 1 << 20

// Decoder reads a ledger's events from JSON lines, one event per line, as
// [Event.AppendJSON] and a newline write them, without holding the whole log: pass
// [Decoder.Events] to [Replay]. Like [bufio.Scanner], it stops at the first error, which
// [Decoder.Err] then returns. Blank lines are skipped. The zero Decoder reads nothing.
type Decoder struct {
	sc   *bufio.Scanner
	line int
	err  error
}

// NewDecoder returns a decoder of the JSON lines of r.
func NewDecoder(r io.Reader) *Decoder {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxEventLine)
	return &Decoder{sc: sc}
}

// Events returns the events of the remaining lines, in order. It is meant to be iterated
// once.
func (d *Decoder) Events() iter.Seq[Event] {
	return func(yield func(Event) bool) {
		if d.sc == nil || d.err != nil {
			return
		}
		for d.sc.Scan() {
			d.line++
			b := bytes.TrimSpace(d.sc.Bytes())
			if len(b) == 0 {
				continue
			}
			var e Event
			if err := e.UnmarshalJSON(b); err != nil {
				if te, ok := err.(*Error); ok {
					te.Detail = "line " + strconv.Itoa(d.line) + ": " + te.Detail
				}
				d.err = err
				return
			}
			if !yield(e) {
				return
			}
		}
		if err := d.sc.Err(); err != nil {
			d.err = &Error{Op: "Decoder", Detail: "line " + strconv.Itoa(d.line+1) + ": " + err.Error(), Err: withCause{ErrReplay, err}}
		}
	}
}

// Err returns the first error met by [Decoder.Events]: an [*Error] wrapping [ErrReplay]
// for a line that is not an event, or the reader's error. It is nil at a clean end.
func (d *Decoder) Err() error { return d.err }
