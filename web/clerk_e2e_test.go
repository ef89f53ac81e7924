package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// TestBrowserClerkInFinnish is the clerk of issue 15 in Chromium: in
// Finnish, on a 390 px phone, signed in through a real OpenID provider,
// finds a case in the queue and books it, reloads (nothing is booked
// twice), the server restarts and the clerk is still signed in; then every
// staff page in Finnish, on a phone and a desktop, passes axe (WCAG 2.2
// AA) and does not scroll sideways.
func TestBrowserClerkInFinnish(t *testing.T) {
	t.Parallel()
	root, node := browserTools(t)
	e := newOIDCEnv(t, false)
	restarts := 0
	ctl := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		restarts++
		e.restart()
	}))
	t.Cleanup(ctl.Close)
	var res struct {
		Who, Case, Booked, AfterBook, AfterReload string
		FlashAfterReload                          int
		AfterRestart, WhoAfterRestart             string
		A11y, Overflow                            map[string]int
	}
	runScript(t, root, node, "clerk_fi.mjs", e.srv.URL, 4*time.Minute, &res,
		"IDP_URL="+e.idp.srv.URL, "IDP_PASSWORD="+idpPassword, "RESTART_URL="+ctl.URL)
	require.Equal(t, "Anna Example · virkailija", res.Who)
	require.Regexp(t, `^Varattu: varaus \d+\.$`, res.Booked)
	require.Equal(t, res.Case, res.AfterBook, "the booking redirects to the case")
	require.Equal(t, res.Case, res.AfterReload)
	require.Zero(t, res.FlashAfterReload, "the confirmation is shown once")
	require.Equal(t, 1, restarts)
	require.Equal(t, "/attention", res.AfterRestart, "still signed in after the restart")
	require.Equal(t, res.Who, res.WhoAfterRestart)
	require.GreaterOrEqual(t, len(res.Overflow), 20, "pages looked at")
	for name, over := range res.Overflow {
		require.LessOrEqual(t, over, 0, name)
	}
	// Booked once: one booking, one booking entry in its audit trail.
	id := strings.TrimPrefix(res.Case, "/cases/")
	b, err := e.db.BookingOf(context.Background(), id)
	require.NoError(t, err)
	audit, err := e.db.Audit(context.Background(), "", b.ID)
	require.NoError(t, err)
	n := 0
	for _, a := range audit {
		if a.Action == resources.ActionBooked {
			n++
		}
	}
	require.Equal(t, 1, n, "booked once")
}
