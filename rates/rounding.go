package rates

import "math/big"

// Rounding names how an exact figure is rounded to the digits shown or to the minor unit of
// an asset. Every rounding of the package names one. The zero Rounding is [HalfEven]; a value
// outside the constants below rounds as HalfEven too.
type Rounding uint8

// The roundings. The examples round 2.5, 3.5 and -2.5 to an integer.
const (
	HalfEven         Rounding = iota // to the nearest, ties to the even neighbour: 2, 4, -2
	HalfAwayFromZero                 // to the nearest, ties away from zero: 3, 4, -3
	TowardZero                       // drop the excess (truncate): 2, 3, -2
	AwayFromZero                     // up in magnitude when anything is dropped: 3, 4, -3
	Floor                            // toward minus infinity: 2, 3, -3
	Ceiling                          // toward plus infinity: 3, 4, -2
)

var roundingNames = [...]string{"half_even", "half_away_from_zero", "toward_zero", "away_from_zero", "floor", "ceiling"}

// String returns the rounding's name: "half_even", "half_away_from_zero", "toward_zero",
// "away_from_zero", "floor" or "ceiling" (and "half_even" for a value outside them, which
// rounds as HalfEven).
func (m Rounding) String() string {
	if int(m) < len(roundingNames) {
		return roundingNames[m]
	}
	return roundingNames[HalfEven]
}

// roundQuo returns num/den rounded to an integer by mode; den must be positive. It does not
// modify its arguments.
func roundQuo(num, den *big.Int, mode Rounding) *big.Int {
	return roundQuoInto(new(big.Int), new(big.Int), num, den, mode)
}
