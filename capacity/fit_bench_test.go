package capacity

import (
	"testing"
	"time"

	"github.com/asylum-scheduling/interviews/solver"
)

// BenchmarkFitsFullMonth is the shortage page's first-fit search on a full
// month with nothing booked yet (every interview pending, the worst case):
// Fits for every interview from the horizon's first day, the horizon
// stretched to the last date any search covers. It reports the seconds per
// page computation and how many interviews have no time by their deadline.
func BenchmarkFitsFullMonth(b *testing.B) {
	for _, size := range []string{"L", "XL", "XXL"} {
		b.Run(size, func(b *testing.B) {
			in := generated(b, size, 1)
			from, err := solver.ParseDate(in.Horizon.Start)
			if err != nil {
				b.Fatal(err)
			}
			ids := make([]string, len(in.Interviews))
			end := from
			for i := range in.Interviews {
				ids[i] = in.Interviews[i].ID
				end = max(end, FitSearchEnd(&in.Interviews[i], from))
			}
			in.Horizon.End = end.String()
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				fits, err := Fits(in, from, ids)
				if err != nil {
					b.Fatal(err)
				}
				short := 0
				for _, f := range fits {
					if f.Short() {
						short++
					}
				}
				b.ReportMetric(time.Since(t0).Seconds(), "s/page")
				b.ReportMetric(float64(len(ids)), "interviews")
				b.ReportMetric(float64(short), "short")
			}
		})
	}
}
