package simulate

import (
	"slices"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/token"
)

// Aggregate is a [Sink] that summarises the member records of a batch by seat: the
// distribution of the net outcome, the internal rates of return and their root flags, the
// losses to defaults and the fees. Feed it to [Run], or the records of several shards one by
// one. Its Add, Circle and Member methods are commands (one goroutine at a time); Seats only
// reads. The zero Aggregate is empty and ready to use.
type Aggregate struct {
	seats []seatAgg
}

type seatAgg struct {
	member       token.Account
	nets, npvs   amounts
	mirrs        list[float64]
	roles        [4]int
	irrs         list[float64]
	kinds        [4]int
	norstrom     int
	losses, fees total
	writtenOff   total
	lossRuns     int
	defaults     int
	late         int
}

// Circle ignores the circle record.
func (a *Aggregate) Circle(*CircleRecord) error { return nil }

// Member adds the member record.
func (a *Aggregate) Member(r *MemberRecord) error {
	if a == nil || r == nil || r.Seat < 0 {
		return nil
	}
	a.add(r)
	return nil
}

// Add adds one member record to the seat r.Seat (a record with a negative seat is ignored).
func (a *Aggregate) Add(r MemberRecord) {
	if a == nil || r.Seat < 0 {
		return
	}
	a.add(&r)
}

// add is Add without copying the record.
func (a *Aggregate) add(r *MemberRecord) {
	for len(a.seats) <= r.Seat {
		a.seats = append(a.seats, seatAgg{})
	}
	s := &a.seats[r.Seat]
	if s.member == "" {
		s.member = r.Member
	}
	if !s.losses.valid() {
		s.losses.set(r.Net.Asset().Zero())
		s.fees.set(r.Net.Asset().Zero())
		s.writtenOff.set(r.Net.Asset().Zero())
	}
	s.nets.add(r.Net)
	if r.NPV.IsValid() {
		s.npvs.add(r.NPV)
	}
	if role := r.MIRR.Role(); int(role) < len(s.roles) {
		s.roles[role]++
		if role != rates.Unclassified {
			s.mirrs.add(r.MIRR.Rate().Float64())
		}
	}
	if k := r.IRR.Kind(); int(k) < len(s.kinds) {
		s.kinds[k]++
	}
	if root, ok := r.IRR.Unique(); ok {
		s.irrs.add(root.Float64())
	}
	if r.IRR.Norstrom() {
		s.norstrom++
	}
	if r.Unpaid.IsPositive() {
		s.lossRuns++
		s.losses.add(r.Unpaid)
	}
	if r.Owed.IsPositive() {
		s.defaults++
	}
	if r.Late > 0 {
		s.late++
	}
	s.fees.add(r.Fees)
	if r.WrittenOff.IsPositive() {
		s.writtenOff.add(r.WrittenOff)
	}
}

// listChunk is the length of a list's chunks.
const listChunk = 1024

// list is an append-only list kept in chunks of listChunk values: it grows without copying
// what it holds or asking for large blocks of memory. The zero list is empty.
type list[T any] struct {
	chunks [][]T
	n      int
}

// add appends x.
func (l *list[T]) add(x T) {
	if l.n%listChunk == 0 {
		l.chunks = append(l.chunks, make([]T, 0, listChunk))
	}
	c := &l.chunks[len(l.chunks)-1]
	*c = append(*c, x)
	l.n++
}

// all returns the values in a new slice (nil for none).
func (l *list[T]) all() []T {
	if l.n == 0 {
		return nil
	}
	out := make([]T, 0, l.n)
	for _, c := range l.chunks {
		out = append(out, c...)
	}
	return out
}

// amounts is a list of amounts kept in minor units while each fits an int64 (units), and as
// amounts once one does not (wide, which then holds them all).
type amounts struct {
	asset  token.Asset
	units  list[int64]
	wide   list[token.Amount]
	isWide bool
}

// add appends x.
func (l *amounts) add(x token.Amount) {
	if !l.isWide && (x.Asset() == l.asset || l.units.n == 0) {
		if u, ok := x.Int64Units(); ok {
			l.asset = x.Asset()
			l.units.add(u)
			return
		}
	}
	if !l.isWide {
		for _, c := range l.units.chunks {
			for _, u := range c {
				l.wide.add(l.asset.FromInt64Units(u))
			}
		}
		l.units, l.isWide = list[int64]{}, true
	}
	l.wide.add(x)
}

// len returns the number of amounts.
func (l *amounts) len() int { return l.units.n + l.wide.n }

// quantiles returns the quantiles of the amounts.
func (l *amounts) quantiles() Quantiles {
	if l.isWide {
		return amountQuantiles(l.wide.all())
	}
	if l.units.n == 0 {
		return Quantiles{}
	}
	u := l.units.all()
	slices.Sort(u)
	n := len(u)
	at := func(i int) token.Amount { return l.asset.FromInt64Units(u[i]) }
	return Quantiles{Min: at(0), P5: at(rank(n, 5)), P25: at(rank(n, 25)), Median: at(rank(n, 50)),
		P75: at(rank(n, 75)), P95: at(rank(n, 95)), Max: at(n - 1)}
}

// total is a running sum of amounts as sum makes it: in minor units of one asset while the
// amounts are of that asset and the sum fits an int64 (fast), as an amount (x) beyond. The
// zero total is the zero Amount.
type total struct {
	x     token.Amount
	asset token.Asset
	units int64
	fast  bool
}

// set sets the sum to x.
func (t *total) set(x token.Amount) {
	if u, ok := x.Int64Units(); ok && x.IsValid() {
		*t = total{asset: x.Asset(), units: u, fast: true}
		return
	}
	*t = total{x: x}
}

// valid reports whether the sum is an amount of an asset.
func (t *total) valid() bool { return t.fast || t.x.IsValid() }

// amount returns the sum.
func (t *total) amount() token.Amount {
	if t.fast {
		return t.asset.FromInt64Units(t.units)
	}
	return t.x
}

// add adds y as sum does.
func (t *total) add(y token.Amount) {
	if t.fast {
		if b, ok := y.Int64Units(); ok && y.Asset() == t.asset {
			if s := t.units + b; (s >= t.units) == (b >= 0) {
				t.units = s
				return
			}
		}
		t.x, t.fast = t.amount(), false
	}
	t.x = sum(t.x, y)
}

// sum returns x + y, y when x is the zero Amount, x when the sum fails: on int64 minor units
// when both fit and the sum does not overflow.
func sum(x, y token.Amount) token.Amount {
	if !x.IsValid() {
		return y
	}
	if a, ok := x.Int64Units(); ok && x.Asset() == y.Asset() {
		if b, ok := y.Int64Units(); ok {
			if s := a + b; (s >= a) == (b >= 0) {
				return x.Asset().FromInt64Units(s)
			}
		}
	}
	z, err := x.Add(y)
	if err != nil {
		return x
	}
	return z
}

// Quantiles are order statistics of amounts by the nearest-rank method (the smallest value
// with at least the share of the values at or below it): no interpolation, so every figure
// is one of the outcomes. The zero Quantiles hold no amount.
type Quantiles struct {
	Min, P5, P25, Median, P75, P95, Max token.Amount
}

// RateQuantiles are the same order statistics of rates per round as float64 fractions (0.01
// is 1%), for plots and statistics; N counts the values. The zero RateQuantiles hold none.
type RateQuantiles struct {
	N                                   int
	Min, P5, P25, Median, P75, P95, Max float64
}

// SeatSummary is the summary of one seat of a batch. The zero SeatSummary summarises nothing.
type SeatSummary struct {
	Seat   int
	Member token.Account
	// Runs counts the records of the seat.
	Runs int
	// Net is the distribution of the net outcome (withdrawn less contributed).
	Net Quantiles
	// IRR is the distribution of the internal rate of return per round, over the runs where
	// the flows have exactly one.
	IRR RateQuantiles
	// Unsolved, NoRoot, OneRoot and SeveralRoots count the runs by kind of IRR result;
	// Norstrom those meeting Norström's criterion.
	Unsolved, NoRoot, OneRoot, SeveralRoots, Norstrom int
	// Losses is the total the seat was owed and not paid, over LossRuns runs: its losses to
	// defaults with what the deterrents recovered after the end. WrittenOff is the total
	// of its claims written off at the end, before the payments made for the defaulters
	// after it (collateral applied, guarantors, recoveries) gave part of them back: its
	// losses to defaults without those recoveries.
	Losses     token.Amount
	LossRuns   int
	WrittenOff token.Amount
	// Defaults counts the runs the seat ended owing; LateRuns those with a late payment.
	Defaults, LateRuns int
	// Fees is the total fee withheld from the pots the seat won.
	Fees token.Amount
	// NPV is the distribution of the net present value at the scenario's benchmark rate,
	// over the NPVRuns runs where it was computed.
	NPV     Quantiles
	NPVRuns int
	// MIRR is the distribution of the modified rate per round each member reads by its role
	// (rates.MIRRResult.Rate: the return of a saver, the cost of a borrower), over the runs
	// where it was computed and the member both paid and received; Savers, Borrowers and
	// Balanced count those runs by role.
	MIRR                        RateQuantiles
	Savers, Borrowers, Balanced int
}

// Seats returns the summary of every seat, in seat order.
func (a *Aggregate) Seats() []SeatSummary {
	if a == nil {
		return nil
	}
	out := make([]SeatSummary, len(a.seats))
	for i := range a.seats {
		s := &a.seats[i]
		out[i] = SeatSummary{Seat: i, Member: s.member, Runs: s.nets.len(), Net: s.nets.quantiles(),
			IRR: rateQuantiles(s.irrs.all()), Unsolved: s.kinds[rates.Unsolved], NoRoot: s.kinds[rates.NoRoot],
			OneRoot: s.kinds[rates.OneRoot], SeveralRoots: s.kinds[rates.SeveralRoots], Norstrom: s.norstrom,
			Losses: s.losses.amount(), LossRuns: s.lossRuns, WrittenOff: s.writtenOff.amount(), Defaults: s.defaults, LateRuns: s.late, Fees: s.fees.amount(),
			NPV: s.npvs.quantiles(), NPVRuns: s.npvs.len(), MIRR: rateQuantiles(s.mirrs.all()),
			Savers: s.roles[rates.Saver], Borrowers: s.roles[rates.Borrower], Balanced: s.roles[rates.Balanced]}
	}
	return out
}

// rank returns the index of the nearest-rank quantile p/100 of n sorted values.
func rank(n, p int) int {
	k := (n*p + 99) / 100 // ceil(n p / 100)
	return min(max(k-1, 0), n-1)
}

// amountQuantiles returns the quantiles of xs, which it sorts.
func amountQuantiles(s []token.Amount) Quantiles {
	if len(s) == 0 {
		return Quantiles{}
	}
	slices.SortFunc(s, token.Amount.Cmp)
	n := len(s)
	return Quantiles{Min: s[0], P5: s[rank(n, 5)], P25: s[rank(n, 25)], Median: s[rank(n, 50)],
		P75: s[rank(n, 75)], P95: s[rank(n, 95)], Max: s[n-1]}
}

// rateQuantiles returns the quantiles of s, which it sorts.
func rateQuantiles(s []float64) RateQuantiles {
	if len(s) == 0 {
		return RateQuantiles{}
	}
	slices.Sort(s)
	n := len(s)
	return RateQuantiles{N: n, Min: s[0], P5: s[rank(n, 5)], P25: s[rank(n, 25)], Median: s[rank(n, 50)],
		P75: s[rank(n, 75)], P95: s[rank(n, 95)], Max: s[n-1]}
}
