package rosca

import (
	"encoding/binary"
	"flag"
	"math/big"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

func testCircle(t interface {
	Helper()
	Fatal(...any)
}, fee token.Ratio) *Circle {
	t.Helper()
	c, err := New(Config{Asset: token.ETH(), Kind: Lottery, Members: []token.Account{"a", "b", "c"}, Foreperson: "a",
		Operator: "o", Contribution: token.ETH().FromInt64Units(1000), Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Period: time.Hour, Epochs: 1, Fee: fee, Rules: WeTrustRules(), Seed: Seed{42}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// drawUnits draws a value of up to 320 bits, mostly near the 64- and 128-bit edges.
func drawUnits(t *rapid.T, label string) *big.Int {
	bits := rapid.SampledFrom([]uint{0, 1, 63, 64, 65, 95, 96, 97, 127, 128, 129, 200, 320}).Draw(t, label+"_bits")
	x := new(big.Int).Lsh(big.NewInt(1), bits)
	x.Sub(x, big.NewInt(rapid.Int64Range(0, 3).Draw(t, label+"_minus")))
	if x.Sign() < 0 {
		x.SetInt64(0)
	}
	if rapid.Bool().Draw(t, label+"_random") && x.Sign() > 0 {
		// A random value below x, word by word.
		words := make([]big.Word, len(x.Bits()))
		for i := range words {
			words[i] = big.Word(rapid.Uint64().Draw(t, label+"_word"))
		}
		x.Mod(new(big.Int).SetBits(words), x)
	}
	return x
}

// The contract's RF is the net after the fee rounded down: the complement of the fee
// applied with Ratio.MulFloor, for the reduced terms of any per-mille fee.
func TestRapidRemoveFees(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rate, _ := token.PerMille(rapid.Uint64Range(0, 20).Draw(t, "f"))
		c := testCircle(t, rate)
		x := new(big.Int).SetUint64(rapid.Uint64().Draw(t, "x"))
		x.Mul(x, big.NewInt(rapid.Int64Range(1, 1e6).Draw(t, "k")))
		amount, _ := token.ETH().FromUnits(x)
		want := rate.Complement().MulFloor(amount)
		if got := c.terms.net(fromBig(new(big.Int).Set(x))).amount(token.ETH()); !got.Equal(want) {
			t.Fatalf("RF(%s) = %s, want %s", x, got, want)
		}
	})
}

// The fixed-width arithmetic with its big fallback agrees with math/big everywhere,
// across the 128-bit edge.
func TestRapidUnits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := drawUnits(t, "a"), drawUnits(t, "b")
		x, y := fromBig(new(big.Int).Set(a)), fromBig(new(big.Int).Set(b))
		eq := func(what string, got units, want *big.Int) {
			if got.toBig().Cmp(want) != 0 || (got.b != nil) != (want.BitLen() > 128) {
				t.Fatalf("%s(%s, %s) = %s, want %s", what, a, b, got, want)
			}
		}
		eq("add", x.add(y), new(big.Int).Add(a, b))
		d, neg := x.diff(y)
		eq("diff", d, new(big.Int).Abs(new(big.Int).Sub(a, b)))
		if neg != (a.Cmp(b) < 0) || x.cmp(y) != a.Cmp(b) {
			t.Fatalf("diff sign %v, cmp %d for %s, %s", neg, x.cmp(y), a, b)
		}
		k := rapid.Uint64().Draw(t, "k")
		eq("mul", x.mul(k), new(big.Int).Mul(a, new(big.Int).SetUint64(k)))
		den := rapid.Uint64Range(1, ^uint64(0)).Draw(t, "den")
		num := rapid.Uint64Range(0, ^uint64(0)).Draw(t, "num")
		q, r := x.mulFrac(num, den)
		wq, wr := new(big.Int).QuoRem(new(big.Int).Mul(a, new(big.Int).SetUint64(num)), new(big.Int).SetUint64(den), new(big.Int))
		eq("mulFrac", q, wq)
		if r != wr.Uint64() {
			t.Fatalf("mulFrac rem %d, want %s", r, wr)
		}
		q, r = x.quo(den)
		wq, wr = new(big.Int).QuoRem(a, new(big.Int).SetUint64(den), new(big.Int))
		eq("quo", q, wq)
		if r != wr.Uint64() {
			t.Fatalf("quo rem %d, want %s", r, wr)
		}
		if a.Cmp(pow10(96)) < 0 {
			if got := x.amount(token.ETH()).Units(); got.Cmp(a) != 0 {
				t.Fatalf("amount %s, want %s", got, a)
			}
			back, _ := token.ETH().FromUnits(a)
			if amountUnits(back).cmp(x) != 0 {
				t.Fatal("amountUnits")
			}
		}
	})
}

func pow10(n int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil) }

// allocate is the largest remainder method: parts within one unit of the exact share,
// summing to the total, the leftover units to the largest remainders, ties to the lower index.
func TestAllocate(t *testing.T) {
	got := allocate(unitsOf(5000), []units{unitsOf(3253), unitsOf(1342), unitsOf(342), unitsOf(60)})
	want := []uint64{3255, 1343, 342, 60}
	for i := range want {
		if got[i].cmp(unitsOf(want[i])) != 0 {
			t.Fatalf("part %d = %s, want %d", i, got[i], want[i])
		}
	}
	got = allocate(unitsOf(2), []units{unitsOf(1), unitsOf(0), unitsOf(1), unitsOf(1)})
	if got[0].cmp(unitsOf(1)) != 0 || !got[1].isZero() || got[2].cmp(unitsOf(1)) != 0 || !got[3].isZero() {
		t.Fatalf("ties: %v", got)
	}
}

// The draw: in range, roughly uniform, and pinned to the documented algorithm (a ChaCha8
// stream keyed by the seed with its last 8 bytes XORed with the round, rejection sampling).
func TestDraw(t *testing.T) {
	c := testCircle(t, token.Ratio{})
	counts := make([]int, 3)
	for r := 1; r <= 3000; r++ {
		k := c.draw(r, 3)
		if k < 0 || k >= 3 {
			t.Fatalf("draw %d", k)
		}
		counts[k]++
	}
	for i, n := range counts {
		if n < 900 || n > 1100 {
			t.Fatalf("position %d drawn %d times of 3000", i, n)
		}
	}
	// Independent restatement for round 7 and k = 5.
	key := [32]byte{42}
	binary.LittleEndian.PutUint64(key[24:], binary.LittleEndian.Uint64(key[24:])^7)
	v := rand.NewChaCha8(key).Uint64()
	if v >= ^uint64(0)-(^uint64(0)%5+1)%5 {
		t.Skip("first value rejected; pick another round")
	}
	if got, want := c.draw(7, 5), int(v%5); got != want {
		t.Fatalf("draw(7, 5) = %d, want %d", got, want)
	}
	if c.draw(1, 1) != 0 {
		t.Fatal("single candidate")
	}
}

// The log stores every amount exactly, in each of its forms, and reads every record back
// from any position, across chunks and marks.
func TestLogRecords(t *testing.T) {
	c := testCircle(t, token.Ratio{})
	var want []rec
	add := func(r rec) {
		c.log.record(&r, &c.terms.contribution)
		if r.kind == evRoundClosed {
			r.aux = int(c.log.end.closes) - 1
		}
		want = append(want, r)
	}
	for _, seat := range []int{-1, 0, 126, 127, 128, 20_000} {
		add(rec{at: c.log.lastAt, kind: evBid, seat: seat, round: 1, amount: unitsOf(5)})
	}
	for _, s := range []string{"0", "1", "18446744073709551615", "18446744073709551616", "79228162514264337593543950335",
		"340282366920938463463374607431768211455", "340282366920938463463374607431768211456",
		"123456789012345678901234567890123456789012345"} {
		u, _ := new(big.Int).SetString(s, 10)
		add(rec{at: c.log.lastAt, kind: evContribution, seat: 0, round: 1, amount: fromBig(new(big.Int).Set(u))})
		add(rec{at: c.log.lastAt + 7, kind: evWithdrawal, seat: 1, round: 1, amount: unitsOf(3), entitled: fromBig(new(big.Int).Set(u))})
	}
	add(rec{at: c.log.lastAt, kind: evContribution, seat: 2, round: 1, amount: c.terms.contribution})
	// Runs of contributions of C: by seats in order (one byte each), across a mark, with
	// breaks in the run, a bid of C in the middle and seats past 2^14.
	for i := range 700 {
		seat := i
		switch {
		case i%97 == 0:
			seat = 5
		case i > 650:
			seat = 20_000 + i
		}
		kind := evContribution
		if i == 300 {
			kind = evBid
		}
		add(rec{at: c.log.lastAt, kind: kind, seat: seat, round: 1, amount: c.terms.contribution})
	}
	// Many records cross chunk boundaries and marks, with times, rounds and seats changing.
	for i := range 40_000 {
		r := rec{at: c.log.lastAt + int64(i%3), kind: evBid, seat: i % 3, round: 1 + i/10_000, amount: unitsOf(uint64(i) << 40)}
		if i%5_000 == 4_999 {
			r.kind, r.seat, r.amount = evRoundClosed, i%3, units{}
		}
		if i%7 == 0 {
			r.kind, r.seat = evHaltEnabled, -1
		}
		add(r)
	}
	if len(c.log.full) < 2 || c.log.n != len(want) {
		t.Fatalf("%d chunks, %d records; want several chunks and %d records", len(c.log.full)+1, c.log.n, len(want))
	}
	same := func(i int, got rec) {
		t.Helper()
		w := want[i]
		if got.at != w.at || got.kind != w.kind || got.seat != w.seat || got.round != w.round || got.aux != w.aux ||
			got.amount.cmp(w.amount) != 0 || got.entitled.cmp(w.entitled) != 0 {
			t.Fatalf("record %d = %+v, want %+v", i, got, w)
		}
	}
	var r rec
	cur := c.log.seek(0, &r, &c.terms.contribution)
	for i := range want {
		c.log.next(&cur, &r, &c.terms.contribution)
		same(i, r)
	}
	if cur != c.log.end {
		t.Fatalf("cursor after the last record %+v, want %+v", cur, c.log.end)
	}
	for _, i := range []int{1, 255, 256, 257, 9_999, 20_000, len(want) - 2, len(want) - 1} {
		cur := c.log.seek(i, &r, &c.terms.contribution)
		c.log.next(&cur, &r, &c.terms.contribution)
		same(i, r)
	}
	if per := float64(c.log.bytes()) / float64(c.log.n); per > 12 {
		t.Errorf("%.1f bytes per record, want at most 12 for this mix", per)
	}
}

// TestMain makes every test of the package check the fee reserve's fast path against the
// general one; benchmarks (-test.bench) measure the fast path alone.
func TestMain(m *testing.M) {
	flag.Parse()
	verifyShortfall = flag.Lookup("test.bench").Value.String() == ""
	os.Exit(m.Run())
}

// The circle's RF is the fees package's: terms.net equals fees.ForepersonFee.Apply's net
// for every fee under the cap and amounts of every size.
func TestNetIsForepersonFeeApply(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		fee := token.MustRatio(rapid.Uint64Range(0, 20).Draw(t, "per_mille"), 1000)
		c := testCircle(t, fee)
		u := drawUnits(t, "x")
		u.Rsh(u, uint(max(u.BitLen()-290, 0))) // below 10^90, the most a circle holds
		x := fromBig(new(big.Int).Set(u))
		ff, err := fees.NewForepersonFee(c.terms.cfg.Fee, c.terms.cfg.Rules.MaxFee)
		if err != nil {
			t.Fatal(err)
		}
		_, net, err := ff.Apply(x.amount(c.terms.asset))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.terms.net(x); got.cmp(amountUnits(net)) != 0 {
			t.Fatalf("net(%s) = %s, fees says %s", u, got.toBig(), net)
		}
	})
}
