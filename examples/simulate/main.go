// Command simulate runs a batch of simulated lending circles from flags and reports, seat by
// seat, what members paid and earned: it writes one CSV line per member and circle, an SVG
// chart of the distribution of the net outcome per seat (box plots), and prints a summary.
//
// Every member pays $100 a round; a share of the members (-late) miss a payment now and then
// and catch up a round later; in a bidding circle members value the pot between -value% and
// 100% of it and bid by undercutting (odd seats) or at random (even seats); one seat may
// stop paying from a round on (-stop-seat, -stop-round). With -benchmark, each member's net
// present value at that rate per round is computed, and with -finance and -reinvest its
// modified rate of return and role (saver or borrower); the CSV then has them, and the
// summary their medians per seat.
//
// -enforce picks the group's answer to defaults, with the circle's rules for it: tolerate
// (the circle's own rules only), halt (the emergency halt after two rounds behind),
// collateral (collateral by seat posted as members join, applied to defaulters' dues after
// the end), guarantors (each member's guarantor pays its arrears after a round behind),
// replace (removal after two rounds in arrears, a fresh member after an hour's notice),
// recover (a bounty of 10% and a collector who recovers the debt one time in two), or all
// (every deterrent, with the security of the prized instead of collateral by seat and the
// acceleration of their dues). The summary then adds the deterrents' totals.
//
// Run it from the repository root:
//
//	go run ./examples/simulate -circles 1000 -kind bidding -csv members.csv -svg seats.svg
//	go run ./examples/simulate -h
//
// To spread a batch over machines, give each process -shard i -shards n (or only -shards n
// in a Kubernetes indexed Job: the index is read from JOB_COMPLETION_INDEX): the shards'
// CSV files, concatenated and sorted, are the single process's, the header coming from
// shard 0.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "simulate:", err)
		os.Exit(1)
	}
}

// options are the command-line settings.
type options struct {
	kind                     rosca.Kind
	members, circles, digits int
	seed                     uint64
	late, value, fee         uint64 // percent, percent, per mille
	stopSeat, stopRound      int
	workers, shard, shards   int
	csv, svg, enforce        string
	// The NPV's benchmark rate and MIRR's rates, per round, when given.
	benchmark, finance, reinvest *rates.Rate
}

// rateFlag is a flag holding a rate per round ("1%", "1/3"), nil until set.
type rateFlag struct{ r **rates.Rate }

func (f rateFlag) String() string {
	if f.r == nil || *f.r == nil {
		return ""
	}
	return (*f.r).String()
}

func (f rateFlag) Set(s string) error {
	r, err := rates.ParseRate(s)
	if err != nil {
		return err
	}
	*f.r = &r
	return nil
}

func parse(w io.Writer, args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: simulate [flags]\n\nRuns a batch of simulated lending circles and summarises each seat's outcome.\n\n")
		fs.PrintDefaults()
	}
	kind := fs.String("kind", "lottery", "how winners are chosen: lottery, bidding or fixed")
	fs.IntVar(&o.members, "members", 10, "members per circle (2 to 50)")
	fs.IntVar(&o.circles, "circles", 1000, "circles in the batch")
	fs.IntVar(&o.digits, "digits", 6, "precision of the internal rates of return (0: none)")
	fs.Uint64Var(&o.seed, "seed", 1, "the batch's seed")
	fs.Uint64Var(&o.late, "late", 5, "chance in percent that a member misses a round's payment (0 to 100)")
	fs.Uint64Var(&o.value, "value", 70, "lowest valuation of the pot in percent (65 to 100), bidding circles")
	fs.Uint64Var(&o.fee, "fee", 10, "foreperson's fee in per mille (0 to 20)")
	fs.IntVar(&o.stopSeat, "stop-seat", -1, "a seat that stops paying (-1: none)")
	fs.IntVar(&o.stopRound, "stop-round", 3, "the round from which -stop-seat pays nothing")
	fs.IntVar(&o.workers, "workers", 0, "goroutines (0: all cores)")
	fs.IntVar(&o.shard, "shard", -1, "this process's shard (-1: JOB_COMPLETION_INDEX, or 0)")
	fs.IntVar(&o.shards, "shards", 1, "number of shards")
	fs.StringVar(&o.csv, "csv", "", "file for the members' CSV (empty: none)")
	fs.StringVar(&o.svg, "svg", "", "file for the SVG chart (empty: none)")
	fs.StringVar(&o.enforce, "enforce", "tolerate", "the group's answer to defaults: tolerate, halt, collateral, guarantors, replace, recover or all")
	fs.Var(rateFlag{&o.benchmark}, "benchmark", "rate per round of each member's NPV, such as 1% (empty: no NPV)")
	fs.Var(rateFlag{&o.finance}, "finance", "finance rate per round of each member's MIRR (empty: -reinvest's; neither: no MIRR)")
	fs.Var(rateFlag{&o.reinvest}, "reinvest", "reinvestment rate per round of each member's MIRR (empty: -finance's)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch *kind {
	case "lottery":
		o.kind = rosca.Lottery
	case "bidding":
		o.kind = rosca.Bidding
	case "fixed":
		o.kind = rosca.FixedOrder
	default:
		return o, fmt.Errorf("-kind %q: want lottery, bidding or fixed", *kind)
	}
	switch {
	case o.members < 2 || o.members > 50:
		return o, fmt.Errorf("-members %d: want 2 to 50", o.members)
	case o.late > 100:
		return o, fmt.Errorf("-late %d: want 0 to 100", o.late)
	case o.value < 65 || o.value > 100:
		return o, fmt.Errorf("-value %d: want 65 to 100", o.value)
	case o.fee > 20:
		return o, fmt.Errorf("-fee %d: want 0 to 20", o.fee)
	case (o.finance != nil || o.reinvest != nil) && o.digits == 0:
		return o, errors.New("-finance and -reinvest need -digits above 0")
	}
	if _, ok := enforcers[o.enforce]; !ok {
		return o, fmt.Errorf("-enforce %q: want tolerate, halt, collateral, guarantors, replace, recover or all", o.enforce)
	}
	if o.finance == nil {
		o.finance = o.reinvest
	}
	if o.reinvest == nil {
		o.reinvest = o.finance
	}
	return o, nil
}

// scenario builds the batch of the options.
func scenario(o options) simulate.Scenario {
	usd, _ := token.NewAsset("USD", 2)
	ms := simulate.Seats(o.members, simulate.Member{
		Payer:     simulate.Late{Rounds: 1, Probability: token.MustRatio(o.late, 100)},
		Valuation: simulate.Valuation{Low: token.MustRatio(o.value, 100), High: token.One()},
	})
	for i := range ms {
		ms[i].Bidder = simulate.Undercut{}
		if i%2 == 0 {
			ms[i].Bidder = simulate.RandomBid{Probability: token.MustRatio(1, 3)}
		}
		if i == o.stopSeat {
			ms[i].Payer = simulate.Stop{From: o.stopRound, Before: ms[i].Payer}
		}
	}
	sc := simulate.Scenario{
		Name:    string(o.kind),
		Circle:  rosca.Config{Asset: usd, Kind: o.kind, Contribution: usd.MustParse("100"), Fee: token.MustRatio(o.fee, 1000)},
		Members: ms, Circles: o.circles, Seed: o.seed, Digits: o.digits,
	}
	sc.Circle.Rules = rosca.WeTrustRules()
	sc.Circle.Rules.Deterrents, sc.Enforcer = enforcers[o.enforce](usd)
	if sc.Circle.Rules.Deterrents.Notice > 0 {
		sc.Circle.Period = time.Hour // the notice runs an hour: a round
	}
	if o.benchmark != nil {
		sc.NPV, sc.Benchmark = true, *o.benchmark
	}
	if o.finance != nil {
		sc.MIRR, sc.Finance, sc.Reinvest = true, *o.finance, *o.reinvest
	}
	return sc
}

// enforcers are the -enforce choices: the rules' deterrents and the group's enforcer.
var enforcers = map[string]func(usd token.Asset) (rosca.Deterrents, simulate.Enforcer){
	"tolerate": func(token.Asset) (rosca.Deterrents, simulate.Enforcer) { return rosca.Deterrents{}, nil },
	"halt": func(token.Asset) (rosca.Deterrents, simulate.Enforcer) {
		return rosca.Deterrents{}, simulate.HaltWhenBehind{Rounds: 2}
	},
	"collateral": func(token.Asset) (rosca.Deterrents, simulate.Enforcer) {
		return rosca.Deterrents{Collateral: rosca.Collateral{Form: rosca.CollateralBySeat}},
			simulate.Enforcers{simulate.Collateral{}, simulate.Recover{}}
	},
	"guarantors": func(token.Asset) (rosca.Deterrents, simulate.Enforcer) {
		return rosca.Deterrents{}, simulate.Guarantors{}
	},
	"replace": func(token.Asset) (rosca.Deterrents, simulate.Enforcer) {
		return rosca.Deterrents{RemoveAfter: 2, Notice: rosca.Duration(time.Hour), Deduction: token.MustRatio(5, 100)},
			simulate.Replace{}
	},
	"recover": func(token.Asset) (rosca.Deterrents, simulate.Enforcer) {
		return rosca.Deterrents{Bounty: rosca.Bounty{Share: token.MustRatio(1, 10)}}, simulate.Recover{Fail: token.MustRatio(1, 2)}
	},
	"all": func(usd token.Asset) (rosca.Deterrents, simulate.Enforcer) {
		return rosca.Deterrents{Collateral: rosca.Collateral{Form: rosca.CollateralSecurity},
				Bounty:      rosca.Bounty{Share: token.MustRatio(1, 10)},
				RemoveAfter: 2, Notice: rosca.Duration(time.Hour), Deduction: token.MustRatio(5, 100), Accelerate: true,
				LateFee: rosca.LateFee{Flat: usd.MustParse("1"), Grace: 1}},
			simulate.Enforcers{simulate.Collateral{}, simulate.Guarantors{Rounds: 2, Fail: token.MustRatio(1, 2)},
				simulate.Replace{}, simulate.Accelerate{}, simulate.Recover{Fail: token.MustRatio(1, 2)}}
	},
}

// deterrents is a sink summing the deterrents' totals of the circles.
type deterrents struct {
	simulate.Aggregate
	applied, guarantors, recovered, lateFees token.Amount
	removals, substitutions, accelerations   int
}

// Circle adds the circle's totals.
func (d *deterrents) Circle(r *simulate.CircleRecord) error {
	for _, f := range []struct{ sum, x *token.Amount }{{&d.applied, &r.CollateralApplied},
		{&d.guarantors, &r.GuarantorPayments}, {&d.recovered, &r.Recovered}, {&d.lateFees, &r.LateFeesPaid}} {
		if !f.sum.IsValid() {
			*f.sum = f.x.Asset().Zero()
		}
		*f.sum, _ = f.sum.Add(*f.x)
	}
	d.removals += r.Removals
	d.substitutions += r.Substitutions
	d.accelerations += r.Accelerations
	return nil
}

func run(w io.Writer, args []string) error {
	o, err := parse(w, args)
	if err != nil {
		return err
	}
	shard := simulate.Shard{Index: o.shard, Count: o.shards}
	if o.shard < 0 {
		if shard, err = simulate.ShardFromEnv("JOB_COMPLETION_INDEX", o.shards); err != nil {
			return err
		}
	}
	sc := scenario(o)
	var agg deterrents
	sinks := []simulate.Sink{&agg}
	var out *bufio.Writer
	if o.csv != "" {
		f, err := os.Create(o.csv)
		if err != nil {
			return err
		}
		defer f.Close()
		out = bufio.NewWriter(f)
		sinks = append(sinks, &simulate.CSV{Members: out, Header: shard.Index == 0})
	}
	if err := simulate.Run(context.Background(), sc, simulate.Options{Workers: o.workers, Shard: shard}, sinks...); err != nil {
		return err
	}
	if out != nil {
		if err := out.Flush(); err != nil {
			return err
		}
	}
	seats := agg.Seats()
	lo, hi := shard.Range(o.circles)
	fmt.Fprintf(w, "%s circles %d to %d of %d, %d members, seed %d\n", o.kind, lo, hi, o.circles, o.members, o.seed)
	fmt.Fprintf(w, "%-5s %10s %10s %10s %10s %10s %9s %6s %6s %6s %8s", "seat", "p5", "p25", "median", "p75", "p95",
		"irr", "one", "none", "many", "defaults")
	if sc.NPV {
		fmt.Fprintf(w, " %10s", "npv")
	}
	if sc.MIRR {
		fmt.Fprintf(w, " %9s %6s %6s", "mirr", "savers", "borrow")
	}
	fmt.Fprintln(w)
	for _, s := range seats {
		fmt.Fprintf(w, "%-5s %10s %10s %10s %10s %10s %9s %6d %6d %6d %8d", s.Member, s.Net.P5.Number(),
			s.Net.P25.Number(), s.Net.Median.Number(), s.Net.P75.Number(), s.Net.P95.Number(), percent(s.IRR),
			s.OneRoot, s.NoRoot, s.SeveralRoots, s.Defaults)
		if sc.NPV {
			fmt.Fprintf(w, " %10s", s.NPV.Median.Number())
		}
		if sc.MIRR {
			fmt.Fprintf(w, " %9s %6d %6d", percent(s.MIRR), s.Savers, s.Borrowers)
		}
		fmt.Fprintln(w)
	}
	if o.enforce != "tolerate" && o.enforce != "halt" && agg.applied.IsValid() {
		fmt.Fprintf(w, "deterrents: collateral applied %s, guarantors paid %s, recovered %s, late fees paid %s; %d removals, %d substitutions, %d accelerations\n",
			agg.applied.Number(), agg.guarantors.Number(), agg.recovered.Number(), agg.lateFees.Number(),
			agg.removals, agg.substitutions, agg.accelerations)
	}
	if o.svg != "" {
		title := fmt.Sprintf("Net outcome per seat: %d %s circles of %d members, $100 a round", hi-lo, o.kind, o.members)
		if err := os.WriteFile(o.svg, chart(title, seats), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// percent returns the median of the rates as a percentage with three decimals, "-" when there
// is none.
func percent(q simulate.RateQuantiles) string {
	if q.N == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f%%", 100*q.Median)
}
