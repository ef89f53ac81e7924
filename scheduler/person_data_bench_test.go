package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// BenchmarkPersonDataXL exports and then erases the busiest interpreter
// of the XL instance with every interview booked, long after the
// bookings, with 200,000 rows in the audit trail that the erasure's
// redaction reads through.
func BenchmarkPersonDataXL(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		f, end := xlBooked(b)
		if _, err := f.raw.Exec(ctx, `insert into audit_log (at, actor, action, reason)
			select now(), 'bench', 'booked', 'reason ' || i from generate_series(1, 200000) i`); err != nil {
			b.Fatal(err)
		}
		var who string
		var n int
		if err := f.raw.QueryRow(ctx, `select interpreter_id, count(*) from bookings where interpreter_id is not null
			group by 1 order by 2 desc, 1 limit 1`).Scan(&who, &n); err != nil {
			b.Fatal(err)
		}
		db := postgres.New(f.raw, func() time.Time { return end.AddDate(0, 1, 0) })
		r := scheduler.NewRecords(db)
		var d *resources.PersonData
		var e *resources.Erasure
		timeSteps(b,
			benchStep{"export_ms", func() (err error) { d, err = r.ExportPerson(ctx, resources.AbsenceOfInterpreter, who); return err }},
			benchStep{"erase_ms", func() (err error) {
				e, err = r.ErasePerson(ctx, resources.ErasureRequest{Owner: resources.AbsenceOfInterpreter, ID: who,
					Actor: "bench", Reason: "benchmark"})
				return err
			}})
		if len(d.Bookings) != n || e.Removed["availability"] == 0 {
			b.Fatalf("exported %d bookings of %d; removed %v", len(d.Bookings), n, e.Removed)
		}
		b.ReportMetric(float64(n), "bookings")
	}
}
