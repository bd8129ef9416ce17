// Package roles models the actors of a WeTrust-style trust network and the TRST they earn.
//
// # Roles
//
// The seed names four actors, not mutually exclusive ("one person can wear any or all of
// these hats"): the [GeneralUser] who uses circles, the [Sponsor] who supports the
// platform's development for bounties, the [Foreperson] who organises circles and sets their
// fee, and the [ReferralPartner] who brings in users. A fifth, the [PlatformOperator],
// receives platform fees, may enable a circle's emergency halt and runs reward programs. A
// [Set] holds any combination of them as a bit set and prints as "foreperson|sponsor".
//
// # The directory and permissions
//
// A [Directory] records who holds which roles. [Directory.Grant] and [Directory.Revoke] take
// the time explicitly and record an [Event] for every change; granting a role already held,
// or revoking one not held, changes nothing and records nothing. A malformed account is a
// [*token.AccountError], an unknown role a [*RoleError]. [Replay] rebuilds a directory from
// its events.
//
// The permission questions other packages ask live here, in one place, and answer nil or a
// [*PermissionError] (ErrNotPermitted) naming the account, the action and the role it needs:
// [Directory.MayActAsForeperson] (only a circle's own foreperson may retrieve its fees),
// [Directory.MayEnableHalt], [Directory.MayCollectPlatformFees],
// [Directory.MayPayFromProgram] and the others.
//
// # Reward programs
//
// A [Program] pays TRST from a funded pool account of a token.Ledger to the actors who
// facilitate trust: referral partners, when a user they referred joins or completes a circle
// ([Program.PayReferral]: a fixed amount, or a fees.Rate of a base amount rounded down to
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
//		Budget: trst.MustParse("1000"),
//		OnJoin: roles.Reward{Fixed: trst.MustParse("5")},
//		OnComplete: roles.Reward{Rate: fees.MustRate(1, 100)}}, ledger, dir)
//	p.Refer(at, "rita", "ursula")
//	p.PayReferral(at, "wetrust", roles.ReferralClaim{ID: "joined/ursula/c1",
//		Partner: "rita", User: "ursula", Event: roles.Joined})          // rita +5
//	p.PayReferral(at, "wetrust", roles.ReferralClaim{ID: "completed/ursula/c1",
//		Partner: "rita", User: "ursula", Event: roles.Completed,
//		Base: trst.MustParse("123.456789")})                            // rita +1.234567
//
// The completion pays floor(1% of 123456789 units) = 1234567 units, 1.234567 TRST: the 0.89
// of a unit left over stays in the pool. Paying "joined/ursula/c1" again is a
// [*ClaimError] wrapping [ErrDuplicateClaim], and the ledger does not move. After both
// payouts rita holds 6.234567 TRST, the pool 1,999,993.765433, and the program may still pay
// 993.765433.
//
// Directories and programs are not safe for concurrent use.
package roles
