package api_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// Unknown or malformed filters and query parameters are a 400 everywhere,
// naming the parameter; a malformed path id is a 400 too.
func TestUnknownOrMalformedParametersAre400(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	for _, c := range []struct {
		role  resources.Role
		path  string
		field string
	}{
		{resources.RoleClerk, "/v1/instance?zzz=1", "zzz"},
		{resources.RoleClerk, "/v1/bookings?status=anything", "status"},
		{resources.RoleClerk, "/v1/interviews?status=anything", "status"},
		{resources.RoleClerk, "/v1/interviews?colour=red", "colour"},
		{resources.RoleClerk, "/v1/rooms/HEL-R1?x=1", "x"},
		{resources.RoleClerk, "/v1/settings?x=1", "x"},
		{resources.RoleClerk, "/v1/travel-times?x=1", "x"},
		{resources.RoleManager, "/v1/feeds?owner=t1", "owner"},
		{resources.RoleManager, "/v1/plans/1?verbose=1", "verbose"},
		{resources.RoleClerk, "/v1/bookings/abc", "id"},
		{resources.RoleAdmin, "/v1/tokens?all=1", "all"},
	} {
		r := e.do(c.role, "GET", c.path, nil)
		require.Equal(t, 400, r.Status, "%s: %s", c.path, r.Body)
		p := r.problem(t)
		require.Equal(t, "invalid", string(p.Code), c.path)
		var named bool
		for _, f := range p.Errors {
			named = named || f.Path == c.field
		}
		require.True(t, named, "%s: the problem names %q: %+v", c.path, c.field, p.Errors)
	}
	// The documented ones still work.
	require.Equal(t, 200, e.do(resources.RoleClerk, "GET", "/v1/bookings?status=active", nil).Status)
	require.Equal(t, 200, e.do(resources.RoleClerk, "GET", "/v1/instance?from=2026-12-07&to=2026-12-08", nil).Status)
}
