package scheduler_test

import (
	"context"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/capacity"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// BenchmarkRequestsBesideScenarios measures what a clerk waits for while
// the server solves: one iteration is a list of the interviews and the
// suggestions for a pending one, on the M instance in a real PostgreSQL.
// "idle" runs them alone; the others beside two what-if scenarios that
// solve throughout: "scenarios" as the server runs them (in a child
// process at the lowest priority), "-unbounded" as it did before (in
// process, every run of a scenario at once), "-inprocess" in process with
// Ps of their own and one run at a time, "-parallel1" and "-procs" each of
// those two measures alone. It reports the
// median and the 90th percentile in ms; the target is a median within 3x
// of idle (issue 21).
func BenchmarkRequestsBesideScenarios(b *testing.B) {
	cases := []struct {
		name            string
		busy            bool
		parallel, procs int
		child           bool
	}{
		{"idle", false, 0, 0, false},
		{"scenarios-unbounded", true, runtime.GOMAXPROCS(0), -1, false},
		{"scenarios-parallel1", true, 1, -1, false},
		{"scenarios-procs", true, runtime.GOMAXPROCS(0), 2, false},
		{"scenarios-inprocess", true, 0, 0, false},
		{"scenarios", true, 0, -1, true},
	}
	for _, c := range cases {
		busy := c.busy
		b.Run(c.name, func(b *testing.B) {
			f := newFixture(b, "M", 3)
			if c.parallel != 0 {
				f.planner.ScenarioParallel = c.parallel
			}
			if c.procs != 0 {
				f.planner.ProcsPerRun = c.procs
			}
			if c.child { // as cmd/interviewd wires it; this test binary is the worker (TestMain)
				cs := &scheduler.ChildSolver{Path: os.Args[0]}
				f.planner.Solve, f.planner.RunScenario = cs.Solve, cs.Scenario
			}
			ctx := context.Background()
			svc := scheduler.New(f.db, []byte("bench-signing-key-0123456789abcdef"), nil, nil)
			pending := ""
			for _, iv := range f.in.Interviews {
				if !f.booked[iv.ID] {
					pending = iv.ID
					break
				}
			}
			request := func() {
				if _, err := f.db.Interviews(ctx, listAll()); err != nil {
					b.Fatal(err)
				}
				if _, err := svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: pending, K: 5}); err != nil {
					b.Fatal(err)
				}
			}
			request() // warm the suggestion cache and the connections
			if busy {
				startScenarios(b, f)
			}
			took := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				request()
				took = append(took, time.Since(t0))
			}
			b.StopTimer()
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "median_ms")
			b.ReportMetric(float64(took[len(took)*9/10].Microseconds())/1000, "p90_ms")
			if busy && len(f.planner.Running()) != 2 {
				b.Fatalf("the scenarios ended before the requests did: %v running", f.planner.Running())
			}
		})
	}
}

// startScenarios starts two what-if scenarios on f with a long budget (they
// are cancelled at the end) and waits until both are solving.
func startScenarios(b *testing.B, f *fixture) {
	ctx := context.Background()
	var ids []int64
	for i := range 2 {
		sc := &capacity.Scenario{Variants: []capacity.Variant{{Name: "remote", Changes: []capacity.Change{
			{RemoteShare: &capacity.RemoteShare{Interviews: ptr(0.2 + 0.3*float64(i))}}}}}}
		run, err := f.planner.StartScenario(ctx, scheduler.ScenarioRequest{From: f.in.Horizon.Start,
			To: f.in.Horizon.End, TimeLimit: 10 * time.Minute, Scenario: sc, Actor: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, run.ID)
		b.Cleanup(func() { _, _ = f.planner.Cancel(context.Background(), run.ID) })
	}
	// Their progress says when they solve (written about once a second).
	deadline := time.Now().Add(time.Minute)
	for _, id := range ids {
		for {
			run, err := f.db.Scenario(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			if run.Progress != nil && run.Progress.Phase == capacity.PhaseSolving {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("scenario %d is not solving after a minute: %+v", id, run.Progress)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

func ptr[T any](v T) *T { return &v }
