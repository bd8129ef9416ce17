package layouttest

import (
	"reflect"
	"slices"
	"testing"
)

// Inner and Outer are read by reflection only.
type Inner struct {
	N int
	S string
}

type Outer struct {
	A   [2]uint64
	In  Inner
	Arr [3]Inner
	P   *int
	Z   [0]*int
}

func TestPointers(t *testing.T) {
	for _, c := range []struct {
		t    reflect.Type
		want []string
	}{
		{reflect.TypeFor[int](), nil},
		{reflect.TypeFor[[4]byte](), nil},
		{reflect.TypeFor[string](), []string{""}},
		{reflect.TypeFor[Outer](), []string{"In.S", "Arr[].S", "P"}},
	} {
		if got := Pointers(c.t); !slices.Equal(got, c.want) {
			t.Errorf("Pointers(%s) = %q, want %q", c.t, got, c.want)
		}
	}
}
