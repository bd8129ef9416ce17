// Package texttable lays out the small text tables the example programs print: a heading
// line and rows, numbers lined up on their decimal points.
package texttable

import (
	"strings"
	"unicode/utf8"
)

// Align says how a column lines up its cells.
type Align int

const (
	Left    Align = iota // text, from the left edge
	Decimal              // numbers: their decimal points line up, the heading is right-aligned
)

// Column is one column of a table: its heading and alignment.
type Column struct {
	Head  string
	Align Align
}

// Table is a small text table: a heading line and rows, two spaces between the columns,
// indented by two spaces, no space at the end of a line. A Decimal column lines up its
// cells on their first '.', or on their end for a cell without one ("-"), and its heading
// ends where the column ends; what follows a cell's number (a symbol) follows it.
type Table struct {
	cols []Column
	rows [][]string
}

// New returns an empty table with the columns.
func New(cols ...Column) *Table { return &Table{cols: cols} }

// Row adds a row of cells, one a column (missing cells are empty).
func (t *Table) Row(cells ...string) { t.rows = append(t.rows, cells) }

// Lines returns the table's lines.
func (t *Table) Lines() []string {
	n := len(t.cols)
	whole, frac, width := make([]int, n), make([]int, n), make([]int, n)
	for i, c := range t.cols {
		width[i] = utf8.RuneCountInString(c.Head)
	}
	for _, r := range t.rows {
		for i := range min(n, len(r)) {
			w, f := split(r[i], t.cols[i].Align)
			whole[i] = max(whole[i], utf8.RuneCountInString(w))
			frac[i] = max(frac[i], utf8.RuneCountInString(f))
		}
	}
	for i := range n {
		width[i] = max(width[i], whole[i]+frac[i])
	}
	out := make([]string, 0, len(t.rows)+1)
	var b strings.Builder
	emit := func(cells []string, heading bool) {
		b.Reset()
		b.WriteString("  ")
		for i := range n {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			if i > 0 {
				b.WriteString("  ")
			}
			switch {
			case t.cols[i].Align == Left:
				b.WriteString(pad(cell, width[i], false))
			case heading:
				b.WriteString(pad(cell, width[i], true))
			default:
				w, f := split(cell, Decimal)
				num := pad(w, whole[i], true) + pad(f, frac[i], false)
				b.WriteString(pad(num, width[i], true))
			}
		}
		out = append(out, strings.TrimRight(b.String(), " "))
	}
	heads := make([]string, n)
	for i, c := range t.cols {
		heads[i] = c.Head
	}
	emit(heads, true)
	for _, r := range t.rows {
		emit(r, false)
	}
	return out
}

// split cuts a Decimal cell into the part before its number's decimal point and the rest:
// "4.6" is "4" and ".6", "1,000.5 ETH" is "1,000" and ".5 ETH", "400 BTC" is "400" and
// " BTC", "-" is "-" and "".
func split(cell string, a Align) (whole, frac string) {
	if a == Left {
		return cell, ""
	}
	end := strings.IndexFunc(cell, func(r rune) bool { return !strings.ContainsRune("-+,.0123456789", r) })
	if end < 0 {
		end = len(cell)
	}
	if i := strings.IndexByte(cell[:end], '.'); i >= 0 {
		return cell[:i], cell[i:]
	}
	return cell[:end], cell[end:]
}

// pad pads s with spaces to width runes, on the left (right-aligned) or on the right.
func pad(s string, width int, right bool) string {
	n := width - utf8.RuneCountInString(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}
