package rosca

import "github.com/trustcircle/trustcircle/token"

// Reset returns c to its start under the same config with seed as its seed, as New would
// build it, reusing c's storage (its members, closed rounds and log): a simulation running
// many circles of one config builds one circle and resets it for each. The error is an
// [*Error] wrapping [ErrUninitialized], or [ErrInvalidConfig] for the zero seed (c is then
// unchanged).
//
// Reset is a command, and the one command that reuses what c's clones share: every
// [Circle.Clone] of c made before a Reset must not be used after it. Events and results
// read from c before are copies and stay valid.
func (c *Circle) Reset(seed Seed) error {
	if c.terms == nil {
		return uninitialized("Reset")
	}
	if seed.IsZero() {
		return cfgErr("Seed", "must not be zero: every circle without a seed would draw the same winners", nil)
	}
	t := c.terms // shared with clones, and left as they are: the seed is the circle's
	c.seed = seed
	for i := range c.members {
		x := c.members[i].x // its rare figures' storage is kept, zeroed, for the next run
		if x != nil {
			*x = memberExt{}
		}
		c.members[i] = member{acct: t.cfg.Members[i], x: x}
		if h := holderOf(&t.cfg, i); h != t.cfg.Members[i] {
			c.members[i].wr().holder = h
		}
	}
	if c.index != nil && len(c.moves) > 0 { // seats passed: the accounts of the config again
		c.index = make(map[token.Account]int, len(c.members))
		for i, a := range t.cfg.Members {
			c.index[a] = i
		}
	}
	clear(c.spans)
	c.pledges, c.moves = c.pledges[:0], c.moves[:0]
	c.open = openRound{number: 1, epoch: 1, unpaid: t.n, due: t.contribution, leader: -1, tied: c.open.tied[:0], seals: c.open.seals[:0]}
	bx := c.books.x
	if bx != nil {
		*bx = booksExt{}
	}
	c.books = books{lastWinner: -1, x: bx}
	c.ended, c.haltEnabled, c.halted = false, false, false
	c.closed, c.bigRounds, c.roundExts = c.closed[:0], c.bigRounds[:0], c.roundExts[:0]
	c.log.reset(minNs)
	c.hint = -1
	return nil
}
