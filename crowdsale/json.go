package crowdsale

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"iter"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// The package's JSON is written by the appenders below, field by field in a fixed order,
// and read by strict decoders (unknown fields and versions refused) into named-field mirror
// structs, converted to the public types where the fields match one for one (so that a
// field added to one and not the other does not compile). Amounts are token.Amount text, ratios token.Ratio text, times UTC RFC 3339 with
// nanoseconds, durations Go duration strings. A field is left out when it is empty (the zero
// Amount, the zero time, an empty list) unless it carries meaning (a count, a tier index, a
// bonus of 0%). Nothing depends on shopspring/decimal's package settings.

// jsonWriter appends JSON to a buffer; sep is the separator before the next field.
type jsonWriter struct {
	b   []byte
	sep bool
}

func (w *jsonWriter) open()  { w.b, w.sep = append(w.b, '{'), false }
func (w *jsonWriter) close() { w.b, w.sep = append(w.b, '}'), true }

// key writes the separator and "name":; name is one of the package's field names, which
// need no escaping.
func (w *jsonWriter) key(name string) {
	if w.sep {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':')
	w.sep = true
}

func (w *jsonWriter) str(name, s string) {
	w.key(name)
	w.b = appendString(w.b, s)
}

// optStr writes a string field unless s is empty.
func (w *jsonWriter) optStr(name, s string) {
	if s != "" {
		w.str(name, s)
	}
}

func (w *jsonWriter) int(name string, v int64) {
	w.key(name)
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *jsonWriter) bool(name string, v bool) {
	w.key(name)
	w.b = strconv.AppendBool(w.b, v)
}

// amount writes an amount field unless x is the zero Amount.
func (w *jsonWriter) amount(name string, x token.Amount) {
	if !x.IsValid() {
		return
	}
	w.key(name)
	w.b = append(w.b, '"')
	w.b, _ = x.AppendText(w.b)
	w.b = append(w.b, '"')
}

func (w *jsonWriter) ratio(name string, r token.Ratio) {
	w.key(name)
	w.b = append(w.b, '"')
	w.b, _ = r.AppendText(w.b)
	w.b = append(w.b, '"')
}

// time writes a time field unless t is zero.
func (w *jsonWriter) time(name string, t time.Time) {
	if t.IsZero() {
		return
	}
	w.key(name)
	w.b = append(w.b, '"')
	w.b = t.UTC().AppendFormat(w.b, time.RFC3339Nano)
	w.b = append(w.b, '"')
}

// asset writes an asset field unless a is the zero Asset.
func (w *jsonWriter) asset(name string, a token.Asset) {
	if !a.IsValid() {
		return
	}
	w.key(name)
	w.rawAsset(a)
}

func (w *jsonWriter) rawAsset(a token.Asset) {
	w.b = append(w.b, `{"symbol":`...)
	w.b = appendString(w.b, a.Symbol())
	w.b = append(w.b, `,"decimals":`...)
	w.b = strconv.AppendInt(w.b, int64(a.Decimals()), 10)
	w.b = append(w.b, '}')
}

// list writes a list field of n elements unless n is 0; elem writes element i.
func (w *jsonWriter) list(name string, n int, elem func(i int)) {
	if n == 0 {
		return
	}
	w.key(name)
	w.b = append(w.b, '[')
	for i := range n {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.sep = false
		elem(i)
	}
	w.b, w.sep = append(w.b, ']'), true
}

// appendString appends s as a JSON string, escaped as encoding/json escapes it (invalid
// UTF-8 becomes U+FFFD).
func appendString(b []byte, s string) []byte {
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

// strict decodes data, one JSON value, into v, refusing unknown fields.
func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errText("data after the value")
	}
	return nil
}

type errText string

func (e errText) Error() string { return string(e) }

// decodeErr is the error of JSON that does not decode into what.
func decodeErr(reason *fault.Reason, what string, cause error) error {
	if e, ok := cause.(*Error); ok && e.Op == "UnmarshalJSON" {
		return cause // a part's error says it already
	}
	return &Error{Op: "UnmarshalJSON", Detail: what + ": " + causeText(cause), Err: because(reason, cause)}
}

// checkVersion checks a decoded format version.
func checkVersion(reason *fault.Reason, what string, v *int) error {
	switch {
	case v == nil:
		return &Error{Op: "UnmarshalJSON", Detail: what + `: no format version "v"`, Err: reason}
	case *v != 1:
		return &Error{Op: "UnmarshalJSON", Detail: what + ": format version " + strconv.Itoa(*v) + ", want 1", Err: reason}
	}
	return nil
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// ---- events ----

// AppendJSON appends the event's JSON (see [Event]) to b.
func (e Event) AppendJSON(b []byte) []byte {
	w := jsonWriter{b: b}
	w.open()
	w.int("v", EventVersion)
	w.key("seq")
	w.b = strconv.AppendUint(w.b, e.Seq, 10)
	w.str("kind", string(e.Kind))
	w.time("at", e.At)
	if c := e.Contribution; c != nil {
		w.key("contribution")
		c.write(&w)
	}
	if r := e.Refund; r != nil {
		w.key("refund")
		r.write(&w)
	}
	if x := e.End; x != nil {
		w.key("end")
		x.write(&w)
	}
	if c := e.ClosingRate; c != nil {
		w.key("closing_rate")
		c.write(&w)
	}
	if d := e.FiatDay; d != nil {
		w.key("fiat_day")
		d.write(&w)
	}
	if x := e.Shift; x != nil {
		w.key("shift")
		x.write(&w)
	}
	if f := e.Finalized; f != nil {
		w.key("finalized")
		f.write(&w)
	}
	if a := e.Allocation; a != nil {
		w.key("allocation")
		a.write(&w)
	}
	if d := e.Distributed; d != nil {
		w.key("distributed")
		d.write(&w)
	}
	if r := e.Registered; r != nil {
		w.key("registered")
		r.write(&w)
	}
	if x := e.Pause; x != nil {
		w.key("pause")
		x.write(&w)
	}
	if p := e.RefundPaid; p != nil {
		w.key("refund_paid")
		p.write(&w)
	}
	if a := e.Approval; a != nil {
		w.key("approval")
		a.write(&w)
	}
	if r := e.Released; r != nil {
		w.key("released")
		r.write(&w)
	}
	w.close()
	return w.b
}

// MarshalJSON returns what [Event.AppendJSON] appends.
func (e Event) MarshalJSON() ([]byte, error) { return e.AppendJSON(nil), nil }

// eventJSON is the mirror of an Event. Its payloads are mirrors too, without decoding
// methods of their own, so that one strict decoder reads the whole event.
type eventJSON struct {
	V            *int               `json:"v"`
	Seq          uint64             `json:"seq"`
	Kind         EventKind          `json:"kind"`
	At           time.Time          `json:"at"`
	Contribution *contributionJSON  `json:"contribution"`
	Refund       *refundJSON        `json:"refund"`
	End          *endJSON           `json:"end"`
	ClosingRate  *closingRateJSON   `json:"closing_rate"`
	FiatDay      *fiatDayJSON       `json:"fiat_day"`
	Shift        *shiftJSON         `json:"shift"`
	Finalized    *finalizationJSON  `json:"finalized"`
	Allocation   *allocationJSON    `json:"allocation"`
	Distributed  *distributionJSON  `json:"distributed"`
	Registered   *registrantJSON    `json:"registered"`
	Pause        *pauseJSON         `json:"pause"`
	RefundPaid   *refundPaymentJSON `json:"refund_paid"`
	Approval     *approvalJSON      `json:"approval"`
	Released     *releaseJSON       `json:"released"`
}

// convert returns the value a mirror decodes to, or nil for an absent payload.
func convert[M any, T any](m *M, value func(*M) (T, error)) (*T, error) {
	if m == nil {
		return nil, nil
	}
	v, err := value(m)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// UnmarshalJSON decodes what [Event.AppendJSON] writes. It is strict: the version must be
// 1, the kind known, and unknown fields are refused. It checks the form only; [Replay]
// checks that the event is what the sale derives. The error is an [*Error] wrapping
// [ErrReplay].
func (e *Event) UnmarshalJSON(data []byte) error {
	var j eventJSON
	r := reader{b: data}
	r.event(&j)
	if err := r.done(); err != nil {
		return decodeErr(ErrReplay, "event", err)
	}
	if err := checkVersion(ErrReplay, "event", j.V); err != nil {
		return err
	}
	if !j.Kind.known() {
		return &Error{Op: "UnmarshalJSON", Detail: "event: unknown kind " + strconv.Quote(string(j.Kind)), Err: ErrReplay}
	}
	shift, err := convert(j.Shift, (*shiftJSON).value)
	if err != nil {
		return decodeErr(ErrReplay, "shift", err)
	}
	distributed, err := convert(j.Distributed, (*distributionJSON).value)
	if err != nil {
		return decodeErr(ErrReplay, "distribution", err)
	}
	*e = Event{Seq: j.Seq, Kind: j.Kind, At: utc(j.At), Shift: shift, Distributed: distributed}
	e.Contribution, _ = convert(j.Contribution, (*contributionJSON).value)
	e.Refund, _ = convert(j.Refund, (*refundJSON).value)
	e.End, _ = convert(j.End, (*endJSON).value)
	e.ClosingRate, _ = convert(j.ClosingRate, (*closingRateJSON).value)
	e.FiatDay, _ = convert(j.FiatDay, (*fiatDayJSON).value)
	e.Finalized, _ = convert(j.Finalized, (*finalizationJSON).value)
	e.Allocation, _ = convert(j.Allocation, (*allocationJSON).value)
	e.Registered, _ = convert(j.Registered, (*registrantJSON).value)
	e.Pause, _ = convert(j.Pause, (*pauseJSON).value)
	e.RefundPaid, _ = convert(j.RefundPaid, (*refundPaymentJSON).value)
	e.Approval, _ = convert(j.Approval, (*approvalJSON).value)
	e.Released, _ = convert(j.Released, (*releaseJSON).value)
	return nil
}

// amountMap writes m, by source in sorted order, when it is not empty.
func (w *jsonWriter) amountMap(name string, m map[string]token.Amount) {
	if len(m) == 0 {
		return
	}
	w.key(name)
	w.open()
	for _, src := range slices.Sorted(maps.Keys(m)) {
		// a source is any UTF-8 text: escape it (key writes constant names as they are)
		if w.sep {
			w.b = append(w.b, ',')
		}
		w.b = append(appendString(w.b, src), ':', '"')
		w.b, _ = m[src].AppendText(w.b)
		w.b, w.sep = append(w.b, '"'), true
	}
	w.close()
}

func (c *ContributionEvent) write(w *jsonWriter) {
	w.open()
	w.str("id", c.ID)
	w.optStr("participant", string(c.Participant))
	w.amount("amount", c.Amount)
	w.amountMap("quotes", c.Quotes)
	w.amountMap("rounded", c.Rounded)
	w.amount("median", c.Median)
	w.int("tier", int64(c.Tier))
	w.ratio("bonus", c.Bonus)
	w.amount("value", c.Value)
	w.amount("accepted", c.Accepted)
	if !c.Refund.IsZero() || c.Refund.Asset() != c.Amount.Asset() {
		w.amount("refund", c.Refund)
	}
	w.close()
}

// MarshalJSON encodes the contribution as the "contribution" of an [Event]: {"id":"tx1",
// "participant":"alice","amount":"300.000000000000000000 ETH","quotes":{"gdax":"0.02990000
// BTC",...},"median":...,"tier":6,"bonus":"0%","value":...,"accepted":...}, with
// "rounded":{"gdax":"0.02990000 BTC"} after the quotes when a quote was given at other
// decimals. A refund of zero of the currency is left out.
func (c ContributionEvent) MarshalJSON() ([]byte, error) {
	return encode(c.write)
}

type contributionJSON struct {
	ID          string                  `json:"id"`
	Participant token.Account           `json:"participant"`
	Amount      token.Amount            `json:"amount"`
	Quotes      map[string]token.Amount `json:"quotes"`
	Rounded     map[string]token.Amount `json:"rounded"`
	Median      token.Amount            `json:"median"`
	Tier        int                     `json:"tier"`
	Bonus       token.Ratio             `json:"bonus"`
	Value       token.Amount            `json:"value"`
	Accepted    token.Amount            `json:"accepted"`
	Refund      token.Amount            `json:"refund"`
}

// UnmarshalJSON decodes what [ContributionEvent.MarshalJSON] writes; an absent refund is zero
// of the amount's currency. The error is an [*Error] wrapping [ErrReplay].
func (c *ContributionEvent) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "contribution", (*reader).contribution, (*contributionJSON).value, c)
}

func (j *contributionJSON) value() (ContributionEvent, error) {
	if !j.Refund.IsValid() {
		j.Refund = j.Amount.Asset().Zero()
	}
	if len(j.Quotes) == 0 {
		j.Quotes = nil
	}
	if len(j.Rounded) == 0 {
		j.Rounded = nil
	}
	return ContributionEvent(*j), nil // a conversion: the mirror has every field
}

func (r *Refund) write(w *jsonWriter) {
	w.open()
	w.str("contribution_id", r.ContributionID)
	w.optStr("participant", string(r.Participant))
	w.amount("amount", r.Amount)
	w.optStr("reason", string(r.Reason))
	w.close()
}

// MarshalJSON encodes the refund as {"contribution_id":"cross","participant":"late",
// "amount":"3.333333333333333334 ETH","reason":"cap"}.
func (r Refund) MarshalJSON() ([]byte, error) {
	return encode(r.write)
}

type refundJSON struct {
	ContributionID string        `json:"contribution_id"`
	Participant    token.Account `json:"participant"`
	Amount         token.Amount  `json:"amount"`
	Reason         RefundReason  `json:"reason"`
}

// UnmarshalJSON decodes what [Refund.MarshalJSON] writes. The error is an [*Error] wrapping
// [ErrReplay].
func (r *Refund) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "refund", (*reader).refund, (*refundJSON).value, r)
}

func (j *refundJSON) value() (Refund, error) { return Refund(*j), nil }

func (x *End) write(w *jsonWriter) {
	w.open()
	w.optStr("reason", string(x.Reason))
	w.time("at", x.At)
	w.close()
}

// MarshalJSON encodes the end as {"reason":"cap","at":"2017-03-06T00:00:00Z"}.
func (x End) MarshalJSON() ([]byte, error) {
	return encode(x.write)
}

type endJSON struct {
	Reason EndReason `json:"reason"`
	At     time.Time `json:"at"`
}

// UnmarshalJSON decodes what [End.MarshalJSON] writes. The error is an [*Error] wrapping
// [ErrReplay].
func (x *End) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "end", (*reader).end, (*endJSON).value, x)
}

func (j *endJSON) value() (End, error) { return End{Reason: j.Reason, At: utc(j.At)}, nil }

func (c *ClosingRate) write(w *jsonWriter) {
	w.open()
	w.time("day", c.Day)
	w.str("source", c.Source)
	w.asset("asset", c.Asset)
	w.amount("rate", c.Rate)
	w.close()
}

// MarshalJSON encodes the closing rate as {"day":"2017-03-01T00:00:00Z","source":"gdax",
// "asset":{"symbol":"BTC","decimals":8},"rate":"1200.50 USD"}.
func (c ClosingRate) MarshalJSON() ([]byte, error) {
	return encode(c.write)
}

type closingRateJSON struct {
	Day    time.Time    `json:"day"`
	Source string       `json:"source"`
	Asset  token.Asset  `json:"asset"`
	Rate   token.Amount `json:"rate"`
}

// UnmarshalJSON decodes what [ClosingRate.MarshalJSON] writes. The error is an [*Error]
// wrapping [ErrReplay].
func (c *ClosingRate) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "closing rate", (*reader).closingRate, (*closingRateJSON).value, c)
}

func (j *closingRateJSON) value() (ClosingRate, error) {
	return ClosingRate{Day: utc(j.Day), Source: j.Source, Asset: j.Asset, Rate: j.Rate}, nil
}

func (d *FiatDay) write(w *jsonWriter) {
	w.open()
	w.time("day", d.Day)
	w.time("judged_at", d.JudgedAt)
	w.optStr("status", string(d.Status))
	w.list("collected", len(d.Collected), func(i int) {
		w.b = append(w.b, '"')
		w.b, _ = d.Collected[i].AppendText(w.b)
		w.b = append(w.b, '"')
	})
	w.list("rates", len(d.Rates), func(i int) {
		w.open()
		w.asset("asset", d.Rates[i].Asset)
		w.amount("rate", d.Rates[i].Rate)
		w.close()
	})
	w.amount("value", d.Value)
	w.list("missing", len(d.Missing), func(i int) {
		w.open()
		w.time("day", d.Missing[i].Day)
		w.asset("asset", d.Missing[i].Asset)
		w.close()
	})
	w.int("streak", int64(d.Streak))
	w.close()
}

// MarshalJSON encodes the day as {"day":...,"judged_at":...,"status":"met","collected":[...],
// "rates":[{"asset":...,"rate":...}],"value":...,"missing":[{"day":...,"asset":...}],
// "streak":1}, without the empty lists and the value of an unknown day.
func (d FiatDay) MarshalJSON() ([]byte, error) {
	return encode(d.write)
}

type fiatRateJSON struct {
	Asset token.Asset  `json:"asset"`
	Rate  token.Amount `json:"rate"`
}

type missingRateJSON struct {
	Day   time.Time   `json:"day"`
	Asset token.Asset `json:"asset"`
}

type fiatDayJSON struct {
	Day       time.Time         `json:"day"`
	JudgedAt  time.Time         `json:"judged_at"`
	Status    FiatStatus        `json:"status"`
	Collected []token.Amount    `json:"collected"`
	Rates     []fiatRateJSON    `json:"rates"`
	Value     token.Amount      `json:"value"`
	Missing   []missingRateJSON `json:"missing"`
	Streak    int               `json:"streak"`
}

// UnmarshalJSON decodes what [FiatDay.MarshalJSON] writes. The error is an [*Error] wrapping
// [ErrReplay].
func (d *FiatDay) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "fiat day", (*reader).fiatDay, (*fiatDayJSON).value, d)
}

func (j *fiatDayJSON) value() (FiatDay, error) {
	d := FiatDay{Day: utc(j.Day), JudgedAt: utc(j.JudgedAt), Status: j.Status, Value: j.Value, Streak: j.Streak}
	if len(j.Collected) > 0 {
		d.Collected = j.Collected
	}
	for _, r := range j.Rates {
		d.Rates = append(d.Rates, FiatRate(r))
	}
	for _, m := range j.Missing {
		d.Missing = append(d.Missing, MissingRate{Day: utc(m.Day), Asset: m.Asset})
	}
	return d, nil
}

func (x *Shift) write(w *jsonWriter) {
	w.open()
	w.str("by", x.By.String())
	w.close()
}

// MarshalJSON encodes the shift as {"by":"24h0m0s"}, a Go duration string.
func (x Shift) MarshalJSON() ([]byte, error) {
	return encode(x.write)
}

// UnmarshalJSON decodes what [Shift.MarshalJSON] writes; "by" is read by
// [time.ParseDuration] ("1h" works). The error is an [*Error] wrapping [ErrReplay].
func (x *Shift) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "shift", (*reader).shift, (*shiftJSON).value, x)
}

type shiftJSON struct {
	By string `json:"by"`
}

func (j *shiftJSON) value() (Shift, error) {
	d, err := time.ParseDuration(j.By)
	return Shift{By: d}, err
}

func (f *Finalization) write(w *jsonWriter) {
	w.open()
	w.optStr("outcome", string(f.Outcome))
	w.amount("raised", f.Raised)
	w.int("participants", int64(f.Participants))
	w.int("contributions", int64(f.Contributions))
	w.close()
}

// MarshalJSON encodes the finalization as {"outcome":"succeeded","raised":...,
// "participants":3,"contributions":3}.
func (f Finalization) MarshalJSON() ([]byte, error) {
	return encode(f.write)
}

type finalizationJSON struct {
	Outcome       Outcome      `json:"outcome"`
	Raised        token.Amount `json:"raised"`
	Participants  int          `json:"participants"`
	Contributions int          `json:"contributions"`
}

// UnmarshalJSON decodes what [Finalization.MarshalJSON] writes. The error is an [*Error]
// wrapping [ErrReplay].
func (f *Finalization) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "finalization", (*reader).finalization, (*finalizationJSON).value, f)
}

func (j *finalizationJSON) value() (Finalization, error) { return Finalization(*j), nil }

func (a *Allocation) write(w *jsonWriter) {
	w.open()
	w.optStr("participant", string(a.Participant))
	w.amount("amount", a.Amount)
	w.close()
}

// MarshalJSON encodes the allocation as {"participant":"alice","amount":"48000000.000000
// TRST"}.
func (a Allocation) MarshalJSON() ([]byte, error) {
	return encode(a.write)
}

type allocationJSON struct {
	Participant token.Account `json:"participant"`
	Amount      token.Amount  `json:"amount"`
}

// UnmarshalJSON decodes what [Allocation.MarshalJSON] writes. The error is an [*Error]
// wrapping [ErrReplay].
func (a *Allocation) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "allocation", (*reader).allocation, (*allocationJSON).value, a)
}

func (j *allocationJSON) value() (Allocation, error) { return Allocation(*j), nil }

func (d *Distribution) write(w *jsonWriter) {
	w.open()
	w.int("transfers", int64(d.Transfers))
	w.amount("total", d.Total)
	if d.LockUp != nil {
		w.key("lock_up")
		d.LockUp.write(w)
	}
	if d.FirstGrant != 0 {
		w.key("first_grant")
		w.b = strconv.AppendUint(w.b, uint64(d.FirstGrant), 10)
	}
	w.close()
}

// MarshalJSON encodes the distribution as {"transfers":3,"total":"80000000.000000 TRST"},
// under a lock-up with its [LockUp] and first grant after them:
// ...,"lock_up":{"start":...,"step":"P1M"},"first_grant":2}.
func (d Distribution) MarshalJSON() ([]byte, error) {
	return encode(d.write)
}

type distributionJSON struct {
	Transfers  int          `json:"transfers"`
	Total      token.Amount `json:"total"`
	LockUp     *lockUpJSON  `json:"lock_up"`
	FirstGrant uint64       `json:"first_grant"`
}

// UnmarshalJSON decodes what [Distribution.MarshalJSON] writes. The error is an [*Error]
// wrapping [ErrReplay].
func (d *Distribution) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "distribution", (*reader).distribution, (*distributionJSON).value, d)
}

func (j *distributionJSON) value() (Distribution, error) {
	lock, err := convert(j.LockUp, (*lockUpJSON).value)
	if err != nil {
		return Distribution{}, err
	}
	return Distribution{Transfers: j.Transfers, Total: j.Total, LockUp: lock, FirstGrant: token.VestingID(j.FirstGrant)}, nil
}

// ---- a stream of events ----

// Decoder reads events written as JSON lines (one [Event.AppendJSON] per line, as a service
// persists them), for [Replay]: Replay(cfg, dec.Events()), then check dec.Err(), like
// bufio.Scanner. The zero Decoder reads nothing.
type Decoder struct {
	sc  *bufio.Scanner
	err error
}

// maxEventLine bounds one event's line (a fiat day of 255 currencies fits easily).
const maxEventLine = 1 << 20

// NewDecoder returns a decoder that reads JSON lines from r. Blank lines are skipped.
func NewDecoder(r io.Reader) *Decoder {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxEventLine)
	return &Decoder{sc: sc}
}

// Events returns the events read, in order; it stops at the first line that does not
// decode or the first read error, which Err then reports.
func (d *Decoder) Events() iter.Seq[Event] {
	return func(yield func(Event) bool) {
		if d.sc == nil {
			return
		}
		for d.err == nil && d.sc.Scan() {
			line := bytes.TrimSpace(d.sc.Bytes())
			if len(line) == 0 {
				continue
			}
			var e Event
			if err := e.UnmarshalJSON(line); err != nil {
				d.err = err
				return
			}
			if !yield(e) {
				return
			}
		}
		if d.err == nil {
			d.err = d.sc.Err()
		}
	}
}

// Err returns the first error met by Events: a line that is not an event, or a read error.
func (d *Decoder) Err() error { return d.err }

// ---- config ----

// ConfigVersion is the format version a config's JSON carries as "v".
const ConfigVersion = 1

func (c *Config) write(w *jsonWriter) {
	w.open()
	w.int("v", ConfigVersion)
	w.asset("token", c.Token)
	w.amount("pool", c.Pool)
	w.optStr("sale_account", string(c.SaleAccount))
	w.asset("reference", c.Reference)
	w.list("accepted", len(c.Accepted), func(i int) { w.rawAsset(c.Accepted[i]) })
	w.time("start", c.Start)
	w.time("end", c.End)
	w.list("tiers", len(c.Tiers), func(i int) {
		w.open()
		w.time("from", c.Tiers[i].From)
		w.ratio("bonus", c.Tiers[i].Bonus)
		w.amount("sold", c.Tiers[i].Sold)
		w.close()
	})
	w.amount("minimum", c.Minimum)
	w.amount("cap", c.Cap)
	if f := c.Fiat; f.Currency.IsValid() || f.Threshold.IsValid() || f.Days != 0 || f.Lookback != 0 {
		w.key("fiat")
		w.open()
		w.asset("currency", f.Currency)
		w.amount("threshold", f.Threshold)
		w.int("days", int64(f.Days))
		w.int("lookback", int64(f.Lookback))
		w.close()
	}
	w.key("quotes")
	w.open()
	w.list("sources", len(c.Quotes.Sources), func(i int) { w.b = appendString(w.b, c.Quotes.Sources[i]) })
	w.int("quorum", int64(c.Quotes.Quorum))
	w.int("decimals", int64(c.Quotes.Decimals))
	w.optStr("rounding", string(c.Quotes.Rounding))
	w.close()
	w.optStr("design", string(c.Design))
	w.amount("price", c.Price)
	w.optStr("tier_by", string(c.TierBy))
	if l := c.PerParticipant; l.Min.IsValid() || l.Max.IsValid() {
		w.key("per_participant")
		w.open()
		w.amount("min", l.Min)
		w.amount("max", l.Max)
		w.close()
	}
	if c.Allowlist {
		w.bool("allowlist", true)
	}
	w.optStr("admin", string(c.Admin))
	if c.Lateness != 0 {
		w.str("lateness", c.Lateness.String())
	}
	if e := c.Escrow; len(e.Holders) > 0 || e.Threshold != 0 {
		w.key("escrow")
		w.open()
		w.list("holders", len(e.Holders), func(i int) { w.b = appendString(w.b, string(e.Holders[i])) })
		w.int("threshold", int64(e.Threshold))
		w.close()
	}
	w.close()
}

// MarshalJSON encodes the config as {"v":1,"token":{"symbol":"TRST","decimals":6},
// "pool":"80000000.000000 TRST","sale_account":"wetrust-sale","reference":...,"accepted":[...],
// "start":"2017-03-02T00:00:00Z","end":...,"tiers":[{"from":...,"bonus":"30%"},...],
// "minimum":"1000.00000000 BTC","cap":...,"fiat":{"currency":...,"threshold":"7300000.00 USD",
// "days":3,"lookback":3},"quotes":{"sources":[...],"quorum":2,"decimals":8}}, times in UTC
// (a quote rounding, when set, is "rounding":"half_even" in "quotes");
// the zero FiatRule is left out, and so are an unset design, price and tier basis
// ("design":"fixed_price","price":"10.000000 TRST","tier_by":"sold" when set; a tier by
// amount sold has "sold" and no "from").
func (c Config) MarshalJSON() ([]byte, error) {
	return encode(c.write)
}

type tierJSON struct {
	From  time.Time    `json:"from"`
	Bonus token.Ratio  `json:"bonus"`
	Sold  token.Amount `json:"sold"`
}

type fiatRuleJSON struct {
	Currency  token.Asset  `json:"currency"`
	Threshold token.Amount `json:"threshold"`
	Days      int          `json:"days"`
	Lookback  int          `json:"lookback"`
}

type quoteRuleJSON struct {
	Sources  []string      `json:"sources"`
	Quorum   int           `json:"quorum"`
	Decimals int           `json:"decimals"`
	Rounding QuoteRounding `json:"rounding"`
}

type configJSON struct {
	V              *int          `json:"v"`
	Token          token.Asset   `json:"token"`
	Pool           token.Amount  `json:"pool"`
	SaleAccount    token.Account `json:"sale_account"`
	Reference      token.Asset   `json:"reference"`
	Accepted       []token.Asset `json:"accepted"`
	Start          time.Time     `json:"start"`
	End            time.Time     `json:"end"`
	Tiers          []tierJSON    `json:"tiers"`
	Minimum        token.Amount  `json:"minimum"`
	Cap            token.Amount  `json:"cap"`
	Fiat           fiatRuleJSON  `json:"fiat"`
	Quotes         quoteRuleJSON `json:"quotes"`
	Design         Design        `json:"design"`
	Price          token.Amount  `json:"price"`
	TierBy         TierBasis     `json:"tier_by"`
	PerParticipant struct {
		Min token.Amount `json:"min"`
		Max token.Amount `json:"max"`
	} `json:"per_participant"`
	Allowlist bool          `json:"allowlist"`
	Admin     token.Account `json:"admin"`
	Lateness  string        `json:"lateness"`
	Escrow    struct {
		Holders   []token.Account `json:"holders"`
		Threshold int             `json:"threshold"`
	} `json:"escrow"`
}

// UnmarshalJSON decodes what [Config.MarshalJSON] writes. The version must be 1 and unknown
// fields are refused; Validate checks the rest. The error is an [*Error] wrapping
// [ErrInvalidConfig].
func (c *Config) UnmarshalJSON(data []byte) error {
	var j configJSON
	if err := strict(data, &j); err != nil {
		return decodeErr(ErrInvalidConfig, "config", err)
	}
	if err := checkVersion(ErrInvalidConfig, "config", j.V); err != nil {
		return err
	}
	*c = Config{Token: j.Token, Pool: j.Pool, SaleAccount: j.SaleAccount, Reference: j.Reference, Accepted: j.Accepted,
		Start: utc(j.Start), End: utc(j.End), Minimum: j.Minimum, Cap: j.Cap,
		Fiat:   FiatRule{Currency: j.Fiat.Currency, Threshold: j.Fiat.Threshold, Days: j.Fiat.Days, Lookback: j.Fiat.Lookback},
		Quotes: QuoteRule(j.Quotes),
		Design: j.Design, Price: j.Price, TierBy: j.TierBy,
		PerParticipant: Limits(j.PerParticipant), Allowlist: j.Allowlist, Admin: j.Admin,
		Escrow: EscrowRule(j.Escrow)}
	for _, t := range j.Tiers {
		c.Tiers = append(c.Tiers, Tier(tierJSON{From: utc(t.From), Bonus: t.Bonus, Sold: t.Sold}))
	}
	if j.Lateness != "" {
		d, err := time.ParseDuration(j.Lateness)
		if err != nil {
			return decodeErr(ErrInvalidConfig, "config: lateness", err)
		}
		c.Lateness = d
	}
	return nil
}

// ---- snapshot ----

// SnapshotVersion is the format version a snapshot's JSON carries as "v".
const SnapshotVersion = 1

func (st *Status) write(w *jsonWriter) {
	w.open()
	w.str("phase", string(st.Phase))
	w.optStr("reason", string(st.Reason))
	w.time("ended_at", st.EndedAt)
	w.bool("finalized", st.Finalized)
	w.optStr("outcome", string(st.Outcome))
	w.bool("distributed", st.Distributed)
	if st.Paused {
		w.bool("paused", true)
	}
	w.close()
}

// AppendJSON appends the snapshot's JSON (see [Snapshot.MarshalJSON]) to b.
func (sn Snapshot) AppendJSON(b []byte) []byte {
	w := jsonWriter{b: b}
	w.open()
	w.int("v", SnapshotVersion)
	w.key("config")
	sn.Config.write(&w)
	w.time("clock", sn.Clock)
	w.key("status")
	sn.Status.write(&w)
	w.int("contributions", int64(sn.Contributions))
	w.amount("raised", sn.Raised)
	w.str("total_weight", sn.TotalWeight)
	w.list("collected", len(sn.Collected), func(i int) {
		w.b = append(w.b, '"')
		w.b, _ = sn.Collected[i].AppendText(w.b)
		w.b = append(w.b, '"')
	})
	w.int("fiat_streak", int64(sn.FiatStreak))
	w.list("closing_rates", len(sn.ClosingRates), func(i int) { sn.ClosingRates[i].write(&w) })
	w.list("fiat_days", len(sn.FiatDays), func(i int) { sn.FiatDays[i].write(&w) })
	w.list("participants", len(sn.Participants), func(i int) {
		p := &sn.Participants[i]
		w.open()
		w.str("account", string(p.Account))
		w.int("contributions", int64(p.Contributions))
		w.amount("value", p.Value)
		w.str("weight", p.Weight)
		w.amount("provisional", p.Provisional)
		w.amount("allocation", p.Allocation)
		w.close()
	})
	w.list("refunds", len(sn.Refunds), func(i int) { sn.Refunds[i].write(&w) })
	w.list("registry", len(sn.Registry), func(i int) { sn.Registry[i].write(&w) })
	w.list("refund_payments", len(sn.Payments), func(i int) { sn.Payments[i].write(&w) })
	w.list("releases", len(sn.Releases), func(i int) { sn.Releases[i].write(&w) })
	w.key("last_seq")
	w.b = strconv.AppendUint(w.b, sn.LastSeq, 10)
	w.close()
	return w.b
}

// MarshalJSON encodes the snapshot as {"v":1,"config":...,"clock":...,"status":{...},
// "contributions":3,"raised":...,"total_weight":"80","collected":[...],"fiat_streak":0,
// "closing_rates":[...],"fiat_days":[...],"participants":[{"account":"alice",
// "contributions":1,"value":...,"weight":"48","provisional":...,"allocation":...}],
// "refunds":[...],"last_seq":8}, without the empty lists.
func (sn Snapshot) MarshalJSON() ([]byte, error) { return sn.AppendJSON(nil), nil }

type participantStateJSON struct {
	Account       token.Account `json:"account"`
	Contributions int           `json:"contributions"`
	Value         token.Amount  `json:"value"`
	Weight        string        `json:"weight"`
	Provisional   token.Amount  `json:"provisional"`
	Allocation    token.Amount  `json:"allocation"`
}

type snapshotJSON struct {
	V             *int                   `json:"v"`
	Config        Config                 `json:"config"`
	Clock         time.Time              `json:"clock"`
	Status        Status                 `json:"status"`
	Contributions int                    `json:"contributions"`
	Raised        token.Amount           `json:"raised"`
	TotalWeight   string                 `json:"total_weight"`
	Collected     []token.Amount         `json:"collected"`
	FiatStreak    int                    `json:"fiat_streak"`
	ClosingRates  []ClosingRate          `json:"closing_rates"`
	FiatDays      []FiatDay              `json:"fiat_days"`
	Participants  []participantStateJSON `json:"participants"`
	Refunds       []Refund               `json:"refunds"`
	Registry      []Registrant           `json:"registry"`
	Payments      []RefundPayment        `json:"refund_payments"`
	Releases      []Release              `json:"releases"`
	LastSeq       uint64                 `json:"last_seq"`
}

// UnmarshalJSON decodes what [Snapshot.MarshalJSON] writes. The version must be 1 and
// unknown fields are refused. The error is an [*Error] wrapping [ErrInvalidSnapshot].
func (sn *Snapshot) UnmarshalJSON(data []byte) error {
	var j snapshotJSON
	if err := strict(data, &j); err != nil {
		return &Error{Op: "UnmarshalJSON", Detail: "snapshot: " + causeText(err), Err: because(ErrInvalidSnapshot, err)}
	}
	if err := checkVersion(ErrInvalidSnapshot, "snapshot", j.V); err != nil {
		return err
	}
	j.Status.EndedAt = utc(j.Status.EndedAt)
	*sn = Snapshot{Config: j.Config, Clock: utc(j.Clock), Status: j.Status, Contributions: j.Contributions,
		Raised: j.Raised, TotalWeight: j.TotalWeight, Collected: j.Collected, FiatStreak: j.FiatStreak,
		ClosingRates: j.ClosingRates, FiatDays: j.FiatDays, Refunds: j.Refunds, Registry: j.Registry, Payments: j.Payments, Releases: j.Releases, LastSeq: j.LastSeq}
	for _, p := range j.Participants {
		sn.Participants = append(sn.Participants, ParticipantState(p))
	}
	return nil
}

// ---- reading events ----

// reader reads the JSON of events and their payloads into the mirrors above, by hand: one
// pass, no reflection. It is strict: unknown fields are refused (names are matched exactly),
// numbers must be integers, and nothing may follow the value. Strings with escapes or
// non-ASCII bytes are unquoted by encoding/json, so that they read exactly as it reads them.
type reader struct {
	b   []byte
	i   int
	err error
}

func (r *reader) fail(msg string) {
	if r.err == nil {
		r.err = errText(msg + " at offset " + strconv.Itoa(r.i))
	}
}

// done returns the first error, or an error if anything but spaces follows the value.
func (r *reader) done() error {
	if r.err == nil && r.peek() != 0 {
		r.fail("data after the value")
	}
	return r.err
}

// peek skips spaces and returns the next byte, 0 at the end.
func (r *reader) peek() byte {
	for r.i < len(r.b) {
		switch c := r.b[r.i]; c {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return c
		}
	}
	return 0
}

func (r *reader) eat(c byte) bool {
	if r.err == nil && r.peek() == c {
		r.i++
		return true
	}
	return false
}

func (r *reader) need(c byte) {
	if !r.eat(c) {
		r.fail("want " + strconv.QuoteRune(rune(c)))
	}
}

// null reads null if it comes next.
func (r *reader) null() bool {
	if r.err == nil && r.peek() == 'n' {
		if !bytes.HasPrefix(r.b[r.i:], []byte("null")) {
			r.fail("want null")
			return true
		}
		r.i += 4
		return true
	}
	return false
}

// object reads an object (or null), calling field with each key to read its value.
func (r *reader) object(field func(key string)) {
	if r.null() {
		return
	}
	r.need('{')
	if r.eat('}') {
		return
	}
	for r.err == nil {
		key := r.str()
		r.need(':')
		if r.err != nil {
			return
		}
		field(key)
		if !r.eat(',') {
			r.need('}')
			return
		}
	}
}

// array reads an array (or null), calling elem to read each element.
func (r *reader) array(elem func()) {
	if r.null() {
		return
	}
	r.need('[')
	if r.eat(']') {
		return
	}
	for r.err == nil {
		elem()
		if !r.eat(',') {
			r.need(']')
			return
		}
	}
}

func (r *reader) unknown(key string) { r.fail("unknown field " + strconv.Quote(key)) }

// str reads a string (null reads as "").
func (r *reader) str() string {
	if r.null() || r.err != nil {
		return ""
	}
	if r.peek() != '"' {
		r.fail("want a string")
		return ""
	}
	start, plain := r.i, true
	for r.i++; r.i < len(r.b); r.i++ {
		switch c := r.b[r.i]; {
		case c == '"':
			r.i++
			if plain {
				return string(r.b[start+1 : r.i-1])
			}
			var s string
			if err := json.Unmarshal(r.b[start:r.i], &s); err != nil {
				r.fail(err.Error())
			}
			return s
		case c == '\\':
			plain = false
			r.i++
		case c < 0x20:
			r.fail("control character in a string")
			return ""
		case c >= 0x80:
			plain = false
		}
	}
	r.fail("unterminated string")
	return ""
}

// number reads the text of an integer.
func (r *reader) number() string {
	if r.err != nil {
		return ""
	}
	r.peek()
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		r.i++
	}
	if r.i < len(r.b) && (r.b[r.i] == '.' || r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.fail("want an integer")
	}
	return string(r.b[start:r.i])
}

func (r *reader) int() int {
	if r.null() {
		return 0
	}
	v, err := strconv.Atoi(r.number())
	if err != nil && r.err == nil {
		r.fail("want an integer")
	}
	return v
}

func (r *reader) uint() uint64 {
	if r.null() {
		return 0
	}
	v, err := strconv.ParseUint(r.number(), 10, 64)
	if err != nil && r.err == nil {
		r.fail("want an unsigned integer")
	}
	return v
}

// amount reads an amount in the token.Amount grammar ("" is the zero Amount).
func (r *reader) amount() token.Amount {
	s := r.str()
	x, err := token.ParseAmount(s)
	if err != nil && r.err == nil {
		r.fail(causeText(err))
	}
	return x
}

func (r *reader) ratio() token.Ratio {
	s := r.str()
	x, err := token.ParseRatio(s)
	if err != nil && r.err == nil {
		r.fail(causeText(err))
	}
	return x
}

// time reads an RFC 3339 time, as time.Time's JSON does, in UTC.
func (r *reader) time() time.Time {
	if r.null() {
		return time.Time{}
	}
	var t time.Time
	if err := t.UnmarshalText([]byte(r.str())); err != nil && r.err == nil {
		r.fail(err.Error())
	}
	return utc(t)
}

// asset reads {"symbol":"ETH","decimals":18}.
func (r *reader) asset() token.Asset {
	if r.null() {
		return token.Asset{}
	}
	var sym string
	dec := 0
	r.object(func(k string) {
		switch k {
		case "symbol":
			sym = r.str()
		case "decimals":
			dec = r.int()
		default:
			r.unknown(k)
		}
	})
	if r.err != nil {
		return token.Asset{}
	}
	a, err := token.NewAsset(sym, dec)
	if err != nil {
		r.fail(causeText(err))
	}
	return a
}

func (r *reader) event(j *eventJSON) {
	r.object(func(k string) {
		switch k {
		case "v":
			v := r.int()
			j.V = &v
		case "seq":
			j.Seq = r.uint()
		case "kind":
			j.Kind = EventKind(r.str())
		case "at":
			j.At = r.time()
		case "contribution":
			j.Contribution = payload(r, r.contribution)
		case "refund":
			j.Refund = payload(r, r.refund)
		case "end":
			j.End = payload(r, r.end)
		case "closing_rate":
			j.ClosingRate = payload(r, r.closingRate)
		case "fiat_day":
			j.FiatDay = payload(r, r.fiatDay)
		case "shift":
			j.Shift = payload(r, r.shift)
		case "finalized":
			j.Finalized = payload(r, r.finalization)
		case "allocation":
			j.Allocation = payload(r, r.allocation)
		case "distributed":
			j.Distributed = payload(r, r.distribution)
		case "registered":
			j.Registered = payload(r, r.registrant)
		case "pause":
			j.Pause = payload(r, r.pause)
		case "refund_paid":
			j.RefundPaid = payload(r, r.refundPayment)
		case "approval":
			j.Approval = payload(r, r.approval)
		case "released":
			j.Released = payload(r, r.release)
		default:
			r.unknown(k)
		}
	})
}

// encode returns what write writes.
func encode(write func(*jsonWriter)) ([]byte, error) {
	w := jsonWriter{}
	write(&w)
	return w.b, nil
}

// decodeInto reads data, one object, into a mirror with read and stores its value in out;
// what names the object in the error, an [*Error] wrapping [ErrReplay].
func decodeInto[M, T any](data []byte, what string, read func(*reader, *M), value func(*M) (T, error), out *T) error {
	var j M
	rd := reader{b: data}
	read(&rd, &j)
	if err := rd.done(); err != nil {
		return decodeErr(ErrReplay, what, err)
	}
	v, err := value(&j)
	if err != nil {
		return decodeErr(ErrReplay, what, err)
	}
	*out = v
	return nil
}

// payload reads an object into a new mirror with read, or null into nil.
func payload[M any](r *reader, read func(*M)) *M {
	if r.null() {
		return nil
	}
	m := new(M)
	read(m)
	return m
}

// amountMap reads an object of amounts by source.
func (r *reader) amountMap() map[string]token.Amount {
	var m map[string]token.Amount
	r.object(func(src string) {
		if m == nil {
			m = make(map[string]token.Amount, 3)
		}
		m[src] = r.amount()
	})
	return m
}

func (r *reader) contribution(j *contributionJSON) {
	r.object(func(k string) {
		switch k {
		case "id":
			j.ID = r.str()
		case "participant":
			j.Participant = token.Account(r.str())
		case "amount":
			j.Amount = r.amount()
		case "quotes":
			j.Quotes = r.amountMap()
		case "rounded":
			j.Rounded = r.amountMap()
		case "median":
			j.Median = r.amount()
		case "tier":
			j.Tier = r.int()
		case "bonus":
			j.Bonus = r.ratio()
		case "value":
			j.Value = r.amount()
		case "accepted":
			j.Accepted = r.amount()
		case "refund":
			j.Refund = r.amount()
		default:
			r.unknown(k)
		}
	})
}

func (r *reader) refund(j *refundJSON) {
	r.object(func(k string) {
		switch k {
		case "contribution_id":
			j.ContributionID = r.str()
		case "participant":
			j.Participant = token.Account(r.str())
		case "amount":
			j.Amount = r.amount()
		case "reason":
			j.Reason = RefundReason(r.str())
		default:
			r.unknown(k)
		}
	})
}

func (r *reader) end(j *endJSON) {
	r.object(func(k string) {
		switch k {
		case "reason":
			j.Reason = EndReason(r.str())
		case "at":
			j.At = r.time()
		default:
			r.unknown(k)
		}
	})
}

func (r *reader) closingRate(j *closingRateJSON) {
	r.object(func(k string) {
		switch k {
		case "day":
			j.Day = r.time()
		case "source":
			j.Source = r.str()
		case "asset":
			j.Asset = r.asset()
		case "rate":
			j.Rate = r.amount()
		default:
			r.unknown(k)
		}
	})
}

func (r *reader) fiatDay(j *fiatDayJSON) {
	r.object(func(k string) {
		switch k {
		case "day":
			j.Day = r.time()
		case "judged_at":
			j.JudgedAt = r.time()
		case "status":
			j.Status = FiatStatus(r.str())
		case "collected":
			r.array(func() { j.Collected = append(j.Collected, r.amount()) })
		case "rates":
			r.array(func() { j.Rates = append(j.Rates, r.fiatRate()) })
		case "value":
			j.Value = r.amount()
		case "missing":
			r.array(func() { j.Missing = append(j.Missing, r.missingRate()) })
		case "streak":
			j.Streak = r.int()
		default:
			r.unknown(k)
		}
	})
}

func (r *reader) fiatRate() (j fiatRateJSON) {
	r.object(func(k string) {
		switch k {
		case "asset":
			j.Asset = r.asset()
		case "rate":
			j.Rate = r.amount()
		default:
			r.unknown(k)
		}
	})
	return j
}

func (r *reader) missingRate() (j missingRateJSON) {
	r.object(func(k string) {
		switch k {
		case "day":
			j.Day = r.time()
		case "asset":
			j.Asset = r.asset()
		default:
			r.unknown(k)
		}
	})
	return j
}

func (r *reader) shift(j *shiftJSON) {
	r.object(func(k string) {
		switch k {
		case "by":
			j.By = r.str()
		default:
			r.unknown(k)
		}
	})
}

func (r *reader) finalization(j *finalizationJSON) {
	r.object(func(k string) {
		switch k {
		case "outcome":
			j.Outcome = Outcome(r.str())
		case "raised":
			j.Raised = r.amount()
		case "participants":
			j.Participants = r.int()
		case "contributions":
			j.Contributions = r.int()
		default:
			r.unknown(k)
		}
	})
}

func (r *reader) allocation(j *allocationJSON) {
	r.object(func(k string) {
		switch k {
		case "participant":
			j.Participant = token.Account(r.str())
		case "amount":
			j.Amount = r.amount()
		default:
			r.unknown(k)
		}
	})
}

func (r *reader) distribution(j *distributionJSON) {
	r.object(func(k string) {
		switch k {
		case "transfers":
			j.Transfers = r.int()
		case "total":
			j.Total = r.amount()
		case "lock_up":
			j.LockUp = payload(r, r.lockUp)
		case "first_grant":
			j.FirstGrant = r.uint()
		default:
			r.unknown(k)
		}
	})
}
