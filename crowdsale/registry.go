package crowdsale

import (
	"bytes"
	"maps"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// Limits bounds what one participant may put into a sale, in value of the reference
// currency without bonuses: Min is the least a participant's accepted value may be after
// any of their contributions (so their first contribution must be worth at least Min, and
// top-ups may be smaller), Max the most it may be (the contribution that would take them
// above it is refused whole, and the error's Limit says how much room is left). The value
// of the contribution that crosses the sale's cap is counted before the cap clips it for
// Min, after for Max. The zero Limits, and a zero or unset bound, bounds nothing.
type Limits struct {
	Min token.Amount // of Reference
	Max token.Amount // of Reference
}

// Registrant is one participant of a sale's registry: the ledger account that contributes
// and receives the tokens, the address the tokens are paid out to, the addresses refunds
// are paid to by currency symbol ("ETH" -> "0x..."), and whether the participant has been
// verified (KYC). Addresses are data for the operator's payouts: 1 to 256 bytes of valid
// UTF-8 each, the payout address optional. The zero Registrant registers nothing.
type Registrant struct {
	Account  token.Account
	Payout   string
	Refund   map[string]string // currency symbol -> address
	Verified bool
}

func (r Registrant) clone() Registrant {
	r.Refund = maps.Clone(r.Refund)
	return r
}

func (r Registrant) equal(o Registrant) bool {
	return r.Account == o.Account && r.Payout == o.Payout && r.Verified == o.Verified && maps.Equal(r.Refund, o.Refund)
}

func validAddress(a string) bool { return a != "" && len(a) <= 256 && utf8.ValidString(a) }

// Register records r in the sale's registry at time at, adding the participant or
// replacing their entry (to verify them, or change an address); registering the same
// entry again is a no-op. Under [Config.Allowlist] only registered, verified participants
// may contribute. Register works in every phase, paused, ended or finalized (a refund
// address may be needed most after a failed sale), and moves the clock as Advance does.
//
// Errors (nothing changes) are [*Error] values wrapping [ErrInvalidRegistrant] (an invalid
// account; an address empty, over 256 bytes or not UTF-8; a refund address for a currency
// the sale does not accept), [ErrTimeOrder], [token.ErrInvalidTime] or [ErrUninitialized].
func (s *Sale) Register(at time.Time, r Registrant) error {
	_, err := s.register(at, r)
	return err
}

// register is Register; recorded reports whether it logged an entry (not a no-op).
func (s *Sale) register(at time.Time, r Registrant) (recorded bool, err error) {
	const op = "Register"
	at, err = s.command(op, at)
	if err != nil {
		return false, err
	}
	fail := func(cause error, detail string) error {
		if cause != nil {
			detail += ": " + causeText(cause)
		}
		return &Error{Op: op, Account: r.Account, At: at, Detail: detail, Err: because(ErrInvalidRegistrant, cause)}
	}
	if err := r.Account.Validate(); err != nil {
		return false, fail(err, "account")
	}
	if r.Payout != "" && !validAddress(r.Payout) {
		return false, fail(nil, "payout address: want 1 to 256 bytes of valid UTF-8")
	}
	for _, sym := range slices.Sorted(maps.Keys(r.Refund)) {
		if !slices.ContainsFunc(s.p.assets, func(ap assetParams) bool { return ap.asset.Symbol() == sym }) {
			return false, fail(nil, "refund address for "+strconv.Quote(sym)+", a currency the sale does not accept")
		}
		if !validAddress(r.Refund[sym]) {
			return false, fail(nil, "refund address for "+sym+": want 1 to 256 bytes of valid UTF-8")
		}
	}
	if len(r.Refund) == 0 {
		r.Refund = nil
	}
	r = r.clone()
	if i, ok := s.regIndex[r.Account]; ok && s.registry[i].equal(r) {
		return false, nil
	}
	s.tick(at)
	if i, ok := s.regIndex[r.Account]; ok {
		s.registry[i] = r
	} else {
		if s.regIndex == nil {
			s.regIndex = make(map[token.Account]int)
		}
		s.regIndex[r.Account] = len(s.registry)
		s.registry = append(s.registry, r)
	}
	s.appendLog(Event{Kind: EventRegistered, At: at, Registered: new(r.clone())})
	return true, nil
}

// command checks what every dated command checks: an initialised sale, a time in the years
// 1 to 9999 (returned in UTC), not before the sale's clock.
func (s *Sale) command(op string, at time.Time) (time.Time, error) {
	if s.p == nil {
		return at, uninitialized(op)
	}
	at, err := checkTime(op, at)
	if err != nil {
		return at, err
	}
	if s.hasNow && at.Before(s.now) {
		return at, timeOrder(op, at, s.now)
	}
	return at, nil
}

// tick records what fell due by at, as Advance does, and moves the clock to at.
func (s *Sale) tick(at time.Time) {
	if !s.ended {
		var pd pending
		s.pendingUntil(s.clampAny(at), &pd)
		s.applyPending(&pd)
	}
	s.now, s.hasNow = at, true
}

// Registrant returns the registry's entry of participant p.
func (s *Sale) Registrant(p token.Account) (Registrant, bool) {
	i, ok := s.regIndex[p]
	if !ok {
		return Registrant{}, false
	}
	return s.registry[i].clone(), true
}

// Registry returns the registry's entries, in the order first registered.
func (s *Sale) Registry() []Registrant {
	if len(s.registry) == 0 {
		return nil
	}
	out := make([]Registrant, len(s.registry))
	for i, r := range s.registry {
		out[i] = r.clone()
	}
	return out
}

// checkAllowed refuses a participant the allowlist does not admit.
func (s *Sale) checkAllowed(op string, c *Contribution) error {
	if !s.cfg.Allowlist {
		return nil
	}
	i, ok := s.regIndex[c.Participant]
	switch {
	case !ok:
		return c.fail(op, ErrNotAllowed, nil, "participant "+strconv.Quote(string(c.Participant))+" is not registered")
	case !s.registry[i].Verified:
		return c.fail(op, ErrNotAllowed, nil, "participant "+strconv.Quote(string(c.Participant))+" is not verified")
	}
	return nil
}

// checkLimits refuses a planned contribution that breaks the participant's limits; full is
// its value before the cap clipped it (over: above 2^128 value units).
func (s *Sale) checkLimits(op string, c *Contribution, pl *plan, full uint128.U128, over bool) error {
	if !s.p.limited {
		return nil
	}
	var had uint128.U128
	if !pl.newPart {
		had = s.parts.at(int(pl.rec.part)).value
	}
	if !s.p.minPart.IsZero() && !over {
		if t, o := had.Add(full); !o && t.Cmp(s.p.minPart) < 0 {
			return &Error{Op: op, Account: c.Participant, Amount: c.Amount, Limit: s.cfg.PerParticipant.Min, At: c.At,
				Detail: "contribution " + strconv.Quote(c.ID) + ": the participant's value would be " +
					valueAmount(s.p.valueAsset, t).Trim(0) + " " + s.cfg.Reference.Symbol() + ", below the minimum", Err: ErrBelowLimit}
		}
	}
	if !s.p.maxPart.IsZero() {
		if t, o := had.Add(pl.value); o || t.Cmp(s.p.maxPart) > 0 {
			room, _ := s.p.maxPart.Sub(had) // had never exceeds the maximum
			return &Error{Op: op, Account: c.Participant, Amount: c.Amount, Limit: valueAmount(s.p.valueAsset, room), At: c.At,
				Detail: "contribution " + strconv.Quote(c.ID) + ": above the participant's maximum of " +
					s.cfg.PerParticipant.Max.String() + " (limit: the value still allowed)", Err: ErrAboveLimit}
		}
	}
	return nil
}

func (r *Registrant) write(w *jsonWriter) {
	w.open()
	w.str("account", string(r.Account))
	w.optStr("payout", r.Payout)
	if len(r.Refund) > 0 {
		w.key("refund")
		w.open()
		for i, sym := range slices.Sorted(maps.Keys(r.Refund)) {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.b = append(appendString(w.b, sym), ':')
			w.b = appendString(w.b, r.Refund[sym])
		}
		w.close()
	}
	w.bool("verified", r.Verified)
	w.close()
}

// MarshalJSON encodes the entry as {"account":"alice","payout":"0xa11ce",
// "refund":{"BTC":"1A1zP...","ETH":"0xa11ce"},"verified":true}, without an empty payout
// address or refund list.
func (r Registrant) MarshalJSON() ([]byte, error) {
	return encode(r.write)
}

// UnmarshalJSON decodes what [Registrant.MarshalJSON] writes. The error is an [*Error]
// wrapping [ErrReplay].
func (r *Registrant) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "registrant", (*reader).registrant, (*registrantJSON).value, r)
}

type registrantJSON struct {
	Account  token.Account     `json:"account"`
	Payout   string            `json:"payout"`
	Refund   map[string]string `json:"refund"`
	Verified bool              `json:"verified"`
}

func (j *registrantJSON) value() (Registrant, error) { return Registrant(*j), nil }

func (r *reader) registrant(j *registrantJSON) {
	r.object(func(k string) {
		switch k {
		case "account":
			j.Account = token.Account(r.str())
		case "payout":
			j.Payout = r.str()
		case "refund":
			r.object(func(sym string) {
				if j.Refund == nil {
					j.Refund = make(map[string]string, 2)
				}
				j.Refund[sym] = r.str()
			})
		case "verified":
			j.Verified = r.boolean()
		default:
			r.unknown(k)
		}
	})
}

// boolean reads true or false (null reads as false).
func (r *reader) boolean() bool {
	if r.null() {
		return false
	}
	r.peek()
	switch {
	case r.err != nil:
	case bytes.HasPrefix(r.b[r.i:], []byte("true")):
		r.i += 4
		return true
	case bytes.HasPrefix(r.b[r.i:], []byte("false")):
		r.i += 5
	default:
		r.fail("want true or false")
	}
	return false
}
