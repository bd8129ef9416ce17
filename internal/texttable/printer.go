package texttable

import (
	"fmt"
	"io"
	"strings"
)

// Printer writes the lines of a report: formatted lines, paragraphs wrapped at Width, and
// tables. It keeps the first write error, after which it writes nothing; [Printer.Err]
// returns it.
type Printer struct {
	W          io.Writer
	Width      int // the widest line a paragraph wraps to
	LabelWidth int // the column of the labels of [Printer.Item]
	err        error
}

// F writes a formatted line (or part of one), as fmt.Fprintf.
func (p *Printer) F(format string, a ...any) {
	if p.err != nil {
		return
	}
	_, p.err = fmt.Fprintf(p.W, format, a...)
}

// Say writes a paragraph indented by two spaces, wrapped at Width.
func (p *Printer) Say(format string, a ...any) { p.Item("", format, a...) }

// Item writes a paragraph after a label in a column of LabelWidth, wrapped at Width with its
// following lines indented under the text.
func (p *Printer) Item(label, format string, a ...any) {
	first := "  "
	if label != "" {
		first += fmt.Sprintf("%-*s", p.LabelWidth, label)
	}
	rest := strings.Repeat(" ", len(first))
	line := first
	for i, word := range strings.Fields(fmt.Sprintf(format, a...)) {
		if i > 0 && len(line)+1+len(word) > p.Width {
			p.F("%s\n", line)
			line = rest + word
			continue
		}
		if i > 0 {
			line += " "
		}
		line += word
	}
	p.F("%s\n", line)
}

// Table writes a table's lines.
func (p *Printer) Table(t *Table) {
	for _, l := range t.Lines() {
		p.F("%s\n", l)
	}
}

// Err returns the first write error, nil if there was none.
func (p *Printer) Err() error { return p.err }
