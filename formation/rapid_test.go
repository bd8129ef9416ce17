package formation_test

import (
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/formation"
	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/token"
)

// pool is the accounts the random commands draw from: the first three are invited, the
// others are not (until re-invited); "" is malformed.
var pool = []token.Account{"alice", "bob", "carol", "dave", "erin", "gus", ""}

// TestRapidFormation drives a proposal with random valid and invalid commands at random
// times and checks after every step: a rejected command changes nothing and an accepted
// one appends one event; the proposal starts only when every seat has accepted the terms
// in force, and only through Start; every accepted seat's evidence names the digest in
// force, which is that of the config in force; a closed proposal stays closed; and the log
// replays to the live proposal.
func TestRapidFormation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		adm := formation.Admission{
			MinReputation:    rapid.SampledFrom([]int{0, 0, 300, 700, 900}).Draw(t, "min"),
			RequireRole:      rapid.Bool().Draw(t, "role"),
			RequireGuarantor: rapid.Bool().Draw(t, "guarantor"),
		}
		if rapid.Bool().Draw(t, "collateral") {
			adm.Collateral = usd.MustParse("10")
		}
		dir := roles.NewDirectory()
		for _, a := range pool[:6] {
			if rapid.IntRange(0, 9).Draw(t, "user "+string(a)) > 0 {
				must(t, dir.Grant(feb1.Add(-week), a, roles.GeneralUser))
			}
		}
		must(t, dir.Grant(feb1.Add(-week), "alice", roles.Foreperson))
		p := propose(t, adm, dir)
		now := feb1
		for range rapid.IntRange(1, 40).Draw(t, "steps") {
			now = now.Add(rapid.SampledFrom([]time.Duration{0, time.Hour, time.Hour, day, -time.Hour, 10 * day}).Draw(t, "dt"))
			before, seq, state := viewOf(p), p.LastSeq(), p.State()
			ready, deadline := p.Ready(), p.Terms().Deadline
			kind := rapid.IntRange(0, cmdAbandon-1).Draw(t, "command")
			err := command(t, p, kind, now, dir)
			switch {
			case err != nil && !viewOf(p).equal(before):
				t.Fatalf("a rejected command changed the proposal: %v", err)
			case err == nil && p.LastSeq() != seq+1:
				t.Fatalf("an accepted command appended %d events", p.LastSeq()-seq)
			case state != formation.Open && err == nil:
				t.Fatalf("a %s proposal accepted a command", state)
			}
			if kind >= cmdWithdraw && kind < cmdStart { // Start: accepted exactly when open, ready, in time
				ok := state == formation.Open && ready && !now.Before(p.Events()[seq-1].At) && now.Before(deadline)
				if ok != (err == nil) {
					t.Fatalf("Start at %v (open %v ready %v): %v", now, state == formation.Open, ready, err)
				}
			}
			check(t, p)
		}
		replayed(t, p)
	})
}

// The commands TestRapidFormation draws, by weight: mostly acceptances, so that
// proposals do start.
const (
	cmdAccept   = 10
	cmdDecline  = cmdAccept + 1
	cmdReinvite = cmdDecline + 2
	cmdWithdraw = cmdReinvite + 1
	cmdStart    = cmdWithdraw + 3
	cmdAbandon  = cmdStart + 1
)

// seated draws an account: usually one holding a seat, sometimes any of the pool.
func seated(t *rapid.T, p *formation.Proposal, label string) token.Account {
	if seats := p.Seats(); len(seats) > 0 && rapid.IntRange(0, 3).Draw(t, label+" seated") > 0 {
		return rapid.SampledFrom(seats).Draw(t, label).Member
	}
	return rapid.SampledFrom(pool).Draw(t, label)
}

// command runs one random command, valid or not; kind is below cmdAbandon.
func command(t *rapid.T, p *formation.Proposal, kind int, now time.Time, dir *roles.Directory) error {
	switch {
	case kind < cmdAccept:
		a := formation.Acceptance{Member: seated(t, p, "member"), Terms: p.Digest(), Reputation: 800,
			Guarantor: "gus", Pledge: usd.MustParse("20"), Collateral: usd.MustParse("10")}
		if rapid.IntRange(0, 3).Draw(t, "valid evidence") == 0 {
			a.Reputation = rapid.SampledFrom([]int{800, 450, 0, 1001}).Draw(t, "reputation")
			if rapid.IntRange(0, 9).Draw(t, "stale") == 0 {
				a.Terms[0] ^= 1
			}
			a.Guarantor = rapid.SampledFrom([]token.Account{"gus", "bob", ""}).Draw(t, "guarantor")
			a.Pledge = rapid.SampledFrom([]token.Amount{usd.MustParse("20"), usd.MustParse("0"), eur.MustParse("20"), {}}).Draw(t, "pledge")
			a.Collateral = rapid.SampledFrom([]token.Amount{usd.MustParse("10"), {}, usd.MustParse("5")}).Draw(t, "collateral")
		}
		return p.Accept(now, a, dir)
	case kind < cmdDecline:
		return p.Decline(now, seated(t, p, "member"))
	case kind < cmdReinvite:
		by := rapid.SampledFrom([]token.Account{"alice", "alice", "bob"}).Draw(t, "by")
		return p.Reinvite(now, by, seated(t, p, "replaced"), rapid.SampledFrom(pool).Draw(t, "invitee"))
	case kind < cmdWithdraw:
		return p.Withdraw(now, rapid.SampledFrom([]token.Account{"alice", "bob"}).Draw(t, "by"))
	case kind < cmdStart:
		_, err := p.Start(now)
		return err
	default:
		return p.Abandon(now)
	}
}

// check checks the proposal's invariants.
func check(t *rapid.T, p *formation.Proposal) {
	evs := p.Events()
	last := evs[len(evs)-1]
	d, err := formation.DigestOf(p.Terms().Config)
	if err != nil || d != p.Digest() {
		t.Fatalf("the digest %v is not that of the config in force (%v)", p.Digest(), err)
	}
	if (p.State() == formation.Started) != (last.Kind == formation.EventStarted) {
		t.Fatalf("state %s after a %s event", p.State(), last.Kind)
	}
	if p.State() == formation.Started && !p.Ready() {
		t.Fatalf("started with %d of %d seats accepted", p.Accepted(), len(p.Seats()))
	}
	for i, s := range p.Seats() {
		if s.Index != i || s.Member != p.Terms().Config.Members[i] {
			t.Fatalf("seat %d: %+v", i, s)
		}
		if s.Answer == formation.Accepted && s.Evidence.Terms != p.Digest() {
			t.Fatalf("seat %d accepted terms not in force", i)
		}
	}
	r, err := formation.Replay(slices.Values(evs))
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if !viewOf(r).equal(viewOf(p)) || r.Terms().Deadline != p.Terms().Deadline {
		t.Fatal("replay differs from the live proposal")
	}
}
