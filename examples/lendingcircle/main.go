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
// -kind (bidding, lottery or fixed) and -seed (the draw's seed). The output is deterministic:
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
	members := fs.Int("members", 5, "number of members (3 to 26)")
	contribution := fs.String("contribution", "1", "contribution per member and round, in ETH")
	fee := fs.Int64("fee", 10, "foreperson's fee in per mille (0 to 20)")
	kind := fs.String("kind", "bidding", "how winners are chosen: bidding, lottery or fixed")
	seed := fs.Uint64("seed", 2017, "seed of the draws")
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
func bidPlan(r, n int) []int64 {
	switch {
	case r == n || r == 3:
		return nil
	case r == 1:
		return []int64{96, 90, 80}
	case r == 2:
		return []int64{90, 84}
	default:
		return []int64{76, 70}
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
	p := printer{w: w, asset: asset}
	n := len(members)
	pot, err := o.contribution.Mul(int64(n))
	if err != nil {
		return fmt.Errorf("-contribution: %w", err)
	}

	p.f("A %s lending circle of %d members under WeTrust's rules\n", kindName(o.kind), n)
	p.f("  members     %s (foreperson %s)\n", joinAccounts(members), members[0])
	p.f("  each round  every member pays %s %s; the pot is %s %s\n",
		p.amt(o.contribution), asset.Symbol(), p.amt(pot), asset.Symbol())
	p.f("  fee         %d per mille, taken from the winnings and from the discount: RF(x) = floor(x * %d / 1000)\n",
		o.fee, 1000-o.fee)
	if o.kind == rosca.Bidding {
		p.f("  bids        at least 65%% of the pot (%s %s); each bid at most 98%% of the lowest so far\n",
			p.amt(c.Round().MinBid), asset.Symbol())
		p.f("  discount    pot - winning bid, less the fee, shared equally by all %d members\n", n)
	}
	p.f("  calendar    one round a week from %s; seed %d\n", start().Format("Mon 2 Jan 2006"), o.seed)
	p.f("  late payer  %s skips round %d and pays two contributions in round %d\n", late, lateRound, lateRound+1)

	for r := 1; r <= n; r++ {
		if err := playRound(&p, c, r, late); err != nil {
			return err
		}
	}
	return finish(&p, c)
}

// playRound runs round r: contributions, bids, the close and the winner's withdrawal.
func playRound(p *printer, c *rosca.Circle, r int, late token.Account) error {
	cfg := c.Config()
	n := len(cfg.Members)
	deadline := cfg.Deadline(r)
	payAt := deadline.Add(-6 * 24 * time.Hour)
	bidAt := deadline.Add(-2 * 24 * time.Hour)
	before := c.Positions()
	paid := make(map[token.Account]decimal.Decimal)
	notes := make(map[token.Account][]string)
	bids := make(map[token.Account][]string)

	// Contributions, in seat order.
	for _, m := range cfg.Members {
		amount := cfg.Contribution
		switch {
		case m == late && r == lateRound:
			notes[m] = append(notes[m], "did not pay this week")
			continue
		case m == late && r == lateRound+1:
			amount = amount.Mul(decimal.NewFromInt(2))
			notes[m] = append(notes[m], "catches up: pays two rounds")
		}
		if err := c.Contribute(payAt, m, amount); err != nil {
			return fmt.Errorf("round %d: %w", r, err)
		}
		paid[m] = amount
	}

	// Bids.
	if cfg.Kind == rosca.Bidding {
		if r == lateRound && !wonAlready(c, late) {
			// The late payer tries to bid and is refused: she is behind with her dues.
			offer := c.Round().Pot.Mul(decimal.New(92, -2)).Truncate(int32(cfg.Asset.Decimals()))
			err := c.Bid(bidAt, late, offer)
			var be *rosca.BidError
			if errors.As(err, &be) && errors.Is(err, rosca.ErrNotInGoodStanding) {
				bids[late] = append(bids[late], p.amt(offer)+" (refused)")
				notes[late] = append(notes[late], fmt.Sprintf("bid refused: credit %s < dues %s",
					p.amt(be.Credit), p.amt(be.Limit)))
			} else if err != nil {
				return fmt.Errorf("round %d: late bid: %w", r, err)
			}
		}
		plan := bidPlan(r, n)
		bidders := eligible(c, r)
		for i, pct := range plan {
			if i >= len(bidders) {
				break
			}
			st := c.Round()
			offer := st.Pot.Mul(decimal.New(pct, -2)).Truncate(int32(cfg.Asset.Decimals()))
			if offer.Cmp(st.MaxBid) > 0 {
				offer = st.MaxBid
			}
			if offer.Cmp(st.MinBid) < 0 {
				break
			}
			m := bidders[i]
			if err := c.Bid(bidAt, m, offer); err != nil {
				bids[m] = append(bids[m], p.amt(offer)+" (refused)")
				notes[m] = append(notes[m], err.Error())
				continue
			}
			bids[m] = append(bids[m], p.amt(offer))
		}
	}

	var unpaid []token.Account
	for _, q := range c.Positions() {
		if !q.WonThisEpoch {
			unpaid = append(unpaid, q.Member)
		}
	}
	res, err := c.CloseRound(deadline)
	if err != nil {
		return fmt.Errorf("round %d: close: %w", r, err)
	}
	after := c.Positions()

	// The winner takes what it may right away.
	var took decimal.Decimal
	got, err := c.Withdraw(deadline.Add(time.Hour), res.Winner)
	switch {
	case err == nil:
		took = got
	case errors.Is(err, rosca.ErrInDebt), errors.Is(err, rosca.ErrNothingToWithdraw), errors.Is(err, rosca.ErrNoCash):
		notes[res.Winner] = append(notes[res.Winner], "cannot withdraw yet: "+err.Error())
	default:
		return fmt.Errorf("round %d: withdraw: %w", r, err)
	}
	if took.Sign() > 0 {
		after = c.Positions()
	}

	p.f("\nRound %d of %d  (%s to %s)\n", r, n, payAt.Format("Mon 2 Jan"), deadline.Format("Mon 2 Jan 2006"))
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "member\tpaid\tbids\tshare of discount\tbalance\t\n")
	for i, m := range cfg.Members {
		pay := "-"
		if a, ok := paid[m]; ok {
			pay = p.col(a)
		}
		b := strings.Join(bids[m], ", ")
		if b == "" {
			b = "-"
		}
		share := after[i].DiscountShare.Sub(before[i].DiscountShare)
		name := string(m)
		if m == res.Winner {
			name = "* " + name
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", name, pay, b, p.col(share), p.col(after[i].Balance))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	p.table(&table)
	if !c.Ended() {
		p.f("  (balance: what the member may withdraw (+) or owes (-) after the close, the next round's %s counted as due)\n",
			p.amt(cfg.Contribution))
	}
	for _, m := range cfg.Members {
		for _, note := range notes[m] {
			p.f("  (%s: %s)\n", m, note)
		}
	}
	switch res.Method {
	case rosca.ByBid:
		p.f("  winner      %s, lowest bid %s of the pot of %s\n", res.Winner, p.amt(res.Bid), p.amt(res.Pot))
	case rosca.ByDraw:
		if res.Candidates == 1 {
			p.f("  winner      %s, the only member left (no bid); takes the whole pot of %s\n", res.Winner, p.amt(res.Pot))
		} else {
			p.f("  winner      %s, drawn (no bid) among the %d members who have not won (%s), the seeded draw starting at position %d; takes the whole pot of %s\n",
				res.Winner, res.Candidates, joinAccounts(unpaid), res.DrawStart, p.amt(res.Pot))
		}
	case rosca.BySeat:
		p.f("  winner      %s, by seat order; takes the whole pot of %s\n", res.Winner, p.amt(res.Pot))
	}
	p.f("  winnings    RF(%s) = %s credited to %s\n", p.amt(res.Bid), p.amt(res.Winnings), res.Winner)
	p.f("  discount    RF(%s) = %s shared by %d: %s each\n",
		p.amt(res.Pot.Sub(res.Bid)), p.amt(res.Discount), n, p.amt(res.ShareEach))
	p.f("  fee         %s (fees reserved so far %s)\n", p.amt(res.Fee), p.amt(res.FeesReserved))
	if un := c.Totals().FeesUnearned; un.Sign() > 0 {
		p.f("              %s of the fees withheld is not earned yet: no fee is charged on dues not paid\n", p.amt(un))
	}
	p.f("  remainder   %s (rounding dust %s, division remainder %s), to the %s\n",
		p.amt(res.Remainder), p.amt(res.Dust), p.amt(res.DivisionRemainder), remainderTo(res.RemainderTo))
	switch {
	case took.Sign() > 0 && !c.Ended():
		p.f("  withdrawal  %s takes %s %s (the next round's contribution stays in)\n",
			res.Winner, p.amt(took), cfg.Asset.Symbol())
	case took.Sign() > 0:
		p.f("  withdrawal  %s takes %s %s\n", res.Winner, p.amt(took), cfg.Asset.Symbol())
	}
	if err := c.Audit(); err != nil {
		return fmt.Errorf("round %d: %w", r, err)
	}
	return p.err
}

// finish runs the end of the circle: every withdrawal, the fees, the remainder, and the
// statements and the zero-sum check.
func finish(p *printer, c *rosca.Circle) error {
	cfg := c.Config()
	sym := cfg.Asset.Symbol()
	if !c.Ended() {
		return errors.New("the circle did not end")
	}
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
			return fmt.Errorf("final withdrawal of %s: %w", m, err)
		}
	}
	feesPaid, err := c.RetrieveFees(end, cfg.Foreperson)
	switch {
	case err == nil:
		p.f("  %-8s (foreperson) retrieves the fees: %s %s\n", cfg.Foreperson, p.amt(feesPaid), sym)
	case errors.Is(err, rosca.ErrNothingToPay):
		p.f("  no fees to retrieve\n")
	default:
		return fmt.Errorf("retrieve fees: %w", err)
	}
	rem, to, err := c.DisposeRemainder(end, cfg.Foreperson)
	switch {
	case err == nil:
		p.f("  the rounding remainder, %s %s, goes to %s (remainder policy %q)\n", p.amt(rem), sym, to, cfg.Rules.Remainder)
	case errors.Is(err, rosca.ErrNothingToPay) && c.Totals().Remainder.IsZero():
		p.f("  no rounding remainder to dispose of: every division was exact\n")
	default:
		return fmt.Errorf("dispose remainder: %w", err)
	}

	// Statements.
	p.f("\nStatements (%s)\n", sym)
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "member\twon round\tbid or pot\tpaid in\treceived\tnet\t\n")
	won := make(map[token.Account]rosca.RoundResult)
	for _, res := range c.Rounds() {
		won[res.Winner] = res
	}
	sum := decimal.Zero
	for _, pos := range c.Positions() {
		net := pos.Withdrawn.Sub(pos.Contributed)
		sum = sum.Add(net)
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
	fmt.Fprintf(tw, "total\t\t\t%s\t%s\t%s\t\n", p.col(c.Totals().Contributions), p.col(c.Totals().Withdrawals), p.col(sum))
	if err := tw.Flush(); err != nil {
		return err
	}
	p.table(&table)
	if feesPaid.Sign() > 0 {
		p.f("  (%s, the foreperson, also received the fees, %s %s)\n", cfg.Foreperson, p.amt(feesPaid), sym)
	}

	// The zero-sum identity, to the minor unit.
	tot := c.Totals()
	outflow := tot.FeesPaid.Add(tot.RemainderPaid)
	p.f("\nDoes it add up?\n")
	p.f("  sum of the members' nets          %s\n", p.amt(sum))
	p.f("  fees paid to the foreperson       %s\n", p.amt(tot.FeesPaid))
	p.f("  remainder disposed                %s\n", p.amt(tot.RemainderPaid))
	p.f("  cash left in the circle           %s\n", p.amt(tot.Cash))
	if err := c.Audit(); err != nil {
		return err
	}
	if !sum.Neg().Equal(outflow.Add(tot.Cash)) || tot.Cash.Sign() != 0 {
		return fmt.Errorf("the circle does not add up: sum of nets %s, fees + remainder %s, cash %s",
			sum, outflow, tot.Cash)
	}
	p.f("  sum of nets = -(fees + remainder disposed) = %s %s, exact to the minor unit (%s %s); Audit: ok\n",
		cfg.Asset.Format(sum), sym, cfg.Asset.Format(cfg.Asset.MinorUnit()), sym)
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
	w     io.Writer
	asset token.Asset
	err   error
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

// amt formats an exact amount in text with token.Asset.FormatTrim: trailing zeros dropped,
// at least one decimal kept, no other digit ever dropped (0.356400000000000001 prints in full).
func (p *printer) amt(d decimal.Decimal) string {
	return p.asset.FormatTrim(d, 1)
}

// col formats an exact amount for a right-aligned table column: amt padded with spaces to
// six decimals, so that decimal points line up (longer amounts stick out, in full).
func (p *printer) col(d decimal.Decimal) string {
	const shown = 6
	s := p.amt(d)
	dot := strings.IndexByte(s, '.')
	if dot < 0 || len(s)-dot-1 >= shown {
		return s
	}
	return s + strings.Repeat(" ", shown-(len(s)-dot-1))
}
