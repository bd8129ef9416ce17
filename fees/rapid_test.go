package fees_test

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

// genRate draws a valid rate with a small or a large denominator.
func genRate() *rapid.Generator[fees.Rate] {
	return rapid.Custom(func(t *rapid.T) fees.Rate {
		den := rapid.OneOf(rapid.Int64Range(1, 10_000), rapid.Int64Range(1, 1<<62)).Draw(t, "den")
		num := rapid.Int64Range(0, den).Draw(t, "num")
		return fees.MustRate(num, den)
	})
}

// genUnits draws a gross amount in minor units, up to about 10^30.
func genUnits() *rapid.Generator[*big.Int] {
	return rapid.Custom(func(t *rapid.T) *big.Int {
		hi := rapid.Uint64Range(0, 1<<36).Draw(t, "hi")
		lo := rapid.Uint64().Draw(t, "lo")
		u := new(big.Int).SetUint64(hi)
		u.Lsh(u, 64)
		return u.Add(u, new(big.Int).SetUint64(lo))
	})
}

func genAsset() *rapid.Generator[token.Asset] {
	return rapid.SampledFrom([]token.Asset{token.ETH(), token.BTC(), token.TRST()})
}

// TestRapidFeePlusNetIsGross: both forms split the gross exactly, in units and in decimals,
// and neither part is negative.
func TestRapidFeePlusNetIsGross(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRate().Draw(t, "rate")
		g := genUnits().Draw(t, "gross")
		for name, f := range map[string]func(*big.Int) (*big.Int, *big.Int){"FeeUnits": r.FeeUnits, "NetFloorUnits": r.NetFloorUnits} {
			fee, net := f(g)
			if new(big.Int).Add(fee, net).Cmp(g) != 0 || fee.Sign() < 0 || net.Sign() < 0 {
				t.Fatalf("%s(%s) of %s: fee %s + net %s", name, r, g, fee, net)
			}
		}
		asset := genAsset().Draw(t, "asset")
		gross := asset.FromUnits(g)
		for name, f := range map[string]func(token.Asset, decimal.Decimal) (decimal.Decimal, decimal.Decimal, error){"Apply": r.Apply, "ApplyNetFloor": r.ApplyNetFloor} {
			fee, net, err := f(asset, gross)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !fee.Add(net).Equal(gross) || asset.Check(fee) != nil || asset.Check(net) != nil {
				t.Fatalf("%s(%s) of %s: fee %s net %s", name, r, gross, fee, net)
			}
		}
	})
}

// TestRapidFeeWithinCap: a rate accepted under a cap never charges more than the cap would:
// FeeUnits never exceeds gross x cap, NetFloorUnits never exceeds it by a whole unit, and a
// rate above the cap is refused.
func TestRapidFeeWithinCap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		limit := genRate().Draw(t, "cap")
		r := genRate().Draw(t, "rate")
		g := genUnits().Draw(t, "gross")
		ff, err := fees.NewForepersonFee(r, limit)
		if r.Cmp(limit) > 0 {
			if err == nil {
				t.Fatalf("%s accepted under cap %s", r, limit)
			}
			return
		}
		if err != nil {
			t.Fatalf("%s refused under cap %s: %v", r, limit, err)
		}
		// bound = gross * capNum; compare fee * capDen with it (exact, no division).
		bound := new(big.Int).Mul(g, big.NewInt(limit.Num()))
		capDen := big.NewInt(limit.Den())
		fee, _ := ff.Rate().FeeUnits(g)
		if new(big.Int).Mul(fee, capDen).Cmp(bound) > 0 {
			t.Fatalf("fee %s on %s at %s exceeds cap %s", fee, g, r, limit)
		}
		fee, _ = ff.Rate().NetFloorUnits(g)
		fee.Sub(fee, big.NewInt(1))
		if new(big.Int).Mul(fee, capDen).Cmp(bound) >= 0 {
			t.Fatalf("net-floor fee %s+1 on %s at %s exceeds cap %s by a unit", fee, g, r, limit)
		}
	})
}

// TestRapidFeeMonotone: a larger gross never gives a smaller fee or a smaller net.
func TestRapidFeeMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRate().Draw(t, "rate")
		a := genUnits().Draw(t, "a")
		b := new(big.Int).Add(a, genUnits().Draw(t, "delta"))
		for name, f := range map[string]func(*big.Int) (*big.Int, *big.Int){"FeeUnits": r.FeeUnits, "NetFloorUnits": r.NetFloorUnits} {
			fa, na := f(a)
			fb, nb := f(b)
			if fa.Cmp(fb) > 0 || na.Cmp(nb) > 0 {
				t.Fatalf("%s at %s: gross %s -> fee %s net %s; gross %s -> fee %s net %s", name, r, a, fa, na, b, fb, nb)
			}
		}
	})
}

// TestRapidNetFloorMatchesContract: the net-floor form is the reference contract's
// RF(x) = floor(x*(1000-f)/1000), computed here in uint64 arithmetic, for f in [0, 20].
func TestRapidNetFloorMatchesContract(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f := rapid.Uint64Range(0, fees.WeTrustMaxFeePerMille).Draw(t, "f")
		x := rapid.Uint64Range(0, 1<<53).Draw(t, "x")
		want := x * (1000 - f) / 1000
		ff, err := fees.WeTrustForepersonFee(int64(f))
		if err != nil {
			t.Fatal(err)
		}
		fee, net := ff.Rate().NetFloorUnits(new(big.Int).SetUint64(x))
		if !net.IsUint64() || net.Uint64() != want || fee.Uint64() != x-want {
			t.Fatalf("RF(%d) with f=%d: got %s, want %d", x, f, net, want)
		}
		// The same through the decimal API with a 0-decimal asset.
		wei, _ := token.NewAsset("WEI", 0)
		dfee, dnet, err := ff.Apply(wei, decimal.NewFromUint64(x))
		if err != nil || !dnet.Equal(decimal.NewFromUint64(want)) || !dfee.Equal(decimal.NewFromUint64(x-want)) {
			t.Fatalf("Apply RF(%d) f=%d: %s %s %v", x, f, dfee, dnet, err)
		}
	})
}

func genRule() *rapid.Generator[fees.Rule] {
	return rapid.Custom(func(t *rapid.T) fees.Rule {
		min := rapid.IntRange(0, 12).Draw(t, "min")
		max := rapid.OneOf(rapid.Just(0), rapid.IntRange(min, 14)).Draw(t, "max")
		asset := rapid.SampledFrom([]token.Asset{{}, token.ETH(), token.TRST()}).Draw(t, "ruleAsset")
		return fees.Rule{Name: "r", Asset: asset, MinMembers: min, MaxMembers: max, Rate: genRate().Draw(t, "ruleRate")}
	})
}

// TestRapidPolicyLookup: lookups are deterministic, agree with a linear scan written here,
// survive a JSON round trip, and the WeTrust policy agrees with the FAQ's branches.
func TestRapidPolicyLookup(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rules := rapid.SliceOfN(genRule(), 0, 6).Draw(t, "rules")
		otherwise := genRate().Draw(t, "otherwise")
		p, err := fees.NewPolicy(rules, otherwise)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var q fees.Policy
		if err := json.Unmarshal(b, &q); err != nil || !q.Equal(p) {
			t.Fatalf("JSON round trip: %v", err)
		}
		c := fees.Circle{Asset: genAsset().Draw(t, "asset"), Members: rapid.IntRange(1, 16).Draw(t, "members")}
		want, wantIndex := otherwise, -1
		for i, r := range rules {
			assetOK := r.Asset == (token.Asset{}) || r.Asset == c.Asset
			if assetOK && c.Members >= r.MinMembers && (r.MaxMembers == 0 || c.Members <= r.MaxMembers) {
				want, wantIndex = r.Rate, i
				break
			}
		}
		for _, pol := range []fees.Policy{p, q, p} {
			got, i, err := pol.Lookup(c)
			if err != nil || !got.Equal(want) || i != wantIndex {
				t.Fatalf("%+v: got %s (rule %d) %v, want %s (rule %d)", c, got, i, err, want, wantIndex)
			}
		}
		if got, _ := fees.WeTrustPlatformPolicy().Rate(c); !got.Equal(wetrustModel(c)) {
			t.Fatalf("WeTrust %+v: %s, want %s", c, got, wetrustModel(c))
		}
	})
}

// TestRapidSplitSumsExactly: the parts of a split fee sum to the fee, zero weights get
// nothing, and under the largest-remainder policy every part is within one minor unit of its
// exact share (fee*w/W).
func TestRapidSplitSumsExactly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		asset := genAsset().Draw(t, "asset")
		fee := asset.FromUnits(genUnits().Draw(t, "fee"))
		n := rapid.IntRange(1, 6).Draw(t, "n")
		shares := make([]fees.Share, n)
		positive := -1
		for i := range shares {
			w := rapid.Int64Range(0, 1000).Draw(t, "w")
			shares[i] = fees.Share{Account: token.Account(string(rune('a' + i))), Weight: decimal.New(w, -rapid.Int32Range(0, 3).Draw(t, "scale"))}
			if w > 0 && positive < 0 {
				positive = i
			}
		}
		if positive < 0 {
			shares[0].Weight = decimal.NewFromInt(1)
			positive = 0
		}
		largest := rapid.Bool().Draw(t, "largest")
		policy := token.RemainderTo(positive)
		if largest {
			policy = token.LargestRemainder()
		}
		parts, err := fees.SplitFee(asset, fee, shares, policy)
		if err != nil {
			t.Fatal(err)
		}
		sum, total := decimal.Zero, decimal.Zero
		for _, s := range shares {
			total = total.Add(s.Weight)
		}
		one := asset.MinorUnit()
		for i, p := range parts {
			sum = sum.Add(p.Amount)
			if p.Account != shares[i].Account || p.Amount.Sign() < 0 {
				t.Fatalf("part %d: %+v", i, p)
			}
			if shares[i].Weight.IsZero() && !p.Amount.IsZero() {
				t.Fatalf("zero weight %d got %s", i, p.Amount)
			}
			// |part*W - fee*w| < W * one  <=>  the part is within one unit of the exact share.
			if largest {
				gap := p.Amount.Mul(total).Sub(fee.Mul(shares[i].Weight)).Abs()
				if gap.Cmp(total.Mul(one)) >= 0 {
					t.Fatalf("part %d = %s is a unit or more from %s x %s / %s", i, p.Amount, fee, shares[i].Weight, total)
				}
			}
		}
		if !sum.Equal(fee) {
			t.Fatalf("parts sum to %s, fee %s", sum, fee)
		}
	})
}
