package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/internal/pgtest"
	"github.com/asylum-scheduling/interviews/scheduler"
	"github.com/asylum-scheduling/interviews/solver"
)

// conflictingPair finds two pending interviews A and B and the rank of a
// suggestion of B that needs a person or room of A's top suggestion at an
// overlapping time: once A's top one is booked, B's is taken. A's top
// suggestion has an interpreter (the tests check the interpreter's page and
// feed).
func conflictingPair(t *testing.T, svc *scheduler.Service, raw *pgtest.Raw) (a, b string, rankB int) {
	t.Helper()
	ctx := context.Background()
	rows, _ := raw.Query(ctx, `select id from interviews where status = 'pending' order by id`)
	var ids []string
	for rows.Next() {
		var id string
		require.NoError(t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(t, rows.Err())
	opts := map[string][]scheduler.Option{}
	for _, id := range ids {
		ans, err := svc.Suggest(ctx, scheduler.SuggestRequest{InterviewID: id, K: 5})
		require.NoError(t, err)
		opts[id] = ans.Suggestions
	}
	overlap := func(x, y solver.Suggestion) bool {
		xs, _ := solver.ParseInstant(x.Start)
		xe, _ := solver.ParseInstant(x.End)
		ys, _ := solver.ParseInstant(y.Start)
		ye, _ := solver.ParseInstant(y.End)
		if !xs.Before(ye) || !ys.Before(xe) {
			return false
		}
		return x.Room == y.Room || x.Interviewer == y.Interviewer || (x.Interpreter != "" && x.Interpreter == y.Interpreter)
	}
	sort.Strings(ids)
	for _, x := range ids {
		if len(opts[x]) == 0 || opts[x][0].Interpreter == "" {
			continue
		}
		for _, y := range ids {
			if y == x {
				continue
			}
			for _, o := range opts[y] {
				if overlap(opts[x][0].Suggestion, o.Suggestion) {
					return x, y, o.Rank
				}
			}
		}
	}
	t.Fatal("no two pending interviews compete for a slot in the demo data")
	return
}

var bookedRe = regexp.MustCompile(`Booked: booking (\d+)\.`)

func TestCaseBookConflictRescheduleCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a, bID, rankB := conflictingPair(t, e.booking, e.raw)
	c1, c2 := e.browser(t), e.browser(t)
	c1.signIn(e.clerk)
	c2.signIn(e.clerk2)

	p := c1.get("/cases/" + a)
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, "What it needs")
	require.Contains(t, p.body, "Why:")
	require.Regexp(t, `Suggestions computed in (under a millisecond|[1-9]\d* ms) on`, p.body, "never \"0 ms\"")
	top := regexp.MustCompile(`name="suggestion" value="([^"]+)"`).FindStringSubmatch(p.body)
	require.NotNil(t, top)

	pb := c2.get("/cases/" + bID)
	require.Equal(t, 200, pb.status)
	sugB := regexp.MustCompile(`name="suggestion" value="([^"]+)"`).FindAllStringSubmatch(pb.body, -1)
	require.GreaterOrEqual(t, len(sugB), rankB)

	// Hold, then book the top suggestion.
	holdForm := url.Values{}
	for _, f := range []string{"start", "room", "interviewer", "interpreter", "mode"} {
		m := regexp.MustCompile(`name="` + f + `" value="([^"]*)"`).FindStringSubmatch(p.body)
		require.NotNil(t, m, f)
		holdForm.Set(f, html.UnescapeString(m[1]))
	}
	p = c1.post("/cases/"+a+"/hold", holdForm)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	p = c1.get(p.header.Get("Location"))
	require.Contains(t, p.body, "Held for this interview")
	p = c1.post("/cases/"+a+"/book", url.Values{"suggestion": {top[1]}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	p = c1.get(p.header.Get("Location"))
	m := bookedRe.FindStringSubmatch(p.body)
	require.NotNil(t, m, p.body)
	bookingID, _ := strconv.ParseInt(m[1], 10, 64)
	require.Contains(t, p.body, "See it in the planner")
	require.Contains(t, p.body, `<span class="status status-booked">booked</span>`)

	// The other clerk's suggestion needs the same resource: holding it is a
	// conflict, and so is booking it, with fresh alternatives in place.
	holdB := url.Values{}
	for _, f := range []string{"start", "room", "interviewer", "interpreter", "mode"} {
		all := regexp.MustCompile(`name="`+f+`" value="([^"]*)"`).FindAllStringSubmatch(pb.body, -1)
		require.GreaterOrEqual(t, len(all), rankB, f)
		holdB.Set(f, html.UnescapeString(all[rankB-1][1]))
	}
	p = c2.post("/cases/"+bID+"/hold", holdB)
	require.Equal(t, 200, p.status)
	require.Equal(t, "conflict", p.header.Get("X-Outcome"))
	require.Contains(t, p.body, "That time was taken")
	p = c2.post("/cases/"+bID+"/book", url.Values{"suggestion": {sugB[rankB-1][1]}})
	require.Equal(t, 200, p.status)
	require.Equal(t, "conflict", p.header.Get("X-Outcome"))
	require.Contains(t, p.body, "That time was taken")
	require.Contains(t, p.body, "Here are fresh alternatives")
	require.Contains(t, p.body, `<li class="option card"`)

	// The planner shows the booking and links to it.
	b, err := e.db.Booking(context.Background(), bookingID)
	require.NoError(t, err)
	var office string
	require.NoError(t, e.raw.QueryRow(context.Background(), `select location_id from rooms where id = $1`, b.Room).Scan(&office))
	start, _ := solver.ParseInstant(b.Start)
	loc, _ := time.LoadLocation("Europe/Helsinki")
	day := start.In(loc)
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)).Format(time.DateOnly)
	p = c1.get("/planner?office=" + office + "&week=" + monday)
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, fmt.Sprintf(`href="/bookings/%d"`, bookingID))
	p = c1.get(fmt.Sprintf("/bookings/%d", bookingID))
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, "/cases/"+a)
	require.NotEmpty(t, b.Interpreter, "conflictingPair picks an A whose top suggestion has an interpreter")
	p = c1.get("/people/interpreter/" + b.Interpreter)
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, fmt.Sprintf(`href="/bookings/%d"`, bookingID))

	// Reschedule needs a reason; then moves.
	p = c1.get("/cases/" + a)
	opts := regexp.MustCompile(`name="suggestion" id="opt-\d+" value="([^"]+)"`).FindStringSubmatch(p.body)
	require.NotNil(t, opts, p.body)
	p = c1.post(fmt.Sprintf("/bookings/%d/reschedule", bookingID), url.Values{"suggestion": {opts[1]}})
	require.Equal(t, 200, p.status)
	require.Contains(t, p.body, "Give a reason for the change.")
	p = c1.post(fmt.Sprintf("/bookings/%d/reschedule", bookingID), url.Values{"suggestion": {opts[1]}, "reason": {"applicant asked"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	// Cancel needs a reason too.
	p = c1.post(fmt.Sprintf("/bookings/%d/cancel", bookingID), url.Values{"reason": {" "}})
	require.Contains(t, p.body, "Give a reason for the cancellation.")
	p = c1.post(fmt.Sprintf("/bookings/%d/cancel", bookingID), url.Values{"reason": {"withdrawn"}})
	require.Contains(t, p.body, "Tick the box to confirm the cancellation.", "a cancel without the confirmation")
	p = c1.post(fmt.Sprintf("/bookings/%d/cancel", bookingID), url.Values{"reason": {"withdrawn"}, "confirm": {"yes"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	p = c1.get(p.header.Get("Location"))
	require.Contains(t, p.body, "the interview is pending again")

	audit, err := e.db.Audit(context.Background(), a, 0)
	require.NoError(t, err)
	var actions []string
	for _, x := range audit {
		actions = append(actions, x.Action+":"+x.Actor)
	}
	require.Equal(t, []string{"held:clerk-a", "booked:clerk-a", "rescheduled:clerk-a", "cancelled:clerk-a"}, actions)
}
