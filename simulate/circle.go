package simulate

import (
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// maxPasses bounds the bidding passes of a round.
const maxPasses = 100

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
	owing, debt                  []bool           // after its payment the member owes; it holds a pot as a debt
	wonEpoch                     []int            // the epoch of the member's last win (0: none)
	owedKnown                    []bool           // light mode: the Turn's Owed is what the member owes
	flows                        [][]token.Amount // [seat][round-1], the member's net cash
	order                        []int
	// The members' turns, one per seat: each one's Position is the member's position, kept
	// current, so that no position is copied to hand it to a strategy.
	auctions  []Auction
	positions []rosca.Position // a copy of the positions for an enforcer of the user's
	values    []token.Amount
	group     Group
	solver    rates.Solver
	memo      memo
	// checkClose, when set (by tests), is called after each close.
	checkClose func(c *rosca.Circle)
}

func newSim(c *compiled) *sim {
	s := &sim{c: c, pcg: rand.NewPCG(0, 0), n: len(c.cfg.Members), l: c.cfg.Rounds()}
	s.rng = rand.New(s.pcg)
	n := s.n
	s.behindSince, s.late, s.won, s.wins = make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	s.bid, s.fees = make([]token.Amount, n), make([]token.Amount, n)
	s.owing, s.debt, s.wonEpoch = make([]bool, n), make([]bool, n), make([]int, n)
	s.owedKnown = make([]bool, n)
	s.values = make([]token.Amount, n)
	s.flows = make([][]token.Amount, n)
	for i := range s.flows {
		s.flows[i] = make([]token.Amount, s.l)
	}
	s.order = make([]int, 0, n)
	s.auctions = make([]Auction, n)
	s.group.Behind = make([]int, n)
	s.memo.entries = make(map[string]memoEntry)
	return s
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
	zero := s.c.cfg.Asset.Zero()
	rec := CircleRecord{Scenario: s.c.sc.Name, Run: i, Kind: s.c.cfg.Kind, Members: s.n, Rounds: s.l,
		Fees: zero, Remainder: zero}
	halted, err := s.rounds(c, i, &rec)
	if err == nil && !halted {
		err = s.settle(c, &rec)
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
	for k := range s.n {
		s.behindSince[k], s.late[k], s.won[k], s.wins[k] = 0, 0, 0, 0
		s.bid[k], s.fees[k] = zero, zero
		s.owing[k], s.debt[k], s.wonEpoch[k], s.owedKnown[k] = false, false, 0, false
		for r := range s.flows[k] {
			s.flows[k][r] = zero
		}
		t := &s.auctions[k].Turn
		t.Run, t.Rounds, t.Contribution, t.Rand, t.Seat, t.Member = i, s.l, cfg.Contribution, s.rng, k, cfg.Members[k]
	}
	return c, nil
}

// rounds plays the rounds of run i, and reports whether the group halted the circle.
//
// When every strategy is a built-in one (compiled.light), none reads a position, so the
// positions are read only at the end: what the simulation itself needs after each close is
// what the member owes (Circle.Owed), the epoch of its last win and whether it holds a pot
// as a debt, which it follows from the round results and its own payments as the circle
// does (a pot won through the delinquent draw is a debt until a payment leaves the member
// owing nothing). The records are the same either way.
func (s *sim) rounds(c *rosca.Circle, i int, rec *CircleRecord) (bool, error) {
	cfg := s.c.cfg
	if !s.c.light {
		s.refresh(c)
	}
	for r := 1; r <= s.l; r++ {
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
		if w, ok := s.c.seats[res.Winner]; ok {
			if s.wins[w] == 0 {
				s.won[w], s.bid[w] = r, res.Bid
			}
			s.wins[w]++
			add(&s.fees[w], res.Fee)
			s.wonEpoch[w] = res.Epoch
			s.debt[w] = s.debt[w] || res.Debt
		}
		if !s.c.light {
			s.refresh(c)
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
	for k, m := range s.c.cfg.Members {
		s.auctions[k].Position, _ = c.Position(m)
	}
}

// pay runs the payment step of round r.
func (s *sim) pay(c *rosca.Circle, r int, at time.Time) {
	for k := range s.auctions {
		t := &s.auctions[k].Turn
		p := &t.Position
		t.Round = r
		owes := false
		if s.c.light {
			if !s.owedKnown[k] {
				t.Owed, _ = c.Owed(t.Member)
			}
			s.owedKnown[k] = false
			owes = t.Owed.IsPositive()
		} else {
			t.Owed = p.Balance.Asset().Zero()
			if owes = p.Balance.IsNegative(); owes {
				t.Owed = p.Balance.Neg()
			}
		}
		t.Behind = 0
		if s.behindSince[k] > 0 {
			t.Behind = r - s.behindSince[k]
		}
		x := s.c.payers[k].Pay(t)
		if x.IsPositive() && c.Contribute(at, t.Member, x) == nil {
			s.flows[k][r-1] = x.Neg() // the round's first flow
			// The member owes less by x: nothing when x covers what it owed, and then the
			// circle clears its debt flag.
			if owes = x.Cmp(t.Owed) < 0; !owes {
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
	s.order = s.order[:0]
	rs := c.Round()
	// Who may bid, as the circle stands now: not a winner of this epoch, not holding a pot as
	// a debt (a payment that leaves the member owing nothing clears it), square after its
	// payment.
	for k := range s.auctions {
		if s.wonEpoch[k] != rs.Epoch && !s.debt[k] && !s.owing[k] {
			s.order = append(s.order, k)
		}
	}
	if len(s.order) == 0 {
		return
	}
	s.rng.Shuffle(len(s.order), func(i, j int) { s.order[i], s.order[j] = s.order[j], s.order[i] })
	// The bounds of the valuations are the same for every member with the same Valuation:
	// computed once per distinct one in a row.
	var last Valuation
	var lo, hi token.Amount
	for i, k := range s.order {
		if v := s.c.values[k]; i == 0 || v != last {
			last = v
			lo, hi = v.bounds(rs.Pot)
		}
		s.values[k] = pick(s.rng, lo, hi, rs.MinBid)
	}
	for pass := 1; pass <= maxPasses; pass++ {
		bids := false
		for _, k := range s.order {
			a := &s.auctions[k]
			m := a.Member
			if rs.Leader == m {
				continue
			}
			a.Behind = 0
			a.Owed = rs.Pot.Asset().Zero()
			a.Pass, a.Pot, a.MinBid, a.MaxBid = pass, rs.Pot, rs.MinBid, rs.MaxBid
			a.LowestBid, a.Leader, a.Valuation = rs.LowestBid, rs.Leader, s.values[k]
			x, ok := s.c.bidders[k].Bid(a)
			if ok && c.Bid(at, m, x) == nil {
				bids = true
				rs = c.Round()
			}
		}
		if !bids {
			return
		}
	}
}

// enforce asks the group's enforcer whether to halt after round r of run i. The built-in
// enforcers read no position: the positions are copied for the user's own only.
func (s *sim) enforce(i, r int) bool {
	g := &s.group
	g.Run, g.Round, g.Rounds, g.Rand = i, r, s.l, s.rng
	switch s.c.enf.(type) {
	case Tolerate, HaltWhenBehind:
	default:
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
	return s.c.enf.Halt(g)
}

// withdrawAll lets every member with a positive balance withdraw it after round r. In light
// mode the balance is read only for the members who owe nothing (after a close, the winner;
// after the last, everyone who paid): the others' is negative.
func (s *sim) withdrawAll(c *rosca.Circle, r int, at time.Time) {
	for k := range s.auctions {
		p := &s.auctions[k].Position
		if s.c.light {
			// What the member owes now is what it owes when the next round opens: a member
			// who owes does not withdraw, one who owes nothing still owes nothing after.
			t := &s.auctions[k].Turn
			bal, _ := c.Balance(t.Member)
			t.Owed, s.owedKnown[k] = bal.Asset().Zero(), true
			if bal.IsNegative() {
				t.Owed = bal.Neg()
			}
			if !bal.IsPositive() {
				continue
			}
		} else if !p.Balance.IsPositive() {
			continue
		}
		if x, err := c.Withdraw(at, s.auctions[k].Member); err == nil {
			add(&s.flows[k][r-1], x)
			if !s.c.light {
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
		if k, ok := s.c.seats[l.Account]; ok {
			add(&s.flows[k][r-1], l.Paid)
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
	rec.Unclaimed = c.Totals().Cash
	out.members = slices.Grow(out.members[:0], s.n)[:s.n]
	s.refresh(c)
	for k := range s.auctions {
		p := &s.auctions[k].Position
		m := &out.members[k]
		*m = MemberRecord{Scenario: rec.Scenario, Run: rec.Run, Seat: k, Member: p.Member,
			Won: s.won[k], Wins: s.wins[k], Bid: s.bid[k], Contributed: p.Contributed,
			Withdrawn: p.Withdrawn, Fees: s.fees[k], Unpaid: zero, Owed: zero, Late: s.late[k]}
		m.Net, _ = m.Withdrawn.Sub(m.Contributed)
		// What the member was owed and not paid: the claim the circle wrote off at the end
		// to cover the defaulters (Position.Loss) and any positive balance left unpaid.
		if p.Loss.IsPositive() {
			add(&m.Unpaid, p.Loss)
		}
		switch {
		case p.Balance.IsPositive():
			add(&m.Unpaid, p.Balance)
		case p.Balance.IsNegative():
			m.Owed = p.Balance.Neg()
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
	out.circle = *rec
	return nil
}

// rates computes member k's rates of return from its flows of the closed rounds, as the
// scenario asks: its IRR, NPV and MIRR.
func (s *sim) rates(k, closed int, m *MemberRecord) error {
	sc := s.c.sc
	flows := s.flows[k][:closed]
	if len(flows) == 0 || sc.Digits == 0 && !sc.NPV {
		return nil
	}
	key, useMemo := s.memo.key(flows)
	if useMemo {
		if e, ok := s.memo.entries[string(key)]; ok {
			s.memo.hits++
			m.IRR, m.NPV, m.MIRR = e.irr, e.npv, e.mirr
			return nil
		}
	}
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
	memoTrial  = 2048
	memoMinHit = 4
)

// key returns the key of the flows, and false when the memo is off or a flow does not fit
// an int64 of minor units.
func (m *memo) key(flows []token.Amount) ([]byte, bool) {
	if m.off {
		return nil, false
	}
	m.lookups++
	if m.lookups == memoTrial && m.hits*memoMinHit < m.lookups {
		m.off, m.entries = true, nil
		return nil, false
	}
	m.buf = m.buf[:0]
	for _, x := range flows {
		u, ok := x.Int64Units()
		if !ok {
			return nil, false
		}
		m.buf = binary.LittleEndian.AppendUint64(m.buf, uint64(u))
	}
	return m.buf, true
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
