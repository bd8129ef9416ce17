package crowdsale

// chunkBits sets the size of the storage chunks: 256 entries. The first chunk grows by
// doubling, so a small sale stays small; later chunks are allocated whole, so a large sale
// allocates its records once instead of copying them at every growth.
const (
	chunkBits = 8
	chunkSize = 1 << chunkBits
	chunkMask = chunkSize - 1
)

// chunked is an append-only sequence stored in fixed-size chunks.
type chunked[T any] struct {
	chunks [][]T
	n      int
}

func (c *chunked[T]) len() int { return c.n }

func (c *chunked[T]) at(i int) *T { return &c.chunks[i>>chunkBits][i&chunkMask] }

func (c *chunked[T]) push(v T) {
	if c.n < chunkSize {
		if len(c.chunks) == 0 {
			c.chunks = append(c.chunks, make([]T, 0, 16))
		}
		first := c.chunks[0]
		if len(first) == cap(first) {
			grown := make([]T, len(first), min(2*cap(first), chunkSize))
			copy(grown, first)
			first = grown
		}
		c.chunks[0] = append(first, v)
	} else {
		if c.n&chunkMask == 0 {
			c.chunks = append(c.chunks, make([]T, 0, chunkSize))
		}
		last := len(c.chunks) - 1
		c.chunks[last] = append(c.chunks[last], v)
	}
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
	scratch []uint64 // a copy of the bucket being split
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
	if len(x.dir) == 0 {
		return 0, false
	}
	tag := uint32(h >> 32)
	b := x.bucket(tag)
	mask := uint32(len(b.slots) - 1)
	for i := tag & mask; ; i = (i + 1) & mask {
		v := b.slots[i]
		if v == 0 {
			return 0, false
		}
		if uint32(v>>32) == tag && eq(int(uint32(v)-1)) {
			return int(uint32(v) - 1), true
		}
	}
}

// insert adds index idx with hash h.
func (x *hashIndex) insert(h uint64, idx int) {
	if len(x.dir) == 0 {
		x.dir = []int32{0}
		x.buckets = []hashBucket{{slots: make([]uint64, 16)}}
	}
	tag := uint32(h >> 32)
	b := x.bucket(tag)
	if int(b.n+1) > len(b.slots)*13/16 {
		x.grow(tag)
		b = x.bucket(tag)
	}
	b.place(uint64(tag)<<32 | uint64(uint32(idx+1)))
	x.n++
}

// grow makes room in the bucket of tag: a small first bucket doubles, a full one splits in
// two (doubling the directory when the bucket uses all its bits), or past maxDepth, or
// when the split would leave one half empty, doubles.
func (x *hashIndex) grow(tag uint32) {
	bi := x.dir[tag>>(32-uint(x.depth))&(1<<x.depth-1)]
	b := &x.buckets[bi]
	if len(b.slots) < bucketSlots || b.depth >= maxDepth || !b.splits() {
		b.rehash(2 * len(b.slots))
		return
	}
	if b.depth == x.depth {
		dir := make([]int32, 2*len(x.dir))
		for i, d := range x.dir {
			dir[2*i], dir[2*i+1] = d, d
		}
		x.dir, x.depth = dir, x.depth+1
	}
	// the keys whose next bit is 0 stay in the bucket's slots, re-placed from a copy kept
	// for the next split; the others move to a new bucket
	x.scratch = append(x.scratch[:0], b.slots...)
	clear(b.slots)
	d := b.depth + 1
	b.depth, b.n = d, 0
	hi := hashBucket{slots: make([]uint64, len(b.slots)), depth: d}
	bit := uint(32 - d)
	for _, v := range x.scratch {
		if v == 0 {
			continue
		}
		if (v>>32)>>bit&1 == 0 {
			b.place(v)
		} else {
			hi.place(v)
		}
	}
	nb := int32(len(x.buckets))
	x.buckets = append(x.buckets, hi)
	// the old bucket's directory entries are contiguous; the upper half now points at hi
	span := 1 << (x.depth - d)
	first := int(tag>>(33-uint(d))) << (x.depth - d + 1) // the bucket's prefix of d-1 bits
	for i := first + span; i < first+2*span; i++ {
		x.dir[i] = nb
	}
}

// splits reports whether the bucket's next tag bit divides its keys (it does but for keys
// whose tags mostly agree, which only a broken hash would give).
func (b *hashBucket) splits() bool {
	bit := uint(32 - b.depth - 1)
	ones := 0
	for _, v := range b.slots {
		if v != 0 {
			ones += int((v >> 32) >> bit & 1)
		}
	}
	return ones > 0 && ones < int(b.n)
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
// doubling; the arena holds at most 4 GiB.
type arena struct {
	chunks [][]byte
}

const (
	arenaBits  = 12
	arenaChunk = 1 << arenaBits
	arenaMax   = 1 << (32 - arenaBits) // chunks
)

// fits reports whether s can be added.
func (a *arena) fits(s string) bool {
	return len(a.chunks) < arenaMax || len(a.chunks[len(a.chunks)-1])+1+len(s) <= arenaChunk
}

// add stores s (1 to 256 bytes; the arena must fit it) and returns its position.
func (a *arena) add(s string) uint32 {
	if len(a.chunks) == 0 {
		a.chunks = append(a.chunks, make([]byte, 0, 256))
	}
	last := len(a.chunks) - 1
	c := a.chunks[last]
	need := 1 + len(s)
	if len(c)+need > cap(c) {
		if last == 0 && cap(c) < arenaChunk {
			grown := make([]byte, len(c), min(max(2*cap(c), len(c)+need), arenaChunk))
			copy(grown, c)
			c = grown
		}
		if len(c)+need > cap(c) {
			a.chunks = append(a.chunks, make([]byte, 0, arenaChunk))
			last++
			c = a.chunks[last]
		}
	}
	off := len(c)
	c = append(c, byte(len(s)-1))
	a.chunks[last] = append(c, s...)
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
