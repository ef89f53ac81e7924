package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

func TestPlansStartAndAccept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.browser(t)
	m.signIn(e.manager)
	p := m.get("/plans")
	require.Equal(t, 200, p.status)
	p = m.post("/plans", url.Values{"from": {"2027-01-04"}, "to": {"2027-01-08"}, "time_limit": {"1"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	loc := p.header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/plans/"), 10, 64)
	require.NoError(t, err)
	p = m.get(loc)
	require.Equal(t, 200, p.status)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, e.planner.Wait(ctx, id))
	p = m.get(loc)
	require.Contains(t, p.body, "Proposed bookings")
	require.Contains(t, p.body, "Not placed")
	items := regexp.MustCompile(`name="item" value="([^"]+)"`).FindAllStringSubmatch(p.body, -1)
	require.NotEmpty(t, items)
	// Accept one, then all (confirmed: TestPlanAcceptAsksFirst).
	// Each accept redirects to the plan (a reload does not accept again),
	// which says what was accepted.
	p = m.post(loc+"/accept", url.Values{"item": {items[0][1]}, "confirm": {"1"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, loc, p.header.Get("Location"))
	p = m.get(loc)
	require.Contains(t, p.body, "Accepted: 1 of 1 booked.")
	require.Contains(t, p.body, `<tr class="outcome-booked">`)
	p = m.post(loc+"/accept", url.Values{"all": {"1"}, "confirm": {"1"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Contains(t, m.get(loc).body, "Accepted:")
	plan, err := e.db.Plan(context.Background(), id, false)
	require.NoError(t, err)
	require.Equal(t, resources.PlanAccepted, plan.Status)
	// Nothing ticked: refused with a message.
	p = m.post(loc+"/accept", url.Values{})
	require.Contains(t, p.body, "Tick the bookings to accept")
}

// TestPlanRunningPage checks the page of a running plan: no meta refresh
// (WCAG 2.2.1), the progress, the script that updates it (allowed by the
// Content-Security-Policy, served as JavaScript) and a Refresh link that works
// without it; cancelling stops the plan.
func TestPlanRunningPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.browser(t)
	m.signIn(e.manager)
	m.get("/plans")
	p := m.post("/plans", url.Values{"from": {"2027-01-04"}, "to": {"2027-01-08"}, "time_limit": {"60"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	loc := p.header.Get("Location")
	p = m.get(loc)
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, `<span class="status status-running">running</span>`)
	require.NotContains(t, strings.ToLower(p.body), "http-equiv")
	require.Contains(t, p.body, `<script src="/static/plan.js" defer></script>`)
	require.Contains(t, p.body, `<section aria-labelledby="prog-h" class="card" id="progress" data-refresh="3">`)
	require.Contains(t, p.body, `<div id="progress-now" aria-live="polite">`)
	require.Contains(t, p.body, `<span id="progress-auto" hidden>`)
	require.Contains(t, p.body, `<button type="button" id="progress-pause" class="secondary" data-resume="Resume updates" data-pause="Pause updates">Pause updates</button>`)
	require.Contains(t, p.body, `<a href="`+loc+`">Refresh</a>`)
	csp := p.header.Get("Content-Security-Policy")
	require.Contains(t, csp, "script-src 'self';")
	require.Contains(t, csp, "connect-src 'self';")
	require.NotContains(t, csp, "unsafe-inline")
	// Other pages load no script.
	require.NotContains(t, m.get("/plans").body, "<script")

	js := m.get("/static/plan.js")
	require.Equal(t, 200, js.status)
	require.Contains(t, js.header.Get("Content-Type"), "javascript")
	require.Contains(t, js.body, "data-resume")
	require.Contains(t, js.body, "progress-now")

	// Once the solver reports, the page says which phase it is in.
	waitFor(t, "the plan's phase on its page", 30*time.Second, func() bool {
		return strings.Contains(m.get(loc).body, "<p>Now: ")
	})
	require.Regexp(t, `<p>Now: (building a first plan|improving the plan|checking the plan and writing the reasons)\.</p>`, m.get(loc).body)

	p = m.post(loc+"/cancel", nil)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	p = m.get(loc)
	require.Contains(t, p.body, "The plan was cancelled.")
	require.NotContains(t, p.body, `id="progress"`)
	require.NotContains(t, p.body, "<script")
}
