// Command trstsale replays WeTrust's 2017 Trustcoin (TRST) sale with the crowdsale package:
// the FAQ's Alice, Bob and Charlie example, a participant watching their provisional balance
// fall, the three end conditions, and a successful sale allocated to the last micro-TRST and
// distributed from the 100M TRST genesis, its events written as JSON lines and replayed; then
// the same sale distributed with the buyers' tokens locked up (a 1-year cliff, then monthly
// over 4 years).
//
// Run it from the repository root:
//
//	go run ./examples/trstsale
//
//	go run ./examples/trstsale -svg sale.svg
//
// Its one flag, -svg, writes a picture of the sale to a file: the bonus tiers over the
// sale's window and a participant's provisional balance falling as others contribute (-h
// prints the usage). The output is deterministic: times are fixed and amounts are exact.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/token"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // -h: the usage was printed
		}
		fmt.Fprintln(os.Stderr, "trstsale:", err)
		os.Exit(1)
	}
}

func day(m time.Month, d, h int) time.Time { return time.Date(2017, m, d, h, 0, 0, 0, time.UTC) }

// quotes are the sources' quotes of one ETH in BTC (the config's quote asset, 8 decimals);
// an empty string is a source that did not answer.
func quotes(a, b, c string) map[string]token.Amount {
	q := map[string]token.Amount{}
	for i, v := range []string{a, b, c} {
		if v != "" {
			q[[]string{"cryptocompare", "coinmarketcap", "gdax"}[i]] = token.BTC().MustParse(v)
		}
	}
	return q
}

func btc(id string, who token.Account, amount string, at time.Time) crowdsale.Contribution {
	return crowdsale.Contribution{ID: id, Participant: who, Amount: token.BTC().MustParse(amount), At: at}
}

func eth(id string, who token.Account, amount string, at time.Time, q map[string]token.Amount) crowdsale.Contribution {
	return crowdsale.Contribution{ID: id, Participant: who, Amount: token.ETH().MustParse(amount), At: at, Quotes: q}
}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("trstsale", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: trstsale [-svg file]\n\n"+
			"Replays WeTrust's 2017 Trustcoin sale: the FAQ's example, a falling provisional balance,\n"+
			"the three end conditions and a successful sale distributed from the 100M TRST genesis,\n"+
			"then locked up under a 4-year monthly vesting with a 1-year cliff.\n\n")
		fs.PrintDefaults()
	}
	svg := fs.String("svg", "", "also draw the bonus tiers and a falling provisional balance as an SVG picture in this `file`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: trstsale takes none", fs.Args())
	}
	p := newPrinter(w)
	printRules(p, crowdsale.WeTrust2017())
	var fall []step
	var sold *crowdsale.Sale
	for _, part := range []func(*printer) error{
		faqExample,
		func(p *printer) (err error) { fall, err = fallingBalance(p); return err },
		endConditions,
		func(p *printer) (err error) { sold, err = fullSale(p); return err },
		func(p *printer) error { return lockedUp(p, sold) },
	} {
		if err := part(p); err != nil {
			return err
		}
	}
	if *svg == "" {
		return p.Err()
	}
	if err := writeSVG(*svg, crowdsale.WeTrust2017(), fall); err != nil {
		return err
	}
	p.f("\nThe picture of the sale is in %s.\n", *svg)
	return p.Err()
}

// printRules describes the sale's rules and its bonus tiers.
func printRules(p *printer, cfg crowdsale.Config) {
	p.f("The 2017 Trustcoin (TRST) sale, replayed (crowdsale.WeTrust2017)\n\n")
	p.item("window", "from %s until %s (%s is the last second in)", when(cfg.Start), when(cfg.End),
		cfg.End.Add(-time.Second).Format("2 January 15:04:05"))
	p.item("pool", "%s, shared among the participants in proportion to their weights", withSymbol(cfg.Pool))
	p.item("weight", "a contribution's value in %s (other currencies at the median of their quotes), "+
		"plus the bonus of the day it arrives", cfg.Reference.Symbol())
	p.item("minimum", "%s of value: below it the sale fails and refunds everybody", withSymbol(cfg.Minimum))
	p.item("cap", "%s of value, without bonuses: reaching it ends the sale", withSymbol(cfg.Cap))
	p.item("fiat rule", "the sale also ends after %d days in a row worth $%s or more, each day's rate being "+
		"the lowest of the last %d days' median closing rates", cfg.Fiat.Days, num(cfg.Fiat.Threshold), cfg.Fiat.Lookback)
	p.f("\n")
	t := newTable(column{Head: "bonus tier", Align: left}, column{Head: "from (UTC)", Align: left}, column{Head: "until (UTC)", Align: left}, column{Head: "bonus", Align: decimal})
	for i, tier := range cfg.Tiers {
		end := cfg.End
		if i+1 < len(cfg.Tiers) {
			end = cfg.Tiers[i+1].From
		}
		t.Row(fmt.Sprint(i+1), tier.From.Format("Mon 2 Jan 15:04"), end.Format("Mon 2 Jan 15:04"), percent(tier.Bonus))
	}
	p.table(t)
}

// percent writes a ratio as a percentage for a decimal column: "30%", "2.5%".
func percent(r token.Ratio) string { return r.String() }

// faqExample is the FAQ's worked example (its minimum is lifted: the FAQ ignores it).
func faqExample(p *printer) error {
	p.f("\nThe FAQ's example: Alice, Bob and Charlie (the minimum lifted, as in the FAQ)\n")
	cfg := crowdsale.WeTrust2017()
	cfg.Minimum = cfg.Reference.Zero()
	sale, err := crowdsale.NewSale(cfg)
	if err != nil {
		return err
	}
	t := newTable(column{Head: "participant", Align: left}, column{Head: "contributes", Align: decimal}, column{Head: "bonus", Align: decimal},
		column{Head: "BTC per unit", Align: left}, column{Head: "value (BTC)", Align: decimal}, column{Head: "weight (BTC)", Align: decimal})
	for _, c := range []crowdsale.Contribution{
		btc("alice-1", "alice", "40", day(time.March, 10, 12)),
		btc("bob-1", "bob", "20", day(time.March, 17, 12)),
		eth("charlie-1", "charlie", "300", day(time.April, 7, 12), quotes("0.0300", "0.0301", "0.0299")),
	} {
		r, err := sale.Contribute(c)
		if err != nil {
			return err
		}
		peg := "1 (reference)"
		if r.Median.IsValid() {
			peg = num(r.Median) + " (median)"
		}
		t.Row(string(r.Participant), withSymbol(r.Received), percent(r.Bonus), peg, num(r.Value()), ratText(r.Weight()))
	}
	p.table(t)
	if err := sale.Finalize(cfg.End); err != nil {
		return err
	}
	p.say("Raised %s of value (the cap counts value without bonuses). The pool, %s, over the 80 BTC of "+
		"weight is 1,000,000 TRST per BTC of weight:", withSymbol(sale.Raised()), withSymbol(cfg.Pool))
	return printAllocations(p, sale)
}

// printAllocations prints the final allocations, their total, and audits the sale.
func printAllocations(p *printer, sale *crowdsale.Sale) error {
	t := newTable(column{Head: "participant", Align: left}, column{Head: "TRST", Align: decimal})
	sum := token.TRST().Zero()
	for _, a := range sale.Allocations() {
		t.Row(string(a.Participant), num(a.Amount))
		var err error
		if sum, err = sum.Add(a.Amount); err != nil {
			return err
		}
	}
	t.Row("total", num(sum))
	p.table(t)
	return sale.Audit()
}

// step is one contribution of the falling balance and Dana's provisional balance after it.
type step struct {
	at          time.Time
	participant token.Account
	amount      token.Amount
	bonus       token.Ratio
	provisional token.Amount
}

// fallingBalance shows one participant's provisional balance as others contribute.
func fallingBalance(p *printer) ([]step, error) {
	p.f("\nDana watches her provisional balance fall\n")
	p.say("A provisional balance is the pool times the participant's weight over all the weight so far, " +
		"rounded down to the micro-TRST: it falls as others contribute, and is final at the end.")
	sale, err := crowdsale.NewSale(crowdsale.WeTrust2017())
	if err != nil {
		return nil, err
	}
	t := newTable(column{Head: "when (UTC)", Align: left}, column{Head: "who", Align: left}, column{Head: "contributes", Align: decimal},
		column{Head: "bonus", Align: decimal}, column{Head: "Dana's provisional TRST", Align: decimal})
	var steps []step
	for _, c := range []crowdsale.Contribution{
		btc("d1", "dana", "10", day(time.March, 2, 9)),
		btc("e1", "erik", "10", day(time.March, 2, 15)),
		eth("f1", "fay", "1000", day(time.March, 4, 10), quotes("0.0291", "0.0290", "")),
		btc("g1", "gus", "100", day(time.March, 20, 18)),
	} {
		r, err := sale.Contribute(c)
		if err != nil {
			return nil, err
		}
		s := step{at: c.At, participant: c.Participant, amount: c.Amount, bonus: r.Bonus, provisional: sale.Provisional("dana")}
		steps = append(steps, s)
		t.Row(c.At.Format("Mon 2 Jan 15:04"), string(c.Participant), withSymbol(c.Amount),
			percent(r.Bonus), num(s.provisional))
	}
	p.table(t)
	return steps, p.Err()
}

// endConditions shows the cap, the fiat rule and the window ending a sale.
func endConditions(p *printer) error {
	p.f("\nHow a sale ends\n")
	if err := capEnd(p); err != nil {
		return err
	}
	if err := fiatEnd(p); err != nil {
		return err
	}
	// The window: nothing else ends it.
	cfg := crowdsale.WeTrust2017()
	quiet, err := crowdsale.NewSale(cfg)
	if err != nil {
		return err
	}
	st, err := quiet.Advance(cfg.End)
	if err != nil {
		return err
	}
	p.item("the window", "A sale nothing else ends is ended by the %s at %s.", st.Reason, when(st.EndedAt))
	return p.Err()
}

// capEnd shows the cap: the crossing contribution is accepted up to 6,000 BTC, the rest
// refunded at once.
func capEnd(p *printer) error {
	capped, err := crowdsale.NewSale(crowdsale.WeTrust2017())
	if err != nil {
		return err
	}
	if _, err := capped.Contribute(btc("w1", "whale", "5999.5", day(time.March, 5, 0))); err != nil {
		return err
	}
	r, err := capped.Contribute(eth("w2", "latecomer", "20", day(time.March, 6, 0), quotes("0.03", "0.03", "0.03")))
	if err != nil {
		return err
	}
	st := capped.Status(day(time.March, 6, 0))
	_, late := capped.Contribute(btc("w3", "too-late", "1", day(time.March, 6, 1)))
	p.item("the cap", "whale contributes 5,999.5 BTC; then latecomer sends %s at %s BTC per ETH, of which %s "+
		"is accepted, the 0.5 BTC left under the cap, and %s refunded at once. The sale is ended by the %s at %s; "+
		"a contribution an hour later is refused, with the error code %s.",
		withSymbol(r.Received), num(r.Median), withSymbol(r.Accepted), withSymbol(r.Refund), st.Reason, when(st.EndedAt), fault.CodeOf(late))
	return p.Err()
}

// fiatEnd shows the fiat rule: BTC at $1,400 then from March 15 at $1,575; 4,000 BTC +
// 50,000 ETH at $20.
func fiatEnd(p *printer) error {
	cfg := crowdsale.WeTrust2017()
	fiat, err := crowdsale.NewSale(cfg)
	if err != nil {
		return err
	}
	usd := cfg.Fiat.Currency
	// each day's closing rates are recorded when the day has closed, at 00:00 UTC of the next
	record := func(d time.Time) error {
		rate := "1400"
		if d.Equal(day(time.March, 10, 0)) {
			rate = "3000" // a one-day spike: never the minimum of three days
		} else if !d.Before(day(time.March, 15, 0)) {
			rate = "1575"
		}
		closed := d.Add(24 * time.Hour)
		for _, src := range cfg.Quotes.Sources {
			if err := fiat.RecordClosingRateAt(closed, d, src, token.BTC(), usd.MustParse(rate)); err != nil {
				return err
			}
			if err := fiat.RecordClosingRateAt(closed, d, src, token.ETH(), usd.MustParse("20")); err != nil {
				return err
			}
		}
		return nil
	}
	for d := day(time.February, 26, 0); d.Before(day(time.March, 2, 0)); d = d.Add(24 * time.Hour) {
		if err := record(d); err != nil {
			return err
		}
	}
	if _, err := fiat.Contribute(btc("f1", "alice", "4000", day(time.March, 2, 10))); err != nil {
		return err
	}
	if _, err := fiat.Contribute(eth("f2", "bob", "50000", day(time.March, 2, 11), quotes("0.03", "0.03", "0.03"))); err != nil {
		return err
	}
	// until the sale ends: the rates of March 20 come after the end of the third day met
	for d := day(time.March, 2, 0); d.Before(day(time.March, 20, 0)); d = d.Add(24 * time.Hour) {
		if err := record(d); err != nil {
			return err
		}
	}
	st, err := fiat.Advance(day(time.March, 25, 0))
	if err != nil {
		return err
	}
	p.item("the fiat rule", "alice contributes 4,000 BTC and bob 50,000 ETH on 2 March. BTC closes at $1,400 "+
		"(but $3,000 on 10 March, a one-day spike that the lowest of three days ignores), then from 15 March at $1,575; "+
		"ETH at $20. The days judged from 9 March:")
	t := newTable(column{Head: "day judged", Align: left}, column{Head: "BTC rate ($)", Align: decimal}, column{Head: "ETH rate ($)", Align: decimal},
		column{Head: "value ($)", Align: decimal}, column{Head: "verdict", Align: left}, column{Head: "days in a row", Align: decimal})
	for _, fd := range fiat.FiatDays() {
		if fd.Day.Before(day(time.March, 9, 0)) {
			continue
		}
		t.Row(fd.Day.Format("Mon 2 Jan"), num(fd.Rates[0].Rate), num(fd.Rates[1].Rate), num(fd.Value),
			strings.ReplaceAll(string(fd.Status), "_", " "), fmt.Sprint(fd.Streak))
	}
	p.table(t)
	p.item("", "The sale is ended by the %s rule at %s, the end of the third day in a row worth $%s or more.",
		st.Reason, when(st.EndedAt), num(cfg.Fiat.Threshold))
	return p.Err()
}

// fullSale runs a successful sale, distributes it from the 100M TRST genesis, and rebuilds
// it from its events written as JSON lines.
func fullSale(p *printer) (*crowdsale.Sale, error) {
	p.f("\nA successful sale, allocated and distributed from the 100,000,000 TRST genesis\n")
	cfg := crowdsale.WeTrust2017()
	sale, err := crowdsale.NewSale(cfg)
	if err != nil {
		return nil, err
	}
	t := newTable(column{Head: "when (UTC)", Align: left}, column{Head: "who", Align: left}, column{Head: "contributes", Align: decimal},
		column{Head: "bonus", Align: decimal})
	for _, c := range []crowdsale.Contribution{
		btc("s1", "alice", "400", day(time.March, 2, 8)),
		eth("s2", "bob", "12000", day(time.March, 8, 20), quotes("0.0302", "0.0300", "0.0301")),
		btc("s3", "carol", "333.33333333", day(time.March, 15, 23)),
		btc("s4", "dave", "250", day(time.March, 29, 6)),
		eth("s5", "erin", "1000.5", day(time.April, 11, 17), quotes("0.0410", "", "0.0412")),
		btc("s6", "alice", "0.00000001", day(time.April, 12, 23)),
	} {
		r, err := sale.Contribute(c)
		if err != nil {
			return nil, err
		}
		t.Row(c.At.Format("Mon 2 Jan 15:04"), string(c.Participant), withSymbol(c.Amount), percent(r.Bonus))
	}
	p.table(t)
	if err := sale.Finalize(cfg.End); err != nil {
		return nil, err
	}
	st := sale.Status(cfg.End)
	p.say("Raised %s of value, above the %s minimum; ended by the %s; the sale %s. The pool is allocated "+
		"by weight, to the micro-TRST:", withSymbol(sale.Raised()), withSymbol(cfg.Minimum), st.Reason, st.Outcome)
	if err := printAllocations(p, sale); err != nil {
		return nil, err
	}
	ledger, err := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{
		Sale: cfg.SaleAccount, Team: "team-vesting", Organisation: "finclusion-labs", Bounties: "bounties"}))
	if err != nil {
		return nil, err
	}
	if err := sale.Distribute(ledger); err != nil {
		return nil, err
	}
	p.say("Distributed from the sale's account of the 100,000,000 TRST genesis:")
	if err := printLedger(p, ledger); err != nil {
		return nil, err
	}
	return sale, replaySale(p, sale)
}

// printLedger prints every account of the ledger and checks that they hold the supply.
func printLedger(p *printer, ledger *token.Ledger) error {
	t := newTable(column{Head: "ledger account", Align: left}, column{Head: "TRST", Align: decimal})
	total := ledger.Asset().Zero()
	for _, a := range ledger.Accounts() {
		t.Row(string(a), num(ledger.Balance(a)))
		var err error
		if total, err = total.Add(ledger.Balance(a)); err != nil {
			return err
		}
	}
	t.Row("supply", num(total))
	p.table(t)
	if !total.Equal(ledger.Supply()) {
		return fmt.Errorf("the ledger's accounts hold %s, its supply is %s", total, ledger.Supply())
	}
	return ledger.Audit()
}

// replaySale writes the sale's events as JSON lines, as a service persists them, streams
// them back into crowdsale.Replay and checks that the rebuilt sale is the same.
func replaySale(p *printer, sale *crowdsale.Sale) error {
	var log []byte
	for e := range sale.EventsAfter(0) {
		log = append(e.AppendJSON(log), '\n')
	}
	d := crowdsale.NewDecoder(bytes.NewReader(log))
	again, err := crowdsale.Replay(sale.InitialConfig(), d.Events())
	if derr := d.Err(); derr != nil {
		return derr
	}
	if err != nil {
		return err
	}
	want, err := sale.Snapshot().MarshalJSON()
	if err != nil {
		return err
	}
	got, err := again.Snapshot().MarshalJSON()
	if err != nil {
		return err
	}
	if !bytes.Equal(want, got) {
		return errors.New("the replayed sale differs from the live one")
	}
	if err := again.Audit(); err != nil {
		return err
	}
	p.say("The sale's %d events, %s bytes of JSON lines, replay to the same sale; audits pass.",
		sale.LastSeq(), group(fmt.Sprint(len(log))))
	return p.Err()
}
