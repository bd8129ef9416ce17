package crowdsale

import (
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// Snapshot is a read-only, JSON-friendly picture of a sale: what a dashboard shows and what
// tests compare. Weights are exact rationals in reference units, written "num/den". The zero
// Snapshot pictures no sale.
type Snapshot struct {
	Config        Config             // the sale's config (shifted, if Shift was used)
	Clock         time.Time          // the latest command time, zero before any
	Status        Status             // at the clock
	Contributions int                // accepted contributions
	Raised        token.Amount       // value without bonuses, in [Config.ValueAsset]
	TotalWeight   string             // the sum of the weights
	Collected     []token.Amount     // per accepted currency, in the config's order
	FiatStreak    int                // consecutive fiat days met
	ClosingRates  []ClosingRate      // in the order recorded
	FiatDays      []FiatDay          // in order
	Participants  []ParticipantState // in order of first contribution
	Refunds       []Refund           // as Sale.Refunds
	Registry      []Registrant       // as Sale.Registry
	Payments      []RefundPayment    // as Sale.RefundPayments
	Releases      []Release          // as Sale.Releases
	LastSeq       uint64             // the Seq of the last event
}

// ParticipantState is one participant in a Snapshot. The zero ParticipantState is no
// participant.
type ParticipantState struct {
	Account       token.Account
	Contributions int
	Value         token.Amount // in [Config.ValueAsset]
	Weight        string
	Provisional   token.Amount
	Allocation    token.Amount // the zero Amount until a successful Finalize
}

// Snapshot returns the sale's current state; the zero Sale has the zero Snapshot.
func (s *Sale) Snapshot() Snapshot {
	if s.p == nil {
		return Snapshot{}
	}
	sn := Snapshot{
		Config:        s.Config(),
		Contributions: s.recs.len(),
		Raised:        s.Raised(),
		TotalWeight:   weightString(s.weight, 1, s.p.den, s.p.unitExp),
		Collected:     s.Collected(),
		FiatStreak:    s.streak,
		ClosingRates:  s.ClosingRates(),
		FiatDays:      s.FiatDays(),
		Refunds:       s.Refunds(),
		Registry:      s.Registry(),
		Payments:      s.RefundPayments(),
		Releases:      s.Releases(),
		LastSeq:       s.nEvents,
	}
	if s.hasNow {
		sn.Clock = s.now
		sn.Status = s.Status(s.now)
	} else {
		sn.Status = s.Status(s.cfg.Start.Add(-1))
	}
	alloc := make([]token.Amount, s.parts.len())
	for k := range s.alloc {
		alloc[s.partAt(k)] = s.allocation(k).Amount
	}
	for i := 0; i < s.parts.len(); i++ {
		p := s.parts.at(i)
		sn.Participants = append(sn.Participants, ParticipantState{
			Account: p.account, Contributions: int(p.count), Value: valueAmount(s.p.valueAsset, p.value),
			Weight: weightString(p.weight, 1, s.p.den, s.p.unitExp), Provisional: s.provisional(p.weight, s.weight),
			Allocation: alloc[i],
		})
	}
	return sn
}

// Audit checks the sale's identities: raised = the sum of accepted values and never above
// the cap; each contribution's accepted + refunded = received, in its own currency; the
// per-participant and per-currency sums; each contribution's tier; after a successful
// Finalize, allocations that sum to the pool with each within one minor unit of its exact
// share; after a failed one, refunds of everything accepted. The error is an [*Error]
// wrapping [ErrAudit] (and [ErrUninitialized] for the zero Sale).
func (s *Sale) Audit() error {
	if s.p == nil {
		return &Error{Op: "Audit", Detail: "make sales with NewSale or Replay", Err: withCause{ErrUninitialized, ErrAudit}}
	}
	if err := s.auditContributions(); err != nil {
		return err
	}
	if s.finalized && s.outcome == OutcomeSucceeded {
		return s.auditAllocations()
	}
	if s.finalized && s.outcome == OutcomeFailed {
		return s.auditRefunds()
	}
	return nil
}

func auditErr(format string, args ...any) error {
	return &Error{Op: "Audit", Detail: fmt.Sprintf(format, args...), Err: ErrAudit}
}

// auditContributions checks each contribution and the sale's sums of them.
func (s *Sale) auditContributions() error {
	var raised, weight uint128.U128
	var maxAt int64 = -1 << 63
	pv := make([]uint128.U128, s.parts.len())
	pw := make([]uint128.U128, s.parts.len())
	coll := make([]uint128.U128, len(s.p.assets))
	for i := 0; i < s.recs.len(); i++ {
		if err := s.auditContribution(i, raised, maxAt); err != nil {
			return err
		}
		r := s.recs.at(i)
		maxAt = max(maxAt, r.at)
		v := s.value(i)
		raised, _ = raised.Add(v)
		w, _ := v.Mul64(s.p.factor[r.tier])
		weight, _ = weight.Add(w)
		pv[r.part], _ = pv[r.part].Add(v)
		pw[r.part], _ = pw[r.part].Add(w)
		coll[r.asset], _ = coll[r.asset].Add(s.acceptedUnits(i))
	}
	if raised != s.raised || weight != s.weight {
		return auditErr("raised or total weight differs from the sum of contributions")
	}
	if raised.Cmp(s.p.capUnits) > 0 {
		return auditErr("raised %s above the cap", s.Raised())
	}
	for i := range pv {
		p := s.parts.at(i)
		if pv[i] != p.value || pw[i] != p.weight {
			return auditErr("participant %s: sums differ", p.account)
		}
	}
	if !slices.Equal(coll, s.collected) {
		return auditErr("collected amounts differ from the sum of contributions")
	}
	if (s.capHit != nil) != (s.ended && s.endReason == EndCap) {
		return auditErr("cap crossing and end reason disagree")
	}
	return nil
}

// auditContribution checks contribution i on its own; sold is the value raised before it,
// maxAt the latest time of those before it.
func (s *Sale) auditContribution(i int, sold uint128.U128, maxAt int64) error {
	r := s.recs.at(i)
	id := s.recID(i)
	if rc, ok := s.Receipt(id); !ok || rc.Index != i {
		return auditErr("contribution %d (%q) not indexed", i, id)
	}
	if int(r.tier) != s.p.tierAt(r.at, sold) || r.at < s.p.start || r.at >= s.p.end {
		return auditErr("contribution %q has tier %d at %s", id, r.tier, nanosTime(r.at))
	}
	if i > 0 && r.at < maxAt-int64(s.p.lateness) {
		return auditErr("contribution %q out of time order", id)
	}
	rc := s.receipt(i)
	if sum, err := rc.Accepted.Add(rc.Refund); err != nil || !sum.Equal(rc.Received) || rc.Accepted.IsNegative() || rc.Refund.IsNegative() {
		return auditErr("contribution %q: accepted %s + refunded %s != received %s", id, rc.Accepted, rc.Refund, rc.Received)
	}
	if s.acceptedUnits(i).Cmp(r.units) > 0 {
		return auditErr("contribution %q: accepted more than received", id)
	}
	if j, ok := s.participant(s.parts.at(int(r.part)).account); !ok || j != int(r.part) {
		return auditErr("participant %d not indexed", r.part)
	}
	return nil
}

// auditAllocations checks that the allocations sum to the pool, each within one unit of
// its exact share; under a fixed price, that each is its purchase rounded down and that
// they sum to at most the pool.
func (s *Sale) auditAllocations() error {
	if len(s.alloc) != s.parts.len() {
		return auditErr("%d allocations for %d participants", len(s.alloc), s.parts.len())
	}
	if s.p.fixed {
		var sum big.Int
		for k := range s.alloc {
			sum.Add(&sum, &s.alloc[k])
			if s.alloc[k].Cmp(s.p.bought(s.parts.at(s.partAt(k)).weight)) != 0 {
				return auditErr("allocation %d is not its purchase at the fixed price", k)
			}
		}
		if sum.Cmp(&s.p.pool) > 0 {
			return auditErr("allocations sum to %s, above the pool %s", sum.String(), s.p.pool.String())
		}
		return nil
	}
	var sum, share, rem big.Int
	total := s.weight.Big()
	for k := range s.alloc {
		sum.Add(&sum, &s.alloc[k])
		share.Mul(&s.p.pool, s.parts.at(s.partAt(k)).weight.Big())
		share.QuoRem(&share, total, &rem) // floor of the exact share
		d := new(big.Int).Sub(&s.alloc[k], &share)
		if d.Sign() < 0 || d.Cmp(big.NewInt(1)) > 0 || d.Sign() > 0 && rem.Sign() == 0 {
			return auditErr("allocation %d is not within one unit of its exact share", k)
		}
	}
	if sum.Cmp(&s.p.pool) != 0 {
		return auditErr("allocations sum to %s, pool is %s", sum.String(), s.p.pool.String())
	}
	return nil
}

// auditRefunds checks that a failed sale refunds everything it received.
func (s *Sale) auditRefunds() error {
	back := make(map[string]token.Amount)
	for _, r := range s.Refunds() {
		sum, err := back[r.ContributionID].Add(r.Amount)
		if err != nil {
			return auditErr("contribution %q: refunds in two currencies", r.ContributionID)
		}
		back[r.ContributionID] = sum
	}
	for i := 0; i < s.recs.len(); i++ {
		id := s.recID(i)
		if got := s.receipt(i).Received; !back[id].Equal(got) {
			return auditErr("contribution %q: refunded %s, received %s", id, back[id], got)
		}
	}
	return nil
}
