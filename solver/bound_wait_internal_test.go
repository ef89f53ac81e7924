package solver

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAwaitBoundNeverDropsAReadyBound: a bound that is there when the
// solve's deadline comes (or has passed) is always taken. Before, a select
// between "bound ready" and a due timer picked one at random and dropped
// about half of them (issue 27).
func TestAwaitBoundNeverDropsAReadyBound(t *testing.T) {
	t.Parallel()
	for _, wait := range []time.Duration{-time.Second, 0, time.Nanosecond, time.Microsecond} {
		dropped := 0
		for range 500 {
			done := make(chan *Bound, 1)
			done <- &Bound{Medium: 7}
			if b := awaitBound(done, wait); b == nil || b.Medium != 7 {
				dropped++
			}
		}
		require.Zero(t, dropped, "wait %v: a ready bound was dropped %d times of 500", wait, dropped)
	}
}

// TestAwaitBoundWaitsAndGivesUp: a bound that arrives within the wait is
// taken; none arriving gives nil once the wait is over.
func TestAwaitBoundWaitsAndGivesUp(t *testing.T) {
	t.Parallel()
	done := make(chan *Bound, 1)
	go func() { done <- &Bound{Medium: 3} }()
	b := awaitBound(done, time.Minute)
	require.NotNil(t, b)
	require.EqualValues(t, 3, b.Medium)
	require.Nil(t, awaitBound(make(chan *Bound, 1), time.Millisecond))
	require.Nil(t, awaitBound(make(chan *Bound, 1), 0))
}
