// Command lendingcircle runs a small lending circle (a ROSCA) from start to end and prints
// every round and the final accounts, so that you can see where each unit of money goes.
//
// Five friends (alice, who runs the circle as its foreperson, bob, carol, dave and erin) each
// pay 1 ETH a week into a pot of 5 ETH, under the rules of WeTrust's lending-circle contract
// (rosca.WeTrustRules), with a fee of 1%. Each week the pot goes to one member who has not had
// it yet: in a bidding circle to the member who bids to take the least, the rest of the pot
// (the discount) being shared by everybody; in a week without bids, to a member drawn by lot.
// Along the way erin pays a week late (she cannot bid while she is behind, and pays for two
// weeks the next week), each winner withdraws what it may, and at the end everybody withdraws
// the rest, the foreperson takes the fees and any rounding left-overs go where the rules say.
// The program then prints each member's statement (paid in, received, net) and checks that
// the nets add up, to the wei, to minus what was paid out to the foreperson.
//
// Run it from the repository root:
//
//	go run ./examples/lendingcircle
//	go run ./examples/lendingcircle -svg circle.svg
//	go run ./examples/lendingcircle -members 7 -contribution 0.5 -kind lottery -seed 42
//
// Flags: -members (3 to 26), -contribution (in ETH), -fee (per mille, 0 to 20),
// -kind (bidding, lottery or fixed), -seed (fixes the draws; not 0, the seed a circle
// refuses because every circle without one would draw the same way) and -svg (a file to
// write a picture of the circle to: who paid what each round, who took each pot, and each
// member's net cash over time). The output is deterministic: times and seeds are fixed,
// and amounts are exact.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "lendingcircle:", err)
		os.Exit(1)
	}
}

// names returns the members' names in seat order; the first is the foreperson.
func names() []string {
	return []string{
		"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
		"ken", "laura", "mallory", "nina", "oscar", "peggy", "quinn", "rupert", "sybil", "trent",
		"ursula", "victor", "wendy", "xavier", "yuri", "zoe",
	}
}

// options are the command-line settings.
type options struct {
	members      int
	contribution token.Amount
	fee          int64 // per mille
	kind         rosca.Kind
	seed         uint64
	svg          string // the file to draw the circle in, or ""
}

func parseOptions(w io.Writer, args []string) (options, error) {
	asset := token.ETH()
	fs := flag.NewFlagSet("lendingcircle", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: lendingcircle [-members n] [-contribution eth] [-fee permille] [-kind kind] [-seed n] [-svg file]\n\n"+
			"Runs a lending circle from start to end and prints every round and the final accounts.\n\n")
		fs.PrintDefaults()
	}
	members := fs.Int("members", 5, "number of members (3 to 26)")
	contribution := fs.String("contribution", "1", "contribution per member and round, in ETH")
	fee := fs.Int64("fee", 10, "foreperson's fee in per mille (0 to 20)")
	kind := fs.String("kind", "bidding", "how winners are chosen: bidding, lottery or fixed")
	seed := fs.Uint64("seed", 2017, "seed of the draws (not 0)")
	svg := fs.String("svg", "", "also draw the circle as an SVG picture in this `file`")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	o := options{members: *members, fee: *fee, seed: *seed, svg: *svg}
	if o.members < 3 || o.members > len(names()) {
		return options{}, fmt.Errorf("-members %d: want 3 to %d", o.members, len(names()))
	}
	if o.seed == 0 {
		return options{}, errors.New("-seed 0: want a seed other than 0 (the zero seed would draw like every circle without one)")
	}
	if o.fee < 0 || o.fee > 20 {
		return options{}, fmt.Errorf("-fee %d: want 0 to 20 per mille", o.fee)
	}
	c, err := asset.Parse(*contribution)
	if err != nil {
		return options{}, fmt.Errorf("-contribution: %w", err)
	}
	o.contribution = c
	switch *kind {
	case "bidding":
		o.kind = rosca.Bidding
	case "lottery":
		o.kind = rosca.Lottery
	case "fixed", "fixed_order":
		o.kind = rosca.FixedOrder
	default:
		return options{}, fmt.Errorf("-kind %q: want bidding, lottery or fixed", *kind)
	}
	return o, nil
}

// The fixed calendar of the example: a weekly circle starting on Monday 5 January 2026.
const period = 7 * 24 * time.Hour

func start() time.Time { return time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC) }

// lateRound is the round the late payer skips; it pays two contributions in the next one.
const lateRound = 2

// bidPlan returns the bids of round r of n, in percent of the pot, in the order they are
// made: three bidders in round 1, two in round 2, none in round 3 (the pot goes by lot), two
// in the following rounds and none in the last, where a single member is left.
func bidPlan(r, n int) []uint64 {
	switch {
	case r == n || r == 3:
		return nil
	case r == 1:
		return []uint64{96, 90, 80}
	case r == 2:
		return []uint64{90, 84}
	default:
		return []uint64{76, 70}
	}
}

// newCircle makes the circle the options describe.
func newCircle(o options) (*rosca.Circle, error) {
	fee, err := token.PerMille(uint64(o.fee))
	if err != nil {
		return nil, fmt.Errorf("-fee: %w", err)
	}
	members := make([]token.Account, o.members)
	for i, name := range names()[:o.members] {
		members[i] = token.Account(name)
	}
	var seed rosca.Seed
	binary.BigEndian.PutUint64(seed[:8], o.seed)
	return rosca.New(rosca.Config{
		Asset:        token.ETH(),
		Kind:         o.kind,
		Members:      members,
		Foreperson:   members[0],
		Operator:     "platform",
		Contribution: o.contribution,
		Start:        start(),
		Period:       period,
		Epochs:       1,
		Fee:          fee,
		Rules:        rosca.WeTrustRules(),
		Seed:         seed,
	})
}

// run plays the whole circle, writes the report to w and, with -svg, draws the picture.
func run(w io.Writer, args []string) error {
	o, err := parseOptions(w, args)
	if err != nil {
		return err
	}
	c, err := newCircle(o)
	if err != nil {
		return err
	}
	members := c.Config().Members
	h := &history{late: members[len(members)-1], seed: o.seed}
	p := newPrinter(w)
	if err := printIntro(p, c, h); err != nil {
		return err
	}
	for r := 1; r <= len(members); r++ {
		rd, err := playRound(c, r, h.late)
		if err != nil {
			return err
		}
		h.rounds = append(h.rounds, rd)
		if err := printRound(p, c, h, rd); err != nil {
			return err
		}
	}
	if err := finish(p, c, h); err != nil {
		return err
	}
	if o.svg == "" {
		return nil
	}
	if err := writeSVG(o.svg, c, h); err != nil {
		return err
	}
	p.f("\nThe picture of the circle is in %s.\n", o.svg)
	return p.Err()
}
