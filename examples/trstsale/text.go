package main

import (
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/trustcircle/trustcircle/internal/texttable"
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

// printer writes the report: texttable's Printer, under the report's short names.
type printer struct{ texttable.Printer }

func newPrinter(w io.Writer) *printer {
	return &printer{texttable.Printer{W: w, Width: width, LabelWidth: 15}}
}

func (p *printer) f(format string, a ...any)           { p.F(format, a...) }
func (p *printer) say(format string, a ...any)         { p.Say(format, a...) }
func (p *printer) item(label, format string, a ...any) { p.Item(label, format, a...) }
func (p *printer) table(t *table)                      { p.Table(t) }
