package rosca_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/rosca"
	"github.com/trustcircle/trustcircle/token"
)

func TestEventJSONStable(t *testing.T) {
	c := mustNew(t, weiCfg(rosca.Bidding, 3, 1000, 20))
	ok(t, c.Contribute(at(0, time.Second), "m1", wei(1000)))
	b, err := json.Marshal(c.Events()[0])
	ok(t, err)
	want := `{"v":1,"seq":1,"kind":"contribution","at":"2026-01-01T00:00:01Z","round":1,"member":"m1","amount":"0.000000000000001000 ETH"}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	if got := string(c.Events()[0].AppendJSON([]byte("x"))); got != "x"+want {
		t.Fatalf("AppendJSON %s", got)
	}
}

// Every kind of event encodes with AppendJSON exactly as json.Marshal encodes it (so a
// snapshot embeds the same bytes), decodes to an equal event, and a round's result leaves
// out draw_start, candidates and debt when they are zero.
func TestEventJSONEveryKind(t *testing.T) {
	c := goldenEnded(t)
	_, err := c.Withdraw(at(4), "m0")
	ok(t, err)
	_, err = c.RetrieveFees(at(4), "m0")
	ok(t, err)
	ok(t, c.EnableHalt(at(4), "op"))
	_, err = c.ActivateHalt(at(4, time.Nanosecond*1500), "m0")
	ok(t, err)
	kinds := map[rosca.EventKind]bool{}
	for e := range c.EventsAfter(0) {
		kinds[e.Kind] = true
		b, err := json.Marshal(e)
		ok(t, err)
		if a := e.AppendJSON(nil); !bytes.Equal(a, b) {
			t.Fatalf("AppendJSON %s\njson.Marshal %s", a, b)
		}
		if !bytes.HasPrefix(b, []byte(`{"v":1,"seq":`)) {
			t.Fatalf("%s", b)
		}
		var back rosca.Event
		ok(t, json.Unmarshal(b, &back))
		if !back.Equal(e) {
			t.Fatalf("%s decodes to %+v", b, back)
		}
		if e.Result != nil && e.Result.Method == rosca.ByBid {
			if s := string(b); strings.Contains(s, "draw_start") || strings.Contains(s, "candidates") || strings.Contains(s, `"debt"`) {
				t.Fatalf("empty fields written: %s", s)
			}
		}
	}
	if len(kinds) != 7 {
		t.Fatalf("kinds %v", kinds)
	}
	last := c.Events()[c.LastSeq()-1]
	if s := roundTripJSONBytes(last); !strings.Contains(s, `"at":"2026-01-01T04:00:00.0000015Z"`) || !strings.Contains(s, `"settlement":[{"account":"m1","claim":`) {
		t.Fatalf("%s", s)
	}
}

// The event decoder is strict: a wrong version, an unknown kind or field, a bad amount or
// seq 0 is an error wrapping ErrReplay, never a silently different event.
func TestEventJSONStrict(t *testing.T) {
	good := `{"v":1,"seq":1,"kind":"contribution","at":"2026-01-01T00:00:01Z","round":1,"member":"m1","amount":"0.000000000000001000 ETH"}`
	var e rosca.Event
	ok(t, json.Unmarshal([]byte(good), &e))
	for _, bad := range []string{
		strings.Replace(good, `"v":1`, `"v":2`, 1),
		strings.Replace(good, `"v":1,`, ``, 1),
		strings.Replace(good, `"seq":1`, `"seq":0`, 1),
		strings.Replace(good, `"contribution"`, `"gift"`, 1),
		strings.Replace(good, `"round":1`, `"round":1,"colour":"red"`, 1),
		strings.Replace(good, `0.000000000000001000 ETH`, `1e3`, 1),
		strings.Replace(good, `"seq":1`, `"seq":"1"`, 1),
		good + ` {}`,
		`[]`, `null x`, `null`, ``,
	} {
		var e rosca.Event
		if err := e.UnmarshalJSON([]byte(bad)); !errors.Is(err, rosca.ErrReplay) {
			t.Fatalf("%s: %v", bad, err)
		}
	}
}

// The encoders' output does not depend on shopspring/decimal's package settings.
func TestJSONIndependentOfShopspringGlobals(t *testing.T) {
	c := goldenEnded(t)
	_, err := c.Withdraw(at(4), "m1")
	ok(t, err)
	encode := func() string {
		var b strings.Builder
		for _, v := range []any{c.Config(), c.Snapshot(), c.Rounds(), c.Positions(), c.Totals(), c.Round()} {
			s, err := json.Marshal(v)
			ok(t, err)
			b.Write(s)
		}
		for e := range c.EventsAfter(0) {
			b.Write(e.AppendJSON(nil))
		}
		return b.String()
	}
	want := encode()
	var got string
	zerotest.WithShopspringGlobals(t, func() { got = encode() })
	if got != want {
		t.Fatalf("output changed with shopspring's globals:\n%s\n%s", got, want)
	}
}

// The hand-written time encoder writes what time.Time's own does for UTC times, in any
// year from 1 to 9999.
func TestRapidAppendTime(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lo, hi := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(2251, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		if rapid.Bool().Draw(t, "any year") {
			lo, hi = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
		}
		sec := rapid.Int64Range(lo, hi).Draw(t, "sec")
		ns := rapid.OneOf(rapid.Just(int64(0)), rapid.Int64Range(0, 999_999_999), rapid.SampledFrom([]int64{1, 10, 100_000, 500_000_000})).Draw(t, "ns")
		when := time.Unix(sec, ns).UTC()
		e := rosca.Event{Seq: 1, Kind: rosca.EventHaltEnabled, At: when, Round: 1, Member: "op"}
		want, _ := json.Marshal(when)
		got := e.AppendJSON(nil)
		if !bytes.Contains(got, append(append([]byte(`"at":`), want...), ',')) {
			t.Fatalf("%s lacks %s", got, want)
		}
	})
}

// The amount writer (token.Amount.AppendText and its one-pass path for whole parts below
// 2^64) writes the number computed independently from the units with math/big.
func TestRapidAppendAmount(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, err := token.NewAsset("TST", rapid.IntRange(0, token.MaxDecimals).Draw(t, "decimals"))
		if err != nil {
			t.Fatal(err)
		}
		u := rapid.OneOf(rapid.Uint64(), rapid.Uint64Range(0, 1000), rapid.SampledFrom([]uint64{0, 1, 9, 10, 1e18, 1<<64 - 1})).Draw(t, "units")
		x := a.FromUint64Units(u)
		if rapid.Bool().Draw(t, "neg") {
			x = x.Neg()
		}
		switch rapid.IntRange(0, 3).Draw(t, "wide") {
		case 1:
			x, _ = x.Mul(1 << 40)
		case 2:
			x, _ = x.Mul(1<<62 + rapid.Int64Range(0, 1<<62).Draw(t, "factor"))
		case 3:
			x, _ = x.Mul(1 << 62)
			x, _ = x.Mul(1 << 62)
			x, _ = x.Mul(1 << 30)
		}
		e := rosca.Event{Seq: 1, Kind: rosca.EventBid, At: t0, Round: 1, Member: "m0", Amount: x}
		text, _ := x.AppendText(nil)
		if want := referenceText(x); string(text) != want {
			t.Fatalf("AppendText = %s, want %s", text, want)
		}
		if got := e.AppendJSON(nil); !bytes.Contains(got, []byte(`"amount":"`+string(text)+`"}`)) {
			t.Fatalf("%s lacks %s", got, text)
		}
	})
}

// The digit writer of the events agrees with strconv.
func TestRapidAppendUint(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.OneOf(rapid.Uint64(), rapid.Uint64Range(0, 1000), rapid.SampledFrom([]uint64{0, 9, 10, 99, 100, 1<<64 - 1})).Draw(t, "v")
		e := rosca.Event{Seq: v, Kind: rosca.EventBid, At: t0, Round: 1, Member: "m0"}
		if got, want := e.AppendJSON(nil), `{"v":1,"seq":`+strconv.FormatUint(v, 10)+`,`; !bytes.HasPrefix(got, []byte(want)) {
			t.Fatalf("%s, want %s", got, want)
		}
	})
}

// referenceText writes x in the amount grammar from its units, with math/big and strings.
func referenceText(x token.Amount) string {
	u := x.Units()
	sign := ""
	if u.Sign() < 0 {
		sign = "-"
	}
	digits := new(big.Int).Abs(u).String()
	dec := x.Asset().Decimals()
	if dec > 0 {
		if len(digits) <= dec {
			digits = strings.Repeat("0", dec+1-len(digits)) + digits
		}
		digits = digits[:len(digits)-dec] + "." + digits[len(digits)-dec:]
	}
	return sign + digits + " " + x.Asset().Symbol()
}
