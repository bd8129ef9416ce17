package fees_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

func TestNewRateValid(t *testing.T) {
	for _, c := range []struct {
		num, den int64
		str      string
		dec      string
	}{
		{0, 1, "0/1", "0"},
		{0, 1000, "0/1", "0"}, // the zero rate is canonical
		{2, 1000, "2/1000", "0.002"},
		{1, 3, "1/3", "0.333333333333333333"},
		{2, 3, "2/3", "0.666666666666666667"}, // display rounding: half away from zero
		{7, 7, "7/7", "1"},
	} {
		r, err := fees.NewRate(c.num, c.den)
		if err != nil {
			t.Fatalf("NewRate(%d, %d): %v", c.num, c.den, err)
		}
		if r.String() != c.str {
			t.Errorf("NewRate(%d, %d).String() = %q, want %q", c.num, c.den, r.String(), c.str)
		}
		if !r.Decimal().Equal(decimal.RequireFromString(c.dec)) {
			t.Errorf("NewRate(%d, %d).Decimal() = %s, want %s", c.num, c.den, r.Decimal(), c.dec)
		}
		if r.IsZero() != (c.num == 0) {
			t.Errorf("NewRate(%d, %d).IsZero() = %v", c.num, c.den, r.IsZero())
		}
	}
}

func TestNewRateInvalid(t *testing.T) {
	for _, c := range [][2]int64{{-1, 1000}, {1001, 1000}, {1, 0}, {0, 0}, {0, -5}, {-1, -1}, {2, 1}} {
		_, err := fees.NewRate(c[0], c[1])
		if !errors.Is(err, fees.ErrInvalidRate) {
			t.Fatalf("NewRate(%d, %d) = %v, want ErrInvalidRate", c[0], c[1], err)
		}
		var re *fees.RateError
		if !errors.As(err, &re) || re.Num != c[0] || re.Den != c[1] {
			t.Fatalf("NewRate(%d, %d): RateError = %+v", c[0], c[1], re)
		}
		if errors.Is(err, fees.ErrAboveCap) {
			t.Fatalf("NewRate(%d, %d) is also ErrAboveCap", c[0], c[1])
		}
	}
}

func TestRateConstructors(t *testing.T) {
	pm, _ := fees.PerMille(3)
	bp, _ := fees.BasisPoints(30)
	pc, _ := fees.Percent(3)
	if !pm.Equal(bp) || pm.Equal(pc) || !pc.Equal(fees.MustRate(30, 1000)) {
		t.Fatalf("3 per mille %s, 30 bp %s, 3%% %s", pm, bp, pc)
	}
	if pm.Num() != 3 || pm.Den() != 1000 || bp.Den() != 10000 || pc.Den() != 100 {
		t.Fatalf("fractions are kept as given: %s %s %s", pm, bp, pc)
	}
	for _, f := range []func(int64) (fees.Rate, error){fees.PerMille, fees.BasisPoints, fees.Percent} {
		if _, err := f(-1); !errors.Is(err, fees.ErrInvalidRate) {
			t.Errorf("negative: %v", err)
		}
	}
	if _, err := fees.PerMille(1001); !errors.Is(err, fees.ErrInvalidRate) {
		t.Errorf("PerMille(1001): %v", err)
	}
	if _, err := fees.BasisPoints(10001); !errors.Is(err, fees.ErrInvalidRate) {
		t.Errorf("BasisPoints(10001): %v", err)
	}
	if _, err := fees.Percent(101); !errors.Is(err, fees.ErrInvalidRate) {
		t.Errorf("Percent(101): %v", err)
	}
	var zero fees.Rate
	if !zero.IsZero() || zero.Den() != 1 || zero.String() != "0/1" || !zero.Equal(fees.MustRate(0, 7)) {
		t.Errorf("zero Rate: %s", zero)
	}
}

func TestMustRatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("MustRate(2, 1) did not panic")
		}
	}()
	fees.MustRate(2, 1)
}

func TestRateCmp(t *testing.T) {
	a, b := fees.MustRate(1, 3), fees.MustRate(333, 1000)
	if a.Cmp(b) != 1 || b.Cmp(a) != -1 || a.Cmp(fees.MustRate(2, 6)) != 0 {
		t.Fatalf("Cmp: %d %d", a.Cmp(b), b.Cmp(a))
	}
	// Large terms do not overflow: the comparison is done in big integers.
	x := fees.MustRate(1<<62-1, 1<<62)
	y := fees.MustRate(1<<62-2, 1<<62-1)
	if x.Cmp(y) != 1 {
		t.Fatalf("%s vs %s: %d", x, y, x.Cmp(y))
	}
}

func TestRateCheckCap(t *testing.T) {
	limit := fees.WeTrustForepersonCap()
	if err := fees.MustRate(20, 1000).CheckCap(limit); err != nil {
		t.Fatalf("at the cap: %v", err)
	}
	if err := fees.MustRate(1, 50).CheckCap(limit); err != nil { // 1/50 == 20/1000
		t.Fatalf("equal by value: %v", err)
	}
	err := fees.MustRate(21, 1000).CheckCap(limit)
	var re *fees.RateError
	if !errors.Is(err, fees.ErrAboveCap) || !errors.As(err, &re) || re.Num != 21 || re.Den != 1000 || !re.Cap.Equal(limit) {
		t.Fatalf("above the cap: %v (%+v)", err, re)
	}
	if want := "fees: rate above cap: 21/1000 exceeds 20/1000"; err.Error() != want {
		t.Fatalf("message %q, want %q", err, want)
	}
}

func TestRateFeeUnits(t *testing.T) {
	// floor(gross*num/den) for the fee; the net takes the rest.
	for _, c := range []struct {
		num, den, gross, fee int64
	}{
		{20, 1000, 1951, 39}, // 39.02
		{20, 1000, 1049, 20}, // 20.98 rounds down
		{3, 1000, 999, 2},
		{1, 3, 2, 0},
		{1, 1, 17, 17},
		{0, 1, 17, 0},
		{5, 1000, 0, 0},
	} {
		fee, net := fees.MustRate(c.num, c.den).FeeUnits(big.NewInt(c.gross))
		if fee.Int64() != c.fee || net.Int64() != c.gross-c.fee {
			t.Errorf("%d/%d of %d: fee %s net %s, want fee %d", c.num, c.den, c.gross, fee, net, c.fee)
		}
	}
}

func TestRateNetFloorUnits(t *testing.T) {
	// The reference contract's RF(x) = floor(x*(1000-f)/1000), f = 20: RF(1951) = 1911 and
	// RF(1049) = 1028 (spec, "EVM dust example").
	r := fees.MustRate(20, 1000)
	for _, c := range [][2]int64{{1951, 1911}, {1049, 1028}, {3000, 2940}, {0, 0}, {1, 0}, {50, 49}} {
		fee, net := r.NetFloorUnits(big.NewInt(c[0]))
		if net.Int64() != c[1] || fee.Int64() != c[0]-c[1] {
			t.Errorf("RF(%d) = %s (fee %s), want %d", c[0], net, fee, c[1])
		}
	}
}

func TestRateApply(t *testing.T) {
	eth := token.ETH()
	r := fees.MustRate(3, 1000)
	fee, net, err := r.Apply(eth, decimal.RequireFromString("1.000000000000000999"))
	if err != nil {
		t.Fatal(err)
	}
	// 3/1000 of 1000000000000000999 wei = 3000000000000002.997 -> 3000000000000002 wei.
	if !fee.Equal(decimal.RequireFromString("0.003000000000000002")) || !net.Equal(decimal.RequireFromString("0.997000000000000997")) {
		t.Fatalf("fee %s net %s", fee, net)
	}
	fee, net, err = r.ApplyNetFloor(eth, decimal.RequireFromString("1.000000000000000999"))
	if err != nil {
		t.Fatal(err)
	}
	// net = floor(1000000000000000999*997/1000) = 997000000000000996 (…996.003).
	if !net.Equal(decimal.RequireFromString("0.997000000000000996")) || !fee.Equal(decimal.RequireFromString("0.003000000000000003")) {
		t.Fatalf("net-floor fee %s net %s", fee, net)
	}
}

func TestRateApplyErrors(t *testing.T) {
	r := fees.MustRate(3, 1000)
	for _, c := range []struct {
		asset token.Asset
		gross string
		want  error
	}{
		{token.TRST(), "-1", token.ErrNegativeAmount},
		{token.TRST(), "0.0000001", token.ErrSubUnitAmount},
		{token.Asset{}, "1", token.ErrInvalidAsset},
	} {
		for name, apply := range map[string]func(token.Asset, decimal.Decimal) (decimal.Decimal, decimal.Decimal, error){
			"Apply": r.Apply, "ApplyNetFloor": r.ApplyNetFloor,
		} {
			_, _, err := apply(c.asset, decimal.RequireFromString(c.gross))
			var ae *token.AmountError
			if !errors.Is(err, c.want) || !errors.As(err, &ae) {
				t.Errorf("%s(%s, %s) = %v, want %v", name, c.asset, c.gross, err, c.want)
			}
		}
	}
}

func TestRateText(t *testing.T) {
	type cfg struct {
		Fee fees.Rate `json:"fee"`
	}
	b, err := json.Marshal(cfg{Fee: fees.MustRate(2, 1000)})
	if err != nil || string(b) != `{"fee":"2/1000"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var c cfg
	if err := json.Unmarshal(b, &c); err != nil || c.Fee.Num() != 2 || c.Fee.Den() != 1000 {
		t.Fatalf("unmarshal: %v %v", c.Fee, err)
	}
	for _, bad := range []string{`"2"`, `"a/b"`, `"2/0"`, `"3/2"`, `"-1/5"`, `"1/x"`, `""`} {
		err := json.Unmarshal([]byte(`{"fee":`+bad+`}`), &c)
		if !errors.Is(err, fees.ErrInvalidRate) {
			t.Errorf("unmarshal %s: %v", bad, err)
		}
	}
	if !c.Fee.Equal(fees.MustRate(2, 1000)) {
		t.Errorf("failed decode changed the value: %s", c.Fee)
	}
}
