package scheduler_test

import (
	"testing"
	"time"
)

// xlBooked stops the benchmark's timer and builds a fresh fixture of the
// XL instance, every interview the first fit places booked; it returns the
// fixture and the last day of the instance's horizon.
func xlBooked(b *testing.B) (*fixture, time.Time) {
	b.Helper()
	b.StopTimer()
	f := newFixture(b, "XL", 1)
	end, err := time.Parse(time.DateOnly, f.in.Horizon.End)
	if err != nil {
		b.Fatal(err)
	}
	return f, end
}

// benchStep is one timed step of a benchmark: its time is reported in
// milliseconds under metric.
type benchStep struct {
	metric string
	run    func() error
}

// timeSteps runs the steps one after the other with the timer running,
// stops the timer after them and reports each one's milliseconds.
func timeSteps(b *testing.B, steps ...benchStep) {
	b.Helper()
	took := make([]time.Duration, len(steps))
	b.StartTimer()
	for i, s := range steps {
		t0 := time.Now()
		if err := s.run(); err != nil {
			b.Fatal(err)
		}
		took[i] = time.Since(t0)
	}
	b.StopTimer()
	for i, s := range steps {
		b.ReportMetric(float64(took[i].Milliseconds()), s.metric)
	}
}
