package solver

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestFinishesInTime: the search's better schedule is finished only when
// finishing it (as long as the first one took) ends within the limit; a
// solve without a limit always finishes it.
func TestFinishesInTime(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	at := t0.Add(9 * time.Second)
	now := func() time.Time { return at }
	limited := newRun(context.Background(), Options{TimeLimit: 10 * time.Second}, now, t0, time.Millisecond, nil)
	unlimited := newRun(context.Background(), Options{}, now, t0, time.Millisecond, nil)
	for _, c := range []struct {
		name string
		r    *run
		took time.Duration
		want bool
	}{
		{"ends before the limit", limited, 500 * time.Millisecond, true},
		{"ends at the limit", limited, time.Second, true},
		{"would end after the limit", limited, 1500 * time.Millisecond, false},
		{"no limit", unlimited, time.Hour, true},
	} {
		require.Equal(t, c.want, c.r.finishesInTime(c.took), c.name)
	}
}
