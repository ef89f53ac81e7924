package solver_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

// busy keeps n goroutines spinning until the returned stop is called: the
// solve shares the cores with other work, as on a busy server or CI machine.
func busy(n int) (stop func()) {
	var quit atomic.Bool
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := 0
			for !quit.Load() {
				for k := range 10000 {
					x ^= k
				}
				runtime.Gosched()
			}
			_ = x
		}()
	}
	return func() {
		quit.Store(true)
		wg.Wait()
	}
}

// TestTimeLimitFullMonth solves a generated full surge month (XXL at load
// 1.8: 12,800 interviews, demand 1.8 times what rooms and interviewers can
// hold) with a 3 s limit on two workers, beside two busy goroutines, and
// fails when Solve returns more than 0.6 s (a fifth of the limit) after it.
// Every phase must keep to the limit: best insertion of interviews that
// cannot be placed, the bound beside the search, the reasons of thousands
// of unscheduled interviews and the self-check. Before issue 21 it returned
// after 3.0-5.9 s (four runs of six over the margin); after, 2.6-3.2 s on
// the same busy machine (load 7 on 2 cores). The margin is tighter than
// solver.Margin (1 s here): first fit completing a cut construction may use
// a quarter of that, and the last steps are measured.
func TestTimeLimitFullMonth(t *testing.T) {
	in, err := generator.GenerateLoad("XXL", 1, 1.8)
	require.NoError(t, err)
	const limit = 3 * time.Second
	stop := busy(2)
	start := time.Now()
	s, err := solver.Solve(context.Background(), in, solver.Options{TimeLimit: limit, Start: start, Seed: 1, Workers: 2})
	elapsed := time.Since(start)
	stop()
	require.NoError(t, err)
	t.Logf("limit %v beside 2 busy goroutines: returned after %v, %d of %d scheduled, medium %d, %d iterations; note %q",
		limit, elapsed, len(s.Assignments), len(in.Interviews), s.Score.Medium, s.Stats.Iterations, s.Stats.Note)
	require.LessOrEqual(t, elapsed, limit+limit/5, "Solve returned after %v", elapsed)
	assertValid(t, in, s)
	require.Greater(t, len(s.Assignments), len(in.Interviews)/3)
}
