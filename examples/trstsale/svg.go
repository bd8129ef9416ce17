package main

import (
	"fmt"
	"math/big"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/token"
)

// writeSVG draws the sale (see drawSVG) in the file at path.
func writeSVG(path string, cfg crowdsale.Config, fall []step) error {
	if err := os.WriteFile(path, drawSVG(cfg, fall), 0o644); err != nil {
		return fmt.Errorf("-svg: %w", err)
	}
	return nil
}

// svg builds an SVG document with fmt; every text is escaped.
type svg struct{ b strings.Builder }

func (s *svg) f(format string, a ...any) { fmt.Fprintf(&s.b, format, a...) }

// text writes a text element at (x, y) with the given attributes.
func (s *svg) text(x, y float64, attrs, text string) {
	s.f(`<text x="%.1f" y="%.1f" %s>%s</text>`+"\n", x, y, attrs, escape(text))
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke string, w float64) {
	s.f(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%.1f"/>`+"\n", x1, y1, x2, y2, stroke, w)
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func escape(s string) string { return escaper.Replace(s) }

// The picture's geometry and colours.
const (
	svgW      = 960.0
	plotX     = 110.0 // the plots' left edge
	plotW     = 620.0
	tierTop   = 140.0
	tierH     = 190.0
	barTop    = 460.0
	barH      = 250.0
	svgH      = 800.0
	tierFill  = "#f9d8a7"
	tierLine  = "#e08a1e"
	barFill   = "#4e79a7"
	dotFill   = "#e15759"
	gridColor = "#ddd"
	greyText  = `fill="#555"`
)

// drawSVG draws the bonus tiers over the sale's window, with the falling balance's
// contributions marked on them, and Dana's provisional balance after each contribution.
// It uses fmt only, so that the example builds fast.
func drawSVG(cfg crowdsale.Config, fall []step) []byte {
	s := &svg{}
	s.f(`<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="Helvetica, Arial, sans-serif">`+"\n",
		svgW, svgH, svgW, svgH)
	s.f(`<rect width="100%%" height="100%%" fill="white"/>` + "\n")
	s.text(20, 36, `font-size="22" font-weight="bold"`, "The 2017 TRST sale: bonus tiers and a falling provisional balance")
	s.text(20, 60, `font-size="14" `+greyText, fmt.Sprintf("A pool of %s shared by weight: value in %s times (1 + the bonus of the day).",
		withSymbol(cfg.Pool), cfg.Reference.Symbol()))
	drawTiers(s, cfg, fall)
	drawBalance(s, cfg, fall)
	s.f("</svg>\n")
	return []byte(s.b.String())
}

// ratio is r as a float64, for drawing only.
func ratio(r token.Ratio) float64 { return float64(r.Num()) / float64(r.Den()) }

// drawTiers draws the bonus as a step over the window, and a dot where each contribution
// of the falling balance landed.
func drawTiers(s *svg, cfg crowdsale.Config, fall []step) {
	s.text(20, tierTop-34, `font-size="17" font-weight="bold"`, "The bonus falls week by week")
	span := cfg.End.Sub(cfg.Start).Seconds()
	xAt := func(t time.Time) float64 { return plotX + plotW*t.Sub(cfg.Start).Seconds()/span }
	maxBonus := 0.0
	for _, t := range cfg.Tiers {
		maxBonus = max(maxBonus, ratio(t.Bonus))
	}
	if maxBonus == 0 {
		maxBonus = 1
	}
	yAt := func(b float64) float64 { return tierTop + tierH*(1-b/maxBonus*0.9) } // headroom for the labels
	for k := 0; k <= 3; k++ {
		b := maxBonus * float64(k) / 3
		s.line(plotX, yAt(b), plotX+plotW, yAt(b), gridColor, 1)
		s.text(plotX-8, yAt(b)+4, `font-size="12" text-anchor="end"`, strconv.FormatFloat(b*100, 'f', -1, 64)+"%")
	}
	for i, t := range cfg.Tiers {
		end := cfg.End
		if i+1 < len(cfg.Tiers) {
			end = cfg.Tiers[i+1].From
		}
		x0, x1, y := xAt(t.From), xAt(end), yAt(ratio(t.Bonus))
		s.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="white"/>`+"\n", x0, y, x1-x0, yAt(0)-y, tierFill)
		s.line(x0, y, x1, y, tierLine, 3)
		s.text((x0+x1)/2, y-8, `font-size="13" text-anchor="middle" font-weight="bold"`, t.Bonus.String())
		dy := 18.0
		if i == 1 {
			dy = 32 // the second tier starts a day after the first
		}
		s.text(x0, yAt(0)+dy, `font-size="12" text-anchor="middle"`, t.From.Format("2 Jan"))
	}
	s.text(plotX+plotW, yAt(0)+18, `font-size="12" text-anchor="middle"`, cfg.End.Format("2 Jan"))
	s.line(plotX, yAt(0), plotX+plotW, yAt(0), "#888", 2)
	s.text(plotX+plotW/2, yAt(0)+52, `font-size="13" text-anchor="middle" `+greyText, "day of the sale (2017, UTC)")
	s.f(`<text transform="translate(%.1f %.1f) rotate(-90)" font-size="13" text-anchor="middle" %s>bonus</text>`+"\n",
		40.0, tierTop+tierH/2, greyText)
	lx := plotX + plotW + 24
	s.text(lx, tierTop+4, `font-size="13" font-weight="bold"`, "the contributions below")
	prevX := -100.0
	dy := 0.0
	for i, st := range fall {
		x, y := xAt(st.at), yAt(ratio(st.bonus))
		if x-prevX < 18 {
			dy += 18 // stack the dots of contributions close in time
		} else {
			dy = 0
		}
		prevX = x
		s.f(`<circle cx="%.1f" cy="%.1f" r="8" fill="%s" stroke="white" stroke-width="1.5"/>`+"\n", x, y+dy+12, dotFill)
		s.text(x, y+dy+16, `font-size="11" text-anchor="middle" fill="white" font-weight="bold"`, strconv.Itoa(i+1))
		ly := tierTop + 26 + 20*float64(i)
		s.f(`<circle cx="%.1f" cy="%.1f" r="8" fill="%s"/>`+"\n", lx+8, ly-4, dotFill)
		s.text(lx+8, ly, `font-size="11" text-anchor="middle" fill="white" font-weight="bold"`, strconv.Itoa(i+1))
		s.text(lx+22, ly, `font-size="12"`, fmt.Sprintf("%s %s, %s", st.participant, withSymbol(st.amount), st.at.Format("2 Jan 15:04")))
	}
}

// drawBalance draws Dana's provisional balance after each contribution as bars.
func drawBalance(s *svg, cfg crowdsale.Config, fall []step) {
	s.text(20, barTop-44, `font-size="17" font-weight="bold"`, "Dana's provisional balance falls as others contribute")
	s.text(20, barTop-24, `font-size="13" `+greyText, "the pool times her weight over all the weight so far, rounded down to the micro-TRST")
	top := cfg.Pool
	ticks := poolTicks(cfg.Pool)
	hi := float(top)
	yAt := func(v float64) float64 { return barTop + barH*(1-v/hi) }
	for _, t := range ticks {
		s.line(plotX, yAt(float(t)), plotX+plotW, yAt(float(t)), gridColor, 1)
		s.text(plotX-8, yAt(float(t))+4, `font-size="12" text-anchor="end"`, num(t))
	}
	n := float64(max(len(fall), 1))
	slot := plotW / n
	for i, st := range fall {
		x := plotX + slot*float64(i) + slot*0.2
		y := yAt(float(st.provisional))
		s.f(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`+"\n", x, y, slot*0.6, yAt(0)-y, barFill)
		s.text(x+slot*0.3, y-8, `font-size="13" text-anchor="middle" font-weight="bold"`, num(st.provisional))
		s.text(x+slot*0.3, yAt(0)+18, `font-size="12" text-anchor="middle"`, fmt.Sprintf("after %s's %s", st.participant, withSymbol(st.amount)))
		s.text(x+slot*0.3, yAt(0)+34, `font-size="11" text-anchor="middle" `+greyText,
			fmt.Sprintf("%s, bonus %s", st.at.Format("2 Jan 15:04"), st.bonus))
	}
	s.line(plotX, yAt(0), plotX+plotW, yAt(0), "#888", 2)
	s.text(plotX+plotW/2, yAt(0)+58, `font-size="13" text-anchor="middle" `+greyText, "the contributions, in order")
	s.f(`<text transform="translate(%.1f %.1f) rotate(-90)" font-size="13" text-anchor="middle" %s>%s</text>`+"\n",
		30.0, barTop+barH/2, greyText, escape("provisional "+cfg.Token.Symbol()))
}

// float is x as a float64, for drawing only.
func float(x token.Amount) float64 {
	f, _ := strconv.ParseFloat(x.Number(), 64)
	return f
}

// poolTicks returns the amounts 0, 1/4, 1/2, 3/4 and all of the pool, rounded down to the
// minor unit, for the balance axis.
func poolTicks(pool token.Amount) []token.Amount {
	out := make([]token.Amount, 0, 5)
	u := pool.Units()
	for k := int64(0); k <= 4; k++ {
		v := new(big.Int).Mul(u, big.NewInt(k))
		x, err := pool.Asset().FromUnits(v.Quo(v, big.NewInt(4)))
		if err == nil {
			out = append(out, x)
		}
	}
	return out
}
