package reputation_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/trustcircle/trustcircle/internal/zerotest"
	"github.com/trustcircle/trustcircle/reputation"
	"github.com/trustcircle/trustcircle/token"
)

// sampleBook is a book with a circle and three reviews, one with a text needing escapes.
func sampleBook(t testing.TB) *reputation.Book {
	b := newBook(t)
	ok(t, b.Review(march1.Add(day), "c1", "alice", "bob", 4, "paid on time"))
	ok(t, b.Review(march1.Add(day), "c1", "bob", "carol", 1, "late \"twice\" <again>\n\tsorry é"))
	ok(t, b.Review(march1.Add(2*day+1), "c2", "dan", "bob", 3, ""))
	return b
}

// jsonLines writes the book's events as JSON lines.
func jsonLines(b *reputation.Book) []byte {
	var buf []byte
	for e := range b.EventsAfter(0) {
		buf = e.AppendJSON(buf)
		buf = append(buf, '\n')
	}
	return buf
}

// TestEventJSON: the encoding is the documented one, equals encoding/json's escaping, does
// not depend on shopspring settings, and decodes back to the same events.
func TestEventJSON(t *testing.T) {
	b := sampleBook(t)
	got := string(jsonLines(b))
	want := `{"v":1,"seq":1,"kind":"circle_added","at":"2026-03-01T00:00:00Z","circle":"c1","members":["carol","alice","bob"]}
{"v":1,"seq":2,"kind":"circle_added","at":"2026-03-01T00:00:00Z","circle":"c2","members":["bob","dan"]}
{"v":1,"seq":3,"kind":"review_posted","at":"2026-03-02T00:00:00Z","circle":"c1","reviewer":"alice","subject":"bob","rating":4,"text":"paid on time"}
{"v":1,"seq":4,"kind":"review_posted","at":"2026-03-02T00:00:00Z","circle":"c1","reviewer":"bob","subject":"carol","rating":1,"text":"late \"twice\" \u003cagain\u003e\n\tsorry é"}
{"v":1,"seq":5,"kind":"review_posted","at":"2026-03-03T00:00:00.000000001Z","circle":"c2","reviewer":"dan","subject":"bob","rating":3}
`
	if got != want {
		t.Errorf("JSON lines:\n%s\nwant:\n%s", got, want)
	}
	text, _ := json.Marshal("late \"twice\" <again>\n\tsorry é")
	if !strings.Contains(got, string(text)) {
		t.Errorf("the text is not escaped as encoding/json escapes it: %s", text)
	}
	zerotest.WithShopspringGlobals(t, func() {
		if again := string(jsonLines(b)); again != got {
			t.Errorf("output depends on shopspring settings")
		}
	})
	for _, e := range b.Events() {
		m, err := json.Marshal(e)
		ok(t, err)
		var d reputation.Event
		ok(t, json.Unmarshal(m, &d))
		if !d.Equal(e) {
			t.Errorf("round trip: %+v, want %+v", d, e)
		}
	}
}

// TestEventDecodeStrict: malformed events are refused with ErrInvalidLog and leave the
// event unchanged.
func TestEventDecodeStrict(t *testing.T) {
	good := `{"v":1,"seq":3,"kind":"review_posted","at":"2026-03-02T00:00:00Z","circle":"c1","reviewer":"alice","subject":"bob","rating":4}`
	var e reputation.Event
	ok(t, json.Unmarshal([]byte(good), &e))
	for _, bad := range []string{
		strings.Replace(good, `"v":1`, `"v":2`, 1),
		strings.Replace(good, `"v":1,`, ``, 1),
		strings.Replace(good, `"seq":3`, `"seq":0`, 1),
		strings.Replace(good, `review_posted`, `review`, 1),
		strings.Replace(good, `"rating":4`, `"rating":4,"extra":1`, 1),
		strings.Replace(good, `"rating":4`, `"rating":4,"members":["a","b"]`, 1),
		strings.Replace(good, `"rating":4`, `"rating":4,"text":""`, 1),
		strings.Replace(good, `,"rating":4`, ``, 1),
		strings.Replace(good, `"at":"2026-03-02T00:00:00Z"`, `"at":"yesterday"`, 1),
		`{"v":1,"seq":1,"kind":"circle_added","at":"2026-03-01T00:00:00Z","circle":"c1"}`,
		`{"v":1,"seq":1,"kind":"circle_added","at":"2026-03-01T00:00:00Z","circle":"c1","members":["a","b"],"rating":3}`,
		good + ` {}`,
		`[]`,
	} {
		d := e
		err := d.UnmarshalJSON([]byte(bad))
		if err == nil {
			t.Errorf("accepted %s", bad)
			continue
		}
		wantReason(t, err, reputation.ErrInvalidLog, "")
		if !d.Equal(e) {
			t.Errorf("a refused decode changed the event: %s", bad)
		}
	}
	_, err := reputation.Event{Seq: 1, Kind: reputation.EventReviewPosted, At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}.MarshalJSON()
	wantReason(t, err, reputation.ErrInvalidLog, "Event.MarshalJSON")
}

// TestReplay: a book's log, written and read back as JSON lines, replays to the same book;
// a log that is not what a book records is refused.
func TestReplay(t *testing.T) {
	b := sampleBook(t)
	dec := reputation.NewDecoder(bytes.NewReader(jsonLines(b)))
	r, err := reputation.Replay(dec.Events())
	ok(t, err)
	ok(t, dec.Err())
	sameBook(t, r, b)
	empty, err := reputation.Replay(nil)
	ok(t, err)
	if empty.LastSeq() != 0 {
		t.Errorf("Replay(nil) is not empty")
	}
	evs := b.Events()
	dup := slices.Clone(evs)
	dup[4] = dup[2]
	dup[4].Seq = 5
	gap := slices.Clone(evs[1:])
	unknown := slices.Clone(evs)
	unknown[4].Kind = "review_edited"
	for name, log := range map[string][]reputation.Event{
		"duplicate review": dup, "gap": gap, "unknown kind": unknown,
		"review before circle": {{Seq: 1, Kind: reputation.EventReviewPosted, At: march1, Circle: "c1", Reviewer: "a", Subject: "b", Rating: 3}},
	} {
		if _, err := reputation.Replay(slices.Values(log)); err == nil {
			t.Errorf("%s: replayed", name)
		} else {
			wantReason(t, err, reputation.ErrInvalidLog, "Replay")
		}
	}
	// The decoder stops at the first malformed line.
	lines := string(jsonLines(b))
	dec = reputation.NewDecoder(strings.NewReader(lines + "{\"v\":1}\n"))
	n := 0
	for range dec.Events() {
		n++
	}
	if n != 5 || dec.Err() == nil {
		t.Errorf("decoded %d events, err %v", n, dec.Err())
	}
	wantReason(t, dec.Err(), reputation.ErrInvalidLog, "Decoder.Events")
}

// sameBook fails t unless the two books hold the same events and reviews.
func sameBook(t tb, got, want *reputation.Book) {
	t.Helper()
	if !slices.EqualFunc(got.Events(), want.Events(), reputation.Event.Equal) {
		t.Fatalf("events differ")
	}
	if diff := cmp.Diff(want.Reviews(), got.Reviews()); diff != "" {
		t.Fatalf("reviews differ (-want +got):\n%s", diff)
	}
	if !slices.Equal(got.Circles(), want.Circles()) {
		t.Fatalf("circles differ")
	}
}

// TestRapidBookReplay: any commands, accepted or refused, leave a book whose log, written as
// JSON and decoded, replays to the same book; a refused command changes nothing.
func TestRapidBookReplay(t *testing.T) {
	accounts := []token.Account{"a", "b", "c", "d", "e"}
	rapid.Check(t, func(t *rapid.T) {
		var b reputation.Book
		for range rapid.IntRange(0, 30).Draw(t, "commands") {
			at := march1.Add(time.Duration(rapid.Int64Range(-1e18, 1e18).Draw(t, "at")))
			before := b.LastSeq()
			var err error
			if rapid.IntRange(0, 3).Draw(t, "kind") == 0 {
				id := rapid.SampledFrom([]string{"c1", "c2", "c3", ""}).Draw(t, "id")
				ms := rapid.SliceOfN(rapid.SampledFrom(accounts), 0, 5).Draw(t, "members")
				err = b.AddCircle(at, id, ms)
			} else {
				err = b.Review(at, rapid.SampledFrom([]string{"c1", "c2", "c3"}).Draw(t, "circle"),
					rapid.SampledFrom(accounts).Draw(t, "reviewer"), rapid.SampledFrom(accounts).Draw(t, "subject"),
					rapid.IntRange(0, 6).Draw(t, "rating"), rapid.SampledFrom([]string{"", "ok", "bad\x00", "é\n"}).Draw(t, "text"))
			}
			if (err == nil) != (b.LastSeq() == before+1) || (err != nil && b.LastSeq() != before) {
				t.Fatalf("err %v, seq %d -> %d", err, before, b.LastSeq())
			}
		}
		dec := reputation.NewDecoder(bytes.NewReader(jsonLines(&b)))
		r, err := reputation.Replay(dec.Events())
		ok(t, err)
		ok(t, dec.Err())
		sameBook(t, r, &b)
	})
}
