// Package roles models the actors of a WeTrust-style trust network and the TRST they earn.
//
// # Roles
//
// Four actors are not mutually exclusive ("one person can wear any or all of these hats"):
// the [GeneralUser] who uses circles, the [Sponsor] who supports the platform's development
// for bounties, the [Foreperson] who organises circles and sets their fee, and the
// [ReferralPartner] who brings in users. A fifth, the [PlatformOperator], receives platform
// fees, may enable a circle's emergency halt and runs reward programs. A [Set] holds any
// combination of them as a bit set and prints as "foreperson|sponsor".
//
// # The directory and permissions
//
// A [Directory] records who holds which roles; its zero value is an empty directory, ready
// to use. [Directory.Grant] and [Directory.Revoke] take the time explicitly (recorded in
// UTC, within the years 1 to 9999) and record an [Event] for every change; granting a role
// already held, or revoking one not held, changes nothing and records nothing. The log is
// append-only: [Directory.EventsAfter] and [Directory.LastSeq] let a service persist each
// command's events at a cost proportional to their number, [Event.AppendJSON] writes one
// event as a JSON object starting {"v":1,"seq":N,"kind":...}, a [Decoder] reads a stream of
// them back, and [Replay] rebuilds a directory from a stream of events.
//
// The permission questions other packages ask live here, in one place, and answer nil or an
// [*Error] wrapping [ErrNotPermitted] naming the account and, in its detail, the action and
// the role it needs: [Directory.MayActAsForeperson] (only a circle's own foreperson may
// retrieve its fees), [Directory.MayEnableHalt], [Directory.MayCollectPlatformFees],
// [Directory.MayPayFromProgram] and the others.
//
// # Reward programs
//
// A [Program] pays TRST from a funded pool account of a token.Ledger to the actors who
// facilitate trust: referral partners, when a user they referred joins or completes a circle
// ([Program.PayReferral]: a fixed amount, or a token.Ratio of a base amount rounded down to
// the minor unit), and sponsors, when their bounty is accepted ([Program.AcceptBounty]).
// Every payout is one ledger transfer, so the ledger's balances keep summing to the supply.
// A program never pays beyond its budget or its pool's balance ([ErrOverBudget],
// [ErrPoolExhausted]), pays each claim once ([ErrDuplicateClaim]), requires the claimant's
// role and the administrator's approval, and records every payout as a [ProgramEvent]. A
// refused claim changes nothing, in the program or in the ledger.
//
// # Worked example
//
// The bounties pool holds 2,000,000 TRST (the 2017 allocation). A program "growth" with a
// budget of 1,000 TRST pays 5 TRST when a referred user joins a circle and 1% of the user's
// contributions when the user completes one. The operator "wetrust" approves payouts.
//
//	dir := roles.NewDirectory()
//	dir.Grant(at, "wetrust", roles.PlatformOperator)
//	dir.Grant(at, "rita", roles.ReferralPartner)
//	dir.Grant(at, "sam", roles.Sponsor)
//	p, _ := roles.NewProgram(roles.ProgramConfig{Name: "growth", Pool: "bounties", Admin: "wetrust",
//		Budget:     trst.MustParse("1000"),
//		OnJoin:     roles.Reward{Fixed: trst.MustParse("5")},
//		OnComplete: roles.Reward{Rate: token.MustRatio(1, 100)}}, ledger, dir)
//	p.Refer(at, "rita", "ursula")
//	p.PayReferral(at, "wetrust", roles.ReferralClaim{ID: "joined/ursula/c1",
//		Partner: "rita", User: "ursula", Event: roles.Joined})          // rita +5
//	p.PayReferral(at, "wetrust", roles.ReferralClaim{ID: "completed/ursula/c1",
//		Partner: "rita", User: "ursula", Event: roles.Completed,
//		Base: trst.MustParse("123.456789")})                            // rita +1.234567
//
// The completion pays floor(1% of 123456789 units) = 1234567 units, 1.234567 TRST: the 0.89
// of a unit left over stays in the pool. Paying "joined/ursula/c1" again is an [*Error]
// wrapping [ErrDuplicateClaim], and the ledger does not move. After both payouts rita holds
// 6.234567 TRST, the pool 1,999,993.765433, and the program may still pay 993.765433.
//
// # Errors
//
// Every error the package returns is an [*Error] (the token package's [token.Error]) wrapping
// one of these reasons, or one of the token package's (token.ErrInvalidAccount,
// token.ErrInvalidTime, the amount reasons):
//
//	code                    class      meaning
//	roles.unknown_role      invalid    a role name or bit that is not one of the five roles
//	roles.not_permitted     forbidden  the account lacks the role, or is not the one account allowed
//	roles.invalid_program   invalid    a reward program configuration that cannot be used
//	roles.uninitialized     invalid    a command on a Program not created by NewProgram
//	roles.invalid_claim     invalid    a malformed claim, referral or bounty
//	roles.duplicate_claim   conflict   a claim or bounty that was already paid
//	roles.not_referred      not_found  no record that the partner referred the user
//	roles.already_referred  conflict   the user already has a referring partner
//	roles.no_reward         invalid    the claim's reward comes to zero
//	roles.unknown_bounty    not_found  a bounty id that was never posted
//	roles.duplicate_bounty  conflict   a bounty id that was already posted
//	roles.over_budget       conflict   the payout would take the program past its budget
//	roles.pool_exhausted    conflict   the pool cannot spend the payout
//	roles.invalid_log       internal   an event or event log that does not decode or replay
//	roles.audit             internal   a broken invariant found by an audit
//
// # Concurrency
//
// Queries only read: a directory's or a program's queries may be called concurrently by many
// readers. Commands (Grant, Revoke, and a program's Refer, PayReferral, PostBounty and
// AcceptBounty) need exclusive access.
package roles
