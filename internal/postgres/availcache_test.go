package postgres_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/generator"
	"github.com/asylum-scheduling/interviews/internal/postgres"
	"github.com/asylum-scheduling/interviews/resources"
)

// TestListedAvailabilityFollowsEveryChange: list pages keep formatted
// availability lists by version (migration 007); whatever changes them, in
// SQL as much as through the store, the next page shows the change, exactly
// as a store without a cache reads it.
func TestListedAvailabilityFollowsEveryChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, raw := newDBRaw(t)
	in, err := generator.Generate("S", 3)
	require.NoError(t, err)
	_, err = db.Import(ctx, in)
	require.NoError(t, err)

	list := func(db *postgres.DB) []resources.Interpreter {
		t.Helper()
		p, err := db.Interpreters(ctx, resources.ListParams{Limit: 1000})
		require.NoError(t, err)
		require.NotEmpty(t, p.Items)
		return p.Items
	}
	// check compares the page of db (cache warm from earlier pages) with
	// the page of a store with an empty cache, and returns it.
	check := func(step string) []resources.Interpreter {
		t.Helper()
		got := list(db)
		require.Equal(t, list(postgres.New(raw, nil)), got, step)
		return got
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		_, err := raw.Exec(ctx, sql, args...)
		require.NoError(t, err)
	}
	rid := func(id string) int64 {
		t.Helper()
		var r int64
		require.NoError(t, raw.QueryRow(ctx, `select resource_id from interpreters where id = $1`, id).Scan(&r))
		return r
	}

	before := check("initial")
	var first, second string
	for _, x := range before {
		if len(x.Availability) > 0 {
			if first == "" {
				first = x.ID
			} else if second == "" {
				second = x.ID
			}
		}
	}
	require.NotEmpty(t, second, "the generated instance has interpreters with hours")
	check("warm") // served from the cache

	exec(`update availability set during = tstzrange(lower(during) + interval '1 hour', upper(during)) where resource_id = $1`, rid(first))
	after := check("shifted in SQL")
	require.NotEqual(t, before, after)

	exec(`delete from availability where resource_id = $1`, rid(second))
	after = check("deleted in SQL")
	for _, x := range after {
		if x.ID == second {
			require.Empty(t, x.Availability)
		}
	}

	tx, err := raw.Begin(ctx)
	require.NoError(t, err)
	_, err = tx.Exec(ctx, `update availability set during = tstzrange(lower(during) - interval '2 hours', upper(during)) where resource_id = $1`, rid(first))
	require.NoError(t, err)
	require.NoError(t, tx.Rollback(ctx))
	require.Equal(t, after, check("rolled back"))

	exec(`insert into availability (resource_id, ord, during) values ($1, 0, tstzrange('2026-12-01 08:00+00', '2026-12-01 09:00+00'))`, rid(second))
	after = check("inserted in SQL")
	for _, x := range after {
		if x.ID == second {
			require.Len(t, x.Availability, 1)
		}
	}

	s, err := db.Settings(ctx)
	require.NoError(t, err)
	s.Timezone = "America/New_York"
	_, err = db.PutSettings(ctx, s, &s.Version)
	require.NoError(t, err)
	zoned := check("time zone changed")
	require.NotEqual(t, after, zoned)

	// Deleting a resource deletes its availability (and version) with it.
	require.NoError(t, db.DeleteInterpreter(ctx, first, nil))
	for _, x := range check("interpreter deleted") {
		require.NotEqual(t, first, x.ID)
	}

	exec(`truncate availability`)
	for _, x := range check("truncated") {
		require.Empty(t, x.Availability, x.ID)
	}
}
