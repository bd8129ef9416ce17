package rosca

// externalInterest settles round rr under [BidInterestExternal], w its winner: the winner
// takes the whole pot instead of P - w x L, and is credited the interests the members who
// won before it in the epoch owe for the round, which they now owe as closed dues; its own
// interest w, (P - taken) / L, falls due from the next round of the epoch on. Called
// before the winnings are computed.
func (c *Circle) externalInterest(rr *roundRec, w *member) {
	t, b := c.terms, &c.books
	if live := c.open.unpaid - 1; live > 0 && (rr.method == byBid || rr.method == byLot) {
		rr.wr().interest, _ = t.pot.sub(rr.bid).quo(uint64(live)) // exact: the bid was built as P - w x L
	}
	if rr.method != byOrganizer {
		rr.bid = t.pot
		rr.winnings = t.rfPot
		if t.cfg.Rules.Fee.commission() {
			rr.winnings = t.pot.sub(rr.fee)
		}
	}
	rr.wr().interestIn = b.rd().interests
	for i := range c.members {
		if m := &c.members[i]; m.wonEpoch == c.open.epoch && !m.rd().interest.isZero() {
			m.wr().extra = m.rd().extra.add(m.rd().interest) // the round's interest, now a closed due
		}
	}
	w.won = w.won.add(rr.x.interestIn)
	w.wr().interest = rr.x.interest
	b.wr().interests = b.rd().interests.add(rr.x.interest)
}
