package roles_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/token"
)

func trst(s string) token.Amount { return token.TRST().MustParse(s) }

// fixture: a 1000 TRST ledger with pool funds in "pool" and the rest in "reserve"; an
// operator "op", a referral partner "ref", a sponsor "spo", a user "usr"; a program with the
// given budget, 5 TRST per join and 1% of the base per completion.
type fixture struct {
	l *token.Ledger
	d *roles.Directory
	p *roles.Program
}

func newFixture(t testing.TB, pool, budget string) fixture {
	t.Helper()
	rest, _ := trst("1000").Sub(trst(pool))
	grants := []token.Grant{{Account: "pool", Amount: trst(pool)}}
	if rest.Sign() > 0 {
		grants = append(grants, token.Grant{Account: "reserve", Amount: rest})
	}
	l, err := token.NewLedger(token.Genesis{Asset: token.TRST(), Supply: trst("1000"), Grants: grants})
	if err != nil {
		t.Fatal(err)
	}
	dir := roles.NewDirectory()
	_ = dir.Grant(at(0), "op", roles.PlatformOperator)
	_ = dir.Grant(at(0), "ref", roles.ReferralPartner, roles.GeneralUser)
	_ = dir.Grant(at(0), "spo", roles.Sponsor)
	_ = dir.Grant(at(0), "usr", roles.GeneralUser)
	p, err := roles.NewProgram(roles.ProgramConfig{
		Name: "growth", Pool: "pool", Admin: "op", Budget: trst(budget),
		OnJoin:     roles.Reward{Fixed: trst("5")},
		OnComplete: roles.Reward{Rate: token.MustRatio(1, 100)},
	}, l, dir)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{l, dir, p}
}

// snapshot is everything a rejected command must leave unchanged.
type snapshot struct {
	Balances      map[token.Account]token.Amount
	LedgerEvents  []token.Event
	Payouts       []roles.Payout
	ProgramEvents []roles.ProgramEvent
	Paid          token.Amount
	DirEvents     []roles.Event
}

func (f fixture) snap() snapshot {
	s := snapshot{Balances: map[token.Account]token.Amount{}, LedgerEvents: slices.Collect(f.l.EventsAfter(0)),
		Payouts: f.p.Payouts(), ProgramEvents: f.p.Events(), Paid: f.p.Paid(), DirEvents: f.d.Events()}
	for _, a := range f.l.Accounts() {
		s.Balances[a] = f.l.Balance(a)
	}
	return s
}

func TestProgramReferralPayouts(t *testing.T) {
	f := newFixture(t, "100", "50")
	if err := f.p.Refer(at(1), "ref", "usr"); err != nil {
		t.Fatal(err)
	}
	if a, ok := f.p.Referrer("usr"); !ok || a != "ref" {
		t.Fatalf("Referrer: %v %v", a, ok)
	}
	po, err := f.p.PayReferral(at(2), "op", roles.ReferralClaim{ID: "joined/usr/c1", Partner: "ref", User: "usr", Event: roles.Joined})
	if err != nil {
		t.Fatal(err)
	}
	want := roles.Payout{At: at(2), Kind: roles.PayoutReferral, ClaimID: "joined/usr/c1", To: "ref", Amount: trst("5"), User: "usr", Event: roles.Joined}
	if diff := cmp.Diff(want, po); diff != "" {
		t.Fatalf("payout (-want +got):\n%s", diff)
	}
	// 1% of 123.456789 TRST = 1.23456789 -> 1.234567 (rounded down to the minor unit).
	po, err = f.p.PayReferral(at(3), "op", roles.ReferralClaim{ID: "completed/usr/c1", Partner: "ref", User: "usr", Event: roles.Completed, Base: trst("123.456789")})
	if err != nil || !po.Amount.Equal(trst("1.234567")) {
		t.Fatalf("completion: %v %v", po, err)
	}
	if !f.l.Balance("ref").Equal(trst("6.234567")) || !f.l.Balance("pool").Equal(trst("93.765433")) {
		t.Fatalf("balances: ref %s pool %s", f.l.Balance("ref"), f.l.Balance("pool"))
	}
	if !f.p.Paid().Equal(trst("6.234567")) || !f.p.Remaining().Equal(trst("43.765433")) {
		t.Fatalf("paid %s remaining %s", f.p.Paid(), f.p.Remaining())
	}
	ev := f.p.Events()
	if len(ev) != 3 || ev[0].Kind != roles.ProgramReferred || ev[0].Account != "ref" || ev[0].User != "usr" ||
		ev[1].Kind != roles.ProgramPaid || ev[1].Payout.ClaimID != "joined/usr/c1" || ev[2].Seq != 3 {
		t.Fatalf("events: %+v", ev)
	}
	if err := f.p.Audit(); err != nil {
		t.Fatal(err)
	}
	// Events hands out copies: changing them changes nothing.
	ev[1].Payout.Amount = trst("999")
	if !f.p.Events()[1].Payout.Amount.Equal(trst("5")) {
		t.Fatal("Events shares payouts")
	}
}

func TestProgramBounty(t *testing.T) {
	f := newFixture(t, "100", "50")
	if err := f.p.PostBounty(at(1), "op", roles.Bounty{ID: "bug-17", Task: "fix the escape hatch", Reward: trst("20")}); err != nil {
		t.Fatal(err)
	}
	b, paid, ok := f.p.Bounty("bug-17")
	if !ok || paid || b.Task != "fix the escape hatch" || len(f.p.Bounties()) != 1 {
		t.Fatalf("bounty %+v %v %v", b, paid, ok)
	}
	po, err := f.p.AcceptBounty(at(2), "op", "bug-17", "spo")
	if err != nil || !po.Amount.Equal(trst("20")) || po.To != "spo" || po.Kind != roles.PayoutBounty {
		t.Fatalf("accept: %+v %v", po, err)
	}
	if _, paid, _ := f.p.Bounty("bug-17"); !paid || !f.l.Balance("spo").Equal(trst("20")) {
		t.Fatal("not paid")
	}
	// Paid once: a second acceptance, for anyone, is a duplicate claim.
	before := f.snap()
	_, err = f.p.AcceptBounty(at(3), "op", "bug-17", "spo")
	var ce *roles.Error
	if !errors.Is(err, roles.ErrDuplicateClaim) || !errors.As(err, &ce) || ce.Detail != `program "growth", claim "bug-17"` || ce.Account != "spo" || ce.Op != "AcceptBounty" {
		t.Fatalf("second accept: %v", err)
	}
	if diff := cmp.Diff(before, f.snap()); diff != "" {
		t.Fatalf("changed:\n%s", diff)
	}
	if err := f.p.Audit(); err != nil {
		t.Fatal(err)
	}
	// A referral claim may reuse a bounty's id: the namespaces are separate.
	_ = f.p.Refer(at(4), "ref", "usr")
	if _, err := f.p.PayReferral(at(5), "op", roles.ReferralClaim{ID: "bug-17", Partner: "ref", User: "usr", Event: roles.Joined}); err != nil {
		t.Fatal(err)
	}
}

func TestProgramRejections(t *testing.T) {
	f := newFixture(t, "10", "8")
	_ = f.d.Grant(at(0), "op2", roles.PlatformOperator)
	_ = f.d.Grant(at(0), "ref2", roles.ReferralPartner)
	_ = f.d.Grant(at(0), "pool", roles.ReferralPartner, roles.Sponsor) // the pool cannot pay itself
	_ = f.p.Refer(at(1), "ref", "usr")
	_ = f.p.Refer(at(1), "pool", "usr2")
	_ = f.p.PostBounty(at(1), "op", roles.Bounty{ID: "big", Task: "t", Reward: trst("9")})
	_ = f.p.PostBounty(at(1), "op", roles.Bounty{ID: "small", Task: "t", Reward: trst("1")})
	if _, err := f.p.PayReferral(at(2), "op", roles.ReferralClaim{ID: "paid", Partner: "ref", User: "usr", Event: roles.Joined}); err != nil {
		t.Fatal(err) // 5 of the budget of 8 used; 5 of the pool of 10 left
	}
	join := func(id string) roles.ReferralClaim {
		return roles.ReferralClaim{ID: id, Partner: "ref", User: "usr", Event: roles.Joined}
	}
	for _, c := range []struct {
		name string
		do   func() error
		want error
	}{
		{"approver not operator", func() error { _, err := f.p.PayReferral(at(3), "ref", join("x")); return err }, roles.ErrNotPermitted},
		{"approver not admin", func() error { _, err := f.p.PayReferral(at(3), "op2", join("x")); return err }, roles.ErrNotPermitted},
		{"approver malformed", func() error { _, err := f.p.PayReferral(at(3), "", join("x")); return err }, token.ErrInvalidAccount},
		{"empty id", func() error { _, err := f.p.PayReferral(at(3), "op", join("")); return err }, roles.ErrInvalidClaim},
		{"unknown event", func() error {
			c := join("x")
			c.Event = "left"
			_, err := f.p.PayReferral(at(3), "op", c)
			return err
		}, roles.ErrInvalidClaim},
		{"duplicate", func() error { _, err := f.p.PayReferral(at(3), "op", join("paid")); return err }, roles.ErrDuplicateClaim},
		{"partner lacks role", func() error {
			c := join("x")
			c.Partner = "spo"
			_, err := f.p.PayReferral(at(3), "op", c)
			return err
		}, roles.ErrNotPermitted},
		{"not referred by partner", func() error {
			c := join("x")
			c.Partner = "ref2"
			_, err := f.p.PayReferral(at(3), "op", c)
			return err
		}, roles.ErrNotReferred},
		{"user never referred", func() error {
			c := join("x")
			c.User = "stranger"
			_, err := f.p.PayReferral(at(3), "op", c)
			return err
		}, roles.ErrNotReferred},
		{"user malformed", func() error {
			c := join("x")
			c.User = "a b"
			_, err := f.p.PayReferral(at(3), "op", c)
			return err
		}, token.ErrInvalidAccount},
		{"no reward", func() error {
			_, err := f.p.PayReferral(at(3), "op", roles.ReferralClaim{ID: "x", Partner: "ref", User: "usr", Event: roles.Completed, Base: trst("0.000099")})
			return err
		}, roles.ErrNoReward},
		{"negative base", func() error {
			_, err := f.p.PayReferral(at(3), "op", roles.ReferralClaim{ID: "x", Partner: "ref", User: "usr", Event: roles.Completed, Base: trst("-1")})
			return err
		}, token.ErrNegativeAmount},
		{"base of another asset", func() error {
			_, err := f.p.PayReferral(at(3), "op", roles.ReferralClaim{ID: "x", Partner: "ref", User: "usr", Event: roles.Completed, Base: token.ETH().MustParse("1")})
			return err
		}, token.ErrAssetMismatch},
		{"time in year 10000", func() error {
			_, err := f.p.PayReferral(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "op", join("x2"))
			return err
		}, token.ErrInvalidTime},
		{"claim id not UTF-8", func() error { _, err := f.p.PayReferral(at(3), "op", join("a\xffb")); return err }, roles.ErrInvalidClaim},
		{"claimant is the pool", func() error {
			_, err := f.p.PayReferral(at(3), "op", roles.ReferralClaim{ID: "x", Partner: "pool", User: "usr2", Event: roles.Joined})
			return err
		}, roles.ErrInvalidClaim},
		{"over budget", func() error { _, err := f.p.AcceptBounty(at(3), "op", "big", "spo"); return err }, roles.ErrOverBudget},
		{"unknown bounty", func() error { _, err := f.p.AcceptBounty(at(3), "op", "nope", "spo"); return err }, roles.ErrUnknownBounty},
		{"bounty to non-sponsor", func() error { _, err := f.p.AcceptBounty(at(3), "op", "small", "usr"); return err }, roles.ErrNotPermitted},
		{"bounty approver", func() error { _, err := f.p.AcceptBounty(at(3), "spo", "small", "spo"); return err }, roles.ErrNotPermitted},
		{"bounty to the pool", func() error { _, err := f.p.AcceptBounty(at(3), "op", "small", "pool"); return err }, roles.ErrInvalidClaim},
		{"post by non-admin", func() error {
			return f.p.PostBounty(at(3), "op2", roles.Bounty{ID: "n", Reward: trst("1")})
		}, roles.ErrNotPermitted},
		{"post duplicate", func() error {
			return f.p.PostBounty(at(3), "op", roles.Bounty{ID: "small", Reward: trst("1")})
		}, roles.ErrDuplicateBounty},
		{"post empty id", func() error { return f.p.PostBounty(at(3), "op", roles.Bounty{Reward: trst("1")}) }, roles.ErrInvalidClaim},
		{"post zero reward", func() error { return f.p.PostBounty(at(3), "op", roles.Bounty{ID: "n", Reward: trst("0")}) }, token.ErrZeroAmount},
		{"post no reward", func() error { return f.p.PostBounty(at(3), "op", roles.Bounty{ID: "n"}) }, token.ErrInvalidAsset},
		{"post reward of another asset", func() error {
			return f.p.PostBounty(at(3), "op", roles.Bounty{ID: "n", Reward: token.ETH().MustParse("1")})
		}, token.ErrAssetMismatch},
		{"post negative reward", func() error {
			return f.p.PostBounty(at(3), "op", roles.Bounty{ID: "n", Reward: trst("-1")})
		}, token.ErrNegativeAmount},
		{"post id not UTF-8", func() error {
			return f.p.PostBounty(at(3), "op", roles.Bounty{ID: "a\xfeb", Reward: trst("1")})
		}, roles.ErrInvalidClaim},
		{"post task not UTF-8", func() error {
			return f.p.PostBounty(at(3), "op", roles.Bounty{ID: "n", Task: "\xff", Reward: trst("1")})
		}, roles.ErrInvalidClaim},
		{"post in year 0", func() error {
			return f.p.PostBounty(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), "op", roles.Bounty{ID: "n", Reward: trst("1")})
		}, token.ErrInvalidTime},
		{"accept in year 10000", func() error {
			_, err := f.p.AcceptBounty(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "op", "small", "spo")
			return err
		}, token.ErrInvalidTime},
		{"refer in year 10000", func() error { return f.p.Refer(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "ref2", "new") }, token.ErrInvalidTime},
		{"refer by non-partner", func() error { return f.p.Refer(at(3), "spo", "new") }, roles.ErrNotPermitted},
		{"refer self", func() error { return f.p.Refer(at(3), "ref", "ref") }, roles.ErrInvalidClaim},
		{"refer twice", func() error { return f.p.Refer(at(3), "ref2", "usr") }, roles.ErrAlreadyReferred},
		{"refer malformed user", func() error { return f.p.Refer(at(3), "ref", "") }, token.ErrInvalidAccount},
	} {
		before := f.snap()
		err := c.do()
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if diff := cmp.Diff(before, f.snap()); diff != "" {
			t.Errorf("%s changed state:\n%s", c.name, diff)
		}
	}
	if err := f.p.Audit(); err != nil {
		t.Fatal(err)
	}
}

func TestProgramFundsErrors(t *testing.T) {
	f := newFixture(t, "12", "100")
	_ = f.p.PostBounty(at(1), "op", roles.Bounty{ID: "a", Task: "t", Reward: trst("8")})
	_ = f.p.PostBounty(at(1), "op", roles.Bounty{ID: "b", Task: "t", Reward: trst("8")})
	if _, err := f.p.AcceptBounty(at(2), "op", "a", "spo"); err != nil {
		t.Fatal(err)
	}
	// The pool holds 4; the budget allows 92.
	before := f.snap()
	_, err := f.p.AcceptBounty(at(3), "op", "b", "spo")
	var fe *roles.Error
	if !errors.Is(err, roles.ErrPoolExhausted) || !errors.As(err, &fe) || !fe.Amount.Equal(trst("8")) || !fe.Limit.Equal(trst("4")) || !strings.HasPrefix(fe.Detail, `claim "b" needs`) {
		t.Fatalf("pool: %v", err)
	}
	if want := `roles: pool balance too low: claim "b" needs 8.000000 TRST; the pool "pool" can spend 4.000000 TRST (op AcceptBounty, account spo, amount 8.000000 TRST, limit 4.000000 TRST)`; err.Error() != want {
		t.Fatalf("message\n got %s\nwant %s", err, want)
	}
	if diff := cmp.Diff(before, f.snap()); diff != "" {
		t.Fatalf("changed:\n%s", diff)
	}
	// Refill the pool from outside the program; the bounty is still unpaid and now pays.
	if err := f.l.Transfer("reserve", "pool", trst("4")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.p.AcceptBounty(at(4), "op", "b", "spo"); err != nil {
		t.Fatal(err)
	}
	if !f.l.Balance("pool").IsZero() || !f.p.Remaining().Equal(trst("84")) {
		t.Fatalf("pool %s remaining %s", f.l.Balance("pool"), f.p.Remaining())
	}
	if err := f.p.Audit(); err != nil {
		t.Fatal(err)
	}

	g := newFixture(t, "100", "10")
	_ = g.p.PostBounty(at(1), "op", roles.Bounty{ID: "a", Task: "t", Reward: trst("7")})
	_ = g.p.PostBounty(at(1), "op", roles.Bounty{ID: "b", Task: "t", Reward: trst("3.000001")})
	_, _ = g.p.AcceptBounty(at(2), "op", "a", "spo")
	_, err = g.p.AcceptBounty(at(3), "op", "b", "spo")
	if !errors.Is(err, roles.ErrOverBudget) || !errors.As(err, &fe) || !fe.Limit.Equal(trst("3")) || !fe.Amount.Equal(trst("3.000001")) {
		t.Fatalf("budget: %v", err)
	}
	if want := `roles: program budget exceeded: claim "b" needs 3.000001 TRST; the budget of program "growth" has 3.000000 TRST left (op AcceptBounty, account spo, amount 3.000001 TRST, limit 3.000000 TRST)`; err.Error() != want {
		t.Fatalf("message\n got %s\nwant %s", err, want)
	}
}

func TestProgramRoleRevokedLater(t *testing.T) {
	f := newFixture(t, "100", "50")
	_ = f.p.Refer(at(1), "ref", "usr")
	_ = f.d.Revoke(at(2), "ref", roles.ReferralPartner)
	if _, err := f.p.PayReferral(at(3), "op", roles.ReferralClaim{ID: "j", Partner: "ref", User: "usr", Event: roles.Joined}); !errors.Is(err, roles.ErrNotPermitted) {
		t.Fatalf("revoked partner paid: %v", err)
	}
	_ = f.d.Revoke(at(4), "op", roles.PlatformOperator)
	var pe *roles.Error
	err := f.p.PostBounty(at(5), "op", roles.Bounty{ID: "x", Reward: trst("1")})
	if !errors.As(err, &pe) || pe.Account != "op" || pe.Detail != "lacks the role operator, which is required to pay from a reward program" || !errors.Is(err, roles.ErrNotPermitted) {
		t.Fatalf("revoked admin: %v", err)
	}
}

func TestNewProgramErrors(t *testing.T) {
	f := newFixture(t, "100", "50")
	base := roles.ProgramConfig{Name: "p", Pool: "pool", Admin: "op", Budget: trst("10")}
	for _, c := range []struct {
		name   string
		mutate func(*roles.ProgramConfig)
		ledger bool
		dir    bool
		want   error
	}{
		{"no name", func(c *roles.ProgramConfig) { c.Name = "" }, true, true, roles.ErrInvalidProgram},
		{"bad pool", func(c *roles.ProgramConfig) { c.Pool = "" }, true, true, token.ErrInvalidAccount},
		{"bad admin", func(c *roles.ProgramConfig) { c.Admin = "a b" }, true, true, token.ErrInvalidAccount},
		{"admin is pool", func(c *roles.ProgramConfig) { c.Admin = "pool" }, true, true, roles.ErrInvalidProgram},
		{"zero budget", func(c *roles.ProgramConfig) { c.Budget = trst("0") }, true, true, roles.ErrInvalidProgram},
		{"no budget", func(c *roles.ProgramConfig) { c.Budget = token.Amount{} }, true, true, roles.ErrInvalidProgram},
		{"name not UTF-8", func(c *roles.ProgramConfig) { c.Name = "p\xff" }, true, true, roles.ErrInvalidProgram},
		{"negative reward", func(c *roles.ProgramConfig) { c.OnJoin.Fixed = trst("-1") }, true, true, roles.ErrInvalidProgram},
		{"budget of another asset", func(c *roles.ProgramConfig) { c.Budget = token.ETH().MustParse("10") }, true, true, token.ErrAssetMismatch},
		{"reward of another asset", func(c *roles.ProgramConfig) { c.OnComplete.Fixed = token.ETH().MustParse("1") }, true, true, token.ErrAssetMismatch},
		{"admin not operator", func(c *roles.ProgramConfig) { c.Admin = "spo" }, true, true, roles.ErrNotPermitted},
		{"no ledger", func(*roles.ProgramConfig) {}, false, true, roles.ErrInvalidProgram},
		{"no directory", func(*roles.ProgramConfig) {}, true, false, roles.ErrInvalidProgram},
	} {
		cfg := base
		c.mutate(&cfg)
		l, dir := f.l, f.d
		if !c.ledger {
			l = nil
		}
		if !c.dir {
			dir = nil
		}
		_, err := roles.NewProgram(cfg, l, dir)
		var pe *roles.Error
		if !errors.Is(err, c.want) || !errors.Is(err, roles.ErrInvalidProgram) || !errors.As(err, &pe) ||
			!strings.HasPrefix(pe.Detail, "program "+strconv.QuoteToASCII(cfg.Name)+": ") || pe.Code() != "roles.invalid_program" {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestReward(t *testing.T) {
	r := roles.Reward{Fixed: trst("1"), Rate: token.MustRatio(1, 3)}
	// 1 + floor(10 TRST / 3 in units) = 1 + 3.333333.
	got, err := r.Amount(token.TRST(), trst("10"))
	if err != nil || !got.Equal(trst("4.333333")) {
		t.Fatalf("%s %v", got, err)
	}
	if _, err := (roles.Reward{Fixed: trst("-1")}).Amount(token.TRST(), trst("1")); !errors.Is(err, token.ErrNegativeAmount) {
		t.Fatalf("negative fixed: %v", err)
	}
	if got, _ := (roles.Reward{}).Amount(token.TRST(), trst("1000")); !got.IsZero() || got.Asset() != token.TRST() {
		t.Fatalf("zero reward pays %s", got)
	}
	if got, err := r.Amount(token.TRST(), token.Amount{}); err != nil || !got.Equal(trst("1")) {
		t.Fatalf("no base: %s %v", got, err)
	}
	if _, err := r.Amount(token.TRST(), token.ETH().MustParse("1")); !errors.Is(err, token.ErrAssetMismatch) {
		t.Fatalf("base of another asset: %v", err)
	}
	if _, err := r.Amount(token.ETH(), token.ETH().MustParse("1")); !errors.Is(err, token.ErrAssetMismatch) {
		t.Fatalf("fixed of another asset: %v", err)
	}
	// A sub-unit amount cannot be made, so it cannot reach a program: 0.0000001 TRST and
	// 1.0000001 TRST do not parse.
	for _, s := range []string{"0.0000001", "1.0000001"} {
		if _, err := token.TRST().Parse(s); !errors.Is(err, token.ErrSubUnitAmount) {
			t.Errorf("Parse(%s): %v", s, err)
		}
	}
}
