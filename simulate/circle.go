package simulate

import (
	"errors"
	"math/rand/v2"
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
	c    *compiled
	pcg  *rand.PCG
	rng  *rand.Rand
	n, l int

	behindSince, late, won, wins []int
	bid, fees, contributed       []token.Amount
	withdrawn, balance           []token.Amount
	flows                        [][]token.Amount // [seat][round-1], the member's net cash
	order                        []int
	pos                          []rosca.Position // the members' positions, kept current
	values                       []token.Amount
	turn                         Turn
	auction                      Auction
	group                        Group
	irrs                         map[string]rates.IRRResult // IRR is a pure function of the flows: a worker's memo
	key                          []byte
}

// maxMemo bounds a worker's memo of IRR results.
const maxMemo = 1 << 16

func newSim(c *compiled) *sim {
	s := &sim{c: c, pcg: rand.NewPCG(0, 0), n: len(c.cfg.Members), l: c.cfg.Rounds()}
	s.rng = rand.New(s.pcg)
	n := s.n
	s.behindSince, s.late, s.won, s.wins = make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	s.bid, s.fees, s.contributed = make([]token.Amount, n), make([]token.Amount, n), make([]token.Amount, n)
	s.withdrawn, s.balance = make([]token.Amount, n), make([]token.Amount, n)
	s.values = make([]token.Amount, n)
	s.flows = make([][]token.Amount, n)
	for i := range s.flows {
		s.flows[i] = make([]token.Amount, s.l)
	}
	s.order = make([]int, 0, n)
	s.pos = make([]rosca.Position, n)
	s.group.Behind = make([]int, n)
	s.irrs = make(map[string]rates.IRRResult)
	return s
}

// result is one run's records.
type result struct {
	circle  CircleRecord
	members []MemberRecord
}

// add sets *x to x + y (amounts of the circle's asset, far below the amount bound).
func add(x *token.Amount, y token.Amount) {
	if z, err := x.Add(y); err == nil {
		*x = z
	}
}

// sub sets *x to x - y.
func sub(x *token.Amount, y token.Amount) {
	if z, err := x.Sub(y); err == nil {
		*x = z
	}
}

// run simulates run i into out.
func (s *sim) run(i int, out *result) error {
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
	c, err := rosca.New(cfg)
	if err != nil {
		return causedBy("Run", i, ErrCircle, err)
	}
	zero := cfg.Asset.Zero()
	for k := range s.n {
		s.behindSince[k], s.late[k], s.won[k], s.wins[k] = 0, 0, 0, 0
		s.bid[k], s.fees[k], s.contributed[k], s.withdrawn[k] = zero, zero, zero, zero
		for r := range s.flows[k] {
			s.flows[k][r] = zero
		}
	}
	s.turn = Turn{Run: i, Rounds: s.l, Contribution: cfg.Contribution, Rand: s.rng}
	rec := CircleRecord{Scenario: s.c.sc.Name, Run: i, Kind: cfg.Kind, Members: s.n, Rounds: s.l,
		Fees: zero, Remainder: zero}
	halted := false
	s.refresh(c)
	pos := s.pos
	for r := 1; r <= s.l && !halted; r++ {
		at := cfg.Deadline(r - 1)
		s.pay(c, r, at, pos)
		if cfg.Kind == rosca.Bidding {
			s.bidding(c, r, at, pos)
		}
		now := cfg.Deadline(r)
		res, err := c.CloseRound(now)
		if err != nil {
			return causedBy("Run", i, ErrCircle, err)
		}
		rec.Closed = r
		if w, ok := s.c.seats[res.Winner]; ok {
			if s.wins[w] == 0 {
				s.won[w], s.bid[w] = r, res.Bid
			}
			s.wins[w]++
			add(&s.fees[w], res.Fee)
		}
		s.refresh(c)
		if s.enforce(r, pos) {
			halted = true
			if err := s.halt(c, r, now, &rec); err != nil {
				return causedBy("Run", i, ErrCircle, err)
			}
			break
		}
		s.withdrawAll(c, r, now, pos)
	}
	if !halted {
		if err := s.settle(c, &rec); err != nil {
			return causedBy("Run", i, ErrCircle, err)
		}
	}
	rec.Halted = halted
	return s.records(c, &rec, out)
}

// refresh reads every member's position into s.pos (without allocating).
func (s *sim) refresh(c *rosca.Circle) {
	for k, m := range s.c.cfg.Members {
		s.pos[k], _ = c.Position(m)
	}
}

// pay runs the payment step of round r.
func (s *sim) pay(c *rosca.Circle, r int, at time.Time, pos []rosca.Position) {
	t := &s.turn
	t.Round = r
	for k, p := range pos {
		t.Seat, t.Member, t.Position = k, p.Member, p
		t.Owed = p.Balance.Asset().Zero()
		if p.Balance.IsNegative() {
			t.Owed = p.Balance.Neg()
		}
		t.Behind = 0
		if s.behindSince[k] > 0 {
			t.Behind = r - s.behindSince[k]
		}
		bal := p.Balance
		x := s.c.payers[k].Pay(t)
		if x.IsPositive() && c.Contribute(at, p.Member, x) == nil {
			add(&s.contributed[k], x)
			sub(&s.flows[k][r-1], x)
			add(&bal, x)
			pos[k].Balance = bal
			add(&pos[k].Contributed, x)
		}
		s.balance[k] = bal
		if bal.IsNegative() {
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
func (s *sim) bidding(c *rosca.Circle, r int, at time.Time, pos []rosca.Position) {
	s.order = s.order[:0]
	for k, p := range pos {
		if !p.WonThisEpoch && !p.Debt && !s.balance[k].IsNegative() {
			s.order = append(s.order, k)
		}
	}
	if len(s.order) == 0 {
		return
	}
	s.rng.Shuffle(len(s.order), func(i, j int) { s.order[i], s.order[j] = s.order[j], s.order[i] })
	rs := c.Round()
	for _, k := range s.order {
		s.values[k] = s.c.values[k].draw(s.rng, rs.Pot, rs.MinBid)
	}
	a := &s.auction
	a.Turn = s.turn
	a.Round = r
	for pass := 1; pass <= maxPasses; pass++ {
		bids := false
		for _, k := range s.order {
			m := pos[k].Member
			if rs.Leader == m {
				continue
			}
			a.Seat, a.Member, a.Position, a.Behind = k, m, pos[k], 0
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

// enforce asks the group's enforcer whether to halt after round r.
func (s *sim) enforce(r int, pos []rosca.Position) bool {
	g := &s.group
	g.Run, g.Round, g.Rounds, g.Positions, g.Rand = s.turn.Run, r, s.l, pos, s.rng
	for k := range s.n {
		g.Behind[k] = 0
		if s.behindSince[k] > 0 {
			g.Behind[k] = r - s.behindSince[k] + 1
		}
	}
	return s.c.enf.Halt(g)
}

// withdrawAll lets every member with a positive balance withdraw it after round r.
func (s *sim) withdrawAll(c *rosca.Circle, r int, at time.Time, pos []rosca.Position) {
	for k, p := range pos {
		if !p.Balance.IsPositive() {
			continue
		}
		if x, err := c.Withdraw(at, p.Member); err == nil {
			add(&s.withdrawn[k], x)
			add(&s.flows[k][r-1], x)
			sub(&pos[k].Balance, x)
			add(&pos[k].Withdrawn, x)
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
			add(&s.withdrawn[k], l.Paid)
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
	out.members = out.members[:0]
	s.refresh(c)
	for k, p := range s.pos {
		m := MemberRecord{Scenario: rec.Scenario, Run: rec.Run, Seat: k, Member: p.Member,
			Won: s.won[k], Wins: s.wins[k], Bid: s.bid[k], Contributed: s.contributed[k],
			Withdrawn: s.withdrawn[k], Fees: s.fees[k], Unpaid: zero, Owed: zero, Late: s.late[k]}
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
		if s.c.sc.Digits > 0 {
			if err := s.rates(k, rec.Closed, &m); err != nil {
				return err
			}
		}
		out.members = append(out.members, m)
	}
	out.circle = *rec
	return nil
}

// rates computes member k's internal rates of return from its flows of the closed rounds.
func (s *sim) rates(k, closed int, m *MemberRecord) error {
	flows := s.flows[k][:closed]
	if len(flows) == 0 {
		return nil
	}
	s.key = s.key[:0]
	for _, x := range flows {
		s.key = append(x.AppendNumber(s.key), ',')
	}
	if res, ok := s.irrs[string(s.key)]; ok {
		m.IRR = res
		return nil
	}
	f, err := rates.NewFlows(flows...)
	if err != nil {
		return causedBy("Run", m.Run, ErrCircle, err)
	}
	res, err := rates.IRR(f, s.c.sc.Digits)
	if err == nil {
		if len(s.irrs) >= maxMemo {
			clear(s.irrs)
		}
		s.irrs[string(s.key)] = res
	}
	if err != nil {
		if errors.Is(err, rates.ErrAllZero) {
			return nil
		}
		return causedBy("Run", m.Run, ErrCircle, err)
	}
	m.IRR = res
	return nil
}
