package rosca_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// trstCircle is a fixed-order TRST circle of n members, contribution 1 TRST, fee 2 per
// mille, with the platform's fee set by WeTrust's policy.
func trstCircle(t *testing.T, n int) (rosca.Config, *rosca.Circle) {
	t.Helper()
	cfg := weiCfg(rosca.FixedOrder, n, 1, 2)
	cfg.Asset, cfg.Contribution = token.TRST(), token.TRST().MustParse("1")
	cfg, err := cfg.WithPlatformPolicy(fees.WeTrustPlatformPolicy())
	ok(t, err)
	return cfg, mustNew(t, cfg)
}

// An eight-member TRST circle pays the platform 0.1% of each pot: 0.008 TRST of 8 TRST,
// out of the winnings RF(8) = 7.984 TRST, so each winner is credited 7.976 TRST; the
// operator retrieves 8 x 0.008 = 0.064 TRST after the end, once.
func TestGoldenPlatformFee(t *testing.T) {
	cfg, c := trstCircle(t, 8)
	if !cfg.PlatformFee.Equal(token.MustRatio(1, 1000)) {
		t.Fatalf("platform fee %s, want 0.1%%", cfg.PlatformFee)
	}
	trst := token.TRST().MustParse
	for r := 1; r <= 8; r++ {
		contributeAll(t, c, at(r-1), cfg.Contribution)
		res, err := c.CloseRound(at(r))
		ok(t, err)
		if !res.Winnings.Equal(trst("7.984")) || !res.PlatformFee.Equal(trst("0.008")) {
			t.Fatalf("round %d: winnings %s, platform fee %s", r, res.Winnings, res.PlatformFee)
		}
		if p := pos(t, c, string(res.Winner)); !p.Won.Equal(trst("7.976")) {
			t.Fatalf("round %d: %s won %s, want 7.976 TRST", r, res.Winner, p.Won)
		}
		if r < 8 {
			rejects(t, c, rosca.ErrNotEnded, func() error { _, err := c.RetrievePlatformFee(at(r), "op"); return err })
		}
	}
	if tot := c.Totals(); !tot.PlatformFees.Equal(trst("0.064")) || !tot.PlatformFeesPaid.IsZero() {
		t.Fatalf("totals %+v", tot)
	}
	rejects(t, c, rosca.ErrNotOperator, func() error { _, err := c.RetrievePlatformFee(at(8), "m0"); return err })
	got, err := c.RetrievePlatformFee(at(8), "op")
	ok(t, err)
	if !got.Equal(trst("0.064")) {
		t.Fatalf("retrieved %s", got)
	}
	rejects(t, c, rosca.ErrNothingToPay, func() error { _, err := c.RetrievePlatformFee(at(8), "op"); return err })
	var last rosca.Event
	for e := range c.EventsAfter(c.LastSeq() - 1) {
		last = e
	}
	if last.Kind != rosca.EventPlatformFeePaid || last.Member != "op" || !last.Amount.Equal(got) {
		t.Fatalf("event %+v", last)
	}
	if b, _ := last.MarshalJSON(); !strings.Contains(string(b), `"kind":"platform_fee_paid"`) {
		t.Fatalf("json %s", b)
	}
	if back := roundTripJSON(t, last); !back.Equal(last) {
		t.Fatalf("round trip %+v", back)
	}
	solvent(t, c)
	if tot := c.Totals(); !tot.PlatformFeesPaid.Equal(trst("0.064")) {
		t.Fatalf("totals %+v", tot)
	}
}

// Five members or fewer pay the platform nothing, and a round's JSON then has no
// platform_fee.
func TestPlatformFeeSmallCircle(t *testing.T) {
	cfg, c := trstCircle(t, 5)
	if !cfg.PlatformFee.IsZero() {
		t.Fatalf("platform fee %s", cfg.PlatformFee)
	}
	contributeAll(t, c, at(0), cfg.Contribution)
	res, err := c.CloseRound(at(1))
	ok(t, err)
	if res.PlatformFee.IsValid() {
		t.Fatalf("platform fee %s", res.PlatformFee)
	}
	if b, _ := res.MarshalJSON(); strings.Contains(string(b), "platform") {
		t.Fatalf("json %s", b)
	}
	if _, err := (rosca.Config{}).WithPlatformPolicy(fees.WeTrustPlatformPolicy()); !errors.Is(err, fees.ErrInvalidCircle) {
		t.Fatalf("policy of no circle: %v", err)
	}
}

// The platform's fee ranks as the loss policy says: with the members and the
// foreperson's fee pro rata, or with the foreperson's fee ahead of the members.
func TestPlatformFeeBearsLoss(t *testing.T) {
	for _, policy := range []rosca.LossPolicy{rosca.LossProRata, rosca.LossFeeFirst} {
		t.Run(string(policy), func(t *testing.T) {
			cfg := weiCfg(rosca.FixedOrder, 3, 1000, 20)
			cfg.Rules.Loss, cfg.PlatformFee = policy, token.MustRatio(1, 100)
			c := mustNew(t, cfg)
			contributeAll(t, c, at(0), wei(1000))
			_, err := c.CloseRound(at(1))
			ok(t, err)
			withdraw(t, c, at(1), "m0") // m0 takes its pot and never pays again
			var last rosca.RoundResult
			for r := 2; r <= 3; r++ {
				ok(t, c.Contribute(at(r-1), "m1", wei(1000)))
				ok(t, c.Contribute(at(r-1), "m2", wei(1000)))
				last, err = c.CloseRound(at(r))
				ok(t, err)
			}
			var sum, members int64
			var platform *rosca.LossLine
			for i, l := range last.Losses {
				sum += units(l.Loss)
				switch {
				case l.Platform:
					platform = &last.Losses[i]
				case !l.Fees && !l.Remainder:
					members += units(l.Loss)
				}
			}
			if platform == nil || platform.Account != "op" || units(platform.Claim) != 90 || sum != units(last.Shortfall) {
				t.Fatalf("losses %v of shortfall %s", last.Losses, last.Shortfall)
			}
			if policy == rosca.LossFeeFirst && units(platform.Loss) != 90 {
				t.Fatalf("fee first: the platform bears %s of 90", platform.Loss)
			}
			if policy == rosca.LossProRata && (members == 0 || units(platform.Loss) == 0) {
				t.Fatalf("pro rata: members bear %d, the platform %s", members, platform.Loss)
			}
			if tot := c.Totals(); units(tot.PlatformFees) != 90-units(platform.Loss) {
				t.Fatalf("platform fees %s after a loss of %s", tot.PlatformFees, platform.Loss)
			}
			solvent(t, c)
		})
	}
}

// An emergency settlement pays the platform's fee as its own line.
func TestPlatformFeeInSettlement(t *testing.T) {
	cfg := weiCfg(rosca.FixedOrder, 3, 1000, 20)
	cfg.PlatformFee = token.MustRatio(1, 100)
	c := mustNew(t, cfg)
	contributeAll(t, c, at(0), wei(1000))
	_, err := c.CloseRound(at(1))
	ok(t, err)
	ok(t, c.EnableHalt(at(1), "op"))
	lines, err := c.ActivateHalt(at(1), "m0")
	ok(t, err)
	var found bool
	for _, l := range lines {
		if l.Platform {
			found = l.Account == "op" && units(l.Claim) == 30 && units(l.Paid) == 30
		}
	}
	if !found {
		t.Fatalf("settlement %v", lines)
	}
	audit(t, c)
	checkReplay(t, c)
}

// The platform's fee must be below 100%; the foreperson's fee above the cap is refused
// with the fees package's reason.
func TestPlatformFeeConfig(t *testing.T) {
	cfg := weiCfg(rosca.FixedOrder, 3, 1000, 20)
	cfg.PlatformFee = token.One()
	if _, err := rosca.New(cfg); !errors.Is(err, rosca.ErrInvalidConfig) || !strings.Contains(err.Error(), "PlatformFee") {
		t.Fatalf("platform fee 100%%: %v", err)
	}
	cfg = weiCfg(rosca.FixedOrder, 3, 1000, 21)
	if _, err := rosca.New(cfg); !errors.Is(err, rosca.ErrInvalidConfig) || !errors.Is(err, fees.ErrAboveCap) {
		t.Fatalf("fee above the cap: %v", err)
	}
	if back := roundTripJSON(t, weiCfgWithPlatform()); !back.PlatformFee.Equal(token.MustRatio(3, 1000)) {
		t.Fatalf("platform fee through JSON: %s", back.PlatformFee)
	}
}

func weiCfgWithPlatform() rosca.Config {
	cfg := weiCfg(rosca.Bidding, 8, 1000, 20)
	cfg.PlatformFee = token.MustRatio(3, 1000)
	return cfg
}
