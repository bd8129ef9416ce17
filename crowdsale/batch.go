package crowdsale

import "hash/maphash"

const (
	// batchGroup is how many contributions ContributeAll reads ahead: the home slots of a
	// group's look-ups are read together, so that their cache misses overlap.
	batchGroup = 16
	// warmFrom is the number of ids from which ContributeAll reads ahead: an index of fewer
	// keys stays in the processor's cache, where reading it twice only costs.
	warmFrom = 1 << 16
)

// ContributeAll is the bulk form of [Sale.Contribute]: it records the contributions of cs
// in order, each exactly as Contribute records it, and stops at the first one refused. It
// returns how many it recorded (cs[n] is the one refused) and that one's error, the error
// Contribute returns for it; the refused contribution changes nothing, and the sale holds
// the n recorded before it, its events and receipts those of calling Contribute on each in
// turn. A repeated id with the same content counts as recorded, and changes nothing. The
// zero Sale returns 0 and [ErrUninitialized], even for no contributions.
//
// It returns no receipts: [Sale.Receipt] gives each one afterwards. It records a sale
// faster than calling Contribute for each: while it records one group of contributions it
// has already read where the look-ups of their ids and participants start, so that the
// memory reads a sale too large for the processor's cache waits on overlap instead of
// following one another; a sale's first batch builds the id index for its ids at once,
// instead of growing it bucket by bucket; and it builds no receipt.
func (s *Sale) ContributeAll(cs []Contribution) (n int, err error) {
	if s.p == nil {
		return 0, uninitialized("Contribute")
	}
	var idHash, partHash [batchGroup]uint64
	for g := 0; g < len(cs); g += batchGroup {
		group := cs[g:min(g+batchGroup, len(cs))]
		for k := range group {
			idHash[k] = maphash.String(s.seed, group[k].ID)
			partHash[k] = maphash.String(s.seed, string(group[k].Participant))
		}
		if s.ids.n >= warmFrom {
			var warm uint64
			for k := range group {
				warm ^= s.ids.home(idHash[k]) ^ s.partIndex.home(partHash[k])
			}
			s.warm = warm
		}
		for k := range group {
			pl := plan{idHash: idHash[k], partHash: partHash[k]}
			c := group[k]
			dup, err := s.prepare("Contribute", &c, &pl)
			if err != nil {
				return g + k, err
			}
			if dup < 0 {
				if s.ids.n == 0 { // the first id: ready the index for the batch's
					s.ids.reserve(len(cs) - g - k)
				}
				s.commit(&c, &pl)
			}
		}
	}
	return len(cs), nil
}
