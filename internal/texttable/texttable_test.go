package texttable_test

import (
	"strings"
	"testing"

	"github.com/trustcircle/trustcircle/internal/texttable"
)

func TestLines(t *testing.T) {
	tb := texttable.New(texttable.Column{Head: "member", Align: texttable.Left},
		texttable.Column{Head: "paid", Align: texttable.Decimal})
	tb.Row("alice", "1.5")
	tb.Row("bob", "12.25")
	tb.Row("carol", "-")
	got := strings.Join(tb.Lines(), "\n")
	want := strings.Join([]string{
		"  member   paid",
		"  alice    1.5",
		"  bob     12.25",
		"  carol    -",
	}, "\n")
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestPrinterWraps(t *testing.T) {
	var b strings.Builder
	p := texttable.Printer{W: &b, Width: 20, LabelWidth: 6}
	p.Item("bids", "one two three four five six")
	p.Say("seven eight")
	want := "  bids  one two\n        three four\n        five six\n  seven eight\n" // no line over 20
	if b.String() != want || p.Err() != nil {
		t.Errorf("got %q, %v; want %q", b.String(), p.Err(), want)
	}
}
