package roles

import (
	"io"
	"iter"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/internal/cmderr"
	"github.com/trustcircle/trustcircle/internal/jsonlines"
	"github.com/trustcircle/trustcircle/internal/wire"
	"github.com/trustcircle/trustcircle/token"
)

// EventKind names what a directory [Event] records. The zero EventKind is no kind; [Replay]
// refuses it.
type EventKind string

// The kinds of directory events.
const (
	EventGranted EventKind = "granted" // Roles were added to Account
	EventRevoked EventKind = "revoked" // Roles were removed from Account
)

// eventVersion is the format version of the event encodings.
const eventVersion = 1

// Event records one change of a [Directory]. Seq numbers events from 1 in the order they
// happened; At is the time given to the command, in UTC. Roles holds only the roles that
// actually changed; After is the account's whole role set after the change. The zero Event
// is not a valid event of any log.
//
// Its JSON, written by [Event.AppendJSON], is one object with the format version first:
//
//	{"v":1,"seq":1,"kind":"granted","at":"2017-04-01T12:00:00Z","account":"alice","roles":"sponsor","after":"sponsor|user"}
type Event struct {
	Seq     uint64
	At      time.Time
	Kind    EventKind
	Account token.Account
	Roles   Set
	After   Set
}

// AppendJSON appends the event's JSON to b and returns the extended buffer. It writes the
// fields as they are; [Event.MarshalJSON] also checks that they can be decoded.
func (e Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"v":1,"seq":`...)
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, `,"kind":`...)
	b = wire.AppendString(b, string(e.Kind))
	b = append(b, `,"at":`...)
	b = wire.AppendTime(b, e.At)
	b = append(b, `,"account":`...)
	b = wire.AppendString(b, string(e.Account))
	b = append(b, `,"roles":`...)
	b = wire.AppendString(b, e.Roles.String())
	b = append(b, `,"after":`...)
	b = wire.AppendString(b, e.After.String())
	return append(b, '}')
}

// MarshalJSON returns [Event.AppendJSON]'s encoding. An event whose sets hold unknown bits
// or whose time lies outside the years 1 to 9999 is an [*Error] wrapping [ErrInvalidLog]:
// it could not be decoded.
func (e Event) MarshalJSON() ([]byte, error) {
	if err := checkEncodable("Event.MarshalJSON", e.At); err != nil {
		return nil, err
	}
	if !e.Roles.Valid() || !e.After.Valid() {
		return nil, &Error{Op: "Event.MarshalJSON", Account: e.Account, Detail: "unknown role bits", Err: ErrInvalidLog}
	}
	return e.AppendJSON(nil), nil
}

// eventJSON is the decoding form of an Event: every field is required.
type eventJSON struct {
	V       *int           `json:"v"`
	Seq     *uint64        `json:"seq"`
	Kind    *EventKind     `json:"kind"`
	At      *time.Time     `json:"at"`
	Account *token.Account `json:"account"`
	Roles   *Set           `json:"roles"`
	After   *Set           `json:"after"`
}

// UnmarshalJSON decodes the form [Event.AppendJSON] writes. It refuses a format version
// other than 1, unknown and missing fields, and malformed values with an [*Error] wrapping
// [ErrInvalidLog]; the time is kept in UTC. On error the event is unchanged. Whether the
// event fits its log is for [Replay] to check.
func (e *Event) UnmarshalJSON(b []byte) error {
	var j eventJSON
	if err := decodeStrict("Event.UnmarshalJSON", b, &j); err != nil {
		return err
	}
	if j.V == nil || j.Seq == nil || j.Kind == nil || j.At == nil || j.Account == nil || j.Roles == nil || j.After == nil {
		return &Error{Op: "Event.UnmarshalJSON", Detail: "want the fields v, seq, kind, at, account, roles and after", Err: ErrInvalidLog}
	}
	if *j.V != eventVersion {
		return &Error{Op: "Event.UnmarshalJSON", Detail: "format version " + strconv.Itoa(*j.V) + ", want 1", Err: ErrInvalidLog}
	}
	*e = Event{Seq: *j.Seq, Kind: *j.Kind, At: j.At.UTC(), Account: *j.Account, Roles: *j.Roles, After: *j.After}
	return nil
}

// Decoder reads a stream of directory events written as JSON values one after another (one
// per line, as a service appends them), like bufio.Scanner: range over [Decoder.Events],
// then check [Decoder.Err]. The zero Decoder reads nothing.
//
//	dec := roles.NewDecoder(file)
//	d, err := roles.Replay(dec.Events())
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

// checkEncodable refuses a time the JSON encoding cannot hold.
func checkEncodable(op string, at time.Time) error {
	if y := at.Year(); y < 1 || y > 9999 {
		return &Error{Op: op, At: at, Detail: "year " + strconv.Itoa(y) + " is outside 1 to 9999", Err: ErrInvalidLog}
	}
	return nil
}
