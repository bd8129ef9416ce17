package token

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// EventKind names what a ledger [Event] records; the names are snake_case.
type EventKind string

// The kinds of ledger events.
const (
	EventGenesis  EventKind = "genesis"  // To received Amount at creation
	EventTransfer EventKind = "transfer" // Amount moved From -> To (by Spender, for transferFrom)
	EventApproval EventKind = "approval" // From (the owner) set Spender's allowance to Amount
	EventVest     EventKind = "vest"     // From (the granter) moved Amount to To, or to Escrow for To, locked under grant Vesting with the schedule Start, Cliff, End, Period, Step, Linear
	EventRelease  EventKind = "release"  // Amount of grant Vesting, vested by At, unlocked in To's balance, or moved From the escrow To the beneficiary
	EventRevoke   EventKind = "revoke"   // grant Vesting revoked at At: its unvested Amount moved From the beneficiary (or the escrow) To the granter
	EventFreeze   EventKind = "freeze"   // transfers frozen by From, the administrator, until At (zero: until From lifts the freeze)
	EventUnfreeze EventKind = "unfreeze" // the freeze lifted by From, the administrator, or by the time At, at or after its end
)

// validKind reports whether k is one of the kinds above.
func validKind(k EventKind) bool {
	switch k {
	case EventGenesis, EventTransfer, EventApproval, EventVest, EventRelease, EventRevoke, EventFreeze, EventUnfreeze:
		return true
	}
	return false
}

// EventVersion is the format version every event's JSON carries as "v".
const EventVersion = 1

// Event records one change of a [Ledger]. Seq numbers events from 1 in the order they
// happened. An event holds everything its command needs to run again, so [Replay] rebuilds
// a ledger from its log alone. The zero Event records nothing; [Replay] refuses it.
//
// Its JSON, written by [Event.AppendJSON], is one object whose fields come in a fixed order
// and are left out when empty:
//
//	{"v":1,"seq":4,"kind":"transfer","from":"alice","to":"bob","amount":"12.500000 TRST"}
//	{"v":1,"seq":5,"kind":"vest","from":"alice","to":"carol","amount":"40.000000 TRST","vesting":1,
//	 "start":"2017-04-13T00:00:00Z","end":"2017-07-22T00:00:00Z","period":"24h0m0s","revocable":true}
//	{"v":1,"seq":6,"kind":"release","to":"carol","amount":"10.000000 TRST","vesting":1,"at":"2017-05-08T00:00:00Z"}
//	{"v":1,"seq":7,"kind":"vest","from":"team","to":"dave","escrow":"escrow","amount":"8000000.000000 TRST","vesting":2,
//	 "start":"2018-01-31T00:00:00Z","cliff":"2019-01-31T00:00:00Z","end":"2022-01-31T00:00:00Z","step":"P1M"}
//	{"v":1,"seq":8,"kind":"freeze","from":"sale-admin","at":"2017-05-01T00:00:00Z"}
//
// Amounts are [Amount] text, times UTC RFC 3339 with nanoseconds, durations Go duration
// strings; the bytes do not depend on any package setting of shopspring/decimal.
type Event struct {
	Seq       uint64
	Kind      EventKind
	From      Account       // transfer source; approval owner; vest granter; revoke beneficiary or escrow; release escrow; freeze administrator
	To        Account       // transfer, genesis, vest or release destination (the beneficiary); revoke granter
	Escrow    Account       // vest: the escrow holding the grant ([Ledger.VestInEscrow]), "" for none
	Spender   Account       // approval spender; transferFrom caller
	Amount    Amount        // amount moved, or the new allowance
	Vesting   VestingID     // the vesting grant of a vest, release or revoke event
	Start     time.Time     // vest: the schedule's start (UTC)
	Cliff     time.Time     // vest: the schedule's cliff (UTC), zero for none
	End       time.Time     // vest: the schedule's end (UTC)
	Period    time.Duration // vest: the schedule's period, 0 for none
	Step      Step          // vest: the schedule's calendar step, 0 for none
	Linear    bool          // vest: the schedule's Linear
	Revocable bool          // vest: whether the grant may be revoked
	At        time.Time     // the time given to a release, revoke or unfreeze; a freeze's end; in UTC
}

// Equal reports whether e and o record the same change (times compared with
// [time.Time.Equal], amounts with [Amount.Equal]).
func (e Event) Equal(o Event) bool {
	return e.Seq == o.Seq && e.Kind == o.Kind && e.From == o.From && e.To == o.To && e.Escrow == o.Escrow &&
		e.Spender == o.Spender && e.Amount.Equal(o.Amount) && e.Vesting == o.Vesting && e.Start.Equal(o.Start) &&
		e.Cliff.Equal(o.Cliff) && e.End.Equal(o.End) && e.Period == o.Period && e.Step == o.Step &&
		e.Linear == o.Linear && e.Revocable == o.Revocable && e.At.Equal(o.At)
}

// AppendJSON appends the event's JSON (see [Event]) to b. It does not allocate beyond
// growing b for the events a ledger records.
func (e Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"v":1,"seq":`...)
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, string(e.Kind))
	b = appendField(b, "from", string(e.From))
	b = appendField(b, "to", string(e.To))
	b = appendField(b, "escrow", string(e.Escrow))
	b = appendField(b, "spender", string(e.Spender))
	if e.Amount.IsValid() {
		b = append(b, `,"amount":"`...)
		b, _ = e.Amount.AppendText(b) // digits, '.', '-', ' ' and an upper-case symbol: no escaping
		b = append(b, '"')
	}
	if e.Vesting != 0 {
		b = append(b, `,"vesting":`...)
		b = strconv.AppendUint(b, uint64(e.Vesting), 10)
	}
	b = appendTime(b, "start", e.Start)
	b = appendTime(b, "cliff", e.Cliff)
	b = appendTime(b, "end", e.End)
	if e.Period != 0 {
		b = append(b, `,"period":"`...)
		b = append(b, e.Period.String()...)
		b = append(b, '"')
	}
	if e.Step != 0 {
		b = append(b, `,"step":"`...)
		b, _ = e.Step.AppendText(b)
		b = append(b, '"')
	}
	if e.Linear {
		b = append(b, `,"linear":true`...)
	}
	if e.Revocable {
		b = append(b, `,"revocable":true`...)
	}
	b = appendTime(b, "at", e.At)
	return append(b, '}')
}

// MarshalJSON returns [Event.AppendJSON]. It fails for a time outside the years 1 to 9999,
// which no command of a ledger records.
func (e Event) MarshalJSON() ([]byte, error) {
	for _, t := range [4]time.Time{e.Start, e.Cliff, e.End, e.At} {
		if err := checkTime("MarshalJSON", t, true); err != nil {
			return nil, err
		}
	}
	return e.AppendJSON(make([]byte, 0, 128)), nil
}

// eventJSON is the decoding form of an event.
type eventJSON struct {
	V         *int      `json:"v"`
	Seq       uint64    `json:"seq"`
	Kind      EventKind `json:"kind"`
	From      Account   `json:"from"`
	To        Account   `json:"to"`
	Escrow    Account   `json:"escrow"`
	Spender   Account   `json:"spender"`
	Amount    Amount    `json:"amount"`
	Vesting   VestingID `json:"vesting"`
	Start     time.Time `json:"start"`
	Cliff     time.Time `json:"cliff"`
	End       time.Time `json:"end"`
	Period    string    `json:"period"`
	Step      Step      `json:"step"`
	Linear    bool      `json:"linear"`
	Revocable bool      `json:"revocable"`
	At        time.Time `json:"at"`
}

// UnmarshalJSON decodes an event written by [Event.MarshalJSON]. It is strict: the version
// must be 1, the kind known, and unknown fields are refused. It checks the form only;
// [Replay] checks that the event is what its command records. The error is an [*Error]
// wrapping [ErrReplay].
func (e *Event) UnmarshalJSON(data []byte) error {
	bad := func(detail string) error {
		return &Error{Op: "UnmarshalJSON", Detail: "event: " + detail, Err: ErrReplay}
	}
	var j eventJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return bad(err.Error())
	}
	if dec.More() {
		return bad("data after the event")
	}
	switch {
	case j.V == nil:
		return bad(`no format version "v"`)
	case *j.V != EventVersion:
		return bad("format version " + strconv.Itoa(*j.V) + ", want 1")
	case !validKind(j.Kind):
		return bad("unknown kind " + strconv.Quote(string(j.Kind)))
	}
	var period time.Duration
	if j.Period != "" {
		p, err := time.ParseDuration(j.Period)
		if err != nil {
			return bad("period: " + err.Error())
		}
		period = p
	}
	*e = Event{Seq: j.Seq, Kind: j.Kind, From: j.From, To: j.To, Escrow: j.Escrow, Spender: j.Spender, Amount: j.Amount,
		Vesting: j.Vesting, Start: utc(j.Start), Cliff: utc(j.Cliff), End: utc(j.End), Period: period, Step: j.Step,
		Linear: j.Linear, Revocable: j.Revocable, At: utc(j.At)}
	return nil
}

// appendField appends ,"name":"s" unless s is empty.
func appendField(b []byte, name, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendJSONString(b, s)
}

// appendTime appends ,"name":"RFC 3339 in UTC" unless t is zero.
func appendTime(b []byte, name string, t time.Time) []byte {
	if t.IsZero() {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':', '"')
	b = t.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendJSONString appends s as a JSON string, escaped as encoding/json escapes it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// genesisJSON is the JSON form of a [Genesis].
type genesisJSON struct {
	V      *int    `json:"v"`
	Asset  Asset   `json:"asset"`
	Supply Amount  `json:"supply"`
	Grants []Grant `json:"grants"`
}

// GenesisVersion is the format version a [Genesis]'s JSON carries as "v".
const GenesisVersion = 1

// MarshalJSON encodes the genesis as {"v":1,"asset":{"symbol":"TRST","decimals":6},
// "supply":"100.000000 TRST","grants":[{"account":"alice","amount":"100.000000 TRST"}]}.
func (g Genesis) MarshalJSON() ([]byte, error) {
	v := GenesisVersion
	return json.Marshal(genesisJSON{V: &v, Asset: g.Asset, Supply: g.Supply, Grants: g.Grants})
}

// UnmarshalJSON decodes what [Genesis.MarshalJSON] writes. The version must be 1 and
// unknown fields are refused; [NewLedger] validates the rest. The error is an [*Error]
// wrapping [ErrGenesis].
func (g *Genesis) UnmarshalJSON(data []byte) error {
	var j genesisJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return &Error{Op: "UnmarshalJSON", Detail: err.Error(), Err: ErrGenesis}
	}
	if j.V == nil || *j.V != GenesisVersion {
		return &Error{Op: "UnmarshalJSON", Detail: `format version "v" must be 1`, Err: ErrGenesis}
	}
	*g = Genesis{Asset: j.Asset, Supply: j.Supply, Grants: j.Grants}
	return nil
}
