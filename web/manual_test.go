package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/asylum-scheduling/interviews/resources"
	"github.com/asylum-scheduling/interviews/solver"
)

// manualCase is a pending interview at the office of a booking, and the
// booking: booking the interview by hand into the booking's room with its
// interviewer at its time must be refused.
type manualCase struct {
	Case, Start, Room, Interviewer, RoomName, InterviewerName string
}

func manualConflict(t *testing.T, e *env) manualCase {
	t.Helper()
	ctx := context.Background()
	bs, err := e.db.Bookings(ctx, resources.ListParams{Limit: 1, Filters: map[string]string{}})
	require.NoError(t, err)
	require.NotEmpty(t, bs.Items)
	bk := bs.Items[0]
	rooms, err := e.db.Rooms(ctx, resources.ListParams{Limit: resources.MaxLimit, Filters: map[string]string{}})
	require.NoError(t, err)
	var loc string
	for _, r := range rooms.Items {
		if r.ID == bk.Room {
			loc = r.Location
		}
	}
	require.NotEmpty(t, loc)
	ivs, err := e.db.Interviews(ctx, resources.ListParams{Limit: 1, Filters: map[string]string{"status": "pending", "location": loc}})
	require.NoError(t, err)
	require.NotEmpty(t, ivs.Items, "a pending interview at %s", loc)
	start, err := solver.ParseInstant(bk.Start)
	require.NoError(t, err)
	names, err := e.db.DisplayNames(ctx, []string{bk.Room}, []string{bk.Interviewer}, nil)
	require.NoError(t, err)
	return manualCase{Case: ivs.Items[0].ID, Start: start.Format("2006-01-02T15:04"), Room: bk.Room, Interviewer: bk.Interviewer,
		RoomName: names["room/"+bk.Room], InterviewerName: names["interviewer/"+bk.Interviewer]}
}

var (
	manualProblemRE = regexp.MustCompile(`(?s)<div class="problem" role="alert" id="manual-problem">(.*?)</div>`)
	emptyHeadingRE  = regexp.MustCompile(`<h2 id="sugg-h">[^<]*</h2>\s*(?:<p class="sort">.*</p>\s*)?</section>`)
)

// TestManualBookingRefusedKeepsTheForm: Book by hand into a room and with
// an interviewer already booked at that time, and at a time no one works,
// in Finnish and Swedish: nothing is booked, the form stays open with what
// was chosen (room, interviewer, mode, reason), the refusal names the rule
// and the room or person by name in the page's language, and the
// alternatives are listed, or said to be none, never an empty heading.
func TestManualBookingRefusedKeepsTheForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mc := manualConflict(t, e)
	c := e.browser(t)
	c.signIn(e.clerk)
	words := map[string]struct{ notBooked, taken, english string }{
		"fi": {"Ei varattu:", "jo varattu", "That time was taken"},
		"sv": {"Inte bokat:", "redan bokad", "That time was taken"},
	}
	night := strings.Split(mc.Start, "T")[0] + "T03:00"
	for _, l := range []string{"fi", "sv"} {
		c.get("/lang/" + l + "?next=/queue")
		for _, start := range []string{mc.Start, night} {
			c.get("/cases/" + mc.Case)
			form := url.Values{"manual": {"1"}, "start": {start}, "room": {mc.Room}, "interviewer": {mc.Interviewer},
				"interpreter": {""}, "mode": {"remote"}, "reason": {"käsin " + l}}
			p := c.post("/cases/"+mc.Case+"/book", form)
			require.NotEqual(t, http.StatusSeeOther, p.status, "%s %s: booked", l, start)
			m := manualProblemRE.FindStringSubmatch(p.body)
			require.NotNil(t, m, "%s %s: no refusal in the form:\n%s", l, start, p.body)
			problem := visibleText(m[1])
			require.Contains(t, problem, words[l].notBooked)
			require.NotContains(t, p.body, words[l].english)
			require.Contains(t, p.body, `id="manual" open`, "the form stays open")
			require.Contains(t, p.body, `value="`+start+`"`, "the start is kept")
			require.Contains(t, p.body, `<option value="`+mc.Room+`" selected>`, "the room is kept")
			require.Contains(t, p.body, `<option value="`+mc.Interviewer+`" selected>`, "the interviewer is kept")
			require.Contains(t, p.body, `<option value="remote" selected>`, "the mode is kept")
			require.Contains(t, p.body, `value="käsin `+l+`"`, "the reason is kept")
			require.Empty(t, emptyHeadingRE.FindString(p.body), "an empty heading")
			if start == mc.Start {
				// Taken: the room or the interviewer, by name.
				require.Contains(t, problem, words[l].taken)
				require.True(t, strings.Contains(problem, mc.RoomName+" ("+mc.Room+")") ||
					strings.Contains(problem, mc.InterviewerName+" ("+mc.Interviewer+")"), problem)
			}
		}
	}
	_, err := e.db.BookingOf(context.Background(), mc.Case)
	require.Error(t, err, "nothing is booked")
}
