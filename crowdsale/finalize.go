package crowdsale

import (
	"bytes"
	"cmp"
	"fmt"
	"hash/maphash"
	"math/big"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Allocation is a participant's share of the pool.
type Allocation struct {
	Participant token.Account   `json:"participant"`
	Amount      decimal.Decimal `json:"amount"`
}

// RefundReason says why an amount is returned.
type RefundReason string

// The reasons for a refund.
const (
	RefundCap     RefundReason = "cap"     // the excess of the contribution that crossed the cap
	RefundMinimum RefundReason = "minimum" // the sale failed to reach its minimum
)

// Refund is an amount returned to a participant in the contribution's own currency.
type Refund struct {
	ContributionID string          `json:"contribution_id"`
	Participant    token.Account   `json:"participant"`
	Asset          token.Asset     `json:"asset"`
	Amount         decimal.Decimal `json:"amount"`
	Reason         RefundReason    `json:"reason"`
}

// Finalize settles an ended sale at time at (conditions due by then are evaluated first).
// Below the minimum (or with nothing raised) the sale fails and every accepted amount is
// refunded in its own currency; otherwise the pool is allocated: participant p gets
// pool x weight_p / total weight in token minor units, each part the floor of its exact
// share plus at most one leftover unit given by the largest-remainder rule, ties to the
// participant whose first contribution is earliest (then the lower contribution id); the
// parts sum to the pool exactly.
// Errors: *TimeOrderError, *StateError (not ended, or already finalized).
func (s *Sale) Finalize(at time.Time) error {
	if s.finalized {
		return &StateError{Op: "Finalize", Status: s.Status(at), Detail: "already finalized"}
	}
	if s.hasNow && at.Before(s.now) {
		return &TimeOrderError{At: at, Now: s.now}
	}
	var pd pending
	if !s.ended {
		s.pendingUntil(s.clampAny(at), &pd)
		if !pd.ended {
			return &StateError{Op: "Finalize", Status: s.Status(at), Detail: "the sale has not ended"}
		}
	}
	outcome := OutcomeFailed
	var alloc []big.Int
	var order []int32
	if !s.weight.isZero() && s.raised.cmp(s.p.minUnits) >= 0 {
		var err error
		if alloc, order, err = s.allocate(); err != nil {
			return err
		}
		outcome = OutcomeSucceeded
	}
	s.applyPending(&pd)
	s.now, s.hasNow = at, true
	s.finalized, s.finalAt = true, at.UTC()
	s.outcome, s.alloc, s.order = outcome, alloc, order
	s.appendLog(Event{Kind: EventFinalized, At: at.UTC(), Finalized: &Finalization{
		Outcome: s.outcome, Raised: s.Raised(), Participants: s.parts.len(), Contributions: s.recs.len()}})
	if s.outcome == OutcomeSucceeded {
		s.log = append(s.log, logEntry{pos: s.recs.len(), expand: 1, ev: Event{At: at.UTC()}})
	} else {
		s.log = append(s.log, logEntry{pos: s.recs.len(), expand: 2, ev: Event{At: at.UTC()}})
	}
	return nil
}

// allocate divides the pool by weight with token.AllocateUnits, participants ordered by
// first contribution (time, then id) so that its lower-index tie-break is the sale's.
func (s *Sale) allocate() ([]big.Int, []int32, error) {
	n := s.parts.len()
	var order []int32
	if !s.inTieOrder() {
		order = make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortStableFunc(order, func(a, b int32) int { return s.tieCmp(int(a), int(b)) })
	}
	// Divide every weight by their greatest common divisor: the floors are unchanged and
	// every remainder is divided by the same factor, so the allocation is identical, and
	// the smaller integers let AllocateUnits work in machine words.
	var g u128
	for i := 0; i < n; i++ {
		if g = gcd(g, s.parts.at(i).weight); g == u64(1) {
			break
		}
	}
	if g.isZero() {
		g = u64(1)
	}
	weights := make([]big.Int, n)
	words := make([]big.Word, n*wordsPerU128)
	for k := range n {
		w := words[k*wordsPerU128 : (k+1)*wordsPerU128 : (k+1)*wordsPerU128]
		quoExact(s.parts.at(partAt(order, k)).weight, g).setBigWords(&weights[k], w)
	}
	alloc, err := token.AllocateUnits(&s.p.pool, weights, token.LargestRemainder())
	if err != nil { // unreachable: the total weight is positive
		return nil, nil, fmt.Errorf("%w: allocation: %w", ErrAudit, err)
	}
	return alloc, order, nil
}

func partAt(order []int32, k int) int {
	if order == nil {
		return k
	}
	return int(order[k])
}

// partAt returns the participant index at allocation position k.
func (s *Sale) partAt(k int) int { return partAt(s.order, k) }

// tieCmp orders participants by their first contribution's time, then its id.
func (s *Sale) tieCmp(a, b int) int {
	ra, rb := s.recs.at(int(s.parts.at(a).first)), s.recs.at(int(s.parts.at(b).first))
	if c := cmp.Compare(ra.at, rb.at); c != 0 {
		return c
	}
	return bytes.Compare(s.idBytes.bytes(ra.id), s.idBytes.bytes(rb.id))
}

func (s *Sale) inTieOrder() bool {
	for i := 1; i < s.parts.len(); i++ {
		if s.tieCmp(i-1, i) > 0 {
			return false
		}
	}
	return true
}

// Allocations returns each participant's share of the pool after a successful Finalize, in
// allocation order (by first contribution); nil before.
func (s *Sale) Allocations() []Allocation {
	if s.alloc == nil {
		return nil
	}
	out := make([]Allocation, len(s.alloc))
	for k := range s.alloc {
		out[k] = Allocation{Participant: s.parts.at(s.partAt(k)).account, Amount: s.cfg.Token.FromUnits(&s.alloc[k])}
	}
	return out
}

// Refunds returns every refund decided: the excess of the contribution that crossed the cap,
// and after a failed Finalize the accepted amount of every contribution, in order.
func (s *Sale) Refunds() []Refund {
	var out []Refund
	for i := 0; i < s.recs.len(); i++ {
		if s.capHit != nil && s.capHit.index == i && s.capHit.refund.Sign() > 0 {
			out = append(out, s.capRefund())
		}
	}
	if s.finalized && s.outcome == OutcomeFailed {
		for i := 0; i < s.recs.len(); i++ {
			if r, ok := s.minimumRefund(i); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

func (s *Sale) capRefund() Refund {
	r := s.recs.at(s.capHit.index)
	return Refund{ContributionID: s.recID(s.capHit.index), Participant: s.parts.at(int(r.part)).account,
		Asset: s.p.assets[r.asset].asset, Amount: s.capHit.refund, Reason: RefundCap}
}

func (s *Sale) minimumRefund(i int) (Refund, bool) {
	r := s.recs.at(i)
	amt := s.p.assets[r.asset].asset.FromUnits(r.units.big())
	if s.capHit != nil && s.capHit.index == i {
		amt = s.capHit.accepted
	}
	if amt.Sign() == 0 {
		return Refund{}, false
	}
	return Refund{ContributionID: s.recID(i), Participant: s.parts.at(int(r.part)).account,
		Asset: s.p.assets[r.asset].asset, Amount: amt, Reason: RefundMinimum}, true
}

// Distribute transfers each participant's allocation from the config's sale account of
// ledger (built, for TRST, with token.TRSTGenesis). It checks first that the sale succeeded
// and is not yet distributed, that the ledger's asset is the pool's and that the sale
// account holds at least the pool; on any error nothing moves.
// Errors: *StateError, *LedgerError.
func (s *Sale) Distribute(ledger *token.Ledger) error {
	if !s.finalized || s.outcome != OutcomeSucceeded || s.distributed {
		return &StateError{Op: "Distribute", Status: s.Status(s.now), Detail: "needs a successful, finalized, undistributed sale"}
	}
	if ledger == nil {
		return &LedgerError{Detail: "nil ledger"}
	}
	if !ledger.Asset().Equal(s.cfg.Token) {
		return &LedgerError{Detail: "ledger asset " + ledger.Asset().String() + ", pool asset " + s.cfg.Token.String()}
	}
	if ledger.Balance(s.cfg.SaleAccount).Cmp(s.cfg.Pool) < 0 {
		return &LedgerError{Detail: "the sale account " + string(s.cfg.SaleAccount) + " holds " +
			s.cfg.Token.Format(ledger.Balance(s.cfg.SaleAccount)) + ", less than the pool"}
	}
	allocs := s.Allocations()
	n := 0
	for _, a := range allocs {
		if a.Amount.Sign() == 0 {
			continue
		}
		if err := ledger.Transfer(s.cfg.SaleAccount, a.Participant, a.Amount); err != nil {
			// unreachable after the checks above: accounts were validated on contribution
			return &LedgerError{Detail: "transfer failed", Cause: err}
		}
		n++
	}
	s.distributed = true
	s.appendLog(Event{Kind: EventDistributed, At: s.now.UTC(), Distributed: &Distribution{Transfers: n, Total: s.cfg.Pool}})
	return nil
}

// provisional returns floor(pool * w / total) in token units (rounded down to the minor
// unit; the final allocation may add one unit by largest remainder).
func (s *Sale) provisional(w, total u128) decimal.Decimal {
	if total.isZero() {
		return decimal.Zero
	}
	num := w.big()
	num.Mul(num, &s.p.pool)
	num.Quo(num, total.big()) // floor: both are non-negative
	return s.cfg.Token.FromUnits(num)
}

// participant returns the index of account p.
func (s *Sale) participant(p token.Account) (int, bool) {
	return s.partIndex.find(maphash.String(s.seed, string(p)), func(i int) bool { return s.parts.at(i).account == p })
}

// Provisional returns the participant's provisional balance now: pool x their weight / all
// weight so far, rounded down to the token's minor unit. It falls as others contribute
// (the FAQ: the first participant alone sees 80M; two equal ones 40M each). An unknown
// participant has zero.
func (s *Sale) Provisional(p token.Account) decimal.Decimal {
	i, ok := s.participant(p)
	if !ok {
		return decimal.Zero
	}
	return s.provisional(s.parts.at(i).weight, s.weight)
}

// ProvisionalAt returns the provisional balance as it stood at the instant at, counting the
// contributions received at or before at. It scans the contributions.
func (s *Sale) ProvisionalAt(p token.Account, at time.Time) decimal.Decimal {
	pi, ok := s.participant(p)
	if !ok || at.Before(s.cfg.Start) {
		return decimal.Zero
	}
	limit := s.clamp(at)
	var w, total u128
	for i := 0; i < s.recs.len(); i++ {
		r := s.recs.at(i)
		if r.at > limit {
			break
		}
		x, _ := s.value(i).mul64(s.p.factor[r.tier])
		total, _ = total.add(x)
		if int(r.part) == pi {
			w, _ = w.add(x)
		}
	}
	return s.provisional(w, total)
}

// Projection is the answer to a what-if: the receipt the contribution would get and the
// participant's provisional balance before and after it.
type Projection struct {
	Receipt Receipt
	Before  decimal.Decimal
	After   decimal.Decimal
}

// WhatIf returns what Contribute(c) would do, without changing the sale: the same errors,
// the receipt and the participant's provisional balance before and after. A repeated id
// returns its recorded receipt and the current balance twice.
func (s *Sale) WhatIf(c Contribution) (Projection, error) {
	var pl plan
	r, dup, err := s.prepare(&c, &pl)
	if err != nil {
		return Projection{}, err
	}
	before := s.Provisional(c.Participant)
	if dup {
		return Projection{Receipt: r, Before: before, After: before}, nil
	}
	var w u128
	if !pl.newPart {
		w = s.parts.at(int(pl.rec.part)).weight
	}
	w, _ = w.add(pl.weight)
	total, _ := s.weight.add(pl.weight)
	rc := s.planReceipt(&c, &pl, s.recs.len())
	return Projection{Receipt: rc, Before: before, After: s.provisional(w, total)}, nil
}
