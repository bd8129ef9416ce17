package formation

import (
	"iter"
	"slices"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/internal/cmderr"
	"github.com/trustcircle/trustcircle/reputation"
	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// Proposal is a circle in formation: terms an organiser proposed, the invited members'
// answers, and an event log of every accepted command. It is made by [Propose] (or
// rebuilt by [Replay]) and ends started, withdrawn or abandoned. A rejected command
// returns an [*Error] and changes nothing.
//
// The zero Proposal is no proposal: every command returns an [*Error] wrapping
// [ErrUninitialized], and its queries report nothing (no seats, no events, the zero
// State).
//
// Queries (every method but Accept, Decline, Reinvite, Withdraw, Start and Abandon) only
// read: they may be called concurrently by many readers. Commands need exclusive access.
type Proposal struct {
	terms  Terms
	digest Digest
	seats  []Seat
	index  map[token.Account]int
	state  State
	last   time.Time
	events []Event
}

// roleSource answers the roles question for a member (join) or the organiser: the roles
// it holds, or why the rule refuses it.
type roleSource func(op string, a token.Account, join bool) (roles.Set, error)

// liveRoles asks the directory, with MayJoinCircle and MayOrganiseCircle.
func liveRoles(dir *roles.Directory) roleSource {
	return func(op string, a token.Account, join bool) (roles.Set, error) {
		if dir == nil {
			return 0, &Error{Op: op, Account: a, Detail: "the admission rule requires a role and no roles directory was given", Err: ErrNotAdmitted}
		}
		ask := dir.MayOrganiseCircle
		if join {
			ask = dir.MayJoinCircle
		}
		if err := ask(a); err != nil {
			detail, reason := cmderr.Because(ErrNotAdmitted, err)
			return 0, &Error{Op: op, Account: a, Detail: detail, Err: reason}
		}
		return dir.Roles(a), nil
	}
}

// recordedRoles asks the same questions of a directory holding only the roles an event
// recorded, so that replay derives the decision again.
func recordedRoles(set roles.Set) roleSource {
	return func(op string, a token.Account, join bool) (roles.Set, error) {
		dir := roles.NewDirectory()
		if !set.Valid() {
			return 0, &Error{Op: op, Account: a, Detail: "unknown role bits", Err: ErrInvalidLog}
		}
		if err := dir.Grant(time.Unix(0, 0), a, set.Roles()...); err != nil {
			return 0, err
		}
		return liveRoles(dir)(op, a, join)
	}
}

// Propose records the organiser's proposal of the terms at time at and returns the
// proposal, open, every seat invited. The organiser is t.Config.Foreperson, itself a seat
// that must accept like the others. When the admission rule requires a role, dir is asked
// whether the organiser may organise a circle (roles.Directory.MayOrganiseCircle) and its
// roles are recorded; dir is not otherwise used and may be nil.
//
// Errors: [token.ErrInvalidTime], [ErrInvalidTerms] (matching rosca.ErrInvalidConfig for a
// config rosca refuses), [ErrNotAdmitted] (matching roles.ErrNotPermitted).
func Propose(at time.Time, t Terms, dir *roles.Directory) (*Proposal, error) {
	e, err := propose("Propose", at, t, liveRoles(dir))
	if err != nil {
		return nil, err
	}
	p := &Proposal{}
	p.apply(e)
	return p, nil
}

// propose checks a proposal and returns its event.
func propose(op string, at time.Time, t Terms, rs roleSource) (Event, error) {
	t = t.clone()
	at, err := cmderr.CheckTime(op, t.Config.Foreperson, at)
	if err != nil {
		return Event{}, err
	}
	d, err := t.check(op, at)
	if err != nil {
		return Event{}, err
	}
	e := Event{Kind: EventProposed, At: at, Account: t.Config.Foreperson, Terms: d, Config: t.Config, Admission: t.Admission, Deadline: t.Deadline}
	if t.Admission.RequireRole {
		if e.Roles, err = rs(op, e.Account, false); err != nil {
			return Event{}, err
		}
	}
	return e, nil
}

// guard checks what every command on an open proposal needs: a proposal, a time in range,
// not before the last event and (unless abandoning) before the deadline.
func (p *Proposal) guard(op string, a token.Account, at time.Time, abandon bool) (time.Time, error) {
	if p == nil || p.state == "" {
		return time.Time{}, &Error{Op: op, Account: a, Err: ErrUninitialized}
	}
	at, err := cmderr.CheckTime(op, a, at)
	if err != nil {
		return time.Time{}, err
	}
	fail := func(reason error, detail string) (time.Time, error) {
		return time.Time{}, &Error{Op: op, Account: a, At: at, Detail: detail, Err: reason}
	}
	deadline := p.terms.Deadline.Format(time.RFC3339Nano)
	switch {
	case p.state != Open:
		return fail(ErrClosed, "the proposal is "+string(p.state))
	case at.Before(p.last):
		return fail(ErrTimeBackwards, "the last event is at "+p.last.Format(time.RFC3339Nano))
	case abandon && at.Before(p.terms.Deadline):
		return fail(ErrBeforeDeadline, "the deadline is "+deadline)
	case !abandon && !at.Before(p.terms.Deadline):
		return fail(ErrPastDeadline, "the deadline was "+deadline)
	}
	return at, nil
}

// seat returns the index of a's seat, or an error wrapping [ErrNotInvited].
func (p *Proposal) seat(op string, a token.Account, at time.Time) (int, error) {
	if err := cmderr.CheckAccount(op, a); err != nil {
		return 0, err
	}
	i, ok := p.index[a]
	if !ok {
		return 0, &Error{Op: op, Account: a, At: at, Detail: string(a) + " holds no seat", Err: ErrNotInvited}
	}
	return i, nil
}

// Accept records the member's acceptance of the terms in force at time at, with the
// evidence the admission rule asks for, checked against the rule: a reputation of at
// least the minimum (reputation.MeetsMinimum), the role (dir is asked
// roles.Directory.MayJoinCircle and the member's roles are recorded; dir may be nil when
// the rule requires no role), a guarantor with a positive pledge, a collateral of at least
// the one required. The guarantor's pledge and the collateral are recorded as commitments:
// nothing is charged.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrClosed], [ErrTimeBackwards],
// [ErrPastDeadline], [token.ErrInvalidAccount], [ErrNotInvited], [ErrAlreadyAccepted],
// [ErrDeclined], [ErrTermsMismatch], [ErrInvalidEvidence], [ErrNotAdmitted].
func (p *Proposal) Accept(at time.Time, a Acceptance, dir *roles.Directory) error {
	e, err := p.accept("Accept", at, a, liveRoles(dir))
	if err != nil {
		return err
	}
	p.apply(e)
	return nil
}

func (p *Proposal) accept(op string, at time.Time, a Acceptance, rs roleSource) (Event, error) {
	at, err := p.guard(op, a.Member, at, false)
	if err != nil {
		return Event{}, err
	}
	i, err := p.seat(op, a.Member, at)
	if err != nil {
		return Event{}, err
	}
	fail := func(reason error, detail string) (Event, error) {
		return Event{}, &Error{Op: op, Account: a.Member, At: at, Detail: detail, Err: reason}
	}
	switch p.seats[i].Answer {
	case Accepted:
		return fail(ErrAlreadyAccepted, "seat "+strconv.Itoa(i)+" has accepted the terms in force")
	case Declined:
		return fail(ErrDeclined, "seat "+strconv.Itoa(i)+" declined")
	}
	if a.Terms != p.digest {
		return fail(ErrTermsMismatch, "accepts terms "+a.Terms.String()+"; the terms in force are "+p.digest.String())
	}
	a.Collateral = zeroAsNone(a.Collateral)
	if err := p.checkEvidence(op, at, a); err != nil {
		return Event{}, err
	}
	e := Event{Kind: EventAccepted, At: at, Account: a.Member, Seat: i, Terms: p.digest,
		Reputation: a.Reputation, Guarantor: a.Guarantor, Pledge: a.Pledge, Collateral: a.Collateral}
	if p.terms.Admission.RequireRole {
		if e.Roles, err = rs(op, a.Member, true); err != nil {
			return Event{}, withAt(err, at)
		}
	}
	return e, nil
}

// zeroAsNone returns the zero Amount for any zero amount.
func zeroAsNone(x token.Amount) token.Amount {
	if x.IsZero() {
		return token.Amount{}
	}
	return x
}

// withAt sets the time of an [*Error] (a copy).
func withAt(err error, at time.Time) error {
	if e, ok := err.(*Error); ok {
		c := *e
		c.At = at
		return &c
	}
	return err
}

// refuse returns the [*Error] for op wrapping reason, and cause when it is not nil (its
// detail appended to detail).
func refuse(op string, a token.Account, at time.Time, reason *fault.Reason, detail string, cause error) error {
	var err error = reason
	if cause != nil {
		var d string
		d, err = cmderr.Because(reason, cause)
		detail += d
	}
	return &Error{Op: op, Account: a, At: at, Detail: detail, Err: err}
}

// checkEvidence checks an acceptance's evidence: first that it is well formed
// ([ErrInvalidEvidence]), then that the admission rule admits it ([ErrNotAdmitted]).
func (p *Proposal) checkEvidence(op string, at time.Time, a Acceptance) error {
	asset, rule, m := p.terms.Config.Asset, p.terms.Admission, a.Member
	if err := reputation.MeetsMinimum(a.Reputation, 0); err != nil {
		return refuse(op, m, at, ErrInvalidEvidence, "reputation: ", err)
	}
	switch {
	case a.Guarantor == "" && a.Pledge.IsValid():
		return refuse(op, m, at, ErrInvalidEvidence, "a pledge without a guarantor", nil)
	case a.Guarantor == m:
		return refuse(op, m, at, ErrInvalidEvidence, string(m)+" cannot guarantee itself", nil)
	case a.Guarantor != "":
		if err := a.Guarantor.Validate(); err != nil {
			return refuse(op, m, at, ErrInvalidEvidence, "guarantor: ", err)
		}
		if err := asset.CheckPositive(a.Pledge); err != nil {
			return refuse(op, m, at, ErrInvalidEvidence, "pledge: ", err)
		}
	}
	if a.Collateral.IsValid() {
		if err := asset.Check(a.Collateral); err != nil {
			return refuse(op, m, at, ErrInvalidEvidence, "collateral: ", err)
		}
	}
	if err := reputation.MeetsMinimum(a.Reputation, rule.MinReputation); err != nil {
		return refuse(op, m, at, ErrNotAdmitted, "", err)
	}
	if rule.RequireGuarantor && a.Guarantor == "" {
		return refuse(op, m, at, ErrNotAdmitted, "the admission rule requires a guarantor", nil)
	}
	if rule.Collateral.IsValid() && (!a.Collateral.IsValid() || a.Collateral.Cmp(rule.Collateral) < 0) {
		return &Error{Op: op, Account: m, At: at, Amount: a.Collateral, Limit: rule.Collateral,
			Detail: "the admission rule requires a collateral of at least " + rule.Collateral.String(), Err: ErrNotAdmitted}
	}
	return nil
}

// Decline records at time at that the member declines the terms. A member that has
// accepted may decline until the start (its acceptance and evidence are dropped). The
// organiser cannot decline: it withdraws the proposal.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrClosed], [ErrTimeBackwards],
// [ErrPastDeadline], [token.ErrInvalidAccount], [ErrNotInvited], [ErrOrganiserSeat],
// [ErrDeclined].
func (p *Proposal) Decline(at time.Time, member token.Account) error {
	e, err := p.decline("Decline", at, member)
	if err != nil {
		return err
	}
	p.apply(e)
	return nil
}

func (p *Proposal) decline(op string, at time.Time, m token.Account) (Event, error) {
	at, err := p.guard(op, m, at, false)
	if err != nil {
		return Event{}, err
	}
	i, err := p.seat(op, m, at)
	if err != nil {
		return Event{}, err
	}
	switch {
	case m == p.terms.Config.Foreperson:
		return Event{}, refuse(op, m, at, ErrOrganiserSeat, "the organiser withdraws the proposal instead", nil)
	case p.seats[i].Answer == Declined:
		return Event{}, refuse(op, m, at, ErrDeclined, "seat "+strconv.Itoa(i)+" declined already", nil)
	}
	return Event{Kind: EventDeclined, At: at, Account: m, Seat: i}, nil
}

// Reinvite, by the organiser at time at, gives the seat of replaced (a member that has
// not accepted: declined, or not yet answered) to member, a new invitee. The terms change
// (the config's Members, hence its digest), so every acceptance given for the old terms
// lapses: every seat that had accepted is invited again and must accept the new digest.
// Seats that declined stay declined.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrClosed], [ErrTimeBackwards],
// [ErrPastDeadline], [token.ErrInvalidAccount], [ErrNotOrganiser], [ErrNotInvited] (for
// replaced), [ErrOrganiserSeat], [ErrAlreadyAccepted], [ErrAlreadyInvited] (member holds a
// seat).
func (p *Proposal) Reinvite(at time.Time, by, replaced, member token.Account) error {
	e, err := p.reinvite("Reinvite", at, by, replaced, member)
	if err != nil {
		return err
	}
	p.apply(e)
	return nil
}

func (p *Proposal) reinvite(op string, at time.Time, by, replaced, m token.Account) (Event, error) {
	at, err := p.guard(op, by, at, false)
	if err != nil {
		return Event{}, err
	}
	if err := p.organiser(op, by, at); err != nil {
		return Event{}, err
	}
	i, err := p.seat(op, replaced, at)
	if err != nil {
		return Event{}, err
	}
	if err := cmderr.CheckAccount(op, m); err != nil {
		return Event{}, withAt(err, at)
	}
	switch _, taken := p.index[m]; {
	case replaced == p.terms.Config.Foreperson:
		return Event{}, refuse(op, replaced, at, ErrOrganiserSeat, "the organiser's seat cannot be replaced", nil)
	case p.seats[i].Answer == Accepted:
		return Event{}, refuse(op, replaced, at, ErrAlreadyAccepted, "seat "+strconv.Itoa(i)+" has accepted; it may decline", nil)
	case taken:
		return Event{}, refuse(op, m, at, ErrAlreadyInvited, string(m)+" holds a seat", nil)
	}
	cfg := p.terms.Config
	cfg.Members = slices.Clone(cfg.Members)
	cfg.Members[i] = m
	d, err := DigestOf(cfg)
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		return Event{}, refuse(op, m, at, ErrInvalidTerms, "config: ", err)
	}
	return Event{Kind: EventReinvited, At: at, Account: m, Replaced: replaced, Seat: i, Terms: d}, nil
}

// organiser returns nil when by is the organiser, and an error wrapping [ErrNotOrganiser]
// otherwise.
func (p *Proposal) organiser(op string, by token.Account, at time.Time) error {
	if err := cmderr.CheckAccount(op, by); err != nil {
		return withAt(err, at)
	}
	if by != p.terms.Config.Foreperson {
		return refuse(op, by, at, ErrNotOrganiser, "the organiser is "+string(p.terms.Config.Foreperson), nil)
	}
	return nil
}

// Withdraw, by the organiser at time at, withdraws the proposal before the start. Nothing
// was charged, so nothing is returned.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrClosed], [ErrTimeBackwards],
// [ErrPastDeadline], [token.ErrInvalidAccount], [ErrNotOrganiser].
func (p *Proposal) Withdraw(at time.Time, by token.Account) error {
	e, err := p.withdraw("Withdraw", at, by)
	if err != nil {
		return err
	}
	p.apply(e)
	return nil
}

func (p *Proposal) withdraw(op string, at time.Time, by token.Account) (Event, error) {
	at, err := p.guard(op, by, at, false)
	if err != nil {
		return Event{}, err
	}
	if err := p.organiser(op, by, at); err != nil {
		return Event{}, err
	}
	return Event{Kind: EventWithdrawn, At: at, Account: by}, nil
}

// Start starts the circle at time at, before the deadline, once every seat has accepted
// the terms in force, and returns it: rosca.New of the config every member accepted (its
// start is the config's, not at). Anyone may start it. [Proposal.Circle] returns a new
// copy of the circle later.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrClosed], [ErrTimeBackwards],
// [ErrPastDeadline], [ErrNotReady] (Detail names the seats that have not accepted).
func (p *Proposal) Start(at time.Time) (*rosca.Circle, error) {
	e, c, err := p.start("Start", at)
	if err != nil {
		return nil, err
	}
	p.apply(e)
	return c, nil
}

func (p *Proposal) start(op string, at time.Time) (Event, *rosca.Circle, error) {
	at, err := p.guard(op, "", at, false)
	if err != nil {
		return Event{}, nil, err
	}
	var waiting []string
	for _, s := range p.seats {
		if s.Answer != Accepted {
			waiting = append(waiting, string(s.Member)+" ("+string(s.Answer)+")")
		}
	}
	if len(waiting) > 0 {
		return Event{}, nil, refuse(op, "", at, ErrNotReady, "waiting for "+joinComma(waiting), nil)
	}
	c, err := rosca.New(p.terms.Config)
	if err != nil {
		return Event{}, nil, refuse(op, "", at, ErrInvalidTerms, "config: ", err)
	}
	return Event{Kind: EventStarted, At: at, Terms: p.digest}, c, nil
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

// Abandon records at time at, at or after the deadline, that the proposal was abandoned:
// not every seat accepted in time, and nothing was charged. Anyone may record it.
//
// Errors: [ErrUninitialized], [token.ErrInvalidTime], [ErrClosed], [ErrTimeBackwards],
// [ErrBeforeDeadline].
func (p *Proposal) Abandon(at time.Time) error {
	at, err := p.guard("Abandon", "", at, true)
	if err != nil {
		return err
	}
	p.apply(Event{Kind: EventAbandoned, At: at})
	return nil
}

// apply records a checked event, numbering it, and changes the state it says.
func (p *Proposal) apply(e Event) {
	switch e.Kind {
	case EventProposed:
		p.terms = Terms{Config: e.Config, Admission: e.Admission, Deadline: e.Deadline}.clone()
		p.digest, p.state = e.Terms, Open
		p.seats = make([]Seat, len(p.terms.Config.Members))
		p.index = make(map[token.Account]int, len(p.seats))
		for i, m := range p.terms.Config.Members {
			p.seats[i] = Seat{Index: i, Member: m, Answer: Invited}
			p.index[m] = i
		}
	case EventAccepted:
		p.seats[e.Seat] = Seat{Index: e.Seat, Member: e.Account, Answer: Accepted, At: e.At, Roles: e.Roles,
			Evidence: Acceptance{Member: e.Account, Terms: e.Terms, Reputation: e.Reputation,
				Guarantor: e.Guarantor, Pledge: e.Pledge, Collateral: e.Collateral}}
	case EventDeclined:
		p.seats[e.Seat] = Seat{Index: e.Seat, Member: e.Account, Answer: Declined, At: e.At}
	case EventReinvited:
		p.reseat(e)
	case EventWithdrawn:
		p.state = Withdrawn
	case EventStarted:
		p.state = Started
	case EventAbandoned:
		p.state = Abandoned
	}
	p.last = e.At
	e.Seq = uint64(len(p.events)) + 1
	p.events = append(p.events, e)
}

// reseat applies a re-invitation: the new member takes the seat, the config (a new
// Members slice: events and earlier copies keep theirs) and digest change, and every
// acceptance lapses.
func (p *Proposal) reseat(e Event) {
	members := slices.Clone(p.terms.Config.Members)
	members[e.Seat] = e.Account
	p.terms.Config.Members = members
	p.digest = e.Terms
	delete(p.index, e.Replaced)
	p.index[e.Account] = e.Seat
	p.seats = slices.Clone(p.seats)
	for i, s := range p.seats {
		if s.Answer == Accepted {
			p.seats[i] = Seat{Index: i, Member: s.Member, Answer: Invited}
		}
	}
	p.seats[e.Seat] = Seat{Index: e.Seat, Member: e.Account, Answer: Invited}
}

// Terms returns the terms in force (a copy): the config with the members now invited, the
// admission rule and the deadline. The zero Proposal's are the zero Terms.
func (p *Proposal) Terms() Terms { return p.terms.clone() }

// Digest returns the digest of the config in force, which an acceptance must name.
func (p *Proposal) Digest() Digest { return p.digest }

// Organiser returns the organiser, the config's foreperson.
func (p *Proposal) Organiser() token.Account { return p.terms.Config.Foreperson }

// State returns the proposal's state; the zero State for the zero Proposal.
func (p *Proposal) State() State { return p.state }

// Seats returns the seats in seat order (a copy).
func (p *Proposal) Seats() []Seat { return slices.Clone(p.seats) }

// Seat returns the seat of the account, and whether it holds one.
func (p *Proposal) Seat(a token.Account) (Seat, bool) {
	i, ok := p.index[a]
	if !ok {
		return Seat{}, false
	}
	return p.seats[i], true
}

// Accepted returns the number of seats that have accepted the terms in force.
func (p *Proposal) Accepted() int {
	n := 0
	for _, s := range p.seats {
		if s.Answer == Accepted {
			n++
		}
	}
	return n
}

// Ready reports whether every seat has accepted the terms in force, so that the proposal,
// while open and before its deadline, may start.
func (p *Proposal) Ready() bool { return len(p.seats) > 0 && p.Accepted() == len(p.seats) }

// Circle returns a new circle of the accepted config once the proposal has started
// (rosca.New: the commands given to the circle Start returned are not in it), and
// otherwise an [*Error] wrapping [ErrUninitialized] (the zero Proposal) or [ErrNotReady].
func (p *Proposal) Circle() (*rosca.Circle, error) {
	switch {
	case p.state == "":
		return nil, &Error{Op: "Circle", Err: ErrUninitialized}
	case p.state != Started:
		return nil, &Error{Op: "Circle", Detail: "the proposal is " + string(p.state), Err: ErrNotReady}
	}
	return rosca.New(p.terms.Config)
}

// LastSeq returns the sequence number of the last event, 0 when there is none.
func (p *Proposal) LastSeq() uint64 { return uint64(len(p.events)) }

// EventsAfter returns the events with a sequence number above seq, oldest first, at a cost
// proportional to their number. It reads the log as it was when EventsAfter was called:
// events appended later are not included, and it may be ranged over after the caller has
// released a read lock, since the log is append-only.
func (p *Proposal) EventsAfter(seq uint64) iter.Seq[Event] {
	log := p.events
	return func(yield func(Event) bool) {
		if seq >= uint64(len(log)) {
			return
		}
		for _, e := range log[seq:] {
			if !yield(e.clone()) {
				return
			}
		}
	}
}

// Events returns a copy of the whole event log; a service persisting after each command
// uses [Proposal.EventsAfter].
func (p *Proposal) Events() []Event { return slices.Collect(p.EventsAfter(0)) }
