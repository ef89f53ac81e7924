package pgcluster_test

import (
	"context"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/pgcluster"
)

func TestClusterLifecycle(t *testing.T) {
	ctx := context.Background()
	root, err := os.MkdirTemp("", "pgc")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(root) })
	dir := filepath.Join(root, "data")

	c, err := pgcluster.New(dir, pgcluster.Options{Fast: true})
	require.NoError(t, err)
	require.NoError(t, c.Start(ctx))
	t.Cleanup(func() { c.Stop(context.Background()) })
	require.True(t, c.Running(ctx))
	_, err = os.Stat(filepath.Join(dir, ".s.PGSQL.5432"))
	require.NoError(t, err, "socket inside the data folder")
	if os.Geteuid() == 0 {
		fi, err := os.Stat(dir)
		require.NoError(t, err)
		u, err := user.Lookup("postgres")
		require.NoError(t, err)
		require.Equal(t, u.Uid, strconv.Itoa(int(fi.Sys().(*syscall.Stat_t).Uid)), "run as postgres, not root")
	}

	url, err := c.EnsureDatabase(ctx, "app")
	require.NoError(t, err)
	_, err = c.EnsureDatabase(ctx, "app") // twice is fine
	require.NoError(t, err)
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	var listen string
	require.NoError(t, conn.QueryRow(ctx, "show listen_addresses").Scan(&listen))
	require.Equal(t, "", listen, "no TCP")
	var db string
	require.NoError(t, conn.QueryRow(ctx, "select current_database()").Scan(&db))
	require.Equal(t, "app", db)
	conn.Close(ctx)

	// Another process (here: another value) finds it running, and leaves it running.
	other, err := pgcluster.New(dir, pgcluster.Options{})
	require.NoError(t, err)
	require.NoError(t, other.Start(ctx))
	require.NoError(t, other.Stop(ctx))
	require.True(t, c.Running(ctx))

	require.NoError(t, c.Stop(ctx))
	require.False(t, c.Running(ctx))

	// Restart on the existing data.
	require.NoError(t, c.Start(ctx))
	conn, err = pgx.Connect(ctx, url)
	require.NoError(t, err)
	conn.Close(ctx)
	require.NoError(t, c.Stop(ctx))
}

func TestRefusesBadFolders(t *testing.T) {
	_, err := pgcluster.New("/tmp/"+strings.Repeat("x", 120), pgcluster.Options{})
	require.ErrorContains(t, err, "too long")

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644))
	c, err := pgcluster.New(dir, pgcluster.Options{})
	require.NoError(t, err)
	err = c.Start(context.Background())
	require.ErrorContains(t, err, "not empty")
	b, err := os.ReadFile(filepath.Join(dir, "notes.txt"))
	require.NoError(t, err)
	require.Equal(t, "mine", string(b), "nothing lost")
}

func TestNoBinariesMessage(t *testing.T) {
	msg := pgcluster.ErrNoBinaries.Error()
	require.Contains(t, msg, "apt-get install postgresql")
	require.Contains(t, msg, "DATABASE_URL")
}
