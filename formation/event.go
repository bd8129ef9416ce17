package formation

import (
	"encoding/json"
	"io"
	"iter"
	"slices"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/internal/cmderr"
	"github.com/trustcircle/trustcircle/internal/jsonlines"
	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// EventKind names what a proposal [Event] records. Kinds are snake_case. The zero
// EventKind is no kind; [Replay] refuses it.
type EventKind string

// The kinds of proposal events.
const (
	EventProposed  EventKind = "proposed"  // Account (the organiser) proposed Config, Admission, Deadline; Terms is the digest
	EventAccepted  EventKind = "accepted"  // Account in Seat accepted Terms with its evidence
	EventDeclined  EventKind = "declined"  // Account in Seat declined
	EventReinvited EventKind = "reinvited" // Seat passed from Replaced to Account, invited; Terms is the new digest
	EventWithdrawn EventKind = "withdrawn" // Account (the organiser) withdrew the proposal
	EventStarted   EventKind = "started"   // every seat accepted Terms and the circle started
	EventAbandoned EventKind = "abandoned" // the deadline passed before the start
)

// eventVersion is the format version of the event encoding, its "v".
const eventVersion = 1

// Event records one accepted command of a [Proposal]. Seq numbers the events from 1; At is
// the time given to the command, in UTC. Which fields a kind carries:
//
//	proposed    Account (organiser), Terms, Deadline, Admission, Config, Roles (when the rule requires a role)
//	accepted    Account, Seat, Terms, Reputation, Roles, Guarantor, Pledge, Collateral (the evidence; zero ones left out)
//	declined    Account, Seat
//	reinvited   Account (the new invitee), Replaced, Seat, Terms (the new digest)
//	withdrawn   Account (organiser)
//	started     Terms
//	abandoned   nothing more
//
// Its JSON is one object with the format version first, amounts in the amount grammar, the
// config as rosca.Config's JSON:
//
//	{"v":1,"seq":2,"kind":"accepted","at":"2026-02-20T10:00:00Z","account":"bob","seat":1,"terms":"3f1c…","reputation":612,"collateral":"10.00 USD"}
//
// The zero Event is no event of any log.
type Event struct {
	Seq        uint64
	Kind       EventKind
	At         time.Time
	Account    token.Account
	Seat       int
	Replaced   token.Account
	Terms      Digest
	Deadline   time.Time
	Admission  Admission
	Config     rosca.Config
	Roles      roles.Set
	Reputation int
	Guarantor  token.Account
	Pledge     token.Amount
	Collateral token.Amount
}

// clone returns a copy of e that shares no slice with it.
func (e Event) clone() Event {
	e.Config.Members = slices.Clone(e.Config.Members)
	return e
}

// Equal reports whether two events are the same: times compared as instants, configs by
// their digests, amounts with token.Amount.Equal.
func (e Event) Equal(f Event) bool {
	if e.Kind == EventProposed || f.Kind == EventProposed {
		d1, err1 := DigestOf(e.Config)
		d2, err2 := DigestOf(f.Config)
		if err1 != nil || err2 != nil || d1 != d2 {
			return false
		}
	}
	return e.equalButConfig(f)
}

// equalButConfig is [Event.Equal] without the configs.
func (e Event) equalButConfig(f Event) bool {
	return e.Seq == f.Seq && e.Kind == f.Kind && e.At.Equal(f.At) && e.Account == f.Account &&
		e.Seat == f.Seat && e.Replaced == f.Replaced && e.Terms == f.Terms && e.Deadline.Equal(f.Deadline) &&
		e.Admission.MinReputation == f.Admission.MinReputation && e.Admission.RequireRole == f.Admission.RequireRole &&
		e.Admission.RequireGuarantor == f.Admission.RequireGuarantor && e.Admission.Collateral.Equal(f.Admission.Collateral) &&
		e.Roles == f.Roles && e.Reputation == f.Reputation && e.Guarantor == f.Guarantor &&
		e.Pledge.Equal(f.Pledge) && e.Collateral.Equal(f.Collateral)
}

// eventJSON is the JSON form of an Event; pointers tell a missing field from a zero one.
type eventJSON struct {
	V          *int            `json:"v"`
	Seq        *uint64         `json:"seq"`
	Kind       *EventKind      `json:"kind"`
	At         *time.Time      `json:"at"`
	Account    *token.Account  `json:"account,omitempty"`
	Seat       *int            `json:"seat,omitempty"`
	Replaced   *token.Account  `json:"replaced,omitempty"`
	Terms      *Digest         `json:"terms,omitempty"`
	Deadline   *time.Time      `json:"deadline,omitempty"`
	Admission  *Admission      `json:"admission,omitempty"`
	Config     json.RawMessage `json:"config,omitempty"`
	Roles      *roles.Set      `json:"roles,omitempty"`
	Reputation *int            `json:"reputation,omitempty"`
	Guarantor  *token.Account  `json:"guarantor,omitempty"`
	Pledge     *token.Amount   `json:"pledge,omitempty"`
	Collateral *token.Amount   `json:"collateral,omitempty"`
}

// kindFields lists, for each kind, the optional fields it may carry beyond v, seq, kind and
// at, and which of them are required.
var kindFields = map[EventKind]struct{ required, optional []string }{
	EventProposed:  {[]string{"account", "terms", "deadline", "admission", "config"}, []string{"roles"}},
	EventAccepted:  {[]string{"account", "seat", "terms"}, []string{"reputation", "roles", "guarantor", "pledge", "collateral"}},
	EventDeclined:  {[]string{"account", "seat"}, nil},
	EventReinvited: {[]string{"account", "replaced", "seat", "terms"}, nil},
	EventWithdrawn: {[]string{"account"}, nil},
	EventStarted:   {[]string{"terms"}, nil},
	EventAbandoned: {nil, nil},
}

// present returns the names of the optional fields j holds.
func (j *eventJSON) present() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"account", j.Account != nil}, {"seat", j.Seat != nil}, {"replaced", j.Replaced != nil},
		{"terms", j.Terms != nil}, {"deadline", j.Deadline != nil}, {"admission", j.Admission != nil},
		{"config", j.Config != nil}, {"roles", j.Roles != nil}, {"reputation", j.Reputation != nil},
		{"guarantor", j.Guarantor != nil}, {"pledge", j.Pledge != nil}, {"collateral", j.Collateral != nil},
	} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// MarshalJSON encodes the event: the format version first, then the fields of its kind
// (zero evidence left out). An event whose times lie outside the years 1 to 9999, or
// whose kind is unknown, is an [*Error] wrapping [ErrInvalidLog]: it could not be decoded.
func (e Event) MarshalJSON() ([]byte, error) {
	const op = "Event.MarshalJSON"
	fields, ok := kindFields[e.Kind]
	if !ok {
		return nil, &Error{Op: op, Detail: "unknown kind " + strconv.Quote(string(e.Kind)), Err: ErrInvalidLog}
	}
	for _, t := range []time.Time{e.At, e.Deadline} {
		if y := t.UTC().Year(); y < 1 || y > 9999 {
			return nil, &Error{Op: op, At: t, Detail: "year " + strconv.Itoa(y) + " is outside 1 to 9999", Err: ErrInvalidLog}
		}
	}
	v, at := eventVersion, e.At.UTC()
	j := eventJSON{V: &v, Seq: &e.Seq, Kind: &e.Kind, At: &at}
	for _, name := range slices.Concat(fields.required, fields.optional) {
		if err := e.fill(&j, name); err != nil {
			return nil, &Error{Op: op, Detail: "config: " + err.Error(), Err: ErrInvalidLog}
		}
	}
	return json.Marshal(j)
}

// fill sets the JSON field name from e, leaving out zero evidence.
func (e *Event) fill(j *eventJSON, name string) error {
	switch name {
	case "account":
		j.Account = &e.Account
	case "seat":
		j.Seat = &e.Seat
	case "replaced":
		j.Replaced = &e.Replaced
	case "terms":
		j.Terms = &e.Terms
	case "deadline":
		d := e.Deadline.UTC()
		j.Deadline = &d
	case "admission":
		a := e.Admission.normal()
		j.Admission = &a
	case "config":
		b, err := e.Config.MarshalJSON()
		j.Config = b
		return err
	case "roles":
		if e.Roles != 0 {
			j.Roles = &e.Roles
		}
	case "reputation":
		if e.Reputation != 0 {
			j.Reputation = &e.Reputation
		}
	case "guarantor":
		if e.Guarantor != "" {
			j.Guarantor = &e.Guarantor
		}
	case "pledge":
		if e.Pledge.IsValid() {
			j.Pledge = &e.Pledge
		}
	case "collateral":
		if e.Collateral.IsValid() {
			j.Collateral = &e.Collateral
		}
	}
	return nil
}

// UnmarshalJSON decodes the form [Event.MarshalJSON] writes, strictly: the version must be
// 1, the kind known, the sequence number positive, the fields exactly those of the kind
// (the evidence and roles optional), and unknown fields are refused; times are kept in
// UTC. The error is an [*Error] wrapping [ErrInvalidLog], and the event is then unchanged.
// Whether the event fits its log is for [Replay] to say.
func (e *Event) UnmarshalJSON(b []byte) error {
	const op = "Event.UnmarshalJSON"
	var j eventJSON
	if err := jsonlines.Strict(b, &j); err != nil {
		return cmderr.Decode(op, ErrInvalidLog, err)
	}
	fail := func(detail string) error { return &Error{Op: op, Detail: detail, Err: ErrInvalidLog} }
	switch {
	case j.V == nil || j.Seq == nil || j.Kind == nil || j.At == nil:
		return fail("want the fields v, seq, kind and at")
	case *j.V != eventVersion:
		return fail("format version " + strconv.Itoa(*j.V) + ", want 1")
	case *j.Seq == 0:
		return fail("sequence number 0; events are numbered from 1")
	}
	fields, ok := kindFields[*j.Kind]
	if !ok {
		return fail("unknown kind " + strconv.Quote(string(*j.Kind)))
	}
	have := j.present()
	for _, name := range fields.required {
		if !slices.Contains(have, name) {
			return fail("a " + string(*j.Kind) + " event has the field " + name)
		}
	}
	for _, name := range have {
		if !slices.Contains(fields.required, name) && !slices.Contains(fields.optional, name) {
			return fail("a " + string(*j.Kind) + " event has no field " + name)
		}
	}
	d := Event{Seq: *j.Seq, Kind: *j.Kind, At: j.At.UTC()}
	if err := d.take(&j); err != nil {
		return cmderr.Decode(op, ErrInvalidLog, err)
	}
	*e = d
	return nil
}

// take copies the fields j holds into e.
func (e *Event) take(j *eventJSON) error {
	set := func(dst *token.Account, src *token.Account) {
		if src != nil {
			*dst = *src
		}
	}
	set(&e.Account, j.Account)
	set(&e.Replaced, j.Replaced)
	set(&e.Guarantor, j.Guarantor)
	if j.Seat != nil {
		e.Seat = *j.Seat
	}
	if j.Terms != nil {
		e.Terms = *j.Terms
	}
	if j.Deadline != nil {
		e.Deadline = j.Deadline.UTC()
	}
	if j.Admission != nil {
		e.Admission = j.Admission.normal()
	}
	if j.Roles != nil {
		e.Roles = *j.Roles
	}
	if j.Reputation != nil {
		e.Reputation = *j.Reputation
	}
	if j.Pledge != nil {
		e.Pledge = *j.Pledge
	}
	if j.Collateral != nil {
		e.Collateral = *j.Collateral
	}
	if j.Config != nil {
		return e.Config.UnmarshalJSON(j.Config)
	}
	return nil
}

// Decoder reads a stream of proposal events written as JSON values one after another (one
// per line, as a service appends them), like bufio.Scanner: range over [Decoder.Events],
// then check [Decoder.Err]. The zero Decoder reads nothing.
//
//	dec := formation.NewDecoder(file)
//	p, err := formation.Replay(dec.Events())
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

// Replay rebuilds a proposal from its event log, read once from events (pass
// slices.Values(evs) for a slice, or a [Decoder]'s Events for a stream). The first event
// must be the proposal; every other one is its command run again (the roles questions
// asked of the roles the event recorded), which must be accepted and record the same event
// (sequence numbers 1, 2, 3, ...). A log that is not what a proposal records is an
// [*Error] wrapping [ErrInvalidLog] (and the reason the command was refused) whose Detail
// names the event. An empty log is an error too: a proposal starts with its proposal.
func Replay(events iter.Seq[Event]) (*Proposal, error) {
	var p *Proposal
	if events != nil {
		for e := range events {
			var err error
			if p, err = replayOne(p, e); err != nil {
				return nil, err
			}
		}
	}
	if p == nil {
		return nil, &Error{Op: "Replay", Detail: "an empty log: a proposal starts with its proposed event", Err: ErrInvalidLog}
	}
	return p, nil
}

// replayOne runs the command of e on p (nil before the first event) and applies it.
func replayOne(p *Proposal, e Event) (*Proposal, error) {
	const op = "Replay"
	bad := func(detail string, cause error) error {
		err := refuse(op, e.Account, e.At, ErrInvalidLog, "event "+strconv.FormatUint(e.Seq, 10)+": "+detail, cause)
		return err
	}
	want := uint64(1)
	if p != nil {
		want = p.LastSeq() + 1
	}
	switch {
	case e.Seq != want:
		return nil, bad("where event "+strconv.FormatUint(want, 10)+" was due", nil)
	case (p == nil) != (e.Kind == EventProposed):
		return nil, bad("a log has one proposed event, the first", nil)
	case e.At.Location() != time.UTC:
		return nil, bad("time not in UTC", nil)
	}
	var got Event
	var err error
	switch e.Kind {
	case EventProposed:
		got, err = propose(op, e.At, Terms{Config: e.Config, Admission: e.Admission, Deadline: e.Deadline}, recordedRoles(e.Roles))
		p = &Proposal{}
	case EventAccepted:
		a := Acceptance{Member: e.Account, Terms: e.Terms, Reputation: e.Reputation, Guarantor: e.Guarantor, Pledge: e.Pledge, Collateral: e.Collateral}
		got, err = p.accept(op, e.At, a, recordedRoles(e.Roles))
	case EventDeclined:
		got, err = p.decline(op, e.At, e.Account)
	case EventReinvited:
		got, err = p.reinvite(op, e.At, p.Organiser(), e.Replaced, e.Account)
	case EventWithdrawn:
		got, err = p.withdraw(op, e.At, e.Account)
	case EventStarted:
		got, _, err = p.start(op, e.At)
	case EventAbandoned:
		_, err = p.guard(op, "", e.At, true)
		got = Event{Kind: EventAbandoned, At: e.At}
	default:
		return nil, bad("unknown kind "+strconv.Quote(string(e.Kind)), nil)
	}
	if err != nil {
		return nil, bad("", err)
	}
	got.Seq = e.Seq
	// A proposed event's config is e's own, whose digest propose computed: got.Terms is
	// compared with e.Terms.
	if !got.equalButConfig(e) {
		return nil, bad("is not what the proposal records", nil)
	}
	p.apply(got)
	return p, nil
}
