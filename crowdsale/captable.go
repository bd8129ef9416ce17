package crowdsale

import (
	"encoding/csv"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// AppendJSON appends the receipt's JSON to b: every field, the value and the weight
// included: {"index":0,"id":"tx1","participant":"alice","received":"40.00000000 BTC",
// "accepted":...,"refund":...,"at":...,"tier":2,"bonus":"20%","median":...,
// "cap_reached":true,"value":"40.000000000000000000000000000 BTC","weight":"48"}, without
// an absent median and a cap_reached of false. The weight is an exact rational in
// reference units ("num/den" or "num").
func (r Receipt) AppendJSON(b []byte) []byte {
	w := jsonWriter{b: b}
	w.open()
	w.int("index", int64(r.Index))
	w.str("id", r.ID)
	w.optStr("participant", string(r.Participant))
	w.amount("received", r.Received)
	w.amount("accepted", r.Accepted)
	w.amount("refund", r.Refund)
	w.time("at", r.At)
	w.int("tier", int64(r.Tier))
	w.ratio("bonus", r.Bonus)
	w.amount("median", r.Median)
	if r.CapReached {
		w.bool("cap_reached", true)
	}
	w.amount("value", r.Value())
	w.str("weight", r.Weight().RatString())
	w.close()
	return w.b
}

// MarshalJSON returns what [Receipt.AppendJSON] appends. A receipt is an answer, not a
// record: it is not decoded (the contribution event is the record).
func (r Receipt) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil), nil }

// TierAt returns the tier that applies to a contribution received at the instant at, with
// its index: for tiers by time, the tier in force at at; for tiers by amount sold, the
// tier in force for the value raised so far (at is then only checked against the window).
// ok is false outside the window and for the zero Sale.
func (s *Sale) TierAt(at time.Time) (index int, tier Tier, ok bool) {
	if s.p == nil || at.Before(s.cfg.Start) || !at.Before(s.cfg.End) {
		return 0, Tier{}, false
	}
	i := s.p.tierAt(at.UnixNano(), s.raised)
	return i, s.cfg.Tiers[i], true
}

// RefundState says where a participant's refunds stand.
type RefundState string

// The refund states of a participant.
const (
	RefundNone RefundState = "none" // nothing to refund
	RefundDue  RefundState = "due"  // some refund decided and not yet paid
	RefundPaid RefundState = "paid" // every refund decided was paid
)

// CapTableRow is one participant of a cap table: their contributions, the amounts
// accepted and the refunds decided in each accepted currency (in the config's order, so
// Accepted[i] and Refunds[i] are amounts of CapTable.Currencies[i]), their value without
// bonuses, their weight (an exact rational in reference units), their provisional balance
// and, after a successful Finalize, their allocation, where their refunds stand, and their
// registry's payout and refund addresses. The zero CapTableRow is no participant.
type CapTableRow struct {
	Participant     token.Account
	Contributions   int
	Accepted        []token.Amount
	Refunds         []token.Amount
	Value           token.Amount // in [Config.ValueAsset]
	Weight          string
	Provisional     token.Amount
	Allocation      token.Amount // the zero Amount until a successful Finalize
	RefundState     RefundState
	Payout          string
	RefundAddresses map[string]string // currency symbol -> address
}

// CapTable is the export of a sale's participants, one row each in the order of their first
// contribution, for accountants and dashboards: as JSON ([CapTable.AppendJSON]) or CSV
// ([CapTable.WriteCSV]). The zero CapTable has no rows.
type CapTable struct {
	Currencies []token.Asset
	Rows       []CapTableRow
}

// CapTable returns the sale's cap table now. It scans the contributions once.
func (s *Sale) CapTable() CapTable {
	if s.p == nil {
		return CapTable{}
	}
	n, na := s.parts.len(), len(s.p.assets)
	acc := make([]uint128.U128, n*na)
	for i := 0; i < s.recs.len(); i++ {
		r := s.recs.at(i)
		k := int(r.part)*na + int(r.asset)
		acc[k], _ = acc[k].Add(s.acceptedUnits(i))
	}
	refunds := make([]token.Amount, n*na)
	due := make([]bool, n)
	has := make([]bool, n)
	for _, rf := range s.Refunds() {
		pi, _ := s.participant(rf.Participant)
		k := pi*na + s.assetIndex(rf.Amount.Asset())
		refunds[k], _ = refunds[k].Add(rf.Amount)
		has[pi] = true
		if _, key, _ := s.decidedRefund(rf.ContributionID, rf.Reason); !s.isPaid(key) {
			due[pi] = true
		}
	}
	alloc := make([]token.Amount, n)
	for k := range s.alloc.len() {
		alloc[s.partAt(k)] = s.allocation(k).Amount
	}
	t := CapTable{Currencies: make([]token.Asset, na), Rows: make([]CapTableRow, n)}
	for i, ap := range s.p.assets {
		t.Currencies[i] = ap.asset
	}
	for pi := range n {
		p := s.parts.at(pi)
		row := CapTableRow{Participant: s.name(pi), Contributions: int(p.count), Accepted: make([]token.Amount, na),
			Refunds: make([]token.Amount, na), Value: valueAmount(s.p.valueAsset, p.value),
			Weight: weightString(p.weight, 1, s.p.den, s.p.unitExp), Provisional: s.provisional(p.weight, s.weight),
			Allocation: alloc[pi], RefundState: RefundNone}
		for ai, ap := range s.p.assets {
			u := acc[pi*na+ai]
			row.Accepted[ai] = ap.asset.FromUint128Units(u.Hi, u.Lo)
			row.Refunds[ai] = refunds[pi*na+ai]
			if !row.Refunds[ai].IsValid() {
				row.Refunds[ai] = ap.asset.Zero()
			}
		}
		switch {
		case due[pi]:
			row.RefundState = RefundDue
		case has[pi]:
			row.RefundState = RefundPaid
		}
		if ri, ok := s.regIndex[s.name(pi)]; ok {
			row.Payout, row.RefundAddresses = s.registry[ri].Payout, maps.Clone(s.registry[ri].Refund)
		}
		t.Rows[pi] = row
	}
	return t
}

// AppendJSON appends the cap table's JSON to b: {"currencies":[{"symbol":"BTC",
// "decimals":8},...],"rows":[{"participant":"alice","contributions":1,
// "accepted":["40.00000000 BTC","0.000000000000000000 ETH"],"refunds":[...],"value":...,
// "weight":"48","provisional":...,"allocation":...,"refund_state":"none","payout":...,
// "refund_addresses":{"ETH":"0x..."}}]}, without an empty payout, address list or
// allocation.
func (t CapTable) AppendJSON(b []byte) []byte {
	w := jsonWriter{b: b}
	w.open()
	w.list("currencies", len(t.Currencies), func(i int) { w.rawAsset(t.Currencies[i]) })
	amounts := func(name string, xs []token.Amount) {
		w.list(name, len(xs), func(i int) {
			w.b = append(w.b, '"')
			w.b, _ = xs[i].AppendText(w.b)
			w.b = append(w.b, '"')
		})
	}
	w.list("rows", len(t.Rows), func(i int) {
		r := &t.Rows[i]
		w.open()
		w.str("participant", string(r.Participant))
		w.int("contributions", int64(r.Contributions))
		amounts("accepted", r.Accepted)
		amounts("refunds", r.Refunds)
		w.amount("value", r.Value)
		w.str("weight", r.Weight)
		w.amount("provisional", r.Provisional)
		w.amount("allocation", r.Allocation)
		w.str("refund_state", string(r.RefundState))
		w.optStr("payout", r.Payout)
		if len(r.RefundAddresses) > 0 {
			w.key("refund_addresses")
			w.b = append(w.b, '{')
			for j, sym := range slices.Sorted(maps.Keys(r.RefundAddresses)) {
				if j > 0 {
					w.b = append(w.b, ',')
				}
				w.b = append(appendString(w.b, sym), ':')
				w.b = appendString(w.b, r.RefundAddresses[sym])
			}
			w.b = append(w.b, '}')
		}
		w.close()
	})
	w.close()
	return w.b
}

// MarshalJSON returns what [CapTable.AppendJSON] appends.
func (t CapTable) MarshalJSON() ([]byte, error) { return t.AppendJSON(nil), nil }

// WriteCSV writes the cap table as CSV (RFC 4180) to w: a header, then one line per row.
// The columns are participant, contributions, then for each currency SYM (the amount
// accepted) and SYM_refund (the refunds decided), then value, weight, provisional,
// allocation, refund_state, payout, and for each currency SYM_refund_address. Amounts are
// plain numbers with all the decimals of their currency ("40.00000000"), so that a
// spreadsheet reads them; the header names the currency.
func (t CapTable) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"participant", "contributions"}
	for _, a := range t.Currencies {
		head = append(head, a.Symbol(), a.Symbol()+"_refund")
	}
	head = append(head, "value", "weight", "provisional", "allocation", "refund_state", "payout")
	for _, a := range t.Currencies {
		head = append(head, a.Symbol()+"_refund_address")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	num := func(x token.Amount) string {
		if !x.IsValid() {
			return ""
		}
		return x.Number()
	}
	for _, r := range t.Rows {
		line := []string{string(r.Participant), strconv.Itoa(r.Contributions)}
		for i := range t.Currencies {
			line = append(line, num(at(r.Accepted, i)), num(at(r.Refunds, i)))
		}
		line = append(line, num(r.Value), r.Weight, num(r.Provisional), num(r.Allocation), string(r.RefundState), safeCell(r.Payout))
		for _, a := range t.Currencies {
			line = append(line, safeCell(r.RefundAddresses[a.Symbol()]))
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func at(xs []token.Amount, i int) token.Amount {
	if i < len(xs) {
		return xs[i]
	}
	return token.Amount{}
}

// safeCell keeps a spreadsheet from reading a cell as a formula: a leading =, +, - or @ is
// escaped with a quote.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
