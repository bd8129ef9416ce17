package tokentest

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

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

// Amount generates valid amounts of asset a from zero to max inclusive (max must be of a; a
// negative max gives only zero), with the edge bias of [Units].
func Amount(a token.Asset, max token.Amount) *rapid.Generator[token.Amount] {
	maxUnits := max.Units()
	if maxUnits.Sign() < 0 {
		maxUnits.SetInt64(0)
	}
	g := Units(maxUnits)
	return rapid.Custom(func(t *rapid.T) token.Amount {
		x, err := a.FromUnits(g.Draw(t, "units"))
		if err != nil {
			panic(fmt.Sprintf("tokentest: generated an amount out of range: %v", err))
		}
		return x
	})
}

// InvalidAmount generates amounts that every check of asset a rejects: negative
// ([token.ErrNegativeAmount]), of another asset ([token.ErrAssetMismatch]), or the zero
// Amount ([token.ErrInvalidAsset]).
func InvalidAmount(a token.Asset) *rapid.Generator[token.Amount] {
	return rapid.Custom(func(t *rapid.T) token.Amount {
		units := rapid.Int64Range(1, 1_000_000).Draw(t, "units")
		switch rapid.IntRange(0, 2).Draw(t, "kind") {
		case 0:
			return a.FromInt64Units(-units)
		case 1:
			other, err := token.NewAsset(a.Symbol(), (a.Decimals()+1)%(token.MaxDecimals+1))
			if err != nil {
				panic(fmt.Sprintf("tokentest: %v", err))
			}
			return other.FromInt64Units(units)
		}
		return token.Amount{}
	})
}

// InvalidAmountText generates text that [token.Asset.Parse] of asset a rejects: digits
// finer than its minor unit, exponents, signs, spaces, or another symbol.
func InvalidAmountText(a token.Asset) *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		whole := rapid.StringMatching(`[0-9]{1,6}`).Draw(t, "whole")
		switch rapid.IntRange(0, 4).Draw(t, "kind") {
		case 0: // a non-zero digit below the minor unit
			frac := rapid.StringMatching(fmt.Sprintf(`[0-9]{%d}[1-9]`, a.Decimals())).Draw(t, "frac")
			return whole + "." + frac
		case 1:
			return whole + "e2"
		case 2:
			return "+" + whole
		case 3:
			return " " + whole
		}
		return whole + " XX" + a.Symbol()
	})
}

// Account generates valid accounts: mostly from a small pool of names (so that draws
// collide, as operations on a ledger need), otherwise random identifiers, sometimes with
// punctuation or in the 0x-address style.
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
			s = rapid.StringMatching(`[!-~]{1,12}`).Draw(t, "printable")
		}
		return token.Account(s)
	})
}

// InvalidAccount generates accounts that [token.Account.Validate] rejects: empty, too long,
// with spaces or control characters, non-ASCII (Unicode spaces, invisible and format
// characters, letters of any script, decomposed forms) or invalid UTF-8.
func InvalidAccount() *rapid.Generator[token.Account] {
	return rapid.SampledFrom([]token.Account{"", "has space", "tab\there", "nl\n", "\x00", "\xff\xfe", "del\x7f",
		"em\u2003space", "ideographic\u3000space", "zero\u200bwidth", "\ufeffbom", "rtl\u202eoverride",
		"soft\u00adhyphen", "zo\u00eb", "zoe\u0301", "名前", "nbsp\u00a0",
		token.Account(bytes.Repeat([]byte("a"), token.MaxAccountLength+1))})
}

// Accounts generates between min and max distinct valid accounts (min >= 0, max >= min; at
// most a few dozen are practical).
func Accounts(min, max int) *rapid.Generator[[]token.Account] {
	return rapid.SliceOfNDistinct(Account(), min, max, func(a token.Account) token.Account { return a })
}

// Genesis generates a valid genesis of asset a: 1 to 6 distinct accounts, each granted up to
// maxGrant (at least one grant positive), and a supply equal to their sum.
func Genesis(a token.Asset, maxGrant token.Amount) *rapid.Generator[token.Genesis] {
	return rapid.Custom(func(t *rapid.T) token.Genesis {
		accs := Accounts(1, 6).Draw(t, "accounts")
		g := token.Genesis{Asset: a, Supply: a.Zero()}
		for _, acc := range accs {
			amt := Amount(a, maxGrant).Draw(t, "grant")
			g.Grants = append(g.Grants, token.Grant{Account: acc, Amount: amt})
			g.Supply = add(g.Supply, amt)
		}
		if g.Supply.IsZero() {
			g.Grants[0].Amount = a.MinorUnit()
			g.Supply = a.MinorUnit()
		}
		return g
	})
}

// Zone generates time zones for the times given to commands: UTC most often, otherwise fixed
// offsets, some of them with seconds (Europe/Amsterdam was UTC+00:19:32 until 1937), or the
// local zone. A ledger keeps the instant and drops the zone.
func Zone() *rapid.Generator[*time.Location] {
	return rapid.SampledFrom([]*time.Location{time.UTC, time.UTC, time.FixedZone("AMT", 19*60+32),
		time.FixedZone("X", -(9*3600 + 30*60 + 7)), time.FixedZone("Y", 14*3600), time.Local})
}

// Schedule generates valid vesting schedules for total, starting within a year of from,
// lasting from one second to about four years, with or without a cliff, linear or periodic.
func Schedule(total token.Amount, from time.Time) *rapid.Generator[token.Schedule] {
	return rapid.Custom(func(t *rapid.T) token.Schedule {
		start := from.Add(time.Duration(rapid.Int64Range(0, 365*24*3600).Draw(t, "start_s")) * time.Second)
		length := time.Duration(rapid.Int64Range(1, 4*365*24*3600).Draw(t, "length_s")) * time.Second
		s := token.Schedule{Total: total, Start: start, End: start.Add(length)}
		if rapid.Bool().Draw(t, "cliff") {
			s.Cliff = start.Add(time.Duration(rapid.Int64Range(0, int64(length/time.Second)).Draw(t, "cliff_s")) * time.Second)
		}
		if rapid.Bool().Draw(t, "periodic") {
			s.Period = time.Duration(rapid.Int64Range(1, int64(length/time.Second)+1).Draw(t, "period_s")) * time.Second
		}
		return s
	})
}

// CalendarSchedule generates valid vesting schedules by the calendar for total, made by
// [token.CalendarSchedule]: a start within about a year of from, often on the 29th to the
// 31st of a month and at any time of day, a step of 1, 2, 3, 6 or 12 months, 1 to 60
// tranches, a cliff of 0 to all of them, periodic or linear.
func CalendarSchedule(total token.Amount, from time.Time) *rapid.Generator[token.Schedule] {
	return rapid.Custom(func(t *rapid.T) token.Schedule {
		f := from.UTC()
		first := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, rapid.IntRange(0, 12).Draw(t, "month"), 0)
		days := first.AddDate(0, 1, -1).Day()
		d := rapid.IntRange(1, days).Draw(t, "day")
		if rapid.Bool().Draw(t, "month_end") {
			d = rapid.IntRange(days-3, days).Draw(t, "day_at_end")
		}
		clock := time.Duration(rapid.Int64Range(0, int64(24*time.Hour)-1).Draw(t, "clock"))
		if rapid.Bool().Draw(t, "midnight") {
			clock = 0
		}
		start := first.AddDate(0, 0, d-1).Add(clock)
		step := rapid.SampledFrom([]token.Step{token.Monthly, token.Monthly, 2, token.Quarterly, 6, token.Yearly}).Draw(t, "step")
		n := rapid.IntRange(1, 60).Draw(t, "tranches")
		s := token.CalendarSchedule(total, start, step, n, rapid.IntRange(0, n).Draw(t, "cliff"))
		s.Linear = rapid.Bool().Draw(t, "linear")
		return s
	})
}

// Ledger generates ledgers with random histories: a [Genesis] of a random asset, then up to
// 20 random operations (transfers, approvals, compare-and-approves, allowance changes,
// transfers on allowance, vesting grants by duration and by the calendar, locked or in
// escrow, releases and revocations, transfer freezes, unfreezes and thaws, at advancing
// times from [Epoch], in assorted zones), valid or not; rejected ones leave no trace. A
// freeze still on at the end is lifted by its administrator, so a generated ledger is never
// frozen. Every generated ledger passes [CheckLedger].
func Ledger() *rapid.Generator[*token.Ledger] {
	return rapid.Custom(func(t *rapid.T) *token.Ledger {
		a := Asset().Draw(t, "asset")
		g := Genesis(a, a.MustParse("1000000")).Draw(t, "genesis")
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
			amt := Amount(a, add(l.Spendable(from), a.MinorUnit())).Draw(t, "amount")
			now = now.Add(time.Duration(rapid.Int64Range(0, 90*24*3600).Draw(t, "advance_s")) * time.Second).
				In(Zone().Draw(t, "zone"))
			id := token.VestingID(rapid.IntRange(1, len(l.Vestings())+1).Draw(t, "grant"))
			step(t, l, rapid.IntRange(0, 13).Draw(t, "op"), from, to, pick, amt, now, id)
		}
		if f, frozen := l.Frozen(); frozen {
			if err := l.Unfreeze(f.Admin); err != nil {
				panic(fmt.Sprintf("tokentest: cannot lift a generated freeze: %v", err))
			}
		}
		return l
	})
}

// step runs operation op of a generated history.
func step(t *rapid.T, l *token.Ledger, op int, from, to token.Account, pick *rapid.Generator[token.Account],
	amt token.Amount, now time.Time, id token.VestingID) {
	switch op {
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
	case 6, 9, 10:
		if amt.Sign() <= 0 {
			return
		}
		s := Schedule(amt, now).Draw(t, "schedule")
		if op != 6 && rapid.Bool().Draw(t, "calendar") {
			s = CalendarSchedule(amt, now).Draw(t, "calendar_schedule")
		}
		if op == 10 {
			_, _ = l.VestInEscrow(from, pick.Draw(t, "escrow"), to, s, rapid.Bool().Draw(t, "revocable"))
			return
		}
		_, _ = l.Vest(from, to, s, rapid.Bool().Draw(t, "revocable"))
	case 7:
		_, _ = l.Release(now, id)
	case 8:
		_, _ = l.Revoke(now, id)
	case 11:
		var until time.Time
		if rapid.Bool().Draw(t, "until") {
			until = now.Add(time.Duration(rapid.Int64Range(0, 60*24*3600).Draw(t, "freeze_s")) * time.Second)
		}
		_ = l.Freeze(from, until)
	case 12:
		_ = l.Unfreeze(from)
	case 13:
		_, _ = l.Thaw(now)
	}
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
// spendable = balance - locked; each account's locked amount is the sum of
// [token.VestingGrant.Locked] over the grants it holds (as beneficiary or escrow); grants
// have 0 <= released <= entitled <= total; events are numbered 1, 2, ..., and
// [token.Ledger.EventsAfter] hands out the same log; at past sequence numbers (every one
// for a log of up to 200 events), [token.Ledger.BalanceAt] and [token.Ledger.BalancesAt]
// give the balances of the ledger replayed up to it and [token.Ledger.AuditAt] passes; the
// ledger round-trips through its JSON snapshot to an identical snapshot, byte for byte; and
// its events, encoded to JSON, decoded and replayed with [token.Replay], rebuild the same
// ledger.
func Invariants(l *token.Ledger) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvariant, fmt.Sprintf(format, args...))
	}
	if err := l.Audit(); err != nil {
		return fail("audit: %v", err)
	}
	a := l.Asset()
	sum := a.Zero()
	for _, acc := range l.Accounts() {
		b, lk := l.Balance(acc), l.Locked(acc)
		sum = add(sum, b)
		if lk.Sign() < 0 || lk.Cmp(b) > 0 || !l.Spendable(acc).Equal(sub(b, lk)) {
			return fail("%s: balance %s, locked %s, spendable %s", acc, b, lk, l.Spendable(acc))
		}
	}
	if !sum.Equal(l.Supply()) {
		return fail("balances sum to %s, supply %s", sum, l.Supply())
	}
	locked := map[token.Account]token.Amount{}
	for i, g := range l.Vestings() {
		if g.ID != token.VestingID(i+1) || g.Released.Sign() < 0 || g.Released.Cmp(g.Entitled) > 0 || g.Entitled.Cmp(g.Schedule.Total) > 0 {
			return fail("grant %d: id %d, released %s, entitled %s, total %s", i+1, g.ID, g.Released, g.Entitled, g.Schedule.Total)
		}
		locked[g.Holder()] = add(locked[g.Holder()], g.Locked())
	}
	for _, acc := range l.Accounts() {
		if want := add(a.Zero(), locked[acc]); !want.Equal(l.Locked(acc)) {
			return fail("%s: locked %s, grants lock %s", acc, l.Locked(acc), want)
		}
	}
	if err := checkLog(l); err != nil {
		return fail("%v", err)
	}
	if err := checkPast(l); err != nil {
		return fail("%v", err)
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

// checkLog checks the numbering of the log, its tail, and its replay through JSON.
func checkLog(l *token.Ledger) error {
	events := l.Events()
	for i, e := range events {
		if e.Seq != uint64(i+1) {
			return fmt.Errorf("event %d has seq %d", i+1, e.Seq)
		}
	}
	if l.LastSeq() != uint64(len(events)) {
		return fmt.Errorf("LastSeq %d for %d events", l.LastSeq(), len(events))
	}
	var decoded []token.Event
	for e := range l.EventsAfter(0) {
		if len(decoded) >= len(events) || !e.Equal(events[len(decoded)]) {
			return fmt.Errorf("EventsAfter(0) differs from Events at event %d", len(decoded)+1)
		}
		data, err := e.MarshalJSON()
		if err != nil {
			return fmt.Errorf("event %d: marshal: %v", e.Seq, err)
		}
		var d token.Event
		if err := d.UnmarshalJSON(data); err != nil {
			return fmt.Errorf("event %d: unmarshal %s: %v", e.Seq, data, err)
		}
		decoded = append(decoded, d)
	}
	if len(decoded) != len(events) {
		return fmt.Errorf("EventsAfter(0) yields %d events, Events %d", len(decoded), len(events))
	}
	r, err := token.Replay(slices.Values(decoded))
	if err != nil {
		return fmt.Errorf("replay: %v", err)
	}
	want, _ := l.MarshalJSON()
	got, _ := r.MarshalJSON()
	if !bytes.Equal(want, got) {
		return fmt.Errorf("replay differs:\n%s\n%s", want, got)
	}
	return nil
}

// checkPast checks the balances at every past sequence number against the ledger replayed
// up to it, for a log of at most 200 events; a longer log is checked at eight numbers spread
// over it, so that the check costs a few replays of the log.
func checkPast(l *token.Ledger) error {
	events := l.Events()
	n := uint64(len(events))
	var seqs []uint64
	for s := range n + 1 {
		if n <= 200 || s%(n/7) == 0 || s == n {
			seqs = append(seqs, s)
		}
	}
	for _, seq := range seqs {
		if err := l.AuditAt(seq); err != nil {
			return fmt.Errorf("AuditAt(%d): %v", seq, err)
		}
		past, err := l.BalancesAt(seq)
		if err != nil {
			return fmt.Errorf("BalancesAt(%d): %v", seq, err)
		}
		want := map[token.Account]token.Amount{}
		if n := genesisLen(events); seq > 0 {
			r, err := token.Replay(slices.Values(events[:max(seq, uint64(n))]))
			if err != nil {
				return fmt.Errorf("replay up to %d: %v", seq, err)
			}
			for _, acc := range r.Accounts() {
				want[acc] = r.Balance(acc)
			}
			if seq < uint64(n) { // within the genesis: the grants so far
				clear(want)
				for _, e := range events[:seq] {
					want[e.To] = add(add(l.Asset().Zero(), want[e.To]), e.Amount)
				}
			}
		}
		if len(past) != len(want) {
			return fmt.Errorf("BalancesAt(%d) lists %d accounts, the replayed ledger %d", seq, len(past), len(want))
		}
		for _, b := range past {
			if !b.Amount.Equal(want[b.Account]) {
				return fmt.Errorf("BalancesAt(%d): %s has %s, replayed %s", seq, b.Account, b.Amount, want[b.Account])
			}
		}
		for _, acc := range l.Accounts() {
			got, err := l.BalanceAt(acc, seq)
			if w := add(l.Asset().Zero(), want[acc]); err != nil || !got.Equal(w) {
				return fmt.Errorf("BalanceAt(%s, %d) = %s, %v; replayed %s", acc, seq, got, err, w)
			}
		}
	}
	if _, err := l.BalanceAt("alice", l.LastSeq()+1); !errors.Is(err, token.ErrUnknownSeq) {
		return fmt.Errorf("BalanceAt beyond the log: %v", err)
	}
	return nil
}

// genesisLen returns the number of genesis events at the start of a log.
func genesisLen(events []token.Event) int {
	n := 0
	for n < len(events) && events[n].Kind == token.EventGenesis {
		n++
	}
	return n
}

// add returns x + y; the amounts of a ledger never leave the range.
func add(x, y token.Amount) token.Amount {
	s, err := x.Add(y)
	if err != nil {
		panic(fmt.Sprintf("tokentest: %v", err))
	}
	return s
}

// sub returns x - y.
func sub(x, y token.Amount) token.Amount { return add(x, y.Neg()) }
