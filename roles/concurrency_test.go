package roles_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/token"
)

// TestConcurrentQueries: 8 goroutines call every query of a directory (and the program's
// queries that do not read the ledger) at once; under -race this proves the queries only
// read.
func TestConcurrentQueries(t *testing.T) {
	f := newFixture(t, "100", "50")
	_ = f.d.Grant(at(1), "fp", roles.Foreperson)
	_ = f.p.Refer(at(1), "ref", "usr")
	_, _ = f.p.PayReferral(at(2), "op", roles.ReferralClaim{ID: "c1", Partner: "ref", User: "usr", Event: roles.Joined})
	_ = f.p.PostBounty(at(3), "op", roles.Bounty{ID: "b1", Task: "t", Reward: trst("1")})
	d, p := f.d, f.p
	want := d.Events()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for range 20 {
				for _, a := range []token.Account{"op", "ref", "spo", "usr", "fp", "nobody"} {
					_ = d.Roles(a)
					_ = d.Has(a, roles.Sponsor)
					_ = d.Require(a, roles.GeneralUser, "browse")
					_ = d.MayEnableHalt(a)
					_ = d.MayCollectPlatformFees(a)
					_ = d.MayActAsForeperson(a, "fp")
					_ = d.MayOrganiseCircle(a)
					_ = d.MayJoinCircle(a)
					_ = d.MayEarnReferrals(a)
					_ = d.MayClaimBounty(a)
					_ = d.MayPayFromProgram(a, p)
					_, _ = p.Referrer(a)
				}
				_ = d.Members(roles.GeneralUser)
				_ = d.Accounts()
				if got := d.Events(); len(got) != len(want) {
					t.Errorf("goroutine %d: %d events", g, len(got))
				}
				_ = slices.Collect(d.EventsAfter(uint64(g % 4)))
				_ = d.LastSeq()
				if err := d.Audit(); err != nil {
					t.Errorf("goroutine %d: %v", g, err)
				}
				_ = p.Config()
				_ = p.Paid()
				_ = p.Remaining()
				_ = p.Payouts()
				_ = p.Events()
				_ = slices.Collect(p.EventsAfter(1))
				_ = p.LastSeq()
				_, _, _ = p.Bounty("b1")
				_ = p.Bounties()
			}
		})
	}
	wg.Wait()
}
