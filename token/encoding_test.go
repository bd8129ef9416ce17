package token_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/token"
)

// trstGenesisJSON is the JSON of TRSTGenesis for the accounts of TestEncodingGolden.
const trstGenesisJSON = `{"v":1,"asset":{"symbol":"TRST","decimals":6},"supply":"100000000.000000 TRST","grants":[` +
	`{"account":"sale","amount":"80000000.000000 TRST"},{"account":"team","amount":"10000000.000000 TRST"},` +
	`{"account":"org","amount":"8000000.000000 TRST"},{"account":"bounties","amount":"2000000.000000 TRST"}]}`

// encodings returns the JSON of everything the package encodes: TRSTGenesis, every event of
// a busy ledger (MarshalJSON and AppendJSON), and its snapshot.
func encodings(t *testing.T) [][]byte {
	t.Helper()
	var out [][]byte
	g, err := json.Marshal(token.TRSTGenesis(token.TRSTAccounts{Sale: "sale", Team: "team", Organisation: "org", Bounties: "bounties"}))
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, g)
	l := busyLedger(t)
	for e := range l.EventsAfter(0) {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data, e.AppendJSON(nil))
	}
	a, err := json.Marshal(token.ETH())
	if err != nil {
		t.Fatal(err)
	}
	return append(out, state(t, l), a)
}

// TestEncodingGolden pins the JSON of TRSTGenesis and of each kind of event, and checks that
// every encoding is byte-identical whatever shopspring/decimal's package settings.
func TestEncodingGolden(t *testing.T) {
	before := encodings(t)
	if string(before[0]) != trstGenesisJSON {
		t.Errorf("TRSTGenesis JSON:\n%s\nwant\n%s", before[0], trstGenesisJSON)
	}
	var after [][]byte
	zerotest.WithShopspringGlobals(t, func() { after = encodings(t) })
	if len(after) != len(before) {
		t.Fatalf("%d encodings, then %d", len(before), len(after))
	}
	for i := range before {
		if !bytes.Equal(before[i], after[i]) {
			t.Errorf("encoding %d depends on shopspring's globals:\n%s\n%s", i, before[i], after[i])
		}
	}
	l := busyLedger(t)
	want := []string{
		`{"v":1,"seq":1,"kind":"genesis","to":"alice","amount":"100.000000 TRST"}`,
		`{"v":1,"seq":4,"kind":"transfer","from":"alice","to":"bob","amount":"1.500000 TRST"}`,
		`{"v":1,"seq":5,"kind":"approval","from":"alice","spender":"carol","amount":"10.000000 TRST"}`,
		`{"v":1,"seq":6,"kind":"transfer","from":"alice","to":"dave","spender":"carol","amount":"2.000000 TRST"}`,
		`{"v":1,"seq":8,"kind":"vest","from":"alice","to":"bob","amount":"40.000000 TRST","vesting":1,"start":"2017-04-13T00:00:00Z","end":"2017-04-13T00:01:40Z","revocable":true}`,
		`{"v":1,"seq":9,"kind":"vest","from":"bob","to":"bob","amount":"7.000000 TRST","vesting":2,"start":"2017-04-13T00:00:00Z","cliff":"2017-04-13T00:00:10Z","end":"2017-04-13T00:01:10Z","period":"7s"}`,
		`{"v":1,"seq":10,"kind":"release","to":"bob","amount":"10.000000 TRST","vesting":1,"at":"2017-04-13T00:00:25Z"}`,
		`{"v":1,"seq":11,"kind":"revoke","from":"bob","to":"alice","amount":"19.800000 TRST","vesting":1,"at":"2017-04-13T00:00:50.5Z"}`,
	}
	got := map[string]bool{}
	for e := range l.EventsAfter(0) {
		got[string(e.AppendJSON(nil))] = true
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("no event encodes as %s", w)
		}
	}
}

// TestEventJSON: every event round-trips through JSON; the decoder is strict.
func TestEventJSON(t *testing.T) {
	l := busyLedger(t)
	for e := range l.EventsAfter(0) {
		data, _ := e.MarshalJSON()
		var d token.Event
		if err := json.Unmarshal(data, &d); err != nil || !d.Equal(e) {
			t.Fatalf("%s: decoded %+v, %v", data, d, err)
		}
	}
	good := `{"v":1,"seq":4,"kind":"transfer","from":"alice","to":"bob","amount":"1.500000 TRST"}`
	for name, bad := range map[string]string{
		"version":       strings.Replace(good, `"v":1`, `"v":2`, 1),
		"no version":    strings.Replace(good, `"v":1,`, ``, 1),
		"unknown field": strings.Replace(good, `"seq":4`, `"seq":4,"x":1`, 1),
		"unknown kind":  strings.Replace(good, `transfer`, `mint`, 1),
		"bad amount":    strings.Replace(good, `1.500000 TRST`, `1.5`, 1),
		"bad time":      strings.Replace(good, `}`, `,"at":"noon"}`, 1),
		"bad period":    strings.Replace(good, `}`, `,"period":"7"}`, 1),
		"trailing":      good + `{}`,
		"not an object": `[]`,
	} {
		var e token.Event
		if err := e.UnmarshalJSON([]byte(bad)); !errors.Is(err, token.ErrReplay) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// An event with a time RFC 3339 cannot write does not marshal.
	e := token.Event{Seq: 1, Kind: token.EventRelease, At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := e.MarshalJSON(); !errors.Is(err, token.ErrInvalidTime) {
		t.Errorf("year 10000: %v", err)
	}
	// Accounts that need escaping are escaped as encoding/json escapes them.
	e = token.Event{Seq: 1, Kind: token.EventGenesis, To: `a"<&>\b`, Amount: ta("1")}
	want, _ := json.Marshal(map[string]any{"to": e.To})
	if !bytes.Contains(e.AppendJSON(nil), bytes.Trim(want, "{}")) {
		t.Errorf("escaping: %s, want %s", e.AppendJSON(nil), want)
	}
}

// TestGenesisJSON: a genesis round-trips through JSON; the decoder refuses other versions
// and unknown fields.
func TestGenesisJSON(t *testing.T) {
	g := token.TRSTGenesis(token.TRSTAccounts{Sale: "sale", Team: "team", Organisation: "org", Bounties: "bounties"})
	var d token.Genesis
	if err := json.Unmarshal([]byte(trstGenesisJSON), &d); err != nil {
		t.Fatal(err)
	}
	if !d.Supply.Equal(g.Supply) || d.Asset != g.Asset || len(d.Grants) != 4 || d.Validate() != nil {
		t.Fatalf("decoded %+v", d)
	}
	for i := range g.Grants {
		if d.Grants[i].Account != g.Grants[i].Account || !d.Grants[i].Amount.Equal(g.Grants[i].Amount) {
			t.Errorf("grant %d: %+v", i, d.Grants[i])
		}
	}
	for name, bad := range map[string]string{
		"version":       strings.Replace(trstGenesisJSON, `"v":1`, `"v":2`, 1),
		"no version":    strings.Replace(trstGenesisJSON, `"v":1,`, ``, 1),
		"unknown field": strings.Replace(trstGenesisJSON, `"v":1`, `"v":1,"x":2`, 1),
		"grant field":   strings.Replace(trstGenesisJSON, `"account":"sale"`, `"account":"sale","x":2`, 1),
		"bad amount":    strings.Replace(trstGenesisJSON, `"80000000.000000 TRST"`, `"80000000"`, 1),
	} {
		var d token.Genesis
		if err := json.Unmarshal([]byte(bad), &d); !errors.Is(err, token.ErrGenesis) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
