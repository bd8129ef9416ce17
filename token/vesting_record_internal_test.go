package token

import (
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"github.com/trustcircle/trustcircle/internal/layouttest"
	"github.com/trustcircle/trustcircle/internal/uint128"
)

// A grant record is 40 bytes without a pointer, and a lock slot two machine words: a
// million grants cost the garbage collector nothing to scan.
func TestVestingRecordIsCompact(t *testing.T) {
	if got := unsafe.Sizeof(vesting{}); got != 40 {
		t.Errorf("a grant record is %d bytes", got)
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[vesting](), reflect.TypeFor[record]()} {
		if p := layouttest.Pointers(typ); len(p) > 0 {
			t.Errorf("%s holds pointers in %v", typ.Name(), p)
		}
	}
}

// Grants on one schedule share one curve, whatever the zone of its times; a schedule that
// fails, or a grant that fails, adds none.
func TestVestSharesCurves(t *testing.T) {
	trst := TRST()
	l, err := NewLedger(Genesis{Asset: trst, Supply: trst.MustParse("100"), Grants: []Grant{{Account: "g", Amount: trst.MustParse("100")}}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC)
	monthly := CalendarSchedule(trst.MustParse("1"), start, Monthly, 48, 12)
	east := monthly
	east.Start, east.Cliff, east.End = start.In(time.FixedZone("E", 5*3600)), monthly.Cliff.In(time.FixedZone("E", 5*3600)), monthly.End.Local()
	linear := LinearSchedule(trst.MustParse("1"), start, start.AddDate(1, 0, 0))
	bad := linear
	bad.End = start
	big := monthly
	big.Total = trst.MustParse("1000")
	for i, c := range []struct {
		s      Schedule
		ok     bool
		curves int
	}{{monthly, true, 1}, {east, true, 1}, {linear, true, 2}, {bad, false, 2}, {big, false, 2}, {monthly, true, 2}, {linear, true, 2}} {
		_, err := l.Vest("g", Account("b"+strconv.Itoa(i)), c.s, false)
		if (err == nil) != c.ok || len(l.curves) != c.curves || len(l.curveIDs) != c.curves {
			t.Fatalf("grant %d: %v, %d curves", i, err, len(l.curves))
		}
	}
	if l.lastCurve != 1 {
		t.Errorf("the last curve is %d", l.lastCurve)
	}
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
}

// wideLedger returns a ledger of an asset of 36 decimals with a grant in escrow of 2^128
// minor units or more, partly released, and a revoked grant.
func wideLedger(t *testing.T) *Ledger {
	t.Helper()
	a, _ := NewAsset("WIDE", 36)
	supply := a.MustParse("10000")
	l, err := NewLedger(Genesis{Asset: a, Supply: supply, Grants: []Grant{{Account: "g", Amount: supply}}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := l.VestInEscrow("g", "vault", "b", CalendarSchedule(a.MustParse("1200"), start, Monthly, 12, 0), true); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Vest("g", "c", LinearSchedule(a.MustParse("1"), start, start.AddDate(1, 0, 0)), true); err != nil {
		t.Fatal(err)
	}
	if got, err := l.Release(start.AddDate(0, 3, 0), 1); err != nil || !got.Equal(a.MustParse("300")) {
		t.Fatalf("released %s: %v", got, err)
	}
	if _, err := l.Revoke(start.AddDate(0, 6, 0), 2); err != nil {
		t.Fatal(err)
	}
	return l
}

// A grant of 2^128 minor units or more keeps what it released apart, and the vault's lock
// of that size too; they vest, release and revoke as any grant does.
func TestVestWide(t *testing.T) {
	l := wideLedger(t)
	a := l.asset
	if len(l.wideReleased) != 1 || len(l.locked) != 1 || len(l.revocations) != 1 {
		t.Fatalf("%d wide grants, %d wide locks, %d revocations", len(l.wideReleased), len(l.locked), len(l.revocations))
	}
	g, _ := l.Vesting(1)
	if !g.Released.Equal(a.MustParse("300")) || !l.Locked("vault").Equal(a.MustParse("900")) || !l.Balance("b").Equal(a.MustParse("300")) {
		t.Fatalf("grant %+v, vault locks %s", g, l.Locked("vault"))
	}
	back, err := l.Revoke(time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC), 1)
	if err != nil || !back.Equal(a.MustParse("600")) || !l.Locked("vault").Equal(a.MustParse("300")) {
		t.Fatalf("revoked %s: %v; vault locks %s", back, err, l.Locked("vault"))
	}
	if got, err := l.Release(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 1); err != nil || !got.Equal(a.MustParse("300")) {
		t.Fatalf("released %s: %v", got, err)
	}
	if len(l.locked) != 0 || l.acct(l.find("vault")).flags&hasLock != 0 {
		t.Fatal("the vault keeps a lock")
	}
	if err := l.Audit(); err != nil {
		t.Fatal(err)
	}
}

// Audit finds a grant record, a curve or a lock slot that does not agree with the rest.
func TestAuditFindsBrokenGrants(t *testing.T) {
	for name, corrupt := range map[string]func(l *Ledger){
		"vest seq":          func(l *Ledger) { l.vestings.at(0).seq++ },
		"no vest seq":       func(l *Ledger) { l.vestings.at(0).seq = 0 },
		"seq past the log":  func(l *Ledger) { l.vestings.at(0).seq = uint32(l.log.n + 1) },
		"beneficiary":       func(l *Ledger) { l.vestings.at(1).beneficiaryID = l.find("b") },
		"no beneficiary":    func(l *Ledger) { l.vestings.at(1).beneficiaryID = noAccount },
		"escrow flag":       func(l *Ledger) { l.vestings.at(0).flags &^= gEscrow },
		"curve index":       func(l *Ledger) { l.vestings.at(0).curve = 7 },
		"curve":             func(l *Ledger) { l.curves[0].end = l.curves[0].start },
		"curve zone":        func(l *Ledger) { l.curves[0].start = l.curves[0].start.Local() },
		"curve index entry": func(l *Ledger) { delete(l.curveIDs, l.curves[1]) },
		"wide flag":         func(l *Ledger) { l.vestings.at(0).flags &^= gWide },
		"narrow kept wide":  func(l *Ledger) { l.wideReleased[2] = l.asset.Zero() },
		"stray wide":        func(l *Ledger) { l.wideReleased[9] = l.asset.Zero() },
		"released":          func(l *Ledger) { l.wideReleased[1] = l.asset.MustParse("1300") },
		"revoked flag":      func(l *Ledger) { l.vestings.at(1).flags &^= gRevoked },
		"not revocable":     func(l *Ledger) { l.vestings.at(1).flags &^= gRevocable },
		"stray revocation":  func(l *Ledger) { l.revocations[1] = revocation{at: time.Now(), entitled: l.asset.MustParse("1")} },
		"entitled":          func(l *Ledger) { l.revocations[2] = revocation{at: time.Now(), entitled: l.asset.MustParse("2")} },
		"lock twice":        func(l *Ledger) { l.lockSlot(l.find("vault"), true).Lo = 1 },
		"lock slot":         func(l *Ledger) { l.lockSlot(l.find("c"), true).Lo++ },
		"stray lock slot":   func(l *Ledger) { l.lockSlot(uint32(l.accts.n+5000), true).Lo = 1 },
		"lock slot of none": func(l *Ledger) { l.lockSlot(noAccount, true).Lo = 1 },
		"narrow lock apart": func(l *Ledger) {
			c := l.find("c")
			s := l.lockSlot(c, false)
			l.locked[c], *s = l.asset.FromUint128Units(s.Hi, s.Lo), uint128.U128{}
		},
	} {
		l := wideLedger(t)
		if err := l.Audit(); err != nil {
			t.Fatalf("%s: a sound ledger: %v", name, err)
		}
		corrupt(l)
		if err := l.Audit(); !errors.Is(err, ErrAudit) {
			t.Errorf("%s: Audit = %v", name, err)
		}
	}
}
