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

func (c *chunked[T]) push(v T) {
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
	c.chunks[k][c.n&chunkMask] = v
	c.n++
}

// hashIndex maps keys (held elsewhere, by index) to indexes: extendible hashing over
// buckets of bucketSlots slots, so that it grows one bucket at a time, never copying the
// whole table and never holding twice its size. A slot holds the upper 32 bits of the key's
// hash (the tag) and index+1 (0 is empty): most probes are settled without looking at the
// key. The directory is indexed by the top bits of the tag, a bucket probed linearly from
// the tag's low bits; a bucket more than 13/16 full splits in two by its next tag bit,
// without hashing a key again. It holds no pointer the garbage collector must follow but the
// buckets' own.
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

// home returns the slot where the probe for hash h starts (0 for an empty index): reading
// it early brings it into the cache.
func (x *hashIndex) home(h uint64) uint64 {
	if len(x.dir) == 0 {
		return 0
	}
	tag := uint32(h >> 32)
	b := x.bucket(tag)
	return b.slots[tag&uint32(len(b.slots)-1)]
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
	if len(x.dir) == 0 {
		return 0, false, spot{}
	}
	tag := uint32(h >> 32)
	bi := x.dir[tag>>(32-uint(x.depth))&(1<<x.depth-1)]
	b := &x.buckets[bi]
	mask := uint32(len(b.slots) - 1)
	for i := tag & mask; ; i = (i + 1) & mask {
		v := b.slots[i]
		if v == 0 {
			return 0, false, spot{bucket: bi + 1, slot: int32(i)}
		}
		if uint32(v>>32) == tag && eq(int(uint32(v)-1)) {
			return int(uint32(v) - 1), true, spot{}
		}
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
			b.slots[at.slot] = v
			b.n++
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
// which it returns, and places the others again in their own slots. It sweeps the slots once,
// from an empty one: a key kept is placed again from its home, at or before its slot (only
// keys were removed before it), and a slot emptied later lies after it, off its probe path.
func (b *hashBucket) split(bit uint) hashBucket {
	hi := hashBucket{slots: make([]uint64, len(b.slots))}
	mask := len(b.slots) - 1
	start := 0
	for b.slots[start] != 0 { // there is an empty slot: a bucket is never full
		start++
	}
	b.n = 0
	for k := 1; k <= mask; k++ {
		i := (start + k) & mask
		v := b.slots[i]
		switch {
		case v == 0:
		case (v>>32)>>bit&1 != 0:
			b.slots[i] = 0
			hi.place(v)
		case int(v>>32)&mask == i: // at home: placed again, it stays
			b.n++
		default:
			b.slots[i] = 0
			b.place(v)
		}
	}
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

func (b *hashBucket) place(v uint64) {
	mask := uint64(len(b.slots) - 1)
	i := (v >> 32) & mask
	for b.slots[i] != 0 {
		i = (i + 1) & mask
	}
	b.slots[i] = v
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
// entry points to, with no empty slot between its home and itself; and two keys with the
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
