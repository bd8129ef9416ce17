package token

import "github.com/trustcircle/trustcircle/internal/uint128"

// acct is the ledger's record of one account it has seen in any role (holder, spender,
// administrator), found by its id in [Ledger.ids]. Its balance lives in two machine words;
// the rare balance of 2^128 minor units or more lives in [Ledger.wide] instead, and the
// rarer locked amount in [Ledger.locked], so that a transfer touches two small records and
// no other map.
type acct struct {
	name  Account
	bal   uint128.U128 // the balance in minor units, unless the wideBal flag is set
	last  uint32       // the Seq of the last event that moved the balance, 0 for none
	flags uint8
}

// The flags of an acct.
const (
	holder  uint8 = 1 << iota // has held a balance (genesis, transfer, vesting): listed by Accounts
	hasLock                   // has a locked amount, in Ledger.locked
	wideBal                   // the balance is in Ledger.wide
)

// noAccount is the id of no account: accts[0] is a placeholder with the empty name, so that
// a record's zero id reads as "none".
const noAccount = 0

// find returns the id of account a, or noAccount when the ledger has never seen it.
func (l *Ledger) find(a Account) uint32 { return l.ids[a] }

// id returns the id of account a, adding the account when the ledger has not seen it.
func (l *Ledger) id(a Account) uint32 {
	if i, ok := l.ids[a]; ok {
		return i
	}
	i := uint32(l.accts.n) // an id per account: 2^32 accounts would need 300 GB first
	l.accts.add(acct{name: a})
	l.ids[a] = i
	return i
}

// acct returns the record of id i.
func (l *Ledger) acct(i uint32) *acct { return l.accts.at(int(i)) }

// name returns the account of id i ("" for noAccount).
func (l *Ledger) name(i uint32) Account { return l.acct(i).name }

// bal returns the balance of id i.
func (l *Ledger) bal(i uint32) Amount {
	a := l.acct(i)
	if a.flags&wideBal != 0 {
		return l.wide[i]
	}
	return l.asset.FromUint128Units(a.bal.Hi, a.bal.Lo)
}

// setBal sets the balance of id i, which becomes a holder.
func (l *Ledger) setBal(i uint32, x Amount) {
	a := l.acct(i)
	a.flags |= holder
	if hi, lo, ok := x.Uint128Units(); ok {
		a.bal = uint128.U128{Hi: hi, Lo: lo}
		if a.flags&wideBal != 0 {
			delete(l.wide, i)
			a.flags &^= wideBal
		}
		return
	}
	if l.wide == nil {
		l.wide = make(map[uint32]Amount)
	}
	l.wide[i] = x
	a.bal, a.flags = uint128.U128{}, a.flags|wideBal
}

// lockedOf returns the amount locked in the balance of id i.
func (l *Ledger) lockedOf(i uint32) Amount {
	if l.acct(i).flags&hasLock != 0 {
		return l.locked[i]
	}
	return l.asset.Zero()
}

// spendableOf returns the balance of id i minus its locked amount.
func (l *Ledger) spendableOf(i uint32) Amount {
	if l.acct(i).flags&hasLock == 0 {
		return l.bal(i)
	}
	return minus(l.bal(i), l.locked[i])
}

// move moves x from id from to id to (which may be the same): both become holders. The
// caller has checked that from can pay x.
func (l *Ledger) move(from, to uint32, x Amount) {
	if from == to {
		l.acct(from).flags |= holder
		return
	}
	f, t := l.acct(from), l.acct(to)
	if hi, lo, ok := x.Uint128Units(); ok && (f.flags|t.flags)&wideBal == 0 {
		u := uint128.U128{Hi: hi, Lo: lo}
		fb, borrow := f.bal.Sub(u)
		tb, over := t.bal.Add(u)
		if !borrow && !over {
			f.bal, f.flags = fb, f.flags|holder
			t.bal, t.flags = tb, t.flags|holder
			return
		}
	}
	l.setBal(from, minus(l.bal(from), x))
	l.setBal(to, plus(l.bal(to), x))
}

// lock adds x to the amount locked in the balance of id i.
func (l *Ledger) lock(i uint32, x Amount) {
	if x.IsZero() {
		return
	}
	l.locked[i] = plus(l.lockedOf(i), x)
	l.acct(i).flags |= hasLock
}

// unlock removes x from the amount locked in the balance of id i.
func (l *Ledger) unlock(i uint32, x Amount) {
	if l.acct(i).flags&hasLock == 0 || x.IsZero() {
		return
	}
	if lk := minus(l.locked[i], x); !lk.IsZero() {
		l.locked[i] = lk
		return
	}
	delete(l.locked, i)
	l.acct(i).flags &^= hasLock
}
