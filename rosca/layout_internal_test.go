package rosca

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/trustcircle/trustcircle/internal/layouttest"
)

// TestLayout guards the sizes the hot paths rely on: a member is two cache lines (a
// contribution reads one of them), and a closed round holds no pointer (the collector
// neither scans nor marks a circle's history).
func TestLayout(t *testing.T) {
	if s := unsafe.Sizeof(member{}); s != 128 {
		t.Errorf("a member is %d bytes, want 128: move a rare field to memberExt or adjust the padding", s)
	}
	if p := layouttest.Pointers(reflect.TypeFor[closedRound]()); len(p) > 0 {
		t.Errorf("closedRound holds pointers in %v", p)
	}
}

// TestZero32 checks the word-at-a-time zero test against the array comparison, for a
// single byte set at every position.
func TestZero32(t *testing.T) {
	var b [32]byte
	if !zero32(&b) || !(Seal{}).IsZero() || !(Salt{}).IsZero() {
		t.Fatal("zero reported as not zero")
	}
	for i := range b {
		b = [32]byte{}
		b[i] = 0x80
		if zero32(&b) || Seal(b).IsZero() || Salt(b).IsZero() {
			t.Fatalf("byte %d set, reported zero", i)
		}
	}
}

// TestClosedRoundSize: a closed round is 144 bytes (the history is the largest part of a
// small circle's memory); a field added to it should be a deliberate choice.
func TestClosedRoundSize(t *testing.T) {
	if s := unsafe.Sizeof(closedRound{}); s != 144 {
		t.Errorf("a closed round is %d bytes, want 144", s)
	}
}
