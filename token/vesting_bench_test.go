package token_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// BenchmarkVestGrants locks up a sale's distribution: one op is 1,000,000 vesting grants,
// from one account to 1,000,000 distinct accounts, of one calendar schedule (a 1-year cliff
// then monthly over 4 years) with totals that differ from grant to grant, into a fresh
// ledger whose events are all kept. The escrow form sends every grant to one escrow
// account. It reports the time and the bytes allocated per grant besides the totals.
func BenchmarkVestGrants(b *testing.B) {
	const n = 1_000_000
	accs := distinctAccounts(n)
	trst := token.TRST()
	g := token.Genesis{Asset: trst, Supply: trst.MustParse("80000000"), Grants: []token.Grant{{Account: "sale", Amount: trst.MustParse("80000000")}}}
	start := time.Date(2017, 5, 1, 0, 0, 0, 0, time.UTC)
	curve := token.CalendarSchedule(token.Amount{}, start, token.Monthly, 48, 12)
	totals := make([]token.Amount, n)
	for i := range totals {
		totals[i] = trst.FromInt64Units(int64(1_000_000 + i%7919*13)) // about 1 TRST, 80M TRST in all
	}
	for _, escrow := range []token.Account{"", "vault"} {
		name := "lock"
		if escrow != "" {
			name = "escrow"
		}
		b.Run(name, func(b *testing.B) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			b.ReportAllocs()
			for b.Loop() {
				l, err := token.NewLedger(g)
				if err != nil {
					b.Fatal(err)
				}
				l.Reserve(n)
				for i, a := range accs {
					s := curve
					s.Total = totals[i]
					if escrow == "" {
						_, err = l.Vest("sale", a, s, false)
					} else {
						_, err = l.VestInEscrow("sale", escrow, a, s, false)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				if l.LastSeq() != n+1 {
					b.Fatalf("%d events", l.LastSeq())
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/grant")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/n, "B/grant")
		})
	}
}
