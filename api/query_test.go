package api_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/resources"
)

// A query parameter given twice (the second value would be ignored) or
// longer than api.MaxText is a 400 naming it, on lists and on endpoints
// with their own few parameters alike; a string too long in a body names
// its field in the detail too.
func TestQueryParametersOnceAndBounded(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	c := resources.RoleClerk
	long := strings.Repeat("x", 4097)
	for _, q := range []struct{ path, field string }{
		{"/v1/bookings?status=active&status=cancelled", "status"},
		{"/v1/interviews?limit=1&limit=2", "limit"},
		{"/v1/instance?from=2026-12-07&from=2026-12-08", "from"},
		{"/v1/interviews?case=" + long, "case"},
		{"/v1/interviews?cursor=" + long, "cursor"},
		{"/v1/instance?to=" + long, "to"},
	} {
		r := e.do(c, "GET", q.path, nil)
		require.Equal(t, 400, r.Status, "%.80s: %.300s", q.path, r.Body)
		p := r.problem(t)
		require.Len(t, p.Errors, 1, "%.80s: %.300s", q.path, r.Body)
		require.Equal(t, q.field, p.Errors[0].Path)
		require.Contains(t, p.Detail, q.field)
	}
	require.Equal(t, 200, e.do(c, "GET", "/v1/interviews?case="+strings.Repeat("x", 4096), nil).Status)

	r := e.do(resources.RoleManager, "POST", "/v1/locations", map[string]any{"id": "LONG", "name": strings.Repeat("n", 4097)})
	require.Equal(t, 400, r.Status, "%.300s", r.Body)
	require.Equal(t, "name is 4097 characters long; at most 4096 are allowed", r.problem(t).Detail)
}

// A problem quotes what the client sent only up to api.MaxEcho bytes: an id
// of any length in a path, an unknown parameter's name.
func TestProblemsQuoteBoundedText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	huge := strings.Repeat("x", 100_000)
	r := e.do(resources.RoleClerk, "GET", "/v1/locations/"+huge, nil)
	require.Equal(t, 404, r.Status)
	require.Contains(t, r.problem(t).Detail, "xxx")
	require.LessOrEqual(t, len(r.problem(t).Detail), api.MaxEcho+len("…"))
	r = e.do(resources.RoleClerk, "GET", "/v1/locations?"+huge+"=1", nil)
	require.Equal(t, 400, r.Status)
	require.Len(t, r.problem(t).Errors, 1)
	require.LessOrEqual(t, len(r.problem(t).Errors[0].Path), api.MaxEcho+len("…"))
	require.Less(t, len(r.Body), 4*api.MaxEcho)
}
