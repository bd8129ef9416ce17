// Command lendingcircle runs a small lending circle (a ROSCA) from start to end and prints
// every round and the final accounts, so that you can see where each unit of money goes.
//
// Five friends (alice, the foreperson, bob, carol, dave and erin) each pay 1 ETH a week into a
// pot of 5 ETH, under the rules of WeTrust's lending-circle contract (rosca.WeTrustRules) with a
// fee of 10 per mille. Each week the pot goes to one member who has not had it yet: in a bidding
// circle to the member who bids to take the least, the rest of the pot (the discount) being
// shared by everybody; in a round without bids, to a seeded draw. Along the way erin pays a week
// late (she cannot bid while she is behind, and pays two contributions the next week), the
// winners withdraw what they may, and at the end everybody withdraws, the foreperson takes the
// fees and the remainder is disposed of as the rules say. The program then prints each member's
// statement (paid in, received, net) and checks that the nets add up, to the minor unit, to
// minus the fees and the remainder paid out.
//
// Run it from the repository root:
//
//	go run ./examples/lendingcircle
//	go run ./examples/lendingcircle -members 7 -contribution 0.5 -kind lottery -seed 42
//
// Flags: -members (3 to 26), -contribution (in ETH), -fee (per mille, 0 to 20),
// -kind (bidding, lottery or fixed) and -seed (the draw's seed, not 0: a circle refuses the
// zero seed, with which every circle would draw the same way). The output is deterministic:
// times and seeds are fixed, and amounts are exact.
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
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
}

func parseOptions(w io.Writer, args []string) (options, error) {
	asset := token.ETH()
	fs := flag.NewFlagSet("lendingcircle", flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: lendingcircle [-members n] [-contribution eth] [-fee permille] [-kind kind] [-seed n]\n\n"+
			"Runs a lending circle from start to end and prints every round and the final accounts.\n\n")
		fs.PrintDefaults()
	}
	members := fs.Int("members", 5, "number of members (3 to 26)")
	contribution := fs.String("contribution", "1", "contribution per member and round, in ETH")
	fee := fs.Int64("fee", 10, "foreperson's fee in per mille (0 to 20)")
	kind := fs.String("kind", "bidding", "how winners are chosen: bidding, lottery or fixed")
	seed := fs.Uint64("seed", 2017, "seed of the draws (not 0)")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	o := options{members: *members, fee: *fee, seed: *seed}
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

// lateRound is the round the late payer skips; she pays two contributions in the next one.
const lateRound = 2

// bidPlan returns the bids of round r of n, in percent of the pot, in the order they are
// made: three bidders in round 1, two in round 2, none in round 3 (the seeded draw picks the
// winner), two in the following rounds and none in the last, where a single member is left.
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

// run plays the whole circle and writes the report to w.
func run(w io.Writer, args []string) error {
	o, err := parseOptions(w, args)
	if err != nil {
		return err
	}
	asset := token.ETH()
	fee, err := token.PerMille(uint64(o.fee))
	if err != nil {
		return fmt.Errorf("-fee: %w", err)
	}
	members := make([]token.Account, o.members)
	for i, name := range names()[:o.members] {
		members[i] = token.Account(name)
	}
	var seed rosca.Seed
	binary.BigEndian.PutUint64(seed[:8], o.seed)
	cfg := rosca.Config{
		Asset:        asset,
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
	}
	c, err := rosca.New(cfg)
	if err != nil {
		return err
	}
	late := members[len(members)-1]
	p := printer{w: w}
	if err := printHeader(&p, c, o, late); err != nil {
		return err
	}
	n := len(members)
	for r := 1; r <= n; r++ {
		if err := playRound(&p, c, r, late); err != nil {
			return err
		}
	}
	return finish(&p, c)
}

// printHeader describes the circle and its rules.
func printHeader(p *printer, c *rosca.Circle, o options, late token.Account) error {
	cfg := c.Config()
	sym := cfg.Asset.Symbol()
	n := len(cfg.Members)
	pot, err := cfg.Contribution.Mul(int64(n))
	if err != nil {
		return fmt.Errorf("-contribution: %w", err)
	}
	p.f("A %s lending circle of %d members under WeTrust's rules\n", kindName(cfg.Kind), n)
	p.f("  members     %s (foreperson %s)\n", joinAccounts(cfg.Members), cfg.Foreperson)
	p.f("  each round  every member pays %s %s; the pot is %s %s\n", p.amt(cfg.Contribution), sym, p.amt(pot), sym)
	p.f("  fee         %d per mille, taken from the winnings and from the discount: RF(x) = floor(x * %d / 1000)\n",
		o.fee, 1000-o.fee)
	if cfg.Kind == rosca.Bidding {
		p.f("  bids        at least %s of the pot (%s %s); each bid at most %s of the lowest so far\n",
			cfg.Rules.MinBid, p.amt(c.Round().MinBid), sym, cfg.Rules.NextBid)
		p.f("  discount    pot - winning bid, less the fee, shared equally by all %d members\n", n)
	}
	p.f("  calendar    one round a week from %s; seed %d\n", cfg.Start.Format("Mon 2 Jan 2006"), o.seed)
	p.f("  late payer  %s skips round %d and pays two contributions in round %d\n", late, lateRound, lateRound+1)
	return p.err
}

// round is what happened in one round, gathered for its report.
type round struct {
	r        int
	payAt    time.Time
	deadline time.Time
	before   []rosca.Position // at the round's opening
	after    []rosca.Position // after the close and the winner's withdrawal
	paid     map[token.Account]token.Amount
	notes    map[token.Account][]string
	bids     map[token.Account][]string
	unpaid   []token.Account // the members who had not won when the round closed
	res      rosca.RoundResult
	took     token.Amount // what the winner withdrew right away (the zero Amount for nothing)
}

func (rd *round) note(m token.Account, s string) { rd.notes[m] = append(rd.notes[m], s) }
func (rd *round) bid(m token.Account, s string)  { rd.bids[m] = append(rd.bids[m], s) }

// playRound runs round r: contributions, bids, the close and the winner's withdrawal.
func playRound(p *printer, c *rosca.Circle, r int, late token.Account) error {
	cfg := c.Config()
	deadline := cfg.Deadline(r)
	rd := &round{
		r:        r,
		payAt:    deadline.Add(-6 * 24 * time.Hour),
		deadline: deadline,
		before:   c.Positions(),
		paid:     make(map[token.Account]token.Amount),
		notes:    make(map[token.Account][]string),
		bids:     make(map[token.Account][]string),
	}
	if err := contribute(c, cfg, rd, late); err != nil {
		return err
	}
	if cfg.Kind == rosca.Bidding {
		if err := placeBids(c, rd, late); err != nil {
			return err
		}
	}
	if err := closeRound(c, rd); err != nil {
		return err
	}
	if err := printRound(p, c, cfg, rd); err != nil {
		return err
	}
	if err := c.Audit(); err != nil {
		return fmt.Errorf("round %d: %w", r, err)
	}
	return p.err
}

// contribute has every member pay, in seat order, but for the late payer.
func contribute(c *rosca.Circle, cfg rosca.Config, rd *round, late token.Account) error {
	for _, m := range cfg.Members {
		amount := cfg.Contribution
		switch {
		case m == late && rd.r == lateRound:
			rd.note(m, "did not pay this week")
			continue
		case m == late && rd.r == lateRound+1:
			var err error
			if amount, err = amount.Mul(2); err != nil {
				return fmt.Errorf("round %d: %w", rd.r, err)
			}
			rd.note(m, "catches up: pays two rounds")
		}
		if err := c.Contribute(rd.payAt, m, amount); err != nil {
			return fmt.Errorf("round %d: %w", rd.r, err)
		}
		rd.paid[m] = amount
	}
	return nil
}

// placeBids makes the round's bids of the plan, and the late payer's refused one.
func placeBids(c *rosca.Circle, rd *round, late token.Account) error {
	bidAt := rd.deadline.Add(-2 * 24 * time.Hour)
	if rd.r == lateRound && !wonAlready(c, late) {
		if err := lateBid(c, rd, late, bidAt); err != nil {
			return err
		}
	}
	bidders := eligible(c, rd.r)
	for i, pct := range bidPlan(rd.r, len(rd.before)) {
		if i >= len(bidders) {
			break
		}
		st := c.Round()
		offer := percentOf(st.Pot, pct)
		if offer.Cmp(st.MaxBid) > 0 {
			offer = st.MaxBid
		}
		if offer.Cmp(st.MinBid) < 0 {
			break
		}
		m := bidders[i]
		if err := c.Bid(bidAt, m, offer); err != nil {
			rd.bid(m, offer.Trim(1)+" (refused)")
			rd.note(m, err.Error())
			continue
		}
		rd.bid(m, offer.Trim(1))
	}
	return nil
}

// lateBid has the late payer try to bid 92% of the pot. She is behind with her dues, so
// the circle refuses her with rosca.ErrNotInGoodStanding, the dues so far as the error's
// Limit; her credit (paid in, won and her discount share, less what she withdrew) is her
// balance before the dues and the pots she holds are withheld.
func lateBid(c *rosca.Circle, rd *round, late token.Account, at time.Time) error {
	pos, err := c.Position(late)
	if err != nil {
		return err
	}
	offer := percentOf(c.Round().Pot, 92)
	err = c.Bid(at, late, offer)
	if err == nil {
		return nil
	}
	e, ok := errors.AsType[*rosca.Error](err)
	if !ok || !errors.Is(err, rosca.ErrNotInGoodStanding) {
		return fmt.Errorf("round %d: late bid: %w", rd.r, err)
	}
	credit, err := pos.Balance.Add(pos.Due)
	if err == nil {
		credit, err = credit.Add(pos.Held)
	}
	if err != nil {
		return err
	}
	rd.bid(late, offer.Trim(1)+" (refused)")
	rd.note(late, fmt.Sprintf("bid refused: credit %s < dues %s", credit.Trim(1), e.Limit.Trim(1)))
	return nil
}

// percentOf returns pct percent of x, rounded down to the minor unit.
func percentOf(x token.Amount, pct uint64) token.Amount {
	return token.MustRatio(pct, 100).MulFloor(x)
}

// closeRound closes the round at its deadline; the winner then takes what it may.
func closeRound(c *rosca.Circle, rd *round) error {
	for _, q := range c.Positions() {
		if !q.WonThisEpoch {
			rd.unpaid = append(rd.unpaid, q.Member)
		}
	}
	res, err := c.CloseRound(rd.deadline)
	if err != nil {
		return fmt.Errorf("round %d: close: %w", rd.r, err)
	}
	rd.res = res
	got, err := c.Withdraw(rd.deadline.Add(time.Hour), res.Winner)
	switch {
	case err == nil:
		rd.took = got
	case errors.Is(err, rosca.ErrInDebt), errors.Is(err, rosca.ErrNothingToWithdraw), errors.Is(err, rosca.ErrNoCash):
		rd.note(res.Winner, "cannot withdraw yet: "+err.Error())
	default:
		return fmt.Errorf("round %d: withdraw: %w", rd.r, err)
	}
	rd.after = c.Positions()
	return nil
}

// printRound reports the round: the members' table, the notes and the figures of the close.
func printRound(p *printer, c *rosca.Circle, cfg rosca.Config, rd *round) error {
	p.f("\nRound %d of %d  (%s to %s)\n", rd.r, len(cfg.Members), rd.payAt.Format("Mon 2 Jan"), rd.deadline.Format("Mon 2 Jan 2006"))
	if err := roundTable(p, cfg.Members, rd); err != nil {
		return err
	}
	if !c.Ended() {
		p.f("  (balance: what the member may withdraw (+) or owes (-) after the close, the next round's %s counted as due)\n",
			p.amt(cfg.Contribution))
	}
	for _, m := range cfg.Members {
		for _, note := range rd.notes[m] {
			p.f("  (%s: %s)\n", m, note)
		}
	}
	return printResult(p, c, cfg, rd)
}

// roundTable prints each member's payment, bids, share of the round's discount and balance.
func roundTable(p *printer, members []token.Account, rd *round) error {
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "member\tpaid\tbids\tshare of discount\tbalance\t\n")
	for i, m := range members {
		pay := "-"
		if a, ok := rd.paid[m]; ok {
			pay = p.col(a)
		}
		b := strings.Join(rd.bids[m], ", ")
		if b == "" {
			b = "-"
		}
		share, err := rd.after[i].DiscountShare.Sub(rd.before[i].DiscountShare)
		if err != nil {
			return err
		}
		name := string(m)
		if m == rd.res.Winner {
			name = "* " + name
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", name, pay, b, p.col(share), p.col(rd.after[i].Balance))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	p.table(&table)
	return nil
}

// printResult prints the winner and the round's arithmetic.
func printResult(p *printer, c *rosca.Circle, cfg rosca.Config, rd *round) error {
	res := rd.res
	switch res.Method {
	case rosca.ByBid:
		p.f("  winner      %s, lowest bid %s of the pot of %s\n", res.Winner, p.amt(res.Bid), p.amt(res.Pot))
	case rosca.ByDraw:
		if res.Candidates == 1 {
			p.f("  winner      %s, the only member left (no bid); takes the whole pot of %s\n", res.Winner, p.amt(res.Pot))
		} else {
			p.f("  winner      %s, drawn (no bid) among the %d members who have not won (%s), the seeded draw starting at position %d; takes the whole pot of %s\n",
				res.Winner, res.Candidates, joinAccounts(rd.unpaid), res.DrawStart, p.amt(res.Pot))
		}
	case rosca.BySeat:
		p.f("  winner      %s, by seat order; takes the whole pot of %s\n", res.Winner, p.amt(res.Pot))
	}
	rest, err := res.Pot.Sub(res.Bid)
	if err != nil {
		return err
	}
	p.f("  winnings    RF(%s) = %s credited to %s\n", p.amt(res.Bid), p.amt(res.Winnings), res.Winner)
	p.f("  discount    RF(%s) = %s shared by %d: %s each\n",
		p.amt(rest), p.amt(res.Discount), len(cfg.Members), p.amt(res.ShareEach))
	p.f("  fee         %s (fees reserved so far %s)\n", p.amt(res.Fee), p.amt(res.FeesReserved))
	if un := c.Totals().FeesUnearned; un.Sign() > 0 {
		p.f("              %s of the fees withheld is not earned yet: no fee is charged on dues not paid\n", p.amt(un))
	}
	p.f("  remainder   %s (rounding dust %s, division remainder %s), to the %s\n",
		p.amt(res.Remainder), p.amt(res.Dust), p.amt(res.DivisionRemainder), remainderTo(res.RemainderTo))
	switch {
	case rd.took.Sign() > 0 && !c.Ended():
		p.f("  withdrawal  %s takes %s %s (the next round's contribution stays in)\n",
			res.Winner, p.amt(rd.took), cfg.Asset.Symbol())
	case rd.took.Sign() > 0:
		p.f("  withdrawal  %s takes %s %s\n", res.Winner, p.amt(rd.took), cfg.Asset.Symbol())
	}
	return nil
}

// finish runs the end of the circle: every withdrawal, the fees, the remainder, and the
// statements and the zero-sum check.
func finish(p *printer, c *rosca.Circle) error {
	cfg := c.Config()
	if !c.Ended() {
		return errors.New("the circle did not end")
	}
	feesPaid, err := settle(p, c, cfg)
	if err != nil {
		return err
	}
	sum, err := statements(p, c, cfg, feesPaid)
	if err != nil {
		return err
	}
	return addsUp(p, c, cfg, sum)
}

// settle makes the final withdrawals, the fee retrieval and the remainder's disposal, and
// returns the fees paid.
func settle(p *printer, c *rosca.Circle, cfg rosca.Config) (token.Amount, error) {
	sym := cfg.Asset.Symbol()
	end := cfg.Deadline(cfg.Rounds()).Add(24 * time.Hour)
	p.f("\nEnd of the circle (%s)\n", end.Format("Mon 2 Jan 2006"))
	for _, m := range cfg.Members {
		got, err := c.Withdraw(end, m)
		switch {
		case err == nil:
			p.f("  %-8s withdraws %s %s\n", m, p.amt(got), sym)
		case errors.Is(err, rosca.ErrNothingToWithdraw):
			p.f("  %-8s has nothing left to withdraw\n", m)
		default:
			return token.Amount{}, fmt.Errorf("final withdrawal of %s: %w", m, err)
		}
	}
	feesPaid, err := c.RetrieveFees(end, cfg.Foreperson)
	switch {
	case err == nil:
		p.f("  %-8s (foreperson) retrieves the fees: %s %s\n", cfg.Foreperson, p.amt(feesPaid), sym)
	case errors.Is(err, rosca.ErrNothingToPay):
		p.f("  no fees to retrieve\n")
	default:
		return token.Amount{}, fmt.Errorf("retrieve fees: %w", err)
	}
	rem, to, err := c.DisposeRemainder(end, cfg.Foreperson)
	switch {
	case err == nil:
		p.f("  the rounding remainder, %s %s, goes to %s (remainder policy %q)\n", p.amt(rem), sym, to, cfg.Rules.Remainder)
	case errors.Is(err, rosca.ErrNothingToPay) && c.Totals().Remainder.IsZero():
		p.f("  no rounding remainder to dispose of: every division was exact\n")
	default:
		return token.Amount{}, fmt.Errorf("dispose remainder: %w", err)
	}
	return feesPaid, nil
}

// statements prints each member's statement (paid in, received, net) and returns the sum
// of the nets.
func statements(p *printer, c *rosca.Circle, cfg rosca.Config, feesPaid token.Amount) (token.Amount, error) {
	sym := cfg.Asset.Symbol()
	p.f("\nStatements (%s)\n", sym)
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "member\twon round\tbid or pot\tpaid in\treceived\tnet\t\n")
	won := make(map[token.Account]rosca.RoundResult)
	for _, res := range c.Rounds() {
		won[res.Winner] = res
	}
	sum := cfg.Asset.Zero()
	for _, pos := range c.Positions() {
		net, err := pos.Withdrawn.Sub(pos.Contributed)
		if err == nil {
			sum, err = sum.Add(net)
		}
		if err != nil {
			return token.Amount{}, err
		}
		res := won[pos.Member]
		how := fmt.Sprintf("%d", res.Round)
		switch res.Method {
		case rosca.ByBid:
			how += " (bid)"
		case rosca.ByDraw:
			how += " (draw)"
		case rosca.BySeat:
			how += " (seat)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", pos.Member, how, p.col(res.Bid),
			p.col(pos.Contributed), p.col(pos.Withdrawn), p.col(net))
	}
	tot := c.Totals()
	fmt.Fprintf(tw, "total\t\t\t%s\t%s\t%s\t\n", p.col(tot.Contributions), p.col(tot.Withdrawals), p.col(sum))
	if err := tw.Flush(); err != nil {
		return token.Amount{}, err
	}
	p.table(&table)
	if feesPaid.Sign() > 0 {
		p.f("  (%s, the foreperson, also received the fees, %s %s)\n", cfg.Foreperson, p.amt(feesPaid), sym)
	}
	return sum, nil
}

// addsUp checks and prints the zero-sum identity, to the minor unit: the members' nets
// sum to minus the fees and the remainder paid out, and no cash is left.
func addsUp(p *printer, c *rosca.Circle, cfg rosca.Config, sum token.Amount) error {
	sym := cfg.Asset.Symbol()
	tot := c.Totals()
	outflow, err := tot.FeesPaid.Add(tot.RemainderPaid)
	if err == nil {
		outflow, err = outflow.Add(tot.Cash)
	}
	if err != nil {
		return err
	}
	p.f("\nDoes it add up?\n")
	p.f("  sum of the members' nets          %s\n", p.amt(sum))
	p.f("  fees paid to the foreperson       %s\n", p.amt(tot.FeesPaid))
	p.f("  remainder disposed                %s\n", p.amt(tot.RemainderPaid))
	p.f("  cash left in the circle           %s\n", p.amt(tot.Cash))
	if err := c.Audit(); err != nil {
		return err
	}
	if !sum.Neg().Equal(outflow) || tot.Cash.Sign() != 0 {
		return fmt.Errorf("the circle does not add up: sum of nets %s, fees + remainder + cash %s, cash %s",
			sum, outflow, tot.Cash)
	}
	p.f("  sum of nets = -(fees + remainder disposed) = %s %s, exact to the minor unit (%s %s); Audit: ok\n",
		sum.Number(), sym, cfg.Asset.MinorUnit().Number(), sym)
	return p.err
}

// eligible returns the members who may bid in round r (not won yet, in good standing),
// in seat order starting from seat r mod n, so that different members lead each round.
func eligible(c *rosca.Circle, r int) []token.Account {
	pos := c.Positions()
	n := len(pos)
	var out []token.Account
	for i := range n {
		q := pos[(r+i)%n]
		if !q.WonThisEpoch && q.GoodStanding {
			out = append(out, q.Member)
		}
	}
	return out
}

func wonAlready(c *rosca.Circle, m token.Account) bool {
	pos, err := c.Position(m)
	return err == nil && pos.WonThisEpoch
}

func kindName(k rosca.Kind) string {
	switch k {
	case rosca.Lottery:
		return "lottery"
	case rosca.FixedOrder:
		return "fixed-order"
	}
	return "bidding"
}

func remainderTo(t rosca.RemainderTo) string {
	switch t {
	case rosca.ToNextRound:
		return "next round"
	case rosca.ToWinner:
		return "winner"
	}
	return "remainder bucket (for the end)"
}

func joinAccounts(as []token.Account) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = string(a)
	}
	return strings.Join(s, ", ")
}

// printer writes formatted lines and keeps the first write error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, a ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.w, format, a...)
}

// table writes a flushed table without the spaces at the ends of its lines.
func (p *printer) table(b *bytes.Buffer) {
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if line == "" {
			continue
		}
		p.f("%s\n", strings.TrimRight(line, " \n"))
	}
}

// amt formats an exact amount for people (token.Amount.Trim): trailing zeros dropped, at
// least one decimal kept, no other digit ever dropped (0.356400000000000001 prints in full).
func (p *printer) amt(x token.Amount) string { return x.Trim(1) }

// col formats an exact amount for a right-aligned table column: amt padded with spaces to
// six decimals, so that decimal points line up (longer amounts stick out, in full).
func (p *printer) col(x token.Amount) string {
	const shown = 6
	s := p.amt(x)
	dot := strings.IndexByte(s, '.')
	if dot < 0 || len(s)-dot-1 >= shown {
		return s
	}
	return s + strings.Repeat(" ", shown-(len(s)-dot-1))
}
