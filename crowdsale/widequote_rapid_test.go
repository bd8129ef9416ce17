package crowdsale_test

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// drawUnits draws a positive integer below 2^maxBits, its bit length uniform, so that small
// and huge magnitudes are both common.
func drawUnits(t *rapid.T, name string, maxBits int) *big.Int {
	n := rapid.IntRange(1, maxBits).Draw(t, name+" bits")
	x := new(big.Int).SetUint64(rapid.Uint64().Draw(t, name+" hi"))
	x.Lsh(x, 64).Or(x, new(big.Int).SetUint64(rapid.Uint64().Draw(t, name+" lo")))
	x.Rsh(x, uint(128-n))
	return x.SetBit(x, n-1, 1)
}

// TestRapidWideQuote compares the value of contributions in a quoted currency with math/big,
// at random decimals of the reference, the currency and the quotes, random quotes (up to
// 128 bits of minor units) and amounts and a random cap: a quote whose minor unit would be
// worth 2^126 value units or more is refused as too large, and otherwise the median, the
// accepted part (the floor of the room under the cap, when it crosses it) and the value are
// exact.
func TestRapidWideQuote(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		dr := rapid.IntRange(0, 18).Draw(t, "reference decimals")
		do := rapid.IntRange(0, 18).Draw(t, "currency decimals")
		maxDec := max(dr, do)
		k := rapid.IntRange(0, min(18, 18-maxDec+dr, 35-maxDec)).Draw(t, "quote decimals")
		ref, _ := token.NewAsset("REF", dr)
		oth, _ := token.NewAsset("OTH", do)
		qa, _ := token.NewAsset("REF", k)
		cfg := crowdsale.WeTrust2017()
		cfg.Reference, cfg.Accepted = ref, []token.Asset{ref, oth}
		cfg.Fiat, cfg.Minimum = crowdsale.FiatRule{}, ref.Zero()
		cfg.Quotes.Decimals, cfg.Quotes.Quorum = k, 1
		// cap x 2 x 10^(maxDec+k-dr) x 26 (the largest factor, over 20) stays below 2^126
		unitsPerRef := new(big.Int).Mul(big.NewInt(2), pow10Big(maxDec+k-dr))
		most := new(big.Int).Lsh(big.NewInt(1), 126)
		most.Sub(most, big.NewInt(1)).Quo(most, unitsPerRef.Mul(unitsPerRef, big.NewInt(26)))
		capUnits := drawUnits(t, "cap", most.BitLen())
		if capUnits.Cmp(most) > 0 {
			capUnits.Rsh(capUnits, 1)
		}
		cfg.Cap, _ = ref.FromUnits(capUnits)
		s := newSale(t, cfg)
		scale := pow10Big(maxDec - do)
		limit := new(big.Int).Lsh(big.NewInt(1), 126)
		raised := new(big.Rat)
		perOth := new(big.Rat).SetFrac(big.NewInt(1), pow10Big(do)) // whole OTH per minor unit
		for i := range rapid.IntRange(1, 3).Draw(t, "contributions") {
			names := []string{"cryptocompare", "coinmarketcap", "gdax"}
			quotes := map[string]token.Amount{}
			var qs []*big.Int
			tooLarge := false
			for _, src := range names[:rapid.IntRange(1, 3).Draw(t, "quotes")] {
				u := drawUnits(t, "quote", 128)
				quotes[src], _ = qa.FromUnits(u)
				per := new(big.Int).Mul(new(big.Int).Lsh(u, 1), scale)
				tooLarge = tooLarge || per.Cmp(limit) >= 0
				qs = append(qs, u)
			}
			amount, _ := oth.FromUnits(drawUnits(t, "amount", 128))
			c := crowdsale.Contribution{ID: string(rune('a' + i)), Participant: "p", Amount: amount, At: utc(3, 2, 0, 0, i), Quotes: quotes}
			if tooLarge {
				if _, err := s.Contribute(c); !errors.Is(err, crowdsale.ErrInvalidQuote) || !strings.Contains(errorOf(err).Detail, "quote too large") {
					t.Fatalf("a quote past the limit: %v", err)
				}
				continue
			}
			rc := mustContribute(t, s, c)
			med := medianRat(qs, k)
			if ratOf(rc.Median).Cmp(med) != 0 {
				t.Fatalf("median %s, want %s", rc.Median, med.RatString())
			}
			unitValue := new(big.Rat).Mul(perOth, med) // reference per minor unit
			room := new(big.Rat).Sub(ratOf(cfg.Cap), raised)
			accepted := amount.Units()
			if v := new(big.Rat).Mul(new(big.Rat).SetInt(accepted), unitValue); v.Cmp(room) >= 0 {
				q := new(big.Rat).Quo(room, unitValue)
				accepted = new(big.Int).Quo(q.Num(), q.Denom())
				if !rc.CapReached {
					t.Fatal("the cap was reached without saying so")
				}
			}
			if rc.Accepted.Units().Cmp(accepted) != 0 {
				t.Fatalf("accepted %s, want %s minor units", rc.Accepted.Units(), accepted)
			}
			want := new(big.Rat).Mul(new(big.Rat).SetInt(accepted), unitValue)
			if ratOf(rc.Value()).Cmp(want) != 0 {
				t.Fatalf("value %s, want %s", rc.Value(), want.RatString())
			}
			raised.Add(raised, want)
			if ratOf(s.Raised()).Cmp(raised) != 0 {
				t.Fatalf("raised %s, want %s", s.Raised(), raised.RatString())
			}
			if rc.CapReached {
				break
			}
		}
	})
}

// pow10Big returns 10^n.
func pow10Big(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// medianRat returns the median of quotes given in units of 10^-k, the mean of the middle two
// for an even count, in whole units.
func medianRat(units []*big.Int, k int) *big.Rat {
	qs := make([]*big.Rat, len(units))
	for i, u := range units {
		qs[i] = new(big.Rat).SetFrac(u, pow10Big(k))
	}
	for i := range qs {
		for j := i; j > 0 && qs[j-1].Cmp(qs[j]) > 0; j-- {
			qs[j-1], qs[j] = qs[j], qs[j-1]
		}
	}
	n := len(qs)
	if n%2 == 1 {
		return qs[n/2]
	}
	m := new(big.Rat).Add(qs[n/2-1], qs[n/2])
	return m.Quo(m, big.NewRat(2, 1))
}
