package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// BenchmarkRetentionXL previews and then runs the retention over the XL
// instance (3,200 requests over 4 weeks, every one the first fit places
// booked) 25 months after its horizon, when every booked interview is due:
// reports preview_ms, run_ms and the interviews erased.
func BenchmarkRetentionXL(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		f, end := xlBooked(b)
		now := end.AddDate(0, 25, 0)
		r := scheduler.NewRetention(f.db, func() time.Time { return now })
		var p *resources.RetentionPreview
		var run *resources.RetentionRun
		timeSteps(b,
			benchStep{"preview_ms", func() (err error) { p, err = r.Preview(ctx); return err }},
			benchStep{"run_ms", func() (err error) { run, err = r.Run(ctx, "bench"); return err }})
		if run.Counts != p.Counts || run.Counts.Interviews != int64(len(f.booked)) {
			b.Fatalf("erased %+v, previewed %+v, booked %d", run.Counts, p.Counts, len(f.booked))
		}
		b.ReportMetric(float64(run.Counts.Interviews), "interviews")
	}
}
