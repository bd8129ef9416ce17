package uint128

import (
	"math"
	"math/big"
	"math/bits"
	"testing"

	"pgregory.net/rapid"
)

// two128 is 2^128, the modulus of the fixed-width arithmetic.
var two128 = new(big.Int).Lsh(big.NewInt(1), 128)

// maxU128 is 2^128 - 1.
var maxU128 = U128{Hi: math.MaxUint64, Lo: math.MaxUint64}

// edgeWords are the 64-bit words where carries, borrows and digit chunks change.
var edgeWords = []uint64{
	0, 1, 2, 9, 10, 1<<32 - 1, 1 << 32, 1<<63 - 1, 1 << 63, 1<<63 + 1,
	10_000_000_000_000_000_000 - 1, 10_000_000_000_000_000_000, math.MaxUint64 - 1, math.MaxUint64,
}

// word draws a 64-bit word, often one of the edge words.
func word(t *rapid.T, label string) uint64 {
	return rapid.OneOf(rapid.Uint64(), rapid.SampledFrom(edgeWords)).Draw(t, label)
}

// u128 draws a U128 whose words are often edge words.
func u128(t *rapid.T, label string) U128 {
	return U128{Hi: word(t, label+".hi"), Lo: word(t, label+".lo")}
}

// oracle returns a as a big.Int, computed without the code under test.
func oracle(a U128) *big.Int {
	x := new(big.Int).SetUint64(a.Hi)
	x.Lsh(x, 64)
	return x.Or(x, new(big.Int).SetUint64(a.Lo))
}

// wrap returns x mod 2^128 as a U128, computed without the code under test.
func wrap(x *big.Int) U128 {
	m := new(big.Int).Mod(x, two128)
	lo := new(big.Int).And(m, new(big.Int).SetUint64(math.MaxUint64)).Uint64()
	return U128{Hi: new(big.Int).Rsh(m, 64).Uint64(), Lo: lo}
}

func TestAddAgainstBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := u128(t, "a"), u128(t, "b")
		want := new(big.Int).Add(oracle(a), oracle(b))
		got, over := a.Add(b)
		if over != (want.Cmp(two128) >= 0) {
			t.Fatalf("%v + %v: overflow %v, sum %v", a, b, over, want)
		}
		if got != wrap(want) {
			t.Fatalf("%v + %v = %v, want %v (mod 2^128)", a, b, got, wrap(want))
		}
	})
}

func TestSubAgainstBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := u128(t, "a"), u128(t, "b")
		want := new(big.Int).Sub(oracle(a), oracle(b))
		got, borrow := a.Sub(b)
		if borrow != (want.Sign() < 0) {
			t.Fatalf("%v - %v: borrow %v, difference %v", a, b, borrow, want)
		}
		if got != wrap(want) {
			t.Fatalf("%v - %v = %v, want %v (mod 2^128)", a, b, got, wrap(want))
		}
	})
}

func TestMul64AgainstBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, m := u128(t, "a"), word(t, "m")
		want := new(big.Int).Mul(oracle(a), new(big.Int).SetUint64(m))
		got, over := a.Mul64(m)
		if over != (want.BitLen() > 128) {
			t.Fatalf("%v x %d: overflow %v, product %v", a, m, over, want)
		}
		if got != wrap(want) {
			t.Fatalf("%v x %d = %v, want %v (mod 2^128)", a, m, got, wrap(want))
		}
	})
}

func TestMulAgainstBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := u128(t, "a"), u128(t, "b")
		want := new(big.Int).Mul(oracle(a), oracle(b))
		got, over := a.Mul(b)
		if over != (want.BitLen() > 128) {
			t.Fatalf("%v x %v: overflow %v, product %v", a, b, over, want)
		}
		if !over && oracle(got).Cmp(want) != 0 {
			t.Fatalf("%v x %v = %v, want %v", a, b, got, want)
		}
	})
}

func TestQuoRem64AgainstBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := u128(t, "a")
		d := rapid.OneOf(rapid.Uint64Min(1), rapid.SampledFrom(edgeWords[1:])).Draw(t, "d")
		q, r := a.QuoRem64(d)
		wq, wr := new(big.Int).QuoRem(oracle(a), new(big.Int).SetUint64(d), new(big.Int))
		if oracle(q).Cmp(wq) != 0 || r != wr.Uint64() {
			t.Fatalf("%v / %d = %v rem %d, want %v rem %v", a, d, q, r, wq, wr)
		}
	})
}

func TestQuoRem64ByZeroPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("QuoRem64(0) did not panic")
		}
	}()
	From64(1).QuoRem64(0)
}

func TestMulQuoRem64AgainstBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, m := u128(t, "a"), word(t, "m")
		d := rapid.OneOf(rapid.Uint64Min(1), rapid.SampledFrom(edgeWords[1:])).Draw(t, "d")
		q, r, over := a.MulQuoRem64(m, d)
		p := new(big.Int).Mul(oracle(a), new(big.Int).SetUint64(m))
		wq, wr := new(big.Int).QuoRem(p, new(big.Int).SetUint64(d), new(big.Int))
		if over != (wq.BitLen() > 128) {
			t.Fatalf("%v x %d / %d: overflow %v, quotient %v", a, m, d, over, wq)
		}
		if r != wr.Uint64() {
			t.Fatalf("%v x %d / %d: remainder %d, want %v", a, m, d, r, wr)
		}
		if !over && oracle(q).Cmp(wq) != 0 {
			t.Fatalf("%v x %d / %d = %v, want %v", a, m, d, q, wq)
		}
		if m <= d && over {
			t.Fatalf("%v x %d / %d overflows, but m <= d", a, m, d)
		}
	})
}

func TestCmpAgainstBig(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := u128(t, "a")
		b := rapid.OneOf(rapid.Just(a), rapid.Custom(func(t *rapid.T) U128 { return u128(t, "b") })).Draw(t, "b")
		if got, want := a.Cmp(b), oracle(a).Cmp(oracle(b)); got != want {
			t.Fatalf("Cmp(%v, %v) = %d, want %d", a, b, got, want)
		}
		if a.Cmp(b) != -b.Cmp(a) {
			t.Fatalf("Cmp(%v, %v) is not antisymmetric", a, b)
		}
		if a.IsZero() != (oracle(a).Sign() == 0) {
			t.Fatalf("IsZero(%v) = %v", a, a.IsZero())
		}
	})
}

func TestBigRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := u128(t, "a")
		b := a.Big()
		if b.Cmp(oracle(a)) != 0 {
			t.Fatalf("Big(%v) = %v, want %v", a, b, oracle(a))
		}
		if v, ok := FromBig(b); !ok || v != a {
			t.Fatalf("FromBig(%v) = %v, %v; want %v", b, v, ok, a)
		}
		neg := new(big.Int).Neg(b)
		if v, ok := FromBigAbs(neg); !ok || v != a {
			t.Fatalf("FromBigAbs(%v) = %v, %v; want %v", neg, v, ok, a)
		}
		if _, ok := FromBig(neg); ok != (neg.Sign() == 0) {
			t.Fatalf("FromBig(%v) ok = %v, want it refused unless zero", neg, ok)
		}
	})
}

func TestFromBigBounds(t *testing.T) {
	top := new(big.Int).Sub(two128, big.NewInt(1))
	for _, tc := range []struct {
		x       *big.Int
		want    U128
		ok, abs bool
	}{
		{big.NewInt(0), U128{}, true, true},
		{big.NewInt(1), From64(1), true, true},
		{big.NewInt(-1), From64(1), false, true},
		{new(big.Int).SetUint64(math.MaxUint64), From64(math.MaxUint64), true, true},
		{new(big.Int).Lsh(big.NewInt(1), 64), U128{Hi: 1}, true, true},
		{top, maxU128, true, true},
		{new(big.Int).Neg(top), maxU128, false, true},
		{two128, U128{}, false, false},
		{new(big.Int).Neg(two128), U128{}, false, false},
		{new(big.Int).Lsh(big.NewInt(3), 200), U128{}, false, false},
	} {
		if v, ok := FromBig(tc.x); ok != tc.ok || ok && v != tc.want {
			t.Errorf("FromBig(%v) = %v, %v; want %v, %v", tc.x, v, ok, tc.want, tc.ok)
		}
		if v, ok := FromBigAbs(tc.x); ok != tc.abs || ok && v != tc.want {
			t.Errorf("FromBigAbs(%v) = %v, %v; want %v, %v", tc.x, v, ok, tc.want, tc.abs)
		}
	}
}

func TestOverflowFlagsAtTheEdges(t *testing.T) {
	one := From64(1)
	if _, over := maxU128.Add(one); !over {
		t.Error("(2^128-1) + 1 does not overflow")
	}
	if s, over := (U128{Lo: math.MaxUint64}).Add(one); over || s != (U128{Hi: 1}) {
		t.Errorf("(2^64-1) + 1 = %v, %v; want 2^64 without overflow", s, over)
	}
	if _, borrow := (U128{}).Sub(one); !borrow {
		t.Error("0 - 1 does not borrow")
	}
	if d, borrow := (U128{Hi: 1}).Sub(one); borrow || d != From64(math.MaxUint64) {
		t.Errorf("2^64 - 1 = %v, %v", d, borrow)
	}
	if _, over := (U128{Hi: 1 << 63}).Mul64(2); !over {
		t.Error("2^127 x 2 does not overflow")
	}
	if p, over := (U128{Hi: 1<<63 - 1, Lo: math.MaxUint64}).Mul64(2); over || p != (U128{Hi: math.MaxUint64, Lo: math.MaxUint64 - 1}) {
		t.Errorf("(2^127-1) x 2 = %v, %v", p, over)
	}
	if _, over := (U128{Hi: 1}).Mul(U128{Hi: 1}); !over {
		t.Error("2^64 x 2^64 does not overflow")
	}
	if p, over := (U128{Hi: 1}).Mul(From64(math.MaxUint64)); over || p != (U128{Hi: math.MaxUint64}) {
		t.Errorf("2^64 x (2^64-1) = %v, %v", p, over)
	}
	if p, over := From64(math.MaxUint64).Mul(U128{Hi: 1}); over || p != (U128{Hi: math.MaxUint64}) {
		t.Errorf("(2^64-1) x 2^64 = %v, %v", p, over)
	}
}

func TestAppendDecimal(t *testing.T) {
	for _, tc := range []struct {
		a    U128
		want string
	}{
		{U128{}, "0"},
		{From64(7), "7"},
		{From64(math.MaxUint64), "18446744073709551615"},
		{U128{Hi: 1}, "18446744073709551616"},
		{U128{Hi: 5, Lo: 7766279631452241920}, "100000000000000000000"},
		{maxU128, "340282366920938463463374607431768211455"},
	} {
		if got := string(tc.a.AppendDecimal([]byte("x="))); got != "x="+tc.want {
			t.Errorf("AppendDecimal(%v) = %q, want %q", tc.a, got, "x="+tc.want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		a := u128(t, "a")
		if got, want := string(a.AppendDecimal(nil)), oracle(a).String(); got != want {
			t.Fatalf("AppendDecimal(%v) = %s, want %s", a, got, want)
		}
	})
}

func TestAppendDecimalChunkBoundaries(t *testing.T) {
	// Values around 10^19 and 10^38, where a 19-digit chunk is full or padded.
	ten := big.NewInt(10)
	for _, e := range []int64{19, 20, 37, 38} {
		p := new(big.Int).Exp(ten, big.NewInt(e), nil)
		for _, d := range []int64{-1, 0, 1} {
			x := new(big.Int).Add(p, big.NewInt(d))
			a, ok := FromBig(x)
			if !ok {
				t.Fatalf("10^%d%+d does not fit", e, d)
			}
			if got := string(a.AppendDecimal(nil)); got != x.String() {
				t.Errorf("AppendDecimal(10^%d%+d) = %s, want %s", e, d, got, x)
			}
		}
	}
}

func TestSetBigReusesStorage(t *testing.T) {
	z := new(big.Int).Lsh(big.NewInt(1), 200) // four words of storage
	z.Neg(z)
	before := &z.Bits()[0]
	a := U128{Hi: 5, Lo: 7}
	if got := a.SetBig(z); got != z || got.Cmp(oracle(a)) != 0 {
		t.Fatalf("SetBig = %v, want %v in z", got, oracle(a))
	}
	if bits.UintSize == 64 && &z.Bits()[0] != before {
		t.Error("SetBig replaced z's storage though it had room")
	}
	if got := From64(9).SetBig(z); got.Cmp(big.NewInt(9)) != 0 || len(z.Bits()) != 1 {
		t.Errorf("SetBig(9) = %v with %d words, want 9 in one word", got, len(z.Bits()))
	}
	if got := (U128{}).SetBig(z); got.Sign() != 0 {
		t.Errorf("SetBig(0) = %v", got)
	}
	var empty big.Int
	if got := maxU128.SetBig(&empty); got.Cmp(oracle(maxU128)) != 0 {
		t.Errorf("SetBig into an empty big.Int = %v", got)
	}
}

func TestSetBigDoesNotAllocate(t *testing.T) {
	if bits.UintSize != 64 {
		t.Skip("the no-allocation promise is for 64-bit platforms")
	}
	z := new(big.Int).Lsh(big.NewInt(1), 127)
	a := U128{Hi: 1 << 62, Lo: 3}
	if n := testing.AllocsPerRun(100, func() { a.SetBig(z) }); n != 0 {
		t.Errorf("SetBig into a big.Int with room allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { FromBigAbs(z) }); n != 0 {
		t.Errorf("FromBigAbs allocates %v times", n)
	}
}

// Sinks keep the compiler from dropping the work measured for allocations.
var (
	sinkU   U128
	sinkW   uint64
	sinkB   bool
	sinkI   int
	sinkBuf []byte
)

func TestArithmeticDoesNotAllocate(t *testing.T) {
	a, b := U128{Hi: 3, Lo: 1 << 63}, U128{Hi: 1, Lo: 12345}
	var buf [64]byte
	n := testing.AllocsPerRun(100, func() {
		sinkU, sinkB = a.Add(b)
		sinkU, sinkB = a.Sub(b)
		sinkU, sinkB = a.Mul64(10)
		sinkU, sinkB = a.Mul(b)
		sinkU, sinkW = a.QuoRem64(7)
		sinkU, sinkW, sinkB = a.MulQuoRem64(3, 10)
		sinkI = a.Cmp(b)
		sinkBuf = maxU128.AppendDecimal(buf[:0])
	})
	if n != 0 {
		t.Errorf("arithmetic allocates %v times", n)
	}
}
