package testclock_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/testclock"
)

func TestClock(t *testing.T) {
	t0 := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	c := testclock.New(t0)
	require.True(t, c.Now().Equal(t0))
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() { defer wg.Done(); c.Add(time.Minute); _ = c.Now() }()
	}
	wg.Wait()
	require.True(t, c.Now().Equal(t0.Add(10*time.Minute)), c.Now())
	c.Add(-time.Hour)
	require.True(t, c.Now().Equal(t0.Add(-50*time.Minute)))
	c.Set(t0)
	require.True(t, c.Now().Equal(t0))
}
