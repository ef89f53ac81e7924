package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
)

// markupRE is markup shown as text: a "<" or a class attribute in what a
// clerk reads.
var markupRE = regexp.MustCompile(`.{0,30}(?:<|class=).{0,30}`)

// staffPages gets the demo data into the states in which every staff page
// shows all it can (a case with a hold, a booked case with the times it
// could move to, a finished plan and scenario) and returns a manager's
// browser signed in and the pages' paths.
func staffPages(t *testing.T, e *env) (*browser, []string) {
	t.Helper()
	ctx := context.Background()
	m := e.browser(t)
	m.signIn(e.manager)
	held := holdACase(t, m)
	m.get("/plans")
	p := m.post("/plans", url.Values{"from": {"2027-01-04"}, "to": {"2027-01-08"}, "time_limit": {"1"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	planPath := p.header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(planPath, "/plans/"), 10, 64)
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	require.NoError(t, e.planner.Wait(wctx, id))
	p = m.post("/scenarios", url.Values{"from": {"2027-01-04"}, "to": {"2027-01-08"}, "time_limit": {"2"},
		"kind_1": {"rooms"}, "count_1": {"1"}, "office_1": {"HEL"}, "start_1": {"08:00"}, "end_1": {"16:00"},
		"days_1": {"mon"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	scenarioPath := p.header.Get("Location")
	sid, _ := strconv.ParseInt(strings.TrimPrefix(scenarioPath, "/scenarios/"), 10, 64)
	require.NoError(t, e.planner.Wait(wctx, sid))
	bs, err := e.db.Bookings(ctx, resources.ListParams{Limit: 1, Filters: map[string]string{}})
	require.NoError(t, err)
	require.NotEmpty(t, bs.Items)
	bk := bs.Items[0]
	return m, []string{
		"/queue", "/queue?language=ar&priority=2", "/attention", "/flags", "/cases/" + held, "/cases/" + bk.Interview,
		fmt.Sprintf("/bookings/%d", bk.ID), "/planner", "/plans", planPath, "/shortages",
		"/people/interpreter/" + bk.Interpreter, "/people/interviewer/" + bk.Interviewer, "/people/room/" + bk.Room,
		"/scenarios", "/scenarios?language=ar", scenarioPath,
	}
}

// holdACase holds the top option of the first case in the queue that has
// one, as a clerk's Hold button does, and returns the case.
func holdACase(t *testing.T, b *browser) string {
	t.Helper()
	q := b.get("/queue")
	require.Equal(t, http.StatusOK, q.status)
	for _, c := range regexp.MustCompile(`href="/cases/([^"]+)"`).FindAllStringSubmatch(q.body, 12) {
		p := b.get("/cases/" + c[1])
		form := url.Values{}
		for _, f := range []string{"start", "room", "interviewer", "interpreter", "mode"} {
			if m := regexp.MustCompile(`name="` + f + `" value="([^"]*)"`).FindStringSubmatch(p.body); m != nil {
				form.Set(f, html.UnescapeString(m[1]))
			}
		}
		if form.Get("start") == "" {
			continue
		}
		p = b.post("/cases/"+c[1]+"/hold", form)
		require.Equal(t, http.StatusSeeOther, p.status, p.body)
		return c[1]
	}
	t.Fatal("no case among the first in the queue has an option to hold")
	return ""
}

// TestStaffPagesShowNoMarkupAsText renders every staff page, a held case
// and a booked case's other times among them, in the three languages: no
// markup shows as text.
func TestStaffPagesShowNoMarkupAsText(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m, paths := staffPages(t, e)
	for _, l := range []string{"en", "fi", "sv"} {
		p := m.get("/lang/" + l + "?next=/queue")
		require.Equal(t, http.StatusSeeOther, p.status)
		for _, path := range paths {
			p := m.get(path)
			require.Equal(t, http.StatusOK, p.status, path)
			require.Contains(t, p.body, `<html lang="`+l+`">`, path)
			assert.Empty(t, markupRE.FindAllString(visibleText(p.body), -1), "%s %s: markup shown as text", l, path)
		}
	}
}
