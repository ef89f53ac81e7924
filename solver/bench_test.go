package solver_test

import (
	"context"
	"runtime"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

var benchInstances sync.Map // size → *solver.Instance

func benchInstance(b *testing.B, size string) *solver.Instance {
	b.Helper()
	if in, ok := benchInstances.Load(size); ok {
		return in.(*solver.Instance)
	}
	in, err := generator.Generate(size, 1)
	if err != nil {
		b.Fatal(err)
	}
	benchInstances.Store(size, in)
	return in
}

// BenchmarkFirstFeasible measures the time to the first feasible schedule
// (construction, reasons and check; no improvement) on one core.
// Targets: L under 0.3 s, XL under 3 s.
func BenchmarkFirstFeasible(b *testing.B) {
	for _, size := range []string{"L", "XL"} {
		b.Run(size, func(b *testing.B) {
			in := benchInstance(b, size)
			prev := runtime.GOMAXPROCS(1)
			defer runtime.GOMAXPROCS(prev)
			b.ResetTimer()
			var s *solver.Schedule
			for i := 0; i < b.N; i++ {
				var err error
				s, err = solver.Solve(context.Background(), in, solver.Options{})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.Stats.FirstFeasibleMS), "first-feasible-ms")
			b.ReportMetric(float64(len(s.Assignments)), "scheduled")
		})
	}
}

// BenchmarkQuality solves L and XL for 10 s and compares with the first-fit
// greedy in priority order: unscheduled priority (medium), soft score, and
// soft score per scheduled interview, with their ratios (lower is better).
func BenchmarkQuality(b *testing.B) {
	for _, size := range []string{"L", "XL"} {
		b.Run(size, func(b *testing.B) {
			in := benchInstance(b, size)
			ff, err := solver.FirstFit(in)
			if err != nil {
				b.Fatal(err)
			}
			var s *solver.Schedule
			for i := 0; i < b.N; i++ {
				s, err = solver.Solve(context.Background(), in, solver.Options{TimeLimit: 10 * time.Second, Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
			}
			per := func(x *solver.Schedule) float64 { return float64(x.Score.Soft) / float64(max(len(x.Assignments), 1)) }
			b.ReportMetric(float64(s.Score.Medium), "unsched-prio")
			b.ReportMetric(float64(ff.Score.Medium), "firstfit-unsched-prio")
			b.ReportMetric(float64(s.Score.Medium)/float64(max(ff.Score.Medium, 1)), "unsched-ratio")
			b.ReportMetric(float64(s.Score.Soft), "soft")
			b.ReportMetric(float64(ff.Score.Soft), "firstfit-soft")
			b.ReportMetric(per(s)/per(ff), "soft-per-interview-ratio")
			b.ReportMetric(float64(s.Stats.Iterations), "iterations")
		})
	}
}

// BenchmarkSuggest asks for 5 options for open interviews of an L instance
// with about 400 bookings. Target: median under 5 ms.
//   - prepared: on a Planner (validated and compiled once), as a server does;
//   - cold: Suggest on the document (validation and compilation each time).
func BenchmarkSuggest(b *testing.B) {
	b.Run("prepared", func(b *testing.B) { benchSuggest(b, true) })
	b.Run("cold", func(b *testing.B) { benchSuggest(b, false) })
}

func benchSuggest(b *testing.B, prepared bool) {
	in, open := bookedInstance(b, "L", 1, 1)
	// keep about 400 bookings
	if len(in.Bookings) > 400 {
		for _, bk := range in.Bookings[400:] {
			open = append(open, bk.Interview)
		}
		in.Bookings = in.Bookings[:400]
	}
	if len(open) == 0 {
		b.Fatal("no open interviews")
	}
	p, err := solver.NewPlanner(in)
	if err != nil {
		b.Fatal(err)
	}
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		var sg *solver.Suggestions
		var err error
		if prepared {
			sg, err = p.Suggest(solver.SuggestRequest{Interview: open[i%len(open)], K: 5})
		} else {
			sg, err = solver.Suggest(in, open[i%len(open)], 5)
		}
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
		_ = sg
	}
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(len(in.Bookings)), "bookings")
}

// BenchmarkSolveXLMemory solves XL for 10 s and reports the peak resident
// memory of the process. Target: under 500 MB.
func BenchmarkSolveXLMemory(b *testing.B) {
	in := benchInstance(b, "XL")
	for i := 0; i < b.N; i++ {
		if _, err := solver.Solve(context.Background(), in, solver.Options{TimeLimit: 10 * time.Second, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-rss-MB")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MB")
}
