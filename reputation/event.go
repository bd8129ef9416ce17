package reputation

import (
	"io"
	"iter"
	"slices"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/internal/cmderr"
	"github.com/trustcircle/trustcircle/internal/jsonlines"
	"github.com/trustcircle/trustcircle/internal/wire"
	"github.com/trustcircle/trustcircle/token"
)

// EventKind names what a book [Event] records. Kinds are snake_case. The zero EventKind is
// no kind; [Replay] refuses it.
type EventKind string

// The kinds of book events.
const (
	EventCircleAdded  EventKind = "circle_added"  // Circle was recorded with Members
	EventReviewPosted EventKind = "review_posted" // Reviewer reviewed Subject in Circle: Rating, Text
)

// eventVersion is the format version of the event encoding, its "v".
const eventVersion = 1

// Event records one accepted command of a [Book]. Seq numbers a book's events from 1; At is
// the time given to the command, in UTC. A circle_added event carries Circle and Members (in
// the order given); a review_posted event carries Circle, Reviewer, Subject, Rating and
// Text. The zero Event is no event of any log.
//
// Its JSON, written by [Event.AppendJSON], is one object with the format version first:
//
//	{"v":1,"seq":1,"kind":"circle_added","at":"2026-03-01T00:00:00Z","circle":"c1","members":["alice","bob"]}
//	{"v":1,"seq":2,"kind":"review_posted","at":"2026-03-02T00:00:00Z","circle":"c1","reviewer":"alice","subject":"bob","rating":4,"text":"paid on time"}
//
// The text is left out when empty.
type Event struct {
	Seq      uint64
	Kind     EventKind
	At       time.Time
	Circle   string
	Members  []token.Account
	Reviewer token.Account
	Subject  token.Account
	Rating   int
	Text     string
}

// Equal reports whether two events are the same (times compared as instants).
func (e Event) Equal(f Event) bool {
	return e.Seq == f.Seq && e.Kind == f.Kind && e.At.Equal(f.At) && e.Circle == f.Circle &&
		slices.Equal(e.Members, f.Members) && e.Reviewer == f.Reviewer && e.Subject == f.Subject &&
		e.Rating == f.Rating && e.Text == f.Text
}

// AppendJSON appends the event's JSON to b and returns the extended buffer. It writes the
// fields of the event's kind as they are, without reflection; [Event.MarshalJSON] also
// checks that the time can be decoded.
func (e Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"v":1,"seq":`...)
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, `,"kind":`...)
	b = wire.AppendString(b, string(e.Kind))
	b = append(b, `,"at":`...)
	b = wire.AppendTime(b, e.At)
	b = append(b, `,"circle":`...)
	b = wire.AppendString(b, e.Circle)
	switch e.Kind {
	case EventCircleAdded:
		b = append(b, `,"members":[`...)
		for i, m := range e.Members {
			if i > 0 {
				b = append(b, ',')
			}
			b = wire.AppendString(b, string(m))
		}
		b = append(b, ']')
	default:
		b = append(b, `,"reviewer":`...)
		b = wire.AppendString(b, string(e.Reviewer))
		b = append(b, `,"subject":`...)
		b = wire.AppendString(b, string(e.Subject))
		b = append(b, `,"rating":`...)
		b = strconv.AppendInt(b, int64(e.Rating), 10)
		if e.Text != "" {
			b = append(b, `,"text":`...)
			b = wire.AppendString(b, e.Text)
		}
	}
	return append(b, '}')
}

// MarshalJSON returns [Event.AppendJSON]'s encoding. An event whose time lies outside the
// years 1 to 9999 is an [*Error] wrapping [ErrInvalidLog]: it could not be decoded.
func (e Event) MarshalJSON() ([]byte, error) {
	if y := e.At.UTC().Year(); y < 1 || y > 9999 {
		return nil, &Error{Op: "Event.MarshalJSON", At: e.At, Detail: "year " + strconv.Itoa(y) + " is outside 1 to 9999", Err: ErrInvalidLog}
	}
	return e.AppendJSON(nil), nil
}

// eventJSON is the decoding form of an Event.
type eventJSON struct {
	V        *int            `json:"v"`
	Seq      *uint64         `json:"seq"`
	Kind     *EventKind      `json:"kind"`
	At       *time.Time      `json:"at"`
	Circle   *string         `json:"circle"`
	Members  []token.Account `json:"members"`
	Reviewer *token.Account  `json:"reviewer"`
	Subject  *token.Account  `json:"subject"`
	Rating   *int            `json:"rating"`
	Text     *string         `json:"text"`
}

// UnmarshalJSON decodes the form [Event.AppendJSON] writes, strictly: the version must be
// 1, the kind known, the sequence number positive, the fields those of the kind (the text
// optional), and unknown fields are refused; the time is kept in UTC. The error is an
// [*Error] wrapping [ErrInvalidLog], and the event is then unchanged. Whether the event
// fits its log is for [Replay] to say.
func (e *Event) UnmarshalJSON(b []byte) error {
	const op = "Event.UnmarshalJSON"
	var j eventJSON
	if err := decodeStrict(op, b, &j); err != nil {
		return err
	}
	fail := func(detail string) error { return &Error{Op: op, Detail: detail, Err: ErrInvalidLog} }
	switch {
	case j.V == nil || j.Seq == nil || j.Kind == nil || j.At == nil || j.Circle == nil:
		return fail("want the fields v, seq, kind, at and circle")
	case *j.V != eventVersion:
		return fail("format version " + strconv.Itoa(*j.V) + ", want 1")
	case *j.Seq == 0:
		return fail("sequence number 0; events are numbered from 1")
	}
	d := Event{Seq: *j.Seq, Kind: *j.Kind, At: j.At.UTC(), Circle: *j.Circle}
	switch d.Kind {
	case EventCircleAdded:
		if j.Members == nil || j.Reviewer != nil || j.Subject != nil || j.Rating != nil || j.Text != nil {
			return fail("a circle_added event has the fields members and no review fields")
		}
		d.Members = j.Members
	case EventReviewPosted:
		if j.Members != nil || j.Reviewer == nil || j.Subject == nil || j.Rating == nil {
			return fail("a review_posted event has the fields reviewer, subject, rating and, optionally, text")
		}
		d.Reviewer, d.Subject, d.Rating = *j.Reviewer, *j.Subject, *j.Rating
		if j.Text != nil {
			if *j.Text == "" {
				return fail("an empty text is left out")
			}
			d.Text = *j.Text
		}
	default:
		return fail("unknown kind " + strconv.Quote(string(d.Kind)))
	}
	*e = d
	return nil
}

// Decoder reads a stream of book events written as JSON values one after another (one per
// line, as a service appends them), like bufio.Scanner: range over [Decoder.Events], then
// check [Decoder.Err]. The zero Decoder reads nothing.
//
//	dec := reputation.NewDecoder(file)
//	book, err := reputation.Replay(dec.Events())
//	if err == nil {
//		err = dec.Err()
//	}
type Decoder struct {
	d *jsonlines.Decoder[Event]
}

// NewDecoder returns a decoder reading events from r.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{d: jsonlines.New[Event](r, func(err error) error { return cmderr.Decode("Decoder.Events", ErrInvalidLog, err) })}
}

// Events returns the events of the stream, in order, decoded one at a time. It stops at the
// end of the stream or at the first event that does not decode; [Decoder.Err] then says
// which.
func (d *Decoder) Events() iter.Seq[Event] { return d.d.Values() }

// Err returns the first error met by [Decoder.Events], nil at the end of a well-formed
// stream. It is an [*Error] wrapping [ErrInvalidLog].
func (d *Decoder) Err() error { return d.d.Err() }

// decodeStrict decodes one JSON value into v, refusing unknown fields and trailing data.
func decodeStrict(op string, b []byte, v any) error {
	if err := jsonlines.Strict(b, v); err != nil {
		return cmderr.Decode(op, ErrInvalidLog, err)
	}
	return nil
}
