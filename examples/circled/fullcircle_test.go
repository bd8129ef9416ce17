package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// The figures of the three-member circle, worked by hand. The pot is 3 x 100.00 = 300.00,
// the fee 1%, so RF(x) = floor(x x 0.99) and the smallest bid floor(300 x 65%) = 195.00.
//
//	Round 1: carol's 240.00 undercuts bob's 250.00 (at most floor(250 x 98%) = 245.00).
//	         carol is credited RF(240) = 237.60; the discount RF(60) = 59.40 joins the pool;
//	         the fee is 300 - 237.60 - 59.40 = 3.00. carol's balance against the dues of
//	         round 2 (200.00): 100 + 237.60 + floor(59.40/3) = 19.80 - 200 = 157.40, which
//	         she withdraws (the free cash is 300 - 3.00 of fees reserved).
//	Round 2: bob bids 280.00: credited RF(280) = 277.20, discount RF(20) = 19.80, fee 3.00.
//	Round 3: nobody bids; alice, the only one who has not won, takes RF(300) = 297.00.
//	End:     the pool is 59.40 + 19.80 = 79.20, 26.40 each. Against the dues of 300.00:
//	         alice 300 + 297.00 + 26.40 - 300 = 323.40, bob 277.20 + 26.40 = 303.60,
//	         carol 237.60 + 26.40 - 157.40 = 106.60; the fees floor(900 x 1%) = 9.00.
//	         323.40 + 303.60 + 157.40 + 106.60 + 9.00 = 900.00: every cent paid in is out.
func TestFullCircle(t *testing.T) {
	in := start(t, dbPath(t))
	in.create("c1", threeMembers(rosca.Bidding))
	path := "/circles/c1"
	key := 0
	next := func() string { key++; return fmt.Sprintf("k%d", key) }
	contributeAll := func(r int) {
		for _, m := range []string{"alice", "bob", "carol"} {
			amount := "100"
			if m == "bob" {
				amount = "100.00 USD" // the amount grammar with the symbol
			}
			in.post(http.StatusOK, path+"/contributions", next(), cmd{"at": at(r, 1), "member": m, "amount": amount})
		}
	}
	closeRound := func(r int, winner string, method rosca.Method, bid, winnings, discount string) {
		t.Helper()
		var a commandAnswer
		out := in.post(http.StatusOK, path+"/round/close", next(), cmd{"at": deadline(r)})
		if err := json.Unmarshal(out.Body, &a); err != nil || a.Result == nil {
			t.Fatalf("close %d: %v: %s", r, err, out.Body)
		}
		res := a.Result
		got := fmt.Sprintf("%d %s %s %s %s %s %s", res.Round, res.Winner, res.Method, res.Bid, res.Winnings, res.Discount, res.Fee)
		want := fmt.Sprintf("%d %s %s %s %s %s 3.00 USD", r, winner, method, bid, winnings, discount)
		if got != want {
			t.Errorf("round %d closed as %s, want %s", r, got, want)
		}
	}
	withdraw := func(r int, h int, m, want string) {
		t.Helper()
		var a commandAnswer
		out := in.post(http.StatusOK, path+"/withdrawals", next(), cmd{"at": at(r, h), "member": m})
		if err := json.Unmarshal(out.Body, &a); err != nil || a.Paid == nil || a.Paid.String() != want {
			t.Errorf("%s withdrew %s (%v), want %s", m, out.Body, err, want)
		}
	}

	contributeAll(1)
	in.post(http.StatusOK, path+"/bids", next(), cmd{"at": at(1, 2), "member": "bob", "amount": "250"})
	in.post(http.StatusOK, path+"/bids", next(), cmd{"at": at(1, 3), "member": "carol", "amount": "240"})
	closeRound(1, "carol", rosca.ByBid, "240.00 USD", "237.60 USD", "59.40 USD")
	withdraw(2, 0, "carol", "157.40 USD")

	contributeAll(2)
	in.post(http.StatusOK, path+"/bids", next(), cmd{"at": at(2, 2), "member": "bob", "amount": "280"})
	closeRound(2, "bob", rosca.ByBid, "280.00 USD", "277.20 USD", "19.80 USD")

	contributeAll(3)
	closeRound(3, "alice", rosca.ByDraw, "300.00 USD", "297.00 USD", "0.00 USD")

	end := at(4, 1)
	withdraw(4, 1, "alice", "323.40 USD")
	withdraw(4, 1, "bob", "303.60 USD")
	withdraw(4, 1, "carol", "106.60 USD")
	var fees commandAnswer
	out := in.post(http.StatusOK, path+"/fees/retrieve", next(), cmd{"at": end, "by": "alice"})
	if err := json.Unmarshal(out.Body, &fees); err != nil || fees.Paid == nil || fees.Paid.String() != "9.00 USD" {
		t.Errorf("fees: %s (%v), want 9.00 USD", out.Body, err)
	}
	// Every figure was a whole cent: no remainder is left for the foreperson.
	wantError(t, "dispose remainder", in.do(http.MethodPost, path+"/remainder/dispose", next(), cmd{"at": end, "by": "alice"}),
		http.StatusConflict, "rosca.nothing_to_pay")

	checkFinalPositions(t, in)
	checkFinalQueries(t, in)
}

func checkFinalPositions(t *testing.T, in *instance) {
	t.Helper()
	want := map[token.Account][4]string{ // withdrawn, won, discount share, balance
		"alice": {"323.40 USD", "297.00 USD", "26.40 USD", "0.00 USD"},
		"bob":   {"303.60 USD", "277.20 USD", "26.40 USD", "0.00 USD"},
		"carol": {"264.00 USD", "237.60 USD", "26.40 USD", "0.00 USD"},
	}
	ps := in.positions("c1")
	for m, w := range want {
		p := ps[m]
		got := [4]string{p.Withdrawn.String(), p.Won.String(), p.DiscountShare.String(), p.Balance.String()}
		if got != w || p.Contributed.String() != "300.00 USD" || p.Wins != 1 {
			t.Errorf("%s: withdrawn, won, share, balance %v (paid %s, wins %d), want %v, paid 300.00 USD, 1 win",
				m, got, p.Contributed, p.Wins, w)
		}
	}
	var one rosca.Position
	in.get("/circles/c1/positions/carol", &one)
	if one.Withdrawn.String() != "264.00 USD" {
		t.Errorf("carol's position: withdrawn %s", one.Withdrawn)
	}
	var tot totalsAnswer
	in.get("/circles/c1/totals", &tot)
	if tot.Audit != "ok" || !tot.Totals.Cash.IsZero() || tot.Totals.FeesPaid.String() != "9.00 USD" ||
		tot.Totals.Contributions.String() != "900.00 USD" || tot.Totals.Withdrawals.String() != "891.00 USD" {
		t.Errorf("totals: %+v", tot)
	}
}

func checkFinalQueries(t *testing.T, in *instance) {
	t.Helper()
	var round rosca.RoundState
	in.get("/circles/c1/round", &round)
	if !round.Ended {
		t.Errorf("round: %+v, want ended", round)
	}
	var rounds []rosca.RoundResult
	in.get("/circles/c1/rounds", &rounds)
	if len(rounds) != 3 {
		t.Fatalf("%d closed rounds, want 3", len(rounds))
	}

	var sched scheduleAnswer
	in.get("/circles/c1/schedule", &sched)
	winners := ""
	for _, l := range sched.Lines {
		winners += fmt.Sprintf("%d:%s:%s:%s:%s ", l.Round, l.Status, l.Winner, l.DueByDeadline, l.Deadline.Format("01-02"))
	}
	if want := "1:closed:carol:100.00 USD:03-08 2:closed:bob:200.00 USD:03-15 3:closed:alice:300.00 USD:03-22 "; winners != want {
		t.Errorf("schedule %q, want %q", winners, want)
	}
	if len(sched.Reminders) != 0 || sched.Lines[2].Behind != 0 || !sched.Lines[2].Missing.IsZero() {
		t.Errorf("after the end everyone has paid: %+v", sched)
	}
	var mine memberScheduleAnswer
	in.get("/circles/c1/schedule/carol", &mine)
	if len(mine.Schedule) != 3 || mine.Schedule[2].Due.String() != "300.00 USD" || !mine.Schedule[2].Missing.IsZero() ||
		mine.Schedule[2].Paid.String() != "300.00 USD" {
		t.Errorf("carol's schedule %+v", mine)
	}

	var st statementAnswer
	in.get("/circles/c1/statements/carol", &st)
	var lines string
	for _, l := range st.Statement.Lines {
		lines += string(l.Kind) + ":" + l.Amount.Number() + " "
	}
	if want := "due:-100.00 contribution:100.00 winnings:240.00 fee:-2.40 discount_share:19.80 due:-100.00 withdrawal:-157.40 " +
		"contribution:100.00 discount_share:6.60 due:-100.00 contribution:100.00 withdrawal:-106.60 "; lines != want {
		t.Errorf("carol's statement %q, want %q", lines, want)
	}
	if tot := st.Statement.Totals; tot.Contributed.String() != "300.00 USD" || tot.Withdrawn.String() != "264.00 USD" ||
		tot.Won.String() != "237.60 USD" || tot.Fees.String() != "2.40 USD" || tot.DiscountShare.String() != "26.40 USD" ||
		!tot.Balance.Equal(st.Position.Balance) || !tot.Balance.IsZero() {
		t.Errorf("carol's totals %+v, position %+v", tot, st.Position)
	}
	csv := string(in.get("/circles/c1/statements/carol?format=csv", nil))
	if want := "member,seq,round,epoch,at,kind,amount,balance,asset\ncarol,0,1,1,2026-03-01T00:00:00Z,due,-100.00,-100.00,USD\n"; !strings.HasPrefix(csv, want) {
		t.Errorf("carol's CSV %q, want the prefix %q", csv, want)
	}

	// 3 + 2 bids + close + withdrawal, 3 + 1 + 1, 3 + 1, 3 withdrawals + fees: 20 events.
	var page eventsAnswer
	in.get("/circles/c1/events?after=15&limit=3", &page)
	var evs []rosca.Event
	if err := json.Unmarshal(page.Events, &evs); err != nil {
		t.Fatal(err)
	}
	if page.LastSeq != 20 || !page.More || len(evs) != 3 || evs[0].Seq != 16 || evs[2].Kind != rosca.EventWithdrawal {
		t.Errorf("events after 15: last %d, more %v, %s", page.LastSeq, page.More, page.Events)
	}
	storedEvents(t, in.db, "c1", threeMembers(rosca.Bidding))
}
