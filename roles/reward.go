package roles

import (
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/internal/cmderr"
	"github.com/trustcircle/trustcircle/token"
)

// CircleEvent names what a referred user did that earns its referral partner a reward. The
// zero CircleEvent is no event; claims for it are refused.
type CircleEvent string

// The circle events a referral reward is paid for.
const (
	Joined    CircleEvent = "joined"    // the referred user joined a circle
	Completed CircleEvent = "completed" // the referred user completed a circle
)

// Reward is what a referral pays: a fixed amount plus a proportional part, Rate of the
// claim's base amount (for example the user's contribution to the circle), rounded down to
// the minor unit (in the program's favour; the dust stays in the pool). The zero Reward pays
// nothing, and claims for it are refused with [ErrNoReward]; a Fixed left as the zero Amount
// means no fixed part.
type Reward struct {
	Fixed token.Amount `json:"fixed"`
	Rate  token.Ratio  `json:"rate"`
}

// Amount returns the reward on base, an amount of asset: Fixed + floor(Rate x base) to the
// minor unit, as an amount of asset. A base left as the zero Amount is zero. Fixed and base
// must be non-negative amounts of asset; the error is an [*Error] wrapping the token
// package's reason ([token.ErrNegativeAmount], [token.ErrAssetMismatch], ...).
func (r Reward) Amount(asset token.Asset, base token.Amount) (token.Amount, error) {
	fixed := r.Fixed
	if !fixed.IsValid() {
		fixed = asset.Zero()
	}
	if !base.IsValid() {
		base = asset.Zero()
	}
	if err := asset.Check(fixed); err != nil {
		return token.Amount{}, withOp("Reward.Amount", err)
	}
	if err := asset.Check(base); err != nil {
		return token.Amount{}, withOp("Reward.Amount", err)
	}
	sum, err := fixed.Add(r.Rate.MulFloor(base))
	if err != nil {
		return token.Amount{}, withOp("Reward.Amount", err)
	}
	return sum, nil
}

// ProgramConfig describes a reward program: a pool account on a token ledger that pays
// referral partners and sponsors, under a budget, on the approval of an administrator. The
// zero ProgramConfig is not valid: it has no name, no accounts and no budget.
type ProgramConfig struct {
	Name       string        // a label, unique among the service's programs
	Pool       token.Account // the ledger account the program pays from
	Admin      token.Account // approves payouts and posts bounties; must be a platform operator
	Budget     token.Amount  // the most the program pays over its life, in the ledger's asset
	OnJoin     Reward        // paid to a referral partner when a user it referred joins a circle
	OnComplete Reward        // paid when a user it referred completes a circle
}

// Validate reports whether the configuration is well formed on its own: a name in valid
// UTF-8, valid and distinct pool and admin accounts, a positive budget and non-negative
// fixed rewards. The error is an [*Error] wrapping [ErrInvalidProgram] (and
// [token.ErrInvalidAccount] for a malformed account). [NewProgram] also checks the amounts
// against the ledger's asset.
func (c ProgramConfig) Validate() error { return c.validate("ProgramConfig.Validate") }

func (c ProgramConfig) validate(op string) error {
	bad := func(detail string, cause error) error {
		err := error(ErrInvalidProgram)
		if cause != nil {
			var more string
			more, err = cmderr.Because(ErrInvalidProgram, cause)
			if more != "" {
				detail += ": " + more
			}
		}
		return &Error{Op: op, Detail: "program " + strconv.QuoteToASCII(c.Name) + ": " + detail, Err: err}
	}
	switch {
	case c.Name == "":
		return bad("no name", nil)
	case checkText(op, "name", c.Name, ErrInvalidProgram) != nil:
		return bad("the name is not valid UTF-8", nil)
	case c.Pool.Validate() != nil:
		return bad("pool", cmderr.CheckAccount(op, c.Pool))
	case c.Admin.Validate() != nil:
		return bad("admin", cmderr.CheckAccount(op, c.Admin))
	case c.Pool == c.Admin:
		return bad("the pool and the admin are the same account", nil)
	case !c.Budget.IsPositive():
		return bad("budget "+c.Budget.String()+" is not positive", nil)
	case c.OnJoin.Fixed.IsNegative() || c.OnComplete.Fixed.IsNegative():
		return bad("negative fixed reward", nil)
	}
	return nil
}

// PayoutKind names what a [Payout] paid for. The zero PayoutKind is no kind.
type PayoutKind string

// The kinds of payouts.
const (
	PayoutReferral PayoutKind = "referral" // a referral reward to a referral partner
	PayoutBounty   PayoutKind = "bounty"   // a sponsor bounty
)

// Payout is one payment a program made, by one ledger transfer from the pool to To; At is in
// UTC. The zero Payout is no payment.
type Payout struct {
	At      time.Time     `json:"at"`
	Kind    PayoutKind    `json:"kind"`
	ClaimID string        `json:"claim_id"` // the referral claim id, or the bounty id
	To      token.Account `json:"to"`
	Amount  token.Amount  `json:"amount"`
	User    token.Account `json:"user,omitempty"`  // the referred user, for a referral
	Event   CircleEvent   `json:"event,omitempty"` // what the user did, for a referral
}

// ReferralClaim asks a program to pay a referral partner for a user it referred. ID names
// the claim and must be unique among the program's referral claims: a service derives it
// from the facts, such as "joined/alice/circle-7", so that the same event is never paid
// twice. The zero ReferralClaim is refused (no id, no partner).
type ReferralClaim struct {
	ID      string
	Partner token.Account
	User    token.Account
	Event   CircleEvent
	Base    token.Amount // the amount a proportional reward is computed on; the zero Amount if none
}

// Bounty is a task a sponsor is paid for once, on acceptance. The zero Bounty is refused by
// [Program.PostBounty] (no id, no reward).
type Bounty struct {
	ID     string       `json:"id"`
	Task   string       `json:"task"`
	Reward token.Amount `json:"reward"`
}
