package main

import (
	"fmt"
	"math"
	"math/big"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// writeSVG draws the circle (see drawSVG) in the file at path.
func writeSVG(path string, c *rosca.Circle, h *history) error {
	b, err := drawSVG(c, h)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("-svg: %w", err)
	}
	return nil
}

// palette colours the members (Tableau 10); members past the tenth reuse it dashed.
var palette = []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}

// The picture's colours for payments and pots.
const (
	paidFill   = "#d6e6f5"
	unpaidFill = "#f4c7c3"
	potFill    = "#f6c945"
	inkColour  = "#222"
	gridColour = "#ddd"
)

// svg builds an SVG document with fmt; every text is escaped.
type svg struct{ b strings.Builder }

func (s *svg) f(format string, a ...any) { fmt.Fprintf(&s.b, format, a...) }

// text writes a text element at (x, y) with the given attributes (anchor, size, weight).
func (s *svg) text(x, y float64, attrs, text string) {
	s.f(`<text x="%.1f" y="%.1f" %s>%s</text>`+"\n", x, y, attrs, escape(text))
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func escape(s string) string { return escaper.Replace(s) }

// layout is the geometry of the picture.
type layout struct {
	n          int     // members and rounds
	left, colW float64 // the grid's left edge and column width
	rowH       float64
	width      float64
	gridTop    float64
	chartTop   float64
	chartH     float64
	height     float64
}

func newLayout(n int) layout {
	l := layout{n: n, left: 120, colW: 108, rowH: 36, gridTop: 150, chartH: 300}
	if n > 8 {
		l.colW = 84
	}
	l.width = l.left + float64(n)*l.colW + 250
	l.chartTop = l.gridTop + float64(n)*l.rowH + 130
	l.height = l.chartTop + l.chartH + 70
	return l
}

// drawSVG draws the circle: a grid of who paid what each round and who took each pot, and
// a chart of each member's net cash with the circle (received less paid in) after each
// round and at the end. It uses fmt only, so that the example builds fast.
func drawSVG(c *rosca.Circle, h *history) ([]byte, error) {
	cfg := c.Config()
	n := len(cfg.Members)
	l := newLayout(n)
	s := &svg{}
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="Helvetica, Arial, sans-serif">`+"\n",
		l.width, l.height, l.width, l.height)
	s.f(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	pot, err := cfg.Contribution.Mul(int64(n))
	if err != nil {
		return nil, err
	}
	s.text(20, 36, `font-size="22" font-weight="bold"`, fmt.Sprintf("A %s lending circle of %d members",
		kindName(cfg.Kind), n))
	s.text(20, 60, `font-size="14" fill="#555"`, fmt.Sprintf("Each pays %s %s a round into a pot of %s %s; WeTrust's rules, a %s fee for the foreperson, %s.",
		amt(cfg.Contribution), cfg.Asset.Symbol(), amt(pot), cfg.Asset.Symbol(), cfg.Fee, cfg.Foreperson))
	drawGrid(s, l, cfg, h)
	if err := drawChart(s, l, cfg, h); err != nil {
		return nil, err
	}
	s.f("</svg>\n")
	return []byte(s.b.String()), nil
}

// drawGrid draws a row per member and a column per round: each cell is what the member
// paid, the winner's cell what it took.
func drawGrid(s *svg, l layout, cfg rosca.Config, h *history) {
	s.text(20, l.gridTop-44, `font-size="17" font-weight="bold"`, "Who paid what each round, and who took the pot")
	for j, rd := range h.rounds {
		x := l.left + float64(j)*l.colW + l.colW/2
		s.text(x, l.gridTop-10, `font-size="13" text-anchor="middle" font-weight="bold"`, fmt.Sprintf("round %d", rd.r))
		s.text(x, l.gridTop+float64(l.n)*l.rowH+18, `font-size="12" text-anchor="middle" fill="#555"`, howTaken(rd.res))
	}
	for i, m := range cfg.Members {
		y := l.gridTop + float64(i)*l.rowH
		s.text(l.left-10, y+l.rowH/2+5, `font-size="14" text-anchor="end"`, string(m))
		for j, rd := range h.rounds {
			x := l.left + float64(j)*l.colW
			paid, ok := rd.paid[m]
			fill, label := paidFill, amt(paid)
			if !ok {
				fill, label = unpaidFill, "did not pay"
			}
			won := rd.res.Winner == m
			if won {
				fill = potFill
			}
			s.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="white" stroke-width="2"/>`+"\n",
				x, y, l.colW, l.rowH, fill)
			if won {
				s.text(x+l.colW/2, y+15, `font-size="12" text-anchor="middle" font-weight="bold"`, "takes "+amt(rd.res.Winnings))
				if ok {
					label = "paid " + label
				}
				s.text(x+l.colW/2, y+29, `font-size="11" text-anchor="middle"`, label)
			} else {
				s.text(x+l.colW/2, y+l.rowH/2+4, `font-size="12" text-anchor="middle"`, label)
			}
		}
	}
	lx, ly := l.left+float64(l.n)*l.colW+24, l.gridTop
	for k, e := range []struct{ fill, label string }{
		{paidFill, "paid into the pot"},
		{unpaidFill, "did not pay"},
		{potFill, "took the pot (after the fee)"},
	} {
		y := ly + float64(k)*24
		s.f(`<rect x="%.1f" y="%.1f" width="16" height="16" fill="%s"/>`+"\n", lx, y, e.fill)
		s.text(lx+24, y+13, `font-size="13"`, e.label)
	}
}

// howTaken says under a round's column how its pot was won: "bid 4.0", "by lot".
func howTaken(res rosca.RoundResult) string {
	switch {
	case res.Method == rosca.ByBid:
		return "lowest bid " + amt(res.Bid)
	case res.Method == rosca.BySeat:
		return "in seat order"
	case res.Candidates == 1:
		return "last to have it"
	}
	return "by lot"
}

// netSeries returns each member's net cash (withdrawn less contributed) at the start, after
// each round's withdrawal and at the end.
func netSeries(cfg rosca.Config, h *history) ([][]token.Amount, error) {
	snaps := [][]rosca.Position{nil}
	for _, rd := range h.rounds {
		snaps = append(snaps, rd.after)
	}
	snaps = append(snaps, h.end.positions)
	out := make([][]token.Amount, len(cfg.Members))
	for i := range cfg.Members {
		for _, pos := range snaps {
			net := cfg.Asset.Zero()
			if pos != nil {
				var err error
				if net, err = pos[i].Withdrawn.Sub(pos[i].Contributed); err != nil {
					return nil, err
				}
			}
			out[i] = append(out[i], net)
		}
	}
	return out, nil
}

// float is x as a float64, for drawing only.
func float(x token.Amount) float64 {
	f, _ := strconv.ParseFloat(x.Number(), 64)
	return f
}

// chart is the net-cash chart's scale: where a point k and a value v are drawn.
type chart struct {
	x0, top, w, h float64
	points        int
	lo, hi        float64
}

func (c chart) x(k int) float64     { return c.x0 + c.w*float64(k)/float64(c.points-1) }
func (c chart) y(v float64) float64 { return c.top + c.h*(c.hi-v)/(c.hi-c.lo) }

// drawChart draws each member's net cash over time, with labelled axes and a legend at
// the lines' ends.
func drawChart(s *svg, l layout, cfg rosca.Config, h *history) error {
	series, err := netSeries(cfg, h)
	if err != nil {
		return err
	}
	lo, hi := 0.0, 0.0
	for _, ser := range series {
		for _, x := range ser {
			lo, hi = math.Min(lo, float(x)), math.Max(hi, float(x))
		}
	}
	ticks := niceTicks(cfg.Asset, lo, hi)
	c := chart{x0: l.left, top: l.chartTop, w: float64(l.n) * l.colW, h: l.chartH, points: len(series[0]),
		lo: math.Min(lo, float(ticks[0])), hi: math.Max(hi, float(ticks[len(ticks)-1]))}
	s.text(20, c.top-44, `font-size="17" font-weight="bold"`, "Each member's net cash with the circle: received - paid in")
	s.text(20, c.top-24, `font-size="13" fill="#555"`, "taken at the start, after each round's close and the winner's withdrawal, and at the end")
	drawAxes(s, c, ticks, cfg.Asset.Symbol())
	ends := make([]endLabel, len(series))
	for i, ser := range series {
		colour, dash := palette[i%len(palette)], ""
		if i >= len(palette) {
			dash = ` stroke-dasharray="6 3"`
		}
		var pts []string
		for k, x := range ser {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", c.x(k), c.y(float(x))))
		}
		s.f(`<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>`+"\n", strings.Join(pts, " "), colour, dash)
		for k, x := range ser {
			fill, r := colour, 3.5
			if k >= 1 && k <= len(h.rounds) && h.rounds[k-1].res.Winner == cfg.Members[i] {
				fill, r = potFill, 6 // the round it took the pot
			}
			s.f(`<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s" stroke="%s" stroke-width="1.5"/>`+"\n", c.x(k), c.y(float(x)), r, fill, colour)
		}
		last := ser[len(ser)-1]
		ends[i] = endLabel{y: c.y(float(last)), text: fmt.Sprintf("%s %s", cfg.Members[i], amt(last)), colour: colour}
	}
	lx := c.x0 + c.w + 24
	s.f(`<circle cx="%.1f" cy="%.1f" r="6" fill="%s" stroke="%s" stroke-width="1.5"/>`+"\n", lx+8, c.top-30, potFill, inkColour)
	s.text(lx+22, c.top-26, `font-size="13"`, "took the pot")
	placeLabels(ends, 15)
	for _, e := range ends {
		s.text(c.x0+c.w+10, e.y+4, fmt.Sprintf(`font-size="13" fill="%s" font-weight="bold"`, e.colour), e.text)
	}
	return nil
}

// drawAxes draws the chart's grid lines and their amounts, its points' labels (start, the
// rounds, end) and the axes' titles.
func drawAxes(s *svg, c chart, ticks []token.Amount, symbol string) {
	for _, t := range ticks {
		y := c.y(float(t))
		colour, w := gridColour, 1
		if t.IsZero() {
			colour, w = "#888", 2
		}
		s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%d"/>`+"\n", c.x0, y, c.x0+c.w, y, colour, w)
		s.text(c.x0-8, y+4, `font-size="12" text-anchor="end"`, amt(t))
	}
	for k := range c.points {
		label := strconv.Itoa(k)
		switch k {
		case 0:
			label = "start"
		case c.points - 1:
			label = "end"
		}
		s.text(c.x(k), c.top+c.h+20, `font-size="12" text-anchor="middle"`, label)
	}
	s.text(c.x0+c.w/2, c.top+c.h+44, `font-size="13" text-anchor="middle" fill="#555"`, "after round")
	s.f(`<text transform="translate(%.1f %.1f) rotate(-90)" font-size="13" text-anchor="middle" fill="#555">%s</text>`+"\n",
		40.0, c.top+c.h/2, escape("net cash, "+symbol))
}

// endLabel is a label at the end of a line of the chart.
type endLabel struct {
	y            float64
	text, colour string
}

// placeLabels moves the labels apart, keeping their order, so that no two are closer than
// gap.
func placeLabels(ls []endLabel, gap float64) {
	sort.SliceStable(ls, func(i, j int) bool { return ls[i].y < ls[j].y })
	for i := 1; i < len(ls); i++ {
		if ls[i].y < ls[i-1].y+gap {
			ls[i].y = ls[i-1].y + gap
		}
	}
}

// niceTicks returns round amounts of the asset spanning [lo, hi] (and zero): about five
// multiples of 1, 2 or 5 times a power of ten, exact amounts so that their labels print in
// the report's format.
func niceTicks(a token.Asset, lo, hi float64) []token.Amount {
	span := hi - lo
	if span <= 0 {
		span = 1
	}
	exp := int(math.Floor(math.Log10(span / 8)))
	mant := int64(1)
	for _, m := range []int64{1, 2, 5, 10} {
		if float64(m)*math.Pow(10, float64(exp)) >= span/8 {
			mant = m
			break
		}
	}
	exp = max(exp, -a.Decimals())
	step := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp+a.Decimals())), nil)
	step.Mul(step, big.NewInt(mant))
	stepF := float64(mant) * math.Pow(10, float64(exp))
	first, last := int64(math.Floor(lo/stepF)), int64(math.Ceil(hi/stepF))
	var out []token.Amount
	for k := first; k <= last; k++ {
		x, err := a.FromUnits(new(big.Int).Mul(step, big.NewInt(k)))
		if err != nil {
			continue
		}
		out = append(out, x)
	}
	if len(out) == 0 {
		out = append(out, a.Zero())
	}
	return out
}
