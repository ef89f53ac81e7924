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

// FindText finds a needle in a text, a jsonb and a text[] column, whatever
// its case, names table and column, and finds nothing once it is gone.
func TestFindTextSearchesEveryTextColumn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Open(t)
	cols := pgtest.TextColumns(t, pool)
	require.Contains(t, cols, [3]string{"audit_log", "after", "jsonb"})
	require.Contains(t, cols, [3]string{"interviewers", "skills", "ARRAY"})
	require.Contains(t, cols, [3]string{"interpreters", "name", "text"})

	require.Empty(t, pgtest.FindText(t, pool, "Quixfeather"))
	_, err := pool.Exec(ctx, `insert into locations (id, name) values ('L', 'Office of Ada QUIXFEATHER')`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `insert into audit_log (actor, action, after) values ('x', 'y', '{"who": "ada quixfeather"}')`)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `insert into resource (id, kind) values (900, 'interviewer');
		insert into interviewers (id, resource_id, location_id, skills) values ('e', 900, 'L', '{a,quixfeather-skill}')`)
	require.NoError(t, err)
	var got []string
	for _, h := range pgtest.FindText(t, pool, "Quixfeather", "nowhere-at-all") {
		got = append(got, h.String())
	}
	require.Equal(t, []string{
		`audit_log.after holds "Quixfeather" in 1 rows`,
		`interviewers.skills holds "Quixfeather" in 1 rows`,
		`locations.name holds "Quixfeather" in 1 rows`,
	}, got)
}
