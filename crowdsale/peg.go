package crowdsale

import (
	"math/big"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/trustcircle/trustcircle/internal/uint128"
	"github.com/trustcircle/trustcircle/token"
)

// quoteFor validates the quotes of c, a contribution in the currency ai, and returns the
// index of their stored set (an existing identical set, or a new one described in pl).
func (s *Sale) quoteFor(op string, c *Contribution, pl *plan, ai int) (int32, error) {
	if n := len(s.quotes); n > 0 && int(s.quotes[n-1].asset) == ai && s.sameQuotes(&s.quotes[n-1], c.Quotes) {
		return int32(n - 1), nil
	}
	q := quoteSet{asset: uint8(ai)}
	q.rates = make([]token.Amount, len(s.p.sources))
	q.scaled = make([]uint64, len(s.p.sources))
	var vals [64]uint64
	var idx [64]int
	n := 0
	for src, rate := range c.Quotes {
		si := s.sourceIndex(src)
		if si < 0 {
			return 0, c.fail(op, ErrUnknownSource, nil, "source "+strconv.Quote(src))
		}
		v, detail := s.parseQuote(rate, s.p.assets[ai].scale)
		if detail != "" {
			err := c.fail(op, ErrInvalidQuote, nil, "source "+strconv.Quote(src)+": "+detail)
			err.(*Error).Amount = rate
			return 0, err
		}
		q.rates[si] = rate
		q.scaled[si] = v
		q.present |= 1 << uint(si)
		// insertion sort by (value, source index): deterministic whatever the map order
		j := n
		for j > 0 && (vals[j-1] > v || vals[j-1] == v && idx[j-1] > si) {
			vals[j], idx[j] = vals[j-1], idx[j-1]
			j--
		}
		vals[j], idx[j] = v, si
		n++
	}
	if n < s.cfg.Quotes.Quorum {
		return 0, c.fail(op, ErrQuorum, nil, strconv.Itoa(n)+" of the "+strconv.Itoa(s.cfg.Quotes.Quorum)+
			" quotes required; missing "+s.missingSources(q.present))
	}
	if n%2 == 1 {
		q.qs = vals[n/2]
	} else {
		// mean of the two middle quotes, exact: both are even multiples of the quote unit
		q.qs = (vals[n/2-1] + vals[n/2]) / 2
	}
	q.median = s.medianAmount(q.qs)
	pl.quote = &q
	return int32(len(s.quotes)), nil
}

// medianAmount returns the peg qs (2 x 10^QuoteDecimals per reference unit) as an amount of
// the value asset: qs x 5 x 10^maxDec of its minor units.
func (s *Sale) medianAmount(qs uint64) token.Amount {
	v, b := mulPow10(uint128.From64(qs), int(s.p.maxDec))
	if b == nil {
		if u, over := v.Mul64(5); !over {
			return s.p.valueAsset.FromUint128Units(u.Hi, u.Lo)
		}
		b = v.Big()
	}
	x, _ := s.p.valueAsset.FromUnits(b.Mul(b, big.NewInt(5))) // below 10^78: within the digits of an Amount
	return x
}

// missingSources lists, sorted, the sources that did not quote.
func (s *Sale) missingSources(present uint64) string {
	var missing []string
	for i, src := range s.p.sources {
		if present&(1<<uint(i)) == 0 {
			missing = append(missing, src)
		}
	}
	slices.Sort(missing)
	return strings.Join(missing, ", ")
}

// sameQuotes reports whether quotes are exactly the stored set (same sources, same amounts).
func (s *Sale) sameQuotes(q *quoteSet, quotes map[string]token.Amount) bool {
	if len(quotes) != bits.OnesCount64(q.present) {
		return false
	}
	for src, rate := range quotes {
		si := s.sourceIndex(src)
		if si < 0 || q.present&(1<<uint(si)) == 0 || rate.Asset() != s.p.quoteAsset {
			return false
		}
		// the stored quotes are positive amounts of the quote asset, below 2^60 units
		if hi, lo, ok := rate.Uint128Units(); !ok || hi != 0 || lo >= 1<<62 || 2*lo != q.scaled[si] {
			return false
		}
	}
	return true
}

// parseQuote returns rate * 2 * 10^QuoteDecimals as an integer, checking that rate is a
// positive amount of the quote asset, small enough that rate*scale stays in 62 bits. The
// detail says what is wrong, or is empty.
func (s *Sale) parseQuote(rate token.Amount, scale uint64) (uint64, string) {
	if rate.Asset() != s.p.quoteAsset {
		return 0, "not an amount of " + s.p.quoteAsset.String() + " with " + strconv.Itoa(int(s.p.quoteDecs)) + " decimals"
	}
	if !rate.IsPositive() {
		return 0, "quote must be positive"
	}
	hi, lo, ok := rate.Uint128Units()
	if !ok || hi != 0 || lo > (1<<60)/scale {
		return 0, "quote too large"
	}
	return 2 * lo, ""
}
