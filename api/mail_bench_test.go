package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/mail"
	"github.com/asylum-scheduling/interviews/internal/mail/mailtest"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// BenchmarkBookingWithMail is BenchmarkBooking's one clerk with mail
// delivery on: every booking writes its mails (the generator's people have
// addresses) and a mailer hands them to a real SMTP server in the process
// meanwhile. It also reports how long mails waited from the booking to the
// SMTP server's acceptance (p50, p99), for a burst far above 100 bookings a
// minute.
func BenchmarkBookingWithMail(b *testing.B) {
	for _, size := range []string{"M", "L"} {
		b.Run(size, func(b *testing.B) {
			in, rest := demoData(b, size)
			s := newBenchServer(b, in)
			srv := mailtest.Start(b)
			sender, err := mail.NewSender(srv.URL(), "booking@migri.example")
			require.NoError(b, err)
			m := scheduler.NewMailer(s.db, nil, nil, sender, "booking@migri.example", "https://interviews.example")
			m.Poll = 100 * time.Millisecond
			var waits []time.Duration
			done := make(chan struct{})
			m.Sent = func(age time.Duration) { waits = append(waits, age) } // one worker: no race
			ctx, cancel := context.WithCancel(context.Background())
			go func() { defer close(done); m.Run(ctx) }()
			next := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				next = s.bookNext(b, in, rest, next)
			}
			elapsed := b.Elapsed()
			b.StopTimer()
			// Let the mailer finish what the bookings queued.
			deadline := time.Now().Add(time.Minute)
			for time.Now().Before(deadline) {
				states, _, err := s.db.MailBacklog(context.Background())
				require.NoError(b, err)
				if states["pending"]+states["sending"] == 0 {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			cancel()
			<-done
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "bookings/s")
			if len(waits) > 0 {
				b.ReportMetric(float64(len(srv.Messages())), "mails")
				b.ReportMetric(percentile(waits, 0.5).Seconds(), "mail-p50-s")
				b.ReportMetric(percentile(waits, 0.99).Seconds(), "mail-p99-s")
			}
		})
	}
}
