package rosca

import (
	"fmt"
	"maps"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// move is a seat passed to another member: the account that held it, and where in the
// log and the rounds it passed.
type move struct {
	seat   int
	from   token.Account
	event  int // the index of its event
	closes int // the rounds closed before it
}

// accountAt returns the account that held seat at the log's event i.
func (c *Circle) accountAt(seat, i int) token.Account {
	if seat < 0 {
		return c.terms.cfg.Operator
	}
	for k := range c.moves {
		if mv := &c.moves[k]; mv.seat == seat && mv.event >= i {
			return mv.from
		}
	}
	return c.members[seat].acct
}

// accountAtClose returns the account that held seat at the close of round k (0-based).
func (c *Circle) accountAtClose(seat, k int) token.Account {
	for j := range c.moves {
		if mv := &c.moves[j]; mv.seat == seat && mv.closes > k {
			return mv.from
		}
	}
	return c.members[seat].acct
}

// TransferSeat passes from's seat to the account to, at time at, by their agreement (the
// command is from's): to takes over the seat's whole position (its contributions, dues,
// wins, shares, debts) and pays from settlement, outside the circle, which the log
// records. to must not be a member, and posts with the seat the collateral the rules ask
// of it (exactly that: [Circle.CollateralDue] of the seat), while from's collateral is
// returned to it; from's guarantors' pledges lapse, and its removal and bounty end with
// it (accelerated dues pass with the seat). The foreperson's seat does not pass.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrEnded], [ErrInvalidAmount] (a settlement or collateral that is not an
// amount of the circle's asset, or collateral above the rule), [ErrAlreadyMember],
// [ErrInsufficientSecurity], [ErrDeterrentOff] (the foreperson's seat).
func (c *Circle) TransferSeat(at time.Time, from, to token.Account, settlement, collateral token.Amount) error {
	const op = "TransferSeat"
	ns, i, err := c.memberCommand(op, at, from)
	if err != nil {
		return err
	}
	if from == c.terms.cfg.Foreperson {
		return c.deterrentOff(op, at, from, "transfer of the foreperson's seat")
	}
	s, err := c.nonNegative(op, from, at, settlement)
	if err != nil {
		return err
	}
	col, err := c.incoming(op, at, i, to, collateral)
	if err != nil {
		return err
	}
	c.passSeat(i, to, col)
	c.recordExtra(evSeatTransferred, ns, i, s, extra{party: to, third: col})
	c.moves[len(c.moves)-1].event = c.log.n - 1
	return nil
}

// Substitute puts the account to in the seat of from, a non-prized member, at time at, by
// the foreperson: a member that leaves, or one removed whose notice has passed. to pays in
// from's net contributions (contributed less withdrawn); the circle refunds them to from
// less the rules' [Deterrents.Deduction], rounded down, which it keeps for the
// foreperson (credited to its balance). to takes over the seat's position and posts its
// collateral as with [Circle.TransferSeat]. It returns the refund.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrTimeBackwards], [ErrNotMember],
// [ErrHalted], [ErrEnded], [ErrNotForeperson], [ErrAlreadyWon] (from is prized),
// [ErrInNotice], [ErrAlreadyMember], [ErrInvalidAmount], [ErrInsufficientSecurity],
// [ErrDeterrentOff] for the foreperson's seat.
func (c *Circle) Substitute(at time.Time, by, from, to token.Account, collateral token.Amount) (token.Amount, error) {
	const op = "Substitute"
	ns, i, err := c.memberCommand(op, at, from)
	if err != nil {
		return token.Amount{}, err
	}
	if err := c.byForeperson(op, at, by); err != nil {
		return token.Amount{}, err
	}
	m, t := &c.members[i], c.terms
	switch {
	case i == t.foreperson:
		return token.Amount{}, c.deterrentOff(op, at, from, "substitution of the foreperson")
	case m.wonEpoch == c.open.epoch:
		return token.Amount{}, &Error{Op: op, Account: from, At: at, Round: c.open.number, Err: ErrAlreadyWon,
			Detail: from.String() + " is prized; its seat passes only by agreement (TransferSeat)"}
	case m.rd().removed && ns <= m.rd().notice:
		return token.Amount{}, &Error{Op: op, Account: from, At: at, Round: c.open.number, Err: ErrInNotice,
			Detail: fmt.Sprintf("%s may be reinstated until %s", from, formatTime(time.Unix(0, m.rd().notice)))}
	}
	col, err := c.incoming(op, at, i, to, collateral)
	if err != nil {
		return token.Amount{}, err
	}
	net := m.contributed.monus(m.withdrawn)
	ded := t.cfg.Rules.Deterrents.Deduction
	d := net.frac(ded.Num(), ded.Den())
	refund := net.sub(d)
	c.books.wr().deductions = c.books.rd().deductions.add(d)
	fp := &c.members[t.foreperson]
	fp.won = fp.won.add(d)
	c.passSeat(i, to, col)
	c.recordExtra(evMemberSubstituted, ns, i, refund, extra{party: to, second: d, third: col})
	c.moves[len(c.moves)-1].event = c.log.n - 1
	return refund.amount(t.asset), nil
}

// nonNegative validates an amount of the circle's asset that may be zero.
func (c *Circle) nonNegative(op string, a token.Account, at time.Time, x token.Amount) (units, error) {
	if err := c.terms.asset.Check(x); err != nil {
		return units{}, &Error{Op: op, Account: a, Amount: x, At: at, Round: c.open.number, Err: wrapReason(ErrInvalidAmount, err),
			Detail: "want an amount of " + c.terms.asset.String() + ", zero or more"}
	}
	return amountUnits(x), nil
}

// incoming checks the account to that takes seat i and the collateral it posts.
func (c *Circle) incoming(op string, at time.Time, i int, to token.Account, collateral token.Amount) (units, error) {
	if to.Validate() != nil {
		return units{}, &Error{Op: op, Account: to, At: at, Round: c.open.number, Err: ErrInvalidConfig,
			Detail: fmt.Sprintf("%q is not an account", to)}
	}
	if _, ok := c.seatOf(to); ok || to == c.terms.cfg.Operator {
		return units{}, &Error{Op: op, Account: to, At: at, Round: c.open.number, Err: ErrAlreadyMember,
			Detail: to.String() + " has a seat or a role in the circle already"}
	}
	col, err := c.nonNegative(op, to, at, collateral)
	if err != nil {
		return units{}, err
	}
	a := c.terms.asset
	switch due := c.collateralDue(i); col.cmp(due) {
	case -1:
		return units{}, &Error{Op: op, Account: to, Amount: collateral, Limit: due.amount(a), At: at, Round: c.open.number,
			Err: ErrInsufficientSecurity, Detail: fmt.Sprintf("the seat asks %s of collateral", due.amount(a))}
	case 1:
		return units{}, &Error{Op: op, Account: to, Amount: collateral, Limit: due.amount(a), At: at, Round: c.open.number,
			Err: ErrInvalidAmount, Detail: fmt.Sprintf("the seat asks %s of collateral and no more", due.amount(a))}
	}
	return col, nil
}

// passSeat gives seat i to the account to, who posts collateral col: the outgoing
// member's collateral is returned, its pledges lapse, its removal and bounty
// end. The move's event index is set by the caller once the event is recorded.
func (c *Circle) passSeat(i int, to token.Account, col units) {
	m, b := &c.members[i], &c.books
	c.moves = append(c.moves, move{seat: i, from: m.acct, closes: len(c.closed)})
	c.returnCollateral(i)
	for k := range c.pledges {
		if c.pledges[k].seat == i {
			c.pledges[k].lapsed = true
		}
	}
	if c.index != nil {
		c.index = maps.Clone(c.index) // clones share the map
		delete(c.index, m.acct)
		c.index[to] = i
	}
	m.acct, m.wr().holder = to, ""
	m.wr().collateral = col
	b.wr().collateral, b.wr().collateralIn = b.rd().collateral.add(col), b.rd().collateralIn.add(col)
	m.wr().removed, m.wr().notice, m.wr().bounty = false, 0, false // the member's; its dues, accelerated or not, pass with the seat
}

// Members returns the accounts that hold the seats now, by seat: the config's members,
// with the seats passed since ([Circle.TransferSeat], [Circle.Substitute]) under their
// new members. It is nil for the zero Circle.
func (c *Circle) Members() []token.Account {
	if c.terms == nil {
		return nil
	}
	out := make([]token.Account, len(c.members))
	for i := range c.members {
		out[i] = c.members[i].acct
	}
	return out
}

// NextCircle returns the config of the circle that follows c, at an epoch boundary, with
// the members of c's seats less leave and, after them, join: the terms are c's (asset,
// kind, contribution, period, fee, rules, foreperson, operator), the pot C x the new
// number of seats, one epoch from start, drawing with seed. Members join and leave between
// circles this way; within a circle, seats pass with [Circle.TransferSeat] and
// [Circle.Substitute]. Each leaving member settles with c as every member does (withdraw,
// collateral back). The config is validated ([Config.Validate]).
//
// Errors: [ErrUninitialized]; [ErrNotEnded] before c's end (or after its halt);
// [ErrNotMember] for a leaving account that holds no seat; [ErrInvalidConfig] for a
// leaving foreperson, a joining member already in c, or a config that does not validate.
func (c *Circle) NextCircle(start time.Time, seed Seed, leave, join []token.Account) (Config, error) {
	const op = "NextCircle"
	if c.terms == nil {
		return Config{}, uninitialized(op)
	}
	if !c.ended || c.halted {
		return Config{}, &Error{Op: op, Round: c.open.number, Err: ErrNotEnded, Detail: "a circle follows one that ended"}
	}
	cfg := c.terms.cfg.clone()
	gone := make(map[token.Account]bool, len(leave))
	for _, a := range leave {
		switch _, ok := c.seatOf(a); {
		case !ok:
			return Config{}, &Error{Op: op, Account: a, Err: ErrNotMember}
		case a == cfg.Foreperson:
			return Config{}, cfgErr("Foreperson", "the foreperson runs the next circle; it does not leave", nil)
		}
		gone[a] = true
	}
	cfg.Members, cfg.Holders = cfg.Members[:0], nil
	var holders []token.Account
	tickets := false
	for i := range c.members {
		if m := &c.members[i]; !gone[m.acct] {
			cfg.Members = append(cfg.Members, m.acct)
			holders = append(holders, m.holder())
			tickets = tickets || m.holder() != m.acct
		}
	}
	for _, a := range join {
		if _, ok := c.seatOf(a); ok {
			return Config{}, cfgErr("Members", a.String()+" holds a seat already", nil)
		}
		cfg.Members = append(cfg.Members, a)
		holders = append(holders, a)
	}
	if tickets {
		cfg.Holders = holders
	}
	cfg.Start, cfg.Created, cfg.Epochs, cfg.Seed = start.UTC(), time.Time{}, 1, seed
	if len(cfg.Schedule) > len(cfg.Members) {
		cfg.Schedule = nil // a schedule for another number of seats
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}
