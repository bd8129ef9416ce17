package token

import (
	"strconv"

	"github.com/trustcircle/trustcircle/internal/uint128"
)

// BalanceAt returns the balance account a had just after event seq: BalanceAt(a, 0) is
// before the genesis (zero), BalanceAt(a, l.LastSeq()) is [Ledger.Balance]. It walks back
// the account's own history from now: every event that moves a balance is linked to the
// previous one of each account it moves, so the cost is O(k) for the k events of account a
// after seq, whatever the length of the log: an auditor's look-up of a million-event log
// costs microseconds for an account with a few events, and at worst one pass over the
// events of the busiest account (the sale account of a distribution: its million
// transfers, a few milliseconds). For a balance locked by vesting, the result includes the
// locked part, as Balance does.
//
// The error is an [*Error] wrapping [ErrUnknownSeq] for a seq beyond [Ledger.LastSeq], or
// [ErrUninitialized] for the zero Ledger.
func (l *Ledger) BalanceAt(a Account, seq uint64) (Amount, error) {
	if err := l.checkSeq("BalanceAt", seq); err != nil {
		return l.asset.Zero(), err
	}
	i := l.find(a)
	if i == noAccount {
		return l.asset.Zero(), nil
	}
	b := l.bal(i)
	for s := l.acct(i).last; uint64(s) > seq; {
		r := l.log.at(int(s) - 1)
		switch x := l.amount(r, s); {
		case r.from == i && r.to == i: // to oneself: no change, both links alike
			s = r.prevFrom
		case r.from == i:
			b, s = plus(b, x), r.prevFrom
		default:
			b, s = minus(b, x), r.prevTo
		}
	}
	return b, nil
}

// BalancesAt returns the balance of every account that had held one just after event seq
// (zero balances included), in the order in which the ledger first saw the accounts (sort
// them for display). It makes one pass over the first seq events: O(seq + accounts), tens
// of milliseconds for a million events. It checks the log as it goes, as [Ledger.AuditAt]
// does. The error is an [*Error] wrapping [ErrUnknownSeq], [ErrAudit] or
// [ErrUninitialized].
func (l *Ledger) BalancesAt(seq uint64) ([]SnapshotBalance, error) {
	p, err := l.pastAt("BalancesAt", seq)
	if err != nil {
		return nil, err
	}
	out := make([]SnapshotBalance, 0, p.holders)
	for i := 1; i < len(p.held); i++ {
		if p.held[i] {
			out = append(out, SnapshotBalance{Account: l.name(uint32(i)), Amount: p.balance(l, i)})
		}
	}
	return out, nil
}

// AuditAt checks the ledger as it was just after event seq, from the log alone: replayed
// event by event, no balance ever goes below zero, and once the genesis is complete the
// balances sum to the supply exactly (before, to the grants recorded so far). It makes one
// pass over the first seq events, O(seq + accounts). A nil result means the log is
// consistent up to seq; otherwise the error is an [*Error] wrapping [ErrAudit] that names
// the first event at fault, or [ErrUnknownSeq] or [ErrUninitialized].
func (l *Ledger) AuditAt(seq uint64) error {
	_, err := l.pastAt("AuditAt", seq)
	return err
}

// checkSeq refuses a seq beyond the log.
func (l *Ledger) checkSeq(op string, seq uint64) error {
	if err := l.initialised(op); err != nil {
		return err
	}
	if seq > uint64(l.log.n) {
		return &Error{Op: op, Detail: "seq " + strconv.FormatUint(seq, 10) + ", the log ends at " + strconv.Itoa(l.log.n), Err: ErrUnknownSeq}
	}
	return nil
}

// past holds the balances of a past state, by account id: in two machine words each when
// the supply fits there (every balance then does), as amounts otherwise.
type past struct {
	narrow  []uint128.U128
	wide    []Amount
	held    []bool
	holders int
}

func (p *past) balance(l *Ledger, i int) Amount {
	if p.wide != nil {
		return l.units(p.wide[i])
	}
	return l.asset.FromUint128Units(p.narrow[i].Hi, p.narrow[i].Lo)
}

// pastAt replays the balance moves of the first seq events and checks them.
func (l *Ledger) pastAt(op string, seq uint64) (*past, error) {
	if err := l.checkSeq(op, seq); err != nil {
		return nil, err
	}
	n := l.accts.n
	p := &past{held: make([]bool, n)}
	if _, _, ok := l.supply.Uint128Units(); ok {
		p.narrow = make([]uint128.U128, n)
	} else {
		p.wide = make([]Amount, n)
	}
	genesis := 0 // the genesis events, at the start of the log
	for genesis < l.log.n && l.log.at(genesis).kind == kGenesis {
		genesis++
	}
	granted := l.asset.Zero()
	for k := range int(seq) {
		r := l.log.at(k)
		if !r.moves {
			continue
		}
		x := l.amount(r, uint32(k+1))
		if k < genesis {
			granted = plus(granted, x)
		}
		if r.from != noAccount && !p.debit(int(r.from), x) {
			return nil, &Error{Op: op, Account: l.name(r.from), Amount: x,
				Detail: "event " + strconv.Itoa(k+1) + " debits " + string(l.name(r.from)) + " below zero", Err: ErrAudit}
		}
		p.credit(int(r.to), x)
		for _, i := range [2]uint32{r.from, r.to} {
			if i != noAccount && !p.held[i] {
				p.held[i], p.holders = true, p.holders+1
			}
		}
	}
	sum := l.asset.Zero()
	for i := 1; i < n; i++ {
		sum = plus(sum, p.balance(l, i))
	}
	want := l.supply
	if seq < uint64(genesis) {
		want = granted // the supply is not all granted yet
	}
	if !sum.Equal(want) {
		return nil, &Error{Op: op, Amount: sum, Limit: want,
			Detail: "at seq " + strconv.FormatUint(seq, 10) + " the balances sum to " + sum.String() + ", want " + want.String(), Err: ErrAudit}
	}
	return p, nil
}

// debit takes x from the balance of id i, or reports false when it would go below zero.
func (p *past) debit(i int, x Amount) bool {
	if p.wide != nil {
		d := minus(p.wide[i], x)
		p.wide[i] = d
		return !d.IsNegative()
	}
	hi, lo, _ := x.Uint128Units() // an event's amount is at most the supply
	d, borrow := p.narrow[i].Sub(uint128.U128{Hi: hi, Lo: lo})
	p.narrow[i] = d
	return !borrow
}

// credit adds x to the balance of id i.
func (p *past) credit(i int, x Amount) {
	if p.wide != nil {
		p.wide[i] = plus(p.wide[i], x)
		return
	}
	hi, lo, _ := x.Uint128Units()
	p.narrow[i], _ = p.narrow[i].Add(uint128.U128{Hi: hi, Lo: lo}) // at most the supply
}
