package web_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// TestBrowserAuditorFindsWhoOpenedACase: in headless Chromium a clerk
// opens a case; an auditor signs in, searches the access log for that case
// (desktop and phone) and finds the clerk's read (web/e2e/auditor.mjs).
func TestBrowserAuditorFindsWhoOpenedACase(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	e := newEnv(t)
	auditor, _, err := e.db.CreateToken(context.Background(), "auditor-a", resources.RoleAuditor)
	require.NoError(t, err)
	var res struct {
		Who, Role, Route string
		Rows             int
		A11y             map[string]int
	}
	runScript(t, root, node, "auditor.mjs", e.srv.URL, 3*time.Minute, &res,
		"CLERK_TOKEN="+e.clerk, "AUDITOR_TOKEN="+auditor, "CASE=I-0002")
	require.Equal(t, 1, res.Rows)
	require.Equal(t, "API token "+strconv.FormatInt(e.clerkID, 10), res.Who)
	require.Equal(t, "clerk", res.Role)
	require.Equal(t, "GET /cases/{id}", res.Route)
	require.Len(t, res.A11y, 2)
}
