package rates

import (
	"iter"
	"math/big"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// MaxRounds is the highest round a cash flow may have: 20 years of monthly rounds, beyond
// the longest circles (chit funds run 20 to 50 rounds, rarely 100). It bounds the degree of
// the polynomial [IRR] solves exactly, whose cost grows about as the cube of the rounds when
// the flows change sign often: a circle member's flows of 240 rounds take about a
// millisecond, 240 rounds of random signs a second or two.
const MaxRounds = 240

// Flow is one cash flow of a member (or of one ticket) of a circle: an amount in a round,
// and optionally when it happened.
//
// The sign is the member's: a positive Amount is received by the member (a prize, a
// dividend paid out, a refund), a negative Amount is paid by the member (an instalment, a
// fee, a penalty). A member who wins a pot of 8,000 and pays an instalment of 2,000 in the
// same round has a flow of +6,000 in that round, or two flows, +8,000 and -2,000, which
// [Collect] adds up.
//
// The zero Flow has round 0 and no amount; [Collect] refuses it.
type Flow struct {
	Round  int          // the round, from 1
	At     time.Time    // when it happened; the zero time when unknown
	Amount token.Amount // positive when received by the member, negative when paid
}

// Flows is a member's net cash flow in each round 1 to [Flows.Len], in one asset, with the
// sign convention of [Flow]: positive received by the member, negative paid. Round 1 is the
// present of every valuation: [NPV] discounts round t by t-1 rounds.
//
// Flows is immutable once made (by [NewFlows] or [Collect]) and safe for concurrent use.
// The zero Flows has no round and no asset; [NPV], [IRR] and [MIRR] refuse it with
// [ErrNoFlows].
type Flows struct {
	asset   token.Asset
	amounts []token.Amount // amounts[t-1] is the net flow of round t; never modified
	times   []time.Time    // nil, or times[t-1] is when round t happened (zero when unknown)
}

// NewFlows returns the flows of rounds 1, 2, ...: amounts[0] is round 1. The amounts are
// copied. The error is an [*Error] wrapping [ErrNoFlows] for no amount, [ErrTooManyRounds]
// for more than [MaxRounds], [token.ErrInvalidAsset] for the zero Amount and
// [token.ErrAssetMismatch] for amounts of another asset than the first.
func NewFlows(amounts ...token.Amount) (Flows, error) {
	if len(amounts) == 0 {
		return Flows{}, &Error{Op: "NewFlows", Detail: "no round", Err: ErrNoFlows}
	}
	if len(amounts) > MaxRounds {
		return Flows{}, &Error{Op: "NewFlows", Detail: strconv.Itoa(len(amounts)) + " rounds, at most " +
			strconv.Itoa(MaxRounds), Err: ErrTooManyRounds}
	}
	asset := amounts[0].Asset()
	for i, x := range amounts {
		if err := checkAsset("NewFlows", asset, i+1, x); err != nil {
			return Flows{}, err
		}
	}
	return Flows{asset: asset, amounts: append([]token.Amount(nil), amounts...)}, nil
}

// checkAsset reports whether x, the flow of the round, is a valid amount of asset.
func checkAsset(op string, asset token.Asset, round int, x token.Amount) error {
	switch {
	case !x.IsValid():
		return &Error{Op: op, Round: round, Detail: "no amount given (the zero Amount)", Err: token.ErrInvalidAsset}
	case x.Asset() != asset:
		return &Error{Op: op, Round: round, Amount: x, Detail: "want an amount of " + asset.String(), Err: token.ErrAssetMismatch}
	}
	return nil
}

// Collect returns the flows of the entries, adding up the entries of each round: the
// instalments, prizes, dividends and fees of a member as a circle's records list them, in
// any order. Rounds without an entry have a zero flow. The time of a round is the earliest
// non-zero At among its entries, in UTC; rounds with a time must not be dated before an
// earlier round with one.
//
// The error is an [*Error] wrapping [ErrNoFlows] for no entry, [ErrInvalidRound] for a
// round below 1 or rounds out of time order, [ErrTooManyRounds] for a round above
// [MaxRounds], [token.ErrInvalidTime] for a time before year 1 or after 9999, and the token
// package's reasons for a bad amount or a sum too large.
func Collect(entries iter.Seq[Flow]) (Flows, error) {
	var f Flows
	if entries == nil {
		return Flows{}, &Error{Op: "Collect", Detail: "no entry", Err: ErrNoFlows}
	}
	for e := range entries {
		if err := f.add(e); err != nil {
			return Flows{}, err
		}
	}
	if len(f.amounts) == 0 {
		return Flows{}, &Error{Op: "Collect", Detail: "no entry", Err: ErrNoFlows}
	}
	for t := range f.amounts {
		if !f.amounts[t].IsValid() {
			f.amounts[t] = f.asset.Zero()
		}
	}
	if f.times != nil {
		if err := f.checkTimes(); err != nil {
			return Flows{}, err
		}
	}
	return f, nil
}

// add adds the entry e to f, which Collect is building.
func (f *Flows) add(e Flow) error {
	switch {
	case e.Round < 1:
		return &Error{Op: "Collect", Round: e.Round, Amount: e.Amount, Detail: "rounds start at 1", Err: ErrInvalidRound}
	case e.Round > MaxRounds:
		return &Error{Op: "Collect", Round: e.Round, Amount: e.Amount, Detail: "at most " + strconv.Itoa(MaxRounds) + " rounds", Err: ErrTooManyRounds}
	}
	if !f.asset.IsValid() {
		f.asset = e.Amount.Asset()
	}
	if err := checkAsset("Collect", f.asset, e.Round, e.Amount); err != nil {
		return err
	}
	if e.Round > len(f.amounts) {
		f.amounts = append(f.amounts, make([]token.Amount, e.Round-len(f.amounts))...)
		if f.times != nil {
			f.times = append(f.times, make([]time.Time, e.Round-len(f.times))...)
		}
	}
	sum, err := f.amounts[e.Round-1].Add(e.Amount)
	if err != nil {
		return &Error{Op: "Collect", Round: e.Round, Amount: e.Amount, Detail: "the round's flows add up to more than 96 digits", Err: token.ErrAmountTooLarge}
	}
	f.amounts[e.Round-1] = sum
	if !e.At.IsZero() {
		at := e.At.UTC()
		if y := at.Year(); y < 1 || y > 9999 {
			return &Error{Op: "Collect", Round: e.Round, At: e.At, Detail: "a time must lie in years 1 to 9999", Err: token.ErrInvalidTime}
		}
		if f.times == nil {
			f.times = make([]time.Time, len(f.amounts))
		}
		if old := f.times[e.Round-1]; old.IsZero() || at.Before(old) {
			f.times[e.Round-1] = at
		}
	}
	return nil
}

// checkTimes reports whether the dated rounds of f are in time order.
func (f *Flows) checkTimes() error {
	var last time.Time
	lastRound := 0
	for t, at := range f.times {
		if at.IsZero() {
			continue
		}
		if at.Before(last) {
			return &Error{Op: "Collect", Round: t + 1, At: at, Detail: "round " + strconv.Itoa(t+1) +
				" is dated before round " + strconv.Itoa(lastRound) + " (" + last.Format(time.RFC3339Nano) + ")", Err: ErrInvalidRound}
		}
		last, lastRound = at, t+1
	}
	return nil
}

// Len returns the number of rounds, the last round with a flow (0 for the zero Flows).
func (f Flows) Len() int { return len(f.amounts) }

// Asset returns the asset of the flows (the zero Asset for the zero Flows).
func (f Flows) Asset() token.Asset { return f.asset }

// Amount returns the net flow of the round: zero of the asset for a round without one, and
// the zero Amount for a round outside 1 to [Flows.Len].
func (f Flows) Amount(round int) token.Amount {
	if round < 1 || round > len(f.amounts) {
		return token.Amount{}
	}
	return f.amounts[round-1]
}

// At returns when the round happened, the zero time when unknown.
func (f Flows) At(round int) time.Time {
	if round < 1 || round > len(f.times) {
		return time.Time{}
	}
	return f.times[round-1]
}

// All returns the flow of every round 1 to [Flows.Len], in order.
func (f Flows) All() iter.Seq[Flow] {
	return func(yield func(Flow) bool) {
		for t := range f.amounts {
			if !yield(Flow{Round: t + 1, At: f.At(t + 1), Amount: f.amounts[t]}) {
				return
			}
		}
	}
}

// Net returns the sum of the flows: what the member gained (positive) or lost over the
// circle, before any interest. The error is an [*Error] wrapping [ErrNoFlows] for the zero
// Flows or [token.ErrAmountTooLarge] for a sum of more than 96 digits.
func (f Flows) Net() (token.Amount, error) {
	if len(f.amounts) == 0 {
		return token.Amount{}, &Error{Op: "Net", Err: ErrNoFlows}
	}
	sum := f.asset.Zero()
	for t, x := range f.amounts {
		var err error
		if sum, err = sum.Add(x); err != nil {
			return token.Amount{}, &Error{Op: "Net", Round: t + 1, Detail: "the sum has more than 96 digits", Err: token.ErrAmountTooLarge}
		}
	}
	return sum, nil
}

// SignChanges returns how many times the sign of the flows changes from round to round,
// zero flows skipped. By Descartes' rule of signs it bounds the number of internal rates of
// return above -100%, and has the same parity as that number counted with multiplicity: no
// change means no rate, one change exactly one.
func (f Flows) SignChanges() int {
	n, last := 0, 0
	for _, x := range f.amounts {
		if s := x.Sign(); s != 0 {
			if last != 0 && s != last {
				n++
			}
			last = s
		}
	}
	return n
}

// CumulativeSignChanges returns how many times the sign of the running total of the flows
// (round 1, rounds 1 and 2, ...) changes, zeros skipped. When it is 1 and the total of all
// rounds is not zero, Norström's criterion holds: exactly one internal rate of return is
// zero or positive (others may be negative).
func (f Flows) CumulativeSignChanges() int {
	n, _ := f.cumulative()
	return n
}

// cumulative returns the sign changes of the running totals and the sign of the final total.
func (f Flows) cumulative() (changes, final int) {
	sum, u := new(big.Int), new(big.Int)
	last := 0
	for _, x := range f.amounts {
		sum.Add(sum, x.SetUnits(u))
		if s := sum.Sign(); s != 0 {
			if last != 0 && s != last {
				changes++
			}
			last = s
		}
	}
	return changes, sum.Sign()
}

// Norstrom reports whether Norström's criterion holds: the running total of the flows
// changes sign exactly once and the total of all rounds is not zero. It then guarantees
// exactly one internal rate of return of zero or more, not one rate overall: the flows
// -6, 9, 9, -3 meet it, with rates near +110% and -72.7%.
func (f Flows) Norstrom() bool {
	n, final := f.cumulative()
	return n == 1 && final != 0
}
