package scheduler_test

// The mail outbox's delivery, in the style of a conformance suite: real
// PostgreSQL, the real SMTP client and a real SMTP server in the process
// (mailtest), several workers on one database as replicas would run them.

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/mail"
	"github.com/asylum-scheduling/interviews/internal/mail/mailtest"
	"github.com/asylum-scheduling/interviews/internal/metrics"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/internal/testclock"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// outboxEnv is a fresh database with n mails waiting in the outbox, each to
// an address of its own (to-<i>@example.org), and an SMTP server.
type outboxEnv struct {
	url   string
	raw   *pgtest.Raw
	clk   *testclock.Clock
	smtp  *mailtest.Server
	ids   []int64
	addrs []string
	logs  *logBuffer
}

func newOutboxEnv(t *testing.T, n int, opts ...mailtest.Option) *outboxEnv {
	t.Helper()
	url := pgtest.URL(t)
	e := &outboxEnv{url: url, raw: pgtest.OpenAt(t, url), clk: testclock.New(time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)),
		smtp: mailtest.Start(t, opts...), logs: &logBuffer{}}
	ctx := context.Background()
	start := time.Date(2026, 12, 14, 9, 0, 0, 0, time.UTC)
	for i := range n {
		addr := fmt.Sprintf("to-%d@example.org", i)
		var id int64
		require.NoError(t, e.raw.QueryRow(ctx, `insert into mail_outbox (booking_id, sequence, recipient_kind, recipient_id, email,
				locale, kind, method, payload, next_attempt_at, created_at)
			values ($1, 1, 'party', 'P-1', $2, 'fi', 'booked', 'REQUEST', $3, $4, $4) returning id`,
			1000+i, addr, resources.MailPayload{Start: start, End: start.Add(2 * time.Hour), Mode: "onsite"}, e.clk.Now()).Scan(&id))
		e.ids, e.addrs = append(e.ids, id), append(e.addrs, addr)
	}
	return e
}

// worker is one mail worker with a database pool of its own.
func (e *outboxEnv) worker(t *testing.T, pool *pgtest.Raw, opts ...mail.Option) *scheduler.Mailer {
	t.Helper()
	if pool == nil {
		pool = pgtest.OpenAt(t, e.url)
	}
	sender, err := mail.NewSender(e.smtp.URL(), "booking@migri.example", opts...)
	require.NoError(t, err)
	m := scheduler.NewMailer(postgres.New(pool, nil), slog.New(slog.NewJSONHandler(e.logs, nil)), e.clk.Now, sender,
		"booking@migri.example", "https://interviews.example")
	m.Poll = 20 * time.Millisecond
	return m
}

// run runs m until the test ends; the returned stop ends it and waits.
func run(t *testing.T, m *scheduler.Mailer) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); m.Run(ctx) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

// states counts the outbox's rows by state.
func (e *outboxEnv) states(t *testing.T) map[string]int {
	t.Helper()
	rows, err := e.raw.Query(context.Background(), `select state, count(*) from mail_outbox group by state`)
	require.NoError(t, err)
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		require.NoError(t, rows.Scan(&s, &n))
		out[s] = n
	}
	require.NoError(t, rows.Err())
	return out
}

// waitState waits until n rows are in state (at most a minute).
func (e *outboxEnv) waitState(t *testing.T, state string, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for e.states(t)[state] < n {
		require.False(t, time.Now().After(deadline), "%d mails %s after a minute: %v", n, state, e.states(t))
		time.Sleep(20 * time.Millisecond)
	}
}

var mailIDRe = regexp.MustCompile(`^<?mail-(\d+)\.`)

// received counts the messages the server took, by outbox id.
func (e *outboxEnv) received(t *testing.T) map[int64]int {
	t.Helper()
	out := map[int64]int{}
	for _, m := range e.smtp.Messages() {
		sub := mailIDRe.FindStringSubmatch(m.Header.Get("Message-Id"))
		require.NotNil(t, sub, "message id %q", m.Header.Get("Message-Id"))
		id, _ := strconv.ParseInt(sub[1], 10, 64)
		out[id]++
	}
	return out
}

// Three workers share a burst to a slow server: each mail reaches the
// server exactly once and is recorded sent. A worker that claimed a mail
// another one is sending, or waited for another's claim, fails it.
func TestMailThreeWorkersEachMailOnce(t *testing.T) {
	t.Parallel()
	e := newOutboxEnv(t, 45, mailtest.Slow(30*time.Millisecond))
	for range 3 {
		run(t, e.worker(t, nil))
	}
	e.waitState(t, "sent", len(e.ids))
	got := e.received(t)
	for _, id := range e.ids {
		require.Equal(t, 1, got[id], "mail %d reached the server %d times", id, got[id])
	}
	require.Len(t, got, len(e.ids))
	require.Equal(t, map[string]int{"sent": len(e.ids)}, e.states(t))
}

// A mail is recorded sent as soon as the server accepts it, not after the
// burst: while a slow server takes the mails one by one, at most the one
// just accepted is not yet recorded.
func TestMailRecordedAsSoonAsAccepted(t *testing.T) {
	t.Parallel()
	e := newOutboxEnv(t, 12, mailtest.Slow(100*time.Millisecond))
	run(t, e.worker(t, nil))
	for k := 2; k <= 8; k += 3 {
		e.smtp.Wait(t, "", k, time.Minute)
		// Read after the server's count: more may be recorded by now, not fewer.
		require.GreaterOrEqual(t, e.states(t)["sent"], k-1, "after %d accepted", k)
	}
	e.waitState(t, "sent", len(e.ids))
}

// A worker claiming skips a mail that another worker is claiming (its row
// locked) instead of waiting for it: here the test holds the lock, and the
// other mails go meanwhile.
func TestMailWorkerSkipsMailsOthersClaim(t *testing.T) {
	t.Parallel()
	e := newOutboxEnv(t, 6)
	ctx := context.Background()
	tx, err := e.raw.Begin(ctx)
	require.NoError(t, err)
	defer tx.Rollback(ctx) //nolint:errcheck // rolled back below; this is for a failure
	_, err = tx.Exec(ctx, `select id from mail_outbox where id = $1 for update`, e.ids[0])
	require.NoError(t, err)
	run(t, e.worker(t, nil))
	e.waitState(t, "sent", len(e.ids)-1)
	require.Zero(t, e.received(t)[e.ids[0]])
	require.NoError(t, tx.Rollback(ctx))
	e.waitState(t, "sent", len(e.ids))
	require.Equal(t, 1, e.received(t)[e.ids[0]])
}

// A worker dies between the server's acceptance and its record (here its
// database is taken away when the server takes the third mail). The one in
// flight stays 'sending', the others wait; once no live worker can hold
// it, another worker marks it unknown, never sends it again, and sends the
// rest; the clerks see it in Needs attention with what to do.
func TestMailCrashMidSendAndRecovery(t *testing.T) {
	t.Parallel()
	var pool *pgtest.Raw
	var once sync.Once
	crashed := make(chan struct{})
	e := newOutboxEnv(t, 8, mailtest.OnMessage(func(n int) {
		if n == 3 {
			// Its next step, recording the third mail, cannot happen.
			once.Do(func() { pool.Close(); close(crashed) })
		}
	}))
	pool = pgtest.OpenAt(t, e.url)
	stop := run(t, e.worker(t, pool))
	<-crashed
	stop()
	st := e.states(t)
	require.Equal(t, 1, st["sending"], "%v", st)
	require.Equal(t, 2, st["sent"], "%v", st)
	require.Equal(t, len(e.ids)-3, st["pending"], "%v", st)
	var inFlight int64
	require.NoError(t, e.raw.QueryRow(context.Background(), `select id from mail_outbox where state = 'sending'`).Scan(&inFlight))
	require.Equal(t, 1, e.received(t)[inFlight], "the server has the mail in flight")

	// A new worker before the in-flight one can be given up: it sends the
	// rest and leaves that one alone.
	next := e.worker(t, nil)
	stop = run(t, next)
	e.waitState(t, "sent", len(e.ids)-1)
	require.Equal(t, 1, e.states(t)["sending"])
	stop()
	// Past the send timeout and a minute: no live worker holds it.
	e.clk.Add(next.SendTimeout + time.Minute + time.Second)
	run(t, e.worker(t, nil))
	e.waitState(t, "unknown", 1)
	require.Equal(t, map[string]int{"sent": len(e.ids) - 1, "unknown": 1}, e.states(t))
	for _, id := range e.ids {
		require.Equal(t, 1, e.received(t)[id], "mail %d", id)
	}
	as, err := postgres.New(e.raw, nil).MailsNeedingAttention(context.Background())
	require.NoError(t, err)
	require.Len(t, as, 1)
	require.Equal(t, inFlight, as[0].Mail)
	require.Equal(t, "unknown", as[0].State)
	require.Equal(t, resources.MailActionCheckArrived, as[0].Action)
}

// A failed send names the server's answer but no address, in the log and
// in last_error; the mail is failed and listed for the clerks. The name
// given in EHLO is the configured one.
func TestMailFailureNamesNoAddress(t *testing.T) {
	t.Parallel()
	// An address the server refuses for good, quoting it back.
	e := newOutboxEnv(t, 1, mailtest.Refuse("refuse-me@example.org"))
	ctx := context.Background()
	_, err := e.raw.Exec(ctx, `update mail_outbox set email = 'refuse-me@example.org' where id = $1`, e.ids[0])
	require.NoError(t, err)
	m := e.worker(t, nil, mail.WithLocalName("interviews.example"))
	obs := metrics.New()
	m.Observer = obs
	n, err := m.Pass(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	db := postgres.New(e.raw, nil)
	ms, err := db.Mails(ctx, 0)
	require.NoError(t, err)
	require.Equal(t, "failed", ms[0].State)
	require.Contains(t, ms[0].LastError, "550")
	as, err := db.MailsNeedingAttention(ctx)
	require.NoError(t, err)
	require.Len(t, as, 1)
	require.Equal(t, resources.MailActionCheckAddress, as[0].Action)
	for what, text := range map[string]string{"log": e.logs.String(), "last_error": ms[0].LastError, "attention": as[0].LastError} {
		require.NotContains(t, text, "refuse-me", what)
		require.NotContains(t, text, "@example.org", what)
	}
	require.Contains(t, e.logs.String(), "550")
	require.Equal(t, map[string]float64{"sent": 0, "retry": 0, "failed": 1, "unknown": 0}, mailOutcomes(t, obs))

	// Sent again on a clerk's word, with the address mended.
	_, err = e.raw.Exec(ctx, `update mail_outbox set email = 'mended@example.org' where id = $1`, e.ids[0])
	require.NoError(t, err)
	ok, err := db.RetryMail(ctx, e.ids[0], e.clk.Now())
	require.NoError(t, err)
	require.True(t, ok)
	n, err = m.Pass(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	got := e.smtp.To("mended@example.org")
	require.Len(t, got, 1)
	require.Equal(t, "interviews.example", got[0].Helo)
	require.Equal(t, map[string]float64{"sent": 1, "retry": 0, "failed": 1, "unknown": 0}, mailOutcomes(t, obs))
	ok, err = db.RetryMail(ctx, e.ids[0], e.clk.Now())
	require.NoError(t, err)
	require.False(t, ok, "a sent mail is not sent again")
}

// mailOutcomes reads interviewd_mails_total by outcome from the registry.
func mailOutcomes(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	fams, err := m.Registry.Gather()
	require.NoError(t, err)
	out := map[string]float64{}
	for _, f := range fams {
		if f.GetName() == "interviewd_mails_total" {
			for _, s := range f.Metric {
				out[s.Label[0].GetValue()] = s.Counter.GetValue()
			}
		}
	}
	return out
}
