package rosca_test

// A differential test of the claim "rosca.WeTrustRules() reproduces WeTrust's ROSCA contract
// arithmetic exactly": contractModel below is an independent, literal transliteration of the
// Solidity contract (version 3), function by function (constructor, contribute, bid,
// startRound with its cleanUpPreviousRound, swapWinner and creditWinner,
// recalculateTotalFees, withdraw, getParticipantBalance), in math/big, written from the
// contract and not from the rosca code. TestRapidContractDiff drives
// a rosca circle and the model with the same random commands and compares them after every
// step.
//
// Where rosca deliberately differs from the contract (its documented fixes), the test checks
// the documented behaviour instead, and says so where it does:
//   - a bid above the cap is silently ignored by the contract's bid; rosca returns
//     ErrBidTooHigh and changes nothing;
//   - a withdrawal when the contract's free balance is exactly 0 "succeeds" paying 0;
//     rosca returns ErrNoCash and changes nothing;
//   - the contract's totalFees may exceed its balance (the insolvency lock-up); rosca
//     caps its reserve at the cash held at the close, so its withdrawals stay possible. Until
//     the next close the test then follows rosca's reserve (see diffHarness.reserve and the
//     note in diffHarness.check);
//   - after the end the contract's withdraw debits a debtor only RF(P) (its dues waived),
//     while getParticipantBalance shows credit + share - C x n: the withdraw hands the
//     debtor the fee on its own pot, money the contract does not hold, so the last member
//     to withdraw is paid in part (and the surplus sweep hid the gap). rosca debits every
//     member C x n after the end, the getParticipantBalance figure: the test checks rosca's
//     balance against getParticipantBalance and runs the model's withdraw with that debit;
//   - what members who owe never paid (a shortfall the cash cannot cover) is allocated at
//     the end by rosca's loss policy (the contract paid first come, first served until the
//     cash ran out): the test reads each member's loss and the fee line's from the last
//     round's result, checks that they sum to the shortfall, and adds each member's loss to
//     its debit and takes the fee line's off the reserve;
//   - after the end the contract refuses every contribution (its users asked for payments
//     after the last round; the change was made, then reverted); rosca takes a member's
//     catch-up payment of at most what it owes and gives back the claims written off at
//     the end (catchup_test.go checks it): the test does not contribute after the end;
//   - a no-bid round's winner is drawn with now % numUnpaid by the contract and with a
//     seeded draw by rosca: the test checks that rosca's winner is one the contract's scan
//     (in cleanUpPreviousRound) can pick from some start position, and then makes the model
//     pick it.

import (
	"errors"
	"fmt"
	"math/big"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/rosca/roscatest"
	"github.com/trustcircle/trustcircle/token"
)

// errContractRevert is what every failing require or assert of the contract model returns.
var errContractRevert = errors.New("contract: revert")

// cmMember is the contract's per-member record: credit, debt, paid.
type cmMember struct {
	credit big.Int
	debt   bool
	paid   bool
}

// contractModel is the ROSCA contract (v3) for one circle: BIDDING or PRE_DETERMINED.
// Member i is the i-th constructor address; membersAddresses holds member indexes.
type contractModel struct {
	preDetermined bool
	n             int
	contribution  big.Int // C
	fee           int64   // serviceFeeInThousandths
	start         time.Time
	period        time.Duration

	members          []cmMember
	membersAddresses []int
	currentRound     int
	totalDiscounts   big.Int
	totalFees        big.Int
	lowestBid        big.Int
	winnerAddress    int // -1 is address 0
	endOfROSCA       bool
	bal              big.Int // getBalance()
}

// cmClose is what one startRound did to the round it closed.
type cmClose struct {
	winner   int
	bid      big.Int // lowestBid after creditWinner (P when there was no bid)
	winnings big.Int // RF(lowestBid)
	discount big.Int // RF(P - lowestBid)
	debt     bool    // the winner got debt = true (the no-bid draw found nobody in good standing)
	drawn    bool    // the winner came from the no-bid draw
}

// newContractModel is the constructor: round 1 open, everything zero.
func newContractModel(preDetermined bool, n int, c, fee int64, start time.Time, period time.Duration) *contractModel {
	m := &contractModel{preDetermined: preDetermined, n: n, fee: fee, start: start, period: period,
		members: make([]cmMember, n), membersAddresses: make([]int, n), currentRound: 1, winnerAddress: -1}
	m.contribution.SetInt64(c)
	for i := range m.membersAddresses {
		m.membersAddresses[i] = i
	}
	return m
}

// potSize is P = C*n.
func (m *contractModel) potSize() *big.Int {
	return new(big.Int).Mul(&m.contribution, big.NewInt(int64(m.n)))
}

// removeFees is RF(x) = floor(x*(1000-f)/1000), the multiplication first.
func (m *contractModel) removeFees(x *big.Int) *big.Int {
	z := new(big.Int).Mul(x, big.NewInt(1000-m.fee))
	return z.Quo(z, big.NewInt(1000))
}

// requiredContribution is C*r.
func (m *contractModel) requiredContribution() *big.Int {
	return new(big.Int).Mul(&m.contribution, big.NewInt(int64(m.currentRound)))
}

// userTotalCredit is credit + floor(totalDiscounts/n).
func (m *contractModel) userTotalCredit(i int) *big.Int {
	share := new(big.Int).Quo(&m.totalDiscounts, big.NewInt(int64(m.n)))
	return share.Add(share, &m.members[i].credit)
}

// contribute is the contract's contribute (an ETH ROSCA: value = msg.value).
func (m *contractModel) contribute(i int, value *big.Int) error {
	if m.endOfROSCA || value.Sign() == 0 {
		return errContractRevert
	}
	m.members[i].credit.Add(&m.members[i].credit, value)
	m.bal.Add(&m.bal, value)
	if m.members[i].debt {
		x := m.userTotalCredit(i)
		x.Sub(x, m.removeFees(m.potSize()))
		if x.Sign() < 0 { // SafeMath.sub assert
			return errContractRevert
		}
		if x.Cmp(m.requiredContribution()) >= 0 {
			m.members[i].debt = false
		}
	}
	return nil
}

// bid is the contract's bid. ignored reports the silent ignore (LogUnsuccessfulBid).
func (m *contractModel) bid(i int, b *big.Int) (ignored bool, err error) {
	if m.endOfROSCA || m.preDetermined || m.members[i].paid ||
		m.userTotalCredit(i).Cmp(m.requiredContribution()) < 0 {
		return false, errContractRevert
	}
	minBid := new(big.Int).Mul(m.potSize(), big.NewInt(65))
	minBid.Quo(minBid, big.NewInt(100))
	if b.Cmp(minBid) < 0 {
		return false, errContractRevert
	}
	maxAllowed := m.potSize()
	if m.winnerAddress != -1 {
		maxAllowed.Mul(&m.lowestBid, big.NewInt(98))
		maxAllowed.Quo(maxAllowed, big.NewInt(100))
	}
	if b.Cmp(maxAllowed) > 0 {
		return true, nil
	}
	m.lowestBid.Set(b)
	m.winnerAddress = i
	return false, nil
}

// semiRandomPick is cleanUpPreviousRound's scan from start position semiRandom (the contract uses
// now % numUnpaid): the first unpaid candidate in good standing wins, else the last scanned
// wins with debt. It returns the winner and whether it gets debt; it changes nothing.
func (m *contractModel) semiRandomPick(semiRandom int) (winner int, debt bool) {
	numUnpaid := m.n - (m.currentRound - 1)
	req := m.requiredContribution()
	for k := range numUnpaid {
		idx := (semiRandom + k) % numUnpaid
		w := m.membersAddresses[idx]
		if m.userTotalCredit(w).Cmp(req) >= 0 {
			return w, false
		}
	}
	return m.membersAddresses[(semiRandom+numUnpaid-1)%numUnpaid], true
}

// startRound is the contract's startRound: pick(numUnpaid) stands for now % numUnpaid in a no-bid round.
func (m *contractModel) startRound(now time.Time, pick func(numUnpaid int) int) (cmClose, error) {
	var res cmClose
	if m.endOfROSCA || now.Before(m.start.Add(time.Duration(m.currentRound)*m.period)) {
		return res, errContractRevert
	}
	// cleanUpPreviousRound
	if m.preDetermined {
		m.winnerAddress = m.membersAddresses[m.currentRound-1]
	} else if err := m.swapWinner(pick, &res); err != nil {
		return res, err
	}
	m.creditWinner(&res)
	if err := m.recalculateTotalFees(); err != nil {
		return res, err
	}
	if m.currentRound < m.n {
		m.lowestBid.SetInt64(0)
		m.winnerAddress = -1
		m.currentRound++
	} else {
		m.endOfROSCA = true
	}
	return res, nil
}

// swapWinner is the contract's swapWinner with cleanUpPreviousRound's no-bid draw.
func (m *contractModel) swapWinner(pick func(numUnpaid int) int, res *cmClose) error {
	numUnpaid := m.n - (m.currentRound - 1)
	if m.winnerAddress == -1 {
		s := pick(numUnpaid)
		if s < 0 || s >= numUnpaid {
			return fmt.Errorf("model: no start position gives the winner")
		}
		w, debt := m.semiRandomPick(s)
		res.drawn = true
		if m.members[w].paid { // the contract's assert
			return errContractRevert
		}
		if debt {
			m.members[w].debt = true
			res.debt = true
		}
		m.winnerAddress = w
		m.lowestBid.Set(m.potSize())
	}
	indexToSwap := numUnpaid - 1
	for i := 0; i <= indexToSwap; i++ {
		if m.membersAddresses[i] == m.winnerAddress {
			m.membersAddresses[i], m.membersAddresses[indexToSwap] = m.membersAddresses[indexToSwap], m.membersAddresses[i]
			return nil
		}
	}
	return fmt.Errorf("model: winner %d not among the unpaid", m.winnerAddress)
}

// creditWinner is the contract's creditWinner.
func (m *contractModel) creditWinner(res *cmClose) {
	p := m.potSize()
	if m.lowestBid.Sign() == 0 {
		m.lowestBid.Set(p)
	}
	roundTotalDiscount := m.removeFees(p.Sub(p, &m.lowestBid))
	m.totalDiscounts.Add(&m.totalDiscounts, roundTotalDiscount)
	w := &m.members[m.winnerAddress]
	winnings := m.removeFees(&m.lowestBid)
	w.credit.Add(&w.credit, winnings)
	w.paid = true
	res.winner = m.winnerAddress
	res.bid.Set(&m.lowestBid)
	res.winnings.Set(winnings)
	res.discount.Set(roundTotalDiscount)
}

// recalculateTotalFees is the contract's, with the delinquency reduction.
func (m *contractModel) recalculateTotalFees() error {
	req := m.requiredContribution()
	gross := new(big.Int).Mul(req, big.NewInt(int64(m.n)))
	for i := range m.members {
		debit := new(big.Int).Set(req)
		if m.members[i].debt {
			debit.Add(debit, m.removeFees(m.potSize()))
		}
		if utc := m.userTotalCredit(i); utc.Cmp(debit) < 0 {
			gross.Sub(gross, debit.Sub(debit, utc))
			if gross.Sign() < 0 { // SafeMath.sub assert
				return errContractRevert
			}
		}
	}
	m.totalFees.Mul(gross, big.NewInt(m.fee))
	m.totalFees.Quo(&m.totalFees, big.NewInt(1000))
	return nil
}

// withdrawDebit is withdraw's totalDebit.
func (m *contractModel) withdrawDebit(i int) *big.Int {
	if m.members[i].debt {
		return m.removeFees(m.potSize())
	}
	return m.requiredContribution()
}

// withdraw is the contract's withdraw; reserve is what is subtracted from bal for the available funds (the
// contract's totalFees; the test passes rosca's capped reserve where it documents a fix).
// A successful send is assumed. It returns the amount sent (possibly 0).
// A non-nil debit replaces withdraw's totalDebit (the documented fix after the end).
func (m *contractModel) withdraw(i int, reserve, debit *big.Int) (*big.Int, error) {
	mem := &m.members[i]
	if mem.debt && !m.endOfROSCA {
		return nil, errContractRevert
	}
	totalCredit := m.userTotalCredit(i)
	totalDebit := m.withdrawDebit(i)
	if debit != nil {
		totalDebit = debit
	}
	if totalDebit.Cmp(totalCredit) >= 0 {
		return nil, errContractRevert
	}
	amount := new(big.Int).Sub(totalCredit, totalDebit)
	if m.bal.Cmp(reserve) < 0 { // SafeMath.sub assert on bal - totalFees (the insolvency lock-up)
		return nil, errContractRevert
	}
	available := new(big.Int).Sub(&m.bal, reserve)
	if available.Cmp(amount) < 0 {
		amount.Set(available)
	}
	mem.credit.Sub(&mem.credit, amount)
	if mem.credit.Sign() < 0 { // uint256 underflow: cannot happen
		return nil, fmt.Errorf("model: credit of member %d underflows", i)
	}
	m.bal.Sub(&m.bal, amount)
	return amount, nil
}

// participantBalance is getParticipantBalance.
func (m *contractModel) participantBalance(i int) *big.Int {
	b := m.userTotalCredit(i)
	if m.members[i].debt && !m.endOfROSCA {
		b.Sub(b, m.removeFees(m.potSize()))
	}
	return b.Sub(b, m.requiredContribution())
}

// diffHarness runs a rosca circle and the contract model side by side.
type diffHarness struct {
	t     *rapid.T
	asset token.Asset
	cfg   rosca.Config
	c     *rosca.Circle
	m     *contractModel
	now   time.Time
	// reserve is rosca's fee reserve: the contract's totalFees, limited at each close to the
	// cash then held (the lock-up fixed). It equals totalFees whenever the last close did not find
	// the contract insolvent, and then every check below is against the contract itself.
	reserve big.Int
	// lost is each member's loss allocated at the end, read from rosca (see followLosses).
	lost []big.Int
}

func (h *diffHarness) units(d token.Amount) *big.Int {
	if d.Asset() != h.asset {
		h.t.Fatalf("units(%s): not %s", d, h.asset)
	}
	return d.Units()
}

// amount returns u minor units of the circle's asset.
func (h *diffHarness) amount(u *big.Int) token.Amount {
	x, err := h.asset.FromUnits(u)
	if err != nil {
		h.t.Fatalf("amount(%s): %v", u, err)
	}
	return x
}

func (h *diffHarness) eq(what string, got token.Amount, want *big.Int) {
	if g := h.units(got); g.Cmp(want) != 0 {
		h.t.Fatalf("%s: rosca %s, contract %s", what, g, want)
	}
}

// rejected checks that a rosca command that the contract refused (or ignored) failed with
// want (nil: any error) and changed nothing.
func (h *diffHarness) rejected(what string, err, want error, before roscatest.State) {
	if err == nil {
		h.t.Fatalf("%s: the contract refuses it, rosca accepted it", what)
	}
	if want != nil && !errors.Is(err, want) {
		h.t.Fatalf("%s: rosca error %v, want %v", what, err, want)
	}
	if err := roscatest.CheckUnchanged(before, h.c); err != nil {
		h.t.Fatalf("%s: %v", what, err)
	}
}

func (h *diffHarness) contribute(i int, v *big.Int) {
	what := fmt.Sprintf("contribute(m%d, %s)", i, v)
	if h.c.Ended() && !h.c.Halted() {
		return // the catch-up after the end, which the contract does not have
	}
	before := roscatest.Fingerprint(h.c)
	err := h.c.Contribute(h.now, h.cfg.Members[i], h.amount(v))
	if merr := h.m.contribute(i, v); merr != nil {
		h.rejected(what, err, nil, before)
	} else if err != nil {
		h.t.Fatalf("%s: the contract accepts it, rosca: %v", what, err)
	}
}

func (h *diffHarness) bid(i int, b *big.Int) {
	what := fmt.Sprintf("bid(m%d, %s)", i, b)
	before := roscatest.Fingerprint(h.c)
	err := h.c.Bid(h.now, h.cfg.Members[i], h.amount(b))
	ignored, merr := h.m.bid(i, b)
	switch {
	case merr != nil:
		h.rejected(what, err, nil, before)
	case ignored: // the contract's silent ignore is rosca's ErrBidTooHigh
		h.rejected(what, err, rosca.ErrBidTooHigh, before)
	case err != nil:
		h.t.Fatalf("%s: the contract accepts it, rosca: %v", what, err)
	}
}

func (h *diffHarness) close() {
	what := fmt.Sprintf("startRound at %v (round %d)", h.now.Sub(h.cfg.Start), h.m.currentRound)
	before := roscatest.Fingerprint(h.c)
	rr, err := h.c.CloseRound(h.now)
	var roscaWinner = -1
	if err == nil {
		for i, a := range h.cfg.Members {
			if a == rr.Winner {
				roscaWinner = i
			}
		}
	}
	// The contract's start position is now % numUnpaid; rosca draws with its seed. Any
	// start from which the contract's scan picks rosca's winner is legal: take the first.
	pick := func(numUnpaid int) int {
		for s := range numUnpaid {
			if w, _ := h.m.semiRandomPick(s); w == roscaWinner {
				return s
			}
		}
		if err != nil {
			return 0 // rosca refused: let the model say whether the contract would
		}
		h.t.Fatalf("%s: rosca's winner %s is not one the contract's draw can pick", what, rr.Winner)
		return -1
	}
	res, merr := h.m.startRound(h.now, pick)
	if merr != nil {
		if !errors.Is(merr, errContractRevert) {
			h.t.Fatalf("%s: %v", what, merr)
		}
		h.rejected(what, err, nil, before)
		return
	}
	if err != nil {
		h.t.Fatalf("%s: the contract accepts it, rosca: %v", what, err)
	}
	if roscaWinner != res.winner {
		h.t.Fatalf("%s: winner rosca %s, contract m%d", what, rr.Winner, res.winner)
	}
	h.eq(what+" bid", rr.Bid, &res.bid)
	h.eq(what+" winnings RF(bid)", rr.Winnings, &res.winnings)
	h.eq(what+" discount RF(P-bid)", rr.Discount, &res.discount)
	h.eq(what+" pot", rr.Pot, h.m.potSize())
	// LogRoundFundsReleased's informational roundDiscount, floor(RF(P-bid)/n).
	h.eq(what+" share each", rr.ShareEach, new(big.Int).Quo(&res.discount, big.NewInt(int64(h.m.n))))
	method := rosca.ByBid
	switch {
	case h.m.preDetermined:
		method = rosca.BySeat
	case res.drawn:
		method = rosca.ByDraw
	}
	if rr.Method != method {
		h.t.Fatalf("%s: method rosca %s, contract %s", what, rr.Method, method)
	}
	if rr.Debt != res.debt {
		h.t.Fatalf("%s: debt rosca %v, contract %v", what, rr.Debt, res.debt)
	}
	// rosca's documented fix of the lock-up: the reserve is the contract's totalFees, but never
	// more than the cash held at the close.
	h.reserve.Set(&h.m.totalFees)
	if h.reserve.Cmp(&h.m.bal) > 0 {
		h.reserve.Set(&h.m.bal)
	}
	h.eq(what+" fees reserved", rr.FeesReserved, &h.reserve)
	h.followLosses(what, rr)
}

// followLosses reads the shortfall allocated at the end from the last round's result:
// the losses sum to the shortfall, no creditor bears more than its claim, and the model
// then debits each member's loss and takes the fee line's off the reserve.
func (h *diffHarness) followLosses(what string, rr rosca.RoundResult) {
	h.lost = make([]big.Int, h.m.n)
	var sum big.Int
	for _, l := range rr.Losses {
		if l.Loss.Cmp(l.Claim) > 0 || l.Loss.Sign() < 0 {
			h.t.Fatalf("%s: loss line %v", what, l)
		}
		sum.Add(&sum, l.Loss.Units())
		switch {
		case l.Fees:
			h.reserve.Sub(&h.reserve, l.Loss.Units())
		case l.Remainder:
		default:
			for i, a := range h.cfg.Members {
				if a == l.Account {
					h.lost[i].Set(l.Loss.Units())
				}
			}
		}
	}
	if rr.Shortfall.IsValid() || len(rr.Losses) > 0 {
		h.eq(what+" losses", rr.Shortfall, &sum)
	}
}

func (h *diffHarness) withdraw(i int) {
	what := fmt.Sprintf("withdraw(m%d)", i)
	before := roscatest.Fingerprint(h.c)
	paid, err := h.c.Withdraw(h.now, h.cfg.Members[i])
	// While the contract is solvent and its last close did not find it insolvent, rosca's
	// reserve is the contract's totalFees and this is the contract's withdraw, literally.
	// Otherwise the contract asserts (bal < totalFees) or keeps more back than rosca's
	// capped reserve; rosca pays against its reserve instead (the lock-up fixed), and the model
	// follows it so that both keep the same books.
	var debit *big.Int
	if h.m.endOfROSCA {
		debit = h.m.requiredContribution()
		debit.Add(debit, &h.lost[i])
	}
	amount, merr := h.m.withdraw(i, &h.reserve, debit)
	switch {
	case merr != nil:
		if !errors.Is(merr, errContractRevert) {
			h.t.Fatalf("%s: %v", what, merr)
		}
		h.rejected(what, err, nil, before)
	case amount.Sign() == 0: // the contract "pays" 0 and succeeds; rosca: ErrNoCash
		h.rejected(what, err, rosca.ErrNoCash, before)
	case err != nil:
		h.t.Fatalf("%s: the contract pays %s, rosca: %v", what, amount, err)
	default:
		h.eq(what+" paid", paid, amount)
	}
}

// check compares every observable figure with the model.
func (h *diffHarness) check(after string) {
	m := h.m
	if err := h.c.Audit(); err != nil {
		h.t.Fatalf("after %s: %v", after, err)
	}
	if h.c.Ended() != m.endOfROSCA {
		h.t.Fatalf("after %s: ended rosca %v, contract %v", after, h.c.Ended(), m.endOfROSCA)
	}
	rs := h.c.Round()
	if rs.Round != m.currentRound {
		h.t.Fatalf("after %s: round rosca %d, contract %d", after, rs.Round, m.currentRound)
	}
	if !m.endOfROSCA {
		leader := token.Account("")
		if m.winnerAddress >= 0 {
			leader = h.cfg.Members[m.winnerAddress]
			h.eq(after+": lowest bid", rs.LowestBid, &m.lowestBid)
		}
		if rs.Leader != leader {
			h.t.Fatalf("after %s: leader rosca %q, contract %q", after, rs.Leader, leader)
		}
	}
	tot := h.c.Totals()
	h.eq(after+": cash vs bal", tot.Cash, &m.bal)
	h.eq(after+": discount pool vs totalDiscounts", tot.DiscountPool, &m.totalDiscounts)
	// The fee reserve is the contract's totalFees when the contract was solvent at the last
	// close, else the cash then held (see reserve). This is the lock-up's fix as designed, not a
	// divergence to remove: until the next close, payments made after an insolvent close are
	// withdrawable, where the contract stays locked until its balance covers totalFees
	// (n = 3, C = 1000, f = 1, fixed order: close round 1 with nothing paid, m0 pays 1000 and
	// withdraws: the contract pays 999, rosca 1000; the next close recomputes the reserve).
	// Reading the reserve as min(totalFees, cash now) instead would restore the lock in
	// effect (TestInsolvencyFixed).
	h.eq(after+": fees reserved", tot.FeesReserved, &h.reserve)
	req := m.requiredContribution()
	for i, p := range h.c.Positions() {
		mem := &m.members[i]
		// Before the end, getParticipantBalance. After the end, what withdraw would
		// pay before the liquidity cap: for a debtor that is utc - RF(P), where the contract's
		// getParticipantBalance reports utc - C*n (its inconsistency, fixed by rosca).
		want := m.participantBalance(i)
		if m.endOfROSCA && h.lost != nil {
			want.Sub(want, &h.lost[i])
		}
		h.eq(fmt.Sprintf("after %s: balance of m%d", after, i), p.Balance, want)
		h.eq(fmt.Sprintf("after %s: share of m%d", after, i), p.DiscountShare,
			new(big.Int).Quo(&m.totalDiscounts, big.NewInt(int64(m.n))))
		if p.Debt != mem.debt || (p.Wins > 0) != mem.paid {
			h.t.Fatalf("after %s: m%d debt/paid rosca %v/%v, contract %v/%v",
				after, i, p.Debt, p.Wins > 0, mem.debt, mem.paid)
		}
		if good := m.userTotalCredit(i).Cmp(req) >= 0; p.GoodStanding != good {
			h.t.Fatalf("after %s: m%d good standing rosca %v, contract %v", after, i, p.GoodStanding, good)
		}
	}
}

// TestRapidContractDiff runs random single-epoch WeTrust circles (Bidding or FixedOrder,
// 2 to 6 members, C from 1 to 5000 minor units, fee 0 to 20 per mille) through random
// contributions, bids, round closes and withdrawals, and compares rosca with the contract
// model after every step: acceptance, every balance, cash, discount pool, fee reserve,
// withdrawal amounts and round results.
func TestRapidContractDiff(t *testing.T) {
	asset, err := token.NewAsset("WEI", 0)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []rosca.Kind{rosca.Bidding, rosca.FixedOrder}
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(2, 6).Draw(t, "n")
		c := rapid.Int64Range(1, 5000).Draw(t, "C")
		f := rapid.Int64Range(0, 20).Draw(t, "fee")
		kind := rapid.SampledFrom(kinds).Draw(t, "kind")
		seed := rapid.Uint64().Draw(t, "seed")
		rate, err := token.PerMille(uint64(f))
		if err != nil {
			t.Fatal(err)
		}
		ms := make([]token.Account, n)
		for i := range ms {
			ms[i] = token.Account(fmt.Sprintf("m%d", i))
		}
		start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		cfg := rosca.Config{Asset: asset, Kind: kind, Members: ms, Foreperson: "m0", Operator: "op",
			Contribution: asset.FromInt64Units(c), Start: start, Period: time.Hour, Epochs: 1,
			Fee: rate, Rules: rosca.WeTrustRules()}
		for k := range 8 {
			cfg.Seed[k] = byte(seed >> (8 * k))
		}
		cfg.Seed[31] = 1 // never the zero seed
		circle, err := rosca.New(cfg)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		h := &diffHarness{t: t, asset: asset, cfg: cfg, c: circle, now: start,
			m: newContractModel(kind == rosca.FixedOrder, n, c, f, start, time.Hour)}
		pot := h.m.potSize().Int64()
		// At most 40 commands: a step is one command, or n when everyone pays C.
		steps := rapid.IntRange(1, 40).Draw(t, "steps")
		for commands := 0; commands < steps; commands++ {
			h.now = h.now.Add(time.Duration(rapid.IntRange(0, 40).Draw(t, "minutes")) * time.Minute)
			member := rapid.IntRange(0, n-1).Draw(t, "member")
			var what string
			switch op := rapid.IntRange(0, 19).Draw(t, "op"); {
			case op < 3 && commands+n <= steps: // everyone pays C, so that members can bid
				for i := range n {
					h.contribute(i, big.NewInt(c))
					h.check("contribute")
				}
				commands += n - 1
				continue
			case op < 8:
				var v int64
				switch rapid.IntRange(0, 4).Draw(t, "contribution") {
				case 0, 1:
					v = c
				case 2:
					v = rapid.Int64Range(0, c).Draw(t, "part") // 0 is refused by both
				case 3:
					v = rapid.Int64Range(c, 3*c).Draw(t, "more")
				default:
					v = rapid.Int64Range(1, pot).Draw(t, "any")
				}
				h.contribute(member, big.NewInt(v))
				what = "contribute"
			case op < 13:
				minBid := pot * 65 / 100
				maxBid := pot
				if h.m.winnerAddress >= 0 {
					maxBid = h.m.lowestBid.Int64() * 98 / 100
				}
				var b int64
				switch rapid.IntRange(0, 3).Draw(t, "bidAt") {
				case 0:
					b = rapid.Int64Range(minBid-2, minBid+2).Draw(t, "nearMin")
				case 1:
					b = rapid.Int64Range(maxBid-2, maxBid+2).Draw(t, "nearMax")
				default:
					b = rapid.Int64Range(minBid-5, pot+5).Draw(t, "bid")
				}
				h.bid(member, big.NewInt(max(b, 0)))
				what = "bid"
			case op < 17:
				if !h.m.endOfROSCA && rapid.IntRange(0, 3).Draw(t, "onTime") > 0 {
					if d := cfg.Deadline(h.m.currentRound); h.now.Before(d) {
						h.now = d
					}
				}
				h.close()
				what = "close"
			default:
				h.withdraw(member)
				what = "withdraw"
			}
			h.check(what)
		}
	})
}
