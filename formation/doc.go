// Package formation forms a lending circle by invitation: an organiser proposes the
// circle's terms to the members it invites, each member accepts those exact terms (or
// declines), and the circle starts only when every seat has accepted; otherwise it is
// withdrawn by the organiser or abandoned at its deadline. No money moves before the
// start, so a proposal that never starts charges nobody anything.
//
// # Terms and their digest
//
// The [Terms] are a rosca.Config, whose Members are the invited accounts in seat order and
// whose Foreperson is the organiser; an [Admission] rule; and a deadline. [Propose] checks
// them (the config with rosca.Config.Validate; the deadline after the proposal and at most
// Rules.StartLag after the circle's start, so that a circle started in time has no round
// overdue) and returns an open [Proposal] with every seat invited, the organiser's too.
//
// A member accepts by naming the [Digest] of the config it was shown: the SHA-256 of the
// config's canonical JSON (rosca.Config's MarshalJSON), from [DigestOf] or
// [Proposal.Digest]. An acceptance naming any other digest is refused
// ([ErrTermsMismatch]), so no member is held to terms it did not see. The admission rule
// and the deadline are fixed at the proposal; only a re-invitation changes the terms.
//
// # Admission as data
//
// An [Admission] says what every member must show when it accepts, and the [Acceptance]
// carries it; [Proposal.Accept] checks it and records it in the accepted event:
//
//   - MinReputation: the member's reputation score (0 to 1000, which the service computes
//     with reputation.Compute) must meet the minimum, as reputation.MeetsMinimum decides;
//   - RequireRole: the roles directory passed to Accept must answer
//     roles.Directory.MayJoinCircle for the member (and MayOrganiseCircle for the
//     organiser at Propose); the roles it holds are recorded, so that replay asks the same
//     question of them;
//   - RequireGuarantor: the member names a guarantor (any account but itself) who pledges
//     a positive amount of the circle's asset;
//   - Collateral: the member commits at least this amount of the circle's asset.
//
// A refused admission is an [*Error] wrapping [ErrNotAdmitted] (class forbidden), and the
// reason of the package that answered (reputation.ErrBelowMinimum, roles.ErrNotPermitted);
// malformed evidence is [ErrInvalidEvidence]. Evidence the rule does not ask for is
// recorded all the same.
//
// The guarantor's pledge and the collateral are recorded here as commitments only: they
// are not held, and nothing enforces them inside the circle. Holding the collateral in
// the circle's books, applying it or claiming the pledge on a default is a later step of
// the circle engine.
//
// # Answers, re-invitations and the end
//
// A seat is [Invited], [Accepted] or [Declined]. A member that accepted may still decline
// until the start; the organiser cannot decline (it withdraws the proposal,
// [Proposal.Withdraw]). The organiser may re-invite a seat that has not accepted
// ([Proposal.Reinvite]: a decliner, or a member that has not answered), giving it to a new
// account. That changes the config's Members and so the terms and their digest: every
// acceptance given for the old terms lapses, and every seat that had accepted is invited
// again and must accept the new digest. Seats that declined stay declined.
//
// [Proposal.Start] starts the circle once every seat has accepted the terms in force,
// before the deadline, and returns rosca.New of the accepted config. At or after the
// deadline, a proposal not started is abandoned ([Proposal.Abandon]); every other command
// is then refused ([ErrPastDeadline]). Once started, withdrawn or abandoned the proposal is
// closed ([ErrClosed]).
//
// Commands take their time explicitly (kept in UTC, within the years 1 to 9999) and must
// come in time order, none before the proposal's last event ([ErrTimeBackwards]).
//
// # A worked example
//
// alice proposes a fixed-order circle of alice, bob and carol paying 10.00 USD a week
// from 1 March 2026, admitting members with a reputation of at least 500 who commit 10.00
// USD of collateral, deadline 28 February. bob (612) and alice (700) accept the digest;
// carol (420) is refused with formation.not_admitted and declines. alice re-invites dave
// in carol's seat: the digest changes, so alice's and bob's acceptances lapse and both
// accept the new digest, as does dave (530). Start returns the circle of alice, bob and
// dave. The log holds nine events: proposed, accepted (bob, alice), declined (carol),
// reinvited (dave), accepted (alice, bob, dave), started.
//
// # Events and persistence
//
// Every accepted command appends one [Event] ({"v":1,"seq":1,"kind":"proposed",...}; the
// kinds are proposed, accepted, declined, reinvited, withdrawn, started and abandoned);
// [Proposal.EventsAfter] and [Proposal.LastSeq] let a service persist each command's
// events, a [Decoder] reads a JSON-lines stream of them back, and [Replay] rebuilds the
// proposal from them, running every command again and refusing a log that differs.
//
// # Errors
//
// Every error the package returns is an [*Error] (the token package's token.Error)
// wrapping one of these reasons, or the token package's token.ErrInvalidAccount or
// token.ErrInvalidTime:
//
//	code                         class      meaning
//	formation.uninitialized      invalid    a command on a Proposal not made by Propose or Replay
//	formation.invalid_terms      invalid    a config rosca refuses, an admission rule out of range, a bad deadline
//	formation.not_organiser      forbidden  a command of the organiser's given by another account
//	formation.not_invited        not_found  an account that holds no seat
//	formation.already_invited    conflict   a re-invitation of an account that holds a seat
//	formation.terms_mismatch     conflict   an acceptance naming other terms than those in force
//	formation.already_accepted   conflict   an acceptance, or a re-invitation, of a seat that has accepted
//	formation.declined           conflict   an acceptance or a decline by a member that declined
//	formation.organiser_seat     conflict   a decline by the organiser, or a re-invitation of its seat
//	formation.invalid_evidence   invalid    a malformed score, guarantor, pledge or collateral
//	formation.not_admitted       forbidden  a member or organiser the admission rule refuses
//	formation.closed             conflict   a command on a proposal started, withdrawn or abandoned
//	formation.not_ready          conflict   a start while a seat has not accepted
//	formation.past_deadline      conflict   a command other than Abandon at or after the deadline
//	formation.before_deadline    conflict   an abandonment before the deadline
//	formation.time_backwards     conflict   a command timed before the last event
//	formation.invalid_log        internal   an event, digest or log that does not decode or replay
//
// A rejected command leaves the proposal exactly as it was.
//
// # Concurrency and zero values
//
// A proposal's queries only read: they may be called concurrently by many readers;
// commands need exclusive access. The zero Proposal refuses every command with
// [ErrUninitialized] and reports nothing; the zero Decoder reads nothing; every other
// type's zero value is an empty value of it.
package formation
