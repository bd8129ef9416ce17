package crowdsale_test

import (
	"errors"
	"math/big"
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
	want := []crowdsale.Amount{{Asset: token.BTC(), Amount: d("1.5")}, {Asset: token.ETH(), Amount: d("10")}}
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
	if got := s.ProvisionalAt("alice", utc(4, 1, 0, 0, 0)); !got.Equal(s.Provisional("alice")) || !got.Equal(d("67096774.193548")) {
		t.Fatalf("alice %s", got)
	}
	if s.Len() != 2 {
		t.Fatal("Len")
	}
	b := crowdsale.Bonus{Num: 3, Den: 10}
	if !b.Equal(crowdsale.Percent(30)) || b.Equal(crowdsale.Percent(31)) || b.String() != "3/10" || b.Rat().Cmp(big.NewRat(3, 10)) != 0 {
		t.Fatal("Bonus")
	}
	if (crowdsale.Bonus{}).Rat().Sign() != 0 {
		t.Fatal("zero Bonus")
	}
	if !cfg.Fiat.Enabled() || (crowdsale.FiatRule{}).Enabled() {
		t.Fatal("FiatRule.Enabled")
	}
	c := cfg.Clone()
	c.Tiers[0].Bonus = crowdsale.Percent(99)
	c.Quotes.Sources[0] = "x"
	if cfg.Tiers[0].Bonus.Equal(c.Tiers[0].Bonus) || cfg.Quotes.Sources[0] == "x" {
		t.Fatal("Clone shares slices")
	}
	got := s.Config()
	got.Tiers[0].Bonus = crowdsale.Percent(99)
	if s.Config().Tiers[0].Bonus.Equal(crowdsale.Percent(99)) {
		t.Fatal("Config shares slices with the sale")
	}
}

func TestCommandsCheckTimeOrder(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	s := newSale(t, cfg)
	if _, err := s.Advance(utc(3, 1, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	var te *crowdsale.TimeOrderError
	if err := s.Shift(utc(2, 28, 0, 0, 0), time.Hour); !errors.As(err, &te) {
		t.Fatalf("Shift: %v", err)
	}
	if err := s.Finalize(utc(2, 28, 0, 0, 0)); !errors.As(err, &te) {
		t.Fatalf("Finalize: %v", err)
	}
	if err := s.Shift(utc(3, 1, 0, 0, 0), 250*365*24*time.Hour); !errors.Is(err, crowdsale.ErrInvalidConfig) {
		t.Fatalf("Shift out of range: %v", err)
	}
	var se *crowdsale.StateError
	if err := s.Finalize(utc(3, 1, 0, 0, 0)); !errors.As(err, &se) || se.Op != "Finalize" || se.Status.Phase != crowdsale.PhaseScheduled {
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
	if err := s.Shift(cfg.End, time.Hour); !errors.As(err, &se) {
		t.Fatalf("Shift after the end: %v", err)
	}
}
