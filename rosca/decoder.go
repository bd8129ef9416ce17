package rosca

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
)

// Decoder reads an event log in JSON lines, one event per line as [Event.AppendJSON]
// writes it, like a bufio.Scanner: range over [Decoder.Events], then check [Decoder.Err].
// It holds one line at a time, so [Replay] rebuilds a circle from a file of any length
// without holding the decoded log:
//
//	d := rosca.NewDecoder(f)
//	c, err := rosca.Replay(cfg, d.Events())
//	if err == nil {
//		err = d.Err()
//	}
//
// Blank lines are skipped. A last line without its newline is a write that did not
// complete: it is reported as an error, not guessed at. The zero Decoder reads nothing and
// reports [ErrUninitialized].
type Decoder struct {
	r    *bufio.Reader
	line int
	err  error
}

// NewDecoder returns a decoder reading from r.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{r: bufio.NewReaderSize(r, 64<<10)}
}

// Events returns the events of the log, in the order of its lines. The sequence stops at
// the first line that does not decode, or when the reader fails; [Decoder.Err] then says
// why. It reads the underlying reader, so it can be ranged over once.
func (d *Decoder) Events() iter.Seq[Event] {
	return func(yield func(Event) bool) {
		if d.r == nil {
			d.err = &Error{Op: "Decoder.Events", Err: ErrUninitialized}
			return
		}
		for d.err == nil {
			line, err := d.r.ReadSlice('\n')
			if errors.Is(err, bufio.ErrBufferFull) {
				line, err = d.readLong(line)
			}
			if len(line) > 0 {
				d.line++
			}
			switch {
			case err == io.EOF && len(bytes.TrimSpace(line)) > 0:
				d.err = d.fail("incomplete last line (no newline): a write that did not complete", nil)
				return
			case err == io.EOF:
				return
			case err != nil:
				d.err = d.fail(err.Error(), err)
				return
			}
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			var e Event
			if err := e.UnmarshalJSON(line); err != nil {
				d.err = d.fail(jsonDetail(err), err)
				return
			}
			if !yield(e) {
				return
			}
		}
	}
}

// readLong reads the rest of a line longer than the buffer.
func (d *Decoder) readLong(first []byte) ([]byte, error) {
	buf := append([]byte(nil), first...)
	for {
		more, err := d.r.ReadSlice('\n')
		buf = append(buf, more...)
		if !errors.Is(err, bufio.ErrBufferFull) {
			return buf, err
		}
	}
}

func (d *Decoder) fail(detail string, cause error) error {
	return &Error{Op: "Decoder.Events", Detail: fmt.Sprintf("line %d: %s", d.line, detail), Err: wrapReason(ErrReplay, cause)}
}

// Err returns the error that stopped [Decoder.Events], or nil if it read the whole log.
func (d *Decoder) Err() error {
	if d.r == nil {
		return &Error{Op: "Decoder.Err", Err: ErrUninitialized}
	}
	return d.err
}
