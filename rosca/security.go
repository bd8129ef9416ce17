package rosca

import "github.com/trustcircle/trustcircle/token"

// Security is the smallest security a prized member (one that won in the current epoch)
// should give for the dues it has still to pay in the epoch, as chit practice sets it: a
// value exceeding those dues by one third for movable property or a surety, by one half
// for immovable property; or, instead, the prize paid net of all those dues, which the
// circle then holds for them. It is computed and shown; the circle does not enforce it.
// The zero Security is no prized member's.
type Security struct {
	Member token.Account `json:"member"`
	// Round is the round the member won in the current epoch.
	Round int `json:"round"`
	// FutureDues is C x the rounds of the epoch not yet closed: the subscriptions the
	// member owes after its prize (3 x C for a win in round 2 of 5).
	FutureDues token.Amount `json:"future_dues"`
	// Movable is floor(4 x FutureDues / 3) + 1, the smallest value that exceeds the dues by
	// a third (movable property, a surety); Immovable is floor(3 x FutureDues / 2) + 1
	// (immovable property). Both are zero when nothing is due.
	Movable   token.Amount `json:"movable"`
	Immovable token.Amount `json:"immovable"`
	// NetPrize is the member's winnings less FutureDues (zero when the dues exceed them):
	// what it would be paid now if the circle held its future dues instead of a security.
	NetPrize token.Amount `json:"net_prize"`
}

// Security returns the security member should give for its future dues. The error is an
// [*Error] wrapping [ErrUninitialized], [ErrNotMember], or [ErrNotPrized] when member has
// not won in the current epoch.
func (c *Circle) Security(member token.Account) (Security, error) {
	const op = "Security"
	if c.terms == nil {
		return Security{}, uninitialized(op)
	}
	i, ok := c.seatOf(member)
	if !ok {
		return Security{}, &Error{Op: op, Account: member, Err: ErrNotMember}
	}
	m, t := &c.members[i], c.terms
	if m.wonEpoch != c.open.epoch || m.wins == 0 {
		return Security{}, &Error{Op: op, Account: member, Round: c.open.number, Err: ErrNotPrized,
			Detail: member.String() + " has not won in this epoch"}
	}
	future := c.futureDues()
	var immovable units
	if !future.isZero() {
		immovable = future.mul(3).frac(1, 2).add(unitsOf(1))
	}
	movable := movableSecurity(future)
	last := c.round(c.lastWinIndex(i))
	won, a := last.winnings, t.asset
	return Security{Member: member, Round: last.round, FutureDues: future.amount(a),
		Movable: movable.amount(a), Immovable: immovable.amount(a), NetPrize: won.monus(future).amount(a)}, nil
}

// lastWinIndex returns the index in c.closed of the round member i last won, -1 if none.
func (c *Circle) lastWinIndex(i int) int {
	for k := len(c.closed) - 1; k >= 0; k-- {
		if int(c.closed[k].winner) == i {
			return k
		}
	}
	return -1
}

// futureDues returns C x the rounds of the epoch not yet closed (none after a halt): the
// dues a prized member has still to pay in the epoch.
func (c *Circle) futureDues() units {
	if c.halted {
		return units{}
	}
	t := c.terms
	return t.contribution.mul(uint64(c.open.epoch*t.n - len(c.closed)))
}

// movableSecurity returns floor(4 x future / 3) + 1, the smallest value exceeding future
// by a third; zero when nothing is due.
func movableSecurity(future units) units {
	if future.isZero() {
		return units{}
	}
	return future.mul(4).frac(1, 3).add(unitsOf(1))
}
