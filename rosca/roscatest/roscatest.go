package roscatest

import (
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// Start is the start time of generated configs.
func Start() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// Rules draws rules: WeTrust's half of the time, otherwise random bid bounds (ties
// possible: a next bid of up to 100%), a maximum bid, tie breaks, prices, sharing,
// remainder and loss policies. The step and the deterrents are drawn with the config
// ([Config], [Deterrents]), being amounts of its asset.
func Rules() *rapid.Generator[rosca.Rules] {
	return rapid.Custom(func(t *rapid.T) rosca.Rules {
		r := rosca.WeTrustRules()
		if rapid.Bool().Draw(t, "wetrust") {
			return r
		}
		r.MinBid = token.MustRatio(rapid.Uint64Range(1, 100).Draw(t, "min_bid_pct"), 100)
		r.NextBid = token.MustRatio(rapid.Uint64Range(50, 100).Draw(t, "next_bid_pct"), 100)
		if pct := rapid.Uint64Range(0, 100).Draw(t, "max_bid_pct"); pct > 0 && pct*r.MinBid.Den() >= 100*r.MinBid.Num() {
			r.MaxBid = token.MustRatio(pct, 100)
		}
		r.Ties = rapid.SampledFrom([]rosca.TieBreak{"", rosca.TieFirst, rosca.TieByLot}).Draw(t, "ties")
		r.Price = rapid.SampledFrom([]rosca.PricePolicy{"", rosca.PriceOwnBid, rosca.PriceSecondBid}).Draw(t, "price")
		r.BidForm = rapid.SampledFrom([]rosca.BidForm{"", rosca.BidAmount, rosca.BidDiscount, rosca.BidInterest}).Draw(t, "bid_form")
		r.NoBid = rapid.SampledFrom([]rosca.NoBidPolicy{rosca.NoBidDraw, rosca.NoBidFirstUnpaid}).Draw(t, "no_bid")
		r.Sealed = rapid.IntRange(0, 2).Draw(t, "sealed") == 0
		r.Sharing = rapid.SampledFrom([]rosca.Sharing{rosca.ShareAll, rosca.ShareOthers, rosca.ShareUnpaid, rosca.ShareEach}).Draw(t, "sharing")
		r.Fee = rapid.SampledFrom([]rosca.FeeMode{rosca.FeeNetFloor, rosca.FeeNetFloor, rosca.FeeCommission, rosca.FeeCommissionFromPrize}).Draw(t, "fee_mode")
		r.Remainder = rapid.SampledFrom([]rosca.RemainderPolicy{rosca.RemainderToForeperson, rosca.RemainderCarry, rosca.RemainderToWinner}).Draw(t, "remainder")
		r.Loss = rapid.SampledFrom([]rosca.LossPolicy{"", rosca.LossProRata, rosca.LossFeeFirst}).Draw(t, "loss")
		return r
	})
}

// Config draws a small valid config: 2 to 5 members, 1 or 2 epochs, any kind, an asset
// with 0 to 3 decimals, a contribution of 1 to 5000 minor units, a fee of 0 to 20 per
// mille, a platform fee of 0 (half of the time) to 50 per mille, a period of one hour
// from [Start], random rules, a random non-zero seed and a creation time at or before the
// start, or none; and random deterrents ([Deterrents]) but collateral, which would keep
// members who post none from bidding: the deterrents of Config change nothing until a
// deterrent command runs ([DeterrentOpFor]). [DeterrentConfig] draws collateral too.
func Config() *rapid.Generator[rosca.Config] { return config(false) }

// DeterrentConfig draws a config as [Config] does, with deterrents of every kind,
// collateral included, and never none (when the drawn ones are none: removal after one
// round's arrears beyond the open round's, a notice of an hour, acceleration and a bounty
// of 10% from the recovered funds).
func DeterrentConfig() *rapid.Generator[rosca.Config] { return config(true) }

// config draws a config, with collateral rules when collateral is set.
func config(collateral bool) *rapid.Generator[rosca.Config] {
	return rapid.Custom(func(t *rapid.T) rosca.Config {
		n := rapid.IntRange(2, 5).Draw(t, "members")
		ms := make([]token.Account, n)
		for i := range ms {
			ms[i] = token.Account(fmt.Sprintf("m%d", i))
		}
		asset, _ := token.NewAsset("TST", rapid.IntRange(0, 3).Draw(t, "decimals"))
		var seed rosca.Seed
		s := rapid.Uint64().Draw(t, "seed")
		for i := range 8 {
			seed[i] = byte(s >> (8 * i))
		}
		seed[31] = 1 // never the zero seed, which Validate refuses
		rules := Rules().Draw(t, "rules")
		kind := rapid.SampledFrom([]rosca.Kind{rosca.Bidding, rosca.Bidding, rosca.Lottery, rosca.FixedOrder}).Draw(t, "kind")
		fee := token.MustRatio(rapid.Uint64Range(0, 20).Draw(t, "fee"), 1000)
		if rules.Fee == rosca.FeeCommission && rules.MinBid.Cmp(fee.Complement()) > 0 {
			rules.MinBid = token.MustRatio(1, 2) // a bid must leave the commission to the discount
		}
		// The organizer's round: bidding or lottery circles, under net_floor with no fee.
		if kind != rosca.FixedOrder && (rules.Fee != rosca.FeeNetFloor || fee.IsZero()) && rules.MinBid != rosca.WeTrustRules().MinBid {
			rules.Organizer = rapid.Bool().Draw(t, "organizer")
		}
		if rules.MinBid != rosca.WeTrustRules().MinBid && rapid.Bool().Draw(t, "step") {
			rules.Step = asset.FromInt64Units(rapid.Int64Range(0, 50).Draw(t, "step_units"))
		}
		rules.Deterrents = Deterrents(asset).Draw(t, "deterrents")
		if !collateral {
			rules.Deterrents.Collateral = rosca.Collateral{}
		} else if rules.Deterrents == (rosca.Deterrents{}) {
			rules.Deterrents = rosca.Deterrents{RemoveAfter: 1, Notice: rosca.Duration(time.Hour), Accelerate: true,
				Bounty: rosca.Bounty{Share: token.MustRatio(1, 10)}}
		}
		return rosca.Config{
			Asset:        asset,
			Kind:         kind,
			Members:      ms,
			Foreperson:   ms[rapid.IntRange(0, n-1).Draw(t, "foreperson")],
			Operator:     "operator",
			Contribution: asset.FromInt64Units(rapid.Int64Range(1, 5000).Draw(t, "contribution")),
			Start:        Start(),
			Period:       time.Hour,
			Epochs:       rapid.IntRange(1, 2).Draw(t, "epochs"),
			Fee:          fee,
			PlatformFee:  token.MustRatio(rapid.SampledFrom([]uint64{0, 0, 1, 3, 50}).Draw(t, "platform_fee"), 1000),
			Rules:        rules,
			Seed:         seed,
			Created:      rapid.SampledFrom([]time.Time{{}, Start(), Start().Add(-time.Hour)}).Draw(t, "created"),
		}
	})
}

// OpKind names a command.
type OpKind string

// The commands an [Op] can run.
const (
	OpContribute OpKind = "contribute"
	OpBid        OpKind = "bid"
	OpClose      OpKind = "close"
	OpWithdraw   OpKind = "withdraw"
	OpFees       OpKind = "fees"
	OpRemainder  OpKind = "remainder"
	OpEnableHalt OpKind = "enable_halt"
	OpHalt       OpKind = "activate_halt"
	OpPlatform   OpKind = "platform_fee"
	OpSeal       OpKind = "seal_bid"
	OpReveal     OpKind = "reveal_bid"
)

// Op is one command: who, what amount (in minor units; may be invalid), and when, as a
// shift from the circle's current time (the last event, or its next deadline for a close;
// negative shifts test ordering). Who names a seat: once a seat of the config's members
// passed to another account, [Apply] gives the command to its holder.
type Op struct {
	Kind  OpKind
	Who   token.Account
	Units int64
	Shift time.Duration
	// Fit, for a bid, makes Units a position in per mille between the open round's
	// smallest and largest acceptable bids, so that most such bids are valid; for a
	// payment for a member (collateral, a guarantor's, a recovery) or a change of seat, it
	// makes the amount exactly what is owed or due.
	Fit bool
	// Other is the other party of a deterrent or membership command: the guarantor, the
	// collector, the foreperson acting, the incoming member.
	Other token.Account
}

func (o Op) String() string {
	if o.Other != "" || o.Fit {
		return fmt.Sprintf("%s(%s, %d, %v, fit=%v, other=%s)", o.Kind, o.Who, o.Units, o.Shift, o.Fit, o.Other)
	}
	return fmt.Sprintf("%s(%s, %d, %v)", o.Kind, o.Who, o.Units, o.Shift)
}

// OpFor draws one command for a circle of cfg: mostly valid-looking commands by members,
// with invalid ones mixed in (strangers, zero or negative amounts, times in the past,
// early closes, halts); one in eight is a deterrent or membership command
// ([DeterrentOpFor]).
func OpFor(cfg rosca.Config) *rapid.Generator[Op] {
	return rapid.Custom(func(t *rapid.T) Op {
		if rapid.IntRange(0, 7).Draw(t, "deterrent") == 0 {
			return DeterrentOpFor(cfg).Draw(t, "deterrent_op")
		}
		return flowOp(cfg, t)
	})
}

// flowOp draws one of the circle's own commands (contributions, bids, closes, payouts,
// halts).
func flowOp(cfg rosca.Config, t *rapid.T) Op {
	who := append(append([]token.Account(nil), cfg.Members...), cfg.Operator, "stranger")
	kind := rapid.SampledFrom([]OpKind{OpContribute, OpBid, OpClose, OpWithdraw, OpContribute, OpBid, OpClose,
		OpContribute, OpWithdraw, OpClose, OpContribute, OpBid, OpFees, OpRemainder, OpContribute, OpEnableHalt,
		OpHalt, OpPlatform, OpSeal, OpReveal, OpReveal}).Draw(t, "op")
	if cfg.Rules.Sealed && kind == OpBid { // a sealed circle's bids are seals and reveals
		kind = rapid.SampledFrom([]OpKind{OpSeal, OpReveal}).Draw(t, "sealed_op")
	}
	o := Op{Kind: kind}
	switch kind {
	case OpFees, OpRemainder, OpHalt:
		o.Who = cfg.Foreperson
		if rapid.IntRange(0, 5).Draw(t, "other") == 0 {
			o.Who = rapid.SampledFrom(who).Draw(t, "who")
		}
	case OpEnableHalt, OpPlatform:
		o.Who = cfg.Operator
		if rapid.IntRange(0, 3).Draw(t, "other") == 0 {
			o.Who = rapid.SampledFrom(who).Draw(t, "who")
		}
	default:
		if rapid.IntRange(0, 15).Draw(t, "stranger") == 9 {
			o.Who = "stranger"
		} else {
			o.Who = rapid.SampledFrom(cfg.Members).Draw(t, "who")
		}
	}
	cu, _ := cfg.Contribution.Int64Units()
	pot := cu * int64(len(cfg.Members))
	switch kind {
	case OpContribute:
		o.Units = rapid.OneOf(rapid.Just(cu), rapid.Int64Range(1, 3*cu), rapid.Just(cu), rapid.Int64Range(-1, cu)).Draw(t, "units")
	case OpBid:
		o.Fit = rapid.IntRange(0, 3).Draw(t, "fit") != 3
		if o.Fit {
			o.Units = rapid.Int64Range(0, 1000).Draw(t, "per_mille")
		} else {
			o.Units = rapid.OneOf(rapid.Just(pot), rapid.Int64Range(pot/2, pot+1), rapid.Int64Range(-1, pot)).Draw(t, "units")
		}
	}
	o.Shift = rapid.SampledFrom([]time.Duration{0, 0, time.Minute, -time.Minute, 0, time.Hour}).Draw(t, "shift")
	return o
}

// sealOrReveal seals, or reveals, op.Who's bid of the round: a bid fixed by the seat and
// the round (a position between the smallest and the largest bid) under a salt fixed the
// same way, so that a reveal matches the seal made in the same round. A reveal before the
// deadline is moved to it (plus the op's shift).
func sealOrReveal(c *rosca.Circle, op Op, when time.Time) error {
	r, cfg := c.Round(), c.Config()
	seat := slices.Index(cfg.Members, op.Who)
	pm := int64((seat*137 + r.Round*59) % 1000)
	lo, hi := r.MinBid.Units(), r.MaxBid.Units() // in a sealed round, the same all the round
	x := new(big.Int).Sub(hi, lo)
	if x.Sign() < 0 {
		x.SetInt64(0)
	}
	x.Mul(x, big.NewInt(pm))
	x.Quo(x, big.NewInt(1000))
	taken, _ := r.Pot.Asset().FromUnits(x.Add(x, lo))
	amount := BidIn(c, taken)
	salt := rosca.Salt{byte(seat + 1), byte(r.Round)}
	if op.Kind == OpSeal {
		return c.SealBid(when, op.Who, rosca.SealOf(r.Round, op.Who, amount, salt))
	}
	if when.Before(r.Deadline) {
		when = r.Deadline.Add(max(op.Shift, 0))
	}
	return c.RevealBid(when, op.Who, amount, salt)
}

// BidIn returns the bid, in the circle's [rosca.BidForm], that takes taken from the open
// round's pot (for an interest, the largest that takes at least taken, rounded down; zero
// when no positive bid does, as when nobody else is live and taken is not the pot).
func BidIn(c *rosca.Circle, taken token.Amount) token.Amount {
	r := c.Round()
	x := taken.Units()
	switch c.Config().Rules.BidForm {
	case rosca.BidDiscount:
		x.Sub(r.Pot.Units(), x)
	case rosca.BidInterest:
		if live := int64(r.Unpaid - 1); live > 0 {
			x.Sub(r.Pot.Units(), x)
			x.Quo(x, big.NewInt(live))
		} else if x.Cmp(r.Pot.Units()) == 0 {
			x.SetInt64(1) // nobody else is live: any interest takes the pot, and only the pot
		} else {
			x.SetInt64(0)
		}
	}
	b, _ := taken.Asset().FromUnits(x)
	return b
}

// Ops draws up to max commands for a circle of cfg.
func Ops(cfg rosca.Config, max int) *rapid.Generator[[]Op] {
	return rapid.SliceOfN(OpFor(cfg), 0, max)
}

// Apply runs op on c. The time is the last event's time plus the op's shift (for a close,
// the open round's deadline plus the shift, so that most closes are on time). The command
// is given by, or for, the holder of op.Who's seat (see [Op]). It returns the command's
// error.
func Apply(c *rosca.Circle, op Op) error {
	now := c.Now()
	when := now.Add(op.Shift)
	asset := c.Round().Pot.Asset()
	op.Who = seatHolder(c, op.Who)
	if ok, err := applyDeterrent(c, op, op.Who, when); ok {
		return err
	}
	amount := asset.FromInt64Units(op.Units)
	switch op.Kind {
	case OpContribute:
		return c.Contribute(when, op.Who, amount)
	case OpBid:
		if op.Fit {
			r := c.Round()
			lo, hi := r.MinBid.Units(), r.MaxBid.Units()
			x := new(big.Int).Sub(hi, lo)
			if x.Sign() < 0 {
				x.SetInt64(0)
			}
			x.Mul(x, big.NewInt(op.Units))
			x.Quo(x, big.NewInt(1000)) // floor: stays within [lo, hi]
			taken, _ := asset.FromUnits(x.Add(x, lo))
			amount = BidIn(c, taken)
		}
		return c.Bid(when, op.Who, amount)
	case OpClose:
		dl := c.Round().Deadline
		if dl.After(now) {
			when = dl.Add(op.Shift)
		}
		_, err := c.CloseRound(when)
		return err
	case OpWithdraw:
		_, err := c.Withdraw(when, op.Who)
		return err
	case OpFees:
		_, err := c.RetrieveFees(when, op.Who)
		return err
	case OpRemainder:
		_, _, err := c.DisposeRemainder(when, op.Who)
		return err
	case OpEnableHalt:
		return c.EnableHalt(when, op.Who)
	case OpPlatform:
		_, err := c.RetrievePlatformFee(when, op.Who)
		return err
	case OpSeal, OpReveal:
		return sealOrReveal(c, op, when)
	case OpHalt:
		_, err := c.ActivateHalt(when, op.Who)
		return err
	}
	return fmt.Errorf("roscatest: unknown op %q", op.Kind)
}

// Check runs [rosca.Circle.Audit] and checks, independently of the circle's own totals
// (deterrents included, see [CheckDeterrents]):
// every position's identity (Balance = Contributed - Withdrawn + Won + DiscountShare - Due -
// Held - Loss - LateFees), solvency (the positive balances, the fees reserved, the platform's fee and the remainder
// within the cash plus the named shortfall, and within the cash alone after the end), the cash against the positions and the payouts recorded in the events, one win
// per member per epoch (and every member exactly once in each completed epoch), and the
// zero-sum identity per [CheckZeroSum].
func Check(c *rosca.Circle) error {
	if err := c.Audit(); err != nil {
		return err
	}
	v := viewOf(c)
	asset := v.cfg.Asset
	u := func(d token.Amount) *big.Int { return d.Units() }
	ps := v.ps
	var contributed, withdrawn, positive big.Int
	for _, p := range ps {
		var x big.Int
		x.Sub(u(p.Contributed), u(p.Withdrawn))
		x.Add(&x, u(p.Won))
		x.Add(&x, u(p.DiscountShare))
		x.Sub(&x, u(p.Due))
		x.Sub(&x, u(p.Held))
		x.Sub(&x, u(p.Loss))
		if p.LateFees.IsValid() {
			x.Sub(&x, u(p.LateFees))
		}
		if x.Cmp(u(p.Balance)) != 0 {
			return fmt.Errorf("roscatest: %s: balance %s, parts give %s", p.Member, p.Balance, fromUnits(asset, &x))
		}
		if b, err := c.Balance(p.Member); err != nil || !b.Equal(p.Balance) {
			return fmt.Errorf("roscatest: %s: Balance %s (%v), position %s", p.Member, b, err, p.Balance)
		}
		contributed.Add(&contributed, u(p.Contributed))
		withdrawn.Add(&withdrawn, u(p.Withdrawn))
		if p.Balance.Sign() > 0 {
			positive.Add(&positive, u(p.Balance))
		}
	}
	var paidOut big.Int // fees, remainders and fee-pool bounties paid, less deductions kept, from the events
	fromFees := v.cfg.Rules.Deterrents.Bounty.Pool == rosca.BountyFromFees
	for _, e := range v.evs {
		switch e.Kind {
		case rosca.EventFeesRetrieved, rosca.EventRemainderDisposed, rosca.EventPlatformFeePaid:
			paidOut.Add(&paidOut, u(e.Amount))
		case rosca.EventRecovered:
			if fromFees {
				paidOut.Add(&paidOut, u(e.Bounty)) // the fee reserve paid the collector
			}
		case rosca.EventMemberSubstituted:
			paidOut.Sub(&paidOut, u(e.Deduction)) // the incoming member paid it in
		case rosca.EventHaltActivated:
			for _, l := range e.Settlement {
				if l.Fees || l.Platform {
					paidOut.Add(&paidOut, u(l.Paid))
				}
			}
		}
	}
	tot := v.tot
	var cash big.Int
	cash.Sub(&contributed, &withdrawn)
	cash.Sub(&cash, &paidOut)
	if cash.Cmp(u(tot.Cash)) != 0 {
		return fmt.Errorf("roscatest: cash %s, positions and payouts give %s", tot.Cash, fromUnits(asset, &cash))
	}
	claims := new(big.Int).Add(&positive, u(tot.FeesReserved))
	claims.Add(claims, u(tot.PlatformFees))
	claims.Add(claims, u(tot.Remainder))
	limit := u(tot.Cash)
	if !c.Ended() || c.Halted() {
		limit.Add(limit, u(tot.Shortfall))
	} else if tot.Shortfall.Sign() != 0 {
		return fmt.Errorf("roscatest: shortfall %s left after the end", tot.Shortfall)
	}
	if claims.Cmp(limit) > 0 {
		return fmt.Errorf("roscatest: insolvent: positive balances + fees reserved + platform fees + remainder = %s, cash %s, shortfall %s",
			fromUnits(asset, claims), tot.Cash, tot.Shortfall)
	}
	// One member's statement a step (the one at LastSeq modulo the members), so that a
	// suite checks every member's over its steps at a cost linear in the log.
	if len(ps) > 0 {
		if err := CheckStatements(c, ps[c.LastSeq()%uint64(len(ps)):][:1]); err != nil {
			return err
		}
	}
	if err := checkWins(v); err != nil {
		return err
	}
	if err := checkZeroSum(v); err != nil {
		return err
	}
	return checkDeterrents(v)
}

// view is what the checks read of a circle, read once.
type view struct {
	c      *rosca.Circle
	cfg    rosca.Config
	evs    []rosca.Event
	rounds []rosca.RoundResult
	ps     []rosca.Position
	tot    rosca.Totals
}

func viewOf(c *rosca.Circle) *view {
	return &view{c: c, cfg: c.Config(), evs: c.Events(), rounds: c.Rounds(), ps: c.Positions(), tot: c.Totals()}
}

// CheckStatements checks that every member's statement ends at its position: the totals
// are the position's figures and the last line's running balance is the balance.
func CheckStatements(c *rosca.Circle, ps []rosca.Position) error {
	for _, p := range ps {
		s, err := c.Statement(p.Member)
		if err != nil {
			return err
		}
		t := s.Totals
		same := t.Contributed.Equal(p.Contributed) && t.Withdrawn.Equal(p.Withdrawn) && t.Won.Equal(p.Won) &&
			t.DiscountShare.Equal(p.DiscountShare) && t.Due.Equal(p.Due) && t.Held.Equal(p.Held) &&
			t.Balance.Equal(p.Balance) && (t.Loss.Equal(p.Loss) || t.Loss.IsZero() && p.Loss.IsZero())
		if n := len(s.Lines); n > 0 && !s.Lines[n-1].Balance.Equal(p.Balance) {
			same = false
		}
		if !same {
			return fmt.Errorf("roscatest: %s: statement totals %+v, position %+v", p.Member, t, p)
		}
	}
	return nil
}

// CheckWins checks one win per seat per epoch, and that in every completed epoch each
// seat won exactly once; each round's winner is the account that held its seat when the
// round closed, and [rosca.Circle.Rounds] agrees with the events.
func CheckWins(c *rosca.Circle) error { return checkWins(viewOf(c)) }

func checkWins(v *view) error {
	cfg := v.cfg
	n := len(cfg.Members)
	byEpoch := map[int]map[int]int{}
	rounds := v.rounds
	seats, k := NewSeats(cfg), 0
	for _, e := range v.evs {
		seats.Apply(e)
		if e.Kind != rosca.EventRoundClosed || e.Result == nil {
			continue
		}
		r := *e.Result
		if k >= len(rounds) || !rounds[k].Equal(r) {
			return fmt.Errorf("roscatest: round %d: the event's result %+v is not Rounds'", k+1, r)
		}
		k++
		seat := seats.Of(r.Winner)
		if seat < 0 {
			return fmt.Errorf("roscatest: round %d won by %s, who held no seat then", r.Round, r.Winner)
		}
		if byEpoch[r.Epoch] == nil {
			byEpoch[r.Epoch] = map[int]int{}
		}
		byEpoch[r.Epoch][seat]++
		if byEpoch[r.Epoch][seat] > 1 {
			return fmt.Errorf("roscatest: seat %d (%s) won twice in epoch %d", seat, r.Winner, r.Epoch)
		}
	}
	if k != len(rounds) {
		return fmt.Errorf("roscatest: %d rounds, %d round_closed events", len(rounds), k)
	}
	for e, wins := range byEpoch {
		if len(rounds) >= e*n && len(wins) != n {
			return fmt.Errorf("roscatest: epoch %d completed with %d winners of %d", e, len(wins), n)
		}
	}
	return nil
}

// CheckZeroSum checks that the members' net results (withdrawn + balance - contributed)
// sum to minus the fees withheld and the remainders, less what is withheld for the open
// round and for debts, computed from the closed rounds and the positions alone:
//
//	sum(net) = -sum(round fees and platform fees) - remainders - open round pot - held pots - losses
//	           - accelerated dues + substitutions' deductions
//
// where the remainders are the rounds' remainders kept or carried (not those credited to
// winners), plus, under ShareAll, the pool's undivided units. At the end of an epoch with
// no debts this is the zero-sum of the circle: members lose exactly the fees and the
// remainder disposed.
func CheckZeroSum(c *rosca.Circle) error { return checkZeroSum(viewOf(c)) }

func checkZeroSum(v *view) error {
	c, cfg := v.c, v.cfg
	asset := cfg.Asset
	u := func(d token.Amount) *big.Int { return d.Units() }
	var net, want, pool big.Int
	ps := v.ps
	var base *big.Int // the dues of a member whose dues were not accelerated
	for _, p := range ps {
		net.Add(&net, u(p.Withdrawn))
		net.Add(&net, u(p.Balance))
		net.Sub(&net, u(p.Contributed))
		want.Sub(&want, u(p.Held))
		want.Sub(&want, u(p.Loss)) // the part of its claim written off at the end
		if p.LateFeesOwed.IsValid() {
			want.Sub(&want, u(p.LateFeesOwed)) // charged and not paid: nobody is credited them yet
		}
		if !p.Accelerated {
			if base != nil && base.Cmp(u(p.Due)) != 0 {
				return fmt.Errorf("roscatest: %s: due %s, another member's %s", p.Member, p.Due, fromUnits(asset, base))
			}
			base = u(p.Due)
		}
	}
	var accel big.Int
	for _, p := range ps {
		if p.Accelerated && base != nil {
			x := u(p.Due)
			if x.Sub(x, base).Sign() < 0 {
				return fmt.Errorf("roscatest: %s: accelerated dues %s below the others' %s", p.Member, p.Due, fromUnits(asset, base))
			}
			accel.Add(&accel, x)
		}
	}
	if tot := v.tot; accel.Cmp(u(tot.AcceleratedDues)) != 0 {
		return fmt.Errorf("roscatest: accelerated dues %s, the positions give %s", tot.AcceleratedDues, fromUnits(asset, &accel))
	}
	want.Sub(&want, &accel)
	for _, e := range v.evs {
		if e.Kind == rosca.EventMemberSubstituted {
			want.Add(&want, u(e.Deduction)) // credited to the foreperson, paid in by the incoming member
		}
	}
	rounds := v.rounds
	for _, r := range rounds {
		want.Sub(&want, u(r.Fee))
		if r.PlatformFee.IsValid() {
			want.Sub(&want, u(r.PlatformFee)) // taken from the winnings
		}
		if r.RemainderTo != rosca.ToWinner {
			want.Sub(&want, u(r.Remainder))
		}
		want.Add(&want, u(r.CarriedIn)) // a carried remainder is counted once, when carried in
		pool.Add(&pool, u(r.Discount))
	}
	if cfg.Rules.Sharing == rosca.ShareAll {
		var q, m big.Int
		q.QuoRem(&pool, big.NewInt(int64(len(cfg.Members))), &m)
		want.Sub(&want, &m)
	}
	if !c.Ended() && !c.Halted() { // a halt abandons the open round
		want.Sub(&want, u(c.Round().Pot))
	}
	if net.Cmp(&want) != 0 {
		return fmt.Errorf("roscatest: zero-sum: members' net %s, want %s", fromUnits(asset, &net), fromUnits(asset, &want))
	}
	return nil
}

// ErrChanged reports a rejected command that changed the circle.
var ErrChanged = fault.NewReason("roscatest.changed", fault.Internal, "roscatest: rejected command changed the circle")

// fromUnits returns u minor units of asset a, for messages.
func fromUnits(a token.Asset, u *big.Int) string {
	x, err := a.FromUnits(u)
	if err != nil {
		return u.String() + " minor units"
	}
	return x.String()
}

// State is a circle's observable state (open round, positions, totals, the pledges by
// seat and the sequence number of its last event), for checking that a rejected command changed nothing: take
// it before with [Fingerprint] and compare after with [CheckUnchanged]. The zero State is
// the state of no circle.
type State struct {
	Round     rosca.RoundState
	Positions []rosca.Position
	Totals    rosca.Totals
	Pledges   []rosca.Pledge
	LastSeq   uint64
}

// Fingerprint returns c's observable state.
func Fingerprint(c *rosca.Circle) State {
	s := State{Round: c.Round(), Positions: c.Positions(), Totals: c.Totals(), LastSeq: c.LastSeq()}
	for _, p := range s.Positions {
		ps, _ := c.Pledges(p.Member)
		s.Pledges = append(s.Pledges, ps...)
	}
	return s
}

// CheckUnchanged returns an error wrapping [ErrChanged] if c's state is not before. The
// comparison is deep and strict (it also sees a change of internal representation, which a
// rejected command has no reason to make either).
func CheckUnchanged(before State, c *rosca.Circle) error {
	if after := Fingerprint(c); !reflect.DeepEqual(before, after) {
		return fmt.Errorf("%w:\nbefore %+v\nafter  %+v", ErrChanged, before, after)
	}
	return nil
}

// CheckReplay checks that c's log replays ([rosca.Replay]) to the same circle: the same
// events and the same observable state ([Fingerprint]).
func CheckReplay(c *rosca.Circle) error {
	r, err := rosca.Replay(c.Config(), c.EventsAfter(0))
	if err != nil {
		return fmt.Errorf("roscatest: replay: %w", err)
	}
	if !slices.EqualFunc(c.Events(), r.Events(), rosca.Event.Equal) {
		return fmt.Errorf("roscatest: the replayed events differ:\n%+v\n%+v", c.Events(), r.Events())
	}
	if a, b := Fingerprint(c), Fingerprint(r); !reflect.DeepEqual(a, b) {
		return fmt.Errorf("roscatest: replay differs:\nlive   %+v\nreplay %+v", a, b)
	}
	return nil
}
