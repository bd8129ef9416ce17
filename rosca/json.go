package rosca

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/internal/wire"
	"github.com/trustcircle/trustcircle/token"
)

// The JSON of the package is written by its own code: amounts in the amount grammar
// ("1.000000000000000000 ETH"), ratios in the ratio grammar ("2%"), durations as Go
// durations ("1h0m0s"), times in UTC RFC 3339 with nanoseconds, and a format version "v"
// in configs, events and snapshots. Nothing depends on shopspring/decimal's package
// settings. Decoders refuse unknown fields and unknown versions.

// FormatVersion is the version of the JSON of configs and events, their "v".
const FormatVersion = 1

// configJSON is the JSON form of a Config, field by field.
type configJSON struct {
	V            int             `json:"v"`
	Asset        token.Asset     `json:"asset"`
	Kind         Kind            `json:"kind"`
	Members      []token.Account `json:"members"`
	Holders      []token.Account `json:"holders,omitempty"`
	Schedule     []Allocation    `json:"schedule,omitempty"`
	Foreperson   token.Account   `json:"foreperson"`
	Operator     token.Account   `json:"operator"`
	Contribution token.Amount    `json:"contribution"`
	Start        time.Time       `json:"start"`
	Created      time.Time       `json:"created,omitzero"`
	Period       string          `json:"period"`
	Epochs       int             `json:"epochs"`
	Fee          token.Ratio     `json:"fee"`
	PlatformFee  token.Ratio     `json:"platform_fee,omitzero"`
	Rules        Rules           `json:"rules"`
	Seed         Seed            `json:"seed"`
}

// MarshalJSON encodes the config: "v":1, the contribution in the amount grammar, the start
// in UTC RFC 3339, the period as a Go duration ("168h0m0s"), ratios as "2%".
func (c Config) MarshalJSON() ([]byte, error) {
	return json.Marshal(configJSON{
		V:            FormatVersion,
		Asset:        c.Asset,
		Kind:         c.Kind,
		Members:      c.Members,
		Holders:      c.Holders,
		Schedule:     c.Schedule,
		Foreperson:   c.Foreperson,
		Operator:     c.Operator,
		Contribution: c.Contribution,
		Start:        c.Start.UTC(),
		Created:      utcOrZero(c.Created),
		Period:       c.Period.String(),
		Epochs:       c.Epochs,
		Fee:          c.Fee,
		PlatformFee:  c.PlatformFee,
		Rules:        c.Rules,
		Seed:         c.Seed,
	})
}

// UnmarshalJSON decodes what MarshalJSON encodes; the period may be any Go duration ("1h").
// Unknown fields and versions other than 1 are refused with an [*Error] wrapping
// [ErrInvalidConfig]. It does not validate: call [Config.Validate] (New and Replay do).
func (c *Config) UnmarshalJSON(b []byte) error {
	bad := func(detail string, cause error) error {
		return &Error{Op: "Config.UnmarshalJSON", Detail: detail, Err: wrapReason(ErrInvalidConfig, cause)}
	}
	var j configJSON
	if err := decodeStrict(b, &j); err != nil {
		return bad(jsonDetail(err), err)
	}
	if j.V != FormatVersion {
		return bad(fmt.Sprintf("config version %d, want %d", j.V, FormatVersion), nil)
	}
	period, err := time.ParseDuration(j.Period)
	if err != nil {
		return bad(fmt.Sprintf("period: %q is not a duration such as \"1h\" or \"168h0m0s\"", j.Period), nil)
	}
	*c = Config{
		Asset:        j.Asset,
		Kind:         j.Kind,
		Members:      j.Members,
		Holders:      j.Holders,
		Schedule:     j.Schedule,
		Foreperson:   j.Foreperson,
		Operator:     j.Operator,
		Contribution: j.Contribution,
		Start:        j.Start.UTC(),
		Created:      utcOrZero(j.Created),
		Period:       period,
		Epochs:       j.Epochs,
		Fee:          j.Fee,
		PlatformFee:  j.PlatformFee,
		Rules:        j.Rules,
		Seed:         j.Seed,
	}
	return nil
}

// utcOrZero returns t in UTC, or the zero time for the zero time.
func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// decodeReplayable decodes b strictly into a mirror type M of a package type, the error an
// [*Error] of op wrapping [ErrReplay].
func decodeReplayable[M any](op string, b []byte) (M, error) {
	var j M
	if err := decodeStrict(b, &j); err != nil {
		return j, &Error{Op: op, Detail: jsonDetail(err), Err: wrapReason(ErrReplay, err)}
	}
	return j, nil
}

// decodeStrict decodes one JSON value from b into v, refusing unknown fields and trailing data.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("data after the JSON value")
	}
	return nil
}

// jsonDetail describes a decoding error without naming the package's internal types.
func jsonDetail(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		if te.Field == "" {
			return "cannot decode a JSON " + te.Value + " here"
		}
		return te.Field + ": cannot decode a JSON " + te.Value
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	if r, ok := errors.AsType[*token.Error](err); ok {
		return causeText(r)
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Detail
	}
	return err.Error()
}

// appendAmount appends x as a JSON string in the amount grammar: the bytes of
// [token.Amount.AppendText] between quotes.
func appendAmount(b []byte, x *token.Amount) []byte {
	b = append(b, '"')
	b, _ = x.AppendText(b)
	return append(b, '"')
}

// appendKind appends `,"kind":"<kind>"`; the known kinds are constants (no escaping, no
// copy of a variable length).
func appendKind(b []byte, k EventKind) []byte {
	switch k {
	case EventContribution:
		return append(b, `,"kind":"contribution"`...)
	case EventBid:
		return append(b, `,"kind":"bid"`...)
	case EventRoundClosed:
		return append(b, `,"kind":"round_closed"`...)
	case EventWithdrawal:
		return append(b, `,"kind":"withdrawal"`...)
	case EventFeesRetrieved:
		return append(b, `,"kind":"fees_retrieved"`...)
	case EventRemainderDisposed:
		return append(b, `,"kind":"remainder_disposed"`...)
	case EventHaltEnabled:
		return append(b, `,"kind":"halt_enabled"`...)
	case EventHaltActivated:
		return append(b, `,"kind":"halt_activated"`...)
	}
	return wire.AppendString(append(b, `,"kind":`...), string(k))
}

// AppendJSON appends the event's JSON to b: {"v":1,"seq":N,"kind":"...","at":"...",
// "round":R,"member":"..."} followed by the amount, the entitlement, the round's result
// and the settlement when the event carries them. It is what [Event.MarshalJSON] returns,
// built without reflection and, for the common kinds, without allocating.
func (e *Event) AppendJSON(b []byte) []byte { return appendEvent(b, e, nil) }

// appendEvent appends e's JSON; enc, when not nil, reuses the text of the time and amount it
// wrote last.
func appendEvent(b []byte, e *Event, enc *Encoder) []byte {
	b = append(b, `{"v":1,"seq":`...)
	b = wire.AppendUint(b, e.Seq)
	b = appendKind(b, e.Kind)
	b = append(b, `,"at":`...)
	if enc != nil {
		b = enc.appendTime(b, e.At)
	} else {
		b = wire.AppendTime(b, e.At)
	}
	b = append(b, `,"round":`...)
	if e.Round >= 0 {
		b = wire.AppendUint(b, uint64(e.Round))
	} else {
		b = strconv.AppendInt(b, int64(e.Round), 10)
	}
	if e.Member != "" {
		b = append(b, `,"member":`...)
		b = wire.AppendString(b, string(e.Member))
	}
	if e.Amount.IsValid() {
		b = append(b, `,"amount":`...)
		if enc != nil {
			b = enc.appendAmount(b, &e.Amount)
		} else {
			b = appendAmount(b, &e.Amount)
		}
	}
	if e.Entitled.IsValid() {
		b = append(b, `,"entitled":`...)
		b = appendAmount(b, &e.Entitled)
	}
	if e.Result != nil {
		b = append(b, `,"result":`...)
		b = e.Result.AppendJSON(b)
	}
	if !e.Seal.IsZero() {
		b = append(b, `,"seal":"`...)
		b = append(hex.AppendEncode(b, e.Seal[:]), '"')
	}
	if !e.Salt.IsZero() {
		b = append(b, `,"salt":"`...)
		b = append(hex.AppendEncode(b, e.Salt[:]), '"')
	}
	if e.Party != "" {
		b = append(b, `,"party":`...)
		b = wire.AppendString(b, string(e.Party))
	}
	for _, f := range [...]struct {
		key string
		x   *token.Amount
	}{{`,"bounty":`, &e.Bounty}, {`,"deduction":`, &e.Deduction}, {`,"collateral":`, &e.Collateral}} {
		if f.x.IsValid() {
			b = appendAmount(append(b, f.key...), f.x)
		}
	}
	b = appendList(b, `,"settlement":`, e.Settlement)
	return append(b, '}')
}

// MarshalJSON returns [Event.AppendJSON]'s encoding.
func (e Event) MarshalJSON() ([]byte, error) { return e.AppendJSON(make([]byte, 0, 160)), nil }

// eventJSON is the JSON form of an Event, for decoding.
type eventJSON struct {
	V          *int             `json:"v"`
	Seq        uint64           `json:"seq"`
	Kind       EventKind        `json:"kind"`
	At         time.Time        `json:"at"`
	Round      int              `json:"round"`
	Member     token.Account    `json:"member"`
	Amount     token.Amount     `json:"amount"`
	Entitled   token.Amount     `json:"entitled"`
	Result     *RoundResult     `json:"result"`
	Settlement []SettlementLine `json:"settlement"`
	Seal       Seal             `json:"seal"`
	Salt       Salt             `json:"salt"`
	Party      token.Account    `json:"party"`
	Bounty     token.Amount     `json:"bounty"`
	Deduction  token.Amount     `json:"deduction"`
	Collateral token.Amount     `json:"collateral"`
}

// UnmarshalJSON decodes what MarshalJSON encodes, strictly: the version must be 1, the
// kind known, the sequence number positive, every amount in the amount grammar (any
// amount a command accepts decodes), and unknown fields are refused. The error is an
// [*Error] wrapping [ErrReplay]. Whether the event belongs to a circle is for [Replay]
// to say.
func (e *Event) UnmarshalJSON(b []byte) error {
	bad := func(detail string, cause error) error {
		return &Error{Op: "Event.UnmarshalJSON", Detail: detail, Err: wrapReason(ErrReplay, cause)}
	}
	var j eventJSON
	if err := decodeStrict(b, &j); err != nil {
		return bad(jsonDetail(err), err)
	}
	switch {
	case j.V == nil || *j.V != FormatVersion:
		return bad(fmt.Sprintf("want event version %d", FormatVersion), nil)
	case j.Seq == 0:
		return bad("seq: want a positive sequence number", nil)
	}
	if !j.Kind.valid() {
		return bad(fmt.Sprintf("kind: unknown event kind %q", j.Kind), nil)
	}
	*e = Event{Seq: j.Seq, Kind: j.Kind, At: j.At.UTC(), Round: j.Round, Member: j.Member, Amount: j.Amount,
		Entitled: j.Entitled, Result: j.Result, Settlement: j.Settlement, Seal: j.Seal, Salt: j.Salt,
		Party: j.Party, Bounty: j.Bounty, Deduction: j.Deduction, Collateral: j.Collateral}
	return nil
}

func (k EventKind) valid() bool { return kindOf(k) != 0 }

// kindOf returns the log's kind for k, 0 for no known kind.
func kindOf(k EventKind) evKind {
	for i, name := range evNames[1:] {
		if name == k {
			return evKind(i + 1)
		}
	}
	return 0
}

// AppendJSON appends the result's JSON to b, the fields in the order of the struct;
// draw_start, candidates and debt are left out when zero.
func (r RoundResult) AppendJSON(b []byte) []byte {
	b = append(b, `{"round":`...)
	b = strconv.AppendInt(b, int64(r.Round), 10)
	b = append(b, `,"epoch":`...)
	b = strconv.AppendInt(b, int64(r.Epoch), 10)
	b = append(b, `,"winner":`...)
	b = wire.AppendString(b, string(r.Winner))
	b = append(b, `,"method":`...)
	b = wire.AppendString(b, string(r.Method))
	if r.DrawStart != 0 {
		b = append(b, `,"draw_start":`...)
		b = strconv.AppendInt(b, int64(r.DrawStart), 10)
	}
	if r.Candidates != 0 {
		b = append(b, `,"candidates":`...)
		b = strconv.AppendInt(b, int64(r.Candidates), 10)
	}
	if r.Debt {
		b = append(b, `,"debt":true`...)
	}
	amounts := [...]struct {
		key string
		x   token.Amount
	}{{`,"pot":`, r.Pot}, {`,"bid":`, r.Bid}, {`,"offered":`, r.Offered}, {`,"winnings":`, r.Winnings},
		{`,"carried_in":`, r.CarriedIn}, {`,"discount":`, r.Discount}}
	for _, f := range amounts {
		if f.key == `,"offered":` && (!f.x.IsValid() || f.x.IsZero()) {
			continue // omitted when zero
		}
		b = append(b, f.key...)
		b = appendAmount(b, &f.x)
	}
	b = append(b, `,"recipients":`...)
	b = strconv.AppendInt(b, int64(r.Recipients), 10)
	rest := [...]struct {
		key string
		x   token.Amount
	}{{`,"share_each":`, r.ShareEach}, {`,"fee":`, r.Fee}, {`,"platform_fee":`, r.PlatformFee}, {`,"dust":`, r.Dust},
		{`,"division_remainder":`, r.DivisionRemainder}, {`,"remainder":`, r.Remainder}}
	for _, f := range rest {
		if f.key == `,"platform_fee":` && (!f.x.IsValid() || f.x.IsZero()) {
			continue // omitted when zero
		}
		b = append(b, f.key...)
		b = appendAmount(b, &f.x)
	}
	b = append(b, `,"remainder_to":`...)
	b = wire.AppendString(b, string(r.RemainderTo))
	b = append(b, `,"fees_reserved":`...)
	b = appendAmount(b, &r.FeesReserved)
	if r.Shortfall.IsValid() && !r.Shortfall.IsZero() {
		b = append(b, `,"shortfall":`...)
		b = appendAmount(b, &r.Shortfall)
	}
	b = appendList(b, `,"losses":`, r.Losses)
	if r.Interest.IsValid() && !r.Interest.IsZero() {
		b = appendAmount(append(b, `,"interest":`...), &r.Interest)
	}
	if r.InterestIn.IsValid() && !r.InterestIn.IsZero() {
		b = appendAmount(append(b, `,"interest_in":`...), &r.InterestIn)
	}
	b = appendList(b, `,"late_fees":`, r.LateFees)
	return append(b, '}')
}

// MarshalJSON returns [RoundResult.AppendJSON]'s encoding.
func (r RoundResult) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil), nil }

// roundResultJSON is RoundResult without its methods.
type roundResultJSON RoundResult

// UnmarshalJSON decodes what MarshalJSON encodes; unknown fields are refused.
func (r *RoundResult) UnmarshalJSON(b []byte) error {
	j, err := decodeReplayable[roundResultJSON]("RoundResult.UnmarshalJSON", b)
	if err != nil {
		return err
	}
	*r = RoundResult(j)
	return nil
}

// AppendJSON appends the line's JSON to b: {"account":"...","fees":true,"platform":true,
// "claim":"...","paid":"..."}, the flags left out when false.
func (l SettlementLine) AppendJSON(b []byte) []byte {
	return appendClaimLine(b, l.Account, l.Fees, l.Platform, false, &l.Claim, `,"paid":`, &l.Paid)
}

// AppendJSON appends the line's JSON to b: {"account":"...","fees":true,"platform":true,
// "remainder":true,"claim":"...","loss":"..."}, the flags left out when false.
func (l LossLine) AppendJSON(b []byte) []byte {
	return appendClaimLine(b, l.Account, l.Fees, l.Platform, l.Remainder, &l.Claim, `,"loss":`, &l.Loss)
}

// appendClaimLine appends the JSON of a line about a claim: the account, its flags, the
// claim and one more amount under key.
func appendClaimLine(b []byte, account token.Account, fees, platform, remainder bool, claim *token.Amount, key string, x *token.Amount) []byte {
	b = append(b, `{"account":`...)
	b = wire.AppendString(b, string(account))
	if fees {
		b = append(b, `,"fees":true`...)
	}
	if platform {
		b = append(b, `,"platform":true`...)
	}
	if remainder {
		b = append(b, `,"remainder":true`...)
	}
	b = append(b, `,"claim":`...)
	b = appendAmount(b, claim)
	b = append(b, key...)
	b = appendAmount(b, x)
	return append(b, '}')
}

// MarshalJSON returns [LossLine.AppendJSON]'s encoding.
func (l LossLine) MarshalJSON() ([]byte, error) { return l.AppendJSON(nil), nil }

// lossLineJSON is LossLine without its methods.
type lossLineJSON LossLine

// UnmarshalJSON decodes what MarshalJSON encodes; unknown fields are refused.
func (l *LossLine) UnmarshalJSON(b []byte) error {
	j, err := decodeReplayable[lossLineJSON]("LossLine.UnmarshalJSON", b)
	if err != nil {
		return err
	}
	*l = LossLine(j)
	return nil
}

// MarshalJSON returns [SettlementLine.AppendJSON]'s encoding.
func (l SettlementLine) MarshalJSON() ([]byte, error) { return l.AppendJSON(nil), nil }

// settlementLineJSON is SettlementLine without its methods.
type settlementLineJSON SettlementLine

// UnmarshalJSON decodes what MarshalJSON encodes; unknown fields are refused.
func (l *SettlementLine) UnmarshalJSON(b []byte) error {
	j, err := decodeReplayable[settlementLineJSON]("SettlementLine.UnmarshalJSON", b)
	if err != nil {
		return err
	}
	*l = SettlementLine(j)
	return nil
}

// appendList appends key and the JSON array of items, nothing when there is none.
func appendList[T interface{ AppendJSON([]byte) []byte }](b []byte, key string, items []T) []byte {
	if len(items) == 0 {
		return b
	}
	b = append(append(b, key...), '[')
	for i, l := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = l.AppendJSON(b)
	}
	return append(b, ']')
}
