package roles_test

import (
	"strconv"
	"testing"

	"github.com/trustcircle/trustcircle/roles"
)

// BenchmarkPayReferral: one referral payout (permission checks, budget and pool checks, one
// ledger transfer, the records) on a program that has already paid b.N claims.
func BenchmarkPayReferral(b *testing.B) {
	f := newFixture(b, "1000", "1000")
	_ = f.p.Refer(at(0), "ref", "usr")
	ids := make([]string, 0, 1024)
	for i := range cap(ids) {
		ids = append(ids, strconv.Itoa(i))
	}
	n := 0
	for b.Loop() {
		id := ids[n%len(ids)] + "/" + strconv.Itoa(n)
		n++
		if _, err := f.p.PayReferral(at(1), "op", roles.ReferralClaim{ID: id, Partner: "ref", User: "usr", Event: roles.Completed, Base: trst("0.0001")}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEventAppendJSON(b *testing.B) {
	e := roles.Event{Seq: 12345, At: at(7), Kind: roles.EventGranted, Account: "0x5bb8D0DfdAf3a03cF51F9c8623C160a4c021E522",
		Roles: roles.SetOf(roles.Sponsor), After: roles.SetOf(roles.Sponsor, roles.GeneralUser)}
	buf := make([]byte, 0, 256)
	for b.Loop() {
		buf = e.AppendJSON(buf[:0])
	}
}

func BenchmarkDirectoryGrantRevoke(b *testing.B) {
	dir := roles.NewDirectory()
	for b.Loop() {
		_ = dir.Grant(at(0), "alice", roles.Sponsor)
		_ = dir.Revoke(at(0), "alice", roles.Sponsor)
	}
}
