package solver_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/solver"
)

// Full months (issue 21): generated at a load factor (demand over the
// capacity of rooms and interviewers, generator.GenerateLoad), seed 1:
// XL and XXL at 1.8, DE at 1.6. They take long (about 25 minutes in all):
// go test ./solver -run '^$' -bench FullMonth. Numbers in docs/solver.md.

var fullMonths = []struct {
	size string
	load float64
}{{"XL", 1.8}, {"XXL", 1.8}, {"DE", 1.6}}

var fullInstances sync.Map // "size/load" → *solver.Instance

func fullInstance(b *testing.B, size string, load float64) *solver.Instance {
	b.Helper()
	key := fmt.Sprint(size, "/", load)
	if in, ok := fullInstances.Load(key); ok {
		return in.(*solver.Instance)
	}
	in, err := generator.GenerateLoad(size, 1, load)
	if err != nil {
		b.Fatal(err)
	}
	fullInstances.Store(key, in)
	return in
}

// BenchmarkFullMonthFirstFeasible: the first feasible schedule (no limit,
// no search) on one core.
func BenchmarkFullMonthFirstFeasible(b *testing.B) {
	for _, c := range fullMonths {
		b.Run(fmt.Sprint(c.size, "-", c.load), func(b *testing.B) {
			in := fullInstance(b, c.size, c.load)
			s := firstFeasible(b, in)
			b.ReportMetric(float64(s.Stats.FirstFeasibleMS), "first-feasible-ms")
			b.ReportMetric(float64(s.Score.Medium), "unsched-prio")
		})
	}
}

// BenchmarkFullMonthQuality solves for 10 s and 60 s on two workers and
// compares with first fit and with the bound (ComputeBound with the same
// limit): unscheduled priority, the gap to the bound, the gap as a share of
// first fit's distance to the bound (the target: at most half), the
// bound inside the solve, and how far past the limit Solve returned.
func BenchmarkFullMonthQuality(b *testing.B) {
	for _, c := range fullMonths {
		for _, limit := range []time.Duration{10 * time.Second, 60 * time.Second} {
			b.Run(fmt.Sprint(c.size, "-", c.load, "/", limit), func(b *testing.B) {
				in := fullInstance(b, c.size, c.load)
				ff, err := solver.FirstFit(in)
				if err != nil {
					b.Fatal(err)
				}
				bd, err := solver.ComputeBound(context.Background(), in, solver.BoundOptions{TimeLimit: limit})
				if err != nil {
					b.Fatal(err)
				}
				var s *solver.Schedule
				var took time.Duration
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					start := time.Now()
					if s, err = solver.Solve(context.Background(), in, solver.Options{TimeLimit: limit, Start: start, Seed: 1, Workers: 2}); err != nil {
						b.Fatal(err)
					}
					took = time.Since(start)
				}
				b.StopTimer()
				bound := bd.Medium
				if s.Stats.Bound != nil {
					bound = max(bound, *s.Stats.Bound)
					b.ReportMetric(float64(*s.Stats.Bound), "bound-in-solve")
				}
				b.ReportMetric(float64(s.Score.Medium), "unsched-prio")
				b.ReportMetric(float64(ff.Score.Medium), "firstfit-unsched-prio")
				b.ReportMetric(float64(bd.Medium), "bound")
				b.ReportMetric(float64(bd.MS), "bound-ms")
				b.ReportMetric(float64(s.Score.Medium-bound), "gap")
				b.ReportMetric(float64(s.Score.Medium-bound)/float64(max(ff.Score.Medium-bound, 1)), "gap-of-firstfit-gap")
				b.ReportMetric(float64(s.Stats.Iterations), "iterations")
				b.ReportMetric(float64((took - limit).Milliseconds()), "overshoot-ms")
			})
		}
	}
}

// BenchmarkFullMonthMemory: the peak resident memory (VmHWM, Linux) of a
// process that generates the full month, computes its bound and solves it,
// each with 10 s (DE 30 s). Target: the bound of XXL within 1 GB.
func BenchmarkFullMonthMemory(b *testing.B) {
	for _, c := range fullMonths {
		limit := "10s"
		if c.size == "DE" {
			limit = "30s"
		}
		b.Run(fmt.Sprint(c.size, "-", c.load), func(b *testing.B) {
			var peak int64
			for i := 0; i < b.N; i++ {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), childEnv+"="+c.size+","+limit+","+strconv.FormatFloat(c.load, 'f', -1, 64))
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
