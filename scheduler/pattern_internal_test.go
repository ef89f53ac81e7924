package scheduler

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// subtractSpans keeps the parts of the old hours no new span covers.
func TestSubtractSpans(t *testing.T) {
	t.Parallel()
	at := func(h int) time.Time { return time.Date(2027, 1, 4, h, 0, 0, 0, time.UTC) }
	span := func(a, b int) [2]time.Time { return [2]time.Time{at(a), at(b)} }
	for _, tc := range []struct {
		name       string
		old, cover [][2]time.Time
		want       [][2]time.Time
	}{
		{"nothing on file", nil, [][2]time.Time{span(8, 16)}, nil},
		{"all covered", [][2]time.Time{span(8, 16)}, [][2]time.Time{span(7, 17)}, nil},
		{"nothing covers", [][2]time.Time{span(8, 16)}, nil, [][2]time.Time{span(8, 16)}},
		{"shorter day", [][2]time.Time{span(8, 16)}, [][2]time.Time{span(9, 12)}, [][2]time.Time{span(8, 9), span(12, 16)}},
		{"two covers in one", [][2]time.Time{span(8, 18)}, [][2]time.Time{span(8, 10), span(12, 14)},
			[][2]time.Time{span(10, 12), span(14, 18)}},
		{"one cover over two", [][2]time.Time{span(8, 10), span(11, 13)}, [][2]time.Time{span(9, 12)},
			[][2]time.Time{span(8, 9), span(12, 13)}},
		{"cover before and after", [][2]time.Time{span(10, 12)}, [][2]time.Time{span(6, 8), span(14, 16)}, [][2]time.Time{span(10, 12)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, subtractSpans(tc.old, tc.cover))
		})
	}
}
