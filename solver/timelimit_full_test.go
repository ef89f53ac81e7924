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
// hold) with a 2 s limit on two workers, beside two busy goroutines, and
// fails when Solve returns more than 3 s after the limit. At 2 s
// construction is cut short and thousands of interviews are left untried,
// so every phase after the deadline shows: the reasons of the unscheduled
// interviews, the self-check, the bound beside the search. Before issue 21
// (reasons by best insertion in an empty schedule, per interview, after the
// deadline) it returned after 10.7-14.3 s; after, 3.0-4.4 s, on the same
// machine with a load of 20-23 on its two cores (2.4-3.2 s at a load of 7
// with a 3 s limit). The allowance is loose because CI machines are that
// busy: the work left after the deadline is about 0.3 s of CPU, and at a
// load of 20 the solve gets an eighth of a core.
func TestTimeLimitFullMonth(t *testing.T) {
	in, err := generator.GenerateLoad("XXL", 1, 1.8)
	require.NoError(t, err)
	const limit, late = 2 * time.Second, 3 * time.Second
	stop := busy(2)
	start := time.Now()
	s, err := solver.Solve(context.Background(), in, solver.Options{TimeLimit: limit, Start: start, Seed: 1, Workers: 2})
	elapsed := time.Since(start)
	stop()
	require.NoError(t, err)
	t.Logf("limit %v beside 2 busy goroutines: returned after %v, %d of %d scheduled, medium %d, %d iterations; note %q",
		limit, elapsed, len(s.Assignments), len(in.Interviews), s.Score.Medium, s.Stats.Iterations, s.Stats.Note)
	require.LessOrEqual(t, elapsed, limit+late, "Solve returned after %v", elapsed)
	assertValid(t, in, s)
	require.Len(t, s.Unscheduled, len(in.Interviews)-len(s.Assignments), "every interview appears once")
}
