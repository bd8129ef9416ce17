package rates

import (
	"fmt"
	"testing"

	"github.com/trustcircle/trustcircle/token"
)

func TestScratch(t *testing.T) {
	inr, _ := token.NewAsset("INR", 2)
	fl := map[string][]int64{"T1": {8000, -1500, -1700, -1854, -2000}, "A": {-2000, 5500, -1700, -1854, -2000}, "B": {-2000, -1500, 6300, -1854, -2000}, "C": {-2000, -1500, -1700, 6912, -2000}, "D": {-2000, -1500, -1700, -1854, 7500}, "X": {-6, 9, 9, -3}, "sq": {1, -2, 1}, "sq3": {-1, 3, -3, 1}}
	for _, k := range []string{"T1", "A", "B", "C", "D", "X", "sq", "sq3"} {
		var am []token.Amount
		for _, v := range fl[k] {
			am = append(am, inr.FromInt64Units(v*100))
		}
		f, _ := NewFlows(am...)
		r, err := IRR(f, 12)
		npv, _ := NPV(f, MustRate(1, 100))
		fmt.Println(k, r, err, npv, r.Norstrom())
		for _, x := range r.Roots() {
			fmt.Println("   ", x.Lo(), x.Hi(), x.Percent(4, HalfEven), x.Multiplicity())
		}
	}
}
