package roles_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/roles"
)

func TestEventJSON(t *testing.T) {
	d := roles.NewDirectory()
	_ = d.Grant(at(0), "alice", roles.Sponsor, roles.GeneralUser)
	_ = d.Revoke(at(1).Add(123*time.Nanosecond), "alice", roles.Sponsor)
	_ = d.Grant(at(2), `q"b\s<&>`, roles.Foreperson)
	want := []string{
		`{"v":1,"seq":1,"kind":"granted","at":"2017-04-01T12:00:00Z","account":"alice","roles":"sponsor|user","after":"sponsor|user"}`,
		`{"v":1,"seq":2,"kind":"revoked","at":"2017-04-01T12:01:00.000000123Z","account":"alice","roles":"sponsor","after":"user"}`,
		`{"v":1,"seq":3,"kind":"granted","at":"2017-04-01T12:02:00Z","account":"q\"b\\s\u003c\u0026\u003e","roles":"foreperson","after":"foreperson"}`,
	}
	for i, e := range d.Events() {
		if got := string(e.AppendJSON(nil)); got != want[i] {
			t.Errorf("event %d:\n got %s\nwant %s", i+1, got, want[i])
		}
		b, err := json.Marshal(e)
		if err != nil || string(b) != want[i] {
			t.Errorf("json.Marshal of event %d: %s %v", i+1, b, err)
		}
		var back roles.Event
		if err := json.Unmarshal(b, &back); err != nil || !cmp.Equal(back, e) {
			t.Errorf("event %d round trip: %+v %v", i+1, back, err)
		}
	}
	// Events that could not be decoded are not encoded.
	for name, e := range map[string]roles.Event{
		"unknown bits": {Seq: 1, At: t0, Kind: roles.EventGranted, Account: "a", Roles: 0x80, After: 0x80},
		"year 10000":   {Seq: 1, At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Kind: roles.EventGranted, Account: "a", Roles: 1, After: 1},
	} {
		if _, err := json.Marshal(e); !errors.Is(err, roles.ErrInvalidLog) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestEventUnmarshalStrict(t *testing.T) {
	good := `{"v":1,"seq":1,"kind":"granted","at":"2017-04-01T12:00:00Z","account":"alice","roles":"sponsor","after":"sponsor"}`
	var e roles.Event
	if err := json.Unmarshal([]byte(good), &e); err != nil {
		t.Fatal(err)
	}
	// An offset is accepted and the time kept in UTC.
	var z roles.Event
	if err := json.Unmarshal([]byte(strings.Replace(good, "12:00:00Z", "14:00:00+02:00", 1)), &z); err != nil || z.At.Location() != time.UTC || !z.At.Equal(e.At) {
		t.Fatalf("offset: %v %v", z.At, err)
	}
	for _, bad := range []string{
		strings.Replace(good, `"v":1`, `"v":2`, 1),
		strings.Replace(good, `"v":1,`, ``, 1),
		strings.Replace(good, `,"after":"sponsor"`, ``, 1),
		strings.Replace(good, `"kind"`, `"kinds"`, 1),
		strings.Replace(good, `}`, `,"extra":true}`, 1),
		strings.Replace(good, `"sponsor"}`, `"ghost"}`, 1),
		strings.Replace(good, `"2017-04-01T12:00:00Z"`, `"yesterday"`, 1),
		strings.Replace(good, `"seq":1`, `"seq":-1`, 1),
		`[]`, `"x"`, `{`,
	} {
		before := e
		err := e.UnmarshalJSON([]byte(bad))
		if !errors.Is(err, roles.ErrInvalidLog) {
			t.Errorf("%s: %v", bad, err)
		}
		if x, ok := errors.AsType[*roles.Error](err); !ok || x.Code() != "roles.invalid_log" {
			t.Errorf("%s: %T %v", bad, err, err)
		}
		if !cmp.Equal(before, e) {
			t.Errorf("%s changed the event", bad)
		}
	}
}

// TestDecoder: a service appends each command's events as JSON lines and rebuilds the
// directory from the stream.
func TestDecoder(t *testing.T) {
	d := roles.NewDirectory()
	var log bytes.Buffer
	var persisted uint64
	persist := func() {
		var b []byte
		for e := range d.EventsAfter(persisted) {
			b = append(e.AppendJSON(b), '\n')
			persisted = e.Seq
		}
		log.Write(b)
	}
	_ = d.Grant(at(0), "alice", roles.Sponsor, roles.GeneralUser)
	persist()
	_ = d.Grant(at(1), "bob", roles.ReferralPartner)
	_ = d.Revoke(at(2), "alice", roles.Sponsor)
	persist()
	persist() // nothing new
	if persisted != 3 || strings.Count(log.String(), "\n") != 3 {
		t.Fatalf("persisted %d:\n%s", persisted, log.String())
	}
	dec := roles.NewDecoder(bytes.NewReader(log.Bytes()))
	r, err := roles.Replay(dec.Events())
	if err != nil || dec.Err() != nil {
		t.Fatal(err, dec.Err())
	}
	if diff := cmp.Diff(d.Events(), r.Events()); diff != "" {
		t.Fatalf("replay differs:\n%s", diff)
	}
	// A broken line stops the stream with an error.
	broken := log.String() + `{"v":1,"seq":4,` + "\n"
	dec = roles.NewDecoder(strings.NewReader(broken))
	n := len(slices.Collect(dec.Events()))
	if n != 3 || !errors.Is(dec.Err(), roles.ErrInvalidLog) {
		t.Fatalf("%d events, err %v", n, dec.Err())
	}
	var zero roles.Decoder
	if n := len(slices.Collect(zero.Events())); n != 0 || zero.Err() != nil {
		t.Fatalf("zero decoder: %d %v", n, zero.Err())
	}
}

// TestEncodingIgnoresShopspringGlobals: the JSON of the package's events and values is
// byte-identical whatever shopspring/decimal's package settings.
func TestEncodingIgnoresShopspringGlobals(t *testing.T) {
	f := newFixture(t, "100", "50")
	_ = f.p.Refer(at(1), "ref", "usr")
	_, _ = f.p.PayReferral(at(2), "op", roles.ReferralClaim{ID: "c1", Partner: "ref", User: "usr", Event: roles.Completed, Base: trst("123.456789")})
	_ = f.p.PostBounty(at(3), "op", roles.Bounty{ID: "b1", Task: "t", Reward: trst("0.000001")})
	encode := func() []string {
		var out []string
		for _, e := range f.d.Events() {
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
		for _, e := range f.p.Events() {
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
		for _, v := range []any{f.p.Payouts(), f.p.Config().OnJoin, f.p.Config().OnComplete, roles.Bounty{ID: "x", Reward: trst("1000000")}} {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
		return out
	}
	before := encode()
	var during []string
	zerotest.WithShopspringGlobals(t, func() { during = encode() })
	if diff := cmp.Diff(before, during); diff != "" {
		t.Fatalf("encodings depend on shopspring's globals (-default +changed):\n%s", diff)
	}
	if want := `{"fixed":"5.000000 TRST","rate":"0%"}`; before[len(before)-3] != want {
		t.Errorf("reward JSON %s, want %s", before[len(before)-3], want)
	}
}

// TestProgramEventJSON: program events encode with the format version, snake_case kinds and
// amounts as text, and decode back to equal events.
func TestProgramEventJSON(t *testing.T) {
	f := newFixture(t, "100", "50")
	_ = f.p.Refer(at(1), "ref", "usr")
	_, _ = f.p.PayReferral(at(2), "op", roles.ReferralClaim{ID: "c1", Partner: "ref", User: "usr", Event: roles.Joined})
	_ = f.p.PostBounty(at(3), "op", roles.Bounty{ID: "b1", Task: "fix <it>", Reward: trst("20")})
	want := []string{
		`{"v":1,"seq":1,"kind":"referred","at":"2017-04-01T12:01:00Z","account":"ref","user":"usr"}`,
		`{"v":1,"seq":2,"kind":"paid","at":"2017-04-01T12:02:00Z","payout":{"at":"2017-04-01T12:02:00Z","kind":"referral","claim_id":"c1","to":"ref","amount":"5.000000 TRST","user":"usr","event":"joined"}}`,
		`{"v":1,"seq":3,"kind":"bounty_posted","at":"2017-04-01T12:03:00Z","bounty":{"id":"b1","task":"fix \u003cit\u003e","reward":"20.000000 TRST"}}`,
	}
	events := f.p.Events()
	if len(events) != len(want) || f.p.LastSeq() != 3 {
		t.Fatalf("%d events", len(events))
	}
	for i, e := range events {
		b, err := json.Marshal(e)
		if err != nil || string(b) != want[i] || string(e.AppendJSON(nil)) != want[i] {
			t.Errorf("event %d:\n got %s %v\nwant %s", i+1, b, err, want[i])
		}
		var back roles.ProgramEvent
		if err := json.Unmarshal(b, &back); err != nil || !cmp.Equal(back, e) {
			t.Errorf("event %d round trip: %+v %v", i+1, back, err)
		}
	}
	// The payout inside the event is encoded as json.Marshal encodes a Payout.
	pb, _ := json.Marshal(*events[1].Payout)
	if !strings.Contains(want[1], string(pb)) {
		t.Errorf("payout JSON %s", pb)
	}
	if diff := cmp.Diff(events[1:], slices.Collect(f.p.EventsAfter(1))); diff != "" {
		t.Errorf("EventsAfter(1):\n%s", diff)
	}
	for _, bad := range []string{
		strings.Replace(want[0], `"v":1`, `"v":0`, 1),
		strings.Replace(want[0], `"v":1,`, ``, 1),
		strings.Replace(want[0], `"user"`, `"usr"`, 1),
		strings.Replace(want[1], `"claim_id"`, `"claim"`, 1),
		strings.Replace(want[1], `5.000000 TRST`, `5.000000 trst`, 1),
		strings.Replace(want[1], `5.000000 TRST`, `5.000000`, 1),
	} {
		var e roles.ProgramEvent
		if err := json.Unmarshal([]byte(bad), &e); !errors.Is(err, roles.ErrInvalidLog) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
