package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// history is what happened in the circle, kept for the report and the picture.
type history struct {
	late   token.Account // the member who pays a round late
	seed   uint64
	rounds []*round
	end    ending
}

// ending is the end of the circle: the final withdrawals, the fees and the remainder.
type ending struct {
	at        time.Time
	withdrawn map[token.Account]token.Amount // the final withdrawals (absent: nothing left)
	fees      token.Amount                   // the fees paid to the foreperson (zero: none)
	remainder token.Amount                   // the rounding remainder disposed of (zero: none)
	remTo     token.Account
	positions []rosca.Position // after everything
}

// bid is one bid of a round.
type bid struct {
	offer   token.Amount
	refused bool
}

// round is what happened in one round, gathered for its report.
type round struct {
	r         int
	payAt     time.Time
	deadline  time.Time
	before    []rosca.Position // at the round's opening
	closed    []rosca.Position // just after the close, before the winner's withdrawal
	after     []rosca.Position // after the close and the winner's withdrawal
	paid      map[token.Account]token.Amount
	bids      map[token.Account][]bid
	refusal   *refusal        // the late payer's refused bid, if any
	notes     []string        // other bids refused, in sentences
	unpaid    []token.Account // the members who had not had the pot when the round closed
	res       rosca.RoundResult
	totals    rosca.Totals // just after the close
	remBefore token.Amount // the rounding remainder kept before the close
	took      token.Amount // what the winner withdrew at once (zero: nothing)
	tookErr   error        // why the winner could not withdraw at once, if it could not
}

// refusal is a bid refused because the bidder is behind with its dues.
type refusal struct {
	who    token.Account
	offer  token.Amount
	pos    rosca.Position // the bidder's position when it bid
	credit token.Amount   // what it has: its balance before the dues and the pots it holds
	dues   token.Amount   // the dues so far, the error's Limit
}

// playRound runs round r: contributions, bids, the close and the winner's withdrawal, and
// checks the circle's books after it.
func playRound(c *rosca.Circle, r int, late token.Account) (*round, error) {
	cfg := c.Config()
	deadline := cfg.Deadline(r)
	rd := &round{
		r:        r,
		payAt:    deadline.Add(-6 * 24 * time.Hour),
		deadline: deadline,
		before:   c.Positions(),
		paid:     make(map[token.Account]token.Amount),
		bids:     make(map[token.Account][]bid),
	}
	if err := contribute(c, cfg, rd, late); err != nil {
		return nil, err
	}
	if cfg.Kind == rosca.Bidding {
		if err := placeBids(c, rd, late); err != nil {
			return nil, err
		}
	}
	if err := closeRound(c, rd); err != nil {
		return nil, err
	}
	if err := c.Audit(); err != nil {
		return nil, fmt.Errorf("round %d: %w", r, err)
	}
	return rd, nil
}

// contribute has every member pay, in seat order, but for the late payer, who skips
// lateRound and pays for two rounds in the next.
func contribute(c *rosca.Circle, cfg rosca.Config, rd *round, late token.Account) error {
	for _, m := range cfg.Members {
		amount := cfg.Contribution
		switch {
		case m == late && rd.r == lateRound:
			continue
		case m == late && rd.r == lateRound+1:
			var err error
			if amount, err = amount.Mul(2); err != nil {
				return fmt.Errorf("round %d: %w", rd.r, err)
			}
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
			rd.bids[m] = append(rd.bids[m], bid{offer: offer, refused: true})
			rd.notes = append(rd.notes, fmt.Sprintf("%s's bid of %s is refused: %v.", m, amt(offer), err))
			continue
		}
		rd.bids[m] = append(rd.bids[m], bid{offer: offer})
	}
	return nil
}

// lateBid has the late payer try to bid 92% of the pot. It is behind with its dues, so the
// circle refuses it with rosca.ErrNotInGoodStanding, the dues so far as the error's Limit;
// its credit (paid in, won and its discount share, less what it withdrew) is its balance
// before the dues and the pots it holds are withheld.
func lateBid(c *rosca.Circle, rd *round, late token.Account, at time.Time) error {
	pos, err := c.Position(late)
	if err != nil {
		return err
	}
	offer := percentOf(c.Round().Pot, 92)
	err = c.Bid(at, late, offer)
	if err == nil {
		rd.bids[late] = append(rd.bids[late], bid{offer: offer})
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
	rd.bids[late] = append(rd.bids[late], bid{offer: offer, refused: true})
	rd.refusal = &refusal{who: late, offer: offer, pos: pos, credit: credit, dues: e.Limit}
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
	rd.remBefore = c.Totals().Remainder
	res, err := c.CloseRound(rd.deadline)
	if err != nil {
		return fmt.Errorf("round %d: close: %w", rd.r, err)
	}
	rd.res, rd.totals, rd.closed = res, c.Totals(), c.Positions()
	got, err := c.Withdraw(rd.deadline.Add(time.Hour), res.Winner)
	switch {
	case err == nil:
		rd.took = got
	case errors.Is(err, rosca.ErrInDebt), errors.Is(err, rosca.ErrNothingToWithdraw), errors.Is(err, rosca.ErrNoCash):
		rd.tookErr = err
	default:
		return fmt.Errorf("round %d: withdraw: %w", rd.r, err)
	}
	rd.after = c.Positions()
	return nil
}

// settle makes the final withdrawals, the fee retrieval and the remainder's disposal.
func settle(c *rosca.Circle, h *history) error {
	cfg := c.Config()
	e := &h.end
	e.at = cfg.Deadline(cfg.Rounds()).Add(24 * time.Hour)
	e.withdrawn = make(map[token.Account]token.Amount)
	for _, m := range cfg.Members {
		got, err := c.Withdraw(e.at, m)
		switch {
		case err == nil:
			e.withdrawn[m] = got
		case errors.Is(err, rosca.ErrNothingToWithdraw):
		default:
			return fmt.Errorf("final withdrawal of %s: %w", m, err)
		}
	}
	e.fees, e.remainder = cfg.Asset.Zero(), cfg.Asset.Zero()
	fees, err := c.RetrieveFees(e.at, cfg.Foreperson)
	switch {
	case err == nil:
		e.fees = fees
	case errors.Is(err, rosca.ErrNothingToPay):
	default:
		return fmt.Errorf("retrieve fees: %w", err)
	}
	rem, to, err := c.DisposeRemainder(e.at, cfg.Foreperson)
	switch {
	case err == nil:
		e.remainder, e.remTo = rem, to
	case errors.Is(err, rosca.ErrNothingToPay) && c.Totals().Remainder.IsZero():
	default:
		return fmt.Errorf("dispose remainder: %w", err)
	}
	e.positions = c.Positions()
	return c.Audit()
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

// seat returns m's index in the positions, or -1.
func seat(pos []rosca.Position, m token.Account) int {
	for i, q := range pos {
		if q.Member == m {
			return i
		}
	}
	return -1
}
