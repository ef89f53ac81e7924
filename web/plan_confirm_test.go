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
	"github.com/asylum-scheduling/interviews/solver"
)

var (
	rowChangeRE = regexp.MustCompile(`<tr class="change-(moved|dropped|new)">`)
	confirmRE   = regexp.MustCompile(`(?s)<section aria-labelledby="confirm-h".*?</section>`)
)

// finishedPlan runs a plan over the demo week as a manager and returns its
// page's path and the plan.
func finishedPlan(t *testing.T, e *env, m *browser) (string, *resources.Plan) {
	t.Helper()
	m.get("/plans")
	p := m.post("/plans", url.Values{"from": {"2027-01-04"}, "to": {"2027-01-08"}, "time_limit": {"2"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	loc := p.header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/plans/"), 10, 64)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	require.NoError(t, e.planner.Wait(ctx, id))
	plan, err := e.db.Plan(context.Background(), id, true)
	require.NoError(t, err)
	require.NotNil(t, plan.Summary)
	return loc, plan
}

// TestPlanAcceptAsksFirst: in Finnish and Swedish, the plan lists the
// bookings it moves or cannot keep first, marked, under an intro that says
// so; Accept all first shows what will happen (new, moved, kept as they
// are, how many people get a message) and books nothing; confirming books,
// and the people mailed are those the confirmation counted.
func TestPlanAcceptAsksFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	m := e.browser(t)
	m.signIn(e.manager)
	loc, plan := finishedPlan(t, e, m)
	sum := plan.Summary
	require.Positive(t, sum.New)
	intro := map[string]string{"fi": "Nykyiset varaukset pysyvät ennallaan", "sv": "De befintliga bokningarna står kvar"}
	if sum.Moved+sum.Dropped > 0 {
		intro = map[string]string{"fi": "Tämä suunnitelma muuttaa nykyisiä varauksia", "sv": "Planen ändrar befintliga bokningar"}
	}
	var people int
	for _, l := range []string{"fi", "sv"} {
		m.get("/lang/" + l + "?next=" + loc)
		p := m.get(loc)
		require.Contains(t, visibleText(p.body), intro[l])
		rows := rowChangeRE.FindAllStringSubmatch(p.body, -1)
		require.Len(t, rows, sum.New+sum.Moved+sum.Dropped)
		seenNew := false
		for i, r := range rows {
			require.False(t, seenNew && r[1] != "new", "%s: a moved or dropped row after a new one (row %d)", l, i)
			seenNew = seenNew || r[1] == "new"
		}
		// Accept all: the confirmation first, nothing booked yet.
		p = m.post(loc+"/accept", url.Values{"all": {"1"}})
		require.Equal(t, http.StatusOK, p.status, p.body)
		c := confirmRE.FindString(p.body)
		require.NotEmpty(t, c, "no confirmation")
		text := visibleText(c)
		want := map[string][]string{"fi": {"uutta varausta", "henkilöä saa viestin"}, "sv": {"nya bokningar", "personer får ett meddelande"}}
		for _, w := range want[l] {
			require.Contains(t, text, w)
		}
		require.Contains(t, text, strconv.Itoa(sum.New)+" "+want[l][0])
		if sum.Moved > 1 {
			require.Contains(t, text, strconv.Itoa(sum.Moved)+" ")
		}
		n := regexp.MustCompile(`(\d+) ` + want[l][1]).FindStringSubmatch(text)
		require.NotNil(t, n, text)
		people, _ = strconv.Atoi(n[1])
		got, err := e.db.Plan(ctx, plan.ID, false)
		require.NoError(t, err)
		require.Equal(t, resources.PlanDone, got.Status, "nothing accepted before confirming")
	}
	// Confirm: booked, and the people mailed are those counted.
	var before time.Time
	require.NoError(t, e.raw.QueryRow(ctx, `select now()`).Scan(&before))
	p := m.post(loc+"/accept", url.Values{"all": {"1"}, "confirm": {"1"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	got, err := e.db.Plan(ctx, plan.ID, false)
	require.NoError(t, err)
	require.Equal(t, resources.PlanAccepted, got.Status)
	var mailed int
	require.NoError(t, e.raw.QueryRow(ctx, `select count(distinct (recipient_kind, recipient_id)) from mail_outbox where created_at >= $1`,
		before).Scan(&mailed))
	require.Positive(t, people)
	require.Equal(t, people, mailed, "people counted before confirming and people mailed")
	t.Logf("plan: %d new, %d moved, %d dropped; %d people mailed", sum.New, sum.Moved, sum.Dropped, mailed)
}

// changingPlan stores, next to the finished plan, one that also moves a
// booking (to the next day) and cannot keep another: the plan a clerk
// must read carefully. It returns its page's path.
func changingPlan(t *testing.T, e *env, done *resources.Plan) string {
	t.Helper()
	ctx := context.Background()
	bs, err := e.db.Bookings(ctx, resources.ListParams{Limit: 2, Filters: map[string]string{}})
	require.NoError(t, err)
	require.Len(t, bs.Items, 2)
	mv, drop := bs.Items[0], bs.Items[1]
	p, release, err := e.db.StartPlan(ctx, resources.NewPlan{Kind: resources.PlanBatch, CreatedBy: "manager-a", From: "2027-01-04",
		To: "2027-01-08", TimeLimit: time.Second})
	require.NoError(t, err)
	defer release()
	res := *done.Result
	start, err := time.Parse(time.RFC3339, mv.Start)
	require.NoError(t, err)
	end, err := time.Parse(time.RFC3339, mv.End)
	require.NoError(t, err)
	a := solver.Assignment{Interview: mv.Interview, Start: start.AddDate(0, 0, 1).Format(time.RFC3339),
		End: end.AddDate(0, 0, 1).Format(time.RFC3339), Room: mv.Room, Interviewer: mv.Interviewer, Interpreter: mv.Interpreter, Mode: mv.Mode}
	res.Assignments = append(append([]solver.Assignment{}, res.Assignments...), a)
	res.Diff.Moved = []resources.PlanMove{{Interview: mv.Interview, Booking: mv.ID, Before: mv.Booking, After: &a}}
	res.Diff.Dropped = []resources.PlanMove{{Interview: drop.Interview, Booking: drop.ID, Before: drop.Booking}}
	ok, err := e.db.FinishPlan(ctx, p.ID, &res)
	require.NoError(t, err)
	require.True(t, ok)
	return "/plans/" + strconv.FormatInt(p.ID, 10)
}

// TestPlanMovesAndDropsComeFirst: a plan that moves one booking and cannot
// keep another lists those two first, marked, says so above the table, and
// its confirmation names both, in Finnish and Swedish.
func TestPlanMovesAndDropsComeFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := e.browser(t)
	m.signIn(e.manager)
	_, done := finishedPlan(t, e, m)
	loc := changingPlan(t, e, done)
	words := map[string][]string{
		"fi": {"Tämä suunnitelma muuttaa nykyisiä varauksia", "Se siirtää yhden varauksen.", "Yhtä varausta se ei pystynyt pitämään",
			"Siirretään:", "Suunnitelma ei pitänyt tätä", "yksi nykyinen varaus siirretään", "yksi varaus, jota suunnitelma ei pystynyt pitämään, jää ennalleen"},
		"sv": {"Planen ändrar befintliga bokningar", "Den flyttar en bokning.", "En bokning kunde den inte behålla",
			"Flyttas:", "Planen behöll den inte", "en befintlig bokning flyttas", "en bokning som planen inte kunde behålla står kvar som den är"},
	}
	for _, l := range []string{"fi", "sv"} {
		m.get("/lang/" + l + "?next=" + loc)
		p := m.get(loc)
		require.Equal(t, http.StatusOK, p.status)
		rows := rowChangeRE.FindAllStringSubmatch(p.body, 3)
		require.Len(t, rows, 3)
		require.Equal(t, []string{"moved", "dropped", "new"}, []string{rows[0][1], rows[1][1], rows[2][1]}, l)
		text := visibleText(p.body)
		for _, w := range words[l][:5] {
			require.Contains(t, text, w, l)
		}
		p = m.post(loc+"/accept", url.Values{"all": {"1"}})
		require.Equal(t, http.StatusOK, p.status)
		c := visibleText(confirmRE.FindString(p.body))
		for _, w := range words[l][5:] {
			require.Contains(t, c, w, l)
		}
	}
}
