package crowdsale_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
)

func TestReceiptJSON(t *testing.T) {
	s := newSale(t, noMinimum())
	r := mustContribute(t, s, btc("tx1", "alice", "40", utc(3, 10, 12, 0, 0)))
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"index":0,"id":"tx1","participant":"alice","received":"40.00000000 BTC","accepted":"40.00000000 BTC",` +
		`"refund":"0.00000000 BTC","at":"2017-03-10T12:00:00Z","tier":2,"bonus":"20%",` +
		`"value":"40.000000000000000000000000000 BTC","weight":"48"}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	c := mustContribute(t, s, eth("tx2", "bob", "1", utc(3, 10, 13, 0, 0), quotes("0.03", "0.0301", "")))
	if b, _ := json.Marshal(c); !strings.Contains(string(b), `"median":"0.030050000000000000000000000 BTC"`) || !strings.Contains(string(b), `"weight":"1803/50000"`) {
		t.Fatalf("%s", b)
	}
	if b, _ := json.Marshal(crowdsale.Receipt{}); string(b) != `{"index":0,"id":"","tier":0,"bonus":"0%","weight":"0"}` {
		t.Fatalf("zero receipt: %s", b)
	}
}

func TestTierAt(t *testing.T) {
	s := newSale(t, crowdsale.WeTrust2017())
	for at, want := range map[time.Time]uint64{
		utc(3, 2, 23, 59, 59): 30, utc(3, 3, 0, 0, 0): 25, utc(3, 15, 12, 0, 0): 20, utc(4, 12, 23, 59, 59): 0,
	} {
		if _, tier, ok := s.TierAt(at); !ok || !tier.Bonus.Equal(pct(want)) {
			t.Errorf("%s: %v %v, want %d%%", at, tier.Bonus, ok, want)
		}
	}
	if i, _, _ := s.TierAt(utc(3, 3, 0, 0, 0)); i != 1 {
		t.Fatalf("index %d", i)
	}
	for _, at := range []time.Time{utc(3, 1, 23, 59, 59), utc(4, 13, 0, 0, 0)} {
		if _, _, ok := s.TierAt(at); ok {
			t.Errorf("%s is outside the window", at)
		}
	}
	cfg := fixedPrice()
	cfg.TierBy = crowdsale.TiersBySold
	cfg.Tiers = []crowdsale.Tier{{Bonus: pct(25)}, {Sold: usdcs("100000"), Bonus: pct(0)}}
	cfg.Pool = trst("12500000")
	fs := newSale(t, cfg)
	at := day25(time.June, 3, 0)
	if i, _, ok := fs.TierAt(at); !ok || i != 0 {
		t.Fatal(i, ok)
	}
	mustContribute(t, fs, crowdsale.Contribution{ID: "a", Participant: "alice", Amount: usdcs("100000"), At: at})
	if i, tier, ok := fs.TierAt(at); !ok || i != 1 || !tier.Bonus.Equal(pct(0)) {
		t.Fatal(i, tier, ok)
	}
	var zero crowdsale.Sale
	if _, _, ok := zero.TierAt(at); ok {
		t.Fatal("the zero sale has tiers")
	}
}

func TestCapTable(t *testing.T) {
	cfg := crowdsale.WeTrust2017()
	cfg.Minimum, cfg.Cap = btcs("0"), btcs("60")
	s := newSale(t, cfg)
	if err := s.Register(utc(3, 2, 0, 0, 0), crowdsale.Registrant{Account: "bob", Payout: "=cmd", Refund: map[string]string{"BTC": "bc1bob"}}); err != nil {
		t.Fatal(err)
	}
	mustContribute(t, s, btc("a", "alice", "40", utc(3, 10, 0, 0, 0)))
	mustContribute(t, s, eth("c", "alice", "100", utc(3, 11, 0, 0, 0), quotes("0.03", "0.03", "0.03")))
	mustContribute(t, s, btc("b", "bob", "20", utc(3, 17, 0, 0, 0))) // 3 over the cap
	if err := s.Finalize(utc(3, 17, 0, 0, 0)); err != nil {
		t.Fatal(err)
	}
	tab := s.CapTable()
	if len(tab.Rows) != 2 || tab.Rows[1].RefundState != crowdsale.RefundDue || !tab.Rows[1].Refunds[0].Equal(btcs("3")) ||
		!tab.Rows[0].Accepted[1].Equal(eths("100")) || tab.Rows[0].RefundState != crowdsale.RefundNone {
		t.Fatalf("%+v", tab)
	}
	var csv strings.Builder
	if err := tab.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	want := "participant,contributions,BTC,BTC_refund,ETH,ETH_refund,value,weight,provisional,allocation,refund_state,payout,BTC_refund_address,ETH_refund_address\n" +
		"alice,2,40.00000000,0.00000000,100.000000000000000000,0.000000000000000000,43.000000000000000000000000000,258/5,58018271.257905,58018271.257906,none,,,\n" +
		"bob,1,17.00000000,3.00000000,0.000000000000000000,0.000000000000000000,17.000000000000000000000000000,391/20,21981728.742094,21981728.742094,due,'=cmd,bc1bob,\n"
	if csv.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", csv.String(), want)
	}
	if err := s.PayRefund(utc(3, 18, 0, 0, 0), "b", crowdsale.RefundCap, "tx-back"); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(s.CapTable())
	if !strings.Contains(string(b), `{"participant":"bob","contributions":1,"accepted":["17.00000000 BTC","0.000000000000000000 ETH"],"refunds":["3.00000000 BTC","0.000000000000000000 ETH"],`) ||
		!strings.Contains(string(b), `"refund_state":"paid","payout":"=cmd","refund_addresses":{"BTC":"bc1bob"}}`) ||
		!strings.HasPrefix(string(b), `{"currencies":[{"symbol":"BTC","decimals":8},{"symbol":"ETH","decimals":18}],"rows":[`) {
		t.Fatalf("%s", b)
	}
	var zero crowdsale.Sale
	if tab := zero.CapTable(); tab.Rows != nil {
		t.Fatal("rows in the zero sale")
	}
}
