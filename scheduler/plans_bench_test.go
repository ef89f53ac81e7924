package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/scheduler"
)

// BenchmarkPlanAndAcceptL plans the L instance's pending interviews (500
// requests over 4 weeks, a third booked) with construction only, then
// accepts the whole plan: reports plan_ms and accepted items per second.
func BenchmarkPlanAndAcceptL(b *testing.B) {
	for range b.N {
		b.StopTimer()
		f := newFixture(b, "L", 3)
		b.StartTimer()
		ctx := context.Background()
		t0 := time.Now()
		plan, err := f.planner.Start(ctx, scheduler.PlanRequest{From: f.in.Horizon.Start, To: f.in.Horizon.End, Actor: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		done := f.wait(b, plan.ID)
		planMS := time.Since(t0).Milliseconds()
		t1 := time.Now()
		_, out, err := f.planner.Accept(ctx, plan.ID, nil, "bench")
		if err != nil {
			b.Fatal(err)
		}
		secs := time.Since(t1).Seconds()
		booked := 0
		for _, x := range out {
			if x.Outcome == scheduler.AcceptBooked {
				booked++
			}
		}
		b.ReportMetric(float64(planMS), "plan_ms")
		b.ReportMetric(float64(booked)/secs, "accepted/s")
		b.ReportMetric(float64(len(done.Result.Diff.New)), "new")
	}
}
