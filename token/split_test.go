package token_test

import (
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/token"
	"github.com/trustcircle/trustcircle/token/tokentest"
)

// amounts returns the amounts ss of asset a.
func amounts(a token.Asset, ss ...string) []token.Amount {
	out := make([]token.Amount, len(ss))
	for i, s := range ss {
		out[i] = a.MustParse(s)
	}
	return out
}

func bigs(vs ...int64) []big.Int {
	out := make([]big.Int, len(vs))
	for i, v := range vs {
		out[i].SetInt64(v)
	}
	return out
}

func TestSplit(t *testing.T) {
	btc, trst, eth := token.BTC(), token.TRST(), token.ETH()
	cases := []struct {
		asset  token.Asset
		amount string
		n      int
		policy token.Remainder
		want   []token.Amount
	}{
		{btc, "1.00000001", 3, token.LargestRemainder(), amounts(btc, "0.33333334", "0.33333334", "0.33333333")},
		{btc, "1.00000001", 3, token.RemainderTo(2), amounts(btc, "0.33333333", "0.33333333", "0.33333335")},
		{trst, "1", 4, token.LargestRemainder(), amounts(trst, "0.25", "0.25", "0.25", "0.25")},
		{trst, "0.000002", 3, token.LargestRemainder(), amounts(trst, "0.000001", "0.000001", "0")},
		{trst, "0", 2, token.LargestRemainder(), amounts(trst, "0", "0")},
		{eth, "1", 1, token.LargestRemainder(), amounts(eth, "1")},
		// Beyond 2^128 minor units: the big.Int path.
		{eth, "1" + strings.Repeat("0", 30) + ".000000000000000001", 3, token.LargestRemainder(), amounts(eth,
			"333333333333333333333333333333.333333333333333334", "333333333333333333333333333333.333333333333333334",
			"333333333333333333333333333333.333333333333333333")},
		{eth, "1" + strings.Repeat("0", 30) + ".000000000000000001", 3, token.RemainderTo(1), amounts(eth,
			"333333333333333333333333333333.333333333333333333", "333333333333333333333333333333.333333333333333335",
			"333333333333333333333333333333.333333333333333333")},
		// Two machine words: 2^64 + 1 units over 2.
		{eth, "18.446744073709551617", 2, token.LargestRemainder(), amounts(eth, "9.223372036854775809", "9.223372036854775808")},
	}
	for _, c := range cases {
		got, err := token.SplitWith(c.asset.MustParse(c.amount), c.n, c.policy)
		if err != nil {
			t.Fatalf("SplitWith(%s, %d, %v): %v", c.amount, c.n, c.policy, err)
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("SplitWith(%s, %d, %v) (-want +got):\n%s", c.amount, c.n, c.policy, diff)
		}
	}
	if got, _ := token.Split(btc.MustParse("1.00000001"), 3); !got[0].Equal(btc.MustParse("0.33333334")) {
		t.Errorf("Split = %v", got)
	}
}

func TestSplitErrors(t *testing.T) {
	for _, n := range []int{0, -1} {
		if _, err := token.Split(ta("1"), n); !errors.Is(err, token.ErrInvalidSplit) {
			t.Errorf("Split n=%d: %v", n, err)
		}
	}
	for _, idx := range []int{-1, 3} {
		if _, err := token.SplitWith(ta("1"), 3, token.RemainderTo(idx)); !errors.Is(err, token.ErrInvalidSplit) {
			t.Errorf("SplitWith RemainderTo(%d): %v", idx, err)
		}
	}
	_, err := token.Split(ta("-1"), 2)
	checkAmountErr(t, err, token.ErrNegativeAmount, ta("-1"), "")
	_, err = token.Split(token.Amount{}, 2)
	checkAmountErr(t, err, token.ErrInvalidAsset, token.Amount{}, "")
}

func TestAllocate(t *testing.T) {
	// The crowdsale anchor: weights 1.30 and 1.00 over the 80M TRST pool. Exact shares
	// 45,217,391.304347826... and 34,782,608.695652173...: floors leave one unit, which goes
	// to the larger remainder (.826 against .174), the first.
	trst, btc, eth := token.TRST(), token.BTC(), token.ETH()
	got, err := token.Allocate(ta("80000000"), []uint64{130, 100})
	if diff := cmp.Diff(tas("45217391.304348", "34782608.695652"), got); err != nil || diff != "" {
		t.Errorf("pool allocation %v (-want +got):\n%s", err, diff)
	}
	// go-money gives a unit to the zero weight here ([1 3 1]); exact shares 0, 3.5, 1.5: the
	// tied remainders go to the lower index.
	got, err = token.Allocate(ta("0.000005"), []uint64{0, 7, 3})
	if diff := cmp.Diff(tas("0", "0.000004", "0.000001"), got); err != nil || diff != "" {
		t.Errorf("zero weight (-want +got):\n%s", diff)
	}
	got, err = token.AllocateWith(ta("0.000005"), []uint64{0, 7, 3}, token.RemainderTo(2))
	if diff := cmp.Diff(tas("0", "0.000003", "0.000002"), got); err != nil || diff != "" {
		t.Errorf("RemainderTo(2) (-want +got):\n%s", diff)
	}
	// Weights 1:4:200 (0.5, 2 and 1e2 in the decimal weights of old).
	got, err = token.Allocate(btc.MustParse("2.05"), []uint64{1, 4, 200})
	if diff := cmp.Diff(amounts(btc, "0.01", "0.04", "2"), got); err != nil || diff != "" {
		t.Errorf("mixed scales (-want +got):\n%s", diff)
	}
	// Far beyond int64: 10^30 wei over weights 1, 2 (shares 1/3, 2/3 of 10^30).
	got, err = token.Allocate(eth.MustParse("1000000000000"), []uint64{1, 2})
	if diff := cmp.Diff(amounts(eth, "333333333333.333333333333333333", "666666666666.666666666666666667"), got); err != nil || diff != "" {
		t.Errorf("wei (-want +got):\n%s", diff)
	}
	// The largest weights: the sum passes 64 bits.
	got, err = token.Allocate(ta("0.000003"), []uint64{1<<64 - 1, 1<<64 - 1, 1})
	if diff := cmp.Diff(tas("0.000002", "0.000001", "0"), got); err != nil || diff != "" {
		t.Errorf("largest weights (-want +got):\n%s", diff)
	}
	if got[0].Asset() != trst {
		t.Errorf("asset %v", got[0].Asset())
	}
}

func TestAllocateErrors(t *testing.T) {
	cases := map[string][]uint64{
		"no weights": nil,
		"empty":      {},
		"all zero":   {0, 0},
	}
	for name, w := range cases {
		if _, err := token.Allocate(ta("1"), w); !errors.Is(err, token.ErrInvalidSplit) {
			t.Errorf("%s: %v", name, err)
		} else if e := checkErr(t, err, token.ErrInvalidSplit); e.Op != "Allocate" || !e.Amount.Equal(ta("1")) {
			t.Errorf("%s: %+v", name, e)
		}
	}
	for _, idx := range []int{-1, 2, 0} { // 0 has zero weight
		if _, err := token.AllocateWith(ta("1"), []uint64{0, 1}, token.RemainderTo(idx)); !errors.Is(err, token.ErrInvalidSplit) {
			t.Errorf("RemainderTo(%d): %v", idx, err)
		}
	}
	_, err := token.Allocate(ta("-1"), []uint64{1})
	checkAmountErr(t, err, token.ErrNegativeAmount, ta("-1"), "")
	_, err = token.Allocate(token.Amount{}, []uint64{1})
	checkAmountErr(t, err, token.ErrInvalidAsset, token.Amount{}, "")
	if _, err := token.AllocateUnits(big.NewInt(-1), bigs(1), token.LargestRemainder()); !errors.Is(err, token.ErrInvalidSplit) {
		t.Errorf("negative total: %v", err)
	}
	if _, err := token.AllocateUnits(big.NewInt(1), nil, token.LargestRemainder()); !errors.Is(err, token.ErrInvalidSplit) {
		t.Errorf("no weights: %v", err)
	}
	if _, err := token.AllocateUnits(big.NewInt(1), bigs(1, -2), token.LargestRemainder()); !errors.Is(err, token.ErrInvalidSplit) {
		t.Errorf("negative weight: %v", err)
	}
	if _, err := token.AllocateUnits(big.NewInt(1), bigs(0, 0), token.LargestRemainder()); !errors.Is(err, token.ErrInvalidSplit) {
		t.Errorf("zero weights: %v", err)
	}
}

func TestRemainderString(t *testing.T) {
	if token.LargestRemainder().String() != "largest remainder" || token.RemainderTo(3).String() != "remainder to index 3" {
		t.Fatal(token.LargestRemainder().String(), token.RemainderTo(3).String())
	}
	var zero token.Remainder
	if zero != token.LargestRemainder() {
		t.Fatal("zero Remainder is not LargestRemainder")
	}
}

// refAllocate is the straightforward reference for AllocateUnits: exact floors, then a full
// sort of (remainder desc, index asc) over the positive weights.
func refAllocate(total *big.Int, weights []big.Int, policy token.Remainder, toIndex int) []big.Int {
	var sum big.Int
	for i := range weights {
		sum.Add(&sum, &weights[i])
	}
	parts := make([]big.Int, len(weights))
	rems := make([]big.Int, len(weights))
	var given big.Int
	for i := range weights {
		var p big.Int
		p.Mul(total, &weights[i])
		parts[i].QuoRem(&p, &sum, &rems[i])
		given.Add(&given, &parts[i])
	}
	left := int(new(big.Int).Sub(total, &given).Int64())
	if policy != token.LargestRemainder() {
		parts[toIndex].Add(&parts[toIndex], big.NewInt(int64(left)))
		return parts
	}
	idx := make([]int, 0, len(weights))
	for i := range weights {
		if weights[i].Sign() > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return rems[b].Cmp(&rems[a]) })
	for _, i := range idx[:left] {
		parts[i].Add(&parts[i], big.NewInt(1))
	}
	return parts
}

// drawAllocation draws a total and weights (at least one positive), small or far beyond 64
// bits, so that both the 64-bit and the big.Int paths of AllocateUnits run.
func drawAllocation(t *rapid.T) (*big.Int, []big.Int) {
	return drawAllocationN(t, 1, 12)
}

func drawAllocationN(t *rapid.T, minN, maxN int) (*big.Int, []big.Int) {
	bitsTotal := rapid.SampledFrom([]int{8, 40, 63, 64, 65, 100, 200}).Draw(t, "total_bits")
	total := tokentest.Units(new(big.Int).Lsh(big.NewInt(1), uint(bitsTotal))).Draw(t, "total")
	n := rapid.IntRange(minN, maxN).Draw(t, "n")
	bitsW := rapid.SampledFrom([]int{1, 3, 20, 58, 64, 90}).Draw(t, "weight_bits")
	wmax := new(big.Int).Lsh(big.NewInt(1), uint(bitsW))
	weights := make([]big.Int, n)
	positive := false
	for i := range weights {
		weights[i].Set(tokentest.Units(wmax).Draw(t, "w"))
		positive = positive || weights[i].Sign() > 0
	}
	if !positive {
		weights[rapid.IntRange(0, n-1).Draw(t, "one")].SetInt64(1)
	}
	return total, weights
}

func cloneBigs(xs []big.Int) []big.Int {
	out := make([]big.Int, len(xs))
	for i := range xs {
		out[i].Set(&xs[i])
	}
	return out
}

func sameBigs(a, b []big.Int) bool {
	return slices.EqualFunc(a, b, func(x, y big.Int) bool { return x.Cmp(&y) == 0 })
}

// TestRapidAllocateUnits checks AllocateUnits (both its paths) against the reference and the
// properties of the largest remainder method: exact sum; each part is the floor of its exact
// share or one more (so within one minor unit of it); a zero weight gets zero; the parts that
// got the extra unit have larger remainders than those that did not (ties: lower index);
// deterministic; arguments unchanged.
func TestRapidAllocateUnits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		total, weights := drawAllocation(t)
		totalCopy, weightsCopy := new(big.Int).Set(total), cloneBigs(weights)
		parts, err := token.AllocateUnits(total, weights, token.LargestRemainder())
		if err != nil {
			t.Fatal(err)
		}
		if total.Cmp(totalCopy) != 0 || !sameBigs(weights, weightsCopy) {
			t.Fatal("arguments modified")
		}
		if ref := refAllocate(total, weights, token.LargestRemainder(), 0); !sameBigs(ref, parts) {
			t.Fatalf("parts %v, reference %v", parts, ref)
		}
		again, _ := token.AllocateUnits(total, weights, token.LargestRemainder())
		if !sameBigs(again, parts) {
			t.Fatal("not deterministic")
		}
		var sum, wsum big.Int
		for i := range parts {
			sum.Add(&sum, &parts[i])
			wsum.Add(&wsum, &weights[i])
		}
		if sum.Cmp(total) != 0 {
			t.Fatalf("parts sum to %s, total %s", &sum, total)
		}
		extra := make([]bool, len(parts))
		rems := make([]big.Int, len(parts))
		for i := range parts {
			var exact, fl big.Int
			exact.Mul(total, &weights[i])
			fl.QuoRem(&exact, &wsum, &rems[i])
			d := new(big.Int).Sub(&parts[i], &fl)
			if d.Sign() < 0 || d.Cmp(big.NewInt(1)) > 0 {
				t.Fatalf("part %d = %s, floor of its share %s", i, &parts[i], &fl)
			}
			extra[i] = d.Sign() > 0
			if weights[i].Sign() == 0 && parts[i].Sign() != 0 {
				t.Fatalf("zero weight %d got %s", i, &parts[i])
			}
			if extra[i] && rems[i].Sign() == 0 {
				t.Fatalf("part %d got an extra unit with an exact share", i)
			}
		}
		for i := range parts {
			for j := range parts {
				if extra[i] && !extra[j] && weights[j].Sign() > 0 {
					c := rems[i].Cmp(&rems[j])
					if c < 0 || c == 0 && i > j {
						t.Fatalf("part %d got the extra unit before part %d (remainders %s, %s)", i, j, &rems[i], &rems[j])
					}
				}
			}
		}
	})
}

// TestRapidAllocateUnitsMany compares AllocateUnits with the reference on longer weight
// lists (many ties with small weights), where the 64-bit path's selection runs its
// partitioning rounds.
func TestRapidAllocateUnitsMany(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		total, weights := drawAllocationN(t, 33, 200)
		parts, err := token.AllocateUnits(total, weights, token.LargestRemainder())
		if err != nil {
			t.Fatal(err)
		}
		if ref := refAllocate(total, weights, token.LargestRemainder(), 0); !sameBigs(ref, parts) {
			t.Fatalf("parts %v, reference %v", parts, ref)
		}
	})
}

// TestRapidAllocatePermutation: permuting the weights permutes the result wherever the
// outcome does not depend on the tie-break. Precisely: for a permutation p (new index p[i]
// holds old weight i), the part of every old index i whose remainder total*w_i mod W is
// shared by no other index is unchanged, parts'[p[i]] == parts[i]; and within each group of
// equal remainders the number of parts that got an extra unit is unchanged (which of them
// get it follows the index order, so it may change). When all remainders differ, the result
// is exactly permuted.
func TestRapidAllocatePermutation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		total, weights := drawAllocation(t)
		n := len(weights)
		order := rapid.Permutation(seq(n)).Draw(t, "perm") // order[k] = old index at new index k
		permuted := make([]big.Int, n)
		newIndex := make([]int, n)
		for k, old := range order {
			permuted[k].Set(&weights[old])
			newIndex[old] = k
		}
		a, err1 := token.AllocateUnits(total, weights, token.LargestRemainder())
		b, err2 := token.AllocateUnits(total, permuted, token.LargestRemainder())
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		var wsum big.Int
		for i := range weights {
			wsum.Add(&wsum, &weights[i])
		}
		floors := make([]big.Int, n)
		groups := map[string][]int{}
		for i := range weights {
			var p, r big.Int
			p.Mul(total, &weights[i])
			floors[i].QuoRem(&p, &wsum, &r)
			groups[r.String()] = append(groups[r.String()], i)
		}
		for _, g := range groups {
			var ea, eb big.Int // extra units in the group, before and after
			for _, i := range g {
				ea.Add(&ea, new(big.Int).Sub(&a[i], &floors[i]))
				eb.Add(&eb, new(big.Int).Sub(&b[newIndex[i]], &floors[i]))
			}
			if len(g) == 1 && a[g[0]].Cmp(&b[newIndex[g[0]]]) != 0 {
				t.Fatalf("untied index %d: part %s, after permutation %s", g[0], &a[g[0]], &b[newIndex[g[0]]])
			}
			if ea.Cmp(&eb) != 0 {
				t.Fatalf("tied group %v: %s extra units, after permutation %s", g, &ea, &eb)
			}
		}
	})
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// TestRapidRemainderTo: every part is the floor of its share except the named one, which
// takes all the leftover units.
func TestRapidRemainderTo(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		total, weights := drawAllocation(t)
		var positive []int
		for i := range weights {
			if weights[i].Sign() > 0 {
				positive = append(positive, i)
			}
		}
		k := rapid.SampledFrom(positive).Draw(t, "index")
		parts, err := token.AllocateUnits(total, weights, token.RemainderTo(k))
		if err != nil {
			t.Fatal(err)
		}
		if ref := refAllocate(total, weights, token.RemainderTo(k), k); !sameBigs(ref, parts) {
			t.Fatalf("parts %v, reference %v", parts, ref)
		}
		var sum big.Int
		for i := range parts {
			sum.Add(&sum, &parts[i])
		}
		if sum.Cmp(total) != 0 {
			t.Fatal("sum")
		}
	})
}

// TestRapidSplit: Split is Allocate with equal weights: parts differ by at most one minor
// unit, sum to the amount, and the larger ones come first; Allocate agrees with
// AllocateUnits and does not depend on the scale of the weights.
func TestRapidSplit(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := tokentest.Asset().Draw(t, "asset")
		limit, _ := a.FromUnits(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(30+a.Decimals())), nil))
		amount := tokentest.Amount(a, limit).Draw(t, "amount")
		n := rapid.IntRange(1, 20).Draw(t, "n")
		parts, err := token.Split(amount, n)
		if err != nil {
			t.Fatal(err)
		}
		ones := make([]uint64, n)
		for i := range ones {
			ones[i] = 1
		}
		alloc, err := token.Allocate(amount, ones)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(alloc, parts); diff != "" {
			t.Fatalf("Split differs from Allocate with equal weights:\n%s", diff)
		}
		sum := a.Zero()
		for _, p := range parts {
			sum = sumOf(sum, p)
		}
		if !sum.Equal(amount) {
			t.Fatal("sum")
		}
		for i := 1; i < n; i++ {
			d := diffOf(parts[i-1], parts[i])
			if d.Sign() < 0 || d.Cmp(a.MinorUnit()) > 0 {
				t.Fatalf("parts %v not non-increasing by at most one unit", parts)
			}
		}
		// Allocate agrees with AllocateUnits, and scaling the weights changes nothing.
		weights := make([]uint64, n)
		scaled := make([]uint64, n)
		scale := uint64(1)
		for range rapid.IntRange(0, 15).Draw(t, "shift") {
			scale *= 10
		}
		for i := range weights {
			weights[i] = uint64(rapid.Int64Range(0, 1000).Draw(t, "w"))
			scaled[i] = weights[i] * scale
		}
		weights[0], scaled[0] = 1, scale
		bigWeights := make([]big.Int, n)
		for i := range weights {
			bigWeights[i].SetUint64(weights[i])
		}
		units, err := token.AllocateUnits(amount.Units(), bigWeights, token.LargestRemainder())
		if err != nil {
			t.Fatal(err)
		}
		x, err1 := token.Allocate(amount, weights)
		y, err2 := token.Allocate(amount, scaled)
		for i := range units {
			if err1 == nil && x[i].Units().Cmp(&units[i]) != 0 {
				t.Fatalf("Allocate part %d = %s, AllocateUnits %s", i, x[i], &units[i])
			}
		}
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if diff := cmp.Diff(x, y); diff != "" {
			t.Fatalf("scaling the weights changed the result:\n%s", diff)
		}
	})
}

// TestAllocateUnitsLarge checks the 64-bit path against the reference at the crowdsale's size
// class (80M TRST over many weights), beyond what rapid draws.
func TestAllocateUnitsLarge(t *testing.T) {
	pool := big.NewInt(80_000_000_000_000)
	w := benchWeights(20_000)
	w[7].SetInt64(0)
	w[11].Set(&w[12]) // a tie
	got, err := token.AllocateUnits(pool, w, token.LargestRemainder())
	if err != nil {
		t.Fatal(err)
	}
	if !sameBigs(got, refAllocate(pool, w, token.LargestRemainder(), 0)) {
		t.Fatal("64-bit path differs from the reference")
	}
	// The big path on the same shares: scaling total and weights by 2^64 scales every floor
	// and keeps the remainder order, so parts scale exactly.
	scale := new(big.Int).Lsh(big.NewInt(1), 64)
	bigPool := new(big.Int).Mul(pool, scale)
	gotBig, err := token.AllocateUnits(bigPool, w, token.LargestRemainder())
	if err != nil {
		t.Fatal(err)
	}
	if !sameBigs(gotBig, refAllocate(bigPool, w, token.LargestRemainder(), 0)) {
		t.Fatal("big path differs from the reference")
	}
}
