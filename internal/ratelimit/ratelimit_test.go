package ratelimit_test

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/ratelimit"
)

func TestLimiter(t *testing.T) {
	t0 := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	l := ratelimit.New(0.5, 3) // 3 at once, one more every 2 s
	for i := range 3 {
		ok, _ := l.Allow("a", t0)
		require.True(t, ok, "request %d", i)
	}
	ok, wait := l.Allow("a", t0)
	require.False(t, ok)
	require.Equal(t, 2*time.Second, wait)
	ok, _ = l.Allow("b", t0)
	require.True(t, ok, "keys are apart")
	ok, _ = l.Allow("a", t0.Add(2*time.Second))
	require.True(t, ok, "refilled")
	ok, _ = l.Allow("a", t0.Add(2*time.Second))
	require.False(t, ok)

	none := ratelimit.New(0, 0)
	for range 100 {
		ok, _ := none.Allow("x", t0)
		require.True(t, ok, "a zero burst is no limit")
	}
}

// The limiter forgets the key used longest ago once it is full, and only
// that one.
func TestLimiterForgetsTheOldestWhenFull(t *testing.T) {
	t0 := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	l := ratelimit.NewCapped(1.0/600, 1, 3) // one each, refilled in 10 min
	for _, k := range []string{"a", "b", "c"} {
		ok, _ := l.Allow(k, t0)
		require.True(t, ok, k)
	}
	ok, _ := l.Allow("a", t0) // a is used again: b is now the oldest
	require.False(t, ok)
	ok, _ = l.Allow("d", t0)
	require.True(t, ok)
	require.Equal(t, 3, l.Len(), "capped")
	ok, _ = l.Allow("b", t0)
	require.True(t, ok, "b was forgotten, so it starts full")
	for _, k := range []string{"a", "d"} {
		ok, _ := l.Allow(k, t0)
		require.False(t, ok, "%s is still remembered and spent", k)
	}
}

// Many long distinct keys (an attacker's made-up addresses) cost a bounded
// amount of memory: the keys are held as hashes, and their number is capped.
func TestLimiterMemoryIsBounded(t *testing.T) {
	t0 := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	const keys, keyLen = 12_000, 4096
	l := ratelimit.NewCapped(1.0/600, 3, 5_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	buf := []byte(strings.Repeat("x", keyLen))
	for i := range keys {
		copy(buf, strconv.Itoa(i)+"@")
		l.Allow(string(buf), t0.Add(time.Duration(i)*time.Millisecond))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	require.Equal(t, 5_000, l.Len())
	grown := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	// Holding the keys themselves would be 12,000 × 4 KB = 48 MB.
	require.Less(t, grown, int64(4<<20), "heap grew by %d bytes", grown)
	runtime.KeepAlive(l)
}

func TestGate(t *testing.T) {
	t0 := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	g := ratelimit.NewGate(1.0/30, 2, 1, 3)
	for _, c := range []string{"a", "a"} {
		ok, _ := g.Allow(c, t0)
		require.True(t, ok)
	}
	ok, wait := g.Allow("a", t0)
	require.False(t, ok, "a's own budget is spent")
	require.Equal(t, 30*time.Second, wait)
	ok, _ = g.Allow("b", t0)
	require.True(t, ok, "b has its own budget, and the server one left")
	ok, wait = g.Allow("c", t0)
	require.False(t, ok, "the server's budget is spent")
	require.Equal(t, time.Second, wait)
}
