package staff

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGapPercent(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ gap, bound, want int64 }{
		{291, 928, 31}, {0, 42, 0}, {1, 200, 1}, {1, 201, 0}, {5, 0, 100},
	} {
		require.Equal(t, c.want, gapPercent(c.gap, c.bound), "gap %d, bound %d", c.gap, c.bound)
	}
}
