package fees

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"

	"github.com/trustcircle/trustcircle/token"
)

// Circle describes a lending circle as far as a fee [Policy] cares: the asset it runs in and
// its number of members. The zero Circle is not valid: it has no asset and no member.
type Circle struct {
	Asset   token.Asset `json:"asset"`
	Members int         `json:"members"`
}

// Validate reports whether the description is usable: a valid asset and at least one member.
// The error is an [*Error] wrapping [ErrInvalidCircle].
func (c Circle) Validate() error {
	if !c.Asset.IsValid() {
		return &Error{Op: "Circle.Validate", Detail: "no asset", Err: ErrInvalidCircle}
	}
	if c.Members < 1 {
		return &Error{Op: "Circle.Validate", Detail: c.Asset.String() + " circle with " + strconv.Itoa(c.Members) + " members, want at least one",
			Err: ErrInvalidCircle}
	}
	return nil
}

// Rule is one line of a [Policy]: the rate charged on circles that match it. A circle matches
// when its asset is the rule's Asset (the zero Asset matches any asset) and its number of
// members lies in [MinMembers, MaxMembers] (a MaxMembers of 0 means no upper bound). The
// zero Rule is valid: it matches every circle and charges nothing.
type Rule struct {
	Name       string      // a label for people and logs, such as "small circles"
	Asset      token.Asset // the asset the rule applies to; the zero Asset means any
	MinMembers int         // the fewest members a matching circle has; 0 means no lower bound
	MaxMembers int         // the most members a matching circle has; 0 means no upper bound
	Rate       token.Ratio // the rate charged on a matching circle
}

// Validate reports whether the rule is well formed: non-negative member bounds and a
// MaxMembers, when set, not below MinMembers. The error is an [*Error] wrapping
// [ErrInvalidRule].
func (r Rule) Validate() error { return r.validate("Rule.Validate", -1) }

func (r Rule) validate(op string, i int) error {
	var detail string
	switch {
	case r.MinMembers < 0:
		detail = "negative MinMembers"
	case r.MaxMembers < 0:
		detail = "negative MaxMembers"
	case r.MaxMembers != 0 && r.MaxMembers < r.MinMembers:
		detail = "MaxMembers " + strconv.Itoa(r.MaxMembers) + " below MinMembers " + strconv.Itoa(r.MinMembers)
	default:
		return nil
	}
	name := "rule " + strconv.Quote(r.Name)
	if i >= 0 {
		name = "rule " + strconv.Itoa(i) + " (" + strconv.Quote(r.Name) + ")"
	}
	return &Error{Op: op, Detail: name + ": " + detail, Err: ErrInvalidRule}
}

// Matches reports whether the rule applies to the circle.
func (r Rule) Matches(c Circle) bool {
	if r.Asset.IsValid() && !r.Asset.Equal(c.Asset) {
		return false
	}
	return c.Members >= r.MinMembers && (r.MaxMembers == 0 || c.Members <= r.MaxMembers)
}

// Equal reports whether two rules are the same.
func (r Rule) Equal(s Rule) bool {
	return r.Name == s.Name && r.Asset.Equal(s.Asset) && r.MinMembers == s.MinMembers &&
		r.MaxMembers == s.MaxMembers && r.Rate.Equal(s.Rate)
}

// ruleJSON is the encoding of a Rule, field by field.
type ruleJSON struct {
	Name       string       `json:"name,omitempty"`
	Asset      *token.Asset `json:"asset,omitempty"`
	MinMembers int          `json:"min_members,omitempty"`
	MaxMembers int          `json:"max_members,omitempty"`
	Rate       token.Ratio  `json:"rate"`
}

func (r Rule) toJSON() ruleJSON {
	j := ruleJSON{Name: r.Name, MinMembers: r.MinMembers, MaxMembers: r.MaxMembers, Rate: r.Rate}
	if r.Asset.IsValid() {
		a := r.Asset
		j.Asset = &a
	}
	return j
}

func (j ruleJSON) rule() Rule {
	r := Rule{Name: j.Name, MinMembers: j.MinMembers, MaxMembers: j.MaxMembers, Rate: j.Rate}
	if j.Asset != nil {
		r.Asset = *j.Asset
	}
	return r
}

// MarshalJSON encodes the rule as
// {"name":"TRST circles","asset":{"symbol":"TRST","decimals":6},"min_members":6,"rate":"0.1%"};
// the asset is omitted when the rule applies to any asset, the name and the bounds when
// they are empty or zero.
func (r Rule) MarshalJSON() ([]byte, error) { return json.Marshal(r.toJSON()) }

// UnmarshalJSON decodes the form [Rule.MarshalJSON] writes, refusing unknown fields, and
// validates it. On error the rule is unchanged.
func (r *Rule) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var j ruleJSON
	if err := decodeStrict(b, &j); err != nil {
		return err
	}
	v := j.rule()
	if err := v.Validate(); err != nil {
		return withOp("UnmarshalJSON", err)
	}
	*r = v
	return nil
}

// Policy is a platform's fee schedule as data: an ordered list of [Rule]s and a rate for
// circles that match none. The first rule that matches a circle gives its rate. A service
// replaces [WeTrustPlatformPolicy] with its own by building another Policy with [NewPolicy]
// (or decoding one from JSON); no code changes. The zero Policy has no rules and charges
// nothing.
//
// Policy is an immutable value, safe for concurrent use.
type Policy struct {
	rules     []Rule
	otherwise token.Ratio
}

// NewPolicy returns the policy with the given rules, in order, and the rate for circles that
// match none. It validates every rule (an [*Error] wrapping [ErrInvalidRule] names the first
// bad one by index and name) and copies the slice.
func NewPolicy(rules []Rule, otherwise token.Ratio) (Policy, error) {
	for i, r := range rules {
		if err := r.validate("NewPolicy", i); err != nil {
			return Policy{}, err
		}
	}
	return Policy{rules: slices.Clone(rules), otherwise: otherwise}, nil
}

// WeTrustPlatformPolicy returns the platform fee the 2017 crowdsale FAQ announced: "a 0.3%
// fee on Trusted Lending Circles larger than 5 members, and a significantly lower fee of
// 0.1% when Trustcoin is used". As rules, in order:
//
//	small circles   any asset  1 to 5 members  0%
//	TRST circles    TRST       6 or more       0.1%
//	larger circles  any asset  6 or more       0.3%
//	otherwise                                  0%
//
// We read the TRST discount as a lower rate on the circles that pay a fee at all, so a TRST
// circle of five members or fewer pays nothing.
func WeTrustPlatformPolicy() Policy {
	return Policy{rules: []Rule{
		{Name: "small circles", MinMembers: 1, MaxMembers: 5},
		{Name: "TRST circles", Asset: token.TRST(), MinMembers: 6, Rate: token.MustRatio(1, 1000)},
		{Name: "larger circles", MinMembers: 6, Rate: token.MustRatio(3, 1000)},
	}}
}

// Rules returns a copy of the policy's rules, in order.
func (p Policy) Rules() []Rule { return slices.Clone(p.rules) }

// Otherwise returns the rate for circles that match no rule.
func (p Policy) Otherwise() token.Ratio { return p.otherwise }

// Lookup returns the rate for the circle and the index of the rule that gave it: the first
// rule that matches, or -1 and [Policy.Otherwise] when none does. An invalid circle is an
// [*Error] wrapping [ErrInvalidCircle]. The answer depends only on the policy and the circle.
func (p Policy) Lookup(c Circle) (token.Ratio, int, error) {
	if err := c.Validate(); err != nil {
		return token.Ratio{}, -1, withOp("Lookup", err)
	}
	for i, r := range p.rules {
		if r.Matches(c) {
			return r.Rate, i, nil
		}
	}
	return p.otherwise, -1, nil
}

// Rate returns the rate for the circle, as [Policy.Lookup].
func (p Policy) Rate(c Circle) (token.Ratio, error) {
	r, _, err := p.Lookup(c)
	if err != nil {
		return token.Ratio{}, withOp("Rate", err)
	}
	return r, nil
}

// Apply looks up the circle's rate and applies it to gross, an amount of the circle's asset,
// with [Apply]: the fee is rounded down to the minor unit, the net takes the rest, and
// fee + net = gross exactly. An amount of another asset is an [*Error] wrapping
// [token.ErrAssetMismatch].
func (p Policy) Apply(c Circle, gross token.Amount) (fee, net token.Amount, err error) {
	r, _, err := p.Lookup(c)
	if err == nil {
		err = c.Asset.Check(gross)
	}
	if err != nil {
		return token.Amount{}, token.Amount{}, withOp("Policy.Apply", err)
	}
	return Apply(r, gross)
}

// Equal reports whether two policies have equal rules in the same order and equal default
// rates.
func (p Policy) Equal(q Policy) bool {
	return p.otherwise.Equal(q.otherwise) && slices.EqualFunc(p.rules, q.rules, Rule.Equal)
}

// policyVersion is the format version of the policy encoding.
const policyVersion = 1

// policyJSON is the encoding of a Policy, field by field.
type policyJSON struct {
	V         int         `json:"v"`
	Rules     []ruleJSON  `json:"rules"`
	Otherwise token.Ratio `json:"otherwise"`
}

// MarshalJSON encodes the policy as {"v":1,"rules":[...],"otherwise":"0%"}, each rule as
// [Rule.MarshalJSON] does. The encoding does not depend on any package setting of
// shopspring/decimal.
func (p Policy) MarshalJSON() ([]byte, error) {
	j := policyJSON{V: policyVersion, Rules: make([]ruleJSON, len(p.rules)), Otherwise: p.otherwise}
	for i, r := range p.rules {
		j.Rules[i] = r.toJSON()
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes the form [Policy.MarshalJSON] writes and validates it like
// [NewPolicy]. It refuses a format version other than 1 and unknown fields ([ErrInvalidPolicy]).
// On error the policy is unchanged.
func (p *Policy) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var j policyJSON
	if err := decodeStrict(b, &j); err != nil {
		return err
	}
	if j.V != policyVersion {
		return &Error{Op: "UnmarshalJSON", Detail: "format version " + strconv.Itoa(j.V) + ", want 1", Err: ErrInvalidPolicy}
	}
	rules := make([]Rule, len(j.Rules))
	for i, r := range j.Rules {
		rules[i] = r.rule()
	}
	v, err := NewPolicy(rules, j.Otherwise)
	if err != nil {
		return withOp("UnmarshalJSON", err)
	}
	*p = v
	return nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields and trailing data. A
// rule refused inside the value keeps its own error; any other failure is an [*Error]
// wrapping [ErrInvalidPolicy] (and the token package's reason, for a bad ratio or asset).
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.Decode(new(json.RawMessage)) != io.EOF {
		err = errors.New("data after the value")
	}
	if err == nil {
		return nil
	}
	if e, ok := errors.AsType[*Error](err); ok {
		if errors.Is(e, ErrInvalidRule) || errors.Is(e, ErrInvalidPolicy) {
			return withOp("UnmarshalJSON", e)
		}
		detail, reason := because(ErrInvalidPolicy, e)
		return &Error{Op: "UnmarshalJSON", Detail: detail, Err: reason}
	}
	return &Error{Op: "UnmarshalJSON", Detail: err.Error(), Err: ErrInvalidPolicy}
}
