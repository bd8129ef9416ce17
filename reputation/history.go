package reputation

import (
	"iter"
	"math/big"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// CircleLog is one circle's history as its service keeps it: an id (the one the [Book] knows
// it by), its rosca config and its event log, read once (pass slices.Values(evs), a
// rosca.Decoder's Events, or c.EventsAfter(0) for a live rosca.Circle). The zero CircleLog
// is refused by [Compute].
type CircleLog struct {
	ID     string
	Config rosca.Config
	Events iter.Seq[rosca.Event]
}

// Record is an account's payment record, in one circle or summed over several. The zero
// Record is an empty one.
type Record struct {
	// Rounds counts the rounds due: the closed rounds of the circles the account was in.
	Rounds int `json:"rounds"`
	// OnTime counts the rounds the account had paid by their deadline.
	OnTime int `json:"on_time"`
	// Late counts the rounds it paid after their deadline; DaysLate sums the days late
	// (each round's lateness rounded up to whole days), CappedDaysLate the same with each
	// round counted at most [LateDaysCap] days.
	Late           int `json:"late"`
	DaysLate       int `json:"days_late"`
	CappedDaysLate int `json:"capped_days_late"`
	// Missed counts the rounds due that it has not paid at all.
	Missed int `json:"missed"`
	// Defaults counts the pots it won while delinquent (the round's dues unpaid when the
	// round closed); Recoveries how many of those debts it later paid.
	Defaults   int `json:"defaults"`
	Recoveries int `json:"recoveries"`
	// Completed counts the circles that ended (every round closed, no emergency halt) with
	// every round paid.
	Completed int `json:"completed"`
}

// add returns the sum of two records.
func (r Record) add(s Record) Record {
	return Record{Rounds: r.Rounds + s.Rounds, OnTime: r.OnTime + s.OnTime, Late: r.Late + s.Late,
		DaysLate: r.DaysLate + s.DaysLate, CappedDaysLate: r.CappedDaysLate + s.CappedDaysLate,
		Missed: r.Missed + s.Missed, Defaults: r.Defaults + s.Defaults, Recoveries: r.Recoveries + s.Recoveries,
		Completed: r.Completed + s.Completed}
}

// CircleRecord is an account's record in one circle. The zero CircleRecord is no circle's.
type CircleRecord struct {
	Circle string `json:"circle"`
	// Closed is the number of rounds closed, Ended whether the last one closed, Halted
	// whether the emergency halt stopped the circle.
	Closed int  `json:"closed"`
	Ended  bool `json:"ended"`
	Halted bool `json:"halted"`
	Record
}

// held is a pot won in default: its round and its winnings, kept out of the winner's
// standing until the round's dues are paid.
type held struct {
	round    int
	winnings *big.Int
}

// tracker follows one member through a circle's events.
type tracker struct {
	cfg      rosca.Config
	member   token.Account
	due      *big.Int    // C, in minor units
	standing *big.Int    // contributions - withdrawals + winnings of pots not held
	paidAt   []time.Time // paidAt[r-1]: when round r's dues were first covered
	held     []held
	defaults []int // rounds won in default
	closed   int
	halted   bool
}

func newTracker(cfg rosca.Config, member token.Account) *tracker {
	return &tracker{cfg: cfg, member: member, due: cfg.Contribution.Units(), standing: new(big.Int)}
}

// see takes one event of the circle. Kinds it does not know are ignored.
func (t *tracker) see(e rosca.Event) {
	switch e.Kind {
	case rosca.EventContribution:
		if e.Member == t.member {
			t.standing.Add(t.standing, e.Amount.Units())
			t.settle(e.At)
		}
	case rosca.EventCollateralApplied, rosca.EventGuarantorPaid, rosca.EventRecovered:
		// Paid for the member (its collateral, a guarantor, a recovery): its payment, less a
		// bounty the recovered funds paid.
		if e.Member == t.member {
			x := e.Amount.Units()
			if e.Kind == rosca.EventRecovered && e.Bounty.IsValid() && t.cfg.Rules.Deterrents.Bounty.Pool != rosca.BountyFromFees {
				x.Sub(x, e.Bounty.Units())
			}
			t.standing.Add(t.standing, x)
			t.settle(e.At)
		}
	case rosca.EventWithdrawal:
		if e.Member == t.member {
			t.standing.Sub(t.standing, e.Amount.Units())
			t.unsettle()
		}
	case rosca.EventRoundClosed:
		t.closed++
		if e.Result == nil || e.Result.Winner != t.member {
			return
		}
		r := e.Result.Round
		w := e.Result.Winnings.Units()
		if len(t.paidAt) < r {
			t.defaults = append(t.defaults, r)
			t.held = append(t.held, held{round: r, winnings: w})
			return
		}
		t.standing.Add(t.standing, w)
		t.settle(e.At)
	case rosca.EventHaltActivated:
		t.halted = true
	}
}

// settle marks the rounds whose dues the standing covers from time at on, and releases the
// pots held for rounds now paid.
func (t *tracker) settle(at time.Time) {
	need := new(big.Int)
	for {
		for len(t.paidAt) < t.cfg.Rounds() {
			need.Mul(t.due, big.NewInt(int64(len(t.paidAt)+1)))
			if t.standing.Cmp(need) < 0 {
				break
			}
			t.paidAt = append(t.paidAt, at)
		}
		if len(t.held) == 0 || len(t.paidAt) < t.held[0].round {
			return
		}
		t.standing.Add(t.standing, t.held[0].winnings)
		t.held = t.held[1:]
	}
}

// unsettle takes back the payments of rounds not yet closed that the standing, after a
// withdrawal, no longer covers: a round paid ahead stays paid only while the money stays in
// the circle. The rounds already closed keep the time they were paid.
func (t *tracker) unsettle() {
	need := new(big.Int)
	for k := len(t.paidAt); k > t.closed; k-- {
		need.Mul(t.due, big.NewInt(int64(k)))
		if t.standing.Cmp(need) >= 0 {
			return
		}
		t.paidAt = t.paidAt[:k-1]
	}
}

// record returns the member's record from the events seen.
func (t *tracker) record(id string) CircleRecord {
	c := CircleRecord{Circle: id, Closed: t.closed, Ended: t.closed == t.cfg.Rounds() && !t.halted, Halted: t.halted}
	for r := 1; r <= t.closed; r++ {
		c.Rounds++
		if r > len(t.paidAt) {
			c.Missed++
			continue
		}
		days := daysLate(t.paidAt[r-1], t.cfg.Deadline(r))
		if days == 0 {
			c.OnTime++
			continue
		}
		c.Late++
		c.DaysLate += days
		c.CappedDaysLate += min(days, LateDaysCap)
	}
	c.Defaults = len(t.defaults)
	for _, r := range t.defaults {
		if r <= len(t.paidAt) {
			c.Recoveries++
		}
	}
	if c.Ended && c.Missed == 0 {
		c.Completed = 1
	}
	return c
}

// daysLate returns how many days after the deadline paid lies, rounded up (a payment one
// nanosecond late is a day late), 0 when it is not after the deadline.
func daysLate(paid, deadline time.Time) int {
	s := paid.Unix() - deadline.Unix()
	n := int64(paid.Nanosecond()) - int64(deadline.Nanosecond())
	if n < 0 {
		s, n = s-1, n+1e9
	}
	if s < 0 || (s == 0 && n == 0) {
		return 0
	}
	days := s / secondsPerDay
	if s%secondsPerDay != 0 || n > 0 {
		days++
	}
	return int(days)
}

const secondsPerDay = 24 * 60 * 60
