package jsonlines

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

type point struct {
	X int `json:"x"`
}

func TestDecoderReadsValuesInOrder(t *testing.T) {
	d := New[point](strings.NewReader("{\"x\":1}\n{\"x\":2}\n\n  {\"x\":3}"), nil)
	got := slices.Collect(d.Values())
	if want := []point{{1}, {2}, {3}}; !slices.Equal(got, want) || d.Err() != nil {
		t.Fatalf("got %v, %v; want %v, nil", got, d.Err(), want)
	}
}

func TestDecoderStopsAtFirstBadValueAndWraps(t *testing.T) {
	wrapped := errors.New("wrapped")
	d := New[point](strings.NewReader(`{"x":1} {"x":"two"} {"x":3}`), func(err error) error {
		return fmt.Errorf("%w: %v", wrapped, err)
	})
	got := slices.Collect(d.Values())
	if !slices.Equal(got, []point{{1}}) || !errors.Is(d.Err(), wrapped) {
		t.Fatalf("got %v, %v", got, d.Err())
	}
	if more := slices.Collect(d.Values()); len(more) != 0 {
		t.Fatalf("after an error Values yields %v", more)
	}
}

func TestDecoderEarlyBreakKeepsPosition(t *testing.T) {
	d := New[point](strings.NewReader(`{"x":1} {"x":2} {"x":3}`), nil)
	for v := range d.Values() {
		if v.X != 1 {
			t.Fatalf("first value %v", v)
		}
		break
	}
	if rest := slices.Collect(d.Values()); !slices.Equal(rest, []point{{2}, {3}}) {
		t.Fatalf("rest %v", rest)
	}
}

func TestNilAndZeroDecoderReadNothing(t *testing.T) {
	var nilDec *Decoder[point]
	var zero Decoder[point]
	for _, d := range []*Decoder[point]{nilDec, &zero} {
		if got := slices.Collect(d.Values()); len(got) != 0 || d.Err() != nil {
			t.Fatalf("got %v, %v", got, d.Err())
		}
	}
}

func TestStrict(t *testing.T) {
	var p point
	if err := Strict([]byte(`{"x":7}`), &p); err != nil || p.X != 7 {
		t.Fatalf("got %v, %v", p, err)
	}
	if err := Strict([]byte(`{"x":7} {"x":8}`), &p); !errors.Is(err, ErrTrailingData) {
		t.Fatalf("trailing data: %v", err)
	}
	if err := Strict([]byte(`{"x":7,"y":1}`), &p); err == nil || !strings.Contains(err.Error(), "unknown field") {
		t.Fatalf("unknown field: %v", err)
	}
	if err := Strict([]byte(``), &p); err == nil {
		t.Fatal("empty input decoded")
	}
}
