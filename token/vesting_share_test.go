package token_test

import (
	"bytes"
	"errors"
	"math/big"
	"slices"
	"strconv"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/token"
	"github.com/trustcircle/trustcircle/token/tokentest"
)

// TestRapidGrantsShareSchedules: a ledger keeps one copy of each schedule its grants share,
// and that changes nothing a caller can see. Many grants, on a few schedules given again
// and again (the same instants in other zones among them), with totals of any size (2^128
// minor units and more among them), locked or in escrow, then releases and revocations at
// advancing times: every grant reports the schedule it was given (in UTC), vests exactly as
// that schedule does on its own, clamped by what it released and, once revoked, by what it
// is entitled to; the locks are what the grants hold; and the log replays to a ledger with
// the same JSON, byte for byte.
func TestRapidGrantsShareSchedules(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		asset := tokentest.Asset().Draw(t, "asset")
		supply := asset.MustParse("1000000")
		l, err := token.NewLedger(token.Genesis{Asset: asset, Supply: supply, Grants: []token.Grant{{Account: "g", Amount: supply}}})
		if err != nil {
			t.Fatal(err)
		}
		var curves []token.Schedule
		for range rapid.IntRange(1, 3).Draw(t, "curves") {
			if rapid.Bool().Draw(t, "calendar") {
				curves = append(curves, tokentest.CalendarSchedule(token.Amount{}, tokentest.Epoch()).Draw(t, "curve"))
			} else {
				curves = append(curves, tokentest.Schedule(token.Amount{}, tokentest.Epoch()).Draw(t, "curve"))
			}
		}
		var given []token.Schedule // by VestingID - 1
		for i := range rapid.IntRange(1, 10).Draw(t, "grants") {
			s := curves[rapid.IntRange(0, len(curves)-1).Draw(t, "which")]
			zone := tokentest.Zone().Draw(t, "zone")
			s.Start, s.End = s.Start.In(zone), s.End.In(zone)
			if !s.Cliff.IsZero() {
				s.Cliff = s.Cliff.In(zone)
			}
			s.Total = tokentest.Amount(asset, asset.MustParse("50000")).Filter(func(x token.Amount) bool { return x.Sign() > 0 }).Draw(t, "total")
			beneficiary := token.Account("b" + strconv.Itoa(rapid.IntRange(0, 3).Draw(t, "beneficiary")))
			var id token.VestingID
			if rapid.Bool().Draw(t, "escrow") {
				id, err = l.VestInEscrow("g", "vault", beneficiary, s, rapid.Bool().Draw(t, "revocable"))
			} else {
				id, err = l.Vest("g", beneficiary, s, rapid.Bool().Draw(t, "revocable"))
			}
			if err != nil || id != token.VestingID(i+1) {
				t.Fatalf("grant %d: %d, %v", i+1, id, err)
			}
			given = append(given, s)
		}
		now := tokentest.Epoch()
		for range rapid.IntRange(0, 12).Draw(t, "steps") {
			now = now.Add(time.Duration(rapid.Int64Range(0, 200*24*3600).Draw(t, "advance_s")) * time.Second)
			id := token.VestingID(rapid.IntRange(1, len(given)).Draw(t, "grant"))
			if rapid.IntRange(0, 3).Draw(t, "op") == 0 {
				_, err = l.Revoke(now, id)
			} else {
				_, err = l.Release(now, id)
			}
			if err != nil && !errors.Is(err, token.ErrNotRevocable) && !errors.Is(err, token.ErrAlreadyRevoked) && !errors.Is(err, token.ErrNothingToRelease) {
				t.Fatal(err)
			}
			checkShared(t, l, given, now)
		}
		checkShared(t, l, given, now)
		r, err := token.Replay(l.EventsAfter(0))
		if err != nil {
			t.Fatal(err)
		}
		a, _ := l.MarshalJSON()
		b, _ := r.MarshalJSON()
		if !bytes.Equal(a, b) {
			t.Fatal("the replayed ledger encodes differently")
		}
		if err := r.Audit(); err != nil {
			t.Fatal(err)
		}
	})
}

// checkShared checks l's grants against the schedules given and its locks against them.
func checkShared(t *rapid.T, l *token.Ledger, given []token.Schedule, now time.Time) {
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
	locked := map[token.Account]*big.Int{}
	for i, g := range l.Vestings() {
		s := given[i]
		want := token.Schedule{Total: s.Total, Start: s.Start.UTC(), Cliff: s.Cliff, End: s.End.UTC(), Period: s.Period, Step: s.Step, Linear: s.Linear}
		if !s.Cliff.IsZero() {
			want.Cliff = s.Cliff.UTC()
		}
		if !g.Schedule.Equal(want) {
			t.Fatalf("grant %d has schedule %+v, given %+v", g.ID, g.Schedule, s)
		}
		if g.Schedule.Start.Location() != time.UTC || g.Schedule.End.Location() != time.UTC || g.Schedule.Cliff.Location() != time.UTC {
			t.Fatalf("grant %d keeps its times in %s", g.ID, g.Schedule.Start.Location())
		}
		for _, at := range []time.Time{now, s.Start, s.End, now.Add(-time.Nanosecond)} {
			v := s.Vested(at)
			if v.Cmp(g.Released) < 0 {
				v = g.Released
			}
			if v.Cmp(g.Entitled) > 0 {
				v = g.Entitled
			}
			if got := g.Vested(at); !got.Equal(v) {
				t.Fatalf("grant %d vested %s at %s, its schedule %s", g.ID, got, at, v)
			}
		}
		if !g.Revoked && !g.Entitled.Equal(s.Total) {
			t.Fatalf("grant %d is entitled to %s of %s", g.ID, g.Entitled, s.Total)
		}
		h := g.Holder()
		if locked[h] == nil {
			locked[h] = new(big.Int)
		}
		locked[h].Add(locked[h], g.Locked().Units())
	}
	for _, a := range slices.Sorted(func(yield func(token.Account) bool) {
		for a := range locked {
			if !yield(a) {
				return
			}
		}
	}) {
		if got := l.Locked(a).Units(); got.Cmp(locked[a]) != 0 {
			t.Fatalf("%s has %s locked, its grants hold %s", a, got, locked[a])
		}
	}
}

// TestVestManyShareOneSchedule: a distribution of thousands of grants on one schedule, as
// Sale.DistributeLocked makes, across the ledger's chunks of accounts and grants: each
// grant vests its own total on the shared curve, releases move it, and the ledger audits.
func TestVestManyShareOneSchedule(t *testing.T) {
	trst := token.TRST()
	l, err := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("100000"), Grants: []token.Grant{{Account: "sale", Amount: trst.MustParse("100000")}}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC)
	curve := token.CalendarSchedule(token.Amount{}, start, token.Monthly, 48, 12)
	const n = 10_000
	for i := range n {
		s := curve
		s.Total = trst.FromInt64Units(int64(4_800_000 + i))
		if _, err := l.Vest("sale", token.Account("p"+strconv.Itoa(i)), s, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
	cliff := start.AddDate(1, 0, 0)
	for _, i := range []int{0, 4094, 4095, 4096, 8191, 8192, n - 1} {
		id := token.VestingID(i + 1)
		g, err := l.Vesting(id)
		total := trst.FromInt64Units(int64(4_800_000 + i))
		if err != nil || !g.Schedule.Total.Equal(total) || g.Beneficiary != token.Account("p"+strconv.Itoa(i)) || g.Granter != "sale" {
			t.Fatalf("grant %d: %+v, %v", id, g, err)
		}
		quarter := trst.FromInt64Units(int64(4_800_000+i) / 4) // 12 of 48 tranches, floor
		if got, err := l.Release(cliff, id); err != nil || !got.Equal(quarter) {
			t.Fatalf("grant %d released %s at the cliff, want %s: %v", id, got, quarter, err)
		}
		a := g.Beneficiary
		if !l.Locked(a).Equal(diffOf(total, quarter)) || !l.Spendable(a).Equal(quarter) || !l.Balance(a).Equal(total) {
			t.Fatalf("%s: locked %s, spendable %s, balance %s", a, l.Locked(a), l.Spendable(a), l.Balance(a))
		}
		if got, err := l.Release(start.AddDate(5, 0, 0), id); err != nil || !sumOf(got, quarter).Equal(total) || !l.Locked(a).IsZero() {
			t.Fatalf("grant %d released %s at the end: %v", id, got, err)
		}
	}
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
	var events int
	for e := range l.EventsAfter(1) {
		if e.Kind == token.EventVest && (!e.Start.Equal(start) || e.Step != token.Monthly || !e.Cliff.Equal(cliff)) {
			t.Fatalf("event %d: %+v", e.Seq, e)
		}
		events++
	}
	if events != n+14 {
		t.Fatalf("%d events after the genesis", events)
	}
}
