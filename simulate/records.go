package simulate

import (
	"io"
	"strconv"
	"strings"

	"github.com/trustcircle/trustcircle/rates"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// CircleRecord is the outcome of one circle of a batch. Every amount is of the circle's asset.
// Per circle, the members' nets add up to minus Fees, Remainder and Unclaimed: what the
// foreperson was paid and what is left in the circle (under deterrents, see below; after a
// halt, less the platform's fee it paid too). The zero CircleRecord describes no circle.
type CircleRecord struct {
	Scenario string
	Run      int        // the circle's index in the batch, from 0
	Kind     rosca.Kind // how its winners were chosen
	Members  int
	Rounds   int  // the circle's rounds
	Closed   int  // the rounds closed: Rounds, or the round after which the group halted it
	Halted   bool // the group stopped it through the emergency halt
	// Contributed and Withdrawn are the members' payments in and out (settlement included).
	Contributed, Withdrawn token.Amount
	// Fees and Remainder are what the foreperson (or, for the remainder, the rules'
	// recipient) was paid.
	Fees, Remainder token.Amount
	// Unclaimed is the cash left in the circle after the end.
	Unclaimed token.Amount
	// Losses is what the members were owed at the end and could not be paid: the sum of
	// their Unpaid.
	Losses token.Amount
	// Defaulters counts the members who ended owing; LatePayments the (member, round) pairs
	// at the end of whose payments the member owed.
	Defaulters, LatePayments int
	// The deterrents' totals, the sums of the members' figures of the same names (each the
	// zero of the asset when the circle had none): the collateral posted, applied to dues
	// and returned, and CollateralHeld the collateral still held at the end (a defaulter's
	// that was not applied); the guarantors' payments; what was recovered, the bounties
	// paid to the collectors and FeeBounties their part paid out of the fee reserve; the
	// substitutions' deductions; the late fees charged and paid. Per circle, the members'
	// nets add up to GuarantorPayments less Fees, Remainder, Unclaimed, Bounties and
	// CollateralHeld.
	CollateralPosted, CollateralApplied, CollateralReturned, CollateralHeld token.Amount
	GuarantorPayments, Recovered, Bounties, FeeBounties, Deductions         token.Amount
	LateFeesCharged, LateFeesPaid                                           token.Amount
	// Removals, Accelerations and Substitutions count the seats whose member was removed,
	// had its dues accelerated, or was replaced by a fresh member.
	Removals, Accelerations, Substitutions int
}

// zeroDeterrents sets the deterrents' totals to zero.
func (r *CircleRecord) zeroDeterrents(zero token.Amount) {
	r.CollateralPosted, r.CollateralApplied, r.CollateralReturned, r.CollateralHeld = zero, zero, zero, zero
	r.GuarantorPayments, r.Recovered, r.Bounties, r.FeeBounties, r.Deductions = zero, zero, zero, zero, zero
	r.LateFeesCharged, r.LateFeesPaid = zero, zero
}

// MemberRecord is the outcome of one member of one circle (of one seat: when a fresh member
// takes a seat over, the record follows the seat, and both members' money). Every amount is
// of the circle's asset; its cash flows are its payments (negative) and withdrawals
// (positive) by round, the withdrawals after a round's close counting in that round, and,
// under deterrents, the rest of its own money that moved: collateral posted (a payment as
// the circle starts or when posted) and returned (a receipt), recoveries from it (a
// payment), and a substitution's deduction (the seat's members together pay it). Money
// others paid for it (its guarantors) is no flow of its own. The zero MemberRecord describes
// no member.
type MemberRecord struct {
	Scenario string
	Run      int // the circle's index in the batch
	Seat     int // from 0
	Member   token.Account
	// Won is the round of its first win (0 if it won none), Wins its number of wins, Bid its
	// winning bid in round Won (the pot when it won by draw or seat).
	Won, Wins int
	Bid       token.Amount
	// Contributed and Withdrawn are its payments in and out: what it paid itself (rosca's
	// Position.Contributed counts also what was paid on its account by others, its collateral
	// applied and recoveries). Net is the sum of its cash flows: Withdrawn - Contributed,
	// plus CollateralReturned, less CollateralPosted, Recovered and Deduction.
	Contributed, Withdrawn, Net token.Amount
	// Fees is the fee withheld from the pots it won.
	Fees token.Amount
	// Unpaid is what it was owed at the end and could not be paid (its loss to others'
	// defaults): the part of its claim the circle wrote off (rosca's Position.Loss) and any
	// positive balance left. Owed is what it owed at the end (its own default).
	Unpaid, Owed token.Amount
	// Late counts the rounds at the end of whose payments it owed.
	Late int
	// IRR is every internal rate of return of its flows, with the root flags; the zero
	// IRRResult (Unsolved) when the scenario computes none or its flows are all zero.
	IRR rates.IRRResult
	// NPV is the net present value of its flows at the scenario's Benchmark rate, in round
	// 1, rounded half to even to the minor unit; the zero Amount when the scenario computes
	// none.
	NPV token.Amount
	// MIRR is its modified rate of return with its role (rates.Saver, rates.Borrower); the
	// zero MIRRResult (rates.Unclassified) when the scenario computes none, or when the
	// member never paid or never received.
	MIRR rates.MIRRResult

	// The deterrents (each amount the zero of the asset, each round 0, when none): the
	// collateral its members posted, the part applied to its dues and the part returned;
	// what its guarantors paid for it; what was recovered from it and the bounty paid to the
	// collector on it; the late fees charged to it, the part paid, and the closes at which
	// it was charged one (Strikes).
	CollateralPosted, CollateralApplied, CollateralReturned token.Amount
	GuarantorPaid, Recovered, Bounty                        token.Amount
	LateFees, LateFeesPaid                                  token.Amount
	Strikes                                                 int
	// WrittenOff is the claim written off at the end to cover the defaulters, before the
	// payments made for them after the end gave part of it back: its loss without
	// recovery, where Unpaid is its loss with it.
	WrittenOff token.Amount
	// Removed, Accelerated and Substituted are the rounds after whose close (the last time)
	// its member was removed, its dues accelerated, and a fresh member took the seat over;
	// Left is the member who left the seat then, Refund what it was refunded of its net
	// contributions and Deduction what the circle kept of them.
	Removed, Accelerated, Substituted int
	Left                              token.Account
	Refund, Deduction                 token.Amount
}

// zeroDeterrents sets the deterrents' amounts to zero.
func (r *MemberRecord) zeroDeterrents(zero token.Amount) {
	r.CollateralPosted, r.CollateralApplied, r.CollateralReturned = zero, zero, zero
	r.GuarantorPaid, r.Recovered, r.Bounty, r.LateFees, r.LateFeesPaid = zero, zero, zero, zero, zero
	r.WrittenOff, r.Refund, r.Deduction = zero, zero, zero
}

// Sink receives a batch's records in run order: for each run, its CircleRecord, then its
// members' records in seat order. The runner calls a sink from one goroutine; the records are
// valid only during the call (copy what you keep). An error stops the batch.
type Sink interface {
	Circle(r *CircleRecord) error
	Member(r *MemberRecord) error
}

// kindCode returns the snake_case name of an IRR kind.
func kindCode(k rates.Kind) string {
	switch k {
	case rates.NoRoot:
		return "no_root"
	case rates.OneRoot:
		return "one_root"
	case rates.SeveralRoots:
		return "several_roots"
	}
	return "unsolved"
}

// rootText returns the roots of r as percentages with the decimals its precision supports,
// separated by spaces ("2.4500%"), and "" when there is none.
func rootText(b []byte, r rates.IRRResult) []byte {
	dec := max(r.Digits()-2, 0)
	for i := range r.Count() {
		if i > 0 {
			b = append(b, ' ')
		}
		root, _ := r.Root(i)
		b = root.AppendPercent(b, dec, rates.HalfEven)
	}
	return b
}

// mirrText appends the member's modified rate read by its role ([rates.MIRRResult.Rate]) as
// a percentage with the decimals of digits, and nothing for the zero MIRRResult.
func mirrText(b []byte, m rates.MIRRResult, digits int) []byte {
	if m.Role() == rates.Unclassified {
		return b
	}
	return m.Rate().AppendPercent(b, max(digits-2, 0), rates.HalfEven)
}

// roleText returns the role's name, "" for Unclassified.
func roleText(m rates.MIRRResult) string {
	if m.Role() == rates.Unclassified {
		return ""
	}
	return m.Role().String()
}

func appendAmount(b []byte, x token.Amount) []byte {
	b, _ = x.AppendText(b)
	return b
}

func appendJSONString(b []byte, s string) []byte {
	return strconv.AppendQuote(b, s) // accounts are printable ASCII; names valid UTF-8
}

// AppendJSON appends the record as one JSON object: {"v":1,"kind":"circle","scenario":...,
// "run":N,...}, amounts in the amount grammar ("12.50 USD").
func (r *CircleRecord) AppendJSON(b []byte) []byte {
	b = append(b, `{"v":1,"kind":"circle","scenario":`...)
	b = appendJSONString(b, r.Scenario)
	b = append(b, `,"run":`...)
	b = strconv.AppendInt(b, int64(r.Run), 10)
	b = append(b, `,"circle_kind":`...)
	b = appendJSONString(b, string(r.Kind))
	b = append(b, `,"members":`...)
	b = strconv.AppendInt(b, int64(r.Members), 10)
	b = append(b, `,"rounds":`...)
	b = strconv.AppendInt(b, int64(r.Rounds), 10)
	b = append(b, `,"closed":`...)
	b = strconv.AppendInt(b, int64(r.Closed), 10)
	b = append(b, `,"halted":`...)
	b = strconv.AppendBool(b, r.Halted)
	for _, f := range []struct {
		name string
		x    token.Amount
	}{{"contributed", r.Contributed}, {"withdrawn", r.Withdrawn}, {"fees", r.Fees},
		{"remainder", r.Remainder}, {"unclaimed", r.Unclaimed}, {"losses", r.Losses}} {
		b = append(b, `,"`...)
		b = append(b, f.name...)
		b = append(b, `":"`...)
		b = appendAmount(b, f.x)
		b = append(b, '"')
	}
	b = append(b, `,"defaulters":`...)
	b = strconv.AppendInt(b, int64(r.Defaulters), 10)
	b = append(b, `,"late_payments":`...)
	b = strconv.AppendInt(b, int64(r.LatePayments), 10)
	for _, f := range [...]struct {
		name string
		x    token.Amount
	}{{"collateral_posted", r.CollateralPosted}, {"collateral_applied", r.CollateralApplied},
		{"collateral_returned", r.CollateralReturned}, {"collateral_held", r.CollateralHeld},
		{"guarantor_payments", r.GuarantorPayments}, {"recovered", r.Recovered}, {"bounties", r.Bounties},
		{"fee_bounties", r.FeeBounties}, {"deductions", r.Deductions}, {"late_fees_charged", r.LateFeesCharged},
		{"late_fees_paid", r.LateFeesPaid}} {
		b = appendNonZero(b, f.name, f.x)
	}
	for _, f := range [...]struct {
		name string
		v    int
	}{{"removals", r.Removals}, {"accelerations", r.Accelerations}, {"substitutions", r.Substitutions}} {
		b = appendNonZeroInt(b, f.name, f.v)
	}
	return append(b, '}')
}

// appendNonZero appends the field ,"name":"x" when x is a non-zero amount.
func appendNonZero(b []byte, name string, x token.Amount) []byte {
	if !x.IsValid() || x.IsZero() {
		return b
	}
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":"`...)
	b = appendAmount(b, x)
	return append(b, '"')
}

// appendNonZeroInt appends the field ,"name":v when v is not zero.
func appendNonZeroInt(b []byte, name string, v int) []byte {
	if v == 0 {
		return b
	}
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":`...)
	return strconv.AppendInt(b, int64(v), 10)
}

// AppendJSON appends the record as one JSON object: {"v":1,"kind":"member","scenario":...,
// "run":N,"seat":S,...}, amounts in the amount grammar, the rates as irr_kind ("one_root",
// "no_root", "several_roots", "unsolved"), roots (their count), irr (the roots as
// percentages, separated by spaces), sign_changes and norstrom; then, when computed, npv (an
// amount), mirr_role ("saver", "borrower", "balanced") and mirr (the rate the role reads, as
// a percentage).
func (r *MemberRecord) AppendJSON(b []byte) []byte {
	b = append(b, `{"v":1,"kind":"member","scenario":`...)
	b = appendJSONString(b, r.Scenario)
	b = append(b, `,"run":`...)
	b = strconv.AppendInt(b, int64(r.Run), 10)
	b = append(b, `,"seat":`...)
	b = strconv.AppendInt(b, int64(r.Seat), 10)
	b = append(b, `,"member":`...)
	b = appendJSONString(b, string(r.Member))
	b = append(b, `,"won":`...)
	b = strconv.AppendInt(b, int64(r.Won), 10)
	b = append(b, `,"wins":`...)
	b = strconv.AppendInt(b, int64(r.Wins), 10)
	for _, f := range []struct {
		name string
		x    token.Amount
	}{{"bid", r.Bid}, {"contributed", r.Contributed}, {"withdrawn", r.Withdrawn}, {"net", r.Net},
		{"fees", r.Fees}, {"unpaid", r.Unpaid}, {"owed", r.Owed}} {
		b = append(b, `,"`...)
		b = append(b, f.name...)
		b = append(b, `":"`...)
		b = appendAmount(b, f.x)
		b = append(b, '"')
	}
	b = append(b, `,"late":`...)
	b = strconv.AppendInt(b, int64(r.Late), 10)
	b = append(b, `,"irr_kind":"`...)
	b = append(b, kindCode(r.IRR.Kind())...)
	b = append(b, `","roots":`...)
	b = strconv.AppendInt(b, int64(r.IRR.Count()), 10)
	b = append(b, `,"irr":"`...)
	b = rootText(b, r.IRR)
	b = append(b, `","sign_changes":`...)
	b = strconv.AppendInt(b, int64(r.IRR.SignChanges()), 10)
	b = append(b, `,"norstrom":`...)
	b = strconv.AppendBool(b, r.IRR.Norstrom())
	if r.NPV.IsValid() {
		b = append(b, `,"npv":"`...)
		b = appendAmount(b, r.NPV)
		b = append(b, '"')
	}
	if r.MIRR.Role() != rates.Unclassified {
		b = append(b, `,"mirr_role":"`...)
		b = append(b, roleText(r.MIRR)...)
		b = append(b, `","mirr":"`...)
		b = mirrText(b, r.MIRR, r.IRR.Digits())
		b = append(b, '"')
	}
	return r.appendDeterrentsJSON(b)
}

// appendDeterrentsJSON appends the deterrents' fields that are not zero, and the closing
// brace.
func (r *MemberRecord) appendDeterrentsJSON(b []byte) []byte {
	for _, f := range [...]struct {
		name string
		x    token.Amount
	}{{"collateral_posted", r.CollateralPosted}, {"collateral_applied", r.CollateralApplied},
		{"collateral_returned", r.CollateralReturned}, {"guarantor_paid", r.GuarantorPaid},
		{"recovered", r.Recovered}, {"bounty", r.Bounty}, {"late_fees", r.LateFees},
		{"late_fees_paid", r.LateFeesPaid}, {"written_off", r.WrittenOff}} {
		b = appendNonZero(b, f.name, f.x)
	}
	for _, f := range [...]struct {
		name string
		v    int
	}{{"strikes", r.Strikes}, {"removed", r.Removed}, {"accelerated", r.Accelerated}, {"substituted", r.Substituted}} {
		b = appendNonZeroInt(b, f.name, f.v)
	}
	if r.Left != "" {
		b = append(b, `,"left":`...)
		b = appendJSONString(b, string(r.Left))
	}
	b = appendNonZero(b, "refund", r.Refund)
	b = appendNonZero(b, "deduction", r.Deduction)
	return append(b, '}')
}

// CircleHeader is the header line of the circles' CSV, the columns of [CircleRecord.AppendCSV].
const CircleHeader = "scenario,run,kind,members,rounds,closed,halted,contributed,withdrawn,fees,remainder,unclaimed,losses,defaulters,late_payments," +
	"collateral_posted,collateral_applied,collateral_returned,collateral_held,guarantor_payments,recovered,bounties,fee_bounties," +
	"deductions,late_fees_charged,late_fees_paid,removals,accelerations,substitutions"

// MemberHeader is the header line of the members' CSV, the columns of [MemberRecord.AppendCSV].
const MemberHeader = "scenario,run,seat,member,won,wins,bid,contributed,withdrawn,net,fees,unpaid,owed,late,irr_kind,roots,irr,sign_changes,norstrom,npv,mirr_role,mirr," +
	"collateral_posted,collateral_applied,collateral_returned,guarantor_paid,recovered,bounty,late_fees,late_fees_paid,strikes," +
	"written_off,removed,accelerated,substituted,left,refund,deduction"

// appendCSVField appends s, quoted when it holds a comma, a quote or a line break.
func appendCSVField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}

// AppendCSV appends the record as one CSV line (without its line break), in the columns of
// [CircleHeader]; amounts are plain numbers ("12.50").
func (r *CircleRecord) AppendCSV(b []byte) []byte {
	b = appendCSVField(b, r.Scenario)
	for _, v := range []int{r.Run} {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(v), 10)
	}
	b = append(b, ',')
	b = appendCSVField(b, string(r.Kind))
	for _, v := range []int{r.Members, r.Rounds, r.Closed} {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(v), 10)
	}
	b = append(b, ',')
	b = strconv.AppendBool(b, r.Halted)
	for _, x := range []token.Amount{r.Contributed, r.Withdrawn, r.Fees, r.Remainder, r.Unclaimed, r.Losses} {
		b = append(b, ',')
		b = x.AppendNumber(b)
	}
	for _, v := range []int{r.Defaulters, r.LatePayments} {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(v), 10)
	}
	for _, x := range [...]token.Amount{r.CollateralPosted, r.CollateralApplied, r.CollateralReturned, r.CollateralHeld,
		r.GuarantorPayments, r.Recovered, r.Bounties, r.FeeBounties, r.Deductions, r.LateFeesCharged, r.LateFeesPaid} {
		b = append(b, ',')
		b = x.AppendNumber(b)
	}
	for _, v := range [...]int{r.Removals, r.Accelerations, r.Substitutions} {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(v), 10)
	}
	return b
}

// AppendCSV appends the record as one CSV line (without its line break), in the columns of
// [MemberHeader]; amounts are plain numbers, irr the roots as percentages separated by spaces;
// npv, mirr_role and mirr are empty when not computed.
func (r *MemberRecord) AppendCSV(b []byte) []byte {
	b = appendCSVField(b, r.Scenario)
	for _, v := range []int{r.Run, r.Seat} {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(v), 10)
	}
	b = append(b, ',')
	b = appendCSVField(b, string(r.Member))
	for _, v := range []int{r.Won, r.Wins} {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(v), 10)
	}
	for _, x := range []token.Amount{r.Bid, r.Contributed, r.Withdrawn, r.Net, r.Fees, r.Unpaid, r.Owed} {
		b = append(b, ',')
		b = x.AppendNumber(b)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Late), 10)
	b = append(b, ',')
	b = append(b, kindCode(r.IRR.Kind())...)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.IRR.Count()), 10)
	b = append(b, ',')
	b = rootText(b, r.IRR)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.IRR.SignChanges()), 10)
	b = append(b, ',')
	b = strconv.AppendBool(b, r.IRR.Norstrom())
	b = append(b, ',')
	if r.NPV.IsValid() {
		b = r.NPV.AppendNumber(b)
	}
	b = append(b, ',')
	b = append(b, roleText(r.MIRR)...)
	b = append(b, ',')
	b = mirrText(b, r.MIRR, r.IRR.Digits())
	for _, x := range [...]token.Amount{r.CollateralPosted, r.CollateralApplied, r.CollateralReturned, r.GuarantorPaid,
		r.Recovered, r.Bounty, r.LateFees, r.LateFeesPaid} {
		b = append(b, ',')
		b = x.AppendNumber(b)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Strikes), 10)
	b = append(b, ',')
	b = r.WrittenOff.AppendNumber(b)
	for _, v := range [...]int{r.Removed, r.Accelerated, r.Substituted} {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(v), 10)
	}
	b = append(b, ',')
	b = appendCSVField(b, string(r.Left))
	for _, x := range [...]token.Amount{r.Refund, r.Deduction} {
		b = append(b, ',')
		b = x.AppendNumber(b)
	}
	return b
}

// JSONLines is a [Sink] writing every record as one line of JSON to W (circle and member
// records interleaved, in run order). Wrap W in a bufio.Writer for speed and flush it after
// the batch. The zero JSONLines (nil W) discards the records.
type JSONLines struct {
	W   io.Writer
	buf []byte
}

// Circle writes r's line.
func (j *JSONLines) Circle(r *CircleRecord) error {
	if j == nil || j.W == nil || r == nil {
		return nil
	}
	j.buf = append(r.AppendJSON(j.buf[:0]), '\n')
	_, err := j.W.Write(j.buf)
	return err
}

// Member writes r's line.
func (j *JSONLines) Member(r *MemberRecord) error {
	if j == nil || j.W == nil || r == nil {
		return nil
	}
	j.buf = append(r.AppendJSON(j.buf[:0]), '\n')
	_, err := j.W.Write(j.buf)
	return err
}

// CSV is a [Sink] writing the circle records to Circles and the member records to Members,
// one CSV line each (either writer may be nil, to skip those records). With Header set, each
// file starts with its header line (before its first record, or at the first call to
// [CSV.WriteHeaders]). In a sharded batch set Header in one shard only (shard 0), so that the
// shards' lines together are the whole batch's. The zero CSV discards the records.
type CSV struct {
	Circles, Members io.Writer
	Header           bool
	wroteC, wroteM   bool
	buf              []byte
}

// WriteHeaders writes the header lines now if Header is set and they were not written yet:
// a batch without records then still has its headers.
func (c *CSV) WriteHeaders() error {
	if c == nil {
		return nil
	}
	if err := c.header(c.Circles, &c.wroteC, CircleHeader); err != nil {
		return err
	}
	return c.header(c.Members, &c.wroteM, MemberHeader)
}

func (c *CSV) header(w io.Writer, wrote *bool, h string) error {
	if !c.Header || *wrote || w == nil {
		return nil
	}
	*wrote = true
	_, err := io.WriteString(w, h+"\n")
	return err
}

// Circle writes r's line to Circles.
func (c *CSV) Circle(r *CircleRecord) error {
	if c == nil || c.Circles == nil || r == nil {
		return nil
	}
	if err := c.header(c.Circles, &c.wroteC, CircleHeader); err != nil {
		return err
	}
	c.buf = append(r.AppendCSV(c.buf[:0]), '\n')
	_, err := c.Circles.Write(c.buf)
	return err
}

// Member writes r's line to Members.
func (c *CSV) Member(r *MemberRecord) error {
	if c == nil || c.Members == nil || r == nil {
		return nil
	}
	if err := c.header(c.Members, &c.wroteM, MemberHeader); err != nil {
		return err
	}
	c.buf = append(r.AppendCSV(c.buf[:0]), '\n')
	_, err := c.Members.Write(c.buf)
	return err
}
