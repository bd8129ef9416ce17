package main

import (
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/trustcircle/trustcircle/token"
)

// num formats an amount for people, in the one format of the program: thousands
// separated, the trailing zeros of the fraction dropped ("80,000,000", "0.03",
// "16.666666666666666666"), never rounded.
func num(x token.Amount) string { return x.DisplayNumber(0) }

// withSymbol is num with the asset's symbol ("300 ETH", "80,000,000 TRST").
func withSymbol(x token.Amount) string { return x.Display(0) }

// when formats an instant of the sale: "Thu 2 Mar 2017 09:00 UTC".
func when(t time.Time) string { return t.UTC().Format("Mon 2 Jan 2006 15:04 UTC") }

// ratText writes an exact fraction as a decimal when it has one ("36.3125", "1,000,000"),
// with thousands separated, or else as num/den; never rounded.
func ratText(r *big.Rat) string {
	den := new(big.Int).Set(r.Denom())
	digits := 0
	for _, p := range []int64{2, 5} {
		n, q, m := 0, new(big.Int), new(big.Int)
		for {
			q.QuoRem(den, big.NewInt(p), m)
			if m.Sign() != 0 {
				break
			}
			den.Set(q)
			n++
		}
		digits = max(digits, n)
	}
	if den.Cmp(big.NewInt(1)) != 0 {
		return r.RatString()
	}
	return group(r.FloatString(digits)) // exact: 10^digits is a multiple of the denominator
}

// group puts thousands separators in a decimal's whole part and drops the trailing zeros
// of its fraction.
func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

// width is the widest line the program wraps its sentences to.
const width = 96

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

// say writes a paragraph indented by two spaces, wrapped at width.
func (p *printer) say(format string, a ...any) { p.item("", format, a...) }

// item writes a paragraph after a label in a column of 15, wrapped at width with its
// following lines indented under the text.
func (p *printer) item(label, format string, a ...any) {
	first := "  "
	if label != "" {
		first += fmt.Sprintf("%-15s", label)
	}
	rest := strings.Repeat(" ", len(first))
	line := first
	for i, word := range strings.Fields(fmt.Sprintf(format, a...)) {
		if i > 0 && len(line)+1+len(word) > width {
			p.f("%s\n", line)
			line = rest + word
			continue
		}
		if i > 0 {
			line += " "
		}
		line += word
	}
	p.f("%s\n", line)
}

// table writes a table's lines.
func (p *printer) table(t *table) {
	for _, l := range t.Lines() {
		p.f("%s\n", l)
	}
}
