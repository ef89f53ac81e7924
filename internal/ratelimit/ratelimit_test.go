package ratelimit_test

import (
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
