package rosca

import "fmt"

// Allocate names how a round's winner is chosen, in a circle's allocation schedule
// ([Config.Schedule]).
type Allocate string

// The allocation methods.
const (
	// AllocateAuction: the lowest bid (a bidding round; without a bid, the rules' NoBid
	// policy decides).
	AllocateAuction Allocate = "auction"
	// AllocateLottery: the seeded draw among the members who have not won in the epoch.
	AllocateLottery Allocate = "lottery"
	// AllocateSeat: the seat Allocation.Seat takes the round (a fixed or reserved seat).
	AllocateSeat Allocate = "seat"
	// AllocateOrganizer: the foreperson takes the whole pot, without a bid, a discount or
	// the foreperson's fee (the chit foreman's first chit, the hui organizer's first pot).
	AllocateOrganizer Allocate = "organizer"
)

// Allocation is how one round of every epoch is decided: its method and, for
// [AllocateSeat], the seat (0-based) that takes it. The zero Allocation is not valid in a
// schedule.
type Allocation struct {
	Method Allocate `json:"method"`
	Seat   int      `json:"seat,omitempty"`
}

// The schedule of a circle, compiled by New into terms: the allocation of every round of
// the epoch, and, by seat, the round of the epoch it is reserved for (-1 for none).
type schedule struct {
	rounds   []Allocation
	reserved []int
}

// compileSchedule returns the allocation of each of the n rounds of an epoch: the rules'
// Schedule for its first rounds, then the circle's kind (with Rules.Organizer, the first
// round the foreperson's).
//
// Without Config.Schedule nothing is compiled: [Circle.allocation] derives the kind's.
func compileSchedule(cfg *Config, foreperson int) schedule {
	if len(cfg.Schedule) == 0 {
		return schedule{}
	}
	n := len(cfg.Members)
	s := schedule{rounds: make([]Allocation, n), reserved: make([]int, n)}
	for i := range s.reserved {
		s.reserved[i] = -1
	}
	for k := range s.rounds {
		switch {
		case k < len(cfg.Schedule):
			s.rounds[k] = cfg.Schedule[k]
		case k == 0 && cfg.Rules.Organizer:
			s.rounds[k] = Allocation{Method: AllocateOrganizer}
		case cfg.Kind == Bidding:
			s.rounds[k] = Allocation{Method: AllocateAuction}
		case cfg.Kind == Lottery:
			s.rounds[k] = Allocation{Method: AllocateLottery}
		default: // fixed order: seat k takes round k of the epoch
			s.rounds[k] = Allocation{Method: AllocateSeat, Seat: k}
		}
		switch a := s.rounds[k]; a.Method {
		case AllocateSeat:
			s.reserved[a.Seat] = k
		case AllocateOrganizer:
			s.reserved[foreperson] = k
		}
	}
	return s
}

// validateSchedule checks the rules' allocation schedule.
func (c *Config) validateSchedule() error {
	s, n := c.Schedule, len(c.Members)
	if len(s) == 0 {
		return nil
	}
	if len(s) > n {
		return cfgErr("Schedule", fmt.Sprintf("%d rounds scheduled in an epoch of %d", len(s), n), nil)
	}
	if c.Rules.Organizer && s[0].Method != AllocateOrganizer {
		return cfgErr("Schedule", "Rules.Organizer gives round 1 to the foreperson; schedule it so", nil)
	}
	taken := make(map[int]int, len(s)) // seat -> the round reserved for it
	fp := -1
	for i, m := range c.Members {
		if m == c.Foreperson {
			fp = i
		}
	}
	for k, a := range s {
		field := fmt.Sprintf("Schedule[%d]", k)
		seat := -1
		switch a.Method {
		case AllocateAuction:
			if c.Kind != Bidding {
				return cfgErr(field, "an auction round needs a bidding circle", nil)
			}
		case AllocateLottery:
		case AllocateSeat:
			if a.Seat < 0 || a.Seat >= n {
				return cfgErr(field, fmt.Sprintf("seat %d outside the %d seats", a.Seat, n), nil)
			}
			seat = a.Seat
		case AllocateOrganizer:
			if !c.Rules.Fee.commission() && !c.Fee.IsZero() {
				return cfgErr(field, "the organizer's round under net_floor needs a zero fee", nil)
			}
			seat = fp
		default:
			return cfgErr(field, fmt.Sprintf("unknown method %q", a.Method), nil)
		}
		if a.Method != AllocateSeat && a.Seat != 0 {
			return cfgErr(field, "a seat is named for the seat method only", nil)
		}
		if seat < 0 {
			continue
		}
		if r, dup := taken[seat]; dup {
			return cfgErr(field, fmt.Sprintf("seat %d is reserved for round %d already", seat, r+1), nil)
		}
		taken[seat] = k
	}
	if c.Kind == FixedOrder && len(s) < n {
		return cfgErr("Schedule", "a fixed-order circle schedules every round of the epoch", nil)
	}
	return nil
}

// allocation returns the allocation of the open round: the compiled schedule's, or
// without one the kind's (see compileSchedule).
func (c *Circle) allocation() Allocation {
	t := c.terms
	k := (c.open.number - 1) % t.n
	if t.sched.rounds != nil {
		return t.sched.rounds[k]
	}
	switch {
	case k == 0 && t.cfg.Rules.Organizer:
		return Allocation{Method: AllocateOrganizer}
	case t.cfg.Kind == Bidding:
		return Allocation{Method: AllocateAuction}
	case t.cfg.Kind == Lottery:
		return Allocation{Method: AllocateLottery}
	}
	return Allocation{Method: AllocateSeat, Seat: k}
}

// reservedLater reports whether seat i is reserved for a later round of the epoch than
// the open one: it may not bid, and draws pass it over. Without a schedule only a
// fixed-order circle's seats are (each for its round; the organizer's is round 1).
func (c *Circle) reservedLater(i int) bool {
	t := c.terms
	k := (c.open.number - 1) % t.n
	if t.sched.reserved == nil {
		return t.cfg.Kind == FixedOrder && i > k
	}
	return t.sched.reserved[i] > k
}

// drawable returns the number of members a draw of the open round chooses among: those who
// have not won in the epoch, less the seats reserved for its later rounds.
func (c *Circle) drawable() int {
	k := c.open.unpaid
	for i, r := range c.terms.sched.reserved { // none without a schedule
		if r > (c.open.number-1)%c.terms.n && c.members[i].wonEpoch != c.open.epoch {
			k--
		}
	}
	return k
}
