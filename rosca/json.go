package rosca

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/trustcircle/trustcircle/internal/uint128"
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
	Foreperson   token.Account   `json:"foreperson"`
	Operator     token.Account   `json:"operator"`
	Contribution token.Amount    `json:"contribution"`
	Start        time.Time       `json:"start"`
	Period       string          `json:"period"`
	Epochs       int             `json:"epochs"`
	Fee          token.Ratio     `json:"fee"`
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
		Foreperson:   c.Foreperson,
		Operator:     c.Operator,
		Contribution: c.Contribution,
		Start:        c.Start.UTC(),
		Period:       c.Period.String(),
		Epochs:       c.Epochs,
		Fee:          c.Fee,
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
		Foreperson:   j.Foreperson,
		Operator:     j.Operator,
		Contribution: j.Contribution,
		Start:        j.Start.UTC(),
		Period:       period,
		Epochs:       j.Epochs,
		Fee:          j.Fee,
		Rules:        j.Rules,
		Seed:         j.Seed,
	}
	return nil
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

// appendString appends s as a JSON string, escaped as encoding/json escapes it (with
// <, > and & as \u003c, \u003e, \u0026), so that the bytes match json.Marshal's.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if plain[ch] {
			continue
		}
		if ch >= 0x80 {
			// Accounts are ASCII; anything else takes the general path.
			q, _ := json.Marshal(s[i:])
			b = append(b, s[start:i]...)
			return append(b, q[1:]...)
		}
		b = append(b, s[start:i]...)
		switch ch {
		case '"', '\\':
			b = append(b, '\\', ch)
		default:
			b = append(b, `\u00`...)
			b = append(b, hexDigits[ch>>4], hexDigits[ch&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// plain reports the bytes a JSON string holds as they are: printable ASCII but for ", \
// and the HTML characters <, > and & that encoding/json escapes.
var plain = func() (t [256]bool) {
	for ch := 0x20; ch < 0x80; ch++ {
		t[ch] = ch != '"' && ch != '\\' && ch != '<' && ch != '>' && ch != '&'
	}
	return t
}()

// appendTime appends t as a JSON string in UTC RFC 3339 with nanoseconds, trailing zeros
// trimmed: the text of time.Time.MarshalJSON for a UTC time, computed from the Unix time
// with integer arithmetic (the civil calendar from the day number, proleptic Gregorian).
func appendTime(b []byte, t time.Time) []byte {
	sec, ns := t.Unix(), t.Nanosecond()
	days, srem := sec/86400, sec%86400
	if srem < 0 {
		days, srem = days-1, srem+86400
	}
	rem := uint64(srem)
	y, m, d, ok := civil(days)
	if !ok {
		return strconv.AppendQuote(b, t.UTC().Format(time.RFC3339Nano))
	}
	// "YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ": at most 32 bytes, written in place in b (a local
	// buffer copied afterwards would stall on its byte-wise stores).
	start := len(b)
	b = grow(b, 32)
	f := b[start : start+32]
	f[0] = '"'
	put2(f[1:], int(y)/100)
	put2(f[3:], int(y)%100)
	f[5] = '-'
	put2(f[6:], int(m))
	f[8] = '-'
	put2(f[9:], int(d))
	f[11] = 'T'
	put2(f[12:], int(rem/3600))
	f[14] = ':'
	put2(f[15:], int(rem/60%60))
	f[17] = ':'
	put2(f[18:], int(rem%60))
	n := 20
	if ns != 0 {
		f[20] = '.'
		put2(f[21:], ns/10_000_000)
		put2(f[23:], ns/100_000%100)
		put2(f[25:], ns/1000%100)
		put2(f[27:], ns/10%100)
		f[29] = byte('0' + ns%10)
		n = 30
		for f[n-1] == '0' {
			n--
		}
	}
	f[n], f[n+1] = 'Z', '"'
	return b[:start+n+2]
}

// lastDay caches the civil date of the day most recently formatted, packed as
// days<<32 | year<<16 | month<<8 | day (the days offset by 2^31): events come in time
// order, so most share their day with the previous one. It is shared by every goroutine,
// read and written atomically.
var lastDay atomic.Uint64

// civil returns the year, month and day (proleptic Gregorian) of the day number days
// (days since 1970-01-01), and false outside the years 0 to 9999.
func civil(days int64) (y, m, d uint64, ok bool) {
	// Days since 0000-03-01, in eras of 400 years; 2932896 is 9999-12-31.
	z := days + 719468
	if z < 0 || days > 2932896 {
		return 0, 0, 0, false
	}
	key := uint64(days+1<<31) << 32
	if v := lastDay.Load(); v&^(1<<32-1) == key {
		return v >> 16 & 0xffff, v >> 8 & 0xff, v & 0xff, true
	}
	uz := uint64(z) // unsigned: cheaper divisions
	era := uz / 146097
	doe := uz - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if mp >= 10 {
		m = mp - 9
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	lastDay.Store(key | y<<16 | m<<8 | d)
	return y, m, d, true
}

// grow returns b with room for n more bytes.
func grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		b = slices.Grow(b, n)
	}
	return b
}

// put2 writes the two decimal digits of v (0 to 99) to b.
func put2(b []byte, v int) {
	b[0], b[1] = twoDigits[2*v], twoDigits[2*v+1]
}

const twoDigits = "00010203040506070809" + "10111213141516171819" + "20212223242526272829" + "30313233343536373839" +
	"40414243444546474849" + "50515253545556575859" + "60616263646566676869" + "70717273747576777879" +
	"80818283848586878889" + "90919293949596979899"

// appendAmount appends x as a JSON string in the amount grammar: the bytes of
// [token.Amount.AppendText] between quotes. A non-negative amount whose whole part (in
// units of the asset) is below 2^64 (every amount of a circle but absurd ones) is written
// here in one pass, several times faster than the general writer; any other amount by
// AppendText itself. TestRapidAppendAmount checks that both give the same bytes.
func appendAmount(b []byte, x *token.Amount) []byte {
	b = append(b, '"')
	a := x.Asset()
	if hi, lo, ok := x.Uint128Units(); ok && a.IsValid() {
		whole, frac, ok := splitUnits(hi, lo, a.Decimals())
		if ok {
			b = appendUnitsText(b, whole, frac, a.Decimals())
			b = append(b, ' ')
			b = append(b, a.Symbol()...)
			return append(b, '"')
		}
	}
	b, _ = x.AppendText(b)
	return append(b, '"')
}

// splitUnits returns hi x 2^64 + lo minor units as whole units and the fraction in minor
// units at dec decimals, and false when either does not fit 64 bits.
func splitUnits(hi, lo uint64, dec int) (whole, frac uint64, ok bool) {
	switch {
	case dec < len(pow10s):
		q, r := uint128.U128{Hi: hi, Lo: lo}.QuoRem64(pow10s[dec])
		return q.Lo, r, q.Hi == 0
	case hi == 0: // 10^dec is above every uint64
		return 0, lo, true
	}
	return 0, 0, false
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
	return appendString(append(b, `,"kind":`...), string(k))
}

// appendUnitsText appends whole units and frac minor units at the scale of dec decimals
// ("1.000000000000000000").
func appendUnitsText(b []byte, whole, frac uint64, dec int) []byte {
	b = appendUint(b, whole)
	if dec == 0 {
		return b
	}
	b = append(b, '.')
	if frac == 0 {
		return append(b, zeros[:dec]...)
	}
	// The dec digits of frac, zero-padded, two at a time from the end, in place in b.
	start := len(b)
	b = grow(b, dec)[:start+dec]
	i := start + dec
	for frac >= 100 {
		i -= 2
		put2(b[i:], int(frac%100))
		frac /= 100
	}
	if frac >= 10 {
		i -= 2
		put2(b[i:], int(frac))
	} else {
		i--
		b[i] = byte('0' + frac)
	}
	for j := start; j < i; j++ {
		b[j] = '0'
	}
	return b
}

// appendUint appends the decimal digits of v, two at a time, in place in b.
func appendUint(b []byte, v uint64) []byte {
	switch {
	case v < 10:
		return append(b, byte('0'+v))
	case v < 100:
		return append(b, twoDigits[2*v], twoDigits[2*v+1])
	}
	n := digits(v)
	start := len(b)
	b = grow(b, n)[:start+n]
	i := start + n
	for v >= 100 {
		i -= 2
		put2(b[i:], int(v%100))
		v /= 100
	}
	if v >= 10 {
		put2(b[i-2:], int(v))
	} else {
		b[i-1] = byte('0' + v)
	}
	return b
}

// digits returns the number of decimal digits of v.
func digits(v uint64) int {
	n := (bits.Len64(v) * 1233) >> 12 // floor(log10(2^bits)), one below or the count
	if n < len(pow10s) && v >= pow10s[n] {
		n++
	}
	return max(n, 1)
}

// pow10s[k] is 10^k, for every power below 2^64.
var pow10s = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	1e16, 1e17, 1e18, 1e19}

// zeros is token.MaxDecimals zeros, at least.
const zeros = "0000000000000000000000000000000000000000"

// AppendJSON appends the event's JSON to b: {"v":1,"seq":N,"kind":"...","at":"...",
// "round":R,"member":"..."} followed by the amount, the entitlement, the round's result
// and the settlement when the event carries them. It is what [Event.MarshalJSON] returns,
// built without reflection and, for the common kinds, without allocating.
func (e *Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"v":1,"seq":`...)
	b = appendUint(b, e.Seq)
	b = appendKind(b, e.Kind)
	b = append(b, `,"at":`...)
	b = appendTime(b, e.At)
	b = append(b, `,"round":`...)
	if e.Round >= 0 {
		b = appendUint(b, uint64(e.Round))
	} else {
		b = strconv.AppendInt(b, int64(e.Round), 10)
	}
	if e.Member != "" {
		b = append(b, `,"member":`...)
		b = appendString(b, string(e.Member))
	}
	if e.Amount.IsValid() {
		b = append(b, `,"amount":`...)
		b = appendAmount(b, &e.Amount)
	}
	if e.Entitled.IsValid() {
		b = append(b, `,"entitled":`...)
		b = appendAmount(b, &e.Entitled)
	}
	if e.Result != nil {
		b = append(b, `,"result":`...)
		b = e.Result.AppendJSON(b)
	}
	if len(e.Settlement) > 0 {
		b = append(b, `,"settlement":[`...)
		for i, l := range e.Settlement {
			if i > 0 {
				b = append(b, ',')
			}
			b = l.AppendJSON(b)
		}
		b = append(b, ']')
	}
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
		Entitled: j.Entitled, Result: j.Result, Settlement: j.Settlement}
	return nil
}

func (k EventKind) valid() bool {
	switch k {
	case EventContribution, EventBid, EventRoundClosed, EventWithdrawal, EventFeesRetrieved,
		EventRemainderDisposed, EventHaltEnabled, EventHaltActivated:
		return true
	}
	return false
}

// AppendJSON appends the result's JSON to b, the fields in the order of the struct;
// draw_start, candidates and debt are left out when zero.
func (r RoundResult) AppendJSON(b []byte) []byte {
	b = append(b, `{"round":`...)
	b = strconv.AppendInt(b, int64(r.Round), 10)
	b = append(b, `,"epoch":`...)
	b = strconv.AppendInt(b, int64(r.Epoch), 10)
	b = append(b, `,"winner":`...)
	b = appendString(b, string(r.Winner))
	b = append(b, `,"method":`...)
	b = appendString(b, string(r.Method))
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
	}{{`,"pot":`, r.Pot}, {`,"bid":`, r.Bid}, {`,"winnings":`, r.Winnings}, {`,"carried_in":`, r.CarriedIn},
		{`,"discount":`, r.Discount}}
	for _, f := range amounts {
		b = append(b, f.key...)
		b = appendAmount(b, &f.x)
	}
	b = append(b, `,"recipients":`...)
	b = strconv.AppendInt(b, int64(r.Recipients), 10)
	rest := [...]struct {
		key string
		x   token.Amount
	}{{`,"share_each":`, r.ShareEach}, {`,"fee":`, r.Fee}, {`,"dust":`, r.Dust},
		{`,"division_remainder":`, r.DivisionRemainder}, {`,"remainder":`, r.Remainder}}
	for _, f := range rest {
		b = append(b, f.key...)
		b = appendAmount(b, &f.x)
	}
	b = append(b, `,"remainder_to":`...)
	b = appendString(b, string(r.RemainderTo))
	b = append(b, `,"fees_reserved":`...)
	b = appendAmount(b, &r.FeesReserved)
	return append(b, '}')
}

// MarshalJSON returns [RoundResult.AppendJSON]'s encoding.
func (r RoundResult) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil), nil }

// roundResultJSON is RoundResult without its methods.
type roundResultJSON RoundResult

// UnmarshalJSON decodes what MarshalJSON encodes; unknown fields are refused.
func (r *RoundResult) UnmarshalJSON(b []byte) error {
	var j roundResultJSON
	if err := decodeStrict(b, &j); err != nil {
		return &Error{Op: "RoundResult.UnmarshalJSON", Detail: jsonDetail(err), Err: wrapReason(ErrReplay, err)}
	}
	*r = RoundResult(j)
	return nil
}

// AppendJSON appends the line's JSON to b: {"account":"...","fees":true,"claim":"...",
// "paid":"..."}, fees left out when false.
func (l SettlementLine) AppendJSON(b []byte) []byte {
	b = append(b, `{"account":`...)
	b = appendString(b, string(l.Account))
	if l.Fees {
		b = append(b, `,"fees":true`...)
	}
	b = append(b, `,"claim":`...)
	b = appendAmount(b, &l.Claim)
	b = append(b, `,"paid":`...)
	b = appendAmount(b, &l.Paid)
	return append(b, '}')
}

// MarshalJSON returns [SettlementLine.AppendJSON]'s encoding.
func (l SettlementLine) MarshalJSON() ([]byte, error) { return l.AppendJSON(nil), nil }

// settlementLineJSON is SettlementLine without its methods.
type settlementLineJSON SettlementLine

// UnmarshalJSON decodes what MarshalJSON encodes; unknown fields are refused.
func (l *SettlementLine) UnmarshalJSON(b []byte) error {
	var j settlementLineJSON
	if err := decodeStrict(b, &j); err != nil {
		return &Error{Op: "SettlementLine.UnmarshalJSON", Detail: jsonDetail(err), Err: wrapReason(ErrReplay, err)}
	}
	*l = SettlementLine(j)
	return nil
}
