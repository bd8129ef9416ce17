package tokentest

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/token"
)

// Epoch returns the reference time of generated histories: 2017-03-02 00:00 UTC, the
// opening of the Trustcoin sale. Generated times are at or after it.
func Epoch() time.Time { return time.Date(2017, 3, 2, 0, 0, 0, 0, time.UTC) }

// Asset generates valid assets: the predefined ETH, BTC and TRST most often, otherwise a
// random symbol with 0 to 18 decimals.
func Asset() *rapid.Generator[token.Asset] {
	return rapid.Custom(func(t *rapid.T) token.Asset {
		if rapid.Bool().Draw(t, "predefined") {
			return rapid.SampledFrom([]token.Asset{token.TRST(), token.ETH(), token.BTC()}).Draw(t, "asset")
		}
		sym := rapid.StringMatching(`[A-Z][A-Z0-9]{0,5}`).Draw(t, "symbol")
		dec := rapid.IntRange(0, 18).Draw(t, "decimals")
		a, err := token.NewAsset(sym, dec)
		if err != nil {
			panic(fmt.Sprintf("tokentest: generated an invalid asset: %v", err))
		}
		return a
	})
}

// Units generates integers in [0, max] (max must not be negative), biased towards the edges
// (0, 1, max - 1, max) and small values, and uniform over the whole range otherwise, however
// large max is (far beyond 64 bits for 18-decimal assets).
func Units(max *big.Int) *rapid.Generator[*big.Int] {
	maxCopy := new(big.Int).Set(max)
	return rapid.Custom(func(t *rapid.T) *big.Int {
		kind := rapid.IntRange(0, 3).Draw(t, "kind")
		if maxCopy.Sign() <= 0 {
			return new(big.Int)
		}
		switch kind {
		case 0: // an edge
			var u big.Int
			switch rapid.IntRange(0, 3).Draw(t, "edge") {
			case 1:
				u.SetInt64(1)
			case 2:
				u.Sub(maxCopy, big.NewInt(1))
			case 3:
				u.Set(maxCopy)
			}
			if u.Cmp(maxCopy) > 0 || u.Sign() < 0 {
				u.SetInt64(0)
			}
			return &u
		case 1: // small
			u := big.NewInt(rapid.Int64Range(0, 1000).Draw(t, "small"))
			if u.Cmp(maxCopy) > 0 {
				u.Set(maxCopy)
			}
			return u
		default: // uniform over [0, max], from enough random bytes
			n := (maxCopy.BitLen()+7)/8 + 8
			b := rapid.SliceOfN(rapid.Byte(), n, n).Draw(t, "bytes")
			u := new(big.Int).SetBytes(b)
			return u.Mod(u, new(big.Int).Add(maxCopy, big.NewInt(1)))
		}
	})
}

// Amount generates valid amounts of asset a from zero to max inclusive (max is rounded down
// to the minor unit; a negative max gives only zero), on the minor unit, with the edge bias
// of [Units].
func Amount(a token.Asset, max decimal.Decimal) *rapid.Generator[decimal.Decimal] {
	maxUnits := max.Shift(int32(a.Decimals())).Floor().BigInt()
	g := Units(maxUnits)
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		return a.FromUnits(g.Draw(t, "units"))
	})
}

// InvalidAmount generates amounts that every check of asset a rejects: negative, or finer
// than its minor unit.
func InvalidAmount(a token.Asset) *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		units := rapid.Int64Range(1, 1_000_000).Draw(t, "units")
		if rapid.Bool().Draw(t, "negative") {
			return a.FromInt64Units(-units)
		}
		// A number of minor units that is not whole: units/10 with a non-zero last digit.
		return decimal.New(units*10+rapid.Int64Range(1, 9).Draw(t, "frac"), -int32(a.Decimals())-1)
	})
}

// Account generates valid accounts: mostly from a small pool of names (so that draws
// collide, as operations on a ledger need), otherwise random identifiers, sometimes non-ASCII
// or in the 0x-address style.
func Account() *rapid.Generator[token.Account] {
	return rapid.Custom(func(t *rapid.T) token.Account {
		var s string
		switch rapid.IntRange(0, 5).Draw(t, "kind") {
		case 0, 1, 2:
			s = rapid.SampledFrom([]string{"alice", "bob", "carol", "dave", "erin", "frank"}).Draw(t, "name")
		case 3:
			s = rapid.StringMatching(`[a-z][a-z0-9_.-]{0,15}`).Draw(t, "id")
		case 4:
			s = rapid.StringMatching(`0x[0-9a-f]{40}`).Draw(t, "address")
		default:
			s = rapid.SampledFrom([]string{"zoë", "ŝanĝo", "名前", "ümit"}).Draw(t, "unicode")
		}
		return token.Account(s)
	})
}

// InvalidAccount generates accounts that [token.Account.Validate] rejects.
func InvalidAccount() *rapid.Generator[token.Account] {
	return rapid.SampledFrom([]token.Account{"", "has space", "tab\there", "nl\n", "\x00", "\xff\xfe",
		token.Account(bytes.Repeat([]byte("a"), token.MaxAccountLength+1))})
}

// Accounts generates between min and max distinct valid accounts (min >= 0, max >= min; at
// most a few dozen are practical).
func Accounts(min, max int) *rapid.Generator[[]token.Account] {
	return rapid.SliceOfNDistinct(Account(), min, max, func(a token.Account) token.Account { return a })
}

// Genesis generates a valid genesis of asset a: 1 to 6 distinct accounts, each granted up to
// maxGrant (at least one grant positive), and a supply equal to their sum.
func Genesis(a token.Asset, maxGrant decimal.Decimal) *rapid.Generator[token.Genesis] {
	return rapid.Custom(func(t *rapid.T) token.Genesis {
		accs := Accounts(1, 6).Draw(t, "accounts")
		g := token.Genesis{Asset: a, Supply: decimal.Zero}
		for _, acc := range accs {
			amt := Amount(a, maxGrant).Draw(t, "grant")
			g.Grants = append(g.Grants, token.Grant{Account: acc, Amount: amt})
			g.Supply = g.Supply.Add(amt)
		}
		if g.Supply.Sign() == 0 {
			g.Grants[0].Amount = a.MinorUnit()
			g.Supply = a.MinorUnit()
		}
		return g
	})
}

// Schedule generates valid vesting schedules of asset a for total, starting within a year of
// from, lasting from one second to about four years, with or without a cliff, linear or
// periodic.
func Schedule(a token.Asset, total decimal.Decimal, from time.Time) *rapid.Generator[token.Schedule] {
	return rapid.Custom(func(t *rapid.T) token.Schedule {
		start := from.Add(time.Duration(rapid.Int64Range(0, 365*24*3600).Draw(t, "start_s")) * time.Second)
		length := time.Duration(rapid.Int64Range(1, 4*365*24*3600).Draw(t, "length_s")) * time.Second
		s := token.Schedule{Asset: a, Total: total, Start: start, End: start.Add(length)}
		if rapid.Bool().Draw(t, "cliff") {
			s.Cliff = start.Add(time.Duration(rapid.Int64Range(0, int64(length/time.Second)).Draw(t, "cliff_s")) * time.Second)
		}
		if rapid.Bool().Draw(t, "periodic") {
			s.Period = time.Duration(rapid.Int64Range(1, int64(length/time.Second)+1).Draw(t, "period_s")) * time.Second
		}
		return s
	})
}

// Ledger generates ledgers with random histories: a [Genesis] of a random asset, then up to
// 20 random operations (transfers, approvals, compare-and-approves, allowance changes,
// transfers on allowance, vesting grants, releases and revocations at advancing times from
// [Epoch]), valid or not; rejected ones leave no trace. Every generated ledger passes
// [CheckLedger].
func Ledger() *rapid.Generator[*token.Ledger] {
	return rapid.Custom(func(t *rapid.T) *token.Ledger {
		a := Asset().Draw(t, "asset")
		g := Genesis(a, decimal.New(1_000_000, 0)).Draw(t, "genesis")
		l, err := token.NewLedger(g)
		if err != nil {
			panic(fmt.Sprintf("tokentest: generated genesis rejected: %v", err))
		}
		accs := make([]token.Account, 0, len(g.Grants)+1)
		for _, gr := range g.Grants {
			accs = append(accs, gr.Account)
		}
		accs = append(accs, Account().Draw(t, "newcomer"))
		now := Epoch()
		pick := rapid.SampledFrom(accs)
		steps := rapid.IntRange(0, 20).Draw(t, "steps")
		for range steps {
			from, to := pick.Draw(t, "from"), pick.Draw(t, "to")
			amt := Amount(a, l.Spendable(from).Add(a.MinorUnit())).Draw(t, "amount")
			now = now.Add(time.Duration(rapid.Int64Range(0, 90*24*3600).Draw(t, "advance_s")) * time.Second)
			id := token.VestingID(rapid.IntRange(1, len(l.Vestings())+1).Draw(t, "grant"))
			switch rapid.IntRange(0, 8).Draw(t, "op") {
			case 0, 1:
				_ = l.Transfer(from, to, amt)
			case 2:
				_ = l.Approve(from, to, amt)
			case 3:
				_ = l.CompareAndApprove(from, to, l.Allowance(from, to), amt)
			case 4:
				_ = l.IncreaseAllowance(from, to, amt)
			case 5:
				spender := pick.Draw(t, "spender")
				_ = l.TransferFrom(spender, from, to, amt)
			case 6:
				if amt.Sign() > 0 {
					_, _ = l.Vest(from, to, Schedule(a, amt, now).Draw(t, "schedule"), rapid.Bool().Draw(t, "revocable"))
				}
			case 7:
				_, _ = l.Release(now, id)
			case 8:
				_, _ = l.Revoke(now, id)
			}
		}
		return l
	})
}

// TB is the part of testing.TB and *rapid.T that [CheckLedger] uses.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// CheckLedger fails t if [Invariants] reports a broken invariant.
func CheckLedger(t TB, l *token.Ledger) {
	t.Helper()
	if err := Invariants(l); err != nil {
		t.Fatalf("%v", err)
	}
}

// ErrInvariant is what [Invariants] wraps.
var ErrInvariant = errors.New("tokentest: ledger invariant broken")

// Invariants checks a ledger through its public API and returns the first broken invariant,
// wrapped in [ErrInvariant]: [token.Ledger.Audit] passes; the balances of
// [token.Ledger.Accounts] sum to the supply; every account has 0 <= locked <= balance and
// spendable = balance - locked; each account's locked amount is the sum of its grants'
// [token.VestingGrant.Locked]; grants have 0 <= released <= entitled <= total; events are
// numbered 1, 2, ...; and the ledger round-trips through its JSON snapshot to an identical
// snapshot, byte for byte.
func Invariants(l *token.Ledger) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvariant, fmt.Sprintf(format, args...))
	}
	if err := l.Audit(); err != nil {
		return fail("audit: %v", err)
	}
	sum := decimal.Zero
	for _, a := range l.Accounts() {
		b, lk := l.Balance(a), l.Locked(a)
		sum = sum.Add(b)
		if lk.Sign() < 0 || lk.Cmp(b) > 0 || !l.Spendable(a).Equal(b.Sub(lk)) {
			return fail("%s: balance %s, locked %s, spendable %s", a, b, lk, l.Spendable(a))
		}
	}
	if !sum.Equal(l.Supply()) {
		return fail("balances sum to %s, supply %s", sum, l.Supply())
	}
	locked := map[token.Account]decimal.Decimal{}
	for i, g := range l.Vestings() {
		if g.ID != token.VestingID(i+1) || g.Released.Sign() < 0 || g.Released.Cmp(g.Entitled) > 0 || g.Entitled.Cmp(g.Schedule.Total) > 0 {
			return fail("grant %d: id %d, released %s, entitled %s, total %s", i+1, g.ID, g.Released, g.Entitled, g.Schedule.Total)
		}
		locked[g.Beneficiary] = locked[g.Beneficiary].Add(g.Locked())
	}
	for _, a := range l.Accounts() {
		if !locked[a].Equal(l.Locked(a)) {
			return fail("%s: locked %s, grants lock %s", a, l.Locked(a), locked[a])
		}
	}
	for i, e := range l.Events() {
		if e.Seq != i+1 {
			return fail("event %d has seq %d", i+1, e.Seq)
		}
	}
	data, err := l.MarshalJSON()
	if err != nil {
		return fail("marshal: %v", err)
	}
	var r token.Ledger
	if err := r.UnmarshalJSON(data); err != nil {
		return fail("restore: %v", err)
	}
	again, err := r.MarshalJSON()
	if err != nil {
		return fail("marshal restored: %v", err)
	}
	if !bytes.Equal(data, again) {
		return fail("snapshot does not round-trip:\n%s\n%s", data, again)
	}
	return nil
}
