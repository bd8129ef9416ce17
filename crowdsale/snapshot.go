package crowdsale

import (
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Snapshot is a read-only, JSON-friendly picture of a sale: what a dashboard shows and what
// tests compare. Weights are exact rationals in reference units, written "num/den".
type Snapshot struct {
	Config        Config             `json:"config"`
	Clock         time.Time          `json:"clock,omitzero"` // the latest command time
	Status        Status             `json:"status"`         // at the clock
	Contributions int                `json:"contributions"`
	Raised        decimal.Decimal    `json:"raised"` // value without bonuses, reference units
	TotalWeight   string             `json:"total_weight"`
	Collected     []Amount           `json:"collected"`
	FiatStreak    int                `json:"fiat_streak"`
	ClosingRates  []ClosingRate      `json:"closing_rates,omitempty"`
	FiatDays      []FiatDay          `json:"fiat_days,omitempty"`
	Participants  []ParticipantState `json:"participants,omitempty"` // in order of first contribution
	Refunds       []Refund           `json:"refunds,omitempty"`
	Events        int                `json:"events"`
}

// ParticipantState is one participant in a Snapshot.
type ParticipantState struct {
	Account       token.Account   `json:"account"`
	Contributions int             `json:"contributions"`
	Value         decimal.Decimal `json:"value"`
	Weight        string          `json:"weight"`
	Provisional   decimal.Decimal `json:"provisional"`
	Allocation    decimal.Decimal `json:"allocation"` // zero until a successful Finalize
}

// Snapshot returns the sale's current state.
func (s *Sale) Snapshot() Snapshot {
	sn := Snapshot{
		Config:        s.Config(),
		Contributions: s.recs.len(),
		Raised:        s.Raised(),
		TotalWeight:   weightRat(s.weight, 1, s.p.den, s.p.unitExp).RatString(),
		Collected:     s.Collected(),
		FiatStreak:    s.streak,
		ClosingRates:  s.ClosingRates(),
		FiatDays:      s.FiatDays(),
		Refunds:       s.Refunds(),
		Events:        s.eventCount(),
	}
	if s.hasNow {
		sn.Clock = s.now.UTC()
		sn.Status = s.Status(s.now)
	} else {
		sn.Status = s.Status(s.cfg.Start.Add(-1))
	}
	alloc := make([]decimal.Decimal, s.parts.len())
	for k := range s.alloc {
		alloc[s.partAt(k)] = s.cfg.Token.FromUnits(&s.alloc[k])
	}
	for i := 0; i < s.parts.len(); i++ {
		p := s.parts.at(i)
		a := alloc[i]
		if s.alloc == nil {
			a = decimal.Zero
		}
		sn.Participants = append(sn.Participants, ParticipantState{
			Account: p.account, Contributions: int(p.count), Value: valueDecimal(p.value, s.p.unitExp),
			Weight: weightRat(p.weight, 1, s.p.den, s.p.unitExp).RatString(), Provisional: s.provisional(p.weight, s.weight),
			Allocation: a,
		})
	}
	return sn
}

// Audit checks the sale's identities: raised = the sum of accepted values and never above
// the cap; each contribution's accepted + refunded = received, in its own currency; the
// per-participant and per-currency sums; each contribution's tier; after a successful
// Finalize, allocations that sum to the pool with each within one minor unit of its exact
// share; after a failed one, refunds of everything accepted. It returns an error wrapping
// ErrAudit.
func (s *Sale) Audit() error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrAudit, fmt.Sprintf(format, args...))
	}
	var raised, weight u128
	pv := make([]u128, s.parts.len())
	pw := make([]u128, s.parts.len())
	coll := make([]u128, len(s.p.assets))
	for i := 0; i < s.recs.len(); i++ {
		r := s.recs.at(i)
		id := s.recID(i)
		if rc, ok := s.Receipt(id); !ok || rc.Seq != i {
			return fail("contribution %d (%q) not indexed", i, id)
		}
		if int(r.tier) != s.p.tierAt(r.at) || r.at < s.p.start || r.at >= s.p.end {
			return fail("contribution %q has tier %d at %s", id, r.tier, nanosTime(r.at))
		}
		if i > 0 && s.recs.at(i-1).at > r.at {
			return fail("contribution %q out of time order", id)
		}
		rc := s.receipt(i)
		if !rc.Accepted.Add(rc.Refund).Equal(rc.Received) || rc.Accepted.Sign() < 0 || rc.Refund.Sign() < 0 {
			return fail("contribution %q: accepted %s + refunded %s != received %s", id, rc.Accepted, rc.Refund, rc.Received)
		}
		units := s.acceptedUnits(i)
		if units.cmp(r.units) > 0 {
			return fail("contribution %q: accepted more than received", id)
		}
		if j, ok := s.participant(s.parts.at(int(r.part)).account); !ok || j != int(r.part) {
			return fail("participant %d not indexed", r.part)
		}
		v := s.value(i)
		raised, _ = raised.add(v)
		w, _ := v.mul64(s.p.factor[r.tier])
		weight, _ = weight.add(w)
		pv[r.part], _ = pv[r.part].add(v)
		pw[r.part], _ = pw[r.part].add(w)
		coll[r.asset], _ = coll[r.asset].add(units)
	}
	if raised != s.raised || weight != s.weight {
		return fail("raised or total weight differs from the sum of contributions")
	}
	if raised.cmp(s.p.capUnits) > 0 {
		return fail("raised %s above the cap", s.Raised())
	}
	for i := range pv {
		p := s.parts.at(i)
		if pv[i] != p.value || pw[i] != p.weight {
			return fail("participant %s: sums differ", p.account)
		}
	}
	if !slices.Equal(coll, s.collected) {
		return fail("collected amounts differ from the sum of contributions")
	}
	if (s.capHit != nil) != (s.ended && s.endReason == EndCap) {
		return fail("cap crossing and end reason disagree")
	}
	if s.finalized && s.outcome == OutcomeSucceeded {
		if len(s.alloc) != s.parts.len() {
			return fail("%d allocations for %d participants", len(s.alloc), s.parts.len())
		}
		var sum, share, rem big.Int
		total := s.weight.big()
		for k := range s.alloc {
			sum.Add(&sum, &s.alloc[k])
			share.Mul(&s.p.pool, s.parts.at(s.partAt(k)).weight.big())
			share.QuoRem(&share, total, &rem) // floor of the exact share
			d := new(big.Int).Sub(&s.alloc[k], &share)
			if d.Sign() < 0 || d.Cmp(big.NewInt(1)) > 0 || d.Sign() > 0 && rem.Sign() == 0 {
				return fail("allocation %d is not within one unit of its exact share", k)
			}
		}
		if sum.Cmp(&s.p.pool) != 0 {
			return fail("allocations sum to %s, pool is %s", sum.String(), s.p.pool.String())
		}
	}
	if s.finalized && s.outcome == OutcomeFailed {
		back := make(map[string]decimal.Decimal)
		for _, r := range s.Refunds() {
			back[r.ContributionID] = back[r.ContributionID].Add(r.Amount)
		}
		for i := 0; i < s.recs.len(); i++ {
			r, id := s.recs.at(i), s.recID(i)
			if !sameUnits(r.units, back[id], s.p.assets[r.asset].decimals) {
				return fail("contribution %q: refunded %s, received %s", id, back[id], s.receipt(i).Received)
			}
		}
	}
	return nil
}

// eventCount returns len(s.Events()) without building them.
func (s *Sale) eventCount() int {
	n := s.recs.len()
	for i := range s.log {
		switch s.log[i].expand {
		case 1:
			n += len(s.alloc)
		case 2:
			for j := 0; j < s.recs.len(); j++ {
				if _, ok := s.minimumRefund(j); ok {
					n++
				}
			}
		default:
			n++
		}
	}
	return n
}

func sortStrings(s []string) { slices.Sort(s) }
