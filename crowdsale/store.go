package crowdsale

// chunkBits sets the size of the storage chunks: 256 entries. The first chunk grows by
// doubling, so a small sale stays small; later chunks are allocated whole, so a large sale
// allocates its records once instead of copying them at every growth.
const (
	chunkBits = 8
	chunkSize = 1 << chunkBits
	chunkMask = chunkSize - 1
)

// chunked is an append-only sequence stored in fixed-size chunks. Every chunk's length is
// its capacity, so that push writes an element in place and never a chunk's slice header:
// only the first c.n elements are in use.
type chunked[T any] struct {
	chunks [][]T
	n      int
}

func (c *chunked[T]) len() int { return c.n }

func (c *chunked[T]) at(i int) *T { return &c.chunks[i>>chunkBits][i&chunkMask] }

func (c *chunked[T]) push(v T) { *c.next() = v }

// next appends a zero element and returns it, to be filled in place.
func (c *chunked[T]) next() *T {
	k := c.n >> chunkBits
	if k == len(c.chunks) {
		size := chunkSize
		if k == 0 {
			size = 16
		}
		c.chunks = append(c.chunks, make([]T, size))
	} else if k == 0 && c.n == len(c.chunks[0]) {
		grown := make([]T, min(2*c.n, chunkSize))
		copy(grown, c.chunks[0])
		c.chunks[0] = grown
	}
	e := &c.chunks[k][c.n&chunkMask]
	c.n++
	return e
}

// hashIndex maps keys (held elsewhere, by index) to indexes: extendible hashing over
// buckets of bucketSlots slots, so that it grows one bucket at a time, never copying the
// whole table and never holding twice its size. A slot holds the upper 32 bits of the key's
// hash (the tag) and index+1 (0 is empty): most probes are settled without looking at the
// key. The directory is indexed by the top bits of the tag, a bucket probed linearly from
// the tag's low bits (the key's home slot), its keys kept in the order of their homes
// (ordered linear probing, the order Robin Hood hashing keeps): a look-up stops at the first
// key whose home comes after its own, and a split deals the keys out in one sweep without
// probing. A bucket more than 13/16 full splits in two by its next tag bit, without hashing
// a key again. It holds no pointer the garbage collector must follow but the buckets' own.
type hashIndex struct {
	dir     []int32 // bucket per directory entry: 1<<depth entries
	depth   uint8   // bits of the tag that select a directory entry
	buckets []hashBucket
	n       int
}

type hashBucket struct {
	slots []uint64 // bucketSlots slots (more only for a bucket that can no longer split)
	depth uint8    // bits of the tag shared by the bucket's keys
	n     int32
}

const (
	bucketSlots = 512
	maxDepth    = 24 // 16 million buckets; a bucket past it grows instead of splitting
)

func (x *hashIndex) bucket(tag uint32) *hashBucket {
	return &x.buckets[x.dir[tag>>(32-uint(x.depth))&(1<<x.depth-1)]]
}

// probe is where the look-up of a hash starts: its tag, its bucket and its home slot.
type probe struct {
	tag    uint32
	bucket int32 // bucket index + 1; 0 in an empty index
	slot   uint32
}

// start returns where the look-up of hash h starts, and the home slot (0 for an empty
// index): reading it early brings it into the cache.
func (x *hashIndex) start(h uint64) (probe, uint64) {
	tag := uint32(h >> 32)
	if len(x.dir) == 0 {
		return probe{tag: tag}, 0
	}
	bi := x.dir[tag>>(32-uint(x.depth))&(1<<x.depth-1)]
	b := &x.buckets[bi]
	i := tag & uint32(len(b.slots)-1)
	return probe{tag: tag, bucket: bi + 1, slot: i}, b.slots[i]
}

// home returns the slot where the probe for hash h starts (0 for an empty index).
func (x *hashIndex) home(h uint64) uint64 {
	_, v := x.start(h)
	return v
}

func (x *hashIndex) find(h uint64, eq func(int) bool) (int, bool) {
	i, ok, _ := x.lookup(h, eq)
	return i, ok
}

// spot is where a look-up that found nothing stopped: the empty slot of the bucket at which
// the key goes, unless the bucket must grow first. The zero spot is no slot (an empty index).
type spot struct {
	bucket int32 // bucket index + 1
	slot   int32
}

// lookup is find that also returns, when the key is absent, where insertAt puts it.
func (x *hashIndex) lookup(h uint64, eq func(int) bool) (int, bool, spot) {
	pr, _ := x.start(h)
	return x.lookupFrom(pr, eq)
}

// lookupHome is lookupFrom given the home slot start returned: it settles without probing
// the look-ups that end there (the home empty, or the key itself at home).
func (x *hashIndex) lookupHome(pr probe, home uint64, eq func(int) bool) (int, bool, spot) {
	switch {
	case pr.bucket == 0:
		return 0, false, spot{}
	case home == 0:
		return 0, false, spot{bucket: pr.bucket, slot: int32(pr.slot)}
	case uint32(home>>32) == pr.tag && eq(int(uint32(home)-1)):
		return int(uint32(home) - 1), true, spot{}
	}
	return x.probeFrom(pr, 1, eq) // the home slot is settled
}

// lookupFrom is lookup from where start put the probe, the index unchanged since. The
// probe stops at an empty slot or at a key displaced less than the probe (its home comes
// after the key's): in home order, the key would be there.
func (x *hashIndex) lookupFrom(pr probe, eq func(int) bool) (int, bool, spot) {
	if pr.bucket == 0 {
		return 0, false, spot{}
	}
	return x.probeFrom(pr, 0, eq)
}

// probeFrom is lookupFrom in a non-empty index from the slot d past the home.
func (x *hashIndex) probeFrom(pr probe, d uint32, eq func(int) bool) (int, bool, spot) {
	slots := x.buckets[pr.bucket-1].slots
	mask := uint32(len(slots) - 1)
	i, tag := pr.slot+d, pr.tag
	for ; ; d++ {
		v := slots[i&mask]
		if v == 0 || (i-uint32(v>>32))&mask < d {
			return 0, false, spot{bucket: pr.bucket, slot: int32(i & mask)}
		}
		if uint32(v>>32) == tag && eq(int(uint32(v)-1)) {
			return int(uint32(v) - 1), true, spot{}
		}
		i++
	}
}

// reserve readies an empty index for about n keys: it builds at once the buckets that n
// keys split into, 2/5 to 4/5 full at n on average, so that inserting them splits none
// but the few that a skewed share of keys fills first. An index holding keys, or n that
// fits one bucket, is left as it is.
func (x *hashIndex) reserve(n int) {
	const most = bucketSlots * 13 / 16 // the keys of a bucket about to split
	if x.n != 0 || n <= most {
		return
	}
	depth := uint8(1)
	for n > most<<depth && depth < maxDepth {
		depth++
	}
	count := 1 << depth
	x.dir, x.depth = make([]int32, count), depth
	x.buckets = make([]hashBucket, count)
	for i := range x.buckets {
		x.dir[i] = int32(i)
		x.buckets[i] = hashBucket{slots: make([]uint64, bucketSlots), depth: depth}
	}
}

// insert adds index idx with hash h.
func (x *hashIndex) insert(h uint64, idx int) { x.insertAt(h, idx, spot{}) }

// insertAt adds index idx with hash h at the spot a look-up of h returned, the index
// unchanged since (the zero spot: wherever it goes).
func (x *hashIndex) insertAt(h uint64, idx int, at spot) {
	if len(x.dir) == 0 {
		x.dir = []int32{0}
		x.buckets = []hashBucket{{slots: make([]uint64, 16)}}
	}
	tag := uint32(h >> 32)
	v := uint64(tag)<<32 | uint64(uint32(idx+1))
	x.n++
	if at.bucket > 0 {
		if b := &x.buckets[at.bucket-1]; int(b.n+1) <= len(b.slots)*13/16 {
			b.shiftIn(uint32(at.slot), v)
			return
		}
	}
	b := x.bucket(tag)
	if int(b.n+1) > len(b.slots)*13/16 {
		x.grow(tag)
		b = x.bucket(tag)
	}
	b.place(v)
}

// grow makes room in the bucket of tag: a small first bucket doubles, a full one splits in
// two (doubling the directory when the bucket uses all its bits), or past maxDepth, or
// when the split would leave one half empty, doubles.
func (x *hashIndex) grow(tag uint32) {
	bi := x.dir[tag>>(32-uint(x.depth))&(1<<x.depth-1)]
	b := &x.buckets[bi]
	if len(b.slots) < bucketSlots || b.depth >= maxDepth {
		b.rehash(2 * len(b.slots))
		return
	}
	d := b.depth + 1
	hi := b.split(uint(32 - d))
	if b.n == 0 || hi.n == 0 { // the next bit does not divide the keys (a broken hash)
		if b.n == 0 {
			b.slots, b.n = hi.slots, hi.n
		}
		b.rehash(2 * len(b.slots))
		return
	}
	if b.depth == x.depth {
		dir := make([]int32, 2*len(x.dir))
		for i, e := range x.dir {
			dir[2*i], dir[2*i+1] = e, e
		}
		x.dir, x.depth = dir, x.depth+1
	}
	b.depth, hi.depth = d, d
	nb := int32(len(x.buckets))
	x.buckets = append(x.buckets, hi)
	// the old bucket's directory entries are contiguous; the upper half now points at hi
	span := 1 << (x.depth - d)
	first := int(tag>>(33-uint(d))) << (x.depth - d + 1) // the bucket's prefix of d-1 bits
	for i := first + span; i < first+2*span; i++ {
		x.dir[i] = nb
	}
}

// split moves the keys whose tag has the given bit set to a new bucket of the same size,
// which it returns, and packs the others in their own slots. It sweeps the slots once, from
// an empty one: counted from there, the keys come in the order of their homes, so each goes
// to its home or just after the last key dealt to its bucket, at or before its slot (fewer
// keys precede it), and the home order holds in both buckets.
func (b *hashBucket) split(bit uint) hashBucket {
	hi := hashBucket{slots: make([]uint64, len(b.slots))}
	mask := uint32(len(b.slots) - 1)
	start := uint32(0)
	for b.slots[start] != 0 { // there is an empty slot: a bucket is never full
		start++
	}
	dst := [2][]uint64{b.slots, hi.slots}
	var next [2]uint32 // per bucket, the first free position, counted from start
	var count [2]int32
	next[0], next[1] = 1, 1
	for k := uint32(1); k <= mask; k++ {
		i := (start + k) & mask
		v := b.slots[i]
		if v == 0 {
			continue
		}
		b.slots[i] = 0
		side := uint32(v>>32) >> bit & 1
		pos := max((uint32(v>>32)-start)&mask, next[side]) // the home, counted from start
		next[side] = pos + 1
		dst[side][(start+pos)&mask] = v
		count[side]++
	}
	b.n, hi.n = count[0], count[1]
	return hi
}

func (b *hashBucket) rehash(size int) {
	old := b.slots
	b.slots, b.n = make([]uint64, size), 0
	for _, v := range old {
		if v != 0 {
			b.place(v)
		}
	}
}

// place inserts v at its place in the home order.
func (b *hashBucket) place(v uint64) {
	mask := uint32(len(b.slots) - 1)
	i := uint32(v>>32) & mask
	for d := uint32(0); ; d++ {
		w := b.slots[i]
		if w == 0 || (i-uint32(w>>32))&mask < d {
			break
		}
		i = (i + 1) & mask
	}
	b.shiftIn(i, v)
}

// shiftIn puts v in slot i, moving the keys from i to the next empty slot one slot on.
func (b *hashBucket) shiftIn(i uint32, v uint64) {
	mask := uint32(len(b.slots) - 1)
	for v != 0 {
		b.slots[i], v = v, b.slots[i]
		i = (i + 1) & mask
	}
	b.n++
}

// arena stores short strings (contribution ids, 1 to 256 bytes) back to back in byte chunks
// of 4 KiB, each string after one byte holding its length - 1, so that a record refers to
// its id by a pointer-free 32-bit position: chunk<<12 | offset. The first chunk grows by
// doubling; the arena holds at most 4 GiB. A chunk's length is its capacity: used counts
// the bytes in use in the last one, so that add writes bytes and never a slice header.
type arena struct {
	chunks [][]byte
	used   int // bytes in use in the last chunk
}

const (
	arenaBits  = 12
	arenaChunk = 1 << arenaBits
	arenaMax   = 1 << (32 - arenaBits) // chunks
)

// fits reports whether s can be added.
func (a *arena) fits(s string) bool {
	return len(a.chunks) < arenaMax || a.used+1+len(s) <= arenaChunk
}

// add stores s (1 to 256 bytes; the arena must fit it) and returns its position.
func (a *arena) add(s string) uint32 {
	if len(a.chunks) == 0 {
		a.chunks = append(a.chunks, make([]byte, 256))
	}
	last := len(a.chunks) - 1
	c := a.chunks[last]
	need := 1 + len(s)
	if a.used+need > len(c) {
		if last == 0 && len(c) < arenaChunk {
			grown := make([]byte, min(max(2*len(c), a.used+need), arenaChunk))
			copy(grown, c[:a.used])
			a.chunks[0], c = grown, grown
		}
		if a.used+need > len(c) {
			c = make([]byte, arenaChunk)
			a.chunks = append(a.chunks, c)
			last++
			a.used = 0
		}
	}
	off := a.used
	c[off] = byte(len(s) - 1)
	copy(c[off+1:], s)
	a.used += need
	return uint32(last)<<arenaBits | uint32(off)
}

func (a *arena) bytes(pos uint32) []byte {
	c := a.chunks[pos>>arenaBits]
	off := int(pos & (arenaChunk - 1))
	return c[off+1 : off+2+int(c[off])]
}

// verify reports whether the index holds exactly the keys 0..n-1, each findable: every slot
// holds an index below n, no index twice, the tag tags[index], in a bucket its directory
// entry points to, with no empty slot between its home and itself and displaced at most
// one slot more than the key before it (the home order); and two keys with the
// same tag on one probe path differ (same(i, j) is false). It reads the table once, in
// order, so that it costs far less than n look-ups.
func (x *hashIndex) verify(tags []uint32, same func(i, j int) bool) bool {
	n := len(tags)
	if x.n != n {
		return false
	}
	if n == 0 {
		return len(x.dir) == 0 || x.buckets[0].n == 0
	}
	seen := make([]uint64, (n+63)/64)
	count := 0
	for bi := range x.buckets {
		b := &x.buckets[bi]
		mask := uint32(len(b.slots) - 1)
		for si, v := range b.slots {
			if v == 0 {
				continue
			}
			count++
			tag, idx := uint32(v>>32), int(uint32(v))-1
			if idx < 0 || idx >= n || seen[idx/64]&(1<<(idx%64)) != 0 || tags[idx] != tag || x.bucket(tag) != b {
				return false
			}
			seen[idx/64] |= 1 << (idx % 64)
			// home order: displaced at most one more than the key before it (then no
			// look-up of a key stops before reaching it)
			if prev := b.slots[uint32(si-1)&mask]; prev != 0 && (uint32(si)-tag)&mask > (uint32(si-1)-uint32(prev>>32))&mask+1 {
				return false
			}
			for i := tag & mask; i != uint32(si); i = (i + 1) & mask {
				w := b.slots[i]
				if w == 0 || uint32(w>>32) == tag && same(int(uint32(w))-1, idx) {
					return false
				}
			}
		}
	}
	return count == n
}
