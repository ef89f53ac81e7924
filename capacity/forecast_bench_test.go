package capacity

import (
	"context"
	"testing"

	"github.com/asylum-scheduling/interviews/internal/generator"
)

// BenchmarkForecastM26 forecasts 26 weeks on the generated M week (seed 1)
// with the intake of its own week every week and the default time limit
// per week (2 s): the target is about a minute.
func BenchmarkForecastM26(b *testing.B) {
	base, err := generator.Generate("M", 1)
	if err != nil {
		b.Fatal(err)
	}
	intake := Intake{Format: IntakeFormat, FromHistory: &FromHistory{Weeks: 1}}
	var res *ForecastResult
	for b.Loop() {
		res, err = Forecast(context.Background(), base, intake, ForecastOptions{Weeks: 26, Seed: 1}, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	last := res.Week[len(res.Week)-1]
	b.ReportMetric(float64(last.BacklogEnd), "backlog_end")
	var scheduled int
	for _, w := range res.Week {
		scheduled += w.Scheduled
	}
	b.ReportMetric(float64(scheduled)/26, "scheduled/week")
}
