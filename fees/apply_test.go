package fees_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

// wei is an asset whose minor unit is one: amounts in it are the reference contract's
// integers.
func wei(t testing.TB) token.Asset {
	t.Helper()
	a, err := token.NewAsset("WEI", 0)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestRatioFacts: the facts about token.Ratio the fee arithmetic relies on, with the figures
// of the former fees.Rate tests: construction, equality by value, exact comparison, the text.
func TestRatioFacts(t *testing.T) {
	for _, c := range []struct {
		num, den uint64
		str      string
	}{
		{0, 1, "0%"},
		{0, 1000, "0%"}, // the zero rate is canonical
		{2, 1000, "0.2%"},
		{1, 3, "1/3"},
		{2, 3, "2/3"},
		{7, 7, "100%"},
	} {
		r, err := token.NewRatio(c.num, c.den)
		if err != nil || r.String() != c.str || r.IsZero() != (c.num == 0) {
			t.Errorf("NewRatio(%d, %d) = %s %v, want %s", c.num, c.den, r, err, c.str)
		}
	}
	for _, c := range [][2]uint64{{1001, 1000}, {1, 0}, {0, 0}, {2, 1}} {
		if _, err := token.NewRatio(c[0], c[1]); !errors.Is(err, token.ErrInvalidRatio) {
			t.Errorf("NewRatio(%d, %d) = %v, want ErrInvalidRatio", c[0], c[1], err)
		}
	}
	pm, _ := token.PerMille(3)
	bp, _ := token.BasisPoints(30)
	pc, _ := token.Percent(3)
	if !pm.Equal(bp) || pm.Equal(pc) || !pc.Equal(token.MustRatio(30, 1000)) {
		t.Fatalf("3 per mille %s, 30 bp %s, 3%% %s", pm, bp, pc)
	}
	a, b := token.MustRatio(1, 3), token.MustRatio(333, 1000)
	if a.Cmp(b) != 1 || b.Cmp(a) != -1 || a.Cmp(token.MustRatio(2, 6)) != 0 {
		t.Fatalf("Cmp: %d %d", a.Cmp(b), b.Cmp(a))
	}
	// Large terms do not overflow.
	x := token.MustRatio(1<<62-1, 1<<62)
	y := token.MustRatio(1<<62-2, 1<<62-1)
	if x.Cmp(y) != 1 {
		t.Fatalf("%s vs %s: %d", x, y, x.Cmp(y))
	}
}

func TestCheckCap(t *testing.T) {
	limit := fees.WeTrustForepersonCap()
	if err := fees.CheckCap(token.MustRatio(20, 1000), limit); err != nil {
		t.Fatalf("at the cap: %v", err)
	}
	if err := fees.CheckCap(token.MustRatio(1, 50), limit); err != nil { // 1/50 == 20/1000
		t.Fatalf("equal by value: %v", err)
	}
	err := fees.CheckCap(token.MustRatio(21, 1000), limit)
	var e *fees.Error
	if !errors.Is(err, fees.ErrAboveCap) || !errors.As(err, &e) || e.Detail != "2.1% exceeds the cap 2%" || e.Op != "CheckCap" {
		t.Fatalf("above the cap: %v (%+v)", err, e)
	}
	if want := "fees: rate above cap: 2.1% exceeds the cap 2% (op CheckCap)"; err.Error() != want {
		t.Fatalf("message %q, want %q", err, want)
	}
}

// TestApplyFeeFloor: Apply rounds the fee down, floor(gross x rate); the net takes the rest.
func TestApplyFeeFloor(t *testing.T) {
	w := wei(t)
	for _, c := range []struct {
		num, den uint64
		gross    int64
		fee      int64
	}{
		{20, 1000, 1951, 39}, // 39.02
		{20, 1000, 1049, 20}, // 20.98 rounds down
		{3, 1000, 999, 2},
		{1, 3, 2, 0},
		{1, 1, 17, 17},
		{0, 1, 17, 0},
		{5, 1000, 0, 0},
	} {
		fee, net, err := fees.Apply(token.MustRatio(c.num, c.den), w.FromInt64Units(c.gross))
		if err != nil || !fee.Equal(w.FromInt64Units(c.fee)) || !net.Equal(w.FromInt64Units(c.gross-c.fee)) {
			t.Errorf("%d/%d of %d: fee %s net %s %v, want fee %d", c.num, c.den, c.gross, fee, net, err, c.fee)
		}
	}
}

// TestApplyNetFloor: the reference contract's RF(x) = floor(x*(1000-f)/1000), f = 20:
// RF(1951) = 1911 and RF(1049) = 1028 (the contract's EVM dust example).
func TestApplyNetFloor(t *testing.T) {
	w := wei(t)
	r := token.MustRatio(20, 1000)
	for _, c := range [][2]int64{{1951, 1911}, {1049, 1028}, {3000, 2940}, {0, 0}, {1, 0}, {50, 49}} {
		fee, net, err := fees.ApplyNetFloor(r, w.FromInt64Units(c[0]))
		if err != nil || !net.Equal(w.FromInt64Units(c[1])) || !fee.Equal(w.FromInt64Units(c[0]-c[1])) {
			t.Errorf("RF(%d) = %s (fee %s) %v, want %d", c[0], net, fee, err, c[1])
		}
	}
}

func TestApplyETH(t *testing.T) {
	eth := token.ETH()
	r := token.MustRatio(3, 1000)
	gross := eth.MustParse("1.000000000000000999")
	fee, net, err := fees.Apply(r, gross)
	if err != nil {
		t.Fatal(err)
	}
	// 3/1000 of 1000000000000000999 wei = 3000000000000002.997 -> 3000000000000002 wei.
	if !fee.Equal(eth.MustParse("0.003000000000000002")) || !net.Equal(eth.MustParse("0.997000000000000997")) {
		t.Fatalf("fee %s net %s", fee, net)
	}
	fee, net, err = fees.ApplyNetFloor(r, gross)
	if err != nil {
		t.Fatal(err)
	}
	// net = floor(1000000000000000999*997/1000) = 997000000000000996 (...996.003).
	if !net.Equal(eth.MustParse("0.997000000000000996")) || !fee.Equal(eth.MustParse("0.003000000000000003")) {
		t.Fatalf("net-floor fee %s net %s", fee, net)
	}
	if fee.Asset() != eth || net.Asset() != eth {
		t.Fatalf("assets %v %v", fee.Asset(), net.Asset())
	}
}

func TestApplyErrors(t *testing.T) {
	r := token.MustRatio(3, 1000)
	for _, c := range []struct {
		gross token.Amount
		want  error
	}{
		{token.TRST().FromInt64Units(-1), token.ErrNegativeAmount},
		{token.Amount{}, token.ErrInvalidAsset},
	} {
		for name, apply := range map[string]func(token.Ratio, token.Amount) (token.Amount, token.Amount, error){
			"Apply": fees.Apply, "ApplyNetFloor": fees.ApplyNetFloor,
		} {
			fee, net, err := apply(r, c.gross)
			var e *fees.Error
			if !errors.Is(err, c.want) || !errors.As(err, &e) || e.Op != name || fee.IsValid() || net.IsValid() {
				t.Errorf("%s(%s) = %v, want %v", name, c.gross, err, c.want)
			}
		}
	}
	// A sub-unit amount cannot be made at all, so it cannot reach Apply.
	if _, err := token.TRST().Parse("0.0000001"); err == nil {
		t.Errorf("a sub-unit TRST amount parses")
	}
}

// TestRateInConfig: a rate in a JSON config reads as the ratio's text, and a bad rate is
// refused with token.ErrInvalidRatio, leaving the value unchanged.
func TestRateInConfig(t *testing.T) {
	type cfg struct {
		Fee token.Ratio `json:"fee"`
	}
	b, err := json.Marshal(cfg{Fee: token.MustRatio(2, 1000)})
	if err != nil || string(b) != `{"fee":"0.2%"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var c cfg
	if err := json.Unmarshal(b, &c); err != nil || c.Fee.Num() != 1 || c.Fee.Den() != 500 {
		t.Fatalf("unmarshal: %v %v", c.Fee, err)
	}
	for _, bad := range []string{`"2"`, `"a/b"`, `"2/0"`, `"3/2"`, `"-1/5"`, `"1/x"`, `""`} {
		err := json.Unmarshal([]byte(`{"fee":`+bad+`}`), &c)
		if !errors.Is(err, token.ErrInvalidRatio) {
			t.Errorf("unmarshal %s: %v", bad, err)
		}
	}
	if !c.Fee.Equal(token.MustRatio(2, 1000)) {
		t.Errorf("failed decode changed the value: %s", c.Fee)
	}
}
