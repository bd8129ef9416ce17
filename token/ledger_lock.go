package token

import "github.com/trustcircle/trustcircle/internal/uint128"

// The locked amounts of a ledger live by account id in [Ledger.locks], two machine words an
// id, in chunks of chunkLen ids that are made when an id of theirs first locks something
// (the first chunk grows as its ids do), so that a distribution locking a million
// allocations costs 16 bytes a holder and no map, and a ledger without grants nothing. The
// rare locked amount of 2^128 minor units or more lives in [Ledger.locked] instead. The
// hasLock flag of an account says that it has a locked amount in either.

// lockSlot returns the slot of id i in locks; nil, unless grow, when there is none yet.
func (l *Ledger) lockSlot(i uint32, grow bool) *uint128.U128 {
	c, k := int(i>>chunkShift), int(i&(chunkLen-1))
	if c >= len(l.locks) || k >= len(l.locks[c]) {
		if !grow {
			return nil
		}
		if c >= len(l.locks) {
			l.locks = append(l.locks, make([][]uint128.U128, c+1-len(l.locks))...)
		}
		if c > 0 && l.locks[c] == nil { // an id of a large ledger: the whole chunk at once
			l.locks[c] = make([]uint128.U128, chunkLen)
		} else {
			l.locks[c] = append(l.locks[c], make([]uint128.U128, k+1-len(l.locks[c]))...)
		}
	}
	return &l.locks[c][k]
}

// strayLocks reports whether locks holds an amount for an id the ledger does not know.
func (l *Ledger) strayLocks() bool {
	if s := l.lockSlot(noAccount, false); s != nil && !s.IsZero() {
		return true
	}
	for c := l.accts.n >> chunkShift; c < len(l.locks); c++ {
		for k := range l.locks[c] {
			if c<<chunkShift+k >= l.accts.n && !l.locks[c][k].IsZero() {
				return true
			}
		}
	}
	return false
}

// lockedOf returns the amount locked in the balance of id i.
func (l *Ledger) lockedOf(i uint32) Amount {
	if l.acct(i).flags&hasLock == 0 {
		return l.asset.Zero()
	}
	if x, ok := l.locked[i]; ok {
		return x
	}
	if s := l.lockSlot(i, false); s != nil {
		return l.asset.FromUint128Units(s.Hi, s.Lo)
	}
	return l.asset.Zero()
}

// spendableOf returns the balance of id i minus its locked amount.
func (l *Ledger) spendableOf(i uint32) Amount {
	if l.acct(i).flags&hasLock == 0 {
		return l.bal(i)
	}
	return minus(l.bal(i), l.lockedOf(i))
}

// setLocked sets the amount locked in the balance of id i to x, which is not negative.
func (l *Ledger) setLocked(i uint32, x Amount) {
	a := l.acct(i)
	if x.IsZero() {
		delete(l.locked, i)
		if s := l.lockSlot(i, false); s != nil {
			*s = uint128.U128{}
		}
		a.flags &^= hasLock
		return
	}
	a.flags |= hasLock
	if hi, lo, ok := x.Uint128Units(); ok {
		delete(l.locked, i)
		*l.lockSlot(i, true) = uint128.U128{Hi: hi, Lo: lo}
	} else {
		if s := l.lockSlot(i, false); s != nil {
			*s = uint128.U128{}
		}
		l.locked[i] = x
	}
}

// wideLock reports whether the amount locked in the balance of id i is in Ledger.locked.
func (l *Ledger) wideLock(i uint32) bool {
	if len(l.locked) == 0 {
		return false
	}
	_, ok := l.locked[i]
	return ok
}

// lock adds x to the amount locked in the balance of id i.
func (l *Ledger) lock(i uint32, x Amount) {
	if x.IsZero() {
		return
	}
	if hi, lo, ok := x.Uint128Units(); ok && !l.wideLock(i) { // the common case: two machine words
		s := l.lockSlot(i, true) // zero unless hasLock
		if sum, over := s.Add(uint128.U128{Hi: hi, Lo: lo}); !over {
			*s = sum
			l.acct(i).flags |= hasLock
			return
		}
	}
	l.setLocked(i, plus(l.lockedOf(i), x))
}

// unlock removes x, at most the locked amount, from the amount locked in the balance of id
// i.
func (l *Ledger) unlock(i uint32, x Amount) {
	a := l.acct(i)
	if a.flags&hasLock == 0 || x.IsZero() {
		return
	}
	if hi, lo, ok := x.Uint128Units(); ok && !l.wideLock(i) {
		if s := l.lockSlot(i, false); s != nil {
			if d, borrow := s.Sub(uint128.U128{Hi: hi, Lo: lo}); !borrow {
				*s = d
				if d.IsZero() {
					a.flags &^= hasLock
				}
				return
			}
		}
	}
	l.setLocked(i, minus(l.lockedOf(i), x))
}
