// Command trstsale replays WeTrust's 2017 Trustcoin (TRST) sale with the crowdsale package:
// the FAQ's Alice, Bob and Charlie example, a participant watching their provisional balance
// fall, the three end conditions, and a successful sale allocated to the last micro-TRST and
// distributed from the 100M TRST genesis, its events written as JSON lines and replayed.
//
// Run it from the repository root:
//
//	go run ./examples/trstsale
//
// It takes no arguments (-h prints this usage). The output is deterministic: times are
// fixed and amounts are exact.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
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

func table(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
}

// num prints an amount for people: its number with the trailing fraction zeros dropped
// ("300", "0.03", "16.666666666666666666"), never rounded.
func num(x token.Amount) string { return x.Trim(0) }

// withSymbol prints an amount for people, with its asset's symbol ("300 ETH").
func withSymbol(x token.Amount) string { return num(x) + " " + x.Asset().Symbol() }

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("trstsale", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: trstsale\n\n"+
			"Replays WeTrust's 2017 Trustcoin sale: the FAQ's example, a falling provisional balance,\n"+
			"the three end conditions and a successful sale distributed from the 100M TRST genesis.\n"+
			"It takes no arguments.\n")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q: trstsale takes none", fs.Args())
	}
	cfg := crowdsale.WeTrust2017()
	fmt.Fprintln(w, "== The 2017 TRST sale (WeTrust2017) ==")
	fmt.Fprintf(w, "window [%s, %s), pool %s, minimum %s, cap %s (value without bonuses)\n",
		cfg.Start.Format(time.RFC3339), cfg.End.Format(time.RFC3339), withSymbol(cfg.Pool), withSymbol(cfg.Minimum), withSymbol(cfg.Cap))
	fmt.Fprintf(w, "fiat rule: at least $%s on %d consecutive days, at the minimum of %d days' median closing rates\n",
		num(cfg.Fiat.Threshold), cfg.Fiat.Days, cfg.Fiat.Lookback)
	tw := table(w)
	fmt.Fprintln(tw, "tier\tfrom (UTC)\tbonus\t")
	for i, t := range cfg.Tiers {
		fmt.Fprintf(tw, "%d\t%s\t%s\t\n", i, t.From.Format("2006-01-02 15:04"), t.Bonus)
	}
	tw.Flush()

	for _, part := range []func(io.Writer) error{faqExample, fallingBalance, endConditions, fullSale} {
		if err := part(w); err != nil {
			return err
		}
	}
	return nil
}

// faqExample is the FAQ's worked example (its minimum is lifted: the FAQ ignores it).
func faqExample(w io.Writer) error {
	fmt.Fprintln(w, "\n== The FAQ's example: Alice, Bob and Charlie (minimum lifted, as in the FAQ) ==")
	cfg := crowdsale.WeTrust2017()
	cfg.Minimum = cfg.Reference.Zero()
	sale, err := crowdsale.NewSale(cfg)
	if err != nil {
		return err
	}
	tw := table(w)
	fmt.Fprintln(tw, "participant\tamount\tbonus\tBTC per unit\tvalue BTC\tweight BTC\t")
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Participant, withSymbol(r.Received), r.Bonus, peg, num(r.Value()), r.Weight().RatString())
	}
	tw.Flush()
	if err := sale.Finalize(cfg.End); err != nil {
		return err
	}
	fmt.Fprintf(w, "raised %s (cap counts value without bonuses); 80,000,000 TRST / 80 BTC of weight = 1,000,000 TRST per BTC\n", withSymbol(sale.Raised()))
	return printAllocations(w, sale)
}

func printAllocations(w io.Writer, sale *crowdsale.Sale) error {
	tw := table(w)
	fmt.Fprintln(tw, "participant\tTRST\t")
	sum := token.TRST().Zero()
	for _, a := range sale.Allocations() {
		fmt.Fprintf(tw, "%s\t%s\t\n", a.Participant, a.Amount.Number())
		var err error
		if sum, err = sum.Add(a.Amount); err != nil {
			return err
		}
	}
	fmt.Fprintf(tw, "total\t%s\t\n", sum.Number())
	tw.Flush()
	return sale.Audit()
}

// fallingBalance shows one participant's provisional balance as others contribute.
func fallingBalance(w io.Writer) error {
	fmt.Fprintln(w, "\n== Dana watches her provisional balance fall ==")
	sale, err := crowdsale.NewSale(crowdsale.WeTrust2017())
	if err != nil {
		return err
	}
	tw := table(w)
	fmt.Fprintln(tw, "when (UTC)\tcontribution\tDana's provisional TRST\t")
	for _, c := range []crowdsale.Contribution{
		btc("d1", "dana", "10", day(time.March, 2, 9)),
		btc("e1", "erik", "10", day(time.March, 2, 15)),
		eth("f1", "fay", "1000", day(time.March, 4, 10), quotes("0.0291", "0.0290", "")),
		btc("g1", "gus", "100", day(time.March, 20, 18)),
	} {
		if _, err := sale.Contribute(c); err != nil {
			return err
		}
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t\n", c.At.Format("01-02 15:04"), c.Participant, withSymbol(c.Amount),
			sale.Provisional("dana").Number())
	}
	tw.Flush()
	fmt.Fprintln(w, "(pool x her weight / all weight so far, rounded down to the micro-TRST)")
	return nil
}

// endConditions shows the cap, the fiat rule and the window ending a sale.
func endConditions(w io.Writer) error {
	fmt.Fprintln(w, "\n== How a sale ends ==")
	if err := capEnd(w); err != nil {
		return err
	}
	if err := fiatEnd(w); err != nil {
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
	fmt.Fprintf(w, "window: ended by %s at %s (April 12 23:59:59 is the last second in)\n", st.Reason, st.EndedAt.Format(time.RFC3339))
	return nil
}

// capEnd shows the cap: the crossing contribution is accepted up to 6,000 BTC, the rest
// refunded at once.
func capEnd(w io.Writer) error {
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
	fmt.Fprintf(w, "cap:    %s received, %s accepted, %s refunded at once; ended by %s at %s\n",
		withSymbol(r.Received), num(r.Accepted), num(r.Refund), st.Reason, st.EndedAt.Format(time.RFC3339))
	_, err = capped.Contribute(btc("w3", "too-late", "1", day(time.March, 6, 1)))
	fmt.Fprintf(w, "        a contribution after it: %v\n", err)
	return nil
}

// fiatEnd shows the fiat rule: BTC at $1,400 then from March 15 at $1,575; 4,000 BTC +
// 50,000 ETH at $20.
func fiatEnd(w io.Writer) error {
	cfg := crowdsale.WeTrust2017()
	fiat, err := crowdsale.NewSale(cfg)
	if err != nil {
		return err
	}
	usd := cfg.Fiat.Currency
	for d := day(time.February, 26, 0); d.Before(day(time.April, 1, 0)); d = d.Add(24 * time.Hour) {
		rate := "1400"
		if d.Equal(day(time.March, 10, 0)) {
			rate = "3000" // a one-day spike: never the minimum of three days
		} else if !d.Before(day(time.March, 15, 0)) {
			rate = "1575"
		}
		for _, src := range cfg.Quotes.Sources {
			if err := fiat.RecordClosingRate(d, src, token.BTC(), usd.MustParse(rate)); err != nil {
				return err
			}
			if err := fiat.RecordClosingRate(d, src, token.ETH(), usd.MustParse("20")); err != nil {
				return err
			}
		}
	}
	if _, err := fiat.Contribute(btc("f1", "alice", "4000", day(time.March, 2, 10))); err != nil {
		return err
	}
	if _, err := fiat.Contribute(eth("f2", "bob", "50000", day(time.March, 2, 11), quotes("0.03", "0.03", "0.03"))); err != nil {
		return err
	}
	st, err := fiat.Advance(day(time.March, 25, 0))
	if err != nil {
		return err
	}
	tw := table(w)
	fmt.Fprintln(tw, "day judged\tBTC rate used\tETH rate used\tvalue USD\tverdict\tstreak\t")
	for _, fd := range fiat.FiatDays() {
		if fd.Day.Before(day(time.March, 9, 0)) {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t\n", fd.Day.Format("01-02"), num(fd.Rates[0].Rate), num(fd.Rates[1].Rate), num(fd.Value), fd.Status, fd.Streak)
	}
	tw.Flush()
	fmt.Fprintf(w, "fiat:   ended by %s at %s (the end of the third consecutive day at $7.3M or more)\n", st.Reason, st.EndedAt.Format(time.RFC3339))
	return nil
}

// fullSale runs a successful sale, distributes it from the 100M TRST genesis, and rebuilds
// it from its events written as JSON lines.
func fullSale(w io.Writer) error {
	fmt.Fprintln(w, "\n== A successful sale, allocated and distributed from the 100M genesis ==")
	cfg := crowdsale.WeTrust2017()
	sale, err := crowdsale.NewSale(cfg)
	if err != nil {
		return err
	}
	for _, c := range []crowdsale.Contribution{
		btc("s1", "alice", "400", day(time.March, 2, 8)),
		eth("s2", "bob", "12000", day(time.March, 8, 20), quotes("0.0302", "0.0300", "0.0301")),
		btc("s3", "carol", "333.33333333", day(time.March, 15, 23)),
		btc("s4", "dave", "250", day(time.March, 29, 6)),
		eth("s5", "erin", "1000.5", day(time.April, 11, 17), quotes("0.0410", "", "0.0412")),
		btc("s6", "alice", "0.00000001", day(time.April, 12, 23)),
	} {
		if _, err := sale.Contribute(c); err != nil {
			return err
		}
	}
	if err := sale.Finalize(cfg.End); err != nil {
		return err
	}
	st := sale.Status(cfg.End)
	fmt.Fprintf(w, "raised %s; ended by %s; %s\n", withSymbol(sale.Raised()), st.Reason, st.Outcome)
	if err := printAllocations(w, sale); err != nil {
		return err
	}
	ledger, err := token.NewLedger(token.TRSTGenesis(token.TRSTAccounts{
		Sale: cfg.SaleAccount, Team: "team-vesting", Organisation: "finclusion-labs", Bounties: "bounties"}))
	if err != nil {
		return err
	}
	if err := sale.Distribute(ledger); err != nil {
		return err
	}
	if err := printLedger(w, ledger); err != nil {
		return err
	}
	return replaySale(w, sale)
}

// printLedger prints every account of the ledger and checks that they hold the supply.
func printLedger(w io.Writer, ledger *token.Ledger) error {
	tw := table(w)
	fmt.Fprintln(tw, "ledger account\tTRST\t")
	total := ledger.Asset().Zero()
	for _, a := range ledger.Accounts() {
		fmt.Fprintf(tw, "%s\t%s\t\n", a, ledger.Balance(a).Number())
		var err error
		if total, err = total.Add(ledger.Balance(a)); err != nil {
			return err
		}
	}
	fmt.Fprintf(tw, "supply\t%s\t\n", total.Number())
	tw.Flush()
	if !total.Equal(ledger.Supply()) {
		return fmt.Errorf("the ledger's accounts hold %s, its supply is %s", total, ledger.Supply())
	}
	return ledger.Audit()
}

// replaySale writes the sale's events as JSON lines, as a service persists them, streams
// them back into crowdsale.Replay and checks that the rebuilt sale is the same.
func replaySale(w io.Writer, sale *crowdsale.Sale) error {
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
	fmt.Fprintf(w, "%d events, %d bytes of JSON lines; replayed to the same sale; audits pass\n", sale.LastSeq(), len(log))
	return nil
}
