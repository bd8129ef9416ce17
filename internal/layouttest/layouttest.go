// Package layouttest checks the memory layout the hot paths rely on: which types hold
// pointers, so that tests can guard that a record the collector should never scan stays
// free of them.
package layouttest

import "reflect"

// Pointers returns the paths of the fields of t that hold a pointer (strings, slices,
// maps, interfaces, channels and functions included), "" for t itself when it is one; none
// for a type the collector need not scan.
func Pointers(t reflect.Type) []string {
	switch t.Kind() {
	case reflect.Pointer, reflect.String, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return []string{""}
	case reflect.Array:
		if t.Len() > 0 {
			return prefix("[]", Pointers(t.Elem()))
		}
	case reflect.Struct:
		var out []string
		for i := range t.NumField() {
			out = append(out, prefix(t.Field(i).Name, Pointers(t.Field(i).Type))...)
		}
		return out
	}
	return nil
}

func prefix(name string, paths []string) []string {
	for i, p := range paths {
		switch {
		case p == "":
			paths[i] = name
		case p[0] == '[':
			paths[i] = name + p
		default:
			paths[i] = name + "." + p
		}
	}
	return paths
}
