package crowdsale_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/crowdsale/crowdsaletest"
	"github.com/trustcircle/trustcircle/fault"
)

// Each decided refund moves from due to paid, with its reference, exactly once.
func TestRefundsPaid(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	cfg.Cap, cfg.Minimum = btcs("150"), btcs("0")
	s := newSale(t, cfg)
	mustContribute(t, s, btc("a", "alice", "100", utc(3, 2, 1, 0, 0)))
	if err := s.Register(utc(3, 2, 1, 0, 0), crowdsale.Registrant{Account: "bob", Refund: map[string]string{"BTC": "bc1bob"}}); err != nil {
		t.Fatal(err)
	}
	mustContribute(t, s, btc("b", "bob", "80", utc(3, 2, 2, 0, 0))) // 30 BTC over the cap
	if due := s.RefundsDue(); len(due) != 1 || due[0].Reason != crowdsale.RefundCap || !due[0].Amount.Equal(btcs("30")) {
		t.Fatalf("due %+v", due)
	}
	at := utc(3, 2, 3, 0, 0)
	if err := s.PayRefund(at, "b", crowdsale.RefundCap, "btc-tx-1"); err != nil {
		t.Fatal(err)
	}
	want := []crowdsale.RefundPayment{{Refund: crowdsale.Refund{ContributionID: "b", Participant: "bob", Amount: btcs("30"), Reason: crowdsale.RefundCap},
		Reference: "btc-tx-1", To: "bc1bob"}}
	if diff := cmp.Diff(want, s.RefundPayments()); diff != "" || len(s.RefundsDue()) != 0 {
		t.Fatal(diff)
	}
	seq := s.LastSeq()
	if err := s.PayRefund(at, "b", crowdsale.RefundCap, "btc-tx-1"); err != nil || s.LastSeq() != seq {
		t.Fatalf("the same payment again: %v", err)
	}
	err := s.PayRefund(at, "b", crowdsale.RefundCap, "btc-tx-2")
	if !errors.Is(err, crowdsale.ErrRefundPaid) || fault.ClassOf(err) != fault.Conflict || !strings.Contains(err.Error(), `"btc-tx-1"`) {
		t.Fatalf("paid twice: %v", err)
	}
	for name, c := range map[string]struct {
		id     string
		reason crowdsale.RefundReason
		ref    string
		want   error
	}{
		"unknown id":       {"zz", crowdsale.RefundCap, "r", crowdsale.ErrNoRefund},
		"no cap refund":    {"a", crowdsale.RefundCap, "r", crowdsale.ErrNoRefund},
		"not failed":       {"a", crowdsale.RefundMinimum, "r", crowdsale.ErrNoRefund},
		"unknown reason":   {"b", "whim", "r", crowdsale.ErrNoRefund},
		"empty reference":  {"b", crowdsale.RefundCap, "", crowdsale.ErrInvalidReference},
		"long reference":   {"b", crowdsale.RefundCap, strings.Repeat("r", 257), crowdsale.ErrInvalidReference},
		"reference utf-8":  {"b", crowdsale.RefundCap, "a\xffb", crowdsale.ErrInvalidReference},
		"before the clock": {"b", crowdsale.RefundCap, "r", crowdsale.ErrTimeOrder},
	} {
		when := at
		if name == "before the clock" {
			when = at.Add(-1)
		}
		if err := s.PayRefund(when, c.id, c.reason, c.ref); !errors.Is(err, c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if fault.ClassOf(s.PayRefund(at, "zz", crowdsale.RefundCap, "r")) != fault.NotFound {
		t.Fatal("an unknown refund is not found")
	}
	if s.LastSeq() != seq {
		t.Fatal("a refused payment changed the sale")
	}
	if err := crowdsaletest.Check(s); err != nil {
		t.Fatal(err)
	}
	// a sale that fails its minimum: every accepted amount is due, and paid one by one
	s = newSale(t, crowdsale.WeTrust2017())
	mustContribute(t, s, btc("a", "alice", "100", utc(3, 2, 1, 0, 0)))
	mustContribute(t, s, btc("b", "bob", "50", utc(3, 2, 2, 0, 0)))
	if err := s.PayRefund(at, "a", crowdsale.RefundMinimum, "early"); !errors.Is(err, crowdsale.ErrNoRefund) {
		t.Fatalf("before the failure: %v", err)
	}
	if err := s.Finalize(cfg.End); err != nil {
		t.Fatal(err)
	}
	if due := s.RefundsDue(); len(due) != 2 || !due[0].Amount.Equal(btcs("100")) || !due[1].Amount.Equal(btcs("50")) {
		t.Fatalf("due %+v", due)
	}
	if err := s.PayRefund(cfg.End, "b", crowdsale.RefundMinimum, "btc-tx-3"); err != nil {
		t.Fatal(err)
	}
	if due := s.RefundsDue(); len(due) != 1 || due[0].ContributionID != "a" {
		t.Fatalf("due %+v", due)
	}
	if err := crowdsaletest.Check(s); err != nil {
		t.Fatal(err)
	}
	var zero crowdsale.Sale
	if err := zero.PayRefund(at, "a", crowdsale.RefundCap, "r"); !errors.Is(err, crowdsale.ErrUninitialized) {
		t.Fatal(err)
	}
}

func TestRefundPaymentJSON(t *testing.T) {
	p := crowdsale.RefundPayment{Refund: crowdsale.Refund{ContributionID: "b", Participant: "bob", Amount: eths("1.5"), Reason: crowdsale.RefundMinimum},
		Reference: "0xabc"}
	b, _ := json.Marshal(p)
	if string(b) != `{"refund":{"contribution_id":"b","participant":"bob","amount":"1.500000000000000000 ETH","reason":"minimum"},"reference":"0xabc"}` {
		t.Fatalf("%s", b)
	}
	var back crowdsale.RefundPayment
	if err := json.Unmarshal(b, &back); err != nil || !cmp.Equal(p, back) {
		t.Fatalf("%v %+v", err, back)
	}
	if err := json.Unmarshal([]byte(`{"reference":"x","memo":"y"}`), &back); !errors.Is(err, crowdsale.ErrReplay) {
		t.Fatal(err)
	}
}
