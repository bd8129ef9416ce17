package token

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math/big"
	"time"
)

// SnapshotVersion is the version of the [Snapshot] format this package writes and reads.
const SnapshotVersion = 1

// Snapshot is the complete state of a [Ledger] as plain data: what [Ledger.Snapshot]
// returns, [Restore] rebuilds, and [Ledger.MarshalJSON] encodes. Amounts are strings with
// exactly the asset's decimals ([Asset.Format]) and times are RFC 3339 strings in UTC, so the
// JSON does not depend on shopspring/decimal's package settings; slices are sorted (balances
// by account, allowances by owner then spender, grants by ID, events by Seq), so equal
// ledgers encode to equal bytes.
type Snapshot struct {
	Version    int                 `json:"version"`
	Asset      Asset               `json:"asset"`
	Supply     string              `json:"supply"`
	Balances   []SnapshotBalance   `json:"balances"`   // every account the ledger has seen, zero balances included
	Allowances []SnapshotAllowance `json:"allowances"` // positive allowances only
	Vestings   []SnapshotVesting   `json:"vestings"`
	Events     []SnapshotEvent     `json:"events"`
}

// SnapshotBalance is one account's balance in a [Snapshot].
type SnapshotBalance struct {
	Account Account `json:"account"`
	Amount  string  `json:"amount"`
}

// SnapshotAllowance is one positive allowance in a [Snapshot].
type SnapshotAllowance struct {
	Owner   Account `json:"owner"`
	Spender Account `json:"spender"`
	Amount  string  `json:"amount"`
}

// SnapshotVesting is one vesting grant in a [Snapshot] (see [VestingGrant]).
type SnapshotVesting struct {
	ID          VestingID `json:"id"`
	Granter     Account   `json:"granter"`
	Beneficiary Account   `json:"beneficiary"`
	Total       string    `json:"total"`
	Start       string    `json:"start"`
	Cliff       string    `json:"cliff,omitempty"`
	End         string    `json:"end"`
	Period      int64     `json:"period_ns,omitempty"`
	Revocable   bool      `json:"revocable"`
	Revoked     bool      `json:"revoked"`
	RevokedAt   string    `json:"revoked_at,omitempty"`
	Entitled    string    `json:"entitled"`
	Released    string    `json:"released"`
}

// SnapshotEvent is one [Event] in a [Snapshot].
type SnapshotEvent struct {
	Seq     int       `json:"seq"`
	Kind    EventKind `json:"kind"`
	From    Account   `json:"from,omitempty"`
	To      Account   `json:"to,omitempty"`
	Spender Account   `json:"spender,omitempty"`
	Amount  string    `json:"amount"`
	Vesting VestingID `json:"vesting,omitempty"`
	At      string    `json:"at,omitempty"`
}

// Snapshot returns the ledger's complete state as plain data. It shares nothing with the
// ledger.
func (l *Ledger) Snapshot() Snapshot {
	a := l.asset
	s := Snapshot{
		Version:    SnapshotVersion,
		Asset:      a,
		Supply:     a.Format(a.FromUnits(&l.supply)),
		Balances:   make([]SnapshotBalance, 0, len(l.balances)),
		Allowances: make([]SnapshotAllowance, 0, len(l.allowances)),
		Vestings:   make([]SnapshotVesting, 0, len(l.vestings)),
		Events:     make([]SnapshotEvent, 0, len(l.events)),
	}
	for _, acc := range l.Accounts() {
		s.Balances = append(s.Balances, SnapshotBalance{Account: acc, Amount: a.Format(a.FromUnits(l.balances[acc]))})
	}
	for _, k := range l.sortedAllowances() {
		s.Allowances = append(s.Allowances, SnapshotAllowance{Owner: k.owner, Spender: k.spender,
			Amount: a.Format(a.FromUnits(l.allowances[k]))})
	}
	for i, v := range l.vestings {
		s.Vestings = append(s.Vestings, SnapshotVesting{
			ID: VestingID(i + 1), Granter: v.granter, Beneficiary: v.beneficiary,
			Total: a.Format(a.FromUnits(&v.total)), Start: snapTime(v.schedule.Start),
			Cliff: snapTime(v.schedule.Cliff), End: snapTime(v.schedule.End),
			Period: int64(v.schedule.Period), Revocable: v.revocable, Revoked: v.revoked,
			RevokedAt: snapTime(v.revokedAt), Entitled: a.Format(a.FromUnits(&v.entitled)),
			Released: a.Format(a.FromUnits(&v.released)),
		})
	}
	for _, e := range l.events {
		s.Events = append(s.Events, SnapshotEvent{Seq: e.Seq, Kind: e.Kind, From: e.From, To: e.To,
			Spender: e.Spender, Amount: a.Format(e.Amount), Vesting: e.Vesting, At: snapTime(e.At)})
	}
	return s
}

func snapTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmtTime(t)
}

// MarshalJSON encodes the ledger's [Snapshot]. Equal ledgers give equal bytes.
func (l *Ledger) MarshalJSON() ([]byte, error) { return json.Marshal(l.Snapshot()) }

// UnmarshalJSON replaces the ledger with the one a [Snapshot] in JSON describes, after
// [Restore] has checked it. Unknown fields are rejected. On error the ledger is unchanged and
// the error matches [ErrSnapshot].
func (l *Ledger) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Snapshot
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("%w: %w", ErrSnapshot, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: data after the snapshot", ErrSnapshot)
	}
	r, err := Restore(s)
	if err != nil {
		return err
	}
	*l = *r
	return nil
}

// Restore rebuilds a ledger from a snapshot, checking everything: the version; a valid
// asset and a positive supply; amounts that are valid for the asset; valid accounts; sorted
// slices without duplicates; balances that sum to the supply; positive allowances; grants
// numbered 1, 2, ... with valid schedules and consistent amounts; and events numbered 1, 2,
// ... whose replay from the genesis events reproduces every balance, allowance, locked
// amount and grant exactly. The result passes [Ledger.Audit]. Every error matches
// [ErrSnapshot].
func Restore(s Snapshot) (*Ledger, error) {
	l, err := restore(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSnapshot, err)
	}
	return l, nil
}

func restore(s Snapshot) (*Ledger, error) {
	if s.Version != SnapshotVersion {
		return nil, fmt.Errorf("version %d, want %d", s.Version, SnapshotVersion)
	}
	a := s.Asset
	if !a.IsValid() {
		return nil, ErrInvalidAsset
	}
	l := &Ledger{asset: a, balances: make(map[Account]*big.Int, len(s.Balances)),
		allowances: make(map[allowanceKey]*big.Int, len(s.Allowances)), locked: make(map[Account]*big.Int)}
	supply, err := parseUnits(a, s.Supply)
	if err != nil {
		return nil, fmt.Errorf("supply: %w", err)
	}
	if supply.Sign() <= 0 {
		return nil, fmt.Errorf("supply: %w", ErrZeroAmount)
	}
	l.supply.Set(supply)

	for i, b := range s.Balances {
		if err := b.Account.Validate(); err != nil {
			return nil, fmt.Errorf("balance %d: %w", i, err)
		}
		if i > 0 && s.Balances[i-1].Account >= b.Account {
			return nil, fmt.Errorf("balance %d: accounts not sorted or repeated at %q", i, b.Account)
		}
		if l.balances[b.Account], err = parseUnits(a, b.Amount); err != nil {
			return nil, fmt.Errorf("balance %d: %w", i, err)
		}
	}
	for i, al := range s.Allowances {
		for _, acc := range [2]Account{al.Owner, al.Spender} {
			if err := acc.Validate(); err != nil {
				return nil, fmt.Errorf("allowance %d: %w", i, err)
			}
		}
		if i > 0 && cmpKey(allowanceKey{s.Allowances[i-1].Owner, s.Allowances[i-1].Spender}, allowanceKey{al.Owner, al.Spender}) >= 0 {
			return nil, fmt.Errorf("allowance %d: not sorted or repeated", i)
		}
		u, err := parseUnits(a, al.Amount)
		if err != nil {
			return nil, fmt.Errorf("allowance %d: %w", i, err)
		}
		if u.Sign() == 0 {
			return nil, fmt.Errorf("allowance %d: %w", i, ErrZeroAmount)
		}
		l.allowances[allowanceKey{al.Owner, al.Spender}] = u
	}
	for i, sv := range s.Vestings {
		v, err := restoreVesting(a, sv)
		if err != nil {
			return nil, fmt.Errorf("vesting %d: %w", i, err)
		}
		if sv.ID != VestingID(i+1) {
			return nil, fmt.Errorf("vesting %d: id %d, want %d", i, sv.ID, i+1)
		}
		l.vestings = append(l.vestings, v)
		var left big.Int
		l.lock(v.beneficiary, left.Sub(&v.entitled, &v.released))
	}
	if err := l.replay(s.Events); err != nil {
		return nil, err
	}
	if err := l.Audit(); err != nil {
		return nil, err
	}
	return l, nil
}

func cmpKey(a, b allowanceKey) int {
	return cmp.Or(cmp.Compare(a.owner, b.owner), cmp.Compare(a.spender, b.spender))
}

// parseUnits parses a non-negative amount of a and returns it in minor units.
func parseUnits(a Asset, s string) (*big.Int, error) {
	d, err := a.Parse(s)
	if err != nil {
		return nil, err
	}
	return a.Units(d)
}

func parseSnapTime(s string, optional bool) (time.Time, error) {
	if s == "" && optional {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	if t.IsZero() {
		return time.Time{}, fmt.Errorf("zero time %q", s)
	}
	return t.UTC(), nil
}

func restoreVesting(a Asset, sv SnapshotVesting) (*vesting, error) {
	v := &vesting{granter: sv.Granter, beneficiary: sv.Beneficiary, revocable: sv.Revocable, revoked: sv.Revoked}
	for _, acc := range [2]Account{sv.Granter, sv.Beneficiary} {
		if err := acc.Validate(); err != nil {
			return nil, err
		}
	}
	var err error
	sch := Schedule{Asset: a, Period: time.Duration(sv.Period)}
	if sch.Total, err = a.Parse(sv.Total); err != nil {
		return nil, err
	}
	if sch.Start, err = parseSnapTime(sv.Start, false); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	if sch.Cliff, err = parseSnapTime(sv.Cliff, true); err != nil {
		return nil, fmt.Errorf("cliff: %w", err)
	}
	if sch.End, err = parseSnapTime(sv.End, false); err != nil {
		return nil, fmt.Errorf("end: %w", err)
	}
	if err := sch.Validate(); err != nil {
		return nil, err
	}
	v.schedule = sch
	if v.revokedAt, err = parseSnapTime(sv.RevokedAt, true); err != nil {
		return nil, fmt.Errorf("revoked_at: %w", err)
	}
	total, _ := a.Units(sch.Total)
	v.total.Set(total)
	for _, f := range []struct {
		dst *big.Int
		s   string
	}{{&v.entitled, sv.Entitled}, {&v.released, sv.Released}} {
		u, err := parseUnits(a, f.s)
		if err != nil {
			return nil, err
		}
		f.dst.Set(u)
	}
	if v.revoked {
		// The amount kept at revocation is the schedule's vested amount at that time, or what
		// had been released if more.
		vs := v.schedule.vestedUnits(&v.total, v.revokedAt)
		ok := v.entitled.Cmp(vs) == 0 || v.entitled.Cmp(&v.released) == 0 && v.released.Cmp(vs) > 0
		if v.revokedAt.IsZero() || !ok {
			return nil, fmt.Errorf("revocation at %q does not match entitled %s", sv.RevokedAt, sv.Entitled)
		}
	}
	return v, v.audit(a, sv.ID)
}

// replay checks the event log: it rebuilds balances, allowances, locks and grant states from
// the events alone and compares them with the restored state. l.events is set on success.
func (l *Ledger) replay(events []SnapshotEvent) error {
	a := l.asset
	r := &Ledger{asset: a, balances: make(map[Account]*big.Int), allowances: make(map[allowanceKey]*big.Int),
		locked: make(map[Account]*big.Int)}
	released := make([]big.Int, len(l.vestings))
	revoked := make([]bool, len(l.vestings))
	vested := 0
	var minted big.Int
	out := make([]Event, 0, len(events))
	for i, se := range events {
		e, u, err := restoreEvent(a, se)
		if err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
		if e.Seq != i+1 {
			return fmt.Errorf("event %d: seq %d, want %d", i, e.Seq, i+1)
		}
		if (i == 0 && e.Kind != EventGenesis) || (i > 0 && e.Kind == EventGenesis && out[i-1].Kind != EventGenesis) {
			return fmt.Errorf("event %d: %s: the log must start with the genesis events, and only there", i, e.Kind)
		}
		fail := func(why string) error { return fmt.Errorf("event %d (%s): %s", i, e.Kind, why) }
		var v *vesting
		if e.Kind == EventVest || e.Kind == EventRelease || e.Kind == EventRevoke {
			if e.Vesting == 0 || e.Vesting > VestingID(len(l.vestings)) {
				return fail("unknown grant")
			}
			v = l.vestings[e.Vesting-1]
		}
		switch e.Kind {
		case EventGenesis:
			r.balance(e.To).Add(r.balance(e.To), u)
			minted.Add(&minted, u)
		case EventTransfer:
			if e.Spender != "" {
				k := allowanceKey{e.From, e.Spender}
				left := new(big.Int).Sub(r.allowanceUnits(e.From, e.Spender), u)
				if left.Sign() < 0 {
					return fail("beyond the allowance")
				}
				r.setAllowance(k.owner, k.spender, left)
			}
			if r.checkSpendable(e.From, u, e.Amount) != nil {
				return fail("beyond the spendable balance")
			}
			r.move(e.From, e.To, u)
		case EventApproval:
			r.setAllowance(e.From, e.Spender, u)
		case EventVest:
			if int(e.Vesting) != vested+1 || e.From != v.granter || e.To != v.beneficiary || u.Cmp(&v.total) != 0 {
				return fail("does not match its grant")
			}
			vested++
			if r.checkSpendable(e.From, u, e.Amount) != nil {
				return fail("beyond the spendable balance")
			}
			r.move(e.From, e.To, u)
			r.lock(e.To, u)
		case EventRelease:
			rel := &released[e.Vesting-1]
			if int(e.Vesting) > vested || e.To != v.beneficiary || u.Sign() <= 0 {
				return fail("does not match its grant")
			}
			rel.Add(rel, u)
			r.unlock(e.To, u)
		case EventRevoke:
			if int(e.Vesting) > vested || revoked[e.Vesting-1] || !v.revoked || !e.At.Equal(v.revokedAt) ||
				e.From != v.beneficiary || e.To != v.granter || new(big.Int).Add(u, &v.entitled).Cmp(&v.total) != 0 {
				return fail("does not match its grant")
			}
			revoked[e.Vesting-1] = true
			r.unlock(e.From, u)
			r.move(e.From, e.To, u)
		}
		out = append(out, e)
	}
	if minted.Cmp(&l.supply) != 0 {
		return fmt.Errorf("genesis events sum to %s, supply is %s", a.FromUnits(&minted), a.FromUnits(&l.supply))
	}
	if vested != len(l.vestings) {
		return fmt.Errorf("%d vest events for %d grants", vested, len(l.vestings))
	}
	for i, v := range l.vestings {
		if released[i].Cmp(&v.released) != 0 || revoked[i] != v.revoked {
			return fmt.Errorf("grant %d: events release %s (revoked %t), grant says %s (revoked %t)", i+1,
				a.FromUnits(&released[i]), revoked[i], a.FromUnits(&v.released), v.revoked)
		}
	}
	if !sameUnits(r.balances, l.balances) {
		return fmt.Errorf("the events do not reproduce the balances")
	}
	if !sameUnits(r.allowances, l.allowances) {
		return fmt.Errorf("the events do not reproduce the allowances")
	}
	if !sameUnits(r.locked, l.locked) {
		return fmt.Errorf("the events do not reproduce the locked amounts")
	}
	l.events = out
	return nil
}

func sameUnits[K comparable](x, y map[K]*big.Int) bool {
	if len(x) != len(y) {
		return false
	}
	for k, u := range x {
		if w, ok := y[k]; !ok || w.Cmp(u) != 0 {
			return false
		}
	}
	return true
}

// restoreEvent checks the fields of one event for its kind and returns it with its amount in
// minor units.
func restoreEvent(a Asset, se SnapshotEvent) (Event, *big.Int, error) {
	e := Event{Seq: se.Seq, Kind: se.Kind, From: se.From, To: se.To, Spender: se.Spender, Vesting: se.Vesting}
	u, err := parseUnits(a, se.Amount)
	if err != nil {
		return e, nil, err
	}
	e.Amount = a.FromUnits(u)
	if e.At, err = parseSnapTime(se.At, true); err != nil {
		return e, nil, err
	}
	// need lists the fields each kind must have: from, to, spender, vesting, at.
	var need [5]bool
	switch e.Kind {
	case EventGenesis:
		need = [5]bool{false, true, false, false, false}
	case EventTransfer:
		need = [5]bool{true, true, se.Spender != "", false, false}
	case EventApproval:
		need = [5]bool{true, false, true, false, false}
	case EventVest:
		need = [5]bool{true, true, false, true, false}
	case EventRelease:
		need = [5]bool{false, true, false, true, true}
	case EventRevoke:
		need = [5]bool{true, true, false, true, true}
	default:
		return e, nil, fmt.Errorf("unknown kind %q", e.Kind)
	}
	for i, acc := range [3]Account{e.From, e.To, e.Spender} {
		if !need[i] && acc != "" {
			return e, nil, fmt.Errorf("unexpected account %q", acc)
		}
		if need[i] {
			if err := acc.Validate(); err != nil {
				return e, nil, err
			}
		}
	}
	if need[3] != (e.Vesting != 0) || need[4] != !e.At.IsZero() {
		return e, nil, fmt.Errorf("vesting or time fields do not fit a %s event", e.Kind)
	}
	return e, u, nil
}
