package roles

import (
	"errors"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

// TestAuditErrors: every broken invariant an audit finds is an *Error wrapping ErrAudit, of
// class Internal.
func TestAuditErrors(t *testing.T) {
	at := time.Date(2017, 4, 1, 0, 0, 0, 0, time.UTC)
	newDir := func() *Directory {
		d := NewDirectory()
		_ = d.Grant(at, "op", PlatformOperator)
		_ = d.Grant(at, "ref", ReferralPartner)
		_ = d.Grant(at, "spo", Sponsor)
		return d
	}
	trst := token.TRST()
	newProgram := func() *Program {
		l, err := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("100"),
			Grants: []token.Grant{{Account: "pool", Amount: trst.MustParse("100")}}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewProgram(ProgramConfig{Name: "p", Pool: "pool", Admin: "op", Budget: trst.MustParse("50"),
			OnJoin: Reward{Fixed: trst.MustParse("5")}}, l, newDir())
		if err != nil {
			t.Fatal(err)
		}
		_ = p.Refer(at, "ref", "usr")
		if _, err := p.PayReferral(at, "op", ReferralClaim{ID: "c", Partner: "ref", User: "usr", Event: Joined}); err != nil {
			t.Fatal(err)
		}
		_ = p.PostBounty(at, "op", Bounty{ID: "b", Task: "t", Reward: trst.MustParse("1")})
		if _, err := p.AcceptBounty(at, "op", "b", "spo"); err != nil {
			t.Fatal(err)
		}
		if err := p.Audit(); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for name, audit := range map[string]func() error{
		"empty set":       func() error { d := newDir(); d.roles["x"] = 0; return d.Audit() },
		"unknown bits":    func() error { d := newDir(); d.roles["op"] |= 0x80; return d.Audit() },
		"roles differ":    func() error { d := newDir(); d.roles["op"] = SetOf(Sponsor); return d.Audit() },
		"log broken":      func() error { d := newDir(); d.events[1].Seq = 9; return d.Audit() },
		"payout amount":   func() error { p := newProgram(); p.payouts[0].Amount = trst.Zero(); return p.Audit() },
		"payout index":    func() error { p := newProgram(); p.claims[claimKey{PayoutReferral, "c"}] = 1; return p.Audit() },
		"no transfer":     func() error { p := newProgram(); p.payouts[0].To = "mallory"; return p.Audit() },
		"bounty unmarked": func() error { p := newProgram(); p.bounties["b"].paid = false; return p.Audit() },
		"extra claim":     func() error { p := newProgram(); p.claims[claimKey{PayoutReferral, "z"}] = 0; return p.Audit() },
		"paid differs":    func() error { p := newProgram(); p.paid = trst.MustParse("7"); return p.Audit() },
		"over budget": func() error {
			p := newProgram()
			p.cfg.Budget = trst.MustParse("5.5")
			return p.Audit()
		},
	} {
		err := audit()
		e, ok := errors.AsType[*Error](err)
		if !errors.Is(err, ErrAudit) || !ok || e.Op != "Audit" || fault.ClassOf(err) != fault.Internal || fault.CodeOf(err) != "roles.audit" {
			t.Errorf("%s: %v", name, err)
		}
	}
	d := newDir()
	d.events[1].Seq = 9
	if err := d.Audit(); !errors.Is(err, ErrInvalidLog) {
		t.Errorf("a log that does not replay: %v", err)
	}
}
