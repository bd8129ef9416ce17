package crowdsale

// chunkBits sets the size of the storage chunks: 1024 entries. The first chunk grows by
// doubling, so a small sale stays small; later chunks are allocated whole, so a large sale
// allocates its records once instead of copying them at every growth.
const (
	chunkBits = 10
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

// hashIndex maps keys (held elsewhere, by index) to indexes: an open-addressing table kept
// at most three quarters full. A slot holds the upper 32 bits of the key's hash, which also
// give its home position, and index+1 (0 is empty): most probes are settled without looking
// at the key, and the table grows without rehashing the keys.
type hashIndex struct {
	slots []uint64
	n     int
}

func (x *hashIndex) find(h uint64, eq func(int) bool) (int, bool) {
	if len(x.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(x.slots) - 1)
	tag := h >> 32
	for i := tag & mask; ; i = (i + 1) & mask {
		v := x.slots[i]
		if v == 0 {
			return 0, false
		}
		if v>>32 == tag && eq(int(uint32(v)-1)) {
			return int(uint32(v) - 1), true
		}
	}
}

// insert adds index idx with hash h.
func (x *hashIndex) insert(h uint64, idx int) {
	if 4*(x.n+1) > 3*len(x.slots) {
		old := x.slots
		x.slots = make([]uint64, max(16, 2*len(old)))
		for _, v := range old {
			if v != 0 {
				x.place(v)
			}
		}
	}
	x.place(h>>32<<32 | uint64(uint32(idx+1)))
	x.n++
}

func (x *hashIndex) place(v uint64) {
	mask := uint64(len(x.slots) - 1)
	i := (v >> 32) & mask
	for x.slots[i] != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = v
}

// arena stores short strings (contribution ids, at most 256 bytes) back to back in byte
// chunks, so that records refer to them by a pointer-free reference: chunk<<32 | offset<<16
// | length. The first chunk grows by doubling; later chunks are 64 KiB.
type arena struct {
	chunks [][]byte
}

const arenaChunk = 1 << 16

func (a *arena) add(s string) uint64 {
	if len(a.chunks) == 0 {
		a.chunks = append(a.chunks, make([]byte, 0, 256))
	}
	last := len(a.chunks) - 1
	c := a.chunks[last]
	if len(c)+len(s) > cap(c) {
		if last == 0 && cap(c) < arenaChunk {
			grown := make([]byte, len(c), min(max(2*cap(c), len(c)+len(s)), arenaChunk))
			copy(grown, c)
			c = grown
		}
		if len(c)+len(s) > cap(c) {
			a.chunks = append(a.chunks, make([]byte, 0, arenaChunk))
			last++
			c = a.chunks[last]
		}
	}
	off := len(c)
	a.chunks[last] = append(c, s...)
	return uint64(last)<<32 | uint64(off)<<16 | uint64(len(s))
}

func (a *arena) bytes(ref uint64) []byte {
	off, n := (ref>>16)&0xffff, ref&0xffff
	return a.chunks[ref>>32][off : off+n]
}
