package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/api"
	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/scheduler"
)

// withAccessLog rewires e's server with an access log whose writer runs
// until the test ends, and gives e an auditor's token.
func withAccessLog(t *testing.T, e *env) *scheduler.AccessLog {
	t.Helper()
	al := scheduler.NewAccessLog(e.db, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); al.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	e.rewire(func(d *api.Deps) { d.Access = al })
	tok, _, err := e.db.CreateToken(ctx, "test-auditor", resources.RoleAuditor)
	require.NoError(t, err)
	e.tokens[resources.RoleAuditor] = tok
	return al
}

func tokenID(t *testing.T, e *env, name string) string {
	t.Helper()
	ts, err := e.db.Tokens(context.Background())
	require.NoError(t, err)
	for _, x := range ts {
		if x.Name == name {
			return strconv.FormatInt(x.ID, 10)
		}
	}
	t.Fatalf("no token %q", name)
	return ""
}

func accessPage(t *testing.T, e *env, role resources.Role, query string) resources.Page[resources.Access] {
	t.Helper()
	r := e.do(role, "GET", "/v1/access-log"+query, nil)
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var p resources.Page[resources.Access]
	require.NoError(t, json.Unmarshal(r.Body, &p))
	return p
}

// A clerk's reads of a case, a booking's participants and the list of
// interviews show in the access log: who, what, when, which route. A read
// that failed and a read of no one's data (a room) do not.
func TestAClerksReadShowsInTheAccessLog(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	al := withAccessLog(t, e)
	clerk := tokenID(t, e, "test-clerk")

	require.Equal(t, 200, e.do(resources.RoleClerk, "GET", "/v1/interviews/I-3", nil).Status)
	require.Equal(t, 200, e.do(resources.RoleClerk, "GET", "/v1/interviews?limit=2", nil).Status)
	require.Equal(t, 200, e.do(resources.RoleClerk, "GET", "/v1/rooms/HEL-R1", nil).Status)
	require.Equal(t, 404, e.do(resources.RoleClerk, "GET", "/v1/interviews/I-404", nil).Status)
	require.Equal(t, 200, e.do(resources.RoleManager, "GET", "/v1/interpreters/t1", nil).Status)
	require.NoError(t, al.Flush(context.Background()))

	p := accessPage(t, e, resources.RoleAuditor, "?subject_kind=interview&subject_id=I-3")
	require.Len(t, p.Items, 1)
	a := p.Items[0]
	require.Equal(t, "token", a.ActorKind)
	require.Equal(t, clerk, a.Actor)
	require.Equal(t, resources.RoleClerk, a.Role)
	require.Equal(t, "GET /v1/interviews/{id}", a.Route)
	require.NotEmpty(t, a.At)

	all := accessPage(t, e, resources.RoleAdmin, "")
	var got []string
	for _, x := range all.Items {
		got = append(got, x.SubjectKind+"/"+x.SubjectID+"@"+x.Actor)
	}
	manager := tokenID(t, e, "test-manager")
	require.Equal(t, []string{"interpreter/t1@" + manager, "interview/@" + clerk, "interview/I-3@" + clerk}, got,
		"newest first; neither the room nor the failed read")

	byActor := accessPage(t, e, resources.RoleAuditor, "?actor="+clerk)
	require.Len(t, byActor.Items, 2)
	require.Empty(t, accessPage(t, e, resources.RoleAuditor, "?from=2000-01-01&to=2000-01-02").Items)
	require.Len(t, accessPage(t, e, resources.RoleAuditor, "?from=2000-01-01").Items, 3)

	first := accessPage(t, e, resources.RoleAuditor, "?limit=2")
	require.Len(t, first.Items, 2)
	require.NotEmpty(t, first.NextCursor)
	rest := accessPage(t, e, resources.RoleAuditor, "?limit=2&cursor="+first.NextCursor)
	require.Len(t, rest.Items, 1)
	require.Equal(t, all.Items[2], rest.Items[0])
}

// Only auditors and admins read the access log; an auditor reads nothing
// else; a bad filter is 400.
func TestAccessLogRoles(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	withAccessLog(t, e)
	for _, c := range []struct {
		role   resources.Role
		path   string
		status int
	}{
		{resources.RoleClerk, "/v1/access-log", 403},
		{resources.RoleManager, "/v1/access-log", 403},
		{resources.RoleAdmin, "/v1/access-log", 200},
		{resources.RoleAuditor, "/v1/access-log", 200},
		{resources.RoleAuditor, "/v1/interviews/I-3", 403},
		{resources.RoleAuditor, "/v1/access-log?from=yesterday", 400},
		{resources.RoleAuditor, "/v1/access-log?who=x", 400},
		{"", "/v1/access-log", 401},
	} {
		r := e.do(c.role, "GET", c.path, nil)
		require.Equal(t, c.status, r.Status, "%s %s: %s", c.role, c.path, r.Body)
	}
}

// The access log is append-only: the database refuses to change or
// remove its rows.
func TestAccessLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	e, _, _ := newBookingEnv(t, nil)
	al := withAccessLog(t, e)
	require.Equal(t, 200, e.do(resources.RoleClerk, "GET", "/v1/interviews/I-1", nil).Status)
	require.NoError(t, al.Flush(context.Background()))
	ctx := context.Background()
	for _, q := range []string{`update access_log set actor = 'x'`, `delete from access_log`, `truncate access_log`} {
		_, err := e.raw.Exec(ctx, q)
		require.Error(t, err, q)
		require.Contains(t, err.Error(), "append-only", q)
	}
	require.Len(t, accessPage(t, e, resources.RoleAuditor, "").Items, 1)
}

// Every GET route of the staff under /v1 is classified: it reads personal
// data (and is logged) or it does not. A new route in neither fails here.
func TestEveryStaffReadIsClassified(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	seen := map[string]bool{}
	err := chi.Walk(e.srv.Router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != http.MethodGet || !strings.HasPrefix(route, "/v1/") ||
			strings.HasPrefix(route, "/v1/me") || strings.HasPrefix(route, "/v1/portal/") {
			return nil
		}
		seen[route] = true
		_, personal := api.PersonalReads[route]
		require.True(t, personal != api.ImpersonalReads[route], "GET %s must be in exactly one of personalReads and impersonalReads", route)
		return nil
	})
	require.NoError(t, err)
	for route := range api.PersonalReads {
		require.True(t, seen[route], "personalReads names %s, which the router does not serve", route)
	}
}
