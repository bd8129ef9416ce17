package reputation_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustcircle/trustcircle/reputation"
	"github.com/trustcircle/trustcircle/token"
)

// newBook is a book holding circle c1 of alice, bob and carol, and circle c2 of bob and dan.
func newBook(t testing.TB) *reputation.Book {
	t.Helper()
	var b reputation.Book // the zero Book is ready to use
	ok(t, b.AddCircle(march1, "c1", []token.Account{"carol", "alice", "bob"}))
	ok(t, b.AddCircle(march1, "c2", []token.Account{"bob", "dan"}))
	return &b
}

// TestReviewRules: each rule of a review has its own typed error, and a refused command
// changes nothing.
func TestReviewRules(t *testing.T) {
	at := march1.Add(day)
	for _, c := range []struct {
		name              string
		circle            string
		reviewer, subject token.Account
		rating            int
		text              string
		want              error
	}{
		{"unknown circle", "c9", "alice", "bob", 4, "", reputation.ErrUnknownCircle},
		{"reviewer not member", "c1", "dan", "bob", 4, "", reputation.ErrNotMember},
		{"subject not member", "c1", "alice", "dan", 4, "", reputation.ErrSubjectNotMember},
		{"self", "c1", "alice", "alice", 4, "", reputation.ErrSelfReview},
		{"duplicate", "c1", "alice", "bob", 5, "", reputation.ErrDuplicateReview},
		{"rating 0", "c1", "bob", "alice", 0, "", reputation.ErrInvalidRating},
		{"rating 6", "c1", "bob", "alice", 6, "", reputation.ErrInvalidRating},
		{"text too long", "c1", "bob", "alice", 3, strings.Repeat("x", reputation.MaxTextLength+1), reputation.ErrInvalidText},
		{"text not UTF-8", "c1", "bob", "alice", 3, "bad \xff", reputation.ErrInvalidText},
		{"text control", "c1", "bob", "alice", 3, "bell \a", reputation.ErrInvalidText},
		{"text C1 control", "c1", "bob", "alice", 3, "next \u0085", reputation.ErrInvalidText},
		{"bad reviewer", "c1", "al ice", "bob", 3, "", token.ErrInvalidAccount},
		{"bad subject", "c1", "alice", "", 3, "", token.ErrInvalidAccount},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := newBook(t)
			ok(t, b.Review(at, "c1", "alice", "bob", 4, "fine"))
			before := b.Events()
			err := b.Review(at, c.circle, c.reviewer, c.subject, c.rating, c.text)
			wantReason(t, err, c.want, "Review")
			if got := b.Events(); !slices.EqualFunc(got, before, reputation.Event.Equal) || b.Len() != 1 {
				t.Errorf("a refused review changed the book")
			}
		})
	}
	b := newBook(t)
	wantReason(t, b.Review(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "c1", "alice", "bob", 4, ""), token.ErrInvalidTime, "Review")
	// The largest text, tabs and newlines, and any script, are accepted.
	ok(t, b.Review(at, "c1", "alice", "bob", 1, strings.Repeat("é", reputation.MaxTextLength/2)))
	ok(t, b.Review(at, "c1", "bob", "alice", 5, "always on time\n\tthank you 谢谢"))
	ok(t, b.Review(at, "c1", "carol", "alice", 5, ""))
	// The same pair may review each other in another circle.
	ok(t, b.AddCircle(at, "c3", []token.Account{"alice", "bob"}))
	ok(t, b.Review(at, "c3", "alice", "bob", 2, ""))
}

// TestCircleRules: the book records each circle once, with a valid id and 2 or more
// distinct valid members.
func TestCircleRules(t *testing.T) {
	for _, c := range []struct {
		name    string
		id      string
		members []token.Account
		want    error
	}{
		{"empty id", "", []token.Account{"a", "b"}, reputation.ErrInvalidCircle},
		{"id with space", "c 1", []token.Account{"a", "b"}, reputation.ErrInvalidCircle},
		{"id too long", strings.Repeat("c", reputation.MaxCircleIDLength+1), []token.Account{"a", "b"}, reputation.ErrInvalidCircle},
		{"one member", "c3", []token.Account{"a"}, reputation.ErrInvalidCircle},
		{"twice", "c3", []token.Account{"a", "b", "a"}, reputation.ErrInvalidCircle},
		{"bad member", "c3", []token.Account{"a", "b c"}, token.ErrInvalidAccount},
		{"bad member is invalid circle", "c3", []token.Account{"a", ""}, reputation.ErrInvalidCircle},
		{"duplicate", "c1", []token.Account{"a", "b"}, reputation.ErrDuplicateCircle},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := newBook(t)
			last := b.LastSeq()
			wantReason(t, b.AddCircle(march1, c.id, c.members), c.want, "AddCircle")
			if b.LastSeq() != last || len(b.Circles()) != 2 {
				t.Errorf("a refused circle changed the book")
			}
		})
	}
	b := newBook(t)
	wantReason(t, b.AddCircle(time.Time{}.Add(-time.Hour), "c3", []token.Account{"a", "b"}), token.ErrInvalidTime, "AddCircle")
	ok(t, b.AddCircle(march1, strings.Repeat("c", reputation.MaxCircleIDLength), []token.Account{"a", "b"}))
}

// TestBookQueries: the queries list the circles, members and reviews; the caller's slices
// are not shared with the book.
func TestBookQueries(t *testing.T) {
	b := newBook(t)
	at := march1.Add(2 * day).In(time.FixedZone("X", 3600))
	ok(t, b.Review(at, "c1", "alice", "bob", 4, "fine"))
	ok(t, b.Review(at, "c2", "dan", "bob", 2, ""))
	ok(t, b.Review(at, "c1", "bob", "carol", 1, "late"))
	if got := b.Circles(); !slices.Equal(got, []string{"c1", "c2"}) {
		t.Errorf("Circles %v", got)
	}
	m, found := b.Members("c1")
	if !found || !slices.Equal(m, []token.Account{"alice", "bob", "carol"}) {
		t.Errorf("Members %v %v", m, found)
	}
	m[0] = "mallory"
	if m, _ := b.Members("c1"); m[0] != "alice" {
		t.Errorf("Members shares its slice")
	}
	if _, found := b.Members("c9"); found {
		t.Errorf("unknown circle found")
	}
	want := []reputation.Review{
		{Seq: 3, At: at.UTC(), Circle: "c1", Reviewer: "alice", Subject: "bob", Rating: 4, Text: "fine"},
		{Seq: 4, At: at.UTC(), Circle: "c2", Reviewer: "dan", Subject: "bob", Rating: 2},
	}
	if diff := cmp.Diff(want, b.Received("bob")); diff != "" {
		t.Errorf("Received (-want +got):\n%s", diff)
	}
	if got := b.Received("bob")[0].At; got.Location() != time.UTC {
		t.Errorf("time kept in %v", got.Location())
	}
	if got := b.InCircle("c1"); len(got) != 2 || got[1].Subject != "carol" {
		t.Errorf("InCircle %v", got)
	}
	if r, found := b.Get("c1", "bob", "carol"); !found || r.Rating != 1 {
		t.Errorf("Get %v %v", r, found)
	}
	if _, found := b.Get("c1", "carol", "bob"); found {
		t.Errorf("Get found a review never posted")
	}
	if b.Len() != 3 || len(b.Reviews()) != 3 || b.LastSeq() != 5 || len(b.Received("nobody")) != 0 {
		t.Errorf("Len %d, LastSeq %d", b.Len(), b.LastSeq())
	}
	members := []token.Account{"x", "y"}
	ok(t, b.AddCircle(at, "c3", members))
	members[0] = "z"
	if m, _ := b.Members("c3"); m[0] != "x" {
		t.Errorf("AddCircle keeps the caller's slice")
	}
}
