package crowdsale_test

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/crowdsale/crowdsaletest"
	"pgregory.net/rapid"
)

// oneByOne records cs with Contribute in turn, stopping at the first refused: what
// ContributeAll must do.
func oneByOne(s *crowdsale.Sale, cs []crowdsale.Contribution) (int, error) {
	for i, c := range cs {
		if _, err := s.Contribute(c); err != nil {
			return i, err
		}
	}
	return len(cs), nil
}

// sameSale fails unless a and b hold the same state, events and receipts, byte for byte.
func sameSale(t tb, a, b *crowdsale.Sale) {
	t.Helper()
	if sa, sb := a.Snapshot().AppendJSON(nil), b.Snapshot().AppendJSON(nil); !bytes.Equal(sa, sb) {
		t.Fatalf("snapshots differ:\n%s", cmp.Diff(a.Snapshot(), b.Snapshot()))
	}
	if a.LastSeq() != b.LastSeq() {
		t.Fatalf("%d events against %d", a.LastSeq(), b.LastSeq())
	}
	ea, eb := a.Events(), b.Events()
	for i := range ea {
		if !ea[i].Equal(eb[i]) {
			t.Fatalf("event %d differs:\n%s\n%s", i, ea[i].AppendJSON(nil), eb[i].AppendJSON(nil))
		}
	}
	ra, rb := a.Receipts(), b.Receipts()
	if len(ra) != len(rb) {
		t.Fatalf("%d receipts against %d", len(ra), len(rb))
	}
	for i := range ra {
		if !ra[i].Equal(rb[i]) {
			t.Fatalf("receipt %d differs:\n%+v\n%+v", i, ra[i], rb[i])
		}
	}
}

// TestRapidContributeAllIsContributeInTurn draws a batch of valid, invalid, repeated and
// conflicting contributions, some out of order, and checks that ContributeAll records what
// Contribute in turn records, stops where it stops, with the same error, and leaves the
// same sale.
func TestRapidContributeAllIsContributeInTurn(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := crowdsaletest.AnyConfig().Draw(t, "cfg")
		if rapid.Bool().Draw(t, "restricted") {
			cfg = crowdsaletest.Restricted(cfg).Draw(t, "restrictions")
		}
		if rapid.Bool().Draw(t, "late") {
			cfg.Lateness = time.Duration(rapid.Int64Range(1, int64(24*time.Hour)).Draw(t, "lateness"))
		}
		a, b := newSale(t, cfg), newSale(t, cfg)
		at := cfg.Start
		var first []crowdsale.Contribution // both sales hold the same start
		for range rapid.IntRange(0, 4).Draw(t, "before") {
			c := crowdsaletest.Contribution(cfg, at, time.Hour).Draw(t, "first")
			first, at = append(first, c), c.At
		}
		oneByOne(a, first)
		oneByOne(b, first)
		var cs []crowdsale.Contribution
		for range rapid.IntRange(0, 40).Draw(t, "n") {
			var c crowdsale.Contribution
			switch kind := rapid.IntRange(0, 9).Draw(t, "kind"); {
			case kind == 0:
				c = crowdsaletest.Invalid(cfg, at).Draw(t, "invalid")
			case kind == 1 && len(cs) > 0: // a repeat, with the same content or another
				c = rapid.SampledFrom(cs).Draw(t, "repeat")
				if rapid.Bool().Draw(t, "conflict") {
					c.Amount = c.Amount.Asset().FromInt64Units(7)
				}
			case kind == 2: // earlier than the sale's clock, within the lateness or not
				c = crowdsaletest.Contribution(cfg, at.Add(-12*time.Hour), 12*time.Hour).Draw(t, "early")
			default:
				c = crowdsaletest.Contribution(cfg, at, 6*time.Hour).Draw(t, "c")
				at = c.At
			}
			cs = append(cs, c)
		}
		na, erra := oneByOne(a, cs)
		nb, errb := b.ContributeAll(cs)
		if na != nb || (erra == nil) != (errb == nil) || erra != nil && erra.Error() != errb.Error() {
			t.Fatalf("one by one: %d, %v; ContributeAll: %d, %v", na, erra, nb, errb)
		}
		if erra != nil {
			ea, _ := errors.AsType[*crowdsale.Error](erra)
			eb, ok := errors.AsType[*crowdsale.Error](errb)
			if !ok || eb.Code() != ea.Code() || eb.Op != ea.Op {
				t.Fatalf("errors of different codes: %v, %v", erra, errb)
			}
		}
		sameSale(t, a, b)
	})
}

// TestContributeAllLargeSale records a sale large enough that ContributeAll reads its
// indexes ahead (more than 65,536 ids), with repeats mixed in, and checks it against
// Contribute in turn.
func TestContributeAllLargeSale(t *testing.T) {
	if testing.Short() {
		t.Skip("68,000 contributions")
	}
	in := benchInputs(68_000)
	// every 1,000th contribution is sent twice: the repeat changes nothing
	cs := make([]crowdsale.Contribution, 0, len(in)+len(in)/1000)
	for i, c := range in {
		cs = append(cs, c)
		if i%1000 == 999 {
			cs = append(cs, in[i-500])
		}
	}
	cfg := crowdsale.WeTrust2017()
	a, b := newSale(t, cfg), newSale(t, cfg)
	if n, err := oneByOne(a, cs); n != len(cs) || err != nil {
		t.Fatalf("one by one: %d of %d, %v", n, len(cs), err)
	}
	if n, err := b.ContributeAll(cs); n != len(cs) || err != nil {
		t.Fatalf("ContributeAll: %d of %d, %v", n, len(cs), err)
	}
	sameSale(t, a, b)
	// a refused contribution stops it, with Contribute's error, and changes nothing
	bad := crowdsale.Contribution{ID: "late", Participant: "p1", Amount: btcs("1"), At: cfg.Start}
	before := b.Snapshot().AppendJSON(nil)
	n, err := b.ContributeAll([]crowdsale.Contribution{in[0], bad, in[1]})
	if _, want := a.Contribute(bad); n != 1 || err == nil || err.Error() != want.Error() {
		t.Fatalf("ContributeAll of a refused contribution: %d, %v; want 1, %v", n, err, want)
	}
	if !bytes.Equal(before, b.Snapshot().AppendJSON(nil)) {
		t.Fatal("the refused batch changed the sale")
	}
}

func TestContributeAllEmptyAndZero(t *testing.T) {
	s := newSale(t, crowdsale.WeTrust2017())
	for _, cs := range [][]crowdsale.Contribution{nil, {}} {
		if n, err := s.ContributeAll(cs); n != 0 || err != nil {
			t.Fatalf("ContributeAll(%v): %d, %v", cs, n, err)
		}
	}
	if s.LastSeq() != 0 {
		t.Fatal("an empty batch recorded events")
	}
	var zero crowdsale.Sale
	for _, cs := range [][]crowdsale.Contribution{nil, benchInputs(3)} {
		n, err := zero.ContributeAll(cs)
		if n != 0 || !errors.Is(err, crowdsale.ErrUninitialized) {
			t.Fatalf("zero Sale, %d contributions: %d, %v", len(cs), n, err)
		}
	}
}
