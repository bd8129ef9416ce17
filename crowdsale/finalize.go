package crowdsale

import (
	"bytes"
	"cmp"
	"hash/maphash"
	"math/big"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// Allocation is a participant's share of the pool, an amount of the token sold. The zero
// Allocation allocates nothing.
type Allocation struct {
	Participant token.Account
	Amount      token.Amount
}

// RefundReason says why an amount is returned.
type RefundReason string

// The reasons for a refund.
const (
	RefundCap     RefundReason = "cap"     // the excess of the contribution that crossed the cap
	RefundMinimum RefundReason = "minimum" // the sale failed to reach its minimum
)

// Refund is an amount returned to a participant in the contribution's own currency. The
// zero Refund returns nothing.
type Refund struct {
	ContributionID string
	Participant    token.Account
	Amount         token.Amount // in the contribution's currency
	Reason         RefundReason
}

// Finalize settles an ended sale at time at (conditions due by then are evaluated first).
// Below the minimum (or with nothing raised) the sale fails and every accepted amount is
// refunded in its own currency; otherwise the pool is allocated: participant p gets
// pool x weight_p / total weight in token minor units, each part the floor of its exact
// share plus at most one leftover unit given by the largest-remainder rule, ties to the
// participant whose first contribution is earliest (then the lower contribution id); the
// parts sum to the pool exactly.
//
// Errors (nothing changes) are [*Error] values wrapping [ErrTimeOrder], [ErrState] (not
// ended, or already finalized), [token.ErrInvalidTime] or [ErrUninitialized].
func (s *Sale) Finalize(at time.Time) error {
	const op = "Finalize"
	if s.p == nil {
		return uninitialized(op)
	}
	at, err := checkTime(op, at)
	if err != nil {
		return err
	}
	if s.finalized {
		return s.stateErr(op, at, "already finalized")
	}
	if s.hasNow && at.Before(s.now) {
		return timeOrder(op, at, s.now)
	}
	var pd pending
	if !s.ended {
		s.pendingUntil(s.clampAny(at), &pd)
		if !pd.ended {
			return s.stateErr(op, at, "the sale has not ended")
		}
	}
	outcome := OutcomeFailed
	var alloc *allocTable
	var order []int32
	if !s.weight.IsZero() && s.raised.Cmp(s.p.minUnits) >= 0 {
		alloc, order = s.allocate()
		outcome = OutcomeSucceeded
	}
	s.applyPending(&pd)
	s.now, s.hasNow = at, true
	s.finalized, s.finalAt = true, at
	s.outcome, s.alloc, s.order = outcome, alloc, order
	s.appendLog(Event{Kind: EventFinalized, At: at, Finalized: &Finalization{
		Outcome: s.outcome, Raised: s.Raised(), Participants: s.parts.len(), Contributions: s.recs.len()}})
	if s.outcome == OutcomeSucceeded {
		s.appendExpanded(expandAllocations, at, alloc.len())
	} else {
		s.appendExpanded(expandRefunds, at, s.minimumRefunds())
	}
	return nil
}

// stateErr is the error of a command the sale's state does not allow at at.
func (s *Sale) stateErr(op string, at time.Time, detail string) error {
	st := s.Status(at)
	detail += " (" + string(st.Phase)
	if st.Reason != "" {
		detail += " by " + string(st.Reason)
	}
	if st.Finalized {
		detail += ", " + string(st.Outcome)
	}
	return &Error{Op: op, At: at, Detail: detail + ")", Err: ErrState}
}

// allocate divides the pool by weight, participants ordered by first contribution (time,
// then id) so that the lower-position tie-break of the largest-remainder rule is the sale's.
func (s *Sale) allocate() (*allocTable, []int32) {
	n := s.parts.len()
	var order []int32
	if !s.inTieOrder() {
		order = make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		slices.SortStableFunc(order, func(a, b int32) int { return s.tieCmp(int(a), int(b)) })
	}
	if s.p.fixed {
		alloc := make([]big.Int, n)
		for k := range n {
			alloc[k].Set(s.p.bought(s.parts.at(partAt(order, k)).weight))
		}
		return tableOf(&s.p.pool, alloc), order
	}
	// Divide every weight by their greatest common divisor: the floors are unchanged and
	// every remainder is divided by the same factor, so the allocation is identical, and
	// the smaller integers let the division work in machine words.
	var g uint128.U128
	for i := 0; i < n; i++ {
		if g = gcd(g, s.parts.at(i).weight); g == uint128.From64(1) {
			break
		}
	}
	if g.IsZero() {
		g = uint128.From64(1)
	}
	weight := func(k int) uint128.U128 { return quoExact(s.parts.at(partAt(order, k)).weight, g) }
	if s.p.pool.IsUint64() {
		if parts, ok := proRata64(s.p.pool.Uint64(), n, weight); ok {
			return &allocTable{small: parts}, order
		}
	}
	weights := make([]big.Int, n)
	words := make([]big.Word, n*wordsPerU128)
	for k := range n {
		w := words[k*wordsPerU128 : (k+1)*wordsPerU128 : (k+1)*wordsPerU128]
		setBigWords(weight(k), &weights[k], w)
	}
	// The total weight is positive, so AllocateUnits cannot fail; Audit checks the result.
	alloc, _ := token.AllocateUnits(&s.p.pool, weights, token.LargestRemainder())
	return tableOf(&s.p.pool, alloc), order
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

// allocation returns the allocation at position k.
func (s *Sale) allocation(k int) Allocation {
	return Allocation{Participant: s.name(s.partAt(k)), Amount: s.alloc.amount(s.cfg.Token, k)}
}

// Allocations returns each participant's share of the pool after a successful Finalize, in
// allocation order (by first contribution); nil before.
func (s *Sale) Allocations() []Allocation {
	if s.alloc == nil {
		return nil
	}
	out := make([]Allocation, s.alloc.len())
	for k := range out {
		out[k] = s.allocation(k)
	}
	return out
}

// Refunds returns every refund decided: the excess of the contribution that crossed the cap,
// and after a failed Finalize the accepted amount of every contribution, in order.
func (s *Sale) Refunds() []Refund {
	var out []Refund
	if s.capHit != nil && s.capHit.refund.IsPositive() {
		out = append(out, s.capRefund())
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
	return Refund{ContributionID: s.recID(s.capHit.index), Participant: s.name(int(r.part)),
		Amount: s.capHit.refund, Reason: RefundCap}
}

// minimumRefund returns the refund of contribution i in a failed sale: its accepted amount,
// when positive.
func (s *Sale) minimumRefund(i int) (Refund, bool) {
	u := s.acceptedUnits(i)
	if u.IsZero() {
		return Refund{}, false
	}
	r := s.recs.at(i)
	return Refund{ContributionID: s.recID(i), Participant: s.name(int(r.part)),
		Amount: s.p.assets[r.asset].asset.FromUint128Units(u.Hi, u.Lo), Reason: RefundMinimum}, true
}

// minimumRefunds returns the number of refunds of a failed sale.
func (s *Sale) minimumRefunds() int {
	n := s.recs.len()
	if s.capHit != nil && s.capHit.units.IsZero() {
		n--
	}
	return n
}

// minimumRefundAt returns the k-th refund of a failed sale.
func (s *Sale) minimumRefundAt(k int) Refund {
	if s.capHit != nil && s.capHit.units.IsZero() && k >= s.capHit.index {
		k++
	}
	r, _ := s.minimumRefund(k)
	return r
}

// Distribute transfers each participant's allocation from the config's sale account of
// ledger (built, for TRST, with token.TRSTGenesis). It checks first that the sale succeeded
// and is not yet distributed, that the ledger's asset is the pool's, that its transfers are
// not frozen against the sale account and that the sale account can spend at least the pool;
// on any error nothing moves. [Sale.DistributeLocked] pays the same amounts locked up under
// a vesting schedule instead.
//
// Errors are [*Error] values wrapping [ErrState], [ErrLedger] (with [token.ErrFrozen] beside
// it for a frozen ledger) or [ErrUninitialized].
func (s *Sale) Distribute(ledger *token.Ledger) error {
	const op = "Distribute"
	if err := s.checkDistribute(op, ledger); err != nil {
		return err
	}
	ledger.Reserve(s.alloc.len()) // most participants are new to the ledger
	n := 0
	for k := range s.alloc.len() {
		a := s.allocation(k)
		if a.Amount.IsZero() {
			continue
		}
		if err := ledger.Transfer(s.cfg.SaleAccount, a.Participant, a.Amount); err != nil {
			// unreachable after the checks above: accounts were validated on contribution
			return &Error{Op: op, Account: a.Participant, Amount: a.Amount, Detail: "transfer failed: " + causeText(err), Err: because(ErrLedger, err)}
		}
		n++
	}
	s.recordDistribution(n, nil, 0)
	return nil
}

// distributable reports whether the sale may distribute: it succeeded, is finalized and
// was not distributed.
func (s *Sale) distributable() bool {
	return s.finalized && s.outcome == OutcomeSucceeded && !s.distributed
}

// checkDistribute checks, for the command op, everything a distribution into ledger needs
// before anything moves (see [Sale.Distribute]).
func (s *Sale) checkDistribute(op string, ledger *token.Ledger) error {
	if s.p == nil {
		return uninitialized(op)
	}
	if !s.distributable() {
		return s.stateErr(op, s.now, "needs a successful, finalized, undistributed sale")
	}
	if ledger == nil {
		return &Error{Op: op, Detail: "no ledger", Err: ErrLedger}
	}
	if ledger.Asset() != s.cfg.Token {
		return &Error{Op: op, Detail: "the ledger holds " + ledger.Asset().String() + ", the pool is " + s.cfg.Token.String(), Err: ErrLedger}
	}
	if f, frozen := ledger.Frozen(); frozen && f.Admin != s.cfg.SaleAccount {
		return &Error{Op: op, Account: s.cfg.SaleAccount, Detail: "the ledger's transfers are frozen by " + string(f.Admin),
			Err: because(ErrLedger, token.ErrFrozen)}
	}
	if sp := ledger.Spendable(s.cfg.SaleAccount); sp.Cmp(s.cfg.Pool) < 0 {
		return &Error{Op: op, Account: s.cfg.SaleAccount, Amount: sp, Limit: s.cfg.Pool,
			Detail: "the sale account can spend " + sp.String() + ", less than the pool", Err: ErrLedger}
	}
	return nil
}

// recordDistribution marks the sale distributed and logs it: n participants paid, under
// lock (nil for none) from grant first.
func (s *Sale) recordDistribution(n int, lock *LockUp, first token.VestingID) {
	s.distributed = true
	total, _ := s.cfg.Token.FromUnits(s.allocTotal())
	s.appendLog(Event{Kind: EventDistributed, At: s.now, Distributed: &Distribution{Transfers: n, Total: total, LockUp: lock, FirstGrant: first}})
}

// provisional returns floor(pool * w / total) in token units (rounded down to the minor
// unit; the final allocation may add one unit by largest remainder).
func (s *Sale) provisional(w, total uint128.U128) token.Amount {
	if s.p.fixed {
		x, _ := s.cfg.Token.FromUnits(s.p.bought(w)) // at most the pool
		return x
	}
	if total.IsZero() {
		return s.cfg.Token.Zero()
	}
	num := w.Big()
	num.Mul(num, &s.p.pool)
	num.Quo(num, total.Big())          // floor: both are non-negative
	x, _ := s.cfg.Token.FromUnits(num) // at most the pool
	return x
}

// bought returns the token minor units a weight buys at the fixed price, rounded down.
func (p *params) bought(w uint128.U128) *big.Int {
	x := w.Big()
	x.Mul(x, &p.priceNum)
	return x.Quo(x, &p.priceDen)
}

// Unsold returns the part of the pool not allocated after a successful Finalize: zero of
// the token under the pro-rata design, what the participants did not buy under a fixed
// price; the zero Amount before.
func (s *Sale) Unsold() token.Amount {
	if s.alloc == nil {
		return token.Amount{}
	}
	u := new(big.Int).Sub(&s.p.pool, s.allocTotal())
	x, _ := s.cfg.Token.FromUnits(u)
	return x
}

// allocTotal returns the sum of the allocations, in token minor units.
func (s *Sale) allocTotal() *big.Int { return s.alloc.total() }

// participant returns the index of account p.
func (s *Sale) participant(p token.Account) (int, bool) {
	return s.partIndex.find(maphash.String(s.seed, string(p)), func(i int) bool { return s.name(i) == p })
}

// Provisional returns the participant's provisional balance now: pool x their weight / all
// weight so far, rounded down to the token's minor unit. It falls as others contribute
// (the FAQ: the first participant alone sees 80M; two equal ones 40M each). An unknown
// participant has zero.
func (s *Sale) Provisional(p token.Account) token.Amount {
	if s.p == nil {
		return token.Amount{}
	}
	i, ok := s.participant(p)
	if !ok {
		return s.cfg.Token.Zero()
	}
	return s.provisional(s.parts.at(i).weight, s.weight)
}

// ProvisionalAt returns the provisional balance as it stood at the instant at, counting the
// contributions received at or before at. It scans the contributions.
func (s *Sale) ProvisionalAt(p token.Account, at time.Time) token.Amount {
	if s.p == nil {
		return token.Amount{}
	}
	pi, ok := s.participant(p)
	if !ok || at.Before(s.cfg.Start) {
		return s.cfg.Token.Zero()
	}
	limit := s.clamp(at)
	var w, total uint128.U128
	for i := 0; i < s.recs.len(); i++ {
		r := s.recs.at(i)
		if r.at > limit {
			if s.p.lateness == 0 {
				break // in time order
			}
			continue
		}
		x, _ := s.value(i).Mul64(s.p.factor[r.tier])
		total, _ = total.Add(x)
		if int(r.part) == pi {
			w, _ = w.Add(x)
		}
	}
	return s.provisional(w, total)
}

// Projection is the answer to a what-if: the receipt the contribution would get and the
// participant's provisional balance before and after it. The zero Projection projects
// nothing.
type Projection struct {
	Receipt Receipt
	Before  token.Amount
	After   token.Amount
}

// WhatIf returns what Contribute(c) would do, without changing the sale: the same errors
// (with Op "WhatIf"), the receipt and the participant's provisional balance before and
// after. A repeated id returns its recorded receipt and the current balance twice.
func (s *Sale) WhatIf(c Contribution) (Projection, error) {
	var pl plan
	s.hash(&c, &pl)
	dup, err := s.prepare("WhatIf", &c, &pl)
	if err != nil {
		return Projection{}, err
	}
	before := s.Provisional(c.Participant)
	if dup >= 0 {
		return Projection{Receipt: s.receipt(dup), Before: before, After: before}, nil
	}
	var w uint128.U128
	if !pl.newPart {
		w = s.parts.at(int(pl.rec.part)).weight
	}
	w, _ = w.Add(pl.weight)
	total, _ := s.weight.Add(pl.weight)
	var rc Receipt
	s.planReceipt(&rc, &c, &pl, s.recs.len())
	return Projection{Receipt: rc, Before: before, After: s.provisional(w, total)}, nil
}
