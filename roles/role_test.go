package roles_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/trustcircle/trustcircle/roles"
)

func TestRoleNames(t *testing.T) {
	want := map[roles.Role]string{
		roles.Foreperson: "foreperson", roles.PlatformOperator: "operator", roles.ReferralPartner: "referral-partner",
		roles.Sponsor: "sponsor", roles.GeneralUser: "user",
	}
	if len(roles.AllRoles()) != 5 {
		t.Fatalf("AllRoles: %v", roles.AllRoles())
	}
	for _, r := range roles.AllRoles() {
		if !r.Valid() || r.String() != want[r] {
			t.Errorf("%d: %q valid=%v", r, r, r.Valid())
		}
		back, err := roles.ParseRole(r.String())
		if err != nil || back != r {
			t.Errorf("ParseRole(%q) = %v, %v", r, back, err)
		}
		b, err := json.Marshal(r)
		if err != nil || string(b) != `"`+want[r]+`"` {
			t.Errorf("JSON %s %v", b, err)
		}
		var got roles.Role
		if err := json.Unmarshal(b, &got); err != nil || got != r {
			t.Errorf("JSON round trip %s: %v %v", b, got, err)
		}
	}
	for _, bad := range []roles.Role{0, 3, 32, 64, 128, 255} {
		if bad.Valid() {
			t.Errorf("%#x is valid", uint8(bad))
		}
		if _, err := json.Marshal(bad); !errors.Is(err, roles.ErrUnknownRole) {
			t.Errorf("marshal %#x: %v", uint8(bad), err)
		}
	}
	if s := roles.Role(64).String(); s != "role(0x40)" {
		t.Errorf("invalid role prints %q", s)
	}
}

func TestParseRoleErrors(t *testing.T) {
	for _, s := range []string{"", "Foreperson", "admin", "referral partner", "user|sponsor", "none"} {
		_, err := roles.ParseRole(s)
		var re *roles.Error
		if !errors.Is(err, roles.ErrUnknownRole) || !errors.As(err, &re) || re.Input != s || re.Op != "ParseRole" {
			t.Errorf("ParseRole(%q): %v", s, err)
		}
	}
	var r roles.Role = roles.Sponsor
	if err := json.Unmarshal([]byte(`"boss"`), &r); !errors.Is(err, roles.ErrUnknownRole) || r != roles.Sponsor {
		t.Errorf("bad JSON: %v, role now %v", err, r)
	}
}

func TestSetOperations(t *testing.T) {
	s := roles.SetOf(roles.Sponsor, roles.Foreperson)
	if s.String() != "foreperson|sponsor" || s.Len() != 2 || s.IsEmpty() {
		t.Fatalf("%v len %d", s, s.Len())
	}
	if !s.Has(roles.Sponsor) || !s.Has(roles.Foreperson) || s.Has(roles.GeneralUser) || s.Has(0) {
		t.Fatal("Has")
	}
	if u := s.With(roles.GeneralUser); u.String() != "foreperson|sponsor|user" || s.String() != "foreperson|sponsor" {
		t.Fatalf("With: %v (s %v)", u, s)
	}
	if w := s.Without(roles.Sponsor, roles.ReferralPartner); w != roles.SetOf(roles.Foreperson) {
		t.Fatalf("Without: %v", w)
	}
	o := roles.SetOf(roles.Sponsor, roles.PlatformOperator)
	if s.Union(o).String() != "foreperson|operator|sponsor" || s.Intersect(o).String() != "sponsor" || s.Difference(o).String() != "foreperson" {
		t.Fatalf("union %v intersect %v difference %v", s.Union(o), s.Intersect(o), s.Difference(o))
	}
	if !s.HasAny(o) || s.HasAll(o) || !s.HasAll(roles.SetOf(roles.Sponsor)) || s.HasAny(roles.SetOf(roles.GeneralUser)) {
		t.Fatal("HasAll/HasAny")
	}
	if got := s.Roles(); len(got) != 2 || got[0] != roles.Foreperson || got[1] != roles.Sponsor {
		t.Fatalf("Roles: %v", got)
	}
	var empty roles.Set
	if empty.String() != "none" || !empty.IsEmpty() || empty.Len() != 0 || len(empty.Roles()) != 0 || !empty.Valid() {
		t.Fatalf("empty: %v", empty)
	}
	if !s.Equal(roles.SetOf(roles.Foreperson, roles.Sponsor, roles.Sponsor)) || s.Equal(o) {
		t.Fatal("Equal")
	}
	if roles.Set(0x40).Valid() || roles.SetOf(roles.Role(0x80)).Valid() {
		t.Fatal("unknown bits are valid")
	}
	if all := roles.SetOf(roles.AllRoles()...); all.String() != "foreperson|operator|referral-partner|sponsor|user" || !all.Valid() {
		t.Fatalf("all: %v", all)
	}
}

func TestParseSet(t *testing.T) {
	for in, want := range map[string]roles.Set{
		"":                          0,
		"none":                      0,
		"user":                      roles.SetOf(roles.GeneralUser),
		"sponsor|foreperson":        roles.SetOf(roles.Foreperson, roles.Sponsor),
		"sponsor|sponsor":           roles.SetOf(roles.Sponsor),
		"referral-partner|operator": roles.SetOf(roles.ReferralPartner, roles.PlatformOperator),
	} {
		got, err := roles.ParseSet(in)
		if err != nil || got != want {
			t.Errorf("ParseSet(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"|", "user|", "user||sponsor", "USER", "none|user", " user"} {
		_, err := roles.ParseSet(bad)
		if e, ok := errors.AsType[*roles.Error](err); !errors.Is(err, roles.ErrUnknownRole) || !ok || e.Input != bad {
			t.Errorf("ParseSet(%q): %v", bad, err)
		}
	}
	if _, err := roles.ParseSet("user|ghost"); err == nil || err.Error() != `roles: unknown role: "ghost" is not a role (op ParseSet, input "user|ghost")` {
		t.Errorf("message: %v", err)
	}
}

func TestSetJSON(t *testing.T) {
	type holder struct {
		Roles roles.Set `json:"roles"`
	}
	b, err := json.Marshal(holder{roles.SetOf(roles.Sponsor, roles.Foreperson)})
	if err != nil || string(b) != `{"roles":"foreperson|sponsor"}` {
		t.Fatalf("%s %v", b, err)
	}
	var h holder
	if err := json.Unmarshal(b, &h); err != nil || h.Roles != roles.SetOf(roles.Foreperson, roles.Sponsor) {
		t.Fatalf("%v %v", h, err)
	}
	if b, _ := json.Marshal(holder{}); string(b) != `{"roles":"none"}` {
		t.Fatalf("empty: %s", b)
	}
	if _, err := json.Marshal(holder{roles.Set(0xff)}); !errors.Is(err, roles.ErrUnknownRole) {
		t.Fatalf("unknown bits: %v", err)
	}
	h.Roles = roles.SetOf(roles.GeneralUser)
	if err := json.Unmarshal([]byte(`{"roles":"user|ghost"}`), &h); !errors.Is(err, roles.ErrUnknownRole) || h.Roles != roles.SetOf(roles.GeneralUser) {
		t.Fatalf("bad set: %v, now %v", err, h.Roles)
	}
}
