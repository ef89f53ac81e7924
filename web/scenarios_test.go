package web_test

import (
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/i18n"
	"github.com/asylum-scheduling/interviews/resources"
)

// A manager describes a variant in the form (+2 interpreters of a
// language, Tue–Thu, at one office), the page redirects to the scenario,
// which compares it with the baseline in a table and three charts and
// gives every figure as CSV; nothing is booked. A form that describes no
// variant is refused with the problem named; clerks may not run scenarios.
func TestScenarioPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	langs, err := e.db.PendingLanguages(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, langs)
	lang := langs[0]

	c := e.browser(t)
	c.signIn(e.clerk)
	require.Equal(t, http.StatusForbidden, c.get("/scenarios").status)
	require.Equal(t, http.StatusForbidden, c.post("/scenarios", url.Values{}).status)

	m := e.browser(t)
	m.signIn(e.manager)
	p := m.get("/scenarios?language=" + lang)
	require.Equal(t, 200, p.status)
	require.Regexp(t, `<option value="`+regexp.QuoteMeta(lang)+`" selected>`, p.body, "the language comes from the link")

	form := url.Values{"from": {"2027-01-04"}, "to": {"2027-01-08"}, "time_limit": {"3"},
		"kind_1": {"interpreters"}, "count_1": {"2"}, "language_1": {lang}, "office_1": {"HEL"}, "mode_1": {"both"},
		"start_1": {"08:00"}, "end_1": {"16:00"}, "days_1": {"tue", "wed", "thu"}, "kind_2": {"none"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("count_1", "0")
	p = m.post("/scenarios", bad)
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "Variant 1: how many must be a whole number from 1 to 50.")
	bad.Set("count_1", "2")
	bad.Set("office_1", "NOWHERE")
	p = m.post("/scenarios", bad)
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	require.Contains(t, p.body, "NOWHERE")

	before, err := e.db.Bookings(ctx, resources.ListParams{Limit: 1000, Filters: map[string]string{}})
	require.NoError(t, err)
	p = m.post("/scenarios", form)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	loc := p.header.Get("Location")
	require.Regexp(t, `^/scenarios/\d+$`, loc)
	id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/scenarios/"), 10, 64)
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	require.NoError(t, e.planner.Wait(wctx, id))

	p = m.get(loc)
	require.Equal(t, 200, p.status)
	p.body = html.UnescapeString(p.body)
	name := "+2 " + i18n.DialectName("en", lang) + " interpreters, Tue–Thu, Helsinki"
	require.Contains(t, p.body, "<th scope=\"col\">"+name+"</th>", "the variant is named after its change, its dialect kept")
	require.Contains(t, p.body, "Interviews placed")
	// The variant's sentence says what it did, or why nothing changed.
	run, err := e.db.Scenario(ctx, id)
	require.NoError(t, err)
	adv := run.Comparison.Runs[1].Advice
	require.NotNil(t, adv, "every variant has its sentence")
	require.Regexp(t, `<ul class="advice" id="advice"><li>`+regexp.QuoteMeta(name)+`( changes nothing| ?:)[^<]*\.</li></ul>`, p.body)
	require.NotContains(t, p.body, "!adv.", "every sentence is in the catalog")
	require.Equal(t, 3, strings.Count(p.body, "<svg role=\"img\""), "three charts")
	require.Contains(t, p.body, `href="`+loc+`/csv"`)

	r := m.get(loc + "/csv")
	require.Equal(t, 200, r.status)
	require.Contains(t, r.header.Get("Content-Type"), "text/csv")
	rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	require.NoError(t, err)
	runs := map[string]bool{}
	for _, row := range rows[1:] {
		runs[row[0]] = true
	}
	delete(runs, "") // the comparison's own figures (its budget)
	require.Equal(t, map[string]bool{"baseline": true, name: true}, runs)

	after, err := e.db.Bookings(ctx, resources.ListParams{Limit: 1000, Filters: map[string]string{}})
	require.NoError(t, err)
	require.Equal(t, len(before.Items), len(after.Items), "nothing booked")
	require.Contains(t, html.UnescapeString(m.get("/scenarios").body), name)
}
