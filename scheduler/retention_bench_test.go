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
// booked) 25 months after its horizon, when every booked interview is due
// and every booking has an audit entry with a reason and a document that
// quote the case: reports preview_ms, run_ms, the interviews erased and the
// audit reasons replaced.
func BenchmarkRetentionXL(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		f, end := xlBooked(b)
		now := end.AddDate(0, 25, 0)
		// A clerk's reason naming the case, and a document quoting it, on
		// the audit entry of every booking: the run replaces both.
		if _, err := f.raw.Exec(ctx, `insert into audit_log (at, actor, interview_id, booking_id, action, reason, after)
			select now(), 'clerk-1', b.interview_id, b.id, 'noted', 'moved for ' || i.case_ref,
				jsonb_build_object('note', 'moved from ' || i.case_ref, 'room', b.room_id)
			from bookings b join interviews i on i.id = b.interview_id`); err != nil {
			b.Fatal(err)
		}
		r := scheduler.NewRetention(f.db, func() time.Time { return now })
		var p *resources.RetentionPreview
		var run *resources.RetentionRun
		timeSteps(b,
			benchStep{"preview_ms", func() (err error) { p, err = r.Preview(ctx); return err }},
			benchStep{"run_ms", func() (err error) { run, err = r.Run(ctx, "bench"); return err }})
		n := int64(len(f.booked))
		if run.Counts != p.Counts || run.Counts.Interviews != n || run.Counts.AuditReasons != n || run.Counts.AuditDocuments != n {
			b.Fatalf("erased %+v, previewed %+v, booked %d", run.Counts, p.Counts, len(f.booked))
		}
		b.ReportMetric(float64(run.Counts.Interviews), "interviews")
		b.ReportMetric(float64(run.Counts.AuditReasons), "audit_reasons")
	}
}

// BenchmarkRetentionAccessLog previews and then runs the retention over
// an access log of 500,000 entries, one every ten minutes over 9.5 years,
// when the first run deletes those older than the default 60 months
// (about 237,000, each through the trigger of migration 024): reports
// preview_ms, run_ms and the entries deleted.
func BenchmarkRetentionAccessLog(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		f := newFixture(b, "S", 0)
		now := time.Date(2031, 6, 1, 3, 30, 0, 0, time.UTC)
		if _, err := f.raw.Exec(ctx, `insert into access_log (at, actor_kind, actor, role, subject_kind, subject_id, route)
			select $1::timestamptz - n * interval '10 minutes', 'token', (n % 40)::text, 'clerk', 'interview', 'I-' || (n % 3000),
				'GET /v1/interviews/{id}'
			from generate_series(1, 500000) n`, now); err != nil {
			b.Fatal(err)
		}
		if _, err := f.raw.Exec(ctx, `analyze access_log`); err != nil {
			b.Fatal(err)
		}
		r := scheduler.NewRetention(f.db, func() time.Time { return now })
		var p *resources.RetentionPreview
		var run *resources.RetentionRun
		timeSteps(b,
			benchStep{"preview_ms", func() (err error) { p, err = r.Preview(ctx); return err }},
			benchStep{"run_ms", func() (err error) { run, err = r.Run(ctx, "bench"); return err }})
		if run.Counts != p.Counts || run.Counts.AccessLog < 200000 {
			b.Fatalf("deleted %+v, previewed %+v", run.Counts, p.Counts)
		}
		b.ReportMetric(float64(run.Counts.AccessLog), "deleted")
	}
}
