package roles_test

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/token"
)

func ExampleSet() {
	s := roles.SetOf(roles.Sponsor, roles.Foreperson)
	fmt.Println(s, s.Has(roles.Foreperson), s.Has(roles.GeneralUser))
	fmt.Println(s.With(roles.GeneralUser).Without(roles.Sponsor))
	parsed, _ := roles.ParseSet("user|referral-partner")
	fmt.Println(parsed, parsed.Len())
	// Output:
	// foreperson|sponsor true false
	// foreperson|user
	// referral-partner|user 2
}

func ExampleDirectory() {
	at := time.Date(2017, 4, 1, 0, 0, 0, 0, time.UTC)
	d := roles.NewDirectory()
	_ = d.Grant(at, "alice", roles.GeneralUser, roles.Foreperson)
	_ = d.Grant(at, "bob", roles.GeneralUser)
	_ = d.Grant(at, "alice", roles.Foreperson) // already held: no event
	_ = d.Revoke(at, "bob", roles.GeneralUser)
	for _, e := range d.Events() {
		fmt.Println(e.Seq, e.Kind, e.Account, e.Roles, "->", e.After)
	}
	fmt.Println(d.Members(roles.GeneralUser))
	fmt.Println(d.Grant(at, "carol", roles.Role(64)))
	// Output:
	// 1 granted alice foreperson|user -> foreperson|user
	// 2 granted bob user -> user
	// 3 revoked bob user -> none
	// [alice]
	// roles: unknown role: 0x40 is not a role (op Grant, account carol)
}

// A service persists each command's events as JSON lines and rebuilds the directory from
// them on restart.
func ExampleReplay() {
	at := time.Date(2017, 4, 1, 0, 0, 0, 0, time.UTC)
	d := roles.NewDirectory()
	var log bytes.Buffer
	var persisted uint64
	for _, a := range []token.Account{"alice", "bob"} {
		_ = d.Grant(at, a, roles.GeneralUser)
		for e := range d.EventsAfter(persisted) {
			log.Write(append(e.AppendJSON(nil), '\n'))
			persisted = e.Seq
		}
	}
	fmt.Print(log.String())
	dec := roles.NewDecoder(&log)
	r, err := roles.Replay(dec.Events())
	if err == nil {
		err = dec.Err()
	}
	fmt.Println(r.Members(roles.GeneralUser), err)
	// Output:
	// {"v":1,"seq":1,"kind":"granted","at":"2017-04-01T00:00:00Z","account":"alice","roles":"user","after":"user"}
	// {"v":1,"seq":2,"kind":"granted","at":"2017-04-01T00:00:00Z","account":"bob","roles":"user","after":"user"}
	// [alice bob] <nil>
}

func ExampleDirectory_MayActAsForeperson() {
	at := time.Date(2017, 4, 1, 0, 0, 0, 0, time.UTC)
	d := roles.NewDirectory()
	_ = d.Grant(at, "alice", roles.Foreperson)
	_ = d.Grant(at, "bob", roles.Foreperson)
	fmt.Println(d.MayActAsForeperson("alice", "alice"))
	err := d.MayActAsForeperson("bob", "alice")
	fmt.Println(errors.Is(err, roles.ErrNotPermitted))
	fmt.Println(err)
	// Output:
	// <nil>
	// true
	// roles: not permitted: may not act as the circle's foreperson: the circle's foreperson is "alice" (op MayActAsForeperson, account bob)
}

// The worked example of the package documentation.
func ExampleProgram() {
	at := time.Date(2017, 4, 1, 0, 0, 0, 0, time.UTC)
	trst := token.TRST()
	ledger, _ := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{
		Sale: "sale", Team: "team", Organisation: "finclusion", Bounties: "bounties"}))
	dir := roles.NewDirectory()
	_ = dir.Grant(at, "wetrust", roles.PlatformOperator)
	_ = dir.Grant(at, "rita", roles.ReferralPartner)
	_ = dir.Grant(at, "sam", roles.Sponsor)
	p, err := roles.NewProgram(roles.ProgramConfig{
		Name: "growth", Pool: "bounties", Admin: "wetrust", Budget: trst.MustParse("1000"),
		OnJoin:     roles.Reward{Fixed: trst.MustParse("5")},
		OnComplete: roles.Reward{Rate: token.MustRatio(1, 100)},
	}, ledger, dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = p.Refer(at, "rita", "ursula")
	joined := roles.ReferralClaim{ID: "joined/ursula/c1", Partner: "rita", User: "ursula", Event: roles.Joined}
	po, _ := p.PayReferral(at, "wetrust", joined)
	fmt.Println(po.To, po.Amount.Number())
	po, _ = p.PayReferral(at, "wetrust", roles.ReferralClaim{ID: "completed/ursula/c1", Partner: "rita",
		User: "ursula", Event: roles.Completed, Base: trst.MustParse("123.456789")})
	fmt.Println(po.To, po.Amount.Number())
	_, err = p.PayReferral(at, "wetrust", joined)
	fmt.Println(err)

	_ = p.PostBounty(at, "wetrust", roles.Bounty{ID: "bug-1", Task: "audit the escape hatch", Reward: trst.MustParse("100")})
	po, _ = p.AcceptBounty(at, "wetrust", "bug-1", "sam")
	fmt.Println(po.To, po.Amount.Number())

	fmt.Println("rita", ledger.Balance("rita").Number(), "pool", ledger.Balance("bounties").Number())
	fmt.Println("paid", p.Paid().Number(), "remaining", p.Remaining().Number())
	fmt.Println(p.Audit())
	// Output:
	// rita 5.000000
	// rita 1.234567
	// roles: claim already paid: program "growth", claim "joined/ursula/c1" (op PayReferral, account rita)
	// sam 100.000000
	// rita 6.234567 pool 1999893.765433
	// paid 106.234567 remaining 893.765433
	// <nil>
}
