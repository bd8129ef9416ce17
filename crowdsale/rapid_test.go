package crowdsale_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/crowdsale/crowdsaletest"
	"github.com/trustcircle/trustcircle/token"
)

// amountRat returns x in whole units of its currency as an exact rational.
func amountRat(x token.Amount) *big.Rat {
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(x.Asset().Decimals())), nil)
	return new(big.Rat).SetFrac(x.Units(), den)
}

// model computes, independently of the package, the tier bonus, the median quote and the
// value per unit of a contribution.
// raised is the value raised before the contribution (tiers by amount sold).
func modelBonus(cfg crowdsale.Config, at time.Time, raised *big.Rat) token.Ratio {
	b := cfg.Tiers[0].Bonus
	for _, tier := range cfg.Tiers {
		if cfg.TierBy == crowdsale.TiersBySold {
			if raised.Cmp(amountRat(tier.Sold)) >= 0 {
				b = tier.Bonus
			}
		} else if !at.Before(tier.From) {
			b = tier.Bonus
		}
	}
	return b
}

// modelRound rounds x > 0 to decimals by the rounding r, in rationals.
func modelRound(x *big.Rat, decimals int, r crowdsale.QuoteRounding) *big.Rat {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	y := new(big.Rat).Mul(x, new(big.Rat).SetInt(scale))
	floor := new(big.Int).Quo(y.Num(), y.Denom())
	frac := new(big.Rat).Sub(y, new(big.Rat).SetInt(floor))
	half := frac.Cmp(big.NewRat(1, 2))
	switch {
	case r == crowdsale.RoundUp && frac.Sign() > 0, r == crowdsale.RoundHalfUp && half >= 0,
		r == crowdsale.RoundHalfEven && (half > 0 || half == 0 && floor.Bit(0) == 1):
		floor.Add(floor, big.NewInt(1))
	}
	return new(big.Rat).SetFrac(floor, scale)
}

// modelMedian returns the median of the quotes, each rounded to the config's decimals.
func modelMedian(cfg crowdsale.Config, q map[string]token.Amount) *big.Rat {
	var v []*big.Rat
	for _, x := range q {
		v = append(v, modelRound(amountRat(x), cfg.Quotes.Decimals, cfg.Quotes.Rounding))
	}
	slices.SortFunc(v, func(a, b *big.Rat) int { return a.Cmp(b) })
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	m := new(big.Rat).Add(v[len(v)/2-1], v[len(v)/2])
	return m.Quo(m, big.NewRat(2, 1))
}

// modelWeight returns accepted x peg and accepted x peg x (1 + bonus), exactly.
func modelWeight(cfg crowdsale.Config, c crowdsale.Contribution, accepted token.Amount, raised *big.Rat) (value, w *big.Rat) {
	value = amountRat(accepted)
	if c.Amount.Asset() == token.ETH() {
		value.Mul(value, modelMedian(cfg, c.Quotes))
	}
	b := modelBonus(cfg, c.At, raised)
	w = new(big.Rat).Mul(value, new(big.Rat).Add(big.NewRat(1, 1), new(big.Rat).SetFrac(
		new(big.Int).SetUint64(b.Num()), new(big.Int).SetUint64(b.Den()))))
	return value, w
}

type saleModel struct {
	cfg      crowdsale.Config
	count    int
	raised   *big.Rat
	weights  map[token.Account]*big.Rat
	values   map[token.Account]*big.Rat
	total    *big.Rat
	verified map[token.Account]bool
}

func newModel(cfg crowdsale.Config) *saleModel {
	return &saleModel{cfg: cfg, raised: new(big.Rat), weights: map[token.Account]*big.Rat{}, total: new(big.Rat),
		values: map[token.Account]*big.Rat{}, verified: map[token.Account]bool{}}
}

// refused checks that the model agrees with a contribution refused for the allowlist or a
// per-participant limit, and reports whether err is one of those.
func (m *saleModel) refused(t *rapid.T, c crowdsale.Contribution, err error) bool {
	had := new(big.Rat)
	if v := m.values[c.Participant]; v != nil {
		had.Set(v)
	}
	full, _ := modelWeight(m.cfg, c, c.Amount, m.raised)
	full.Add(full, had)
	lim := m.cfg.PerParticipant
	switch {
	case errors.Is(err, crowdsale.ErrNotAllowed):
		if !m.cfg.Allowlist || m.verified[c.Participant] {
			t.Fatalf("not allowed: %v", err)
		}
	case errors.Is(err, crowdsale.ErrBelowLimit):
		if !lim.Min.IsValid() || full.Cmp(amountRat(lim.Min)) >= 0 {
			t.Fatalf("below the minimum with %s: %v", full.RatString(), err)
		}
	case errors.Is(err, crowdsale.ErrAboveLimit):
		if !lim.Max.IsValid() || lim.Max.IsZero() || full.Cmp(amountRat(lim.Max)) <= 0 {
			t.Fatalf("above the maximum with %s: %v", full.RatString(), err)
		}
	default:
		return false
	}
	return true
}

// accept checks a receipt against the model and records it.
func (m *saleModel) accept(t *rapid.T, c crowdsale.Contribution, r crowdsale.Receipt) {
	if r.Index != m.count {
		return // a repeated id: nothing new
	}
	if sum, err := r.Accepted.Add(r.Refund); err != nil || !sum.Equal(c.Amount) || r.Accepted.IsNegative() || r.Refund.IsNegative() {
		t.Fatalf("accepted %s + refund %s != received %s", r.Accepted, r.Refund, c.Amount)
	}
	if b := modelBonus(m.cfg, c.At, m.raised); !r.Bonus.Equal(b) {
		t.Fatalf("bonus %s, model %s", r.Bonus, b)
	}
	if c.Amount.Asset() == token.ETH() && amountRat(r.Median).Cmp(modelMedian(m.cfg, c.Quotes)) != 0 {
		t.Fatalf("median %s, model %s", r.Median, modelMedian(m.cfg, c.Quotes).RatString())
	}
	v, w := modelWeight(m.cfg, c, r.Accepted, m.raised)
	if amountRat(r.Value()).Cmp(v) != 0 || r.Weight().Cmp(w) != 0 || r.Value().Asset() != m.cfg.ValueAsset() {
		t.Fatalf("value %s weight %s, model %s %s", r.Value(), r.Weight().RatString(), v.RatString(), w.RatString())
	}
	if !r.CapReached && !r.Refund.IsZero() {
		t.Fatal("refund without reaching the cap")
	}
	m.count++
	m.raised.Add(m.raised, v)
	if m.weights[c.Participant] == nil {
		m.weights[c.Participant] = new(big.Rat)
	}
	m.weights[c.Participant].Add(m.weights[c.Participant], w)
	m.total.Add(m.total, w)
	if m.values[c.Participant] == nil {
		m.values[c.Participant] = new(big.Rat)
	}
	m.values[c.Participant].Add(m.values[c.Participant], v)
	if lim := m.cfg.PerParticipant; lim.Max.IsPositive() && m.values[c.Participant].Cmp(amountRat(lim.Max)) > 0 {
		t.Fatalf("%s above the maximum: %s", c.Participant, m.values[c.Participant].RatString())
	}
	if m.cfg.Allowlist && !m.verified[c.Participant] {
		t.Fatalf("%s contributed without being verified", c.Participant)
	}
}

// provisional returns floor(pool x w / W) in TRST, or floor(price x w) at a fixed price.
func (m *saleModel) provisional(p token.Account) token.Amount {
	w := m.weights[p]
	if w == nil || m.total.Sign() == 0 {
		return token.TRST().Zero()
	}
	var x *big.Rat
	if m.cfg.Design == crowdsale.DesignFixedPrice {
		x = new(big.Rat).Mul(new(big.Rat).SetInt(m.cfg.Price.Units()), w)
	} else {
		x = new(big.Rat).Mul(new(big.Rat).SetInt(m.cfg.Pool.Units()), w)
		x.Quo(x, m.total)
	}
	q, _ := token.TRST().FromUnits(new(big.Int).Quo(x.Num(), x.Denom()))
	return q
}

func (m *saleModel) check(t *rapid.T, s *crowdsale.Sale) {
	if err := s.Audit(); err != nil {
		t.Fatal(err)
	}
	if s.Len() != m.count || amountRat(s.Raised()).Cmp(m.raised) != 0 {
		t.Fatalf("sale has %d contributions raising %s, model %d raising %s", s.Len(), s.Raised(), m.count, m.raised.RatString())
	}
	if amountRat(s.Raised()).Cmp(amountRat(m.cfg.Cap)) > 0 {
		t.Fatalf("raised %s above the cap %s", s.Raised(), m.cfg.Cap)
	}
	for _, p := range crowdsaletest.Participants() {
		if got, want := s.Provisional(p), m.provisional(p); !got.Equal(want) {
			t.Fatalf("provisional %s: %s, model %s", p, got, want)
		}
	}
}

// contributeSome feeds n valid contributions in time order, checking each against the model.
func contributeSome(t *rapid.T, s *crowdsale.Sale, m *saleModel, n int) time.Time {
	at := m.cfg.Start
	for range n {
		c := crowdsaletest.Contribution(m.cfg, at, 12*time.Hour).Draw(t, "c")
		r, err := s.Contribute(c)
		switch {
		case errors.Is(err, crowdsale.ErrEnded), errors.Is(err, crowdsale.ErrIDConflict):
			continue
		case err != nil:
			t.Fatalf("valid contribution rejected: %v", err)
		}
		m.accept(t, c, r)
		at = c.At
	}
	return at
}

// Pro rata, the allocations sum to the pool, each within one unit of its exact share. At a
// fixed price each participant gets what their weight buys, rounded down, and the
// allocations and the unsold rest sum to the pool.
func TestRapidAllocationSumsToPool(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := crowdsaletest.AnyConfig().Draw(t, "cfg")
		cfg.Minimum = token.BTC().Zero()
		s := newSale(t, cfg)
		m := newModel(cfg)
		contributeSome(t, s, m, rapid.IntRange(1, 12).Draw(t, "n"))
		if err := s.Finalize(cfg.End); err != nil {
			t.Fatal(err)
		}
		m.check(t, s)
		allocs := s.Allocations()
		if m.total.Sign() == 0 {
			if allocs != nil {
				t.Fatal("allocations without weight")
			}
			return
		}
		if cfg.Design == crowdsale.DesignFixedPrice {
			checkFixedAllocations(t, s, m)
			return
		}
		sum := token.TRST().Zero()
		poolUnits := cfg.Pool.Units()
		for _, a := range allocs {
			sum, _ = sum.Add(a.Amount)
			exact := new(big.Rat).Mul(new(big.Rat).SetInt(poolUnits), m.weights[a.Participant])
			exact.Quo(exact, m.total)
			got := a.Amount.Units()
			diff := new(big.Rat).Sub(new(big.Rat).SetInt(got), exact)
			if diff.Cmp(big.NewRat(-1, 1)) <= 0 || diff.Cmp(big.NewRat(1, 1)) >= 0 {
				t.Fatalf("%s gets %s units, exact share %s", a.Participant, got, exact.FloatString(6))
			}
		}
		if !sum.Equal(cfg.Pool) {
			t.Fatalf("allocations sum to %s, pool %s", sum, cfg.Pool)
		}
	})
}

func checkFixedAllocations(t *rapid.T, s *crowdsale.Sale, m *saleModel) {
	sum := token.TRST().Zero()
	for _, a := range s.Allocations() {
		sum, _ = sum.Add(a.Amount)
		if !a.Amount.Equal(m.provisional(a.Participant)) {
			t.Fatalf("%s gets %s, buys %s", a.Participant, a.Amount, m.provisional(a.Participant))
		}
	}
	if total, _ := sum.Add(s.Unsold()); !total.Equal(m.cfg.Pool) || s.Unsold().IsNegative() {
		t.Fatalf("allocations %s + unsold %s != pool %s", sum, s.Unsold(), m.cfg.Pool)
	}
}

func TestRapidProvisionalNeverRisesWhenOthersContribute(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := crowdsaletest.AnyConfig().Draw(t, "cfg")
		s := newSale(t, cfg)
		at := cfg.Start
		for range rapid.IntRange(1, 12).Draw(t, "n") {
			before := map[token.Account]token.Amount{}
			for _, p := range crowdsaletest.Participants() {
				before[p] = s.Provisional(p)
			}
			c := crowdsaletest.Contribution(cfg, at, 12*time.Hour).Draw(t, "c")
			if _, err := s.Contribute(c); err != nil {
				continue
			}
			at = c.At
			for _, p := range crowdsaletest.Participants() {
				if p != c.Participant && s.Provisional(p).Cmp(before[p]) > 0 {
					t.Fatalf("%s rose from %s to %s when %s contributed", p, before[p], s.Provisional(p), c.Participant)
				}
			}
		}
	})
}

func TestRapidRefundsReturnWhatWasReceived(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := crowdsaletest.AnyConfig().Draw(t, "cfg")
		cfg.Minimum = cfg.Cap // fails unless the cap is reached exactly
		s := newSale(t, cfg)
		m := newModel(cfg)
		contributeSome(t, s, m, rapid.IntRange(1, 12).Draw(t, "n"))
		if err := s.Finalize(cfg.End); err != nil {
			t.Fatal(err)
		}
		back := map[string]token.Amount{}
		for _, r := range s.Refunds() {
			sum, err := back[r.ContributionID].Add(r.Amount)
			if err != nil {
				t.Fatal(err)
			}
			back[r.ContributionID] = sum
		}
		failed := s.Status(cfg.End).Outcome == crowdsale.OutcomeFailed
		for _, r := range s.Receipts() {
			want := r.Refund
			if failed {
				want = r.Received
			}
			got := back[r.ID]
			if !got.IsValid() {
				got = r.Received.Asset().Zero() // no refund
			}
			if !got.Equal(want) {
				t.Fatalf("%s: refunded %s, want %s (received %s)", r.ID, back[r.ID], want, r.Received)
			}
		}
		m.check(t, s)
	})
}

func TestRapidRejectedContributionChangesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := crowdsaletest.AnyConfig().Draw(t, "cfg")
		s := newSale(t, cfg)
		m := newModel(cfg)
		at := contributeSome(t, s, m, rapid.IntRange(0, 6).Draw(t, "n"))
		before, events := s.Snapshot(), s.Events()
		c := crowdsaletest.Invalid(cfg, at).Draw(t, "invalid")
		if _, err := s.Contribute(c); err == nil {
			t.Fatal("invalid contribution accepted")
		}
		if diff := cmp.Diff(before, s.Snapshot()); diff != "" {
			t.Fatalf("rejected contribution changed the sale:\n%s", diff)
		}
		if diff := cmp.Diff(events, s.Events()); diff != "" {
			t.Fatalf("rejected contribution changed the events:\n%s", diff)
		}
	})
}

func TestRapidReplayEqualsLive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := crowdsaletest.AnyConfig().Draw(t, "cfg")
		s := newSale(t, cfg)
		m := newModel(cfg)
		contributeSome(t, s, m, rapid.IntRange(0, 10).Draw(t, "n"))
		if rapid.Bool().Draw(t, "finalize") {
			if err := s.Finalize(cfg.End); err != nil {
				t.Fatal(err)
			}
		}
		b, err := json.Marshal(s.Events())
		if err != nil {
			t.Fatal(err)
		}
		var events []crowdsale.Event
		if err := json.Unmarshal(b, &events); err != nil {
			t.Fatal(err)
		}
		r, err := crowdsale.Replay(cfg, slices.Values(events))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s.Snapshot(), r.Snapshot()); diff != "" {
			t.Fatalf("replay differs (-live +replay):\n%s", diff)
		}
		b2, _ := json.Marshal(r.Events())
		if string(b) != string(b2) {
			t.Fatal("replayed events differ byte for byte")
		}
	})
}

// The sale as a state machine: random valid and invalid commands; after each, Audit and the
// model; a rejected command changes nothing.
// Sales of both designs are drawn (fixed price with tiers by time or by amount sold).
func TestRapidStateMachine(t *testing.T) { rapid.Check(t, stateMachine(crowdsaletest.AnyConfig())) }

func stateMachine(gen *rapid.Generator[crowdsale.Config]) func(*rapid.T) {
	return func(t *rapid.T) {
		cfg := gen.Draw(t, "cfg")
		if rapid.Bool().Draw(t, "restricted") {
			cfg = crowdsaletest.Restricted(cfg).Draw(t, "restrictions")
		}
		cfg.Admin = "admin"
		if rapid.Bool().Draw(t, "late") {
			cfg.Lateness = time.Duration(rapid.Int64Range(1, int64(24*time.Hour)).Draw(t, "lateness"))
		}
		cfg.Escrow = crowdsale.EscrowRule{Holders: []token.Account{"key-a", "key-b", "key-c"}, Threshold: 2}
		paused := false
		s := newSale(t, cfg)
		m := newModel(cfg)
		now := cfg.Start.Add(-time.Hour)
		// persisted is the log as a service keeps it: after every accepted command, its new
		// events, each encoded to JSON and decoded back.
		var persisted []crowdsale.Event
		persist := func(t *rapid.T) {
			for e := range s.EventsAfter(uint64(len(persisted))) {
				var back crowdsale.Event
				if err := json.Unmarshal(e.AppendJSON(nil), &back); err != nil {
					t.Fatalf("event %d does not decode: %v", e.Seq, err)
				}
				if !back.Equal(e) {
					t.Fatalf("event %d changes through JSON:\n%s\n%s", e.Seq, e.AppendJSON(nil), back.AppendJSON(nil))
				}
				persisted = append(persisted, back)
			}
			if uint64(len(persisted)) != s.LastSeq() {
				t.Fatalf("persisted %d events, the sale has %d", len(persisted), s.LastSeq())
			}
		}
		// unchanged runs f and, if it fails, checks that the deep snapshot (compared as its JSON
		// bytes, then with cmp for the report) and the event count did not change; if it
		// succeeds, it persists the new events.
		unchanged := func(t *rapid.T, what string, f func() error) error {
			before := s.Snapshot()
			bb := before.AppendJSON(nil)
			err := f()
			if err != nil {
				after := s.Snapshot()
				ab := after.AppendJSON(nil)
				if string(bb) != string(ab) {
					t.Fatalf("rejected %s changed the sale: %v\n%s", what, err, cmp.Diff(before, after))
				}
			} else {
				persist(t)
			}
			return err
		}
		// zone draws a time zone, some with offsets of seconds: commands keep the instant in UTC.
		zone := func(t *rapid.T) *time.Location {
			return time.FixedZone("z", rapid.SampledFrom([]int{0, 3600, -5 * 3600, 1172, -(9*3600 + 21)}).Draw(t, "offset"))
		}
		later := func(t *rapid.T) time.Time {
			return now.Add(time.Duration(rapid.Int64Range(0, int64(36*time.Hour)).Draw(t, "delta")))
		}
		// try runs a valid contribution and checks the outcome against the model.
		try := func(t *rapid.T, c crowdsale.Contribution) {
			// st is the status when the contribution was received, cur when it arrives (later
			// for a late one): a pause applies on arrival, the window by the time received.
			st, cur := s.Status(c.At), s.Status(now)
			if c.At.After(now) {
				cur = st
			}
			var r crowdsale.Receipt
			err := unchanged(t, "contribution", func() (err error) { r, err = s.Contribute(c); return })
			switch {
			case err == nil:
				if st.Phase != crowdsale.PhaseOpen || paused {
					t.Fatalf("accepted while %+v (paused %v)", st, paused)
				}
				m.accept(t, c, r)
				if c.At.After(now) {
					now = c.At
				}
			case errors.Is(err, crowdsale.ErrEnded):
				if st.Phase != crowdsale.PhaseEnded && cur.Phase != crowdsale.PhaseEnded {
					t.Fatalf("ended error while %+v: %v", st, err)
				}
			case errors.Is(err, crowdsale.ErrIDConflict), errors.Is(err, crowdsale.ErrTimeOrder):
			case errors.Is(err, crowdsale.ErrPaused):
				// a pause outlives the end: a late contribution may meet it after the end
				if !paused || !cur.Paused && cur.Phase != crowdsale.PhaseEnded {
					t.Fatalf("paused error while %+v: %v", st, err)
				}
			case m.refused(t, c, err):
			default:
				t.Fatalf("valid contribution rejected: %v", err)
			}
		}
		t.Repeat(map[string]func(*rapid.T){
			"contribute": func(t *rapid.T) { try(t, crowdsaletest.Contribution(cfg, now, 12*time.Hour).Draw(t, "c")) },
			"late": func(t *rapid.T) {
				if cfg.Lateness == 0 || !now.After(cfg.Start) {
					t.Skip("no lateness")
				}
				try(t, crowdsaletest.Contribution(cfg, now.Add(-cfg.Lateness), cfg.Lateness).Draw(t, "c"))
			},
			"pause": func(t *rapid.T) {
				at := later(t)
				by := rapid.SampledFrom([]token.Account{"admin", "admin", "mallory"}).Draw(t, "by")
				halt := rapid.Bool().Draw(t, "halt")
				st := s.Status(at)
				err := unchanged(t, "pause", func() error {
					if halt {
						return s.Pause(at.In(zone(t)), by, "outage")
					}
					return s.Resume(at.In(zone(t)), by, "fixed")
				})
				switch {
				case by != "admin":
					if !errors.Is(err, crowdsale.ErrNotAdmin) {
						t.Fatalf("pause by %s: %v", by, err)
					}
				case st.Phase == crowdsale.PhaseEnded || halt == paused:
					if !errors.Is(err, crowdsale.ErrState) {
						t.Fatalf("pause(%v) while %+v, paused %v: %v", halt, st, paused, err)
					}
				case err != nil:
					t.Fatalf("pause(%v) while %+v: %v", halt, st, err)
				default:
					paused, now = halt, at
					if s.Status(at).Paused != halt {
						t.Fatalf("status after pause(%v): %+v", halt, s.Status(at))
					}
				}
			},
			"pay": func(t *rapid.T) {
				due := s.RefundsDue()
				if len(due) == 0 {
					t.Skip("no refund due")
				}
				r := rapid.SampledFrom(due).Draw(t, "refund")
				at := later(t)
				paid := len(s.RefundPayments())
				if err := unchanged(t, "pay", func() error { return s.PayRefund(at, r.ContributionID, r.Reason, "tx-"+r.ContributionID) }); err != nil {
					t.Fatal(err)
				}
				now = at
				if len(s.RefundsDue()) != len(due)-1 || len(s.RefundPayments()) != paid+1 {
					t.Fatalf("paying %+v: %d due, %d paid", r, len(s.RefundsDue()), len(s.RefundPayments()))
				}
				err := unchanged(t, "pay again", func() error { return s.PayRefund(at, r.ContributionID, r.Reason, "other") })
				if !errors.Is(err, crowdsale.ErrRefundPaid) {
					t.Fatalf("paid twice: %v", err)
				}
			},
			"approve": func(t *rapid.T) {
				at := later(t)
				holder := rapid.SampledFrom([]token.Account{"key-a", "key-b", "key-c", "mallory"}).Draw(t, "holder")
				r := rapid.SampledFrom([]crowdsale.Release{
					{ID: "r1", Amount: btcs("1"), Destination: "bc1team"},
					{ID: "r2", Amount: eths("0.5"), Destination: "0xteam"},
					{ID: "r3", Amount: token.BTC().FromInt64Units(1), Destination: "bc1team"},
					{ID: "r1", Amount: btcs("1"), Destination: "elsewhere"},
				}).Draw(t, "release")
				seq := s.LastSeq()
				err := unchanged(t, "approve", func() error { return s.Approve(at, holder, r) })
				switch {
				case err == nil:
					if s.LastSeq() != seq {
						now = at
					}
					if st := s.Status(at); st.Outcome != crowdsale.OutcomeSucceeded {
						t.Fatalf("a release approved while %+v", st)
					}
				case errors.Is(err, crowdsale.ErrNotHolder):
					if holder != "mallory" {
						t.Fatal(err)
					}
				case errors.Is(err, crowdsale.ErrState), errors.Is(err, crowdsale.ErrEscrowShort), errors.Is(err, crowdsale.ErrReleaseConflict):
				default:
					t.Fatal(err)
				}
				for _, b := range s.Escrow() {
					sum, _ := b.Released.Add(b.Refunded)
					sum, _ = sum.Add(b.Held)
					if b.Held.IsNegative() || b.Released.Cmp(b.Received) > 0 || !sum.Equal(b.Received) {
						t.Fatalf("escrow %+v", b)
					}
				}
			},
			"register": func(t *rapid.T) {
				at := later(t)
				r := crowdsaletest.Registrant().Draw(t, "registrant")
				seq := s.LastSeq()
				if err := unchanged(t, "register", func() error { return s.Register(at.In(zone(t)), r) }); err != nil {
					t.Fatal(err)
				}
				m.verified[r.Account] = r.Verified
				if got, ok := s.Registrant(r.Account); !ok || got.Verified != r.Verified || got.Payout != r.Payout {
					t.Fatalf("registered %+v, registry has %+v", r, got)
				}
				if s.LastSeq() != seq { // registering the same entry again is a no-op
					now = at
				}
			},
			"invalid": func(t *rapid.T) {
				c := crowdsaletest.Invalid(cfg, now).Draw(t, "c")
				if unchanged(t, "invalid contribution", func() error { _, err := s.Contribute(c); return err }) == nil {
					t.Fatal("invalid contribution accepted")
				}
			},
			"backwards": func(t *rapid.T) {
				if !now.After(cfg.Start) {
					t.Skip("no past")
				}
				c := crowdsaletest.Contribution(cfg, cfg.Start, time.Second).Draw(t, "c")
				c.At = now.Add(-cfg.Lateness - time.Nanosecond)
				_ = unchanged(t, "backwards contribution", func() error { _, err := s.Contribute(c); return err })
				if s.Len() != m.count {
					t.Fatal("a contribution before the clock was recorded")
				}
			},
			"whatif": func(t *rapid.T) {
				c := crowdsaletest.Contribution(cfg, now, 12*time.Hour).Draw(t, "c")
				before, _ := s.Snapshot().MarshalJSON()
				_, _ = s.WhatIf(c)
				if after, _ := s.Snapshot().MarshalJSON(); string(before) != string(after) {
					t.Fatal("WhatIf changed the sale")
				}
			},
			"closing": func(t *rapid.T) {
				day := cfg.Start.Truncate(24 * time.Hour).Add(time.Duration(rapid.IntRange(-3, 7).Draw(t, "day")) * 24 * time.Hour)
				src := rapid.SampledFrom(cfg.Quotes.Sources).Draw(t, "source")
				asset := rapid.SampledFrom([]token.Asset{token.BTC(), token.ETH()}).Draw(t, "asset")
				rate := cfg.Fiat.Currency.FromInt64Units(rapid.Int64Range(1, 5000).Draw(t, "rate") * 100)
				_ = unchanged(t, "closing rate", func() error { return s.RecordClosingRate(day, src, asset, rate) })
			},
			"closing at": func(t *rapid.T) {
				day := cfg.Start.Truncate(24 * time.Hour).Add(time.Duration(rapid.IntRange(-3, 7).Draw(t, "day")) * 24 * time.Hour)
				src := rapid.SampledFrom(cfg.Quotes.Sources).Draw(t, "source")
				asset := rapid.SampledFrom([]token.Asset{token.BTC(), token.ETH()}).Draw(t, "asset")
				rate := cfg.Fiat.Currency.FromInt64Units(rapid.Int64Range(1, 5000).Draw(t, "rate") * 100)
				at := later(t)
				seq := s.LastSeq()
				err := unchanged(t, "dated closing rate", func() error { return s.RecordClosingRateAt(at.In(zone(t)), day, src, asset, rate) })
				switch {
				case err == nil:
					if at.Before(day.Add(24 * time.Hour)) {
						t.Fatalf("a rate of %s recorded at %s, before the day closed", day, at)
					}
					if s.LastSeq() != seq {
						now = at
					}
				case errors.Is(err, crowdsale.ErrRateNotClosed):
					if !at.Before(day.Add(24 * time.Hour)) {
						t.Fatalf("a rate of %s refused at %s: %v", day, at, err)
					}
				case errors.Is(err, crowdsale.ErrRateConflict), errors.Is(err, crowdsale.ErrEnded), errors.Is(err, crowdsale.ErrClosingRate):
				default:
					t.Fatal(err)
				}
			},
			"advance": func(t *rapid.T) {
				at := later(t)
				if err := unchanged(t, "advance", func() error { _, err := s.Advance(at.In(zone(t))); return err }); err != nil {
					t.Fatal(err)
				}
				now = at
			},
			"unrepresentable": func(t *rapid.T) {
				far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(rapid.Int64Range(0, 1<<50).Draw(t, "far")))
				var err error
				switch rapid.IntRange(0, 3).Draw(t, "command") {
				case 0:
					err = unchanged(t, "advance", func() error { _, err := s.Advance(far); return err })
				case 1:
					err = unchanged(t, "finalize", func() error { return s.Finalize(far) })
				case 2:
					err = unchanged(t, "shift", func() error { return s.Shift(far, time.Hour) })
				default:
					c := crowdsaletest.Contribution(cfg, now, time.Hour).Draw(t, "c")
					c.At = far
					err = unchanged(t, "contribution", func() error { _, err := s.Contribute(c); return err })
				}
				if !errors.Is(err, token.ErrInvalidTime) {
					t.Fatalf("a command in year %d: %v", far.Year(), err)
				}
			},
			"finalize": func(t *rapid.T) {
				at := later(t)
				st := s.Status(at)
				err := unchanged(t, "finalize", func() error { return s.Finalize(at) })
				if (err == nil) != (st.Phase == crowdsale.PhaseEnded && !st.Finalized) {
					t.Fatalf("finalize at %+v: %v", st, err)
				}
				if err == nil {
					now = at
				}
			},
			"distribute": func(t *rapid.T) {
				l, _ := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{Sale: cfg.SaleAccount, Team: "t", Organisation: "o", Bounties: "b"}))
				st := s.Status(now)
				// a plain distribution, or one locked up (in escrow or not; the schedule
				// sometimes invalid)
				locked := rapid.Bool().Draw(t, "locked")
				lock := lockUp().Draw(t, "lock")
				valid := rapid.IntRange(0, 4).Draw(t, "invalid") != 0
				if !valid {
					lock.Schedule.End = lock.Schedule.Start
				}
				err := unchanged(t, "distribute", func() error {
					if locked {
						return s.DistributeLocked(l, lock)
					}
					return s.Distribute(l)
				})
				if (err == nil) != (st.Outcome == crowdsale.OutcomeSucceeded && !st.Distributed && (valid || !locked)) {
					t.Fatalf("distribute at %+v (locked %v, valid %v): %v", st, locked, valid, err)
				}
				if err == nil {
					for _, a := range s.Allocations() {
						if b := l.Balance(a.Participant); locked && lock.Escrow != "" {
							if !b.IsZero() {
								t.Fatalf("%s holds %s, all in escrow", a.Participant, b)
							}
						} else if !b.Equal(a.Amount) || (locked && !l.Locked(a.Participant).Equal(a.Amount)) {
							t.Fatalf("%s holds %s (%s locked), allocated %s", a.Participant, b, l.Locked(a.Participant), a.Amount)
						}
					}
				}
			},
			"": func(t *rapid.T) { m.check(t, s) },
		})
		if err := crowdsaletest.Check(s); err != nil {
			t.Fatal(err)
		}
		// the persisted log replays to the live sale
		r, err := crowdsale.Replay(cfg, slices.Values(persisted))
		if err != nil {
			t.Fatal(err)
		}
		if live, again := s.Snapshot().AppendJSON(nil), r.Snapshot().AppendJSON(nil); string(live) != string(again) {
			t.Fatalf("the persisted log replays to another sale:\n%s\n%s", again, live)
		}
	}
}
