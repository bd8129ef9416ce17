package token

import (
	"hash/maphash"

	"github.com/trustcircle/trustcircle/internal/uint128"
)

// acct is the ledger's record of one account it has seen in any role (holder, spender,
// administrator), found by its id through [index]. Its balance lives in two machine words;
// the rare balance of 2^128 minor units or more lives in [Ledger.wide] instead, and a
// locked amount in [Ledger.locks], so that a transfer touches two small records and no
// map.
type acct struct {
	name  Account
	bal   uint128.U128 // the balance in minor units, unless the wideBal flag is set
	last  uint32       // the Seq of the last event that moved the balance, 0 for none
	flags uint8
}

// The flags of an acct.
const (
	holder  uint8 = 1 << iota // has held a balance (genesis, transfer, vesting): listed by Accounts
	hasLock                   // has a locked amount, in Ledger.locks or Ledger.locked
	wideBal                   // the balance is in Ledger.wide
)

// noAccount is the id of no account: accts[0] is a placeholder with the empty name, so that
// a record's zero id reads as "none".
const noAccount = 0

// index finds accounts by name: an open-addressing hash table (linear probing, at most half
// full) of slots that hold a 32-bit hash of the name and the account's id, 0 for an empty
// slot. It holds no pointer, so the garbage collector never scans it, and it grows by
// re-slotting the stored hashes, without hashing a name again. The hash is seeded at
// random per ledger (hash/maphash), so that no chosen set of names collides; the seed
// changes no result, only where the slots lie.
type index struct {
	seed  maphash.Seed
	slots []uint64 // hash<<32 | id
	n     int
}

// hash32 returns the hash of a name that the index keeps.
func (x *index) hash32(a Account) uint32 { return uint32(maphash.String(x.seed, string(a)) >> 32) }

// lookup returns the id of account a, or noAccount and the empty slot where it would go.
func (l *Ledger) lookup(a Account) (id uint32, slot int, h uint32) {
	x := &l.ids
	if len(x.slots) == 0 {
		return noAccount, -1, 0
	}
	h = x.hash32(a)
	mask := len(x.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return noAccount, i, h
		}
		if uint32(s>>32) == h && l.acct(uint32(s)).name == a {
			return uint32(s), i, h
		}
	}
}

// find returns the id of account a, or noAccount when the ledger has never seen it.
func (l *Ledger) find(a Account) uint32 {
	i, _, _ := l.lookup(a)
	return i
}

// id returns the id of account a, adding the account when the ledger has not seen it.
func (l *Ledger) id(a Account) uint32 {
	i, slot, h := l.lookup(a)
	if i != noAccount {
		return i
	}
	x := &l.ids
	if 2*(x.n+1) > len(x.slots) {
		x.grow()
		_, slot, h = l.lookup(a)
	}
	i = uint32(l.accts.n) // an id per account: 2^32 accounts would need 300 GB first
	l.accts.add(acct{name: a})
	x.slots[slot] = uint64(h)<<32 | uint64(i)
	x.n++
	return i
}

// grow doubles the index (to 16 slots at first).
func (x *index) grow() {
	if len(x.slots) == 0 {
		x.seed = maphash.MakeSeed()
		x.slots = make([]uint64, 16)
		return
	}
	old := x.slots
	x.slots = make([]uint64, 2*len(old))
	mask := len(x.slots) - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := int(s>>32) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = s
	}
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
