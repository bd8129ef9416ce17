package roscatest

import (
	"fmt"
	"math/big"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// Deterrents draws deterrents for a circle in asset a: none a third of the time;
// otherwise collateral (none, a fixed 1 to 50 minor units, by seat, or the security after
// a prize), a bounty (none, a share of 1 to 50 percent or a fixed 1 to 50 minor units,
// paid from the recovered funds or the fee reserve), removal after 0 to 2 rounds'
// arrears with a notice of 0 to 3 periods of an hour (none without removal), a
// deduction of 0 to 100 per mille and acceleration or not.
func Deterrents(a token.Asset) *rapid.Generator[rosca.Deterrents] {
	return rapid.Custom(func(t *rapid.T) rosca.Deterrents {
		var d rosca.Deterrents
		if rapid.IntRange(0, 2).Draw(t, "deterrents") == 0 {
			return d
		}
		d.Collateral.Form = rapid.SampledFrom([]rosca.CollateralForm{rosca.CollateralNone, rosca.CollateralFixed,
			rosca.CollateralBySeat, rosca.CollateralSecurity}).Draw(t, "collateral")
		if d.Collateral.Form == rosca.CollateralFixed {
			d.Collateral.Amount = a.FromInt64Units(rapid.Int64Range(1, 50).Draw(t, "collateral_units"))
		}
		switch rapid.IntRange(0, 2).Draw(t, "bounty") {
		case 1:
			d.Bounty.Share = token.MustRatio(rapid.Uint64Range(1, 50).Draw(t, "bounty_pct"), 100)
		case 2:
			d.Bounty.Fixed = a.FromInt64Units(rapid.Int64Range(1, 50).Draw(t, "bounty_units"))
		}
		if !d.Bounty.IsZero() {
			d.Bounty.Pool = rapid.SampledFrom([]rosca.BountyPool{"", rosca.BountyFromRecovered, rosca.BountyFromFees}).Draw(t, "pool")
		}
		d.RemoveAfter = rapid.IntRange(0, 2).Draw(t, "remove_after")
		if d.RemoveAfter > 0 {
			d.Notice = rosca.Duration(time.Duration(rapid.IntRange(0, 3).Draw(t, "notice_periods")) * time.Hour)
		}
		d.Deduction = token.MustRatio(rapid.Uint64Range(0, 100).Draw(t, "deduction_pm"), 1000)
		d.Accelerate = rapid.Bool().Draw(t, "accelerate")
		switch rapid.IntRange(0, 2).Draw(t, "late_fee") {
		case 1:
			d.LateFee.Flat = a.FromInt64Units(rapid.Int64Range(1, 5).Draw(t, "late_flat"))
		case 2:
			d.LateFee.Rate = token.MustRatio(rapid.Uint64Range(1, 200).Draw(t, "late_pm"), 1000)
		}
		if !d.LateFee.IsZero() {
			d.LateFee.Grace = rapid.IntRange(0, 2).Draw(t, "late_grace")
			d.LateFee.To = rapid.SampledFrom([]rosca.LateFeeTo{"", rosca.LateFeeToForeperson, rosca.LateFeeToMembers}).Draw(t, "late_to")
		}
		return d
	})
}

// The deterrent and membership commands an [Op] can run. Apply runs them with the op's
// Who as the member concerned and Other as the other party (the guarantor, the collector,
// the foreperson acting, the incoming member); a Fit op pays exactly what is owed or due.
const (
	OpPostCollateral   OpKind = "post_collateral"   // Who posts collateral: Units, or (Fit) what is due
	OpApplyCollateral  OpKind = "apply_collateral"  // Other applies Who's collateral
	OpReturnCollateral OpKind = "return_collateral" // Who takes its collateral back
	OpPledge           OpKind = "pledge"            // Other pledges for Who up to Units, or (Fit) what Who owes
	OpGuarantorPay     OpKind = "guarantor_pay"     // Other pays Units for Who, or (Fit) what Who owes within the pledge
	OpPostBounty       OpKind = "post_bounty"       // Other (the foreperson) posts the bounty on Who
	OpRecover          OpKind = "recover"           // Other brings in Units from Who, or (Fit) what Who owes
	OpAccelerate       OpKind = "accelerate"        // Other (the foreperson) accelerates Who's dues
	OpRemove           OpKind = "remove"            // Other (the foreperson) removes Who
	OpTransfer         OpKind = "transfer"          // Who passes its seat to Other for a settlement of Units
	OpSubstitute       OpKind = "substitute"        // the foreperson puts Other in Who's seat
)

// deterrentKinds are the deterrent and membership commands, weighted: the payments for a
// member and the membership changes more often.
var deterrentKinds = []OpKind{OpPostCollateral, OpPostCollateral, OpApplyCollateral, OpApplyCollateral, OpReturnCollateral,
	OpPledge, OpPledge, OpGuarantorPay, OpGuarantorPay, OpPostBounty, OpPostBounty, OpRecover, OpRecover,
	OpAccelerate, OpRemove, OpRemove, OpTransfer, OpSubstitute, OpSubstitute}

// Guarantors, collectors and incoming members are fresh accounts of these names.
var (
	guarantors = []token.Account{"g0", "g1"}
	collectors = []token.Account{"x0", "x1"}
	incoming   = []token.Account{"new0", "new1", "new2", "new3"}
)

// DeterrentOpFor draws one deterrent or membership command for a circle of cfg: mostly
// commands that the rules and the circle's state may accept (by the foreperson where it
// acts, paying exactly what is owed or due), with invalid ones mixed in (other actors, the
// member as its own guarantor or collector, random amounts, an incoming account that
// holds a seat, collateral off the rule).
func DeterrentOpFor(cfg rosca.Config) *rapid.Generator[Op] {
	return rapid.Custom(func(t *rapid.T) Op {
		o := Op{Kind: rapid.SampledFrom(deterrentKinds).Draw(t, "deterrent_op")}
		o.Who = rapid.SampledFrom(cfg.Members).Draw(t, "member")
		if rapid.IntRange(0, 11).Draw(t, "odd_member") == 0 {
			o.Who = rapid.SampledFrom(append([]token.Account{"stranger"}, incoming...)).Draw(t, "odd")
		}
		odd := rapid.IntRange(0, 7).Draw(t, "odd_party") == 0
		switch o.Kind {
		case OpPledge, OpGuarantorPay:
			o.Other = rapid.SampledFrom(guarantors).Draw(t, "guarantor")
		case OpRecover:
			o.Other = rapid.SampledFrom(collectors).Draw(t, "collector")
		case OpTransfer, OpSubstitute:
			o.Other = rapid.SampledFrom(incoming).Draw(t, "incoming")
		case OpApplyCollateral:
			o.Other = rapid.SampledFrom([]token.Account{cfg.Foreperson, "x0", o.Who}).Draw(t, "by")
		case OpPostBounty, OpAccelerate, OpRemove:
			o.Other = cfg.Foreperson
		}
		if odd { // a party that is refused, or one of the circle that may not act
			o.Other = rapid.SampledFrom(append([]token.Account{o.Who, "", cfg.Operator}, cfg.Members...)).Draw(t, "other")
		}
		o.Fit = rapid.IntRange(0, 3).Draw(t, "fit") != 0
		cu, _ := cfg.Contribution.Int64Units()
		o.Units = rapid.OneOf(rapid.Int64Range(1, cu), rapid.Int64Range(-1, 3*cu), rapid.Just(cu)).Draw(t, "units")
		o.Shift = rapid.SampledFrom([]time.Duration{0, 0, time.Minute, -time.Minute, time.Hour, 2 * time.Hour}).Draw(t, "shift")
		return o
	})
}

// seatHolder returns the account that holds who's seat now: who itself while it is a
// member; the current holder of the seat who held in cfg.Members once it passed; who
// otherwise (a stranger, an account that left).
func seatHolder(c *rosca.Circle, who token.Account) token.Account {
	if _, err := c.Position(who); err == nil {
		return who
	}
	for i, m := range c.Config().Members {
		if m == who {
			if ps := c.Positions(); i < len(ps) {
				return ps[i].Member
			}
		}
	}
	return who
}

// applyDeterrent runs a deterrent or membership command at time when, for the member who.
func applyDeterrent(c *rosca.Circle, op Op, who token.Account, when time.Time) (bool, error) {
	asset := c.Config().Asset
	if op.Fit {
		who = fitMember(c, op, who)
	}
	amount := asset.FromInt64Units(op.Units)
	owed, _ := c.Owed(who)
	if op.Fit && owed.IsValid() {
		amount = owed
	}
	var err error
	switch op.Kind {
	case OpPostCollateral:
		if due, held, e := c.CollateralDue(who); op.Fit && e == nil {
			amount, _ = due.Sub(held)
		}
		err = c.PostCollateral(when, who, amount)
	case OpApplyCollateral:
		_, err = c.ApplyCollateral(when, op.Other, who)
	case OpReturnCollateral:
		_, err = c.ReturnCollateral(when, who)
	case OpPledge:
		if op.Fit && owed.Sign() <= 0 {
			amount = c.Config().Contribution
		}
		err = c.Pledge(when, op.Other, who, amount)
	case OpGuarantorPay:
		if op.Fit {
			amount = pledgeLeft(c, op.Other, who, owed)
		}
		err = c.PayAsGuarantor(when, op.Other, who, amount)
	case OpPostBounty:
		err = c.PostBounty(when, op.Other, who)
	case OpRecover:
		_, err = c.Recover(when, op.Other, who, amount)
	case OpAccelerate:
		_, err = c.Accelerate(when, op.Other, who)
	case OpRemove:
		err = c.Remove(when, op.Other, who)
	case OpTransfer, OpSubstitute:
		col := seatCollateral(c, op, who)
		if op.Kind == OpSubstitute {
			_, err = c.Substitute(when, c.Config().Foreperson, who, op.Other, col)
		} else {
			err = c.TransferSeat(when, who, op.Other, asset.FromInt64Units(op.Units), col)
		}
	default:
		return false, nil
	}
	return true, err
}

// fitMember returns the member a Fit op is for: one the command may apply to, if any (the
// first such from who's seat on, seats in order), else who. For a guarantor's payment,
// a member in debt with op.Other's pledge; for a bounty, a recovery or collateral
// applied, a member in default (with a bounty posted, or collateral held); for an
// acceleration, a prized member in arrears; for a removal, one not prized in arrears;
// for a substitution, one not prized. The other commands are for who.
func fitMember(c *rosca.Circle, op Op, who token.Account) token.Account {
	ps := c.Positions()
	start := 0
	for i, p := range ps {
		if p.Member == who {
			start = i
		}
	}
	ended := c.Ended()
	for k := range ps {
		p := ps[(start+k)%len(ps)]
		owes := p.Balance.Sign() < 0
		inDefault := owes && (ended || p.Accelerated || p.Removed)
		var fits bool
		switch op.Kind {
		case OpGuarantorPay:
			fits = owes && pledgeLeft(c, op.Other, p.Member, p.Balance.Neg()).Sign() > 0
		case OpPostBounty:
			fits = inDefault && !p.Bounty
		case OpRecover:
			fits = inDefault && p.Bounty
		case OpApplyCollateral:
			fits = inDefault && p.Collateral.Sign() > 0
		case OpAccelerate:
			fits = owes && p.WonThisEpoch && !p.Accelerated
		case OpRemove:
			fits = owes && !p.WonThisEpoch && !p.Removed
		case OpSubstitute:
			fits = !p.WonThisEpoch && p.Member != c.Config().Foreperson
		default:
			return who
		}
		if fits {
			return p.Member
		}
	}
	return who
}

// pledgeLeft returns the lower of owed and what guarantor's live pledge for member has
// left, or zero of the asset when there is none.
func pledgeLeft(c *rosca.Circle, guarantor, member token.Account, owed token.Amount) token.Amount {
	ps, _ := c.Pledges(member)
	for _, p := range ps {
		if p.Guarantor == guarantor && !p.Lapsed {
			if left, err := p.Limit.Sub(p.Paid); err == nil && left.Cmp(owed) < 0 {
				return left
			}
			return owed
		}
	}
	return c.Config().Asset.Zero()
}

// seatCollateral returns the collateral the incoming member of who's seat posts: for a
// Fit op what the seat asks; otherwise that, less one, or plus one minor unit.
func seatCollateral(c *rosca.Circle, op Op, who token.Account) token.Amount {
	due, _, err := c.CollateralDue(who)
	if err != nil {
		return c.Config().Asset.Zero()
	}
	if op.Fit {
		return due
	}
	x, _ := due.Add(c.Config().Asset.FromInt64Units(op.Units%3 - 1))
	return x
}

// CheckDeterrents checks the deterrents' money independently of the circle's totals, from
// its events and positions: collateral posted, applied, returned (also the outgoing
// member's, at a change of seat) and held; guarantors' payments, within every pledge;
// recoveries and their bounties; substitutions' deductions; and the conservation of money,
// in minor units:
//
//	own contributions + guarantor payments + collateral posted + recovered + deductions
//	  = withdrawals + fees paid (other than bounties) + remainder paid + platform fees paid
//	    + collateral returned + bounties + cash + collateral held
//
// where own contributions are the members' own payments (contribution events), and the
// circle's Contributions are those, the guarantors' payments, the collateral applied and
// the recoveries less the bounties paid out of them.
func CheckDeterrents(c *rosca.Circle) error { return checkDeterrents(viewOf(c)) }

func checkDeterrents(v *view) error {
	c, cfg, tot := v.c, v.cfg, v.tot
	u := func(d token.Amount) *big.Int { return d.Units() }
	f := flowsOf(v)
	var inColl big.Int
	for _, p := range v.ps {
		inColl.Add(&inColl, u(p.Collateral))
		if p.Seat < len(f.held) && f.held[p.Seat].Cmp(u(p.Collateral)) != 0 {
			return fmt.Errorf("roscatest: %s: collateral %s, the events give %s", p.Member, p.Collateral, fromUnits(cfg.Asset, f.held[p.Seat]))
		}
		ps, err := c.Pledges(p.Member)
		if err != nil {
			return err
		}
		for _, pl := range ps {
			if pl.Paid.Cmp(pl.Limit) > 0 || pl.Paid.Sign() < 0 {
				return fmt.Errorf("roscatest: %s: pledge of %s paid %s of %s", p.Member, pl.Guarantor, pl.Paid, pl.Limit)
			}
			f.pledged.Add(&f.pledged, u(pl.Paid))
		}
	}
	pairs := []struct {
		name string
		tot  token.Amount
		want *big.Int
	}{
		{"collateral", tot.Collateral, &inColl},
		{"collateral held", tot.Collateral, &f.coll},
		{"collateral posted", tot.CollateralPosted, &f.posted},
		{"collateral applied", tot.CollateralApplied, &f.applied},
		{"collateral returned", tot.CollateralReturned, &f.returned},
		{"guarantor payments", tot.GuarantorPayments, &f.guarantors},
		{"pledges paid", tot.GuarantorPayments, &f.pledged},
		{"recovered", tot.Recovered, &f.recovered},
		{"bounties", tot.Bounties, &f.bounties},
		{"fee bounties", tot.FeeBounties, &f.feeBounties},
		{"deductions", tot.Deductions, &f.deductions},
		{"fees paid", tot.FeesPaid, &f.feesPaid},
	}
	for _, p := range pairs {
		if u(p.tot).Cmp(p.want) != 0 {
			return fmt.Errorf("roscatest: totals: %s %s, the events give %s", p.name, p.tot, fromUnits(cfg.Asset, p.want))
		}
	}
	// own = Contributions - GuarantorPayments - CollateralApplied - (Recovered - (Bounties - FeeBounties))
	own := u(tot.Contributions)
	own.Sub(own, u(tot.GuarantorPayments))
	own.Sub(own, u(tot.CollateralApplied))
	credit := new(big.Int).Sub(u(tot.Bounties), u(tot.FeeBounties))
	own.Sub(own, credit.Sub(u(tot.Recovered), credit))
	if own.Cmp(&f.own) != 0 {
		return fmt.Errorf("roscatest: members paid %s of their own, the totals give %s", fromUnits(cfg.Asset, &f.own), fromUnits(cfg.Asset, own))
	}
	in := new(big.Int).Add(&f.own, &f.guarantors)
	in.Add(in, &f.posted).Add(in, &f.recovered).Add(in, &f.deductions)
	out := u(tot.Withdrawals)
	out.Add(out, new(big.Int).Sub(u(tot.FeesPaid), u(tot.FeeBounties)))
	out.Add(out, u(tot.RemainderPaid)).Add(out, u(tot.PlatformFeesPaid)).Add(out, u(tot.CollateralReturned))
	out.Add(out, u(tot.Bounties)).Add(out, u(tot.Cash)).Add(out, u(tot.Collateral))
	if in.Cmp(out) != 0 {
		return fmt.Errorf("roscatest: money in %s (own, guarantors, collateral, recovered, deductions) != out and held %s: %+v",
			fromUnits(cfg.Asset, in), fromUnits(cfg.Asset, out), tot)
	}
	return nil
}

// flows are the deterrents' money and the fees paid, summed from a circle's events.
type flows struct {
	own, guarantors, posted, applied, returned, coll, pledged big.Int
	recovered, bounties, feeBounties, deductions, feesPaid    big.Int
	held                                                      []*big.Int // collateral by seat
}

// flowsOf sums the events of v.
func flowsOf(v *view) *flows {
	cfg := v.cfg
	f := &flows{held: make([]*big.Int, len(cfg.Members))}
	for i := range f.held {
		f.held[i] = new(big.Int)
	}
	seats := NewSeats(cfg)
	fromFees := cfg.Rules.Deterrents.Bounty.Pool == rosca.BountyFromFees
	for _, e := range v.evs {
		seat := seats.Of(e.Member)
		var h *big.Int
		if seat >= 0 {
			h = f.held[seat]
		} else {
			h = new(big.Int) // not a member: Check reports the event elsewhere
		}
		switch e.Kind {
		case rosca.EventContribution:
			f.own.Add(&f.own, e.Amount.Units())
		case rosca.EventFeesRetrieved:
			f.feesPaid.Add(&f.feesPaid, e.Amount.Units())
		case rosca.EventHaltActivated:
			for _, l := range e.Settlement {
				if l.Fees {
					f.feesPaid.Add(&f.feesPaid, l.Paid.Units())
				}
			}
		case rosca.EventCollateralPosted:
			f.posted.Add(&f.posted, e.Amount.Units())
			h.Add(h, e.Amount.Units())
		case rosca.EventCollateralApplied:
			f.applied.Add(&f.applied, e.Amount.Units())
			h.Sub(h, e.Amount.Units())
		case rosca.EventCollateralReturned:
			f.returned.Add(&f.returned, e.Amount.Units())
			h.Sub(h, e.Amount.Units())
		case rosca.EventGuarantorPaid:
			f.guarantors.Add(&f.guarantors, e.Amount.Units())
		case rosca.EventRecovered:
			f.recovered.Add(&f.recovered, e.Amount.Units())
			f.bounties.Add(&f.bounties, e.Bounty.Units())
			if fromFees {
				f.feeBounties.Add(&f.feeBounties, e.Bounty.Units())
				f.feesPaid.Add(&f.feesPaid, e.Bounty.Units())
			}
		case rosca.EventSeatTransferred, rosca.EventMemberSubstituted:
			f.returned.Add(&f.returned, h) // the outgoing member's collateral is returned
			f.posted.Add(&f.posted, e.Collateral.Units())
			h.Set(e.Collateral.Units())
			f.deductions.Add(&f.deductions, e.Deduction.Units())
		}
		seats.Apply(e)
	}
	for _, h := range f.held {
		f.coll.Add(&f.coll, h)
	}
	return f
}

// Seats follows who holds each seat of a circle through its events. The zero Seats holds
// no seat.
type Seats struct {
	accounts []token.Account
}

// NewSeats returns the seats of a circle of cfg before its first event.
func NewSeats(cfg rosca.Config) *Seats {
	return &Seats{accounts: append([]token.Account(nil), cfg.Members...)}
}

// Of returns the seat a holds, or -1.
func (s *Seats) Of(a token.Account) int {
	for i, x := range s.accounts {
		if x == a {
			return i
		}
	}
	return -1
}

// Account returns the holder of seat i ("" for no such seat).
func (s *Seats) Account(i int) token.Account {
	if i < 0 || i >= len(s.accounts) {
		return ""
	}
	return s.accounts[i]
}

// Apply follows event e: a seat transferred or substituted passes from e.Member to
// e.Party.
func (s *Seats) Apply(e rosca.Event) {
	if e.Kind == rosca.EventSeatTransferred || e.Kind == rosca.EventMemberSubstituted {
		if i := s.Of(e.Member); i >= 0 {
			s.accounts[i] = e.Party
		}
	}
}
