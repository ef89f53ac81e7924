package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestEachTestHasItsOwnMigratedDatabase(t *testing.T) {
	ctx := context.Background()
	var names []string
	for i := 0; i < 2; i++ {
		t.Run("db", func(t *testing.T) {
			pool := pgtest.Open(t)
			var name string
			require.NoError(t, pool.QueryRow(ctx, `select current_database()`).Scan(&name))
			names = append(names, name)
			v, err := migrations.Current(ctx, pool)
			require.NoError(t, err)
			latest, err := migrations.Latest()
			require.NoError(t, err)
			require.Equal(t, latest, v, "migrated")
			var n int
			require.NoError(t, pool.QueryRow(ctx, `select count(*) from locations`).Scan(&n))
			require.Zero(t, n, "empty")
			_, err = pool.Exec(ctx, `insert into locations (id, name) values ('X', 'x')`)
			require.NoError(t, err)
		})
	}
	require.Len(t, names, 2)
	require.NotEqual(t, names[0], names[1])

	// Both were dropped when their tests ended.
	conn, err := pgx.Connect(ctx, pgtest.EmptyURL(t))
	require.NoError(t, err)
	defer conn.Close(ctx)
	var left int
	require.NoError(t, conn.QueryRow(ctx, `select count(*) from pg_database where datname = any($1)`, names).Scan(&left))
	require.Zero(t, left)
}
