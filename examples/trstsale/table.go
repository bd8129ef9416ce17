package main

import (
	"strings"
	"unicode/utf8"
)

// align says how a column lines up its cells.
type align int

const (
	left    align = iota // text, from the left edge
	decimal              // numbers: their decimal points line up, the heading is right-aligned
)

// column is one column of a table: its heading and alignment.
type column struct {
	head  string
	align align
}

// table is a small text table: a heading line and rows, two spaces between the columns,
// indented by two spaces, no space at the end of a line. A decimal column lines up its
// cells on their first '.', or on their end for a cell without one ("-"), and its heading
// ends where the column ends; what follows a cell's number (a symbol) follows it.
type table struct {
	cols []column
	rows [][]string
}

func newTable(cols ...column) *table { return &table{cols: cols} }

// row adds a row of cells, one a column (missing cells are empty).
func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// lines returns the table's lines.
func (t *table) lines() []string {
	n := len(t.cols)
	whole, frac, width := make([]int, n), make([]int, n), make([]int, n)
	for i, c := range t.cols {
		width[i] = utf8.RuneCountInString(c.head)
	}
	for _, r := range t.rows {
		for i := range min(n, len(r)) {
			w, f := split(r[i], t.cols[i].align)
			whole[i] = max(whole[i], utf8.RuneCountInString(w))
			frac[i] = max(frac[i], utf8.RuneCountInString(f))
		}
	}
	for i := range n {
		width[i] = max(width[i], whole[i]+frac[i])
	}
	out := make([]string, 0, len(t.rows)+1)
	var b strings.Builder
	emit := func(cells []string, head bool) {
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
			case t.cols[i].align == left:
				b.WriteString(pad(cell, width[i], false))
			case head:
				b.WriteString(pad(cell, width[i], true))
			default:
				w, f := split(cell, decimal)
				num := pad(w, whole[i], true) + pad(f, frac[i], false)
				b.WriteString(pad(num, width[i], true))
			}
		}
		out = append(out, strings.TrimRight(b.String(), " "))
	}
	heads := make([]string, n)
	for i, c := range t.cols {
		heads[i] = c.head
	}
	emit(heads, true)
	for _, r := range t.rows {
		emit(r, false)
	}
	return out
}

// split cuts a decimal cell into the part before its number's decimal point and the rest:
// "4.6" is "4" and ".6", "1,000.5 ETH" is "1,000" and ".5 ETH", "400 BTC" is "400" and
// " BTC", "-" is "-" and "".
func split(cell string, a align) (whole, frac string) {
	if a == left {
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
