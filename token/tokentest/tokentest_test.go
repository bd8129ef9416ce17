package tokentest_test

import (
	"errors"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/token"
	"github.com/trustcircle/trustcircle/token/tokentest"
)

func TestRapidAsset(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := tokentest.Asset().Draw(t, "asset")
		if !a.IsValid() {
			t.Fatalf("invalid asset %v", a)
		}
		if _, err := token.NewAsset(a.Symbol(), a.Decimals()); err != nil {
			t.Fatalf("NewAsset rejects a generated asset: %v", err)
		}
	})
}

func TestRapidUnits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		max := new(big.Int).Lsh(big.NewInt(1), uint(rapid.IntRange(0, 200).Draw(t, "bits")))
		max.Sub(max, big.NewInt(int64(rapid.IntRange(0, 1).Draw(t, "less"))))
		u := tokentest.Units(max).Draw(t, "u")
		if u.Sign() < 0 || u.Cmp(max) > 0 {
			t.Fatalf("%s outside [0, %s]", u, max)
		}
	})
}

// TestUnitsReachesBeyondInt64 checks that the uniform branch really covers large ranges.
func TestUnitsReachesBeyondInt64(t *testing.T) {
	max := new(big.Int).Lsh(big.NewInt(1), 100)
	big64 := 0
	rapid.Check(t, func(t *rapid.T) {
		if tokentest.Units(max).Draw(t, "u").BitLen() > 64 {
			big64++
		}
	})
	if big64 == 0 {
		t.Fatal("no amount beyond 64 bits in 100 draws up to 2^100")
	}
}

func TestRapidAmount(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := tokentest.Asset().Draw(t, "asset")
		limit, err := a.FromUnits(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(30+a.Decimals())), nil))
		if err != nil {
			t.Fatal(err)
		}
		max := tokentest.Amount(a, limit).Draw(t, "max")
		amt := tokentest.Amount(a, max).Draw(t, "amount")
		if err := a.Check(amt); err != nil {
			t.Fatalf("generated amount rejected: %v", err)
		}
		if amt.Cmp(max) > 0 {
			t.Fatalf("%s above max %s", amt, max)
		}
		bad := tokentest.InvalidAmount(a).Draw(t, "bad")
		err = a.Check(bad)
		if !errors.Is(err, token.ErrNegativeAmount) && !errors.Is(err, token.ErrAssetMismatch) && !errors.Is(err, token.ErrInvalidAsset) {
			t.Fatalf("invalid amount %s accepted or wrong error: %v", bad, err)
		}
		text := tokentest.InvalidAmountText(a).Draw(t, "text")
		if x, err := a.Parse(text); err == nil {
			t.Fatalf("invalid text %q parsed as %s", text, x)
		}
	})
}

func TestRapidAccounts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		accs := tokentest.Accounts(0, 5).Draw(t, "accounts")
		seen := map[token.Account]bool{}
		for _, a := range accs {
			if err := a.Validate(); err != nil {
				t.Fatalf("generated account rejected: %v", err)
			}
			if seen[a] {
				t.Fatalf("repeated account %q", a)
			}
			seen[a] = true
		}
		if err := tokentest.InvalidAccount().Draw(t, "bad").Validate(); !errors.Is(err, token.ErrInvalidAccount) {
			t.Fatalf("invalid account accepted: %v", err)
		}
	})
}

func TestRapidGenesis(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := tokentest.Asset().Draw(t, "asset")
		g := tokentest.Genesis(a, a.MustParse("1000")).Draw(t, "genesis")
		if err := g.Validate(); err != nil {
			t.Fatalf("generated genesis rejected: %v", err)
		}
	})
}

func TestRapidSchedule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := tokentest.Schedule(token.TRST().MustParse("5"), tokentest.Epoch()).Draw(t, "schedule")
		if err := s.Validate(); err != nil {
			t.Fatalf("generated schedule rejected: %v", err)
		}
	})
}

func TestRapidLedger(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := tokentest.Ledger().Draw(t, "ledger")
		tokentest.CheckLedger(t, l)
	})
}

// TestLedgerHistoriesVary checks that generated histories are not trivial: some ledgers have
// transfers, vesting grants (by the calendar, in escrow) and freezes.
func TestLedgerHistoriesVary(t *testing.T) {
	kinds := map[token.EventKind]int{}
	escrows, calendars := 0, 0
	rapid.Check(t, func(t *rapid.T) {
		for _, e := range tokentest.Ledger().Draw(t, "ledger").Events() {
			kinds[e.Kind]++
			if e.Escrow != "" {
				escrows++
			}
			if e.Step != 0 {
				calendars++
			}
		}
	})
	for _, k := range []token.EventKind{token.EventGenesis, token.EventTransfer, token.EventApproval, token.EventVest,
		token.EventFreeze, token.EventUnfreeze} {
		if kinds[k] == 0 {
			t.Errorf("no %s event in 100 generated ledgers (%v)", k, kinds)
		}
	}
	if escrows == 0 || calendars == 0 {
		t.Errorf("%d grants in escrow and %d by the calendar in 100 generated ledgers", escrows, calendars)
	}
}

func TestRapidCalendarSchedule(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := tokentest.CalendarSchedule(token.TRST().MustParse("5"), tokentest.Epoch()).Draw(t, "schedule")
		if err := s.Validate(); err != nil || s.Step == 0 {
			t.Fatalf("generated schedule %+v: %v", s, err)
		}
	})
}

// fakeTB records a failure instead of stopping the test.
type fakeTB struct{ failed string }

func (f *fakeTB) Helper()                        {}
func (f *fakeTB) Fatalf(format string, _ ...any) { f.failed = format }

func TestCheckLedgerPassesAndFails(t *testing.T) {
	trst := token.TRST()
	l, err := token.NewLedger(token.Genesis{Asset: trst, Supply: trst.MustParse("10"),
		Grants: []token.Grant{{Account: "alice", Amount: trst.MustParse("10")}}})
	if err != nil {
		t.Fatal(err)
	}
	var ok fakeTB
	tokentest.CheckLedger(&ok, l)
	if ok.failed != "" {
		t.Fatalf("CheckLedger failed a fresh ledger")
	}
	if err := tokentest.Invariants(l); err != nil {
		t.Fatal(err)
	}
	// A ledger that is not usable (the zero Ledger) must fail the check, not pass it.
	var bad fakeTB
	tokentest.CheckLedger(&bad, &token.Ledger{})
	if bad.failed == "" {
		t.Fatal("CheckLedger passed the zero Ledger")
	}
	if err := tokentest.Invariants(&token.Ledger{}); !errors.Is(err, tokentest.ErrInvariant) {
		t.Fatalf("Invariants(zero ledger) = %v", err)
	}
}
