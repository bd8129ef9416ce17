package crowdsale_test

import (
	"io"
	"sync"
	"testing"

	"github.com/trustcircle/trustcircle/crowdsale"
)

// Queries only read: 8 goroutines call every query of a sale at once (run with -race).
func TestConcurrentQueries(t *testing.T) {
	sales := []*crowdsale.Sale{scenario(t), newSale(t, crowdsale.WeTrust2017())}
	open := newSale(t, crowdsale.WeTrust2017())
	mustContribute(t, open, btc("a", "alice", "100", utc(3, 2, 0, 0, 0)))
	mustContribute(t, open, eth("b", "bob", "5000", utc(3, 3, 12, 0, 0), quotes("0.03", "", "0.0302")))
	if err := open.Register(utc(3, 3, 12, 0, 0), crowdsale.Registrant{Account: "alice", Verified: true}); err != nil {
		t.Fatal(err)
	}
	sales = append(sales, open)
	fixed := newSale(t, fixedPrice())
	mustContribute(t, fixed, crowdsale.Contribution{ID: "a", Participant: "alice", Amount: usdcs("400000"), At: day25(6, 2, 12)})
	if err := fixed.Finalize(day25(6, 30, 0)); err != nil {
		t.Fatal(err)
	}
	sales = append(sales, fixed)
	for _, s := range sales {
		want, _ := s.Snapshot().MarshalJSON()
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for range 3 {
					queryEverything(t, s, g)
				}
			})
		}
		wg.Wait()
		if got, _ := s.Snapshot().MarshalJSON(); string(got) != string(want) {
			t.Fatal("queries changed the sale")
		}
	}
}

// queryEverything calls every query of s.
func queryEverything(t *testing.T, s *crowdsale.Sale, g int) {
	at := utc(3, 10+g, 0, 0, 0)
	_ = s.Config()
	_ = s.InitialConfig()
	_, _ = s.Receipt("a")
	_ = s.Receipts()
	_ = s.Len()
	_ = s.Raised()
	_ = s.Collected()
	_ = s.ClosingRates()
	_ = s.FiatDays()
	_ = s.Allocations()
	_ = s.Refunds()
	_ = s.Unsold()
	_ = s.RefundsDue()
	_ = s.RefundPayments()
	_ = s.Escrow()
	_ = s.FiatPreview(at)
	_, _ = s.ClosingDeadline(utc(3, 1, 0, 0, 0))
	_, _, _ = s.NextJudgement()
	_, _, _ = s.TierAt(at)
	_ = s.CapTable().AppendJSON(nil)
	_ = s.CapTable().WriteCSV(io.Discard)
	for _, r := range s.Receipts() {
		_ = r.AppendJSON(nil)
	}
	_ = s.Releases()
	_, _ = s.Approvals("r")
	_, _ = s.Registrant("alice")
	_ = s.Registry()
	_ = s.Provisional("alice")
	_ = s.ProvisionalAt("bob", at)
	_, _ = s.WhatIf(btc("w", "carol", "1", at))
	_, _ = s.WhatIf(eth("x", "dave", "10", at, quotes("0.03", "0.031", "")))
	_ = s.Status(at)
	_ = s.Status(utc(4, 20, 0, 0, 0))
	for e := range s.EventsAfter(uint64(g)) {
		_ = e.AppendJSON(nil)
	}
	_ = s.Events()
	_ = s.LastSeq()
	_, _ = s.Snapshot().MarshalJSON()
	if err := s.Audit(); err != nil {
		t.Error(err)
	}
}
