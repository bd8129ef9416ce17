package rates_test

import (
	"encoding/binary"
	"errors"
	"math/big"
	"testing"

	"github.com/trustcircle/trustcircle/rates"
)

// FuzzIRR: any flows of up to 16 rounds are solved without panic, and every root reported is
// verified: the NPV is zero at an exact root and changes sign across an interval of odd
// multiplicity, and the roots respect Descartes' rule. The first byte picks the precision,
// each next three bytes a flow (a signed 16-bit amount times a small scale, so that flows of
// very different sizes meet).
func FuzzIRR(f *testing.F) {
	for _, seed := range [][]int64{
		{8000, -1500, -1700, -1854, -2000}, {-2000, 5500, -1700, -1854, -2000}, {-2000, -1500, 6300, -1854, -2000},
		{-6, 9, 9, -3}, {1, -2, 1}, {-1, 3, -3, 1}, {0, 0, 5}, {6, -2, -2, -2}, {100, -21, 1},
	} {
		b := []byte{12}
		for _, x := range seed {
			b = binary.LittleEndian.AppendUint16(b, uint16(int16(x)))
			b = append(b, 1)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		digits := 1 + int(data[0])%15
		var u []int64
		for b := data[1:]; len(b) >= 3 && len(u) < 16; b = b[3:] {
			scale := int64(1 + b[2]%8)
			if b[2] >= 128 {
				scale *= 1_000_000
			}
			u = append(u, int64(int16(binary.LittleEndian.Uint16(b)))*scale)
		}
		if len(u) == 0 {
			return
		}
		fl := flowsOfUnits(t, u, 1)
		res, err := rates.IRR(fl, digits)
		if allZero(u) {
			if !errors.Is(err, rates.ErrAllZero) {
				t.Fatalf("%v: %v", u, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("%v: %v", u, err)
		}
		checkRoots(t, fl, res, digits)
	})
}

// FuzzParseRate: any text is either a rate that prints and parses back to itself, or refused
// with ErrInvalidRate.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"1%", "-4.644%", "1/3", "-1/3", "0", "-100%", "-99.9999%", "1e3%", "", "%", "1/0", "00.10%", "-0/5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := rates.ParseRate(s)
		if err != nil {
			if !errors.Is(err, rates.ErrInvalidRate) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if r.Rat().Cmp(big.NewRat(-1, 1)) <= 0 {
			t.Fatalf("%q: %s is not above -100%%", s, r)
		}
		back, err := rates.ParseRate(r.String())
		if err != nil || !back.Equal(r) {
			t.Fatalf("%q -> %s -> %s %v", s, r, back, err)
		}
	})
}
