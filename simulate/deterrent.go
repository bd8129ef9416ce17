package simulate

import (
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// Stage is when the group's [Actor] acts: as the circle starts, after a round's close, or
// after the last round's close, when the circle has ended. The zero Stage is Closed.
type Stage uint8

// The stages.
const (
	// Closed: after the close of a round that is not the last, before the members withdraw.
	Closed Stage = iota
	// Joining: before round 1 opens its payments (Group.Round is 0), when members post
	// their collateral and guarantors pledge.
	Joining
	// Ended: after the last round's close, before the members withdraw and the foreperson
	// takes the fees and the remainder; the circle has ended, so every member who owes is
	// in default.
	Ended
)

// String returns the stage's name: "closed", "joining" or "ended".
func (s Stage) String() string {
	switch s {
	case Joining:
		return "joining"
	case Ended:
		return "ended"
	}
	return "closed"
}

// Actor is an [Enforcer] that also acts on defaults through the circle's deterrents
// ([rosca.Deterrents]): it posts collateral, pledges and pays as guarantors, removes,
// substitutes and accelerates, applies collateral, posts bounties and recovers. The
// simulation calls Act at every stage (see [Stage]): as the circle starts, after each close
// before it asks Halt, and after the last close. Act makes its commands through do, which
// knows the circle, the time and the roles (the foreperson's commands are the
// foreperson's) and records every flow in the members' records; a command the circle
// refuses returns its error and changes nothing, so that Act may ignore it. Like every
// strategy, an Actor serves many circles at once and must not change its own fields: what
// it needs of a run is in the Group and the circle (do).
//
// The group acts through Actions, not on the circle itself, because the simulation must
// see every payment to keep each member's cash flows, its own account of what members owe
// and its records exact, and because commands that move the rounds (contributions,
// withdrawals, closes) are the members' and the simulation's, not the group's.
type Actor interface {
	Enforcer
	Act(g *Group, do *Actions)
}

// Enforcers are several enforcers as one: Halt halts when any of them does, Act runs the
// actors among them in order. The zero Enforcers (nil) is Tolerate.
type Enforcers []Enforcer

// Halt reports whether any of the enforcers halts.
func (es Enforcers) Halt(g *Group) bool {
	for _, e := range es {
		if e != nil && e.Halt(g) {
			return true
		}
	}
	return false
}

// Act runs Act of every actor among the enforcers, in order.
func (es Enforcers) Act(g *Group, do *Actions) {
	for _, e := range es {
		if a, ok := e.(Actor); ok {
			a.Act(g, do)
		}
	}
}

// acts reports whether some enforcer of es acts.
func (es Enforcers) acts() bool {
	for _, e := range es {
		switch e := e.(type) {
		case Enforcers:
			if e.acts() {
				return true
			}
		case Actor:
			return true
		}
	}
	return false
}

// Collateral is the members who post the collateral the rules ask ([rosca.Collateral]):
// as the circle starts, every member posts what [rosca.Circle.CollateralDue] asks of it,
// except a share Skip of them drawn at random (each member skips with probability Skip);
// after a round's close, its winner posts what the rules then ask of it (the security of
// the security form), skipping with the same probability. Collateral posted is the
// member's payment; the circle holds it apart from its cash and returns it after the end
// to a member who owes nothing. The zero Collateral has every member post it.
type Collateral struct {
	Skip token.Ratio
}

// Halt returns false.
func (Collateral) Halt(*Group) bool { return false }

// Act posts the collateral as described at [Collateral].
func (cl Collateral) Act(g *Group, do *Actions) {
	if g == nil || do.ok() != nil || do.s.c.cfg.Rules.Deterrents.Collateral.Form == rosca.CollateralNone {
		return
	}
	post := func(k int) {
		due, held, err := do.CollateralDue(k)
		if err != nil || due.Cmp(held) <= 0 || chance(g.Rand, cl.Skip) {
			return
		}
		if x, err := due.Sub(held); err == nil {
			_ = do.PostCollateral(k, x)
		}
	}
	switch {
	case g.Stage == Joining:
		for k := range do.s.n {
			post(k)
		}
	case g.Stage == Closed && g.Winner >= 0:
		post(g.Winner)
	}
}

// Guarantors gives every member a guarantor, an account of the simulation ("guarantor:"
// and the member's account), who pledges as the circle starts to answer for it up to
// Limit (the zero Amount: the member's dues over the whole circle, C x rounds) and, after
// a close at which the member has been behind for Rounds rounds in a row (below 1 count
// as 1), pays everything it owes then, within what the pledge has left, unless it fails
// to, with probability Fail. After the end it pays for a defaulter in the same way, which
// gives back the claims written off to the members who bore the loss. A guarantor's
// payment counts as the member's in the circle, but is not the member's money: it is no
// cash flow of the member's (see [MemberRecord.GuarantorPaid]). A member that replaced
// another has no guarantor. The zero Guarantors answer for everything and pay after one
// missed payment, always.
type Guarantors struct {
	Limit  token.Amount
	Rounds int
	Fail   token.Ratio
}

// Halt returns false.
func (Guarantors) Halt(*Group) bool { return false }

// Act pledges and pays as described at [Guarantors].
func (gs Guarantors) Act(g *Group, do *Actions) {
	if g == nil || do.ok() != nil {
		return
	}
	s := do.s
	limit := gs.Limit
	if !limit.IsValid() {
		var err error
		if limit, err = s.c.cfg.Contribution.Mul(int64(s.l)); err != nil {
			return
		}
	}
	if g.Stage == Joining {
		for k := range s.n {
			_ = do.Pledge(k, s.c.guarantors[k], limit)
		}
		return
	}
	rounds := max(gs.Rounds, 1)
	for k := range s.n {
		if k >= len(g.Behind) || g.Behind[k] < rounds || s.det[k].substituted > 0 {
			continue
		}
		owed, err := do.Owed(k)
		if err != nil || !owed.IsPositive() || chance(g.Rand, gs.Fail) {
			continue
		}
		left, err := limit.Sub(s.det[k].guarantor)
		if err != nil || !left.IsPositive() {
			continue
		}
		if owed.Cmp(left) > 0 {
			owed = left
		}
		_ = do.PayAsGuarantor(k, s.c.guarantors[k], owed)
	}
}

// Replace removes, after a round's close, every member the rules let the foreperson
// remove ([rosca.Deterrents.RemoveAfter]: a member that has not won in the epoch, in
// arrears of at least that many rounds' contributions beyond the open round's), and once
// the rules' notice has passed without the member paying up (which reinstates it),
// substitutes a fresh member for it ([rosca.Circle.Substitute]): the seat's account
// followed by "~" and a number, who pays in the leaving member's net contributions (the
// circle refunds them, less the rules' deduction), posts the seat's collateral and takes
// over its position, arrears included, and pays from then on as Payer (nil: OnTime). It
// does nothing under rules without removal. The zero Replace substitutes members who pay
// on time.
type Replace struct {
	Payer Payer
}

// Halt returns false.
func (Replace) Halt(*Group) bool { return false }

// Act removes and substitutes as described at [Replace].
func (rp Replace) Act(g *Group, do *Actions) {
	if g == nil || g.Stage != Closed || do.ok() != nil {
		return
	}
	s := do.s
	d := &s.c.cfg.Rules.Deterrents
	if d.RemoveAfter == 0 {
		return
	}
	for k := range s.n {
		if k >= len(g.Behind) || s.auctions[k].Member == s.c.cfg.Foreperson {
			continue
		}
		removed := s.det[k].removed > s.det[k].substituted
		if !removed && g.Behind[k] < d.RemoveAfter {
			continue // not in arrears of RemoveAfter rounds: not removable
		}
		p, err := do.Position(k)
		switch {
		case err != nil:
		case p.Removed && g.At.After(s.det[k].removedAt.Add(time.Duration(d.Notice))):
			_, _ = do.Substitute(k, do.Fresh(k), rp.Payer)
		case !p.Removed && !p.WonThisEpoch && removable(p.Balance, s.c.cfg.Contribution, d.RemoveAfter):
			_ = do.Remove(k)
		}
	}
}

// removable reports whether a member of balance b owes, beyond the open round's
// contribution c, at least after rounds' contributions, as removal asks.
func removable(b, c token.Amount, after int) bool {
	need, err := c.Mul(int64(after) + 1)
	return err == nil && b.IsNegative() && b.Neg().Cmp(need) >= 0
}

// Accelerate demands at once, after a round's close, all the future dues of a prized
// member (one that won in the epoch) that has been behind for Rounds rounds in a row
// (below 1 count as 1), where the rules allow it ([rosca.Deterrents.Accelerate]), and then
// applies the collateral it holds to what it owes: the member is in default from then on,
// so that its collateral, its guarantors and a recovery answer for the dues before the end.
// The zero Accelerate accelerates at the first missed payment.
type Accelerate struct {
	Rounds int
}

// Halt returns false.
func (Accelerate) Halt(*Group) bool { return false }

// Act accelerates as described at [Accelerate].
func (ac Accelerate) Act(g *Group, do *Actions) {
	if g == nil || g.Stage != Closed || do.ok() != nil || !do.s.c.cfg.Rules.Deterrents.Accelerate {
		return
	}
	rounds := max(ac.Rounds, 1)
	for k := range do.s.n {
		if k >= len(g.Behind) || g.Behind[k] < rounds || do.s.det[k].accelerated > 0 {
			continue
		}
		p, err := do.Position(k)
		if err != nil || !p.WonThisEpoch || p.Accelerated {
			continue
		}
		if _, err := do.Accelerate(k); err == nil && p.Collateral.IsPositive() {
			_, _ = do.ApplyCollateral(k)
		}
	}
}

// Recover pursues the members in default after the end: it applies the collateral each
// holds to what it owes, and, where the rules have a recovery bounty ([rosca.Bounty]),
// posts the bounty on what is still owed and has a collector (the simulation's account
// "collector") recover all of it, unless the recovery fails, with probability Fail. What
// is recovered is the member's money (its payment in the last round); the bounty is paid
// to the collector out of it or out of the fee reserve, as the rules say (a bounty paid out
// of the recovered funds is still owed by the member, and lost by its creditors). The zero
// Recover recovers every debt in full.
type Recover struct {
	Fail token.Ratio
}

// Halt returns false.
func (Recover) Halt(*Group) bool { return false }

// Act applies collateral and recovers as described at [Recover].
func (rc Recover) Act(g *Group, do *Actions) {
	if g == nil || g.Stage != Ended || do.ok() != nil {
		return
	}
	bounty := !do.s.c.cfg.Rules.Deterrents.Bounty.IsZero()
	for k := range do.s.n {
		owed, err := do.Owed(k)
		if err != nil || !owed.IsPositive() {
			continue
		}
		if _, held, err := do.CollateralDue(k); err == nil && held.IsPositive() {
			_, _ = do.ApplyCollateral(k)
			if owed, err = do.Owed(k); err != nil || !owed.IsPositive() {
				continue
			}
		}
		if !bounty || do.PostBounty(k) != nil || chance(g.Rand, rc.Fail) {
			continue
		}
		_, _ = do.Recover(k, collector, owed)
	}
}

// collector is the account of the built-in collector of recoveries.
const collector token.Account = "collector"

// Actions are the deterrent commands an [Actor] makes on one circle, by seat (a seat keeps
// its index when a fresh member takes it over), at the time of the stage: the round's
// start as the circle starts, the round's deadline after a close. The foreperson's
// commands are made as the foreperson. Each returns the circle's error for a command it
// refuses ([rosca.Error], matched with errors.Is against rosca's reasons; a seat out of
// range is rosca.ErrNotMember), which changes nothing. What they move is recorded in the
// members' records and cash flows, in the round just closed (round 1 as the circle
// starts). The simulation makes the Actions for one call of Act: the actor must not keep
// them. The zero Actions refuse every command with rosca.ErrUninitialized and read nothing.
type Actions struct {
	s  *sim
	c  *rosca.Circle
	at time.Time
	r  int // the round whose flows the money joins
}

// ok returns nil when a holds a circle.
func (a *Actions) ok() error {
	if a == nil || a.s == nil || a.c == nil {
		return &Error{Op: "Actions", Err: rosca.ErrUninitialized}
	}
	return nil
}

// member returns the account of seat k.
func (a *Actions) member(op string, k int) (token.Account, error) {
	if err := a.ok(); err != nil {
		return "", err
	}
	if k < 0 || k >= a.s.n {
		return "", &Error{Op: op, Detail: "seat " + strconv.Itoa(k) + " of " + strconv.Itoa(a.s.n), Err: rosca.ErrNotMember}
	}
	return a.s.auctions[k].Member, nil
}

// Seats returns the number of seats (0 for the zero Actions).
func (a *Actions) Seats() int {
	if a.ok() != nil {
		return 0
	}
	return a.s.n
}

// At returns the time of the commands (the zero Time for the zero Actions).
func (a *Actions) At() time.Time {
	if a.ok() != nil {
		return time.Time{}
	}
	return a.at
}

// Account returns the account that holds seat k now ("" for a seat out of range).
func (a *Actions) Account(k int) token.Account {
	m, _ := a.member("Account", k)
	return m
}

// Position returns the position of seat k's member ([rosca.Circle.Position]).
func (a *Actions) Position(k int) (rosca.Position, error) {
	m, err := a.member("Position", k)
	if err != nil {
		return rosca.Position{}, err
	}
	return a.c.Position(m)
}

// Owed returns what seat k's member owes now ([rosca.Circle.Owed]): its late fees and
// accelerated dues included.
func (a *Actions) Owed(k int) (token.Amount, error) {
	m, err := a.member("Owed", k)
	if err != nil {
		return token.Amount{}, err
	}
	return a.c.Owed(m)
}

// CollateralDue returns the collateral the rules ask of seat k's member now and what it
// holds posted ([rosca.Circle.CollateralDue]).
func (a *Actions) CollateralDue(k int) (due, held token.Amount, err error) {
	m, err := a.member("CollateralDue", k)
	if err != nil {
		return token.Amount{}, token.Amount{}, err
	}
	return a.c.CollateralDue(m)
}

// changed notes a command that changed seat k's standing: the simulation reads again
// whether a member holding a pot as a debt still does (a payment for it may clear it; no
// command makes a debt, which only a close does).
func (a *Actions) changed(k int) {
	s := a.s
	s.acted = true
	if !s.debt[k] {
		return
	}
	if p, err := a.c.Position(s.auctions[k].Member); err == nil {
		s.debt[k] = p.Debt
	}
}

// PostCollateral posts amount of collateral for seat k's member, its own money: a payment
// in its cash flows ([rosca.Circle.PostCollateral]).
func (a *Actions) PostCollateral(k int, amount token.Amount) error {
	m, err := a.member("PostCollateral", k)
	if err != nil {
		return err
	}
	if err := a.c.PostCollateral(a.at, m, amount); err != nil {
		return err
	}
	add(&a.s.det[k].posted, amount)
	a.s.addFlow(k, a.r, amount.Neg())
	a.changed(k)
	return nil
}

// Pledge records guarantor's pledge to answer for seat k's member up to limit
// ([rosca.Circle.Pledge]).
func (a *Actions) Pledge(k int, guarantor token.Account, limit token.Amount) error {
	m, err := a.member("Pledge", k)
	if err != nil {
		return err
	}
	if err := a.c.Pledge(a.at, guarantor, m, limit); err != nil {
		return err
	}
	a.s.acted = true
	return nil
}

// PayAsGuarantor pays amount for seat k's member under guarantor's pledge
// ([rosca.Circle.PayAsGuarantor]): no flow of the member's own.
func (a *Actions) PayAsGuarantor(k int, guarantor token.Account, amount token.Amount) error {
	m, err := a.member("PayAsGuarantor", k)
	if err != nil {
		return err
	}
	if err := a.c.PayAsGuarantor(a.at, guarantor, m, amount); err != nil {
		return err
	}
	add(&a.s.det[k].guarantor, amount)
	a.changed(k)
	return nil
}

// Accelerate demands at once all the future dues of seat k's member, prized and in
// arrears, as the foreperson ([rosca.Circle.Accelerate]); it returns the dues brought
// forward.
func (a *Actions) Accelerate(k int) (token.Amount, error) {
	m, err := a.member("Accelerate", k)
	if err != nil {
		return token.Amount{}, err
	}
	x, err := a.c.Accelerate(a.at, a.s.c.cfg.Foreperson, m)
	if err != nil {
		return token.Amount{}, err
	}
	a.s.det[k].accelerated = a.r
	a.changed(k)
	return x, nil
}

// ApplyCollateral applies seat k's member's collateral to what it owes, the member being in
// default ([rosca.Circle.ApplyCollateral]); it returns the amount applied. The collateral
// was the member's payment when posted: applying it moves no more of its money.
func (a *Actions) ApplyCollateral(k int) (token.Amount, error) {
	m, err := a.member("ApplyCollateral", k)
	if err != nil {
		return token.Amount{}, err
	}
	x, err := a.c.ApplyCollateral(a.at, a.s.c.cfg.Foreperson, m)
	if err != nil {
		return token.Amount{}, err
	}
	add(&a.s.det[k].applied, x)
	a.changed(k)
	return x, nil
}

// PostBounty posts the rules' recovery bounty on seat k's member's debt, as the
// foreperson ([rosca.Circle.PostBounty]).
func (a *Actions) PostBounty(k int) error {
	m, err := a.member("PostBounty", k)
	if err != nil {
		return err
	}
	if err := a.c.PostBounty(a.at, a.s.c.cfg.Foreperson, m); err != nil {
		return err
	}
	a.s.acted = true
	return nil
}

// Recover records amount recovered from seat k's member by collector, who is paid the
// bounty posted on it ([rosca.Circle.Recover]): the member's money, a payment in its cash
// flows. It returns the bounty.
func (a *Actions) Recover(k int, collector token.Account, amount token.Amount) (token.Amount, error) {
	m, err := a.member("Recover", k)
	if err != nil {
		return token.Amount{}, err
	}
	b, err := a.c.Recover(a.at, collector, m, amount)
	if err != nil {
		return token.Amount{}, err
	}
	d := &a.s.det[k]
	add(&d.recovered, amount)
	add(&d.bounty, b)
	if a.s.c.cfg.Rules.Deterrents.Bounty.Pool == rosca.BountyFromFees {
		add(&d.feeBounty, b)
	}
	a.s.addFlow(k, a.r, amount.Neg())
	a.changed(k)
	return b, nil
}

// Remove removes seat k's member, not prized and in arrears, as the foreperson
// ([rosca.Circle.Remove]).
func (a *Actions) Remove(k int) error {
	m, err := a.member("Remove", k)
	if err != nil {
		return err
	}
	if err := a.c.Remove(a.at, a.s.c.cfg.Foreperson, m); err != nil {
		return err
	}
	d := &a.s.det[k]
	d.removed, d.removedAt = a.r, a.at
	a.changed(k)
	return nil
}

// Fresh returns an account for a member to take seat k over: the seat's account in the
// scenario followed by "~" and the first number that names no member of the circle (""
// for a seat out of range).
func (a *Actions) Fresh(k int) token.Account {
	if _, err := a.member("Fresh", k); err != nil {
		return ""
	}
	base := string(a.s.c.cfg.Members[k])
	if len(base) > token.MaxAccountLength-12 {
		base = base[:token.MaxAccountLength-12]
	}
	for i := 1; ; i++ {
		to := token.Account(base + "~" + strconv.Itoa(i))
		if _, taken := a.s.seat(to); !taken && to != a.s.c.cfg.Operator && to != collector {
			return to
		}
	}
}

// Substitute puts the account to in seat k, as the foreperson, in place of a member that
// has not won in the epoch, removed and past its notice or leaving
// ([rosca.Circle.Substitute]): to posts the collateral the seat asks and pays in the
// leaving member's net contributions, which the circle refunds to it less the rules'
// deduction, and pays from then on as p (nil: OnTime). It returns the refund. The seat's
// records follow both members: the refund is a receipt, the pay-in a payment, so the seat
// pays the deduction; the leaving member's collateral, returned, is a receipt and the
// incoming member's a payment.
func (a *Actions) Substitute(k int, to token.Account, p Payer) (token.Amount, error) {
	m, err := a.member("Substitute", k)
	if err != nil {
		return token.Amount{}, err
	}
	s := a.s
	before, err := a.c.Position(m)
	if err != nil {
		return token.Amount{}, err
	}
	due, _, err := a.c.CollateralDue(m)
	if err != nil {
		return token.Amount{}, err
	}
	if !due.IsValid() {
		due = s.c.cfg.Asset.Zero()
	}
	refund, err := a.c.Substitute(a.at, s.c.cfg.Foreperson, m, to, due)
	if err != nil {
		return token.Amount{}, err
	}
	net := before.Contributed
	sub(&net, before.Withdrawn)
	if net.IsNegative() {
		net = s.c.cfg.Asset.Zero()
	}
	ded := net
	sub(&ded, refund)
	d := &s.det[k]
	d.substituted, d.left = a.r, m
	add(&d.refund, refund)
	add(&d.deduction, ded)
	s.addFlow(k, a.r, ded.Neg())
	if before.Collateral.IsPositive() {
		add(&d.returned, before.Collateral)
		s.addFlow(k, a.r, before.Collateral)
	}
	if due.IsPositive() {
		add(&d.posted, due)
		s.addFlow(k, a.r, due.Neg())
	}
	s.moved = true
	s.auctions[k].Member = to
	s.behindSince[k] = 0
	s.setPayer(k, p)
	a.changed(k)
	return refund, nil
}

// deterred is what the deterrents moved of one seat in a run.
type deterred struct {
	posted, applied, returned, guarantor token.Amount
	recovered, bounty, feeBounty         token.Amount
	refund, deduction                    token.Amount
	removed, accelerated, substituted    int // the rounds (0: never)
	removedAt                            time.Time
	left                                 token.Account
}
