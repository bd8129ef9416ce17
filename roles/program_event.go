package roles

import (
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/internal/wire"
	"github.com/trustcircle/trustcircle/token"
)

// ProgramEventKind names what a [ProgramEvent] records. The zero ProgramEventKind is no
// kind.
type ProgramEventKind string

// The kinds of program events.
const (
	ProgramReferred     ProgramEventKind = "referred"      // Account referred User
	ProgramBountyPosted ProgramEventKind = "bounty_posted" // Bounty was posted
	ProgramPaid         ProgramEventKind = "paid"          // Payout was paid
)

// ProgramEvent records one change of a [Program]. Seq numbers events from 1; At is the time
// given to the command, in UTC. The zero ProgramEvent records nothing.
//
// Its JSON, written by [ProgramEvent.AppendJSON], is one object with the format version
// first; amounts are written as their text ("5.000000 TRST"):
//
//	{"v":1,"seq":2,"kind":"paid","at":"2017-04-01T00:00:00Z","payout":{"at":"2017-04-01T00:00:00Z","kind":"referral",...}}
type ProgramEvent struct {
	Seq     uint64
	At      time.Time
	Kind    ProgramEventKind
	Account token.Account // the referral partner, for referred
	User    token.Account // the referred user, for referred
	Bounty  *Bounty       // the bounty posted, for bounty_posted
	Payout  *Payout       // the payout made, for paid
}

// clone returns a copy of e whose pointers point to fresh values.
func (e ProgramEvent) clone() ProgramEvent {
	if e.Bounty != nil {
		b := *e.Bounty
		e.Bounty = &b
	}
	if e.Payout != nil {
		p := *e.Payout
		e.Payout = &p
	}
	return e
}

// AppendJSON appends the event's JSON to b and returns the extended buffer. Empty accounts
// and absent bounties and payouts are left out.
func (e ProgramEvent) AppendJSON(b []byte) []byte {
	b = append(b, `{"v":1,"seq":`...)
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, `,"kind":`...)
	b = wire.AppendString(b, string(e.Kind))
	b = append(b, `,"at":`...)
	b = wire.AppendTime(b, e.At)
	if e.Account != "" {
		b = append(b, `,"account":`...)
		b = wire.AppendString(b, string(e.Account))
	}
	if e.User != "" {
		b = append(b, `,"user":`...)
		b = wire.AppendString(b, string(e.User))
	}
	if e.Bounty != nil {
		b = append(b, `,"bounty":{"id":`...)
		b = wire.AppendString(b, e.Bounty.ID)
		b = append(b, `,"task":`...)
		b = wire.AppendString(b, e.Bounty.Task)
		b = append(b, `,"reward":`...)
		b = appendAmount(b, e.Bounty.Reward)
		b = append(b, '}')
	}
	if e.Payout != nil {
		b = append(b, `,"payout":`...)
		b = e.Payout.appendJSON(b)
	}
	return append(b, '}')
}

// appendJSON appends the payout as encoding/json writes it with its field tags.
func (po Payout) appendJSON(b []byte) []byte {
	b = append(b, `{"at":`...)
	b = wire.AppendTime(b, po.At)
	b = append(b, `,"kind":`...)
	b = wire.AppendString(b, string(po.Kind))
	b = append(b, `,"claim_id":`...)
	b = wire.AppendString(b, po.ClaimID)
	b = append(b, `,"to":`...)
	b = wire.AppendString(b, string(po.To))
	b = append(b, `,"amount":`...)
	b = appendAmount(b, po.Amount)
	if po.User != "" {
		b = append(b, `,"user":`...)
		b = wire.AppendString(b, string(po.User))
	}
	if po.Event != "" {
		b = append(b, `,"event":`...)
		b = wire.AppendString(b, string(po.Event))
	}
	return append(b, '}')
}

// appendAmount appends the amount's text as a JSON string. The text is digits, a sign, a
// point, a space and an upper-case symbol: it needs no escaping.
func appendAmount(b []byte, x token.Amount) []byte {
	b = append(b, '"')
	b, _ = x.AppendText(b)
	return append(b, '"')
}

// MarshalJSON returns [ProgramEvent.AppendJSON]'s encoding. An event whose times lie outside
// the years 1 to 9999 is an [*Error] wrapping [ErrInvalidLog]: it could not be decoded.
func (e ProgramEvent) MarshalJSON() ([]byte, error) {
	if err := checkEncodable("ProgramEvent.MarshalJSON", e.At); err != nil {
		return nil, err
	}
	if e.Payout != nil {
		if err := checkEncodable("ProgramEvent.MarshalJSON", e.Payout.At); err != nil {
			return nil, err
		}
	}
	return e.AppendJSON(nil), nil
}

// programEventJSON is the decoding form of a ProgramEvent.
type programEventJSON struct {
	V       *int              `json:"v"`
	Seq     *uint64           `json:"seq"`
	Kind    *ProgramEventKind `json:"kind"`
	At      *time.Time        `json:"at"`
	Account token.Account     `json:"account"`
	User    token.Account     `json:"user"`
	Bounty  *Bounty           `json:"bounty"`
	Payout  *Payout           `json:"payout"`
}

// UnmarshalJSON decodes the form [ProgramEvent.AppendJSON] writes. It refuses a format
// version other than 1, unknown fields, a missing v, seq, kind or at, and malformed values
// with an [*Error] wrapping [ErrInvalidLog]; times are kept in UTC. On error the event is
// unchanged.
func (e *ProgramEvent) UnmarshalJSON(b []byte) error {
	const op = "ProgramEvent.UnmarshalJSON"
	var j programEventJSON
	if err := decodeStrict(op, b, &j); err != nil {
		return err
	}
	if j.V == nil || j.Seq == nil || j.Kind == nil || j.At == nil {
		return &Error{Op: op, Detail: "want the fields v, seq, kind and at", Err: ErrInvalidLog}
	}
	if *j.V != eventVersion {
		return &Error{Op: op, Detail: "format version " + strconv.Itoa(*j.V) + ", want 1", Err: ErrInvalidLog}
	}
	v := ProgramEvent{Seq: *j.Seq, Kind: *j.Kind, At: j.At.UTC(), Account: j.Account, User: j.User, Bounty: j.Bounty, Payout: j.Payout}
	if v.Payout != nil {
		v.Payout.At = v.Payout.At.UTC()
	}
	*e = v
	return nil
}
