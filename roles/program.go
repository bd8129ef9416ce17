package roles

import (
	"errors"
	"iter"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/internal/cmderr"
	"github.com/trustcircle/trustcircle/token"
)

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
// balances keep summing to its supply. The zero Program is not usable: its commands and
// [Program.Audit] return an [*Error] wrapping [ErrUninitialized], its other queries report
// an empty program; create one with [NewProgram].
//
// It never pays more than its budget nor more than the pool holds, pays each claim at most
// once, requires the claimant's role (referral partner or sponsor) and the administrator's
// approval, and records every payout as an event. A refused command returns an [*Error] and
// changes nothing, in the program or in the ledger. Times are recorded in UTC and must lie
// in the years 1 to 9999 ([token.ErrInvalidTime]).
//
// The program does not own the ledger or the directory: others may move money in and out of
// the pool (refill it, for example); each payout checks the pool's balance at that moment.
// Queries (Config, Paid, Remaining, Payouts, Events, EventsAfter, LastSeq, Referrer, Bounty,
// Bounties, Audit) only read: they may be called concurrently by many readers. Commands
// (Refer, PayReferral, PostBounty, AcceptBounty) need exclusive access, to the ledger and the
// directory too.
type Program struct {
	cfg      ProgramConfig
	ledger   *token.Ledger
	dir      *Directory
	paid     token.Amount
	referrer map[token.Account]token.Account
	bounties map[string]*bountyState
	claims   map[claimKey]int // index into payouts
	payouts  []Payout
	events   []ProgramEvent
}

// NewProgram creates a program paying from cfg.Pool on ledger, with roles checked in dir.
// Besides [ProgramConfig.Validate] it requires a ledger and a directory, amounts of the
// ledger's asset, and an administrator who is a platform operator now. The error is an
// [*Error] wrapping [ErrInvalidProgram], and the cause when there is one.
func NewProgram(cfg ProgramConfig, ledger *token.Ledger, dir *Directory) (*Program, error) {
	const op = "NewProgram"
	if err := cfg.validate(op); err != nil {
		return nil, err
	}
	bad := func(detail string, cause error) error {
		more, err := cmderr.Because(ErrInvalidProgram, cause)
		if more != "" {
			detail += ": " + more
		}
		return &Error{Op: op, Detail: "program " + strconv.QuoteToASCII(cfg.Name) + ": " + detail, Err: err}
	}
	if ledger == nil || dir == nil {
		return nil, &Error{Op: op, Detail: "program " + strconv.QuoteToASCII(cfg.Name) + ": no ledger or no directory", Err: ErrInvalidProgram}
	}
	asset := ledger.Asset()
	if err := asset.CheckPositive(cfg.Budget); err != nil {
		return nil, bad("budget", err)
	}
	for _, c := range []struct {
		what string
		amt  token.Amount
	}{{"fixed join reward", cfg.OnJoin.Fixed}, {"fixed completion reward", cfg.OnComplete.Fixed}} {
		if c.amt.IsValid() {
			if err := asset.Check(c.amt); err != nil {
				return nil, bad(c.what, err)
			}
		}
	}
	p := &Program{
		cfg:      cfg,
		ledger:   ledger,
		dir:      dir,
		paid:     asset.Zero(),
		referrer: make(map[token.Account]token.Account),
		bounties: make(map[string]*bountyState),
		claims:   make(map[claimKey]int),
	}
	if err := dir.mayPay(op, cfg.Admin, p); err != nil {
		return nil, bad("admin", err)
	}
	return p, nil
}

// Config returns the program's configuration.
func (p *Program) Config() ProgramConfig { return p.cfg }

// Paid returns the total the program has paid.
func (p *Program) Paid() token.Amount { return p.paid }

// Remaining returns what the budget still allows, budget minus paid.
func (p *Program) Remaining() token.Amount {
	left, _ := p.cfg.Budget.Sub(p.paid) // one asset; 0 <= paid <= budget
	return left
}

// Payouts returns a copy of the payouts, in the order they were made.
func (p *Program) Payouts() []Payout { return slices.Clone(p.payouts) }

// Events returns a copy of the whole event log; the Bounty and Payout pointers of the copy
// point to fresh values. It costs O(events); a service persisting after each command uses
// [Program.EventsAfter].
func (p *Program) Events() []ProgramEvent {
	out := make([]ProgramEvent, len(p.events))
	for i, e := range p.events {
		out[i] = e.clone()
	}
	return out
}

// LastSeq returns the sequence number of the last event, 0 when there is none.
func (p *Program) LastSeq() uint64 { return uint64(len(p.events)) }

// EventsAfter returns the events with a sequence number above seq, in order, at a cost
// proportional to their number; each is a copy, like those of [Program.Events]. The
// iterator reads the log as it was when EventsAfter was called.
func (p *Program) EventsAfter(seq uint64) iter.Seq[ProgramEvent] {
	tail := p.events[min(seq, uint64(len(p.events))):]
	return func(yield func(ProgramEvent) bool) {
		for _, e := range tail {
			if !yield(e.clone()) {
				return
			}
		}
	}
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

// begin checks what the administrator's commands check first: a program made by NewProgram,
// an approver allowed to pay from it, a time the log can hold. It returns the time in UTC.
func (p *Program) begin(op string, by token.Account, at time.Time) (time.Time, error) {
	if p.ledger == nil || p.dir == nil {
		return time.Time{}, &Error{Op: op, Account: by, Err: ErrUninitialized}
	}
	if err := p.dir.mayPay(op, by, p); err != nil {
		return time.Time{}, err
	}
	return cmderr.CheckTime(op, by, at)
}

// claimError is the error for op of a refused claim, naming the program and the claim.
func (p *Program) claimError(op string, a token.Account, id, detail string, reason error) error {
	d := "program " + strconv.QuoteToASCII(p.cfg.Name)
	if id != "" {
		d += ", claim " + strconv.QuoteToASCII(id)
	}
	if detail != "" {
		d += ": " + detail
	}
	return &Error{Op: op, Account: a, Detail: d, Err: reason}
}

// Refer records at time at that partner referred user, so that the user's circle events
// can earn the partner rewards. The partner must be a referral partner ([ErrNotPermitted]);
// both accounts must be valid and distinct ([ErrInvalidClaim]); a user has at most one
// referring partner, for the life of the program ([ErrAlreadyReferred]).
func (p *Program) Refer(at time.Time, partner, user token.Account) error {
	const op = "Refer"
	if p.ledger == nil || p.dir == nil {
		return &Error{Op: op, Account: partner, Err: ErrUninitialized}
	}
	if err := p.dir.require(op, partner, ReferralPartner, "earn referral rewards"); err != nil {
		return err
	}
	if err := cmderr.CheckAccount(op, user); err != nil {
		return err
	}
	at, err := cmderr.CheckTime(op, partner, at)
	if err != nil {
		return err
	}
	if user == partner {
		return p.claimError(op, user, "", "a partner cannot refer itself", ErrInvalidClaim)
	}
	if prev, ok := p.referrer[user]; ok {
		return p.claimError(op, user, "", "referred by "+strconv.Quote(string(prev)), ErrAlreadyReferred)
	}
	p.referrer[user] = partner
	p.emit(ProgramEvent{At: at, Kind: ProgramReferred, Account: partner, User: user})
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
	const op = "PayReferral"
	at, err := p.begin(op, by, at)
	if err != nil {
		return Payout{}, err
	}
	var reward Reward
	switch {
	case c.ID == "":
		return Payout{}, p.claimError(op, c.Partner, "", "empty claim id", ErrInvalidClaim)
	case checkText(op, "claim id", c.ID, ErrInvalidClaim) != nil:
		return Payout{}, p.claimError(op, c.Partner, c.ID, "the claim id is not valid UTF-8", ErrInvalidClaim)
	case c.Event == Joined:
		reward = p.cfg.OnJoin
	case c.Event == Completed:
		reward = p.cfg.OnComplete
	default:
		return Payout{}, p.claimError(op, c.Partner, c.ID, "unknown circle event "+strconv.QuoteToASCII(string(c.Event)), ErrInvalidClaim)
	}
	if _, ok := p.claims[claimKey{PayoutReferral, c.ID}]; ok {
		return Payout{}, p.claimError(op, c.Partner, c.ID, "", ErrDuplicateClaim)
	}
	if err := p.dir.require(op, c.Partner, ReferralPartner, "earn referral rewards"); err != nil {
		return Payout{}, err
	}
	if err := cmderr.CheckAccount(op, c.User); err != nil {
		return Payout{}, err
	}
	if p.referrer[c.User] != c.Partner {
		return Payout{}, p.claimError(op, c.Partner, c.ID, "user "+strconv.Quote(string(c.User)), ErrNotReferred)
	}
	amount, err := reward.Amount(p.ledger.Asset(), c.Base)
	if err != nil {
		return Payout{}, withOp(op, err)
	}
	if amount.IsZero() {
		base := "no base"
		if c.Base.IsValid() {
			base = "base " + c.Base.String()
		}
		return Payout{}, p.claimError(op, c.Partner, c.ID, "the reward for "+string(c.Event)+" on "+base+" is zero", ErrNoReward)
	}
	return p.pay(op, Payout{At: at, Kind: PayoutReferral, ClaimID: c.ID, To: c.Partner,
		Amount: amount, User: c.User, Event: c.Event})
}

// PostBounty publishes a bounty at time at, by the administrator by. Its id must be new
// ([ErrDuplicateBounty]), not empty and, with its task, valid UTF-8 ([ErrInvalidClaim]), and
// its reward a positive amount of the ledger's asset. Posting reserves nothing: the budget
// and the pool are checked when the bounty is paid.
func (p *Program) PostBounty(at time.Time, by token.Account, b Bounty) error {
	const op = "PostBounty"
	at, err := p.begin(op, by, at)
	if err != nil {
		return err
	}
	switch {
	case b.ID == "":
		return p.claimError(op, by, "", "empty bounty id", ErrInvalidClaim)
	case checkText(op, "bounty id", b.ID, ErrInvalidClaim) != nil || checkText(op, "task", b.Task, ErrInvalidClaim) != nil:
		return p.claimError(op, by, b.ID, "the bounty id or task is not valid UTF-8", ErrInvalidClaim)
	}
	if _, ok := p.bounties[b.ID]; ok {
		return p.claimError(op, by, b.ID, "", ErrDuplicateBounty)
	}
	if err := p.ledger.Asset().CheckPositive(b.Reward); err != nil {
		return withOp(op, err)
	}
	p.bounties[b.ID] = &bountyState{bounty: b}
	c := b
	p.emit(ProgramEvent{At: at, Kind: ProgramBountyPosted, Bounty: &c})
	return nil
}

// AcceptBounty accepts the work of sponsor on the bounty id at time at, approved by the
// administrator by, and pays the bounty's reward from the pool to the sponsor, once. It is
// refused, changing nothing, when by may not pay; the bounty is unknown
// ([ErrUnknownBounty]) or already paid ([ErrDuplicateClaim]); the sponsor is not a sponsor
// ([ErrNotPermitted]); or the reward exceeds the remaining budget ([ErrOverBudget]) or the
// pool's balance ([ErrPoolExhausted]).
func (p *Program) AcceptBounty(at time.Time, by token.Account, id string, sponsor token.Account) (Payout, error) {
	const op = "AcceptBounty"
	at, err := p.begin(op, by, at)
	if err != nil {
		return Payout{}, err
	}
	s, ok := p.bounties[id]
	if !ok {
		return Payout{}, p.claimError(op, sponsor, id, "", ErrUnknownBounty)
	}
	if s.paid {
		return Payout{}, p.claimError(op, sponsor, id, "", ErrDuplicateClaim)
	}
	if err := p.dir.require(op, sponsor, Sponsor, "claim a bounty"); err != nil {
		return Payout{}, err
	}
	return p.pay(op, Payout{At: at, Kind: PayoutBounty, ClaimID: id, To: sponsor, Amount: s.bounty.Reward})
}

// pay checks the budget and the pool, transfers, and records the payout. Nothing changes
// unless the transfer succeeds, and nothing after it can fail.
func (p *Program) pay(op string, po Payout) (Payout, error) {
	if po.To == p.cfg.Pool {
		return Payout{}, p.claimError(op, po.To, po.ClaimID, "the claimant is the pool", ErrInvalidClaim)
	}
	if left := p.Remaining(); po.Amount.Cmp(left) > 0 {
		return Payout{}, &Error{Op: op, Account: po.To, Amount: po.Amount, Limit: left,
			Detail: "claim " + strconv.QuoteToASCII(po.ClaimID) + " needs " + po.Amount.String() + "; the budget of program " +
				strconv.QuoteToASCII(p.cfg.Name) + " has " + left.String() + " left", Err: ErrOverBudget}
	}
	poolErr := func(bal token.Amount) error {
		return &Error{Op: op, Account: po.To, Amount: po.Amount, Limit: bal,
			Detail: "claim " + strconv.QuoteToASCII(po.ClaimID) + " needs " + po.Amount.String() + "; the pool " +
				strconv.Quote(string(p.cfg.Pool)) + " can spend " + bal.String(), Err: ErrPoolExhausted}
	}
	if bal := p.ledger.Balance(p.cfg.Pool); bal.Cmp(po.Amount) < 0 {
		return Payout{}, poolErr(bal)
	}
	if err := p.ledger.Transfer(p.cfg.Pool, po.To, po.Amount); err != nil {
		// The ledger refused (a balance locked by vesting, say) and changed nothing.
		if e, ok := errors.AsType[*token.Error](err); ok && errors.Is(err, token.ErrInsufficientBalance) {
			return Payout{}, poolErr(e.Limit)
		}
		return Payout{}, withOp(op, err)
	}
	p.paid, _ = p.paid.Add(po.Amount) // within the budget, of one asset
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
	e.Seq = uint64(len(p.events)) + 1
	p.events = append(p.events, e)
}

// Audit checks the program's invariants: the payouts sum to the total paid, which is within
// the budget; each claim appears once; the payouts appear, in order, among the ledger's
// transfers out of the pool (same payee, same amount); a paid bounty has one payout; and the
// ledger itself passes [token.Ledger.Audit]. A nil result means the program is consistent;
// otherwise the error is an [*Error] wrapping [ErrAudit] (and the ledger's reason when the
// ledger fails its own audit). It reads the whole ledger log, so it costs O(ledger events).
func (p *Program) Audit() error {
	const op = "Audit"
	if p.ledger == nil || p.dir == nil {
		return &Error{Op: op, Err: ErrUninitialized}
	}
	if err := p.ledger.Audit(); err != nil {
		detail, reason := cmderr.Because(ErrAudit, err)
		return &Error{Op: op, Detail: "the ledger fails its audit: " + detail, Err: reason}
	}
	broken := func(detail string) error { return &Error{Op: op, Detail: detail, Err: ErrAudit} }
	sum := p.ledger.Asset().Zero()
	name := func(i int) string {
		return "payout " + strconv.Itoa(i) + " (" + string(p.payouts[i].Kind) + " " + strconv.QuoteToASCII(p.payouts[i].ClaimID) + ")"
	}
	for i, po := range p.payouts {
		if !po.Amount.IsPositive() {
			return broken(name(i) + " pays " + po.Amount.String())
		}
		var err error
		if sum, err = sum.Add(po.Amount); err != nil {
			return broken(name(i) + ": " + err.Error())
		}
		if j, ok := p.claims[claimKey{po.Kind, po.ClaimID}]; !ok || j != i {
			return broken(name(i) + " is not indexed")
		}
		if po.Kind == PayoutBounty {
			if s, ok := p.bounties[po.ClaimID]; !ok || !s.paid {
				return broken("bounty " + strconv.QuoteToASCII(po.ClaimID) + " paid but not marked")
			}
		}
	}
	// The payouts, in order, are a subsequence of the ledger's transfers out of the pool.
	matched := 0
	for e := range p.ledger.EventsAfter(0) {
		if matched < len(p.payouts) && matches(e, p.cfg.Pool, p.payouts[matched]) {
			matched++
		}
	}
	if matched < len(p.payouts) {
		return broken(name(matched) + " has no ledger transfer")
	}
	if len(p.claims) != len(p.payouts) {
		return broken(strconv.Itoa(len(p.claims)) + " claims for " + strconv.Itoa(len(p.payouts)) + " payouts")
	}
	if !sum.Equal(p.paid) {
		return broken("payouts sum to " + sum.String() + ", paid is " + p.paid.String())
	}
	if p.paid.Cmp(p.cfg.Budget) > 0 {
		return broken("paid " + p.paid.String() + " exceeds the budget " + p.cfg.Budget.String())
	}
	for _, id := range slices.Sorted(maps.Keys(p.bounties)) {
		if _, ok := p.claims[claimKey{PayoutBounty, id}]; ok != p.bounties[id].paid {
			return broken("bounty " + strconv.QuoteToASCII(id) + " paid=" + strconv.FormatBool(p.bounties[id].paid) + " without a matching payout")
		}
	}
	return nil
}

// matches reports whether the ledger event is the transfer of the payout from the pool.
func matches(e token.Event, pool token.Account, po Payout) bool {
	return e.Kind == token.EventTransfer && e.Spender == "" && e.From == pool && e.To == po.To && e.Amount.Equal(po.Amount)
}
