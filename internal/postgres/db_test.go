package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/errs"
	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/migrations"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestMigrationsApplyTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.EmptyURL(t)
	for i := 0; i < 2; i++ {
		conn, err := pgx.Connect(ctx, url)
		require.NoError(t, err)
		require.NoError(t, migrations.Migrate(ctx, conn), "run %d", i+1)
		v, err := migrations.Current(ctx, conn)
		require.NoError(t, err)
		latest, err := migrations.Latest()
		require.NoError(t, err)
		require.Equal(t, latest, v)
		require.NoError(t, conn.Close(ctx))
	}
	pool, err := pgxpool.New(ctx, url)
	require.NoError(t, err)
	defer pool.Close()
	require.NoError(t, postgres.New(pool, nil).Ready(ctx))
}

func TestMigrationsConcurrent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.EmptyURL(t)
	errc := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() {
			conn, err := pgx.Connect(ctx, url)
			if err != nil {
				errc <- err
				return
			}
			defer conn.Close(ctx)
			errc <- migrations.Migrate(ctx, conn)
		}()
	}
	for i := 0; i < 4; i++ {
		require.NoError(t, <-errc)
	}
}

func TestReadyFailsOnUnmigrated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, pgtest.EmptyURL(t))
	require.NoError(t, err)
	defer pool.Close()
	require.Error(t, postgres.New(pool, nil).Ready(ctx))
}

func TestExclusionConstraintRefusesOverlap(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Open(t)
	var rid int64
	require.NoError(t, pool.QueryRow(ctx, `insert into resource (kind) values ('room') returning id`).Scan(&rid))
	_, err := pool.Exec(ctx, `insert into occupancy (resource_id, during) values ($1, '[2026-12-07 08:00+02, 2026-12-07 10:00+02)')`, rid)
	require.NoError(t, err)
	// Touching intervals are fine: half-open.
	_, err = pool.Exec(ctx, `insert into occupancy (resource_id, during) values ($1, '[2026-12-07 10:00+02, 2026-12-07 11:00+02)')`, rid)
	require.NoError(t, err)
	// An inactive row does not block.
	_, err = pool.Exec(ctx, `insert into occupancy (resource_id, during, active) values ($1, '[2026-12-07 09:00+02, 2026-12-07 09:30+02)', false)`, rid)
	require.NoError(t, err)

	err = postgres.WithTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `insert into occupancy (resource_id, during) values ($1, '[2026-12-07 09:45+02, 2026-12-07 10:15+02)')`, rid)
		return err
	})
	require.Error(t, err)
	require.Equal(t, errs.Conflict, errs.CodeOf(err), "%v", err)
	require.Equal(t, 409, errs.Status(errs.CodeOf(err)))

	var n int
	require.NoError(t, pool.QueryRow(ctx, `select count(*) from occupancy where resource_id = $1 and active`, rid).Scan(&n))
	require.Equal(t, 2, n)
}

func TestTranslate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.Open(t)
	_, err := pool.Exec(ctx, `insert into locations (id, name) values ('HEL', 'Helsinki')`)
	require.NoError(t, err)

	_, err = pool.Exec(ctx, `insert into locations (id, name) values ('HEL', 'again')`)
	require.Equal(t, errs.Conflict, errs.CodeOf(postgres.Translate(err)))

	var id string
	err = pool.QueryRow(ctx, `select id from locations where id = 'nope'`).Scan(&id)
	require.Equal(t, errs.NotFound, errs.CodeOf(postgres.Translate(err)))

	var rid int64
	require.NoError(t, pool.QueryRow(ctx, `insert into resource (kind) values ('room') returning id`).Scan(&rid))
	_, err = pool.Exec(ctx, `insert into rooms (id, resource_id, location_id) values ('R1', $1, 'TKU')`, rid)
	terr := postgres.Translate(err)
	require.Equal(t, errs.Invalid, errs.CodeOf(terr))
	require.Equal(t, []errs.FieldError{{Path: "location", Message: `unknown location "TKU"`}}, errs.FieldsOf(terr))

	_, err = pool.Exec(ctx, `insert into rooms (id, resource_id, location_id) values ('R1', $1, 'HEL')`, rid)
	require.NoError(t, err)
	_, err = pool.Exec(ctx, `delete from locations where id = 'HEL'`)
	require.Equal(t, errs.Conflict, errs.CodeOf(postgres.Translate(err)), "%v", err)
}
