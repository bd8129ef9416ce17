package crowdsale

import (
	"hash/maphash"
	"strconv"
	"time"
	"unicode/utf8"
)

// RefundPayment records a decided refund paid out: the refund (its contribution, reason,
// participant and amount, in the contribution's own currency), the payment's reference
// (a transaction hash or a bank reference), and the registry's refund address for the
// currency when the participant has one. A refund moves from decided ([Sale.Refunds]) to
// paid exactly once. The zero RefundPayment records nothing.
type RefundPayment struct {
	Refund    Refund
	Reference string
	To        string // the registry's refund address for the currency, if any
}

type refundKey struct {
	index  int
	reason RefundReason
}

// PayRefund records at time at that the decided refund of the contribution with the given
// id, for reason (RefundCap for the excess of the contribution that crossed the cap,
// RefundMinimum for a failed sale), was paid with the payment reference ref (1 to 256
// bytes of valid UTF-8). Each refund is paid once: recording the same payment again is a
// no-op, another reference for a paid refund is refused. It works in every phase, paused
// or not, and moves the clock as Advance does. The payment is an event.
//
// Errors (nothing changes) are [*Error] values wrapping [ErrNoRefund] (no such refund
// decided), [ErrRefundPaid] (paid before with another reference), [ErrInvalidReference],
// [ErrTimeOrder], [token.ErrInvalidTime] or [ErrUninitialized].
func (s *Sale) PayRefund(at time.Time, id string, reason RefundReason, ref string) error {
	_, err := s.payRefund(at, id, reason, ref)
	return err
}

func (s *Sale) payRefund(at time.Time, id string, reason RefundReason, ref string) (recorded bool, err error) {
	const op = "PayRefund"
	at, err = s.command(op, at)
	if err != nil {
		return false, err
	}
	what := "refund of " + strconv.Quote(id) + " (" + string(reason) + ")"
	if ref == "" || len(ref) > 256 || !utf8.ValidString(ref) {
		return false, &Error{Op: op, At: at, Detail: what + ": reference: want 1 to 256 bytes of valid UTF-8", Err: ErrInvalidReference}
	}
	r, key, ok := s.decidedRefund(id, reason)
	if !ok {
		return false, &Error{Op: op, At: at, Detail: what + ": no such refund decided", Err: ErrNoRefund}
	}
	if k, paid := s.paidIndex[key]; paid {
		if s.payments[k].Reference == ref {
			return false, nil
		}
		return false, &Error{Op: op, Account: r.Participant, Amount: r.Amount, At: at,
			Detail: what + ": paid before with reference " + strconv.Quote(s.payments[k].Reference), Err: ErrRefundPaid}
	}
	s.tick(at)
	p := RefundPayment{Refund: r, Reference: ref}
	if i, ok := s.regIndex[r.Participant]; ok {
		p.To = s.registry[i].Refund[r.Amount.Asset().Symbol()]
	}
	if s.paidIndex == nil {
		s.paidIndex = make(map[refundKey]int)
	}
	s.paidIndex[key] = len(s.payments)
	s.payments = append(s.payments, p)
	s.appendLog(Event{Kind: EventRefundPaid, At: at, RefundPaid: new(p)})
	return true, nil
}

// decidedRefund returns the refund decided for contribution id and reason.
func (s *Sale) decidedRefund(id string, reason RefundReason) (Refund, refundKey, bool) {
	i, ok := s.findID(maphash.String(s.seed, id), id)
	if !ok {
		return Refund{}, refundKey{}, false
	}
	key := refundKey{index: i, reason: reason}
	switch reason {
	case RefundCap:
		if s.capHit != nil && s.capHit.index == i && s.capHit.refund.IsPositive() {
			return s.capRefund(), key, true
		}
	case RefundMinimum:
		if s.finalized && s.outcome == OutcomeFailed {
			r, ok := s.minimumRefund(i)
			return r, key, ok
		}
	}
	return Refund{}, key, false
}

// RefundPayments returns the refunds paid, in the order paid.
func (s *Sale) RefundPayments() []RefundPayment {
	if len(s.payments) == 0 {
		return nil
	}
	return append([]RefundPayment(nil), s.payments...)
}

// RefundsDue returns the refunds decided and not yet paid, in the order of Refunds.
func (s *Sale) RefundsDue() []Refund {
	var out []Refund
	for _, r := range s.Refunds() {
		if _, key, _ := s.decidedRefund(r.ContributionID, r.Reason); !s.isPaid(key) {
			out = append(out, r)
		}
	}
	return out
}

func (s *Sale) isPaid(k refundKey) bool {
	_, ok := s.paidIndex[k]
	return ok
}

func (p *RefundPayment) write(w *jsonWriter) {
	w.open()
	w.key("refund")
	p.Refund.write(w)
	w.str("reference", p.Reference)
	w.optStr("to", p.To)
	w.close()
}

// MarshalJSON encodes the payment as {"refund":{"contribution_id":"cross",...},
// "reference":"0xabc","to":"0xa11ce"}, without an empty address.
func (p RefundPayment) MarshalJSON() ([]byte, error) {
	return encode(p.write)
}

// UnmarshalJSON decodes what [RefundPayment.MarshalJSON] writes. The error is an [*Error]
// wrapping [ErrReplay].
func (p *RefundPayment) UnmarshalJSON(data []byte) error {
	return decodeInto(data, "refund payment", (*reader).refundPayment, (*refundPaymentJSON).value, p)
}

type refundPaymentJSON struct {
	Refund    refundJSON `json:"refund"`
	Reference string     `json:"reference"`
	To        string     `json:"to"`
}

func (j *refundPaymentJSON) value() (RefundPayment, error) {
	return RefundPayment{Refund: Refund(j.Refund), Reference: j.Reference, To: j.To}, nil
}

func (r *reader) refundPayment(j *refundPaymentJSON) {
	r.object(func(k string) {
		switch k {
		case "refund":
			r.refund(&j.Refund)
		case "reference":
			j.Reference = r.str()
		case "to":
			j.To = r.str()
		default:
			r.unknown(k)
		}
	})
}

func (p RefundPayment) equal(o RefundPayment) bool {
	return p.Refund.equal(o.Refund) && p.Reference == o.Reference && p.To == o.To
}

func (r Refund) equal(o Refund) bool {
	return r.ContributionID == o.ContributionID && r.Participant == o.Participant &&
		r.Amount.Equal(o.Amount) && r.Reason == o.Reason
}
