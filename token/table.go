package token

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"math/big"
	"strconv"
	"time"
)

// MaxTableRows is the most rows a [VestingTable] has: 833 years of monthly tranches, 27
// years of daily ones.
const MaxTableRows = 10_000

// VestingTableVersion is the format version a [VestingTable]'s JSON carries as "v".
const VestingTableVersion = 1

// VestingTable is a vesting schedule or grant date by date, for dashboards: one row at each
// date at which something vests (the cliff, each tranche date after it, the end), with what
// vests then, what has vested by then and what a release then would unlock. Make it with
// [Schedule.Table] or [VestingGrant.Table]; export it with [VestingTable.MarshalJSON] or
// [VestingTable.WriteCSV]. The zero VestingTable has no rows.
//
// The rows follow the schedule's rounding (see [Schedule]), so the tranches sum to the
// entitled amount exactly. A schedule that vests linearly by the nanosecond (no Step, no
// Period) has rows at its cliff, if any, and its end only; ask [Schedule.Vested] for the
// times between.
type VestingTable struct {
	Vesting  VestingID // the grant, 0 for a schedule alone
	Total    Amount    // the schedule's total
	Entitled Amount    // what vests in all: Total, or what had vested when the grant was revoked
	Released Amount    // what the grant had released when the table was made (zero for a schedule alone)
	Rows     []VestingRow
}

// VestingRow is one date of a [VestingTable]. The zero VestingRow has no date and no
// amounts.
type VestingRow struct {
	Date       time.Time // UTC
	Tranche    Amount    // what vests at Date: Vested minus the previous row's Vested
	Vested     Amount    // what has vested by Date, in all
	Releasable Amount    // what a release at Date would unlock: Vested - Released, never below zero
}

// Table returns the vesting table of the schedule, as if nothing had been released. The
// error is an [*Error] wrapping a reason of [Schedule.Validate], or [ErrTableTooLarge] for
// a schedule of more than [MaxTableRows] tranches.
func (s Schedule) Table() (VestingTable, error) {
	if err := s.Validate(); err != nil {
		err.(*Error).Op = "Table"
		return VestingTable{}, err
	}
	g := VestingGrant{Schedule: s, Entitled: s.Total, Released: s.Asset().Zero()}
	return g.table()
}

// Table returns the vesting table of the grant as it stands: vested amounts as
// [VestingGrant.Vested] gives them (never below what was released), releasable amounts net
// of what was released, and for a revoked grant no row after its revocation. The errors are
// those of [Schedule.Table].
func (g VestingGrant) Table() (VestingTable, error) {
	if err := g.Schedule.Validate(); err != nil {
		err.(*Error).Op = "Table"
		return VestingTable{}, err
	}
	return g.table()
}

func (g VestingGrant) table() (VestingTable, error) {
	s := g.Schedule
	dates, err := s.tableDates()
	if err != nil {
		return VestingTable{}, err
	}
	t := VestingTable{Vesting: g.ID, Total: s.Total, Entitled: g.Entitled, Released: g.Released,
		Rows: make([]VestingRow, 0, len(dates)+1)}
	prev := s.Asset().Zero()
	add := func(d time.Time) {
		v := g.Vested(d)
		t.Rows = append(t.Rows, VestingRow{Date: d, Tranche: minus(v, prev), Vested: v, Releasable: minus(v, minAmount(v, g.Released))})
		prev = v
	}
	for _, d := range dates {
		if g.Revoked && d.After(g.RevokedAt) {
			break
		}
		add(d)
	}
	if g.Revoked && prev.Cmp(g.Entitled) < 0 {
		add(utc(g.RevokedAt)) // the share accrued since the last date, vested at the revocation
	}
	return t, nil
}

func minAmount(x, y Amount) Amount {
	if x.Cmp(y) < 0 {
		return x
	}
	return y
}

// tableDates returns the dates of a valid schedule's table: its tranche dates (for linear
// vesting by the nanosecond, its end), those before the cliff folded into the cliff.
func (s Schedule) tableDates() ([]time.Time, error) {
	n, err := s.tableTranches()
	if err != nil {
		return nil, err
	}
	dates := make([]time.Time, 0, n+1)
	if !s.Cliff.IsZero() && s.Cliff.After(s.Start) {
		dates = append(dates, s.Cliff)
	}
	next := s.Start // Start + k*Period, added up period by period: exact, and no overflow
	for k := 1; k <= n; k++ {
		next = next.Add(s.Period)
		d := s.End
		switch {
		case k == n:
		case s.Step > 0:
			d = s.Step.Date(s.Start, k)
		default:
			d = next
		}
		if len(dates) > 0 && !d.After(dates[len(dates)-1]) {
			continue // at or before the cliff
		}
		dates = append(dates, d)
	}
	return dates, nil
}

// tableTranches returns the number of tranches of a valid schedule (1 for linear vesting by
// the nanosecond, whose only tranche date is the end), or ErrTableTooLarge.
func (s Schedule) tableTranches() (int, error) {
	n := 1
	switch {
	case s.Step > 0:
		n = s.tranches()
	case s.Period > 0:
		_, k := s.periods(s.Start)
		if !k.IsInt64() || k.Int64() > MaxTableRows {
			return 0, tooLarge(k)
		}
		n = int(k.Int64())
	}
	if n > MaxTableRows {
		return 0, tooLarge(big.NewInt(int64(n)))
	}
	return n, nil
}

func tooLarge(n *big.Int) error {
	return &Error{Op: "Table", Detail: "the schedule has " + n.String() + " tranches, a table at most " + strconv.Itoa(MaxTableRows) + " rows",
		Err: ErrTableTooLarge}
}

// vestingTableJSON is the JSON form of a [VestingTable].
type vestingTableJSON struct {
	V        *int             `json:"v"`
	Vesting  VestingID        `json:"vesting,omitempty"`
	Total    Amount           `json:"total"`
	Entitled Amount           `json:"entitled"`
	Released Amount           `json:"released"`
	Rows     []vestingRowJSON `json:"rows"`
}

type vestingRowJSON struct {
	Date       time.Time `json:"date"`
	Tranche    Amount    `json:"tranche"`
	Vested     Amount    `json:"vested"`
	Releasable Amount    `json:"releasable"`
}

// MarshalJSON encodes the table as {"v":1,"vesting":1,"total":"8000000.000000 TRST",
// "entitled":...,"released":...,"rows":[{"date":"2019-01-31T00:00:00Z","tranche":...,
// "vested":...,"releasable":...},...]}, the grant left out for a schedule alone, amounts as
// [Amount] text and dates UTC RFC 3339.
func (t VestingTable) MarshalJSON() ([]byte, error) {
	v := VestingTableVersion
	j := vestingTableJSON{V: &v, Vesting: t.Vesting, Total: t.Total, Entitled: t.Entitled, Released: t.Released,
		Rows: make([]vestingRowJSON, len(t.Rows))}
	for i, r := range t.Rows {
		j.Rows[i] = vestingRowJSON{Date: utc(r.Date), Tranche: r.Tranche, Vested: r.Vested, Releasable: r.Releasable}
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes what [VestingTable.MarshalJSON] writes. The version must be 1 and
// unknown fields are refused; the error is an [*Error] wrapping [ErrInvalidSchedule].
func (t *VestingTable) UnmarshalJSON(data []byte) error {
	var j vestingTableJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return &Error{Op: "UnmarshalJSON", Detail: "vesting table: " + err.Error(), Err: ErrInvalidSchedule}
	}
	if j.V == nil || *j.V != VestingTableVersion {
		return &Error{Op: "UnmarshalJSON", Detail: `vesting table: format version "v" must be 1`, Err: ErrInvalidSchedule}
	}
	*t = VestingTable{Vesting: j.Vesting, Total: j.Total, Entitled: j.Entitled, Released: j.Released, Rows: make([]VestingRow, len(j.Rows))}
	for i, r := range j.Rows {
		t.Rows[i] = VestingRow{Date: utc(r.Date), Tranche: r.Tranche, Vested: r.Vested, Releasable: r.Releasable}
	}
	return nil
}

// WriteCSV writes the table as CSV for spreadsheets: a header line
// "date,tranche,vested,releasable,asset", then one line per row with the date in UTC RFC
// 3339, the amounts as plain numbers at the asset's scale ("166666.666667") and the asset's
// symbol.
func (t VestingTable) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"date", "tranche", "vested", "releasable", "asset"}); err != nil {
		return err
	}
	sym := t.Total.Asset().Symbol()
	for _, r := range t.Rows {
		if err := cw.Write([]string{fmtTime(r.Date), r.Tranche.Number(), r.Vested.Number(), r.Releasable.Number(), sym}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
