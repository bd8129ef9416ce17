package crowdsale_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// lockStart is when the lock-ups of these tests start vesting: after the seed sale's end.
var lockStart = time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC)

// fourYears is a 1-year cliff then monthly over 4 years, by the calendar.
func fourYears() crowdsale.LockUp {
	return crowdsale.LockUp{Schedule: token.CalendarSchedule(token.Amount{}, lockStart, token.Monthly, 48, 12)}
}

// finalizedSale is a successful sale of alice (1 BTC) and bob (2 BTC): 1/3 and 2/3 of the
// 80M pool, 26,666,666.666667 and 53,333,333.333333 TRST.
func finalizedSale(t testing.TB) *crowdsale.Sale {
	t.Helper()
	cfg := noMinimum()
	s := newSale(t, cfg)
	mustContribute(t, s, btc("a", "alice", "1", utc(3, 2, 0, 0, 0)))
	mustContribute(t, s, btc("b", "bob", "2", utc(3, 2, 0, 0, 0)))
	if err := s.Finalize(cfg.End); err != nil {
		t.Fatal(err)
	}
	return s
}

// trstLedger is Trustcoin's ledger, the team's grant its grant 1.
func trstLedger(t tb) *token.Ledger {
	t.Helper()
	l, _, err := token.NewTRSTLedger(token.TRSTAccounts{Sale: "wetrust-sale", Team: "team", Organisation: "org", Bounties: "bounties"}, lockStart, 0)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// lastDistribution returns the distributed event's payload.
func lastDistribution(t tb, s *crowdsale.Sale) crowdsale.Distribution {
	t.Helper()
	events := s.Events()
	e := events[len(events)-1]
	if e.Kind != crowdsale.EventDistributed || e.Distributed == nil {
		t.Fatalf("last event %+v", e)
	}
	return *e.Distributed
}

func release(t testing.TB, l *token.Ledger, at time.Time, id token.VestingID, want string) {
	t.Helper()
	got, err := l.Release(at, id)
	if err != nil || !got.Equal(trst(want)) {
		t.Fatalf("release of grant %d at %s: %s, %v; want %s", id, at, got, err, want)
	}
}

func holds(t testing.TB, l *token.Ledger, a token.Account, balance, locked string) {
	t.Helper()
	if !l.Balance(a).Equal(trst(balance)) || !l.Locked(a).Equal(trst(locked)) {
		t.Fatalf("%s holds %s, %s locked; want %s, %s", a, l.Balance(a), l.Locked(a), balance, locked)
	}
}

// Golden: a 1-year cliff then monthly over 4 years. Nothing is spendable before the cliff;
// at the cliff exactly 12/48 of each allocation, rounded down to the micro-TRST, is
// releasable; at the end all of it.
func TestDistributeLockedCliffThenMonthly(t *testing.T) {
	s := finalizedSale(t)
	l := trstLedger(t)
	if err := s.DistributeLocked(l, fourYears()); err != nil {
		t.Fatal(err)
	}
	d := lastDistribution(t, s)
	cliff, end := time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC)
	want := crowdsale.LockUp{Schedule: token.Schedule{Start: lockStart, Cliff: cliff, End: end, Step: token.Monthly}}
	if d.Transfers != 2 || !d.Total.Equal(trst("80000000")) || d.FirstGrant != 2 || d.LockUp == nil || !reflect.DeepEqual(*d.LockUp, want) {
		t.Fatalf("distribution %+v, lock %+v", d, d.LockUp)
	}
	alice, bob := d.FirstGrant, d.FirstGrant+1
	for id, who := range map[token.VestingID]token.Account{alice: "alice", bob: "bob"} {
		g, err := l.Vesting(id)
		if err != nil || g.Beneficiary != who || g.Granter != "wetrust-sale" || g.Escrow != "" || g.Revocable {
			t.Fatalf("grant %d: %+v, %v", id, g, err)
		}
	}
	holds(t, l, "alice", "26666666.666667", "26666666.666667")
	holds(t, l, "bob", "53333333.333333", "53333333.333333")
	holds(t, l, "wetrust-sale", "0", "0")
	if err := l.Transfer("alice", "carol", trst("0.000001")); !errors.Is(err, token.ErrInsufficientBalance) {
		t.Fatalf("a locked buyer transferred: %v", err)
	}
	if _, err := l.Release(cliff.Add(-time.Nanosecond), alice); !errors.Is(err, token.ErrNothingToRelease) {
		t.Fatalf("release before the cliff: %v", err)
	}
	// 12/48 of 26,666,666.666667 is 6,666,666.66666675; of 53,333,333.333333, 13,333,333.33333325
	release(t, l, cliff, alice, "6666666.666666")
	release(t, l, cliff, bob, "13333333.333333")
	holds(t, l, "alice", "26666666.666667", "20000000.000001")
	if !l.Spendable("alice").Equal(trst("6666666.666666")) || !l.Spendable("bob").Equal(trst("13333333.333333")) {
		t.Fatalf("spendable at the cliff: %s, %s", l.Spendable("alice"), l.Spendable("bob"))
	}
	// the 13th tranche lands on the 13th monthly date: 13/48, less what was released
	release(t, l, time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC), alice, "555555.555556")
	release(t, l, end, alice, "19444444.444445")
	release(t, l, end.AddDate(1, 0, 0), bob, "40000000")
	holds(t, l, "alice", "26666666.666667", "0")
	holds(t, l, "bob", "53333333.333333", "0")
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
	if err := s.Audit(); err != nil {
		t.Fatal(err)
	}
	if !s.Status(end).Distributed {
		t.Fatal("not reported distributed")
	}
}

// In escrow, the buyers' balances hold only what was released.
func TestDistributeLockedInEscrow(t *testing.T) {
	s := finalizedSale(t)
	l := trstLedger(t)
	lock := fourYears()
	lock.Escrow = "lockup-vault"
	if err := s.DistributeLocked(l, lock); err != nil {
		t.Fatal(err)
	}
	d := lastDistribution(t, s)
	if d.LockUp.Escrow != "lockup-vault" {
		t.Fatalf("lock %+v", d.LockUp)
	}
	holds(t, l, "alice", "0", "0")
	holds(t, l, "lockup-vault", "80000000", "80000000")
	cliff := lockStart.AddDate(1, 0, 0)
	release(t, l, cliff, d.FirstGrant, "6666666.666666")
	holds(t, l, "alice", "6666666.666666", "0")
	holds(t, l, "lockup-vault", "73333333.333334", "73333333.333334")
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
}

// Every refused distribution leaves the sale and the ledger as they were.
func TestDistributeLockedChecksFirst(t *testing.T) {
	s := finalizedSale(t)
	unfinalized := newSale(t, noMinimum())
	mustContribute(t, unfinalized, btc("a", "alice", "1", utc(3, 2, 0, 0, 0)))
	btcLedger, err := token.NewLedger(token.Genesis{Asset: token.BTC(), Supply: btcs("80000000"), Grants: []token.Grant{{Account: "wetrust-sale", Amount: btcs("80000000")}}})
	if err != nil {
		t.Fatal(err)
	}
	frozen := trstLedger(t)
	if err := frozen.Freeze("org", time.Time{}); err != nil {
		t.Fatal(err)
	}
	// the sale account holds the pool, but 1 TRST of it is locked
	short := trstLedger(t)
	if _, err := short.Vest("wetrust-sale", "wetrust-sale", token.LinearSchedule(trst("1"), lockStart, lockStart.AddDate(1, 0, 0)), false); err != nil {
		t.Fatal(err)
	}
	schedule := func(edit func(*token.Schedule)) crowdsale.LockUp {
		l := fourYears()
		edit(&l.Schedule)
		return l
	}
	for _, c := range []struct {
		name   string
		sale   *crowdsale.Sale
		ledger *token.Ledger
		lock   crowdsale.LockUp
		want   []error
	}{
		{"not finalized", unfinalized, trstLedger(t), fourYears(), []error{crowdsale.ErrState}},
		{"no ledger", s, nil, fourYears(), []error{crowdsale.ErrLedger}},
		{"another asset", s, btcLedger, fourYears(), []error{crowdsale.ErrLedger}},
		{"frozen", s, frozen, fourYears(), []error{crowdsale.ErrLedger, token.ErrFrozen}},
		{"pool partly locked", s, short, fourYears(), []error{crowdsale.ErrLedger}},
		{"zero lock", s, trstLedger(t), crowdsale.LockUp{}, []error{crowdsale.ErrLockUp, token.ErrInvalidSchedule}},
		{"end before start", s, trstLedger(t), schedule(func(sc *token.Schedule) { sc.End = sc.Start.Add(-time.Hour) }), []error{crowdsale.ErrLockUp, token.ErrInvalidSchedule}},
		{"cliff after end", s, trstLedger(t), schedule(func(sc *token.Schedule) { sc.Cliff = sc.End.Add(time.Hour) }), []error{crowdsale.ErrLockUp, token.ErrInvalidSchedule}},
		{"period and step", s, trstLedger(t), schedule(func(sc *token.Schedule) { sc.Period = time.Hour }), []error{crowdsale.ErrLockUp, token.ErrInvalidSchedule}},
		{"year 10000", s, trstLedger(t), schedule(func(sc *token.Schedule) { sc.End = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }), []error{crowdsale.ErrLockUp, token.ErrInvalidTime}},
		{"bad escrow", s, trstLedger(t), crowdsale.LockUp{Schedule: fourYears().Schedule, Escrow: "a vault"}, []error{crowdsale.ErrLockUp, token.ErrInvalidAccount}},
	} {
		before, seq := c.sale.Snapshot().AppendJSON(nil), c.sale.LastSeq()
		var events, grants int
		if c.ledger != nil {
			events, grants = len(c.ledger.Events()), len(c.ledger.Vestings())
		}
		err := c.sale.DistributeLocked(c.ledger, c.lock)
		for _, w := range c.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: %v, want %v", c.name, err, w)
			}
		}
		if e := errorOf(err); e == nil || e.Op != "DistributeLocked" {
			t.Errorf("%s: %v", c.name, err)
		}
		if string(c.sale.Snapshot().AppendJSON(nil)) != string(before) || c.sale.LastSeq() != seq {
			t.Errorf("%s: the sale changed", c.name)
		}
		if c.ledger != nil && (len(c.ledger.Events()) != events || len(c.ledger.Vestings()) != grants || !c.ledger.Balance("alice").IsZero()) {
			t.Errorf("%s: the ledger changed", c.name)
		}
	}
	// the plain distribution refuses a frozen ledger and a pool partly locked up front too
	for _, l := range []*token.Ledger{frozen, short} {
		n := len(l.Events())
		if err := s.Distribute(l); !errors.Is(err, crowdsale.ErrLedger) || len(l.Events()) != n {
			t.Errorf("Distribute: %v", err)
		}
	}
	// a freeze by the sale account itself lets it pay out
	paying := trstLedger(t)
	if err := paying.Freeze("wetrust-sale", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := s.DistributeLocked(paying, fourYears()); err != nil {
		t.Fatal(err)
	}
	// once distributed, neither distribution runs again
	l := trstLedger(t)
	if err := s.DistributeLocked(l, fourYears()); !errors.Is(err, crowdsale.ErrState) || len(l.Vestings()) != 1 {
		t.Fatalf("second DistributeLocked: %v", err)
	}
	if err := s.Distribute(l); !errors.Is(err, crowdsale.ErrState) {
		t.Fatalf("Distribute after DistributeLocked: %v", err)
	}
	plain := finalizedSale(t)
	if err := plain.Distribute(trstLedger(t)); err != nil {
		t.Fatal(err)
	}
	if err := plain.DistributeLocked(l, fourYears()); !errors.Is(err, crowdsale.ErrState) {
		t.Fatalf("DistributeLocked after Distribute: %v", err)
	}
}

// lockUp draws a valid lock-up: linear, periodic, or by the calendar (with or without a
// cliff, linear tranches or not), in the buyer's balance or in escrow.
func lockUp() *rapid.Generator[crowdsale.LockUp] {
	return rapid.Custom(func(t *rapid.T) crowdsale.LockUp {
		start := lockStart.Add(time.Duration(rapid.Int64Range(-1e6, 1e6).Draw(t, "offset")) * time.Second)
		var sc token.Schedule
		switch rapid.IntRange(0, 2).Draw(t, "curve") {
		case 0:
			sc = token.LinearSchedule(token.Amount{}, start, start.Add(time.Duration(rapid.Int64Range(1, 1e18).Draw(t, "length"))))
		case 1:
			sc = token.LinearSchedule(token.Amount{}, start, start.AddDate(0, rapid.IntRange(1, 60).Draw(t, "months"), 0))
			sc.Period = time.Duration(rapid.Int64Range(1, int64(400*24*time.Hour)).Draw(t, "period"))
		default:
			n := rapid.IntRange(1, 60).Draw(t, "tranches")
			sc = token.CalendarSchedule(token.Amount{}, start, token.Step(rapid.IntRange(1, 12).Draw(t, "step")), n, rapid.IntRange(0, n).Draw(t, "cliff"))
			sc.Linear = rapid.Bool().Draw(t, "linear")
		}
		lock := crowdsale.LockUp{Schedule: sc}
		if rapid.Bool().Draw(t, "escrowed") {
			lock.Escrow = "lockup-vault"
		}
		return lock
	})
}

// The grants are one per participant with a positive allocation, in allocation order, of
// exactly its allocation; they sum to the distribution's total, and all of it is
// releasable at the end.
func TestRapidDistributeLockedSumsToTotal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := noMinimum()
		s := newSale(t, cfg)
		names := []token.Account{"alice", "bob", "carol", "dave", "erin", "frank"}
		n := rapid.IntRange(1, 12).Draw(t, "contributions")
		for i := range n {
			who := rapid.SampledFrom(names).Draw(t, "who")
			units := rapid.Int64Range(1, 1e9).Draw(t, "satoshis")
			mustContribute(t, s, crowdsale.Contribution{ID: "c" + string(rune('a'+i)), Participant: who,
				Amount: token.BTC().FromInt64Units(units), At: utc(3, 2, i, 0, 0)})
		}
		if err := s.Finalize(cfg.End); err != nil {
			t.Fatal(err)
		}
		lock := lockUp().Draw(t, "lock")
		l := trstLedger(t)
		if err := s.DistributeLocked(l, lock); err != nil {
			t.Fatal(err)
		}
		d := lastDistribution(t, s)
		sum := token.TRST().Zero()
		id := d.FirstGrant
		for _, a := range s.Allocations() {
			if a.Amount.IsZero() {
				continue
			}
			g, err := l.Vesting(id)
			if err != nil || g.Beneficiary != a.Participant || !g.Schedule.Total.Equal(a.Amount) || g.Revocable || g.Escrow != lock.Escrow {
				t.Fatalf("grant %d %+v for %+v: %v", id, g, a, err)
			}
			sum, _ = sum.Add(g.Schedule.Total)
			if _, err := l.Release(g.Schedule.End, id); err != nil {
				t.Fatal(err)
			}
			if !l.Locked(a.Participant).IsZero() || !l.Spendable(a.Participant).Equal(a.Amount) {
				t.Fatalf("%s at the end: %s locked, %s spendable", a.Participant, l.Locked(a.Participant), l.Spendable(a.Participant))
			}
			id++
		}
		if len(l.Vestings()) != int(id-1) || int(id-d.FirstGrant) != d.Transfers {
			t.Fatalf("%d grants, first %d, %d transfers", len(l.Vestings()), d.FirstGrant, d.Transfers)
		}
		if !sum.Equal(d.Total) || !d.Total.Equal(trst("80000000")) {
			t.Fatalf("grants sum to %s, distributed %s", sum, d.Total)
		}
		if err := l.Audit(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestDistributedLockUpJSONAndReplay(t *testing.T) {
	s := finalizedSale(t)
	lock := fourYears()
	lock.Schedule.Linear = true
	lock.Escrow = "lockup-vault"
	lock.Schedule.Start = lock.Schedule.Start.In(time.FixedZone("UTC+2", 2*3600)) // recorded in UTC
	if err := s.DistributeLocked(trstLedger(t), lock); err != nil {
		t.Fatal(err)
	}
	events := s.Events()
	e := events[len(events)-1]
	const want = `{"v":1,"seq":49,"kind":"distributed","at":"2017-04-13T00:00:00Z","distributed":{"transfers":2,"total":"80000000.000000 TRST",` +
		`"lock_up":{"start":"2017-05-01T00:00:00Z","cliff":"2018-05-01T00:00:00Z","end":"2021-05-01T00:00:00Z","step":"P1M","linear":true,"escrow":"lockup-vault"},` +
		`"first_grant":2}}`
	if got := string(e.AppendJSON(nil)); got != want {
		t.Fatalf("event JSON\n%s\nwant\n%s", got, want)
	}
	var back crowdsale.Event
	if err := json.Unmarshal([]byte(want), &back); err != nil || !back.Equal(e) {
		t.Fatalf("decoded %+v, %v", back, err)
	}
	r, err := crowdsale.Replay(s.InitialConfig(), slices.Values(events))
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Events(); !got[len(got)-1].Equal(e) || !r.Status(e.At).Distributed {
		t.Fatal("the replayed distribution differs")
	}
	// a log whose lock-up or first grant was changed does not replay
	for name, edit := range map[string]func(*crowdsale.Distribution){
		"no lock":         func(d *crowdsale.Distribution) { d.LockUp = nil },
		"no first grant":  func(d *crowdsale.Distribution) { d.FirstGrant = 0 },
		"invalid lock":    func(d *crowdsale.Distribution) { d.LockUp.Schedule.End = d.LockUp.Schedule.Start },
		"other transfers": func(d *crowdsale.Distribution) { d.FirstGrant = 0; d.LockUp = nil; d.Transfers = 3 },
	} {
		bad := slices.Clone(events)
		d := *bad[len(bad)-1].Distributed
		lock := *d.LockUp
		d.LockUp = &lock
		edit(&d)
		bad[len(bad)-1].Distributed = &d
		if _, err := crowdsale.Replay(s.InitialConfig(), slices.Values(bad)); !errors.Is(err, crowdsale.ErrReplay) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if e.Distributed.LockUp.Schedule.Start.Location() != time.UTC {
		t.Fatal("the lock's start is not recorded in UTC")
	}
	// a period and a total, which a recorded lock never has, round-trip too
	l := crowdsale.LockUp{Schedule: token.Schedule{Total: trst("5"), Start: lockStart, End: lockStart.Add(time.Hour), Period: 90 * time.Second}}
	b, _ := json.Marshal(l)
	var lb crowdsale.LockUp
	if err := json.Unmarshal(b, &lb); err != nil || !reflect.DeepEqual(lb, l) ||
		string(b) != `{"total":"5.000000 TRST","start":"2017-05-01T00:00:00Z","end":"2017-05-01T01:00:00Z","period":"1m30s"}` {
		t.Fatalf("%s: %+v, %v", b, lb, err)
	}
	for _, in := range []string{`"step":"P1W"`, `"period":"soon"`, `"linear":1`, `"escrowed":"x"`, `"start":"May"`} {
		j := strings.Replace(want, `"escrow":"lockup-vault"`, in, 1)
		if err := json.Unmarshal([]byte(j), &back); !errors.Is(err, crowdsale.ErrReplay) {
			t.Errorf("%s: %v", in, err)
		}
	}
}

// The lock-up's JSON writes every field of token.Schedule but the total, which a recorded
// lock-up leaves zero: a field added to Schedule must be added to it.
func TestLockUpJSONHasEveryScheduleField(t *testing.T) {
	if n := reflect.TypeOf(token.Schedule{}).NumField(); n != 7 {
		t.Fatalf("token.Schedule has %d fields, the lock-up's JSON 7", n)
	}
}
