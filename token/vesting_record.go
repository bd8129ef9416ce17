package token

import (
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/internal/uint128"
)

// curve is a vesting schedule without its total, as a ledger keeps it: its times in UTC
// without a monotonic clock reading, so that two curves of the same instants are ==. A
// ledger keeps each distinct curve once, in [Ledger.curves], and its grants name it by
// index: a distribution of a million grants on one schedule checks and stores it once.
type curve struct {
	start, cliff, end time.Time
	period            time.Duration
	step              Step
	linear            bool
}

// curveOf returns the curve of s.
func curveOf(s Schedule) curve {
	return curve{start: utc(s.Start), cliff: utc(s.Cliff), end: utc(s.End), period: s.Period, step: s.Step, linear: s.Linear}
}

// schedule returns the schedule of the curve with the given total.
func (c *curve) schedule(total Amount) Schedule {
	return Schedule{Total: total, Start: c.start, Cliff: c.cliff, End: c.end, Period: c.period, Step: c.step, Linear: c.linear}
}

// findCurve returns the index of curve c among the ledger's curves, and whether it is there:
// the curve of the last grant is tried first, then the index of all of them.
func (l *Ledger) findCurve(c *curve) (uint32, bool) {
	if int(l.lastCurve) < len(l.curves) && l.curves[l.lastCurve] == *c {
		return l.lastCurve, true
	}
	i, ok := l.curveIDs[*c]
	if ok {
		l.lastCurve = i
	}
	return i, ok
}

// addCurve adds curve c, which has passed [Schedule.Validate], and returns its index.
func (l *Ledger) addCurve(c curve) uint32 {
	i := uint32(len(l.curves)) // at most one curve per grant, so it fits
	l.curves = append(l.curves, c)
	if l.curveIDs == nil {
		l.curveIDs = make(map[curve]uint32)
	}
	l.curveIDs[c] = i
	l.lastCurve = i
	return i
}

// vesting is the ledger's record of a grant: 40 bytes without a pointer, so that a million
// grants cost 40 MB that the garbage collector never scans. The accounts are ids (see
// [acct]), the schedule the index of its curve; the granter and the total are those of its
// vest event, whose record it names. The released amount is in minor units of the ledger's
// asset, or for a grant of 2^128 minor units or more (whose vest record is wide) in
// [Ledger.wideReleased]. A revoked grant keeps its time and its entitlement in
// [Ledger.revocations]; a grant not revoked is entitled to its total.
type vesting struct {
	seq           uint32       // the Seq of its vest event: from is the granter, to the holder, the amount the total
	beneficiaryID uint32       // the account the grant vests to
	holder        uint32       // the id of the account holding the locked amount: the escrow's or the beneficiary's
	curve         uint32       // the index of its curve in Ledger.curves
	released      uint128.U128 // in minor units, unless gWide
	flags         uint8
}

// The flags of a vesting record.
const (
	gRevocable uint8 = 1 << iota // the grant may be revoked
	gRevoked                     // it was: its revocation is in Ledger.revocations
	gEscrow                      // holder is an escrow ([Ledger.VestInEscrow]), even when it is the beneficiary
	gWide                        // its total is 2^128 minor units or more: what it released is in Ledger.wideReleased
)

// revocation is what a grant keeps of its revocation.
type revocation struct {
	at       time.Time // UTC
	entitled Amount    // what had vested at that time
}

// addGrant records a grant that vest has checked, from the granter of id gi (which can pay
// the positive total, so it is known), moves and locks its total, and records its vest
// event.
func (l *Ledger) addGrant(curve, gi uint32, escrow, beneficiary Account, total Amount, revocable bool) VestingID {
	v := vesting{curve: curve}
	if revocable {
		v.flags |= gRevocable
	}
	bi := l.id(beneficiary)
	v.beneficiaryID, v.holder = bi, bi
	if escrow != "" {
		v.holder, v.flags = l.id(escrow), v.flags|gEscrow
	}
	id := uint32(l.vestings.n + 1)
	v.seq = uint32(l.log.n + 1) // the event emit records below
	if _, _, ok := total.Uint128Units(); !ok {
		v.flags |= gWide
		if l.wideReleased == nil {
			l.wideReleased = make(map[uint32]Amount)
		}
		l.wideReleased[id] = l.asset.Zero()
	}
	l.vestings.add(v)
	l.move(gi, v.holder, total)
	l.lock(v.holder, total)
	l.emit(record{kind: kVest, from: gi, to: v.holder, aux: id, moves: true}, total, time.Time{})
	return VestingID(id)
}

// vestRecord returns the record of the vest event of the grant whose record is v.
func (l *Ledger) vestRecord(v *vesting) *record { return l.log.at(int(v.seq - 1)) }

// granter returns the granter of the grant whose record is v.
func (l *Ledger) granter(v *vesting) Account { return l.name(l.vestRecord(v).from) }

// grantAmounts are the amounts of a grant.
type grantAmounts struct{ total, entitled, released Amount }

// amounts returns the amounts of grant id, whose record is v.
func (l *Ledger) amounts(v *vesting, id VestingID) grantAmounts {
	g := grantAmounts{total: l.amount(l.vestRecord(v), v.seq)}
	if v.flags&gWide != 0 {
		g.released = l.units(l.wideReleased[uint32(id)])
	} else {
		g.released = l.asset.FromUint128Units(v.released.Hi, v.released.Lo)
	}
	g.entitled = g.total
	if v.flags&gRevoked != 0 {
		g.entitled = l.revocations[uint32(id)].entitled
	}
	return g
}

// setReleased sets the released amount of grant id, whose record is v; x is at most its
// total.
func (l *Ledger) setReleased(v *vesting, id VestingID, x Amount) {
	if v.flags&gWide != 0 {
		l.wideReleased[uint32(id)] = x
		return
	}
	hi, lo, _ := x.Uint128Units() // at most the total, which fits
	v.released = uint128.U128{Hi: hi, Lo: lo}
}

// vested is the grant's vested amount at time at: min(entitled, max(curve, released)).
func (l *Ledger) vested(v *vesting, g *grantAmounts, at time.Time) Amount {
	u := l.curves[v.curve].schedule(g.total).vested(at)
	if u.Cmp(g.released) < 0 {
		u = g.released
	}
	if u.Cmp(g.entitled) > 0 {
		u = g.entitled
	}
	return u
}

// escrowName returns the grant's escrow account, "" for none.
func (l *Ledger) escrowName(v *vesting) Account {
	if v.flags&gEscrow != 0 {
		return l.name(v.holder)
	}
	return ""
}

// grant returns the state of grant id, which exists.
func (l *Ledger) grant(id VestingID) VestingGrant {
	v := l.vestings.at(int(id - 1))
	g := l.amounts(v, id)
	return VestingGrant{
		ID: id, Granter: l.granter(v), Beneficiary: l.name(v.beneficiaryID), Escrow: l.escrowName(v),
		Schedule: l.curves[v.curve].schedule(g.total), Revocable: v.flags&gRevocable != 0, Revoked: v.flags&gRevoked != 0,
		RevokedAt: l.revocations[uint32(id)].at, Entitled: g.entitled, Released: g.released,
	}
}

// snapshotVesting returns grant id, which exists, as a snapshot lists it.
func (l *Ledger) snapshotVesting(id VestingID) SnapshotVesting {
	g := l.grant(id)
	sc := g.Schedule
	return SnapshotVesting{
		ID: id, Granter: g.Granter, Beneficiary: g.Beneficiary, Escrow: g.Escrow, Total: sc.Total,
		Start: sc.Start, Cliff: sc.Cliff, End: sc.End, Period: sc.Period, Step: sc.Step, Linear: sc.Linear, Revocable: g.Revocable,
		Revoked: g.Revoked, RevokedAt: g.RevokedAt, Entitled: g.Entitled, Released: g.Released,
	}
}

// grantEvent fills in the fields of event e, of a vest, release or revoke record r, that
// come from its grant.
func (l *Ledger) grantEvent(e *Event, r *record) {
	v := l.vestings.at(int(r.aux - 1))
	e.Vesting = VestingID(r.aux)
	switch r.kind {
	case kVest:
		c := &l.curves[v.curve]
		e.From, e.To, e.Escrow, e.Revocable = l.name(r.from), l.name(v.beneficiaryID), l.escrowName(v), v.flags&gRevocable != 0
		e.Start, e.Cliff, e.End, e.Period, e.Step, e.Linear = c.start, c.cliff, c.end, c.period, c.step, c.linear
	case kRelease:
		e.From, e.To = l.escrowName(v), l.name(v.beneficiaryID)
	case kRevoke:
		e.From, e.To = l.name(v.holder), l.granter(v)
	}
}

// auditCurves checks the ledger's curves: each valid, indexed, and named by a grant.
func (l *Ledger) auditCurves() error {
	fail := func(detail string) error { return &Error{Op: "Audit", Detail: detail, Err: ErrAudit} }
	if len(l.curveIDs) != len(l.curves) {
		return fail("the curve index has " + strconv.Itoa(len(l.curveIDs)) + " entries for " + strconv.Itoa(len(l.curves)) + " curves")
	}
	for i := range l.curves {
		c := &l.curves[i]
		if j, ok := l.curveIDs[*c]; !ok || j != uint32(i) {
			return fail("curve " + strconv.Itoa(i) + " is not indexed")
		}
		if c.schedule(l.asset.FromInt64Units(1)).Validate() != nil || *c != curveOf(c.schedule(Amount{})) {
			return fail("curve " + strconv.Itoa(i) + " is not a valid schedule in UTC")
		}
	}
	return nil
}

// audit checks one grant's own invariants, and that its vest event names it.
func (v *vesting) audit(l *Ledger, id VestingID) error {
	fail := func(detail string) error {
		return &Error{Op: "Audit", Account: l.name(v.beneficiaryID), Detail: "grant " + strconv.FormatUint(uint64(id), 10) + " " + detail, Err: ErrAudit}
	}
	if v.seq == 0 || int(v.seq) > l.log.n {
		return fail("names no vest event")
	}
	r := l.vestRecord(v)
	_, wide := l.wideReleased[uint32(id)]
	rv, revoked := l.revocations[uint32(id)]
	switch {
	case r.kind != kVest || r.aux != uint32(id) || !r.moves || r.to != v.holder:
		return fail("is not the grant its vest event records")
	case int(max(r.from, v.beneficiaryID, v.holder)) >= l.accts.n || min(r.from, v.beneficiaryID, v.holder) == noAccount ||
		(v.flags&gEscrow == 0 && v.holder != v.beneficiaryID):
		return fail("names accounts the ledger does not index")
	case int(v.curve) >= len(l.curves):
		return fail("has an invalid schedule")
	case wide != (v.flags&gWide != 0) || wide != r.wide || (wide && !v.released.IsZero()):
		return fail("keeps its released amount apart, or not, against its size")
	case revoked != (v.flags&gRevoked != 0):
		return fail("has a revocation that its flags do not show")
	case revoked && (v.flags&gRevocable == 0 || rv.at.IsZero()):
		return fail("is revoked without the right or a time")
	}
	g := l.amounts(v, id)
	a := l.asset
	switch {
	case g.total.Asset() != a || g.entitled.Asset() != a || g.released.Asset() != a:
		return fail("has amounts of another asset")
	case !g.total.IsPositive():
		return fail("has an invalid schedule")
	case g.released.IsNegative() || g.released.Cmp(g.entitled) > 0 || g.entitled.Cmp(g.total) > 0:
		return fail("has released " + g.released.String() + ", entitled " + g.entitled.String() + ", total " + g.total.String())
	}
	return nil
}
