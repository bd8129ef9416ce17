package formation_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/trustcircle/trustcircle/formation"
	"github.com/trustcircle/trustcircle/roles"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

// feb1 is when the test proposals are made; the circles start on 1 March 2026.
var (
	feb1   = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	march1 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
)

const (
	day  = 24 * time.Hour
	week = 7 * day
)

// at returns feb1 plus n hours.
func at(n int) time.Time { return feb1.Add(time.Duration(n) * time.Hour) }

// usd is a two-decimal asset.
var usd = func() token.Asset {
	a, err := token.NewAsset("USD", 2)
	if err != nil {
		panic(err)
	}
	return a
}()

// eur is another asset.
var eur = func() token.Asset {
	a, err := token.NewAsset("EUR", 2)
	if err != nil {
		panic(err)
	}
	return a
}()

// config is a fixed-order circle of the members, the first the foreperson, paying 10.00
// USD a week from 1 March 2026.
func config(members ...token.Account) rosca.Config {
	return rosca.Config{
		Asset: usd, Kind: rosca.FixedOrder, Members: members, Foreperson: members[0], Operator: "op",
		Contribution: usd.MustParse("10"), Start: march1, Period: week, Epochs: 1,
		Fee: token.MustRatio(0, 1), Rules: rosca.WeTrustRules(), Seed: rosca.Seed{7},
	}
}

// terms are the config of the members, the admission rule and a deadline of 28 February.
func terms(adm formation.Admission, members ...token.Account) formation.Terms {
	return formation.Terms{Config: config(members...), Admission: adm, Deadline: march1.Add(-day)}
}

// propose proposes terms of alice, bob and carol at feb1, or fails t.
func propose(t tb, adm formation.Admission, dir *roles.Directory) *formation.Proposal {
	t.Helper()
	p, err := formation.Propose(feb1, terms(adm, "alice", "bob", "carol"), dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// acc is an acceptance of p's terms in force by m with a reputation of 600.
func acc(p *formation.Proposal, m token.Account) formation.Acceptance {
	return formation.Acceptance{Member: m, Terms: p.Digest(), Reputation: 600}
}

// must fails t on an error.
func must(t tb, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// snapshot is everything a proposal's queries report, as JSON.
func snapshot(t tb, p *formation.Proposal) string {
	t.Helper()
	b, err := json.Marshal(struct {
		Events []formation.Event
		Seats  []formation.Seat
		State  formation.State
		Digest formation.Digest
		Terms  formation.Terms
	}{p.Events(), p.Seats(), p.State(), p.Digest(), p.Terms()})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// rejects runs cmd on p and checks that it fails with every reason in want and changes
// nothing; it returns the error.
func rejects(t tb, p *formation.Proposal, cmd func() error, want ...error) *formation.Error {
	t.Helper()
	before := snapshot(t, p)
	err := cmd()
	for _, w := range want {
		if !errors.Is(err, w) {
			t.Fatalf("error %v, want %v", err, w)
		}
	}
	e, ok := errors.AsType[*formation.Error](err)
	if !ok {
		t.Fatalf("error %T %v is not a *formation.Error", err, err)
	}
	if after := snapshot(t, p); after != before {
		t.Fatalf("a rejected command changed the proposal:\nbefore %s\nafter  %s", before, after)
	}
	return e
}

// directory grants every account the general user role, and alice the foreperson's.
func directory(t tb, users ...token.Account) *roles.Directory {
	t.Helper()
	d := roles.NewDirectory()
	for _, u := range users {
		must(t, d.Grant(feb1.Add(-week), u, roles.GeneralUser))
	}
	must(t, d.Grant(feb1.Add(-week), "alice", roles.Foreperson))
	return d
}

// replayed checks that replaying p's log, through JSON lines, gives the same proposal.
func replayed(t tb, p *formation.Proposal) *formation.Proposal {
	t.Helper()
	var buf []byte
	for e := range p.EventsAfter(0) {
		b, err := e.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		buf = append(append(buf, b...), '\n')
	}
	dec := formation.NewDecoder(bytes.NewReader(buf))
	r, err := formation.Replay(dec.Events())
	if err == nil {
		err = dec.Err()
	}
	if err != nil {
		t.Fatalf("replay: %v\n%s", err, buf)
	}
	if got, want := snapshot(t, r), snapshot(t, p); got != want {
		t.Fatalf("replay differs:\ngot  %s\nwant %s", got, want)
	}
	return r
}

// collect returns the events of seq.
func collect(seq func(func(formation.Event) bool)) []formation.Event {
	var out []formation.Event
	for e := range seq {
		out = append(out, e)
	}
	return out
}

// tb is what the helpers need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// view is what the rapid test compares after each step: cheaper than a snapshot, and
// enough, since the log is append-only and the seats and digest follow from it.
type view struct {
	seq    uint64
	state  formation.State
	digest formation.Digest
	seats  []formation.Seat
}

func viewOf(p *formation.Proposal) view {
	return view{p.LastSeq(), p.State(), p.Digest(), p.Seats()}
}

func (v view) equal(w view) bool {
	return v.seq == w.seq && v.state == w.state && v.digest == w.digest &&
		slices.EqualFunc(v.seats, w.seats, func(a, b formation.Seat) bool {
			x, y := a.Evidence, b.Evidence
			return a.Index == b.Index && a.Member == b.Member && a.Answer == b.Answer && a.At.Equal(b.At) && a.Roles == b.Roles &&
				x.Member == y.Member && x.Terms == y.Terms && x.Reputation == y.Reputation && x.Guarantor == y.Guarantor &&
				x.Pledge.Equal(y.Pledge) && x.Collateral.Equal(y.Collateral)
		})
}
