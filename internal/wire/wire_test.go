package wire

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	cases := []string{"", "alice", `a"b\c`, "<>&", "\n\r\t\b\f\x00\x1f\x7f", "é", "a\xffb", "\u2028\u2029", "x\u00e9<y"}
	for c := range 256 {
		cases = append(cases, "p"+string(rune(c))+"q", "p"+string([]byte{byte(c)})+"q")
	}
	for _, s := range cases {
		want, _ := json.Marshal(s)
		if got := AppendString([]byte("k="), s); string(got) != "k="+string(want) {
			t.Errorf("AppendString(%q) = %s, want %s", s, got[2:], want)
		}
	}
}

func TestRapidAppendString(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.String().Draw(t, "s")
		if rapid.Bool().Draw(t, "bytes") {
			s = string(rapid.SliceOf(rapid.Byte()).Draw(t, "b"))
		}
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got, want)
		}
	})
}

// timeJSON is what time.Time.MarshalJSON writes for t in UTC.
func timeJSON(t time.Time) string {
	b, err := t.UTC().MarshalJSON()
	if err != nil {
		return strconv.Quote(t.UTC().Format(time.RFC3339Nano))
	}
	return string(b)
}

func TestAppendTime(t *testing.T) {
	cases := []time.Time{
		time.Unix(0, 0), time.Unix(-1, 0), time.Unix(0, 1), time.Unix(1, 999_999_999),
		time.Date(2017, 3, 2, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 2, 29, 23, 59, 59, 120_000_000, time.UTC),
		time.Date(1900, 3, 1, 0, 0, 0, 0, time.FixedZone("x", 3600+32)),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC),
		{}, time.Unix(math.MaxInt64/4, 0),
	}
	for _, tm := range cases {
		if got, want := string(AppendTime([]byte("t="), tm)), "t="+timeJSON(tm); got != want {
			t.Errorf("AppendTime(%v) = %s, want %s", tm, got, want)
		}
	}
}

// TestCivilEveryDay checks the calendar for every day of the years 0 to 9999 and the
// days either side.
func TestCivilEveryDay(t *testing.T) {
	first := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	start := first.Unix() / 86400
	day := first
	for n := start; ; n++ {
		y, m, d, ok := civil(n)
		if day.Year() > 9999 {
			if ok {
				t.Fatalf("civil(%d) = %d-%d-%d, want false", n, y, m, d)
			}
			break
		}
		if !ok || int(y) != day.Year() || time.Month(m) != day.Month() || int(d) != day.Day() {
			t.Fatalf("civil(%d) = %d-%d-%d %v, want %v", n, y, m, d, ok, day)
		}
		day = day.AddDate(0, 0, 1)
	}
	if _, _, _, ok := civil(start - 1); ok {
		t.Fatal("civil accepts the day before year 0")
	}
}

func TestRapidAppendTime(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sec := rapid.Int64Range(-62_200_000_000, 253_500_000_000).Draw(t, "sec")
		ns := rapid.Int64Range(0, 999_999_999).Draw(t, "ns")
		if rapid.Bool().Draw(t, "round") {
			ns -= ns % 1000
		}
		tm := time.Unix(sec, ns)
		if got, want := string(AppendTime(nil, tm)), timeJSON(tm); got != want {
			t.Fatalf("AppendTime(%v) = %s, want %s", tm, got, want)
		}
	})
}

func TestAppendUint(t *testing.T) {
	for _, v := range []uint64{0, 1, 9, 10, 99, 100, 999, 1000, 1e18, 1e19 - 1, 1e19, math.MaxUint64} {
		if got, want := string(AppendUint([]byte("u="), v)), "u="+strconv.FormatUint(v, 10); got != want {
			t.Errorf("AppendUint(%d) = %s", v, got)
		}
	}
	for k := range 20 {
		p, ok := Pow10(k)
		if !ok || strconv.FormatUint(p, 10) != "1"+strings.Repeat("0", k) {
			t.Errorf("Pow10(%d) = %d, %v", k, p, ok)
		}
	}
	if _, ok := Pow10(20); ok {
		t.Error("Pow10(20) reports a power")
	}
	if _, ok := Pow10(-1); ok {
		t.Error("Pow10(-1) reports a power")
	}
}

func TestRapidAppendPadded(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.Uint64().Draw(t, "v")
		if rapid.Bool().Draw(t, "small") {
			v %= 1000
		}
		w := rapid.IntRange(-1, 40).Draw(t, "width")
		want := strconv.FormatUint(v, 10)
		if len(want) < w {
			want = strings.Repeat("0", w-len(want)) + want
		}
		if got := string(AppendPadded([]byte("p"), v, w)); got != "p"+want {
			t.Fatalf("AppendPadded(%d, %d) = %s, want %s", v, w, got, want)
		}
		if got := string(AppendUint(nil, v)); got != strconv.FormatUint(v, 10) {
			t.Fatalf("AppendUint(%d) = %s", v, got)
		}
	})
}

func TestGrow(t *testing.T) {
	b := make([]byte, 2, 4)
	if g := Grow(b, 2); cap(g) != 4 || len(g) != 2 {
		t.Errorf("Grow with room: len %d cap %d", len(g), cap(g))
	}
	if g := Grow(b, 10); cap(g)-len(g) < 10 || len(g) != 2 {
		t.Errorf("Grow without room: len %d cap %d", len(g), cap(g))
	}
}

func TestWritersDoNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 256)
	tm := time.Date(2017, 3, 2, 1, 2, 3, 450_000_000, time.UTC)
	n := testing.AllocsPerRun(100, func() {
		b := AppendString(buf[:0], "alice<1>")
		b = AppendTime(b, tm)
		b = AppendUint(b, 1234567890123)
		_ = AppendPadded(b, 42, 18)
	})
	if n != 0 {
		t.Errorf("%v allocations", n)
	}
}

func BenchmarkAppendTime(b *testing.B) {
	buf := make([]byte, 0, 64)
	tm := time.Date(2017, 3, 2, 1, 2, 3, 450_000_000, time.UTC)
	for b.Loop() {
		buf = AppendTime(buf[:0], tm)
	}
}
