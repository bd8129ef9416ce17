package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/internal/exampletest"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/token"
)

// runOut runs the program with args and returns its output.
func runOut(t *testing.T, args ...string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := run(&buf, args); err != nil {
		t.Fatalf("run(%q): %v\noutput:\n%s", args, err, buf.String())
	}
	return buf.String()
}

// section returns the text from the line starting with from up to the next line starting
// with to (or the end).
func section(t *testing.T, out, from, to string) string {
	t.Helper()
	i := strings.Index(out, "\n"+from)
	if i < 0 {
		t.Fatalf("no section %q in output:\n%s", from, out)
	}
	s := out[i+1:]
	if j := strings.Index(s, "\n"+to); to != "" && j >= 0 {
		s = s[:j]
	}
	return s
}

func mustContain(t *testing.T, text string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(text, l) {
			t.Errorf("missing %q in:\n%s", l, text)
		}
	}
}

// micro formats an amount given in millionths of an ETH the way the program prints it:
// trailing zeros dropped, at least one decimal. It is written independently of the program.
func micro(u int64) string {
	sign := ""
	if u < 0 {
		sign, u = "-", -u
	}
	s := fmt.Sprintf("%d.%06d", u/1_000_000, u%1_000_000)
	for strings.HasSuffix(s, "0") && !strings.HasSuffix(s, ".0") {
		s = s[:len(s)-1]
	}
	return sign + s
}

// rf is the contract's removeFees at 10 per mille, in millionths: floor(x*990/1000).
func rf(x int64) int64 { return x * 990 / 1000 }

// TestDefaultRounds checks rounds 1 and 2 of the default run, line by line, against the
// reference contract's formulas, computed here by hand in millionths of an ETH: the winner is
// credited RF(bid), the discount RF(pot - bid) joins a pool of which each member's share is
// floor(pool/n), and the fee reserve is floor(base x fee), base being the dues so far less
// each shortfall.
func TestDefaultRounds(t *testing.T) {
	out := runOut(t)
	const C, n = 1_000_000, 5 // 1 ETH, five members
	const pot = C * n

	// Round 1: everybody pays; bob 4.8, carol 4.5, dave 4.0 (96%, 90%, 80% of the pot).
	r1 := section(t, out, "Round 1 of 5", "Round 2 of 5")
	bid1 := int64(pot * 80 / 100)
	win1, disc1 := rf(bid1), rf(pot-bid1) // 3.96, 0.99
	share1 := disc1 / n                   // 0.198, the pool divided by all five
	fee1 := pot - win1 - disc1            // 0.05
	// The balances after the close: paid C, the share, the dues of round 2 (C x 2); dave's
	// withdrawal takes his: credit (C + 3.96) + share - dues.
	bal1 := C + share1 - 2*C
	take1 := C + win1 + share1 - 2*C
	if micro(take1) != "3.158" || micro(share1) != "0.198" || micro(bal1) != "-0.802" {
		t.Errorf("hand figures: take %s share %s balance %s", micro(take1), micro(share1), micro(bal1))
	}
	want1 := lines(
		"Round 1 of 5, Tue 6 Jan to Mon 12 Jan 2026",
		"  member  paid  bid  share  balance",
		"  alice    1.0  -    "+micro(share1)+"   "+micro(bal1),
		"  bob      1.0  4.8  "+micro(share1)+"   "+micro(bal1),
		"  carol    1.0  4.5  "+micro(share1)+"   "+micro(bal1),
		"  dave     1.0  "+micro(bid1)+"  "+micro(share1)+"    0.0    takes the pot",
		"  erin     1.0  -    "+micro(share1)+"   "+micro(bal1),
		"  (balance: after the round and dave's withdrawal, what each member may withdraw (+) or still",
		"  owes (-), the 1.0 due for round 2 counted as owed)",
		"  dave wins with the lowest bid, "+micro(bid1)+", and takes "+micro(win1)+" after the 1% fee.",
		"  The other "+micro(pot-bid1)+" of the pot, less the fee, is the discount, "+micro(disc1)+": "+micro(share1)+" for each member.",
		"  The fee, "+micro(fee1)+", is held for alice until the end: "+micro(fee1)+" so far.",
		"  dave withdraws "+micro(take1)+" at once: "+micro(win1)+" won + "+micro(share1)+" share - 1.0 kept back for round 2.",
	)
	if r1 != want1 {
		t.Errorf("round 1:\n%s\nwant:\n%s", r1, want1)
	}

	// Round 2: erin does not pay and her bid is refused; carol 4.5, alice 4.2.
	r2 := section(t, out, "Round 2 of 5", "Round 3 of 5")
	bid2 := int64(pot * 84 / 100)
	win2, disc2 := rf(bid2), rf(pot-bid2) // 4.158, 0.792
	pool := disc1 + disc2                 // the undivided pool, 1.782
	share2 := pool / n                    // each member's share so far, 0.3564
	// Fee reserve: floor(base x 10/1000), base = C x 2 x 5 less erin's shortfall below C x 2
	// (she paid 1 and has the share).
	shortfall := 2*C - (C + share2)
	reserve := (2*C*n - shortfall) * 10 / 1000
	// alice's withdrawal: paid 2, won RF(4.2), share so far, less the dues of round 3.
	take2 := 2*C + win2 + share2 - 3*C
	bal2 := 2*C + share2 - 3*C // bob and carol: paid 2, the share, the dues of round 3
	balDave := 2*C - take1 + win1 + share2 - 3*C
	balErin := C + share2 - 3*C
	if micro(reserve) != "0.093564" || micro(take2) != "3.5144" || micro(shortfall) != "0.6436" {
		t.Errorf("hand figures: reserve %s take %s shortfall %s", micro(reserve), micro(take2), micro(shortfall))
	}
	d2 := micro(share2 - share1) // this round's share, 0.1584
	want2 := lines(
		"Round 2 of 5, Tue 13 Jan to Mon 19 Jan 2026",
		"  member  paid  bid   share  balance",
		"  alice    1.0  "+micro(bid2)+"  "+d2+"   0.0     takes the pot",
		"  bob      1.0  -    "+d2+"  "+micro(bal2),
		"  carol    1.0  4.5  "+d2+"  "+micro(bal2),
		"  dave     1.0  -    "+d2+"   "+micro(balDave),
		"  erin     -    4.6  "+d2+"  "+micro(balErin)+"  did not pay, bid refused",
		"  erin's bid of 4.6 is refused: erin did not pay this round, and "+micro(C+share1)+" of credit ("+micro(C)+" paid +",
		"  "+micro(share1)+" share) is less than the "+micro(2*C)+" due so far.",
		"  alice wins with the lowest bid, "+micro(bid2)+", and takes "+micro(win2)+" after the 1% fee.",
		"  The other "+micro(pot-bid2)+" of the pot, less the fee, is the discount, "+micro(disc2)+": "+micro(disc2/n)+" for each member.",
		"  The fee, "+micro(pot-win2-disc2)+", is held for alice until the end. Fees are earned only on the dues paid: alice",
		// Two pots' fees withheld, less the reserve: the fee on erin's unpaid dues.
		"  has earned "+micro(reserve)+" so far, 1% of the "+micro(2*C*n)+" due less the "+micro(shortfall)+" that erin is short; the other",
		"  "+micro(2*fee1-reserve)+" withheld waits for erin to pay.",
		"  alice withdraws "+micro(take2)+" at once: "+micro(win2)+" won + "+micro(share2)+" shares so far - 1.0 kept back for round 3.",
	)
	if r2 != want2 {
		t.Errorf("round 2:\n%s\nwant:\n%s", r2, want2)
	}

	// Round 3: no bids; the draw picks one of the three members who have not won (erin has
	// caught up, so all three are in good standing), and the winner takes RF(pot).
	r3 := section(t, out, "Round 3 of 5", "Round 4 of 5")
	m := regexp.MustCompile(`No bids, so the pot goes by lot among the 3 members who have not had it \(bob, carol and erin\):\n  (\w+) takes ` + regexp.QuoteMeta(micro(rf(pot))) + `, the pot of 5\.0 after the 1% fee\.\n`).FindStringSubmatch(r3)
	if m == nil || (m[1] != "bob" && m[1] != "carol" && m[1] != "erin") {
		t.Errorf("round 3: want a draw among bob, carol and erin:\n%s", r3)
	}
	mustContain(t, r3, "\n  erin pays for two rounds, 2.0, and catches up.\n",
		"\n  erin     2.0  ", "\n  The fee, 0.05, is held for alice until the end: 0.15 so far.\n")
	if strings.Contains(r3, "discount") || strings.Contains(r3, "share  ") || strings.Contains(r3, " bid ") {
		t.Errorf("round 3 has no bids and no discount, and says nothing of them:\n%s", r3)
	}

	// Round 5: the last member takes the whole pot, less the fee.
	r5 := section(t, out, "Round 5 of 5", "The end")
	mustContain(t, r5, "  (balance: what each member has left to withdraw at the end)\n",
		"the last member to have the pot, takes "+micro(rf(pot))+": the pot of 5.0 after the 1% fee.\n")

	// One win each.
	winners := regexp.MustCompile(`(?m)^  (\w+) +[-0-9.]+ .* takes the pot$`).FindAllStringSubmatch(out, -1)
	seen := map[string]bool{}
	for _, w := range winners {
		if seen[w[1]] {
			t.Errorf("%s won twice", w[1])
		}
		seen[w[1]] = true
	}
	if len(seen) != n {
		t.Errorf("winners %v, want all five members once", seen)
	}

	// The end: five rounds of a 5 ETH pot at 10 per mille is 0.25 ETH of fees, nothing else.
	end := section(t, out, "The end", "Statements")
	mustContain(t, end,
		"  alice, the foreperson, takes the fees: 0.25, 1% of the 5 pots of 5.0.\n",
		"  No rounding left-overs: every division was exact.\n",
	)
	mustContain(t, section(t, out, "Does it add up?", ""), lines(
		"Does it add up? (ETH)",
		"  the members' nets             -0.25",
		"  fees paid to alice             0.25",
		"  rounding left-overs paid out   0.0",
		"  cash left in the circle        0.0",
		"  The nets add up to minus the fees and left-overs paid out, exactly, to the wei",
		"  (0.000000000000000001 ETH), and no cash is left in the circle. Audit: ok.",
	))
	checkStatements(t, out)
}

// lines joins lines, each ended by a newline.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// checkStatements reads the statement table and checks each row (net = received - paid in)
// and that the nets sum to minus the fees and the remainder the program reports, and the
// final withdrawals of the end against the rows.
func checkStatements(t *testing.T, out string) {
	t.Helper()
	st := section(t, out, "Statements", "Does it add up?")
	if !strings.HasPrefix(st, "Statements (ETH), from the first payment to the last withdrawal\n  member  had the pot ") {
		t.Errorf("statement heading:\n%s", st)
	}
	row := regexp.MustCompile(`(?m)^  (\w+) +round \d+, (?:bid \S+|by lot|last|in seat order) +(\S+) +(\S+) +(\S+)$`)
	sum := token.ETH().Zero()
	rows := row.FindAllStringSubmatch(st, -1)
	if len(rows) == 0 {
		t.Fatalf("no statement rows in:\n%s", st)
	}
	for _, r := range rows {
		paid, received, net := eth(t, r[2]), eth(t, r[3]), eth(t, r[4])
		if !sub(t, received, paid).Equal(net) {
			t.Errorf("%s: received %s - paid %s != net %s", r[1], received, paid, net)
		}
		sum = add(t, sum, net)
	}
	check := section(t, out, "Does it add up?", "")
	get := func(label string) token.Amount {
		m := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(label) + ` +(\S+)$`).FindStringSubmatch(check)
		if m == nil {
			t.Fatalf("no %q in:\n%s", label, check)
		}
		return eth(t, m[1])
	}
	feesPaid, rem, cash := get("fees paid to alice"), get("rounding left-overs paid out"), get("cash left in the circle")
	if !cash.IsZero() {
		t.Errorf("cash left %s", cash)
	}
	if !sum.Equal(add(t, feesPaid, rem).Neg()) {
		t.Errorf("sum of nets %s != -(fees %s + remainder %s)", sum, feesPaid, rem)
	}
	if !get("the members' nets").Equal(sum) {
		t.Errorf("printed sum of nets differs from the rows' sum %s", sum)
	}
	if !strings.Contains(check, "Audit: ok.") {
		t.Errorf("no audit in:\n%s", check)
	}
}

// eth reads an amount of ETH as the program prints it.
func eth(t *testing.T, s string) token.Amount {
	t.Helper()
	x, err := token.ETH().Parse(s)
	if err != nil {
		t.Fatalf("bad amount %q: %v", s, err)
	}
	return x
}

func add(t *testing.T, x, y token.Amount) token.Amount {
	t.Helper()
	z, err := x.Add(y)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func sub(t *testing.T, x, y token.Amount) token.Amount {
	t.Helper()
	z, err := x.Sub(y)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// TestRemainder uses a contribution with all 18 decimals and the maximum fee, so that the
// floors leave dust: the remainder goes to the foreperson and the books still balance.
func TestRemainder(t *testing.T) {
	out := runOut(t, "-contribution", "0.123456789012345678", "-fee", "20")
	m := regexp.MustCompile(`The rounding left-overs, (\S+), go to alice: under WeTrust's rules the\s+foreperson takes them\.`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no remainder disposal in:\n%s", out)
	}
	if eth(t, m[1]).Sign() <= 0 {
		t.Errorf("remainder %s, want positive", m[1])
	}
	if !eth(t, m[1]).Equal(get(t, out, "rounding left-overs paid out")) {
		t.Errorf("remainder %s, but the check says otherwise:\n%s", m[1], out)
	}
	checkStatements(t, out)
}

// get reads a figure of the "Does it add up?" table.
func get(t *testing.T, out, label string) token.Amount {
	t.Helper()
	m := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(label) + ` +(\S+)$`).FindStringSubmatch(section(t, out, "Does it add up?", ""))
	if m == nil {
		t.Fatalf("no %q in:\n%s", label, out)
	}
	return eth(t, m[1])
}

// TestKinds runs the other kinds: fixed order pays seat by seat; the lottery draws.
func TestKinds(t *testing.T) {
	out := runOut(t, "-kind", "fixed", "-members", "4")
	winners := regexp.MustCompile(`(?m)^  (\w+) takes the pot in seat order: 3\.96, the pot of 4\.0`).FindAllStringSubmatch(out, -1)
	var got []string
	for _, w := range winners {
		got = append(got, w[1])
	}
	if strings.Join(got, " ") != "alice bob carol dave" {
		t.Errorf("fixed-order winners %v", got)
	}
	if strings.Contains(out, "bid") {
		t.Error("fixed-order circle prints bid rules")
	}
	checkStatements(t, out)

	out = runOut(t, "-kind", "lottery", "-seed", "7")
	if n := strings.Count(out, "The pot goes by lot among the ") + strings.Count(out, "the last member to have the pot"); n != 5 {
		t.Errorf("lottery: %d drawn rounds, want 5", n)
	}
	checkStatements(t, out)
}

// TestSeedChangesDraw checks that the seed is used: over a few seeds, round 3's draw does not
// always pick the same member.
func TestSeedChangesDraw(t *testing.T) {
	re := regexp.MustCompile(`Round 3 of 5[\s\S]*?\s(\w+) takes 4\.95, the pot of 5\.0`)
	seen := map[string]bool{}
	for seed := 1; seed <= 12; seed++ {
		out := runOut(t, "-seed", fmt.Sprint(seed))
		m := re.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("seed %d: no round 3 winner", seed)
		}
		seen[m[1]] = true
	}
	if len(seen) < 2 {
		t.Errorf("12 seeds all drew %v", seen)
	}
}

func TestDeterministic(t *testing.T) {
	a, b := runOut(t), runOut(t)
	if a != b {
		t.Error("two runs differ")
	}
	// The output is pasted into the README: no trailing spaces, no tabs.
	for i, line := range strings.Split(a, "\n") {
		if strings.HasSuffix(line, " ") || strings.Contains(line, "\t") {
			t.Errorf("line %d has trailing spaces or tabs: %q", i+1, line)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-members", "2"},
		{"-members", "27"},
		{"-kind", "raffle"},
		{"-contribution", "0.0000000000000000001"},
		{"-contribution", "-1"},
		{"-fee", "21"},
		{"-fee", "-1"},
		{"-seed", "0"},
		{"extra"},
	} {
		var buf bytes.Buffer
		if err := run(&buf, args); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

// TestHelp checks that -h prints the usage and exits 0 without running the circle.
func TestHelp(t *testing.T) {
	stdout, stderr, code := runMain(t, "-h")
	if code != 0 || !strings.Contains(stdout, "usage: lendingcircle") || !strings.Contains(stdout, "-contribution") ||
		strings.Contains(stdout, "Round 1") {
		t.Errorf("-h: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if _, stderr, code := runMain(t, "-members", "2"); code != 1 || !strings.Contains(stderr, "lendingcircle: -members 2") {
		t.Errorf("-members 2: exit %d, stderr:\n%s", code, stderr)
	}
}

// TestShopspringGlobals checks that the output does not depend on shopspring/decimal's
// package settings: amounts print through token.Amount.
func TestShopspringGlobals(t *testing.T) {
	for _, args := range [][]string{nil, {"-contribution", "0.123456789012345678", "-fee", "20"}} {
		want := runOut(t, args...)
		var got string
		zerotest.WithShopspringGlobals(t, func() { got = runOut(t, args...) })
		if got != want {
			t.Errorf("run(%q): the output changes with shopspring's globals:\n%s", args, got)
		}
	}
}

// TestMain runs the program's main instead of the tests in a child started by runMain.
func TestMain(m *testing.M) { exampletest.Main(m, "lendingcircle", main) }

// runMain runs main in a child process with args and returns its stdout, stderr and exit
// status.
func runMain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return exampletest.Run(t, args...)
}
