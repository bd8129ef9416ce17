package roles

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/trustcircle/trustcircle/token"
)

// Role is one of the actors of the WeTrust ecosystem. The first four are not mutually
// exclusive ("one person can wear any or all of these hats"); an account holds a [Set] of
// them. The platform operator is the fifth: it receives platform fees and may enable a
// circle's emergency halt. The zero Role is not a valid role.
//
// Each role is one bit; the constants are the only valid roles.
type Role uint8

// The roles, in the order of their names.
const (
	// Foreperson organises circles: sets their parameters and fee (up to the cap), recruits,
	// educates and enforces; retrieves the circle fee at the end.
	Foreperson Role = 1 << iota
	// PlatformOperator runs the platform: receives platform fees, may enable a circle's
	// emergency halt, and runs reward programs.
	PlatformOperator
	// ReferralPartner evangelises the platform and earns TRST for users it refers.
	ReferralPartner
	// Sponsor supports the platform's development (bug bounties, programming, other tasks)
	// and is rewarded in TRST.
	Sponsor
	// GeneralUser uses the platform's services: circles, credit, lending, insurance.
	GeneralUser

	// allRoles is the set of valid role bits.
	allRoles = Set(Foreperson | PlatformOperator | ReferralPartner | Sponsor | GeneralUser)
)

// AllRoles returns the five roles, in the order of their names.
func AllRoles() []Role {
	return []Role{Foreperson, PlatformOperator, ReferralPartner, Sponsor, GeneralUser}
}

// Valid reports whether r is exactly one of the role constants.
func (r Role) Valid() bool { return r != 0 && r&(r-1) == 0 && Set(r)&^allRoles == 0 }

// String returns the role's name: "foreperson", "operator", "referral-partner", "sponsor" or
// "user"; an invalid role prints as "role(0x40)".
func (r Role) String() string {
	if !r.Valid() {
		return fmt.Sprintf("role(%#x)", uint8(r))
	}
	switch r {
	case Foreperson:
		return "foreperson"
	case PlatformOperator:
		return "operator"
	case ReferralPartner:
		return "referral-partner"
	case Sponsor:
		return "sponsor"
	default:
		return "user"
	}
}

// ParseRole returns the role with the given name (as [Role.String] writes it). An unknown
// name is an [*Error] wrapping [ErrUnknownRole], with the name as its Input.
func ParseRole(s string) (Role, error) {
	if r, ok := roleNamed(s); ok {
		return r, nil
	}
	return 0, &Error{Op: "ParseRole", Input: s, Err: ErrUnknownRole}
}

func roleNamed(s string) (Role, bool) {
	for _, r := range AllRoles() {
		if r.String() == s {
			return r, true
		}
	}
	return 0, false
}

// notARole is the error for op of a role value (or a set's unknown bits) that is not a role.
func notARole(op string, a token.Account, bits uint8) error {
	return &Error{Op: op, Account: a, Detail: fmt.Sprintf("%#x is not a role", bits), Err: ErrUnknownRole}
}

// MarshalText encodes the role as its name; an invalid role is an [*Error] wrapping
// [ErrUnknownRole].
func (r Role) MarshalText() ([]byte, error) {
	if !r.Valid() {
		return nil, notARole("MarshalText", "", uint8(r))
	}
	return []byte(r.String()), nil
}

// UnmarshalText decodes a role name, as [ParseRole].
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Set is a set of roles, a bit set. The zero Set is empty. Set is a small immutable value,
// safe for concurrent use; compare sets with == or [Set.Equal].
type Set uint8

// SetOf returns the set of the given roles. Invalid roles are kept as bits, so that
// [Set.Valid] can report them.
func SetOf(roles ...Role) Set {
	var s Set
	for _, r := range roles {
		s |= Set(r)
	}
	return s
}

// Valid reports whether every bit of s is a known role.
func (s Set) Valid() bool { return s&^allRoles == 0 }

// Has reports whether s contains the role r.
func (s Set) Has(r Role) bool { return r != 0 && s&Set(r) == Set(r) }

// HasAll reports whether s contains every role of t.
func (s Set) HasAll(t Set) bool { return s&t == t }

// HasAny reports whether s and t share a role.
func (s Set) HasAny(t Set) bool { return s&t != 0 }

// With returns s with the roles added.
func (s Set) With(roles ...Role) Set { return s | SetOf(roles...) }

// Without returns s with the roles removed.
func (s Set) Without(roles ...Role) Set { return s &^ SetOf(roles...) }

// Union returns the roles in s or t.
func (s Set) Union(t Set) Set { return s | t }

// Intersect returns the roles in both s and t.
func (s Set) Intersect(t Set) Set { return s & t }

// Difference returns the roles in s but not in t.
func (s Set) Difference(t Set) Set { return s &^ t }

// IsEmpty reports whether s has no role.
func (s Set) IsEmpty() bool { return s == 0 }

// Len returns the number of roles in s.
func (s Set) Len() int { return bits.OnesCount8(uint8(s)) }

// Roles returns the roles of s in the order of their names.
func (s Set) Roles() []Role {
	out := make([]Role, 0, s.Len())
	for b := uint8(s); b != 0; b &= b - 1 {
		out = append(out, Role(b&-b))
	}
	return out
}

// Equal reports whether s and t hold the same roles.
func (s Set) Equal(t Set) bool { return s == t }

// String returns the names of the roles joined by "|", in the order of their names, such as
// "foreperson|sponsor"; the empty set is "none". Unknown bits print as "role(0x40)".
func (s Set) String() string {
	if s == 0 {
		return "none"
	}
	names := make([]string, 0, s.Len())
	for _, r := range s.Roles() {
		names = append(names, r.String())
	}
	return strings.Join(names, "|")
}

// ParseSet parses the form [Set.String] writes: role names joined by "|" in any order
// ("sponsor|foreperson"), or "none" or "" for the empty set. A name may repeat. An unknown
// name is an [*Error] wrapping [ErrUnknownRole], with the text as its Input.
func ParseSet(s string) (Set, error) {
	if s == "" || s == "none" {
		return 0, nil
	}
	var out Set
	for name := range strings.SplitSeq(s, "|") {
		r, ok := roleNamed(name)
		if !ok {
			return 0, &Error{Op: "ParseSet", Input: s, Detail: strconv.Quote(name) + " is not a role", Err: ErrUnknownRole}
		}
		out |= Set(r)
	}
	return out, nil
}

// MarshalText encodes the set as [Set.String] does, so JSON holds "foreperson|sponsor". A
// set with unknown bits is an [*Error] wrapping [ErrUnknownRole].
func (s Set) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, notARole("MarshalText", "", uint8(s&^allRoles))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a set as [ParseSet].
func (s *Set) UnmarshalText(b []byte) error {
	v, err := ParseSet(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
