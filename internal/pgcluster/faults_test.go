package pgcluster_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/pgcluster"
)

// newCluster starts a fast throwaway cluster that the test stops.
func newCluster(t *testing.T) *pgcluster.Cluster {
	t.Helper()
	root, err := os.MkdirTemp("", "pgc")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(root) })
	c, err := pgcluster.New(filepath.Join(root, "data"), pgcluster.Options{Fast: true})
	require.NoError(t, err)
	require.False(t, c.Exists())
	require.NoError(t, c.Start(context.Background()))
	require.True(t, c.Exists())
	t.Cleanup(func() { c.Thaw(); c.Stop(context.Background()) })
	return c
}

func TestAdoptedClusterIsStoppedByItsOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newCluster(t)
	// A server that finds the cluster running (its predecessor was killed)
	// adopts it: without Own, Stop leaves it running; with Own it stops it.
	adopter, err := pgcluster.New(c.Dir, pgcluster.Options{})
	require.NoError(t, err)
	require.NoError(t, adopter.Start(ctx))
	require.NoError(t, adopter.Stop(ctx))
	require.True(t, c.Running(ctx), "a process that did not start or own it leaves it running")
	require.NoError(t, adopter.Start(ctx))
	adopter.Own()
	require.NoError(t, adopter.Stop(ctx))
	require.False(t, c.Running(ctx), "the owner stops it")
}

func TestStalePIDFileIsHandled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newCluster(t)
	require.NoError(t, c.Stop(ctx))
	// A crash leaves postmaster.pid behind, and its PID now belongs to
	// another program (here: this test process).
	pidFile := filepath.Join(c.Dir, "postmaster.pid")
	require.NoError(t, os.WriteFile(pidFile, []byte(fmt.Sprintf("%d\n%s\n", os.Getpid(), c.Dir)), 0o600))
	require.NoError(t, c.Start(ctx))
	require.True(t, c.Running(ctx))
}

func TestFreezeAndThaw(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newCluster(t)
	url, err := c.EnsureDatabase(ctx, "app")
	require.NoError(t, err)
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)

	require.NoError(t, c.Freeze())
	qctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	var one int
	err = conn.QueryRow(qctx, "select 1").Scan(&one)
	cancel()
	require.Error(t, err, "a frozen server answers nothing")
	require.NoError(t, c.Thaw())

	conn2, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn2.Close(ctx)
	require.NoError(t, conn2.QueryRow(ctx, "select 1").Scan(&one))
	require.Equal(t, 1, one)
}

func TestDumpAndRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := newCluster(t)
	from, err := src.EnsureDatabase(ctx, "app")
	require.NoError(t, err)
	conn, err := pgx.Connect(ctx, from)
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `create table notes (id bigint generated always as identity primary key, body text not null);
		insert into notes (body) values ('one'), ('two')`)
	require.NoError(t, err)
	conn.Close(ctx)

	var backup bytes.Buffer
	require.NoError(t, pgcluster.Dump(ctx, from, &backup))
	require.Greater(t, backup.Len(), 100)

	dst := newCluster(t)
	to, err := dst.EnsureDatabase(ctx, "app")
	require.NoError(t, err)
	require.NoError(t, pgcluster.Restore(ctx, to, bytes.NewReader(backup.Bytes())))
	conn, err = pgx.Connect(ctx, to)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var bodies []string
	rows, err := conn.Query(ctx, `select body from notes order by id`)
	require.NoError(t, err)
	bodies, err = pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	require.Equal(t, []string{"one", "two"}, bodies)
	// The identity continues after the restored rows.
	var id int64
	require.NoError(t, conn.QueryRow(ctx, `insert into notes (body) values ('three') returning id`).Scan(&id))
	require.EqualValues(t, 3, id)

	// Into a database that holds data: refused, nothing changed.
	err = pgcluster.Restore(ctx, to, bytes.NewReader(backup.Bytes()))
	require.ErrorContains(t, err, "fresh database")
	// A broken file: an error, not half a restore.
	fresh, err := dst.EnsureDatabase(ctx, "other")
	require.NoError(t, err)
	err = pgcluster.Restore(ctx, fresh, bytes.NewReader(backup.Bytes()[:backup.Len()/2]))
	require.Error(t, err)
}
