// Package roscatest provides rapid generators for [rosca] circles (configs and command
// sequences) and an invariant checker, for property tests in this module and in users'
// own suites.
//
//	rapid.Check(t, func(t *rapid.T) {
//		cfg := roscatest.Config().Draw(t, "config")
//		c, _ := rosca.New(cfg)
//		for _, op := range roscatest.Ops(cfg, 30).Draw(t, "ops") {
//			_ = roscatest.Apply(c, op) // valid or not
//			if err := roscatest.Check(c); err != nil {
//				t.Fatal(err)
//			}
//		}
//	})
//
// The commands ([Op]) are the circle's own (contributions, bids, closes, payouts, halts)
// and, one in eight of [OpFor]'s and all of [DeterrentOpFor]'s, the deterrent and
// membership commands: collateral posted, applied and returned, guarantors' pledges and
// payments, bounties and recoveries, accelerations, removals, seat transfers and
// substitutions, by fresh accounts where another party acts (guarantors g0 and g1,
// collectors x0 and x1, incoming members new0 to new3). [Config] draws deterrents that
// change nothing until such a command runs; [DeterrentConfig] draws collateral rules too,
// under which a member that posts none may not bid.
//
// [Check] runs the circle's own audit and checks its books independently: every
// position's identity, solvency, the cash against the events, one win per seat per epoch,
// the zero-sum of the members' results, and the deterrents' money ([CheckDeterrents]),
// conserved to the minor unit. [CheckUnchanged] checks that a rejected command changed
// nothing, [CheckReplay] that the log replays to the same circle.
package roscatest
