package token

import "hash/maphash"

// MaxReserve is the most accounts one call of [Ledger.Reserve] prepares for.
const MaxReserve = 1 << 21

// Reserve prepares the ledger for n more accounts than it has seen (at most [MaxReserve]; a
// larger n counts as MaxReserve): its account index grows once, now, instead of doubling
// again and again as they arrive, which is what a distribution to a million new holders
// wants. It changes no balance and records no event; on the zero Ledger, or for n <= 0, it
// does nothing. Like a command it needs exclusive access.
func (l *Ledger) Reserve(n int) {
	if !l.asset.IsValid() || n <= 0 {
		return
	}
	x := &l.ids
	need := x.n + min(n, MaxReserve)
	size := max(len(x.slots), 16)
	for 2*need > size { // the index stays at most half full, as id keeps it
		size *= 2
	}
	if size == len(x.slots) {
		return
	}
	if len(x.slots) == 0 {
		x.seed = maphash.MakeSeed()
	}
	old := x.slots
	x.slots = make([]uint64, size)
	mask := size - 1
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
