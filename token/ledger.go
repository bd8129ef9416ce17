package token

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Grant is one line of a [Genesis]: an amount credited to an account at creation.
type Grant struct {
	Account Account         `json:"account"`
	Amount  decimal.Decimal `json:"amount"`
}

// Genesis describes a ledger at creation: its asset, its fixed supply and the grants that
// distribute the supply. The grants must sum to the supply exactly.
type Genesis struct {
	Asset  Asset           `json:"asset"`
	Supply decimal.Decimal `json:"supply"`
	Grants []Grant         `json:"grants"`
}

// Validate reports whether the genesis is well formed: a valid asset, a positive supply on
// the minor unit, valid accounts, valid amounts and grants that sum to the supply exactly.
// An account may appear in several grants; its balance is their sum.
func (g Genesis) Validate() error {
	if !g.Asset.IsValid() {
		return fmt.Errorf("%w: %w", ErrGenesis, ErrInvalidAsset)
	}
	if err := g.Asset.CheckPositive(g.Supply); err != nil {
		return fmt.Errorf("%w: supply: %w", ErrGenesis, err)
	}
	if len(g.Grants) == 0 {
		return fmt.Errorf("%w: no grants", ErrGenesis)
	}
	sum := decimal.Zero
	for i, gr := range g.Grants {
		if err := gr.Account.Validate(); err != nil {
			return fmt.Errorf("%w: grant %d: %w", ErrGenesis, i, err)
		}
		if err := g.Asset.Check(gr.Amount); err != nil {
			return fmt.Errorf("%w: grant %d: %w", ErrGenesis, i, err)
		}
		sum = sum.Add(gr.Amount)
	}
	if !sum.Equal(g.Supply) {
		return fmt.Errorf("%w: grants sum to %s, supply is %s", ErrGenesis, g.Asset.Format(sum), g.Asset.Format(g.Supply))
	}
	return nil
}

// TRSTAccounts names the four genesis holders of Trustcoin.
type TRSTAccounts struct {
	Sale         Account // 80,000,000 TRST for the sale's participants
	Team         Account // 10,000,000 TRST for the founding team and advisors, vesting over two years
	Organisation Account // 8,000,000 TRST for the organisation building the platform
	Bounties     Account // 2,000,000 TRST for bounties
}

// TRSTGenesis returns Trustcoin's genesis: a fixed supply of 100,000,000 TRST (6 decimals)
// split 80M to the sale pool, 10M to the team and advisors, 8M to the organisation and 2M to
// bounties, as the 2017 crowdsale FAQ sets out.
func TRSTGenesis(a TRSTAccounts) Genesis {
	trst := TRST()
	m := func(millions int64) decimal.Decimal { return decimal.New(millions, 6) }
	return Genesis{
		Asset:  trst,
		Supply: m(100),
		Grants: []Grant{
			{Account: a.Sale, Amount: m(80)},
			{Account: a.Team, Amount: m(10)},
			{Account: a.Organisation, Amount: m(8)},
			{Account: a.Bounties, Amount: m(2)},
		},
	}
}

// EventKind names what a ledger [Event] records.
type EventKind string

// The kinds of ledger events.
const (
	EventGenesis  EventKind = "genesis"  // To received Amount at creation
	EventTransfer EventKind = "transfer" // Amount moved From -> To (by Spender, for transferFrom)
	EventApproval EventKind = "approval" // From (the owner) set Spender's allowance to Amount
	EventVest     EventKind = "vest"     // From (the granter) moved Amount to To, locked under grant Vesting
	EventRelease  EventKind = "release"  // Amount of grant Vesting, vested by At, unlocked in To's balance
	EventRevoke   EventKind = "revoke"   // grant Vesting revoked at At: its unvested Amount moved From the beneficiary To the granter
)

// Event records one change of a [Ledger]. Seq numbers events from 1 in the order they
// happened.
type Event struct {
	Seq     int             `json:"seq"`
	Kind    EventKind       `json:"kind"`
	From    Account         `json:"from,omitempty"`    // transfer source; approval owner
	To      Account         `json:"to,omitempty"`      // transfer or genesis destination
	Spender Account         `json:"spender,omitempty"` // approval spender; transferFrom caller
	Amount  decimal.Decimal `json:"amount"`            // amount moved, or the new allowance
	Vesting VestingID       `json:"vesting,omitempty"` // the vesting grant of a vest, release or revoke event
	At      time.Time       `json:"at,omitzero"`       // the time given to a release or revoke, in UTC
}

type allowanceKey struct{ owner, spender Account }

// Ledger is a fixed-supply token ledger with ERC20 semantics: balances, transfers,
// allowances and transfers on allowance, plus Trustcoin's compare-and-approve. The supply is
// set by a [Genesis] and never changes: the balances always sum to it.
//
// A ledger also enforces vesting ([Ledger.Vest]): tokens under a vesting grant sit in the
// beneficiary's balance but are locked until released, and only the spendable balance
// (balance minus locked) can be transferred.
//
// Every operation validates all of its input first and either applies fully, appending one
// or more [Event]s, or returns a typed error and changes nothing. Unlike Trustcoin, which
// returned false, a failed transfer is always an error.
//
// Create ledgers with [NewLedger] or [Restore]; the zero Ledger has no asset and rejects
// every operation. A Ledger is not safe for concurrent use.
type Ledger struct {
	asset      Asset
	supply     big.Int
	balances   map[Account]*big.Int
	allowances map[allowanceKey]*big.Int
	locked     map[Account]*big.Int // sum over the account's grants of entitled - released; no zero entries
	vestings   []*vesting           // grant i has VestingID i+1
	events     []Event
}

// NewLedger creates a ledger from a genesis, after [Genesis.Validate]. Each grant is
// recorded as an [EventGenesis] event.
func NewLedger(g Genesis) (*Ledger, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	l := &Ledger{
		asset:      g.Asset,
		balances:   make(map[Account]*big.Int, len(g.Grants)),
		allowances: make(map[allowanceKey]*big.Int),
		locked:     make(map[Account]*big.Int),
	}
	supply, _ := g.Asset.Units(g.Supply)
	l.supply.Set(supply)
	for _, gr := range g.Grants {
		u, _ := g.Asset.Units(gr.Amount)
		l.balance(gr.Account).Add(l.balance(gr.Account), u)
		l.emit(Event{Kind: EventGenesis, To: gr.Account, Amount: gr.Amount})
	}
	return l, nil
}

// Asset returns the ledger's asset.
func (l *Ledger) Asset() Asset { return l.asset }

// Supply returns the fixed total supply.
func (l *Ledger) Supply() decimal.Decimal { return l.asset.FromUnits(&l.supply) }

// Balance returns the balance of an account (zero for an account never seen), including
// any amount locked by vesting (see [Ledger.Spendable]).
func (l *Ledger) Balance(a Account) decimal.Decimal {
	if b, ok := l.balances[a]; ok {
		return l.asset.FromUnits(b)
	}
	return decimal.Zero
}

// Allowance returns how much spender may still move out of owner's balance.
func (l *Ledger) Allowance(owner, spender Account) decimal.Decimal {
	if a, ok := l.allowances[allowanceKey{owner, spender}]; ok {
		return l.asset.FromUnits(a)
	}
	return decimal.Zero
}

// Accounts returns every account that has ever held a balance, sorted.
func (l *Ledger) Accounts() []Account { return sortedKeys(l.balances) }

// Events returns a copy of the event log.
func (l *Ledger) Events() []Event { return slices.Clone(l.events) }

// Transfer moves amount from one account to another. Zero amounts and transfers to oneself
// are allowed and recorded. It fails with an [*AccountError], an [*AmountError] or a
// [*BalanceError] and then changes nothing.
func (l *Ledger) Transfer(from, to Account, amount decimal.Decimal) error {
	u, err := l.checkMove(from, to, amount)
	if err != nil {
		return err
	}
	if err := l.checkSpendable(from, u, amount); err != nil {
		return err
	}
	l.move(from, to, u)
	l.emit(Event{Kind: EventTransfer, From: from, To: to, Amount: amount})
	return nil
}

// TransferFrom moves amount from one account to another on behalf of spender, within the
// allowance from granted to spender, and lowers that allowance by amount. It fails with an
// [*AllowanceError] ([ErrInsufficientAllowance]) or any error of [Ledger.Transfer], and then
// changes nothing.
func (l *Ledger) TransferFrom(spender, from, to Account, amount decimal.Decimal) error {
	if err := spender.Validate(); err != nil {
		return err
	}
	u, err := l.checkMove(from, to, amount)
	if err != nil {
		return err
	}
	allowed := l.allowanceUnits(from, spender)
	if allowed.Cmp(u) < 0 {
		return &AllowanceError{Owner: from, Spender: spender, Current: l.asset.FromUnits(allowed),
			Requested: amount, Err: ErrInsufficientAllowance}
	}
	if err := l.checkSpendable(from, u, amount); err != nil {
		return err
	}
	l.setAllowance(from, spender, new(big.Int).Sub(allowed, u))
	l.move(from, to, u)
	l.emit(Event{Kind: EventTransfer, From: from, To: to, Spender: spender, Amount: amount})
	return nil
}

// Approve sets spender's allowance on owner's balance to amount, replacing the old value.
// An allowance may exceed the balance. Prefer [Ledger.CompareAndApprove] when changing a
// non-zero allowance: a plain approve races with the spender.
func (l *Ledger) Approve(owner, spender Account, amount decimal.Decimal) error {
	u, err := l.checkApproval(owner, spender, amount)
	if err != nil {
		return err
	}
	l.approve(owner, spender, u, amount)
	return nil
}

// CompareAndApprove sets spender's allowance to next only if it is exactly expected now:
// Trustcoin's compare-and-swap that closes the approve race. On a mismatch it returns an
// [*AllowanceError] ([ErrAllowanceChanged]) whose Current field is the allowance now, and
// changes nothing.
func (l *Ledger) CompareAndApprove(owner, spender Account, expected, next decimal.Decimal) error {
	u, err := l.checkApproval(owner, spender, next)
	if err != nil {
		return err
	}
	if err := l.asset.Check(expected); err != nil {
		return err
	}
	cur := l.allowanceUnits(owner, spender)
	exp, _ := l.asset.Units(expected)
	if cur.Cmp(exp) != 0 {
		return &AllowanceError{Owner: owner, Spender: spender, Current: l.asset.FromUnits(cur),
			Requested: expected, Err: ErrAllowanceChanged}
	}
	l.approve(owner, spender, u, next)
	return nil
}

// IncreaseAllowance raises spender's allowance on owner's balance by amount.
func (l *Ledger) IncreaseAllowance(owner, spender Account, amount decimal.Decimal) error {
	u, err := l.checkApproval(owner, spender, amount)
	if err != nil {
		return err
	}
	u.Add(u, l.allowanceUnits(owner, spender))
	l.approve(owner, spender, u, l.asset.FromUnits(u))
	return nil
}

// DecreaseAllowance lowers spender's allowance on owner's balance by amount. Lowering it
// below zero is an [*AllowanceError] ([ErrInsufficientAllowance]) and changes nothing.
func (l *Ledger) DecreaseAllowance(owner, spender Account, amount decimal.Decimal) error {
	u, err := l.checkApproval(owner, spender, amount)
	if err != nil {
		return err
	}
	cur := l.allowanceUnits(owner, spender)
	if cur.Cmp(u) < 0 {
		return &AllowanceError{Owner: owner, Spender: spender, Current: l.asset.FromUnits(cur),
			Requested: amount, Err: ErrInsufficientAllowance}
	}
	u.Sub(cur, u)
	l.approve(owner, spender, u, l.asset.FromUnits(u))
	return nil
}

// Audit checks the ledger's invariants: no balance or allowance is negative, the balances
// sum to the supply exactly, every vesting grant is consistent (0 <= released <= entitled <=
// total; only a revocable grant is revoked), and each account's locked amount equals what
// its grants still hold (entitled - released), is never negative and never above the
// account's balance. A nil result means the ledger is consistent; otherwise the error
// matches [ErrAudit] and names the first broken invariant, in a deterministic order.
func (l *Ledger) Audit() error {
	if !l.asset.IsValid() || l.supply.Sign() <= 0 {
		return fmt.Errorf("%w: not a ledger made by NewLedger or Restore", ErrAudit)
	}
	var sum big.Int
	for _, a := range l.Accounts() {
		b := l.balances[a]
		if b.Sign() < 0 {
			return fmt.Errorf("%w: %s has a negative balance %s", ErrAudit, a, l.asset.FromUnits(b))
		}
		sum.Add(&sum, b)
	}
	if sum.Cmp(&l.supply) != 0 {
		return fmt.Errorf("%w: balances sum to %s, supply is %s", ErrAudit, l.asset.FromUnits(&sum), l.asset.FromUnits(&l.supply))
	}
	for _, k := range l.sortedAllowances() {
		if l.allowances[k].Sign() <= 0 {
			return fmt.Errorf("%w: allowance %s->%s is not positive", ErrAudit, k.owner, k.spender)
		}
	}
	want := make(map[Account]*big.Int)
	for i, v := range l.vestings {
		if err := v.audit(l.asset, VestingID(i+1)); err != nil {
			return err
		}
		var left big.Int
		left.Sub(&v.entitled, &v.released)
		if left.Sign() == 0 {
			continue
		}
		w, ok := want[v.beneficiary]
		if !ok {
			w = new(big.Int)
			want[v.beneficiary] = w
		}
		w.Add(w, &left)
	}
	for _, a := range sortedKeys(l.locked) {
		if w := want[a]; w == nil || w.Cmp(l.locked[a]) != 0 {
			return fmt.Errorf("%w: %s has %s locked, its grants hold %s", ErrAudit, a,
				l.asset.FromUnits(l.locked[a]), l.asset.FromUnits(orZero(w)))
		}
	}
	for _, a := range sortedKeys(want) {
		lk := l.locked[a]
		if lk == nil || lk.Cmp(want[a]) != 0 {
			return fmt.Errorf("%w: %s has %s locked, its grants hold %s", ErrAudit, a,
				l.asset.FromUnits(orZero(lk)), l.asset.FromUnits(want[a]))
		}
		if lk.Sign() < 0 {
			return fmt.Errorf("%w: %s has a negative locked amount %s", ErrAudit, a, l.asset.FromUnits(lk))
		}
		if b := orZero(l.balances[a]); lk.Cmp(b) > 0 {
			return fmt.Errorf("%w: %s has %s locked, above its balance %s", ErrAudit, a,
				l.asset.FromUnits(lk), l.asset.FromUnits(b))
		}
	}
	return nil
}

func orZero(b *big.Int) *big.Int {
	if b == nil {
		return new(big.Int)
	}
	return b
}

func sortedKeys[V any](m map[Account]V) []Account {
	out := make([]Account, 0, len(m))
	for a := range m {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

func (l *Ledger) checkMove(from, to Account, amount decimal.Decimal) (*big.Int, error) {
	if err := from.Validate(); err != nil {
		return nil, err
	}
	if err := to.Validate(); err != nil {
		return nil, err
	}
	if err := l.asset.Check(amount); err != nil {
		return nil, err
	}
	return l.asset.Units(amount)
}

func (l *Ledger) checkApproval(owner, spender Account, amount decimal.Decimal) (*big.Int, error) {
	return l.checkMove(owner, spender, amount)
}

// checkSpendable reports whether from can pay u minor units out of its spendable balance.
func (l *Ledger) checkSpendable(from Account, u *big.Int, amount decimal.Decimal) error {
	have := l.balances[from]
	if have == nil {
		have = new(big.Int)
	}
	locked := l.locked[from]
	if locked == nil {
		if have.Cmp(u) < 0 {
			return &BalanceError{Account: from, Amount: amount, Available: l.asset.FromUnits(have)}
		}
		return nil
	}
	var spendable big.Int
	spendable.Sub(have, locked)
	if spendable.Cmp(u) < 0 {
		return &BalanceError{Account: from, Amount: amount, Available: l.asset.FromUnits(&spendable)}
	}
	return nil
}

func (l *Ledger) balance(a Account) *big.Int {
	b, ok := l.balances[a]
	if !ok {
		b = new(big.Int)
		l.balances[a] = b
	}
	return b
}

func (l *Ledger) move(from, to Account, u *big.Int) {
	l.balance(from).Sub(l.balance(from), u)
	l.balance(to).Add(l.balance(to), u)
}

func (l *Ledger) allowanceUnits(owner, spender Account) *big.Int {
	if a, ok := l.allowances[allowanceKey{owner, spender}]; ok {
		return a
	}
	return new(big.Int)
}

func (l *Ledger) setAllowance(owner, spender Account, u *big.Int) {
	k := allowanceKey{owner, spender}
	if u.Sign() == 0 {
		delete(l.allowances, k)
		return
	}
	l.allowances[k] = u
}

func (l *Ledger) approve(owner, spender Account, u *big.Int, amount decimal.Decimal) {
	l.setAllowance(owner, spender, new(big.Int).Set(u))
	l.emit(Event{Kind: EventApproval, From: owner, Spender: spender, Amount: amount})
}

func (l *Ledger) emit(e Event) {
	e.Seq = len(l.events) + 1
	l.events = append(l.events, e)
}

// sortedAllowances returns the allowance keys in (owner, spender) order.
func (l *Ledger) sortedAllowances() []allowanceKey {
	keys := make([]allowanceKey, 0, len(l.allowances))
	for k := range l.allowances {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b allowanceKey) int {
		return cmp.Or(cmp.Compare(a.owner, b.owner), cmp.Compare(a.spender, b.spender))
	})
	return keys
}
