package fees

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/trustcircle/trustcircle/token"
)

// Circle describes a lending circle as far as a fee [Policy] cares: the asset it runs in and
// its number of members.
type Circle struct {
	Asset   token.Asset `json:"asset"`
	Members int         `json:"members"`
}

// Validate reports whether the description is usable: a valid asset and at least one member.
// The error is a [*CircleError].
func (c Circle) Validate() error {
	if !c.Asset.IsValid() {
		return &CircleError{Circle: c, Reason: "no asset"}
	}
	if c.Members < 1 {
		return &CircleError{Circle: c, Reason: "fewer than one member"}
	}
	return nil
}

// Rule is one line of a [Policy]: the rate charged on circles that match it. A circle matches
// when its asset is the rule's Asset (the zero Asset matches any asset) and its number of
// members lies in [MinMembers, MaxMembers] (a MaxMembers of 0 means no upper bound).
type Rule struct {
	Name       string      // a label for people and logs, such as "small circles"
	Asset      token.Asset // the asset the rule applies to; the zero Asset means any
	MinMembers int         // the fewest members a matching circle has; 0 means no lower bound
	MaxMembers int         // the most members a matching circle has; 0 means no upper bound
	Rate       Rate        // the rate charged on a matching circle
}

// Validate reports whether the rule is well formed: non-negative member bounds and a
// MaxMembers, when set, not below MinMembers. The error is a [*RuleError] with Index 0.
func (r Rule) Validate() error { return r.validate(0) }

func (r Rule) validate(i int) error {
	switch {
	case r.MinMembers < 0:
		return &RuleError{Index: i, Rule: r, Reason: "negative MinMembers"}
	case r.MaxMembers < 0:
		return &RuleError{Index: i, Rule: r, Reason: "negative MaxMembers"}
	case r.MaxMembers != 0 && r.MaxMembers < r.MinMembers:
		return &RuleError{Index: i, Rule: r, Reason: fmt.Sprintf("MaxMembers %d below MinMembers %d", r.MaxMembers, r.MinMembers)}
	}
	return nil
}

// Matches reports whether the rule applies to the circle.
func (r Rule) Matches(c Circle) bool {
	if r.Asset.IsValid() && !r.Asset.Equal(c.Asset) {
		return false
	}
	return c.Members >= r.MinMembers && (r.MaxMembers == 0 || c.Members <= r.MaxMembers)
}

// Equal reports whether two rules are the same (rates compared by value).
func (r Rule) Equal(s Rule) bool {
	return r.Name == s.Name && r.Asset.Equal(s.Asset) && r.MinMembers == s.MinMembers &&
		r.MaxMembers == s.MaxMembers && r.Rate.Equal(s.Rate)
}

type ruleJSON struct {
	Name       string       `json:"name,omitempty"`
	Asset      *token.Asset `json:"asset,omitempty"`
	MinMembers int          `json:"min_members,omitempty"`
	MaxMembers int          `json:"max_members,omitempty"`
	Rate       Rate         `json:"rate"`
}

// MarshalJSON encodes the rule as
// {"name":"TRST circles","asset":{"symbol":"TRST","decimals":6},"min_members":6,"rate":"1/1000"};
// the asset is omitted when the rule applies to any asset.
func (r Rule) MarshalJSON() ([]byte, error) {
	j := ruleJSON{Name: r.Name, MinMembers: r.MinMembers, MaxMembers: r.MaxMembers, Rate: r.Rate}
	if r.Asset.IsValid() {
		a := r.Asset
		j.Asset = &a
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes the form [Rule.MarshalJSON] writes and validates it.
func (r *Rule) UnmarshalJSON(b []byte) error {
	var j ruleJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	v := Rule{Name: j.Name, MinMembers: j.MinMembers, MaxMembers: j.MaxMembers, Rate: j.Rate}
	if j.Asset != nil {
		v.Asset = *j.Asset
	}
	if err := v.Validate(); err != nil {
		return err
	}
	*r = v
	return nil
}

// Policy is a platform's fee schedule as data: an ordered list of [Rule]s and a rate for
// circles that match none. The first rule that matches a circle gives its rate. A service
// replaces [WeTrustPlatformPolicy] with its own by building another Policy with [NewPolicy]
// (or decoding one from JSON); no code changes.
//
// Policy is an immutable value, safe for concurrent use. The zero Policy has no rules and
// charges nothing.
type Policy struct {
	rules     []Rule
	otherwise Rate
}

// NewPolicy returns the policy with the given rules, in order, and the rate for circles that
// match none. It validates every rule (a [*RuleError] names the first bad one) and copies the
// slice.
func NewPolicy(rules []Rule, otherwise Rate) (Policy, error) {
	for i, r := range rules {
		if err := r.validate(i); err != nil {
			return Policy{}, err
		}
	}
	return Policy{rules: slices.Clone(rules), otherwise: otherwise}, nil
}

// WeTrustPlatformPolicy returns the platform fee the 2017 crowdsale FAQ announced: "a 0.3%
// fee on Trusted Lending Circles larger than 5 members, and a significantly lower fee of
// 0.1% when Trustcoin is used". As rules, in order:
//
//	small circles   any asset  1 to 5 members  0
//	TRST circles    TRST       6 or more       1/1000
//	larger circles  any asset  6 or more       3/1000
//	otherwise                                  0
//
// We read the TRST discount as a lower rate on the circles that pay a fee at all, so a TRST
// circle of five members or fewer pays nothing.
func WeTrustPlatformPolicy() Policy {
	return Policy{rules: []Rule{
		{Name: "small circles", MinMembers: 1, MaxMembers: 5, Rate: Rate{}},
		{Name: "TRST circles", Asset: token.TRST(), MinMembers: 6, Rate: Rate{num: 1, den: 1000}},
		{Name: "larger circles", MinMembers: 6, Rate: Rate{num: 3, den: 1000}},
	}}
}

// Rules returns a copy of the policy's rules, in order.
func (p Policy) Rules() []Rule { return slices.Clone(p.rules) }

// Otherwise returns the rate for circles that match no rule.
func (p Policy) Otherwise() Rate { return p.otherwise }

// Lookup returns the rate for the circle and the index of the rule that gave it: the first
// rule that matches, or -1 and [Policy.Otherwise] when none does. An invalid circle is a
// [*CircleError]. The answer depends only on the policy and the circle.
func (p Policy) Lookup(c Circle) (Rate, int, error) {
	if err := c.Validate(); err != nil {
		return Rate{}, -1, err
	}
	for i, r := range p.rules {
		if r.Matches(c) {
			return r.Rate, i, nil
		}
	}
	return p.otherwise, -1, nil
}

// Rate returns the rate for the circle, as [Policy.Lookup].
func (p Policy) Rate(c Circle) (Rate, error) {
	r, _, err := p.Lookup(c)
	return r, err
}

// Apply looks up the circle's rate and applies it to gross, an amount of the circle's asset,
// with [Rate.Apply]: the fee is rounded down to the minor unit, the net takes the rest, and
// fee + net = gross exactly.
func (p Policy) Apply(c Circle, gross decimal.Decimal) (fee, net decimal.Decimal, err error) {
	r, err := p.Rate(c)
	if err != nil {
		return decimal.Decimal{}, decimal.Decimal{}, err
	}
	return r.Apply(c.Asset, gross)
}

// Equal reports whether two policies have equal rules in the same order and equal default
// rates.
func (p Policy) Equal(q Policy) bool {
	return p.otherwise.Equal(q.otherwise) && slices.EqualFunc(p.rules, q.rules, Rule.Equal)
}

type policyJSON struct {
	Rules     []Rule `json:"rules"`
	Otherwise Rate   `json:"otherwise"`
}

// MarshalJSON encodes the policy as {"rules":[...],"otherwise":"0/1"}.
func (p Policy) MarshalJSON() ([]byte, error) {
	rules := p.rules
	if rules == nil {
		rules = []Rule{}
	}
	return json.Marshal(policyJSON{Rules: rules, Otherwise: p.otherwise})
}

// UnmarshalJSON decodes the form [Policy.MarshalJSON] writes and validates it like
// [NewPolicy].
func (p *Policy) UnmarshalJSON(b []byte) error {
	var j policyJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	v, err := NewPolicy(j.Rules, j.Otherwise)
	if err != nil {
		return err
	}
	*p = v
	return nil
}
