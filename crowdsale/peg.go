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
	if n := s.quotes.len(); n > 0 && int(s.quotes.at(n-1).asset) == ai && s.sameQuotes(s.quotes.at(n-1), c.Quotes) {
		return int32(n - 1), nil
	}
	q := &pl.quote
	*q = quoteSet{asset: uint8(ai)}
	q.rates = make([]token.Amount, len(s.p.sources))
	var vals [64]uint64
	var idx [64]int
	n, wide := 0, false
	for src, rate := range c.Quotes {
		si := s.sourceIndex(src)
		if si < 0 {
			return 0, c.fail(op, ErrUnknownSource, nil, "source "+strconv.Quote(src))
		}
		v, used, detail := s.parseQuote(rate, s.p.assets[ai].scale)
		if detail != "" {
			err := c.fail(op, ErrInvalidQuote, nil, "source "+strconv.Quote(src)+": "+detail)
			err.(*Error).Amount = rate
			return 0, err
		}
		if rate.Asset() != s.p.quoteAsset { // rounded or scaled: recorded
			if q.used == nil {
				q.used = make([]token.Amount, len(s.p.sources))
			}
			q.used[si] = used
		}
		q.rates[si] = rate
		q.present |= 1 << uint(si)
		// a quote past 2^62 (twice the minor units): the median is found on 128 bits below
		wide = wide || v.Hi != 0 || v.Lo > 1<<62
		// insertion sort by (value, source index): deterministic whatever the map order
		j := n
		for j > 0 && (vals[j-1] > v.Lo || vals[j-1] == v.Lo && idx[j-1] > si) {
			vals[j], idx[j] = vals[j-1], idx[j-1]
			j--
		}
		vals[j], idx[j] = v.Lo, si
		n++
	}
	if n < s.cfg.Quotes.Quorum {
		return 0, c.fail(op, ErrQuorum, nil, strconv.Itoa(n)+" of the "+strconv.Itoa(s.cfg.Quotes.Quorum)+
			" quotes required; missing "+s.missingSources(q.present))
	}
	var qs uint128.U128
	switch {
	case wide:
		qs = s.wideMedian(c, ai)
	case n%2 == 1:
		qs = uint128.From64(vals[n/2])
	default:
		// mean of the two middle quotes, exact: both are even multiples of the quote unit
		qs = uint128.From64((vals[n/2-1] + vals[n/2]) / 2)
	}
	q.per, _ = qs.Mul64(s.p.assets[ai].scale) // at most the largest quote's, below 2^126
	q.median = s.medianAmount(qs)
	pl.newQuote = true
	return int32(s.quotes.len()), nil
}

// wideMedian returns the median of c's quotes (validated: parseQuote accepts each), twice
// their minor units, on 128 bits: the mean of the two middle ones for an even count.
func (s *Sale) wideMedian(c *Contribution, ai int) uint128.U128 {
	var vals [64]uint128.U128
	n := 0
	for _, rate := range c.Quotes {
		v, _, _ := s.parseQuote(rate, s.p.assets[ai].scale)
		j := n
		for j > 0 && vals[j-1].Cmp(v) > 0 {
			vals[j] = vals[j-1]
			j--
		}
		vals[j] = v
		n++
	}
	if n%2 == 1 {
		return vals[n/2]
	}
	qs, _ := half(vals[n/2-1]).Add(half(vals[n/2])) // below 2^126, as both are
	return qs
}

// half returns x / 2 for an even x.
func half(x uint128.U128) uint128.U128 {
	return uint128.U128{Hi: x.Hi >> 1, Lo: x.Lo>>1 | x.Hi<<63}
}

// medianAmount returns the peg qs (2 x 10^QuoteDecimals per reference unit) as an amount of
// the value asset: qs x 5 x 10^maxDec of its minor units.
func (s *Sale) medianAmount(qs uint128.U128) token.Amount {
	v, b := mulPow10(qs, int(s.p.maxDec))
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
	// as many quotes as the set has, each from a source of the set: the same sources (a
	// look-up per source costs less than ranging over the map)
	for present := q.present; present != 0; present &= present - 1 {
		si := bits.TrailingZeros64(present)
		rate, ok := quotes[s.p.sources[si]]
		if !ok {
			return false
		}
		if rate == q.rates[si] { // the very quote stored (a quote used is recorded only beside another asset's)
			continue
		}
		if rate.Asset() != s.p.quoteAsset {
			if !rate.Equal(q.rates[si]) {
				return false
			}
			continue
		}
		// the stored quote is of the quote asset unless a quote used is recorded beside it
		hi, lo, ok := rate.Uint128Units()
		if q.used != nil && q.used[si].IsValid() || !ok {
			return false
		}
		if shi, slo, _ := q.rates[si].Uint128Units(); hi != shi || lo != slo {
			return false
		}
	}
	return true
}

// parseQuote returns rate * 2 * 10^QuoteDecimals as an integer, checking that rate is a
// positive amount of the quote asset (or, with a rounding, of the reference's symbol at any
// number of decimals, used rounded), small enough that one minor unit's value, 2 x its
// minor units x scale, stays below 2^126 value units (no cap reaches that: a minor unit worth
// more could never be accepted). used is the quote used, an amount of the quote asset: rate
// itself unless it was rounded or scaled. The detail says what is wrong, or is empty.
func (s *Sale) parseQuote(rate token.Amount, scale uint64) (v uint128.U128, used token.Amount, detail string) {
	used = rate
	if rate.Asset() != s.p.quoteAsset {
		if s.p.quoteRound == "" || !rate.IsValid() || rate.Asset().Symbol() != s.p.quoteAsset.Symbol() {
			return v, used, "not an amount of " + s.p.quoteAsset.String() + " with " + strconv.Itoa(int(s.p.quoteDecs)) + " decimals"
		}
		if !rate.IsPositive() {
			return v, used, "quote must be positive"
		}
		if used = roundQuote(rate, s.p.quoteAsset, s.p.quoteRound); !used.IsPositive() {
			return v, used, "quote " + rate.String() + " rounds to zero at " + strconv.Itoa(int(s.p.quoteDecs)) + " decimals"
		}
	}
	if !used.IsPositive() {
		return v, used, "quote must be positive"
	}
	hi, lo, ok := used.Uint128Units()
	if !ok {
		return v, used, "quote too large"
	}
	if hi == 0 && lo <= maxFastQuote/scale {
		return uint128.From64(2 * lo), used, "" // the common case: one minor unit's value fits 62 bits
	}
	v, over := uint128.U128{Hi: hi, Lo: lo}.Mul64(2)
	if per, over2 := v.Mul64(scale); over || over2 || per.Hi>>62 != 0 {
		return uint128.U128{}, used, "quote too large"
	}
	return v, used, ""
}

// maxFastQuote bounds the quotes (in minor units) whose value per minor unit, 2 x quote x
// scale, is found with 64-bit arithmetic.
const maxFastQuote = 1 << 60

// roundQuote returns the positive amount x (of a's symbol, at other decimals) as an amount of
// a, rounded by r when it has more decimals, scaled exactly when it has fewer. It works on
// 128-bit integers, and on math/big only when x or the scaled quote does not fit them.
func roundQuote(x token.Amount, a token.Asset, r QuoteRounding) token.Amount {
	if y, ok := roundQuote128(x, a, r); ok {
		return y
	}
	return roundQuoteBig(x, a, r)
}

// roundQuote128 is roundQuote on 128-bit integers; ok is false when x is 2^128 minor units or
// more, or is scaled to that.
func roundQuote128(x token.Amount, a token.Asset, r QuoteRounding) (y token.Amount, ok bool) {
	hi, lo, ok := x.Uint128Units()
	if !ok {
		return token.Amount{}, false
	}
	u := uint128.U128{Hi: hi, Lo: lo}
	k := x.Asset().Decimals() - a.Decimals()
	if k <= 0 {
		v, huge := mulPow10(u, -k)
		if huge != nil {
			return token.Amount{}, false
		}
		return a.FromUint128Units(v.Hi, v.Lo), true
	}
	// k is at most token.MaxDecimals (36): 10^k, the remainder and twice it fit 128 bits
	p, _ := mulPow10(uint128.From64(1), k)
	q, rem := quoRemPow10(u, k)
	twice, _ := rem.Add(rem)
	up := false
	switch c := twice.Cmp(p); r {
	case RoundUp:
		up = !rem.IsZero()
	case RoundHalfUp:
		up = c >= 0
	case RoundHalfEven:
		up = c > 0 || c == 0 && q.Lo&1 == 1
	}
	if up {
		q, _ = q.Add(uint128.From64(1)) // q is at most x / 10: no overflow
	}
	return a.FromUint128Units(q.Hi, q.Lo), true
}

// quoRemPow10 returns u / 10^k and u mod 10^k for k in 1..38, in one or two 64-bit divisions.
func quoRemPow10(u uint128.U128, k int) (q, rem uint128.U128) {
	if k <= 19 {
		q, r := u.QuoRem64(pow10(k))
		return q, uint128.From64(r)
	}
	// u = q1 x 10^19 + r1 and q1 = q x 10^(k-19) + r2, so u = q x 10^k + r2 x 10^19 + r1,
	// that last below 10^k
	q1, r1 := u.QuoRem64(pow10(19))
	q, r2 := q1.QuoRem64(pow10(k - 19))
	rem, _ = uint128.From64(r2).Mul64(pow10(19))
	rem, _ = rem.Add(uint128.From64(r1))
	return q, rem
}

// roundQuoteBig is roundQuote on math/big.
func roundQuoteBig(x token.Amount, a token.Asset, r QuoteRounding) token.Amount {
	u := x.Units()
	k := x.Asset().Decimals() - a.Decimals()
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(k, -k))), nil)
	if k < 0 {
		y, _ := a.FromUnits(u.Mul(u, p)) // too many digits: the zero Amount, refused as too large
		return y
	}
	q, rem := new(big.Int).QuoRem(u, p, new(big.Int))
	up := false
	switch twice := rem.Lsh(rem, 1).Cmp(p); r {
	case RoundUp:
		up = rem.Sign() > 0
	case RoundHalfUp:
		up = twice >= 0
	case RoundHalfEven:
		up = twice > 0 || twice == 0 && q.Bit(0) == 1
	}
	if up {
		q.Add(q, bigOne)
	}
	y, _ := a.FromUnits(q) // at most the units of x
	return y
}
