package formation_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/trustcircle/trustcircle/fault"
	"github.com/trustcircle/trustcircle/formation"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// The worked example of the package documentation: an admission rule, a member refused,
// a decliner replaced, the acceptances given again for the new terms, and the start.
func Example() {
	usd, _ := token.NewAsset("USD", 2)
	cfg := rosca.Config{
		Asset: usd, Kind: rosca.FixedOrder, Members: []token.Account{"alice", "bob", "carol"},
		Foreperson: "alice", Operator: "op", Contribution: usd.MustParse("10"),
		Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Period: 7 * 24 * time.Hour, Epochs: 1,
		Fee: token.MustRatio(0, 1), Rules: rosca.WeTrustRules(), Seed: rosca.Seed{7},
	}
	at := time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)
	p, err := formation.Propose(at, formation.Terms{
		Config:    cfg,
		Admission: formation.Admission{MinReputation: 500, Collateral: usd.MustParse("10")},
		Deadline:  time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC),
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	accept := func(m token.Account, score int) error {
		at = at.Add(time.Hour)
		return p.Accept(at, formation.Acceptance{Member: m, Terms: p.Digest(), Reputation: score,
			Collateral: usd.MustParse("10")}, nil)
	}
	fmt.Println(accept("bob", 612), accept("alice", 700))
	err = accept("carol", 420)
	fmt.Println(fault.CodeOf(err), fault.ClassOf(err))
	fmt.Println(p.Decline(at, "carol"))

	old := p.Digest()
	fmt.Println(p.Reinvite(at, "alice", "carol", "dave"), p.Digest() != old, p.Accepted())
	fmt.Println(accept("alice", 700), accept("bob", 612), accept("dave", 530), p.Ready())
	c, err := p.Start(at)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Config().Members, p.State())
	var kinds []string
	for e := range p.EventsAfter(0) {
		kinds = append(kinds, string(e.Kind))
	}
	fmt.Println(strings.Join(kinds, " "))
	// Output:
	// <nil> <nil>
	// formation.not_admitted forbidden
	// <nil>
	// <nil> true 0
	// <nil> <nil> <nil> true
	// [alice bob dave] started
	// proposed accepted accepted declined reinvited accepted accepted accepted started
}

// A member accepts terms by their digest: an acceptance of terms it was not shown, here
// the terms before a re-invitation changed the members, is refused.
func ExampleProposal_Accept_termsMismatch() {
	usd, _ := token.NewAsset("USD", 2)
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	p, _ := formation.Propose(at, formation.Terms{
		Config: rosca.Config{Asset: usd, Kind: rosca.Lottery, Members: []token.Account{"alice", "bob", "carol"},
			Foreperson: "alice", Operator: "op", Contribution: usd.MustParse("25"), Start: at.AddDate(0, 1, 0),
			Period: 30 * 24 * time.Hour, Epochs: 1, Fee: token.MustRatio(1, 100), Rules: rosca.WeTrustRules(), Seed: rosca.Seed{1}},
		Deadline: at.AddDate(0, 0, 21),
	}, nil)
	shown := p.Digest()
	_ = p.Reinvite(at.Add(time.Hour), "alice", "carol", "dave")
	err := p.Accept(at.Add(2*time.Hour), formation.Acceptance{Member: "bob", Terms: shown}, nil)
	fmt.Println(fault.CodeOf(err))
	fmt.Println(p.Accept(at.Add(2*time.Hour), formation.Acceptance{Member: "bob", Terms: p.Digest()}, nil))
	// Output:
	// formation.terms_mismatch
	// <nil>
}

// A proposal not started by its deadline is abandoned, with nothing charged; its log,
// written as JSON lines, replays to the same proposal.
func ExampleReplay() {
	usd, _ := token.NewAsset("USD", 2)
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	p, _ := formation.Propose(at, formation.Terms{
		Config: rosca.Config{Asset: usd, Kind: rosca.Bidding, Members: []token.Account{"alice", "bob"},
			Foreperson: "alice", Operator: "op", Contribution: usd.MustParse("25"), Start: at.AddDate(0, 1, 0),
			Period: 30 * 24 * time.Hour, Epochs: 1, Fee: token.MustRatio(0, 1), Rules: rosca.WeTrustRules(), Seed: rosca.Seed{1}},
		Deadline: at.AddDate(0, 0, 21),
	}, nil)
	_ = p.Decline(at.Add(time.Hour), "bob")
	fmt.Println(fault.CodeOf(p.Abandon(at.AddDate(0, 0, 20))))
	fmt.Println(p.Abandon(at.AddDate(0, 0, 21)), p.State())

	var log strings.Builder
	for e := range p.EventsAfter(0) {
		b, _ := e.MarshalJSON()
		log.Write(b)
		log.WriteByte('\n')
	}
	dec := formation.NewDecoder(strings.NewReader(log.String()))
	r, err := formation.Replay(dec.Events())
	if err == nil {
		err = dec.Err()
	}
	s, _ := r.Seat("bob")
	fmt.Println(err, r.LastSeq(), s.Answer, r.State())
	// Output:
	// formation.before_deadline
	// <nil> abandoned
	// <nil> 3 declined abandoned
}
