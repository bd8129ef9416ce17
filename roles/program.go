package roles

import (
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

// CircleEvent names what a referred user did that earns its referral partner a reward.
type CircleEvent string

// The circle events a referral reward is paid for.
const (
	Joined    CircleEvent = "joined"    // the referred user joined a circle
	Completed CircleEvent = "completed" // the referred user completed a circle
)

// Reward is what a referral pays: a fixed amount plus a proportional part, Rate of the
// claim's base amount (for example the user's contribution to the circle), rounded down to
// the minor unit (in the program's favour; the dust stays in the pool). The zero Reward pays
// nothing: claims for it are refused with [ErrNoReward].
type Reward struct {
	Fixed decimal.Decimal `json:"fixed"`
	Rate  fees.Rate       `json:"rate"`
}

// Amount returns the reward on base, an amount of asset: Fixed + floor(Rate x base) to the
// minor unit. base must be a valid amount of the asset.
func (r Reward) Amount(asset token.Asset, base decimal.Decimal) (decimal.Decimal, error) {
	if err := asset.Check(r.Fixed); err != nil {
		return decimal.Decimal{}, err
	}
	fee, _, err := r.Rate.Apply(asset, base) // fee = floor(base x rate), rounded down
	if err != nil {
		return decimal.Decimal{}, err
	}
	return r.Fixed.Add(fee), nil
}

// ProgramConfig describes a reward program: a pool account on a token ledger that pays
// referral partners and sponsors, under a budget, on the approval of an administrator.
type ProgramConfig struct {
	Name       string          // a label, unique among the service's programs
	Pool       token.Account   // the ledger account the program pays from
	Admin      token.Account   // approves payouts and posts bounties; must be a platform operator
	Budget     decimal.Decimal // the most the program pays over its life, in the ledger's asset
	OnJoin     Reward          // paid to a referral partner when a user it referred joins a circle
	OnComplete Reward          // paid when a user it referred completes a circle
}

// Validate reports whether the configuration is well formed on its own: a name, valid and
// distinct pool and admin accounts, a positive budget and non-negative fixed rewards. The
// error is a [*ProgramError]. [NewProgram] also checks the amounts against the ledger's
// asset.
func (c ProgramConfig) Validate() error {
	bad := func(reason string, cause error) error {
		return &ProgramError{Name: c.Name, Reason: reason, Cause: cause}
	}
	switch {
	case c.Name == "":
		return bad("no name", nil)
	case c.Pool.Validate() != nil:
		return bad("pool", c.Pool.Validate())
	case c.Admin.Validate() != nil:
		return bad("admin", c.Admin.Validate())
	case c.Pool == c.Admin:
		return bad("the pool and the admin are the same account", nil)
	case c.Budget.Sign() <= 0:
		return bad("budget "+c.Budget.String()+" is not positive", nil)
	case c.OnJoin.Fixed.Sign() < 0 || c.OnComplete.Fixed.Sign() < 0:
		return bad("negative fixed reward", nil)
	}
	return nil
}

// PayoutKind names what a [Payout] paid for.
type PayoutKind string

// The kinds of payouts.
const (
	PayoutReferral PayoutKind = "referral" // a referral reward to a referral partner
	PayoutBounty   PayoutKind = "bounty"   // a sponsor bounty
)

// Payout is one payment a program made, by one ledger transfer from the pool to To.
type Payout struct {
	At      time.Time       `json:"at"`
	Kind    PayoutKind      `json:"kind"`
	ClaimID string          `json:"claim_id"` // the referral claim id, or the bounty id
	To      token.Account   `json:"to"`
	Amount  decimal.Decimal `json:"amount"`
	User    token.Account   `json:"user,omitempty"`  // the referred user, for a referral
	Event   CircleEvent     `json:"event,omitempty"` // what the user did, for a referral
}

// ReferralClaim asks a program to pay a referral partner for a user it referred. ID names
// the claim and must be unique among the program's referral claims: a service derives it
// from the facts, such as "joined/alice/circle-7", so that the same event is never paid
// twice.
type ReferralClaim struct {
	ID      string
	Partner token.Account
	User    token.Account
	Event   CircleEvent
	Base    decimal.Decimal // the amount a proportional reward is computed on; zero if none
}

// Bounty is a task a sponsor is paid for once, on acceptance.
type Bounty struct {
	ID     string          `json:"id"`
	Task   string          `json:"task"`
	Reward decimal.Decimal `json:"reward"`
}

// ProgramEventKind names what a [ProgramEvent] records.
type ProgramEventKind string

// The kinds of program events.
const (
	ProgramReferred     ProgramEventKind = "referred"      // Account referred User
	ProgramBountyPosted ProgramEventKind = "bounty-posted" // bounty ID was posted with reward Amount
	ProgramPaid         ProgramEventKind = "paid"          // Payout was paid
)

// ProgramEvent records one change of a [Program]. Seq numbers events from 1.
type ProgramEvent struct {
	Seq     int              `json:"seq"`
	At      time.Time        `json:"at"`
	Kind    ProgramEventKind `json:"kind"`
	Account token.Account    `json:"account,omitempty"` // the referral partner, for referred
	User    token.Account    `json:"user,omitempty"`    // the referred user, for referred
	Bounty  *Bounty          `json:"bounty,omitempty"`  // the bounty posted
	Payout  *Payout          `json:"payout,omitempty"`  // the payout made
}

type claimKey struct {
	kind PayoutKind
	id   string
}

type bountyState struct {
	bounty Bounty
	paid   bool
}

// Program is a reward program: it pays referral rewards and sponsor bounties from a funded
// pool account of a [token.Ledger], through [token.Ledger.Transfer], so that the ledger's
// balances keep summing to its supply. It never pays more than its budget nor more than the
// pool holds, pays each claim at most once, requires the claimant's role (referral partner
// or sponsor) and the administrator's approval, and records every payout as an event.
// A refused claim returns a typed error and changes nothing, in the program or in the
// ledger.
//
// The program does not own the ledger or the directory: others may move money in and out of
// the pool (refill it, for example); each payout checks the pool's balance at that moment.
// A Program is not safe for concurrent use, and neither are the ledger and the directory it
// uses.
type Program struct {
	cfg      ProgramConfig
	asset    token.Asset
	ledger   *token.Ledger
	dir      *Directory
	budget   big.Int // in minor units
	paid     big.Int // in minor units
	referrer map[token.Account]token.Account
	bounties map[string]*bountyState
	claims   map[claimKey]int // index into payouts
	payouts  []Payout
	events   []ProgramEvent
}

// NewProgram creates a program paying from cfg.Pool on ledger, with roles checked in dir.
// Besides [ProgramConfig.Validate] it requires a ledger and a directory, amounts on the
// ledger asset's minor unit, and an administrator who is a platform operator now.
func NewProgram(cfg ProgramConfig, ledger *token.Ledger, dir *Directory) (*Program, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if ledger == nil || dir == nil {
		return nil, &ProgramError{Name: cfg.Name, Reason: "no ledger or no directory"}
	}
	asset := ledger.Asset()
	for _, c := range []struct {
		what string
		amt  decimal.Decimal
	}{{"budget", cfg.Budget}, {"fixed join reward", cfg.OnJoin.Fixed}, {"fixed completion reward", cfg.OnComplete.Fixed}} {
		if err := asset.Check(c.amt); err != nil {
			return nil, &ProgramError{Name: cfg.Name, Reason: c.what, Cause: err}
		}
	}
	p := &Program{
		cfg:      cfg,
		asset:    asset,
		ledger:   ledger,
		dir:      dir,
		referrer: make(map[token.Account]token.Account),
		bounties: make(map[string]*bountyState),
		claims:   make(map[claimKey]int),
	}
	if err := dir.MayPayFromProgram(cfg.Admin, p); err != nil {
		return nil, &ProgramError{Name: cfg.Name, Reason: "admin", Cause: err}
	}
	b, _ := asset.Units(cfg.Budget)
	p.budget.Set(b)
	return p, nil
}

// Config returns the program's configuration.
func (p *Program) Config() ProgramConfig { return p.cfg }

// Paid returns the total the program has paid.
func (p *Program) Paid() decimal.Decimal { return p.asset.FromUnits(&p.paid) }

// Remaining returns what the budget still allows, budget minus paid.
func (p *Program) Remaining() decimal.Decimal {
	return p.asset.FromUnits(new(big.Int).Sub(&p.budget, &p.paid))
}

// Payouts returns a copy of the payouts, in the order they were made.
func (p *Program) Payouts() []Payout { return slices.Clone(p.payouts) }

// Events returns a copy of the event log. The Bounty and Payout pointers of the copy point
// to fresh values.
func (p *Program) Events() []ProgramEvent {
	out := slices.Clone(p.events)
	for i := range out {
		if b := out[i].Bounty; b != nil {
			c := *b
			out[i].Bounty = &c
		}
		if pay := out[i].Payout; pay != nil {
			c := *pay
			out[i].Payout = &c
		}
	}
	return out
}

// Referrer returns the partner who referred user, if any.
func (p *Program) Referrer(user token.Account) (token.Account, bool) {
	a, ok := p.referrer[user]
	return a, ok
}

// Bounty returns the bounty posted with id, and whether it has been paid.
func (p *Program) Bounty(id string) (b Bounty, paid, ok bool) {
	s, ok := p.bounties[id]
	if !ok {
		return Bounty{}, false, false
	}
	return s.bounty, s.paid, true
}

// Bounties returns the ids of the bounties posted, sorted.
func (p *Program) Bounties() []string { return slices.Sorted(maps.Keys(p.bounties)) }

// Refer records at time at that partner referred user, so that the user's circle events
// can earn the partner rewards. The partner must be a referral partner ([*PermissionError]);
// both accounts must be valid and distinct; a user has at most one referring partner, for
// the life of the program ([ErrAlreadyReferred]).
func (p *Program) Refer(at time.Time, partner, user token.Account) error {
	if err := p.dir.MayEarnReferrals(partner); err != nil {
		return err
	}
	if err := user.Validate(); err != nil {
		return err
	}
	if user == partner {
		return &ClaimError{Program: p.cfg.Name, Account: user, Reason: "a partner cannot refer itself", Err: ErrInvalidClaim}
	}
	if prev, ok := p.referrer[user]; ok {
		return &ClaimError{Program: p.cfg.Name, Account: user, Reason: "referred by " + string(prev), Err: ErrAlreadyReferred}
	}
	p.referrer[user] = partner
	p.emit(ProgramEvent{At: at.Round(0), Kind: ProgramReferred, Account: partner, User: user})
	return nil
}

// PayReferral pays a referral claim, approved by the administrator by, at time at: the
// reward for the claim's event ([ProgramConfig.OnJoin] or OnComplete) on its base, from the
// pool to the partner. It is refused, changing nothing, when by may not pay
// ([Directory.MayPayFromProgram]); the claim is malformed ([ErrInvalidClaim]) or its id was
// paid before ([ErrDuplicateClaim]); the partner is not a referral partner
// ([ErrNotPermitted]) or did not refer the user ([ErrNotReferred]); the reward is zero
// ([ErrNoReward]); or it exceeds the remaining budget ([ErrOverBudget]) or the pool's
// balance ([ErrPoolExhausted]).
func (p *Program) PayReferral(at time.Time, by token.Account, c ReferralClaim) (Payout, error) {
	if err := p.dir.MayPayFromProgram(by, p); err != nil {
		return Payout{}, err
	}
	claimErr := func(sentinel error, reason string) error {
		return &ClaimError{Program: p.cfg.Name, ID: c.ID, Account: c.Partner, Reason: reason, Err: sentinel}
	}
	var reward Reward
	switch {
	case c.ID == "":
		return Payout{}, claimErr(ErrInvalidClaim, "empty claim id")
	case c.Event == Joined:
		reward = p.cfg.OnJoin
	case c.Event == Completed:
		reward = p.cfg.OnComplete
	default:
		return Payout{}, claimErr(ErrInvalidClaim, fmt.Sprintf("unknown circle event %q", c.Event))
	}
	if _, ok := p.claims[claimKey{PayoutReferral, c.ID}]; ok {
		return Payout{}, claimErr(ErrDuplicateClaim, "")
	}
	if err := p.dir.MayEarnReferrals(c.Partner); err != nil {
		return Payout{}, err
	}
	if err := c.User.Validate(); err != nil {
		return Payout{}, err
	}
	if p.referrer[c.User] != c.Partner {
		return Payout{}, claimErr(ErrNotReferred, "user "+string(c.User))
	}
	amount, err := reward.Amount(p.asset, c.Base)
	if err != nil {
		return Payout{}, err
	}
	if amount.Sign() == 0 {
		return Payout{}, claimErr(ErrNoReward, fmt.Sprintf("%s on base %s", c.Event, c.Base.String()))
	}
	return p.pay(Payout{At: at.Round(0), Kind: PayoutReferral, ClaimID: c.ID, To: c.Partner,
		Amount: amount, User: c.User, Event: c.Event})
}

// PostBounty publishes a bounty at time at, by the administrator by. Its id must be new
// ([ErrDuplicateBounty]) and not empty ([ErrInvalidClaim]), its reward a positive amount of
// the ledger's asset. Posting reserves nothing: the budget and the pool are checked when the
// bounty is paid.
func (p *Program) PostBounty(at time.Time, by token.Account, b Bounty) error {
	if err := p.dir.MayPayFromProgram(by, p); err != nil {
		return err
	}
	if b.ID == "" {
		return &ClaimError{Program: p.cfg.Name, Account: by, Reason: "empty bounty id", Err: ErrInvalidClaim}
	}
	if _, ok := p.bounties[b.ID]; ok {
		return &ClaimError{Program: p.cfg.Name, ID: b.ID, Account: by, Err: ErrDuplicateBounty}
	}
	if err := p.asset.CheckPositive(b.Reward); err != nil {
		return err
	}
	p.bounties[b.ID] = &bountyState{bounty: b}
	c := b
	p.emit(ProgramEvent{At: at.Round(0), Kind: ProgramBountyPosted, Bounty: &c})
	return nil
}

// AcceptBounty accepts the work of sponsor on the bounty id at time at, approved by the
// administrator by, and pays the bounty's reward from the pool to the sponsor, once. It is
// refused, changing nothing, when by may not pay; the bounty is unknown
// ([ErrUnknownBounty]) or already paid ([ErrDuplicateClaim]); the sponsor is not a sponsor
// ([ErrNotPermitted]); or the reward exceeds the remaining budget ([ErrOverBudget]) or the
// pool's balance ([ErrPoolExhausted]).
func (p *Program) AcceptBounty(at time.Time, by token.Account, id string, sponsor token.Account) (Payout, error) {
	if err := p.dir.MayPayFromProgram(by, p); err != nil {
		return Payout{}, err
	}
	s, ok := p.bounties[id]
	if !ok {
		return Payout{}, &ClaimError{Program: p.cfg.Name, ID: id, Account: sponsor, Err: ErrUnknownBounty}
	}
	if s.paid {
		return Payout{}, &ClaimError{Program: p.cfg.Name, ID: id, Account: sponsor, Err: ErrDuplicateClaim}
	}
	if err := p.dir.MayClaimBounty(sponsor); err != nil {
		return Payout{}, err
	}
	return p.pay(Payout{At: at.Round(0), Kind: PayoutBounty, ClaimID: id, To: sponsor, Amount: s.bounty.Reward})
}

// pay checks the budget and the pool, transfers, and records the payout. Nothing changes
// unless the transfer succeeds, and nothing after it can fail.
func (p *Program) pay(po Payout) (Payout, error) {
	if po.To == p.cfg.Pool {
		return Payout{}, &ClaimError{Program: p.cfg.Name, ID: po.ClaimID, Account: po.To, Reason: "the claimant is the pool", Err: ErrInvalidClaim}
	}
	u, err := p.asset.Units(po.Amount)
	if err != nil {
		return Payout{}, err
	}
	left := new(big.Int).Sub(&p.budget, &p.paid)
	if u.Cmp(left) > 0 {
		return Payout{}, &FundsError{Program: p.cfg.Name, ID: po.ClaimID, Amount: po.Amount, Available: p.asset.FromUnits(left), Err: ErrOverBudget}
	}
	if bal := p.ledger.Balance(p.cfg.Pool); bal.Cmp(po.Amount) < 0 {
		return Payout{}, &FundsError{Program: p.cfg.Name, ID: po.ClaimID, Amount: po.Amount, Available: bal, Err: ErrPoolExhausted}
	}
	if err := p.ledger.Transfer(p.cfg.Pool, po.To, po.Amount); err != nil {
		// The ledger refused (a balance locked by vesting, say) and changed nothing.
		if be, ok := errors.AsType[*token.BalanceError](err); ok {
			return Payout{}, &FundsError{Program: p.cfg.Name, ID: po.ClaimID, Amount: po.Amount, Available: be.Available, Err: ErrPoolExhausted}
		}
		return Payout{}, err
	}
	p.paid.Add(&p.paid, u)
	p.claims[claimKey{po.Kind, po.ClaimID}] = len(p.payouts)
	p.payouts = append(p.payouts, po)
	if po.Kind == PayoutBounty {
		p.bounties[po.ClaimID].paid = true
	}
	c := po
	p.emit(ProgramEvent{At: po.At, Kind: ProgramPaid, Payout: &c})
	return po, nil
}

func (p *Program) emit(e ProgramEvent) {
	e.Seq = len(p.events) + 1
	p.events = append(p.events, e)
}

// Audit checks the program's invariants: the payouts sum to the total paid, which is within
// the budget; each claim appears once; the payouts appear, in order, among the ledger's
// transfers out of the pool (same payee, same amount); a paid bounty has one payout; and the
// ledger itself passes [token.Ledger.Audit]. A nil result means the program is consistent.
// It reads the whole ledger log, so it costs O(ledger events).
func (p *Program) Audit() error {
	if err := p.ledger.Audit(); err != nil {
		return err
	}
	var sum big.Int
	ledgerEvents := p.ledger.Events()
	next := 0 // the first ledger event not yet matched to a payout
	for i, po := range p.payouts {
		u, err := p.asset.Units(po.Amount)
		if err != nil || u.Sign() <= 0 {
			return fmt.Errorf("roles: audit: payout %d amount %s", i, po.Amount.String())
		}
		sum.Add(&sum, u)
		if j, ok := p.claims[claimKey{po.Kind, po.ClaimID}]; !ok || j != i {
			return fmt.Errorf("roles: audit: payout %d (%s %q) is not indexed", i, po.Kind, po.ClaimID)
		}
		for next < len(ledgerEvents) && !matches(ledgerEvents[next], p.cfg.Pool, po) {
			next++
		}
		if next == len(ledgerEvents) {
			return fmt.Errorf("roles: audit: payout %d (%s %q) has no ledger transfer", i, po.Kind, po.ClaimID)
		}
		next++
		if po.Kind == PayoutBounty {
			if s, ok := p.bounties[po.ClaimID]; !ok || !s.paid {
				return fmt.Errorf("roles: audit: bounty %q paid but not marked", po.ClaimID)
			}
		}
	}
	if len(p.claims) != len(p.payouts) {
		return fmt.Errorf("roles: audit: %d claims for %d payouts", len(p.claims), len(p.payouts))
	}
	if sum.Cmp(&p.paid) != 0 {
		return fmt.Errorf("roles: audit: payouts sum to %s, paid is %s", p.asset.FromUnits(&sum), p.asset.FromUnits(&p.paid))
	}
	if p.paid.Cmp(&p.budget) > 0 {
		return fmt.Errorf("roles: audit: paid %s exceeds the budget %s", p.asset.FromUnits(&p.paid), p.cfg.Budget.String())
	}
	for id, s := range p.bounties {
		if _, ok := p.claims[claimKey{PayoutBounty, id}]; ok != s.paid {
			return fmt.Errorf("roles: audit: bounty %q paid=%v without a matching payout", id, s.paid)
		}
	}
	return nil
}

// matches reports whether the ledger event is the transfer of the payout from the pool.
func matches(e token.Event, pool token.Account, po Payout) bool {
	return e.Kind == token.EventTransfer && e.Spender == "" && e.From == pool && e.To == po.To && e.Amount.Equal(po.Amount)
}
