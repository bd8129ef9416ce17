package fees_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/fees"
	"github.com/trustcircle/trustcircle/token"
)

func TestWeTrustForepersonFee(t *testing.T) {
	for pm := int64(0); pm <= 20; pm++ {
		f, err := fees.WeTrustForepersonFee(pm)
		if err != nil {
			t.Fatalf("%d per mille: %v", pm, err)
		}
		if !f.Rate().Equal(fees.MustRate(pm, 1000)) || !f.Cap().Equal(fees.MustRate(20, 1000)) {
			t.Fatalf("%d per mille: %s", pm, f)
		}
	}
	_, err := fees.WeTrustForepersonFee(21)
	var re *fees.RateError
	if !errors.Is(err, fees.ErrAboveCap) || !errors.As(err, &re) || re.Num != 21 || !re.Cap.Equal(fees.WeTrustForepersonCap()) {
		t.Fatalf("21 per mille: %v", err)
	}
	if _, err := fees.WeTrustForepersonFee(-1); !errors.Is(err, fees.ErrInvalidRate) {
		t.Fatalf("-1 per mille: %v", err)
	}
	if fees.WeTrustMaxFeePerMille != 20 || fees.WeTrustForepersonCap().String() != "20/1000" {
		t.Fatalf("cap %s", fees.WeTrustForepersonCap())
	}
}

func TestForepersonFee(t *testing.T) {
	limit := fees.MustRate(5, 100)
	f, err := fees.NewForepersonFee(fees.MustRate(1, 20), limit) // exactly the cap
	if err != nil {
		t.Fatal(err)
	}
	if f.String() != "1/20 (cap 5/100)" {
		t.Errorf("String %q", f)
	}
	if f.Equal(fees.ForepersonFee{}) {
		t.Errorf("a 5%% fee equals the zero fee")
	}
	g, _ := fees.NewForepersonFee(fees.MustRate(5, 100), fees.MustRate(1, 20))
	if !f.Equal(g) {
		t.Errorf("%s and %s differ", f, g)
	}
	if _, err := fees.NewForepersonFee(fees.MustRate(6, 100), limit); !errors.Is(err, fees.ErrAboveCap) {
		t.Errorf("above the cap: %v", err)
	}
	// Apply is the reference contract's RF: net rounded down.
	w, _ := fees.WeTrustForepersonFee(20)
	wei, _ := token.NewAsset("WEI", 0)
	fee, net, err := w.Apply(wei, decimal.NewFromInt(1951))
	if err != nil || !net.Equal(decimal.NewFromInt(1911)) || !fee.Equal(decimal.NewFromInt(40)) {
		t.Fatalf("RF(1951): fee %s net %s %v", fee, net, err)
	}
}

// wetrustModel is the FAQ's rule written out as branches, independently of the policy data.
func wetrustModel(c fees.Circle) fees.Rate {
	switch {
	case c.Members <= 5:
		return fees.Rate{}
	case c.Asset.Equal(token.TRST()):
		return fees.MustRate(1, 1000)
	default:
		return fees.MustRate(3, 1000)
	}
}

func TestWeTrustPlatformPolicy(t *testing.T) {
	p := fees.WeTrustPlatformPolicy()
	trst6, _ := token.NewAsset("TRST", 18) // same symbol, other decimals: not Trustcoin
	for _, c := range []struct {
		circle fees.Circle
		rate   string
		rule   int
	}{
		{fees.Circle{Asset: token.ETH(), Members: 2}, "0/1", 0},
		{fees.Circle{Asset: token.ETH(), Members: 5}, "0/1", 0},
		{fees.Circle{Asset: token.ETH(), Members: 6}, "3/1000", 2},
		{fees.Circle{Asset: token.ETH(), Members: 255}, "3/1000", 2},
		{fees.Circle{Asset: token.TRST(), Members: 1}, "0/1", 0},
		{fees.Circle{Asset: token.TRST(), Members: 5}, "0/1", 0},
		{fees.Circle{Asset: token.TRST(), Members: 6}, "1/1000", 1},
		{fees.Circle{Asset: token.TRST(), Members: 1000}, "1/1000", 1},
		{fees.Circle{Asset: token.BTC(), Members: 7}, "3/1000", 2},
		{fees.Circle{Asset: trst6, Members: 7}, "3/1000", 2},
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
	fee, net, err := p.Apply(fees.Circle{Asset: token.ETH(), Members: 6}, decimal.NewFromInt(1000))
	if err != nil || !fee.Equal(decimal.NewFromInt(3)) || !net.Equal(decimal.NewFromInt(997)) {
		t.Fatalf("Apply: %s %s %v", fee, net, err)
	}
	if !p.Otherwise().IsZero() || len(p.Rules()) != 3 {
		t.Fatalf("rules %v otherwise %s", p.Rules(), p.Otherwise())
	}
}

func TestPolicyCircleErrors(t *testing.T) {
	p := fees.WeTrustPlatformPolicy()
	for _, c := range []fees.Circle{{Asset: token.ETH(), Members: 0}, {Asset: token.ETH(), Members: -3}, {Members: 6}} {
		_, i, err := p.Lookup(c)
		var ce *fees.CircleError
		if !errors.Is(err, fees.ErrInvalidCircle) || !errors.As(err, &ce) || ce.Circle != c || i != -1 {
			t.Errorf("%+v: %v", c, err)
		}
		if _, err := p.Rate(c); !errors.Is(err, fees.ErrInvalidCircle) {
			t.Errorf("Rate(%+v): %v", c, err)
		}
		if _, _, err := p.Apply(c, decimal.NewFromInt(1)); !errors.Is(err, fees.ErrInvalidCircle) {
			t.Errorf("Apply(%+v): %v", c, err)
		}
	}
	if _, _, err := p.Apply(fees.Circle{Asset: token.BTC(), Members: 9}, decimal.RequireFromString("0.000000001")); !errors.Is(err, token.ErrSubUnitAmount) {
		t.Errorf("sub-unit gross: %v", err)
	}
}

func TestNewPolicy(t *testing.T) {
	rules := []fees.Rule{
		{Name: "vip", MinMembers: 10, MaxMembers: 20, Rate: fees.MustRate(1, 100)},
		{Name: "eth", Asset: token.ETH(), Rate: fees.MustRate(2, 100)},
	}
	p, err := fees.NewPolicy(rules, fees.MustRate(5, 100))
	if err != nil {
		t.Fatal(err)
	}
	rules[0].Rate = fees.MustRate(9, 10) // the policy holds a copy
	got := p.Rules()
	got[1].Name = "changed" // and hands out copies
	for _, c := range []struct {
		circle fees.Circle
		rate   string
		index  int
	}{
		{fees.Circle{Asset: token.BTC(), Members: 10}, "1/100", 0},
		{fees.Circle{Asset: token.ETH(), Members: 20}, "1/100", 0}, // first match wins
		{fees.Circle{Asset: token.ETH(), Members: 21}, "2/100", 1},
		{fees.Circle{Asset: token.BTC(), Members: 21}, "5/100", -1},
		{fees.Circle{Asset: token.BTC(), Members: 9}, "5/100", -1},
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
		ok := fees.Rule{Name: "ok", Rate: fees.MustRate(1, 2)}
		_, err := fees.NewPolicy([]fees.Rule{ok, c.rule}, fees.Rate{})
		var re *fees.RuleError
		if !errors.Is(err, fees.ErrInvalidRule) || !errors.As(err, &re) || re.Index != 1 || re.Reason != c.reason || re.Rule.Name != c.rule.Name {
			t.Errorf("%+v: %v", c.rule, err)
		}
		if err := c.rule.Validate(); !errors.Is(err, fees.ErrInvalidRule) {
			t.Errorf("Validate %+v: %v", c.rule, err)
		}
	}
}

func TestPolicyJSON(t *testing.T) {
	p := fees.WeTrustPlatformPolicy()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"rules":[{"name":"small circles","min_members":1,"max_members":5,"rate":"0/1"},` +
		`{"name":"TRST circles","asset":{"symbol":"TRST","decimals":6},"min_members":6,"rate":"1/1000"},` +
		`{"name":"larger circles","min_members":6,"rate":"3/1000"}],"otherwise":"0/1"}`
	if string(b) != want {
		t.Fatalf("JSON\n got %s\nwant %s", b, want)
	}
	var q fees.Policy
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if !q.Equal(p) {
		t.Fatalf("round trip: %v", cmp.Diff(p.Rules(), q.Rules()))
	}
	if b, _ := json.Marshal(fees.Policy{}); string(b) != `{"rules":[],"otherwise":"0/1"}` {
		t.Fatalf("zero policy JSON %s", b)
	}
	for _, bad := range []string{
		`{"rules":[{"min_members":7,"max_members":6,"rate":"0/1"}],"otherwise":"0/1"}`,
		`{"rules":[{"rate":"2/1"}],"otherwise":"0/1"}`,
		`{"rules":[],"otherwise":"x"}`,
		`{"rules":[{"asset":{"symbol":"eth","decimals":18},"rate":"0/1"}]}`,
		`{"rules":[{"rate":"1/2"}`,
		`{"rules":{}}`,
	} {
		q := p
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
	b, _ := fees.NewPolicy(a.Rules(), fees.Rate{})
	if !a.Equal(b) {
		t.Fatal("same rules differ")
	}
	rules := a.Rules()
	rules[2].Rate = fees.MustRate(6, 2000) // same value, other fraction
	c, _ := fees.NewPolicy(rules, fees.MustRate(0, 9))
	if !a.Equal(c) {
		t.Fatal("equal by value")
	}
	rules[2].Rate = fees.MustRate(4, 1000)
	d, _ := fees.NewPolicy(rules, fees.Rate{})
	e, _ := fees.NewPolicy(a.Rules(), fees.MustRate(1, 9))
	f, _ := fees.NewPolicy(a.Rules()[:2], fees.Rate{})
	for _, x := range []fees.Policy{d, e, f} {
		if a.Equal(x) {
			t.Errorf("%v equals the WeTrust policy", x.Rules())
		}
	}
}
