// Package wire holds the library's generic JSON writers: strings escaped as encoding/json
// escapes them, times in UTC RFC 3339 with nanoseconds, unsigned integers, and room to
// write in place. They append to a caller's buffer, keep no state and do not allocate
// when the buffer has room, so the event encoders of every package share one fast,
// byte-exact implementation.
package wire

import (
	"encoding/json"
	"math/bits"
	"slices"
	"strconv"
	"time"
)

// Grow returns b with room for n more bytes.
func Grow(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		b = slices.Grow(b, n)
	}
	return b
}

// AppendString appends s as a JSON string, escaped as encoding/json escapes it (with <, >
// and & as \u003c, \u003e and \u0026), so that the bytes match json.Marshal's.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if plain[ch] {
			continue
		}
		if ch >= 0x80 {
			// Non-ASCII text (invalid UTF-8, U+2028, U+2029) takes encoding/json's path.
			q, _ := json.Marshal(s[i:])
			b = append(b, s[start:i]...)
			return append(b, q[1:]...)
		}
		b = append(b, s[start:i]...)
		switch ch {
		case '"', '\\':
			b = append(b, '\\', ch)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			b = append(b, `\u00`...)
			b = append(b, hexDigits[ch>>4], hexDigits[ch&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// plain reports the bytes a JSON string holds as they are: printable ASCII but for ", \
// and the HTML characters <, > and & that encoding/json escapes.
var plain = func() (t [256]bool) {
	for ch := 0x20; ch < 0x80; ch++ {
		t[ch] = ch != '"' && ch != '\\' && ch != '<' && ch != '>' && ch != '&'
	}
	return t
}()

// AppendTime appends t as a JSON string in UTC RFC 3339 with nanoseconds, trailing zeros
// trimmed: the bytes of time.Time.MarshalJSON for t.UTC(). Times in the years 0 to 9999
// are written with integer arithmetic; others (which MarshalJSON refuses) as
// time.Time.Format writes them.
func AppendTime(b []byte, t time.Time) []byte {
	sec, ns := t.Unix(), t.Nanosecond()
	days, srem := sec/86400, sec%86400
	if srem < 0 {
		days, srem = days-1, srem+86400
	}
	rem := uint64(srem)
	y, m, d, ok := civil(days)
	if !ok {
		return strconv.AppendQuote(b, t.UTC().Format(time.RFC3339Nano))
	}
	// "YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ": at most 32 bytes, written in place in b.
	start := len(b)
	b = Grow(b, 32)
	f := b[start : start+32]
	f[0] = '"'
	put2(f[1:], y/100)
	put2(f[3:], y%100)
	f[5] = '-'
	put2(f[6:], m)
	f[8] = '-'
	put2(f[9:], d)
	f[11] = 'T'
	put2(f[12:], uint32(rem/3600))
	f[14] = ':'
	put2(f[15:], uint32(rem/60%60))
	f[17] = ':'
	put2(f[18:], uint32(rem%60))
	n := 20
	if ns != 0 {
		u := uint32(ns)
		f[20] = '.'
		put2(f[21:], u/10_000_000)
		put2(f[23:], u/100_000%100)
		put2(f[25:], u/1000%100)
		put2(f[27:], u/10%100)
		f[29] = byte('0' + u%10)
		n = 30
		for f[n-1] == '0' {
			n--
		}
	}
	f[n], f[n+1] = 'Z', '"'
	return b[:start+n+2]
}

// civil returns the year, month and day (proleptic Gregorian) of the day number days
// (days since 1970-01-01), and false outside the years 0 to 9999. It is the algorithm of
// Neri and Schneider ("Euclidean affine functions and their application to calendar
// algorithms", 2022): a few multiplications and shifts, no table and no state.
func civil(days int64) (y, m, d uint32, ok bool) {
	// -719528 is 0000-01-01 and 2932896 is 9999-12-31.
	if days < -719528 || days > 2932896 {
		return 0, 0, 0, false
	}
	const shift = 82                // 400-year cycles added to make every day number positive
	const k = 719468 + 146097*shift // days from the shifted 0000-03-01 to 1970-01-01
	const l = 400 * shift           // the years the shift adds
	n := uint32(days + k)
	// The century and the day in it.
	n1 := 4*n + 3
	c := n1 / 146097
	nc := n1 % 146097 / 4
	// The year of the century and the day in it, counted from March 1.
	p2 := uint64(2939745) * uint64(4*nc+3)
	z := uint32(p2 >> 32)
	ny := uint32(p2) / 2939745 / 4
	// The month (3 to 14) and the day of the month, from the day of the year.
	n3 := 2141*ny + 197913
	mm := n3 >> 16
	dd := (n3 & 0xffff) / 2141
	y = 100*c + z
	if ny >= 306 { // January and February belong to the next year
		y++
		mm -= 12
	}
	return y - l, mm, dd + 1, true
}

// put2 writes the two decimal digits of v (0 to 99) to b.
func put2(b []byte, v uint32) {
	b[0], b[1] = twoDigits[2*v], twoDigits[2*v+1]
}

const twoDigits = "00010203040506070809" + "10111213141516171819" + "20212223242526272829" + "30313233343536373839" +
	"40414243444546474849" + "50515253545556575859" + "60616263646566676869" + "70717273747576777879" +
	"80818283848586878889" + "90919293949596979899"

// AppendUint appends the decimal digits of v, two at a time, in place in b: the bytes of
// strconv.AppendUint(b, v, 10).
func AppendUint(b []byte, v uint64) []byte {
	switch {
	case v < 10:
		return append(b, byte('0'+v))
	case v < 100:
		return append(b, twoDigits[2*v], twoDigits[2*v+1])
	}
	return AppendPadded(b, v, digits(v))
}

// AppendPadded appends the decimal digits of v padded with leading zeros to width digits
// (more digits when v needs them): AppendPadded(b, 5, 3) appends "005".
func AppendPadded(b []byte, v uint64, width int) []byte {
	if width < len(pow10) && (width <= 0 || v >= pow10[width]) {
		width = max(width, digits(v))
	}
	start := len(b)
	b = Grow(b, width)[:start+width]
	i := start + width
	for v >= 100 {
		i -= 2
		put2(b[i:], uint32(v%100))
		v /= 100
	}
	if v >= 10 {
		i -= 2
		put2(b[i:], uint32(v))
	} else {
		i--
		b[i] = byte('0' + v)
	}
	for j := start; j < i; j++ {
		b[j] = '0'
	}
	return b
}

// digits returns the number of decimal digits of v (1 for 0).
func digits(v uint64) int {
	n := (bits.Len64(v) * 1233) >> 12 // floor(log10(2^bits)): the count or one below
	if n < len(pow10) && v >= pow10[n] {
		n++
	}
	return max(n, 1)
}

// pow10[k] is 10^k, for every power below 2^64.
var pow10 = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	1e16, 1e17, 1e18, 1e19}

// Pow10 returns 10^k and true for k from 0 to 19 (every power of ten below 2^64), else 0
// and false.
func Pow10(k int) (uint64, bool) {
	if k < 0 || k >= len(pow10) {
		return 0, false
	}
	return pow10[k], true
}
