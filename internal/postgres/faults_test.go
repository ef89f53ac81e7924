package postgres_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/pgcluster"
	"github.com/asylum-scheduling/interviews/internal/postgres"
)

// A database that cannot be reached is "unavailable" (503, try again), never
// "internal" (500): refused connections, and a server that accepts the
// socket but never answers (frozen), which the connect timeout bounds.
func TestUnreachableDatabaseIsUnavailable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, err := pgx.Connect(ctx, "host="+t.TempDir()+" port=5432 user=x dbname=x sslmode=disable")
	require.Error(t, err)
	require.Equal(t, errs.Unavailable, errs.CodeOf(postgres.Translate(err)), "%v", err)

	root, err := os.MkdirTemp("", "pgf")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(root) })
	c, err := pgcluster.New(filepath.Join(root, "d"), pgcluster.Options{Fast: true})
	require.NoError(t, err)
	require.NoError(t, c.Start(ctx))
	t.Cleanup(func() { c.Thaw(); c.Stop(context.Background()) })
	url, err := c.EnsureDatabase(ctx, "app")
	require.NoError(t, err)
	db, err := postgres.Open(ctx, url, nil)
	require.NoError(t, err)
	t.Cleanup(db.Close)
	require.NoError(t, db.Ready(ctx))

	// Frozen: a new connection times out after the connect timeout, and a
	// query in flight ends with its context; both are unavailable.
	require.NoError(t, c.Freeze())
	t0 := time.Now()
	_, err = postgres.Open(ctx, url, nil)
	require.Error(t, err)
	require.Less(t, time.Since(t0), postgres.ConnectTimeout+5*time.Second)
	require.Equal(t, errs.Unavailable, errs.CodeOf(postgres.Translate(err)), "%v", err)
	qctx, cancel := context.WithTimeout(ctx, time.Second)
	_, err = db.Empty(qctx)
	cancel()
	require.Error(t, err)
	require.Equal(t, errs.Unavailable, errs.CodeOf(postgres.Translate(err)), "%v", err)
	require.NoError(t, c.Thaw())
	require.NoError(t, db.Ready(ctx), "the pool recovers")

	// Stopped: refused, unavailable; started again: served.
	c.Own()
	require.NoError(t, c.Stop(ctx))
	_, err = db.Empty(ctx)
	require.Equal(t, errs.Unavailable, errs.CodeOf(postgres.Translate(err)), "%v", err)
	require.NoError(t, c.Start(ctx))
	// Connections the stop broke fail once each (unavailable); then served.
	for i := 0; i < 20; i++ {
		if _, err = db.Empty(ctx); err == nil {
			break
		}
		require.Equal(t, errs.Unavailable, errs.CodeOf(postgres.Translate(err)), "%v", err)
		time.Sleep(100 * time.Millisecond)
	}
	require.NoError(t, err, "the pool recovers")
}
