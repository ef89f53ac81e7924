package main

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/mail/mailtest"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/resources"
)

// kill -9 while a slow mail server takes a burst: the mail in flight is the
// only one left 'sending' (the server has it, the server process never heard
// so); the ones sent are recorded, the rest wait. After a restart, once no
// live worker can hold the one in flight, it is marked unknown and never
// sent again, and every other mail goes exactly once. EHLO names the host
// of PUBLIC_URL.
func TestMailSurvivesKill(t *testing.T) {
	url := pgtest.URL(t)
	raw := pgtest.OpenAt(t, url)
	ctx := context.Background()
	var mu sync.Mutex
	var server *child
	srv := mailtest.Start(t, mailtest.Slow(50*time.Millisecond), mailtest.OnMessage(func(n int) {
		if n == 4 { // kept, not yet answered
			mu.Lock()
			defer mu.Unlock()
			_ = server.cmd.Process.Kill()
		}
	}))
	env := []string{"SMTP_URL=" + srv.URL(), "PUBLIC_URL=https://interviews.example:8443", "MAIL_FROM=booking@migri.example"}
	mu.Lock()
	server = startChild(t, url, env...)
	mu.Unlock()
	const n = 20
	start := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Hour)
	for i := range n {
		_, err := raw.Exec(ctx, `insert into mail_outbox (booking_id, sequence, recipient_kind, recipient_id, email, locale, kind,
				method, payload, next_attempt_at, created_at)
			values ($1, 1, 'party', 'P-1', $2, 'en', 'booked', 'REQUEST', $3, now(), now())`,
			1000+i, fmt.Sprintf("to-%d@example.org", i), resources.MailPayload{Start: start, End: start.Add(time.Hour), Mode: "onsite"})
		require.NoError(t, err)
	}
	<-server.done
	states := func() map[string]int {
		rows, err := raw.Query(ctx, `select state, count(*) from mail_outbox group by state`)
		require.NoError(t, err)
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var s string
			var k int
			require.NoError(t, rows.Scan(&s, &k))
			out[s] = k
		}
		return out
	}
	require.Equal(t, map[string]int{"sent": 3, "sending": 1, "pending": n - 4}, states())

	// The in-flight one waits out the send timeout and a minute (moved
	// back here, as the clock would).
	_, err := raw.Exec(ctx, `update mail_outbox set claimed_at = claimed_at - interval '1 hour' where state = 'sending'`)
	require.NoError(t, err)
	startChild(t, url, env...)
	waitFor(t, "the rest of the burst", time.Minute, func() bool { return states()["sent"] == n-1 })
	require.Equal(t, map[string]int{"sent": n - 1, "unknown": 1}, states())
	msgs := srv.Messages()
	require.Len(t, msgs, n, "each mail reached the server once, the one in flight too")
	seen := map[string]bool{}
	id := regexp.MustCompile(`^<?mail-\d+\.`)
	for _, m := range msgs {
		k := id.FindString(m.Header.Get("Message-Id"))
		require.NotEmpty(t, k)
		require.False(t, seen[k], "%s twice", k)
		seen[k] = true
		require.Equal(t, "interviews.example", m.Helo)
	}
}
