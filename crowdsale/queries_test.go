package crowdsale_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

func TestQueriesAndSmallValues(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	s := newSale(t, cfg)
	r1 := mustContribute(t, s, btc("a", "alice", "1.5", utc(3, 2, 0, 0, 0)))
	r2 := mustContribute(t, s, eth("b", "bob", "10", utc(3, 3, 0, 0, 0), quotes("0.03", "0.03", "")))
	want := []token.Amount{btcs("1.5"), eths("10")}
	if diff := cmp.Diff(want, s.Collected()); diff != "" {
		t.Fatalf("collected (-want +got):\n%s", diff)
	}
	rs := s.Receipts()
	if len(rs) != 2 || !rs[0].Equal(r1) || !rs[1].Equal(r2) || rs[0].Equal(r2) {
		t.Fatal("Receipts")
	}
	if !s.ProvisionalAt("alice", utc(3, 1, 0, 0, 0)).IsZero() || !s.ProvisionalAt("nobody", utc(3, 5, 0, 0, 0)).IsZero() {
		t.Fatal("ProvisionalAt before the start or for a stranger")
	}
	// alice 1.5 x 1.30 = 1.95, bob 0.3 x 1.25 = 0.375: alice has 80M x 1.95 / 2.325
	if got := s.ProvisionalAt("alice", utc(4, 1, 0, 0, 0)); !got.Equal(s.Provisional("alice")) || !got.Equal(trst("67096774.193548")) {
		t.Fatalf("alice %s", got)
	}
	if s.Len() != 2 {
		t.Fatal("Len")
	}
	// bonuses are token ratios, in lowest terms, printed as percentages
	b := token.MustRatio(3, 10)
	if !b.Equal(pct(30)) || b.Equal(pct(31)) || b.String() != "30%" || cfg.Tiers[0].Bonus.String() != "30%" ||
		b.Num() != 3 || b.Den() != 10 || r1.Bonus.String() != "30%" || r2.Bonus.String() != "25%" {
		t.Fatal("Bonus")
	}
	if !(crowdsale.Tier{}).Bonus.IsZero() {
		t.Fatal("zero Bonus")
	}
	if !cfg.Fiat.Enabled() || (crowdsale.FiatRule{}).Enabled() {
		t.Fatal("FiatRule.Enabled")
	}
	c := cfg.Clone()
	c.Tiers[0].Bonus = pct(99)
	c.Quotes.Sources[0] = "x"
	if cfg.Tiers[0].Bonus.Equal(c.Tiers[0].Bonus) || cfg.Quotes.Sources[0] == "x" {
		t.Fatal("Clone shares slices")
	}
	got := s.Config()
	got.Tiers[0].Bonus = pct(99)
	if s.Config().Tiers[0].Bonus.Equal(pct(99)) {
		t.Fatal("Config shares slices with the sale")
	}
}

func TestCommandsCheckTimeOrder(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	s := newSale(t, cfg)
	if _, err := s.Advance(utc(3, 1, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if err := s.Shift(utc(2, 28, 0, 0, 0), time.Hour); !errors.Is(err, crowdsale.ErrTimeOrder) {
		t.Fatalf("Shift: %v", err)
	}
	if err := s.Finalize(utc(2, 28, 0, 0, 0)); !errors.Is(err, crowdsale.ErrTimeOrder) {
		t.Fatalf("Finalize: %v", err)
	}
	if err := s.Shift(utc(3, 1, 0, 0, 0), 250*365*24*time.Hour); !errors.Is(err, crowdsale.ErrInvalidConfig) {
		t.Fatalf("Shift out of range: %v", err)
	}
	if err := s.Finalize(utc(3, 1, 0, 0, 0)); !errors.Is(err, crowdsale.ErrState) || errorOf(err).Op != "Finalize" ||
		!strings.HasSuffix(errorOf(err).Detail, "(scheduled)") {
		t.Fatalf("Finalize before the start: %v", err)
	}
	if err := s.Finalize(cfg.End); err != nil {
		t.Fatal(err)
	}
	if st := s.Status(cfg.End); st.Outcome != crowdsale.OutcomeFailed || !st.Finalized {
		t.Fatalf("empty sale: %+v", st)
	}
	if len(s.Refunds()) != 0 || s.Allocations() != nil {
		t.Fatal("an empty sale refunds or allocates")
	}
	if err := s.Shift(cfg.End, time.Hour); !errors.Is(err, crowdsale.ErrState) {
		t.Fatalf("Shift after the end: %v", err)
	}
}
