package simulate

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// maxPasses bounds the bidding passes of a round.
const maxPasses = 100

// The values of sim.owed that are no amount.
const (
	owedInAmount = -1
	owedUnknown  = -2
)

// runSeed derives the seed of run i from the batch's seed (SplitMix64's finaliser over both).
func runSeed(seed uint64, i int) (uint64, uint64) {
	mix := func(z uint64) uint64 {
		z += 0x9e3779b97f4a7c15
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	a := mix(seed ^ mix(uint64(i)))
	return a, mix(a ^ 0x6a09e667f3bcc908)
}

// sim runs circles of one compiled scenario, one at a time, reusing its buffers: one per
// worker.
type sim struct {
	circle *rosca.Circle // the worker's circle, reset for each run
	c      *compiled
	pcg    *rand.PCG
	rng    *rand.Rand
	n, l   int

	behindSince, late, won, wins []int
	bid, fees                    []token.Amount
	owing, debt                  []bool // after its payment the member owes; it holds a pot as a debt
	wonEpoch                     []int  // the epoch of the member's last win (0: none)
	// Light mode: what the member owes when the next round opens, as its balance after the
	// last close and its withdrawal say (C when the first opens): in minor units, or
	// owedInAmount (the Turn's Owed holds it) or owedUnknown (ask the circle).
	owed []int64
	// Light mode: what the member paid in and was paid out, the claim written off at the
	// end and its balance after its last withdrawal, which make its position at the end
	// of a circle that was not halted.
	end []standing
	// The members' net cash by round, [seat][round-1], and what each paid in: in minor
	// units while every figure of the run fits an int64 (units, contributed), as amounts
	// once one does not (isWide: wide and end's contributed then hold them all); amts is
	// one member's flows as amounts, for the rates.
	units       [][]int64
	contributed []int64
	wide        [][]token.Amount
	isWide      bool
	amts        []token.Amount
	order       []int
	// The members' turns, one per seat: each one's Position is the member's position, kept
	// current, so that no position is copied to hand it to a strategy.
	auctions  []Auction
	positions []rosca.Position // a copy of the positions for an enforcer of the user's
	values    []token.Amount
	valUnits  []int64 // the valuations in minor units, when the round's bounds fit an int64
	group     Group
	solver    rates.Solver
	memo      memo
	// checkClose, when set (by tests), is called after each close; wideAt (set by tests)
	// turns every run's flows and payments into amounts when round wideAt opens.
	checkClose func(c *rosca.Circle)
	wideAt     int
	// checkBid, when set (by tests), is called after each accepted bid with the round's
	// state as the bidding goes on with it.
	checkBid func(c *rosca.Circle, rs rosca.RoundState)
	// With an acting enforcer: the payers by seat (the scenario's, until a substitution
	// gives a seat another: ownPlans), what the deterrents moved by seat, whether an action
	// changed the circle since the positions were read (acted) and whether a seat passed to
	// another account in the run (moved), and the actions handed to the actor.
	plans    []payPlan
	payers   []Payer
	ownPlans bool
	det      []deterred
	acted    bool
	moved    bool
	actions  Actions
}

func newSim(c *compiled) *sim {
	s := &sim{c: c, pcg: rand.NewPCG(0, 0), n: len(c.cfg.Members), l: c.cfg.Rounds()}
	s.rng = rand.New(s.pcg)
	n := s.n
	s.behindSince, s.late, s.won, s.wins = make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	s.bid, s.fees = make([]token.Amount, n), make([]token.Amount, n)
	s.owing, s.debt, s.wonEpoch = make([]bool, n), make([]bool, n), make([]int, n)
	s.owed = make([]int64, n)
	s.end = make([]standing, n)
	s.values, s.valUnits = make([]token.Amount, n), make([]int64, n)
	s.units = make([][]int64, n)
	all := make([]int64, n*s.l)
	for i := range s.units {
		s.units[i] = all[i*s.l : (i+1)*s.l : (i+1)*s.l]
	}
	s.amts = make([]token.Amount, s.l)
	s.contributed = make([]int64, n)
	s.order = make([]int, 0, n)
	s.auctions = make([]Auction, n)
	s.group.Behind = make([]int, n)
	s.memo.entries = make(map[string]memoEntry)
	s.plans, s.payers = c.plans, c.payers
	if c.actor != nil {
		s.det = make([]deterred, n)
	}
	return s
}

// seat returns the seat of account a now, and whether a holds one.
func (s *sim) seat(a token.Account) (int, bool) {
	if !s.moved {
		return s.c.seat(a)
	}
	for k := range s.auctions {
		if s.auctions[k].Member == a {
			return k, true
		}
	}
	return 0, false
}

// setPayer makes p (nil: OnTime) the payer of seat k for the rest of the run.
func (s *sim) setPayer(k int, p Payer) {
	if p == nil {
		p = OnTime{}
	}
	if !s.ownPlans {
		s.plans, s.payers = slices.Clone(s.c.plans), slices.Clone(s.c.payers)
		s.ownPlans = true
	}
	s.plans[k], s.payers[k] = planOf(p), p
}

// standing is what the records read of a member's position at the end.
type standing struct {
	contributed, withdrawn, loss, balance token.Amount
}

// result is one run's records.
type result struct {
	circle  CircleRecord
	members []MemberRecord
}

// add sets *x to x + y (amounts of the circle's asset, far below the amount bound): on int64
// minor units when both fit and the sum does not overflow, with token.Amount.Add otherwise.
func add(x *token.Amount, y token.Amount) {
	if a, ok := x.Int64Units(); ok {
		if b, ok := y.Int64Units(); ok && x.Asset() == y.Asset() {
			if s := a + b; (s >= a) == (b >= 0) {
				*x = x.Asset().FromInt64Units(s)
				return
			}
		}
	}
	if z, err := x.Add(y); err == nil {
		*x = z
	}
}

// sub sets *x to x - y.
func sub(x *token.Amount, y token.Amount) {
	if a, ok := x.Int64Units(); ok {
		if b, ok := y.Int64Units(); ok && x.Asset() == y.Asset() {
			if d := a - b; (d <= a) == (b >= 0) {
				*x = x.Asset().FromInt64Units(d)
				return
			}
		}
	}
	if z, err := x.Sub(y); err == nil {
		*x = z
	}
}

// run simulates run i into out.
func (s *sim) run(i int, out *result) error {
	c, err := s.start(i)
	if err != nil {
		return causedBy("Run", i, ErrCircle, err)
	}
	cfg := &s.c.cfg
	zero := cfg.Asset.Zero()
	rec := CircleRecord{Scenario: s.c.sc.Name, Run: i, Kind: s.c.cfg.Kind, Members: s.n, Rounds: s.l,
		Fees: zero, Remainder: zero}
	halted, err := s.rounds(c, i, &rec)
	if err == nil && !halted {
		err = s.settle(c, &rec)
	}
	if err == nil && rec.Closed > 0 {
		s.returnCollateral(c, rec.Closed, cfg.Deadline(rec.Closed))
	}
	if err != nil {
		return causedBy("Run", i, ErrCircle, err)
	}
	rec.Halted = halted
	return s.records(c, &rec, out)
}

// start seeds the random source of run i, resets the worker's state and makes the run's
// circle, with its own seed drawn from the source.
func (s *sim) start(i int) (*rosca.Circle, error) {
	cfg := s.c.cfg
	a, b := runSeed(s.c.sc.Seed, i)
	s.pcg.Seed(a, b)
	for k := 0; k < len(cfg.Seed); k += 8 {
		u := s.rng.Uint64()
		for j := range 8 {
			cfg.Seed[k+j] = byte(u >> (8 * j))
		}
	}
	if cfg.Seed.IsZero() {
		cfg.Seed[0] = 1
	}
	// One circle per worker, reset for each run: its storage is reused, and nothing of a
	// run's circle outlives the run (its records are copies).
	c := s.circle
	if c == nil || c.Reset(cfg.Seed) != nil {
		var err error
		if c, err = rosca.New(cfg); err != nil {
			return nil, err
		}
		s.circle = c
	}
	zero := cfg.Asset.Zero()
	// When the first round opens every member owes its contribution: its balance is minus
	// the dues so far, C x 1.
	owed := int64(owedUnknown)
	if u, ok := cfg.Contribution.Int64Units(); ok && u >= 0 {
		owed = u
	}
	for k := range s.n {
		s.behindSince[k], s.late[k], s.won[k], s.wins[k] = 0, 0, 0, 0
		s.bid[k], s.fees[k] = zero, zero
		s.owing[k], s.debt[k], s.wonEpoch[k], s.owed[k] = false, false, 0, owed
		s.end[k] = standing{zero, zero, zero, zero}
		clear(s.units[k])
		s.contributed[k] = 0
		t := &s.auctions[k].Turn
		t.Run, t.Rounds, t.Contribution, t.Rand, t.Seat, t.Member = i, s.l, cfg.Contribution, s.rng, k, cfg.Members[k]
	}
	s.isWide = false
	if s.c.actor != nil {
		s.resetDeterred(zero)
	}
	return c, nil
}

// paid records member k's payment of x in round r, a positive amount the circle accepted
// (so of its asset), u minor units (-1: unknown): the round's first flow, -x, and what the
// member paid in.
func (s *sim) paid(k, r int, x token.Amount, u int64) {
	if !s.isWide {
		ok := u > 0
		if !ok {
			u, ok = x.Int64Units()
		}
		if ok {
			if z := s.contributed[k] + u; z > s.contributed[k] { // u > 0
				s.units[k][r-1], s.contributed[k] = -u, z
				return
			}
		}
		s.widen()
	}
	s.wide[k][r-1] = x.Neg()
	add(&s.end[k].contributed, x)
}

// addFlow adds x, an amount the circle paid (so of its asset), to member k's flow of round
// r.
func (s *sim) addFlow(k, r int, x token.Amount) {
	if !s.isWide {
		a := s.units[k][r-1]
		if b, ok := x.Int64Units(); ok {
			if z := a + b; (z >= a) == (b >= 0) {
				s.units[k][r-1] = z
				return
			}
		}
		s.widen()
	}
	add(&s.wide[k][r-1], x)
}

// widen turns the run's flows and the members' payments into amounts.
func (s *sim) widen() {
	if s.wide == nil {
		s.wide = make([][]token.Amount, s.n)
		for k := range s.wide {
			s.wide[k] = make([]token.Amount, s.l)
		}
	}
	a := s.c.cfg.Asset
	for k := range s.wide {
		for r, u := range s.units[k] {
			s.wide[k][r] = a.FromInt64Units(u)
		}
		s.end[k].contributed = a.FromInt64Units(s.contributed[k])
	}
	s.isWide = true
}

// rounds plays the rounds of run i, and reports whether the group halted the circle.
//
// When every strategy is a built-in one (compiled.light), none reads a position, so the
// positions are read only at the end: what the simulation itself needs after each close is
// what the member owes (Circle.Owed), the epoch of its last win and whether it holds a pot
// as a debt, which it follows from the round results and its own payments as the circle
// does (a pot won through the delinquent draw is a debt until a payment leaves the member
// owing nothing). When the late fees paid are shared among the members, another member's
// payment can lower what one owes, so that what it owes is read at its payment. The records
// are the same either way.
func (s *sim) rounds(c *rosca.Circle, i int, rec *CircleRecord) (bool, error) {
	cfg := s.c.cfg
	if !s.c.light {
		s.refresh(c)
	}
	if s.c.actor != nil {
		g := &s.group
		g.Stage, g.At, g.Winner = Joining, cfg.Deadline(0), -1
		s.act(c, i, 0)
	}
	for r := 1; r <= s.l; r++ {
		if r == s.wideAt {
			s.widen()
		}
		at := cfg.Deadline(r - 1)
		s.pay(c, r, at)
		if cfg.Kind == rosca.Bidding {
			s.bidding(c, r, at)
		}
		now := cfg.Deadline(r)
		res, err := c.CloseRound(now)
		if err != nil {
			return false, err
		}
		rec.Closed = r
		w, won := s.seat(res.Winner)
		if won {
			if s.wins[w] == 0 {
				s.won[w], s.bid[w] = r, res.Bid
			}
			s.wins[w]++
			add(&s.fees[w], res.Fee)
			s.wonEpoch[w] = res.Epoch
			s.debt[w] = s.debt[w] || res.Debt
		}
		for _, l := range res.Losses { // the claims written off at the end
			if k, ok := s.seat(l.Account); ok && !l.Fees && !l.Platform && !l.Remainder {
				add(&s.end[k].loss, l.Loss)
			}
		}
		if !s.c.light {
			s.refresh(c)
		}
		g := &s.group
		g.Stage, g.At, g.Winner = Closed, now, w
		if r == s.l {
			g.Stage = Ended
		}
		if !won {
			g.Winner = -1
		}
		if s.c.actor != nil {
			s.act(c, i, r)
		}
		if s.checkClose != nil {
			s.checkClose(c)
		}
		if s.enforce(i, r) {
			return true, s.halt(c, r, now, rec)
		}
		s.withdrawAll(c, r, now)
	}
	return false, nil
}

// refresh reads every member's position into its turn (without allocating).
func (s *sim) refresh(c *rosca.Circle) {
	for k := range s.auctions {
		s.auctions[k].Position, _ = c.Position(s.auctions[k].Member)
	}
}

// pay runs the payment step of round r.
func (s *sim) pay(c *rosca.Circle, r int, at time.Time) {
	for k := range s.auctions {
		t := &s.auctions[k].Turn
		p := &t.Position
		t.Round = r
		// What the member owes: ow in minor units, or t.Owed when ow is owedInAmount.
		ow := int64(owedInAmount)
		switch {
		case s.c.sharedLateFees:
			t.Owed, _ = c.Owed(t.Member)
		case !s.c.light:
			t.Owed = p.Balance.Asset().Zero()
			if p.Balance.IsNegative() {
				t.Owed = p.Balance.Neg()
			}
		case s.owed[k] == owedUnknown:
			t.Owed, _ = c.Owed(t.Member)
		default:
			ow = s.owed[k]
		}
		s.owed[k] = owedUnknown
		if ow >= 0 && s.plans[k].readsOwed {
			t.Owed = s.c.cfg.Asset.FromInt64Units(ow)
		}
		owes := ow > 0 || ow == owedInAmount && t.Owed.IsPositive()
		t.Behind = 0
		if s.behindSince[k] > 0 {
			t.Behind = r - s.behindSince[k]
		}
		x, how := s.plans[k].pay(s.payers[k], t)
		u := int64(-1) // x in minor units, when known
		switch {
		case how == paysOwed && ow > 0:
			x, u = s.c.cfg.Asset.FromInt64Units(ow), ow
		case how == paysOwed && ow == 0:
			u = 0 // nothing to pay
		case how == paysOwed:
			x = t.Owed
		}
		if (u > 0 || u < 0 && x.IsPositive()) && c.Contribute(at, t.Member, x) == nil {
			s.paid(k, r, x, u)
			// The member owes less by x: nothing when x covers what it owed, and then the
			// circle clears its debt flag.
			if owes = how != paysOwed && x.Cmp(t.Owed) < 0; !owes {
				s.debt[k] = false
			}
			if !s.c.light {
				add(&p.Balance, x)
				add(&p.Contributed, x)
			}
		}
		s.owing[k] = owes
		if owes {
			s.late[k]++
			if s.behindSince[k] == 0 {
				s.behindSince[k] = r
			}
		} else {
			s.behindSince[k] = 0
		}
	}
}

// bidding runs the bidding of round r: passes over the members who may bid, in an order drawn
// for the round, until a pass without a bid.
func (s *sim) bidding(c *rosca.Circle, r int, at time.Time) {
	rs := c.Round()
	if !s.drawOrder(rs.Epoch) {
		return
	}
	fit := s.valuations(rs)
	asset := rs.Pot.Asset()
	maxU, maxFit := rs.MaxBid.Int64Units()
	minU, _ := rs.MinBid.Int64Units()
	for pass := 1; pass <= maxPasses; pass++ {
		bids := false
		for _, k := range s.order {
			// The built-in bidders who bid in the first pass only, or never, pass without a
			// draw: they are not asked.
			class := s.c.classes[k]
			if class == bidsNever || class == bidsFirst && pass > 1 {
				continue
			}
			a := &s.auctions[k]
			m := a.Member
			if rs.Leader == m {
				continue
			}
			var x token.Amount
			var ok bool
			switch {
			case class == bidsUndercut && fit && maxFit:
				// Undercut.Bid, which reads nothing else, on minor units.
				x, ok = rs.MaxBid, maxU >= s.valUnits[k] && maxU >= minU
			case class == bidsUndercut && !fit:
				x, ok = rs.MaxBid, rs.MaxBid.Cmp(s.values[k]) >= 0 && rs.MaxBid.Cmp(rs.MinBid) >= 0
			default:
				a.Behind = 0
				a.Owed = asset.Zero()
				a.Pass, a.Pot, a.MinBid, a.MaxBid = pass, rs.Pot, rs.MinBid, rs.MaxBid
				a.LowestBid, a.Leader, a.Valuation = rs.LowestBid, rs.Leader, s.values[k]
				if fit {
					a.Valuation = asset.FromInt64Units(s.valUnits[k])
				}
				x, ok = s.c.bidders[k].Bid(a)
			}
			if ok && c.Bid(at, m, x) == nil {
				bids = true
				if !s.c.caps.next(&rs, m, x) {
					rs = c.Round()
				}
				maxU, maxFit = rs.MaxBid.Int64Units()
				if s.checkBid != nil {
					s.checkBid(c, rs)
				}
			}
		}
		if !bids {
			return
		}
	}
}

// drawOrder sets s.order to the members who may bid in a round of epoch e, as the circle
// stands now (not a winner of this epoch, not holding a pot as a debt, which a payment
// that leaves the member owing nothing clears, square after its payment), in an order drawn
// for the round; it reports whether there is any.
func (s *sim) drawOrder(e int) bool {
	s.order = s.order[:0]
	for k := range s.auctions {
		if s.wonEpoch[k] != e && !s.debt[k] && !s.owing[k] {
			s.order = append(s.order, k)
		}
	}
	if len(s.order) == 0 {
		return false
	}
	s.rng.Shuffle(len(s.order), func(i, j int) { s.order[i], s.order[j] = s.order[j], s.order[i] })
	return true
}

// valuations draws the valuations of the members of s.order for the round rs: in minor units
// (valUnits) when the pot and the minimum bid fit an int64, which it reports (the bounds,
// shares of the pot, then fit too), and as amounts (values) otherwise. The bounds are the
// same for every member with the same Valuation: computed once per distinct one in a row.
func (s *sim) valuations(rs rosca.RoundState) bool {
	minU, fit := rs.MinBid.Int64Units()
	if pot, ok := rs.Pot.Int64Units(); !ok || pot < 0 {
		fit = false
	}
	var last Valuation
	var lo, hi token.Amount
	var l, h int64
	for i, k := range s.order {
		if v := s.c.values[k]; i == 0 || v != last {
			last = v
			lo, hi = v.bounds(rs.Pot)
			l, _ = lo.Int64Units()
			h, _ = hi.Int64Units()
		}
		if !fit {
			s.values[k] = pick(s.rng, lo, hi, rs.MinBid)
			continue
		}
		// pick, and uniform's draw, on minor units.
		x := l
		if h > l {
			ph, pl := bits.Mul64(uint64(h-l), s.rng.Uint64N(1<<32+1))
			x = l + int64(ph<<32|pl>>32)
		}
		s.valUnits[k] = max(x, minU)
	}
	return fit
}

// fillGroup fills the group's view after round r of run i (before round 1: r is 0): the
// rounds behind by seat, and a copy of the positions for an enforcer of the user's.
func (s *sim) fillGroup(i, r int) *Group {
	g := &s.group
	g.Run, g.Round, g.Rounds, g.Rand = i, r, s.l, s.rng
	if s.c.readsPositions {
		s.positions = s.positions[:0]
		for k := range s.auctions {
			s.positions = append(s.positions, s.auctions[k].Position)
		}
		g.Positions = s.positions
	}
	for k := range s.n {
		g.Behind[k] = 0
		if s.behindSince[k] > 0 {
			g.Behind[k] = r - s.behindSince[k] + 1
		}
	}
	return g
}

// enforce asks the group's enforcer whether to halt after round r of run i. The built-in
// enforcers read no position: the positions are copied for the user's own only.
func (s *sim) enforce(i, r int) bool {
	if s.c.tolerates {
		return false // it reads nothing
	}
	return s.c.enf.Halt(s.fillGroup(i, r))
}

// act lets the group's actor act at the stage s.group names, after round r of run i (0:
// as the circle starts). In full mode the positions are read again after a command.
func (s *sim) act(c *rosca.Circle, i, r int) {
	g := s.fillGroup(i, r)
	s.actions = Actions{s: s, c: c, at: g.At, r: max(r, 1)}
	s.acted = false
	s.c.actor.Act(g, &s.actions)
	if s.acted && !s.c.light {
		s.refresh(c)
	}
}

// resetDeterred empties what the deterrents moved, for a new run.
func (s *sim) resetDeterred(zero token.Amount) {
	for k := range s.det {
		s.det[k] = deterred{posted: zero, applied: zero, returned: zero, guarantor: zero, recovered: zero,
			bounty: zero, feeBounty: zero, refund: zero, deduction: zero}
	}
	if s.ownPlans {
		copy(s.plans, s.c.plans)
		copy(s.payers, s.c.payers)
	}
	s.moved = false
}

// returnCollateral pays back, at time at, the collateral of every member who holds some
// and may have it back (it owes nothing, or the circle was halted): a receipt in its flows
// of round r.
func (s *sim) returnCollateral(c *rosca.Circle, r int, at time.Time) {
	if s.c.cfg.Rules.Deterrents.Collateral.Form == rosca.CollateralNone {
		return
	}
	for k := range s.auctions {
		if _, held, err := c.CollateralDue(s.auctions[k].Member); err != nil || !held.IsPositive() {
			continue
		}
		if x, err := c.ReturnCollateral(at, s.auctions[k].Member); err == nil {
			s.addFlow(k, r, x)
			if s.det != nil {
				add(&s.det[k].returned, x)
			}
		}
	}
}

// withdrawAll lets every member with a positive balance withdraw it after round r. In light
// mode it reads each member's balance, which also tells what the member owes when the next
// round opens (a member who owes does not withdraw, one who owes nothing still owes nothing
// after) and, after the last round, the balance the records report.
func (s *sim) withdrawAll(c *rosca.Circle, r int, at time.Time) {
	last := r == s.l
	for k := range s.auctions {
		p := &s.auctions[k].Position
		if s.c.light {
			bal, _ := c.Balance(s.auctions[k].Member)
			if last {
				s.end[k].balance = bal
			}
			if b, ok := bal.Int64Units(); ok && b > math.MinInt64 {
				s.owed[k] = max(-b, 0)
				if b <= 0 {
					continue
				}
			} else {
				t := &s.auctions[k].Turn
				s.owed[k] = owedInAmount
				if bal.IsNegative() {
					t.Owed = bal.Neg()
					continue
				}
				t.Owed = bal.Asset().Zero()
			}
		} else if !p.Balance.IsPositive() {
			continue
		}
		if x, err := c.Withdraw(at, s.auctions[k].Member); err == nil {
			s.addFlow(k, r, x)
			if s.c.light {
				if last {
					sub(&s.end[k].balance, x)
				}
				add(&s.end[k].withdrawn, x)
			} else {
				sub(&p.Balance, x)
				add(&p.Withdrawn, x)
			}
		}
	}
}

// halt stops the circle after round r through the emergency halt.
func (s *sim) halt(c *rosca.Circle, r int, at time.Time, rec *CircleRecord) error {
	cfg := s.c.cfg
	if err := c.EnableHalt(at, cfg.Operator); err != nil && !errors.Is(err, rosca.ErrHaltEnabled) {
		return err
	}
	lines, err := c.ActivateHalt(at, cfg.Foreperson)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if l.Fees {
			add(&rec.Fees, l.Paid)
			continue
		}
		if k, ok := s.seat(l.Account); ok {
			s.addFlow(k, r, l.Paid)
		}
	}
	return nil
}

// settle ends a circle whose last round has closed and whose members have withdrawn what
// they could: the foreperson takes the fees and the remainder.
func (s *sim) settle(c *rosca.Circle, rec *CircleRecord) error {
	cfg := s.c.cfg
	at := cfg.Deadline(s.l)
	fees, err := c.RetrieveFees(at, cfg.Foreperson)
	switch {
	case err == nil:
		add(&rec.Fees, fees)
	case !errors.Is(err, rosca.ErrNothingToPay):
		return err
	}
	rem, _, err := c.DisposeRemainder(at, cfg.Foreperson)
	switch {
	case err == nil:
		add(&rec.Remainder, rem)
	case !errors.Is(err, rosca.ErrNothingToPay):
		return err
	}
	return nil
}

// records fills out with the run's records.
func (s *sim) records(c *rosca.Circle, rec *CircleRecord, out *result) error {
	cfg := s.c.cfg
	zero := cfg.Asset.Zero()
	rec.Contributed, rec.Withdrawn, rec.Losses = zero, zero, zero
	rec.zeroDeterrents(zero)
	out.members = slices.Grow(out.members[:0], s.n)[:s.n]
	// In light mode, what the simulation followed of the positions; after a halt (which
	// settles the cash), in full mode or with deterrents, the positions themselves.
	tracked := s.c.light && !rec.Halted && !s.c.deters
	if !tracked {
		s.refresh(c)
	}
	for k := range s.auctions {
		e := &s.end[k]
		writtenOff := e.loss
		own := e.contributed // what the member paid in itself
		if !s.isWide {
			own = cfg.Asset.FromInt64Units(s.contributed[k])
		}
		p := &s.auctions[k].Position
		switch {
		case !tracked && s.c.deters:
			*e = standing{own, p.Withdrawn, p.Loss, p.Balance}
		case !tracked:
			*e = standing{p.Contributed, p.Withdrawn, p.Loss, p.Balance}
		default:
			e.contributed = own
		}
		m := &out.members[k]
		*m = MemberRecord{Scenario: rec.Scenario, Run: rec.Run, Seat: k, Member: s.auctions[k].Member,
			Won: s.won[k], Wins: s.wins[k], Bid: s.bid[k], Contributed: e.contributed,
			Withdrawn: e.withdrawn, Fees: s.fees[k], Unpaid: zero, Owed: zero, Late: s.late[k]}
		m.zeroDeterrents(zero)
		if writtenOff.IsPositive() {
			m.WrittenOff = writtenOff
		}
		if s.c.deters {
			s.deterrentRecord(k, p, m, rec)
		}
		m.Net, _ = m.Withdrawn.Sub(m.Contributed)
		if s.c.deters { // the member's own money that moved besides
			add(&m.Net, m.CollateralReturned)
			sub(&m.Net, m.CollateralPosted)
			sub(&m.Net, m.Recovered)
			sub(&m.Net, m.Deduction)
		}
		// What the member was owed and not paid: the claim the circle wrote off at the end
		// to cover the defaulters (Position.Loss) and any positive balance left unpaid.
		if e.loss.IsPositive() {
			add(&m.Unpaid, e.loss)
		}
		switch {
		case e.balance.IsPositive():
			add(&m.Unpaid, e.balance)
		case e.balance.IsNegative():
			m.Owed = e.balance.Neg()
			rec.Defaulters++
		}
		add(&rec.Losses, m.Unpaid)
		rec.LatePayments += s.late[k]
		add(&rec.Contributed, m.Contributed)
		add(&rec.Withdrawn, m.Withdrawn)
		if err := s.rates(k, rec.Closed, m); err != nil {
			return err
		}
	}
	// The cash left: what the members paid in less what was paid out to them, to the
	// foreperson and as the remainder (after a halt, which may pay the platform's fee
	// too, or with deterrents, the circle's own figure).
	if tracked {
		rec.Unclaimed = rec.Contributed
		sub(&rec.Unclaimed, rec.Withdrawn)
		sub(&rec.Unclaimed, rec.Fees)
		sub(&rec.Unclaimed, rec.Remainder)
	} else {
		tot := c.Totals()
		rec.Unclaimed = tot.Cash
		if s.c.deters {
			rec.CollateralHeld = orZero(tot.Collateral, zero)
		}
	}
	out.circle = *rec
	return nil
}

// orZero returns x, or zero when x is the zero Amount (rosca omits zero figures so).
func orZero(x, zero token.Amount) token.Amount {
	if !x.IsValid() {
		return zero
	}
	return x
}

// deterrentRecord fills member k's record with what the deterrents moved (p is its
// position at the end) and adds it to the circle's record.
func (s *sim) deterrentRecord(k int, p *rosca.Position, m *MemberRecord, rec *CircleRecord) {
	zero := s.c.cfg.Asset.Zero()
	m.LateFees = orZero(p.LateFees, zero)
	m.LateFeesPaid = m.LateFees
	sub(&m.LateFeesPaid, orZero(p.LateFeesOwed, zero))
	m.Strikes = p.Strikes
	if s.det != nil {
		d := &s.det[k]
		m.CollateralPosted, m.CollateralApplied, m.CollateralReturned = d.posted, d.applied, d.returned
		m.GuarantorPaid, m.Recovered, m.Bounty = d.guarantor, d.recovered, d.bounty
		m.Removed, m.Accelerated, m.Substituted = d.removed, d.accelerated, d.substituted
		m.Left, m.Refund, m.Deduction = d.left, d.refund, d.deduction
		add(&rec.FeeBounties, d.feeBounty)
	}
	for _, f := range []struct{ sum, x *token.Amount }{
		{&rec.CollateralPosted, &m.CollateralPosted}, {&rec.CollateralApplied, &m.CollateralApplied},
		{&rec.CollateralReturned, &m.CollateralReturned}, {&rec.GuarantorPayments, &m.GuarantorPaid},
		{&rec.Recovered, &m.Recovered}, {&rec.Bounties, &m.Bounty}, {&rec.Deductions, &m.Deduction},
		{&rec.LateFeesCharged, &m.LateFees}, {&rec.LateFeesPaid, &m.LateFeesPaid},
	} {
		add(f.sum, *f.x)
	}
	rec.Removals += min(m.Removed, 1)
	rec.Accelerations += min(m.Accelerated, 1)
	rec.Substitutions += min(m.Substituted, 1)
}

// rates computes member k's rates of return from its flows of the closed rounds, as the
// scenario asks: its IRR, NPV and MIRR.
func (s *sim) rates(k, closed int, m *MemberRecord) error {
	sc := s.c.sc
	if closed == 0 || sc.Digits == 0 && !sc.NPV {
		return nil
	}
	var key []byte
	var useMemo bool
	if s.isWide {
		key, useMemo = s.memo.key(s.wide[k][:closed])
	} else {
		key, useMemo = s.memo.keyUnits(s.units[k][:closed])
	}
	if useMemo {
		if e, ok := s.memo.entries[string(key)]; ok {
			s.memo.hits++
			m.IRR, m.NPV, m.MIRR = e.irr, e.npv, e.mirr
			return nil
		}
	}
	flows := s.flowAmounts(k, closed)
	if sc.Digits > 0 {
		res, err := s.solver.IRR(flows, sc.Digits)
		switch {
		case err == nil:
			m.IRR = res
		case !errors.Is(err, rates.ErrAllZero):
			return causedBy("Run", m.Run, ErrCircle, err)
		}
	}
	if sc.NPV {
		v, err := s.solver.NPV(flows, sc.Benchmark, rates.HalfEven)
		if err != nil {
			return causedBy("Run", m.Run, ErrCircle, err)
		}
		m.NPV = v
	}
	if sc.MIRR {
		res, err := s.solver.MIRR(flows, sc.Finance, sc.Reinvest, sc.Digits)
		switch {
		case err == nil:
			m.MIRR = res
		case !errors.Is(err, rates.ErrAllZero) && !errors.Is(err, rates.ErrOneSided):
			return causedBy("Run", m.Run, ErrCircle, err)
		}
	}
	if useMemo {
		s.memo.put(key, memoEntry{m.IRR, m.NPV, m.MIRR})
	}
	return nil
}

// flowAmounts returns member k's flows of the first closed rounds as amounts.
func (s *sim) flowAmounts(k, closed int) []token.Amount {
	if s.isWide {
		return s.wide[k][:closed]
	}
	a := s.c.cfg.Asset
	for r, u := range s.units[k][:closed] {
		s.amts[r] = a.FromInt64Units(u)
	}
	return s.amts[:closed]
}

// memo is a worker's memo of rates results, keyed by the flows' minor units: the rates are
// pure functions of the flows (the scenario's precision and rates being fixed), and in
// lotteries the same flows come back often. It stops itself when it is seldom hit (in
// bidding circles every member's flows differ), so that misses cost nothing; results never
// depend on it.
type memo struct {
	entries       map[string]memoEntry
	buf           []byte
	lookups, hits int
	off           bool
}

// Bounds of the memo: its size, and the lookups after which it must hit one time in four.
const (
	maxMemo    = 1 << 14
	memoTrial  = 512
	memoMinHit = 4
)

// key returns the key of the flows, and false when the memo is off or a flow does not fit
// an int64 of minor units.
func (m *memo) key(flows []token.Amount) ([]byte, bool) {
	if !m.start() {
		return nil, false
	}
	for _, x := range flows {
		u, ok := x.Int64Units()
		if !ok {
			return nil, false
		}
		m.buf = binary.LittleEndian.AppendUint64(m.buf, uint64(u))
	}
	return m.buf, true
}

// keyUnits is key for flows in minor units.
func (m *memo) keyUnits(flows []int64) ([]byte, bool) {
	if !m.start() {
		return nil, false
	}
	for _, u := range flows {
		m.buf = binary.LittleEndian.AppendUint64(m.buf, uint64(u))
	}
	return m.buf, true
}

// start counts a lookup and empties the key, and returns false when the memo is off.
func (m *memo) start() bool {
	if m.off {
		return false
	}
	m.lookups++
	if m.lookups == memoTrial && m.hits*memoMinHit < m.lookups {
		m.off, m.entries = true, nil
		return false
	}
	m.buf = m.buf[:0]
	return true
}

// memoEntry is what the memo keeps of one member's flows.
type memoEntry struct {
	irr  rates.IRRResult
	npv  token.Amount
	mirr rates.MIRRResult
}

// put stores the results of the flows of key.
func (m *memo) put(key []byte, e memoEntry) {
	if len(m.entries) >= maxMemo {
		clear(m.entries)
	}
	m.entries[string(key)] = e
}
