package reputation_test

import "testing"

// A guarantor's payment counts for the member it answers for: ana takes its prize, keeps
// what covers round 2 and misses round 3; its guarantor pays the 10.00 USD it owes after
// the end, so the round counts paid late rather than missed.
func TestGuarantorPaymentCounts(t *testing.T) {
	c := run(t, cfg("ana", "bo", "cy"),
		pay(march1, "ana"), pay(march1, "bo"), pay(march1, "cy"), closeAt(march1.Add(week)),
		step{At: march1.Add(week), Member: "ana", Withdraw: true},
		pay(march1.Add(week), "bo"), pay(march1.Add(week), "cy"), closeAt(march1.Add(2*week)),
		pay(march1.Add(2*week), "bo"), pay(march1.Add(2*week), "cy"), closeAt(march1.Add(3*week)))
	before := compute(t, "ana", nil, logOf("c", c))
	ok(t, c.Pledge(march1.Add(4*week), "gus", "ana", usd.MustParse("20")))
	ok(t, c.PayAsGuarantor(march1.Add(4*week), "gus", "ana", usd.MustParse("10")))
	after := compute(t, "ana", nil, logOf("c", c))
	if before.Record.Missed != 1 || after.Record.Missed != 0 || after.Record.Late != 1 {
		t.Fatalf("before %+v, after %+v", before.Record, after.Record)
	}
}
