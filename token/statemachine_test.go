package token_test

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/token"
	"github.com/trustcircle/trustcircle/token/tokentest"
)

// ledgerModel is the obviously-correct model of a Ledger: maps of big.Int minor units.
type ledgerModel struct {
	asset  token.Asset
	supply *big.Int
	bal    map[token.Account]*big.Int
	allow  map[[2]token.Account]*big.Int
	grants []*modelGrant
	frozen bool
	admin  token.Account
	until  time.Time
}

type modelGrant struct {
	granter, ben, escrow      token.Account
	s                         token.Schedule
	total, entitled, released *big.Int
	revocable, revoked        bool
}

// holder is the account whose balance holds the grant's locked amount.
func (g *modelGrant) holder() token.Account {
	if g.escrow != "" {
		return g.escrow
	}
	return g.ben
}

// frozenErr is the model of the transfer freeze: ErrFrozen for a move out of from.
func (m *ledgerModel) frozenErr(from token.Account) error {
	if m.frozen && from != m.admin {
		return token.ErrFrozen
	}
	return nil
}

func (m *ledgerModel) units(d token.Amount) *big.Int { return d.Units() }

// amt returns u minor units of the model's asset.
func (m *ledgerModel) amt(u *big.Int) token.Amount {
	x, err := m.asset.FromUnits(u)
	if err != nil {
		panic(err)
	}
	return x
}

func (m *ledgerModel) get(a token.Account) *big.Int {
	if b, ok := m.bal[a]; ok {
		return b
	}
	return new(big.Int)
}

func (m *ledgerModel) allowance(o, s token.Account) *big.Int {
	if v, ok := m.allow[[2]token.Account{o, s}]; ok {
		return v
	}
	return new(big.Int)
}

func (m *ledgerModel) locked(a token.Account) *big.Int {
	sum := new(big.Int)
	for _, g := range m.grants {
		if g.holder() == a {
			sum.Add(sum, new(big.Int).Sub(g.entitled, g.released))
		}
	}
	return sum
}

func (m *ledgerModel) spendable(a token.Account) *big.Int {
	return new(big.Int).Sub(m.get(a), m.locked(a))
}

func (m *ledgerModel) move(from, to token.Account, u *big.Int) {
	f, t := m.get(from), m.get(to)
	m.bal[from] = new(big.Int).Sub(f, u)
	m.bal[to] = new(big.Int).Add(m.get(to), u)
	if from == to {
		m.bal[to] = new(big.Int).Set(t)
	}
}

func (m *ledgerModel) vested(g *modelGrant, at time.Time) *big.Int {
	v := refVested(g.s, at)
	if v.Cmp(g.released) < 0 {
		v.Set(g.released)
	}
	if v.Cmp(g.entitled) > 0 {
		v.Set(g.entitled)
	}
	return v
}

// amountErr is the model of Asset.Check: the reason it returns, or nil.
func (m *ledgerModel) amountErr(d token.Amount) error {
	switch {
	case !d.IsValid():
		return token.ErrInvalidAsset
	case d.Asset() != m.asset:
		return token.ErrAssetMismatch
	case d.Sign() < 0:
		return token.ErrNegativeAmount
	}
	return nil
}

func accountErr(accs ...token.Account) error {
	for _, a := range accs {
		if a.Validate() != nil {
			return token.ErrInvalidAccount
		}
	}
	return nil
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

var smAccounts = []token.Account{"alice", "bob", "carol", "dave"}

// TestRapidLedgerStateMachine runs random sequences of valid and invalid commands against a
// Ledger and the model. Each command's outcome (success, or the exact sentinel) must match
// the model; a rejected command must leave the ledger's snapshot byte for byte unchanged;
// after every step Audit passes, the balances sum to the supply, and every balance, locked
// amount, allowance and grant matches the model. At the end the ledger passes
// tokentest.CheckLedger (including the JSON snapshot round trip).
func TestRapidLedgerStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		asset := tokentest.Asset().Draw(t, "asset")
		g := token.Genesis{Asset: asset, Supply: asset.Zero()}
		for _, a := range smAccounts[:3] {
			amt := tokentest.Amount(asset, asset.MustParse("1000")).Draw(t, "grant")
			g.Grants = append(g.Grants, token.Grant{Account: a, Amount: amt})
			g.Supply = sumOf(g.Supply, amt)
		}
		if g.Supply.IsZero() {
			g.Grants[0].Amount, g.Supply = asset.MustParse("1"), asset.MustParse("1")
		}
		l, err := token.NewLedger(g)
		if err != nil {
			t.Fatal(err)
		}
		m := &ledgerModel{asset: asset, bal: map[token.Account]*big.Int{}, allow: map[[2]token.Account]*big.Int{}}
		m.supply = m.units(g.Supply)
		for _, gr := range g.Grants {
			m.bal[gr.Account] = m.units(gr.Amount)
		}
		now := tokentest.Epoch()

		account := func(t *rapid.T, label string) token.Account {
			if rapid.IntRange(0, 15).Draw(t, label+"_bad") == 0 {
				return tokentest.InvalidAccount().Draw(t, label)
			}
			return rapid.SampledFrom(smAccounts).Draw(t, label)
		}
		// amount draws a valid amount up to about limit (plus a little, to cross it), or
		// sometimes an invalid one.
		amount := func(t *rapid.T, limit *big.Int) token.Amount {
			switch rapid.IntRange(0, 9).Draw(t, "amount_kind") {
			case 0:
				return tokentest.InvalidAmount(asset).Draw(t, "bad_amount")
			case 1, 2:
				return tokentest.Amount(asset, asset.MustParse("3000")).Draw(t, "any_amount")
			default:
				max := new(big.Int).Add(limit, big.NewInt(2))
				if max.Sign() < 0 {
					max.SetInt64(2)
				}
				return m.amt(tokentest.Units(max).Draw(t, "amount"))
			}
		}
		// run checks the command's error against the model's and that a rejection changed
		// nothing; it reports whether the command was accepted.
		run := func(t *rapid.T, want error, cmd func() error) bool {
			before, err := l.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			got := cmd()
			if want == nil {
				if got != nil {
					t.Fatalf("model accepts, ledger rejects: %v", got)
				}
				return true
			}
			if !errors.Is(got, want) {
				t.Fatalf("want error %v, got %v", want, got)
			}
			after, _ := l.MarshalJSON()
			if !bytes.Equal(before, after) {
				t.Fatalf("rejected command (%v) changed the ledger", got)
			}
			return false
		}

		t.Repeat(map[string]func(*rapid.T){
			"transfer": func(t *rapid.T) {
				from, to := account(t, "from"), account(t, "to")
				amt := amount(t, m.spendable(from))
				want := firstErr(accountErr(from, to), m.amountErr(amt), m.frozenErr(from))
				if want == nil && m.spendable(from).Cmp(m.units(amt)) < 0 {
					want = token.ErrInsufficientBalance
				}
				if run(t, want, func() error { return l.Transfer(from, to, amt) }) {
					m.move(from, to, m.units(amt))
				}
			},
			"transferFrom": func(t *rapid.T) {
				spender, from, to := account(t, "spender"), account(t, "from"), account(t, "to")
				amt := amount(t, m.allowance(from, spender))
				want := firstErr(accountErr(spender, from, to), m.amountErr(amt), m.frozenErr(from))
				if want == nil {
					u := m.units(amt)
					if m.allowance(from, spender).Cmp(u) < 0 {
						want = token.ErrInsufficientAllowance
					} else if m.spendable(from).Cmp(u) < 0 {
						want = token.ErrInsufficientBalance
					}
				}
				if run(t, want, func() error { return l.TransferFrom(spender, from, to, amt) }) {
					u := m.units(amt)
					m.allow[[2]token.Account{from, spender}] = new(big.Int).Sub(m.allowance(from, spender), u)
					m.move(from, to, u)
				}
			},
			"approve": func(t *rapid.T) {
				owner, spender := account(t, "owner"), account(t, "spender")
				amt := amount(t, m.get(owner))
				want := firstErr(accountErr(owner, spender), m.amountErr(amt))
				if run(t, want, func() error { return l.Approve(owner, spender, amt) }) {
					m.allow[[2]token.Account{owner, spender}] = m.units(amt)
				}
			},
			"compareAndApprove": func(t *rapid.T) {
				owner, spender := account(t, "owner"), account(t, "spender")
				cur := m.allowance(owner, spender)
				var expected token.Amount
				switch rapid.IntRange(0, 3).Draw(t, "expected_kind") {
				case 0, 1:
					expected = m.amt(cur)
				case 2:
					expected = m.amt(new(big.Int).Add(cur, big.NewInt(1)))
				default:
					expected = amount(t, cur)
				}
				next := amount(t, m.get(owner))
				want := firstErr(accountErr(owner, spender), m.amountErr(next), m.amountErr(expected))
				if want == nil && m.units(expected).Cmp(cur) != 0 {
					want = token.ErrAllowanceChanged
				}
				if run(t, want, func() error { return l.CompareAndApprove(owner, spender, expected, next) }) {
					m.allow[[2]token.Account{owner, spender}] = m.units(next)
				} else if want == token.ErrAllowanceChanged {
					err := l.CompareAndApprove(owner, spender, expected, next)
					ae, ok := errors.AsType[*token.Error](err)
					if !ok || !ae.Limit.Equal(m.amt(cur)) || !ae.Amount.Equal(expected) {
						t.Fatalf("mismatch error %v does not report the current allowance %s", err, m.amt(cur))
					}
				}
			},
			"increaseAllowance": func(t *rapid.T) {
				owner, spender := account(t, "owner"), account(t, "spender")
				amt := amount(t, m.get(owner))
				want := firstErr(accountErr(owner, spender), m.amountErr(amt))
				if run(t, want, func() error { return l.IncreaseAllowance(owner, spender, amt) }) {
					m.allow[[2]token.Account{owner, spender}] = new(big.Int).Add(m.allowance(owner, spender), m.units(amt))
				}
			},
			"decreaseAllowance": func(t *rapid.T) {
				owner, spender := account(t, "owner"), account(t, "spender")
				amt := amount(t, m.allowance(owner, spender))
				want := firstErr(accountErr(owner, spender), m.amountErr(amt))
				if want == nil && m.allowance(owner, spender).Cmp(m.units(amt)) < 0 {
					want = token.ErrInsufficientAllowance
				}
				if run(t, want, func() error { return l.DecreaseAllowance(owner, spender, amt) }) {
					m.allow[[2]token.Account{owner, spender}] = new(big.Int).Sub(m.allowance(owner, spender), m.units(amt))
				}
			},
			"vest": func(t *rapid.T) {
				granter, ben := account(t, "granter"), account(t, "beneficiary")
				var escrow token.Account
				inEscrow := rapid.IntRange(0, 2).Draw(t, "in_escrow") == 0
				if inEscrow {
					escrow = account(t, "escrow")
				}
				total := amount(t, m.spendable(granter))
				s := token.Schedule{Total: total}
				if m.amountErr(total) == nil && total.Sign() > 0 {
					s = tokentest.Schedule(total, now).Draw(t, "schedule")
					if rapid.Bool().Draw(t, "calendar") {
						s = tokentest.CalendarSchedule(total, now).Draw(t, "calendar_schedule")
					}
				}
				if rapid.IntRange(0, 9).Draw(t, "bad_schedule") == 0 {
					s.End = s.Start
				}
				revocable := rapid.Bool().Draw(t, "revocable")
				want := accountErr(granter, ben)
				if inEscrow {
					want = accountErr(escrow, granter, ben)
				}
				if want == nil && s.Validate() != nil {
					want = token.ErrInvalidSchedule
				}
				if want == nil {
					want = m.frozenErr(granter)
				}
				if want == nil && m.spendable(granter).Cmp(m.units(total)) < 0 {
					want = token.ErrInsufficientBalance
				}
				var id token.VestingID
				vest := func() error {
					var err error
					if inEscrow {
						id, err = l.VestInEscrow(granter, escrow, ben, s, revocable)
					} else {
						id, err = l.Vest(granter, ben, s, revocable)
					}
					return err
				}
				if run(t, want, vest) {
					u := m.units(total)
					g := &modelGrant{granter: granter, ben: ben, escrow: escrow, s: s, total: u,
						entitled: new(big.Int).Set(u), released: new(big.Int), revocable: revocable}
					m.grants = append(m.grants, g)
					m.move(granter, g.holder(), u)
					if id != token.VestingID(len(m.grants)) {
						t.Fatalf("id %d, want %d", id, len(m.grants))
					}
				}
			},
			"freeze": func(t *rapid.T) {
				admin := account(t, "admin")
				var until time.Time
				if rapid.Bool().Draw(t, "until") {
					until = now.Add(time.Duration(rapid.Int64Range(0, 100*24*3600).Draw(t, "until_s")) * time.Second)
				}
				want := accountErr(admin)
				if want == nil && m.frozen {
					want = token.ErrFrozen
				}
				if run(t, want, func() error { return l.Freeze(admin, until) }) {
					m.frozen, m.admin, m.until = true, admin, until
				}
			},
			"unfreeze": func(t *rapid.T) {
				admin := account(t, "admin")
				if m.frozen && rapid.Bool().Draw(t, "the_admin") {
					admin = m.admin
				}
				want := accountErr(admin)
				switch {
				case want != nil:
				case !m.frozen:
					want = token.ErrNotFrozen
				case admin != m.admin:
					want = token.ErrNotAdmin
				}
				if run(t, want, func() error { return l.Unfreeze(admin) }) {
					m.frozen = false
				}
			},
			"thaw": func(t *rapid.T) {
				lifts := m.frozen && !m.until.IsZero() && !now.Before(m.until)
				before := l.LastSeq()
				got, err := l.Thaw(now)
				if err != nil || got != lifts || l.LastSeq() != before+uint64(map[bool]int{false: 0, true: 1}[lifts]) {
					t.Fatalf("Thaw(%v) = %t, %v; model lifts %t (until %v)", now, got, err, lifts, m.until)
				}
				if lifts {
					m.frozen = false
				}
				if _, frozen := l.Frozen(); frozen != m.frozen {
					t.Fatalf("frozen %t, model %t", frozen, m.frozen)
				}
			},
			"release": func(t *rapid.T) {
				id := token.VestingID(rapid.IntRange(0, len(m.grants)+1).Draw(t, "id"))
				var want error
				var g *modelGrant
				var u *big.Int
				if id == 0 || int(id) > len(m.grants) {
					want = token.ErrUnknownVesting
				} else {
					g = m.grants[id-1]
					u = new(big.Int).Sub(m.vested(g, now), g.released)
					if u.Sign() <= 0 {
						want = token.ErrNothingToRelease
					}
				}
				var got token.Amount
				if run(t, want, func() error { var err error; got, err = l.Release(now, id); return err }) {
					if !got.Equal(m.amt(u)) {
						t.Fatalf("released %s, model %s", got, m.amt(u))
					}
					g.released.Add(g.released, u)
					if g.escrow != "" {
						m.move(g.escrow, g.ben, u)
					}
				}
			},
			"revoke": func(t *rapid.T) {
				id := token.VestingID(rapid.IntRange(0, len(m.grants)+1).Draw(t, "id"))
				var want error
				var g *modelGrant
				switch {
				case id == 0 || int(id) > len(m.grants):
					want = token.ErrUnknownVesting
				case !m.grants[id-1].revocable:
					want = token.ErrNotRevocable
				case m.grants[id-1].revoked:
					want = token.ErrAlreadyRevoked
				default:
					g = m.grants[id-1]
				}
				var got token.Amount
				if run(t, want, func() error { var err error; got, err = l.Revoke(now, id); return err }) {
					v := m.vested(g, now)
					back := new(big.Int).Sub(g.entitled, v)
					if !got.Equal(m.amt(back)) {
						t.Fatalf("revoke returned %s, model %s", got, m.amt(back))
					}
					g.entitled, g.revoked = v, true
					m.move(g.holder(), g.granter, back)
				}
			},
			"advance": func(t *rapid.T) {
				now = now.Add(time.Duration(rapid.Int64Range(0, 400*24*3600).Draw(t, "seconds")) * time.Second)
			},
			"": func(t *rapid.T) {
				if err := l.Audit(); err != nil {
					t.Fatal(err)
				}
				sum := asset.Zero()
				for _, a := range l.Accounts() {
					sum = sumOf(sum, l.Balance(a))
				}
				if !sum.Equal(l.Supply()) || !l.Supply().Equal(m.amt(m.supply)) {
					t.Fatalf("balances sum to %s, supply %s", sum, l.Supply())
				}
				for _, a := range smAccounts {
					if !l.Balance(a).Equal(m.amt(m.get(a))) {
						t.Fatalf("%s: balance %s, model %s", a, l.Balance(a), m.amt(m.get(a)))
					}
					if !l.Locked(a).Equal(m.amt(m.locked(a))) {
						t.Fatalf("%s: locked %s, model %s", a, l.Locked(a), m.amt(m.locked(a)))
					}
					for _, b := range smAccounts {
						if !l.Allowance(a, b).Equal(m.amt(m.allowance(a, b))) {
							t.Fatalf("allowance %s->%s: %s, model %s", a, b, l.Allowance(a, b), m.amt(m.allowance(a, b)))
						}
					}
				}
				gs := l.Vestings()
				if len(gs) != len(m.grants) {
					t.Fatalf("%d grants, model %d", len(gs), len(m.grants))
				}
				for i, g := range gs {
					mg := m.grants[i]
					if g.Granter != mg.granter || g.Beneficiary != mg.ben || g.Escrow != mg.escrow || g.Revoked != mg.revoked ||
						!g.Entitled.Equal(m.amt(mg.entitled)) || !g.Released.Equal(m.amt(mg.released)) {
						t.Fatalf("grant %d: %+v, model %+v", i+1, g, mg)
					}
				}
			},
		})
		tokentest.CheckLedger(t, l)
	})
}
