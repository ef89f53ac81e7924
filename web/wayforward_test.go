package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// A way forward when suggestions do not do: a clerk books by hand (a broken
// rule is named, a valid option is booked), flags a case to the managers
// (who see it and resolve it), and books or releases a hold from the hold
// box.
func TestWayForwardWhenNothingFits(t *testing.T) {
	t.Parallel()
	in := demoInstance(t)
	e := newEnvWith(t, in)
	ctx := context.Background()
	loc, err := time.LoadLocation(in.Timezone)
	require.NoError(t, err)
	c := e.browser(t)
	c.signIn(e.clerk)
	var pending []string
	booked := map[string]bool{}
	for _, b := range in.Bookings {
		booked[b.Interview] = true
	}
	for _, iv := range in.Interviews {
		if !booked[iv.ID] && (iv.NeedsInterpreter == nil || *iv.NeedsInterpreter) {
			pending = append(pending, iv.ID)
		}
	}
	top := func(id string) scheduler.Option {
		ans, err := e.booking.Suggest(ctx, scheduler.SuggestRequest{InterviewID: id, K: 1})
		require.NoError(t, err)
		require.NotEmpty(t, ans.Suggestions, id)
		return ans.Suggestions[0]
	}
	local := func(s string) string {
		ts, err := solver.ParseInstant(s)
		require.NoError(t, err)
		return ts.In(loc).Format("2006-01-02T15:04")
	}

	// By hand: an interpreter who does not speak the language is refused
	// with the rule named; the top option typed by hand is booked.
	id := pending[0]
	o := top(id)
	var wrong string
	for _, x := range in.Interviews {
		if x.ID != id {
			continue
		}
		for _, tr := range in.Interpreters {
			if ok, _ := solver.LanguageMatch(tr.Languages, x.Language, x.DialectRequired); !ok {
				wrong = tr.ID
				break
			}
		}
	}
	require.NotEmpty(t, wrong)
	p := c.get("/cases/" + id)
	require.Contains(t, p.body, "Book by hand")
	form := url.Values{"start": {local(o.Start)}, "room": {o.Room}, "interviewer": {o.Interviewer}, "interpreter": {wrong},
		"mode": {o.Mode}}
	p = c.post("/cases/"+id+"/book", form)
	problem := regexp.MustCompile(`<div class="problem" role="alert"><p>([^<]*)</p><p>In detail: <span lang="en">([^<]*)</span>`).FindStringSubmatch(p.body)
	require.NotNil(t, problem, "the refusal is shown")
	require.Equal(t, "The change was not made", problem[1])
	require.Regexp(t, `breaks rule \d+: .*`+wrong+`.*(language|dialect)`, problem[2], "the refusal names the broken rule")
	form.Set("interpreter", o.Interpreter)
	p = c.post("/cases/"+id+"/book", form)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	p = c.get(p.header.Get("Location"))
	require.Contains(t, p.body, "Booked: booking")

	// Flag to a manager.
	flagged := pending[1]
	p = c.post("/cases/"+flagged+"/flag", url.Values{"reason": {"no Tigrinya interpreter for weeks"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.Equal(t, http.StatusForbidden, c.get("/flags").status, "the list is the managers'")
	m := e.browser(t)
	m.signIn(e.manager)
	p = m.get("/flags")
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, "/cases/"+flagged)
	require.Contains(t, p.body, "no Tigrinya interpreter for weeks")
	fid := regexp.MustCompile(`/flags/(\d+)/resolve`).FindStringSubmatch(p.body)
	require.NotNil(t, fid)
	p = m.post("/flags/"+fid[1]+"/resolve", nil)
	require.Equal(t, http.StatusSeeOther, p.status)
	require.NotContains(t, m.get("/flags").body, "/cases/"+flagged)

	// The hold box: hold, release, hold again, book the held time.
	held := pending[2]
	hold := func() {
		o := top(held)
		p := c.post("/cases/"+held+"/hold", url.Values{"start": {o.Start}, "room": {o.Room}, "interviewer": {o.Interviewer},
			"interpreter": {o.Interpreter}, "mode": {o.Mode}})
		require.Equal(t, http.StatusSeeOther, p.status, p.body)
	}
	hold()
	p = c.get("/cases/" + held)
	rel := regexp.MustCompile(`/cases/[^/]+/holds/(\d+)/release`).FindString(p.body)
	require.NotEmpty(t, rel)
	p = c.post(rel, nil)
	require.Equal(t, http.StatusSeeOther, p.status)
	require.Contains(t, c.get("/cases/"+held).body, "Hold released.")
	hold()
	p = c.get("/cases/" + held)
	require.Contains(t, p.body, "Book the held time")
	m2 := regexp.MustCompile(`(?s)<li class="card hold">.*?<form method="post" action="/cases/[^"]+/book">(.*?)</form>`).FindStringSubmatch(p.body)
	require.NotNil(t, m2)
	vals := url.Values{}
	for _, f := range regexp.MustCompile(`name="(\w+)" value="([^"]*)"`).FindAllStringSubmatch(m2[1], -1) {
		if f[1] != "csrf" {
			vals.Set(f[1], htmlUnescape(f[2]))
		}
	}
	p = c.post("/cases/"+held+"/book", vals)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	holds, err := e.db.Holds(ctx, held, time.Now())
	require.NoError(t, err)
	require.Empty(t, holds, "booking the held time ends the hold")
}

func htmlUnescape(s string) string { return html.UnescapeString(s) }

// The planner opens on the office and week of the case last opened, with
// only the people who have something that week; asked for explicitly, it
// shows what is asked.
func TestPlannerOpensWhereTheCaseIs(t *testing.T) {
	t.Parallel()
	in := demoInstance(t)
	e := newEnvWith(t, in)
	c := e.browser(t)
	c.signIn(e.clerk)
	rooms := map[string]string{}
	for _, r := range in.Rooms {
		rooms[r.ID] = r.Location
	}
	var bk solver.Booking
	for _, b := range in.Bookings {
		if rooms[b.Room] != in.Locations[0].ID {
			bk = b
			break
		}
	}
	require.NotEmpty(t, bk.Interview, "a booking away from the first office")
	office := rooms[bk.Room]
	p := c.get("/planner")
	require.Contains(t, p.body, `<option value="`+in.Locations[0].ID+`" selected>`, "at first, the first office")
	require.Contains(t, p.body, `id="p-busy" name="busy" type="checkbox" value="1" checked`, "only busy people by default")
	require.Equal(t, 200, c.get("/cases/"+bk.Interview).status)
	p = c.get("/planner")
	require.Contains(t, p.body, `<option value="`+office+`" selected>`, "the case's office")
	start, err := solver.ParseInstant(bk.Start)
	require.NoError(t, err)
	loc, _ := time.LoadLocation(in.Timezone)
	day := start.In(loc)
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)).Format(time.DateOnly)
	require.Contains(t, p.body, `name="week" type="date" value="`+monday+`"`, "the case's week")
	p = c.get("/planner?office=" + in.Locations[0].ID + "&week=" + monday)
	require.Contains(t, p.body, `<option value="`+in.Locations[0].ID+`" selected>`)
	require.NotContains(t, p.body, `value="1" checked`, "all people when asked without busy")
}

// Each option after the first says in one sentence how it differs from the
// first, with the interpreter's cost in euros; the options sort by date on
// request.
func TestSuggestionsInClerksTerms(t *testing.T) {
	t.Parallel()
	in := demoInstance(t)
	e := newEnvWith(t, in)
	c := e.browser(t)
	c.signIn(e.clerk)
	p := c.get("/cases/I-0001")
	require.Equal(t, 200, p.status)
	trade := regexp.MustCompile(`<p class="tradeoff"><strong>(Against option 1: [^<]+)</strong>`).FindAllStringSubmatch(p.body, -1)
	require.Len(t, trade, 4, "options 2 to 5 each say how they differ from option 1")
	for _, m := range trade {
		require.Regexp(t, `^Against option 1: (the same time|(later|earlier) the same day|a day (later|earlier)|\w+ days (later|earlier))`, m[1])
	}
	require.Regexp(t, `Interpreter cost €\d+\.`, p.body)
	starts := func(body string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`name="start" value="([^"]+)"`).FindAllStringSubmatch(body, -1) {
			out = append(out, html.UnescapeString(m[1]))
		}
		return out
	}
	byRank := starts(p.body)
	p = c.get("/cases/I-0001?sort=date")
	byDate := starts(p.body)
	require.ElementsMatch(t, byRank, byDate)
	require.True(t, sort.StringsAreSorted(byDate), "sorted by date: %v", byDate)
	require.Contains(t, p.body, "sort by rank")
}
