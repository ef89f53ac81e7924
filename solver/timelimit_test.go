package solver_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

// TestTimeLimitIsAPromise solves the generated surge peak month (XXL,
// 12,800 interviews) with short limits and fails when Solve returns later
// than the limit plus its documented margin (solver.Margin: 10 % or 1 s,
// whichever is larger). With 1 s construction cannot finish (best insertion
// alone takes longer), so the rest is placed first fit; with 3 s and two
// workers the search runs too. Progress is reported from construction on.
// The whole test takes about 6 s.
func TestTimeLimitIsAPromise(t *testing.T) {
	in, err := generator.Generate("XXL", 1)
	require.NoError(t, err)
	for _, c := range []struct {
		limit   time.Duration
		workers int
	}{{time.Second, 1}, {3 * time.Second, 2}} {
		var reports []solver.Progress
		start := time.Now()
		s, err := solver.Solve(context.Background(), in, solver.Options{
			TimeLimit: c.limit, Start: start, Seed: 1, Workers: c.workers, ProgressEvery: 100 * time.Millisecond,
			Progress: func(p solver.Progress) { reports = append(reports, p) },
		})
		elapsed := time.Since(start)
		require.NoError(t, err)
		if most := c.limit + solver.Margin(c.limit); elapsed > most {
			t.Errorf("limit %v: Solve returned after %v, more than the limit and its margin (%v)", c.limit, elapsed, most)
		}
		t.Logf("limit %v, %d workers: %v, %d of %d scheduled, %d iterations; note %q",
			c.limit, c.workers, elapsed, len(s.Assignments), len(in.Interviews), s.Stats.Iterations, s.Stats.Note)
		assertValid(t, in, s)
		if len(s.Assignments) < len(in.Interviews)/2 {
			t.Errorf("limit %v: only %d of %d interviews scheduled", c.limit, len(s.Assignments), len(in.Interviews))
		}
		require.NotEmpty(t, reports, "no progress in %v with a 100 ms period", c.limit)
		if reports[0].Phase != solver.PhaseConstruction || reports[0].Total != len(in.Interviews) {
			t.Errorf("limit %v: the first report %+v is not of construction", c.limit, reports[0])
		}
		for k := 1; k < len(reports); k++ {
			p, q := reports[k-1], reports[k]
			if q.Phase == solver.PhaseConstruction && (p.Phase != solver.PhaseConstruction || q.Scheduled < p.Scheduled) {
				t.Errorf("limit %v: construction report %+v after %+v", c.limit, q, p)
			}
		}
	}
}
