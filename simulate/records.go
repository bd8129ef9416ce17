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
// foreperson was paid and what is left in the circle. The zero CircleRecord describes no
// circle.
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
}

// MemberRecord is the outcome of one member of one circle. Every amount is of the circle's
// asset; its cash flows are its payments (negative) and withdrawals (positive) by round, the
// withdrawals after a round's close counting in that round. The zero MemberRecord describes no
// member.
type MemberRecord struct {
	Scenario string
	Run      int // the circle's index in the batch
	Seat     int // from 0
	Member   token.Account
	// Won is the round of its first win (0 if it won none), Wins its number of wins, Bid its
	// winning bid in round Won (the pot when it won by draw or seat).
	Won, Wins int
	Bid       token.Amount
	// Contributed and Withdrawn are its payments in and out; Net = Withdrawn - Contributed.
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
	return append(b, '}')
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
	return append(b, '}')
}

// CircleHeader is the header line of the circles' CSV, the columns of [CircleRecord.AppendCSV].
const CircleHeader = "scenario,run,kind,members,rounds,closed,halted,contributed,withdrawn,fees,remainder,unclaimed,losses,defaulters,late_payments"

// MemberHeader is the header line of the members' CSV, the columns of [MemberRecord.AppendCSV].
const MemberHeader = "scenario,run,seat,member,won,wins,bid,contributed,withdrawn,net,fees,unpaid,owed,late,irr_kind,roots,irr,sign_changes,norstrom,npv,mirr_role,mirr"

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
	return mirrText(b, r.MIRR, r.IRR.Digits())
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
