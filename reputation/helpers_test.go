package reputation_test

import (
	"errors"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/reputation"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// march1 is the start of the test circles.
var march1 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

const (
	day  = 24 * time.Hour
	week = 7 * day
)

// usd is a two-decimal asset.
var usd = func() token.Asset {
	a, err := token.NewAsset("USD", 2)
	if err != nil {
		panic(err)
	}
	return a
}()

// cfg is a fixed-order circle of the members paying 10.00 USD a week from 1 March 2026,
// one epoch, no fee.
func cfg(members ...token.Account) rosca.Config {
	return rosca.Config{
		Asset: usd, Kind: rosca.FixedOrder, Members: members, Foreperson: members[0], Operator: "op",
		Contribution: usd.MustParse("10"), Start: march1, Period: week, Epochs: 1,
		Fee: token.MustRatio(0, 1), Rules: rosca.WeTrustRules(), Seed: rosca.Seed{7},
	}
}

// step is one command of a circle script: a contribution (Amount set), a withdrawal
// (Withdraw), or a close (Member "").
type step struct {
	At       time.Time
	Member   token.Account
	Amount   string
	Withdraw bool
}

func pay(at time.Time, m token.Account) step { return step{At: at, Member: m, Amount: "10"} }
func closeAt(at time.Time) step              { return step{At: at} }

// run plays the steps on a new circle of c and returns it; a refused step fails t.
func run(t tb, c rosca.Config, steps ...step) *rosca.Circle {
	t.Helper()
	circ, err := rosca.New(c)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range steps {
		switch {
		case s.Member == "":
			_, err = circ.CloseRound(s.At)
		case s.Withdraw:
			_, err = circ.Withdraw(s.At, s.Member)
		default:
			err = circ.Contribute(s.At, s.Member, usd.MustParse(s.Amount))
		}
		if err != nil {
			t.Fatalf("step %d %+v: %v", i, s, err)
		}
	}
	return circ
}

// logOf is the history of a circle under an id.
func logOf(id string, c *rosca.Circle) reputation.CircleLog {
	return reputation.CircleLog{ID: id, Config: c.Config(), Events: slices.Values(c.Events())}
}

// compute computes a reputation, failing t on error.
func compute(t tb, a token.Account, book *reputation.Book, logs ...reputation.CircleLog) reputation.Reputation {
	t.Helper()
	r, err := reputation.Compute(a, logs, book)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// wantReason fails t unless err is an *Error wrapping reason with the op.
func wantReason(t tb, err, reason error, op string) {
	t.Helper()
	e, ok := errors.AsType[*reputation.Error](err)
	if !ok || !errors.Is(err, reason) {
		t.Fatalf("got %v, want %v", err, reason)
	}
	if op != "" && e.Op != op {
		t.Fatalf("op %q, want %q (%v)", e.Op, op, err)
	}
}

func ok(t tb, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// tb is what the helpers need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}
