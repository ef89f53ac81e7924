package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// queueRowRe is one row of the queue: whether it is highlighted, its id.
var queueRowRe = regexp.MustCompile(`<tr( class="at-risk")?>\s*<th scope="row"><a href="/cases/([^"]+)">`)

func TestQueueFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	// One more interview without any date: those come last.
	var undated string
	require.NoError(t, e.raw.QueryRow(ctx, `update interviews set deadline = null, latest = null
		where id = (select min(id) from interviews where status = 'pending' and deadline is not null) returning id`).Scan(&undated))
	b := e.browser(t)
	b.signIn(e.clerk)
	// The queue in pages of 50, read to the end by its Next links.
	all := b.get("/queue")
	require.Equal(t, 200, all.status)
	first := all.body
	require.Contains(t, first, `rel="next"`, "the demo queue has more than one page")
	require.NotContains(t, first, `rel="prev"`)
	nextRe := regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	for pages := 1; ; pages++ {
		m := nextRe.FindStringSubmatch(all.body)
		if m == nil {
			break
		}
		require.Less(t, pages, 20)
		next := b.get(html.UnescapeString(m[1]))
		require.Equal(t, 200, next.status)
		require.Equal(t, 50*pages, strings.Count(all.body, `<th scope="row"><a href="/cases/`), "full pages before the last")
		all = page{status: 200, body: all.body + next.body}
		all.body = strings.Replace(all.body, m[0], "", 1)
	}
	rows := strings.Count(all.body, `<th scope="row"><a href="/cases/`)
	require.Greater(t, rows, 50)
	require.Contains(t, first, fmt.Sprintf("1–50 of %d", rows))
	require.Contains(t, all.body, `class="at-risk"`)

	// Most urgent first (docs/web.md): by deadline, or the last allowed day
	// when there is none, never decreasing, rows without either last; then
	// the higher priority first; then the earliest date. A row is
	// highlighted exactly when its deadline is at most 10 days after the
	// first planning day (or past).
	st, err := e.db.Settings(ctx)
	require.NoError(t, err)
	loc, err := time.LoadLocation(st.Timezone)
	require.NoError(t, err)
	ref := solver.DateOf(time.Now(), loc)
	if hs, err := solver.ParseDate(st.Horizon.Start); err == nil && hs > ref {
		ref = hs
	}
	type qrow struct {
		id                        string
		deadline, latest, earlier string
		prio                      int
		risk                      bool
	}
	var got []qrow
	for _, m := range queueRowRe.FindAllStringSubmatch(all.body, -1) {
		r := qrow{id: m[2], risk: m[1] != ""}
		require.NoError(t, e.raw.QueryRow(ctx, `select coalesce(deadline::text, ''), coalesce(latest::text, ''),
			earliest::text, coalesce(priority, 1) from interviews where id = $1`, r.id).Scan(&r.deadline, &r.latest, &r.earlier, &r.prio))
		got = append(got, r)
	}
	require.Len(t, got, rows)
	seen := false
	for _, r := range got {
		seen = seen || r.id == undated
	}
	require.True(t, seen, undated)
	require.Empty(t, got[len(got)-1].deadline+got[len(got)-1].latest, "the last row has a date")
	key := func(r qrow) string {
		if r.deadline != "" {
			return r.deadline
		}
		if r.latest != "" {
			return r.latest
		}
		return "9999-12-31" // no date: last
	}
	ties, risky := 0, 0
	for i, r := range got {
		d, err := solver.ParseDate(r.deadline)
		want := err == nil && d-ref <= 10
		require.Equal(t, want, r.risk, "%s (deadline %q, first planning day %s): highlighted %v", r.id, r.deadline, ref, r.risk)
		if r.risk {
			risky++
		}
		if i == 0 {
			continue
		}
		p := got[i-1]
		require.LessOrEqual(t, key(p), key(r), "%s before %s", p.id, r.id)
		if key(p) == key(r) {
			require.GreaterOrEqual(t, p.prio, r.prio, "%s before %s: same date, lower priority first", p.id, r.id)
			if p.prio == r.prio {
				require.LessOrEqual(t, p.earlier, r.earlier, "%s before %s: same date and priority, later earliest first", p.id, r.id)
			} else {
				ties++
			}
		}
	}
	require.Greater(t, ties, 0, "no two rows of the same date with different priorities: the order by priority is untested")
	require.Greater(t, risky, 0)
	require.Less(t, risky, rows)
	require.Equal(t, http.StatusBadRequest, b.get("/queue?page=0").status)

	ar := b.get("/queue?language=ar")
	n := strings.Count(ar.body, `<th scope="row"><a href="/cases/`)
	require.Greater(t, n, 0)
	require.Less(t, n, rows)
	require.NotContains(t, ar.body, `<span class="tag">tr</span>`)
	hel := b.get("/queue?office=HEL&priority=2&deadline=2027-01-20")
	require.Equal(t, 200, hel.status)
	require.Less(t, strings.Count(hel.body, `<th scope="row"><a href="/cases/`), rows)
	require.Equal(t, http.StatusBadRequest, b.get("/queue?deadline=soon").status)
	require.Equal(t, http.StatusBadRequest, b.get("/queue?priority=0").status)
}

func TestPlannerFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser(t)
	b.signIn(e.clerk)
	count := func(path string) int {
		p := b.get(path)
		require.Equal(t, 200, p.status, path)
		return strings.Count(p.body, `<th scope="row"><a href="/people/interpreter/`)
	}
	all := count("/planner?office=HEL&week=2027-01-04")
	busy := count("/planner?office=HEL&week=2027-01-04&busy=1")
	ar := count("/planner?office=HEL&week=2027-01-04&language=ar")
	require.Greater(t, all, busy)
	require.Greater(t, busy, 0)
	require.Greater(t, all, ar)
	require.Greater(t, ar, 0)
	// An absence shows on the days it covers, on the planner and the person's page.
	_, err := e.db.AddAbsence(context.Background(), resources.AbsenceOfInterviewer, "HEL-E01",
		resources.Absence{Start: "2027-01-05T00:00:00+02:00", End: "2027-01-07T00:00:00+02:00"})
	require.NoError(t, err)
	p := b.get("/planner?office=HEL&week=2027-01-04&busy=1")
	require.Equal(t, 2, strings.Count(p.body, `<span class="e absence">absent all day</span>`), p.body)
	p = b.get("/people/interviewer/HEL-E01")
	require.Contains(t, p.body, "Tue 5 Jan 2027, 00:00 – Thu 7 Jan 2027, 00:00")
	// Any day of a week shows that week; other weeks are empty but fine.
	p = b.get("/planner?office=HEL&week=2027-01-06")
	require.Contains(t, p.body, "week of Monday 4 January 2027")
	require.Equal(t, 200, b.get("/planner?office=OUL&week=2027-02-01").status)
	require.Equal(t, http.StatusNotFound, b.get("/planner?office=NOPE").status)
	require.Equal(t, http.StatusBadRequest, b.get("/planner?week=someday").status)
}
