package solver

import "math/bits"

// bitset is a fixed-size set of slot indices.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

// mask returns the bits [s, e) of word w (0 ≤ s < e ≤ 64 relative).
func rangeMask(lo, hi int) uint64 {
	if hi >= 64 {
		if lo == 0 {
			return ^uint64(0)
		}
		return ^uint64(0) << uint(lo)
	}
	return (uint64(1)<<uint(hi) - 1) &^ (uint64(1)<<uint(lo) - 1)
}

// allSet reports whether every bit in [s, e) is set. Out-of-range bits count
// as unset.
func (b bitset) allSet(s, e int) bool {
	if s < 0 || e > len(b)*64 || s >= e {
		return s >= e && s >= 0
	}
	ws, we := s>>6, (e-1)>>6
	if ws == we {
		m := rangeMask(s&63, e-ws<<6)
		return b[ws]&m == m
	}
	if m := rangeMask(s&63, 64); b[ws]&m != m {
		return false
	}
	for w := ws + 1; w < we; w++ {
		if b[w] != ^uint64(0) {
			return false
		}
	}
	m := rangeMask(0, e-we<<6)
	return b[we]&m == m
}

// setRange sets the bits [s, e), clipped to the set.
func (b bitset) setRange(s, e int) { b.apply(s, e, true) }

// clearRange clears the bits [s, e), clipped to the set.
func (b bitset) clearRange(s, e int) { b.apply(s, e, false) }

func (b bitset) apply(s, e int, set bool) {
	s, e = max(s, 0), min(e, len(b)*64)
	for s < e {
		w := s >> 6
		hi := min(e-w<<6, 64)
		m := rangeMask(s&63, hi)
		if set {
			b[w] |= m
		} else {
			b[w] &^= m
		}
		s = w<<6 + hi
	}
}

// count returns the number of set bits in [s, e).
func (b bitset) count(s, e int) int {
	s, e = max(s, 0), min(e, len(b)*64)
	n := 0
	for s < e {
		w := s >> 6
		hi := min(e-w<<6, 64)
		n += bits.OnesCount64(b[w] & rangeMask(s&63, hi))
		s = w<<6 + hi
	}
	return n
}

func (b bitset) clone() bitset { return append(bitset(nil), b...) }
