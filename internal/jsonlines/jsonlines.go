// Package jsonlines reads the event logs of the library's aggregates: a stream of JSON
// values written one after another (one per line, as a service appends them), decoded one
// at a time into a type of the caller's, and the strict decoding of one value that each
// event type's UnmarshalJSON uses (unknown fields and trailing data refused).
//
// The package knows nothing of any package's errors: a [Decoder] hands each decoding
// error to a function of its owner, which turns it into that package's error. The roles,
// reputation and formation packages read their logs with it.
package jsonlines

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"iter"
)

// Decoder reads a stream of JSON values into values of type T, like bufio.Scanner: range
// over [Decoder.Values], then check [Decoder.Err]. The values may be separated by any
// white space (one per line is the usual form). It holds one value at a time, so a log of
// any length is read without holding it. A nil or zero Decoder reads nothing and reports
// no error.
type Decoder[T any] struct {
	dec  *json.Decoder
	wrap func(error) error
	err  error
}

// New returns a decoder reading values of type T from r. wrap turns a decoding error (of
// encoding/json, of the reader, or of T's UnmarshalJSON) into the error [Decoder.Err]
// reports; a nil wrap reports the error as it is.
func New[T any](r io.Reader, wrap func(error) error) *Decoder[T] {
	if wrap == nil {
		wrap = func(err error) error { return err }
	}
	return &Decoder[T]{dec: json.NewDecoder(r), wrap: wrap}
}

// Values returns the values of the stream, in order, decoded one at a time. It stops at
// the end of the stream, or at the first value that does not decode, after which
// [Decoder.Err] says why and Values yields nothing more. It reads the underlying reader,
// so it can be ranged over once.
func (d *Decoder[T]) Values() iter.Seq[T] {
	return func(yield func(T) bool) {
		for d != nil && d.dec != nil && d.err == nil {
			var v T
			err := d.dec.Decode(&v)
			if err == io.EOF {
				return
			}
			if err != nil {
				d.err = d.wrap(err)
				return
			}
			if !yield(v) {
				return
			}
		}
	}
}

// Err returns the first error met by [Decoder.Values] (as the decoder's wrap made it),
// nil at the end of a well-formed stream or before reading.
func (d *Decoder[T]) Err() error {
	if d == nil {
		return nil
	}
	return d.err
}

// ErrTrailingData is what [Strict] returns for a value followed by more data.
var ErrTrailingData = errors.New("data after the value")

// Strict decodes the one JSON value b holds into v, refusing unknown object fields and any
// data after the value ([ErrTrailingData]). The error is encoding/json's (or that of an
// UnmarshalJSON method it calls), for the caller to wrap.
func Strict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.Decode(new(json.RawMessage)) != io.EOF {
		return ErrTrailingData
	}
	return nil
}
