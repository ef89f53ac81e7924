package solver_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

// The surge benchmarks measure XL (3,200 interviews), XXL (the 2015 peak
// month, 12,800) and DE (60,000 at 40 offices), seed 1. They take minutes:
// run them with go test ./solver -run '^$' -bench Surge. Numbers in
// docs/solver.md.

var surgeSizes = []string{"XL", "XXL", "DE"}

// childEnv makes the test binary solve one instance and exit, so that the
// peak memory of that solve alone can be measured (TestMain).
const childEnv = "SOLVER_BENCH_CHILD"

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(childSolve(spec))
	}
	os.Exit(m.Run())
}

// childSolve generates SIZE (at LOAD, when given) and solves it for LIMIT
// ("SIZE,LIMIT[,LOAD]"); with LOAD it also computes the bound for LIMIT.
func childSolve(spec string) int {
	parts := strings.Split(spec, ",")
	size, limit := parts[0], parts[1]
	load := 0.0
	if len(parts) > 2 {
		load, _ = strconv.ParseFloat(parts[2], 64)
	}
	d, err := time.ParseDuration(limit)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	in, err := generator.GenerateLoad(size, 1, load)
	if err == nil && load > 0 {
		_, err = solver.ComputeBound(context.Background(), in, solver.BoundOptions{TimeLimit: d})
	}
	if err == nil {
		_, err = solver.Solve(context.Background(), in, solver.Options{TimeLimit: d, Seed: 1})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// the high-water mark of this process's own memory: the rusage of a
	// child started from a large parent carries the parent's (vfork)
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Println(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "VmHWM:"), "kB")))
		}
	}
	return 0
}

// BenchmarkSurgeFirstFeasible measures the first feasible schedule
// (construction, reasons and check; no limit, no search) on one core.
// Targets: XXL under 3 s, DE under 30 s.
func BenchmarkSurgeFirstFeasible(b *testing.B) {
	for _, size := range surgeSizes {
		b.Run(size, func(b *testing.B) {
			in := benchInstance(b, size)
			s := firstFeasible(b, in)
			b.ReportMetric(float64(s.Stats.FirstFeasibleMS), "first-feasible-ms")
			b.ReportMetric(float64(s.Stats.SolveMS), "solve-ms")
			b.ReportMetric(float64(len(s.Assignments)), "scheduled")
		})
	}
}

// BenchmarkSurgeQuality solves for 60 s on two workers and compares with
// the first-fit greedy in priority order: unscheduled priority and soft
// score per scheduled interview, with their ratios (lower is better), and
// how far past the limit Solve returned.
func BenchmarkSurgeQuality(b *testing.B) {
	for _, size := range surgeSizes {
		b.Run(size, func(b *testing.B) {
			in := benchInstance(b, size)
			ff, err := solver.FirstFit(in)
			if err != nil {
				b.Fatal(err)
			}
			const limit = 60 * time.Second
			var s *solver.Schedule
			var took time.Duration
			for i := 0; i < b.N; i++ {
				start := time.Now()
				if s, err = solver.Solve(context.Background(), in, solver.Options{TimeLimit: limit, Seed: 1, Workers: 2}); err != nil {
					b.Fatal(err)
				}
				took = time.Since(start)
			}
			per := func(x *solver.Schedule) float64 { return float64(x.Score.Soft) / float64(max(len(x.Assignments), 1)) }
			b.ReportMetric(float64(s.Score.Medium), "unsched-prio")
			b.ReportMetric(float64(ff.Score.Medium), "firstfit-unsched-prio")
			b.ReportMetric(float64(s.Score.Medium)/float64(max(ff.Score.Medium, 1)), "unsched-ratio")
			b.ReportMetric(per(s), "soft-per-interview")
			b.ReportMetric(per(ff), "firstfit-soft-per-interview")
			b.ReportMetric(per(s)/per(ff), "soft-per-interview-ratio")
			b.ReportMetric(float64(s.Stats.Iterations), "iterations")
			b.ReportMetric(float64((took - limit).Milliseconds()), "overshoot-ms")
		})
	}
}

// BenchmarkSurgeMemory reports the peak resident memory (VmHWM, Linux) of a
// process that generates the instance and solves it (10 s; DE 30 s, which construction
// needs). Target: DE under 4 GB.
func BenchmarkSurgeMemory(b *testing.B) {
	limits := map[string]string{"XL": "10s", "XXL": "10s", "DE": "30s"}
	for _, size := range surgeSizes {
		b.Run(size, func(b *testing.B) {
			var peak int64
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), childEnv+"="+size+","+limits[size])
				cmd.Stderr = os.Stderr
				out, err := cmd.Output()
				if err != nil {
					b.Fatalf("%v: %s", err, out)
				}
				kb, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
				if err != nil {
					b.Fatalf("peak memory %q: %v", out, err)
				}
				peak = max(peak, kb)
			}
			b.ReportMetric(float64(peak)/1024, "peak-rss-MB")
		})
	}
}

// BenchmarkSurgeOvershoot solves with limits at which construction is cut
// short on the larger sizes (XXL 2 s, DE 10 s) or the search runs (XL 2 s,
// XXL 5 s), and reports how far past the limit Solve returned, also as a
// share of the documented margin (solver.Margin; at most 1); negative when
// it returned before the limit.
func BenchmarkSurgeOvershoot(b *testing.B) {
	for _, c := range []struct {
		size  string
		limit time.Duration
	}{{"XL", 2 * time.Second}, {"XXL", 2 * time.Second}, {"XXL", 5 * time.Second}, {"DE", 10 * time.Second}} {
		b.Run(c.size+"/"+strconv.Itoa(int(c.limit.Seconds()))+"s", func(b *testing.B) {
			in := benchInstance(b, c.size)
			b.ResetTimer()
			worst := time.Duration(math.MinInt64) // negative: returned before the limit
			var s *solver.Schedule
			for i := 0; i < b.N; i++ {
				start := time.Now()
				var err error
				if s, err = solver.Solve(context.Background(), in, solver.Options{TimeLimit: c.limit, Start: start, Seed: 1}); err != nil {
					b.Fatal(err)
				}
				worst = max(worst, time.Since(start)-c.limit)
			}
			b.ReportMetric(float64(worst.Milliseconds()), "overshoot-ms")
			b.ReportMetric(float64(worst)/float64(solver.Margin(c.limit)), "of-margin")
			b.ReportMetric(float64(len(s.Assignments)), "scheduled")
		})
	}
}

// BenchmarkSurgeSuggest asks for 5 options for open interviews of XXL with
// nine in ten interviews booked (from a first plan), on a Planner as a
// server holds it: its compilation (first-compile-ms) and the median of the
// prepared requests. Targets: compile under 5 s, median under 20 ms.
func BenchmarkSurgeSuggest(b *testing.B) {
	in, err := generator.Generate("XXL", 1)
	if err != nil {
		b.Fatal(err)
	}
	plan, err := solver.Solve(context.Background(), in, solver.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var open []string
	for k, a := range plan.Assignments {
		if k%10 == 0 {
			open = append(open, a.Interview)
			continue
		}
		in.Bookings = append(in.Bookings, solver.Booking{Interview: a.Interview, Start: a.Start, Room: a.Room,
			Interviewer: a.Interviewer, Interpreter: a.Interpreter, Mode: a.Mode, Pinned: k%3 == 0})
	}
	start := time.Now()
	p, err := solver.NewPlanner(in)
	if err != nil {
		b.Fatal(err)
	}
	compile := time.Since(start)
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := p.Suggest(solver.SuggestRequest{Interview: open[i%len(open)], K: 5}); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(compile.Milliseconds()), "first-compile-ms")
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(len(in.Bookings)), "bookings")
}

// firstFeasible solves in with no limit and no search on one core, b.N
// times, and returns the last schedule: the first feasible schedule that
// BenchmarkSurgeFirstFeasible and BenchmarkFullMonthFirstFeasible measure.
func firstFeasible(b *testing.B, in *solver.Instance) *solver.Schedule {
	b.Helper()
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	b.ResetTimer()
	var s *solver.Schedule
	for i := 0; i < b.N; i++ {
		var err error
		if s, err = solver.Solve(context.Background(), in, solver.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	return s
}
