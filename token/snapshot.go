package token

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SnapshotVersion is the version of the [Snapshot] format this package writes and reads,
// its "v".
const SnapshotVersion = 1

// Snapshot is the complete state of a [Ledger] as plain data: what [Ledger.Snapshot]
// returns, [Restore] rebuilds, and [Ledger.MarshalJSON] encodes. Amounts are [Amount] text
// ("1.500000 TRST"), times RFC 3339 strings in UTC, the period a Go duration string and the
// calendar step an ISO 8601 period ("P1M"), so the JSON does not depend on
// shopspring/decimal's package settings; slices are sorted (balances by account, allowances
// by owner then spender, grants by ID, events by Seq), so equal ledgers encode to equal
// bytes. The zero Snapshot does not restore.
type Snapshot struct {
	Version    int                 `json:"v"`
	Asset      Asset               `json:"asset"`
	Supply     Amount              `json:"supply"`
	Balances   []SnapshotBalance   `json:"balances"`   // every account that has held a balance, zero balances included
	Allowances []SnapshotAllowance `json:"allowances"` // positive allowances only
	Vestings   []SnapshotVesting   `json:"vestings"`
	Freeze     *SnapshotFreeze     `json:"freeze,omitempty"` // the transfer freeze, nil for none
	Events     []Event             `json:"events"`
}

// SnapshotFreeze is the transfer freeze of a [Snapshot] (see [TransferFreeze]). The zero
// SnapshotFreeze names no administrator, which no ledger records.
type SnapshotFreeze struct {
	Admin Account   `json:"admin"`
	Until time.Time `json:"until,omitzero"` // zero for a freeze only Admin lifts
}

// SnapshotBalance is one account's balance in a [Snapshot].
type SnapshotBalance struct {
	Account Account `json:"account"`
	Amount  Amount  `json:"amount"`
}

// SnapshotAllowance is one positive allowance in a [Snapshot].
type SnapshotAllowance struct {
	Owner   Account `json:"owner"`
	Spender Account `json:"spender"`
	Amount  Amount  `json:"amount"`
}

// SnapshotVesting is one vesting grant in a [Snapshot] (see [VestingGrant]).
type SnapshotVesting struct {
	ID          VestingID
	Granter     Account
	Beneficiary Account
	Escrow      Account // "" for a grant locked in the beneficiary's balance
	Total       Amount
	Start       time.Time
	Cliff       time.Time // zero for no cliff
	End         time.Time
	Period      time.Duration // 0 for none
	Step        Step          // 0 for none
	Linear      bool
	Revocable   bool
	Revoked     bool
	RevokedAt   time.Time // zero unless Revoked
	Entitled    Amount
	Released    Amount
}

// snapshotVestingJSON is the JSON form of a [SnapshotVesting].
type snapshotVestingJSON struct {
	ID          VestingID `json:"id"`
	Granter     Account   `json:"granter"`
	Beneficiary Account   `json:"beneficiary"`
	Escrow      Account   `json:"escrow,omitempty"`
	Total       Amount    `json:"total"`
	Start       time.Time `json:"start"`
	Cliff       time.Time `json:"cliff,omitzero"`
	End         time.Time `json:"end"`
	Period      string    `json:"period,omitempty"`
	Step        Step      `json:"step,omitzero"`
	Linear      bool      `json:"linear,omitempty"`
	Revocable   bool      `json:"revocable"`
	Revoked     bool      `json:"revoked"`
	RevokedAt   time.Time `json:"revoked_at,omitzero"`
	Entitled    Amount    `json:"entitled"`
	Released    Amount    `json:"released"`
}

// MarshalJSON encodes the grant with its times in UTC RFC 3339, its period as a Go duration
// string ("720h0m0s") and its calendar step as "P1M", each left out when not set, as are
// the escrow and Linear.
func (v SnapshotVesting) MarshalJSON() ([]byte, error) {
	j := snapshotVestingJSON{ID: v.ID, Granter: v.Granter, Beneficiary: v.Beneficiary, Escrow: v.Escrow, Total: v.Total,
		Start: utc(v.Start), Cliff: utc(v.Cliff), End: utc(v.End), Step: v.Step, Linear: v.Linear, Revocable: v.Revocable,
		Revoked: v.Revoked, RevokedAt: utc(v.RevokedAt), Entitled: v.Entitled, Released: v.Released}
	if v.Period != 0 {
		j.Period = v.Period.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what [SnapshotVesting.MarshalJSON] writes; unknown fields are
// refused.
func (v *SnapshotVesting) UnmarshalJSON(data []byte) error {
	var j snapshotVestingJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return &Error{Op: "UnmarshalJSON", Detail: "vesting: " + err.Error(), Err: ErrSnapshot}
	}
	var period time.Duration
	if j.Period != "" {
		p, err := time.ParseDuration(j.Period)
		if err != nil {
			return &Error{Op: "UnmarshalJSON", Detail: "vesting period: " + err.Error(), Err: ErrSnapshot}
		}
		period = p
	}
	*v = SnapshotVesting{ID: j.ID, Granter: j.Granter, Beneficiary: j.Beneficiary, Escrow: j.Escrow, Total: j.Total,
		Start: utc(j.Start), Cliff: utc(j.Cliff), End: utc(j.End), Period: period, Step: j.Step, Linear: j.Linear,
		Revocable: j.Revocable, Revoked: j.Revoked, RevokedAt: utc(j.RevokedAt), Entitled: j.Entitled, Released: j.Released}
	return nil
}

// equal reports whether v and o are the same grant in the same state.
func (v SnapshotVesting) equal(o SnapshotVesting) bool {
	return v.ID == o.ID && v.Granter == o.Granter && v.Beneficiary == o.Beneficiary && v.Escrow == o.Escrow &&
		v.Total.Equal(o.Total) && v.Start.Equal(o.Start) && v.Cliff.Equal(o.Cliff) && v.End.Equal(o.End) &&
		v.Period == o.Period && v.Step == o.Step && v.Linear == o.Linear && v.Revocable == o.Revocable && v.Revoked == o.Revoked && v.RevokedAt.Equal(o.RevokedAt) &&
		v.Entitled.Equal(o.Entitled) && v.Released.Equal(o.Released)
}

// Snapshot returns the ledger's complete state as plain data. It shares nothing mutable
// with the ledger.
func (l *Ledger) Snapshot() Snapshot {
	s := Snapshot{
		Version:    SnapshotVersion,
		Asset:      l.asset,
		Supply:     l.supply,
		Balances:   l.balances(),
		Allowances: make([]SnapshotAllowance, 0, len(l.allowances)),
		Vestings:   make([]SnapshotVesting, 0, l.vestings.n),
		Events:     l.Events(),
	}
	if f, ok := l.Frozen(); ok {
		s.Freeze = &SnapshotFreeze{Admin: f.Admin, Until: f.Until}
	}
	for _, k := range l.sortedAllowances() {
		s.Allowances = append(s.Allowances, SnapshotAllowance{Owner: k.owner, Spender: k.spender, Amount: l.allowances[k]})
	}
	for i := range l.vestings.n {
		s.Vestings = append(s.Vestings, l.snapshotVesting(VestingID(i+1)))
	}
	return s
}

// balances returns the balance of every account that has held one, sorted by account.
func (l *Ledger) balances() []SnapshotBalance {
	out := make([]SnapshotBalance, 0, max(0, l.accts.n-1))
	for i := 1; i < l.accts.n; i++ {
		if a := l.accts.at(i); a.flags&holder != 0 {
			out = append(out, SnapshotBalance{Account: a.name, Amount: l.bal(uint32(i))})
		}
	}
	slices.SortFunc(out, func(x, y SnapshotBalance) int { return strings.Compare(string(x.Account), string(y.Account)) })
	return out
}

// MarshalJSON encodes the ledger's [Snapshot]. Equal ledgers give equal bytes.
func (l *Ledger) MarshalJSON() ([]byte, error) { return json.Marshal(l.Snapshot()) }

// UnmarshalJSON replaces the ledger with the one a [Snapshot] in JSON describes, after
// [Restore] has checked it. Unknown fields are refused. On error the ledger is unchanged and
// the error is an [*Error] wrapping [ErrSnapshot].
func (l *Ledger) UnmarshalJSON(data []byte) error {
	bad := func(detail string, cause error) error {
		var err error = ErrSnapshot
		if cause != nil {
			err = withCause{ErrSnapshot, cause}
		}
		return &Error{Op: "UnmarshalJSON", Detail: detail, Err: err}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Snapshot
	if err := dec.Decode(&s); err != nil {
		return bad(causeText(err), err)
	}
	if dec.More() {
		return bad("data after the snapshot", nil)
	}
	r, err := Restore(s)
	if err != nil {
		return err
	}
	*l = *r
	return nil
}

// Restore rebuilds a ledger from a snapshot, checking everything: the version; a valid
// asset; an event log that replays ([Replay]) to a ledger of that asset; and a state
// (supply, balances, allowances and grants, sorted and without duplicates) that is exactly
// the state of the replayed ledger. The result passes [Ledger.Audit]. The error is an
// [*Error] wrapping [ErrSnapshot].
func Restore(s Snapshot) (*Ledger, error) {
	bad := func(detail string, cause error) (*Ledger, error) {
		var err error = ErrSnapshot
		if cause != nil {
			err = withCause{ErrSnapshot, cause}
			detail += ": " + causeText(cause)
		}
		return nil, &Error{Op: "Restore", Detail: detail, Err: err}
	}
	if s.Version != SnapshotVersion {
		return bad("format version "+strconv.Itoa(s.Version)+", want 1", nil)
	}
	if !s.Asset.IsValid() {
		return bad("no asset", ErrInvalidAsset)
	}
	l, err := Replay(slices.Values(s.Events))
	if err != nil {
		return bad("events", err)
	}
	if l.asset != s.Asset {
		return bad("the events are in "+l.asset.String()+", the snapshot in "+s.Asset.String(), ErrAssetMismatch)
	}
	if detail := l.Snapshot().diff(s); detail != "" {
		return bad(detail+" does not match the events", nil)
	}
	if err := l.Audit(); err != nil {
		return bad("audit", err)
	}
	return l, nil
}

// diff names the first part of o that differs from s, the snapshot of a replayed ledger,
// or returns "".
func (s Snapshot) diff(o Snapshot) string {
	if !s.Supply.Equal(o.Supply) {
		return "the supply"
	}
	sameBalance := func(x, y SnapshotBalance) bool { return x.Account == y.Account && x.Amount.Equal(y.Amount) }
	if !slices.EqualFunc(s.Balances, o.Balances, sameBalance) {
		for i := range min(len(s.Balances), len(o.Balances)) {
			if !sameBalance(s.Balances[i], o.Balances[i]) {
				return "balance " + strconv.Itoa(i)
			}
		}
		return "the number of balances"
	}
	sameAllowance := func(x, y SnapshotAllowance) bool {
		return x.Owner == y.Owner && x.Spender == y.Spender && x.Amount.Equal(y.Amount)
	}
	if !slices.EqualFunc(s.Allowances, o.Allowances, sameAllowance) {
		return "the allowances"
	}
	if !slices.EqualFunc(s.Vestings, o.Vestings, SnapshotVesting.equal) {
		return "the vesting grants"
	}
	if (s.Freeze == nil) != (o.Freeze == nil) || (s.Freeze != nil && (s.Freeze.Admin != o.Freeze.Admin || !s.Freeze.Until.Equal(o.Freeze.Until))) {
		return "the transfer freeze"
	}
	return ""
}
