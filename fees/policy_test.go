package fees_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

func TestWeTrustForepersonFee(t *testing.T) {
	for pm := uint64(0); pm <= 20; pm++ {
		f, err := fees.WeTrustForepersonFee(pm)
		if err != nil {
			t.Fatalf("%d per mille: %v", pm, err)
		}
		if !f.Rate().Equal(token.MustRatio(pm, 1000)) || !f.Cap().Equal(token.MustRatio(20, 1000)) {
			t.Fatalf("%d per mille: %s", pm, f)
		}
	}
	for _, pm := range []uint64{21, 1000, 1001, math.MaxUint64} {
		_, err := fees.WeTrustForepersonFee(pm)
		var e *fees.Error
		if !errors.Is(err, fees.ErrAboveCap) || !errors.As(err, &e) || !strings.HasSuffix(e.Detail, " per mille exceeds the cap of 20 per mille") {
			t.Fatalf("%d per mille: %v", pm, err)
		}
	}
	if _, err := fees.WeTrustForepersonFee(21); err.Error() != "fees: rate above cap: 21 per mille exceeds the cap of 20 per mille (op WeTrustForepersonFee)" {
		t.Fatalf("message %q", err)
	}
	if fees.WeTrustMaxFeePerMille != 20 || fees.WeTrustForepersonCap().String() != "2%" || !fees.WeTrustForepersonCap().Equal(token.MustRatio(20, 1000)) {
		t.Fatalf("cap %s", fees.WeTrustForepersonCap())
	}
}

func TestForepersonFee(t *testing.T) {
	limit := token.MustRatio(5, 100)
	f, err := fees.NewForepersonFee(token.MustRatio(1, 20), limit) // exactly the cap
	if err != nil {
		t.Fatal(err)
	}
	if f.String() != "5% (cap 5%)" {
		t.Errorf("String %q", f)
	}
	if f.Equal(fees.ForepersonFee{}) {
		t.Errorf("a 5%% fee equals the zero fee")
	}
	g, _ := fees.NewForepersonFee(token.MustRatio(5, 100), token.MustRatio(1, 20))
	if !f.Equal(g) {
		t.Errorf("%s and %s differ", f, g)
	}
	_, err = fees.NewForepersonFee(token.MustRatio(6, 100), limit)
	var e *fees.Error
	if !errors.Is(err, fees.ErrAboveCap) || !errors.As(err, &e) || e.Op != "NewForepersonFee" || e.Detail != "6% exceeds the cap 5%" {
		t.Errorf("above the cap: %v", err)
	}
	// Apply is the reference contract's RF: net rounded down.
	w, _ := fees.WeTrustForepersonFee(20)
	wei := wei(t)
	fee, net, err := w.Apply(wei.FromInt64Units(1951))
	if err != nil || !net.Equal(wei.FromInt64Units(1911)) || !fee.Equal(wei.FromInt64Units(40)) {
		t.Fatalf("RF(1951): fee %s net %s %v", fee, net, err)
	}
	if fee.String() != "40 WEI" || net.String() != "1911 WEI" {
		t.Fatalf("RF(1951): fee %s net %s", fee, net)
	}
	// The zero fee charges nothing.
	fee, net, err = fees.ForepersonFee{}.Apply(wei.FromInt64Units(1951))
	if err != nil || !fee.IsZero() || !net.Equal(wei.FromInt64Units(1951)) {
		t.Fatalf("zero fee: %s %s %v", fee, net, err)
	}
}

// wetrustModel is the FAQ's rule written out as branches, independently of the policy data.
func wetrustModel(c fees.Circle) token.Ratio {
	switch {
	case c.Members <= 5:
		return token.Ratio{}
	case c.Asset.Equal(token.TRST()):
		return token.MustRatio(1, 1000)
	default:
		return token.MustRatio(3, 1000)
	}
}

func TestWeTrustPlatformPolicy(t *testing.T) {
	p := fees.WeTrustPlatformPolicy()
	trst18, _ := token.NewAsset("TRST", 18) // same symbol, other decimals: not Trustcoin
	for _, c := range []struct {
		circle fees.Circle
		rate   string
		rule   int
	}{
		{fees.Circle{Asset: token.ETH(), Members: 2}, "0%", 0},
		{fees.Circle{Asset: token.ETH(), Members: 5}, "0%", 0},
		{fees.Circle{Asset: token.ETH(), Members: 6}, "0.3%", 2},
		{fees.Circle{Asset: token.ETH(), Members: 255}, "0.3%", 2},
		{fees.Circle{Asset: token.TRST(), Members: 1}, "0%", 0},
		{fees.Circle{Asset: token.TRST(), Members: 5}, "0%", 0},
		{fees.Circle{Asset: token.TRST(), Members: 6}, "0.1%", 1},
		{fees.Circle{Asset: token.TRST(), Members: 1000}, "0.1%", 1},
		{fees.Circle{Asset: token.BTC(), Members: 7}, "0.3%", 2},
		{fees.Circle{Asset: trst18, Members: 7}, "0.3%", 2},
	} {
		r, i, err := p.Lookup(c.circle)
		if err != nil || r.String() != c.rate || i != c.rule {
			t.Errorf("%s, %d members: %s (rule %d) %v, want %s (rule %d)", c.circle.Asset, c.circle.Members, r, i, err, c.rate, c.rule)
		}
		if !r.Equal(wetrustModel(c.circle)) {
			t.Errorf("%+v: policy %s, model %s", c.circle, r, wetrustModel(c.circle))
		}
	}
	// 0.3% of 1000 ETH on a 6-member circle is 3 ETH.
	eth := token.ETH()
	fee, net, err := p.Apply(fees.Circle{Asset: eth, Members: 6}, eth.MustParse("1000"))
	if err != nil || !fee.Equal(eth.MustParse("3")) || !net.Equal(eth.MustParse("997")) {
		t.Fatalf("Apply: %s %s %v", fee, net, err)
	}
	// 0.1% of a pot of 8 TRST on an 8-member TRST circle (the package documentation's figures).
	trst := token.TRST()
	fee, net, err = p.Apply(fees.Circle{Asset: trst, Members: 8}, trst.MustParse("8"))
	if err != nil || fee.String() != "0.008000 TRST" || net.String() != "7.992000 TRST" {
		t.Fatalf("Apply TRST: %s %s %v", fee, net, err)
	}
	if !p.Otherwise().IsZero() || len(p.Rules()) != 3 {
		t.Fatalf("rules %v otherwise %s", p.Rules(), p.Otherwise())
	}
}

func TestPolicyCircleErrors(t *testing.T) {
	p := fees.WeTrustPlatformPolicy()
	for _, c := range []struct {
		circle fees.Circle
		detail string
	}{
		{fees.Circle{Asset: token.ETH(), Members: 0}, "ETH circle with 0 members, want at least one"},
		{fees.Circle{Asset: token.ETH(), Members: -3}, "ETH circle with -3 members, want at least one"},
		{fees.Circle{Members: 6}, "no asset"},
	} {
		_, i, err := p.Lookup(c.circle)
		var e *fees.Error
		if !errors.Is(err, fees.ErrInvalidCircle) || !errors.As(err, &e) || e.Detail != c.detail || i != -1 {
			t.Errorf("%+v: %v", c.circle, err)
		}
		if err := c.circle.Validate(); !errors.Is(err, fees.ErrInvalidCircle) {
			t.Errorf("Validate(%+v): %v", c.circle, err)
		}
		if _, err := p.Rate(c.circle); !errors.Is(err, fees.ErrInvalidCircle) {
			t.Errorf("Rate(%+v): %v", c.circle, err)
		}
		if _, _, err := p.Apply(c.circle, token.ETH().MustParse("1")); !errors.Is(err, fees.ErrInvalidCircle) {
			t.Errorf("Apply(%+v): %v", c.circle, err)
		}
	}
	btc9 := fees.Circle{Asset: token.BTC(), Members: 9}
	if _, _, err := p.Apply(btc9, token.ETH().MustParse("1")); !errors.Is(err, token.ErrAssetMismatch) {
		t.Errorf("ETH gross on a BTC circle: %v", err)
	}
	if _, _, err := p.Apply(btc9, token.Amount{}); !errors.Is(err, token.ErrInvalidAsset) {
		t.Errorf("no gross: %v", err)
	}
	if _, _, err := p.Apply(btc9, token.BTC().FromInt64Units(-1)); !errors.Is(err, token.ErrNegativeAmount) {
		t.Errorf("negative gross: %v", err)
	}
}

func TestNewPolicy(t *testing.T) {
	rules := []fees.Rule{
		{Name: "vip", MinMembers: 10, MaxMembers: 20, Rate: token.MustRatio(1, 100)},
		{Name: "eth", Asset: token.ETH(), Rate: token.MustRatio(2, 100)},
	}
	p, err := fees.NewPolicy(rules, token.MustRatio(5, 100))
	if err != nil {
		t.Fatal(err)
	}
	rules[0].Rate = token.MustRatio(9, 10) // the policy holds a copy
	got := p.Rules()
	got[1].Name = "changed" // and hands out copies
	for _, c := range []struct {
		circle fees.Circle
		rate   string
		index  int
	}{
		{fees.Circle{Asset: token.BTC(), Members: 10}, "1%", 0},
		{fees.Circle{Asset: token.ETH(), Members: 20}, "1%", 0}, // first match wins
		{fees.Circle{Asset: token.ETH(), Members: 21}, "2%", 1},
		{fees.Circle{Asset: token.BTC(), Members: 21}, "5%", -1},
		{fees.Circle{Asset: token.BTC(), Members: 9}, "5%", -1},
	} {
		r, i, err := p.Lookup(c.circle)
		if err != nil || r.String() != c.rate || i != c.index {
			t.Errorf("%+v: %s %d %v, want %s %d", c.circle, r, i, err, c.rate, c.index)
		}
	}
	var zero fees.Policy
	if r, i, err := zero.Lookup(fees.Circle{Asset: token.ETH(), Members: 100}); err != nil || !r.IsZero() || i != -1 {
		t.Errorf("zero policy: %s %d %v", r, i, err)
	}
}

func TestNewPolicyInvalidRules(t *testing.T) {
	for _, c := range []struct {
		rule   fees.Rule
		reason string
	}{
		{fees.Rule{Name: "a", MinMembers: -1}, "negative MinMembers"},
		{fees.Rule{Name: "b", MaxMembers: -1}, "negative MaxMembers"},
		{fees.Rule{Name: "c", MinMembers: 6, MaxMembers: 5}, "MaxMembers 5 below MinMembers 6"},
	} {
		ok := fees.Rule{Name: "ok", Rate: token.MustRatio(1, 2)}
		_, err := fees.NewPolicy([]fees.Rule{ok, c.rule}, token.Ratio{})
		var e *fees.Error
		want := `rule 1 ("` + c.rule.Name + `"): ` + c.reason
		if !errors.Is(err, fees.ErrInvalidRule) || !errors.As(err, &e) || e.Detail != want {
			t.Errorf("%+v: %v, want detail %q", c.rule, err, want)
		}
		if err := c.rule.Validate(); !errors.Is(err, fees.ErrInvalidRule) {
			t.Errorf("Validate %+v: %v", c.rule, err)
		}
	}
}

const wetrustPolicyJSON = `{"v":1,"rules":[{"name":"small circles","min_members":1,"max_members":5,"rate":"0%"},` +
	`{"name":"TRST circles","asset":{"symbol":"TRST","decimals":6},"min_members":6,"rate":"0.1%"},` +
	`{"name":"larger circles","min_members":6,"rate":"0.3%"}],"otherwise":"0%"}`

func TestPolicyJSON(t *testing.T) {
	p := fees.WeTrustPlatformPolicy()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != wetrustPolicyJSON {
		t.Fatalf("JSON\n got %s\nwant %s", b, wetrustPolicyJSON)
	}
	var q fees.Policy
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if !q.Equal(p) {
		t.Fatalf("round trip: %v", cmp.Diff(p.Rules(), q.Rules()))
	}
	if b, _ := json.Marshal(fees.Policy{}); string(b) != `{"v":1,"rules":[],"otherwise":"0%"}` {
		t.Fatalf("zero policy JSON %s", b)
	}
	// A fraction in lowest terms that has no terminating percentage reads as one.
	third, _ := fees.NewPolicy(nil, token.MustRatio(1, 3))
	if b, _ := json.Marshal(third); string(b) != `{"v":1,"rules":[],"otherwise":"1/3"}` {
		t.Fatalf("1/3 policy JSON %s", b)
	}
	for bad, want := range map[string]error{
		`{"v":1,"rules":[{"min_members":7,"max_members":6,"rate":"0%"}],"otherwise":"0%"}`: fees.ErrInvalidRule,
		`{"v":1,"rules":[{"rate":"2/1"}],"otherwise":"0%"}`:                                token.ErrInvalidRatio,
		`{"v":1,"rules":[],"otherwise":"x"}`:                                               token.ErrInvalidRatio,
		`{"v":1,"rules":[{"asset":{"symbol":"eth","decimals":18},"rate":"0%"}]}`:           token.ErrInvalidAsset,
		`{"v":1,"rules":[{"rate":"1/2"}`:                                                   fees.ErrInvalidPolicy,
		`{"v":1,"rules":{}}`:                                                               fees.ErrInvalidPolicy,
		`{"rules":[],"otherwise":"0%"}`:                                                    fees.ErrInvalidPolicy,
		`{"v":2,"rules":[],"otherwise":"0%"}`:                                              fees.ErrInvalidPolicy,
		`{"v":1,"rules":[],"otherwise":"0%","extra":1}`:                                    fees.ErrInvalidPolicy,
		`{"v":1,"rules":[{"rate":"0%","min_member":3}],"otherwise":"0%"}`:                  fees.ErrInvalidPolicy,
	} {
		q := p
		err := q.UnmarshalJSON([]byte(bad))
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", bad, err, want)
		}
		if _, ok := errors.AsType[*fees.Error](err); !ok {
			t.Errorf("%s: %T is not a *fees.Error", bad, err)
		}
		if err := json.Unmarshal([]byte(bad), &q); err == nil {
			t.Errorf("accepted %s", bad)
		}
		if !q.Equal(p) {
			t.Errorf("failed decode of %s changed the policy", bad)
		}
	}
}

func TestPolicyEqual(t *testing.T) {
	a := fees.WeTrustPlatformPolicy()
	b, _ := fees.NewPolicy(a.Rules(), token.Ratio{})
	if !a.Equal(b) {
		t.Fatal("same rules differ")
	}
	rules := a.Rules()
	rules[2].Rate = token.MustRatio(6, 2000) // same value, other fraction
	c, _ := fees.NewPolicy(rules, token.MustRatio(0, 9))
	if !a.Equal(c) {
		t.Fatal("equal by value")
	}
	rules[2].Rate = token.MustRatio(4, 1000)
	d, _ := fees.NewPolicy(rules, token.Ratio{})
	e, _ := fees.NewPolicy(a.Rules(), token.MustRatio(1, 9))
	f, _ := fees.NewPolicy(a.Rules()[:2], token.Ratio{})
	for _, x := range []fees.Policy{d, e, f} {
		if a.Equal(x) {
			t.Errorf("%v equals the WeTrust policy", x.Rules())
		}
	}
}
