package api_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// TestListCacheNeverServesStaleData: list pages are cached while the state
// counters stand; a change through the API, a change written directly in SQL
// (another replica, a migration, a job) and a booking-side change must all
// show at once.
func TestListCacheNeverServesStaleData(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m, c := resources.RoleManager, resources.RoleClerk
	ctx := context.Background()
	require.Equal(t, 201, e.do(m, "POST", "/v1/locations", map[string]any{"id": "HEL", "name": "Helsinki"}).Status)
	require.Equal(t, 201, e.do(m, "POST", "/v1/interpreters", map[string]any{"id": "t1", "languages": []string{"so"}, "skills": []string{},
		"modes": []string{"remote"}, "locations": []string{},
		"availability": []map[string]string{{"start": "2026-12-07T08:00:00+02:00", "end": "2026-12-07T16:00:00+02:00"}}}).Status)

	list := func() []map[string]any {
		var page struct{ Items []map[string]any }
		e.do(c, "GET", "/v1/interpreters?limit=50", nil).json(t, &page)
		return page.Items
	}
	first := list()
	require.Len(t, first, 1)
	require.Equal(t, first, list(), "the same state gives the same page")

	// through the API
	require.Equal(t, 201, e.do(m, "POST", "/v1/interpreters", map[string]any{"id": "t2", "languages": []string{"ti"}, "skills": []string{},
		"modes": []string{"remote"}, "locations": []string{}, "availability": []map[string]string{}}).Status)
	require.Len(t, list(), 2, "a created interpreter must show at once")

	// directly in SQL: a new availability interval of t1
	_, err := e.raw.Exec(ctx, `insert into availability (resource_id, ord, during)
		select resource_id, 1, tstzrange('2026-12-08 08:00+02', '2026-12-08 16:00+02', '[)') from interpreters where id = 't1'`)
	require.NoError(t, err)
	items := list()
	require.Len(t, items[0]["availability"], 2, "an interval written in SQL must show at once")

	// a change of the other counter (interview statuses, bookings) also drops the cache
	_, err = e.raw.Exec(ctx, `update interpreters set gender = 'f' where id = 't2'`)
	require.NoError(t, err)
	require.Equal(t, "f", list()[1]["gender"])
}
