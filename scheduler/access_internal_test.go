package scheduler

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
)

// countAccess is how many reads the access log holds.
func countAccess(t *testing.T, db *postgres.DB) int {
	t.Helper()
	n, cursor := 0, ""
	for {
		p, err := db.AccessLog(context.Background(), resources.AccessQuery{Cursor: cursor, Limit: resources.MaxLimit})
		require.NoError(t, err)
		n += len(p.Items)
		if p.NextCursor == "" {
			return n
		}
		cursor = p.NextCursor
	}
}

// The writer appends a full batch without waiting for its ticker, and
// writes what is left when it stops: no read is lost at shutdown.
func TestAccessLogWritesFullBatchesAndFlushesOnStop(t *testing.T) {
	t.Parallel()
	db := postgres.New(pgtest.Open(t), nil)
	a := NewAccessLog(db, nil, nil)
	a.every = time.Hour // only a full batch or the stop writes
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.Run(ctx) }()
	who := Reader{Kind: "token", ID: "7", Role: resources.RoleClerk}
	for i := range AccessFlushRows {
		a.Record(ctx, who, resources.AccessInterview, "I-"+strconv.Itoa(i), "GET /v1/interviews/{id}")
	}
	// The full batch is written by the writer alone; wait for it (a
	// generous guard against a hang, no fixed sleep).
	deadline := time.Now().Add(30 * time.Second)
	for countAccess(t, db) < AccessFlushRows && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	require.Equal(t, AccessFlushRows, countAccess(t, db))
	for i := range 3 {
		a.Record(ctx, who, resources.AccessBooking, strconv.Itoa(i), "GET /v1/bookings/{id}")
	}
	cancel()
	<-done
	require.Equal(t, AccessFlushRows+3, countAccess(t, db), "the stop writes what was left")
	p, err := db.AccessLog(context.Background(), resources.AccessQuery{SubjectKind: resources.AccessBooking, SubjectID: "2"})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	require.Equal(t, "7", p.Items[0].Actor)
}

// A read without an actor is not recorded (nothing to hold anyone to);
// Record on a nil log does nothing.
func TestAccessLogNeedsAnActor(t *testing.T) {
	t.Parallel()
	var none *AccessLog
	none.Record(context.Background(), Reader{Kind: "token", ID: "1"}, "interview", "I-1", "GET /x")
	db := postgres.New(pgtest.Open(t), nil)
	a := NewAccessLog(db, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.Run(ctx) }()
	a.Record(ctx, Reader{Kind: "token"}, resources.AccessInterview, "I-1", "GET /v1/interviews/{id}")
	a.Record(ctx, Reader{Kind: "token", ID: "3", Role: resources.RoleManager}, resources.AccessInterview, "I-2", "GET /v1/interviews/{id}")
	require.NoError(t, a.Flush(ctx))
	require.Equal(t, 1, countAccess(t, db))
	cancel()
	<-done
}

// BenchmarkAccessRecord: what a read costs the request — Record's hand-off
// to the writer, which appends the batches to PostgreSQL meanwhile. Up to
// the buffer's size (-benchtime 5000x) it measures the hand-off alone;
// past it (-benchtime 50000x) the writer's sustained rate.
func BenchmarkAccessRecord(b *testing.B) {
	db := postgres.New(pgtest.Open(b), nil)
	a := NewAccessLog(db, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.Run(ctx) }()
	who := Reader{Kind: "token", ID: "7", Role: resources.RoleClerk}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a.Record(ctx, who, resources.AccessInterview, "I-1", "GET /v1/interviews/{id}")
	}
	b.StopTimer()
	require.NoError(b, a.Flush(context.Background()))
	cancel()
	<-done
}
