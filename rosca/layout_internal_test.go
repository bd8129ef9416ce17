package rosca

import (
	"reflect"
	"testing"
	"unsafe"
)

// TestLayout guards the sizes the hot paths rely on: a member is two cache lines (a
// contribution reads one of them), and a closed round holds no pointer (the collector
// neither scans nor marks a circle's history).
func TestLayout(t *testing.T) {
	if s := unsafe.Sizeof(member{}); s != 128 {
		t.Errorf("a member is %d bytes, want 128: move a rare field to memberExt or adjust the padding", s)
	}
	if hasPointers(reflect.TypeFor[closedRound]()) {
		t.Error("closedRound holds a pointer")
	}
}

func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.String, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}
