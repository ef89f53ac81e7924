package mail

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/calendars"
)

// BenchmarkComposeAndBytes: one whole mail — invitation, text, MIME encoding.
func BenchmarkComposeAndBytes(b *testing.B) {
	org := calendars.Address{Name: "Asylum interview scheduling", Email: "noreply@interviews.example"}
	att := calendars.Address{Name: "Päivi Ääninen", Email: "paivi@tulkit.example"}
	d := testDetails(RoleInterpreter)
	b.ReportAllocs()
	for b.Loop() {
		cal, err := calendars.RenderInvitation("REQUEST", testEvent(), org, att, testNow)
		if err != nil {
			b.Fatal(err)
		}
		subject, text := Compose(Booked, "fi", d)
		m := Message{From: "Haastattelut <noreply@interviews.example>", To: "Päivi Ääninen <paivi@tulkit.example>",
			Subject: subject, Text: text, Calendar: cal, Method: "REQUEST",
			MessageID: "booking-42.3.interpreter-7@interviews.example", Date: testNow}
		if _, err := m.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSend100: 100 messages, one after another, each over a new
// connection to the in-process server (plain SMTP, loopback).
func BenchmarkSend100(b *testing.B) {
	srv := startServer(b, serverConfig{})
	s := newSender(b, "smtp://"+srv.addr)
	data, err := testMessage(b, Booked, "en").Bytes()
	require.NoError(b, err)
	ctx := context.Background()
	for b.Loop() {
		for range 100 {
			if err := s.Send(ctx, "paivi@tulkit.example", data); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
