package simulate

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// Member is one seat of a [Scenario]: its account and its strategies. The zero Member has no
// account (a scenario refuses it); its nil strategies mean [OnTime], [NoBid] and the zero
// [Valuation].
type Member struct {
	// Account is the member's account in every circle of the batch.
	Account token.Account
	// Payer decides its payments (nil: OnTime).
	Payer Payer
	// Bidder decides its bids in a bidding circle (nil: NoBid).
	Bidder Bidder
	// Valuation is the range its private valuation of each pot is drawn from.
	Valuation Valuation
}

// Seats returns n members with m's strategies, named m0, m1, ... m(n-1) (m.Account is
// ignored).
func Seats(n int, m Member) []Member {
	ms := make([]Member, max(n, 0))
	for i := range ms {
		ms[i] = m
		ms[i].Account = token.Account("m" + strconv.Itoa(i))
	}
	return ms
}

// Scenario is a batch of simulated circles: the circle's terms, the members and their
// strategies, the group's enforcement, the number of circles and the seed. Circle i of the
// batch (its run) draws everything (the circle's own seed, the lotteries, late payments,
// valuations and random bids) from a random source seeded by Seed and i alone, so a run is
// the same whichever process, worker or shard runs it.
//
// A Scenario is plain data, read but never changed by the simulation; it may be shared by
// any number of goroutines. The zero Scenario is not valid (it has no members).
type Scenario struct {
	// Name labels the batch's records (valid UTF-8; may be empty).
	Name string
	// Circle is the template of every circle: asset, kind, contribution, fee, rules, start,
	// period and epochs. Its Members and Seed are ignored (Members come from the scenario's,
	// the seed from the run's random source); an empty Foreperson is the first member, an
	// empty Operator "operator", a zero Start 2026-01-01 UTC, a zero Period 30 days, zero
	// Epochs 1 and zero Rules [rosca.WeTrustRules].
	Circle rosca.Config
	// Members are the seats, in seat order.
	Members []Member
	// Enforcer is the group's answer to defaults (nil: Tolerate).
	Enforcer Enforcer
	// Circles is the number of circles (runs) in the batch.
	Circles int
	// Seed seeds the batch; run i derives its randomness from Seed and i only.
	Seed uint64
	// Digits is the precision of the members' internal rates of return (bracketed within
	// 10^-Digits, 1 to rates.MaxDigits); zero skips them.
	Digits int
	// NPV computes each member's net present value at Benchmark, a rate per round (the zero
	// Rate: 0%, where the NPV is the plain net), rounded half to even to the minor unit.
	NPV       bool
	Benchmark rates.Rate
	// MIRR computes each member's modified rate of return and its role (saver or borrower),
	// at the Finance and Reinvest rates per round (see rates.MIRR), to Digits digits: Digits
	// must then be set.
	MIRR              bool
	Finance, Reinvest rates.Rate
}

// defaultStart fills a template's zero Start.
func defaultStart() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// defaultPeriod fills a template's zero Period.
const defaultPeriod = 30 * 24 * time.Hour

// config returns the circle config of the scenario, with a placeholder seed.
func (s *Scenario) config() rosca.Config {
	cfg := s.Circle
	cfg.Members = make([]token.Account, len(s.Members))
	for i, m := range s.Members {
		cfg.Members[i] = m.Account
	}
	if cfg.Foreperson == "" && len(cfg.Members) > 0 {
		cfg.Foreperson = cfg.Members[0]
	}
	if cfg.Operator == "" {
		cfg.Operator = "operator"
	}
	if cfg.Start.IsZero() {
		cfg.Start = defaultStart()
	}
	if cfg.Period == 0 {
		cfg.Period = defaultPeriod
	}
	if cfg.Epochs == 0 {
		cfg.Epochs = 1
	}
	if cfg.Rules == (rosca.Rules{}) {
		cfg.Rules = rosca.WeTrustRules()
	}
	cfg.Seed = rosca.Seed{1}
	return cfg
}

// Validate reports whether the scenario describes a batch: a name of valid UTF-8, at least one
// member, a circle config that rosca accepts with them, no negative number of circles,
// Digits within 0 to rates.MaxDigits (and no more rounds than rates.MaxRounds when rates or
// values are computed), Digits set when MIRR is, and valuations whose Low is at most High. The error is an *Error wrapping
// ErrInvalidScenario whose Detail names the field.
func (s Scenario) Validate() error {
	_, err := s.compile()
	return err
}

func invalid(field, format string, args ...any) *Error {
	return &Error{Op: "Validate", Detail: field + ": " + fmt.Sprintf(format, args...), Err: ErrInvalidScenario}
}

// compiled is a validated scenario, ready to run.
type compiled struct {
	sc      *Scenario
	cfg     rosca.Config
	seats   map[token.Account]int
	payers  []Payer
	bidders []Bidder
	plans   []payPlan  // the payers, the built-in ones unwrapped
	classes []bidClass // how each bidder bids, for the built-in ones
	caps    bidCaps    // the caps of bids after the first
	values  []Valuation
	enf     Enforcer
	// light: every strategy is a built-in one, none of which reads a position, so the
	// simulation need not read the members' positions after every close.
	light bool
	// actor is the enforcer when it acts (nil otherwise); tolerates: the enforcer never
	// halts and reads nothing (Tolerate); readsPositions: it is the user's, and sees the
	// positions; deters: the enforcer acts or the rules have deterrents, so that the
	// records read the positions at the end. guarantors are the built-in guarantors'
	// accounts, by seat.
	actor                             Actor
	tolerates, readsPositions, deters bool
	guarantors                        []token.Account
	// sharedLateFees: the late fees paid are shared among the members, so that one
	// member's payment can lower what the others owe; what a member owes is then read at
	// its payment, not followed from the last close.
	sharedLateFees bool
}

// smallGroup is the most members whose seats are found by a scan rather than the map.
const smallGroup = 16

// seat returns the seat of account a, and whether a is a member.
func (c *compiled) seat(a token.Account) (int, bool) {
	if len(c.cfg.Members) > smallGroup {
		k, ok := c.seats[a]
		return k, ok
	}
	for k, m := range c.cfg.Members {
		if m == a {
			return k, true
		}
	}
	return 0, false
}

// builtinPayer reports whether p is one of the package's payers (with built-in payers
// inside).
func builtinPayer(p Payer) bool {
	switch p := p.(type) {
	case OnTime, Late, Part:
		return true
	case Stop:
		return p.Before == nil || builtinPayer(p.Before)
	}
	return false
}

// builtinBidder reports whether b is one of the package's bidders.
func builtinBidder(b Bidder) bool {
	switch b.(type) {
	case NoBid, Truthful, Shaded, Undercut, RandomBid:
		return true
	}
	return false
}

// bidClass classifies bidders by the passes they bid in.
type bidClass uint8

const (
	bidsAny      bidClass = iota // a bidder of the user's: asked in every pass
	bidsNever                    // NoBid
	bidsFirst                    // Truthful, Shaded, RandomBid: they bid in the first pass only
	bidsUndercut                 // Undercut
)

// classOf returns the class of b.
func classOf(b Bidder) bidClass {
	switch b.(type) {
	case NoBid:
		return bidsNever
	case Truthful, Shaded, RandomBid:
		return bidsFirst
	case Undercut:
		return bidsUndercut
	}
	return bidsAny
}

// builtinEnforcer reports whether e is one of the package's enforcers, which read no
// position (with built-in payers for the members who replace others).
func builtinEnforcer(e Enforcer) bool {
	switch e := e.(type) {
	case Tolerate, HaltWhenBehind, Collateral, Guarantors, Accelerate, Recover:
		return true
	case Replace:
		return e.Payer == nil || builtinPayer(e.Payer)
	case Enforcers:
		for _, x := range e {
			if x != nil && !builtinEnforcer(x) {
				return false
			}
		}
		return true
	}
	return false
}

// tolerant reports whether e never halts and never acts.
func tolerant(e Enforcer) bool {
	switch e := e.(type) {
	case Tolerate:
		return true
	case Enforcers:
		for _, x := range e {
			if x != nil && !tolerant(x) {
				return false
			}
		}
		return true
	}
	return false
}

// guarantorOf returns the account of the built-in guarantor of member a in seat k.
func guarantorOf(a token.Account, k int) token.Account {
	g := "guarantor:" + string(a)
	if len(g) > token.MaxAccountLength {
		g = "guarantor:" + strconv.Itoa(k)
	}
	return token.Account(g)
}

func (s *Scenario) compile() (*compiled, error) {
	if !utf8.ValidString(s.Name) {
		return nil, invalid("Name", "not valid UTF-8")
	}
	if len(s.Members) == 0 {
		return nil, invalid("Members", "no member")
	}
	if s.Circles < 0 {
		return nil, invalid("Circles", "%d is negative", s.Circles)
	}
	if s.Digits < 0 || s.Digits > rates.MaxDigits {
		return nil, invalid("Digits", "%d is outside 0 to %d", s.Digits, rates.MaxDigits)
	}
	cfg := s.config()
	if err := cfg.Validate(); err != nil {
		return nil, &Error{Op: "Validate", Detail: "Circle: " + err.Error(), Err: withCause{ErrInvalidScenario, err}}
	}
	if s.Digits > 0 && cfg.Rounds() > rates.MaxRounds {
		return nil, invalid("Digits", "rates of %d rounds are beyond rates.MaxRounds (%d)", cfg.Rounds(), rates.MaxRounds)
	}
	if s.NPV && cfg.Rounds() > rates.MaxRounds {
		return nil, invalid("NPV", "values of %d rounds are beyond rates.MaxRounds (%d)", cfg.Rounds(), rates.MaxRounds)
	}
	if s.MIRR && s.Digits == 0 {
		return nil, invalid("MIRR", "the modified rates need a precision: set Digits")
	}
	c := &compiled{sc: s, cfg: cfg, seats: make(map[token.Account]int, len(s.Members)), enf: s.Enforcer, caps: capsOf(cfg)}
	for i, m := range s.Members {
		c.seats[m.Account] = i
		if m.Valuation.Low.Cmp(m.Valuation.High) > 0 {
			return nil, invalid(fmt.Sprintf("Members[%d].Valuation", i), "Low %s is above High %s", m.Valuation.Low, m.Valuation.High)
		}
		p, b := m.Payer, m.Bidder
		if p == nil {
			p = OnTime{}
		}
		if b == nil {
			b = NoBid{}
		}
		c.payers = append(c.payers, p)
		c.plans = append(c.plans, planOf(p))
		c.bidders = append(c.bidders, b)
		c.classes = append(c.classes, classOf(b))
		c.values = append(c.values, m.Valuation)
	}
	if c.enf == nil {
		c.enf = Tolerate{}
	}
	if a, ok := c.enf.(Actor); ok {
		if es, ok := a.(Enforcers); !ok || es.acts() {
			c.actor = a
		}
	}
	c.tolerates = tolerant(c.enf)
	c.readsPositions = !builtinEnforcer(c.enf)
	c.deters = c.actor != nil || cfg.Rules.Deterrents != (rosca.Deterrents{})
	late := cfg.Rules.Deterrents.LateFee
	c.sharedLateFees = late.To == rosca.LateFeeToMembers && (late.Flat.IsPositive() || !late.Rate.IsZero())
	if c.actor != nil {
		for i, m := range cfg.Members {
			c.guarantors = append(c.guarantors, guarantorOf(m, i))
		}
	}
	c.light = builtinEnforcer(c.enf)
	for i := range c.payers {
		c.light = c.light && builtinPayer(c.payers[i]) && builtinBidder(c.bidders[i])
	}
	return c, nil
}
