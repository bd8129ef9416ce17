package token_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/token"
)

// quarterly is 10 TRST quarterly over a year from 2017-11-30, with a cliff at the second
// quarter: 5 on 2018-05-30, 2.5 on 2018-08-30, 2.5 on 2018-11-30.
func quarterly() token.Schedule {
	return token.CalendarSchedule(ta("10"), time.Date(2017, 11, 30, 0, 0, 0, 0, time.UTC), token.Quarterly, 4, 2)
}

const quarterlyJSON = `{"v":1,"total":"10.000000 TRST","entitled":"10.000000 TRST","released":"0.000000 TRST","rows":[` +
	`{"date":"2018-05-30T00:00:00Z","tranche":"5.000000 TRST","vested":"5.000000 TRST","releasable":"5.000000 TRST"},` +
	`{"date":"2018-08-30T00:00:00Z","tranche":"2.500000 TRST","vested":"7.500000 TRST","releasable":"7.500000 TRST"},` +
	`{"date":"2018-11-30T00:00:00Z","tranche":"2.500000 TRST","vested":"10.000000 TRST","releasable":"10.000000 TRST"}]}`

const quarterlyCSV = "date,tranche,vested,releasable,asset\n" +
	"2018-05-30T00:00:00Z,5.000000,5.000000,5.000000,TRST\n" +
	"2018-08-30T00:00:00Z,2.500000,7.500000,7.500000,TRST\n" +
	"2018-11-30T00:00:00Z,2.500000,10.000000,10.000000,TRST\n"

// TestVestingTableEncoding pins the JSON and CSV of a table, whatever shopspring/decimal's
// settings, and checks the JSON round trip and its strict decoder.
func TestVestingTableEncoding(t *testing.T) {
	tab, err := quarterly().Table()
	if err != nil {
		t.Fatal(err)
	}
	encode := func() (string, string) {
		j, err := json.Marshal(tab)
		if err != nil {
			t.Fatal(err)
		}
		var c bytes.Buffer
		if err := tab.WriteCSV(&c); err != nil {
			t.Fatal(err)
		}
		return string(j), c.String()
	}
	j, c := encode()
	if j != quarterlyJSON {
		t.Errorf("JSON:\n%s\nwant\n%s", j, quarterlyJSON)
	}
	if c != quarterlyCSV {
		t.Errorf("CSV:\n%s\nwant\n%s", c, quarterlyCSV)
	}
	zerotest.WithShopspringGlobals(t, func() {
		if j2, c2 := encode(); j2 != j || c2 != c {
			t.Errorf("the encodings depend on shopspring's globals:\n%s\n%s", j2, c2)
		}
	})
	var back token.VestingTable
	if err := json.Unmarshal([]byte(j), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tab, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	for name, bad := range map[string]string{
		"version":       strings.Replace(j, `"v":1`, `"v":2`, 1),
		"no version":    strings.Replace(j, `"v":1,`, ``, 1),
		"unknown field": strings.Replace(j, `"v":1`, `"v":1,"x":1`, 1),
		"row field":     strings.Replace(j, `"tranche"`, `"x":1,"tranche"`, 1),
		"bad amount":    strings.Replace(j, `"5.000000 TRST"`, `"5"`, 1),
		"bad date":      strings.Replace(j, `2018-05-30T00:00:00Z`, `May 30`, 1),
		"not an object": `[]`,
	} {
		var v token.VestingTable
		if err := json.Unmarshal([]byte(bad), &v); !errors.Is(err, token.ErrInvalidSchedule) {
			t.Errorf("%s: %v", name, err)
		}
	}
	var zero token.VestingTable
	var buf bytes.Buffer
	if err := zero.WriteCSV(&buf); err != nil || buf.String() != "date,tranche,vested,releasable,asset\n" {
		t.Errorf("zero table CSV %q, %v", buf.String(), err)
	}
	if data, err := json.Marshal(zero); err != nil || string(data) != `{"v":1,"total":"","entitled":"","released":"","rows":[]}` {
		t.Errorf("zero table JSON %s, %v", data, err)
	}
	if err := tab.WriteCSV(failWriter{}); err == nil {
		t.Error("a failing writer's error is lost")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestVestingTableKinds: the rows of linear, periodic and timelock schedules.
func TestVestingTableKinds(t *testing.T) {
	rows := func(s token.Schedule) []string {
		t.Helper()
		tab, err := s.Table()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range tab.Rows {
			out = append(out, r.Date.Format("15:04:05")+" "+r.Tranche.Trim(0)+" "+r.Vested.Trim(0))
		}
		return out
	}
	lin := token.LinearSchedule(ta("100"), sec(0), sec(100))
	if diff := cmp.Diff([]string{"00:01:40 100 100"}, rows(lin)); diff != "" {
		t.Errorf("linear:\n%s", diff)
	}
	lin.Cliff = sec(25)
	if diff := cmp.Diff([]string{"00:00:25 25 25", "00:01:40 75 100"}, rows(lin)); diff != "" {
		t.Errorf("linear with a cliff:\n%s", diff)
	}
	// 10 units every 3 s over 10 s: 2, 5, 7, 10 (see TestScheduleVestedPeriodic).
	per := token.Schedule{Total: units10, Start: sec(0), End: sec(10), Period: 3 * time.Second}
	want := []string{"00:00:03 0.000002 0.000002", "00:00:06 0.000003 0.000005", "00:00:09 0.000002 0.000007", "00:00:10 0.000003 0.00001"}
	if diff := cmp.Diff(want, rows(per)); diff != "" {
		t.Errorf("periodic:\n%s", diff)
	}
	per.Cliff = sec(7)
	if diff := cmp.Diff([]string{"00:00:07 0.000005 0.000005", "00:00:09 0.000002 0.000007", "00:00:10 0.000003 0.00001"}, rows(per)); diff != "" {
		t.Errorf("periodic with a cliff between tranches:\n%s", diff)
	}
	lock := token.Schedule{Total: ta("5"), Start: sec(0), Cliff: sec(10), End: sec(10), Period: time.Second}
	if diff := cmp.Diff([]string{"00:00:10 5 5"}, rows(lock)); diff != "" {
		t.Errorf("timelock:\n%s", diff)
	}
	// More than MaxTableRows tranches.
	for _, s := range []token.Schedule{
		{Total: ta("1"), Start: sec(0), End: sec(0).Add(token.MaxTableRows*time.Second + 1), Period: time.Second},
		{Total: ta("1"), Start: day(1000, 1, 1), End: day(9999, 1, 1), Period: time.Nanosecond},
		token.CalendarSchedule(ta("1"), day(2000, 1, 1), token.Monthly, token.MaxTableRows+1, 0),
	} {
		_, err := s.Table()
		if e := checkErr(t, err, token.ErrTableTooLarge); e.Op != "Table" {
			t.Errorf("%v: %v", s.End, err)
		}
	}
	if tab, err := token.CalendarSchedule(ta("1"), day(2000, 1, 1), token.Monthly, token.MaxTableRows, 0).Table(); err != nil || len(tab.Rows) != token.MaxTableRows {
		t.Errorf("MaxTableRows tranches: %d rows, %v", len(tab.Rows), err)
	}
	if _, err := (token.Schedule{}).Table(); !errors.Is(err, token.ErrInvalidSchedule) {
		t.Errorf("zero schedule: %v", err)
	}
	if _, err := (token.VestingGrant{}).Table(); !errors.Is(err, token.ErrInvalidSchedule) {
		t.Errorf("zero grant: %v", err)
	}
}

// TestVestingGrantTable: a grant's table nets out what was released and stops at its
// revocation.
func TestVestingGrantTable(t *testing.T) {
	l := newTestLedger(t)
	id, err := l.Vest("alice", "bob", quarterly(), true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Release(day(2018, 6, 1), id); err != nil {
		t.Fatal(err)
	}
	g, _ := l.Vesting(id)
	tab, err := g.Table()
	if err != nil {
		t.Fatal(err)
	}
	if tab.Vesting != id || !tab.Released.Equal(ta("5")) || !tab.Rows[0].Releasable.IsZero() ||
		!tab.Rows[1].Releasable.Equal(ta("2.5")) || !tab.Rows[2].Releasable.Equal(ta("5")) {
		t.Fatalf("after a release: %+v", tab)
	}
	data, _ := json.Marshal(tab)
	if !bytes.HasPrefix(data, []byte(`{"v":1,"vesting":1,"total":"10.000000 TRST","entitled":"10.000000 TRST","released":"5.000000 TRST"`)) {
		t.Errorf("grant table JSON %s", data)
	}
	// Revoked between two quarters: the rows stop at the revocation.
	if _, err := l.Revoke(day(2018, 9, 15), id); err != nil {
		t.Fatal(err)
	}
	g, _ = l.Vesting(id)
	tab, _ = g.Table()
	if len(tab.Rows) != 2 || !tab.Entitled.Equal(ta("7.5")) || !tab.Rows[1].Vested.Equal(ta("7.5")) {
		t.Fatalf("after the revocation: %+v", tab)
	}
	// A linear grant revoked mid-way gets a last row at the revocation.
	id2, _ := l.Vest("alice", "carol", token.LinearSchedule(ta("10"), sec(0), sec(100)), true)
	if _, err := l.Revoke(sec(30), id2); err != nil {
		t.Fatal(err)
	}
	g, _ = l.Vesting(id2)
	tab, _ = g.Table()
	if len(tab.Rows) != 1 || !tab.Rows[0].Date.Equal(sec(30)) || !tab.Rows[0].Vested.Equal(ta("3")) {
		t.Fatalf("linear, revoked: %+v", tab.Rows)
	}
}
