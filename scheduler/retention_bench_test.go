package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/scheduler"
)

// BenchmarkRetentionXL previews and then runs the retention over the XL
// instance (3,200 requests over 4 weeks, every one the first fit places
// booked) 25 months after its horizon, when every booked interview is due:
// reports preview_ms, run_ms and the interviews erased.
func BenchmarkRetentionXL(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		f := newFixture(b, "XL", 1)
		end, err := time.Parse(time.DateOnly, f.in.Horizon.End)
		if err != nil {
			b.Fatal(err)
		}
		now := end.AddDate(0, 25, 0)
		r := scheduler.NewRetention(f.db, func() time.Time { return now })
		b.StartTimer()
		t0 := time.Now()
		p, err := r.Preview(ctx)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		run, err := r.Run(ctx, "bench")
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if run.Counts != p.Counts || run.Counts.Interviews != int64(len(f.booked)) {
			b.Fatalf("erased %+v, previewed %+v, booked %d", run.Counts, p.Counts, len(f.booked))
		}
		b.ReportMetric(float64(t1.Sub(t0).Milliseconds()), "preview_ms")
		b.ReportMetric(float64(t2.Sub(t1).Milliseconds()), "run_ms")
		b.ReportMetric(float64(run.Counts.Interviews), "interviews")
	}
}
