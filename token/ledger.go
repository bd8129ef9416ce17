package token

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/internal/uint128"
)

// Grant is one line of a [Genesis]: an amount credited to an account at creation. The zero
// Grant is not valid in a genesis.
type Grant struct {
	Account Account `json:"account"`
	Amount  Amount  `json:"amount"`
}

// Genesis describes a ledger at creation: its asset, its fixed supply and the grants that
// distribute the supply. The grants must sum to the supply exactly. The zero Genesis is not
// valid: [Genesis.Validate] refuses it with [ErrGenesis].
//
// Its JSON is {"v":1,"asset":...,"supply":"100.000000 TRST","grants":[...]}, written by the
// package's own code (see [Genesis.MarshalJSON]).
type Genesis struct {
	Asset  Asset
	Supply Amount
	Grants []Grant
}

// Validate reports whether the genesis is well formed: a valid asset, a positive supply of
// that asset, valid accounts, valid amounts and grants that sum to the supply exactly. An
// account may appear in several grants; its balance is their sum. The error is an [*Error]
// wrapping [ErrGenesis] and, when a part of the genesis is at fault, the reason of that
// part ([ErrInvalidAccount], [ErrNegativeAmount], ...).
func (g Genesis) Validate() error {
	bad := func(detail string, cause error, acc Account, x Amount) error {
		var err error = ErrGenesis
		if cause != nil {
			err = withCause{ErrGenesis, cause}
			detail += ": " + causeText(cause)
		}
		return &Error{Op: "Genesis", Account: acc, Amount: x, Detail: detail, Err: err}
	}
	if !g.Asset.IsValid() {
		return bad("no asset", ErrInvalidAsset, "", Amount{})
	}
	if err := g.Asset.CheckPositive(g.Supply); err != nil {
		return bad("supply", err, "", g.Supply)
	}
	if len(g.Grants) == 0 {
		return bad("no grants", nil, "", Amount{})
	}
	sum := g.Asset.Zero()
	for i, gr := range g.Grants {
		if err := gr.Account.Validate(); err != nil {
			return bad("grant "+strconv.Itoa(i), err, gr.Account, gr.Amount)
		}
		if err := g.Asset.Check(gr.Amount); err != nil {
			return bad("grant "+strconv.Itoa(i), err, gr.Account, gr.Amount)
		}
		var err error
		if sum, err = sum.Add(gr.Amount); err != nil {
			return bad("grants", err, "", Amount{})
		}
	}
	if !sum.Equal(g.Supply) {
		return &Error{Op: "Genesis", Amount: sum, Limit: g.Supply,
			Detail: "the grants sum to " + sum.String() + ", the supply is " + g.Supply.String(), Err: ErrGenesis}
	}
	return nil
}

// TRSTAccounts names the four genesis holders of Trustcoin. The zero value names none, and
// its genesis is refused.
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
	m := func(millions int64) Amount { return trst.FromInt64Units(millions * 1_000_000 * 1_000_000) }
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

type allowanceKey struct{ owner, spender Account }

// Ledger is a fixed-supply token ledger with ERC20 semantics: balances, transfers,
// allowances and transfers on allowance, plus Trustcoin's compare-and-approve. The supply is
// set by a [Genesis] and never changes: the balances always sum to it. The zero Ledger is
// not initialised: every command returns an [*Error] wrapping [ErrUninitialized] and every
// query a zero result; make ledgers with [NewLedger], [Restore] or [Replay].
//
// A ledger also enforces vesting ([Ledger.Vest], [Ledger.VestInEscrow]): tokens under a
// vesting grant are locked until released, and only the spendable balance (balance minus
// locked) can be transferred; and a transfer freeze ([Ledger.Freeze]), during which only
// its administrator's tokens move.
//
// Every command validates all of its input first and either applies fully, appending one
// or more [Event]s to the log, or returns an [*Error] and changes nothing. Unlike Trustcoin,
// which returned false, a failed transfer is always an error.
//
// Queries (Balance, BalanceAt, Allowance, Events, Snapshot, Audit, ...) only read: they may
// be called concurrently by many readers; commands need exclusive access (a sync.RWMutex
// around the ledger does).
//
// A transfer costs two look-ups in the ledger's own hash index of accounts and 40 bytes of
// log; a ledger of a million accounts that has recorded a million transfers holds about
// 80 MB. A vesting grant costs as much again and a record of 40 bytes and 16 bytes of lock:
// the grants on one schedule share a single copy of it, checked once, so that a million
// grants locked up at a sale's distribution hold about 150 MB, none of which the garbage
// collector scans.
type Ledger struct {
	asset        Asset
	supply       Amount
	ids          index             // the id of every account seen, in any role
	accts        chunked[acct]     // by id; id 0 is no account
	wide         map[uint32]Amount // balances of 2^128 minor units or more, by id
	locks        [][]uint128.U128  // by id, in chunks of chunkLen ids (nil for none locked): the sum over the grants held there of entitled - released, in minor units
	locked       map[uint32]Amount // by id: the locked amounts of 2^128 minor units or more, which locks does not hold; no zero entries
	allowances   map[allowanceKey]Amount
	vestings     chunked[vesting]      // grant i has VestingID i+1
	curves       []curve               // the grants' curves, each once
	curveIDs     map[curve]uint32      // the index of each curve in curves
	lastCurve    uint32                // the index of the last grant's curve
	wideReleased map[uint32]Amount     // by VestingID: what grants of 2^128 minor units or more have released
	revocations  map[uint32]revocation // by VestingID: the revoked grants
	log          chunked[record]       // the log, append-only; record i has Seq i+1
	times        map[uint32]time.Time  // the times of the events that have one, by Seq
	wideAmounts  map[uint32]Amount     // the amounts of events of 2^128 minor units or more, by Seq
	freeze       freeze
}

// NewLedger creates a ledger from a genesis, after [Genesis.Validate]. Each grant is
// recorded as an [EventGenesis] event.
func NewLedger(g Genesis) (*Ledger, error) {
	if err := g.Validate(); err != nil {
		return nil, err
	}
	l := newLedger(g.Asset)
	l.supply = g.Supply
	for _, gr := range g.Grants {
		i := l.id(gr.Account)
		l.setBal(i, plus(l.bal(i), gr.Amount))
		l.emit(record{kind: kGenesis, to: i, moves: true}, gr.Amount, time.Time{})
	}
	return l, nil
}

func newLedger(a Asset) *Ledger {
	l := &Ledger{
		asset:      a,
		allowances: make(map[allowanceKey]Amount),
		locked:     make(map[uint32]Amount),
	}
	l.accts.add(acct{}) // id 0, no account
	return l
}

// plus returns x + y where the sum is known to be in range (it is at most the supply).
func plus(x, y Amount) Amount {
	s, _ := x.Add(y)
	return s
}

// minus returns x - y where the difference is known to be in range.
func minus(x, y Amount) Amount {
	d, _ := x.Sub(y)
	return d
}

// Asset returns the ledger's asset.
func (l *Ledger) Asset() Asset { return l.asset }

// Supply returns the fixed total supply.
func (l *Ledger) Supply() Amount { return l.supply }

// Balance returns the balance of an account (zero for an account never seen), including
// any amount locked by vesting (see [Ledger.Spendable]).
func (l *Ledger) Balance(a Account) Amount {
	if i := l.find(a); i != noAccount {
		return l.bal(i)
	}
	return l.asset.Zero()
}

// units returns x, or zero of the ledger's asset for the zero Amount (a missing entry).
func (l *Ledger) units(x Amount) Amount {
	if !x.IsValid() {
		return l.asset.Zero()
	}
	return x
}

// Allowance returns how much spender may still move out of owner's balance.
func (l *Ledger) Allowance(owner, spender Account) Amount {
	return l.units(l.allowances[allowanceKey{owner, spender}])
}

// Accounts returns every account that has ever held a balance, sorted.
func (l *Ledger) Accounts() []Account {
	var out []Account
	for i := 1; i < l.accts.n; i++ {
		if a := l.accts.at(i); a.flags&holder != 0 {
			out = append(out, a.name)
		}
	}
	slices.Sort(out)
	return out
}

// Transfer moves x from one account to another. Zero amounts and transfers to oneself are
// allowed and recorded. It fails with an [*Error] wrapping [ErrInvalidAccount], a reason of
// [Asset.Check], [ErrFrozen] (during a transfer freeze, unless from is its administrator) or
// [ErrInsufficientBalance] (Limit is the spendable balance), and then changes nothing.
func (l *Ledger) Transfer(from, to Account, x Amount) error {
	const op = "Transfer"
	if err := l.checkMove(op, from, to, x); err != nil {
		return err
	}
	if err := l.checkFrozen(op, from); err != nil {
		return err
	}
	fi, err := l.checkSpendable(op, from, x)
	if err != nil {
		return err
	}
	if fi == noAccount {
		fi = l.id(from)
	}
	ti := l.id(to)
	l.move(fi, ti, x)
	l.emit(record{kind: kTransfer, from: fi, to: ti, moves: true}, x, time.Time{})
	return nil
}

// TransferFrom moves x from one account to another on behalf of spender, within the
// allowance from granted to spender, and lowers that allowance by x. It fails with an
// [*Error] wrapping [ErrInsufficientAllowance] (Limit is the allowance) or any reason of
// [Ledger.Transfer], and then changes nothing.
func (l *Ledger) TransferFrom(spender, from, to Account, x Amount) error {
	const op = "TransferFrom"
	if err := l.checkAccount(op, spender); err != nil {
		return err
	}
	if err := l.checkMove(op, from, to, x); err != nil {
		return err
	}
	if err := l.checkFrozen(op, from); err != nil {
		return err
	}
	allowed := l.Allowance(from, spender)
	if allowed.Cmp(x) < 0 {
		return &Error{Op: op, Account: spender, Amount: x, Limit: allowed,
			Detail: string(from) + " allows " + string(spender) + " " + allowed.String(), Err: ErrInsufficientAllowance}
	}
	if _, err := l.checkSpendable(op, from, x); err != nil {
		return err
	}
	l.setAllowance(from, spender, minus(allowed, x))
	fi, ti, si := l.id(from), l.id(to), l.id(spender)
	l.move(fi, ti, x)
	l.emit(record{kind: kTransfer, from: fi, to: ti, aux: si, moves: true}, x, time.Time{})
	return nil
}

// Approve sets spender's allowance on owner's balance to x, replacing the old value. An
// allowance may exceed the balance. Prefer [Ledger.CompareAndApprove] when changing a
// non-zero allowance: a plain approve races with the spender.
func (l *Ledger) Approve(owner, spender Account, x Amount) error {
	if err := l.checkMove("Approve", owner, spender, x); err != nil {
		return err
	}
	l.approve(owner, spender, x)
	return nil
}

// CompareAndApprove sets spender's allowance to next only if it is exactly expected now:
// Trustcoin's compare-and-swap that closes the approve race. On a mismatch it returns an
// [*Error] wrapping [ErrAllowanceChanged] whose Limit is the allowance now and whose Amount
// is expected, and changes nothing.
func (l *Ledger) CompareAndApprove(owner, spender Account, expected, next Amount) error {
	if err := l.checkMove("CompareAndApprove", owner, spender, next); err != nil {
		return err
	}
	if err := l.asset.Check(expected); err != nil {
		err.(*Error).Op = "CompareAndApprove"
		return err
	}
	cur := l.Allowance(owner, spender)
	if !cur.Equal(expected) {
		return &Error{Op: "CompareAndApprove", Account: spender, Amount: expected, Limit: cur,
			Detail: string(owner) + " allows " + string(spender) + " " + cur.String() + ", not " + expected.String(),
			Err:    ErrAllowanceChanged}
	}
	l.approve(owner, spender, next)
	return nil
}

// IncreaseAllowance raises spender's allowance on owner's balance by x. An allowance above
// [MaxUnitDigits] digits is refused with [ErrAmountTooLarge].
func (l *Ledger) IncreaseAllowance(owner, spender Account, x Amount) error {
	if err := l.checkMove("IncreaseAllowance", owner, spender, x); err != nil {
		return err
	}
	next, err := l.Allowance(owner, spender).Add(x)
	if err != nil {
		e := err.(*Error)
		e.Op, e.Account = "IncreaseAllowance", spender
		return err
	}
	l.approve(owner, spender, next)
	return nil
}

// DecreaseAllowance lowers spender's allowance on owner's balance by x. Lowering it below
// zero is an [*Error] wrapping [ErrInsufficientAllowance] (Limit is the allowance) and
// changes nothing.
func (l *Ledger) DecreaseAllowance(owner, spender Account, x Amount) error {
	if err := l.checkMove("DecreaseAllowance", owner, spender, x); err != nil {
		return err
	}
	cur := l.Allowance(owner, spender)
	if cur.Cmp(x) < 0 {
		return &Error{Op: "DecreaseAllowance", Account: spender, Amount: x, Limit: cur,
			Detail: string(owner) + " allows " + string(spender) + " " + cur.String(), Err: ErrInsufficientAllowance}
	}
	l.approve(owner, spender, minus(cur, x))
	return nil
}

// Audit checks the ledger's invariants: no balance or allowance is negative, every amount
// is of the ledger's asset, the balances sum to the supply exactly, every vesting grant is
// consistent (0 <= released <= entitled <= total; only a revocable grant is revoked), and
// each account's locked amount equals what the grants held there still hold (entitled -
// released), is never negative and never above the account's balance. A nil result means
// the ledger is consistent; otherwise the error is an [*Error] wrapping [ErrAudit] that
// names the first broken invariant, in a deterministic order (accounts in the order the
// ledger first saw them). For the zero Ledger it also wraps [ErrUninitialized]. It costs
// O(accounts + grants + allowances).
func (l *Ledger) Audit() error {
	fail := func(acc Account, detail string) error {
		return &Error{Op: "Audit", Account: acc, Detail: detail, Err: ErrAudit}
	}
	if !l.asset.IsValid() {
		return &Error{Op: "Audit", Detail: "not a ledger made by NewLedger, Restore or Replay",
			Err: withCause{ErrUninitialized, ErrAudit}}
	}
	if l.supply.Asset() != l.asset || !l.supply.IsPositive() {
		return fail("", "the supply "+l.supply.String()+" is not a positive amount of "+l.asset.String())
	}
	if l.ids.n != l.accts.n-1 {
		return fail("", "the account index has "+strconv.Itoa(l.ids.n)+" entries for "+strconv.Itoa(l.accts.n-1)+" accounts")
	}
	sum := l.asset.Zero()
	for i := 1; i < l.accts.n; i++ {
		a := l.accts.at(i)
		if l.find(a.name) != uint32(i) {
			return fail(a.name, string(a.name)+" is not indexed")
		}
		if a.flags&holder == 0 {
			if !a.bal.IsZero() || a.flags&(wideBal|hasLock) != 0 {
				return fail(a.name, string(a.name)+" has a balance but never held one")
			}
			continue
		}
		b := l.bal(uint32(i))
		if b.Asset() != l.asset || b.IsNegative() {
			return fail(a.name, string(a.name)+" has a balance of "+b.String())
		}
		sum = plus(sum, b)
	}
	if !sum.Equal(l.supply) {
		return fail("", "the balances sum to "+sum.String()+", the supply is "+l.supply.String())
	}
	for _, k := range l.sortedAllowances() {
		if x := l.allowances[k]; x.Asset() != l.asset || !x.IsPositive() {
			return fail(k.owner, "the allowance "+string(k.owner)+" -> "+string(k.spender)+" is "+x.String())
		}
	}
	return l.auditLocks()
}

// auditLocks checks the grants and the locked amounts.
func (l *Ledger) auditLocks() error {
	if err := l.auditCurves(); err != nil {
		return err
	}
	want := lockSums{fast: make([]uint128.U128, l.accts.n)}
	wide, revoked := 0, 0
	for i := range l.vestings.n {
		v, id := l.vestings.at(i), VestingID(i+1)
		if err := v.audit(l, id); err != nil {
			return err
		}
		g := l.amounts(v, id)
		want.add(v.holder, minus(g.entitled, g.released))
		if v.flags&gWide != 0 {
			wide++
		}
		if v.flags&gRevoked != 0 {
			revoked++
		}
	}
	if wide != len(l.wideReleased) || revoked != len(l.revocations) {
		return &Error{Op: "Audit", Detail: "amounts or revocations are kept for grants the ledger does not hold", Err: ErrAudit}
	}
	return l.auditLocked(&want)
}

// auditLocked checks each account's locked amount against want, what its grants hold.
func (l *Ledger) auditLocked(want *lockSums) error {
	fail := func(acc Account, detail string) error {
		return &Error{Op: "Audit", Account: acc, Detail: detail, Err: ErrAudit}
	}
	inMap := 0
	for i := 1; i < l.accts.n; i++ {
		a, id := l.accts.at(i), uint32(i)
		fast := l.lockSlot(id, false)
		big, ok := l.locked[id]
		has := ok || (fast != nil && !fast.IsZero())
		if ok {
			inMap++
		}
		switch {
		case has != (a.flags&hasLock != 0):
			return fail(a.name, string(a.name)+" has a lock entry that its flags do not show")
		case ok && fast != nil && !fast.IsZero():
			return fail(a.name, string(a.name)+" has its locked amount recorded twice")
		case ok && (big.Asset() != l.asset || big.Cmp(l.asset.FromUint128Units(^uint64(0), ^uint64(0))) <= 0):
			return fail(a.name, string(a.name)+" keeps a locked amount of "+big.String()+" apart")
		}
		lk, w := l.lockedOf(id), want.at(l, id)
		if !lk.Equal(w) {
			return fail(a.name, string(a.name)+" has "+lk.String()+" locked, its grants hold "+w.String())
		}
		if b := l.bal(id); lk.Cmp(b) > 0 {
			return fail(a.name, string(a.name)+" has "+lk.String()+" locked, above its balance "+b.String())
		}
	}
	if inMap != len(l.locked) || l.strayLocks() {
		return fail("", "locks are held by accounts the ledger does not know")
	}
	return nil
}

// lockSums adds up amounts by account id: in minor units in fast, or in wide from the
// first amount that does not fit in 128 bits.
type lockSums struct {
	fast []uint128.U128
	wide map[uint32]Amount
}

func (s *lockSums) add(id uint32, x Amount) {
	if x.IsZero() {
		return
	}
	if w, ok := s.wide[id]; ok {
		s.wide[id] = plus(w, x)
		return
	}
	if hi, lo, ok := x.Uint128Units(); ok {
		if sum, over := s.fast[id].Add(uint128.U128{Hi: hi, Lo: lo}); !over {
			s.fast[id] = sum
			return
		}
	}
	if s.wide == nil {
		s.wide = make(map[uint32]Amount)
	}
	f := s.fast[id]
	s.wide[id], s.fast[id] = plus(x.Asset().FromUint128Units(f.Hi, f.Lo), x), uint128.U128{}
}

// at returns the sum for id.
func (s *lockSums) at(l *Ledger, id uint32) Amount {
	if w, ok := s.wide[id]; ok {
		return w
	}
	return l.asset.FromUint128Units(s.fast[id].Hi, s.fast[id].Lo)
}

// initialised returns ErrUninitialized for the zero Ledger.
func (l *Ledger) initialised(op string) error {
	if !l.asset.IsValid() {
		return &Error{Op: op, Detail: "make ledgers with NewLedger, Restore or Replay", Err: ErrUninitialized}
	}
	return nil
}

// checkAccount validates an account for the command op.
func (l *Ledger) checkAccount(op string, a Account) error {
	if err := l.initialised(op); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		err.(*Error).Op = op
		return err
	}
	return nil
}

// checkMove validates the two accounts and the amount of the command op.
func (l *Ledger) checkMove(op string, from, to Account, x Amount) error {
	if err := l.checkAccount(op, from); err != nil {
		return err
	}
	if err := l.checkAccount(op, to); err != nil {
		return err
	}
	if err := l.asset.Check(x); err != nil {
		err.(*Error).Op = op
		return err
	}
	return nil
}

// checkSpendable reports whether from can pay x out of its spendable balance, and returns
// from's id (noAccount for an account never seen, which can pay only zero).
func (l *Ledger) checkSpendable(op string, from Account, x Amount) (uint32, error) {
	i := l.find(from)
	if i != noAccount {
		a := l.acct(i)
		if hi, lo, ok := x.Uint128Units(); ok && a.flags&(wideBal|hasLock) == 0 {
			if a.bal.Cmp(uint128.U128{Hi: hi, Lo: lo}) >= 0 {
				return i, nil // the common case: a plain balance, in two machine words
			}
		}
	}
	spendable := l.asset.Zero()
	if i != noAccount {
		spendable = l.spendableOf(i)
	}
	if spendable.Cmp(x) < 0 {
		return i, &Error{Op: op, Account: from, Amount: x, Limit: spendable,
			Detail: string(from) + " has " + spendable.String() + " spendable", Err: ErrInsufficientBalance}
	}
	return i, nil
}

func (l *Ledger) setAllowance(owner, spender Account, x Amount) {
	k := allowanceKey{owner, spender}
	if x.IsZero() {
		delete(l.allowances, k)
		return
	}
	l.allowances[k] = x
}

func (l *Ledger) approve(owner, spender Account, x Amount) {
	l.setAllowance(owner, spender, x)
	l.emit(record{kind: kApproval, from: l.id(owner), aux: l.id(spender)}, x, time.Time{})
}

// sortedAllowances returns the allowance keys in (owner, spender) order.
func (l *Ledger) sortedAllowances() []allowanceKey {
	keys := make([]allowanceKey, 0, len(l.allowances))
	for k := range l.allowances {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmpKey)
	return keys
}

func cmpKey(a, b allowanceKey) int {
	return cmp.Or(cmp.Compare(a.owner, b.owner), cmp.Compare(a.spender, b.spender))
}
