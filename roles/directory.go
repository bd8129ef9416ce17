package roles

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// EventKind names what a directory [Event] records.
type EventKind string

// The kinds of directory events.
const (
	EventGranted EventKind = "granted" // Roles were added to Account
	EventRevoked EventKind = "revoked" // Roles were removed from Account
)

// Event records one change of a [Directory]. Seq numbers events from 1 in the order they
// happened. Roles holds only the roles that actually changed; After is the account's whole
// role set after the change.
type Event struct {
	Seq     int           `json:"seq"`
	At      time.Time     `json:"at"`
	Kind    EventKind     `json:"kind"`
	Account token.Account `json:"account"`
	Roles   Set           `json:"roles"`
	After   Set           `json:"after"`
}

// Directory records which accounts hold which roles. Grants and revocations are validated
// first and either apply fully, appending one [Event], or return a typed error and change
// nothing.
//
// Granting roles an account already holds, or revoking roles it does not hold, is not an
// error: it changes nothing and records no event (the directory records changes, not
// requests). When some of the roles are new, the event lists only those. An account whose
// last role is revoked leaves the directory.
//
// The permission questions other packages ask are methods of the directory: see
// [Directory.Require] and the May... methods.
//
// A Directory is not safe for concurrent use.
type Directory struct {
	roles  map[token.Account]Set
	events []Event
}

// NewDirectory returns an empty directory.
func NewDirectory() *Directory {
	return &Directory{roles: make(map[token.Account]Set)}
}

// checkChange validates an account and a list of roles.
func checkChange(a token.Account, roles []Role) (Set, error) {
	if err := a.Validate(); err != nil {
		return 0, err
	}
	for _, r := range roles {
		if !r.Valid() {
			return 0, &RoleError{Role: r}
		}
	}
	return SetOf(roles...), nil
}

// Grant gives the account the roles at time at. An invalid account is a
// [*token.AccountError]; a role that is not one of the constants is a [*RoleError]. Roles
// the account already holds are ignored; if none is new, nothing is recorded.
func (d *Directory) Grant(at time.Time, a token.Account, roles ...Role) error {
	s, err := checkChange(a, roles)
	if err != nil {
		return err
	}
	added := s &^ d.roles[a]
	if added == 0 {
		return nil
	}
	d.apply(Event{At: at.Round(0), Kind: EventGranted, Account: a, Roles: added, After: d.roles[a] | added})
	return nil
}

// Revoke takes the roles from the account at time at, with the errors of [Directory.Grant].
// Roles the account does not hold are ignored; if it holds none of them, nothing is
// recorded.
func (d *Directory) Revoke(at time.Time, a token.Account, roles ...Role) error {
	s, err := checkChange(a, roles)
	if err != nil {
		return err
	}
	removed := s & d.roles[a]
	if removed == 0 {
		return nil
	}
	d.apply(Event{At: at.Round(0), Kind: EventRevoked, Account: a, Roles: removed, After: d.roles[a] &^ removed})
	return nil
}

func (d *Directory) apply(e Event) {
	if e.After == 0 {
		delete(d.roles, e.Account)
	} else {
		d.roles[e.Account] = e.After
	}
	e.Seq = len(d.events) + 1
	d.events = append(d.events, e)
}

// Roles returns the roles of the account (the empty set for an account never granted any).
func (d *Directory) Roles(a token.Account) Set { return d.roles[a] }

// Has reports whether the account holds the role.
func (d *Directory) Has(a token.Account, r Role) bool { return d.roles[a].Has(r) }

// Members returns the accounts that hold the role, sorted; none for an invalid role.
func (d *Directory) Members(r Role) []token.Account {
	out := []token.Account{}
	if !r.Valid() {
		return out
	}
	for a, s := range d.roles {
		if s.Has(r) {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	return out
}

// Accounts returns every account that holds at least one role, sorted.
func (d *Directory) Accounts() []token.Account {
	return slices.Sorted(maps.Keys(d.roles))
}

// Events returns a copy of the event log.
func (d *Directory) Events() []Event { return slices.Clone(d.events) }

// Audit checks the directory's invariants: every stored set is non-empty and valid, and
// replaying the event log gives exactly the current roles. A nil result means the directory
// is consistent.
func (d *Directory) Audit() error {
	for a, s := range d.roles {
		if s == 0 || !s.Valid() {
			return fmt.Errorf("roles: audit: %s holds %#x", a, uint8(s))
		}
	}
	r, err := Replay(d.events)
	if err != nil {
		return fmt.Errorf("roles: audit: %w", err)
	}
	if !maps.Equal(r.roles, d.roles) {
		return fmt.Errorf("roles: audit: replaying %d events does not give the current roles", len(d.events))
	}
	return nil
}

// Replay rebuilds a directory from its event log, checking every event: sequence numbers
// 1, 2, 3, ..., a known kind, a valid account, a non-empty valid set of roles that really
// changes (granted roles not yet held, revoked roles held), and the After set that follows.
// A bad log is an error wrapping [ErrInvalidLog].
func Replay(events []Event) (*Directory, error) {
	d := NewDirectory()
	for i, e := range events {
		bad := func(reason string) error {
			return fmt.Errorf("%w: event %d: %s", ErrInvalidLog, i+1, reason)
		}
		if e.Seq != i+1 {
			return nil, bad(fmt.Sprintf("seq %d", e.Seq))
		}
		if err := e.Account.Validate(); err != nil {
			return nil, bad(err.Error())
		}
		if e.Roles == 0 || !e.Roles.Valid() || !e.After.Valid() {
			return nil, bad("roles " + e.Roles.String() + " after " + e.After.String())
		}
		cur := d.roles[e.Account]
		var after Set
		switch e.Kind {
		case EventGranted:
			if cur.HasAny(e.Roles) {
				return nil, bad("grants a role already held")
			}
			after = cur | e.Roles
		case EventRevoked:
			if !cur.HasAll(e.Roles) {
				return nil, bad("revokes a role not held")
			}
			after = cur &^ e.Roles
		default:
			return nil, bad(fmt.Sprintf("kind %q", e.Kind))
		}
		if after != e.After {
			return nil, bad("after is " + e.After.String() + ", want " + after.String())
		}
		d.apply(e)
	}
	return d, nil
}
