package token_test

import (
	"math/big"
	"testing"

	"github.com/trustcircle/trustcircle/token"
)

// Benchmark operands: amounts below 2^128 minor units take the fixed-width path and must
// report 0 allocs/op; the Big variants show the math/big fallback above 2^128.
var (
	benchX   = token.ETH().FromUint128Units(1<<62, 123456789) // about 8.5e37 wei
	benchY   = token.ETH().FromUint128Units(1<<61, 987654321)
	benchBig = func() token.Amount {
		x, err := token.ETH().FromUnits(new(big.Int).Lsh(big.NewInt(3), 200))
		if err != nil {
			panic(err)
		}
		return x
	}()
	benchFee  = token.MustRatio(3, 1000)
	benchOdd  = token.MustRatio(999_999_999_999, 1_000_000_000_001) // the product overflows 128 bits
	benchText = "85070591730234615865.843651857942052864 ETH"

	benchSinkAmount token.Amount
	benchSinkInt    int
	benchSinkUint   uint64
	benchSinkErr    error
)

func BenchmarkAmountAdd(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSinkAmount, benchSinkErr = benchX.Add(benchY)
	}
}

func BenchmarkAmountSub(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSinkAmount, benchSinkErr = benchY.Sub(benchX)
	}
}

func BenchmarkAmountMul(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSinkAmount, benchSinkErr = benchY.Mul(-3)
	}
}

func BenchmarkAmountCmp(b *testing.B) {
	b.ReportAllocs()
	n := benchY.Neg()
	for b.Loop() {
		benchSinkInt = benchX.Cmp(benchY) + benchX.Cmp(n)
	}
}

func BenchmarkAmountParse(b *testing.B) {
	b.ReportAllocs()
	eth := token.ETH()
	for b.Loop() {
		benchSinkAmount, benchSinkErr = eth.Parse(benchText)
	}
}

func BenchmarkAmountParseAmount(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSinkAmount, benchSinkErr = token.ParseAmount(benchText)
	}
}

func BenchmarkAmountAppendText(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 128)
	for b.Loop() {
		buf, benchSinkErr = benchX.AppendText(buf[:0])
	}
}

func BenchmarkAmountString(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSinkInt += len(benchX.String())
	}
}

func BenchmarkRatioMulFloor(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSinkAmount = benchFee.MulFloor(benchX)
	}
}

func BenchmarkRatioMulFloorRemWide(b *testing.B) {
	b.ReportAllocs()
	n := benchX.Neg()
	for b.Loop() {
		benchSinkAmount, benchSinkUint = benchOdd.MulFloorRem(n)
	}
}

func BenchmarkRatioAppendText(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf, benchSinkErr = benchFee.AppendText(buf[:0])
	}
}

func BenchmarkAmountAddBig(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSinkAmount, benchSinkErr = benchBig.Add(benchX)
	}
}

func BenchmarkRatioMulFloorBig(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSinkAmount = benchFee.MulFloor(benchBig)
	}
}
