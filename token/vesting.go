package token

import (
	"fmt"
	"math/big"
	"time"

	"github.com/shopspring/decimal"
)

// Schedule says how a total amount of an asset vests over time. It is a small immutable
// value; check it with [Schedule.Validate].
//
// Nothing vests before Start, nor before Cliff when a cliff is set. From then on the vested
// amount follows the curve from Start (the cliff only gates it: at the cliff the share
// accrued since Start vests at once, the OpenZeppelin TokenVesting convention), and at End and
// after it is exactly Total.
//
//   - Linear (Period 0): vested(t) = floor(Total * (t - Start) / (End - Start)) in minor
//     units, with time counted in nanoseconds. The floor keeps the vested amount at or below
//     the exact share, so the last minor unit vests only at End.
//   - Periodic (Period > 0): the total vests in n = ceil((End - Start) / Period) equal
//     tranches at Start + Period, Start + 2*Period, ..., the last tranche landing exactly at End
//     (it is the shorter one when End - Start is not a multiple of Period). After k tranches,
//     vested = floor(Total * k / n) minor units, so tranche amounts differ by at most one
//     minor unit and sum to Total exactly.
//
// A timelock (everything at one instant) is a schedule with Cliff equal to End.
type Schedule struct {
	Asset  Asset           // the asset of Total
	Total  decimal.Decimal // the amount that vests in all; positive, on the minor unit
	Start  time.Time       // vesting accrues from Start
	Cliff  time.Time       // zero for no cliff; otherwise Start <= Cliff <= End, nothing vests before it
	End    time.Time       // everything has vested at End; after Start
	Period time.Duration   // 0 for linear vesting; otherwise the length of a tranche
}

// LinearSchedule returns the schedule of total vesting linearly from start to end, with no
// cliff.
func LinearSchedule(asset Asset, total decimal.Decimal, start, end time.Time) Schedule {
	return Schedule{Asset: asset, Total: total, Start: start, End: end}
}

// Validate reports whether the schedule is well formed: a valid asset, a positive Total on
// its minor unit, non-zero Start and End with End after Start, a Cliff that is zero or
// between Start and End (inclusive), and a Period that is not negative. The error matches
// [ErrInvalidSchedule] (and, for a bad total, the [*AmountError] beneath it).
func (s Schedule) Validate() error {
	if !s.Asset.IsValid() {
		return fmt.Errorf("%w: %w", ErrInvalidSchedule, ErrInvalidAsset)
	}
	if err := s.Asset.CheckPositive(s.Total); err != nil {
		return fmt.Errorf("%w: total: %w", ErrInvalidSchedule, err)
	}
	switch {
	case s.Start.IsZero() || s.End.IsZero():
		return fmt.Errorf("%w: start and end must be set", ErrInvalidSchedule)
	case !s.End.After(s.Start):
		return fmt.Errorf("%w: end %s is not after start %s", ErrInvalidSchedule, fmtTime(s.End), fmtTime(s.Start))
	case !s.Cliff.IsZero() && (s.Cliff.Before(s.Start) || s.Cliff.After(s.End)):
		return fmt.Errorf("%w: cliff %s is outside [%s, %s]", ErrInvalidSchedule, fmtTime(s.Cliff), fmtTime(s.Start), fmtTime(s.End))
	case s.Period < 0:
		return fmt.Errorf("%w: negative period %s", ErrInvalidSchedule, s.Period)
	}
	return nil
}

// Equal reports whether s and o are the same schedule (times compared with [time.Time.Equal],
// amounts by value).
func (s Schedule) Equal(o Schedule) bool {
	return s.Asset == o.Asset && s.Total.Equal(o.Total) && s.Start.Equal(o.Start) &&
		s.Cliff.Equal(o.Cliff) && s.End.Equal(o.End) && s.Period == o.Period
}

// Vested returns the amount vested at time at (see [Schedule] for the curve and its
// rounding). It is monotone in at, zero before Start and before the cliff, and exactly Total
// at End and after. For a schedule that fails [Schedule.Validate] it returns zero.
func (s Schedule) Vested(at time.Time) decimal.Decimal {
	if s.Validate() != nil {
		return decimal.Zero
	}
	total, _ := s.Asset.Units(s.Total)
	return s.Asset.FromUnits(s.vestedUnits(total, at))
}

// vestedUnits is the vesting curve in minor units for a valid schedule whose total is
// total minor units. Rounding: floor (big.Int.Quo on non-negative operands); the remainder
// stays unvested until the next step, and all of it vests at End.
func (s Schedule) vestedUnits(total *big.Int, at time.Time) *big.Int {
	if at.Before(s.Start) || (!s.Cliff.IsZero() && at.Before(s.Cliff)) {
		return new(big.Int)
	}
	if !at.Before(s.End) {
		return new(big.Int).Set(total)
	}
	var num, den *big.Int
	if s.Period > 0 {
		num, den = s.periods(at)
	} else {
		num, den = nanosBetween(s.Start, at), nanosBetween(s.Start, s.End)
	}
	if den.Sign() <= 0 { // not reachable for a valid schedule; guards the division
		return new(big.Int).Set(total)
	}
	num.Mul(num, total)
	return num.Quo(num, den) // floor: both non-negative
}

// periods returns the number of whole periods from Start to at (floor) and the number of
// tranches n = ceil((End - Start) / Period). Period must be positive.
func (s Schedule) periods(at time.Time) (k, n *big.Int) {
	p := big.NewInt(int64(s.Period))
	k = nanosBetween(s.Start, at)
	k.Quo(k, p) // floor: at >= Start
	n = nanosBetween(s.Start, s.End)
	n.Add(n, p)
	n.Sub(n, big.NewInt(1))
	n.Quo(n, p) // ceiling division of a positive span
	return k, n
}

// nanosBetween returns b - a in nanoseconds, exactly, for any two times.
func nanosBetween(a, b time.Time) *big.Int {
	d := big.NewInt(b.Unix())
	d.Sub(d, big.NewInt(a.Unix()))
	d.Mul(d, big.NewInt(1e9))
	return d.Add(d, big.NewInt(int64(b.Nanosecond())-int64(a.Nanosecond())))
}

func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// utc normalises a time for storage: UTC location, no monotonic clock reading.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Round(0).UTC()
}

// VestingID identifies a vesting grant of a [Ledger]; the ledger numbers grants from 1.
type VestingID uint64

// VestingGrant is the state of one vesting grant of a [Ledger], as returned by
// [Ledger.Vesting]: a copy, safe to keep.
//
// The grant's vested amount at time t is min(Entitled, max(Schedule.Vested(t), Released)):
// the schedule's curve, never below what was already released, and frozen at Entitled once
// the grant is revoked.
type VestingGrant struct {
	ID          VestingID
	Granter     Account         // the account that funded the grant; receives the unvested amount on revocation
	Beneficiary Account         // the account whose balance holds the locked amount
	Schedule    Schedule        // the vesting curve (times in UTC)
	Revocable   bool            // whether the grant may be revoked (once)
	Revoked     bool            // whether it was revoked
	RevokedAt   time.Time       // the revocation time (UTC), zero unless Revoked
	Entitled    decimal.Decimal // what the beneficiary gets in all: Schedule.Total, or after revocation what had vested by then
	Released    decimal.Decimal // what has been released (unlocked) so far
}

// Vested returns the amount of the grant vested at time at (see [VestingGrant]).
func (g VestingGrant) Vested(at time.Time) decimal.Decimal {
	v := g.Schedule.Vested(at)
	if v.Cmp(g.Released) < 0 {
		v = g.Released
	}
	if v.Cmp(g.Entitled) > 0 {
		v = g.Entitled
	}
	return v
}

// Releasable returns what a release at time at would unlock: Vested(at) - Released, never
// negative.
func (g VestingGrant) Releasable(at time.Time) decimal.Decimal {
	return g.Vested(at).Sub(g.Released)
}

// Locked returns the amount the grant still locks in the beneficiary's balance:
// Entitled - Released.
func (g VestingGrant) Locked() decimal.Decimal { return g.Entitled.Sub(g.Released) }

// Equal reports whether g and o describe the same grant in the same state.
func (g VestingGrant) Equal(o VestingGrant) bool {
	return g.ID == o.ID && g.Granter == o.Granter && g.Beneficiary == o.Beneficiary &&
		g.Schedule.Equal(o.Schedule) && g.Revocable == o.Revocable && g.Revoked == o.Revoked &&
		g.RevokedAt.Equal(o.RevokedAt) && g.Entitled.Equal(o.Entitled) && g.Released.Equal(o.Released)
}

// vesting is the ledger's record of a grant, in minor units.
type vesting struct {
	granter, beneficiary Account
	schedule             Schedule
	revocable, revoked   bool
	revokedAt            time.Time
	total                big.Int // schedule.Total in minor units
	entitled             big.Int // total, or the amount vested at revocation
	released             big.Int
}

// vestedUnits is the grant's vested amount: min(entitled, max(curve, released)).
func (v *vesting) vestedUnits(at time.Time) *big.Int {
	u := v.schedule.vestedUnits(&v.total, at)
	if u.Cmp(&v.released) < 0 {
		u.Set(&v.released)
	}
	if u.Cmp(&v.entitled) > 0 {
		u.Set(&v.entitled)
	}
	return u
}

func (v *vesting) grant(a Asset, id VestingID) VestingGrant {
	return VestingGrant{
		ID: id, Granter: v.granter, Beneficiary: v.beneficiary, Schedule: v.schedule,
		Revocable: v.revocable, Revoked: v.revoked, RevokedAt: v.revokedAt,
		Entitled: a.FromUnits(&v.entitled), Released: a.FromUnits(&v.released),
	}
}

// audit checks one grant's own invariants.
func (v *vesting) audit(a Asset, id VestingID) error {
	switch {
	case v.schedule.Validate() != nil:
		return fmt.Errorf("%w: grant %d has an invalid schedule", ErrAudit, id)
	case v.released.Sign() < 0 || v.released.Cmp(&v.entitled) > 0 || v.entitled.Cmp(&v.total) > 0:
		return fmt.Errorf("%w: grant %d has released %s, entitled %s, total %s", ErrAudit, id,
			a.FromUnits(&v.released), a.FromUnits(&v.entitled), a.FromUnits(&v.total))
	case !v.revoked && (v.entitled.Cmp(&v.total) != 0 || !v.revokedAt.IsZero()):
		return fmt.Errorf("%w: grant %d is not revoked but entitled %s of %s", ErrAudit, id,
			a.FromUnits(&v.entitled), a.FromUnits(&v.total))
	case v.revoked && (!v.revocable || v.revokedAt.IsZero()):
		return fmt.Errorf("%w: grant %d is revoked without the right or a time", ErrAudit, id)
	}
	return nil
}

// Vest moves schedule.Total from granter to beneficiary and locks it there under a new
// vesting grant, which it returns. The locked amount counts in the beneficiary's balance but
// cannot be transferred until [Ledger.Release] unlocks what has vested. With revocable, the
// granter may [Ledger.Revoke] the grant once. granter and beneficiary may be the same
// account (a holder locking its own tokens).
//
// It fails and changes nothing with an [*AccountError], an error matching
// [ErrInvalidSchedule] (also for a schedule of another asset, with [ErrAssetMismatch]), or a
// [*BalanceError] when the granter's spendable balance is below the total. It records an
// [EventVest].
func (l *Ledger) Vest(granter, beneficiary Account, schedule Schedule, revocable bool) (VestingID, error) {
	if err := granter.Validate(); err != nil {
		return 0, err
	}
	if err := beneficiary.Validate(); err != nil {
		return 0, err
	}
	if err := schedule.Validate(); err != nil {
		return 0, err
	}
	if schedule.Asset != l.asset {
		return 0, fmt.Errorf("%w: %w: schedule in %s, ledger in %s", ErrInvalidSchedule, ErrAssetMismatch, schedule.Asset, l.asset)
	}
	total, _ := l.asset.Units(schedule.Total)
	if err := l.checkSpendable(granter, total, schedule.Total); err != nil {
		return 0, err
	}
	schedule.Start, schedule.Cliff, schedule.End = utc(schedule.Start), utc(schedule.Cliff), utc(schedule.End)
	v := &vesting{granter: granter, beneficiary: beneficiary, schedule: schedule, revocable: revocable}
	v.total.Set(total)
	v.entitled.Set(total)
	l.vestings = append(l.vestings, v)
	id := VestingID(len(l.vestings))
	l.move(granter, beneficiary, total)
	l.lock(beneficiary, total)
	l.emit(Event{Kind: EventVest, From: granter, To: beneficiary, Amount: schedule.Total, Vesting: id})
	return id, nil
}

// Release unlocks what grant id has vested at time at beyond what was already released, and
// returns that amount. It fails and changes nothing with a [*VestingError]:
// [ErrUnknownVesting], or [ErrNothingToRelease] when nothing more has vested. It records an
// [EventRelease].
func (l *Ledger) Release(at time.Time, id VestingID) (decimal.Decimal, error) {
	v, err := l.vesting(at, id)
	if err != nil {
		return decimal.Zero, err
	}
	u := v.vestedUnits(at)
	u.Sub(u, &v.released)
	if u.Sign() <= 0 {
		return decimal.Zero, &VestingError{ID: id, At: at, Err: ErrNothingToRelease}
	}
	v.released.Add(&v.released, u)
	l.unlock(v.beneficiary, u)
	amount := l.asset.FromUnits(u)
	l.emit(Event{Kind: EventRelease, To: v.beneficiary, Amount: amount, Vesting: id, At: utc(at)})
	return amount, nil
}

// Revoke ends grant id at time at: the amount not vested by then (on the schedule, and never
// counting what was already released) moves from the beneficiary back to the granter; what
// has vested but is not yet released stays locked and releasable; nothing more vests. It
// returns the amount returned to the granter, which may be zero. It fails and changes nothing
// with a [*VestingError]: [ErrUnknownVesting], [ErrNotRevocable] or [ErrAlreadyRevoked]. It
// records an [EventRevoke].
func (l *Ledger) Revoke(at time.Time, id VestingID) (decimal.Decimal, error) {
	v, err := l.vesting(at, id)
	if err != nil {
		return decimal.Zero, err
	}
	switch {
	case !v.revocable:
		return decimal.Zero, &VestingError{ID: id, At: at, Err: ErrNotRevocable}
	case v.revoked:
		return decimal.Zero, &VestingError{ID: id, At: at, Err: ErrAlreadyRevoked}
	}
	vested := v.vestedUnits(at)
	unvested := new(big.Int).Sub(&v.entitled, vested)
	v.revoked, v.revokedAt = true, utc(at)
	v.entitled.Set(vested)
	l.unlock(v.beneficiary, unvested)
	l.move(v.beneficiary, v.granter, unvested)
	amount := l.asset.FromUnits(unvested)
	l.emit(Event{Kind: EventRevoke, From: v.beneficiary, To: v.granter, Amount: amount, Vesting: id, At: v.revokedAt})
	return amount, nil
}

// Vesting returns the state of grant id, or a [*VestingError] ([ErrUnknownVesting]).
func (l *Ledger) Vesting(id VestingID) (VestingGrant, error) {
	v, err := l.vesting(time.Time{}, id)
	if err != nil {
		return VestingGrant{}, err
	}
	return v.grant(l.asset, id), nil
}

// Vestings returns the state of every grant, in [VestingID] order.
func (l *Ledger) Vestings() []VestingGrant {
	out := make([]VestingGrant, len(l.vestings))
	for i, v := range l.vestings {
		out[i] = v.grant(l.asset, VestingID(i+1))
	}
	return out
}

// Locked returns the amount of the account's balance locked by vesting grants (vested or
// not, until released).
func (l *Ledger) Locked(a Account) decimal.Decimal {
	if u, ok := l.locked[a]; ok {
		return l.asset.FromUnits(u)
	}
	return decimal.Zero
}

// Spendable returns what the account can transfer: its balance minus its locked amount.
func (l *Ledger) Spendable(a Account) decimal.Decimal {
	var s big.Int
	s.Sub(orZero(l.balances[a]), orZero(l.locked[a]))
	return l.asset.FromUnits(&s)
}

func (l *Ledger) vesting(at time.Time, id VestingID) (*vesting, error) {
	if id == 0 || id > VestingID(len(l.vestings)) {
		return nil, &VestingError{ID: id, At: at, Err: ErrUnknownVesting}
	}
	return l.vestings[id-1], nil
}

func (l *Ledger) lock(a Account, u *big.Int) {
	if u.Sign() == 0 {
		return
	}
	lk, ok := l.locked[a]
	if !ok {
		lk = new(big.Int)
		l.locked[a] = lk
	}
	lk.Add(lk, u)
}

func (l *Ledger) unlock(a Account, u *big.Int) {
	lk, ok := l.locked[a]
	if !ok || u.Sign() == 0 {
		return
	}
	lk.Sub(lk, u)
	if lk.Sign() == 0 {
		delete(l.locked, a)
	}
}

// TRSTTeamVestingYears is the length of the team's vesting in the seed: "vest over 2 years".
const TRSTTeamVestingYears = 2

// TRSTTeamSchedule returns the vesting schedule of Trustcoin's 10,000,000 TRST for the team
// and advisors: linear (per nanosecond, floor) from start to start + 2 years (calendar years,
// [time.Time.AddDate]), with a cliff cliffMonths calendar months after start when
// cliffMonths > 0 (nothing vests before it, then the accrued share vests at once).
//
// The seed FAQ says only "vest over 2 years"; the curve, a cliff and revocability were never
// published (nor enforced on chain). We choose linear with no cliff (cliffMonths 0) as the
// reading closest to the text, and let callers add the common 6- or 12-month cliff.
func TRSTTeamSchedule(start time.Time, cliffMonths int) Schedule {
	s := LinearSchedule(TRST(), decimal.New(10, 6), start, start.AddDate(TRSTTeamVestingYears, 0, 0))
	if cliffMonths > 0 {
		s.Cliff = start.AddDate(0, cliffMonths, 0)
	}
	return s
}

// NewTRSTLedger returns Trustcoin's ledger: the [TRSTGenesis] of the accounts, then the team's
// 10M TRST locked in the team account under [TRSTTeamSchedule](teamStart, cliffMonths), as a
// non-revocable grant from the team account to itself (the team's tokens never leave it;
// they become spendable as they vest and are released). It returns the grant's ID.
// A cliff beyond two years (cliffMonths > 24) is an [ErrInvalidSchedule] error.
func NewTRSTLedger(a TRSTAccounts, teamStart time.Time, cliffMonths int) (*Ledger, VestingID, error) {
	l, err := NewLedger(TRSTGenesis(a))
	if err != nil {
		return nil, 0, err
	}
	id, err := l.Vest(a.Team, a.Team, TRSTTeamSchedule(teamStart, cliffMonths), false)
	if err != nil {
		return nil, 0, err
	}
	return l, id, nil
}
