package formation

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"time"

	"github.com/trustcircle/trustcircle/internal/cmderr"
	"github.com/trustcircle/trustcircle/reputation"
	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// Digest is the fingerprint of a circle's config: the SHA-256 of its canonical JSON
// (rosca.Config's MarshalJSON). A member accepts terms by naming their digest, so that it
// cannot accept terms it did not see. It encodes in JSON as 64 lower-case hexadecimal
// digits. The zero Digest is no config's.
type Digest [32]byte

// DigestOf returns the digest of cfg: the SHA-256 of cfg.MarshalJSON(). Two configs that
// encode alike (the same instants in other zones, say) have the same digest. It does not
// validate the config; an error is rosca's, for a config that does not encode.
func DigestOf(cfg rosca.Config) (Digest, error) {
	b, err := cfg.MarshalJSON()
	if err != nil {
		return Digest{}, err
	}
	return sha256.Sum256(b), nil
}

// IsZero reports whether every byte of the digest is zero.
func (d Digest) IsZero() bool { return d == Digest{} }

// String returns the 64 lower-case hexadecimal digits of the digest.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// MarshalText returns what [Digest.String] returns.
func (d Digest) MarshalText() ([]byte, error) { return hex.AppendEncode(nil, d[:]), nil }

// UnmarshalText reads 64 hexadecimal digits, as [ParseDigest] does; on error d is unchanged.
func (d *Digest) UnmarshalText(b []byte) error {
	v, err := ParseDigest(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDigest reads a digest from its 64 hexadecimal digits (either case). Other text is an
// [*Error] wrapping [ErrInvalidLog] with the text as Input.
func ParseDigest(s string) (Digest, error) {
	var d Digest
	if len(s) != 2*len(d) {
		return Digest{}, &Error{Op: "ParseDigest", Input: s, Detail: "want 64 hexadecimal digits", Err: ErrInvalidLog}
	}
	if _, err := hex.Decode(d[:], []byte(s)); err != nil {
		return Digest{}, &Error{Op: "ParseDigest", Input: s, Detail: "want 64 hexadecimal digits", Err: ErrInvalidLog}
	}
	return d, nil
}

// Admission is a circle's admission rule, as data: what every member (the organiser
// included) must show when it accepts the terms. The zero Admission admits every invited
// member.
type Admission struct {
	// MinReputation is the lowest reputation score (0 to 1000, from reputation.Compute)
	// a member must present; 0 asks for none.
	MinReputation int `json:"min_reputation"`
	// RequireRole asks that every member be a general user of the roles directory
	// (roles.Directory.MayJoinCircle) when it accepts, and the organiser a foreperson
	// (roles.Directory.MayOrganiseCircle) when it proposes.
	RequireRole bool `json:"require_role"`
	// RequireGuarantor asks that every member name a guarantor who pledges a positive
	// amount of the circle's asset.
	RequireGuarantor bool `json:"require_guarantor"`
	// Collateral is the least collateral, an amount of the circle's asset, every member
	// must commit; the zero Amount (or zero) asks for none.
	Collateral token.Amount `json:"collateral,omitzero"`
}

// normal returns the rule with a zero collateral as the zero Amount.
func (a Admission) normal() Admission {
	if a.Collateral.IsZero() {
		a.Collateral = token.Amount{}
	}
	return a
}

// Terms are what an organiser proposes: the circle's config, whose Members are the
// invited accounts in seat order and whose Foreperson is the organiser; the admission
// rule; and the deadline by which every seat must accept. The zero Terms are not valid.
type Terms struct {
	Config    rosca.Config
	Admission Admission
	// Deadline is the first instant at which the proposal may be abandoned: every other
	// command must come before it. It must lie after the proposal, and at most the rules'
	// StartLag after the circle's start, so that a circle started in time has no round
	// overdue.
	Deadline time.Time
}

// clone returns a copy of t that shares no slice with it, its times in UTC.
func (t Terms) clone() Terms {
	t.Config.Members = slices.Clone(t.Config.Members)
	t.Config.Start = t.Config.Start.UTC()
	if !t.Config.Created.IsZero() {
		t.Config.Created = t.Config.Created.UTC()
	}
	t.Deadline = t.Deadline.UTC().Round(0)
	t.Admission = t.Admission.normal()
	return t
}

// check validates terms proposed at at and returns their digest.
func (t Terms) check(op string, at time.Time) (Digest, error) {
	fail := func(detail string, cause error) error {
		reason := error(ErrInvalidTerms)
		if cause != nil {
			var d string
			d, reason = cmderr.Because(ErrInvalidTerms, cause)
			detail += d
		}
		return &Error{Op: op, Account: t.Config.Foreperson, At: at, Detail: detail, Err: reason}
	}
	if err := t.Config.Validate(); err != nil {
		return Digest{}, fail("config: ", err)
	}
	a := t.Admission
	if a.MinReputation < 0 || a.MinReputation > reputation.MaxScore {
		return Digest{}, fail("admission: minimum reputation "+strconv.Itoa(a.MinReputation)+"; want 0 to 1000", nil)
	}
	if a.Collateral.IsValid() {
		if err := t.Config.Asset.Check(a.Collateral); err != nil {
			return Digest{}, fail("admission: collateral: ", err)
		}
	}
	latest := t.Config.Start.Add(time.Duration(t.Config.Rules.StartLag))
	switch {
	case !t.Deadline.After(at):
		return Digest{}, fail("deadline "+t.Deadline.Format(time.RFC3339Nano)+" is not after the proposal", nil)
	case t.Deadline.After(latest):
		return Digest{}, fail("deadline "+t.Deadline.Format(time.RFC3339Nano)+" is after "+latest.UTC().Format(time.RFC3339Nano)+
			", the circle's start plus Rules.StartLag", nil)
	}
	d, err := DigestOf(t.Config)
	if err != nil {
		return Digest{}, fail("config: ", err)
	}
	return d, nil
}

// Acceptance is a member's acceptance of the terms: the member, the digest of the terms it
// accepts, and the evidence the admission rule asks for. The evidence is recorded with the
// acceptance whatever the rule asks. The zero Acceptance accepts nothing.
type Acceptance struct {
	Member token.Account
	// Terms is the digest of the config the member accepts ([DigestOf], or
	// [Proposal.Digest] of the proposal it was shown).
	Terms Digest
	// Reputation is the member's reputation score (reputation.Reputation.Score, which the
	// service computes with reputation.Compute), 0 to 1000.
	Reputation int
	// Guarantor is the account that answers for the member's breaches ("" for none); it
	// may be any account but the member itself, a member of another circle too.
	Guarantor token.Account
	// Pledge is the most the guarantor commits to pay: a positive amount of the circle's
	// asset with a guarantor, the zero Amount without one.
	Pledge token.Amount
	// Collateral is what the member commits as collateral: the zero Amount for none, or a
	// non-negative amount of the circle's asset.
	Collateral token.Amount
}

// Seat is one seat of a proposal: its position in the config's Members, the member
// invited to it, its answer and, once it has accepted, when, and the evidence it gave
// (Roles: its roles in the directory when the rule requires one). The zero Seat is no
// seat.
type Seat struct {
	Index  int
	Member token.Account
	Answer Answer
	// At is when the member answered (the zero time while invited).
	At time.Time
	// Evidence is the acceptance given for the terms in force (accepted seats only).
	Evidence Acceptance
	Roles    roles.Set
}

// Answer is a seat's answer to the terms in force. The zero Answer is no seat's.
type Answer string

// The answers of a seat.
const (
	Invited  Answer = "invited"  // no answer to the terms in force yet
	Accepted Answer = "accepted" // accepted the terms in force
	Declined Answer = "declined" // declined; the organiser may re-invite the seat
)

// State is a proposal's state. The zero State is no proposal's.
type State string

// The states of a proposal.
const (
	Open      State = "open"      // awaiting the seats' answers
	Started   State = "started"   // every seat accepted and the circle started
	Withdrawn State = "withdrawn" // the organiser withdrew the proposal
	Abandoned State = "abandoned" // the deadline passed before the start
)
