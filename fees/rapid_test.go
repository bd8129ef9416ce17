package fees_test

import (
	"encoding/json"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

// genRate draws a valid rate with a small or a large denominator.
func genRate() *rapid.Generator[token.Ratio] {
	return rapid.Custom(func(t *rapid.T) token.Ratio {
		den := rapid.OneOf(rapid.Uint64Range(1, 10_000), rapid.Uint64Range(1, 1<<62)).Draw(t, "den")
		num := rapid.Uint64Range(0, den).Draw(t, "num")
		return token.MustRatio(num, den)
	})
}

// genUnits draws a gross amount of asset in minor units, up to about 10^30.
func genUnits(asset token.Asset) *rapid.Generator[token.Amount] {
	return rapid.Custom(func(t *rapid.T) token.Amount {
		hi := rapid.Uint64Range(0, 1<<36).Draw(t, "hi")
		lo := rapid.Uint64().Draw(t, "lo")
		return asset.FromUint128Units(hi, lo)
	})
}

func genAsset() *rapid.Generator[token.Asset] {
	return rapid.SampledFrom([]token.Asset{token.ETH(), token.BTC(), token.TRST()})
}

type applyFunc = func(token.Ratio, token.Amount) (token.Amount, token.Amount, error)

var applyForms = map[string]applyFunc{"Apply": fees.Apply, "ApplyNetFloor": fees.ApplyNetFloor}

// TestRapidFeePlusNetIsGross: both forms split the gross exactly, and neither part is
// negative or of another asset.
func TestRapidFeePlusNetIsGross(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRate().Draw(t, "rate")
		asset := genAsset().Draw(t, "asset")
		gross := genUnits(asset).Draw(t, "gross")
		for name, f := range applyForms {
			fee, net, err := f(r, gross)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			sum, err := fee.Add(net)
			if err != nil || !sum.Equal(gross) || asset.Check(fee) != nil || asset.Check(net) != nil {
				t.Fatalf("%s(%s) of %s: fee %s net %s", name, r, gross, fee, net)
			}
		}
	})
}

// TestRapidFeeWithinCap: a rate accepted under a cap never charges more than the cap would:
// Apply's fee never exceeds gross x cap, ApplyNetFloor's never exceeds it by a whole unit,
// and a rate above the cap is refused.
func TestRapidFeeWithinCap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		limit := genRate().Draw(t, "cap")
		r := genRate().Draw(t, "rate")
		g := genUnits(token.ETH()).Draw(t, "gross")
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
		bound := new(big.Int).Mul(g.Units(), new(big.Int).SetUint64(limit.Num()))
		capDen := new(big.Int).SetUint64(limit.Den())
		fee, _, _ := fees.Apply(ff.Rate(), g)
		if new(big.Int).Mul(fee.Units(), capDen).Cmp(bound) > 0 {
			t.Fatalf("fee %s on %s at %s exceeds cap %s", fee, g, r, limit)
		}
		fee, _, _ = ff.Apply(g)
		u := fee.Units()
		u.Sub(u, big.NewInt(1))
		if new(big.Int).Mul(u, capDen).Cmp(bound) >= 0 {
			t.Fatalf("net-floor fee %s on %s at %s exceeds cap %s by a unit", fee, g, r, limit)
		}
	})
}

// TestRapidFeeMonotone: a larger gross never gives a smaller fee or a smaller net.
func TestRapidFeeMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genRate().Draw(t, "rate")
		a := genUnits(token.TRST()).Draw(t, "a")
		b, err := a.Add(genUnits(token.TRST()).Draw(t, "delta"))
		if err != nil {
			t.Fatal(err)
		}
		for name, f := range applyForms {
			fa, na, _ := f(r, a)
			fb, nb, _ := f(r, b)
			if fa.Cmp(fb) > 0 || na.Cmp(nb) > 0 {
				t.Fatalf("%s at %s: gross %s -> fee %s net %s; gross %s -> fee %s net %s", name, r, a, fa, na, b, fb, nb)
			}
		}
	})
}

// TestRapidNetFloorMatchesContract: the net-floor form is the reference contract's
// RF(x) = floor(x*(1000-f)/1000), computed here in uint64 arithmetic, for f in [0, 20].
func TestRapidNetFloorMatchesContract(t *testing.T) {
	wei, _ := token.NewAsset("WEI", 0)
	rapid.Check(t, func(t *rapid.T) {
		f := rapid.Uint64Range(0, fees.WeTrustMaxFeePerMille).Draw(t, "f")
		x := rapid.Uint64Range(0, 1<<53).Draw(t, "x")
		want := x * (1000 - f) / 1000
		ff, err := fees.WeTrustForepersonFee(f)
		if err != nil {
			t.Fatal(err)
		}
		fee, net, err := ff.Apply(wei.FromUint64Units(x))
		if err != nil || !net.Equal(wei.FromUint64Units(want)) || !fee.Equal(wei.FromUint64Units(x-want)) {
			t.Fatalf("RF(%d) with f=%d: got fee %s net %s %v, want %d", x, f, fee, net, err, want)
		}
		// The same through the package function with the rate.
		fee2, net2, err := fees.ApplyNetFloor(ff.Rate(), wei.FromUint64Units(x))
		if err != nil || !net2.Equal(net) || !fee2.Equal(fee) {
			t.Fatalf("ApplyNetFloor RF(%d) f=%d: %s %s %v", x, f, fee2, net2, err)
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
		fee := genUnits(asset).Draw(t, "fee")
		n := rapid.IntRange(1, 6).Draw(t, "n")
		shares := make([]fees.Share, n)
		positive := -1
		for i := range shares {
			w := rapid.Uint64Range(0, 1000).Draw(t, "w")
			for range rapid.IntRange(0, 3).Draw(t, "scale") {
				w *= 10
			}
			shares[i] = fees.Share{Account: token.Account(string(rune('a' + i))), Weight: w}
			if w > 0 && positive < 0 {
				positive = i
			}
		}
		if positive < 0 {
			shares[0].Weight = 1
			positive = 0
		}
		largest := rapid.Bool().Draw(t, "largest")
		policy := token.RemainderTo(positive)
		if largest {
			policy = token.LargestRemainder()
		}
		parts, err := fees.SplitFee(fee, shares, policy)
		if err != nil {
			t.Fatal(err)
		}
		total := new(big.Int)
		for _, s := range shares {
			total.Add(total, new(big.Int).SetUint64(s.Weight))
		}
		sum := asset.Zero()
		feeUnits := fee.Units()
		for i, p := range parts {
			if sum, err = sum.Add(p.Amount); err != nil {
				t.Fatal(err)
			}
			if p.Account != shares[i].Account || p.Amount.Sign() < 0 || p.Amount.Asset() != asset {
				t.Fatalf("part %d: %+v", i, p)
			}
			if shares[i].Weight == 0 && !p.Amount.IsZero() {
				t.Fatalf("zero weight %d got %s", i, p.Amount)
			}
			// |part*W - fee*w| < W  <=>  the part is within one unit of the exact share.
			if largest {
				gap := new(big.Int).Mul(p.Amount.Units(), total)
				gap.Sub(gap, new(big.Int).Mul(feeUnits, new(big.Int).SetUint64(shares[i].Weight)))
				if gap.Abs(gap).Cmp(total) >= 0 {
					t.Fatalf("part %d = %s is a unit or more from %s x %d / %s", i, p.Amount, fee, shares[i].Weight, total)
				}
			}
		}
		if !sum.Equal(fee) {
			t.Fatalf("parts sum to %s, fee %s", sum, fee)
		}
	})
}
