package roles

import (
	"iter"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/internal/cmderr"
	"github.com/trustcircle/trustcircle/token"
)

// Directory records which accounts hold which roles. Grants and revocations are validated
// first and either apply fully, appending one [Event], or return an [*Error] and change
// nothing. The zero Directory is an empty directory, ready to use; [NewDirectory] returns a
// pointer to one.
//
// Granting roles an account already holds, or revoking roles it does not hold, is not an
// error: it changes nothing and records no event (the directory records changes, not
// requests). When some of the roles are new, the event lists only those. An account whose
// last role is revoked leaves the directory.
//
// The log is append-only: [Directory.EventsAfter] hands out the events after a sequence
// number at a cost proportional to their number, so a service persists each command's
// events cheaply, and [Replay] rebuilds a directory from a stream of them.
//
// The permission questions other packages ask are methods of the directory: see
// [Directory.Require] and the May... methods.
//
// Queries (every method but Grant and Revoke) only read: they may be called concurrently by
// many readers. Commands need exclusive access.
type Directory struct {
	roles  map[token.Account]Set
	events []Event
}

// NewDirectory returns an empty directory.
func NewDirectory() *Directory { return &Directory{} }

// checkChange validates the arguments of a grant or a revocation for op.
func checkChange(op string, at time.Time, a token.Account, roles []Role) (time.Time, Set, error) {
	if err := cmderr.CheckAccount(op, a); err != nil {
		return time.Time{}, 0, err
	}
	for _, r := range roles {
		if !r.Valid() {
			return time.Time{}, 0, notARole(op, a, uint8(r))
		}
	}
	at, err := cmderr.CheckTime(op, a, at)
	if err != nil {
		return time.Time{}, 0, err
	}
	return at, SetOf(roles...), nil
}

// Grant gives the account the roles at time at. It is refused, changing nothing, with an
// [*Error] wrapping [token.ErrInvalidAccount] for a malformed account, [ErrUnknownRole] for
// a role that is not one of the constants, or [token.ErrInvalidTime] for a time outside the
// years 1 to 9999. The time is recorded in UTC. Roles the account already holds are ignored;
// if none is new, nothing is recorded.
func (d *Directory) Grant(at time.Time, a token.Account, roles ...Role) error {
	at, s, err := checkChange("Grant", at, a, roles)
	if err != nil {
		return err
	}
	added := s &^ d.roles[a]
	if added == 0 {
		return nil
	}
	d.apply(Event{At: at, Kind: EventGranted, Account: a, Roles: added, After: d.roles[a] | added})
	return nil
}

// Revoke takes the roles from the account at time at, with the errors of [Directory.Grant].
// Roles the account does not hold are ignored; if it holds none of them, nothing is
// recorded.
func (d *Directory) Revoke(at time.Time, a token.Account, roles ...Role) error {
	at, s, err := checkChange("Revoke", at, a, roles)
	if err != nil {
		return err
	}
	removed := s & d.roles[a]
	if removed == 0 {
		return nil
	}
	d.apply(Event{At: at, Kind: EventRevoked, Account: a, Roles: removed, After: d.roles[a] &^ removed})
	return nil
}

// apply records a checked event, numbering it.
func (d *Directory) apply(e Event) {
	if e.After == 0 {
		delete(d.roles, e.Account)
	} else {
		if d.roles == nil {
			d.roles = make(map[token.Account]Set)
		}
		d.roles[e.Account] = e.After
	}
	e.Seq = uint64(len(d.events)) + 1
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

// Events returns a copy of the whole event log. It costs O(events); a service persisting
// after each command uses [Directory.EventsAfter].
func (d *Directory) Events() []Event { return slices.Clone(d.events) }

// LastSeq returns the sequence number of the last event, 0 when there is none.
func (d *Directory) LastSeq() uint64 { return uint64(len(d.events)) }

// EventsAfter returns the events with a sequence number above seq, in order, at a cost
// proportional to their number. The iterator reads the log as it was when EventsAfter was
// called: events appended later are not included, and it may be used after the caller has
// released a read lock, since the log is append-only.
func (d *Directory) EventsAfter(seq uint64) iter.Seq[Event] {
	tail := d.events[min(seq, uint64(len(d.events))):]
	return func(yield func(Event) bool) {
		for _, e := range tail {
			if !yield(e) {
				return
			}
		}
	}
}

// Audit checks the directory's invariants: every stored set is non-empty and valid, and
// replaying the event log gives exactly the current roles. A nil result means the directory
// is consistent; otherwise the error is an [*Error] wrapping [ErrAudit] (and, when the log
// does not replay, [ErrInvalidLog]).
func (d *Directory) Audit() error {
	for _, a := range slices.Sorted(maps.Keys(d.roles)) {
		if s := d.roles[a]; s == 0 || !s.Valid() {
			return &Error{Op: "Audit", Account: a, Detail: "holds the role bits " + strconv.Quote(s.String()), Err: ErrAudit}
		}
	}
	r, err := Replay(slices.Values(d.events))
	if err != nil {
		detail, reason := cmderr.Because(ErrAudit, err)
		return &Error{Op: "Audit", Detail: "the log does not replay: " + detail, Err: reason}
	}
	if !maps.Equal(r.roles, d.roles) {
		return &Error{Op: "Audit", Detail: "replaying " + strconv.Itoa(len(d.events)) + " events does not give the current roles", Err: ErrAudit}
	}
	return nil
}

// Replay rebuilds a directory from its event log, read once from events (pass
// slices.Values(evs) for a slice, or a [Decoder]'s Events for a stream). It checks every
// event: sequence numbers 1, 2, 3, ..., a known kind, a valid account, a time in UTC within
// the years 1 to 9999, a non-empty valid set of roles that really changes (granted roles not
// yet held, revoked roles held), and the After set that follows. A bad log is an [*Error]
// wrapping [ErrInvalidLog].
func Replay(events iter.Seq[Event]) (*Directory, error) {
	d := NewDirectory()
	if events == nil {
		return d, nil
	}
	for e := range events {
		if err := d.replayOne(e); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// replayOne checks the next event of a log against the directory and applies it.
func (d *Directory) replayOne(e Event) error {
	want := uint64(len(d.events)) + 1
	bad := func(detail string) error {
		return &Error{Op: "Replay", Account: e.Account, Detail: "event " + strconv.FormatUint(want, 10) + ": " + detail, Err: ErrInvalidLog}
	}
	if e.Seq != want {
		return bad("seq " + strconv.FormatUint(e.Seq, 10))
	}
	if err := e.Account.Validate(); err != nil {
		return bad("invalid account")
	}
	if e.At.Location() != time.UTC || e.At.Year() < 1 || e.At.Year() > 9999 {
		return bad("time " + e.At.String() + " is not a UTC time in the years 1 to 9999")
	}
	if e.Roles == 0 || !e.Roles.Valid() || !e.After.Valid() {
		return bad("roles " + e.Roles.String() + " after " + e.After.String())
	}
	cur := d.roles[e.Account]
	var after Set
	switch e.Kind {
	case EventGranted:
		if cur.HasAny(e.Roles) {
			return bad("grants a role already held")
		}
		after = cur | e.Roles
	case EventRevoked:
		if !cur.HasAll(e.Roles) {
			return bad("revokes a role not held")
		}
		after = cur &^ e.Roles
	default:
		return bad("kind " + strconv.Quote(string(e.Kind)))
	}
	if after != e.After {
		return bad("after is " + e.After.String() + ", want " + after.String())
	}
	e.At = e.At.Round(0)
	d.apply(e)
	return nil
}
