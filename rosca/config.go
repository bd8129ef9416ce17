package rosca

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

// Limits of a [Config] and of a circle.
const (
	// MinMembers is the smallest circle.
	MinMembers = 2
	// MaxMembers is the largest circle. The reference contract stopped at 255 (its uint8
	// loop counter wrapped at 256); this package has no such wrap.
	MaxMembers = 10_000
	// MaxEpochs is the largest number of epochs.
	MaxEpochs = 1_000
	// MaxRounds is the largest number of rounds in a circle (members x epochs).
	MaxRounds = 1_000_000
	// MaxSpan is the longest a circle may run: rounds x period.
	MaxSpan = 50 * 365 * 24 * time.Hour
	// MaxContributionDigits bounds the contribution: below 10^60 minor units.
	MaxContributionDigits = 60
	// MaxCashDigits bounds the money a circle holds: the sum of all contributions stays
	// below 10^90 minor units, and a contribution that would reach it is refused with
	// [ErrInvalidAmount]. With the contribution bound it keeps every figure the circle
	// reports (balances, totals, event amounts) within the range of a [token.Amount], so
	// that whatever a command accepts is written to the event log and read back.
	MaxCashDigits = 90
)

// The years a circle's times may fall in: its start from 1900 to 2200, every command from
// 1900 to 2250 (a circle runs at most [MaxSpan]).
const (
	minYear      = 1900
	maxStartYear = 2200
	maxYear      = 2250
)

// minNs and maxNs are the first and the last Unix nanosecond of the years commands may
// fall in; they are never modified.
var (
	minNs = time.Date(minYear, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	maxNs = time.Date(maxYear+1, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano() - 1
)

// cashBound is 10^MaxCashDigits; it is never modified.
var cashBound = new(big.Int).Exp(big.NewInt(10), big.NewInt(MaxCashDigits), nil)

// contributionBound is 10^MaxContributionDigits; it is never modified.
var contributionBound = new(big.Int).Exp(big.NewInt(10), big.NewInt(MaxContributionDigits), nil)

// Kind is how the winner of a round is chosen.
type Kind string

// The kinds of circle.
const (
	// Bidding: the lowest accepted bid takes the pot; a round without bids is decided by
	// [Rules.NoBid] (the reference contract's BIDDING type).
	Bidding Kind = "bidding"
	// Lottery: every round is decided by a seeded draw among the members who have not won
	// in the epoch (RANDOM_SELECTION).
	Lottery Kind = "lottery"
	// FixedOrder: round r of an epoch goes to the member in seat r, delinquent or not
	// (PRE_DETERMINED).
	FixedOrder Kind = "fixed_order"
)

func (k Kind) valid() bool { return k == Bidding || k == Lottery || k == FixedOrder }

// Sharing says who shares a round's discount (the pot minus the winning bid, after the fee).
type Sharing string

// The discount sharing policies.
const (
	// ShareAll shares every discount among all members, the winner included. As in the
	// reference contract, the discounts are pooled undivided and each member's share is read
	// as floor(pool/n); the fewer than n units left are the pool's remainder.
	ShareAll Sharing = "all"
	// ShareOthers divides each round's discount among the n-1 members other than its
	// winner: floor(discount/(n-1)) each, the rest is the round's remainder.
	ShareOthers Sharing = "others"
	// ShareUnpaid divides each round's discount among the members who have not won in the
	// epoch (the winner excluded): floor(discount/k) each, the rest is the round's
	// remainder. In the last round of an epoch nobody is left and the whole discount is the
	// round's remainder.
	ShareUnpaid Sharing = "unpaid"
	// ShareEach divides each round's discount among all the members, the winner too,
	// round by round (the chit fund's dividend to every ticket): floor(discount / n) each,
	// the units left being the round's remainder.
	ShareEach Sharing = "each"
)

func (s Sharing) valid() bool {
	return s == ShareAll || s == ShareOthers || s == ShareUnpaid || s == ShareEach
}

// RemainderPolicy says where the rounding remainders go: the units of a round that neither
// the winner, nor the discount, nor the fee receive (what the floors of the winnings, of
// the discount and of the fee leave), plus the units left by dividing the discount.
type RemainderPolicy string

// The remainder policies.
const (
	// RemainderToForeperson keeps every remainder in the circle's remainder bucket; after
	// the end the foreperson takes it with [Circle.DisposeRemainder] (the reference
	// contract's implicit policy, made explicit and limited to the remainder).
	RemainderToForeperson RemainderPolicy = "foreperson"
	// RemainderCarry adds each round's remainder to the next round's discount. The last
	// round's remainder, and under [ShareAll] the pool's undivided units, go to the
	// foreperson at the end.
	RemainderCarry RemainderPolicy = "carry"
	// RemainderToWinner credits each round's remainder to the round's winner. Under
	// [ShareAll] the pool's undivided units go, at the end, to the last round's winner.
	RemainderToWinner RemainderPolicy = "winner"
)

func (p RemainderPolicy) valid() bool {
	return p == RemainderToForeperson || p == RemainderCarry || p == RemainderToWinner
}

// FeeMode is how the foreperson's fee is taken from a pot.
type FeeMode string

// The fee modes.
const (
	// FeeNetFloor is the reference contract's: with the fee f, the winner is credited
	// RF(bid) and the discount is RF(pot-bid), where RF(x) = floor(x*(1-f)) is the net
	// after the fee rounded down; the reserve is recomputed at each close as
	// floor(base*f), base being every member's dues so far less each member's uncovered
	// shortfall (its delinquency).
	FeeNetFloor FeeMode = "net_floor"
	// FeeCommission is the chit fund's: the foreperson's commission is floor(P x f) of
	// every round but the organizer's (as [fees.Apply], rounded down), taken out of the
	// discount, so the winner takes its bid whole and a bid is at most P less the
	// commission (the smallest discount is the commission; a round without bids is won at
	// that largest bid). The commission is earned as it is withheld.
	FeeCommission FeeMode = "commission"
	// FeeCommissionFromPrize is the other chit convention: the same commission, taken out
	// of the prize instead (the winner is credited its bid less the commission, and the
	// whole discount is shared), so a bid is at least the commission.
	FeeCommissionFromPrize FeeMode = "commission_from_prize"
)

func (m FeeMode) valid() bool {
	return m == FeeNetFloor || m == FeeCommission || m == FeeCommissionFromPrize
}

// commission reports whether the mode takes a fixed commission per round.
func (m FeeMode) commission() bool { return m == FeeCommission || m == FeeCommissionFromPrize }

// NoBidPolicy says what a bidding round without bids does.
type NoBidPolicy string

// The no-bid policies.
const (
	// NoBidDraw draws the winner among the members who have not won in the epoch: a seeded
	// start position, then the first candidate in good standing scanning forward in seat
	// order; if none is, the last one scanned wins and carries a debt until its payments
	// cover its dues. The winner takes the full pot. Lottery circles use the same rule
	// every round.
	NoBidDraw NoBidPolicy = "draw"
	// NoBidFirstUnpaid gives the round to the first member in seat order who has not won
	// in the epoch and is in good standing (if none is, the last such member, who then
	// carries a debt): no draw, the order the seats set.
	NoBidFirstUnpaid NoBidPolicy = "first_unpaid"
)

func (p NoBidPolicy) valid() bool { return p == NoBidDraw || p == NoBidFirstUnpaid }

// Rules are the knobs of the circle's arithmetic, as data. The zero Rules are not valid:
// start from [WeTrustRules].
type Rules struct {
	// MinBid is the smallest bid as a share of the pot, rounded down to the minor unit
	// (WeTrust 65%: floor(P*65/100)), and at least one minor unit. It must be positive.
	MinBid token.Ratio `json:"min_bid"`
	// NextBid caps a bid after the first: at most floor(lowest*NextBid) (WeTrust 98%, a
	// 2% step). It must be above zero and at most one: 100% lets a bid equal the lowest,
	// a tie that Ties breaks.
	NextBid token.Ratio `json:"next_bid"`
	// MaxBid is the largest bid as a share of the pot, rounded down (the smallest
	// discount, such as a chit fund's commission: 95% leaves at least 5% of the pot to
	// share); zero is the whole pot, as in WeTrust's rules. It must not be below MinBid.
	MaxBid token.Ratio `json:"max_bid,omitzero"`
	// Step is an absolute step: a bid after the first is also at most lowest - Step (an
	// amount of the circle's asset; the zero Amount is none). The cap is the lower of the
	// two, so NextBid 100% and a Step give a step of an amount alone.
	Step token.Amount `json:"step,omitzero"`
	// Ties says who leads when a bid equals the lowest ("" is [TieFirst]).
	Ties TieBreak `json:"ties,omitempty"`
	// Price says what the winner of an auction takes ("" is [PriceOwnBid]).
	Price PricePolicy `json:"price,omitempty"`
	// Sealed seals the bids of a bidding circle: members seal them during the round
	// ([Circle.SealBid]) and reveal them from its deadline until its close
	// ([Circle.RevealBid]), so that no bidder sees another's bid; a revealed bid is capped by
	// the bid limits only, not by the others' bids.
	Sealed bool `json:"sealed,omitempty"`
	// BidForm says what a bid names ("" is [BidAmount]).
	BidForm BidForm `json:"bid_form,omitempty"`
	// Organizer gives the first round of every epoch to the foreperson: the whole pot,
	// without a bid, a discount or the foreperson's fee (the chit foreman's first chit, the
	// hui organizer's first pot). It needs a bidding or lottery circle, and under
	// [FeeNetFloor] a zero fee.
	Organizer bool `json:"organizer,omitempty"`
	// Sharing says who shares a round's discount.
	Sharing Sharing `json:"sharing"`
	// Remainder says where rounding remainders go.
	Remainder RemainderPolicy `json:"remainder"`
	// Fee says how the fee is taken.
	Fee FeeMode `json:"fee"`
	// NoBid says what a bidding round without bids does.
	NoBid NoBidPolicy `json:"no_bid"`
	// MaxFee caps [Config.Fee] (WeTrust 2%, 20 per mille: [fees.WeTrustForepersonCap]);
	// the cap is checked by [fees.NewForepersonFee].
	MaxFee token.Ratio `json:"max_fee"`
	// Loss says who bears a defaulter's uncovered shortfall at the end; "" is
	// [LossProRata].
	Loss LossPolicy `json:"loss,omitempty"`
	// StartLag is how long before [Config.Created] the start may lie (WeTrust 900 s: the
	// contract refused a start more than 15 minutes before its creation). Zero allows no
	// lag; it is not checked when Created is not set.
	StartLag Duration `json:"start_lag,omitzero"`
	// Deterrents are the rules against members who stop paying and for members who leave
	// (none in the zero Deterrents).
	Deterrents Deterrents `json:"deterrents,omitzero"`
}

// TieBreak says who leads an auction when bids are equal (possible only with NextBid
// 100% and no Step). The zero TieBreak is [TieFirst].
type TieBreak string

// The tie breaks.
const (
	// TieFirst: the first of the equal bids leads.
	TieFirst TieBreak = "first"
	// TieByLot: the winner is drawn among the equal lowest bidders at the close, from the
	// config's seed and the round (the round's result records the draw, [ByLot], and
	// replay draws it again).
	TieByLot TieBreak = "lot"
)

func (b TieBreak) valid() bool { return b == "" || b == TieFirst || b == TieByLot }

// BidForm says what the amount of a bid names. Whatever the form, the round is won by the
// bid that takes the least from the pot (the largest discount or interest), and the bid
// limits ([RoundState.MinBid], [RoundState.MaxBid], errors' Limit) are in amounts taken.
// The zero BidForm is [BidAmount].
type BidForm string

// The bid forms.
const (
	// BidAmount: the amount the bidder would take from the pot (WeTrust).
	BidAmount BidForm = "amount"
	// BidDiscount: the discount the bidder forgoes, D; it takes P - D (chit funds).
	BidDiscount BidForm = "discount"
	// BidInterest: the interest w the bidder pays each member that has not won in the
	// epoch (live), the bidding hui's internal form (內標); it takes P - w x L, L the live
	// members besides itself, each of whom is credited w (with [ShareUnpaid]), which is as
	// if they paid C - w.
	BidInterest BidForm = "interest"
	// BidInterestExternal: the interest w, as BidInterest, in the bidding hui's external
	// form (外標): the bidder takes the whole pot, plus the interests of the members that
	// won before it in the epoch, and pays C + w in every later round of the epoch (its
	// [Position.Due]); live members pay C. The winner of each round is credited the
	// interests the dead members owe for it ([RoundResult.InterestIn]).
	BidInterestExternal BidForm = "interest_external"
)

func (f BidForm) valid() bool {
	return f == "" || f == BidAmount || f == BidDiscount || f == BidInterest || f == BidInterestExternal
}

// PricePolicy says what the winner of an auction takes from the pot. The zero
// PricePolicy is [PriceOwnBid].
type PricePolicy string

// The price policies.
const (
	// PriceOwnBid: the winner takes its own bid (first price).
	PriceOwnBid PricePolicy = "own"
	// PriceSecondBid: the winner takes the second-best bid, the lowest by another member
	// (the largest acceptable bid when nobody else bid): a second-price auction, under
	// which bidding one's true value is a dominant strategy. The round's result records
	// the winner's own bid as [RoundResult.Offered].
	PriceSecondBid PricePolicy = "second"
)

func (p PricePolicy) valid() bool { return p == "" || p == PriceOwnBid || p == PriceSecondBid }

// Duration is a time.Duration that encodes as a Go duration string ("15m0s") and decodes
// from any ("900s", "15m"). The zero Duration is no time.
type Duration time.Duration

// String returns the Go duration string.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalText returns the Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a Go duration string; a negative one is refused.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil || v < 0 {
		return cfgErr("Duration", fmt.Sprintf("%q is not a non-negative duration such as \"15m\"", b), nil)
	}
	*d = Duration(v)
	return nil
}

// WeTrustRules returns the rules of WeTrust's ROSCA contract (version 3): minimum bid
// floor(P*65/100), next bid at most floor(lowest*98/100), the discount shared by all
// members through the undivided pool, remainders to the foreperson, the fee taken by
// rounding down the net of both the winnings and the discount with the delinquency
// reduction of the reserve, a round without bids drawn among members in good standing
// first, a fee cap of 20 per mille, and a start at most 900 s before the creation.
func WeTrustRules() Rules {
	return Rules{
		MinBid:    token.MustRatio(65, 100),
		NextBid:   token.MustRatio(98, 100),
		Sharing:   ShareAll,
		Remainder: RemainderToForeperson,
		Fee:       FeeNetFloor,
		NoBid:     NoBidDraw,
		MaxFee:    fees.WeTrustForepersonCap(),
		StartLag:  Duration(900 * time.Second),
	}
}

// ChitFundRules returns the rules of an Indian chit fund as the Chit Funds Act 1982 (as
// amended in 2019) and its practice run one: the foreman takes the first round's pot
// without a discount or a commission; every other round is auctioned, a bid being the
// prize taken, between 70% of the pot (a 30% cap on the discount, the agreement's usual
// figure) and the pot less the commission (the smallest discount); equal bids at the cap
// tie and go to lot; the commission, the config's Fee, is taken out of the discount, at
// most 7% (the Act's cap since 2019; 5% before); the rest of the discount is the dividend
// of every ticket, floor(pool / n) each, the units left going to the foreman; a round
// without bids (the last, with one ticket left) is won at the smallest discount.
func ChitFundRules() Rules {
	return Rules{
		MinBid:    token.MustRatio(70, 100),
		NextBid:   token.One(),
		Ties:      TieByLot,
		Sharing:   ShareEach,
		Remainder: RemainderToForeperson,
		Fee:       FeeCommission,
		NoBid:     NoBidDraw,
		MaxFee:    token.MustRatio(7, 100),
		Organizer: true,
	}
}

// HuiRules returns the rules of a bidding hui (Taiwanese 標會, Vietnamese hụi) in its
// internal form (內標): the organizer (the foreperson) takes the first pot; every later
// round goes to the member bidding the highest interest per live member, which each
// member who has not yet won receives, as if it paid C less the interest; no fee; a round
// without bids (the last) is drawn among the live members, at the whole pot.
func HuiRules() Rules { return huiRules(BidInterest) }

// HuiExternalRules is [HuiRules] in the external form ([BidInterestExternal]): each member
// that has won pays C plus its interest in every later round of the epoch, and each
// round's winner takes the whole pot plus those interests.
func HuiExternalRules() Rules { return huiRules(BidInterestExternal) }

func huiRules(form BidForm) Rules {
	return Rules{
		MinBid:    token.MustRatio(1, 100),
		NextBid:   token.MustRatio(99, 100),
		BidForm:   form,
		Sharing:   ShareUnpaid,
		Remainder: RemainderToForeperson,
		Fee:       FeeNetFloor,
		NoBid:     NoBidDraw,
		MaxFee:    fees.WeTrustForepersonCap(),
		Organizer: true,
	}
}

// Validate reports whether the rules are usable. The error is an [*Error] wrapping
// [ErrInvalidConfig] whose Detail names the field.
func (r Rules) Validate() error {
	switch {
	case r.MinBid.IsZero():
		return cfgErr("Rules.MinBid", "must be positive", nil)
	case r.NextBid.IsZero():
		return cfgErr("Rules.NextBid", "must be above zero and at most one", nil)
	case !r.MaxBid.IsZero() && r.MaxBid.Cmp(r.MinBid) < 0:
		return cfgErr("Rules.MaxBid", fmt.Sprintf("%s is below MinBid %s", r.MaxBid, r.MinBid), nil)
	case !r.Ties.valid():
		return cfgErr("Rules.Ties", fmt.Sprintf("unknown tie break %q", r.Ties), nil)
	case !r.BidForm.valid():
		return cfgErr("Rules.BidForm", fmt.Sprintf("unknown bid form %q", r.BidForm), nil)
	case !r.Price.valid():
		return cfgErr("Rules.Price", fmt.Sprintf("unknown price policy %q", r.Price), nil)
	case r.Step.IsNegative():
		return cfgErr("Rules.Step", "must not be negative", nil)
	case !r.Sharing.valid():
		return cfgErr("Rules.Sharing", fmt.Sprintf("unknown policy %q", r.Sharing), nil)
	case !r.Remainder.valid():
		return cfgErr("Rules.Remainder", fmt.Sprintf("unknown policy %q", r.Remainder), nil)
	case !r.Fee.valid():
		return cfgErr("Rules.Fee", fmt.Sprintf("unknown mode %q", r.Fee), nil)
	case !r.NoBid.valid():
		return cfgErr("Rules.NoBid", fmt.Sprintf("unknown policy %q", r.NoBid), nil)
	case !r.Loss.valid():
		return cfgErr("Rules.Loss", fmt.Sprintf("unknown policy %q", r.Loss), nil)
	case r.StartLag < 0:
		return cfgErr("Rules.StartLag", "must not be negative", nil)
	}
	return nil
}

// Seed seeds the circle's draws. It encodes in JSON as 64 hexadecimal digits. The zero Seed
// is refused by [Config.Validate]: every circle built without a seed would draw the same
// winners. Draw it from a cryptographic source (crypto/rand) when the circle is created and
// keep it with the config.
type Seed [32]byte

// IsZero reports whether every byte of the seed is zero.
func (s Seed) IsZero() bool { return s == Seed{} }

// MarshalText encodes the seed as 64 lower-case hexadecimal digits.
func (s Seed) MarshalText() ([]byte, error) { return s.AppendText(nil) }

// AppendText appends the 64 lower-case hexadecimal digits of the seed to b.
func (s Seed) AppendText(b []byte) ([]byte, error) { return hex.AppendEncode(b, s[:]), nil }

// UnmarshalText decodes 64 hexadecimal digits.
func (s *Seed) UnmarshalText(b []byte) error {
	var v Seed
	if len(b) != 64 {
		return cfgErr("Seed", "must be 64 hexadecimal digits", nil)
	}
	if _, err := hex.Decode(v[:], b); err != nil {
		return cfgErr("Seed", "must be 64 hexadecimal digits", nil)
	}
	*s = v
	return nil
}

// Config describes a circle. It is a plain value: build it, [Config.Validate] it (or let
// [New] do it), and keep it with the event log, from which [Replay] rebuilds the circle.
// The zero Config is not valid.
type Config struct {
	// Asset is the currency of every amount.
	Asset token.Asset `json:"asset"`
	// Kind is how winners are chosen.
	Kind Kind `json:"kind"`
	// Members in seat order: from MinMembers to MaxMembers valid, distinct accounts.
	// Seat order decides fixed-order winners and the order draws scan.
	Members []token.Account `json:"members"`
	// Holders, when set, names by seat the member holding each seat: a member may hold
	// several seats (tickets, each with its own account such as "asha/1" and "asha/2"),
	// whose dues, wins, eligibility and shares count per ticket while [Circle.Holding] and
	// [Circle.HolderStatement] sum them for the member. A holder that is itself a seat's
	// account holds that seat. Empty: every seat's account is its member.
	Holders []token.Account `json:"holders,omitempty"`
	// Schedule decides the first rounds of every epoch, one [Allocation] each: an auction,
	// a lottery, a fixed or reserved seat, or the organizer's round; the rounds after it
	// follow Kind (and Rules.Organizer). A seat reserved for a round (the foreperson's for
	// the organizer's) may not bid and is passed over by draws before it. A fixed-order
	// circle schedules every round, or none (seat k takes round k). It names seats, so it
	// belongs to the config, not to the rules. Empty: the kind decides.
	Schedule []Allocation `json:"schedule,omitempty"`
	// Foreperson runs the circle (retrieves fees and remainder, activates the halt); it
	// must be a member.
	Foreperson token.Account `json:"foreperson"`
	// Operator is the platform account that may enable the emergency halt (WeTrust's
	// ESCAPE_HATCH_ENABLER). It must be a valid account; it may be anyone, a member or not.
	Operator token.Account `json:"operator"`
	// Contribution is due from every member each round: a positive amount of the asset,
	// below 10^MaxContributionDigits minor units.
	Contribution token.Amount `json:"contribution"`
	// Start is when the circle starts, in the years 1900 to 2200; round r (counted across
	// epochs from 1) may be closed from Start + r*Period. [New] keeps the instant in UTC
	// (the zone is dropped).
	Start time.Time `json:"start"`
	// Created is when the circle was created (normalised to UTC). When set, the start may
	// lie at most Rules.StartLag before it: a circle created with a start long past would
	// close overdue rounds at once, before anyone could pay. Set it to the time the
	// circle is made; the zero time skips the check (New cannot know the time).
	Created time.Time `json:"created,omitzero"`
	// Period is the length of a round, positive; it encodes in JSON as a Go duration
	// ("168h0m0s"; "1h" decodes).
	Period time.Duration `json:"period"`
	// Epochs is the number of epochs (at least 1). An epoch is one round per member and
	// every member wins exactly once in it; epochs follow each other without a gap.
	Epochs int `json:"epochs"`
	// Fee is the foreperson's fee, at most Rules.MaxFee. It is taken as the reference
	// contract takes it ([fees.ForepersonFee.Apply]): a round's winner is credited
	// RF(bid) = floor(bid x (1 - Fee)) and the members share RF(P - bid); the reserve is
	// earned on the dues actually paid (see [Circle.CloseRound]).
	Fee token.Ratio `json:"fee"`
	// PlatformFee is the platform operator's fee on each round's pot, below 100%: the
	// operator is owed floor(P x PlatformFee) (rounded down, in the members' favour, as
	// [fees.Apply]) out of each round's winnings (never more than the winnings), and
	// retrieves it after the end ([Circle.RetrievePlatformFee]). Zero charges nothing;
	// [Config.WithPlatformPolicy] sets it from a [fees.Policy] such as
	// [fees.WeTrustPlatformPolicy].
	PlatformFee token.Ratio `json:"platform_fee,omitzero"`
	// Rules are the arithmetic; use [WeTrustRules] for the reference contract.
	Rules Rules `json:"rules"`
	// Seed seeds the draws (lottery rounds and bidding rounds without bids); it must not
	// be zero.
	Seed Seed `json:"seed"`
}

// cfgErr returns the error for an invalid config field.
func cfgErr(field, detail string, cause error) error {
	return &Error{Op: "Validate", Detail: field + ": " + detail, Err: wrapReason(ErrInvalidConfig, cause)}
}

// Validate reports whether the config describes a circle. The error is an [*Error] wrapping
// [ErrInvalidConfig] whose Detail starts with the field ("Members[2]: ...").
func (c Config) Validate() error { return c.validate(nil) }

// validate is Validate, filling seats (when not nil, an empty map) with the members' seats.
func (c *Config) validate(seats map[token.Account]int) error {
	if !c.Asset.IsValid() {
		return cfgErr("Asset", "not a valid asset", token.ErrInvalidAsset)
	}
	if !c.Kind.valid() {
		return cfgErr("Kind", fmt.Sprintf("unknown kind %q", c.Kind), nil)
	}
	if err := c.validateMembers(seats); err != nil {
		return err
	}
	if err := c.Asset.CheckPositive(c.Contribution); err != nil {
		return cfgErr("Contribution", causeText(err), err)
	}
	if _, _, small := c.Contribution.Uint128Units(); !small && c.Contribution.Units().Cmp(contributionBound) >= 0 {
		return cfgErr("Contribution", fmt.Sprintf("too large: %s has %d or more digits of minor units", c.Contribution, MaxContributionDigits+1), token.ErrAmountTooLarge)
	}
	n := len(c.Members)
	if c.Epochs < 1 || c.Epochs > MaxEpochs {
		return cfgErr("Epochs", fmt.Sprintf("%d, want 1 to %d", c.Epochs, MaxEpochs), nil)
	}
	rounds := int64(n) * int64(c.Epochs)
	if rounds > MaxRounds {
		return cfgErr("Epochs", fmt.Sprintf("%d rounds, want at most %d", rounds, MaxRounds), nil)
	}
	if c.Period <= 0 {
		return cfgErr("Period", "must be positive", nil)
	}
	if c.Period > MaxSpan/time.Duration(rounds) {
		return cfgErr("Period", fmt.Sprintf("%d rounds of %v exceed %v", rounds, c.Period, MaxSpan), nil)
	}
	if y := c.Start.UTC().Year(); y < minYear || y > maxStartYear {
		return cfgErr("Start", fmt.Sprintf("must fall in the years %d to %d", minYear, maxStartYear), nil)
	}
	if err := c.Rules.Validate(); err != nil {
		return err
	}
	if c.Rules.Organizer && c.Kind == FixedOrder {
		return cfgErr("Rules.Organizer", "a fixed-order circle's first round is its first seat's", nil)
	}
	if c.Rules.Organizer && !c.Rules.Fee.commission() && !c.Fee.IsZero() {
		return cfgErr("Rules.Organizer", "the organizer's round under net_floor needs a zero fee", nil)
	}
	if c.Rules.Fee == FeeCommission && c.Rules.MinBid.Cmp(c.Fee.Complement()) > 0 {
		return cfgErr("Rules.MinBid", fmt.Sprintf("%s leaves no bid under the commission of %s taken from the discount", c.Rules.MinBid, c.Fee), nil)
	}
	if err := c.Rules.Deterrents.validate(c.Asset); err != nil {
		return err
	}
	if err := c.validateSchedule(); err != nil {
		return err
	}
	if c.Rules.Step.IsValid() && !c.Rules.Step.Asset().Equal(c.Asset) {
		return cfgErr("Rules.Step", fmt.Sprintf("%s is not an amount of %s", c.Rules.Step, c.Asset), token.ErrAssetMismatch)
	}
	if !c.Created.IsZero() {
		if y := c.Created.UTC().Year(); y < minYear || y > maxStartYear {
			return cfgErr("Created", fmt.Sprintf("must fall in the years %d to %d", minYear, maxStartYear), nil)
		}
		if lag := c.Created.Sub(c.Start); lag > time.Duration(c.Rules.StartLag) {
			return cfgErr("Start", fmt.Sprintf("lies %v before the creation at %s; at most %v (Rules.StartLag) is allowed",
				lag, formatTime(c.Created), time.Duration(c.Rules.StartLag)), nil)
		}
	}
	if _, err := fees.NewForepersonFee(c.Fee, c.Rules.MaxFee); err != nil {
		return cfgErr("Fee", fmt.Sprintf("%s is above the cap of %s (Rules.MaxFee)", c.Fee, c.Rules.MaxFee), err)
	}
	if c.PlatformFee.Equal(token.One()) {
		return cfgErr("PlatformFee", "must be below 100%", nil)
	}
	if c.Seed.IsZero() {
		return cfgErr("Seed", "must not be zero: every circle without a seed would draw the same winners", nil)
	}
	return nil
}

// validateMembers checks the members, the foreperson and the operator; it fills seats
// (when not nil, an empty map) with each member's seat.
func (c *Config) validateMembers(seats map[token.Account]int) error {
	n := len(c.Members)
	if n < MinMembers || n > MaxMembers {
		return cfgErr("Members", fmt.Sprintf("%d members, want %d to %d", n, MinMembers, MaxMembers), nil)
	}
	seen := seats
	if seen == nil && n > smallCircle {
		seen = make(map[token.Account]int, n)
	}
	for i, m := range c.Members {
		if err := m.Validate(); err != nil {
			return cfgErr(fmt.Sprintf("Members[%d]", i), causeText(err), err)
		}
		var dup bool
		if seen != nil {
			_, dup = seen[m]
			seen[m] = i
		} else {
			dup = slices.Contains(c.Members[:i], m) // a small circle needs no map
		}
		if dup {
			return cfgErr(fmt.Sprintf("Members[%d]", i), fmt.Sprintf("%s is listed twice", m), nil)
		}
	}
	if !slices.Contains(c.Members, c.Foreperson) {
		return cfgErr("Foreperson", fmt.Sprintf("%q is not a member", c.Foreperson), nil)
	}
	if err := c.Operator.Validate(); err != nil {
		return cfgErr("Operator", causeText(err), err)
	}
	return c.validateHolders(seen)
}

// validateHolders checks the seats' holders: none, or one valid account per seat; a holder
// that is a seat's account holds that seat. seats, when not nil, maps the members to their
// seats.
func (c *Config) validateHolders(seats map[token.Account]int) error {
	if len(c.Holders) == 0 {
		return nil
	}
	if len(c.Holders) != len(c.Members) {
		return cfgErr("Holders", fmt.Sprintf("%d holders for %d seats", len(c.Holders), len(c.Members)), nil)
	}
	for i, h := range c.Holders {
		if err := h.Validate(); err != nil {
			return cfgErr(fmt.Sprintf("Holders[%d]", i), causeText(err), err)
		}
		k, member := seats[h]
		if seats == nil {
			k = slices.Index(c.Members, h)
			member = k >= 0
		}
		if member && c.Holders[k] != h {
			return cfgErr(fmt.Sprintf("Holders[%d]", i), fmt.Sprintf("%s is seat %d's account, held by %s", h, k, c.Holders[k]), nil)
		}
	}
	return nil
}

// WithPlatformPolicy returns c with PlatformFee set to the rate policy p charges a circle
// of c's asset and number of members (with [fees.WeTrustPlatformPolicy]: nothing up to five
// members, 0.1% in TRST, 0.3% otherwise). The error is p's, an [*Error] wrapping a fees
// reason, when c has no asset or no member.
func (c Config) WithPlatformPolicy(p fees.Policy) (Config, error) {
	rate, err := p.Rate(fees.Circle{Asset: c.Asset, Members: len(c.Members)})
	if err != nil {
		return c, err
	}
	c.PlatformFee = rate
	return c, nil
}

// clone returns a copy of c that shares no slice with it; the start is normalised to UTC.
func (c Config) clone() Config {
	c.Members = append([]token.Account(nil), c.Members...)
	if len(c.Holders) > 0 {
		c.Holders = append([]token.Account(nil), c.Holders...)
	}
	if len(c.Schedule) > 0 {
		c.Schedule = append([]Allocation(nil), c.Schedule...)
	}
	c.Start = c.Start.UTC()
	if !c.Created.IsZero() {
		c.Created = c.Created.UTC()
	}
	return c
}

// Rounds returns the number of rounds of the circle, members x epochs.
func (c Config) Rounds() int { return len(c.Members) * c.Epochs }

// Deadline returns the time from which round r (1-based, counted across epochs) may be
// closed: Start + r*Period, in UTC.
func (c Config) Deadline(r int) time.Time { return c.Start.Add(time.Duration(r) * c.Period).UTC() }
