package crowdsale

import (
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// EscrowRule holds the sale's proceeds in escrow: every accepted amount is held, in its own
// currency, and leaves the escrow only as a release approved by Threshold of the named
// Holders (k of n, as the seed sale's multi-signature wallets whose keys three independent
// escrow partners held), or as a refund paid when the sale fails. Releases need a
// successful Finalize and never exceed what is held. The zero EscrowRule holds nothing in
// escrow.
type EscrowRule struct {
	Holders   []token.Account // the key holders, 1 to 64 distinct accounts
	Threshold int             // approvals a release needs, 1 to len(Holders)
}

// Enabled reports whether the proceeds are held in escrow.
func (e EscrowRule) Enabled() bool { return len(e.Holders) > 0 }

// Release is a movement of proceeds out of escrow: an id chosen by the key holders (1 to
// 256 bytes of valid UTF-8), the amount in an accepted currency, and the destination (an
// address, 1 to 256 bytes of valid UTF-8). The zero Release releases nothing.
type Release struct {
	ID          string
	Amount      token.Amount
	Destination string
}

func (r Release) equal(o Release) bool {
	return r.ID == o.ID && r.Amount.Equal(o.Amount) && r.Destination == o.Destination
}

// Approval is one key holder's approval of a release. The zero Approval approves nothing.
type Approval struct {
	Holder  token.Account
	Release Release
}

// EscrowBalance is what the escrow holds in one currency: everything accepted (Received),
// what was released and what was refunded from it (to the participants of a failed sale),
// and what is left (Held = Received - Released - Refunded). The zero EscrowBalance holds
// nothing.
type EscrowBalance struct {
	Received token.Amount
	Released token.Amount
	Refunded token.Amount
	Held     token.Amount
}

// releaseState is a release being approved, or done.
type releaseState struct {
	rel       Release
	asset     int
	units     uint128.U128
	approvals uint64 // bit i: holder i approved
	done      bool
}

func (c *Config) compileEscrow(p *params) error {
	e := c.Escrow
	if !e.Enabled() {
		if e.Threshold != 0 {
			return cfgErr("Escrow.Threshold", nil, "no holders")
		}
		return nil
	}
	if len(e.Holders) > 64 {
		return cfgErr("Escrow.Holders", nil, "more than 64 holders")
	}
	for i, h := range e.Holders {
		f := fmt.Sprintf("Escrow.Holders[%d]", i)
		if err := h.Validate(); err != nil {
			return cfgErr(f, err, "invalid account")
		}
		if slices.Contains(e.Holders[:i], h) {
			return cfgErr(f, nil, "%s listed twice", h)
		}
	}
	if e.Threshold < 1 || e.Threshold > len(e.Holders) {
		return cfgErr("Escrow.Threshold", nil, "%d not in 1..%d", e.Threshold, len(e.Holders))
	}
	return nil
}

// Approve records at time at that the key holder approves the release r. Each approval is
// an event; the one that brings r to the rule's Threshold of distinct holders executes it
// (a released event). An approval repeated by the same holder is a no-op. The release must
// be one the escrow can pay: after a successful Finalize, of an accepted currency, and at
// most what is held, counting the releases done; this is checked at every approval and
// again when it executes.
//
// Errors (nothing changes) are [*Error] values wrapping [ErrNotHolder] (no escrow, or not
// one of its holders), [ErrInvalidRelease] (an invalid id, amount or destination),
// [ErrReleaseConflict] (the id names another release, or one already done), [ErrState]
// (the sale has not succeeded), [ErrEscrowShort] (more than is held), [ErrTimeOrder],
// [token.ErrInvalidTime] or [ErrUninitialized].
func (s *Sale) Approve(at time.Time, holder token.Account, r Release) error {
	_, err := s.approve(at, holder, r)
	return err
}

func (s *Sale) approve(at time.Time, holder token.Account, r Release) (recorded bool, err error) {
	const op = "Approve"
	at, err = s.command(op, at)
	if err != nil {
		return false, err
	}
	fail := func(reason error, detail string) error {
		return &Error{Op: op, Account: holder, Amount: r.Amount, At: at, Detail: "release " + strconv.Quote(r.ID) + ": " + detail, Err: reason}
	}
	hi := slices.Index(s.cfg.Escrow.Holders, holder)
	if hi < 0 {
		if !s.cfg.Escrow.Enabled() {
			return false, fail(ErrNotHolder, "the sale has no escrow")
		}
		return false, fail(ErrNotHolder, string(holder)+" holds no escrow key")
	}
	ai, units, err := s.checkRelease(op, &r)
	if err != nil {
		return false, err
	}
	st := s.releases[r.ID]
	switch {
	case st != nil && !st.rel.equal(r):
		return false, fail(ErrReleaseConflict, "the id names another release")
	case st != nil && st.done:
		return false, fail(ErrReleaseConflict, "already released")
	case st != nil && st.approvals&(1<<uint(hi)) != 0:
		return false, nil
	case !s.finalized || s.outcome != OutcomeSucceeded:
		return false, s.stateErr(op, at, "releases need a successful, finalized sale")
	}
	if held := s.escrowHeld(ai); units.Cmp(held) > 0 {
		a := s.p.assets[ai].asset
		e := fail(ErrEscrowShort, "the escrow holds "+a.FromUint128Units(held.Hi, held.Lo).String())
		e.(*Error).Limit = a.FromUint128Units(held.Hi, held.Lo)
		return false, e
	}
	s.tick(at)
	if st == nil {
		st = &releaseState{rel: r, asset: ai, units: units}
		if s.releases == nil {
			s.releases = make(map[string]*releaseState)
		}
		s.releases[r.ID] = st
	}
	st.approvals |= 1 << uint(hi)
	s.appendLog(Event{Kind: EventReleaseApproved, At: at, Approval: &Approval{Holder: holder, Release: r}})
	if bits.OnesCount64(st.approvals) >= s.cfg.Escrow.Threshold {
		st.done = true
		s.released[ai], _ = s.released[ai].Add(units)
		s.releaseLog = append(s.releaseLog, r.ID)
		s.appendLog(Event{Kind: EventReleased, At: at, Released: new(r)})
	}
	return true, nil
}

// checkRelease checks a release's fields and returns its currency's index and its units.
func (s *Sale) checkRelease(op string, r *Release) (int, uint128.U128, error) {
	fail := func(cause error, detail string) (int, uint128.U128, error) {
		if cause != nil {
			detail += ": " + causeText(cause)
		}
		return 0, uint128.U128{}, &Error{Op: op, Amount: r.Amount, Detail: "release " + strconv.Quote(r.ID) + ": " + detail, Err: because(ErrInvalidRelease, cause)}
	}
	if r.ID == "" || len(r.ID) > 256 || !utf8.ValidString(r.ID) {
		return fail(nil, "id: want 1 to 256 bytes of valid UTF-8")
	}
	if !validAddress(r.Destination) {
		return fail(nil, "destination: want 1 to 256 bytes of valid UTF-8")
	}
	ai := s.assetIndex(r.Amount.Asset())
	if ai < 0 {
		return fail(nil, "amount: "+r.Amount.Asset().String()+" is not an accepted currency")
	}
	if err := r.Amount.Asset().CheckPositive(r.Amount); err != nil {
		return fail(err, "amount")
	}
	hi, lo, ok := r.Amount.Uint128Units()
	if !ok {
		return fail(nil, "amount: 2^128 minor units or more")
	}
	return ai, uint128.U128{Hi: hi, Lo: lo}, nil
}

// escrowHeld returns what the escrow holds of currency ai, in minor units.
func (s *Sale) escrowHeld(ai int) uint128.U128 {
	h, _ := s.collected[ai].Sub(s.released[ai])
	h, _ = h.Sub(s.refundedFrom(ai))
	return h
}

// refundedFrom returns the minor units of currency ai refunded to the participants of a
// failed sale (from the escrow, when there is one).
func (s *Sale) refundedFrom(ai int) uint128.U128 {
	var u uint128.U128
	for _, p := range s.payments {
		if p.Refund.Reason == RefundMinimum && s.p.assets[ai].asset == p.Refund.Amount.Asset() {
			hi, lo, _ := p.Refund.Amount.Uint128Units()
			u, _ = u.Add(uint128.U128{Hi: hi, Lo: lo})
		}
	}
	return u
}

// Escrow returns what the escrow holds, per accepted currency in the config's order; nil
// for a sale without escrow.
func (s *Sale) Escrow() []EscrowBalance {
	if s.p == nil || !s.cfg.Escrow.Enabled() {
		return nil
	}
	out := make([]EscrowBalance, len(s.p.assets))
	for i, ap := range s.p.assets {
		a := ap.asset
		amt := func(u uint128.U128) token.Amount { return a.FromUint128Units(u.Hi, u.Lo) }
		out[i] = EscrowBalance{Received: amt(s.collected[i]), Released: amt(s.released[i]),
			Refunded: amt(s.refundedFrom(i)), Held: amt(s.escrowHeld(i))}
	}
	return out
}

// Releases returns the releases done, in order.
func (s *Sale) Releases() []Release {
	if len(s.releaseLog) == 0 {
		return nil
	}
	out := make([]Release, len(s.releaseLog))
	for i, id := range s.releaseLog {
		out[i] = s.releases[id].rel
	}
	return out
}

// Approvals returns the holders who approved the release with the given id, in the
// rule's order, and whether it was done.
func (s *Sale) Approvals(id string) (holders []token.Account, done bool) {
	st := s.releases[id]
	if st == nil {
		return nil, false
	}
	for i, h := range s.cfg.Escrow.Holders {
		if st.approvals&(1<<uint(i)) != 0 {
			holders = append(holders, h)
		}
	}
	return holders, st.done
}

func (r *Release) write(w *jsonWriter) {
	w.open()
	w.str("id", r.ID)
	w.amount("amount", r.Amount)
	w.str("destination", r.Destination)
	w.close()
}

func (a *Approval) write(w *jsonWriter) {
	w.open()
	w.str("holder", string(a.Holder))
	w.key("release")
	a.Release.write(w)
	w.close()
}

// MarshalJSON encodes the release as {"id":"r1","amount":"100.00000000 BTC",
// "destination":"bc1team"}.
func (r Release) MarshalJSON() ([]byte, error) {
	return encode(r.write)
}

// UnmarshalJSON decodes what [Release.MarshalJSON] writes. The error is an [*Error]
// wrapping [ErrReplay].
func (r *Release) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "release", (*reader).release, (*releaseJSON).value, r)
}

// MarshalJSON encodes the approval as {"holder":"escrow-a","release":{...}}.
func (a Approval) MarshalJSON() ([]byte, error) {
	return encode(a.write)
}

// UnmarshalJSON decodes what [Approval.MarshalJSON] writes. The error is an [*Error]
// wrapping [ErrReplay].
func (a *Approval) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "approval", (*reader).approval, (*approvalJSON).value, a)
}

type releaseJSON struct {
	ID          string       `json:"id"`
	Amount      token.Amount `json:"amount"`
	Destination string       `json:"destination"`
}

func (j *releaseJSON) value() (Release, error) { return Release(*j), nil }

type approvalJSON struct {
	Holder  token.Account `json:"holder"`
	Release releaseJSON   `json:"release"`
}

func (j *approvalJSON) value() (Approval, error) {
	return Approval{Holder: j.Holder, Release: Release(j.Release)}, nil
}

func (r *reader) release(j *releaseJSON) {
	r.object(func(k string) {
		switch k {
		case "id":
			j.ID = r.str()
		case "amount":
			j.Amount = r.amount()
		case "destination":
			j.Destination = r.str()
		default:
			r.unknown(k)
		}
	})
}

func (r *reader) approval(j *approvalJSON) {
	r.object(func(k string) {
		switch k {
		case "holder":
			j.Holder = token.Account(r.str())
		case "release":
			r.release(&j.Release)
		default:
			r.unknown(k)
		}
	})
}
