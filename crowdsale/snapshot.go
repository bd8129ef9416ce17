package crowdsale

import (
	"bytes"
	"fmt"
	"hash/maphash"
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
	for k := range s.alloc.len() {
		alloc[s.partAt(k)] = s.allocation(k).Amount
	}
	for i := 0; i < s.parts.len(); i++ {
		p := s.parts.at(i)
		sn.Participants = append(sn.Participants, ParticipantState{
			Account: s.name(i), Contributions: int(p.count), Value: valueAmount(s.p.valueAsset, p.value),
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
		u := s.acceptedUnits(i)
		v, _ := mulPer(u, s.perMinor(r))
		raised, _ = raised.Add(v)
		w, _ := v.Mul64(s.p.factor[r.tier])
		weight, _ = weight.Add(w)
		pv[r.part], _ = pv[r.part].Add(v)
		pw[r.part], _ = pw[r.part].Add(w)
		coll[r.asset], _ = coll[r.asset].Add(u)
	}
	if raised != s.raised || weight != s.weight {
		return auditErr("raised or total weight differs from the sum of contributions")
	}
	if err := s.auditIndexes(); err != nil {
		return err
	}
	if raised.Cmp(s.p.capUnits) > 0 {
		return auditErr("raised %s above the cap", s.Raised())
	}
	for i := range pv {
		p := s.parts.at(i)
		if pv[i] != p.value || pw[i] != p.weight {
			return auditErr("participant %s: sums differ", s.name(i))
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

// auditIndexes checks that the indexes of contribution ids and of participants hold every
// contribution and participant, findable by its hash, and nothing else.
func (s *Sale) auditIndexes() error {
	tags := make([]uint32, max(s.recs.len(), s.parts.len()))
	for i := range s.recs.len() {
		tags[i] = uint32(maphash.Bytes(s.seed, s.idBytes.bytes(s.recs.at(i).id)) >> 32)
	}
	if !s.ids.verify(tags[:s.recs.len()], func(i, j int) bool {
		return bytes.Equal(s.idBytes.bytes(s.recs.at(i).id), s.idBytes.bytes(s.recs.at(j).id))
	}) {
		return auditErr("the index of contribution ids does not hold exactly the %d contributions", s.recs.len())
	}
	for i := range s.parts.len() {
		tags[i] = uint32(maphash.String(s.seed, string(s.name(i))) >> 32)
	}
	if !s.partIndex.verify(tags[:s.parts.len()], func(i, j int) bool { return s.name(i) == s.name(j) }) {
		return auditErr("the index of participants does not hold exactly the %d participants", s.parts.len())
	}
	return nil
}

// auditContribution checks contribution i on its own; sold is the value raised before it,
// maxAt the latest time of those before it.
func (s *Sale) auditContribution(i int, sold uint128.U128, maxAt int64) error {
	r := s.recs.at(i)
	id := s.idBytes.bytes(r.id)
	if int(r.tier) != s.p.tierAt(r.at, sold) || r.at < s.p.start || r.at >= s.p.end {
		return auditErr("contribution %q has tier %d at %s", id, r.tier, nanosTime(r.at))
	}
	if i > 0 && r.at < maxAt-int64(s.p.lateness) {
		return auditErr("contribution %q out of time order", id)
	}
	if int(r.part) < 0 || int(r.part) >= s.parts.len() {
		return auditErr("contribution %q: participant %d unknown", id, r.part)
	}
	if s.capHit == nil || s.capHit.index != i {
		return nil // accepted whole, nothing refunded
	}
	rc := s.receipt(i)
	if sum, err := rc.Accepted.Add(rc.Refund); err != nil || !sum.Equal(rc.Received) || rc.Accepted.IsNegative() || rc.Refund.IsNegative() {
		return auditErr("contribution %q: accepted %s + refunded %s != received %s", id, rc.Accepted, rc.Refund, rc.Received)
	}
	if s.acceptedUnits(i).Cmp(s.received(i)) > 0 {
		return auditErr("contribution %q: accepted more than received", id)
	}
	return nil
}

// auditAllocations checks that the allocations sum to the pool, each within one unit of
// its exact share; under a fixed price, that each is its purchase rounded down and that
// they sum to at most the pool.
func (s *Sale) auditAllocations() error {
	if s.alloc.len() != s.parts.len() {
		return auditErr("%d allocations for %d participants", s.alloc.len(), s.parts.len())
	}
	var a big.Int
	sum := s.alloc.total()
	if s.p.fixed {
		for k := range s.alloc.len() {
			if s.alloc.units(k, &a).Cmp(s.p.bought(s.parts.at(s.partAt(k)).weight)) != 0 {
				return auditErr("allocation %d is not its purchase at the fixed price", k)
			}
		}
		if sum.Cmp(&s.p.pool) > 0 {
			return auditErr("allocations sum to %s, above the pool %s", sum.String(), s.p.pool.String())
		}
		return nil
	}
	var share, rem, w big.Int
	words := make([]big.Word, wordsPerU128)
	total := s.weight.Big()
	for k := range s.alloc.len() {
		share.Mul(&s.p.pool, setBigWords(s.parts.at(s.partAt(k)).weight, &w, words))
		share.QuoRem(&share, total, &rem) // floor of the exact share
		d := s.alloc.units(k, &a).Sub(&a, &share)
		if d.Sign() < 0 || d.Cmp(bigOne) > 0 || d.Sign() > 0 && rem.Sign() == 0 {
			return auditErr("allocation %d is not within one unit of its exact share", k)
		}
	}
	if sum.Cmp(&s.p.pool) != 0 {
		return auditErr("allocations sum to %s, pool is %s", sum.String(), s.p.pool.String())
	}
	return nil
}

var bigOne = big.NewInt(1)

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
