package solver

import (
	"math/rand/v2"
	"testing"
)

// TestBitsetAgainstBools compares every bitset operation with a plain []bool.
func TestBitsetAgainstBools(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n < 300; n += 37 {
		b := newBitset(n)
		ref := make([]bool, len(b)*64)
		for op := 0; op < 2000; op++ {
			s := rng.IntN(n + 1)
			e := s + rng.IntN(n+1-s)
			switch rng.IntN(4) {
			case 0:
				b.setRange(s, e)
				for i := s; i < e; i++ {
					ref[i] = true
				}
			case 1:
				b.clearRange(s, e)
				for i := s; i < e; i++ {
					ref[i] = false
				}
			case 2:
				want := true
				for i := s; i < e; i++ {
					want = want && ref[i]
				}
				if got := b.allSet(s, e); got != want {
					t.Fatalf("n=%d allSet(%d,%d)=%v, want %v", n, s, e, got, want)
				}
			case 3:
				want := 0
				for i := s; i < e; i++ {
					if ref[i] {
						want++
					}
				}
				if got := b.count(s, e); got != want {
					t.Fatalf("n=%d count(%d,%d)=%d, want %d", n, s, e, got, want)
				}
			}
		}
	}
	if newBitset(10).allSet(-1, 3) || newBitset(10).allSet(5, 200) {
		t.Fatal("out-of-range bits must count as unset")
	}
}
