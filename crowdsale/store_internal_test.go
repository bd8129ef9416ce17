package crowdsale

import (
	"hash/maphash"
	"strconv"
	"strings"
	"testing"
)

// TestHashIndexFindsEveryKey inserts keys through many bucket splits and finds each, and
// no key that was not inserted, with the directory consistent with the buckets.
func TestHashIndexFindsEveryKey(t *testing.T) {
	seed := maphash.MakeSeed()
	const n = 200_000
	keys := make([]string, n)
	var x hashIndex
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(i)
		h := maphash.String(seed, keys[i])
		if _, ok := x.find(h, func(j int) bool { return keys[j] == keys[i] }); ok {
			t.Fatalf("%s found before insertion", keys[i])
		}
		x.insert(h, i)
	}
	for i, k := range keys {
		j, ok := x.find(maphash.String(seed, k), func(j int) bool { return keys[j] == k })
		if !ok || j != i {
			t.Fatalf("%s: got %d %v, want %d", k, j, ok, i)
		}
	}
	for _, k := range []string{"k-1", "x", "k200000"} {
		if _, ok := x.find(maphash.String(seed, k), func(j int) bool { return keys[j] == k }); ok {
			t.Fatalf("%s found", k)
		}
	}
	total := 0
	for bi, b := range x.buckets {
		total += int(b.n)
		if 16*int(b.n) > 13*len(b.slots) {
			t.Fatalf("bucket %d holds %d of %d slots", bi, b.n, len(b.slots))
		}
		refs := 0
		for _, d := range x.dir {
			if int(d) == bi {
				refs++
			}
		}
		if refs != 1<<(x.depth-b.depth) {
			t.Fatalf("bucket %d (depth %d of %d) has %d directory entries", bi, b.depth, x.depth, refs)
		}
	}
	if total != n || x.n != n {
		t.Fatalf("buckets hold %d, n = %d, want %d", total, x.n, n)
	}
}

// TestHashIndexCollidingTags keeps working when every key has the same hash: the bucket
// grows past its size instead of splitting.
func TestHashIndexCollidingTags(t *testing.T) {
	var x hashIndex
	const n = 2000
	for i := range n {
		x.insert(42<<32, i)
	}
	for i := range n {
		if j, ok := x.find(42<<32, func(j int) bool { return j == i }); !ok || j != i {
			t.Fatalf("%d: got %d %v", i, j, ok)
		}
	}
}

// TestArenaRoundTrip stores ids of every length across chunk boundaries and reads them back.
func TestArenaRoundTrip(t *testing.T) {
	var a arena
	var ids []string
	var pos []uint32
	for i := range 3000 {
		id := strings.Repeat(string(rune('a'+i%26)), 1+i%256)
		if !a.fits(id) {
			t.Fatal("arena full")
		}
		ids, pos = append(ids, id), append(pos, a.add(id))
	}
	if len(a.chunks) < 2 {
		t.Fatalf("%d chunks: the test does not cross a chunk boundary", len(a.chunks))
	}
	for i, id := range ids {
		if got := string(a.bytes(pos[i])); got != id {
			t.Fatalf("id %d: got %d bytes, want %d", i, len(got), len(id))
		}
	}
}

// TestHashIndexVerify accepts an index built by insert and refuses each kind of damage.
func TestHashIndexVerify(t *testing.T) {
	seed := maphash.MakeSeed()
	const n = 5000
	keys := make([]string, n)
	tags := make([]uint32, n)
	build := func() *hashIndex {
		var x hashIndex
		for i := range keys {
			keys[i] = "k" + strconv.Itoa(i)
			h := maphash.String(seed, keys[i])
			tags[i] = uint32(h >> 32)
			x.insert(h, i)
		}
		return &x
	}
	same := func(i, j int) bool { return keys[i] == keys[j] }
	if x := build(); !x.verify(tags, same) {
		t.Fatal("a sound index is refused")
	}
	if x := build(); x.verify(tags[:n-1], same) {
		t.Fatal("an index with one key too many is accepted")
	}
	x := build()
	wrong := append([]uint32(nil), tags...)
	wrong[7]++
	if x.verify(wrong, same) {
		t.Fatal("a wrong tag is accepted")
	}
	// a slot moved away from its probe path
	x = build()
	b := &x.buckets[0]
	for si, v := range b.slots {
		if v != 0 {
			b.slots[si] = 0
			b.slots[(si+len(b.slots)/2)%len(b.slots)] = v
			break
		}
	}
	if x.verify(tags, same) {
		t.Fatal("a displaced slot is accepted")
	}
	// two keys that are equal on one probe path: every key has the same tag
	var c hashIndex
	ctags := make([]uint32, 3)
	for i := range ctags {
		c.insert(42<<32, i)
		ctags[i] = 42
	}
	if !c.verify(ctags, func(i, j int) bool { return false }) {
		t.Fatal("distinct keys sharing a tag are refused")
	}
	if c.verify(ctags, func(i, j int) bool { return i == 0 && j == 2 }) {
		t.Fatal("duplicate keys are accepted")
	}
}

// home reads the slot a probe starts from: 0 in an empty index, the key's own slot when it
// sits at home.
func TestHashIndexHome(t *testing.T) {
	var x hashIndex
	if x.home(7<<32) != 0 {
		t.Fatal("an empty index has a home slot")
	}
	x.insert(7<<32, 41)
	if got := x.home(7 << 32); got != 7<<32|42 {
		t.Fatalf("home slot %#x", got)
	}
}

// TestHashIndexHomeOrder keeps every bucket's keys in the order of their home slots (each
// displaced at most one slot more than the key before it), through splits and the growth of
// the first bucket, and verify refuses two keys of a run swapped out of that order.
func TestHashIndexHomeOrder(t *testing.T) {
	seed := maphash.MakeSeed()
	const n = 20_000
	keys := make([]string, n)
	tags := make([]uint32, n)
	var x hashIndex
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(i)
		h := maphash.String(seed, keys[i])
		tags[i] = uint32(h >> 32)
		_, ok, at := x.lookup(h, func(j int) bool { return keys[j] == keys[i] })
		if ok {
			t.Fatalf("%s found before insertion", keys[i])
		}
		x.insertAt(h, i, at)
	}
	disp := func(b *hashBucket, si int) uint32 {
		return (uint32(si) - uint32(b.slots[si]>>32)) & uint32(len(b.slots)-1)
	}
	victim := -1
	for bi := range x.buckets {
		b := &x.buckets[bi]
		for si := range b.slots {
			prev := (si + len(b.slots) - 1) % len(b.slots)
			if b.slots[si] == 0 || b.slots[prev] == 0 {
				continue
			}
			if disp(b, si) > disp(b, prev)+1 {
				t.Fatalf("bucket %d slot %d: displaced %d after a key displaced %d", bi, si, disp(b, si), disp(b, prev))
			}
			// the first pair of neighbours in a run with different homes, the second
			// displaced: swapped, each stays at or after its home with no empty slot
			// between, but out of home order, and a look-up of the first stops early
			if victim < 0 && disp(b, si) >= 1 && disp(b, si) <= disp(b, prev) {
				victim = int(uint32(b.slots[prev])) - 1
				b.slots[si], b.slots[prev] = b.slots[prev], b.slots[si]
			}
		}
	}
	if victim < 0 {
		t.Fatal("no displaced key after a key of an earlier home: the test swaps nothing")
	}
	h := maphash.String(seed, keys[victim])
	if _, ok := x.find(h, func(j int) bool { return j == victim }); ok {
		t.Fatal("the key out of order is still found: the damage does not matter")
	}
	if x.verify(tags, func(i, j int) bool { return keys[i] == keys[j] }) {
		t.Fatal("keys out of home order are accepted")
	}
}

// lookupHome, given the home slot start read, answers as lookup does: for every key held
// (found at its position) and for keys not held (not found, at the same spot), in an empty
// index and through the splits of a growing one.
func TestHashIndexLookupHome(t *testing.T) {
	seed := maphash.MakeSeed()
	const n = 3000
	keys := make([]string, 2*n)
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(i)
	}
	var x hashIndex
	check := func(held int) {
		for _, k := range []int{0, held / 2, held - 1, held, held + 1, 2*n - 1} {
			if k < 0 {
				continue
			}
			h := maphash.String(seed, keys[k])
			eq := func(j int) bool { return keys[j] == keys[k] }
			pr, home := x.start(h)
			i1, ok1, at1 := x.lookup(h, eq)
			i2, ok2, at2 := x.lookupHome(pr, home, eq)
			if i1 != i2 || ok1 != ok2 || at1 != at2 || ok1 != (k < held) {
				t.Fatalf("%d keys, key %d: lookup %d %v %v, lookupHome %d %v %v", held, k, i1, ok1, at1, i2, ok2, at2)
			}
		}
	}
	for i := range n {
		check(i)
		x.insert(maphash.String(seed, keys[i]), i)
	}
	check(n)
}

// TestHashIndexReserve readies an empty index for n keys, then inserts from n/4 to twice n
// (past the reservation, so that reserved buckets split too): every key is found, the
// index verifies, and n keys split no bucket but a few. reserve leaves an index holding
// keys, and a small n, as they are.
func TestHashIndexReserve(t *testing.T) {
	seed := maphash.MakeSeed()
	for _, n := range []int{417, 1000, 10_000, 100_000} {
		for _, inserted := range []int{n / 4, n, 2 * n} {
			var x hashIndex
			x.reserve(n)
			reserved := len(x.buckets)
			if want := 1 << x.depth; reserved != want || reserved < 2 || n > reserved*bucketSlots*13/16 || n <= reserved*bucketSlots*13/32 {
				t.Fatalf("n=%d: %d buckets at depth %d", n, reserved, x.depth)
			}
			keys := make([]string, inserted)
			tags := make([]uint32, inserted)
			for i := range keys {
				keys[i] = "k" + strconv.Itoa(i)
				h := maphash.String(seed, keys[i])
				tags[i] = uint32(h >> 32)
				pr, home := x.start(h)
				if _, ok, at := x.lookupHome(pr, home, func(j int) bool { return keys[j] == keys[i] }); ok {
					t.Fatalf("%s found before insertion", keys[i])
				} else {
					x.insertAt(h, i, at)
				}
			}
			if !x.verify(tags, func(i, j int) bool { return keys[i] == keys[j] }) {
				t.Fatalf("n=%d, %d inserted: the index does not verify", n, inserted)
			}
			for i, k := range keys {
				if j, ok := x.find(maphash.String(seed, k), func(j int) bool { return keys[j] == k }); !ok || j != i {
					t.Fatalf("%s: %d %v", k, j, ok)
				}
			}
			if inserted == n && len(x.buckets) > reserved+reserved/4 {
				t.Fatalf("n=%d: %d keys split %d of %d reserved buckets", n, n, len(x.buckets)-reserved, reserved)
			}
			before := len(x.buckets)
			x.reserve(10 * n)
			if len(x.buckets) != before {
				t.Fatal("reserve changed an index holding keys")
			}
		}
	}
	var small hashIndex
	small.reserve(bucketSlots * 13 / 16)
	if len(small.dir) != 0 {
		t.Fatal("reserve built buckets for keys one bucket holds")
	}
}
