package crowdsale_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/crowdsale"
	"github.com/trustcircle/trustcircle/internal/zerotest"
)

// The seed sale's config, byte for byte.
const wetrust2017JSON = `{"v":1,"token":{"symbol":"TRST","decimals":6},"pool":"80000000.000000 TRST",` +
	`"sale_account":"wetrust-sale","reference":{"symbol":"BTC","decimals":8},` +
	`"accepted":[{"symbol":"BTC","decimals":8},{"symbol":"ETH","decimals":18}],` +
	`"start":"2017-03-02T00:00:00Z","end":"2017-04-13T00:00:00Z",` +
	`"tiers":[{"from":"2017-03-02T00:00:00Z","bonus":"30%"},{"from":"2017-03-03T00:00:00Z","bonus":"25%"},` +
	`{"from":"2017-03-09T00:00:00Z","bonus":"20%"},{"from":"2017-03-16T00:00:00Z","bonus":"15%"},` +
	`{"from":"2017-03-23T00:00:00Z","bonus":"10%"},{"from":"2017-03-30T00:00:00Z","bonus":"5%"},` +
	`{"from":"2017-04-06T00:00:00Z","bonus":"0%"}],"minimum":"1000.00000000 BTC","cap":"6000.00000000 BTC",` +
	`"fiat":{"currency":{"symbol":"USD","decimals":2},"threshold":"7300000.00 USD","days":3,"lookback":3},` +
	`"quotes":{"sources":["cryptocompare","coinmarketcap","gdax"],"quorum":2,"decimals":8}}`

// encodings returns everything the package encodes for the scenario sale.
func encodings(t *testing.T) [][]byte {
	s := scenario(t)
	var out [][]byte
	for _, v := range []any{crowdsale.WeTrust2017(), s.Snapshot(), s.Events(), s.Receipts()[0].Value(), s.FiatDays(),
		s.Allocations(), s.Refunds(), s.ClosingRates(), s.Status(utc(3, 5, 0, 0, 0))} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	for e := range s.EventsAfter(0) {
		out = append(out, e.AppendJSON(nil))
	}
	return out
}

// The package's JSON does not depend on shopspring/decimal's package settings.
func TestJSONIndependentOfShopspringGlobals(t *testing.T) {
	want := encodings(t)
	if string(want[0]) != wetrust2017JSON {
		t.Fatalf("WeTrust2017 config JSON:\n%s\nwant\n%s", want[0], wetrust2017JSON)
	}
	var got [][]byte
	zerotest.WithShopspringGlobals(t, func() { got = encodings(t) })
	for i := range want {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("encoding %d changes with shopspring's globals:\n%s\n%s", i, got[i], want[i])
		}
	}
}

// Every event starts {"v":1,"seq":N,"kind":"snake_case"; seq counts from 1; amounts are in
// the amount grammar, bonuses in the ratio grammar, times UTC; empty fields are left out.
func TestEventJSONForm(t *testing.T) {
	s := scenario(t)
	head := regexp.MustCompile(`^\{"v":1,"seq":([0-9]+),"kind":"([a-z_]+)"(,"at":"[0-9T:.-]+Z")?[,}]`)
	n := 0
	for e := range s.EventsAfter(0) {
		n++
		b := e.AppendJSON(nil)
		m := head.FindSubmatch(b)
		if m == nil || string(m[1]) != strconv.Itoa(n) || string(m[2]) != string(e.Kind) {
			t.Fatalf("event %d: %s", n, b)
		}
		mb, _ := json.Marshal(e)
		if !bytes.Equal(mb, b) {
			t.Fatalf("MarshalJSON differs from AppendJSON:\n%s\n%s", mb, b)
		}
	}
	if uint64(n) != s.LastSeq() || n == 0 {
		t.Fatalf("%d events, LastSeq %d", n, s.LastSeq())
	}
	ev := s.Events()
	// a contribution in the reference: no quotes, no median, no refund
	if b := string(ev[2].AppendJSON(nil)); ev[2].Kind != crowdsale.EventContribution ||
		b != `{"v":1,"seq":3,"kind":"contribution","at":"2017-03-02T00:00:00Z","contribution":{"id":"a","participant":"alice",`+
			`"amount":"100.00000000 BTC","tier":0,"bonus":"30%","value":"100.000000000000000000000000000 BTC","accepted":"100.00000000 BTC"}}` {
		t.Fatalf("reference contribution: %s", b)
	}
	// the contribution that crossed the cap: quotes sorted, the exact median, the refund
	for _, e := range ev {
		if e.Kind == crowdsale.EventContribution && e.Contribution.ID == "e" {
			want := `"contribution":{"id":"e","participant":"alice","amount":"40000.000000000000000000 ETH",` +
				`"quotes":{"coinmarketcap":"0.03000000 BTC","cryptocompare":"0.03010000 BTC","gdax":"0.02990000 BTC"},` +
				`"median":"0.030000000000000000000000000 BTC","tier":2,"bonus":"20%","value":"749.499999999999999999990000000 BTC",` +
				`"accepted":"24983.333333333333333333 ETH","refund":"15016.666666666666666667 ETH"}}`
			if b := string(e.AppendJSON(nil)); !strings.HasSuffix(b, want) {
				t.Fatalf("cap crossing: %s", b)
			}
		}
		if e.Kind == crowdsale.EventShift {
			if b := string(e.AppendJSON(nil)); !strings.HasSuffix(b, `"shift":{"by":"0s"}}`) {
				t.Fatalf("shift: %s", b)
			}
		}
		if e.Kind == crowdsale.EventFiatDay && e.FiatDay.Status == crowdsale.FiatUnknown {
			if b := string(e.AppendJSON(nil)); strings.Contains(b, `"value"`) || strings.Contains(b, `"rates"`) {
				t.Fatalf("unknown fiat day with a value: %s", b)
			}
		}
	}
}

// The decoders are strict: unknown fields, versions and kinds are refused, durations are Go
// duration strings, and times come back in UTC.
func TestJSONDecodersAreStrict(t *testing.T) {
	for _, bad := range []string{
		`{"seq":1,"kind":"clock"}`,
		`{"v":2,"seq":1,"kind":"clock"}`,
		`{"v":1,"seq":1,"kind":"mint"}`,
		`{"v":1,"seq":1,"kind":"clock","extra":1}`,
		`{"v":1,"seq":1,"kind":"shift","shift":{"by":3600000000000}}`,
		`{"v":1,"seq":1,"kind":"shift","shift":{"by":"an hour"}}`,
		`{"v":1,"seq":1,"kind":"refund","refund":{"amount":"5"}}`,
		`{"v":1,"seq":1,"kind":"refund","refund":{"amount":"5 BTC","asset":{"symbol":"BTC","decimals":8}}}`,
		`{"v":1,"seq":1,"kind":"clock","at":"10000-01-01T00:00:00Z"}`,
		`{"v":1,"seq":1,"kind":"clock"} {}`,
	} {
		var e crowdsale.Event
		if err := json.Unmarshal([]byte(bad), &e); err == nil {
			t.Errorf("%s decoded", bad)
		} else if !errors.Is(err, crowdsale.ErrReplay) && !strings.Contains(err.Error(), "invalid character") {
			t.Errorf("%s: %v", bad, err)
		}
	}
	var e crowdsale.Event
	if err := json.Unmarshal([]byte(`{"v":1,"seq":1,"kind":"shift","at":"2017-02-28T01:00:00+01:00","shift":{"by":"1h"}}`), &e); err != nil ||
		e.Shift.By != time.Hour || e.At.Location() != time.UTC || !e.At.Equal(utc(2, 28, 0, 0, 0)) {
		t.Fatalf("shift: %+v %v", e, err)
	}
	for _, bad := range []string{`{}`, `{"v":2}`, `{"v":1,"pool":5}`, `{"v":1,"bonus":"30%"}`} {
		var c crowdsale.Config
		if err := json.Unmarshal([]byte(bad), &c); !errors.Is(err, crowdsale.ErrInvalidConfig) {
			t.Errorf("config %s: %v", bad, err)
		}
	}
	for _, bad := range []string{`{}`, `{"v":2}`, `{"v":1,"events":3}`} {
		var sn crowdsale.Snapshot
		if err := json.Unmarshal([]byte(bad), &sn); !errors.Is(err, crowdsale.ErrInvalidSnapshot) {
			t.Errorf("snapshot %s: %v", bad, err)
		}
	}
}

// A config in a zone with an offset of seconds (Amsterdam in 1900 was UTC+00:19:32) keeps
// its instants through NewSale and JSON, and its sale replays.
func TestConfigZoneOffsetSeconds(t *testing.T) {
	ams := time.FixedZone("AMT", 19*60+32)
	cfg := crowdsale.WeTrust2017()
	cfg = cfg.Shift(time.Date(1900, 3, 2, 0, 0, 0, 0, ams).Sub(cfg.Start))
	cfg.Start, cfg.End = cfg.Start.In(ams), cfg.End.In(ams)
	for i := range cfg.Tiers {
		cfg.Tiers[i].From = cfg.Tiers[i].From.In(ams)
	}
	cfg.Fiat = crowdsale.FiatRule{}
	s := newSale(t, cfg)
	if !s.Config().Start.Equal(cfg.Start) || s.Config().Start.Location() != time.UTC {
		t.Fatalf("start %s", s.Config().Start)
	}
	mustContribute(t, s, btc("a", "alice", "1", cfg.Start.Add(time.Second).In(ams)))
	b, _ := json.Marshal(s.InitialConfig())
	var back crowdsale.Config
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s.InitialConfig(), back); diff != "" {
		t.Fatalf("config moved through JSON:\n%s", diff)
	}
	eb, _ := json.Marshal(s.Events())
	var events []crowdsale.Event
	if err := json.Unmarshal(eb, &events); err != nil {
		t.Fatal(err)
	}
	if _, err := crowdsale.Replay(back, slices.Values(events)); err != nil {
		t.Fatal(err)
	}
}

// Ids that are not valid UTF-8 would collide after JSON ("a\xffb" and "a\xfeb" both become
// "a\ufffdb"): they are refused.
func TestInvalidUTF8IDsRefused(t *testing.T) {
	s := newSale(t, crowdsale.WeTrust2017())
	for _, id := range []string{"a\xffb", "a\xfeb", "\xc3", "ok\x80"} {
		if _, err := s.Contribute(btc(id, "alice", "1", utc(3, 5, 0, 0, 0))); !errors.Is(err, crowdsale.ErrInvalidID) {
			t.Fatalf("id %q: %v", id, err)
		}
	}
	if _, err := s.Contribute(btc("Überweisung-1", "alice", "1", utc(3, 5, 0, 0, 0))); err != nil {
		t.Fatalf("a UTF-8 id: %v", err)
	}
	if s.Len() != 1 {
		t.Fatalf("%d contributions", s.Len())
	}
}

// EventsAfter(k) is the log after k, for every k; LastSeq is its length.
func TestEventsAfter(t *testing.T) {
	s := scenario(t)
	all := s.Events()
	if uint64(len(all)) != s.LastSeq() {
		t.Fatalf("%d events, LastSeq %d", len(all), s.LastSeq())
	}
	for k := 0; k <= len(all)+1; k++ {
		got := slices.Collect(s.EventsAfter(uint64(k)))
		want := all[min(k, len(all)):]
		if len(got) != len(want) {
			t.Fatalf("after %d: %d events, want %d", k, len(got), len(want))
		}
		for i := range got {
			if !got[i].Equal(want[i]) || got[i].Seq != uint64(k+i+1) {
				t.Fatalf("after %d: event %d differs", k, i)
			}
		}
	}
	// stopping early
	for e := range s.EventsAfter(3) {
		if e.Seq != 4 {
			t.Fatal(e.Seq)
		}
		break
	}
}

// The tail of a large log costs what it holds, not what the log holds.
func TestEventsAfterCostsTheTail(t *testing.T) {
	tail := func(n int) float64 {
		s := runSale(t, crowdsale.WeTrust2017(), benchInputs(n))
		last := s.LastSeq()
		return testing.AllocsPerRun(20, func() {
			for e := range s.EventsAfter(last - 3) {
				_ = e
			}
		})
	}
	if small, large := tail(1000), tail(100_000); large > small {
		t.Fatalf("the last 3 events of 100,000 contributions allocate %v, of 1,000 %v", large, small)
	}
}

// A decoder reads JSON lines, skipping blank lines, and stops at the first bad line.
func TestDecoder(t *testing.T) {
	s := scenario(t)
	var log []byte
	for e := range s.EventsAfter(0) {
		log = append(e.AppendJSON(log), '\n')
		if e.Seq == 5 {
			log = append(log, "\n  \n"...)
		}
	}
	dec := crowdsale.NewDecoder(bytes.NewReader(log))
	r, err := crowdsale.Replay(s.InitialConfig(), dec.Events())
	if err != nil || dec.Err() != nil {
		t.Fatal(err, dec.Err())
	}
	if !bytes.Equal(r.Snapshot().AppendJSON(nil), s.Snapshot().AppendJSON(nil)) {
		t.Fatal("replay from JSON lines differs")
	}
	bad := crowdsale.NewDecoder(strings.NewReader(string(log[:len(log)/2]) + "{not json}\n" + string(log[len(log)/2:])))
	n := 0
	for range bad.Events() {
		n++
	}
	if !errors.Is(bad.Err(), crowdsale.ErrReplay) || n == 0 || uint64(n) >= s.LastSeq() {
		t.Fatalf("%d events, %v", n, bad.Err())
	}
}

// Each hand-written encoder has a mirror for decoding with one field per field of its
// type, so that a new field cannot be left out of the JSON silently.
func TestJSONMirrorsHaveEveryField(t *testing.T) {
	for _, c := range []struct {
		v      any
		fields int
	}{
		{crowdsale.Event{}, 17}, {crowdsale.Config{}, 20}, {crowdsale.Snapshot{}, 16}, {crowdsale.ContributionEvent{}, 11},
		{crowdsale.Refund{}, 4}, {crowdsale.End{}, 2}, {crowdsale.ClosingRate{}, 4}, {crowdsale.FiatDay{}, 8},
		{crowdsale.Finalization{}, 4}, {crowdsale.Allocation{}, 2}, {crowdsale.Distribution{}, 4}, {crowdsale.LockUp{}, 2}, {crowdsale.Shift{}, 1},
		{crowdsale.ParticipantState{}, 6}, {crowdsale.Status{}, 7}, {crowdsale.FiatRule{}, 4}, {crowdsale.Tier{}, 3},
		{crowdsale.QuoteRule{}, 4}, {crowdsale.FiatRate{}, 2}, {crowdsale.MissingRate{}, 2},
		{crowdsale.Registrant{}, 4}, {crowdsale.Limits{}, 2}, {crowdsale.Pause{}, 2}, {crowdsale.RefundPayment{}, 3}, {crowdsale.Release{}, 3}, {crowdsale.Approval{}, 2}, {crowdsale.EscrowRule{}, 2},
	} {
		if n := reflect.TypeOf(c.v).NumField(); n != c.fields {
			t.Errorf("%T has %d fields, its JSON %d: encode and decode the new ones", c.v, n, c.fields)
		}
	}
}
