package token_test

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
	"github.com/trustcircle/trustcircle/token/tokentest"
)

var t0 = time.Date(2017, 4, 13, 0, 0, 0, 0, time.UTC)

func sec(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }

// units10 is 10 minor units of TRST.
var units10 = ta("0.00001")

func TestScheduleVestedLinear(t *testing.T) {
	s := token.LinearSchedule(units10, sec(0), sec(3))
	// floor(10 * t / 3) units.
	for _, c := range []struct {
		at   float64
		want int64
	}{{-1, 0}, {0, 0}, {0.2999, 0}, {0.3, 1}, {1, 3}, {2, 6}, {2.999999999, 9}, {3, 10}, {1e6, 10}} {
		if got := s.Vested(sec(c.at)); !got.Equal(token.TRST().FromInt64Units(c.want)) {
			t.Errorf("Vested(%gs) = %s, want %d units", c.at, got, c.want)
		}
	}
}

func TestScheduleVestedCliff(t *testing.T) {
	s := token.LinearSchedule(ta("0.0001"), sec(0), sec(100)) // 100 units
	s.Cliff = sec(25)
	for _, c := range []struct {
		at   float64
		want int64
	}{{0, 0}, {24.999999999, 0}, {25, 25}, {50.5, 50}, {99.99, 99}, {100, 100}} {
		if got := s.Vested(sec(c.at)); !got.Equal(token.TRST().FromInt64Units(c.want)) {
			t.Errorf("Vested(%gs) = %s, want %d units", c.at, got, c.want)
		}
	}
	// A cliff at the end is a timelock.
	s.Cliff = s.End
	if !s.Vested(sec(99.999)).IsZero() || !s.Vested(sec(100)).Equal(s.Total) {
		t.Error("timelock")
	}
}

func TestScheduleVestedPeriodic(t *testing.T) {
	// 10 units from 0 to 10 s every 3 s: n = ceil(10/3) = 4 tranches at 3, 6, 9 and 10 s;
	// after k tranches floor(10k/4) = 2, 5, 7, 10.
	s := token.Schedule{Total: units10, Start: sec(0), End: sec(10), Period: 3 * time.Second}
	for _, c := range []struct {
		at   float64
		want int64
	}{{0, 0}, {2.9, 0}, {3, 2}, {5.9, 2}, {6, 5}, {9, 7}, {9.999, 7}, {10, 10}, {11, 10}} {
		if got := s.Vested(sec(c.at)); !got.Equal(token.TRST().FromInt64Units(c.want)) {
			t.Errorf("Vested(%gs) = %s, want %d units", c.at, got, c.want)
		}
	}
	// A period longer than the schedule: one tranche, at the end.
	s.Period = time.Hour
	if !s.Vested(sec(9.9)).IsZero() || !s.Vested(sec(10)).Equal(units10) {
		t.Error("single tranche")
	}
}

func TestScheduleValidate(t *testing.T) {
	good := token.Schedule{Total: ta("1"), Start: sec(0), Cliff: sec(5), End: sec(10), Period: time.Second}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	mutate := map[string]func(s *token.Schedule){
		"no total":        func(s *token.Schedule) { s.Total = token.Amount{} },
		"zero total":      func(s *token.Schedule) { s.Total = token.TRST().Zero() },
		"negative total":  func(s *token.Schedule) { s.Total = ta("-1") },
		"no start":        func(s *token.Schedule) { s.Start = time.Time{} },
		"no end":          func(s *token.Schedule) { s.End = time.Time{} },
		"end at start":    func(s *token.Schedule) { s.End = s.Start },
		"end before":      func(s *token.Schedule) { s.End = sec(-1) },
		"cliff before":    func(s *token.Schedule) { s.Cliff = sec(-1) },
		"cliff after end": func(s *token.Schedule) { s.Cliff = sec(10.5) },
		"negative period": func(s *token.Schedule) { s.Period = -time.Second },
	}
	for name, m := range mutate {
		s := good
		m(&s)
		if err := s.Validate(); !errors.Is(err, token.ErrInvalidSchedule) || fault.CodeOf(err) != "token.invalid_schedule" {
			t.Errorf("%s: %v", name, err)
		}
		if !s.Vested(sec(20)).IsZero() {
			t.Errorf("%s: invalid schedule vests %s", name, s.Vested(sec(20)))
		}
	}
	s := good
	s.Total = ta("-1")
	checkAmountErr(t, s.Validate(), token.ErrNegativeAmount, ta("-1"), "")
	// Times that RFC 3339 cannot write are refused with ErrInvalidTime.
	year := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	for name, m := range map[string]func(s *token.Schedule){
		"end in 10000":     func(s *token.Schedule) { s.End = year(10000) },
		"end late 9999":    func(s *token.Schedule) { s.End = time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("W", -3600)) },
		"start in year 0":  func(s *token.Schedule) { s.Start = year(0) },
		"start before 0":   func(s *token.Schedule) { s.Start = year(-5) },
		"cliff in 10000":   func(s *token.Schedule) { s.End = year(10001); s.Cliff = year(10000) },
		"start in year -1": func(s *token.Schedule) { s.Start, s.Cliff = year(-1), time.Time{} },
	} {
		s := good
		m(&s)
		if err := s.Validate(); !errors.Is(err, token.ErrInvalidTime) {
			t.Errorf("%s: %v", name, err)
		}
	}
	s = good
	s.Start, s.Cliff, s.End = year(1).Add(time.Second), time.Time{}, time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	if err := s.Validate(); err != nil {
		t.Errorf("years 1 to 9999: %v", err)
	}
	if !good.Equal(good) || good.Equal(token.Schedule{}) {
		t.Error("Equal")
	}
	other := good
	other.Start = good.Start.In(time.FixedZone("X", 3600))
	if !good.Equal(other) {
		t.Error("Equal must compare instants, not zones")
	}
}

func TestTRSTTeamSchedule(t *testing.T) {
	s := token.TRSTTeamSchedule(t0, 0)
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if !s.End.Equal(time.Date(2019, 4, 13, 0, 0, 0, 0, time.UTC)) || !s.Cliff.IsZero() || s.Period != 0 {
		t.Fatalf("schedule %+v", s)
	}
	// 2017-04-13 to 2019-04-13 is 730 days; after 365 days exactly half has vested.
	if got := s.Vested(t0.AddDate(0, 0, 365)); !got.Equal(ta("5000000")) {
		t.Errorf("after a year: %s", got)
	}
	// After one day: floor(10^13 units / 730) = 13,698,630,136 units.
	if got := s.Vested(t0.AddDate(0, 0, 1)); !got.Equal(ta("13698.630136")) {
		t.Errorf("after a day: %s", got)
	}
	c := token.TRSTTeamSchedule(t0, 6)
	if !c.Cliff.Equal(time.Date(2017, 10, 13, 0, 0, 0, 0, time.UTC)) || !c.Vested(c.Cliff.Add(-1)).IsZero() ||
		!c.Vested(c.Cliff).Equal(s.Vested(c.Cliff)) {
		t.Errorf("cliff schedule %+v", c)
	}
}

func TestNewTRSTLedger(t *testing.T) {
	accs := token.TRSTAccounts{Sale: "sale", Team: "team", Organisation: "org", Bounties: "bounties"}
	l, id, err := token.NewTRSTLedger(accs, t0, 6)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Balance("team").Equal(ta("10000000")) || !l.Locked("team").Equal(ta("10000000")) || !l.Spendable("team").IsZero() {
		t.Fatalf("team: balance %s locked %s", l.Balance("team"), l.Locked("team"))
	}
	err = unchanged(t, l, func() error { return l.Transfer("team", "sale", ta("0.000001")) })
	if be := checkErr(t, err, token.ErrInsufficientBalance); !be.Limit.IsZero() || !be.Limit.IsValid() {
		t.Fatalf("locked transfer: %v", err)
	}
	if _, err := l.Release(t0.AddDate(0, 5, 0), id); !errors.Is(err, token.ErrNothingToRelease) {
		t.Fatalf("release before the cliff: %v", err)
	}
	got, err := l.Release(t0.AddDate(1, 0, 0), id)
	if err != nil || !got.Equal(ta("5000000")) || !l.Spendable("team").Equal(ta("5000000")) {
		t.Fatalf("release after a year: %s, %v", got, err)
	}
	if _, err := l.Revoke(t0, id); !errors.Is(err, token.ErrNotRevocable) {
		t.Fatalf("revoke: %v", err)
	}
	if _, _, err := token.NewTRSTLedger(accs, t0, 25); !errors.Is(err, token.ErrInvalidSchedule) {
		t.Fatalf("cliff beyond the end: %v", err)
	}
	if _, _, err := token.NewTRSTLedger(token.TRSTAccounts{}, t0, 0); !errors.Is(err, token.ErrGenesis) {
		t.Fatalf("no accounts: %v", err)
	}
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
}

func TestVestReleaseRevoke(t *testing.T) {
	l := newTestLedger(t) // alice 100, bob 50
	s := token.LinearSchedule(ta("40"), sec(0), sec(100))
	id, err := l.Vest("alice", "bob", s, true)
	if err != nil || id != 1 {
		t.Fatalf("Vest: %d, %v", id, err)
	}
	if !l.Balance("alice").Equal(ta("60")) || !l.Balance("bob").Equal(ta("90")) || !l.Locked("bob").Equal(ta("40")) || !l.Spendable("bob").Equal(ta("50")) {
		t.Fatalf("after vest: alice %s bob %s locked %s", l.Balance("alice"), l.Balance("bob"), l.Locked("bob"))
	}
	// The locked part cannot move; the error's Limit is the spendable balance.
	err = unchanged(t, l, func() error { return l.Transfer("bob", "carol", ta("50.000001")) })
	if be := checkErr(t, err, token.ErrInsufficientBalance); !be.Limit.Equal(ta("50")) || !be.Amount.Equal(ta("50.000001")) {
		t.Fatalf("locked transfer: %v", err)
	}
	if err := l.Approve("bob", "carol", ta("1000")); err != nil {
		t.Fatal(err)
	}
	if err := unchanged(t, l, func() error { return l.TransferFrom("carol", "bob", "carol", ta("51")) }); !checkErr(t, err, token.ErrInsufficientBalance).Limit.Equal(ta("50")) {
		t.Fatalf("locked transferFrom: %v", err)
	}
	rel, err := l.Release(sec(25), id) // 10 vested
	if err != nil || !rel.Equal(ta("10")) || !l.Locked("bob").Equal(ta("30")) {
		t.Fatalf("release: %s %v", rel, err)
	}
	if _, err := l.Release(sec(25), id); !errors.Is(err, token.ErrNothingToRelease) {
		t.Fatalf("second release at the same time: %v", err)
	}
	if _, err := l.Release(sec(10), id); !errors.Is(err, token.ErrNothingToRelease) {
		t.Fatalf("release at an earlier time: %v", err)
	}
	// Revoke at 50 s: 20 vested (10 released, 10 releasable), 20 unvested back to alice.
	back, err := l.Revoke(sec(50), id)
	if err != nil || !back.Equal(ta("20")) {
		t.Fatalf("revoke: %s %v", back, err)
	}
	if !l.Balance("alice").Equal(ta("80")) || !l.Balance("bob").Equal(ta("70")) || !l.Locked("bob").Equal(ta("10")) {
		t.Fatalf("after revoke: alice %s bob %s locked %s", l.Balance("alice"), l.Balance("bob"), l.Locked("bob"))
	}
	g, err := l.Vesting(id)
	if err != nil {
		t.Fatal(err)
	}
	want := token.VestingGrant{ID: 1, Granter: "alice", Beneficiary: "bob", Schedule: s, Revocable: true, Revoked: true,
		RevokedAt: sec(50), Entitled: ta("20"), Released: ta("10")}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Fatalf("Vesting (-want +got):\n%s", diff)
	}
	if !g.Vested(sec(1000)).Equal(ta("20")) || !g.Releasable(sec(1000)).Equal(ta("10")) || !g.Locked().Equal(ta("10")) {
		t.Fatalf("grant after revoke: vested %s releasable %s", g.Vested(sec(1000)), g.Releasable(sec(1000)))
	}
	if _, err := l.Revoke(sec(60), id); !errors.Is(err, token.ErrAlreadyRevoked) {
		t.Fatalf("second revoke: %v", err)
	}
	rel, err = l.Release(sec(1000), id)
	if err != nil || !rel.Equal(ta("10")) || !l.Locked("bob").IsZero() {
		t.Fatalf("release after revoke: %s %v", rel, err)
	}
	if _, err := l.Release(sec(2000), id); !errors.Is(err, token.ErrNothingToRelease) {
		t.Fatalf("release when done: %v", err)
	}
	wantEvents := []token.Event{
		{Seq: 4, Kind: token.EventVest, From: "alice", To: "bob", Amount: ta("40"), Vesting: 1, Start: sec(0), End: sec(100), Revocable: true},
		{Seq: 5, Kind: token.EventApproval, From: "bob", Spender: "carol", Amount: ta("1000")},
		{Seq: 6, Kind: token.EventRelease, To: "bob", Amount: ta("10"), Vesting: 1, At: sec(25)},
		{Seq: 7, Kind: token.EventRevoke, From: "bob", To: "alice", Amount: ta("20"), Vesting: 1, At: sec(50)},
		{Seq: 8, Kind: token.EventRelease, To: "bob", Amount: ta("10"), Vesting: 1, At: sec(1000)},
	}
	if diff := cmp.Diff(wantEvents, l.Events()[3:]); diff != "" {
		t.Fatalf("Events (-want +got):\n%s", diff)
	}
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
}

func TestRevokeAfterEnd(t *testing.T) {
	l := newTestLedger(t)
	id, err := l.Vest("alice", "bob", token.LinearSchedule(ta("40"), sec(0), sec(100)), true)
	if err != nil {
		t.Fatal(err)
	}
	// Revoking before the start returns everything; vesting stops.
	back, err := l.Revoke(sec(-5), id)
	if err != nil || !back.Equal(ta("40")) || !l.Locked("bob").IsZero() || !l.Balance("alice").Equal(ta("100")) {
		t.Fatalf("revoke before start: %s %v", back, err)
	}
	if _, err := l.Release(sec(500), id); !errors.Is(err, token.ErrNothingToRelease) {
		t.Fatalf("release of a grant revoked before its start: %v", err)
	}
	id2, _ := l.Vest("alice", "bob", token.LinearSchedule(ta("40"), sec(0), sec(100)), true)
	if back, err := l.Revoke(sec(100), id2); err != nil || !back.IsZero() {
		t.Fatalf("revoke at the end: %s %v", back, err)
	}
	// Revoking at a time earlier than a release keeps what was released.
	id3, _ := l.Vest("alice", "bob", token.LinearSchedule(ta("40"), sec(0), sec(100)), true)
	if _, err := l.Release(sec(50), id3); err != nil {
		t.Fatal(err)
	}
	if back, err := l.Revoke(sec(10), id3); err != nil || !back.Equal(ta("20")) {
		t.Fatalf("revoke before the last release: %s %v", back, err)
	}
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
}

func TestVestErrors(t *testing.T) {
	l := newTestLedger(t)
	s := token.LinearSchedule(ta("40"), sec(0), sec(100))
	vest := func(g, b token.Account, s token.Schedule) func() error {
		return func() error { _, err := l.Vest(g, b, s, true); return err }
	}
	if err := unchanged(t, l, vest("", "bob", s)); checkErr(t, err, token.ErrInvalidAccount).Op != "Vest" {
		t.Errorf("bad granter: %v", err)
	}
	if err := unchanged(t, l, vest("alice", "b b", s)); checkErr(t, err, token.ErrInvalidAccount).Account != "b b" {
		t.Errorf("bad beneficiary: %v", err)
	}
	bad := s
	bad.End = bad.Start
	if err := unchanged(t, l, vest("alice", "bob", bad)); !errors.Is(err, token.ErrInvalidSchedule) {
		t.Errorf("bad schedule: %v", err)
	}
	eth := s
	eth.Total = token.ETH().MustParse("1")
	if err := unchanged(t, l, vest("alice", "bob", eth)); !errors.Is(err, token.ErrInvalidSchedule) || !errors.Is(err, token.ErrAssetMismatch) {
		t.Errorf("other asset: %v", err)
	}
	big := s
	big.Total = ta("100.000001")
	if err := unchanged(t, l, vest("alice", "bob", big)); !checkErr(t, err, token.ErrInsufficientBalance).Limit.Equal(ta("100")) {
		t.Errorf("beyond balance: %v", err)
	}
	// A grant ending after 9999 is refused at the command: its events could not be written.
	late := s
	late.End = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := unchanged(t, l, vest("alice", "bob", late)); checkErr(t, err, token.ErrInvalidTime).Op != "Vest" {
		t.Errorf("end in 10000: %v", err)
	}
	// Locked tokens cannot be vested again.
	if _, err := l.Vest("alice", "bob", s, false); err != nil {
		t.Fatal(err)
	}
	if err := unchanged(t, l, vest("bob", "carol", token.LinearSchedule(ta("50.000001"), sec(0), sec(1)))); !checkErr(t, err, token.ErrInsufficientBalance).Limit.Equal(ta("50")) {
		t.Errorf("vest of locked tokens: %v", err)
	}
	for _, id := range []token.VestingID{0, 2, 99} {
		err := unchanged(t, l, func() error { _, err := l.Release(sec(1), id); return err })
		if ve := checkErr(t, err, token.ErrUnknownVesting); ve.Detail != fmt.Sprintf("grant %d", id) || ve.Err != token.ErrUnknownVesting || !ve.At.Equal(sec(1)) {
			t.Errorf("release %d: %v", id, err)
		}
		if err := unchanged(t, l, func() error { _, err := l.Revoke(sec(1), id); return err }); !errors.Is(err, token.ErrUnknownVesting) {
			t.Errorf("revoke %d: %v", id, err)
		}
		if _, err := l.Vesting(id); !errors.Is(err, token.ErrUnknownVesting) {
			t.Errorf("vesting %d: %v", id, err)
		}
	}
	err := unchanged(t, l, func() error { _, err := l.Revoke(sec(1), 1); return err })
	if ve := checkErr(t, err, token.ErrNotRevocable); !strings.HasPrefix(ve.Detail, "grant 1 ") || ve.Err != token.ErrNotRevocable {
		t.Errorf("not revocable: %v", err)
	}
	err = unchanged(t, l, func() error { _, err := l.Release(sec(0), 1); return err })
	if ve := checkErr(t, err, token.ErrNothingToRelease); ve.Err != token.ErrNothingToRelease {
		t.Errorf("nothing to release: %v", err)
	}
	// Times a release or revocation could not record are refused.
	for _, at := range []time.Time{{}, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC)} {
		if err := unchanged(t, l, func() error { _, err := l.Release(at, 1); return err }); !errors.Is(err, token.ErrInvalidTime) {
			t.Errorf("release at %v: %v", at, err)
		}
		if err := unchanged(t, l, func() error { _, err := l.Revoke(at, 1); return err }); !errors.Is(err, token.ErrInvalidTime) {
			t.Errorf("revoke at %v: %v", at, err)
		}
	}
	if len(l.Vestings()) != 1 {
		t.Errorf("Vestings: %v", l.Vestings())
	}
}

// refVested is an independent statement of the vesting curve, in time.Duration arithmetic
// (valid for the spans tests use).
func refVested(s token.Schedule, at time.Time) *big.Int {
	total := s.Total.Units()
	if at.Before(s.Start) || (!s.Cliff.IsZero() && at.Before(s.Cliff)) {
		return new(big.Int)
	}
	if !at.Before(s.End) {
		return total
	}
	if s.Step > 0 {
		return refCalendarVested(s, at)
	}
	num, den := int64(at.Sub(s.Start)), int64(s.End.Sub(s.Start))
	if s.Period > 0 {
		num, den = num/int64(s.Period), (den+int64(s.Period)-1)/int64(s.Period)
	}
	r := new(big.Int).Mul(total, big.NewInt(num))
	return r.Quo(r, big.NewInt(den))
}

// refCalendarVested is refVested for a schedule by the calendar, at a time in [Start, End):
// the step dates by refStepDate, k of them passed, and for Linear the share of the current
// step.
func refCalendarVested(s token.Schedule, at time.Time) *big.Int {
	var dates []time.Time
	for k := 1; ; k++ {
		d := refStepDate(s.Start, k*s.Step.Months())
		if !d.Before(s.End) {
			break
		}
		dates = append(dates, d)
	}
	dates = append(dates, s.End)
	n, k := int64(len(dates)), 0
	for !dates[k].After(at) {
		k++
	}
	r := new(big.Int).Mul(s.Total.Units(), big.NewInt(int64(k)))
	den := big.NewInt(n)
	if s.Linear {
		prev := s.Start
		if k > 0 {
			prev = dates[k-1]
		}
		length := int64(dates[k].Sub(prev))
		r.Mul(r, big.NewInt(length))
		r.Add(r, new(big.Int).Mul(s.Total.Units(), big.NewInt(int64(at.Sub(prev)))))
		den.Mul(den, big.NewInt(length))
	}
	return r.Quo(r, den)
}

// TestRapidSchedule: vested(t) agrees with the reference, is monotone, zero before the start
// and the cliff, exactly the total at and after the end (and below it before), and never
// above the exact linear share for a linear schedule.
func TestRapidSchedule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := tokentest.Asset().Draw(t, "asset")
		limit, _ := a.FromUnits(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(24+a.Decimals())), nil))
		total := tokentest.Amount(a, limit).Filter(func(d token.Amount) bool { return d.Sign() > 0 }).Draw(t, "total")
		s := tokentest.Schedule(total, tokentest.Epoch()).Draw(t, "schedule")
		span := s.End.Sub(s.Start)
		times := rapid.SliceOfN(rapid.Int64Range(-int64(span)/4, int64(span)+int64(span)/4), 2, 8).Draw(t, "times")
		var prev token.Amount
		var prevAt time.Time
		for i, d := range sortInts(times) {
			at := s.Start.Add(time.Duration(d))
			v := s.Vested(at)
			if ref, _ := s.Asset().FromUnits(refVested(s, at)); !v.Equal(ref) {
				t.Fatalf("Vested(%s) = %s, reference %s", at, v, ref)
			}
			if i > 0 && v.Cmp(prev) < 0 {
				t.Fatalf("not monotone: %s at %s, %s at %s", prev, prevAt, v, at)
			}
			if (at.Before(s.Start) || at.Before(s.Cliff)) && !v.IsZero() {
				t.Fatalf("%s vested before start/cliff", v)
			}
			if at.Before(s.End) == v.Equal(s.Total) {
				t.Fatalf("vested %s of %s at %s (end %s)", v, s.Total, at, s.End)
			}
			if s.Period == 0 && !at.Before(s.Start) && at.Before(s.End) {
				// v <= total*(at-start)/(end-start)  <=>  v*(end-start) <= total*(at-start)
				lhs := new(big.Int).Mul(v.Units(), big.NewInt(int64(span)))
				rhs := new(big.Int).Mul(s.Total.Units(), big.NewInt(int64(at.Sub(s.Start))))
				if lhs.Cmp(rhs) > 0 {
					t.Fatalf("vested %s above the exact share at %s", v, at)
				}
			}
			prev, prevAt = v, at
		}
		if !s.Vested(s.End).Equal(s.Total) || !s.Vested(s.End.Add(time.Hour)).Equal(s.Total) {
			t.Fatal("not complete at the end")
		}
	})
}

// sumOf returns x + y and diffOf x - y; they panic on error (amounts of tests stay in range).
func sumOf(x, y token.Amount) token.Amount {
	s, err := x.Add(y)
	if err != nil {
		panic(err)
	}
	return s
}

func diffOf(x, y token.Amount) token.Amount { return sumOf(x, y.Neg()) }

func sortInts(xs []int64) []int64 {
	out := append([]int64(nil), xs...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// TestRapidVestingGrant: in a ledger, at advancing times with releases and at most one
// revocation, releasable is never negative, released never exceeds vested, vested never
// exceeds entitled, what is locked plus released is entitled, and after the end everything
// entitled can be released.
func TestRapidVestingGrant(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l, err := token.NewLedger(token.Genesis{Asset: token.TRST(), Supply: ta("1000"), Grants: []token.Grant{{Account: "g", Amount: ta("1000")}}})
		if err != nil {
			t.Fatal(err)
		}
		total := tokentest.Amount(token.TRST(), ta("1000")).Filter(func(d token.Amount) bool { return d.Sign() > 0 }).Draw(t, "total")
		s := tokentest.Schedule(total, tokentest.Epoch()).Draw(t, "schedule")
		id, err := l.Vest("g", "b", s, true)
		if err != nil {
			t.Fatal(err)
		}
		now := tokentest.Epoch()
		revoked := false
		for range rapid.IntRange(1, 12).Draw(t, "steps") {
			now = now.Add(time.Duration(rapid.Int64Range(0, int64(s.End.Sub(s.Start))/3+1).Draw(t, "advance")))
			g, _ := l.Vesting(id)
			before := g.Releasable(now)
			switch rapid.IntRange(0, 2).Draw(t, "op") {
			case 0, 1:
				got, err := l.Release(now, id)
				if before.IsZero() != errors.Is(err, token.ErrNothingToRelease) || (err == nil && !got.Equal(before)) {
					t.Fatalf("release %s, %v; releasable was %s", got, err, before)
				}
			case 2:
				back, err := l.Revoke(now, id)
				if revoked != errors.Is(err, token.ErrAlreadyRevoked) {
					t.Fatalf("revoke: %v (revoked %t)", err, revoked)
				}
				if err == nil {
					revoked = true
					if !back.Equal(diffOf(g.Entitled, g.Vested(now))) {
						t.Fatalf("revoke returned %s; entitled %s vested %s", back, g.Entitled, g.Vested(now))
					}
				}
			}
			g, _ = l.Vesting(id)
			v := g.Vested(now)
			if g.Releasable(now).Sign() < 0 || g.Released.Cmp(v) > 0 || v.Cmp(g.Entitled) > 0 || !sumOf(g.Locked(), g.Released).Equal(g.Entitled) {
				t.Fatalf("grant %+v at %s: vested %s", g, now, v)
			}
			if !l.Locked("b").Equal(g.Locked()) {
				t.Fatalf("ledger locks %s, grant %s", l.Locked("b"), g.Locked())
			}
			if err := l.Audit(); err != nil {
				t.Fatal(err)
			}
		}
		end := s.End.Add(time.Second)
		g, _ := l.Vesting(id)
		if _, err := l.Release(end, id); err != nil && !g.Locked().IsZero() {
			t.Fatal(err)
		}
		if !l.Locked("b").IsZero() || !sumOf(l.Balance("b"), l.Balance("g")).Equal(ta("1000")) {
			t.Fatalf("after the end: locked %s", l.Locked("b"))
		}
	})
}
