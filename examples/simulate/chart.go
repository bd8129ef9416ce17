package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/trustcircle/trustcircle/simulate"
	"github.com/trustcircle/trustcircle/token"
)

// dollars returns an amount as a float, for drawing only.
func dollars(x token.Amount) float64 {
	f, _ := strconv.ParseFloat(x.Number(), 64)
	return f
}

// chart draws the distribution of the net outcome of every seat as a box plot: the box from
// the 25th to the 75th percentile with the median, whiskers to the 5th and 95th percentiles,
// dots at the minimum and maximum.
func chart(title string, seats []simulate.SeatSummary) []byte {
	const w, h, left, right, top, bottom = 960.0, 480.0, 80.0, 200.0, 50.0, 60.0
	lo, hi := 0.0, 0.0
	for _, s := range seats {
		lo, hi = math.Min(lo, dollars(s.Net.Min)), math.Max(hi, dollars(s.Net.Max))
	}
	if hi-lo < 1 {
		hi, lo = hi+1, lo-1
	}
	pad := (hi - lo) * 0.05
	lo, hi = lo-pad, hi+pad
	y := func(v float64) float64 { return top + (hi-v)/(hi-lo)*(h-top-bottom) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`+"\n", w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="25" font-size="16" text-anchor="middle">%s</text>`+"\n", (left+w-right)/2, escape(title))
	// The axes, ticks and labels.
	step := niceStep((hi - lo) / 8)
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", left, w-right, y(v), y(v))
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end">%s</text>`+"\n", left-6, y(v)+4, strconv.FormatFloat(v, 'f', -1, 64))
	}
	fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="%.1f" y2="%.1f" stroke="black"/>`+"\n", left, w-right, y(0), y(0))
	fmt.Fprintf(&b, `<text transform="translate(20 %.0f) rotate(-90)" text-anchor="middle">net outcome per member (USD)</text>`+"\n", (top+h-bottom)/2)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle">seat (member)</text>`+"\n", (left+w-right)/2, h-15)
	slot := (w - left - right) / float64(max(len(seats), 1))
	for i, s := range seats {
		x := left + slot*(float64(i)+0.5)
		bw := slot * 0.5
		q := s.Net
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="black"/>`+"\n", x, x, y(dollars(q.P95)), y(dollars(q.P5)))
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#8cb4e6" stroke="black"/>`+"\n",
			x-bw/2, y(dollars(q.P75)), bw, math.Max(y(dollars(q.P25))-y(dollars(q.P75)), 1))
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#c0392b" stroke-width="2"/>`+"\n", x-bw/2, x+bw/2, y(dollars(q.Median)), y(dollars(q.Median)))
		for _, v := range []token.Amount{q.Min, q.Max} {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="black"/>`+"\n", x, y(dollars(v)))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.0f" text-anchor="middle">%d (%s)</text>`+"\n", x, h-bottom+18, s.Seat, escape(string(s.Member)))
	}
	// The legend.
	lx := w - right + 20
	fmt.Fprintf(&b, `<rect x="%.0f" y="60" width="14" height="14" fill="#8cb4e6" stroke="black"/><text x="%.0f" y="72">25th to 75th percentile</text>`+"\n", lx, lx+20)
	fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="92" y2="92" stroke="#c0392b" stroke-width="2"/><text x="%.0f" y="96">median</text>`+"\n", lx, lx+14, lx+20)
	fmt.Fprintf(&b, `<line x1="%.0f" x2="%.0f" y1="106" y2="122" stroke="black"/><text x="%.0f" y="118">5th to 95th</text>`+"\n", lx+7, lx+7, lx+20)
	fmt.Fprintf(&b, `<circle cx="%.0f" cy="138" r="2.5" fill="black"/><text x="%.0f" y="142">minimum, maximum</text>`+"\n", lx+7, lx+20)
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

// niceStep rounds a tick step up to 1, 2 or 5 times a power of ten.
func niceStep(s float64) float64 {
	if s <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(s)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= s {
			return m * p
		}
	}
	return 10 * p
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
