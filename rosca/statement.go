package rosca

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/trustcircle/trustcircle/internal/wire"
	"github.com/trustcircle/trustcircle/token"
)

// LineKind names what a [StatementLine] records. Kinds are snake_case; a statement may
// carry kinds added in later versions, so a reader should show an unknown kind by its
// name rather than refuse it.
type LineKind string

// The kinds of statement lines, with the sign of their amount.
const (
	// LineDue is the open round's contribution C, withheld from the balance when the round
	// opens (negative): round 1's at the start (sequence number 0), round r+1's at the
	// close of round r.
	LineDue LineKind = "due"
	// LineContribution is a payment into the circle (positive).
	LineContribution LineKind = "contribution"
	// LineWinnings is a round won: the bid taken from the pot, or the whole pot without a
	// bid, before the fee (positive).
	LineWinnings LineKind = "winnings"
	// LineFee is the foreperson's fee on the winnings, the bid less RF(bid) (negative).
	LineFee LineKind = "fee"
	// LinePlatformFee is the platform's fee taken from the winnings,
	// [RoundResult.PlatformFee] (negative).
	LinePlatformFee LineKind = "platform_fee"
	// LineRemainder is a round's rounding remainder credited to its winner, under
	// [RemainderToWinner] (positive).
	LineRemainder LineKind = "remainder"
	// LineDiscountShare is what a round's close added to the member's discount share
	// (positive), out of the discount after the fee, RF(P - bid). Under [ShareAll] it is
	// the increase of floor(pool / n).
	LineDiscountShare LineKind = "discount_share"
	// LineHeld is a pot won through the delinquent draw, held from the balance while the
	// member owes dues (negative).
	LineHeld LineKind = "held"
	// LineReleased is held pots released, at the contribution that clears the debt or at
	// the last close (positive).
	LineReleased LineKind = "released"
	// LineDueReleased is the open round's contribution given back to the balance when an
	// emergency halt abandons the round (positive).
	LineDueReleased LineKind = "due_released"
	// LineWithdrawal is a payment out of the circle to the member (negative).
	LineWithdrawal LineKind = "withdrawal"
	// LineSettlement is the emergency settlement's payment to the member (negative).
	LineSettlement LineKind = "settlement"
	// LineLoss is the part of the member's claim written off at the end to cover what
	// defaulters never paid, as the rules' [LossPolicy] allocates it (negative).
	LineLoss LineKind = "loss"
	// LineLossRestored is a part of a written-off claim given back by a debtor's catch-up
	// payment after the end (positive), as [Circle.Contribute] restores it.
	LineLossRestored LineKind = "loss_restored"
	// LineCollateralApplied is the member's collateral applied to what it owes (positive):
	// its payment, counted in its contributions.
	LineCollateralApplied LineKind = "collateral_applied"
	// LineGuarantorPaid is a guarantor's payment for the member (positive), counted in
	// its contributions.
	LineGuarantorPaid LineKind = "guarantor_paid"
	// LineRecovered is what a recovery from the member credits it (positive): the funds
	// recovered, less the bounty when they pay it; counted in its contributions.
	LineRecovered LineKind = "recovered"
	// LineDueAccelerated is the member's future dues to the end of the epoch demanded at
	// once (negative).
	LineDueAccelerated LineKind = "due_accelerated"
	// LineDeduction is a substituted member's deduction credited to the foreperson
	// (positive), counted in its winnings.
	LineDeduction LineKind = "deduction"
	// LineInterest is, under [BidInterestExternal], the interests of the members who won
	// before the member in the epoch, credited with its pot (positive), counted in its
	// winnings.
	LineInterest LineKind = "interest"
	// LineLateFee is a late fee charged to the member at a close (negative).
	LineLateFee LineKind = "late_fee"
	// LineLateFeeReceived is the member's part of a late fee another member paid
	// (positive), counted in its winnings.
	LineLateFeeReceived LineKind = "late_fee_received"
)

// StatementLine is one movement of a member's money with the circle: the event it comes
// from (Seq, 0 for round 1's due, which the circle withholds from its start), the round
// (the open round when the event came; for a due, the round it is for) and its epoch,
// the time, the kind, the signed amount and the running balance after it. The zero
// StatementLine moves nothing.
type StatementLine struct {
	Seq     uint64       `json:"seq"`
	Round   int          `json:"round"`
	Epoch   int          `json:"epoch"`
	At      time.Time    `json:"at"`
	Kind    LineKind     `json:"kind"`
	Amount  token.Amount `json:"amount"`
	Balance token.Amount `json:"balance"`
}

// StatementTotals are a statement's sums, the figures of the member's [Position]:
// Balance = Contributed - Withdrawn + Won + DiscountShare - Due - Held - Loss, and Balance
// is the last line's running balance. Won is net of Fees and PlatformFees: the winnings
// lines less the fee and platform fee lines plus the remainder lines. PlatformFees and
// Loss are the zero Amount when there is none (as Loss in Position). The zero
// StatementTotals hold no amounts.
type StatementTotals struct {
	Contributed   token.Amount `json:"contributed"`
	Withdrawn     token.Amount `json:"withdrawn"`
	Won           token.Amount `json:"won"`
	Fees          token.Amount `json:"fees"`
	PlatformFees  token.Amount `json:"platform_fees,omitzero"`
	DiscountShare token.Amount `json:"discount_share"`
	Due           token.Amount `json:"due"`
	Held          token.Amount `json:"held"`
	Loss          token.Amount `json:"loss,omitzero"`
	Balance       token.Amount `json:"balance"`
}

// StatementVersion is the version of a [Statement]'s JSON, its "v".
const StatementVersion = 1

// Statement is a member's account with the circle, line by line: every movement of its
// money, oldest first, with the running balance, and the totals. It covers the events up
// to LastSeq. A debtor's catch-up payment after the end is a contribution line on its
// statement, and the claims it restores are loss_restored lines on their holders'.
// Payments the foreperson receives as such (fees retrieved, the remainder disposed of)
// are not part of its member account and are not on its statement. The zero Statement
// is no member's.
type Statement struct {
	Member  token.Account   `json:"member"`
	Seat    int             `json:"seat"`
	Asset   token.Asset     `json:"asset"`
	LastSeq uint64          `json:"last_seq"`
	Lines   []StatementLine `json:"lines"`
	Totals  StatementTotals `json:"totals"`
}

// Statement returns member's statement: one pass over the event log, so its cost is
// proportional to the circle's events, and it allocates only the lines. Its totals are
// the member's [Position] figures exactly. The error is an [*Error] wrapping
// [ErrUninitialized] (the zero Circle) or [ErrNotMember].
func (c *Circle) Statement(member token.Account) (Statement, error) {
	if c.terms == nil {
		return Statement{}, uninitialized("Statement")
	}
	i, ok := c.seatOf(member)
	if !ok {
		return Statement{}, &Error{Op: "Statement", Account: member, Err: ErrNotMember}
	}
	b := stmtBuilder{c: c, seat: i, t: c.terms}
	b.lines = make([]StatementLine, 0, 3*len(c.closed)+8) // a due, a payment and a share a round
	b.build()
	return Statement{Member: member, Seat: i, Asset: c.terms.asset, LastSeq: uint64(c.log.n), Lines: b.lines, Totals: b.totals()}, nil
}

// stmtBuilder follows one member's figures through the log, as the circle computed them.
// The running balance is the lines' credits less their debits; the figures are the
// member's records (as in [member]), from which the debt's clearing is decided.
type stmtBuilder struct {
	c     *Circle
	t     *terms
	seat  int
	lines []StatementLine

	credit, debit                                                       units // the lines' sums
	contributed, withdrawn, won, fees, platform, share, due, held, lost units
	debtPots, wonEpoch, closes                                          int
	pool                                                                units   // ShareAll: the pool so far
	accel                                                               units   // the dues since an acceleration (see dueOf)
	late                                                                units   // late fees charged to the member
	extra, interest                                                     units   // BidInterestExternal: its closed interests due, its interest in the epoch
	lateOwed                                                            []units // every seat's late fees not yet paid (nil without late fees)

	// After the end: the claims written off, every member's, then the foreperson's fee
	// line's and the platform's, which catch-up payments restore.
	ended   bool
	written []units
}

// line appends a line of x, a debit when neg, for the event of index ev (-1: none).
func (b *stmtBuilder) line(ev int, at int64, round int, kind LineKind, x units, neg bool) {
	if x.isZero() {
		return
	}
	amt := x.amount(b.t.asset)
	if neg {
		amt = amt.Neg()
		b.debit = b.debit.add(x)
	} else {
		b.credit = b.credit.add(x)
	}
	b.lines = append(b.lines, StatementLine{Seq: uint64(ev + 1), Round: round, Epoch: (round-1)/b.t.n + 1,
		At: time.Unix(0, at).UTC(), Kind: kind, Amount: amt, Balance: b.c.signed(b.credit.diff(b.debit))})
}

// build runs through the log once.
func (b *stmtBuilder) build() {
	c, t := b.c, b.t
	b.due = t.contribution
	b.line(-1, t.cfg.Start.UnixNano(), 1, LineDue, t.contribution, true)
	var r rec
	cur := c.log.seek(0, &r, &t.contribution)
	for cur.i < c.log.n {
		ev := cur.i
		c.log.next(&cur, &r, &t.contribution)
		b.event(ev, &r)
	}
}

// event follows the record r, of index ev.
func (b *stmtBuilder) event(ev int, r *rec) {
	c := b.c
	switch r.kind {
	case evContribution:
		if r.seat == b.seat {
			b.contributed = b.contributed.add(r.amount)
			b.line(ev, r.at, r.round, LineContribution, r.amount, false)
		}
		rest := b.collectLate(ev, r, r.amount)
		if r.seat == b.seat {
			b.clearDebt(ev, r)
		}
		if b.ended {
			b.restoreOf(ev, r, rest)
		}
	case evWithdrawal:
		if r.seat == b.seat {
			b.withdrawn = b.withdrawn.add(r.amount)
			b.line(ev, r.at, r.round, LineWithdrawal, r.amount, true)
		}
	case evHaltActivated:
		if rel := b.due.monus(dueClosed(b.t, b.closes).add(b.extra)); !rel.isZero() {
			b.due = b.due.sub(rel)
			b.line(ev, r.at, r.round, LineDueReleased, rel, false)
		}
		acct := c.members[b.seat].acct
		for _, l := range c.log.settlements[r.aux] {
			if l.Account == acct && !l.Fees && !l.Platform {
				x := amountUnits(l.Paid)
				b.withdrawn = b.withdrawn.add(x)
				b.line(ev, r.at, r.round, LineSettlement, x, true)
			}
		}
	case evRoundClosed:
		b.closes++
		rr := c.round(int(r.aux))
		b.close(ev, r, &rr)
	case evCollateralApplied, evGuarantorPaid, evRecovered:
		credit := r.amount
		if r.kind == evRecovered && b.t.cfg.Rules.Deterrents.Bounty.Pool != BountyFromFees {
			credit = credit.sub(c.log.extras[r.aux].second)
		}
		if r.seat == b.seat {
			b.paidFor(ev, r, credit)
		}
		rest := b.collectLate(ev, r, credit)
		if r.seat == b.seat {
			b.clearDebt(ev, r)
		}
		if b.ended {
			b.restoreOf(ev, r, rest)
		}
	case evDuesAccelerated:
		if r.seat == b.seat {
			b.accel = b.t.contribution.mul(uint64(((r.round-1)/b.t.n + 1) * b.t.n)) // as Accelerate sets it
			b.due = b.due.add(r.amount)
			b.line(ev, r.at, r.round, LineDueAccelerated, r.amount, true)
		}
	case evMemberSubstituted:
		if b.seat == b.t.foreperson {
			d := c.log.extras[r.aux].second
			b.won = b.won.add(d)
			b.line(ev, r.at, r.round, LineDeduction, d, false)
		}
	}
}

// paidFor follows a payment made for the member by others (its collateral, a guarantor,
// a recovery), credited as credit: a contribution of another kind.
func (b *stmtBuilder) paidFor(ev int, r *rec, credit units) {
	kind := LineCollateralApplied
	switch r.kind {
	case evGuarantorPaid:
		kind = LineGuarantorPaid
	case evRecovered:
		kind = LineRecovered
	}
	b.contributed = b.contributed.add(credit)
	b.line(ev, r.at, r.round, kind, credit, false)
}

// collectLate follows the late fees paid out of a payment x by or for the seat of r, as
// the circle's collectLate takes them: the member's own are no line (its fee was a line
// when charged), another's credit the member its share. It returns the rest of x.
func (b *stmtBuilder) collectLate(ev int, r *rec, x units) units {
	if b.lateOwed == nil || b.lateOwed[r.seat].isZero() {
		return x
	}
	part := minUnits(x, b.lateOwed[r.seat])
	b.feePaid(ev, r.at, r.round, r.seat, part)
	return x.sub(part)
}

// feePaid follows x of seat's late fees paid, by a payment or by its credit: another's
// credits the member its share.
func (b *stmtBuilder) feePaid(ev int, at int64, rnd, seat int, x units) {
	b.lateOwed[seat] = b.lateOwed[seat].sub(x)
	if share := b.c.lateShares(seat, x)[b.seat]; !share.isZero() {
		b.won = b.won.add(share)
		b.line(ev, at, rnd, LineLateFeeReceived, share, false)
	}
}

// clearDebt clears the member's debt after a payment, as [Circle.Contribute] decides it:
// when contributed + won + share covers withdrawn + held + due + lost + late fees.
func (b *stmtBuilder) clearDebt(ev int, r *rec) {
	if b.debtPots == 0 {
		return
	}
	has := b.contributed.add(b.won).add(b.share)
	if has.cmp(b.withdrawn.add(b.held).add(b.due).add(b.lost).add(b.late)) >= 0 {
		b.debtPots = 0
		b.release(ev, r)
	}
}

// release releases the pots held.
func (b *stmtBuilder) release(ev int, r *rec) {
	x := b.held
	b.held = units{}
	b.line(ev, r.at, r.round, LineReleased, x, false)
}

// close follows a round's close: the win, the share, and the next round's due or, at
// the end, the pots released and the loss.
func (b *stmtBuilder) close(ev int, r *rec, rr *roundRec) {
	t, at, rnd := b.t, r.at, r.round
	if rr.winner == b.seat {
		b.win(ev, at, rnd, rr)
	}
	if b.wonEpoch == rr.epoch && rr.winner != b.seat {
		b.extra = b.extra.add(b.interest) // its interest for the round, now a closed due
	}
	part := b.sharePart(rr)
	if rr.winner == b.seat {
		b.wonEpoch = rr.epoch
	}
	b.share = b.share.add(part)
	b.line(ev, at, rnd, LineDiscountShare, part, false)
	for _, l := range rr.rd().late {
		if b.lateOwed == nil {
			b.lateOwed = make([]units, t.n)
		}
		b.lateOwed[l.seat] = b.lateOwed[l.seat].add(l.fee)
		if l.seat == b.seat {
			b.late = b.late.add(l.fee)
			b.line(ev, at, rnd, LineLateFee, l.fee, true)
		}
	}
	for _, l := range rr.rd().covered { // fees the members' own credit paid at the close
		b.feePaid(ev, at, rnd, l.seat, l.fee)
	}
	if rr.round < t.rounds {
		// The next round's due, as dueOf counts it: C x (r + 1), or the dues accelerated,
		// and the interests due under BidInterestExternal.
		next := maxUnits(t.contribution.mul(uint64(rr.round+1)), b.accel).add(b.extra)
		if b.wonEpoch == rr.epoch && rr.round%t.n != 0 {
			next = next.add(b.interest)
		}
		if next.cmp(b.due) > 0 {
			b.line(ev, at, rnd+1, LineDue, next.sub(b.due), true)
			b.due = next
		}
		return
	}
	if !b.held.isZero() {
		b.release(ev, r)
	}
	b.ended = true
	for _, l := range rr.rd().losses {
		x := amountUnits(l.Loss)
		switch {
		case l.Remainder:
		case l.Fees:
			b.writtenOff(t.n, x)
		case l.Platform:
			b.writtenOff(t.n+1, x)
		default:
			i, _ := b.c.seatOf(l.Account)
			b.writtenOff(i, x)
			if i == b.seat {
				b.lost = b.lost.add(x)
				b.line(ev, at, rnd, LineLoss, x, true)
			}
		}
	}
}

// win follows the member's win of round rr: the bid taken, the fees on it, the pot held
// if it won in debt, the remainder credited to it.
func (b *stmtBuilder) win(ev int, at int64, rnd int, rr *roundRec) {
	fee := rr.bid.sub(rr.winnings)
	platform := rr.rd().platform
	b.won = b.won.add(rr.winnings.sub(platform))
	b.fees, b.platform = b.fees.add(fee), b.platform.add(platform)
	b.line(ev, at, rnd, LineWinnings, rr.bid, false)
	if in := rr.rd().interestIn; !in.isZero() {
		b.won = b.won.add(in)
		b.line(ev, at, rnd, LineInterest, in, false)
	}
	b.interest = rr.rd().interest
	b.line(ev, at, rnd, LineFee, fee, true)
	b.line(ev, at, rnd, LinePlatformFee, platform, true)
	if rr.debt {
		b.debtPots++
		credited := rr.winnings.sub(platform)
		b.held = b.held.add(credited)
		b.line(ev, at, rnd, LineHeld, credited, true)
	}
	if rr.remTo == toWinner {
		rem := rr.dust.add(rr.divRem)
		b.won = b.won.add(rem)
		b.line(ev, at, rnd, LineRemainder, rem, false)
	}
}

// sharePart returns what round rr adds to the member's discount share, as
// [Circle.shareOf] counts it: under ShareOthers each round it did not win, under
// ShareUnpaid each round of an epoch before its win, under ShareEach every round, under ShareAll the increase of
// floor(pool / n).
func (b *stmtBuilder) sharePart(rr *roundRec) units {
	switch b.t.cfg.Rules.Sharing {
	case ShareEach:
		return rr.shareEach
	case ShareOthers:
		if rr.winner != b.seat {
			return rr.shareEach
		}
	case ShareUnpaid:
		if rr.winner != b.seat && b.wonEpoch != rr.epoch && rr.recipients > 0 {
			return rr.shareEach
		}
	default:
		before, _ := b.pool.quo(uint64(b.t.n))
		b.pool = b.pool.add(rr.discount)
		after, _ := b.pool.quo(uint64(b.t.n))
		return after.sub(before)
	}
	return units{}
}

// writtenOff records x written off the claim of party k (a seat, t.n the foreperson's fee
// line, t.n+1 the platform's).
func (b *stmtBuilder) writtenOff(k int, x units) {
	if x.isZero() {
		return
	}
	if b.written == nil {
		b.written = make([]units, b.t.n+2)
	}
	b.written[k] = b.written[k].add(x)
}

// restoreOf follows a payment of x after the end, made by or for a debtor, which gives the
// claims written off back as the circle's restoreLosses does: pro rata to them all under
// [LossProRata]; under [LossFeeFirst] the members' first, then the fee lines'.
func (b *stmtBuilder) restoreOf(ev int, r *rec, x units) {
	if b.written == nil {
		return
	}
	parts, _ := restoreParts(x, b.written, b.t.n, b.t.cfg.Rules.Loss)
	for k, p := range parts {
		b.written[k] = b.written[k].sub(p)
		if k == b.seat && !p.isZero() {
			b.lost = b.lost.sub(p)
			b.line(ev, r.at, r.round, LineLossRestored, p, false)
		}
	}
}

// totals returns the builder's figures as the statement's totals; the balance is the
// lines' (equal to the figures', which a test checks against the member's position).
func (b *stmtBuilder) totals() StatementTotals {
	a := b.t.asset
	return StatementTotals{
		Contributed: b.contributed.amount(a), Withdrawn: b.withdrawn.amount(a), Won: b.won.amount(a),
		Fees: b.fees.amount(a), PlatformFees: b.platform.amountOrNone(a), DiscountShare: b.share.amount(a), Due: b.due.amount(a), Held: b.held.amount(a),
		Loss: b.lost.amountOrNone(a), Balance: b.c.signed(b.credit.diff(b.debit)),
	}
}

// AppendJSON appends the statement's JSON to b and returns the extended buffer:
// {"v":1,"member":"...","seat":0,"asset":{"symbol":"USD","decimals":2},"last_seq":N,
// "lines":[{"seq":1,"round":1,"epoch":1,"at":"...","kind":"contribution",
// "amount":"10.00 USD","balance":"0.00 USD"},...],"totals":{"contributed":"...",
// "withdrawn":"...","won":"...","fees":"...","platform_fees":"...","discount_share":"...",
// "due":"...","held":"...","loss":"...","balance":"..."}}: amounts in the amount grammar,
// times in UTC RFC 3339, platform_fees and loss left out when zero. The zero Statement's JSON has no asset and empty
// amounts.
func (s *Statement) AppendJSON(b []byte) []byte {
	b = append(b, `{"v":1,"member":`...)
	b = wire.AppendString(b, string(s.Member))
	b = append(b, `,"seat":`...)
	b = strconv.AppendInt(b, int64(s.Seat), 10)
	b = append(b, `,"asset":`...)
	aj, _ := s.Asset.MarshalJSON()
	b = append(b, aj...)
	b = append(b, `,"last_seq":`...)
	b = wire.AppendUint(b, s.LastSeq)
	b = append(b, `,"lines":[`...)
	for i := range s.Lines {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.Lines[i].AppendJSON(b)
	}
	b = append(b, `],"totals":`...)
	b = s.Totals.AppendJSON(b)
	return append(b, '}')
}

// MarshalJSON returns [Statement.AppendJSON]'s encoding.
func (s Statement) MarshalJSON() ([]byte, error) {
	return s.AppendJSON(make([]byte, 0, 256+160*len(s.Lines))), nil
}

// statementJSON is the JSON form of a Statement, for decoding.
type statementJSON struct {
	V       *int            `json:"v"`
	Member  token.Account   `json:"member"`
	Seat    int             `json:"seat"`
	Asset   token.Asset     `json:"asset"`
	LastSeq uint64          `json:"last_seq"`
	Lines   []StatementLine `json:"lines"`
	Totals  StatementTotals `json:"totals"`
}

// UnmarshalJSON decodes what MarshalJSON encodes, strictly: version 1, an asset, unknown
// fields refused. The error is an [*Error] wrapping [ErrReplay].
func (s *Statement) UnmarshalJSON(b []byte) error {
	j, err := decodeReplayable[statementJSON]("Statement.UnmarshalJSON", b)
	if err != nil {
		return err
	}
	switch {
	case j.V == nil || *j.V != StatementVersion:
		return &Error{Op: "Statement.UnmarshalJSON", Detail: fmt.Sprintf("want statement version %d", StatementVersion), Err: ErrReplay}
	case !j.Asset.IsValid():
		return &Error{Op: "Statement.UnmarshalJSON", Detail: "asset: missing", Err: ErrReplay}
	}
	*s = Statement{Member: j.Member, Seat: j.Seat, Asset: j.Asset, LastSeq: j.LastSeq, Lines: j.Lines, Totals: j.Totals}
	return nil
}

// AppendJSON appends the line's JSON to b: {"seq":1,"round":1,"epoch":1,"at":"...",
// "kind":"contribution","amount":"10.00 USD","balance":"0.00 USD"}.
func (l *StatementLine) AppendJSON(b []byte) []byte {
	b = append(b, `{"seq":`...)
	b = wire.AppendUint(b, l.Seq)
	b = append(b, `,"round":`...)
	b = strconv.AppendInt(b, int64(l.Round), 10)
	b = append(b, `,"epoch":`...)
	b = strconv.AppendInt(b, int64(l.Epoch), 10)
	b = append(b, `,"at":`...)
	b = wire.AppendTime(b, l.At)
	b = append(b, `,"kind":`...)
	b = wire.AppendString(b, string(l.Kind))
	b = append(b, `,"amount":`...)
	b = appendAmount(b, &l.Amount)
	b = append(b, `,"balance":`...)
	b = appendAmount(b, &l.Balance)
	return append(b, '}')
}

// lineJSON is StatementLine without its methods.
type lineJSON StatementLine

// MarshalJSON returns [StatementLine.AppendJSON]'s encoding.
func (l StatementLine) MarshalJSON() ([]byte, error) { return l.AppendJSON(nil), nil }

// UnmarshalJSON decodes what MarshalJSON encodes; unknown fields are refused.
func (l *StatementLine) UnmarshalJSON(b []byte) error {
	j, err := decodeReplayable[lineJSON]("StatementLine.UnmarshalJSON", b)
	if err != nil {
		return err
	}
	*l = StatementLine(j)
	l.At = l.At.UTC()
	return nil
}

// AppendJSON appends the totals' JSON to b, the fields in the order of the struct,
// platform_fees and loss left out when zero.
func (s *StatementTotals) AppendJSON(b []byte) []byte {
	fields := [...]struct {
		key string
		x   *token.Amount
	}{{`{"contributed":`, &s.Contributed}, {`,"withdrawn":`, &s.Withdrawn}, {`,"won":`, &s.Won},
		{`,"fees":`, &s.Fees}, {`,"platform_fees":`, &s.PlatformFees}, {`,"discount_share":`, &s.DiscountShare}, {`,"due":`, &s.Due}, {`,"held":`, &s.Held},
		{`,"loss":`, &s.Loss}, {`,"balance":`, &s.Balance}}
	for _, f := range fields {
		if (f.x == &s.Loss || f.x == &s.PlatformFees) && f.x.IsZero() {
			continue
		}
		b = append(b, f.key...)
		b = appendAmount(b, f.x)
	}
	return append(b, '}')
}

// totalsJSON is StatementTotals without its methods.
type totalsJSON StatementTotals

// MarshalJSON returns [StatementTotals.AppendJSON]'s encoding.
func (s StatementTotals) MarshalJSON() ([]byte, error) { return s.AppendJSON(nil), nil }

// UnmarshalJSON decodes what MarshalJSON encodes; unknown fields are refused.
func (s *StatementTotals) UnmarshalJSON(b []byte) error {
	j, err := decodeReplayable[totalsJSON]("StatementTotals.UnmarshalJSON", b)
	if err != nil {
		return err
	}
	*s = StatementTotals(j)
	return nil
}

// StatementCSVHeader is the header line of a statement's CSV, its columns.
const StatementCSVHeader = "member,seq,round,epoch,at,kind,amount,balance,asset"

// AppendCSV appends the statement as CSV (RFC 4180 quoting, lines ended by \n, as
// [encoding/csv] writes it) to b: the header [StatementCSVHeader], then one row per line. Amounts are
// plain signed numbers with all the asset's decimals ("-10.00"), so that a spreadsheet
// reads them, and the asset column names the currency; times are UTC RFC 3339. The member
// is the one cell whose text a user chose: one that starts with =, +, - or @ is escaped
// with a leading quote, so that a spreadsheet does not read it as a formula.
func (s *Statement) AppendCSV(b []byte) []byte {
	b = append(b, StatementCSVHeader+"\n"...)
	member := csvField(safeCell(string(s.Member)))
	sym := s.Asset.Symbol()
	for i := range s.Lines {
		l := &s.Lines[i]
		b = append(b, member...)
		b = append(b, ',')
		b = wire.AppendUint(b, l.Seq)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(l.Round), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(l.Epoch), 10)
		b = append(b, ',')
		b = l.At.UTC().AppendFormat(b, time.RFC3339Nano)
		b = append(b, ',')
		b = append(b, csvField(string(l.Kind))...)
		b = append(b, ',')
		b = l.Amount.AppendNumber(b)
		b = append(b, ',')
		b = l.Balance.AppendNumber(b)
		b = append(b, ',')
		b = append(b, sym...)
		b = append(b, '\n')
	}
	return b
}

// WriteCSV writes [Statement.AppendCSV]'s bytes to w (which must not be nil) and returns
// the writer's error.
func (s *Statement) WriteCSV(w io.Writer) error {
	_, err := w.Write(s.AppendCSV(make([]byte, 0, 64+96*len(s.Lines))))
	return err
}

// safeCell keeps a spreadsheet from reading a cell as a formula: a leading =, +, - or @
// is escaped with a quote.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvField returns s as a CSV field, quoted as encoding/csv quotes it: when it holds a
// comma, a quote or a line break, or starts with a space.
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") && (s == "" || (s[0] != ' ' && s[0] != '\t')) && s != `\.` {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
