package scheduler_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/testclock"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// receiver is a webhook on loopback that answers with the statuses given,
// in turn (then 204), and keeps what it got.
type receiver struct {
	mu       sync.Mutex
	statuses []int
	got      []delivery
	srv      *httptest.Server
}

type delivery struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	rc := &receiver{statuses: statuses}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, delivery{r.Header.Clone(), body})
		status := http.StatusNoContent
		if len(rc.statuses) > 0 {
			status, rc.statuses = rc.statuses[0], rc.statuses[1:]
		}
		rc.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

func TestBackoffDoublesUpToTheCap(t *testing.T) {
	o := &scheduler.Outbox{BaseBackoff: 10 * time.Second, MaxBackoff: time.Hour}
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second}
	for i, w := range want {
		require.Equal(t, w, o.Backoff(i+1))
	}
	require.Equal(t, time.Hour, o.Backoff(10))
	require.Equal(t, time.Hour, o.Backoff(1000))
}

func TestSignature(t *testing.T) {
	body := []byte(`{"event":"booking.created"}`)
	sig := scheduler.Sign([]byte("s3cret"), body)
	require.True(t, strings.HasPrefix(sig, "sha256="))
	require.Len(t, sig, len("sha256=")+64)
	require.True(t, scheduler.Verify([]byte("s3cret"), body, sig))
	require.False(t, scheduler.Verify([]byte("other"), body, sig))
	require.False(t, scheduler.Verify([]byte("s3cret"), append(body, ' '), sig))
}

func TestOutboxDeliversSignedRetriesWithBackoff(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 0)
	ctx := context.Background()
	clk := testclock.New(time.Now().Add(time.Second))
	svc := scheduler.New(f.db, nil, nil, clk.Now)

	// A clerk books an interview: the booking writes a booking.created event.
	iv := f.in.Interviews[0]
	ans, err := svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 1, Actor: "clerk-1"})
	require.NoError(t, err)
	require.NotEmpty(t, ans.Suggestions)
	b, err := svc.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: ans.Suggestions[0].ID, Actor: "clerk-1"})
	require.NoError(t, err)

	rc := newReceiver(t, http.StatusInternalServerError, http.StatusBadGateway)
	secret := []byte("shared-secret")
	o := scheduler.NewOutbox(f.db, nil, clk.Now, rc.srv.URL+"/hook", secret)
	o.BaseBackoff, o.MaxBackoff = 10*time.Second, 15*time.Second

	state := func() (attempts int, next time.Time, delivered bool, lastErr string) {
		var d *time.Time
		var le *string
		require.NoError(t, f.raw.QueryRow(ctx, `select attempts, next_attempt_at, delivered_at, last_error from outbox where booking_id = $1`, b.ID).
			Scan(&attempts, &next, &d, &le))
		if le != nil {
			lastErr = *le
		}
		return attempts, next, d != nil, lastErr
	}

	// First attempt: the receiver answers 500; retried 10 s later.
	d, failed, err := o.DeliverDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 0, d)
	require.Equal(t, 1, failed)
	attempts, next, delivered, lastErr := state()
	require.Equal(t, 1, attempts)
	require.False(t, delivered)
	require.Contains(t, lastErr, "500")
	require.WithinDuration(t, clk.Now().Add(10*time.Second), next, time.Millisecond)

	// Not due before then.
	clk.Add(9 * time.Second)
	d, failed, err = o.DeliverDue(ctx)
	require.NoError(t, err)
	require.Zero(t, d+failed)

	// Second attempt: 502; the wait doubles, up to the 15 s cap.
	clk.Add(time.Second)
	_, failed, err = o.DeliverDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, failed)
	attempts, next, _, lastErr = state()
	require.Equal(t, 2, attempts)
	require.Contains(t, lastErr, "502")
	require.WithinDuration(t, clk.Now().Add(15*time.Second), next, time.Millisecond)

	// Third attempt: delivered.
	clk.Add(15 * time.Second)
	d, _, err = o.DeliverDue(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, d)
	attempts, _, delivered, _ = state()
	require.Equal(t, 3, attempts)
	require.True(t, delivered)

	// Delivered events are not sent again.
	clk.Add(time.Hour)
	d, failed, err = o.DeliverDue(ctx)
	require.NoError(t, err)
	require.Zero(t, d+failed)

	got := rc.deliveries()
	require.Len(t, got, 3)
	for _, g := range got {
		require.Equal(t, "booking.created", g.header.Get("X-Event"))
		require.True(t, scheduler.Verify(secret, g.body, g.header.Get("X-Signature")), "signature of %s", g.body)
		require.Equal(t, "application/json", g.header.Get("Content-Type"))
		require.NotEmpty(t, g.header.Get("X-Delivery"))
		require.Equal(t, string(got[0].body), string(g.body), "the same payload every attempt")
	}
	// The payload is JSON with opaque references only: no case number, no
	// names of interviewer or interpreter, no token.
	var payload map[string]any
	require.NoError(t, json.Unmarshal(got[0].body, &payload))
	body := string(got[0].body)
	require.NotContains(t, body, iv.Case)
	require.NotContains(t, body, "clerk-1")

	page, err := f.db.OutboxEvents(ctx, listWith("state", "delivered"))
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	require.Equal(t, b.ID, page.Items[0].Booking)
	require.Equal(t, 3, page.Items[0].Attempts)
	counts, err := f.db.OutboxCounts(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 1, counts["delivered"])
	require.Zero(t, counts["pending"]+counts["retrying"])
}

func TestOutboxWorkersNeverSendOneEventTwice(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "S", 0)
	ctx := context.Background()
	clk := testclock.New(time.Now().Add(time.Second))
	svc := scheduler.New(f.db, nil, nil, clk.Now)
	booked := 0
	for _, iv := range f.in.Interviews[:8] {
		ans, err := svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: iv.ID, K: 1, Actor: "clerk-1"})
		require.NoError(t, err)
		if len(ans.Suggestions) == 0 {
			continue
		}
		_, err = svc.Book(ctx, scheduler.BookRequest{InterviewID: iv.ID, SuggestionID: ans.Suggestions[0].ID, Actor: "clerk-1"})
		require.NoError(t, err)
		booked++
	}
	require.Greater(t, booked, 3)
	rc := newReceiver(t)
	// Three workers (as on three replicas) at once.
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := scheduler.NewOutbox(f.db, nil, clk.Now, rc.srv.URL, []byte("k"))
			_, _, errs[i] = o.DeliverDue(ctx)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	got := rc.deliveries()
	require.Len(t, got, booked)
	seen := map[string]bool{}
	for _, g := range got {
		id := g.header.Get("X-Delivery")
		require.False(t, seen[id], "event %s sent twice", id)
		seen[id] = true
	}
}
