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
package roscatest
