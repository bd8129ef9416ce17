package rosca

import (
	"math"
	"math/big"
	"slices"

	"github.com/trustcircle/trustcircle/internal/uint128"
)

// closedRound is a closed round as the circle keeps it: fixed-width and free of pointers,
// so that a circle's history costs the collector nothing to allocate or scan. Six figures
// are kept in 128 bits; the carry, the dust and the division remainder, which the rules
// bound by a few units a member, in 32. A figure that does not fit its slot is kept in
// Circle.bigRounds, a round's rarer figures in Circle.roundExts. The working form of a
// round, while it closes and when it is read, is a roundRec.
type closedRound struct {
	wide                                                    [wideFigures]uint128.U128
	small                                                   [figures - wideFigures]uint32
	round, epoch, winner, drawStart, candidates, recipients int32
	ext                                                     int32 // 1 + the index of the rarer figures in Circle.roundExts; 0 for none
	method                                                  methodCode
	remTo                                                   remainderCode
	debt                                                    bool
	big                                                     bool // a figure is in Circle.bigRounds
}

// figures is the number of a round's figures, in the order of roundRec.figs: the first
// wideFigures are kept in closedRound.wide, the others in closedRound.small.
const (
	figures     = 9
	wideFigures = 6
)

// bigRound holds the figures of closed round k that do not fit their slots (nil for the
// others).
type bigRound struct {
	k   int
	fig [figures]*big.Int
}

// methodCode is a round's Method as a round keeps it, one byte: the index in methods.
type methodCode uint8

// The method codes.
const (
	byBid methodCode = iota + 1
	byDraw
	byLot
	byOrganizer
	bySeat
)

// remainderCode is a round's RemainderTo as a round keeps it: the index in remainderTos.
type remainderCode uint8

// The remainder codes.
const (
	toBucket remainderCode = iota + 1
	toNextRound
	toWinner
)

// methods and remainderTos are the values the codes stand for ("" for none).
var (
	methods      = [...]Method{"", ByBid, ByDraw, ByLot, ByOrganizer, BySeat}
	remainderTos = [...]RemainderTo{"", ToBucket, ToNextRound, ToWinner}
)

// figs returns pointers to rr's figures: the wide ones, then the small ones.
func (rr *roundRec) figs() [figures]*units {
	return [figures]*units{&rr.bid, &rr.winnings, &rr.discount, &rr.shareEach, &rr.fee, &rr.feesReserved, &rr.carriedIn, &rr.dust, &rr.divRem}
}

// keep appends rr to the closed rounds.
func (c *Circle) keep(rr *roundRec) {
	k := len(c.closed)
	cr := closedRound{
		round: int32(rr.round), epoch: int32(rr.epoch), winner: int32(rr.winner), drawStart: int32(rr.drawStart),
		candidates: int32(rr.candidates), recipients: int32(rr.recipients), debt: rr.debt,
		method: rr.method, remTo: rr.remTo,
	}
	var large bigRound
	for f, x := range rr.figs() {
		switch {
		case f < wideFigures && x.b == nil:
			cr.wide[f] = x.v
		case f >= wideFigures && x.b == nil && x.v.Hi == 0 && x.v.Lo <= math.MaxUint32:
			cr.small[f-wideFigures] = uint32(x.v.Lo)
		default: // kept whole: a big value is never modified, a smaller one is copied out
			z := x.b
			if z == nil {
				z = x.v.Big()
			}
			large.k, large.fig[f], cr.big = k, z, true
		}
	}
	if cr.big {
		c.bigRounds = append(c.bigRounds, large)
	}
	if rr.x != nil {
		c.roundExts = append(c.roundExts, rr.x)
		cr.ext = int32(len(c.roundExts))
	}
	c.closed = append(c.closed, cr)
}

// round returns closed round k in its working form. Its rarer figures are shared with the
// circle: a closed round is never changed.
func (c *Circle) round(k int) roundRec {
	cr := &c.closed[k]
	rr := roundRec{
		round: int(cr.round), epoch: int(cr.epoch), winner: int(cr.winner), drawStart: int(cr.drawStart),
		candidates: int(cr.candidates), recipients: int(cr.recipients), debt: cr.debt,
		method: cr.method, remTo: cr.remTo,
	}
	var large *bigRound
	if cr.big {
		j, _ := slices.BinarySearchFunc(c.bigRounds, k, func(b bigRound, k int) int { return b.k - k })
		large = &c.bigRounds[j]
	}
	for f, x := range rr.figs() {
		switch {
		case large != nil && large.fig[f] != nil:
			*x = fromBig(large.fig[f])
		case f < wideFigures:
			x.v = cr.wide[f]
		default:
			x.v = uint128.From64(uint64(cr.small[f-wideFigures]))
		}
	}
	if cr.ext > 0 {
		rr.x = c.roundExts[cr.ext-1]
	}
	return rr
}
