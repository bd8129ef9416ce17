package token

// Display returns x for people to read: its number with a comma between each group of three
// whole digits, the trailing zeros of its fraction dropped down to minDecimals decimals (a
// negative minDecimals counts as 0; no more decimals than the asset's are ever written), a
// space and its asset's symbol: "80,000,000 TRST", "-1,234.5 ETH", "0.000000000000000001 ETH".
// No digit other than a trailing zero is ever dropped: the text is exact, never rounded. The
// zero Amount is "(no amount)".
//
// The text is for people, not for parsing: the commas are not part of the amount grammar
// ([ParseAmount] and [Asset.Parse] refuse them), and the number of decimals varies with the
// amount. Write amounts for programs with [Amount.String] or [Amount.MarshalText].
func (x Amount) Display(minDecimals int) string {
	if !x.IsValid() {
		return "(no amount)"
	}
	var buf [2 * maxAmountText]byte
	b := x.appendDisplayNumber(buf[:0], minDecimals)
	b = append(b, ' ')
	return string(append(b, x.asset().symbol...))
}

// DisplayNumber is [Amount.Display] without the symbol ("80,000,000", "-1,234.5"), for the
// columns of a table whose heading names the asset. The zero Amount is "(no amount)".
func (x Amount) DisplayNumber(minDecimals int) string {
	if !x.IsValid() {
		return "(no amount)"
	}
	var buf [2 * maxAmountText]byte
	return string(x.appendDisplayNumber(buf[:0], minDecimals))
}

// appendDisplayNumber appends the number of [Amount.Display] to b.
func (x Amount) appendDisplayNumber(b []byte, minDecimals int) []byte {
	var buf [maxAmountText]byte
	s := x.AppendNumber(buf[:0])
	if len(s) > 0 && s[0] == '-' {
		b = append(b, '-')
		s = s[1:]
	}
	whole, frac := s, []byte(nil)
	for i, c := range s {
		if c == '.' {
			whole, frac = s[:i], s[i+1:]
			break
		}
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	keep := len(frac)
	for keep > max(minDecimals, 0) && frac[keep-1] == '0' {
		keep--
	}
	if keep > 0 {
		b = append(b, '.')
		b = append(b, frac[:keep]...)
	}
	return b
}
