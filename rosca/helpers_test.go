package rosca_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

const hour = time.Hour

// at returns the start plus k periods (of one hour) plus extra.
func at(k int, extra ...time.Duration) time.Time {
	t := t0.Add(time.Duration(k) * hour)
	for _, e := range extra {
		t = t.Add(e)
	}
	return t
}

func members(n int) []token.Account {
	out := make([]token.Account, n)
	for i := range out {
		out[i] = token.Account(fmt.Sprintf("m%d", i))
	}
	return out
}

// wei returns u wei as an ETH amount.
func wei(u int64) token.Amount { return token.ETH().FromInt64Units(u) }

// weiCfg is a WeTrust-rules ETH circle of n members (m0 the foreperson, "op" the operator)
// with a contribution of c wei and a fee of f per mille, period one hour from t0.
func weiCfg(kind rosca.Kind, n int, c int64, f uint64) rosca.Config {
	rate, err := token.PerMille(f)
	if err != nil {
		panic(err)
	}
	return rosca.Config{
		Asset: token.ETH(), Kind: kind, Members: members(n), Foreperson: "m0", Operator: "op",
		Contribution: wei(c), Start: t0, Created: t0, Period: hour, Epochs: 1, Fee: rate, Rules: rosca.WeTrustRules(),
		Seed: rosca.Seed{1, 2, 3},
	}
}

func mustNew(t testing.TB, cfg rosca.Config) *rosca.Circle {
	t.Helper()
	c, err := rosca.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func ok(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func audit(t testing.TB, c *rosca.Circle) {
	t.Helper()
	if err := c.Audit(); err != nil {
		t.Fatal(err)
	}
}

// units returns an amount in minor units, as an int64.
func units(d token.Amount) int64 {
	u, fits := d.Int64Units()
	if !fits || !d.IsValid() {
		panic(fmt.Sprint("units: ", d))
	}
	return u
}

// fromUnits returns u minor units of asset a.
func fromUnits(t testing.TB, a token.Asset, u *big.Int) token.Amount {
	t.Helper()
	x, err := a.FromUnits(u)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func pos(t testing.TB, c *rosca.Circle, m string) rosca.Position {
	t.Helper()
	p, err := c.Position(token.Account(m))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// balances returns every member's balance in wei.
func balances(c *rosca.Circle) []int64 {
	var out []int64
	for _, p := range c.Positions() {
		out = append(out, units(p.Balance))
	}
	return out
}

func contributeAll(t testing.TB, c *rosca.Circle, when time.Time, amount token.Amount) {
	t.Helper()
	for _, m := range c.Config().Members {
		ok(t, c.Contribute(when, m, amount))
	}
}

func withdraw(t testing.TB, c *rosca.Circle, when time.Time, m string) int64 {
	t.Helper()
	d, err := c.Withdraw(when, token.Account(m))
	if err != nil {
		t.Fatalf("withdraw %s: %v", m, err)
	}
	return units(d)
}

// amountCmp compares amounts by value (and asset) in cmp.Diff.
var amountCmp = cmp.Comparer(func(x, y token.Amount) bool { return x.Equal(y) })

// unchanged checks that a rejected command left the circle as it was.
func unchanged(t testing.TB, before rosca.Snapshot, c *rosca.Circle) {
	t.Helper()
	if d := cmp.Diff(before, c.Snapshot(), amountCmp); d != "" {
		t.Fatalf("rejected command changed the circle (-before +after):\n%s", d)
	}
}

// rejects runs a command that must fail with want and change nothing. It returns the
// command's error as a *rosca.Error.
func rejects(t testing.TB, c *rosca.Circle, want error, f func() error) *rosca.Error {
	t.Helper()
	before := c.Snapshot()
	err := f()
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want %v", err, want)
	}
	unchanged(t, before, c)
	e, isErr := errors.AsType[*rosca.Error](err)
	if !isErr {
		t.Fatalf("%v is a %T, not a *rosca.Error", err, err)
	}
	return e
}

func roundTripJSON[T any](t testing.TB, v T) T {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	return out
}

func roundTripJSONBytes(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "error: " + err.Error()
	}
	return string(b)
}
