package rosca_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// The property suites of the circle forms: random configurations of every preset
// (WeTrust, the chit fund, the hui in its internal and external forms) and of random
// combinations of the rules, run to their end with every member paying what it owes each
// round, random bids within the round's limits in the rules' bid form, random
// withdrawals, and each round closed at its deadline. After every close the books are
// checked from the public figures alone (see formsCheck).

// formsMaxFees are the fee caps drawn for random rules.
var formsMaxFees = []token.Ratio{token.MustRatio(2, 100), token.MustRatio(5, 100), token.MustRatio(7, 100), token.MustRatio(1, 10)}

// formsPreset returns preset k: 0 WeTrust, 1 the chit fund, 2 the hui, 3 the external hui.
func formsPreset(k int) rosca.Rules {
	switch k {
	case 1:
		return rosca.ChitFundRules()
	case 2:
		return rosca.HuiRules()
	case 3:
		return rosca.HuiExternalRules()
	}
	return rosca.WeTrustRules()
}

// drawFormsKind draws how winners are chosen: mostly bidding; never fixed order for the
// organizer's round.
func drawFormsKind(t *rapid.T, organizer bool) rosca.Kind {
	kinds := []rosca.Kind{rosca.Bidding, rosca.Bidding, rosca.Bidding, rosca.Lottery, rosca.FixedOrder}
	if organizer {
		kinds = kinds[:4]
	}
	return rapid.SampledFrom(kinds).Draw(t, "kind")
}

// drawFormsRules draws every field of the rules the forms combine.
func drawFormsRules(t *rapid.T) rosca.Rules {
	den := rapid.SampledFrom([]uint64{7, 100, 1000}).Draw(t, "den")
	lo := rapid.Uint64Range(1, den).Draw(t, "min_bid")
	r := rosca.Rules{
		MinBid:    token.MustRatio(lo, den),
		NextBid:   rapid.SampledFrom([]token.Ratio{token.One(), token.One(), token.MustRatio(99, 100), token.MustRatio(9, 10), token.MustRatio(1, 2)}).Draw(t, "next_bid"),
		Ties:      rapid.SampledFrom([]rosca.TieBreak{"", rosca.TieFirst, rosca.TieByLot}).Draw(t, "ties"),
		Price:     rapid.SampledFrom([]rosca.PricePolicy{"", rosca.PriceOwnBid, rosca.PriceSecondBid}).Draw(t, "price"),
		BidForm:   rapid.SampledFrom([]rosca.BidForm{"", rosca.BidAmount, rosca.BidDiscount, rosca.BidInterest, rosca.BidInterestExternal}).Draw(t, "bid_form"),
		Organizer: rapid.Bool().Draw(t, "organizer"),
		Sharing:   rapid.SampledFrom([]rosca.Sharing{rosca.ShareAll, rosca.ShareOthers, rosca.ShareUnpaid, rosca.ShareEach}).Draw(t, "sharing"),
		Remainder: rapid.SampledFrom([]rosca.RemainderPolicy{rosca.RemainderToForeperson, rosca.RemainderCarry, rosca.RemainderToWinner}).Draw(t, "remainder"),
		Fee:       rapid.SampledFrom([]rosca.FeeMode{rosca.FeeNetFloor, rosca.FeeCommission, rosca.FeeCommissionFromPrize}).Draw(t, "fee_mode"),
		NoBid:     rapid.SampledFrom([]rosca.NoBidPolicy{rosca.NoBidDraw, rosca.NoBidFirstUnpaid}).Draw(t, "no_bid"),
		MaxFee:    rapid.SampledFrom(formsMaxFees).Draw(t, "max_fee"),
	}
	if rapid.Bool().Draw(t, "has_max_bid") {
		r.MaxBid = token.MustRatio(rapid.Uint64Range(lo, den).Draw(t, "max_bid"), den)
	}
	return r
}

// drawFormsConfig draws a circle of 2 to 8 members under rules: the epochs (at most 12
// rounds), the contribution, the foreperson's seat, the fee within the cap (zero for an
// organizer's round under net_floor, and leaving a bid under a commission out of the
// discount), a step, a platform fee now and then, and the seed.
func drawFormsConfig(t *rapid.T, kind rosca.Kind, rules rosca.Rules) rosca.Config {
	n := rapid.IntRange(2, 8).Draw(t, "members")
	epochs := rapid.IntRange(1, max(1, min(3, 12/n))).Draw(t, "epochs")
	scale := rapid.SampledFrom([]int64{20, 1_000, 1_000_000_000_000}).Draw(t, "scale")
	c := rapid.Int64Range(1, scale).Draw(t, "contribution")
	cfg := weiCfg(kind, n, c, 0)
	cfg.Epochs, cfg.Rules = epochs, rules
	cfg.Foreperson = cfg.Members[rapid.IntRange(0, n-1).Draw(t, "foreperson")]
	if !(rules.Organizer && rules.Fee == rosca.FeeNetFloor) {
		top := rules.MaxFee.Num() * 1000 / rules.MaxFee.Den()
		if rules.Fee == rosca.FeeCommission { // the smallest bid must stay under the commission
			c := rules.MinBid.Complement()
			top = min(top, c.Num()*1000/c.Den())
		}
		if k := rapid.Uint64Range(0, top).Draw(t, "fee"); k > 0 {
			cfg.Fee = token.MustRatio(k, 1000)
		}
	}
	if rapid.IntRange(0, 4).Draw(t, "platform") == 0 {
		cfg.PlatformFee = token.MustRatio(rapid.Uint64Range(1, 5).Draw(t, "platform_fee"), 1000)
	}
	if pot := c * int64(n); rapid.IntRange(0, 3).Draw(t, "has_step") == 0 {
		cfg.Rules.Step = wei(rapid.Int64Range(1, max(1, pot/3)).Draw(t, "step"))
	}
	cfg.Seed = rosca.Seed{1}
	seed := rapid.Uint64().Draw(t, "seed")
	for i := range 8 {
		cfg.Seed[8+i] = byte(seed >> (8 * i))
	}
	return cfg
}

// drawFormsAny draws a preset or random rules, and a config of them.
func drawFormsAny(t *rapid.T) rosca.Config {
	var rules rosca.Rules
	if k := rapid.IntRange(0, 4).Draw(t, "preset"); k < 4 {
		rules = formsPreset(k)
	} else {
		rules = drawFormsRules(t)
	}
	return drawFormsConfig(t, drawFormsKind(t, rules.Organizer), rules)
}

// formOp is one command of a run, by seat, with its outcome: a payment, a bid (in the
// rules' form), a withdrawal or a close.
type formOp struct {
	kind  byte // 'p' pay, 'b' bid, 'w' withdraw, 'c' close
	seat  int
	units int64
	err   error
}

// formsRun is a random circle run to its end: its commands are recorded by seat, so that
// they can run again on a circle whose members are named otherwise.
type formsRun struct {
	cfg   rosca.Config
	c     *rosca.Circle
	ops   []formOp
	byOwe bool // members pay Circle.Owed, else Position.Due - Contributed
}

// apply runs op on the circle and records it.
func (r *formsRun) apply(t *rapid.T, op formOp) error {
	c, m := r.c, r.cfg.Members[op.seat]
	now := c.Now()
	switch op.kind {
	case 'p':
		op.err = c.Contribute(now, m, wei(op.units))
	case 'b':
		op.err = c.Bid(now, m, wei(op.units))
	case 'w':
		_, op.err = c.Withdraw(now, m)
	case 'c':
		_, op.err = c.CloseRound(c.Round().Deadline)
	default:
		t.Fatalf("unknown op %c", op.kind)
	}
	r.ops = append(r.ops, op)
	return op.err
}

// pay has every member pay what it owes for the open round, now and then a little more.
func (r *formsRun) pay(t *rapid.T) {
	for _, p := range r.c.Positions() {
		owe := units(p.Due) - units(p.Contributed)
		if r.byOwe {
			o, err := r.c.Owed(p.Member)
			if err != nil {
				t.Fatal(err)
			}
			owe = units(o)
		}
		if rapid.IntRange(0, 9).Draw(t, "surplus") == 0 {
			owe += rapid.Int64Range(1, units(r.cfg.Contribution)).Draw(t, "extra")
		}
		if owe > 0 {
			if err := r.apply(t, formOp{kind: 'p', seat: p.Seat, units: owe}); err != nil {
				t.Fatalf("round %d: %s pays %d: %v", r.c.Round().Round, p.Member, owe, err)
			}
		}
	}
}

// bidUnits returns a bid in the rules' form that takes from the pot about what pick
// chooses between the round's limits, and whether there is one.
func (r *formsRun) bidUnits(t *rapid.T) (int64, bool) {
	rs := r.c.Round()
	pot, lo, hi := units(rs.Pot), units(rs.MinBid), units(rs.MaxBid)
	if lo > hi {
		return 0, false
	}
	atCap := rapid.IntRange(0, 3).Draw(t, "at_cap") == 0 // bid the cap: ties, and the cap itself
	taken := hi
	if !atCap {
		taken = rapid.Int64Range(lo, hi).Draw(t, "taken")
	}
	switch r.cfg.Rules.BidForm {
	case rosca.BidDiscount:
		return pot - taken, pot > taken
	case rosca.BidInterest, rosca.BidInterestExternal:
		live := int64(rs.Unpaid - 1)
		if live == 0 {
			return 0, false
		}
		wmin, wmax := max(1, (pot-hi+live-1)/live), (pot-lo)/live
		if wmin > wmax {
			return 0, false
		}
		if atCap {
			return wmin, true
		}
		return rapid.Int64Range(wmin, wmax).Draw(t, "interest"), true
	}
	return taken, true
}

// bid makes up to three bids by members who may bid.
func (r *formsRun) bid(t *rapid.T) {
	c := r.c
	if r.cfg.Kind != rosca.Bidding || (r.cfg.Rules.Organizer && c.Round().InEpoch == 1) {
		return
	}
	for range rapid.IntRange(0, 3).Draw(t, "bids") {
		seat := rapid.IntRange(0, len(r.cfg.Members)-1).Draw(t, "bidder")
		if err := c.CanBid(c.Now(), r.cfg.Members[seat]); err != nil {
			if !errors.Is(err, rosca.ErrAlreadyWon) {
				t.Fatalf("round %d: seat %d may not bid: %v", c.Round().Round, seat, err)
			}
			continue
		}
		x, has := r.bidUnits(t)
		if !has {
			continue
		}
		if err := r.apply(t, formOp{kind: 'b', seat: seat, units: x}); err != nil {
			t.Fatalf("round %d: seat %d bids %d within %s..%s: %v", c.Round().Round, seat, x, c.Round().MinBid, c.Round().MaxBid, err)
		}
	}
}

// withdraw lets a random member take its positive balance now and then.
func (r *formsRun) withdraw(t *rapid.T) {
	if rapid.IntRange(0, 2).Draw(t, "withdraw") != 0 {
		return
	}
	seat := rapid.IntRange(0, len(r.cfg.Members)-1).Draw(t, "who")
	p, err := r.c.Position(r.cfg.Members[seat])
	if err != nil {
		t.Fatal(err)
	}
	if p.Balance.Sign() <= 0 {
		return
	}
	if err := r.apply(t, formOp{kind: 'w', seat: seat}); err != nil && !errors.Is(err, rosca.ErrNoCash) {
		t.Fatalf("round %d: %s withdraws %s: %v", r.c.Round().Round, p.Member, p.Balance, err)
	}
}

// runForms runs cfg to its end, checking the books after every close, and in full
// (statements, flows and replay) after the last close and, when full, in half the runs
// after one drawn close too: replaying the whole log checks every earlier close's
// decisions again.
func runForms(t *rapid.T, cfg rosca.Config, full bool) *formsRun {
	c, err := rosca.New(cfg)
	if err != nil {
		t.Fatalf("New: %v\nconfig %s", err, roundTripJSONBytes(cfg))
	}
	r := &formsRun{cfg: cfg, c: c, byOwe: rapid.Bool().Draw(t, "by_owed")}
	fullAt := rapid.IntRange(1, 2*cfg.Rounds()).Draw(t, "full_at") // in half the runs, one close checked in full besides the last
	for k := range cfg.Rounds() {
		r.pay(t)
		r.bid(t)
		if err := r.apply(t, formOp{kind: 'c'}); err != nil {
			t.Fatalf("close round %d: %v", c.Round().Round, err)
		}
		if err := formsCheckReserve(c); err != nil {
			t.Fatalf("%v\nconfig %s", err, roundTripJSONBytes(cfg))
		}
		r.withdraw(t)
		if err := formsCheck(c, full && k+1 == fullAt || c.Ended()); err != nil {
			t.Fatalf("after round %d: %v\nconfig %s", len(c.Rounds()), err, roundTripJSONBytes(cfg))
		}
	}
	return r
}

// formsCheckReserve checks the fee reserve right after a close, every member having paid
// what it owed: nobody is short, so under net_floor the reserve is the fee on every
// member's dues so far, floor(C x r x n x fee), limited to the cash; under a commission it
// is the commissions withheld, limited to the cash.
func formsCheckReserve(c *rosca.Circle) error {
	cfg, tot, rounds := c.Config(), c.Totals(), c.Rounds()
	want := u(tot.FeesWithheld)
	if cfg.Rules.Fee == rosca.FeeNetFloor {
		want = floorFrac(units(cfg.Contribution)*int64(len(rounds)*len(cfg.Members)), cfg.Fee)
	}
	want = min(want, u(tot.Cash))
	if got := u(tot.FeesReserved); got != want || units(rounds[len(rounds)-1].FeesReserved) != got {
		return fmt.Errorf("round %d: fees reserved %s (round result %s), want %d", len(rounds), tot.FeesReserved, rounds[len(rounds)-1].FeesReserved, want)
	}
	return nil
}

// u is x in minor units, the zero Amount (an omitted figure) being 0.
func u(x token.Amount) int64 {
	if !x.IsValid() {
		return 0
	}
	return units(x)
}

// floorFrac is floor(x x r).
func floorFrac(x int64, r token.Ratio) int64 {
	if r.IsZero() {
		return 0
	}
	return x * int64(r.Num()) / int64(r.Den())
}

// formsCheck checks a circle where everyone pays what it owes:
//
//   - each round: Pot + CarriedIn = Winnings + Discount + Fee + Dust (Winnings before the
//     platform fee, and without the interests credited under the external form),
//     Remainder = Dust + DivisionRemainder, ShareEach x Recipients + DivisionRemainder =
//     Discount (ShareAll: the pool holds every discount), the recipients, the fee, the
//     platform fee, where the remainder went, what the next round carried in;
//   - each member: its winnings, discount share, dues and balance from the rounds;
//   - the members' nets (Balance + Withdrawn - Contributed) sum to minus the fees withheld,
//     the platform fees, the remainders not credited to members and the dues withheld for
//     the open round;
//   - one win per member per epoch, c.Audit() nil;
//   - under ShareAll (not the external form, where a member that has won pays more), two
//     members' nets differ only by what their wins credited them;
//   - when full: the statements match the positions, under ShareAll two members'
//     statement lines (their own payments and withdrawals aside) differ only in the
//     rounds either wins, and replay equals live (Snapshot JSON).
func formsCheck(c *rosca.Circle, full bool) error {
	if err := c.Audit(); err != nil {
		return err
	}
	cfg := c.Config()
	rounds := c.Rounds()
	if err := formsCheckRounds(cfg, rounds); err != nil {
		return err
	}
	if err := formsCheckPositions(c, cfg, rounds); err != nil {
		return err
	}
	if err := formsCheckTotals(c, cfg, rounds); err != nil {
		return err
	}
	shareAll := cfg.Rules.Sharing == rosca.ShareAll && cfg.Rules.BidForm != rosca.BidInterestExternal
	if shareAll {
		if err := formsCheckShareAll(c, cfg, rounds, full); err != nil {
			return err
		}
	}
	if !full {
		return nil
	}
	for _, m := range cfg.Members {
		if err := checkStatement(c, m); err != nil {
			return err
		}
	}
	rc, err := rosca.Replay(cfg, slices.Values(c.Events()))
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if a, b := roundTripJSONBytes(c.Snapshot()), roundTripJSONBytes(rc.Snapshot()); a != b {
		return fmt.Errorf("replay differs:\nlive     %s\nreplayed %s", a, b)
	}
	return nil
}

// formsCheckRounds checks each closed round's figures.
func formsCheckRounds(cfg rosca.Config, rounds []rosca.RoundResult) error {
	n, rules := len(cfg.Members), cfg.Rules
	pot := units(cfg.Contribution) * int64(n)
	var carry, feeRounds, fees, interests int64
	for k, r := range rounds {
		inEpoch := k%n + 1
		if inEpoch == 1 {
			interests = 0
		}
		organizer := rules.Organizer && inEpoch == 1
		if r.Round != k+1 || r.Epoch != k/n+1 || units(r.Pot) != pot || r.Debt {
			return fmt.Errorf("round %d: %+v", k+1, r)
		}
		if got := units(r.Winnings) + units(r.Discount) + units(r.Fee) + units(r.Dust); pot+units(r.CarriedIn) != got {
			return fmt.Errorf("round %d: pot %d + carried in %s = %d, but winnings %s + discount %s + fee %s + dust %s = %d",
				r.Round, pot, r.CarriedIn, pot+units(r.CarriedIn), r.Winnings, r.Discount, r.Fee, r.Dust, got)
		}
		if d := units(r.Dust); d < 0 || d > 2 || units(r.Remainder) != d+units(r.DivisionRemainder) || units(r.CarriedIn) != carry {
			return fmt.Errorf("round %d: dust %s, division remainder %s, remainder %s, carried in %s (want %d)",
				r.Round, r.Dust, r.DivisionRemainder, r.Remainder, r.CarriedIn, carry)
		}
		want := map[rosca.Sharing]int{rosca.ShareAll: n, rosca.ShareEach: n, rosca.ShareOthers: n - 1, rosca.ShareUnpaid: n - inEpoch}[rules.Sharing]
		shared := units(r.ShareEach)*int64(r.Recipients) + units(r.DivisionRemainder)
		if rules.Sharing == rosca.ShareAll {
			shared = units(r.Discount)
		}
		if r.Recipients != want || shared != units(r.Discount) || (rules.Sharing == rosca.ShareAll && !r.DivisionRemainder.IsZero()) {
			return fmt.Errorf("round %d: %d recipients (want %d) of %s each, division remainder %s, discount %s",
				r.Round, r.Recipients, want, r.ShareEach, r.DivisionRemainder, r.Discount)
		}
		if err := formsCheckFee(cfg, r, organizer, &feeRounds, &fees); err != nil {
			return err
		}
		if pf := min(floorFrac(pot, cfg.PlatformFee), units(r.Winnings)); u(r.PlatformFee) != pf {
			return fmt.Errorf("round %d: platform fee %s, want %d", r.Round, r.PlatformFee, pf)
		}
		var err error
		if carry, err = formsCheckRemainderTo(cfg, r); err != nil {
			return err
		}
		if organizer && (r.Method != rosca.ByOrganizer || r.Winner != cfg.Foreperson || units(r.Winnings) != pot) {
			return fmt.Errorf("round %d, the organizer's: %+v", r.Round, r)
		}
		if rules.BidForm == rosca.BidInterestExternal {
			if u(r.InterestIn) != interests || units(r.Discount) != units(r.CarriedIn) {
				return fmt.Errorf("round %d: interests in %s, want %d; discount %s", r.Round, r.InterestIn, interests, r.Discount)
			}
			interests += u(r.Interest)
		} else if r.InterestIn.IsValid() || r.Interest.IsValid() {
			return fmt.Errorf("round %d: interests %s and %s outside the external form", r.Round, r.Interest, r.InterestIn)
		}
	}
	return nil
}

// formsCheckRemainderTo checks where round r's remainder went and returns what it carries
// into the next round.
func formsCheckRemainderTo(cfg rosca.Config, r rosca.RoundResult) (carry int64, err error) {
	want := rosca.ToBucket
	switch {
	case cfg.Rules.Remainder == rosca.RemainderToWinner:
		want = rosca.ToWinner
	case cfg.Rules.Remainder == rosca.RemainderCarry && r.Round < cfg.Rounds():
		want = rosca.ToNextRound
	}
	if r.RemainderTo != want {
		return 0, fmt.Errorf("round %d: remainder to %s, want %s", r.Round, r.RemainderTo, want)
	}
	if want == rosca.ToNextRound {
		carry = units(r.Remainder)
	}
	return carry, nil
}

// formsCheckFee checks round r's fee: floor(P x f) a round under a commission (none in
// the organizer's round), the increments of floor(K x P x f) under net_floor.
func formsCheckFee(cfg rosca.Config, r rosca.RoundResult, organizer bool, feeRounds, fees *int64) error {
	pot := units(r.Pot)
	want := int64(0)
	switch {
	case organizer:
	case cfg.Rules.Fee == rosca.FeeNetFloor:
		*feeRounds++
		want = floorFrac(*feeRounds*pot, cfg.Fee) - *fees
	default:
		want = floorFrac(pot, cfg.Fee)
	}
	*fees += want
	if units(r.Fee) != want {
		return fmt.Errorf("round %d: fee %s, want %d", r.Round, r.Fee, want)
	}
	return nil
}

// formsWins returns, for each seat, the rounds (0-based) it won.
func formsWins(cfg rosca.Config, rounds []rosca.RoundResult) ([][]int, error) {
	seat := map[token.Account]int{}
	for i, m := range cfg.Members {
		seat[m] = i
	}
	n := len(cfg.Members)
	wins := make([][]int, n)
	for k, r := range rounds {
		i, is := seat[r.Winner]
		if !is {
			return nil, fmt.Errorf("round %d won by %s, not a member", r.Round, r.Winner)
		}
		if w := wins[i]; len(w) > 0 && w[len(w)-1]/n == k/n {
			return nil, fmt.Errorf("%s won rounds %d and %d of epoch %d", r.Winner, w[len(w)-1]+1, k+1, k/n+1)
		}
		wins[i] = append(wins[i], k)
	}
	return wins, nil
}

// formsExtra returns what seat i owes on top of C a round under the external form: its
// interest for every later round of each epoch it won in, up to the open round while
// the circle runs.
func formsExtra(cfg rosca.Config, rounds []rosca.RoundResult, wins []int, ended bool) int64 {
	if cfg.Rules.BidForm != rosca.BidInterestExternal {
		return 0
	}
	n := len(cfg.Members)
	upTo := len(rounds) // rounds closed, plus the open one
	if !ended {
		upTo++
	}
	var extra int64
	for _, k := range wins {
		end := min((k/n+1)*n, upTo) // the epoch's last round, or the open one
		extra += u(rounds[k].Interest) * int64(end-k-1)
	}
	return extra
}

// formsShare returns seat i's discount share from the rounds.
func formsShare(cfg rosca.Config, rounds []rosca.RoundResult, wins []int, pool int64) int64 {
	n := int64(len(cfg.Members))
	var share int64
	switch cfg.Rules.Sharing {
	case rosca.ShareAll:
		return pool / n
	case rosca.ShareEach:
		for _, r := range rounds {
			share += units(r.ShareEach)
		}
	case rosca.ShareOthers:
		for k, r := range rounds {
			if !slices.Contains(wins, k) {
				share += units(r.ShareEach)
			}
		}
	case rosca.ShareUnpaid: // the rounds of an epoch before the member's win in it
		for k, r := range rounds {
			won := slices.IndexFunc(wins, func(w int) bool { return w/int(n) == k/int(n) })
			if won < 0 || wins[won] > k {
				share += units(r.ShareEach)
			}
		}
	}
	return share
}

// formsCheckPositions checks each member's figures against the rounds.
func formsCheckPositions(c *rosca.Circle, cfg rosca.Config, rounds []rosca.RoundResult) error {
	wins, err := formsWins(cfg, rounds)
	if err != nil {
		return err
	}
	ended, n := c.Ended(), len(cfg.Members)
	dueRounds := int64(len(rounds))
	if !ended {
		dueRounds++
	}
	pool := u(c.Totals().DiscountPool)
	for i, p := range c.Positions() {
		var won int64
		for _, k := range wins[i] {
			r := rounds[k]
			won += units(r.Winnings) - u(r.PlatformFee) + u(r.InterestIn)
			if r.RemainderTo == rosca.ToWinner {
				won += units(r.Remainder)
			}
		}
		share := formsShare(cfg, rounds, wins[i], pool)
		due := units(cfg.Contribution)*dueRounds + formsExtra(cfg, rounds, wins[i], ended)
		bal := units(p.Contributed) + won + share - units(p.Withdrawn) - due
		if units(p.Won) != won || units(p.DiscountShare) != share || units(p.Due) != due || units(p.Balance) != bal ||
			p.Wins != len(wins[i]) || u(p.Held) != 0 || u(p.Loss) != 0 || p.Debt {
			return fmt.Errorf("%s: %+v; want won %d, share %d, due %d, balance %d, %d wins", p.Member, p, won, share, due, bal, len(wins[i]))
		}
		if epochs := len(rounds) / n; len(wins[i]) < epochs {
			return fmt.Errorf("%s won %d rounds in %d epochs", p.Member, len(wins[i]), epochs)
		}
	}
	return nil
}

// formsCheckTotals checks the circle's totals against the rounds, and that the members'
// nets sum to minus what left their accounts: the fees withheld, the platform fees, the
// remainders not credited to members, and the dues withheld for the open round (with the
// open round's interests under the external form).
func formsCheckTotals(c *rosca.Circle, cfg rosca.Config, rounds []rosca.RoundResult) error {
	tot := c.Totals()
	n := int64(len(cfg.Members))
	var discounts, fees, platform, kept, open int64
	for k, r := range rounds {
		discounts += units(r.Discount) - units(r.DivisionRemainder) // what was shared
		fees += units(r.Fee)
		platform += u(r.PlatformFee)
		switch r.RemainderTo {
		case rosca.ToBucket:
			kept += units(r.Remainder)
		case rosca.ToNextRound:
			if k == len(rounds)-1 { // carried into the open round
				kept += units(r.Remainder)
			}
		}
	}
	pool := u(tot.DiscountPool)
	if cfg.Rules.Sharing == rosca.ShareAll {
		kept += pool % n
	}
	if !c.Ended() {
		open = units(c.Round().Pot)
		if cfg.Rules.BidForm == rosca.BidInterestExternal {
			for k := len(rounds) / int(n) * int(n); k < len(rounds); k++ {
				open += u(rounds[k].Interest)
			}
		}
	}
	if pool != discounts || u(tot.FeesWithheld) != fees || u(tot.PlatformFees)+u(tot.PlatformFeesPaid) != platform ||
		u(tot.Remainder)+u(tot.RemainderPaid) != kept || u(tot.OpenRoundDues) != units(c.Round().Pot)*boolInt(!c.Ended()) {
		return fmt.Errorf("totals %+v; want discount pool (discounts shared) %d, fees withheld %d, platform fees %d, remainder %d", tot, discounts, fees, platform, kept)
	}
	var nets int64
	for _, p := range c.Positions() {
		nets += units(p.Balance) + units(p.Withdrawn) - units(p.Contributed)
	}
	if want := -(fees + platform + kept + open); nets != want {
		return fmt.Errorf("the members' nets sum to %d, want -(fees %d + platform fees %d + remainders %d + open dues %d) = %d",
			nets, fees, platform, kept, open, want)
	}
	return nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// formsFlows returns member m's statement lines by round, summed by kind, leaving out its
// own payments and withdrawals: what the circle did to its account.
func formsFlows(c *rosca.Circle, m token.Account) (map[int]map[rosca.LineKind]int64, error) {
	s, err := c.Statement(m)
	if err != nil {
		return nil, err
	}
	out := map[int]map[rosca.LineKind]int64{}
	for _, l := range s.Lines {
		if l.Kind == rosca.LineContribution || l.Kind == rosca.LineWithdrawal {
			continue
		}
		if out[l.Round] == nil {
			out[l.Round] = map[rosca.LineKind]int64{}
		}
		out[l.Round][l.Kind] += units(l.Amount)
	}
	return out, nil
}

// formsCheckShareAll checks that under ShareAll two members' flows differ only in the
// rounds either wins: the same discount share and dues, line by line on their statements,
// and nets that differ by what each was credited for its wins.
func formsCheckShareAll(c *rosca.Circle, cfg rosca.Config, rounds []rosca.RoundResult, lines bool) error {
	wins, err := formsWins(cfg, rounds)
	if err != nil {
		return err
	}
	winner := map[int]token.Account{}
	for _, r := range rounds {
		winner[r.Round] = r.Winner
	}
	ps := c.Positions()
	base := make([]int64, len(ps)) // net less what the member's wins credited it
	flows := make([]map[int]map[rosca.LineKind]int64, len(ps))
	for i, p := range ps {
		base[i] = units(p.Balance) + units(p.Withdrawn) - units(p.Contributed)
		for _, k := range wins[i] {
			r := rounds[k]
			base[i] -= units(r.Winnings) - u(r.PlatformFee)
			if r.RemainderTo == rosca.ToWinner {
				base[i] -= units(r.Remainder)
			}
		}
		if !lines {
			continue
		}
		if flows[i], err = formsFlows(c, p.Member); err != nil {
			return err
		}
	}
	for i := 1; i < len(ps); i++ {
		if base[i] != base[0] || !ps[i].DiscountShare.Equal(ps[0].DiscountShare) || !ps[i].Due.Equal(ps[0].Due) {
			return fmt.Errorf("ShareAll: %s and %s differ beyond their wins: %d and %d (%+v, %+v)", ps[0].Member, ps[i].Member, base[0], base[i], ps[0], ps[i])
		}
		if !lines {
			continue
		}
		for round := 0; round <= len(rounds)+1; round++ {
			if w := winner[round]; w == ps[0].Member || w == ps[i].Member {
				continue
			}
			a, b := flows[0][round], flows[i][round]
			if len(a) != len(b) {
				return fmt.Errorf("ShareAll: round %d flows of %s %v and %s %v", round, ps[0].Member, a, ps[i].Member, b)
			}
			for kind, x := range a {
				if y, has := b[kind]; !has || x != y {
					return fmt.Errorf("ShareAll: round %d flows of %s %v and %s %v", round, ps[0].Member, a, ps[i].Member, b)
				}
			}
		}
	}
	return nil
}

// TestFormsExternalShortfall is the engine bug the property suites found in the external
// hui form. Two members of 1,000 with a 2% fee under net_floor; m1 bids an interest of 100
// and wins round 1 (it takes RF(2,000) = 1,960 and owes 1,000 + 100 in round 2), then
// withdraws its balance, 860, and owes nothing; m0 pays its 1,000. Nobody is short at the
// close of round 2, so the reserve is the fee on every member's dues, floor(4,000 x 2%) =
// 80: the interests are owed between members, not to the pot, and no part of the fee's
// base (a close once counted the interest of round 2 twice, as a closed due of m1's and as
// the open round's interest, and reserved 78; under ShareAll the fast and exact shortfalls
// then differed).
func TestFormsExternalShortfall(t *testing.T) {
	for _, sharing := range []rosca.Sharing{rosca.ShareOthers, rosca.ShareAll} {
		t.Run(string(sharing), func(t *testing.T) {
			cfg := weiCfg(rosca.Bidding, 2, 1000, 20)
			cfg.Rules.BidForm, cfg.Rules.Sharing = rosca.BidInterestExternal, sharing
			c := mustNew(t, cfg)
			contributeAll(t, c, at(0), wei(1000))
			ok(t, c.Bid(at(0), "m1", wei(100)))
			_, err := c.CloseRound(at(1))
			ok(t, err)
			if got := withdraw(t, c, at(1), "m1"); got != 860 {
				t.Fatalf("m1 withdrew %d, want 860", got)
			}
			if owed, err := c.Owed("m1"); err != nil || !owed.IsZero() {
				t.Fatalf("m1 owes %s (%v)", owed, err)
			}
			ok(t, c.Contribute(at(1), "m0", wei(1000)))
			res, err := c.CloseRound(at(2))
			ok(t, err)
			if units(res.FeesReserved) != 80 {
				t.Fatalf("fees reserved %s, want 80: nobody is short", res.FeesReserved)
			}
		})
	}
}

// TestRapidFormsPresets runs random circles of every preset, with the checks of
// formsCheck, replay and statements included, after every close.
func TestRapidFormsPresets(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rules := formsPreset(rapid.IntRange(0, 3).Draw(t, "preset"))
		runForms(t, drawFormsConfig(t, drawFormsKind(t, rules.Organizer), rules), true)
	})
}

// TestRapidFormsRules runs random combinations of the rules' fields.
func TestRapidFormsRules(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rules := drawFormsRules(t)
		runForms(t, drawFormsConfig(t, drawFormsKind(t, rules.Organizer), rules), true)
	})
}

// TestRapidFormsShareAll runs random rules sharing every discount among all the members
// (the all-tickets split), where two members' flows differ only in the rounds they win.
func TestRapidFormsShareAll(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rules := drawFormsRules(t)
		rules.Sharing = rosca.ShareAll
		if rules.BidForm == rosca.BidInterestExternal { // a member that has won pays more than C
			rules.BidForm = rosca.BidInterest
		}
		runForms(t, drawFormsConfig(t, drawFormsKind(t, rules.Organizer), rules), true)
	})
}

// TestRapidFormsHuiZeroSum runs the hui presets without a fee: the interests pass from
// the members who take early to those who wait, and the profits sum to zero, at the end
// of every epoch and after everyone withdraws.
func TestRapidFormsHuiZeroSum(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rules := formsPreset(rapid.IntRange(2, 3).Draw(t, "preset"))
		cfg := drawFormsConfig(t, rosca.Bidding, rules)
		cfg.Fee, cfg.PlatformFee, cfg.Rules.Step = token.Ratio{}, token.Ratio{}, token.Amount{}
		r := runForms(t, cfg, false)
		c := r.c
		for _, p := range c.Positions() {
			if p.Balance.IsPositive() {
				if _, err := c.Withdraw(c.Now(), p.Member); err != nil {
					t.Fatalf("%s withdraws %s: %v", p.Member, p.Balance, err)
				}
			}
		}
		var sum int64
		for _, p := range c.Positions() {
			sum += units(p.Withdrawn) + units(p.Balance) - units(p.Contributed)
		}
		if tot := c.Totals(); sum != 0 || !tot.Cash.IsZero() || u(tot.Remainder) != 0 {
			t.Fatalf("profits sum to %d; totals %+v", sum, tot)
		}
	})
}

// TestRapidFormsRelabel runs the same commands, seat by seat, on a circle whose members'
// names are permuted (the seats, the seed and the bids unchanged): every command has the
// same outcome, the positions are the same seat by seat under the new names, and no round
// or total changes but for the names.
func TestRapidFormsRelabel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := drawFormsAny(t)
		r := runForms(t, cfg, false)
		perm := rapid.Permutation(cfg.Members).Draw(t, "names")
		names := map[token.Account]token.Account{}
		for i, m := range cfg.Members {
			names[m] = perm[i]
		}
		cfg2 := cfg
		cfg2.Members, cfg2.Foreperson = perm, names[cfg.Foreperson]
		c2, err := rosca.New(cfg2)
		if err != nil {
			t.Fatal(err)
		}
		r2 := &formsRun{cfg: cfg2, c: c2}
		for k, op := range r.ops {
			err := r2.apply(t, formOp{kind: op.kind, seat: op.seat, units: op.units})
			if (err == nil) != (op.err == nil) || (err != nil && !errors.Is(err, rosca.ErrNoCash)) {
				t.Fatalf("op %d %c seat %d: %v, relabelled %v", k, op.kind, op.seat, op.err, err)
			}
		}
		relabel := func(v any) string {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		ps, ps2 := r.c.Positions(), c2.Positions()
		for i := range ps {
			p := ps[i]
			p.Member = names[p.Member]
			if a, b := relabel(p), relabel(ps2[i]); a != b {
				t.Fatalf("seat %d: %s, relabelled %s", i, a, b)
			}
		}
		rs, rs2 := r.c.Rounds(), c2.Rounds()
		for k := range rs {
			x := rs[k]
			x.Winner = names[x.Winner]
			if !x.Equal(rs2[k]) {
				t.Fatalf("round %d: %+v, relabelled %+v", k+1, x, rs2[k])
			}
		}
		if a, b := relabel(r.c.Totals()), relabel(c2.Totals()); a != b {
			t.Fatalf("totals %s, relabelled %s", a, b)
		}
	})
}
