package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// A clerk's opening of a case page shows in the access log; the auditor
// finds it on the access log's page, by the case's id, and sees who
// opened it. A page of no one's data (a room) is not logged, and the
// auditor's role reads no case.
func TestAClerksCasePageShowsInTheAccessLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	auditor, _, err := e.db.CreateToken(ctx, "auditor-a", resources.RoleAuditor)
	require.NoError(t, err)

	clerk := e.browser(t)
	clerk.signIn(e.clerk)
	page, err := e.db.Bookings(ctx, resources.ListParams{Limit: 1, Filters: map[string]string{}})
	require.NoError(t, err)
	bk := page.Items[0]
	require.Equal(t, 200, clerk.get("/queue").status)
	require.Equal(t, 200, clerk.get("/cases/I-0002").status)
	require.Equal(t, 200, clerk.get(fmt.Sprintf("/bookings/%d", bk.ID)).status)
	require.Equal(t, 200, clerk.get("/people/room/"+bk.Room).status)
	require.Equal(t, 404, clerk.get("/cases/NO-SUCH").status)
	require.Equal(t, 403, clerk.get("/access-log").status, "a clerk does not read the access log")
	require.NoError(t, e.access.Flush(ctx))

	log, err := e.db.AccessLog(ctx, resources.AccessQuery{})
	require.NoError(t, err)
	var got []string
	for _, a := range log.Items {
		require.Equal(t, "token", a.ActorKind)
		require.Equal(t, strconv.FormatInt(e.clerkID, 10), a.Actor)
		require.Equal(t, resources.RoleClerk, a.Role)
		got = append(got, a.SubjectKind+" "+a.SubjectID+" "+a.Route)
	}
	require.Equal(t, []string{
		fmt.Sprintf("booking %d GET /bookings/{id}", bk.ID),
		"interview I-0002 GET /cases/{id}",
		"interview  GET /queue", // the queue lists cases
	}, got)

	aud := e.browser(t)
	p := aud.get("/signin")
	require.Equal(t, 200, p.status)
	p = aud.post("/signin", url.Values{"token": {auditor}, "next": {"/access-log"}})
	require.Equal(t, 303, p.status, p.body)
	p = aud.get("/access-log?subject_kind=interview&subject_id=I-0002")
	require.Equal(t, 200, p.status, p.body)
	require.Contains(t, p.body, "I-0002")
	require.Contains(t, p.body, "API token "+strconv.FormatInt(e.clerkID, 10))
	require.NotContains(t, p.body, "/bookings/{id}", "the filter leaves the booking's read out")
	require.Equal(t, 403, aud.get("/cases/I-0002").status, "an auditor reads no case")
	require.Equal(t, 400, aud.get("/access-log?from=soon").status)
}
