package token_test

import (
	"strconv"
	"testing"

	"github.com/trustcircle/trustcircle/token"
)

func manyAccounts(n int) []token.Account {
	out := make([]token.Account, n)
	for i := range out {
		out[i] = token.Account("0x" + strconv.FormatUint(uint64(i)*2654435761+1<<40, 16))
	}
	return out
}

func BenchmarkTransferManyOld(b *testing.B) {
	const n = 1_000_000
	accs := manyAccounts(n)
	trst := token.TRST()
	g := token.Genesis{Asset: trst, Supply: trst.MustParse("80000000"), Grants: []token.Grant{{Account: "sale", Amount: trst.MustParse("80000000")}}}
	x := trst.MustParse("1.5")
	b.ReportAllocs()
	for b.Loop() {
		l, err := token.NewLedger(g)
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range accs {
			if err := l.Transfer("sale", a, x); err != nil {
				b.Fatal(err)
			}
		}
	}
}
