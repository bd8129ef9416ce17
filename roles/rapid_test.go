package roles_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/token"
)

// rapidAccounts includes two malformed accounts and the pool itself.
var rapidAccounts = []token.Account{"op", "op2", "p1", "p2", "s1", "s2", "u1", "u2", "pool", "reserve", "", "a b"}

var rapidRoles = []roles.Role{roles.Foreperson, roles.PlatformOperator, roles.ReferralPartner, roles.Sponsor, roles.GeneralUser, roles.Role(64), 0}

type rapidKey struct {
	kind roles.PayoutKind
	id   string
}

// programModel is the obviously-correct model the rapid test compares the program with.
type programModel struct {
	roles    map[token.Account]roles.Set
	balances map[token.Account]int64 // minor units
	referrer map[token.Account]token.Account
	bounties map[string]int64 // reward in units
	paid     map[rapidKey]int64
	total    int64
	budget   int64
	join     int64
	complete token.Ratio
}

func (m *programModel) mayPay(by token.Account) error {
	if by.Validate() != nil {
		return token.ErrInvalidAccount
	}
	if !m.roles[by].Has(roles.PlatformOperator) || by != "op" {
		return roles.ErrNotPermitted
	}
	return nil
}

func (m *programModel) has(a token.Account, r roles.Role) error {
	if a.Validate() != nil {
		return token.ErrInvalidAccount
	}
	if !m.roles[a].Has(r) {
		return roles.ErrNotPermitted
	}
	return nil
}

// funds checks the budget, then the pool.
func (m *programModel) funds(amount int64) error {
	if m.total+amount > m.budget {
		return roles.ErrOverBudget
	}
	if m.balances["pool"] < amount {
		return roles.ErrPoolExhausted
	}
	return nil
}

func (m *programModel) pay(k rapidKey, to token.Account, amount int64) {
	m.paid[k] = amount
	m.total += amount
	m.balances["pool"] -= amount
	m.balances[to] += amount
}

// rapidState is what a rejected command must leave unchanged.
type rapidState struct {
	Balances      map[token.Account]token.Amount
	LedgerEvents  []token.Event
	Payouts       []roles.Payout
	ProgramEvents []roles.ProgramEvent
	DirEvents     []roles.Event
	Paid          token.Amount
}

func capture(l *token.Ledger, d *roles.Directory, p *roles.Program) rapidState {
	s := rapidState{Balances: map[token.Account]token.Amount{}, LedgerEvents: slices.Collect(l.EventsAfter(0)), Payouts: p.Payouts(),
		ProgramEvents: p.Events(), DirEvents: d.Events(), Paid: p.Paid()}
	for _, a := range l.Accounts() {
		s.Balances[a] = l.Balance(a)
	}
	return s
}

// sameState compares two states field by field: what cmp.Equal would do, much faster (the
// rapid test compares states after every rejected command).
func sameState(a, b rapidState) bool {
	if len(a.Balances) != len(b.Balances) || len(a.LedgerEvents) != len(b.LedgerEvents) || len(a.Payouts) != len(b.Payouts) ||
		len(a.ProgramEvents) != len(b.ProgramEvents) || len(a.DirEvents) != len(b.DirEvents) || !a.Paid.Equal(b.Paid) {
		return false
	}
	for k, v := range a.Balances {
		if w, ok := b.Balances[k]; !ok || !v.Equal(w) {
			return false
		}
	}
	for i, e := range a.LedgerEvents {
		f := b.LedgerEvents[i]
		if e.Seq != f.Seq || e.Kind != f.Kind || e.From != f.From || e.To != f.To || e.Spender != f.Spender || !e.Amount.Equal(f.Amount) {
			return false
		}
	}
	samePayout := func(x, y roles.Payout) bool {
		return x.At.Equal(y.At) && x.Kind == y.Kind && x.ClaimID == y.ClaimID && x.To == y.To && x.Amount.Equal(y.Amount) && x.User == y.User && x.Event == y.Event
	}
	for i, x := range a.Payouts {
		if !samePayout(x, b.Payouts[i]) {
			return false
		}
	}
	for i, e := range a.ProgramEvents {
		f := b.ProgramEvents[i]
		if e.Seq != f.Seq || !e.At.Equal(f.At) || e.Kind != f.Kind || e.Account != f.Account || e.User != f.User ||
			(e.Bounty == nil) != (f.Bounty == nil) || (e.Payout == nil) != (f.Payout == nil) {
			return false
		}
		if e.Bounty != nil && (e.Bounty.ID != f.Bounty.ID || e.Bounty.Task != f.Bounty.Task || !e.Bounty.Reward.Equal(f.Bounty.Reward)) {
			return false
		}
		if e.Payout != nil && !samePayout(*e.Payout, *f.Payout) {
			return false
		}
	}
	for i, e := range a.DirEvents {
		f := b.DirEvents[i]
		if e.Seq != f.Seq || !e.At.Equal(f.At) || e.Kind != f.Kind || e.Account != f.Account || e.Roles != f.Roles || e.After != f.After {
			return false
		}
	}
	return true
}

// TestRapidRewardProgram drives a directory and a reward program with random valid and
// invalid commands (grants, revocations, referrals, referral claims, bounties, duplicate and
// unauthorised claims, claims over the budget or the pool, outside moves in and out of the
// pool) and checks after every step that the program never overdraws the pool or the
// budget, never pays a claim twice, matches the model, keeps Audit passing and the ledger's
// balances summing to the supply, and that every rejected command changed nothing.
func TestRapidRewardProgram(t *testing.T) {
	trst := token.TRST()
	rapid.Check(t, func(t *rapid.T) {
		supply := rapid.Int64Range(2, 100_000_000).Draw(t, "supply")
		pool := rapid.Int64Range(1, supply-1).Draw(t, "pool")
		l, err := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.FromInt64Units(supply), Grants: []token.Grant{
			{Account: "pool", Amount: trst.FromInt64Units(pool)},
			{Account: "reserve", Amount: trst.FromInt64Units(supply - pool)},
		}})
		if err != nil {
			t.Fatal(err)
		}
		dir := roles.NewDirectory()
		if err := dir.Grant(at(0), "op", roles.PlatformOperator); err != nil {
			t.Fatal(err)
		}
		m := &programModel{
			roles:    map[token.Account]roles.Set{"op": roles.SetOf(roles.PlatformOperator)},
			balances: map[token.Account]int64{"pool": pool, "reserve": supply - pool},
			referrer: map[token.Account]token.Account{},
			bounties: map[string]int64{},
			paid:     map[rapidKey]int64{},
			budget:   rapid.Int64Range(1, 2*pool+10).Draw(t, "budget"), // near the pool, so both limits bind
			join:     rapid.Int64Range(0, 5_000_000).Draw(t, "join"),
			complete: token.MustRatio(rapid.Uint64Range(0, 100).Draw(t, "completePerMille"), 1000),
		}
		p, err := roles.NewProgram(roles.ProgramConfig{Name: "rapid", Pool: "pool", Admin: "op",
			Budget: trst.FromInt64Units(m.budget), OnJoin: roles.Reward{Fixed: trst.FromInt64Units(m.join)},
			OnComplete: roles.Reward{Rate: m.complete}}, l, dir)
		if err != nil {
			t.Fatal(err)
		}
		account := func(label string) token.Account { return rapid.SampledFrom(rapidAccounts).Draw(t, label) }
		approver := func() token.Account {
			return rapid.OneOf(rapid.Just[token.Account]("op"), rapid.SampledFrom(rapidAccounts)).Draw(t, "by")
		}
		claimID := func() string { return rapid.SampledFrom([]string{"c0", "c1", "c2", "c3", "", "b0"}).Draw(t, "id") }
		step := 0
		// run executes a command whose expected outcome is want (nil or a sentinel) and
		// checks that a rejection changed nothing.
		run := func(name string, want error, do func() error) bool {
			step++
			before := capture(l, dir, p)
			err := do()
			if want == nil {
				if err != nil {
					t.Fatalf("%s: unexpected %v", name, err)
				}
				return true
			}
			if !errors.Is(err, want) {
				t.Fatalf("%s: got %v, want %v", name, err, want)
			}
			if after := capture(l, dir, p); !sameState(before, after) {
				t.Fatalf("%s was rejected (%v) but changed state:\n%s", name, err, cmp.Diff(before, after))
			}
			return false
		}

		t.Repeat(map[string]func(*rapid.T){
			"grant": func(t *rapid.T) {
				a, r := account("account"), rapid.SampledFrom(rapidRoles).Draw(t, "role")
				want := roleChangeErr(a, r)
				if run("grant", want, func() error { return dir.Grant(at(step), a, r) }) {
					m.roles[a] = m.roles[a].With(r)
				}
			},
			"revoke": func(t *rapid.T) {
				a, r := account("account"), rapid.SampledFrom(rapidRoles).Draw(t, "role")
				want := roleChangeErr(a, r)
				if run("revoke", want, func() error { return dir.Revoke(at(step), a, r) }) {
					m.roles[a] = m.roles[a].Without(r)
				}
			},
			"refer": func(t *rapid.T) {
				partner, user := account("partner"), account("user")
				want := m.has(partner, roles.ReferralPartner)
				if want == nil {
					_, referred := m.referrer[user]
					switch {
					case user.Validate() != nil:
						want = token.ErrInvalidAccount
					case user == partner:
						want = roles.ErrInvalidClaim
					case referred:
						want = roles.ErrAlreadyReferred
					}
				}
				if run("refer", want, func() error { return p.Refer(at(step), partner, user) }) {
					m.referrer[user] = partner
				}
			},
			"payReferral": func(t *rapid.T) {
				by := approver()
				base := rapid.Int64Range(0, 1_000_000_000).Draw(t, "base")
				c := roles.ReferralClaim{ID: claimID(), Partner: account("partner"), User: account("user"),
					Event: rapid.SampledFrom([]roles.CircleEvent{roles.Joined, roles.Completed, "left"}).Draw(t, "event"),
					Base:  trst.FromInt64Units(base)}
				var amount int64
				want := m.mayPay(by)
				if want == nil {
					_, dup := m.paid[rapidKey{roles.PayoutReferral, c.ID}]
					switch {
					case c.ID == "" || (c.Event != roles.Joined && c.Event != roles.Completed):
						want = roles.ErrInvalidClaim
					case dup:
						want = roles.ErrDuplicateClaim
					default:
						want = m.has(c.Partner, roles.ReferralPartner)
					}
				}
				if want == nil {
					amount = m.join
					if c.Event == roles.Completed {
						// floor(base x rate), computed here in int64 (base <= 1e9, num <= 100).
						amount = base * int64(m.complete.Num()) / int64(m.complete.Den())
					}
					switch {
					case c.User.Validate() != nil:
						want = token.ErrInvalidAccount
					case m.referrer[c.User] != c.Partner:
						want = roles.ErrNotReferred
					case amount == 0:
						want = roles.ErrNoReward
					case c.Partner == "pool":
						want = roles.ErrInvalidClaim
					default:
						want = m.funds(amount)
					}
				}
				var po roles.Payout
				if run("payReferral", want, func() (err error) { po, err = p.PayReferral(at(step), by, c); return err }) {
					if !po.Amount.Equal(trst.FromInt64Units(amount)) || po.To != c.Partner || po.ClaimID != c.ID {
						t.Fatalf("payout %+v, want %d units to %s", po, amount, c.Partner)
					}
					m.pay(rapidKey{roles.PayoutReferral, c.ID}, c.Partner, amount)
				}
			},
			"postBounty": func(t *rapid.T) {
				by := approver()
				reward := rapid.Int64Range(0, 20_000_000).Draw(t, "reward")
				b := roles.Bounty{ID: claimID(), Task: "task", Reward: trst.FromInt64Units(reward)}
				want := m.mayPay(by)
				if want == nil {
					_, dup := m.bounties[b.ID]
					switch {
					case b.ID == "":
						want = roles.ErrInvalidClaim
					case dup:
						want = roles.ErrDuplicateBounty
					case b.Reward.IsZero():
						want = token.ErrZeroAmount
					}
				}
				if run("postBounty", want, func() error { return p.PostBounty(at(step), by, b) }) {
					m.bounties[b.ID] = reward
				}
			},
			"acceptBounty": func(t *rapid.T) {
				by, id, sponsor := approver(), claimID(), account("sponsor")
				want := m.mayPay(by)
				reward, posted := m.bounties[id]
				if want == nil {
					_, dup := m.paid[rapidKey{roles.PayoutBounty, id}]
					switch {
					case !posted:
						want = roles.ErrUnknownBounty
					case dup:
						want = roles.ErrDuplicateClaim
					default:
						want = m.has(sponsor, roles.Sponsor)
					}
				}
				if want == nil {
					if sponsor == "pool" {
						want = roles.ErrInvalidClaim
					} else {
						want = m.funds(reward)
					}
				}
				if run("acceptBounty", want, func() error { _, err := p.AcceptBounty(at(step), by, id, sponsor); return err }) {
					m.pay(rapidKey{roles.PayoutBounty, id}, sponsor, reward)
				}
			},
			"moveOutsideProgram": func(t *rapid.T) {
				// Someone else drains or refills the pool through the ledger.
				from, to := token.Account("pool"), token.Account("reserve")
				if rapid.Bool().Draw(t, "refill") {
					from, to = to, from
				}
				u := rapid.Int64Range(0, m.balances[from]).Draw(t, "units")
				if err := l.Transfer(from, to, trst.FromInt64Units(u)); err != nil {
					t.Fatal(err)
				}
				m.balances[from] -= u
				m.balances[to] += u
			},
			"": func(t *rapid.T) {
				if err := p.Audit(); err != nil {
					t.Fatal(err)
				}
				if err := dir.Audit(); err != nil {
					t.Fatal(err)
				}
				var sum int64
				for a, u := range m.balances {
					sum += u
					if u < 0 {
						t.Fatalf("model: %s overdrawn", a)
					}
					if got := l.Balance(a); !got.Equal(trst.FromInt64Units(u)) {
						t.Fatalf("%s: ledger %s, model %d units", a, got, u)
					}
				}
				if sum != supply || !l.Supply().Equal(trst.FromInt64Units(supply)) {
					t.Fatalf("model sum %d, supply %d", sum, supply)
				}
				if m.total > m.budget || !p.Paid().Equal(trst.FromInt64Units(m.total)) {
					t.Fatalf("paid %s, model %d, budget %d", p.Paid(), m.total, m.budget)
				}
				payouts := p.Payouts()
				if len(payouts) != len(m.paid) {
					t.Fatalf("%d payouts, model %d", len(payouts), len(m.paid))
				}
				seen := map[rapidKey]bool{}
				for _, po := range payouts {
					k := rapidKey{po.Kind, po.ClaimID}
					if seen[k] {
						t.Fatalf("claim %v paid twice", k)
					}
					seen[k] = true
					if !po.Amount.Equal(trst.FromInt64Units(m.paid[k])) {
						t.Fatalf("claim %v paid %s, model %d", k, po.Amount, m.paid[k])
					}
				}
				for _, a := range rapidAccounts {
					if dir.Roles(a) != m.roles[a] {
						t.Fatalf("%q: roles %v, model %v", a, dir.Roles(a), m.roles[a])
					}
				}
			},
		})
	})
}

// roleChangeErr is the error the model expects from granting or revoking role r of a.
func roleChangeErr(a token.Account, r roles.Role) error {
	switch {
	case a.Validate() != nil:
		return token.ErrInvalidAccount
	case !r.Valid():
		return roles.ErrUnknownRole
	}
	return nil
}
