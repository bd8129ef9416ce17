package crowdsaletest_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/crowdsale/crowdsaletest"
)

// TestRapidGenerators checks the generators' promises: configs validate, valid
// contributions are accepted or rejected only for a reason of the sale's state (its end, a
// repeated id), invalid ones are always rejected, and Check passes after every step.
func TestRapidGenerators(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := crowdsaletest.Config().Draw(t, "config")
		if err := cfg.Validate(); err != nil {
			t.Fatalf("generated config does not validate: %v", err)
		}
		sale, err := crowdsale.NewSale(cfg)
		if err != nil {
			t.Fatalf("NewSale: %v", err)
		}
		from := cfg.Start
		for i := range rapid.IntRange(1, 12).Draw(t, "steps") {
			if rapid.Bool().Draw(t, fmt.Sprint("invalid", i)) {
				c := crowdsaletest.Invalid(cfg, from).Draw(t, fmt.Sprint("bad", i))
				before := sale.LastSeq()
				if _, err := sale.Contribute(c); err == nil {
					t.Fatalf("invalid contribution %+v accepted", c)
				}
				if sale.LastSeq() != before || len(sale.Events()) != int(before) {
					t.Fatalf("rejected contribution changed the log")
				}
			} else {
				c := crowdsaletest.Contribution(cfg, from, 6*time.Hour).Draw(t, fmt.Sprint("ok", i))
				if c.At.Before(from) || !c.At.Before(cfg.End) {
					t.Fatalf("contribution at %v outside [%v, %v)", c.At, from, cfg.End)
				}
				_, err := sale.Contribute(c)
				if err != nil && !errors.Is(err, crowdsale.ErrEnded) && !errors.Is(err, crowdsale.ErrIDConflict) {
					t.Fatalf("valid contribution %+v rejected: %v", c, err)
				}
				from = c.At
			}
			if err := crowdsaletest.Check(sale); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestParticipantsAreValid(t *testing.T) {
	ps := crowdsaletest.Participants()
	if len(ps) == 0 {
		t.Fatal("no participants")
	}
	seen := map[string]bool{}
	for _, p := range ps {
		if err := p.Validate(); err != nil || seen[string(p)] {
			t.Fatalf("participant %q invalid or repeated (%v)", p, err)
		}
		seen[string(p)] = true
	}
}
